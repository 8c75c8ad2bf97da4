//! Sign-ups: the roster, signing up and leaving (with waitlist promotion).
use super::{Outcome, Refusal, ShiftFacts};
use crate::db::Db;
use app::domain::shift::{
    RosterLine, ShiftId, SignupOutcome, SignupState, may_cancel, may_sign_up, overlaps, place,
};
use app::domain::user::{UserId, mask_phone};
use sqlx::Row;

impl Db {
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
}
