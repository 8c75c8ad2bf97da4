//! The audit log of personal-data reads.
use super::{Db, now_ms};
use app::domain::user::UserId;

impl Db {
    pub async fn audit(
        &self,
        actor: Option<UserId>,
        action: &str,
        subject: &str,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(
            "INSERT INTO audit_log (actor_id, action, subject, at) VALUES ($1, $2, $3, $4)",
        )
        .bind(actor.map(|a| a.0))
        .bind(action)
        .bind(subject)
        .bind(now_ms())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn count_audit(&self, action: &str) -> Result<i64, sqlx::Error> {
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = $1")
            .bind(action)
            .fetch_one(&self.pool)
            .await
    }
}
