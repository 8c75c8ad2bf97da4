//! Web Push subscriptions and the server's settings (its VAPID key pair).
use super::Db;
use super::resident::in_list;
use app::domain::grid::GridId;
use app::domain::push::PushKeys;
use app::domain::user::UserId;
use sqlx::Row;

pub struct SubscriptionRow {
    pub id: i64,
    pub keys: PushKeys,
}

impl Db {
    pub async fn setting(&self, name: &str) -> Result<Option<String>, sqlx::Error> {
        sqlx::query_scalar("SELECT value FROM settings WHERE name = $1")
            .bind(name)
            .fetch_optional(&self.pool)
            .await
    }

    /// Stores a setting, replacing its value.
    pub async fn set_setting(&self, name: &str, value: &str) -> Result<(), sqlx::Error> {
        sqlx::query(
            "INSERT INTO settings (name, value) VALUES ($1, $2)
             ON CONFLICT (name) DO UPDATE SET value = excluded.value",
        )
        .bind(name)
        .bind(value)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Stores a setting unless one is there already (two processes starting at once
    /// agree on the first); answers the stored value.
    pub async fn setting_or_insert(&self, name: &str, value: &str) -> Result<String, sqlx::Error> {
        sqlx::query(
            "INSERT INTO settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
        )
        .bind(name)
        .bind(value)
        .execute(&self.pool)
        .await?;
        Ok(self
            .setting(name)
            .await?
            .unwrap_or_else(|| value.to_owned()))
    }

    /// Saves a browser's subscription for `user` (the same endpoint moves to the
    /// latest user and keys).
    pub async fn save_subscription(
        &self,
        user: UserId,
        k: &PushKeys,
        now: i64,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(
            "INSERT INTO push_subscriptions (user_id, endpoint, p256dh, auth, created_at)
             VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (endpoint) DO UPDATE
               SET user_id = excluded.user_id, p256dh = excluded.p256dh, auth = excluded.auth",
        )
        .bind(user.0)
        .bind(k.endpoint.trim())
        .bind(&k.p256dh)
        .bind(&k.auth)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Removes `user`'s subscription at this endpoint; false when there was none.
    pub async fn delete_subscription(
        &self,
        user: UserId,
        endpoint: &str,
    ) -> Result<bool, sqlx::Error> {
        let r = sqlx::query("DELETE FROM push_subscriptions WHERE user_id = $1 AND endpoint = $2")
            .bind(user.0)
            .bind(endpoint)
            .execute(&self.pool)
            .await?;
        Ok(r.rows_affected() > 0)
    }

    /// A push service said the subscription is gone (404/410).
    pub async fn drop_subscription(&self, id: i64) -> Result<(), sqlx::Error> {
        sqlx::query("DELETE FROM push_subscriptions WHERE id = $1")
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Subscriptions to reach: with `grids`, those of accounts an alert to these grids
    /// reaches (their registry entry is in one of them, or they have none, as the
    /// inbox decides); without, all.
    /// The subscriptions of these users.
    pub async fn user_subscriptions(
        &self,
        users: &[UserId],
    ) -> Result<Vec<SubscriptionRow>, sqlx::Error> {
        let list: Vec<String> = users.iter().map(|u| u.0.to_string()).collect();
        if list.is_empty() {
            return Ok(Vec::new());
        }
        let rows = sqlx::query(&format!(
            "SELECT s.id, s.endpoint, s.p256dh, s.auth FROM push_subscriptions s
             WHERE s.user_id IN ({}) ORDER BY s.id",
            list.join(",")
        ))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(subscription_row).collect()
    }

    pub async fn subscriptions(
        &self,
        grids: Option<&[GridId]>,
    ) -> Result<Vec<SubscriptionRow>, sqlx::Error> {
        let filter = match grids {
            None => "1 = 1".to_owned(),
            Some(g) => format!(
                // An unproven number places nobody (migration 0013): such accounts
                // get every alert, like accounts the registry does not know.
                "u.phone_verified_at IS NULL
                 OR NOT EXISTS (SELECT 1 FROM residents r WHERE r.phone = u.phone)
                 OR EXISTS (SELECT 1 FROM residents r WHERE r.phone = u.phone AND {})",
                in_list("r.grid_id", g)
            ),
        };
        let rows = sqlx::query(&format!(
            "SELECT s.id, s.endpoint, s.p256dh, s.auth
             FROM push_subscriptions s JOIN users u ON u.id = s.user_id
             WHERE {filter} ORDER BY s.id"
        ))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(subscription_row).collect()
    }
}

fn subscription_row(r: &sqlx::any::AnyRow) -> Result<SubscriptionRow, sqlx::Error> {
    Ok(SubscriptionRow {
        id: r.try_get("id")?,
        keys: PushKeys {
            endpoint: r.try_get("endpoint")?,
            p256dh: r.try_get("p256dh")?,
            auth: r.try_get("auth")?,
        },
    })
}
