//! SMS messages: queued per person and purpose, handed to the provider, receipts.
use super::Db;
use crate::services::sms::Receipt;
use app::domain::grid::GridId;
use sqlx::Row;
use std::collections::HashMap;

/// A message due to be handed over.
#[derive(Debug, Clone)]
pub struct DueSms {
    pub id: i64,
    pub phone: String,
    pub params: String,
    pub attempts: i64,
}

/// The provider's answer for one message: its id there, or its refusal code.
pub struct Handed {
    pub id: i64,
    pub result: Result<String, String>,
}

/// SMS figures of one alert in one grid.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct SmsFigures {
    /// Handed to the provider (delivered or not yet known).
    pub sent: i64,
    pub delivered: i64,
    /// Refused by the provider, or reported not delivered.
    pub failed: i64,
}

/// Residents `r` whose verified account opened alert `$1` in the app.
const OPENED_IN_APP: &str = "EXISTS (
    SELECT 1 FROM alert_receipts x JOIN users u ON u.id = x.user_id
    WHERE x.alert_id = $1 AND x.opened_at IS NOT NULL AND u.phone = r.phone
      AND u.phone_verified_at IS NOT NULL)";

/// Alerts published this long before their fallback time and never queued are not
/// queued any more (SMS switched on later must not send old alerts).
const TOO_OLD_MS: i64 = 3_600_000;

impl Db {
    /// Alerts still in force whose fallback time (`after` ms after sending) has come
    /// and whose residents were not yet queued: (id, title, body).
    pub async fn alerts_due_for_sms(
        &self,
        now: i64,
        after: i64,
    ) -> Result<Vec<(i64, String, String)>, sqlx::Error> {
        let due = now - after;
        let rows = sqlx::query(&format!(
            "SELECT id, title, body FROM alerts
             WHERE sms_planned_at IS NULL AND cancelled = 0 AND sent_at <= {due}
               AND sent_at > {} AND expires_at > {now} ORDER BY id",
            due - TOO_OLD_MS
        ))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("id")?, r.try_get("title")?, r.try_get("body")?)))
            .collect()
    }

    /// Queues the alert for every registered resident of its grids with a mobile
    /// number whose account has not opened it (one message per number), and marks
    /// the alert queued; in one transaction. Answers how many were queued.
    pub async fn plan_alert_sms(
        &self,
        alert: i64,
        params: &str,
        now: i64,
    ) -> Result<u64, sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        let n = sqlx::query(&format!(
            "INSERT INTO sms_messages (dedup_key, purpose, ref_id, grid_id, phone, params,
                                       status, attempts, next_try_at, created_at)
             SELECT $2 || r.phone, 'alert', $1, MIN(r.grid_id), r.phone, $3, 'queued', 0, $4, $4
             FROM residents r JOIN alert_grids ag ON ag.alert_id = $1 AND ag.grid_id = r.grid_id
             WHERE LENGTH(r.phone) = 11 AND r.phone LIKE '1%' AND NOT {OPENED_IN_APP}
             GROUP BY r.phone
             ON CONFLICT (dedup_key) DO NOTHING"
        ))
        .bind(alert)
        .bind(format!("alert:{alert}:"))
        .bind(params)
        .bind(now)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        sqlx::query("UPDATE alerts SET sms_planned_at = $1 WHERE id = $2")
            .bind(now)
            .bind(alert)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(n)
    }

    /// Queued messages whose time has come, oldest first.
    pub async fn due_sms(&self, now: i64, limit: i64) -> Result<Vec<DueSms>, sqlx::Error> {
        let rows = sqlx::query(&format!(
            "SELECT id, phone, params, attempts FROM sms_messages
             WHERE status = 'queued' AND next_try_at <= {now} ORDER BY id LIMIT {limit}"
        ))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(DueSms {
                    id: r.try_get("id")?,
                    phone: r.try_get("phone")?,
                    params: r.try_get("params")?,
                    attempts: r.try_get("attempts")?,
                })
            })
            .collect()
    }

    /// Records the provider's answer per message: handed over with its id, or
    /// refused with its code; one statement for the handed ones (their ids bound, one
    /// `CASE` arm per message) and one per refusal code.
    pub async fn sms_handed(
        &self,
        provider: &str,
        list: &[Handed],
        now: i64,
    ) -> Result<(), sqlx::Error> {
        let mut handed: Vec<(i64, &str)> = Vec::new();
        let mut refused: HashMap<&str, Vec<i64>> = HashMap::new();
        for h in list {
            match &h.result {
                Ok(pid) => handed.push((h.id, pid.as_str())),
                Err(code) => refused.entry(code.as_str()).or_default().push(h.id),
            }
        }
        let mut tx = self.pool.begin().await?;
        if !handed.is_empty() {
            let arms: String = handed
                .iter()
                .enumerate()
                .map(|(i, (id, _))| format!(" WHEN {id} THEN ${}", i + 3))
                .collect();
            let ids: Vec<i64> = handed.iter().map(|h| h.0).collect();
            let sql = format!(
                "UPDATE sms_messages SET status = 'sent', provider = $1, sent_at = $2,
                 attempts = attempts + 1, error = '', provider_id = CASE id{arms} END WHERE {}",
                ids_in(&ids)
            );
            let mut q = sqlx::query(&sql).bind(provider).bind(now);
            for (_, pid) in &handed {
                q = q.bind(*pid);
            }
            q.execute(&mut *tx).await?;
        }
        for (code, ids) in refused {
            sqlx::query(&format!(
                "UPDATE sms_messages SET status = 'refused', provider = $1, error = $2,
                 attempts = attempts + 1 WHERE {}",
                ids_in(&ids)
            ))
            .bind(provider)
            .bind(code)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await
    }

    /// The whole request was refused for good: each message refused with its code.
    pub async fn sms_refused(
        &self,
        provider: &str,
        ids: &[i64],
        code: &str,
        now: i64,
    ) -> Result<(), sqlx::Error> {
        let list: Vec<Handed> = ids
            .iter()
            .map(|&id| Handed {
                id,
                result: Err(code.to_owned()),
            })
            .collect();
        self.sms_handed(provider, &list, now).await
    }

    /// The provider said "later": tried again at `at`.
    pub async fn sms_retry(&self, ids: &[i64], code: &str, at: i64) -> Result<(), sqlx::Error> {
        sqlx::query(&format!(
            "UPDATE sms_messages SET attempts = attempts + 1, error = $1, next_try_at = $2
             WHERE {}",
            ids_in(ids)
        ))
        .bind(code)
        .bind(at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Delivery receipts from `provider`: each message found by the provider's id and
    /// its number becomes delivered or undelivered (a receipt pushed twice changes
    /// nothing more).
    pub async fn sms_receipts(
        &self,
        provider: &str,
        list: &[Receipt],
        now: i64,
    ) -> Result<(), sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        for r in list {
            sqlx::query(
                "UPDATE sms_messages SET status = $1, error = $2, receipt_at = $3
                 WHERE provider = $4 AND provider_id = $5 AND phone = $6
                   AND status IN ('sent', 'delivered', 'undelivered')",
            )
            .bind(if r.delivered {
                "delivered"
            } else {
                "undelivered"
            })
            .bind(if r.delivered { "" } else { r.code.as_str() })
            .bind(now)
            .bind(provider)
            .bind(&r.provider_id)
            .bind(&r.phone)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await
    }

    /// Per grid: the alert's messages handed over, delivered and failed.
    pub async fn alert_sms_figures(
        &self,
        alert: i64,
    ) -> Result<HashMap<GridId, SmsFigures>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT grid_id,
                    COUNT(CASE WHEN status IN ('sent', 'delivered', 'undelivered') THEN 1 END) AS sent,
                    COUNT(CASE WHEN status = 'delivered' THEN 1 END) AS delivered,
                    COUNT(CASE WHEN status IN ('refused', 'undelivered') THEN 1 END) AS failed
             FROM sms_messages WHERE purpose = 'alert' AND ref_id = $1 AND grid_id IS NOT NULL
             GROUP BY grid_id",
        )
        .bind(alert)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    GridId(r.try_get("grid_id")?),
                    SmsFigures {
                        sent: r.try_get("sent")?,
                        delivered: r.try_get("delivered")?,
                        failed: r.try_get("failed")?,
                    },
                ))
            })
            .collect()
    }

    /// Per grid: registered residents of the alert's grids reached no way yet — not
    /// opened in the app, no SMS delivered to their number, not reached in person.
    pub async fn alert_unreached(&self, alert: i64) -> Result<HashMap<GridId, i64>, sqlx::Error> {
        let rows = sqlx::query(&format!(
            "SELECT r.grid_id, COUNT(*) AS n
             FROM residents r JOIN alert_grids ag ON ag.alert_id = $1 AND ag.grid_id = r.grid_id
             WHERE NOT {OPENED_IN_APP}
               AND NOT EXISTS (
                 SELECT 1 FROM sms_messages s WHERE s.purpose = 'alert' AND s.ref_id = $1
                   AND s.phone = r.phone AND s.status = 'delivered')
               AND NOT EXISTS (
                 SELECT 1 FROM alert_followups f WHERE f.alert_id = $1 AND f.resident_id = r.id
                   AND f.outcome <> 'not_reached')
             GROUP BY r.grid_id"
        ))
        .bind(alert)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| Ok((GridId(r.try_get("grid_id")?), r.try_get("n")?)))
            .collect()
    }

    /// The last refusal code of the alert's messages, if any (shown to the sender).
    pub async fn alert_sms_error(&self, alert: i64) -> Result<Option<String>, sqlx::Error> {
        sqlx::query_scalar(
            "SELECT error FROM sms_messages WHERE purpose = 'alert' AND ref_id = $1 AND error <> ''
             ORDER BY id DESC LIMIT 1",
        )
        .bind(alert)
        .fetch_optional(&self.pool)
        .await
    }
}

pub(crate) fn ids_in(ids: &[i64]) -> String {
    if ids.is_empty() {
        return "1 = 0".into();
    }
    let list: Vec<String> = ids.iter().map(i64::to_string).collect();
    format!("id IN ({})", list.join(","))
}
