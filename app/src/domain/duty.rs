//! The command centre's 24-hour duty (值班): shifts planned by the month for the street
//! and for each community, each with a leader (带班领导) and one or two duty officers;
//! swaps that need the other person's and the planner's approval; the duty log (接 / 报 /
//! 传 / 跟) and the handover at the end of a shift. Pure; the duty service applies it.
use crate::domain::AppError;
use crate::domain::stats::month_bounds;
use crate::i18n::Msg;
use serde::{Deserialize, Serialize};

const HOUR_MS: i64 = 3_600_000;
/// Shifts change at 08:00 (and 20:00 with a day and a night shift), China time.
const CHANGE_HOUR: i64 = 8;
/// What a log entry and a swap's reason may hold, in characters.
pub const BODY_MAX: usize = 500;

/// How a day is cut into shifts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Pattern {
    /// 08:00 to 08:00 the next day.
    FullDay,
    /// 08:00–20:00 and 20:00–08:00.
    DayNight,
}

impl Pattern {
    pub const ALL: [Pattern; 2] = [Pattern::FullDay, Pattern::DayNight];

    pub fn as_str(self) -> &'static str {
        match self {
            Pattern::FullDay => "full_day",
            Pattern::DayNight => "day_night",
        }
    }

    pub fn parse(s: &str) -> Option<Pattern> {
        Self::ALL.into_iter().find(|p| p.as_str() == s.trim())
    }

    pub fn label(self) -> Msg {
        match self {
            Pattern::FullDay => Msg::DutyFullDay,
            Pattern::DayNight => Msg::DutyDayNight,
        }
    }
}

/// A month's plan as the planner sends it: who leads and who keeps watch, in the order
/// they take turns.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthPlan {
    /// The street or a community (a grid id).
    pub scope: i64,
    /// `2026-12`.
    pub month: String,
    /// [`Pattern::as_str`].
    pub pattern: String,
    pub leaders: Vec<i64>,
    pub officers: Vec<i64>,
    /// Officers on each shift: 1 or 2.
    pub per_shift: u8,
}

/// One shift of a plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slot {
    pub starts_ms: i64,
    pub ends_ms: i64,
    pub leader: i64,
    pub officers: Vec<i64>,
}

/// The shifts of a month in turn: leaders rotate one per shift, officers `per_shift` at a
/// time. The month's first shift starts at 08:00 on its first day; the last ends at 08:00
/// on the next month's first day.
pub fn plan_month(p: &MonthPlan) -> Result<Vec<Slot>, AppError> {
    let (from, to) =
        month_bounds(&p.month).ok_or_else(|| AppError::invalid("month", Msg::DutyErrMonth))?;
    let pattern = Pattern::parse(&p.pattern)
        .ok_or_else(|| AppError::invalid("pattern", Msg::DutyErrPattern))?;
    let per = usize::from(p.per_shift);
    if p.leaders.is_empty() || has_repeats(&p.leaders) {
        return Err(AppError::invalid("leaders", Msg::DutyErrLeaders));
    }
    if !(1..=2).contains(&per) || p.officers.len() < per || has_repeats(&p.officers) {
        return Err(AppError::invalid("officers", Msg::DutyErrOfficers));
    }
    if p.officers.iter().any(|o| p.leaders.contains(o)) {
        return Err(AppError::invalid("officers", Msg::DutyErrBoth));
    }
    let length = match pattern {
        Pattern::FullDay => 24 * HOUR_MS,
        Pattern::DayNight => 12 * HOUR_MS,
    };
    let mut out = Vec::new();
    let mut start = from + CHANGE_HOUR * HOUR_MS;
    let mut i = 0usize;
    while start < to {
        out.push(Slot {
            starts_ms: start,
            ends_ms: start + length,
            leader: p.leaders[i % p.leaders.len()],
            officers: (0..per)
                .map(|k| p.officers[(i * per + k) % p.officers.len()])
                .collect(),
        });
        start += length;
        i += 1;
    }
    Ok(out)
}

fn has_repeats(ids: &[i64]) -> bool {
    ids.iter().enumerate().any(|(i, a)| ids[..i].contains(a))
}

/// A person on the roster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub id: i64,
    pub name: String,
}

/// A planned shift.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DutyShift {
    pub id: i64,
    pub scope_id: i64,
    /// The street's or the community's name.
    pub scope: String,
    pub starts_ms: i64,
    pub ends_ms: i64,
    pub leader: Person,
    pub officers: Vec<Person>,
}

impl DutyShift {
    /// Whether `user` leads or keeps this shift.
    pub fn holds(&self, user: i64) -> bool {
        self.leader.id == user || self.officers.iter().any(|o| o.id == user)
    }

    pub fn covers(&self, at: i64) -> bool {
        (self.starts_ms..self.ends_ms).contains(&at)
    }
}

/// Whether `from` may hand this shift to `to` at `now`: she holds it, `to` does not, and
/// it has not started.
pub fn check_swap(shift: &DutyShift, from: i64, to: i64, now: i64) -> Result<(), AppError> {
    if !shift.holds(from) {
        return Err(AppError::invalid("shift", Msg::DutyErrNotYours));
    }
    if shift.holds(to) {
        return Err(AppError::invalid("with", Msg::DutyErrAlreadyOn));
    }
    if shift.starts_ms <= now {
        return Err(AppError::invalid("shift", Msg::DutyErrStarted));
    }
    Ok(())
}

/// Where a swap request stands: it takes effect only once the other person and the
/// planner have both said yes; one no ends it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SwapStatus {
    Waiting { peer: bool, planner: bool },
    Done,
    Refused,
}

impl SwapStatus {
    pub fn of(peer: bool, planner: bool, refused: bool) -> SwapStatus {
        match (refused, peer && planner) {
            (true, _) => SwapStatus::Refused,
            (false, true) => SwapStatus::Done,
            (false, false) => SwapStatus::Waiting { peer, planner },
        }
    }
}

/// A swap request as the people involved see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SwapView {
    pub id: i64,
    pub shift_id: i64,
    pub starts_ms: i64,
    pub from: Person,
    pub to: Person,
    pub reason: String,
    pub status: SwapStatus,
    /// Whether the caller may say yes or no now (as the other person or as a planner).
    pub may_answer: bool,
}

/// A duty log entry's kind: 接 (received), 报 (reported up), 传 (passed on), 跟 (followed up).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LogKind {
    Received,
    Reported,
    Passed,
    Followed,
}

impl LogKind {
    pub const ALL: [LogKind; 4] = [
        LogKind::Received,
        LogKind::Reported,
        LogKind::Passed,
        LogKind::Followed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            LogKind::Received => "received",
            LogKind::Reported => "reported",
            LogKind::Passed => "passed",
            LogKind::Followed => "followed",
        }
    }

    pub fn parse(s: &str) -> Option<LogKind> {
        Self::ALL.into_iter().find(|k| k.as_str() == s.trim())
    }

    pub fn label(self) -> Msg {
        match self {
            LogKind::Received => Msg::DutyReceived,
            LogKind::Reported => Msg::DutyReported,
            LogKind::Passed => Msg::DutyPassed,
            LogKind::Followed => Msg::DutyFollowed,
        }
    }
}

/// A duty log entry as the form sends it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogInput {
    pub scope: i64,
    pub kind: String,
    pub body: String,
    /// A ticket number, when the entry is about one (0: none).
    pub ticket: i64,
}

/// Checks an entry; answers its kind and trimmed text.
pub fn check_log(e: &LogInput) -> Result<(LogKind, String), AppError> {
    let kind =
        LogKind::parse(&e.kind).ok_or_else(|| AppError::invalid("kind", Msg::DutyErrKind))?;
    let body = check_body(&e.body, "body")?;
    Ok((kind, body))
}

/// A required text of at most [`BODY_MAX`] characters, trimmed.
pub fn check_body(s: &str, field: &str) -> Result<String, AppError> {
    crate::domain::error::check_text(field, s, BODY_MAX, true)?;
    Ok(s.trim().to_owned())
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogView {
    pub id: i64,
    pub kind: LogKind,
    pub body: String,
    pub ticket: Option<i64>,
    pub by: String,
    pub at_ms: i64,
    /// Who closed it and when; open entries are handed over.
    pub closed: Option<(String, i64)>,
}

/// What the officers of the shift now on duty take over from the shift before.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Handover {
    pub from_shift: i64,
    pub to_shift: i64,
    /// The outgoing shift's people, by name.
    pub from_people: String,
    /// Entries still open.
    pub open: i64,
    /// Who acknowledged it, and when.
    pub acked: Option<(String, i64)>,
    /// Whether the caller holds the shift now on duty and may acknowledge.
    pub may_ack: bool,
}

/// `/duty` for one scope and month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DutyBoard {
    /// The scopes the caller sees: the street first, then communities.
    pub scopes: Vec<Person>,
    pub scope_id: i64,
    pub month: String,
    pub shifts: Vec<DutyShift>,
    pub now: Option<DutyShift>,
    /// Whether the caller holds the shift on duty now (writes the log, acknowledges).
    pub on_duty: bool,
    pub may_plan: bool,
    /// Staff who may be planned in this scope (and swapped in).
    pub candidates: Vec<Person>,
    pub swaps: Vec<SwapView>,
    pub log: Vec<LogView>,
    pub handover: Option<Handover>,
    /// The month's emergencies in this scope (the street: all) and how often the
    /// 1- and 3-minute timers were met.
    pub timers: crate::domain::emergency::TimerFigures,
}

/// "Who is on duty now", shown to staff on every page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OnDutyNow {
    pub scope: String,
    pub leader: String,
    pub officers: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::time::format_cst;

    fn plan(pattern: &str, leaders: Vec<i64>, officers: Vec<i64>, per: u8) -> MonthPlan {
        MonthPlan {
            scope: 1,
            month: "2026-12".into(),
            pattern: pattern.into(),
            leaders,
            officers,
            per_shift: per,
        }
    }

    fn field(r: Result<Vec<Slot>, AppError>) -> String {
        match r {
            Err(AppError::Invalid { field, .. }) => field,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_month_of_full_days_runs_eight_to_eight_and_takes_turns() {
        let s = plan_month(&plan("full_day", vec![1, 2], vec![10, 11, 12], 1)).unwrap();
        assert_eq!(s.len(), 31);
        assert_eq!(format_cst(s[0].starts_ms), "2026-12-01 08:00");
        assert_eq!(format_cst(s[0].ends_ms), "2026-12-02 08:00");
        assert_eq!(format_cst(s[30].ends_ms), "2027-01-01 08:00");
        // Back to back, no gap and no overlap.
        assert!(s.windows(2).all(|w| w[0].ends_ms == w[1].starts_ms));
        let leaders: Vec<i64> = s.iter().take(4).map(|x| x.leader).collect();
        assert_eq!(leaders, vec![1, 2, 1, 2]);
        let officers: Vec<i64> = s.iter().take(4).map(|x| x.officers[0]).collect();
        assert_eq!(officers, vec![10, 11, 12, 10]);
    }

    #[test]
    fn day_and_night_shifts_change_at_eight_and_twenty_with_two_officers() {
        let s = plan_month(&plan("day_night", vec![1], vec![10, 11, 12, 13, 14], 2)).unwrap();
        assert_eq!(s.len(), 62);
        assert_eq!(format_cst(s[1].starts_ms), "2026-12-01 20:00");
        assert_eq!(format_cst(s[1].ends_ms), "2026-12-02 08:00");
        assert_eq!(s[0].officers, vec![10, 11]);
        assert_eq!(s[1].officers, vec![12, 13]);
        assert_eq!(s[2].officers, vec![14, 10]);
        assert!(s.iter().all(|x| x.officers[0] != x.officers[1]));
    }

    #[test]
    fn a_plan_that_cannot_be_kept_names_its_field() {
        assert_eq!(
            field(plan_month(&plan("full_day", vec![], vec![10], 1))),
            "leaders"
        );
        assert_eq!(
            field(plan_month(&plan("full_day", vec![1, 1], vec![10], 1))),
            "leaders"
        );
        assert_eq!(
            field(plan_month(&plan("full_day", vec![1], vec![10], 2))),
            "officers"
        );
        assert_eq!(
            field(plan_month(&plan("full_day", vec![1], vec![10], 3))),
            "officers"
        );
        assert_eq!(
            field(plan_month(&plan("full_day", vec![1], vec![1, 10], 1))),
            "officers"
        );
        assert_eq!(
            field(plan_month(&plan("weekly", vec![1], vec![10], 1))),
            "pattern"
        );
        let mut bad = plan("full_day", vec![1], vec![10], 1);
        bad.month = "2026-13".into();
        assert_eq!(field(plan_month(&bad)), "month");
    }

    fn shift(starts_ms: i64) -> DutyShift {
        DutyShift {
            id: 1,
            scope_id: 1,
            scope: "老街".into(),
            starts_ms,
            ends_ms: starts_ms + 24 * HOUR_MS,
            leader: Person {
                id: 1,
                name: "甲".into(),
            },
            officers: vec![Person {
                id: 10,
                name: "乙".into(),
            }],
        }
    }

    #[test]
    fn a_swap_is_asked_by_someone_on_the_shift_before_it_starts_and_needs_two_yeses() {
        let s = shift(1_000_000);
        assert!(check_swap(&s, 10, 11, 0).is_ok());
        assert!(check_swap(&s, 1, 11, 0).is_ok());
        assert!(
            matches!(check_swap(&s, 12, 11, 0), Err(AppError::Invalid { field, .. }) if field == "shift")
        );
        assert!(
            matches!(check_swap(&s, 10, 1, 0), Err(AppError::Invalid { field, .. }) if field == "with")
        );
        assert!(
            matches!(check_swap(&s, 10, 11, 1_000_000), Err(AppError::Invalid { field, .. }) if field == "shift")
        );
        assert_eq!(
            SwapStatus::of(true, false, false),
            SwapStatus::Waiting {
                peer: true,
                planner: false
            }
        );
        assert_eq!(
            SwapStatus::of(false, true, false),
            SwapStatus::Waiting {
                peer: false,
                planner: true
            }
        );
        assert_eq!(SwapStatus::of(true, true, false), SwapStatus::Done);
        assert_eq!(SwapStatus::of(true, false, true), SwapStatus::Refused);
        assert!(s.covers(1_000_000) && !s.covers(1_000_000 + 24 * HOUR_MS) && !s.covers(999_999));
    }

    #[test]
    fn log_entries_need_a_kind_and_words() {
        let e = |kind: &str, body: &str| LogInput {
            scope: 1,
            kind: kind.into(),
            body: body.into(),
            ticket: 0,
        };
        assert_eq!(
            check_log(&e("received", " 群众来电：路灯不亮 ")).unwrap(),
            (LogKind::Received, "群众来电：路灯不亮".into())
        );
        assert!(
            matches!(check_log(&e("told", "x")), Err(AppError::Invalid { field, .. }) if field == "kind")
        );
        assert!(
            matches!(check_log(&e("passed", "  ")), Err(AppError::Invalid { field, .. }) if field == "body")
        );
        assert!(
            matches!(check_log(&e("passed", &"字".repeat(BODY_MAX + 1))), Err(AppError::Invalid { field, .. }) if field == "body")
        );
    }
}
