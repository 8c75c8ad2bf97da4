//! Lost-person notices and their tips.
use super::Db;
use app::domain::geo::LatLng;
use app::domain::missing::{Missing, MissingId, MissingInput, Tip, TipInput};
use app::domain::user::{UserId, mask_phone};
use sqlx::Row;
use sqlx::any::AnyRow;

const MISSING_COLS: &str = "m.id, m.name, m.age, m.description, m.last_seen_place,
     m.has_position, m.lat, m.lng, m.photos, m.posted_at, m.found_at, m.found_note,
     u.name AS posted_by";

/// `/photos/{key}.jpg` for each stored key.
fn photo_urls(keys: &str) -> Vec<String> {
    keys.split_whitespace()
        .map(|k| format!("/photos/{k}.jpg"))
        .collect()
}

fn position(r: &AnyRow) -> Result<Option<LatLng>, sqlx::Error> {
    if r.try_get::<i64, _>("has_position")? == 0 {
        return Ok(None);
    }
    Ok(Some(LatLng::new(r.try_get("lat")?, r.try_get("lng")?)))
}

/// A position as bound: never a NULL float (the flag says whether it is real).
fn bind_position(p: Option<LatLng>) -> (i64, f64, f64) {
    p.map_or((0, 0.0, 0.0), |p| (1, p.lat, p.lng))
}

fn missing(r: &AnyRow) -> Result<Missing, sqlx::Error> {
    Ok(Missing {
        id: MissingId(r.try_get("id")?),
        name: r.try_get("name")?,
        age: u32::try_from(r.try_get::<i64, _>("age")?).unwrap_or(0),
        description: r.try_get("description")?,
        last_seen_place: r.try_get("last_seen_place")?,
        last_seen_at: position(r)?,
        photos: photo_urls(&r.try_get::<String, _>("photos")?),
        posted_by: r.try_get("posted_by")?,
        posted_at: r.try_get("posted_at")?,
        found_at: r.try_get("found_at")?,
        found_note: r.try_get("found_note")?,
    })
}

impl Db {
    pub async fn insert_missing(
        &self,
        i: &MissingInput,
        photos: &[String],
        by: UserId,
        now: i64,
    ) -> Result<MissingId, sqlx::Error> {
        let (has, lat, lng) = bind_position(i.last_seen_at);
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO missing_persons (name, age, description, last_seen_place,
                 has_position, lat, lng, photos, posted_by, posted_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        )
        .bind(i.name.trim())
        .bind(i64::from(i.age))
        .bind(i.description.trim())
        .bind(i.last_seen_place.trim())
        .bind(has)
        .bind(lat)
        .bind(lng)
        .bind(photos.join(" "))
        .bind(by.0)
        .bind(now)
        .fetch_one(&self.pool)
        .await?;
        Ok(MissingId(id))
    }

    pub async fn missing(&self, id: MissingId) -> Result<Option<Missing>, sqlx::Error> {
        let row = sqlx::query(&format!(
            "SELECT {MISSING_COLS} FROM missing_persons m JOIN users u ON u.id = m.posted_by
             WHERE m.id = $1"
        ))
        .bind(id.0)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(missing).transpose()
    }

    /// Open notices first (newest first), then those found since `found_since`.
    pub async fn missing_list(&self, found_since: i64) -> Result<Vec<Missing>, sqlx::Error> {
        let rows = sqlx::query(&format!(
            "SELECT {MISSING_COLS} FROM missing_persons m JOIN users u ON u.id = m.posted_by
             WHERE m.found_at IS NULL OR m.found_at >= $1
             ORDER BY CASE WHEN m.found_at IS NULL THEN 0 ELSE 1 END, m.posted_at DESC
             LIMIT 50"
        ))
        .bind(found_since)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(missing).collect()
    }

    /// Closes an open notice; false when it was closed already.
    pub async fn close_missing(
        &self,
        id: MissingId,
        note: &str,
        now: i64,
    ) -> Result<bool, sqlx::Error> {
        let done = sqlx::query(
            "UPDATE missing_persons SET found_at = $2, found_note = $3
             WHERE id = $1 AND found_at IS NULL",
        )
        .bind(id.0)
        .bind(now)
        .bind(note)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    pub async fn insert_tip(
        &self,
        id: MissingId,
        t: &TipInput,
        photos: &[String],
        by: UserId,
        now: i64,
    ) -> Result<i64, sqlx::Error> {
        let (has, lat, lng) = bind_position(t.at);
        sqlx::query_scalar(
            "INSERT INTO missing_tips (missing_id, user_id, body, photos, has_position, lat, lng,
                 sent_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(id.0)
        .bind(by.0)
        .bind(t.text.trim())
        .bind(photos.join(" "))
        .bind(has)
        .bind(lat)
        .bind(lng)
        .bind(now)
        .fetch_one(&self.pool)
        .await
    }

    /// Every tip, newest first (the sender's phone masked).
    pub async fn tips(&self, id: MissingId) -> Result<Vec<Tip>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT t.id, t.body, t.photos, t.has_position, t.lat, t.lng, t.sent_at,
                    u.name, u.phone
             FROM missing_tips t JOIN users u ON u.id = t.user_id
             WHERE t.missing_id = $1 ORDER BY t.sent_at DESC, t.id DESC",
        )
        .bind(id.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Tip {
                    id: r.try_get("id")?,
                    text: r.try_get("body")?,
                    photos: photo_urls(&r.try_get::<String, _>("photos")?),
                    at: position(r)?,
                    sender: r.try_get("name")?,
                    sender_phone: mask_phone(&r.try_get::<String, _>("phone")?),
                    sent_at: r.try_get("sent_at")?,
                })
            })
            .collect()
    }

    pub async fn tips_by(&self, id: MissingId, user: UserId) -> Result<i64, sqlx::Error> {
        sqlx::query_scalar(
            "SELECT COUNT(*) FROM missing_tips WHERE missing_id = $1 AND user_id = $2",
        )
        .bind(id.0)
        .bind(user.0)
        .fetch_one(&self.pool)
        .await
    }
}
