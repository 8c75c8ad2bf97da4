//! The seniors' council (闲事会): concerns, supports, the agenda and outcomes.
use super::Db;
use app::domain::council::{Concern, ConcernId, ConcernInput, ConcernStatus};
use app::domain::grid::GridId;
use app::domain::ticket::TicketId;
use app::domain::user::UserId;
use sqlx::Row;

/// A concern's facts the service decides on.
#[derive(Debug, Clone)]
pub struct ConcernFacts {
    pub raised_by: UserId,
    pub grid: GridId,
    pub title: String,
    pub body: String,
    pub status: ConcernStatus,
}

impl Db {
    pub async fn insert_concern(
        &self,
        by: UserId,
        c: &ConcernInput,
        now: i64,
    ) -> Result<ConcernId, sqlx::Error> {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO concerns (raised_by, grid_id, title, body, created_at, status)
             VALUES ($1, $2, $3, $4, $5, 'open') RETURNING id",
        )
        .bind(by.0)
        .bind(c.grid.0)
        .bind(c.title.trim())
        .bind(c.body.trim())
        .bind(now)
        .fetch_one(&self.pool)
        .await?;
        Ok(ConcernId(id))
    }

    /// Every concern not decided, and those decided since `since`, with the raiser's
    /// full name (the service masks it) and `viewer`'s own relation to each.
    pub async fn concerns(
        &self,
        viewer: Option<UserId>,
        since: i64,
    ) -> Result<Vec<Concern>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT c.id, c.grid_id, g.name AS grid_name, c.title, c.body, u.name AS raiser,
                    c.raised_by, c.created_at, c.status, c.supporters, c.meeting_date,
                    c.outcome, c.ticket_id,
                    (SELECT COUNT(*) FROM concern_supports s
                      WHERE s.concern_id = c.id AND s.user_id = $1) AS supported
             FROM concerns c JOIN grids g ON g.id = c.grid_id JOIN users u ON u.id = c.raised_by
             WHERE c.status <> 'decided' OR c.decided_at >= $2
             ORDER BY c.id",
        )
        .bind(viewer.map(|v| v.0).unwrap_or(0))
        .bind(since)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let raised_by: i64 = r.try_get("raised_by")?;
                Ok(Concern {
                    id: ConcernId(r.try_get("id")?),
                    grid: GridId(r.try_get("grid_id")?),
                    grid_name: r.try_get("grid_name")?,
                    title: r.try_get("title")?,
                    body: r.try_get("body")?,
                    raised_by: r.try_get("raiser")?,
                    created_at: r.try_get("created_at")?,
                    status: ConcernStatus::parse(&r.try_get::<String, _>("status")?)
                        .unwrap_or(ConcernStatus::Open),
                    supporters: u32::try_from(r.try_get::<i64, _>("supporters")?).unwrap_or(0),
                    meeting_date: r.try_get("meeting_date")?,
                    outcome: r.try_get("outcome")?,
                    ticket: r.try_get::<Option<i64>, _>("ticket_id")?.map(TicketId),
                    mine: viewer.map(|v| v.0) == Some(raised_by),
                    supported: r.try_get::<i64, _>("supported")? > 0,
                })
            })
            .collect()
    }

    pub async fn concern_facts(&self, id: ConcernId) -> Result<Option<ConcernFacts>, sqlx::Error> {
        let row = sqlx::query(
            "SELECT raised_by, grid_id, title, body, status FROM concerns WHERE id = $1",
        )
        .bind(id.0)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            Ok(ConcernFacts {
                raised_by: UserId(r.try_get("raised_by")?),
                grid: GridId(r.try_get("grid_id")?),
                title: r.try_get("title")?,
                body: r.try_get("body")?,
                status: ConcernStatus::parse(&r.try_get::<String, _>("status")?)
                    .unwrap_or(ConcernStatus::Open),
            })
        })
        .transpose()
    }

    /// Adds or takes back `user`'s support of a concern not yet decided; answers the
    /// new count, or `None` when there is no such undecided concern. The count is
    /// recomputed from the supports in the same transaction, so it never drifts.
    pub async fn support_concern(
        &self,
        id: ConcernId,
        user: UserId,
        on: bool,
        now: i64,
    ) -> Result<Option<u32>, sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        // Writing the concern's row first serialises supports of one concern.
        let open = sqlx::query(
            "UPDATE concerns SET supporters = supporters WHERE id = $1 AND status <> 'decided'",
        )
        .bind(id.0)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if open == 0 {
            return Ok(None);
        }
        if on {
            sqlx::query(
                "INSERT INTO concern_supports (concern_id, user_id, at) VALUES ($1, $2, $3)
                 ON CONFLICT (concern_id, user_id) DO NOTHING",
            )
            .bind(id.0)
            .bind(user.0)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        } else {
            sqlx::query("DELETE FROM concern_supports WHERE concern_id = $1 AND user_id = $2")
                .bind(id.0)
                .bind(user.0)
                .execute(&mut *tx)
                .await?;
        }
        let n: i64 = sqlx::query_scalar(
            "UPDATE concerns SET supporters =
                (SELECT COUNT(*) FROM concern_supports WHERE concern_id = $1)
             WHERE id = $1 RETURNING supporters",
        )
        .bind(id.0)
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(Some(u32::try_from(n).unwrap_or(0)))
    }

    /// Puts an undecided concern on the agenda of the meeting on `date`; false when
    /// it is decided already (or gone).
    pub async fn schedule_concern(&self, id: ConcernId, date: &str) -> Result<bool, sqlx::Error> {
        Ok(sqlx::query(
            "UPDATE concerns SET status = 'agenda', meeting_date = $2
             WHERE id = $1 AND status <> 'decided'",
        )
        .bind(id.0)
        .bind(date)
        .execute(&self.pool)
        .await?
        .rows_affected()
            == 1)
    }

    /// Records the outcome of a concern on the agenda; false when it is not (any
    /// more) on the agenda, so two coordinators cannot both decide it.
    pub async fn decide_concern(
        &self,
        id: ConcernId,
        outcome: &str,
        by: UserId,
        now: i64,
    ) -> Result<bool, sqlx::Error> {
        Ok(sqlx::query(
            "UPDATE concerns SET status = 'decided', outcome = $2, decided_by = $3, decided_at = $4
             WHERE id = $1 AND status = 'agenda'",
        )
        .bind(id.0)
        .bind(outcome.trim())
        .bind(by.0)
        .bind(now)
        .execute(&self.pool)
        .await?
        .rows_affected()
            == 1)
    }

    pub async fn link_concern_ticket(
        &self,
        id: ConcernId,
        ticket: TicketId,
    ) -> Result<(), sqlx::Error> {
        sqlx::query("UPDATE concerns SET ticket_id = $2 WHERE id = $1")
            .bind(id.0)
            .bind(ticket.0)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Takes a decision back when its ticket could not be written.
    pub async fn undecide_concern(&self, id: ConcernId) -> Result<(), sqlx::Error> {
        sqlx::query(
            "UPDATE concerns SET status = 'agenda', outcome = NULL, decided_by = NULL,
                decided_at = NULL WHERE id = $1",
        )
        .bind(id.0)
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}
