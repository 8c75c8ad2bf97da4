//! The feedback box (投诉建议).
use super::Db;
use app::domain::feedback::{About, FeedbackCounts, FeedbackView, Kind};
use app::domain::user::UserId;
use sqlx::Row;

impl Db {
    pub async fn insert_feedback(
        &self,
        sender: UserId,
        kind: Kind,
        about: About,
        body: &str,
        now: i64,
    ) -> Result<i64, sqlx::Error> {
        sqlx::query_scalar(
            "INSERT INTO feedback (sender_id, kind, about, body, created_at)
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(sender.0)
        .bind(kind.as_str())
        .bind(about.as_str())
        .bind(body)
        .bind(now)
        .fetch_one(&self.pool)
        .await
    }

    /// Messages of one sender still waiting for an answer.
    pub async fn open_feedback(&self, sender: UserId) -> Result<i64, sqlx::Error> {
        sqlx::query_scalar("SELECT COUNT(*) FROM feedback WHERE sender_id = $1 AND answer IS NULL")
            .bind(sender.0)
            .fetch_one(&self.pool)
            .await
    }

    /// One sender's messages (`Some`) or everyone's (`None`, with names): unanswered
    /// first, then newest first.
    pub async fn feedback(&self, sender: Option<UserId>) -> Result<Vec<FeedbackView>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT f.id, f.kind, f.about, f.body, f.created_at, s.name AS sender, f.answer,
                    a.name AS answered_by, f.answered_at
             FROM feedback f JOIN users s ON s.id = f.sender_id
             LEFT JOIN users a ON a.id = f.answered_by
             WHERE ($1 = 0 OR f.sender_id = $1)
             ORDER BY CASE WHEN f.answer IS NULL THEN 0 ELSE 1 END, f.created_at DESC, f.id DESC
             LIMIT 500",
        )
        .bind(sender.map_or(0, |s| s.0))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let kind: String = r.try_get("kind")?;
                let about: String = r.try_get("about")?;
                Ok(FeedbackView {
                    id: r.try_get("id")?,
                    kind: Kind::parse(&kind).unwrap_or(Kind::Suggestion),
                    about: About::parse(&about).unwrap_or(About::Platform),
                    body: r.try_get("body")?,
                    at_ms: r.try_get("created_at")?,
                    sender: sender.is_none().then(|| r.try_get("sender")).transpose()?,
                    answer: r.try_get("answer")?,
                    answered_by: r.try_get("answered_by")?,
                    answered_ms: r.try_get("answered_at")?,
                })
            })
            .collect()
    }

    /// Answers a message once; answers its sender, or `None` when it does not exist or
    /// was answered already.
    pub async fn answer_feedback(
        &self,
        id: i64,
        by: UserId,
        text: &str,
        now: i64,
    ) -> Result<Option<UserId>, sqlx::Error> {
        let done = sqlx::query(
            "UPDATE feedback SET answer = $1, answered_by = $2, answered_at = $3
             WHERE id = $4 AND answer IS NULL",
        )
        .bind(text)
        .bind(by.0)
        .bind(now)
        .bind(id)
        .execute(&self.pool)
        .await?;
        if done.rows_affected() != 1 {
            return Ok(None);
        }
        Ok(
            sqlx::query_scalar::<_, i64>("SELECT sender_id FROM feedback WHERE id = $1")
                .bind(id)
                .fetch_optional(&self.pool)
                .await?
                .map(UserId),
        )
    }

    /// Whether a message exists (to tell "answered already" from "no such message").
    pub async fn feedback_exists(&self, id: i64) -> Result<bool, sqlx::Error> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM feedback WHERE id = $1")
            .bind(id)
            .fetch_one(&self.pool)
            .await?;
        Ok(n > 0)
    }

    /// Messages received in `[from, to)`, and how many of them are answered.
    pub async fn feedback_counts(&self, from: i64, to: i64) -> Result<FeedbackCounts, sqlx::Error> {
        let r = sqlx::query(
            "SELECT COALESCE(SUM(CASE WHEN kind = 'complaint' THEN 1 ELSE 0 END), 0) AS complaints,
                    COALESCE(SUM(CASE WHEN kind = 'suggestion' THEN 1 ELSE 0 END), 0) AS suggestions,
                    COALESCE(SUM(CASE WHEN answer IS NULL THEN 0 ELSE 1 END), 0) AS answered
             FROM feedback WHERE created_at >= $1 AND created_at < $2",
        )
        .bind(from)
        .bind(to)
        .fetch_one(&self.pool)
        .await?;
        Ok(FeedbackCounts {
            complaints: r.try_get("complaints")?,
            suggestions: r.try_get("suggestions")?,
            answered: r.try_get("answered")?,
        })
    }
}
