//! Shifts: creating, listing, reading and calling off.
use super::{FACT_COLS, ShiftFacts, facts, save_rule, set_called_off};
use crate::db::{Db, u32_col};
use app::domain::grid::GridId;
use app::domain::shift::{SeriesRule, Shift, ShiftId, ShiftInput, ShiftKind, SignupState, ends_at};
use app::domain::user::UserId;
use sqlx::Row;
use sqlx::any::AnyRow;

const SHIFT_COLS: &str = "s.id, s.kind, s.grid_id, g.name AS grid_name, t.name AS team_name,
     s.title, s.place, s.starts_at, s.ends_at, s.capacity, s.taken, s.min_seats, s.note,
     s.cutoff_hours, s.cancelled,
     (SELECT COUNT(*) FROM shift_signups w WHERE w.shift_id = s.id AND w.state = 'waiting') AS waiting";
const SHIFT_FROM: &str = "FROM shifts s JOIN grids g ON g.id = s.grid_id
     LEFT JOIN teams t ON t.id = s.team_id";
/// The viewer's own sign-up (`$1` is the viewer).
const MINE_COLS: &str = "m.state AS my_state, m.checked_in_at AS my_in, m.checked_out_at AS my_out,
     (SELECT COUNT(*) FROM shift_signups q WHERE q.shift_id = s.id AND q.state = 'waiting'
        AND (q.queued_at < m.queued_at OR (q.queued_at = m.queued_at AND q.id <= m.id))) AS my_pos";
const MINE_JOIN: &str =
    "LEFT JOIN shift_signups m ON m.shift_id = s.id AND m.user_id = $1 AND m.state <> 'cancelled'";

fn shift(r: &AnyRow) -> Result<Shift, sqlx::Error> {
    let mine = r
        .try_get::<Option<String>, _>("my_state")?
        .and_then(|s| SignupState::parse(&s));
    Ok(Shift {
        id: ShiftId(r.try_get("id")?),
        kind: ShiftKind::parse(&r.try_get::<String, _>("kind")?).unwrap_or_default(),
        grid: GridId(r.try_get("grid_id")?),
        grid_name: r.try_get("grid_name")?,
        team: r.try_get("team_name")?,
        title: r.try_get("title")?,
        place: r.try_get("place")?,
        starts_at: r.try_get("starts_at")?,
        ends_at: r.try_get("ends_at")?,
        capacity: u32_col(r, "capacity")?,
        taken: u32_col(r, "taken")?,
        waiting: u32_col(r, "waiting")?,
        min_seats: u32_col(r, "min_seats")?,
        note: r.try_get("note")?,
        cutoff_hours: u32_col(r, "cutoff_hours")?,
        cancelled: r.try_get::<i64, _>("cancelled")? != 0,
        mine,
        my_position: (mine == Some(SignupState::Waiting))
            .then(|| u32_col(r, "my_pos"))
            .transpose()?,
        checked_in_at: r.try_get("my_in")?,
        checked_out_at: r.try_get("my_out")?,
    })
}

impl Db {
    /// Stores one shift per start time; a weekly rule's occurrences share a series
    /// (the first one's id), and the rule is stored with it.
    pub async fn insert_shifts(
        &self,
        i: &ShiftInput,
        starts: &[i64],
        tokens: &[String],
        by: UserId,
        now: i64,
    ) -> Result<Vec<ShiftId>, sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        let mut ids = Vec::with_capacity(starts.len());
        let mut series: Option<i64> = None;
        for (start, token) in starts.iter().zip(tokens) {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO shifts (kind, grid_id, team_id, series_id, title, place, starts_at,
                    ends_at, capacity, min_seats, note, cutoff_hours, checkin_token, created_by,
                    created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
                 RETURNING id",
            )
            .bind(i.kind.as_str())
            .bind(i.grid.0)
            .bind(i.team.map(|t| t.0))
            .bind(series)
            .bind(i.title.trim())
            .bind(i.place.trim())
            .bind(*start)
            .bind(ends_at(*start, i.minutes))
            .bind(i64::from(i.capacity))
            .bind(i64::from(i.min_seats))
            .bind(i.note.trim())
            .bind(i64::from(i.cutoff_hours))
            .bind(token)
            .bind(by.0)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            if let Some(rule) = &i.repeat
                && series.is_none()
            {
                sqlx::query("UPDATE shifts SET series_id = $1 WHERE id = $1")
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                let sr = SeriesRule {
                    first_start: i.starts_at,
                    rule: rule.clone(),
                };
                save_rule(&mut tx, id, &sr).await?;
                series = Some(id);
            }
            ids.push(ShiftId(id));
        }
        tx.commit().await?;
        Ok(ids)
    }

    /// Shifts starting in `[from, to)`, optionally in some grids, soonest first,
    /// each with `viewer`'s own sign-up.
    pub async fn shifts_between(
        &self,
        viewer: Option<UserId>,
        from: i64,
        to: i64,
        grids: Option<&[GridId]>,
    ) -> Result<Vec<Shift>, sqlx::Error> {
        let grid_sql = grids
            .map(|g| format!(" AND {}", crate::db::resident::in_list("s.grid_id", g)))
            .unwrap_or_default();
        let rows = sqlx::query(&format!(
            "SELECT {SHIFT_COLS}, {MINE_COLS} {SHIFT_FROM} {MINE_JOIN}
             WHERE s.starts_at >= $2 AND s.starts_at < $3{grid_sql}
             ORDER BY s.starts_at, s.id LIMIT 500"
        ))
        .bind(viewer.map_or(0, |u| u.0))
        .bind(from)
        .bind(to)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(shift).collect()
    }

    /// `user`'s own sign-ups (not cancelled) ending after `from`, soonest first.
    pub async fn my_shifts(&self, user: UserId, from: i64) -> Result<Vec<Shift>, sqlx::Error> {
        let rows = sqlx::query(&format!(
            "SELECT {SHIFT_COLS}, {MINE_COLS} {SHIFT_FROM}
             JOIN shift_signups m ON m.shift_id = s.id AND m.user_id = $1 AND m.state <> 'cancelled'
             WHERE s.ends_at >= $2 ORDER BY s.starts_at, s.id LIMIT 200"
        ))
        .bind(user.0)
        .bind(from)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(shift).collect()
    }

    pub async fn shift(
        &self,
        id: ShiftId,
        viewer: Option<UserId>,
    ) -> Result<Option<Shift>, sqlx::Error> {
        let row = sqlx::query(&format!(
            "SELECT {SHIFT_COLS}, {MINE_COLS} {SHIFT_FROM} {MINE_JOIN} WHERE s.id = $2"
        ))
        .bind(viewer.map_or(0, |u| u.0))
        .bind(id.0)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(shift).transpose()
    }

    pub async fn shift_facts(&self, id: ShiftId) -> Result<Option<ShiftFacts>, sqlx::Error> {
        let row = sqlx::query(&format!("SELECT {FACT_COLS} FROM shifts WHERE id = $1"))
            .bind(id.0)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(facts).transpose()
    }

    /// Calls an occurrence off; answers who was seated or waiting, to tell them.
    pub async fn cancel_shift(&self, id: ShiftId) -> Result<Vec<UserId>, sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        let users = set_called_off(&mut tx, id, 1).await?;
        tx.commit().await?;
        Ok(users)
    }
}
