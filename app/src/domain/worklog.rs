//! The grid worker's work log (民情日志 / 走访) and care objects (关爱对象): what an
//! entry must hold, how a care plan's cycle splits a month into windows, and when a
//! care object counts as visited within its cycle. Pure; the work-log service applies
//! it, and assessment's care dimension counts from it.
use crate::domain::AppError;
use crate::domain::resident::Tag;
use crate::i18n::Msg;
use serde::{Deserialize, Serialize};

/// What an entry's note ("what I heard") may hold, in characters.
pub const HEARD_MAX: usize = 1000;
/// Free text naming whom or where, when not a registered resident.
pub const SUBJECT_MAX: usize = 60;
/// Problems one entry lists at most.
pub const PROBLEMS_MAX: usize = 10;
/// A problem's note, and a supervisor's comment, in characters.
pub const NOTE_MAX: usize = 500;
const DAY_MS: i64 = 86_400_000;

/// How the worker met the person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum How {
    /// 上门: only this satisfies a care plan.
    Visit,
    /// 电话
    Call,
    /// 其他
    Other,
}

impl How {
    pub const ALL: [How; 3] = [How::Visit, How::Call, How::Other];

    pub fn as_str(self) -> &'static str {
        match self {
            How::Visit => "visit",
            How::Call => "call",
            How::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<How> {
        Self::ALL.into_iter().find(|h| h.as_str() == s.trim())
    }

    pub fn label(self) -> Msg {
        match self {
            How::Visit => Msg::WlVisit,
            How::Call => Msg::WlCall,
            How::Other => Msg::WlOther,
        }
    }
}

/// A care plan's visit cycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Cycle {
    /// Once in each of the month's weeks (days 1–7, 8–14, 15–21, 22 to the end).
    Week,
    /// Once in the calendar month.
    Month,
}

impl Cycle {
    pub fn as_str(self) -> &'static str {
        match self {
            Cycle::Week => "week",
            Cycle::Month => "month",
        }
    }

    pub fn parse(s: &str) -> Option<Cycle> {
        match s.trim() {
            "week" => Some(Cycle::Week),
            "month" => Some(Cycle::Month),
            _ => None,
        }
    }

    pub fn label(self) -> Msg {
        match self {
            Cycle::Week => Msg::WlWeekly,
            Cycle::Month => Msg::WlMonthly,
        }
    }

    /// How long after a visit the next one is due (for the due list).
    pub fn days(self) -> i64 {
        match self {
            Cycle::Week => 7,
            Cycle::Month => 30,
        }
    }
}

/// Which resident tags are cared for (关爱对象), each with the visit cycle a new care
/// plan starts with: an admin's setting; by default 独居老人 weekly, 残疾 and 低保户
/// monthly.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CareTags(pub Vec<(Tag, Cycle)>);

impl Default for CareTags {
    fn default() -> Self {
        CareTags(vec![
            (Tag::ElderlyAlone, Cycle::Week),
            (Tag::Disabled, Cycle::Month),
            (Tag::LowIncome, Cycle::Month),
        ])
    }
}

impl CareTags {
    /// The stored setting, `elderly_alone=week,disabled=month` (an empty string: no tag
    /// is cared for); `None` for anything else.
    pub fn parse(s: &str) -> Option<CareTags> {
        let mut out: Vec<(Tag, Cycle)> = Vec::new();
        for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (t, c) = part.split_once('=')?;
            let (t, c) = (Tag::parse(t)?, Cycle::parse(c)?);
            if out.iter().any(|(x, _)| *x == t) {
                return None;
            }
            out.push((t, c));
        }
        out.sort_by_key(|(t, _)| *t);
        Some(CareTags(out))
    }

    pub fn to_setting(&self) -> String {
        self.0
            .iter()
            .map(|(t, c)| format!("{}={}", t.as_str(), c.as_str()))
            .collect::<Vec<_>>()
            .join(",")
    }

    /// The cycle a tag is cared for with, if it is.
    pub fn cycle(&self, t: Tag) -> Option<Cycle> {
        self.0.iter().find(|(x, _)| *x == t).map(|(_, c)| *c)
    }

    /// A resident's default cycle: the most frequent among her cared-for tags; `None`
    /// when none of her tags is cared for.
    pub fn cycle_for(&self, tags: &[Tag]) -> Option<Cycle> {
        tags.iter()
            .filter_map(|t| self.cycle(*t))
            .min_by_key(|c| c.days())
    }
}

/// The windows a month `[from, to)` splits into for a cycle.
pub fn windows(cycle: Cycle, from: i64, to: i64) -> Vec<(i64, i64)> {
    match cycle {
        Cycle::Month => vec![(from, to)],
        Cycle::Week => {
            let starts = [0, 7, 14, 21].map(|d| from + d * DAY_MS);
            starts
                .iter()
                .enumerate()
                .map(|(i, s)| (*s, starts.get(i + 1).copied().unwrap_or(to).min(to)))
                .filter(|(s, e)| s < e)
                .collect()
        }
    }
}

/// Whether a care object was visited within its cycle in the month `[from, to)` as it
/// stands at `now`: `None` when nothing was due yet (no window has ended and the
/// current one has no visit), else whether every window due had a visit. A window
/// still running counts once it has its visit, never against the worker before it ends.
pub fn visited_in_cycle(
    cycle: Cycle,
    from: i64,
    to: i64,
    now: i64,
    visits: &[i64],
) -> Option<bool> {
    let mut due = 0;
    let mut met = 0;
    for (s, e) in windows(cycle, from, to) {
        let seen = visits.iter().any(|v| (s..e).contains(v) && *v <= now);
        if e <= now || seen {
            due += 1;
            met += usize::from(seen);
        }
    }
    (due > 0).then_some(met == due)
}

/// When the next visit is due: a cycle after the last one, or since the plan began.
pub fn next_due(cycle: Cycle, last_visit: Option<i64>, since: i64) -> i64 {
    last_visit.unwrap_or(since) + cycle.days() * DAY_MS
}

/// One problem heard on a visit.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct NewProblem {
    pub category: i64,
    pub note: String,
    /// Solved on the spot (noted); otherwise it may be turned into a ticket.
    pub solved: bool,
}

/// A visit or call as the worker logs it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct NewEntry {
    /// A registered resident (a care object or anyone in the registry).
    pub resident: Option<i64>,
    /// Whom or where in words, when not a registered resident.
    pub subject: String,
    pub how: String,
    pub heard: String,
    /// Only when the worker tapped to add the position.
    pub lat: Option<f64>,
    pub lng: Option<f64>,
    pub problems: Vec<NewProblem>,
    pub idempotency_key: String,
}

/// An entry that passed its checks.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedEntry {
    pub resident: Option<i64>,
    pub subject: String,
    pub how: How,
    pub heard: String,
    pub at: Option<(f64, f64)>,
    pub problems: Vec<NewProblem>,
}

fn chars(s: &str) -> usize {
    s.chars().count()
}

/// The entry's own checks (the service checks the resident and the categories).
pub fn check_entry(e: &NewEntry) -> Result<CheckedEntry, AppError> {
    let how = How::parse(&e.how).ok_or_else(|| AppError::invalid("how", Msg::WlErrHow))?;
    let subject = e.subject.trim().to_owned();
    if e.resident.is_none() && subject.is_empty() {
        return Err(AppError::invalid("subject", Msg::WlErrWhom));
    }
    if chars(&subject) > SUBJECT_MAX {
        return Err(AppError::invalid("subject", Msg::WlErrSubjectLong));
    }
    let heard = e.heard.trim().to_owned();
    if heard.is_empty() || chars(&heard) > HEARD_MAX {
        return Err(AppError::invalid("heard", Msg::WlErrHeard));
    }
    let at = match (e.lat, e.lng) {
        (None, None) => None,
        (Some(lat), Some(lng)) if crate::domain::geo::LatLng::new(lat, lng).is_valid() => {
            Some((lat, lng))
        }
        _ => return Err(AppError::invalid("location", Msg::ErrLocation)),
    };
    if e.problems.len() > PROBLEMS_MAX {
        return Err(AppError::invalid("problems", Msg::WlErrProblems));
    }
    let mut problems = Vec::with_capacity(e.problems.len());
    for p in &e.problems {
        let note = p.note.trim().to_owned();
        if note.is_empty() || chars(&note) > NOTE_MAX {
            return Err(AppError::invalid("problems", Msg::WlErrProblemNote));
        }
        problems.push(NewProblem {
            category: p.category,
            note,
            solved: p.solved,
        });
    }
    Ok(CheckedEntry {
        resident: e.resident,
        subject,
        how,
        heard,
        at,
        problems,
    })
}

/// A supervisor's comment (点评), checked.
pub fn check_comment(body: &str) -> Result<String, AppError> {
    let b = body.trim();
    if b.is_empty() || chars(b) > NOTE_MAX {
        return Err(AppError::invalid("body", Msg::WlErrComment));
    }
    Ok(b.to_owned())
}

/// A problem as listed under its entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProblemView {
    pub id: i64,
    pub category_id: i64,
    pub category: String,
    pub category_en: String,
    pub note: String,
    pub solved: bool,
    /// The ticket it was turned into.
    pub ticket: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommentView {
    pub author: String,
    pub body: String,
    pub at_ms: i64,
}

/// One entry as a list shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LogEntry {
    pub id: i64,
    pub at_ms: i64,
    pub worker: String,
    /// The viewer wrote it (may turn its problems into tickets).
    pub mine: bool,
    pub grid_id: i64,
    pub grid: String,
    pub resident: Option<i64>,
    /// The resident's name, or the words the worker gave.
    pub whom: String,
    pub how: How,
    pub heard: String,
    pub at: Option<(f64, f64)>,
    pub problems: Vec<ProblemView>,
    pub comments: Vec<CommentView>,
}

/// Which entries to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LogScope {
    /// Everything the viewer may see: a worker her grids', a director her
    /// community's, an admin the street's.
    All,
    /// One worker's own.
    Mine,
    /// One grid's.
    Grid(i64),
    /// One resident's history of visits (an audited read).
    Resident(i64),
}

/// A care object on a due list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CareDue {
    pub resident: i64,
    pub name: String,
    pub grid: String,
    pub grid_id: i64,
    pub tags: Vec<Tag>,
    pub cycle: Cycle,
    pub needs: String,
    pub visitor: Option<String>,
    pub visitor_id: Option<i64>,
    pub last_visit_ms: Option<i64>,
    pub due_ms: i64,
}

/// Care coverage of one grid this month.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GridCare {
    pub grid: String,
    /// Care objects with a visit due so far this month.
    pub due: i64,
    /// Of those, visited within their cycle.
    pub visited: i64,
    /// Care objects in the grid.
    pub objects: i64,
}

/// The work-log page's care section.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CareBoard {
    /// Most overdue first.
    pub due: Vec<CareDue>,
    /// Directors and admins: per grid, this month.
    pub coverage: Vec<GridCare>,
    /// The tags cared for and their default cycles (admins change them).
    pub care_tags: CareTags,
    /// Directors and admins: who may be named to visit, per grid.
    pub visitors: Vec<Visitor>,
}

/// Someone a care plan may name as visitor: one of the grid's staff, or a volunteer
/// living in the grid (whose number a staff member confirmed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Visitor {
    pub id: i64,
    pub name: String,
    pub grid: i64,
    pub volunteer: bool,
}

/// A director's change to a care plan.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PlanInput {
    pub resident: i64,
    pub cycle: String,
    /// One of the resident's grid's staff or a volunteer living there (0: the grid's
    /// 网格长).
    pub visitor: i64,
    pub needs: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    const D: i64 = DAY_MS;

    #[test]
    fn a_week_cycle_splits_a_month_into_four_windows_the_last_to_its_end() {
        let w = windows(Cycle::Week, 0, 31 * D);
        assert_eq!(
            w,
            vec![
                (0, 7 * D),
                (7 * D, 14 * D),
                (14 * D, 21 * D),
                (21 * D, 31 * D)
            ]
        );
        assert_eq!(windows(Cycle::Week, 0, 28 * D).len(), 4);
        assert_eq!(windows(Cycle::Month, 0, 30 * D), vec![(0, 30 * D)]);
    }

    #[test]
    fn a_care_object_counts_only_when_every_window_due_had_a_visit() {
        let end = 30 * D;
        // After the month: all four weeks were due.
        let all = [D, 8 * D, 15 * D, 25 * D];
        assert_eq!(visited_in_cycle(Cycle::Week, 0, end, end, &all), Some(true));
        assert_eq!(
            visited_in_cycle(Cycle::Week, 0, end, end, &all[..3]),
            Some(false)
        );
        assert_eq!(
            visited_in_cycle(Cycle::Month, 0, end, end, &[29 * D]),
            Some(true)
        );
        assert_eq!(
            visited_in_cycle(Cycle::Month, 0, end, end, &[]),
            Some(false)
        );
        // A visit outside the month does not count.
        assert_eq!(
            visited_in_cycle(Cycle::Month, 0, end, end, &[end]),
            Some(false)
        );
    }

    #[test]
    fn during_the_month_a_running_window_never_counts_against_the_worker() {
        let end = 30 * D;
        // Day 3: nothing has ended and nobody was visited yet: nothing due.
        assert_eq!(visited_in_cycle(Cycle::Week, 0, end, 3 * D, &[]), None);
        assert_eq!(visited_in_cycle(Cycle::Month, 0, end, 3 * D, &[]), None);
        // Day 3 with a visit: the running week is met.
        assert_eq!(
            visited_in_cycle(Cycle::Week, 0, end, 3 * D, &[2 * D]),
            Some(true)
        );
        // Day 10: the first week ended without a visit.
        assert_eq!(
            visited_in_cycle(Cycle::Week, 0, end, 10 * D, &[9 * D]),
            Some(false)
        );
        // A visit logged after `now` (a clock in the past) is not seen yet.
        assert_eq!(
            visited_in_cycle(Cycle::Month, 0, end, 3 * D, &[4 * D]),
            None
        );
    }

    #[test]
    fn default_cycles_follow_the_tags() {
        let d = CareTags::default();
        assert_eq!(
            d.cycle_for(&[Tag::LowIncome, Tag::ElderlyAlone]),
            Some(Cycle::Week)
        );
        assert_eq!(d.cycle_for(&[Tag::Disabled]), Some(Cycle::Month));
        assert_eq!(d.cycle_for(&[Tag::LowIncome]), Some(Cycle::Month));
        assert_eq!(d.cycle_for(&[Tag::Floating]), None);
        // An admin's setting: 流动人口 monthly too, 低保户 no longer.
        let s = CareTags::parse("floating=month, elderly_alone=week,disabled=month").unwrap();
        assert_eq!(s.cycle_for(&[Tag::Floating]), Some(Cycle::Month));
        assert_eq!(s.cycle_for(&[Tag::LowIncome]), None);
        assert_eq!(
            CareTags::parse(&s.to_setting()),
            Some(s.clone()),
            "{}",
            s.to_setting()
        );
        assert_eq!(CareTags::parse(&d.to_setting()), Some(d));
        assert_eq!(CareTags::parse(""), Some(CareTags(vec![])));
        for bad in [
            "floating",
            "floating=daily",
            "x=week",
            "disabled=week,disabled=month",
        ] {
            assert_eq!(CareTags::parse(bad), None, "{bad}");
        }
        assert_eq!(next_due(Cycle::Week, Some(D), 0), 8 * D);
        assert_eq!(next_due(Cycle::Month, None, 0), 30 * D);
    }

    fn entry() -> NewEntry {
        NewEntry {
            resident: Some(1),
            how: "visit".into(),
            heard: "身体还好，楼道灯坏了".into(),
            ..Default::default()
        }
    }

    #[test]
    fn an_entry_needs_whom_how_and_what_was_heard() {
        assert!(check_entry(&entry()).is_ok());
        let field = |e: NewEntry| match check_entry(&e) {
            Err(AppError::Invalid { field, .. }) => field,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            field(NewEntry {
                how: "fly".into(),
                ..entry()
            }),
            "how"
        );
        assert_eq!(
            field(NewEntry {
                resident: None,
                ..entry()
            }),
            "subject"
        );
        assert_eq!(
            field(NewEntry {
                heard: "  ".into(),
                ..entry()
            }),
            "heard"
        );
        assert_eq!(
            field(NewEntry {
                heard: "字".repeat(HEARD_MAX + 1),
                ..entry()
            }),
            "heard"
        );
        assert_eq!(
            field(NewEntry {
                lat: Some(33.5),
                ..entry()
            }),
            "location"
        );
        let problem = NewProblem {
            category: 1,
            note: "灯坏".into(),
            solved: false,
        };
        assert_eq!(
            field(NewEntry {
                problems: vec![problem.clone(); PROBLEMS_MAX + 1],
                ..entry()
            }),
            "problems"
        );
        let blank = NewProblem {
            note: " ".into(),
            ..problem.clone()
        };
        assert_eq!(
            field(NewEntry {
                problems: vec![blank],
                ..entry()
            }),
            "problems"
        );
        // Free text stands for a place or a household not in the registry; a photo
        // and a position are never required.
        let place = NewEntry {
            resident: None,
            subject: "3号楼地下室".into(),
            ..entry()
        };
        let ok = check_entry(&NewEntry {
            problems: vec![problem],
            ..place
        })
        .unwrap();
        assert_eq!((ok.at, ok.problems.len(), ok.how), (None, 1, How::Visit));
        assert!(check_comment("  ").is_err());
        assert_eq!(check_comment(" 跟进得好 ").unwrap(), "跟进得好");
    }
}
