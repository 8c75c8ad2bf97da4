//! Check-in, check-out and the hours ledger.
use super::{Outcome, Refusal};
use crate::db::Db;
use app::domain::shift::{ShiftId, SignupState, checkin_open, checkout_open, credited_minutes};
use app::domain::user::UserId;
use sqlx::Row;

impl Db {
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
}
