//! Recurring series: the stored rule, its occurrences and rule changes.
use super::{Told, save_rule, set_called_off};
use crate::db::{Db, u32_col};
use app::domain::shift::{Occurrence, Recurrence, SeriesPlan, SeriesRule, ShiftId};
use app::domain::user::UserId;
use sqlx::Row;

impl Db {
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
}
