//! Grids, their outlines and their staff.
use super::Db;
use app::domain::grid::{Duty, GridId, GridLevel};
use app::domain::user::UserId;
use sqlx::Row;
use sqlx::any::AnyRow;

/// A grid as stored; `geometry` is GeoJSON text.
#[derive(Debug, Clone)]
pub struct GridRow {
    pub id: GridId,
    pub parent: Option<GridId>,
    pub level: GridLevel,
    pub code: String,
    pub name: String,
    pub geometry: String,
}

/// One grid to create or update, already validated.
#[derive(Debug, Clone)]
pub struct GridUpsert {
    pub code: String,
    pub name: String,
    pub level: GridLevel,
    pub parent_code: Option<String>,
    pub geometry: String,
    /// (min_lat, min_lng, max_lat, max_lng)
    pub bbox: (f64, f64, f64, f64),
}

#[derive(Debug, thiserror::Error)]
pub enum UpsertError {
    #[error("parent {0} not found")]
    ParentMissing(String),
    #[error("level of {0} does not fit its parent")]
    LevelMismatch(String),
    #[error(transparent)]
    Sqlx(#[from] sqlx::Error),
}

const COLS: &str = "id, parent_id, level, code, name, geometry";

fn row(r: &AnyRow) -> Result<GridRow, sqlx::Error> {
    let level: i64 = r.try_get("level")?;
    Ok(GridRow {
        id: GridId(r.try_get("id")?),
        parent: r.try_get::<Option<i64>, _>("parent_id")?.map(GridId),
        level: GridLevel::from_i64(level)
            .ok_or_else(|| sqlx::Error::Decode("grid level".into()))?,
        code: r.try_get("code")?,
        name: r.try_get("name")?,
        geometry: r.try_get("geometry")?,
    })
}

impl Db {
    pub async fn list_grids(&self) -> Result<Vec<GridRow>, sqlx::Error> {
        let rows = sqlx::query(&format!("SELECT {COLS} FROM grids ORDER BY level, code"))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(row).collect()
    }

    pub async fn grid(&self, id: GridId) -> Result<Option<GridRow>, sqlx::Error> {
        sqlx::query(&format!("SELECT {COLS} FROM grids WHERE id = $1"))
            .bind(id.0)
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(row)
            .transpose()
    }

    pub async fn grid_children(&self, id: GridId) -> Result<Vec<GridRow>, sqlx::Error> {
        let rows = sqlx::query(&format!(
            "SELECT {COLS} FROM grids WHERE parent_id = $1 ORDER BY code"
        ))
        .bind(id.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(row).collect()
    }

    /// Level-3 grids whose bounding box holds the point, lowest id first.
    pub async fn grids_with_bbox_at(
        &self,
        lat: f64,
        lng: f64,
    ) -> Result<Vec<GridRow>, sqlx::Error> {
        let rows = sqlx::query(&format!(
            "SELECT {COLS} FROM grids WHERE level = 3 AND min_lat <= $1 AND max_lat >= $1
             AND min_lng <= $2 AND max_lng >= $2 ORDER BY id"
        ))
        .bind(lat)
        .bind(lng)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(row).collect()
    }

    /// (duty, name, full phone) of a grid's staff.
    pub async fn grid_staff(&self, id: GridId) -> Result<Vec<(Duty, String, String)>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT s.duty, u.name, u.phone FROM grid_staff s JOIN users u ON u.id = s.user_id
             WHERE s.grid_id = $1",
        )
        .bind(id.0)
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let duty: String = r.try_get("duty")?;
            if let Some(d) = Duty::parse(&duty) {
                out.push((d, r.try_get("name")?, r.try_get("phone")?));
            }
        }
        Ok(out)
    }

    pub async fn assign_duty(
        &self,
        grid: GridId,
        duty: Duty,
        user: UserId,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(
            "INSERT INTO grid_staff (grid_id, duty, user_id) VALUES ($1, $2, $3)
             ON CONFLICT (grid_id, duty) DO UPDATE SET user_id = excluded.user_id",
        )
        .bind(grid.0)
        .bind(duty.as_str())
        .bind(user.0)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Creates or updates grids by code in one transaction: all or nothing. Items must
    /// come parents first. Returns (created, updated).
    pub async fn upsert_grids(&self, items: &[GridUpsert]) -> Result<(u32, u32), UpsertError> {
        let mut tx = self.pool.begin().await?;
        let (mut created, mut updated) = (0u32, 0u32);
        for g in items {
            let parent: Option<(i64, i64)> = match &g.parent_code {
                None => None,
                Some(pc) => {
                    let r = sqlx::query("SELECT id, level FROM grids WHERE code = $1")
                        .bind(pc)
                        .fetch_optional(&mut *tx)
                        .await?
                        .ok_or_else(|| UpsertError::ParentMissing(pc.clone()))?;
                    Some((r.try_get("id")?, r.try_get("level")?))
                }
            };
            let parent_level = parent.map(|p| p.1).and_then(GridLevel::from_i64);
            let fits = match parent_level {
                None => g.level == GridLevel::Street,
                Some(pl) => pl.child() == Some(g.level),
            };
            if !fits {
                return Err(UpsertError::LevelMismatch(g.code.clone()));
            }
            let existing: Option<i64> = sqlx::query_scalar("SELECT id FROM grids WHERE code = $1")
                .bind(&g.code)
                .fetch_optional(&mut *tx)
                .await?;
            let (min_lat, min_lng, max_lat, max_lng) = g.bbox;
            sqlx::query(
                "INSERT INTO grids (parent_id, level, code, name, geometry, min_lat, min_lng, max_lat, max_lng)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                 ON CONFLICT (code) DO UPDATE SET parent_id = excluded.parent_id, level = excluded.level,
                 name = excluded.name, geometry = excluded.geometry, min_lat = excluded.min_lat,
                 min_lng = excluded.min_lng, max_lat = excluded.max_lat, max_lng = excluded.max_lng",
            )
            .bind(parent.map(|p| p.0))
            .bind(g.level as i64)
            .bind(&g.code)
            .bind(&g.name)
            .bind(&g.geometry)
            .bind(min_lat)
            .bind(min_lng)
            .bind(max_lat)
            .bind(max_lng)
            .execute(&mut *tx)
            .await?;
            if existing.is_some() {
                updated += 1;
            } else {
                created += 1;
            }
        }
        tx.commit().await?;
        Ok((created, updated))
    }
}
