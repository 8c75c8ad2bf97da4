//! 雪亮工程 cameras and the log of who watched them.
use super::Db;
use app::domain::camera::{Camera, CameraInput};
use app::domain::user::UserId;
use sqlx::Row;
use sqlx::any::AnyRow;

/// A camera with its community and codes (for the scope check and the platform).
pub struct CameraRow {
    pub camera: Camera,
    pub community: Option<i64>,
}

/// One view as logged.
pub struct ViewLog<'a> {
    pub camera: i64,
    pub user: UserId,
    pub at: i64,
    pub ticket: Option<i64>,
    pub note: &'a str,
    pub outcome: &'a str,
}

const COLS: &str = "SELECT c.id, c.name, c.lat, c.lng, COALESCE(g.name, '') AS grid_name,
    c.site_id, COALESCE(s.name, '') AS site_name, c.device_id, c.channel_id, c.community_id
    FROM cameras c LEFT JOIN grids g ON g.id = c.grid_id LEFT JOIN sites s ON s.id = c.site_id";

fn row(r: &AnyRow) -> Result<CameraRow, sqlx::Error> {
    Ok(CameraRow {
        camera: Camera {
            id: r.try_get("id")?,
            name: r.try_get("name")?,
            lat: r.try_get("lat")?,
            lng: r.try_get("lng")?,
            grid_name: r.try_get("grid_name")?,
            site: r.try_get("site_id")?,
            site_name: r.try_get("site_name")?,
            device_id: r.try_get("device_id")?,
            channel_id: r.try_get("channel_id")?,
        },
        community: r.try_get("community_id")?,
    })
}

impl Db {
    /// Active cameras, of one community or (`None`) all.
    pub async fn cameras(&self, community: Option<i64>) -> Result<Vec<CameraRow>, sqlx::Error> {
        let rows = match community {
            None => {
                sqlx::query(&format!("{COLS} WHERE c.active = 1 ORDER BY c.name, c.id"))
                    .fetch_all(&self.pool)
                    .await?
            }
            Some(c) => {
                sqlx::query(&format!(
                    "{COLS} WHERE c.active = 1 AND c.community_id = $1 ORDER BY c.name, c.id"
                ))
                .bind(c)
                .fetch_all(&self.pool)
                .await?
            }
        };
        rows.iter().map(row).collect()
    }

    pub async fn camera(&self, id: i64) -> Result<Option<CameraRow>, sqlx::Error> {
        sqlx::query(&format!("{COLS} WHERE c.id = $1 AND c.active = 1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(row)
            .transpose()
    }

    /// Registers or edits a camera where it lies (`grid`, `community`).
    pub async fn save_camera(
        &self,
        c: &CameraInput,
        place: (Option<i64>, Option<i64>),
        by: UserId,
        now: i64,
    ) -> Result<i64, sqlx::Error> {
        let (grid, community) = place;
        match c.id {
            None => {
                sqlx::query_scalar(
                    "INSERT INTO cameras (name, lat, lng, grid_id, community_id, site_id, device_id,
                     channel_id, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
                     RETURNING id",
                )
                .bind(c.name.trim())
                .bind(c.lat)
                .bind(c.lng)
                .bind(grid)
                .bind(community)
                .bind(c.site)
                .bind(c.device_id.trim())
                .bind(c.channel_id.trim())
                .bind(by.0)
                .bind(now)
                .fetch_one(&self.pool)
                .await
            }
            Some(id) => {
                sqlx::query(
                    "UPDATE cameras SET name = $1, lat = $2, lng = $3, grid_id = $4, community_id = $5,
                     site_id = $6, device_id = $7, channel_id = $8 WHERE id = $9",
                )
                .bind(c.name.trim())
                .bind(c.lat)
                .bind(c.lng)
                .bind(grid)
                .bind(community)
                .bind(c.site)
                .bind(c.device_id.trim())
                .bind(c.channel_id.trim())
                .bind(id)
                .execute(&self.pool)
                .await?;
                Ok(id)
            }
        }
    }

    pub async fn log_view(&self, v: &ViewLog<'_>) -> Result<(), sqlx::Error> {
        sqlx::query(
            "INSERT INTO camera_views (camera_id, user_id, at, ticket_id, note, outcome)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(v.camera)
        .bind(v.user.0)
        .bind(v.at)
        .bind(v.ticket)
        .bind(v.note)
        .bind(v.outcome)
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}
