//! Sign-in throttling (a slot reserved before each check) and known browsers.
use super::Db;
use app::domain::user::UserId;

impl Db {
    /// Takes a slot in `key`'s window of `window_ms` and says how many the window now
    /// holds and when it started. One statement, so concurrent callers each get their
    /// own count: the sixth of 25 parallel guesses sees 6, whatever the timing.
    pub async fn reserve_attempt(
        &self,
        key: &str,
        now: i64,
        window_ms: i64,
    ) -> Result<(i64, i64), sqlx::Error> {
        sqlx::query_as(
            "INSERT INTO login_attempts (bucket, n, window_start) VALUES ($1, 1, $2)
             ON CONFLICT (bucket) DO UPDATE SET
               n = CASE WHEN login_attempts.window_start <= $3 THEN 1
                        ELSE login_attempts.n + 1 END,
               window_start = CASE WHEN login_attempts.window_start <= $3 THEN $2
                                   ELSE login_attempts.window_start END
             RETURNING n, window_start",
        )
        .bind(key)
        .bind(now)
        .bind(now - window_ms)
        .fetch_one(&self.pool)
        .await
    }

    /// Gives a slot back (a successful sign-in does not count against its address).
    pub async fn release_attempt(&self, key: &str) -> Result<(), sqlx::Error> {
        sqlx::query("UPDATE login_attempts SET n = n - 1 WHERE bucket = $1 AND n > 0")
            .bind(key)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Empties a key's window (the right password clears the number's failures) and
    /// prunes windows that ended before `before`.
    pub async fn clear_attempts(&self, key: &str, before: i64) -> Result<(), sqlx::Error> {
        sqlx::query("DELETE FROM login_attempts WHERE bucket = $1 OR window_start < $2")
            .bind(key)
            .bind(before)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The account a known browser signed in to.
    pub async fn device_user(&self, token_hash: &str) -> Result<Option<UserId>, sqlx::Error> {
        let id: Option<i64> =
            sqlx::query_scalar("SELECT user_id FROM known_devices WHERE token_hash = $1")
                .bind(token_hash)
                .fetch_optional(&self.pool)
                .await?;
        Ok(id.map(UserId))
    }

    pub async fn add_device(
        &self,
        token_hash: &str,
        user: UserId,
        now: i64,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(
            "INSERT INTO known_devices (token_hash, user_id, created_at) VALUES ($1, $2, $3)",
        )
        .bind(token_hash)
        .bind(user.0)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}
