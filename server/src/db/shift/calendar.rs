//! Private calendar feed links.
use crate::db::Db;
use app::domain::user::UserId;
use sqlx::Row;

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
