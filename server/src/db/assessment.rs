//! The assessment ledger (append-only) and the ticket facts a month is scored from.
use super::Db;
use app::domain::assessment::{AppealDecision, AppealView, EntryKind, EntryView};
use app::domain::grid::GridId;
use app::domain::ticket::Rating;
use app::domain::user::UserId;
use sqlx::Row;
use std::collections::HashMap;

/// An entry to append; its key makes a repeated run a no-op.
#[derive(Debug, Clone)]
pub struct NewEntry {
    pub worker: UserId,
    pub month: String,
    pub kind: EntryKind,
    pub points: i64,
    pub reason: String,
    pub ticket: Option<i64>,
    pub key: String,
    pub by: Option<UserId>,
    /// The entry a correction cancels.
    pub corrects: Option<i64>,
}

/// One ledger row, as an appeal needs it.
#[derive(Debug, Clone)]
pub struct LedgerRow {
    pub worker: UserId,
    pub month: String,
    pub kind: EntryKind,
    pub points: i64,
    pub by: Option<UserId>,
    pub corrected: bool,
}

/// An appeal as its decision needs it.
#[derive(Debug, Clone)]
pub struct AppealRow {
    pub entry: i64,
    pub worker: UserId,
    pub month: String,
    pub decided: bool,
}

/// A case closed in the month: its clocks, for the late-case cards.
#[derive(Debug, Clone, Copy)]
pub struct CaseClocks {
    pub ticket: i64,
    pub worker: UserId,
    pub created_at: i64,
    pub accepted_at: Option<i64>,
    pub resolved_at: i64,
    pub resolve_min: i64,
}

/// A staff post's community: a grid's parent, or the community itself.
const COMMUNITY: &str = "MIN(CASE WHEN g.level = 3 THEN g.parent_id ELSE g.id END)";

/// Appeals with their entries and workers.
const APPEALS_SQL: &str = "SELECT a.id, a.entry_id, a.worker_id, u.name, l.kind, l.points,
    l.reason AS entry_reason, a.reason, a.created_at, a.decision, a.decision_reason
    FROM assessment_appeals a JOIN assessment_ledger l ON l.id = a.entry_id
    JOIN users u ON u.id = a.worker_id";

fn kind_of(s: &str) -> Result<EntryKind, sqlx::Error> {
    EntryKind::parse(s).ok_or_else(|| sqlx::Error::Decode("bad ledger kind".into()))
}

const INSERT_ENTRY: &str = "INSERT INTO assessment_ledger (worker_id, month, kind, points,
    reason, ticket_id, idem_key, created_by, created_at, corrects)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (idem_key) DO NOTHING";

impl Db {
    /// Appends entries whose keys are new; returns how many were new.
    pub async fn append_entries(&self, entries: &[NewEntry], now: i64) -> Result<u64, sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        let mut added = 0;
        for e in entries {
            added += sqlx::query(INSERT_ENTRY)
                .bind(e.worker.0)
                .bind(&e.month)
                .bind(e.kind.as_str())
                .bind(e.points)
                .bind(&e.reason)
                .bind(e.ticket)
                .bind(&e.key)
                .bind(e.by.map(|u| u.0))
                .bind(now)
                .bind(e.corrects)
                .execute(&mut *tx)
                .await?
                .rows_affected();
        }
        tx.commit().await?;
        Ok(added)
    }

    /// A month's entries, per worker, oldest first, each marked if a correction
    /// cancelled it (appeals are attached by the caller).
    pub async fn entries(
        &self,
        month: &str,
        worker: Option<UserId>,
    ) -> Result<Vec<(UserId, EntryView)>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT id, worker_id, kind, points, reason, ticket_id, created_at, corrects
             FROM assessment_ledger
             WHERE month = $1 AND ($2 = 0 OR worker_id = $2) ORDER BY id",
        )
        .bind(month)
        .bind(worker.map_or(0, |u| u.0))
        .fetch_all(&self.pool)
        .await?;
        let mut out = rows
            .iter()
            .map(|r| {
                let kind: String = r.try_get("kind")?;
                Ok((
                    UserId(r.try_get("worker_id")?),
                    EntryView {
                        id: r.try_get("id")?,
                        kind: kind_of(&kind)?,
                        points: r.try_get("points")?,
                        reason: r.try_get("reason")?,
                        ticket: r.try_get("ticket_id")?,
                        at_ms: r.try_get("created_at")?,
                        corrects: r.try_get("corrects")?,
                        corrected: false,
                        appeal: None,
                        appealable: false,
                    },
                ))
            })
            .collect::<Result<Vec<_>, sqlx::Error>>()?;
        let cancelled: std::collections::HashSet<i64> =
            out.iter().filter_map(|(_, e)| e.corrects).collect();
        for (_, e) in &mut out {
            e.corrected = cancelled.contains(&e.id);
        }
        Ok(out)
    }

    /// One ledger entry.
    pub async fn ledger_entry(&self, id: i64) -> Result<Option<LedgerRow>, sqlx::Error> {
        let Some(r) = sqlx::query(
            "SELECT worker_id, month, kind, points, created_by,
                    (SELECT COUNT(*) FROM assessment_ledger c WHERE c.corrects = l.id) AS corrections
             FROM assessment_ledger l WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        else {
            return Ok(None);
        };
        let kind: String = r.try_get("kind")?;
        Ok(Some(LedgerRow {
            worker: UserId(r.try_get("worker_id")?),
            month: r.try_get("month")?,
            kind: kind_of(&kind)?,
            points: r.try_get("points")?,
            by: r.try_get::<Option<i64>, _>("created_by")?.map(UserId),
            corrected: r.try_get::<i64, _>("corrections")? > 0,
        }))
    }

    /// Each grid worker's community (a worker posted in two takes the first).
    pub async fn worker_communities(&self) -> Result<HashMap<UserId, GridId>, sqlx::Error> {
        let rows = sqlx::query(&format!(
            "SELECT s.user_id, {COMMUNITY} AS community FROM grid_staff s
             JOIN grids g ON g.id = s.grid_id GROUP BY s.user_id"
        ))
        .fetch_all(&self.pool)
        .await?;
        let mut out = HashMap::new();
        for r in &rows {
            if let Some(c) = r.try_get::<Option<i64>, _>("community")? {
                out.insert(UserId(r.try_get("user_id")?), GridId(c));
            }
        }
        Ok(out)
    }

    /// The communities whose month is published: community → end of its appeal window.
    pub async fn published(&self, month: &str) -> Result<HashMap<GridId, i64>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT community_id, appeal_until FROM assessment_months WHERE month = $1",
        )
        .bind(month)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    GridId(r.try_get("community_id")?),
                    r.try_get("appeal_until")?,
                ))
            })
            .collect()
    }

    /// Publishes a community's month; false when it already was.
    pub async fn publish_month(
        &self,
        community: GridId,
        month: &str,
        by: UserId,
        now: i64,
        until: i64,
    ) -> Result<bool, sqlx::Error> {
        let n = sqlx::query(
            "INSERT INTO assessment_months (community_id, month, published_by, published_at,
             appeal_until) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (community_id, month) DO NOTHING",
        )
        .bind(community.0)
        .bind(month)
        .bind(by.0)
        .bind(now)
        .bind(until)
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok(n == 1)
    }

    /// A month's appeals, oldest first, with the worker each belongs to.
    pub async fn appeals(&self, month: &str) -> Result<Vec<(UserId, AppealView)>, sqlx::Error> {
        let rows = sqlx::query(&format!("{APPEALS_SQL} WHERE a.month = $1 ORDER BY a.id"))
            .bind(month)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                let kind: String = r.try_get("kind")?;
                let decision: Option<String> = r.try_get("decision")?;
                Ok((
                    UserId(r.try_get("worker_id")?),
                    AppealView {
                        id: r.try_get("id")?,
                        entry: r.try_get("entry_id")?,
                        worker: r.try_get("name")?,
                        kind: kind_of(&kind)?,
                        points: r.try_get("points")?,
                        entry_reason: r.try_get("entry_reason")?,
                        reason: r.try_get("reason")?,
                        at_ms: r.try_get("created_at")?,
                        decision: decision.as_deref().and_then(AppealDecision::parse),
                        decision_reason: r.try_get("decision_reason")?,
                    },
                ))
            })
            .collect()
    }

    /// Files an appeal; false when the entry already has one.
    pub async fn add_appeal(
        &self,
        entry: i64,
        row: &LedgerRow,
        reason: &str,
        now: i64,
    ) -> Result<bool, sqlx::Error> {
        let n = sqlx::query(
            "INSERT INTO assessment_appeals (entry_id, worker_id, month, reason, created_at)
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (entry_id) DO NOTHING",
        )
        .bind(entry)
        .bind(row.worker.0)
        .bind(&row.month)
        .bind(reason)
        .bind(now)
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok(n == 1)
    }

    pub async fn appeal_row(&self, id: i64) -> Result<Option<AppealRow>, sqlx::Error> {
        let Some(r) = sqlx::query(
            "SELECT entry_id, worker_id, month, decision FROM assessment_appeals WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        else {
            return Ok(None);
        };
        Ok(Some(AppealRow {
            entry: r.try_get("entry_id")?,
            worker: UserId(r.try_get("worker_id")?),
            month: r.try_get("month")?,
            decided: r.try_get::<Option<String>, _>("decision")?.is_some(),
        }))
    }

    /// Records a decision and, for an upheld appeal, its correction, in one
    /// transaction; false when somebody decided it first.
    pub async fn decide_appeal(
        &self,
        appeal: i64,
        decision: AppealDecision,
        reason: &str,
        by: UserId,
        now: i64,
        correction: Option<&NewEntry>,
    ) -> Result<bool, sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        let n = sqlx::query(
            "UPDATE assessment_appeals SET decision = $1, decision_reason = $2, decided_by = $3,
             decided_at = $4 WHERE id = $5 AND decision IS NULL",
        )
        .bind(decision.as_str())
        .bind(reason)
        .bind(by.0)
        .bind(now)
        .bind(appeal)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if n != 1 {
            return Ok(false);
        }
        if let Some(e) = correction {
            sqlx::query(INSERT_ENTRY)
                .bind(e.worker.0)
                .bind(&e.month)
                .bind(e.kind.as_str())
                .bind(e.points)
                .bind(&e.reason)
                .bind(e.ticket)
                .bind(&e.key)
                .bind(e.by.map(|u| u.0))
                .bind(now)
                .bind(e.corrects)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    /// Grid communities' names (levels 1 and 2).
    pub async fn community_names(&self) -> Result<HashMap<GridId, String>, sqlx::Error> {
        let rows = sqlx::query("SELECT id, name FROM grids WHERE level < 3")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| Ok((GridId(r.try_get("id")?), r.try_get("name")?)))
            .collect()
    }

    /// Grid workers of a community (`None`: every one in the street), by name:
    /// (id, name, community).
    pub async fn assessed_staff(
        &self,
        community: Option<GridId>,
    ) -> Result<Vec<(UserId, String, GridId)>, sqlx::Error> {
        let rows = sqlx::query(&format!(
            "SELECT u.id, u.name, {COMMUNITY} AS community FROM users u
             JOIN grid_staff s ON s.user_id = u.id JOIN grids g ON g.id = s.grid_id
             WHERE u.role = 'grid_worker' AND ($1 = 0 OR g.parent_id = $1 OR g.id = $1)
             GROUP BY u.id, u.name ORDER BY u.name, u.id"
        ))
        .bind(community.map_or(0, |g| g.0))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    UserId(r.try_get("id")?),
                    r.try_get("name")?,
                    GridId(r.try_get("community")?),
                ))
            })
            .collect()
    }

    /// Cases whose latest closing step fell in [from, to), credited to their grid worker
    /// (the responsible person, else whoever closed them), with their clocks.
    pub async fn closed_cases(&self, from: i64, to: i64) -> Result<Vec<CaseClocks>, sqlx::Error> {
        let rows = sqlx::query(&format!(
            "SELECT t.id, t.created_at, t.resolved_at, c.resolve_min,
                    COALESCE(t.assignee_id, t.resolved_by) AS worker,
                    (SELECT MIN(e.at) FROM ticket_events e WHERE e.ticket_id = t.id
                       AND e.kind IN ('accept', 'resolve', 'resolve_partly', 'not_ours')) AS accepted_at
             FROM tickets t JOIN categories c ON c.id = t.category_id
             JOIN users u ON u.id = COALESCE(t.assignee_id, t.resolved_by)
             WHERE t.resolved_at >= {from} AND t.resolved_at < {to} AND u.role = 'grid_worker'
               AND t.status IN ('checking', 'resolved', 'closed')"
        ))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(CaseClocks {
                    ticket: r.try_get("id")?,
                    worker: UserId(r.try_get("worker")?),
                    created_at: r.try_get("created_at")?,
                    accepted_at: r.try_get("accepted_at")?,
                    resolved_at: r.try_get("resolved_at")?,
                    resolve_min: r.try_get("resolve_min")?,
                })
            })
            .collect()
    }

    /// Fixes sent back at the check in [from, to): (event id, ticket, the grid worker
    /// whose closing step it sent back, when).
    pub async fn sent_back(
        &self,
        from: i64,
        to: i64,
    ) -> Result<Vec<(i64, i64, UserId, i64)>, sqlx::Error> {
        let rows = sqlx::query(&format!(
            "SELECT f.id, f.ticket_id, f.at,
                    (SELECT r.actor_id FROM ticket_events r WHERE r.ticket_id = f.ticket_id
                       AND r.id < f.id AND r.kind IN ('resolve', 'resolve_partly', 'not_ours')
                     ORDER BY r.id DESC LIMIT 1) AS worker
             FROM ticket_events f
             WHERE f.kind = 'fail_check' AND f.at >= {from} AND f.at < {to}"
        ))
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::new();
        for r in &rows {
            if let Some(w) = r.try_get::<Option<i64>, _>("worker")? {
                out.push((
                    r.try_get("id")?,
                    r.try_get("ticket_id")?,
                    UserId(w),
                    r.try_get("at")?,
                ));
            }
        }
        Ok(out)
    }

    /// Valid tickets grid workers found and filed themselves in [from, to) (taken up,
    /// not rejected nor merged; a 代报 is the resident's, not found): (ticket, worker).
    pub async fn found_by_staff(
        &self,
        from: i64,
        to: i64,
    ) -> Result<Vec<(i64, UserId)>, sqlx::Error> {
        let rows = sqlx::query(&format!(
            "SELECT t.id, t.reporter_id FROM tickets t JOIN users u ON u.id = t.reporter_id
             WHERE t.created_at >= {from} AND t.created_at < {to} AND u.role = 'grid_worker'
               AND t.proxy_phone IS NULL
               AND t.status IN ('in_progress', 'checking', 'resolved', 'closed')"
        ))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("id")?, UserId(r.try_get("reporter_id")?))))
            .collect()
    }

    /// Ratings a person gave in [from, to) on fixes each worker resolved: (worker,
    /// rating).
    pub async fn ratings_by_resolver(
        &self,
        from: i64,
        to: i64,
    ) -> Result<Vec<(UserId, Rating)>, sqlx::Error> {
        let rows = sqlx::query(&format!(
            "SELECT resolved_by, rating FROM tickets
             WHERE rated_at >= {from} AND rated_at < {to} AND resolved_by IS NOT NULL
               AND rating IS NOT NULL AND rating <> 'no_answer'"
        ))
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::new();
        for r in &rows {
            let rating: String = r.try_get("rating")?;
            if let Some(rating) = Rating::parse(&rating) {
                out.push((UserId(r.try_get("resolved_by")?), rating));
            }
        }
        Ok(out)
    }
}

/// Rule sets as data: the draft and the versions adopted.
impl Db {
    /// Versions adopted, oldest first: (from month, rules, who, when).
    pub async fn rule_versions(
        &self,
    ) -> Result<Vec<(String, app::domain::assessment::RuleSet, String, i64)>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT r.from_month, r.rules, u.name, r.created_at FROM assessment_rules r
             JOIN users u ON u.id = r.created_by WHERE r.draft = 0 ORDER BY r.from_month, r.id",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let json: String = r.try_get("rules")?;
            let rules = serde_json::from_str(&json).map_err(|e| sqlx::Error::Decode(e.into()))?;
            out.push((
                r.try_get("from_month")?,
                rules,
                r.try_get("name")?,
                r.try_get("created_at")?,
            ));
        }
        Ok(out)
    }

    pub async fn rule_draft(
        &self,
    ) -> Result<Option<app::domain::assessment::RuleSet>, sqlx::Error> {
        let json: Option<String> = sqlx::query_scalar(
            "SELECT rules FROM assessment_rules WHERE draft = 1 ORDER BY id DESC LIMIT 1",
        )
        .fetch_optional(&self.pool)
        .await?;
        json.map(|j| serde_json::from_str(&j).map_err(|e| sqlx::Error::Decode(e.into())))
            .transpose()
    }

    /// Replaces the draft.
    pub async fn save_rule_draft(
        &self,
        rules: &app::domain::assessment::RuleSet,
        by: UserId,
        now: i64,
    ) -> Result<(), sqlx::Error> {
        let json = serde_json::to_string(rules).map_err(|e| sqlx::Error::Encode(e.into()))?;
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM assessment_rules WHERE draft = 1")
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO assessment_rules (from_month, rules, draft, created_by, created_at)
             VALUES ('', $1, 1, $2, $3)",
        )
        .bind(json)
        .bind(by.0)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        tx.commit().await
    }

    /// The draft becomes the version in force from `from_month`; `false` without one.
    pub async fn adopt_rule_draft(
        &self,
        from_month: &str,
        by: UserId,
        now: i64,
    ) -> Result<bool, sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        let json: Option<String> = sqlx::query_scalar(
            "SELECT rules FROM assessment_rules WHERE draft = 1 ORDER BY id DESC LIMIT 1",
        )
        .fetch_optional(&mut *tx)
        .await?;
        let Some(json) = json else {
            return Ok(false);
        };
        sqlx::query(
            "INSERT INTO assessment_rules (from_month, rules, draft, created_by, created_at)
             VALUES ($1, $2, 0, $3, $4)",
        )
        .bind(from_month)
        .bind(json)
        .bind(by.0)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM assessment_rules WHERE draft = 1")
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(true)
    }
}
