//! The feedback box (投诉建议): anyone signed in sends the street a complaint or a
//! suggestion about a service, a staff member or the platform; an admin answers once
//! and the sender is told. Pure; the feedback service applies it.
use crate::domain::AppError;
use crate::i18n::Msg;
use serde::{Deserialize, Serialize};

/// What a message may hold, in characters.
pub const BODY_MIN: usize = 4;
pub const BODY_MAX: usize = 1000;
/// Messages one person may have waiting for an answer at once.
pub const OPEN_MAX: i64 = 5;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Kind {
    /// 投诉
    Complaint,
    /// 建议
    Suggestion,
}

impl Kind {
    pub const ALL: [Kind; 2] = [Kind::Complaint, Kind::Suggestion];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Complaint => "complaint",
            Kind::Suggestion => "suggestion",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Self::ALL.into_iter().find(|k| k.as_str() == s.trim())
    }

    pub fn label(self) -> Msg {
        match self {
            Kind::Complaint => Msg::FbComplaint,
            Kind::Suggestion => Msg::FbSuggestion,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum About {
    /// A service of the street or community.
    Service,
    /// A staff member.
    Staff,
    /// This platform.
    Platform,
}

impl About {
    pub const ALL: [About; 3] = [About::Service, About::Staff, About::Platform];

    pub fn as_str(self) -> &'static str {
        match self {
            About::Service => "service",
            About::Staff => "staff",
            About::Platform => "platform",
        }
    }

    pub fn parse(s: &str) -> Option<About> {
        Self::ALL.into_iter().find(|a| a.as_str() == s.trim())
    }

    pub fn label(self) -> Msg {
        match self {
            About::Service => Msg::FbAboutService,
            About::Staff => Msg::FbAboutStaff,
            About::Platform => Msg::FbAboutPlatform,
        }
    }
}

/// A message as sent.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct NewFeedback {
    pub kind: String,
    pub about: String,
    pub body: String,
}

/// Checks a message: its kind, what it is about, and its words.
pub fn check_feedback(f: &NewFeedback) -> Result<(Kind, About, String), AppError> {
    let kind = Kind::parse(&f.kind).ok_or_else(|| AppError::invalid("kind", Msg::FbErrKind))?;
    let about =
        About::parse(&f.about).ok_or_else(|| AppError::invalid("about", Msg::FbErrAbout))?;
    let body = f.body.trim();
    if !(BODY_MIN..=BODY_MAX).contains(&body.chars().count()) {
        return Err(AppError::invalid("body", Msg::FbErrBody));
    }
    Ok((kind, about, body.to_owned()))
}

/// An answer, checked.
pub fn check_answer(text: &str) -> Result<String, AppError> {
    let t = text.trim();
    if !(2..=BODY_MAX).contains(&t.chars().count()) {
        return Err(AppError::invalid("answer", Msg::FbErrAnswer));
    }
    Ok(t.to_owned())
}

/// A message as its sender and the admins see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeedbackView {
    pub id: i64,
    pub kind: Kind,
    pub about: About,
    pub body: String,
    pub at_ms: i64,
    /// Admins only: who sent it.
    pub sender: Option<String>,
    pub answer: Option<String>,
    pub answered_by: Option<String>,
    pub answered_ms: Option<i64>,
}

/// A month's feedback on the honest-figures page.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct FeedbackCounts {
    pub complaints: i64,
    pub suggestions: i64,
    pub answered: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_needs_its_kind_its_subject_and_words() {
        let ok = NewFeedback {
            kind: "complaint".into(),
            about: "service".into(),
            body: " 办事窗口中午没人 ".into(),
        };
        assert_eq!(
            check_feedback(&ok).unwrap(),
            (
                Kind::Complaint,
                About::Service,
                "办事窗口中午没人".to_owned()
            )
        );
        let field = |f: NewFeedback| match check_feedback(&f) {
            Err(AppError::Invalid { field, .. }) => field,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            field(NewFeedback {
                kind: "praise".into(),
                ..ok.clone()
            }),
            "kind"
        );
        assert_eq!(
            field(NewFeedback {
                about: "weather".into(),
                ..ok.clone()
            }),
            "about"
        );
        assert_eq!(
            field(NewFeedback {
                body: "太慢".into(),
                ..ok.clone()
            }),
            "body"
        );
        assert_eq!(
            field(NewFeedback {
                body: "字".repeat(BODY_MAX + 1),
                ..ok
            }),
            "body"
        );
        assert!(check_answer(" ").is_err());
        assert_eq!(check_answer(" 已安排轮岗 ").unwrap(), "已安排轮岗");
    }
}
