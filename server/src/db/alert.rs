//! Alerts, the grids they reach, receipts (delivered / opened / answered) and
//! in-person follow-ups.
use super::Db;
use super::resident::{in_list, tag_condition};
use app::domain::alert::{
    Alert, AlertId, AlertInput, Answer, Certainty, CoverageRow, Outcome, Severity, Urgency,
};
use app::domain::alert::{CapCategory, FollowUp};
use app::domain::grid::GridId;
use app::domain::resident::{ResidentId, Tag};
use app::domain::user::UserId;
use sqlx::Row;
use sqlx::any::AnyRow;
use std::collections::HashMap;

/// What a receipt write records; `None` leaves a field as it was.
#[derive(Debug, Clone, Default)]
pub struct Mark {
    pub opened: bool,
    pub answer: Option<Answer>,
    pub note: String,
    pub at: Option<(f64, f64)>,
}

/// A follow-up candidate as stored (phone unmasked; the service decides who sees it).
pub struct FollowUpRow {
    pub item: FollowUp,
    pub grid: GridId,
}

const ALERT_COLS: &str = "a.id, a.title, a.body, a.category, a.urgency, a.severity, a.certainty,
     a.area, a.sent_at, a.expires_at, a.follow_up_at, a.cancelled, u.name AS sender";

fn alert(r: &AnyRow) -> Result<Alert, sqlx::Error> {
    let bad = |what: &str| sqlx::Error::Decode(format!("alert {what}").into());
    let s = |c: &str| r.try_get::<String, _>(c);
    Ok(Alert {
        id: AlertId(r.try_get("id")?),
        title: s("title")?,
        body: s("body")?,
        category: CapCategory::parse(&s("category")?).ok_or_else(|| bad("category"))?,
        urgency: Urgency::parse(&s("urgency")?).ok_or_else(|| bad("urgency"))?,
        severity: Severity::parse(&s("severity")?).ok_or_else(|| bad("severity"))?,
        certainty: Certainty::parse(&s("certainty")?).ok_or_else(|| bad("certainty"))?,
        area: s("area")?,
        sent_at: r.try_get("sent_at")?,
        expires_at: r.try_get("expires_at")?,
        follow_up_at: r.try_get("follow_up_at")?,
        cancelled: r.try_get::<i64, _>("cancelled")? != 0,
        sender: s("sender")?,
        grids: vec![],
    })
}

impl Db {
    /// Stores an alert and the level-3 grids it reaches, in one transaction.
    pub async fn insert_alert(
        &self,
        i: &AlertInput,
        sender: UserId,
        area: &str,
        grids: &[GridId],
        now: i64,
    ) -> Result<AlertId, sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO alerts (title, body, category, urgency, severity, certainty, area,
                                 sender_id, sent_at, expires_at, follow_up_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
        )
        .bind(i.title.trim())
        .bind(i.body.trim())
        .bind(i.category.cap())
        .bind(i.urgency.cap())
        .bind(i.severity.cap())
        .bind(i.certainty.cap())
        .bind(area)
        .bind(sender.0)
        .bind(now)
        .bind(now + i.expires_in_min * 60_000)
        .bind(now + i.follow_up_after_min * 60_000)
        .fetch_one(&mut *tx)
        .await?;
        for g in grids {
            sqlx::query("INSERT INTO alert_grids (alert_id, grid_id) VALUES ($1, $2)")
                .bind(id)
                .bind(g.0)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(AlertId(id))
    }

    pub async fn cancel_alert(&self, id: AlertId) -> Result<(), sqlx::Error> {
        sqlx::query("UPDATE alerts SET cancelled = 1 WHERE id = $1")
            .bind(id.0)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Fills in each alert's grids.
    async fn with_grids(&self, mut list: Vec<Alert>) -> Result<Vec<Alert>, sqlx::Error> {
        if list.is_empty() {
            return Ok(list);
        }
        let ids: Vec<String> = list.iter().map(|a| a.id.0.to_string()).collect();
        let rows = sqlx::query(&format!(
            "SELECT alert_id, grid_id FROM alert_grids WHERE alert_id IN ({}) ORDER BY grid_id",
            ids.join(",")
        ))
        .fetch_all(&self.pool)
        .await?;
        let mut by: HashMap<i64, Vec<GridId>> = HashMap::new();
        for r in &rows {
            by.entry(r.try_get("alert_id")?)
                .or_default()
                .push(GridId(r.try_get("grid_id")?));
        }
        for a in &mut list {
            a.grids = by.remove(&a.id.0).unwrap_or_default();
        }
        Ok(list)
    }

    pub async fn alert(&self, id: AlertId) -> Result<Option<Alert>, sqlx::Error> {
        let row = sqlx::query(&format!(
            "SELECT {ALERT_COLS} FROM alerts a JOIN users u ON u.id = a.sender_id WHERE a.id = $1"
        ))
        .bind(id.0)
        .fetch_optional(&self.pool)
        .await?;
        let Some(r) = row else { return Ok(None) };
        Ok(self.with_grids(vec![alert(&r)?]).await?.pop())
    }

    /// Alerts sent since `since` (ms), reaching `home` (`None`: all), newest first.
    pub async fn alerts_since(
        &self,
        home: Option<GridId>,
        since: i64,
        after_id: i64,
        limit: i64,
    ) -> Result<Vec<Alert>, sqlx::Error> {
        let reach = match home {
            Some(g) => format!(
                "AND EXISTS (SELECT 1 FROM alert_grids ag WHERE ag.alert_id = a.id AND ag.grid_id = {})",
                g.0
            ),
            None => String::new(),
        };
        let rows = sqlx::query(&format!(
            "SELECT {ALERT_COLS} FROM alerts a JOIN users u ON u.id = a.sender_id
             WHERE a.sent_at >= $1 AND a.id > $2 {reach} ORDER BY a.id DESC LIMIT {limit}"
        ))
        .bind(since)
        .bind(after_id)
        .fetch_all(&self.pool)
        .await?;
        let list = rows.iter().map(alert).collect::<Result<Vec<_>, _>>()?;
        self.with_grids(list).await
    }

    /// A user's answers (and notes) to the given alerts.
    pub async fn answers(
        &self,
        user: UserId,
        ids: &[AlertId],
    ) -> Result<HashMap<AlertId, (Option<Answer>, String)>, sqlx::Error> {
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        let list: Vec<String> = ids.iter().map(|a| a.0.to_string()).collect();
        let rows = sqlx::query(&format!(
            "SELECT alert_id, answer, note FROM alert_receipts WHERE user_id = $1 AND alert_id IN ({})",
            list.join(",")
        ))
        .bind(user.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let answer: Option<String> = r.try_get("answer")?;
                Ok((
                    AlertId(r.try_get("alert_id")?),
                    (
                        answer.as_deref().and_then(Answer::parse),
                        r.try_get("note")?,
                    ),
                ))
            })
            .collect()
    }

    /// Records that a user's page got an alert, opened it or answered it. Times only
    /// ever fill in; a later answer replaces an earlier one. The nullable parameters
    /// are cast: PostgreSQL otherwise keeps the type a NULL was first prepared with.
    pub async fn mark_receipt(
        &self,
        alert: AlertId,
        user: UserId,
        home: Option<GridId>,
        m: &Mark,
        now: i64,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(
            "INSERT INTO alert_receipts (alert_id, user_id, grid_id, delivered_at, opened_at,
                                         answer, answered_at, note, lat, lng)
             VALUES ($1, $2, CAST($3 AS BIGINT), $4, CAST($5 AS BIGINT), CAST($6 AS TEXT),
                     CAST($7 AS BIGINT), $8,
                     CASE WHEN $11 = 1 THEN CAST($9 AS DOUBLE PRECISION) END,
                     CASE WHEN $11 = 1 THEN CAST($10 AS DOUBLE PRECISION) END)
             ON CONFLICT (alert_id, user_id) DO UPDATE SET
               opened_at = COALESCE(alert_receipts.opened_at, excluded.opened_at),
               answer = COALESCE(excluded.answer, alert_receipts.answer),
               answered_at = COALESCE(excluded.answered_at, alert_receipts.answered_at),
               note = CASE WHEN excluded.answer IS NULL THEN alert_receipts.note ELSE excluded.note END,
               lat = COALESCE(excluded.lat, alert_receipts.lat),
               lng = COALESCE(excluded.lng, alert_receipts.lng)",
        )
        .bind(alert.0)
        .bind(user.0)
        .bind(home.map(|g| g.0))
        .bind(now)
        .bind((m.opened || m.answer.is_some()).then_some(now))
        .bind(m.answer.map(|a| a.as_str().to_owned()))
        .bind(m.answer.map(|_| now))
        .bind(&m.note)
        // Never a NULL float: sqlx's Any driver declares a NULL float parameter with a
        // type PostgreSQL then keeps for the cached statement, refusing a later float.
        .bind(m.at.map_or(0.0, |p| p.0))
        .bind(m.at.map_or(0.0, |p| p.1))
        .bind(i64::from(m.at.is_some()))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Delivered / opened / confirmed / needing help per home grid (`None`: accounts
    /// the registry does not place).
    pub async fn receipt_counts(
        &self,
        alert: AlertId,
    ) -> Result<Vec<(Option<GridId>, CoverageRow)>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT grid_id, COUNT(*) AS delivered,
                    COUNT(opened_at) AS opened,
                    COUNT(CASE WHEN answer IN ('received', 'safe') THEN 1 END) AS confirmed,
                    COUNT(CASE WHEN answer = 'need_help' THEN 1 END) AS need_help
             FROM alert_receipts WHERE alert_id = $1 GROUP BY grid_id",
        )
        .bind(alert.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let grid = r.try_get::<Option<i64>, _>("grid_id")?.map(GridId);
                Ok((
                    grid,
                    CoverageRow {
                        grid,
                        delivered: r.try_get("delivered")?,
                        opened: r.try_get("opened")?,
                        confirmed: r.try_get("confirmed")?,
                        need_help: r.try_get("need_help")?,
                        ..CoverageRow::default()
                    },
                ))
            })
            .collect()
    }

    /// Residents reached in person (any outcome but "not reached") per grid.
    pub async fn reached_counts(
        &self,
        alert: AlertId,
    ) -> Result<HashMap<GridId, i64>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT r.grid_id, COUNT(*) AS n FROM alert_followups f
             JOIN residents r ON r.id = f.resident_id
             WHERE f.alert_id = $1 AND f.outcome <> 'not_reached' GROUP BY r.grid_id",
        )
        .bind(alert.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| Ok((GridId(r.try_get("grid_id")?), r.try_get("n")?)))
            .collect()
    }

    /// Vulnerable residents of the given grids, with their app answer to the alert
    /// and any in-person outcome.
    pub async fn follow_up_candidates(
        &self,
        alert: AlertId,
        grids: &[GridId],
    ) -> Result<Vec<FollowUpRow>, sqlx::Error> {
        let vulnerable: Vec<String> = Tag::ALL
            .into_iter()
            .filter(|t| t.vulnerable())
            .map(|t| tag_condition("r.tags", t))
            .collect();
        let rows = sqlx::query(&format!(
            "SELECT r.id, r.grid_id, g.name AS grid_name, b.name AS building, h.room, r.name,
                    r.phone, r.tags,
                    (SELECT x.answer FROM alert_receipts x JOIN users u ON u.id = x.user_id
                      WHERE x.alert_id = $1 AND u.phone = r.phone
                        AND u.phone_verified_at IS NOT NULL ORDER BY x.answered_at DESC
                      LIMIT 1) AS answer,
                    f.outcome, COALESCE(f.note, '') AS outcome_note,
                    COALESCE(fu.name, '') AS outcome_by
             FROM residents r
             JOIN households h ON h.id = r.household_id
             JOIN buildings b ON b.id = h.building_id
             JOIN grids g ON g.id = r.grid_id
             LEFT JOIN alert_followups f ON f.alert_id = $1 AND f.resident_id = r.id
             LEFT JOIN users fu ON fu.id = f.by_id
             WHERE {} AND ({})
             ORDER BY g.code, b.name, h.room, r.name",
            in_list("r.grid_id", grids),
            vulnerable.join(" OR ")
        ))
        .bind(alert.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let tags: String = r.try_get("tags")?;
                let answer: Option<String> = r.try_get("answer")?;
                let outcome: Option<String> = r.try_get("outcome")?;
                let building: String = r.try_get("building")?;
                let room: String = r.try_get("room")?;
                Ok(FollowUpRow {
                    grid: GridId(r.try_get("grid_id")?),
                    item: FollowUp {
                        resident: ResidentId(r.try_get("id")?),
                        name: r.try_get("name")?,
                        address: format!("{building} {room}"),
                        tags: Tag::split(&tags),
                        phone: r.try_get("phone")?,
                        grid_name: r.try_get("grid_name")?,
                        answer: answer.as_deref().and_then(Answer::parse),
                        outcome: outcome.as_deref().and_then(Outcome::parse),
                        outcome_note: r.try_get("outcome_note")?,
                        outcome_by: r.try_get("outcome_by")?,
                    },
                })
            })
            .collect()
    }

    /// Records (or replaces) what a worker found in person.
    pub async fn record_follow_up(
        &self,
        alert: AlertId,
        resident: ResidentId,
        outcome: Outcome,
        note: &str,
        by: UserId,
        now: i64,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(
            "INSERT INTO alert_followups (alert_id, resident_id, outcome, note, by_id, at)
             VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (alert_id, resident_id) DO UPDATE SET
               outcome = excluded.outcome, note = excluded.note, by_id = excluded.by_id, at = excluded.at",
        )
        .bind(alert.0)
        .bind(resident.0)
        .bind(outcome.as_str())
        .bind(note)
        .bind(by.0)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}
