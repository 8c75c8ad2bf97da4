//! Failed sign-ins, for throttling.
use super::Db;

impl Db {
    pub async fn record_login_failure(
        &self,
        phone: &str,
        ip: Option<&str>,
        at: i64,
    ) -> Result<(), sqlx::Error> {
        sqlx::query("INSERT INTO login_failures (phone, ip, at) VALUES ($1, $2, $3)")
            .bind(phone)
            .bind(ip)
            .bind(at)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Failures since `since` for this phone and for this address, and the oldest of
    /// the phone's (to say when the lock lifts).
    pub async fn login_failures_since(
        &self,
        phone: &str,
        ip: Option<&str>,
        since: i64,
    ) -> Result<(i64, i64, Option<i64>), sqlx::Error> {
        let (by_phone, oldest): (i64, Option<i64>) = sqlx::query_as(
            "SELECT COUNT(*), MIN(at) FROM login_failures WHERE phone = $1 AND at >= $2",
        )
        .bind(phone)
        .bind(since)
        .fetch_one(&self.pool)
        .await?;
        let by_ip: i64 = match ip {
            Some(ip) => {
                sqlx::query_scalar("SELECT COUNT(*) FROM login_failures WHERE ip = $1 AND at >= $2")
                    .bind(ip)
                    .bind(since)
                    .fetch_one(&self.pool)
                    .await?
            }
            None => 0,
        };
        Ok((by_phone, by_ip, oldest))
    }

    /// A successful sign-in clears the phone's failures; old rows are pruned.
    pub async fn clear_login_failures(&self, phone: &str, before: i64) -> Result<(), sqlx::Error> {
        sqlx::query("DELETE FROM login_failures WHERE phone = $1 OR at < $2")
            .bind(phone)
            .bind(before)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
