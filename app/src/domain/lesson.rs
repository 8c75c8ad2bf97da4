//! Courses of lessons (Markdown text with an optional audio or video link; 微党课 are
//! the short ones) and each member's progress through them: opened, read to the end,
//! completed, and the place to resume.
use super::AppError;
use crate::i18n::Msg;
use serde::{Deserialize, Serialize};

/// A title has at most this many characters.
pub const TITLE_MAX: usize = 80;
/// A course summary has at most this many characters.
pub const SUMMARY_MAX: usize = 300;
/// A lesson's Markdown has at most this many characters.
pub const BODY_MAX: usize = 20_000;
/// A media link has at most this many characters.
pub const URL_MAX: usize = 500;
/// A lesson takes at most this many minutes.
pub const MINUTES_MAX: u32 = 240;
/// Positions are kept in thousandths of the text.
pub const POSITION_END: u32 = 1000;

/// How far a member got with a lesson; it only moves forward.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, Default)]
pub enum Progress {
    #[default]
    New,
    Opened,
    /// Scrolled to the end of the text.
    Read,
    /// Marked as learnt (after reading to the end); earns the reading points.
    Completed,
}

impl Progress {
    pub fn as_i64(self) -> i64 {
        match self {
            Progress::New => 0,
            Progress::Opened => 1,
            Progress::Read => 2,
            Progress::Completed => 3,
        }
    }

    pub fn from_i64(n: i64) -> Self {
        match n {
            1 => Progress::Opened,
            2 => Progress::Read,
            n if n >= 3 => Progress::Completed,
            _ => Progress::New,
        }
    }

    pub fn label(self) -> Msg {
        match self {
            Progress::New => Msg::LessonNew,
            Progress::Opened => Msg::LessonOpened,
            Progress::Read => Msg::LessonRead,
            Progress::Completed => Msg::LessonCompleted,
        }
    }

    /// The progress after an event: never backwards.
    pub fn advance(self, to: Progress) -> Progress {
        self.max(to)
    }
}

/// What the lesson's media link is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum Media {
    #[default]
    None,
    Audio,
    Video,
}

impl Media {
    pub fn as_str(self) -> &'static str {
        match self {
            Media::None => "",
            Media::Audio => "audio",
            Media::Video => "video",
        }
    }

    pub fn parse(s: &str) -> Self {
        match s {
            "audio" => Media::Audio,
            "video" => Media::Video,
            _ => Media::None,
        }
    }
}

/// One lesson in a course list, with my progress.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LessonLine {
    pub id: i64,
    pub title: String,
    pub minutes: u32,
    pub micro: bool,
    pub media: Media,
    pub active: bool,
    pub progress: Progress,
}

/// A course with its lessons (in order) and how many I completed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Course {
    pub id: i64,
    pub title: String,
    pub summary: String,
    pub lessons: Vec<LessonLine>,
}

impl Course {
    pub fn completed(&self) -> usize {
        self.lessons
            .iter()
            .filter(|l| l.progress == Progress::Completed)
            .count()
    }

    /// The lesson to go on with: the first not completed.
    pub fn resume(&self) -> Option<i64> {
        self.lessons
            .iter()
            .find(|l| l.progress != Progress::Completed)
            .map(|l| l.id)
    }
}

/// The words of safe HTML, for reading aloud: tags dropped (a block's end is a pause),
/// the entities the renderer writes decoded.
pub fn plain_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        let Some(j) = rest[i..].find('>') else {
            rest = "";
            break;
        };
        let tag = &rest[i + 1..i + j];
        if ["/p", "/h", "/li", "br", "/blockquote"]
            .iter()
            .any(|t| tag.starts_with(t))
        {
            out.push('\n');
        }
        rest = &rest[i + j + 1..];
    }
    out.push_str(rest);
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&")
        .trim()
        .to_owned()
}

/// A lesson to read: its Markdown rendered (and made safe) on the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lesson {
    pub id: i64,
    pub course_id: i64,
    pub course_title: String,
    pub title: String,
    /// Markdown as written (for the editor).
    pub body: String,
    /// Safe HTML made from `body`.
    pub html: String,
    pub media_url: String,
    pub media: Media,
    pub minutes: u32,
    pub micro: bool,
    pub active: bool,
    pub progress: Progress,
    /// Where I stopped, in thousandths of the text.
    pub position: u32,
    pub prev: Option<i64>,
    pub next: Option<i64>,
}

/// What an admin writes for a lesson (`id` none: a new one at the course's end).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LessonInput {
    pub id: Option<i64>,
    pub course_id: i64,
    pub title: String,
    pub body: String,
    pub media_url: String,
    pub media: Media,
    pub minutes: u32,
    pub micro: bool,
    pub active: bool,
}

/// What an admin writes for a course.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CourseInput {
    pub id: Option<i64>,
    pub title: String,
    pub summary: String,
}

/// After reporting where I am in a lesson.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgressOutcome {
    pub progress: Progress,
    /// Reading points given now (0 when already paid or capped).
    pub points: u32,
}

fn title_ok(t: &str) -> bool {
    let n = t.trim().chars().count();
    (1..=TITLE_MAX).contains(&n)
}

/// An `http(s)` address without spaces or quotes.
pub fn web_link_ok(url: &str) -> bool {
    let u = url.trim();
    (u.starts_with("https://") || u.starts_with("http://"))
        && u.len() > "https://".len()
        && u.chars().count() <= URL_MAX
        && !u
            .chars()
            .any(|c| c.is_whitespace() || matches!(c, '"' | '\'' | '<' | '>'))
}

pub fn check_course(c: &CourseInput) -> Result<(), AppError> {
    if !title_ok(&c.title) {
        return Err(AppError::invalid("title", Msg::ErrLessonTitle));
    }
    if c.summary.chars().count() > SUMMARY_MAX {
        return Err(AppError::invalid("summary", Msg::ErrCourseSummary));
    }
    Ok(())
}

pub fn check_lesson(l: &LessonInput) -> Result<(), AppError> {
    if !title_ok(&l.title) {
        return Err(AppError::invalid("title", Msg::ErrLessonTitle));
    }
    let n = l.body.trim().chars().count();
    if n == 0 || n > BODY_MAX {
        return Err(AppError::invalid("body", Msg::ErrLessonBody));
    }
    match l.media {
        Media::None if !l.media_url.trim().is_empty() => {
            return Err(AppError::invalid("media", Msg::ErrLessonMediaKind));
        }
        Media::Audio | Media::Video if !web_link_ok(&l.media_url) => {
            return Err(AppError::invalid("media_url", Msg::ErrLessonMediaUrl));
        }
        _ => {}
    }
    if !(1..=MINUTES_MAX).contains(&l.minutes) {
        return Err(AppError::invalid("minutes", Msg::ErrLessonMinutes));
    }
    Ok(())
}

/// The progress a position report brings: the end of the text means read.
pub fn progress_at(position: u32, at_end: bool) -> Progress {
    if at_end || position >= POSITION_END {
        Progress::Read
    } else {
        Progress::Opened
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reading_aloud_hears_words_not_markup() {
        assert_eq!(
            plain_text(
                "<h2>学习</h2>\n<p>党员 &amp; 群众 &lt;一起&gt;</p><ul><li>一</li><li>二</li></ul>"
            ),
            "学习\n\n党员 & 群众 <一起>\n一\n二"
        );
        assert_eq!(plain_text("未闭合 <b"), "未闭合");
    }

    fn lesson() -> LessonInput {
        LessonInput {
            id: None,
            course_id: 1,
            title: "网格化管理".into(),
            body: "# 一格多员\n\n正文".into(),
            media_url: String::new(),
            media: Media::None,
            minutes: 5,
            micro: true,
            active: true,
        }
    }

    fn field(r: Result<(), AppError>) -> String {
        match r {
            Err(AppError::Invalid { field, .. }) => field,
            other => panic!("expected a field error, got {other:?}"),
        }
    }

    #[test]
    fn progress_only_moves_forward() {
        assert_eq!(Progress::Read.advance(Progress::Opened), Progress::Read);
        assert_eq!(Progress::Opened.advance(Progress::Read), Progress::Read);
        assert_eq!(
            Progress::Completed.advance(Progress::Opened),
            Progress::Completed
        );
        for p in [
            Progress::New,
            Progress::Opened,
            Progress::Read,
            Progress::Completed,
        ] {
            assert_eq!(Progress::from_i64(p.as_i64()), p);
        }
        assert_eq!(progress_at(400, false), Progress::Opened);
        assert_eq!(progress_at(400, true), Progress::Read);
        assert_eq!(progress_at(1000, false), Progress::Read);
    }

    #[test]
    fn lessons_are_checked_field_by_field() {
        assert!(check_lesson(&lesson()).is_ok());
        assert_eq!(
            field(check_lesson(&LessonInput {
                title: "  ".into(),
                ..lesson()
            })),
            "title"
        );
        assert_eq!(
            field(check_lesson(&LessonInput {
                body: "x".repeat(BODY_MAX + 1),
                ..lesson()
            })),
            "body"
        );
        assert_eq!(
            field(check_lesson(&LessonInput {
                media: Media::Video,
                media_url: "javascript:alert(1)".into(),
                ..lesson()
            })),
            "media_url"
        );
        assert_eq!(
            field(check_lesson(&LessonInput {
                media_url: "https://example.org/a.mp3".into(),
                ..lesson()
            })),
            "media"
        );
        assert!(
            check_lesson(&LessonInput {
                media: Media::Audio,
                media_url: "https://example.org/a.mp3".into(),
                ..lesson()
            })
            .is_ok()
        );
        assert_eq!(
            field(check_lesson(&LessonInput {
                minutes: 0,
                ..lesson()
            })),
            "minutes"
        );
        assert_eq!(
            field(check_course(&CourseInput {
                id: None,
                title: "学习".into(),
                summary: "长".repeat(SUMMARY_MAX + 1),
            })),
            "summary"
        );
    }

    #[test]
    fn links_must_be_plain_web_addresses() {
        assert!(web_link_ok("https://example.org/v.mp4"));
        assert!(!web_link_ok("https://"));
        assert!(!web_link_ok("ftp://example.org/v.mp4"));
        assert!(!web_link_ok("https://example.org/a b"));
        assert!(!web_link_ok("https://example.org/\"onerror=x"));
    }

    #[test]
    fn a_course_resumes_at_its_first_unfinished_lesson() {
        let line = |id, progress| LessonLine {
            id,
            title: String::new(),
            minutes: 5,
            micro: false,
            media: Media::None,
            active: true,
            progress,
        };
        let c = Course {
            id: 1,
            title: String::new(),
            summary: String::new(),
            lessons: vec![
                line(1, Progress::Completed),
                line(2, Progress::Opened),
                line(3, Progress::New),
            ],
        };
        assert_eq!(c.completed(), 1);
        assert_eq!(c.resume(), Some(2));
    }
}
