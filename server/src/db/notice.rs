//! Staff notices and their recipients' receipts.
use super::Db;
use super::resident::in_list;
use app::domain::grid::GridId;
use app::domain::notice::{Notice, NoticeId, NoticeInput, Receipt};
use app::domain::user::UserId;
use sqlx::Row;
use sqlx::any::AnyRow;

const NOTICE_COLS: &str = "n.id, n.title, n.body, n.area, n.sent_at, u.name AS sender,
     (SELECT COUNT(*) FROM notice_recipients c WHERE c.notice_id = n.id) AS recipients,
     (SELECT COUNT(*) FROM notice_recipients c WHERE c.notice_id = n.id
        AND c.read_at IS NOT NULL) AS reads";

fn notice(r: &AnyRow, read_at: Option<i64>) -> Result<Notice, sqlx::Error> {
    let count = |c: &str| -> Result<u32, sqlx::Error> {
        Ok(u32::try_from(r.try_get::<i64, _>(c)?).unwrap_or(0))
    };
    Ok(Notice {
        id: NoticeId(r.try_get("id")?),
        title: r.try_get("title")?,
        body: r.try_get("body")?,
        area: r.try_get("area")?,
        sender: r.try_get("sender")?,
        sent_at: r.try_get("sent_at")?,
        read_at,
        recipients: count("recipients")?,
        reads: count("reads")?,
    })
}

impl Db {
    /// The staff of these level-3 grids and the directors of their communities,
    /// without `except` (the sender).
    pub async fn notice_audience(
        &self,
        grids: &[GridId],
        except: UserId,
    ) -> Result<Vec<UserId>, sqlx::Error> {
        let ids: Vec<i64> = sqlx::query_scalar(&format!(
            "SELECT DISTINCT u.id FROM users u
             WHERE u.id <> $1 AND (
                u.id IN (SELECT s.user_id FROM grid_staff s WHERE {})
                OR (u.role = 'director' AND u.scope_grid_id IN
                    (SELECT g.parent_id FROM grids g WHERE {})))
             ORDER BY u.id",
            in_list("s.grid_id", grids),
            in_list("g.id", grids)
        ))
        .bind(except.0)
        .fetch_all(&self.pool)
        .await?;
        Ok(ids.into_iter().map(UserId).collect())
    }

    /// Stores a notice and its recipients in one transaction.
    pub async fn insert_notice(
        &self,
        i: &NoticeInput,
        sender: UserId,
        area: &str,
        to: &[UserId],
        now: i64,
    ) -> Result<NoticeId, sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO notices (title, body, area, sender_id, sent_at)
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(i.title.trim())
        .bind(i.body.trim())
        .bind(area)
        .bind(sender.0)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        for u in to {
            sqlx::query("INSERT INTO notice_recipients (notice_id, user_id) VALUES ($1, $2)")
                .bind(id)
                .bind(u.0)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(NoticeId(id))
    }

    /// Notices sent to or by `user`, newest first, with the user's own read time.
    pub async fn notices_for(&self, user: UserId, limit: i64) -> Result<Vec<Notice>, sqlx::Error> {
        let rows = sqlx::query(&format!(
            "SELECT {NOTICE_COLS},
                (SELECT m.read_at FROM notice_recipients m
                  WHERE m.notice_id = n.id AND m.user_id = $1) AS my_read
             FROM notices n JOIN users u ON u.id = n.sender_id
             WHERE n.sender_id = $1
                OR n.id IN (SELECT notice_id FROM notice_recipients WHERE user_id = $1)
             ORDER BY n.sent_at DESC, n.id DESC LIMIT $2"
        ))
        .bind(user.0)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| notice(r, r.try_get("my_read")?))
            .collect()
    }

    /// Every notice (admins), newest first; `read_at` is the admin's own if any.
    pub async fn all_notices(&self, user: UserId, limit: i64) -> Result<Vec<Notice>, sqlx::Error> {
        let rows = sqlx::query(&format!(
            "SELECT {NOTICE_COLS},
                (SELECT m.read_at FROM notice_recipients m
                  WHERE m.notice_id = n.id AND m.user_id = $1) AS my_read
             FROM notices n JOIN users u ON u.id = n.sender_id
             ORDER BY n.sent_at DESC, n.id DESC LIMIT $2"
        ))
        .bind(user.0)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| notice(r, r.try_get("my_read")?))
            .collect()
    }

    /// One notice with its sender's id, and whether `user` is a recipient (with their
    /// read time).
    pub async fn notice(
        &self,
        id: NoticeId,
        user: UserId,
    ) -> Result<Option<(Notice, UserId, Option<Option<i64>>)>, sqlx::Error> {
        let row = sqlx::query(&format!(
            "SELECT {NOTICE_COLS}, n.sender_id FROM notices n JOIN users u ON u.id = n.sender_id
             WHERE n.id = $1"
        ))
        .bind(id.0)
        .fetch_optional(&self.pool)
        .await?;
        let Some(r) = row else { return Ok(None) };
        let mine: Option<Option<i64>> = sqlx::query_scalar(
            "SELECT read_at FROM notice_recipients WHERE notice_id = $1 AND user_id = $2",
        )
        .bind(id.0)
        .bind(user.0)
        .fetch_optional(&self.pool)
        .await?;
        let n = notice(&r, mine.flatten())?;
        Ok(Some((n, UserId(r.try_get("sender_id")?), mine)))
    }

    /// Records the first opening (later ones keep the first time).
    pub async fn mark_notice_read(
        &self,
        id: NoticeId,
        user: UserId,
        now: i64,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(
            "UPDATE notice_recipients SET read_at = $3
             WHERE notice_id = $1 AND user_id = $2 AND read_at IS NULL",
        )
        .bind(id.0)
        .bind(user.0)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Every recipient with where they serve and when they read it.
    pub async fn notice_receipts(&self, id: NoticeId) -> Result<Vec<Receipt>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT u.name, c.read_at,
                COALESCE((SELECT MIN(g.name) FROM grid_staff s JOIN grids g ON g.id = s.grid_id
                           WHERE s.user_id = u.id),
                         (SELECT g.name FROM grids g WHERE g.id = u.scope_grid_id), '') AS place
             FROM notice_recipients c JOIN users u ON u.id = c.user_id
             WHERE c.notice_id = $1",
        )
        .bind(id.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Receipt {
                    name: r.try_get("name")?,
                    place: r.try_get("place")?,
                    read_at: r.try_get("read_at")?,
                })
            })
            .collect()
    }

    /// How many notices `user` has not opened yet.
    pub async fn unread_notices(&self, user: UserId) -> Result<i64, sqlx::Error> {
        sqlx::query_scalar(
            "SELECT COUNT(*) FROM notice_recipients WHERE user_id = $1 AND read_at IS NULL",
        )
        .bind(user.0)
        .fetch_one(&self.pool)
        .await
    }
}
