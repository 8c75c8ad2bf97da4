//! Shifts, sign-ups, check-in and the hours ledger.
//!
//! Every sign-up and cancellation starts its transaction with a write to the shift's
//! row (`touched = touched + 1`): on PostgreSQL that row lock queues the others for
//! the same shift, on SQLite the first write takes the database's write lock before
//! anything is read. The seat count, the waitlist and the promotion are then decided
//! on data nobody else can change until commit.
use super::{Db, u32_col};
use app::domain::grid::GridId;
use app::domain::shift::{
    Occurrence, Recurrence, RosterLine, SeriesPlan, SeriesRule, Shift, ShiftId, ShiftInput,
    ShiftKind, SignupOutcome, SignupState, Team, TeamId, TeamMember, checkin_open, checkout_open,
    credited_minutes, ends_at, may_cancel, may_sign_up, overlaps, place,
};
use app::domain::user::{UserId, mask_phone};
use sqlx::Row;
use sqlx::any::AnyRow;

/// Why a sign-up, cancellation or check-in was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    NotFound,
    /// Called off, or already started.
    Closed,
    Already,
    Overlap,
    Cutoff,
    NotSeated,
    WrongTime,
    NotCheckedIn,
}

pub type Outcome<T> = Result<Result<T, Refusal>, sqlx::Error>;

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

/// The parts of a shift the rules need.
#[derive(Debug, Clone)]
pub struct ShiftFacts {
    pub grid: GridId,
    pub starts_at: i64,
    pub ends_at: i64,
    pub capacity: u32,
    pub taken: u32,
    pub cutoff_hours: u32,
    pub cancelled: bool,
    pub token: String,
    pub title: String,
}

fn facts(r: &AnyRow) -> Result<ShiftFacts, sqlx::Error> {
    Ok(ShiftFacts {
        grid: GridId(r.try_get("grid_id")?),
        starts_at: r.try_get("starts_at")?,
        ends_at: r.try_get("ends_at")?,
        capacity: u32_col(r, "capacity")?,
        taken: u32_col(r, "taken")?,
        cutoff_hours: u32_col(r, "cutoff_hours")?,
        cancelled: r.try_get::<i64, _>("cancelled")? != 0,
        token: r.try_get("checkin_token")?,
        title: r.try_get("title")?,
    })
}

const FACT_COLS: &str =
    "grid_id, starts_at, ends_at, capacity, taken, cutoff_hours, cancelled, checkin_token, title";

/// Per occurrence, the people to tell.
pub type Told = Vec<(ShiftId, Vec<UserId>)>;

/// Calls an occurrence off (`flag` 1) or back on (0); answers the people on it.
async fn set_called_off(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    id: ShiftId,
    flag: i64,
) -> Result<Vec<UserId>, sqlx::Error> {
    sqlx::query("UPDATE shifts SET cancelled = $2, touched = touched + 1 WHERE id = $1")
        .bind(id.0)
        .bind(flag)
        .execute(&mut **tx)
        .await?;
    let users: Vec<i64> = sqlx::query_scalar(
        "SELECT user_id FROM shift_signups WHERE shift_id = $1 AND state <> 'cancelled'",
    )
    .bind(id.0)
    .fetch_all(&mut **tx)
    .await?;
    Ok(users.into_iter().map(UserId).collect())
}

/// Stores (or replaces) a series' rule.
async fn save_rule(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    series: i64,
    sr: &SeriesRule,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO shift_series (id, first_start, weekdays, every_weeks, until_day, except_days)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (id) DO UPDATE SET first_start = excluded.first_start,
            weekdays = excluded.weekdays, every_weeks = excluded.every_weeks,
            until_day = excluded.until_day, except_days = excluded.except_days",
    )
    .bind(series)
    .bind(sr.first_start)
    .bind(i64::from(sr.rule.weekdays))
    .bind(i64::from(sr.rule.every))
    .bind(sr.rule.until.as_str())
    .bind(sr.rule.except.join(","))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A sign-up's own row.
struct Mine {
    id: i64,
    state: SignupState,
    checked_in_at: Option<i64>,
    checked_out_at: Option<i64>,
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

    /// The series a shift belongs to, if any (`Ok(None)` for a one-off, `Err` when
    /// there is no such shift is left to the caller's earlier read).
    pub async fn series_of(&self, id: ShiftId) -> Result<Option<i64>, sqlx::Error> {
        sqlx::query_scalar::<_, Option<i64>>("SELECT series_id FROM shifts WHERE id = $1")
            .bind(id.0)
            .fetch_optional(&self.pool)
            .await
            .map(Option::flatten)
    }

    /// The stored rule of a series.
    pub async fn series_rule(&self, series: i64) -> Result<Option<SeriesRule>, sqlx::Error> {
        let row = sqlx::query(
            "SELECT first_start, weekdays, every_weeks, until_day, except_days
             FROM shift_series WHERE id = $1",
        )
        .bind(series)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            let except: String = r.try_get("except_days")?;
            Ok(SeriesRule {
                first_start: r.try_get("first_start")?,
                rule: Recurrence {
                    weekdays: u8::try_from(r.try_get::<i64, _>("weekdays")?).unwrap_or(0),
                    every: u32_col(&r, "every_weeks")?,
                    until: r.try_get("until_day")?,
                    except: except
                        .split(',')
                        .filter(|d| !d.is_empty())
                        .map(str::to_owned)
                        .collect(),
                },
            })
        })
        .transpose()
    }

    /// Every occurrence of a series, soonest first (for a one-off, the shift itself).
    pub async fn series_occurrences(&self, series: i64) -> Result<Vec<Occurrence>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT s.id, s.starts_at, s.cancelled,
                    (SELECT COUNT(*) FROM shift_signups m WHERE m.shift_id = s.id) AS people
             FROM shifts s WHERE s.series_id = $1 OR s.id = $1 ORDER BY s.starts_at, s.id",
        )
        .bind(series)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Occurrence {
                    id: ShiftId(r.try_get("id")?),
                    starts_at: r.try_get("starts_at")?,
                    cancelled: r.try_get::<i64, _>("cancelled")? != 0,
                    people: r.try_get::<i64, _>("people")? > 0,
                })
            })
            .collect()
    }

    /// Carries out a rule change in one transaction: new occurrences copy `template`
    /// (its seats, length, place …) at the new starts; the rule is stored. Answers who
    /// to tell, per occurrence called off and per occurrence restored.
    #[allow(clippy::too_many_arguments)]
    pub async fn apply_series(
        &self,
        series: i64,
        template: ShiftId,
        plan: &SeriesPlan,
        tokens: &[String],
        rule: &SeriesRule,
        by: UserId,
        now: i64,
    ) -> Result<(Told, Told), sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("UPDATE shifts SET series_id = $1 WHERE id = $1 AND series_id IS NULL")
            .bind(series)
            .execute(&mut *tx)
            .await?;
        for (start, token) in plan.add.iter().zip(tokens) {
            sqlx::query(
                "INSERT INTO shifts (kind, grid_id, team_id, series_id, title, place, starts_at,
                    ends_at, capacity, min_seats, note, cutoff_hours, checkin_token, created_by,
                    created_at)
                 SELECT kind, grid_id, team_id, $1, title, place, $2, $2 + (ends_at - starts_at),
                    capacity, min_seats, note, cutoff_hours, $3, $4, $5
                 FROM shifts WHERE id = $6",
            )
            .bind(series)
            .bind(*start)
            .bind(token)
            .bind(by.0)
            .bind(now)
            .bind(template.0)
            .execute(&mut *tx)
            .await?;
        }
        let mut called_off = Vec::new();
        let mut restored = Vec::new();
        for (ids, flag, told) in [
            (&plan.call_off, 1_i64, &mut called_off),
            (&plan.restore, 0, &mut restored),
        ] {
            for id in ids {
                told.push((*id, set_called_off(&mut tx, *id, flag).await?));
            }
        }
        for id in &plan.remove {
            // Only occurrences nobody ever signed up for; the guard holds it even if
            // someone signed up since the plan was made.
            sqlx::query(
                "DELETE FROM shifts WHERE id = $1
                   AND NOT EXISTS (SELECT 1 FROM shift_signups m WHERE m.shift_id = $1)",
            )
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        }
        save_rule(&mut tx, series, rule).await?;
        tx.commit().await?;
        Ok((called_off, restored))
    }

    /// Adds a date to the left-out dates of the rule of `id`'s series (if it has one).
    pub async fn add_series_exception(&self, id: ShiftId, day: &str) -> Result<(), sqlx::Error> {
        sqlx::query(
            "UPDATE shift_series
             SET except_days = CASE WHEN except_days = '' THEN $2 ELSE except_days || ',' || $2 END
             WHERE id = (SELECT series_id FROM shifts WHERE id = $1)",
        )
        .bind(id.0)
        .bind(day)
        .execute(&self.pool)
        .await?;
        Ok(())
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
            .map(|g| format!(" AND {}", super::resident::in_list("s.grid_id", g)))
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

    /// Everyone signed up (not cancelled): seated first, then the waitlist in order.
    pub async fn roster(&self, id: ShiftId) -> Result<Vec<RosterLine>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT m.id, u.name, u.phone, m.state, m.checked_in_at, m.checked_out_at,
                    h.minutes
             FROM shift_signups m JOIN users u ON u.id = m.user_id
             LEFT JOIN volunteer_hours h ON h.shift_id = m.shift_id AND h.user_id = m.user_id
             WHERE m.shift_id = $1 AND m.state <> 'cancelled'
             ORDER BY CASE m.state WHEN 'seated' THEN 0 ELSE 1 END, m.queued_at, m.id",
        )
        .bind(id.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(RosterLine {
                    signup: r.try_get("id")?,
                    name: r.try_get("name")?,
                    phone: mask_phone(&r.try_get::<String, _>("phone")?),
                    state: SignupState::parse(&r.try_get::<String, _>("state")?)
                        .unwrap_or(SignupState::Waiting),
                    checked_in_at: r.try_get("checked_in_at")?,
                    checked_out_at: r.try_get("checked_out_at")?,
                    minutes: r
                        .try_get::<Option<i64>, _>("minutes")?
                        .map(|m| u32::try_from(m).unwrap_or(0)),
                })
            })
            .collect()
    }

    /// Locks the shift's row for this transaction (see the module comment).
    async fn lock_shift(
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        id: ShiftId,
    ) -> Result<Option<ShiftFacts>, sqlx::Error> {
        let row = sqlx::query(&format!(
            "UPDATE shifts SET touched = touched + 1 WHERE id = $1 RETURNING {FACT_COLS}"
        ))
        .bind(id.0)
        .fetch_optional(&mut **tx)
        .await?;
        row.as_ref().map(facts).transpose()
    }

    async fn mine(
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        id: ShiftId,
        user: UserId,
    ) -> Result<Option<Mine>, sqlx::Error> {
        let row = sqlx::query(
            "SELECT id, state, checked_in_at, checked_out_at FROM shift_signups
             WHERE shift_id = $1 AND user_id = $2",
        )
        .bind(id.0)
        .bind(user.0)
        .fetch_optional(&mut **tx)
        .await?;
        row.map(|r| {
            Ok(Mine {
                id: r.try_get("id")?,
                state: SignupState::parse(&r.try_get::<String, _>("state")?)
                    .unwrap_or(SignupState::Cancelled),
                checked_in_at: r.try_get("checked_in_at")?,
                checked_out_at: r.try_get("checked_out_at")?,
            })
        })
        .transpose()
    }

    /// A seat while one is free, else the waitlist; refused when the shift is closed,
    /// already joined, or overlapping another of the user's shifts.
    pub async fn sign_up(&self, id: ShiftId, user: UserId, now: i64) -> Outcome<SignupOutcome> {
        let mut tx = self.pool.begin().await?;
        let Some(f) = Self::lock_shift(&mut tx, id).await? else {
            return Ok(Err(Refusal::NotFound));
        };
        if f.cancelled || !may_sign_up(now, f.starts_at) {
            return Ok(Err(Refusal::Closed));
        }
        let mine = Self::mine(&mut tx, id, user).await?;
        if mine
            .as_ref()
            .is_some_and(|m| m.state != SignupState::Cancelled)
        {
            return Ok(Err(Refusal::Already));
        }
        let others = sqlx::query(
            "SELECT starts_at, ends_at FROM shift_signups
             WHERE user_id = $1 AND state <> 'cancelled' AND shift_id <> $2
               AND starts_at < $3 AND ends_at > $4",
        )
        .bind(user.0)
        .bind(id.0)
        .bind(f.ends_at)
        .bind(f.starts_at)
        .fetch_all(&mut *tx)
        .await?;
        for r in &others {
            if overlaps(
                (r.try_get("starts_at")?, r.try_get("ends_at")?),
                (f.starts_at, f.ends_at),
            ) {
                return Ok(Err(Refusal::Overlap));
            }
        }
        let state = place(f.taken, f.capacity);
        if state == SignupState::Seated {
            sqlx::query("UPDATE shifts SET taken = taken + 1 WHERE id = $1")
                .bind(id.0)
                .execute(&mut *tx)
                .await?;
        }
        if mine.is_some() {
            sqlx::query(
                "UPDATE shift_signups SET state = $1, queued_at = $2, checked_in_at = NULL,
                    checked_out_at = NULL
                 WHERE shift_id = $3 AND user_id = $4",
            )
            .bind(state.as_str())
            .bind(now)
            .bind(id.0)
            .bind(user.0)
            .execute(&mut *tx)
            .await?;
        } else {
            sqlx::query(
                "INSERT INTO shift_signups (shift_id, user_id, state, queued_at, starts_at, ends_at)
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(id.0)
            .bind(user.0)
            .bind(state.as_str())
            .bind(now)
            .bind(f.starts_at)
            .bind(f.ends_at)
            .execute(&mut *tx)
            .await?;
        }
        let position = if state == SignupState::Waiting {
            let n: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM shift_signups WHERE shift_id = $1 AND state = 'waiting'",
            )
            .bind(id.0)
            .fetch_one(&mut *tx)
            .await?;
            Some(u32::try_from(n).unwrap_or(0))
        } else {
            None
        };
        tx.commit().await?;
        Ok(Ok(SignupOutcome { state, position }))
    }

    /// Gives up a seat (before the cut-off) or a waitlist place. A freed seat goes to
    /// the first on the waitlist, whose id is answered so they can be told.
    pub async fn leave_shift(
        &self,
        id: ShiftId,
        user: UserId,
        now: i64,
    ) -> Outcome<(Option<UserId>, ShiftFacts)> {
        let mut tx = self.pool.begin().await?;
        let Some(f) = Self::lock_shift(&mut tx, id).await? else {
            return Ok(Err(Refusal::NotFound));
        };
        let Some(mine) = Self::mine(&mut tx, id, user)
            .await?
            .filter(|m| m.state != SignupState::Cancelled)
        else {
            return Ok(Err(Refusal::NotFound));
        };
        if mine.state == SignupState::Seated && !may_cancel(now, f.starts_at, f.cutoff_hours) {
            return Ok(Err(Refusal::Cutoff));
        }
        sqlx::query("UPDATE shift_signups SET state = 'cancelled' WHERE id = $1")
            .bind(mine.id)
            .execute(&mut *tx)
            .await?;
        let mut promoted = None;
        if mine.state == SignupState::Seated {
            let next = sqlx::query(
                "SELECT id, user_id FROM shift_signups WHERE shift_id = $1 AND state = 'waiting'
                 ORDER BY queued_at, id LIMIT 1",
            )
            .bind(id.0)
            .fetch_optional(&mut *tx)
            .await?;
            match next {
                Some(r) if !f.cancelled && may_sign_up(now, f.starts_at) => {
                    sqlx::query("UPDATE shift_signups SET state = 'seated' WHERE id = $1")
                        .bind(r.try_get::<i64, _>("id")?)
                        .execute(&mut *tx)
                        .await?;
                    promoted = Some(UserId(r.try_get("user_id")?));
                }
                _ => {
                    sqlx::query("UPDATE shifts SET taken = taken - 1 WHERE id = $1")
                        .bind(id.0)
                        .execute(&mut *tx)
                        .await?;
                }
            }
        }
        tx.commit().await?;
        Ok(Ok((promoted, f)))
    }

    /// Records arrival; `checked_in` is when (the first check-in counts).
    pub async fn check_in(
        &self,
        id: ShiftId,
        user: UserId,
        at: i64,
        by_hand: bool,
    ) -> Outcome<i64> {
        let mut tx = self.pool.begin().await?;
        let Some(f) = Self::lock_shift(&mut tx, id).await? else {
            return Ok(Err(Refusal::NotFound));
        };
        if f.cancelled {
            return Ok(Err(Refusal::Closed));
        }
        let Some(mine) = Self::mine(&mut tx, id, user).await? else {
            return Ok(Err(Refusal::NotSeated));
        };
        if mine.state != SignupState::Seated {
            return Ok(Err(Refusal::NotSeated));
        }
        if let Some(t) = mine.checked_in_at {
            return Ok(Ok(t));
        }
        let open = if by_hand {
            at >= f.starts_at - app::domain::shift::CHECKIN_EARLY_MIN * 60_000
        } else {
            checkin_open(at, f.starts_at, f.ends_at)
        };
        if !open {
            return Ok(Err(Refusal::WrongTime));
        }
        sqlx::query("UPDATE shift_signups SET checked_in_at = $1 WHERE id = $2")
            .bind(at)
            .bind(mine.id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(Ok(at))
    }

    /// Records departure and writes the minutes served to the ledger (once).
    pub async fn check_out(
        &self,
        id: ShiftId,
        user: UserId,
        at: i64,
        by: UserId,
        by_hand: bool,
    ) -> Outcome<u32> {
        let mut tx = self.pool.begin().await?;
        let Some(f) = Self::lock_shift(&mut tx, id).await? else {
            return Ok(Err(Refusal::NotFound));
        };
        let Some(mine) = Self::mine(&mut tx, id, user)
            .await?
            .filter(|m| m.state == SignupState::Seated)
        else {
            return Ok(Err(Refusal::NotSeated));
        };
        let Some(came) = mine.checked_in_at else {
            return Ok(Err(Refusal::NotCheckedIn));
        };
        if let Some(left) = mine.checked_out_at {
            return Ok(Ok(credited_minutes(came, left, f.starts_at, f.ends_at)));
        }
        if !by_hand && !checkout_open(at, came, f.ends_at) {
            return Ok(Err(Refusal::WrongTime));
        }
        // A coordinator recording it later credits up to the end of the shift.
        let left = at.max(came);
        let minutes = credited_minutes(came, left, f.starts_at, f.ends_at);
        sqlx::query("UPDATE shift_signups SET checked_out_at = $1 WHERE id = $2")
            .bind(left)
            .bind(mine.id)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO volunteer_hours (user_id, shift_id, minutes, recorded_at, recorded_by)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(user.0)
        .bind(id.0)
        .bind(i64::from(minutes))
        .bind(f.starts_at)
        .bind(by.0)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(Ok(minutes))
    }

    /// The user a sign-up belongs to, if it is on this shift.
    pub async fn signup_user(
        &self,
        id: ShiftId,
        signup: i64,
    ) -> Result<Option<UserId>, sqlx::Error> {
        let u: Option<i64> =
            sqlx::query_scalar("SELECT user_id FROM shift_signups WHERE id = $1 AND shift_id = $2")
                .bind(signup)
                .bind(id.0)
                .fetch_optional(&self.pool)
                .await?;
        Ok(u.map(UserId))
    }

    /// Calls an occurrence off; answers who was seated or waiting, to tell them.
    pub async fn cancel_shift(&self, id: ShiftId) -> Result<Vec<UserId>, sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        let users = set_called_off(&mut tx, id, 1).await?;
        tx.commit().await?;
        Ok(users)
    }

    /// Ledger entries `(shift start, minutes)` for one volunteer, oldest first.
    pub async fn hours_ledger(&self, user: UserId) -> Result<Vec<(i64, u32)>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT recorded_at, minutes FROM volunteer_hours WHERE user_id = $1
             ORDER BY recorded_at, id",
        )
        .bind(user.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    r.try_get("recorded_at")?,
                    u32::try_from(r.try_get::<i64, _>("minutes")?).unwrap_or(0),
                ))
            })
            .collect()
    }

    /// Active teams, optionally in some grids, by grid.
    pub async fn teams(&self, grids: Option<&[GridId]>) -> Result<Vec<Team>, sqlx::Error> {
        let grid_sql = grids
            .map(|g| format!(" AND {}", super::resident::in_list("t.grid_id", g)))
            .unwrap_or_default();
        let rows = sqlx::query(&format!(
            "SELECT t.id, t.grid_id, g.name AS grid_name, t.name, COALESCE(u.name, '') AS leader,
                    (SELECT COUNT(*) FROM team_members m WHERE m.team_id = t.id) AS members,
                    t.active
             FROM teams t JOIN grids g ON g.id = t.grid_id LEFT JOIN users u ON u.id = t.leader_id
             WHERE 1 = 1{grid_sql}
             ORDER BY g.code, t.id"
        ))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Team {
                    id: TeamId(r.try_get("id")?),
                    grid: GridId(r.try_get("grid_id")?),
                    grid_name: r.try_get("grid_name")?,
                    name: r.try_get("name")?,
                    leader: r.try_get("leader")?,
                    members: u32_col(r, "members")?,
                    active: r.try_get::<i64, _>("active")? != 0,
                })
            })
            .collect()
    }

    /// The grid a team works in.
    pub async fn team_grid(&self, id: TeamId) -> Result<Option<GridId>, sqlx::Error> {
        let g: Option<i64> = sqlx::query_scalar("SELECT grid_id FROM teams WHERE id = $1")
            .bind(id.0)
            .fetch_optional(&self.pool)
            .await?;
        Ok(g.map(GridId))
    }
}

impl Db {
    /// A team (demo data and, later, the team editor).
    pub async fn insert_team(
        &self,
        grid: GridId,
        name: &str,
        leader: Option<UserId>,
        members: &[UserId],
    ) -> Result<TeamId, sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO teams (grid_id, name, leader_id) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(grid.0)
        .bind(name)
        .bind(leader.map(|u| u.0))
        .fetch_one(&mut *tx)
        .await?;
        for m in members {
            sqlx::query("INSERT INTO team_members (team_id, user_id) VALUES ($1, $2)")
                .bind(id)
                .bind(m.0)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(TeamId(id))
    }
}

/// Private calendar links.
impl Db {
    pub async fn calendar_token(&self, user: UserId) -> Result<Option<String>, sqlx::Error> {
        sqlx::query_scalar("SELECT token FROM calendar_feeds WHERE user_id = $1")
            .bind(user.0)
            .fetch_optional(&self.pool)
            .await
    }

    /// Sets (or replaces) `user`'s token.
    pub async fn set_calendar_token(
        &self,
        user: UserId,
        token: &str,
        now: i64,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(
            "INSERT INTO calendar_feeds (user_id, token, created_at) VALUES ($1, $2, $3)
             ON CONFLICT (user_id) DO UPDATE SET token = excluded.token,
                created_at = excluded.created_at",
        )
        .bind(user.0)
        .bind(token)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The owner of a calendar token: id and name.
    pub async fn calendar_owner(
        &self,
        token: &str,
    ) -> Result<Option<(UserId, String)>, sqlx::Error> {
        let row = sqlx::query(
            "SELECT u.id, u.name FROM calendar_feeds f JOIN users u ON u.id = f.user_id
             WHERE f.token = $1",
        )
        .bind(token)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| Ok((UserId(r.try_get("id")?), r.try_get("name")?)))
            .transpose()
    }
}

/// The team editor.
impl Db {
    pub async fn team_members(&self, team: TeamId) -> Result<Vec<TeamMember>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT u.id, u.name, u.phone, CASE WHEN t.leader_id = u.id THEN 1 ELSE 0 END AS leader
             FROM team_members m JOIN users u ON u.id = m.user_id JOIN teams t ON t.id = m.team_id
             WHERE m.team_id = $1 ORDER BY leader DESC, u.name, u.id",
        )
        .bind(team.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(TeamMember {
                    user: r.try_get("id")?,
                    name: r.try_get("name")?,
                    phone: mask_phone(&r.try_get::<String, _>("phone")?),
                    leader: r.try_get::<i64, _>("leader")? != 0,
                })
            })
            .collect()
    }

    pub async fn rename_team(&self, team: TeamId, name: &str) -> Result<(), sqlx::Error> {
        sqlx::query("UPDATE teams SET name = $2 WHERE id = $1")
            .bind(team.0)
            .bind(name.trim())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn set_team_active(&self, team: TeamId, on: bool) -> Result<(), sqlx::Error> {
        sqlx::query("UPDATE teams SET active = $2 WHERE id = $1")
            .bind(team.0)
            .bind(i64::from(on))
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn add_team_member(&self, team: TeamId, user: UserId) -> Result<(), sqlx::Error> {
        sqlx::query(
            "INSERT INTO team_members (team_id, user_id) VALUES ($1, $2)
             ON CONFLICT (team_id, user_id) DO NOTHING",
        )
        .bind(team.0)
        .bind(user.0)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Removes a member; a leader who leaves leaves the team without one.
    pub async fn remove_team_member(&self, team: TeamId, user: UserId) -> Result<(), sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM team_members WHERE team_id = $1 AND user_id = $2")
            .bind(team.0)
            .bind(user.0)
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE teams SET leader_id = NULL WHERE id = $1 AND leader_id = $2")
            .bind(team.0)
            .bind(user.0)
            .execute(&mut *tx)
            .await?;
        tx.commit().await
    }

    /// Makes a member the leader; false when they are not a member.
    pub async fn set_team_leader(&self, team: TeamId, user: UserId) -> Result<bool, sqlx::Error> {
        Ok(sqlx::query(
            "UPDATE teams SET leader_id = $2 WHERE id = $1 AND EXISTS
                (SELECT 1 FROM team_members m WHERE m.team_id = $1 AND m.user_id = $2)",
        )
        .bind(team.0)
        .bind(user.0)
        .execute(&self.pool)
        .await?
        .rows_affected()
            == 1)
    }
}
