//! The assessment ledger (append-only) and the ticket facts a month is scored from.
use super::Db;
use app::domain::assessment::{EntryKind, EntryView};
use app::domain::grid::GridId;
use app::domain::ticket::Rating;
use app::domain::user::UserId;
use sqlx::Row;

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

/// The grid workers a scope holds (`None`: the street): (id, name), by name.
const STAFF_SQL: &str = "SELECT DISTINCT u.id, u.name FROM users u
    JOIN grid_staff s ON s.user_id = u.id JOIN grids g ON g.id = s.grid_id
    WHERE u.role = 'grid_worker' AND ($1 = 0 OR g.parent_id = $1 OR g.id = $1)
    ORDER BY u.name, u.id";

impl Db {
    /// Appends entries whose keys are new; returns how many were new.
    pub async fn append_entries(&self, entries: &[NewEntry], now: i64) -> Result<u64, sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        let mut added = 0;
        for e in entries {
            added += sqlx::query(
                "INSERT INTO assessment_ledger (worker_id, month, kind, points, reason, ticket_id,
                 idem_key, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                 ON CONFLICT (idem_key) DO NOTHING",
            )
            .bind(e.worker.0)
            .bind(&e.month)
            .bind(e.kind.as_str())
            .bind(e.points)
            .bind(&e.reason)
            .bind(e.ticket)
            .bind(&e.key)
            .bind(e.by.map(|u| u.0))
            .bind(now)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        }
        tx.commit().await?;
        Ok(added)
    }

    /// A month's entries, per worker, oldest first.
    pub async fn entries(
        &self,
        month: &str,
        worker: Option<UserId>,
    ) -> Result<Vec<(UserId, EntryView)>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT worker_id, kind, points, reason, ticket_id, created_at FROM assessment_ledger
             WHERE month = $1 AND ($2 = 0 OR worker_id = $2) ORDER BY id",
        )
        .bind(month)
        .bind(worker.map_or(0, |u| u.0))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let kind: String = r.try_get("kind")?;
                Ok((
                    UserId(r.try_get("worker_id")?),
                    EntryView {
                        kind: EntryKind::parse(&kind)
                            .ok_or_else(|| sqlx::Error::Decode("bad ledger kind".into()))?,
                        points: r.try_get("points")?,
                        reason: r.try_get("reason")?,
                        ticket: r.try_get("ticket_id")?,
                        at_ms: r.try_get("created_at")?,
                    },
                ))
            })
            .collect()
    }

    /// Grid workers of a community (`None`: every one in the street): (id, name).
    pub async fn assessed_staff(
        &self,
        community: Option<GridId>,
    ) -> Result<Vec<(UserId, String)>, sqlx::Error> {
        let rows = sqlx::query(STAFF_SQL)
            .bind(community.map_or(0, |g| g.0))
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| Ok((UserId(r.try_get("id")?), r.try_get("name")?)))
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
