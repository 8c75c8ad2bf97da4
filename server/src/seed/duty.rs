//! The duty roster (值班) for this month and the next: the street led in turn by the
//! admin and the community directors with two officers per day (the grids' managers),
//! each community led by its director with its grids' leaders (网格长) in turn;
//! last month's too, whose last shift runs into this month's first morning.
use super::SeedError;
use crate::db::Db;
use app::domain::duty::{MonthPlan, Pattern, plan_month};
use app::domain::shift::month_of;
use app::domain::stats::month_bounds;
use app::domain::user::UserId;
use sqlx::Row;

pub(super) async fn duty(db: &Db) -> Result<(), SeedError> {
    let admin: i64 = sqlx::query_scalar("SELECT MIN(id) FROM users WHERE role = 'admin'")
        .fetch_one(&db.pool)
        .await?;
    let directors: Vec<(i64, i64)> =
        sqlx::query("SELECT id, scope_grid_id FROM users WHERE role = 'director' ORDER BY id")
            .fetch_all(&db.pool)
            .await?
            .iter()
            .map(|r| Ok((r.try_get("id")?, r.try_get("scope_grid_id")?)))
            .collect::<Result<_, sqlx::Error>>()?;
    let staff: Vec<(i64, String, i64)> = sqlx::query(
        "SELECT s.user_id, s.duty, g.parent_id FROM grid_staff s JOIN grids g ON g.id = s.grid_id
         ORDER BY g.code",
    )
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|r| {
        Ok((
            r.try_get("user_id")?,
            r.try_get("duty")?,
            r.try_get("parent_id")?,
        ))
    })
    .collect::<Result<_, sqlx::Error>>()?;
    let street: i64 = sqlx::query_scalar("SELECT MIN(id) FROM grids WHERE level = 1")
        .fetch_one(&db.pool)
        .await?;
    let with = |duty: &str, community: Option<i64>| -> Vec<i64> {
        staff
            .iter()
            .filter(|s| s.1 == duty && community.is_none_or(|c| s.2 == c))
            .map(|s| s.0)
            .collect()
    };
    let mut plans = vec![MonthPlan {
        scope: street,
        month: String::new(),
        pattern: Pattern::FullDay.as_str().into(),
        leaders: std::iter::once(admin)
            .chain(directors.iter().map(|d| d.0))
            .collect(),
        officers: with("manager", None),
        per_shift: 2,
    }];
    for (director, community) in &directors {
        plans.push(MonthPlan {
            scope: *community,
            month: String::new(),
            pattern: Pattern::FullDay.as_str().into(),
            leaders: vec![*director],
            officers: with("leader", Some(*community)),
            per_shift: 1,
        });
    }
    let this = month_of(crate::db::now_ms());
    let (start, end) = month_bounds(&this).ok_or_else(|| SeedError::Other("month".into()))?;
    // Last month too: its last shift runs into this month's first morning.
    let (last, next) = (month_of(start - 86_400_000), month_of(end + 86_400_000));
    for month in [last, this, next] {
        let (from, to) = month_bounds(&month).ok_or_else(|| SeedError::Other("month".into()))?;
        for p in &plans {
            let p = MonthPlan {
                month: month.clone(),
                ..p.clone()
            };
            let slots = plan_month(&p).map_err(|e| SeedError::Other(format!("duty plan: {e}")))?;
            db.replace_duty_shifts(p.scope, from, to, &slots, UserId(admin))
                .await?;
        }
    }
    Ok(())
}
