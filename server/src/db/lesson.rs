//! Courses, lessons and each member's progress through them. Completing a lesson and
//! its reading points are written in one transaction.
use super::study::{Award, award_in};
use super::{Db, u32_col};
use app::domain::lesson::{
    Course, CourseInput, LessonInput, LessonLine, Media, Progress, ProgressOutcome,
};
use app::domain::user::UserId;
use sqlx::Row;
use sqlx::any::AnyRow;

/// A lesson as stored, before its Markdown is rendered.
pub struct StoredLesson {
    pub id: i64,
    pub course_id: i64,
    pub course_title: String,
    pub title: String,
    pub body: String,
    pub media: Media,
    pub media_url: String,
    pub minutes: u32,
    pub micro: bool,
    pub active: bool,
    pub progress: Progress,
    pub position: u32,
    pub prev: Option<i64>,
    pub next: Option<i64>,
}

fn flag(r: &AnyRow, c: &str) -> Result<bool, sqlx::Error> {
    Ok(r.try_get::<i64, _>(c)? != 0)
}

impl Db {
    /// Every course with its lessons in order and `user`'s progress; admins (`all`)
    /// also see lessons taken out.
    pub async fn courses(&self, user: UserId, all: bool) -> Result<Vec<Course>, sqlx::Error> {
        let courses = sqlx::query("SELECT id, title, summary FROM courses ORDER BY id")
            .fetch_all(&self.pool)
            .await?;
        let lessons = sqlx::query(
            "SELECT l.id, l.course_id, l.title, l.minutes, l.micro, l.media, l.active,
                    COALESCE(p.status, 0) AS status
             FROM lessons l LEFT JOIN lesson_progress p ON p.lesson_id = l.id AND p.user_id = $1
             WHERE l.active = 1 OR $2 = 1
             ORDER BY l.course_id, l.position, l.id",
        )
        .bind(user.0)
        .bind(i64::from(all))
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::with_capacity(courses.len());
        for c in &courses {
            let id: i64 = c.try_get("id")?;
            let mut list = Vec::new();
            for l in lessons
                .iter()
                .filter(|l| l.try_get::<i64, _>("course_id").ok() == Some(id))
            {
                list.push(LessonLine {
                    id: l.try_get("id")?,
                    title: l.try_get("title")?,
                    minutes: u32_col(l, "minutes")?,
                    micro: flag(l, "micro")?,
                    media: Media::parse(&l.try_get::<String, _>("media")?),
                    active: flag(l, "active")?,
                    progress: Progress::from_i64(l.try_get("status")?),
                });
            }
            out.push(Course {
                id,
                title: c.try_get("title")?,
                summary: c.try_get("summary")?,
                lessons: list,
            });
        }
        Ok(out)
    }

    /// One lesson with `user`'s progress and its neighbours in the course.
    pub async fn lesson(
        &self,
        id: i64,
        user: UserId,
        all: bool,
    ) -> Result<Option<StoredLesson>, sqlx::Error> {
        let Some(r) = sqlx::query(
            "SELECT l.id, l.course_id, c.title AS course_title, l.title, l.body, l.media,
                    l.media_url, l.minutes, l.micro, l.active, l.position,
                    COALESCE(p.status, 0) AS status, COALESCE(p.position, 0) AS at
             FROM lessons l JOIN courses c ON c.id = l.course_id
             LEFT JOIN lesson_progress p ON p.lesson_id = l.id AND p.user_id = $2
             WHERE l.id = $1 AND (l.active = 1 OR $3 = 1)",
        )
        .bind(id)
        .bind(user.0)
        .bind(i64::from(all))
        .fetch_optional(&self.pool)
        .await?
        else {
            return Ok(None);
        };
        let course_id: i64 = r.try_get("course_id")?;
        let order: Vec<i64> = sqlx::query_scalar(
            "SELECT id FROM lessons WHERE course_id = $1 AND (active = 1 OR $2 = 1)
             ORDER BY position, id",
        )
        .bind(course_id)
        .bind(i64::from(all))
        .fetch_all(&self.pool)
        .await?;
        let at = order.iter().position(|x| *x == id);
        let prev = at.and_then(|i| i.checked_sub(1)).map(|i| order[i]);
        let next = at.and_then(|i| order.get(i + 1).copied());
        Ok(Some(StoredLesson {
            id,
            course_id,
            course_title: r.try_get("course_title")?,
            title: r.try_get("title")?,
            body: r.try_get("body")?,
            media: Media::parse(&r.try_get::<String, _>("media")?),
            media_url: r.try_get("media_url")?,
            minutes: u32_col(&r, "minutes")?,
            micro: flag(&r, "micro")?,
            active: flag(&r, "active")?,
            progress: Progress::from_i64(r.try_get("status")?),
            position: u32_col(&r, "at")?,
            prev,
            next,
        }))
    }

    /// Moves `user`'s progress on a lesson forward (never back) and keeps the place
    /// (`position` none: the place stays). Completing pays `award` in the same
    /// transaction. Answers the progress now and the points given.
    pub async fn record_progress(
        &self,
        user: UserId,
        lesson: i64,
        to: Progress,
        position: Option<u32>,
        award: Option<&Award<'_>>,
        at: i64,
    ) -> Result<ProgressOutcome, sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO lesson_progress (user_id, lesson_id, status, position, updated_at)
             VALUES ($1, $2, 0, 0, $3) ON CONFLICT (user_id, lesson_id) DO NOTHING",
        )
        .bind(user.0)
        .bind(lesson)
        .bind(at)
        .execute(&mut *tx)
        .await?;
        // The update locks the row: two reports of one member on one lesson queue up.
        sqlx::query(
            "UPDATE lesson_progress SET
                 status = CASE WHEN status > $3 THEN status ELSE $3 END,
                 position = COALESCE($4, position), updated_at = $5
             WHERE user_id = $1 AND lesson_id = $2",
        )
        .bind(user.0)
        .bind(lesson)
        .bind(to.as_i64())
        .bind(position.map(i64::from))
        .bind(at)
        .execute(&mut *tx)
        .await?;
        let status: i64 = sqlx::query_scalar(
            "SELECT status FROM lesson_progress WHERE user_id = $1 AND lesson_id = $2",
        )
        .bind(user.0)
        .bind(lesson)
        .fetch_one(&mut *tx)
        .await?;
        let points = match award {
            Some(a) => award_in(&mut tx, a).await?,
            None => 0,
        };
        tx.commit().await?;
        Ok(ProgressOutcome {
            progress: Progress::from_i64(status),
            points,
        })
    }

    /// Where `user` is with a lesson (new when never opened).
    pub async fn lesson_progress(
        &self,
        user: UserId,
        lesson: i64,
    ) -> Result<Progress, sqlx::Error> {
        let s: Option<i64> = sqlx::query_scalar(
            "SELECT status FROM lesson_progress WHERE user_id = $1 AND lesson_id = $2",
        )
        .bind(user.0)
        .bind(lesson)
        .fetch_optional(&self.pool)
        .await?;
        Ok(Progress::from_i64(s.unwrap_or(0)))
    }

    pub async fn save_course(&self, c: &CourseInput, at: i64) -> Result<Option<i64>, sqlx::Error> {
        match c.id {
            Some(id) => {
                let n = sqlx::query("UPDATE courses SET title = $2, summary = $3 WHERE id = $1")
                    .bind(id)
                    .bind(c.title.trim())
                    .bind(c.summary.trim())
                    .execute(&self.pool)
                    .await?
                    .rows_affected();
                Ok((n > 0).then_some(id))
            }
            None => sqlx::query_scalar(
                "INSERT INTO courses (title, summary, created_at) VALUES ($1, $2, $3) RETURNING id",
            )
            .bind(c.title.trim())
            .bind(c.summary.trim())
            .bind(at)
            .fetch_one(&self.pool)
            .await
            .map(Some),
        }
    }

    /// Writes a lesson (a new one goes to its course's end). `None` when the lesson or
    /// the course does not exist.
    pub async fn save_lesson(&self, l: &LessonInput, at: i64) -> Result<Option<i64>, sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        let course: Option<i64> = sqlx::query_scalar("SELECT id FROM courses WHERE id = $1")
            .bind(l.course_id)
            .fetch_optional(&mut *tx)
            .await?;
        if course.is_none() {
            return Ok(None);
        }
        let id = match l.id {
            Some(id) => {
                let n = sqlx::query(
                    "UPDATE lessons SET course_id = $2, title = $3, body = $4, media = $5,
                         media_url = $6, minutes = $7, micro = $8, active = $9, updated_at = $10
                     WHERE id = $1",
                )
                .bind(id)
                .bind(l.course_id)
                .bind(l.title.trim())
                .bind(&l.body)
                .bind(l.media.as_str())
                .bind(l.media_url.trim())
                .bind(i64::from(l.minutes))
                .bind(i64::from(l.micro))
                .bind(i64::from(l.active))
                .bind(at)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if n == 0 {
                    return Ok(None);
                }
                id
            }
            None => {
                let last: i64 = sqlx::query_scalar(
                    "SELECT COALESCE(MAX(position), 0) FROM lessons WHERE course_id = $1",
                )
                .bind(l.course_id)
                .fetch_one(&mut *tx)
                .await?;
                sqlx::query_scalar(
                    "INSERT INTO lessons (course_id, position, title, body, media, media_url,
                         minutes, micro, active, updated_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
                )
                .bind(l.course_id)
                .bind(last + 1)
                .bind(l.title.trim())
                .bind(&l.body)
                .bind(l.media.as_str())
                .bind(l.media_url.trim())
                .bind(i64::from(l.minutes))
                .bind(i64::from(l.micro))
                .bind(i64::from(l.active))
                .bind(at)
                .fetch_one(&mut *tx)
                .await?
            }
        };
        tx.commit().await?;
        Ok(Some(id))
    }
}
