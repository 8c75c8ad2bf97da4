//! Quiz rounds besides the daily quiz: the weekly quiz (one round a week, anyone
//! studying takes it once, paid by the weekly-quiz rule) and special quizzes admins set
//! for a window of days with a time limit (taken once, scored, no points).
use super::AppError;
use super::study::QuizQuestion;
use crate::i18n::Msg;
use serde::{Deserialize, Serialize};

pub const WEEKLY_QUESTIONS: u32 = 10;
pub const ROUND_TITLE_MAX: usize = 40;
pub const ROUND_QUESTIONS_MAX: u32 = 30;
pub const ROUND_MINUTES_MAX: u32 = 120;
/// Answers sent this long after the deadline still count (the phone's clock, the
/// network).
pub const GRACE_MS: i64 = 30_000;
const DAY_MS: i64 = 24 * 3_600_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RoundKind {
    Weekly,
    Special,
}

impl RoundKind {
    pub fn as_str(self) -> &'static str {
        match self {
            RoundKind::Weekly => "weekly",
            RoundKind::Special => "special",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "weekly" => Some(RoundKind::Weekly),
            "special" => Some(RoundKind::Special),
            _ => None,
        }
    }
}

/// A special quiz as an admin sets it (dates in China time, both days included).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundInput {
    pub title: String,
    pub questions: u32,
    pub minutes: u32,
    pub opens: String,
    pub closes: String,
}

/// Checks a special quiz field by field; answers its window `[opens_at, closes_at)`.
pub fn check_round(r: &RoundInput) -> Result<(i64, i64), AppError> {
    let n = r.title.trim().chars().count();
    if n == 0 || n > ROUND_TITLE_MAX {
        return Err(AppError::invalid("title", Msg::ErrRoundTitle));
    }
    if !(1..=ROUND_QUESTIONS_MAX).contains(&r.questions) {
        return Err(AppError::invalid("questions", Msg::ErrRoundQuestions));
    }
    if !(1..=ROUND_MINUTES_MAX).contains(&r.minutes) {
        return Err(AppError::invalid("minutes", Msg::ErrRoundMinutes));
    }
    let day = |s: &str| crate::domain::shift::parse_local(s, "00:00");
    let Some(opens) = day(&r.opens) else {
        return Err(AppError::invalid("opens", Msg::ErrRoundDates));
    };
    match day(&r.closes) {
        Some(closes) if closes >= opens => Ok((opens, closes + DAY_MS)),
        _ => Err(AppError::invalid("closes", Msg::ErrRoundDates)),
    }
}

/// When a take started at `now` must be in: never for no limit, else after the limit
/// but not after the round closes.
pub fn deadline(minutes: u32, now: i64, closes_at: i64) -> Option<i64> {
    (minutes > 0).then(|| (now + i64::from(minutes) * 60_000).min(closes_at))
}

/// Whether answers arriving at `now` are too late.
pub fn too_late(deadline: Option<i64>, now: i64) -> bool {
    deadline.is_some_and(|d| now > d + GRACE_MS)
}

/// My take of a round.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TakeState {
    /// Started, answers not in (`deadline` none: no limit).
    Started {
        deadline: Option<i64>,
    },
    Done {
        correct: u32,
        total: u32,
    },
}

/// A round open now, or one I took.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundLine {
    pub id: i64,
    pub kind: RoundKind,
    pub title: String,
    pub questions: u32,
    pub minutes: u32,
    pub opens_at: i64,
    pub closes_at: i64,
    pub mine: Option<TakeState>,
}

/// The rounds on my study page: this week's (made when first started, so its line may
/// be missing) and the special quizzes open now or taken in the last month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rounds {
    pub weekly: Option<RoundLine>,
    pub special: Vec<RoundLine>,
}

/// A take to answer: the questions without their answers, the deadline, and the
/// server's clock (a phone's clock may be off).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Take {
    pub take: i64,
    pub title: String,
    pub deadline: Option<i64>,
    pub server_now: i64,
    pub questions: Vec<QuizQuestion>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(questions: u32, minutes: u32, opens: &str, closes: &str) -> RoundInput {
        RoundInput {
            title: "“三化融合”专题测验".into(),
            questions,
            minutes,
            opens: opens.into(),
            closes: closes.into(),
        }
    }

    #[test]
    fn a_special_quiz_is_checked_field_by_field() {
        let (o, c) = check_round(&input(10, 15, "2026-12-01", "2026-12-07")).unwrap();
        assert_eq!(c - o, 7 * DAY_MS);
        let field = |r: Result<(i64, i64), AppError>| match r {
            Err(AppError::Invalid { field, .. }) => field,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            field(check_round(&input(0, 15, "2026-12-01", "2026-12-07"))),
            "questions"
        );
        assert_eq!(
            field(check_round(&input(31, 15, "2026-12-01", "2026-12-07"))),
            "questions"
        );
        assert_eq!(
            field(check_round(&input(10, 0, "2026-12-01", "2026-12-07"))),
            "minutes"
        );
        assert_eq!(
            field(check_round(&input(10, 121, "2026-12-01", "2026-12-07"))),
            "minutes"
        );
        assert_eq!(
            field(check_round(&input(10, 15, "12/01", "2026-12-07"))),
            "opens"
        );
        assert_eq!(
            field(check_round(&input(10, 15, "2026-12-07", "2026-12-01"))),
            "closes"
        );
        let mut blank = input(10, 15, "2026-12-01", "2026-12-01");
        blank.title = " ".into();
        assert_eq!(field(check_round(&blank)), "title");
    }

    #[test]
    fn the_clock_runs_to_the_limit_or_the_close() {
        assert_eq!(deadline(0, 1_000, 9_999_999), None);
        assert_eq!(deadline(15, 0, i64::MAX), Some(15 * 60_000));
        assert_eq!(deadline(15, 0, 60_000), Some(60_000));
        assert!(!too_late(None, i64::MAX));
        assert!(!too_late(Some(1_000), 1_000 + GRACE_MS));
        assert!(too_late(Some(1_000), 1_001 + GRACE_MS));
    }
}
