//! Volunteer shifts (red-vest patrols) and community events: one sign-up engine with
//! seats, a waitlist, an overlap rule, a cancellation cut-off, check-in by link and an
//! hours ledger. The rules here are pure; the server applies them in one transaction.
use crate::domain::AppError;
use crate::domain::grid::GridId;
use crate::i18n::Msg;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ShiftId(pub i64);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct TeamId(pub i64);

pub const TITLE_MAX: usize = 60;
pub const PLACE_MAX: usize = 80;
pub const NOTE_MAX: usize = 500;
pub const CAPACITY_MAX: u32 = 500;
pub const MINUTES_MIN: u32 = 15;
pub const MINUTES_MAX: u32 = 12 * 60;
pub const CUTOFF_MAX_HOURS: u32 = 7 * 24;
/// A repeating shift's rule reaches at most this many weeks ahead.
pub const WEEKS_MAX: u32 = 26;
/// "Every n weeks" goes up to this.
pub const EVERY_MAX: u32 = 4;
/// A rule leaves out at most this many dates.
pub const EXCEPT_MAX: usize = 60;
/// Check-in opens this long before the start.
pub const CHECKIN_EARLY_MIN: i64 = 30;
/// Check-out stays open this long after the end.
pub const CHECKOUT_LATE_MIN: i64 = 120;

const MINUTE: i64 = 60_000;
const HOUR: i64 = 60 * MINUTE;
const WEEK: i64 = 7 * 24 * HOUR;

/// A patrol shift belongs to a grid (and often a team); an event is open to all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum ShiftKind {
    #[default]
    Patrol,
    Event,
}

impl ShiftKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ShiftKind::Patrol => "patrol",
            ShiftKind::Event => "event",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "patrol" => Some(ShiftKind::Patrol),
            "event" => Some(ShiftKind::Event),
            _ => None,
        }
    }
    pub fn label(self) -> Msg {
        match self {
            ShiftKind::Patrol => Msg::ShiftKindPatrol,
            ShiftKind::Event => Msg::ShiftKindEvent,
        }
    }
}

/// What a coordinator fills in. Times are milliseconds since the epoch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShiftInput {
    pub kind: ShiftKind,
    pub grid: GridId,
    pub team: Option<TeamId>,
    pub title: String,
    pub place: String,
    pub starts_at: i64,
    pub minutes: u32,
    pub capacity: u32,
    /// Fewer seated than this and the roster shows the shift as a gap.
    pub min_seats: u32,
    pub note: String,
    /// Volunteers may cancel until this many hours before the start.
    pub cutoff_hours: u32,
    /// One-off when `None`; otherwise the weekly rule, starting from `starts_at`.
    #[serde(default)]
    pub repeat: Option<Recurrence>,
}

/// A weekly rule, edited as a rule: on these weekdays, every `every` weeks, from the
/// first occurrence's date until `until`, leaving out the `except` dates. Every
/// occurrence starts at the first one's time of day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Recurrence {
    /// Bit 0 is Monday … bit 6 Sunday.
    pub weekdays: u8,
    /// 1: every week; 2: every other week …
    pub every: u32,
    /// The last date (China time), `2026-12-31`.
    pub until: String,
    /// Dates left out (called off), `2026-12-24`.
    #[serde(default)]
    pub except: Vec<String>,
}

/// A series' rule and where it is anchored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeriesRule {
    /// The first occurrence's start: its week, weekday and time of day anchor the rule.
    pub first_start: i64,
    pub rule: Recurrence,
}

/// "2026-12-24" for a time in China.
pub fn local_date(ms: i64) -> String {
    let mut s = crate::domain::time::format_cst(ms);
    s.truncate(10);
    s
}

/// The rule's own checks; `first_start` anchors it.
pub fn check_rule(r: &Recurrence, first_start: i64, now: i64) -> Result<(), AppError> {
    if r.weekdays & 0x7f == 0 {
        return Err(AppError::invalid("weekdays", Msg::ErrRuleWeekdays));
    }
    if !(1..=EVERY_MAX).contains(&r.every) {
        return Err(AppError::invalid("every", Msg::ErrRuleEvery));
    }
    let Some(until) = parse_local(&r.until, "00:00") else {
        return Err(AppError::invalid("until", Msg::ErrRuleUntil));
    };
    if until + DAY <= first_start {
        return Err(AppError::invalid("until", Msg::ErrRuleUntil));
    }
    if until > first_start.max(now) + i64::from(WEEKS_MAX) * WEEK {
        return Err(AppError::invalid("until", Msg::ErrRuleTooLong));
    }
    if r.except.len() > EXCEPT_MAX || r.except.iter().any(|d| parse_local(d, "00:00").is_none()) {
        return Err(AppError::invalid("except", Msg::ErrRuleExcept));
    }
    if rule_starts(first_start, r).is_empty() {
        return Err(AppError::invalid("weekdays", Msg::ErrRuleEmpty));
    }
    Ok(())
}

/// The start of a day (China time) holding `ms`.
fn day_start(ms: i64) -> i64 {
    (ms + CST).div_euclid(DAY) * DAY - CST
}

/// Every start the rule gives, from `first_start` on, soonest first.
pub fn rule_starts(first_start: i64, r: &Recurrence) -> Vec<i64> {
    let Some(last_day) = parse_local(&r.until, "00:00") else {
        return Vec::new();
    };
    let end = last_day + DAY;
    let time_of_day = first_start - day_start(first_start);
    let step = i64::from(r.every.clamp(1, EVERY_MAX)) * WEEK;
    let mut out = Vec::new();
    let mut week = week_start(first_start);
    // The checks bound `until`; the count bound keeps a bad row from looping long.
    while week < end && out.len() < 7 * 4 * WEEKS_MAX as usize {
        for wd in 0..7 {
            let t = week + wd * DAY + time_of_day;
            if r.weekdays & (1 << wd) != 0
                && t >= first_start
                && t < end
                && !r.except.iter().any(|d| *d == local_date(t))
            {
                out.push(t);
            }
        }
        week += step;
    }
    out
}

/// The rule of a series stored before rules were (or made some other way): the
/// weekdays its occurrences fall on, every week, until the last one.
pub fn rule_from_starts(starts: &[i64]) -> Option<SeriesRule> {
    let first = *starts.iter().min()?;
    let last = *starts.iter().max()?;
    let weekdays = starts.iter().fold(0u8, |bits, t| bits | weekday_bit(*t));
    Some(SeriesRule {
        first_start: first,
        rule: Recurrence {
            weekdays,
            every: 1,
            until: local_date(last),
            except: Vec::new(),
        },
    })
}

/// The weekday bit (Monday = bit 0) of a time in China.
pub fn weekday_bit(ms: i64) -> u8 {
    1 << weekday(ms)
}

/// 0 on Mondays … 6 on Sundays (China time). 1970-01-01 was a Thursday.
fn weekday(ms: i64) -> i64 {
    ((ms + CST).div_euclid(DAY) + 3).rem_euclid(7)
}

/// One stored occurrence of a series, for [`plan_series`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Occurrence {
    pub id: ShiftId,
    pub starts_at: i64,
    pub cancelled: bool,
    /// Anyone ever signed up (then it is called off, never deleted).
    pub people: bool,
}

/// What changing a series' rule does to its future occurrences.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SeriesPlan {
    /// New starts to add.
    pub add: Vec<i64>,
    /// Occurrences nobody signed up for that the rule no longer gives.
    pub remove: Vec<ShiftId>,
    /// Occurrences with people that the rule no longer gives: called off, people told.
    pub call_off: Vec<ShiftId>,
    /// Called-off occurrences the rule gives again.
    pub restore: Vec<ShiftId>,
}

/// Compares the future occurrences with the starts the new rule gives.
/// Occurrences already called off that the rule leaves out stay as they are.
pub fn plan_series(future: &[Occurrence], wanted: &[i64]) -> SeriesPlan {
    let mut plan = SeriesPlan::default();
    for o in future {
        match (wanted.contains(&o.starts_at), o.cancelled) {
            (true, true) => plan.restore.push(o.id),
            (true, false) | (false, true) => {}
            (false, false) if o.people => plan.call_off.push(o.id),
            (false, false) => plan.remove.push(o.id),
        }
    }
    plan.add = wanted
        .iter()
        .copied()
        .filter(|t| !future.iter().any(|o| o.starts_at == *t))
        .collect();
    plan
}

/// What a rule change did, for the coordinator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct SeriesChange {
    pub added: u32,
    pub removed: u32,
    pub called_off: u32,
    pub restored: u32,
}

const WEEKDAYS_ZH: [&str; 7] = ["一", "二", "三", "四", "五", "六", "日"];
const WEEKDAYS_EN: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// A weekday's short name (0 = Monday).
pub fn weekday_name(wd: usize, lang: crate::i18n::Lang) -> &'static str {
    match lang {
        crate::i18n::Lang::Zh => WEEKDAYS_ZH[wd % 7],
        crate::i18n::Lang::En => WEEKDAYS_EN[wd % 7],
    }
}

/// "每周一、四 19:00，至 2026-12-31（除 12-24）" / "Every week on Mon, Thu at 19:00 until …".
pub fn describe_rule(s: &SeriesRule, lang: crate::i18n::Lang) -> String {
    use crate::i18n::Lang;
    let r = &s.rule;
    let days: Vec<&str> = (0..7)
        .filter(|wd| r.weekdays & (1 << wd) != 0)
        .map(|wd| weekday_name(wd, lang))
        .collect();
    let at = crate::domain::time::format_cst(s.first_start);
    let at = at.get(11..).unwrap_or_default();
    let except: Vec<&str> = r.except.iter().map(|d| d.get(5..).unwrap_or(d)).collect();
    match lang {
        Lang::Zh => {
            let every = if r.every == 1 {
                "每周".to_owned()
            } else {
                format!("每 {} 周的周", r.every)
            };
            let mut t = format!("{every}{} {at}，至 {}", days.join("、"), r.until);
            if !except.is_empty() {
                t.push_str(&format!("（除 {}）", except.join("、")));
            }
            t
        }
        Lang::En => {
            let every = if r.every == 1 {
                "Every week".to_owned()
            } else {
                format!("Every {} weeks", r.every)
            };
            let mut t = format!("{every} on {} at {at} until {}", days.join(", "), r.until);
            if !except.is_empty() {
                t.push_str(&format!(" (except {})", except.join(", ")));
            }
            t
        }
    }
}

use crate::domain::error::check_text as text;

pub fn check_shift(i: &ShiftInput, now: i64) -> Result<(), AppError> {
    text("title", &i.title, TITLE_MAX, true)?;
    text("place", &i.place, PLACE_MAX, true)?;
    text("note", &i.note, NOTE_MAX, false)?;
    if i.starts_at <= now {
        return Err(AppError::invalid("starts_at", Msg::ErrShiftPast));
    }
    if i.starts_at > now.saturating_add(crate::domain::time::PLAN_AHEAD_MAX_MS) {
        return Err(AppError::invalid("starts_at", Msg::ErrDateRange));
    }
    if !(MINUTES_MIN..=MINUTES_MAX).contains(&i.minutes) {
        return Err(AppError::invalid("minutes", Msg::ErrShiftMinutes));
    }
    if !(1..=CAPACITY_MAX).contains(&i.capacity) {
        return Err(AppError::invalid("capacity", Msg::ErrShiftCapacity));
    }
    if i.min_seats > i.capacity {
        return Err(AppError::invalid("min_seats", Msg::ErrShiftMinSeats));
    }
    if i.cutoff_hours > CUTOFF_MAX_HOURS {
        return Err(AppError::invalid("cutoff_hours", Msg::ErrShiftCutoff));
    }
    if let Some(r) = &i.repeat {
        check_rule(r, i.starts_at, now)?;
    }
    Ok(())
}

/// The start of every occurrence: the rule's (China has no DST), or the one start.
pub fn occurrences(i: &ShiftInput) -> Vec<i64> {
    match &i.repeat {
        Some(r) => rule_starts(i.starts_at, r),
        None => vec![i.starts_at],
    }
}

pub fn ends_at(starts_at: i64, minutes: u32) -> i64 {
    starts_at + i64::from(minutes) * MINUTE
}

/// "2026-11-28 19:00–21:00" (China time; the end's date only when it differs).
pub fn format_when(starts_at: i64, ends_at: i64) -> String {
    let a = crate::domain::time::format_cst(starts_at);
    let b = crate::domain::time::format_cst(ends_at);
    if a.get(..10) == b.get(..10) {
        format!("{a}–{}", b.get(11..).unwrap_or_default())
    } else {
        format!("{a}–{b}")
    }
}

const CST: i64 = 8 * HOUR;
const DAY: i64 = 24 * HOUR;

/// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `2026-11-28` and `19:00` (as a date and a time input give them), China time, to
/// milliseconds since the epoch.
pub fn parse_local(date: &str, time: &str) -> Option<i64> {
    let mut d = date.trim().splitn(3, '-').map(|p| p.parse::<i64>().ok());
    let (y, m, day) = (d.next()??, d.next()??, d.next()??);
    let mut t = time.trim().splitn(2, ':').map(|p| p.parse::<i64>().ok());
    let (h, min) = (t.next()??, t.next()??);
    if !(2000..=2099).contains(&y)
        || !(1..=12).contains(&m)
        || !(1..=31).contains(&day)
        || !(0..24).contains(&h)
        || !(0..60).contains(&min)
    {
        return None;
    }
    let ms = days_from_civil(y, m, day) * DAY + h * HOUR + min * MINUTE - CST;
    // 2026-02-30 and the like: the date must read back the same.
    (crate::domain::time::format_cst(ms).get(..10) == Some(date.trim())).then_some(ms)
}

/// Monday 00:00 (China time) of the week holding `ms`.
pub fn week_start(ms: i64) -> i64 {
    day_start(ms) - weekday(ms) * DAY
}

pub const WEEK_MS: i64 = WEEK;

/// Half-open intervals `[start, end)`: back-to-back shifts do not overlap.
pub fn overlaps(a: (i64, i64), b: (i64, i64)) -> bool {
    a.0 < b.1 && b.0 < a.1
}

/// Where a sign-up lands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SignupState {
    Seated,
    Waiting,
    Cancelled,
}

impl SignupState {
    pub fn as_str(self) -> &'static str {
        match self {
            SignupState::Seated => "seated",
            SignupState::Waiting => "waiting",
            SignupState::Cancelled => "cancelled",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "seated" => Some(SignupState::Seated),
            "waiting" => Some(SignupState::Waiting),
            "cancelled" => Some(SignupState::Cancelled),
            _ => None,
        }
    }
    pub fn label(self) -> Msg {
        match self {
            SignupState::Seated => Msg::ShiftSeated,
            SignupState::Waiting => Msg::ShiftWaiting,
            SignupState::Cancelled => Msg::ShiftCancelledSignup,
        }
    }
}

/// A seat while one is free, else the waitlist.
pub fn place(taken: u32, capacity: u32) -> SignupState {
    if taken < capacity {
        SignupState::Seated
    } else {
        SignupState::Waiting
    }
}

/// Volunteers may cancel until `cutoff_hours` before the start.
pub fn may_cancel(now: i64, starts_at: i64, cutoff_hours: u32) -> bool {
    now <= starts_at - i64::from(cutoff_hours) * HOUR
}

/// Sign-ups close when the shift starts.
pub fn may_sign_up(now: i64, starts_at: i64) -> bool {
    now < starts_at
}

/// Check-in by the shift's link: from half an hour before the start to the end.
pub fn checkin_open(now: i64, starts_at: i64, ends_at: i64) -> bool {
    now >= starts_at - CHECKIN_EARLY_MIN * MINUTE && now <= ends_at
}

/// Check-out: after check-in, until two hours after the end.
pub fn checkout_open(now: i64, checked_in: i64, ends_at: i64) -> bool {
    now >= checked_in && now <= ends_at + CHECKOUT_LATE_MIN * MINUTE
}

/// Minutes credited for a shift: the time between check-in and check-out that falls
/// inside the shift (arriving early or staying late earns nothing extra).
pub fn credited_minutes(checked_in: i64, checked_out: i64, starts_at: i64, ends_at: i64) -> u32 {
    let from = checked_in.max(starts_at);
    let to = checked_out.min(ends_at);
    u32::try_from(((to - from).max(0)) / MINUTE).unwrap_or(0)
}

/// A team of volunteers in a grid (红马甲巡逻队, 文艺队, 闲事会 …).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Team {
    pub id: TeamId,
    pub grid: GridId,
    pub grid_name: String,
    pub name: String,
    pub leader: String,
    pub members: u32,
    pub active: bool,
}

pub const TEAM_NAME_MAX: usize = 30;

/// A team member, for the team editor (phone masked).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TeamMember {
    pub user: i64,
    pub name: String,
    pub phone: String,
    pub leader: bool,
}

/// One edit of a team.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum TeamChange {
    Rename(String),
    /// An inactive team is kept (its shifts and history stay) but no longer counts
    /// toward the grid's two teams and is not offered for new shifts.
    SetActive(bool),
    /// Add the person with this phone number (they need an account).
    Add(String),
    Remove(i64),
    /// Make this member the leader.
    Lead(i64),
}

pub fn check_team_name(name: &str) -> Result<(), AppError> {
    text("name", name, TEAM_NAME_MAX, true)
}

/// Every grid a coordinator schedules, and the teams in them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TeamsInScope {
    /// Level-3 grids: id and name.
    pub grids: Vec<(GridId, String)>,
    pub teams: Vec<Team>,
}

/// The seed's rule: at least two active teams per grid.
pub const TEAMS_PER_GRID: usize = 2;

impl TeamsInScope {
    /// Grids with fewer than [`TEAMS_PER_GRID`] active teams, with how many they have.
    pub fn gaps(&self) -> Vec<(String, usize)> {
        self.grids
            .iter()
            .map(|(id, name)| {
                let n = self
                    .teams
                    .iter()
                    .filter(|t| t.grid == *id && t.active)
                    .count();
                (name.clone(), n)
            })
            .filter(|(_, n)| *n < TEAMS_PER_GRID)
            .collect()
    }
}

/// A shift as a volunteer sees it in a list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Shift {
    pub id: ShiftId,
    pub kind: ShiftKind,
    pub grid: GridId,
    pub grid_name: String,
    pub team: Option<String>,
    pub title: String,
    pub place: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub capacity: u32,
    pub taken: u32,
    pub waiting: u32,
    pub min_seats: u32,
    pub note: String,
    pub cutoff_hours: u32,
    /// Set when the coordinator called this occurrence off.
    pub cancelled: bool,
    /// The viewer's own sign-up, if any (not cancelled).
    pub mine: Option<SignupState>,
    /// The viewer's place on the waitlist (1 = next).
    pub my_position: Option<u32>,
    pub checked_in_at: Option<i64>,
    pub checked_out_at: Option<i64>,
}

impl Shift {
    /// Fewer seated than the minimum: a gap on the roster.
    pub fn short(&self) -> bool {
        !self.cancelled && self.taken < self.min_seats
    }
}

/// One person on a shift's roster, for its coordinators.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RosterLine {
    pub signup: i64,
    pub name: String,
    /// Masked.
    pub phone: String,
    pub state: SignupState,
    pub checked_in_at: Option<i64>,
    pub checked_out_at: Option<i64>,
    pub minutes: Option<u32>,
}

/// A shift opened: for coordinators also its roster and check-in link token.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShiftDetail {
    pub shift: Shift,
    pub roster: Option<Vec<RosterLine>>,
    pub checkin_token: Option<String>,
    pub may_cancel: bool,
    /// The weekly rule, when this occurrence belongs to one.
    pub series: Option<SeriesRule>,
}

/// What a sign-up did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignupOutcome {
    pub state: SignupState,
    /// On the waitlist: 1 = next in line.
    pub position: Option<u32>,
}

/// A volunteer's hours in one month ("2026-11", China time).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthHours {
    pub month: String,
    pub shifts: u32,
    pub minutes: u32,
}

/// "2026-11" for a time in China (UTC+8).
pub fn month_of(ms: i64) -> String {
    let mut s = crate::domain::time::format_cst(ms);
    s.truncate(7);
    s
}

/// Sums ledger entries `(recorded_at, minutes)` by month, newest month first.
pub fn hours_by_month(entries: &[(i64, u32)]) -> Vec<MonthHours> {
    let mut out: Vec<MonthHours> = Vec::new();
    for (at, minutes) in entries {
        let month = month_of(*at);
        match out.iter_mut().find(|m| m.month == month) {
            Some(m) => {
                m.shifts += 1;
                m.minutes += minutes;
            }
            None => out.push(MonthHours {
                month,
                shifts: 1,
                minutes: *minutes,
            }),
        }
    }
    out.sort_by(|a, b| b.month.cmp(&a.month));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_795_000_000_000;

    fn input() -> ShiftInput {
        ShiftInput {
            kind: ShiftKind::Patrol,
            grid: GridId(5),
            team: None,
            title: "红马甲夜间巡逻".into(),
            place: "公安街".into(),
            starts_at: NOW + HOUR,
            minutes: 120,
            capacity: 6,
            min_seats: 2,
            note: String::new(),
            cutoff_hours: 2,
            repeat: None,
        }
    }

    #[test]
    fn a_good_shift_passes_and_each_bad_field_is_named() {
        assert_eq!(check_shift(&input(), NOW), Ok(()));
        let field = |i: ShiftInput| match check_shift(&i, NOW) {
            Err(AppError::Invalid { field, .. }) => field,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            field(ShiftInput {
                title: " ".into(),
                ..input()
            }),
            "title"
        );
        assert_eq!(
            field(ShiftInput {
                place: "".into(),
                ..input()
            }),
            "place"
        );
        assert_eq!(
            field(ShiftInput {
                starts_at: NOW,
                ..input()
            }),
            "starts_at"
        );
        assert_eq!(
            field(ShiftInput {
                minutes: 10,
                ..input()
            }),
            "minutes"
        );
        assert_eq!(
            field(ShiftInput {
                minutes: 721,
                ..input()
            }),
            "minutes"
        );
        assert_eq!(
            field(ShiftInput {
                capacity: 0,
                ..input()
            }),
            "capacity"
        );
        assert_eq!(
            field(ShiftInput {
                min_seats: 7,
                ..input()
            }),
            "min_seats"
        );
        assert_eq!(
            field(ShiftInput {
                cutoff_hours: 169,
                ..input()
            }),
            "cutoff_hours"
        );
        assert_eq!(
            field(ShiftInput {
                repeat: Some(Recurrence::default()),
                ..input()
            }),
            "weekdays"
        );
        assert_eq!(
            field(ShiftInput {
                note: "字".repeat(501),
                ..input()
            }),
            "note"
        );
    }

    fn rule(weekdays: u8, every: u32, until: &str, except: &[&str]) -> Recurrence {
        Recurrence {
            weekdays,
            every,
            until: until.into(),
            except: except.iter().map(|d| (*d).to_owned()).collect(),
        }
    }

    #[test]
    fn a_one_off_has_one_start_and_a_rule_its_weekdays() {
        assert_eq!(occurrences(&input()), vec![NOW + HOUR]);
        // Thursday 2026-12-03 19:00; Mondays and Thursdays until Monday 12-14.
        let thu = parse_local("2026-12-03", "19:00").unwrap();
        let r = rule(0b000_1001, 1, "2026-12-14", &[]);
        let dates: Vec<String> = rule_starts(thu, &r)
            .into_iter()
            .map(crate::domain::time::format_cst)
            .collect();
        assert_eq!(
            dates,
            [
                "2026-12-03 19:00",
                "2026-12-07 19:00",
                "2026-12-10 19:00",
                "2026-12-14 19:00"
            ]
        );
        // Every other week, leaving out 12-17: 12-03, (12-17 left out), 12-31.
        let r = rule(0b000_1000, 2, "2026-12-31", &["2026-12-17"]);
        let dates: Vec<String> = rule_starts(thu, &r).into_iter().map(local_date).collect();
        assert_eq!(dates, ["2026-12-03", "2026-12-31"]);
        // Days before the first start's time are not in the rule (Monday 11-30).
        let r = rule(0b000_0001, 1, "2026-12-07", &[]);
        assert_eq!(rule_starts(thu, &r).len(), 1);
    }

    #[test]
    fn bad_rules_name_their_field() {
        let thu = parse_local("2026-12-03", "19:00").unwrap();
        let now = thu - DAY;
        let field = |r: Recurrence| match check_rule(&r, thu, now) {
            Err(AppError::Invalid { field, .. }) => field,
            other => panic!("{other:?}"),
        };
        assert_eq!(check_rule(&rule(8, 1, "2026-12-31", &[]), thu, now), Ok(()));
        assert_eq!(field(rule(0, 1, "2026-12-31", &[])), "weekdays");
        assert_eq!(field(rule(0x80, 1, "2026-12-31", &[])), "weekdays");
        assert_eq!(field(rule(8, 0, "2026-12-31", &[])), "every");
        assert_eq!(field(rule(8, 5, "2026-12-31", &[])), "every");
        assert_eq!(field(rule(8, 1, "2026-12-02", &[])), "until");
        assert_eq!(field(rule(8, 1, "12/31", &[])), "until");
        assert_eq!(field(rule(8, 1, "2027-12-31", &[])), "until");
        assert_eq!(field(rule(8, 1, "2026-12-31", &["x"])), "except");
        // Only Thursday 12-03, and it is left out: nothing left.
        assert_eq!(field(rule(8, 1, "2026-12-03", &["2026-12-03"])), "weekdays");
    }

    #[test]
    fn a_new_rule_adds_removes_calls_off_and_restores() {
        let o = |id: i64, t: i64, cancelled: bool, people: bool| Occurrence {
            id: ShiftId(id),
            starts_at: t,
            cancelled,
            people,
        };
        let future = [
            o(1, 100, false, false),
            o(2, 200, false, true),
            o(3, 300, true, true),
            o(4, 400, true, false),
            o(5, 500, false, true),
        ];
        let plan = plan_series(&future, &[300, 500, 600]);
        assert_eq!(
            plan,
            SeriesPlan {
                add: vec![600],
                remove: vec![ShiftId(1)],
                call_off: vec![ShiftId(2)],
                restore: vec![ShiftId(3)],
            }
        );
    }

    #[test]
    fn an_old_series_reads_back_as_a_rule() {
        let thu = parse_local("2026-12-03", "19:00").unwrap();
        let sr = rule_from_starts(&[thu + WEEK, thu, thu + 4 * DAY]).unwrap();
        assert_eq!(sr.first_start, thu);
        assert_eq!(sr.rule, rule(0b000_1001, 1, "2026-12-10", &[]));
        assert_eq!(
            describe_rule(&sr, crate::i18n::Lang::Zh),
            "每周一、四 19:00，至 2026-12-10"
        );
        let sr = SeriesRule {
            first_start: thu,
            rule: rule(0b000_1000, 2, "2026-12-31", &["2026-12-17"]),
        };
        assert_eq!(
            describe_rule(&sr, crate::i18n::Lang::En),
            "Every 2 weeks on Thu at 19:00 until 2026-12-31 (except 12-17)"
        );
        assert_eq!(rule_from_starts(&[]), None);
    }

    #[test]
    fn grids_short_of_two_active_teams_are_gaps() {
        let team = |id: i64, grid: i64, active: bool| Team {
            id: TeamId(id),
            grid: GridId(grid),
            grid_name: String::new(),
            name: String::new(),
            leader: String::new(),
            members: 0,
            active,
        };
        let s = TeamsInScope {
            grids: vec![
                (GridId(1), "老街01".into()),
                (GridId(2), "老街02".into()),
                (GridId(3), "老街03".into()),
            ],
            teams: vec![
                team(1, 1, true),
                team(2, 1, true),
                team(3, 2, true),
                team(4, 2, false),
            ],
        };
        assert_eq!(s.gaps(), vec![("老街02".into(), 1), ("老街03".into(), 0)]);
    }

    #[test]
    fn local_dates_and_weeks() {
        // 2026-11-01 00:30 in Luohe is 2026-10-31 16:30 UTC.
        assert_eq!(parse_local("2026-11-01", "00:30"), Some(1_793_464_200_000));
        assert_eq!(parse_local("2026-02-30", "10:00"), None);
        assert_eq!(parse_local("2026-11-01", "24:00"), None);
        assert_eq!(parse_local("", "10:00"), None);
        assert_eq!(parse_local("2026-11-01", "x"), None);
        // 2026-11-28 is a Saturday; its week began on Monday 2026-11-23.
        let sat = parse_local("2026-11-28", "21:00").unwrap();
        let mon = parse_local("2026-11-23", "00:00").unwrap();
        assert_eq!(week_start(sat), mon);
        assert_eq!(week_start(mon), mon);
        assert_eq!(week_start(mon - 1), mon - WEEK);
    }

    #[test]
    fn when_reads_as_one_span() {
        let start = 1_793_464_200_000; // 2026-11-01 00:30 in Luohe
        assert_eq!(
            format_when(start, start + 2 * HOUR),
            "2026-11-01 00:30–02:30"
        );
        assert_eq!(
            format_when(start - HOUR, start + HOUR),
            "2026-10-31 23:30–2026-11-01 01:30"
        );
    }

    #[test]
    fn overlap_is_half_open() {
        assert!(overlaps((0, 10), (5, 15)));
        assert!(overlaps((5, 15), (0, 10)));
        assert!(overlaps((0, 10), (2, 3)));
        assert!(!overlaps((0, 10), (10, 20)), "back to back is fine");
        assert!(!overlaps((10, 20), (0, 10)));
    }

    #[test]
    fn seats_then_waitlist() {
        assert_eq!(place(0, 1), SignupState::Seated);
        assert_eq!(place(19, 20), SignupState::Seated);
        assert_eq!(place(20, 20), SignupState::Waiting);
        assert_eq!(place(21, 20), SignupState::Waiting);
    }

    #[test]
    fn cancellation_cutoff_and_windows() {
        let start = NOW + 3 * HOUR;
        assert!(may_cancel(NOW, start, 2));
        assert!(may_cancel(NOW, start, 3), "exactly at the cut-off");
        assert!(!may_cancel(NOW, start, 4));
        assert!(may_sign_up(NOW, start));
        assert!(!may_sign_up(start, start));
        let end = start + 2 * HOUR;
        assert!(!checkin_open(start - 31 * MINUTE, start, end));
        assert!(checkin_open(start - 30 * MINUTE, start, end));
        assert!(checkin_open(end, start, end));
        assert!(!checkin_open(end + 1, start, end));
        assert!(checkout_open(end + 2 * HOUR, start, end));
        assert!(!checkout_open(end + 2 * HOUR + 1, start, end));
        assert!(!checkout_open(start - 1, start, end));
    }

    #[test]
    fn credit_counts_only_time_inside_the_shift() {
        let (s, e) = (NOW, NOW + 2 * HOUR);
        assert_eq!(
            credited_minutes(s - 20 * MINUTE, e + 30 * MINUTE, s, e),
            120
        );
        assert_eq!(credited_minutes(s + 30 * MINUTE, e, s, e), 90);
        assert_eq!(
            credited_minutes(s + 30 * MINUTE, s + 30 * MINUTE + 59_999, s, e),
            0
        );
        assert_eq!(
            credited_minutes(e + MINUTE, e + 2 * MINUTE, s, e),
            0,
            "never negative"
        );
    }

    #[test]
    fn hours_add_up_per_china_month() {
        // 2026-10-31 16:30 UTC is already 2026-11-01 in Luohe.
        let nov1_cst = 1_793_464_200_000;
        let oct31_cst = nov1_cst - 9 * HOUR;
        let months = hours_by_month(&[(nov1_cst, 120), (oct31_cst, 60), (nov1_cst + HOUR, 30)]);
        assert_eq!(
            months,
            vec![
                MonthHours {
                    month: "2026-11".into(),
                    shifts: 2,
                    minutes: 150
                },
                MonthHours {
                    month: "2026-10".into(),
                    shifts: 1,
                    minutes: 60
                },
            ]
        );
    }
}
