//! Courses and lessons: Markdown made safe HTML here (pulldown-cmark, then ammonia), each
//! member's progress, and the reading points for a lesson learnt.
use super::{internal, signed_in};
use crate::db::lesson::StoredLesson;
use crate::db::study::Award;
use crate::db::{Db, now_ms};
use app::api::ports::LessonPort;
use app::domain::AppError;
use app::domain::authz::{Action, allowed, require};
use app::domain::lesson::{
    BODY_MAX, Course, CourseInput, Lesson, LessonInput, POSITION_END, Progress, ProgressOutcome,
    check_course, check_lesson, progress_at,
};
use app::domain::study::{Activity, day_number};
use app::domain::user::Actor;
use app::i18n::Msg;

pub struct LessonService {
    pub db: Db,
}

/// Markdown → HTML with only safe tags and attributes left (no scripts, no event
/// handlers, links only to web and mail addresses, opened without a referrer).
pub fn render_markdown(md: &str) -> String {
    use pulldown_cmark::{Options, Parser, html};
    let mut opts = Options::empty();
    opts.insert(Options::ENABLE_TABLES);
    opts.insert(Options::ENABLE_STRIKETHROUGH);
    let mut raw = String::with_capacity(md.len() * 3 / 2);
    html::push_html(&mut raw, Parser::new_ext(md, opts));
    ammonia::Builder::default()
        .url_schemes(["http", "https", "mailto"].into())
        .link_rel(Some("noopener noreferrer nofollow"))
        .clean(&raw)
        .to_string()
}

fn to_lesson(s: StoredLesson) -> Lesson {
    Lesson {
        html: render_markdown(&s.body),
        id: s.id,
        course_id: s.course_id,
        course_title: s.course_title,
        title: s.title,
        body: s.body,
        media_url: s.media_url,
        media: s.media,
        minutes: s.minutes,
        micro: s.micro,
        active: s.active,
        progress: s.progress,
        position: s.position,
        prev: s.prev,
        next: s.next,
    }
}

impl LessonService {
    /// The lesson's current progress, or 404 when `user` may not see it.
    async fn visible(&self, actor: &Actor, id: i64) -> Result<Progress, AppError> {
        let user = signed_in(actor)?.id;
        let all = allowed(actor, Action::ManageStudy);
        match self.db.lesson(id, user, all).await.map_err(internal)? {
            Some(l) => Ok(l.progress),
            None => Err(AppError::NotFound),
        }
    }
}

#[async_trait::async_trait]
impl LessonPort for LessonService {
    async fn courses(&self, actor: &Actor) -> Result<Vec<Course>, AppError> {
        require(actor, Action::Study)?;
        let user = signed_in(actor)?.id;
        self.db
            .courses(user, allowed(actor, Action::ManageStudy))
            .await
            .map_err(internal)
    }

    async fn lesson(&self, actor: &Actor, id: i64) -> Result<Lesson, AppError> {
        require(actor, Action::Study)?;
        let user = signed_in(actor)?.id;
        let all = allowed(actor, Action::ManageStudy);
        // A read: "opened" is recorded by the page after it shows (`lesson/progress`),
        // so a server render, a prefetch or a crawler changes nothing.
        let Some(l) = self.db.lesson(id, user, all).await.map_err(internal)? else {
            return Err(AppError::NotFound);
        };
        Ok(to_lesson(l))
    }

    async fn progress(
        &self,
        actor: &Actor,
        id: i64,
        position: u32,
        at_end: bool,
    ) -> Result<ProgressOutcome, AppError> {
        require(actor, Action::Study)?;
        let user = signed_in(actor)?.id;
        if position > POSITION_END {
            return Err(AppError::invalid("position", Msg::ErrLessonPosition));
        }
        self.visible(actor, id).await?;
        self.db
            .record_progress(
                user,
                id,
                progress_at(position, at_end),
                Some(position),
                None,
                now_ms(),
            )
            .await
            .map_err(internal)
    }

    async fn complete(&self, actor: &Actor, id: i64) -> Result<ProgressOutcome, AppError> {
        require(actor, Action::Study)?;
        let user = signed_in(actor)?.id;
        if self.visible(actor, id).await? < Progress::Read {
            return Err(AppError::Conflict(Msg::ErrLessonNotRead));
        }
        let rule = self
            .db
            .points_rule(Activity::Reading)
            .await
            .map_err(internal)?
            .filter(|r| r.active);
        let now = now_ms();
        let reference = format!("lesson:{id}");
        let award = rule.map(|r| Award {
            user,
            activity: Activity::Reading,
            points: r.points,
            cap: r.daily_cap,
            reason: "学习课程",
            reference: &reference,
            day: day_number(now),
            at: now,
        });
        self.db
            .record_progress(user, id, Progress::Completed, None, award.as_ref(), now)
            .await
            .map_err(internal)
    }

    async fn save_course(&self, actor: &Actor, c: CourseInput) -> Result<i64, AppError> {
        require(actor, Action::ManageStudy)?;
        let user = signed_in(actor)?.id;
        check_course(&c)?;
        let id = self
            .db
            .save_course(&c, now_ms())
            .await
            .map_err(internal)?
            .ok_or(AppError::NotFound)?;
        self.db
            .audit(Some(user), "course.save", &format!("course {id}"))
            .await
            .map_err(internal)?;
        Ok(id)
    }

    async fn save_lesson(&self, actor: &Actor, l: LessonInput) -> Result<i64, AppError> {
        require(actor, Action::ManageStudy)?;
        let user = signed_in(actor)?.id;
        check_lesson(&l)?;
        let id = self
            .db
            .save_lesson(&l, now_ms())
            .await
            .map_err(internal)?
            .ok_or(AppError::NotFound)?;
        self.db
            .audit(Some(user), "lesson.save", &format!("lesson {id}"))
            .await
            .map_err(internal)?;
        Ok(id)
    }

    async fn preview(&self, actor: &Actor, body: String) -> Result<String, AppError> {
        require(actor, Action::ManageStudy)?;
        if body.chars().count() > BODY_MAX {
            return Err(AppError::invalid("body", Msg::ErrLessonBody));
        }
        Ok(render_markdown(&body))
    }
}

#[cfg(test)]
mod tests {
    use super::render_markdown;

    #[test]
    fn markdown_is_rendered_and_made_safe() {
        let html = render_markdown(
            "# 老街模式\n\n**网格化**管理\n\n<script>alert(1)</script>\n\n\
             [链接](javascript:alert(1)) [官网](https://www.luohe.gov.cn)\n\n\
             <img src=x onerror=alert(1)>",
        );
        assert!(html.contains("<h1>老街模式</h1>"), "{html}");
        assert!(html.contains("<strong>网格化</strong>"), "{html}");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(!html.contains("onerror"), "{html}");
        assert!(
            html.contains("href=\"https://www.luohe.gov.cn\" rel=\"noopener noreferrer nofollow\""),
            "{html}"
        );
    }
}
