//! Shifts, sign-ups, check-in and the hours ledger.
//!
//! Every sign-up and cancellation starts its transaction with a write to the shift's
//! row (`touched = touched + 1`): on PostgreSQL that row lock queues the others for
//! the same shift, on SQLite the first write takes the database's write lock before
//! anything is read. The seat count, the waitlist and the promotion are then decided
//! on data nobody else can change until commit.
use super::{Db, u32_col};
use app::domain::grid::GridId;
use app::domain::shift::{SeriesRule, ShiftId, SignupState};
use app::domain::user::UserId;
use sqlx::Row;
use sqlx::any::AnyRow;

mod calendar;
mod checkin;
mod series;
mod shifts;
mod signups;
mod teams;

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
}
