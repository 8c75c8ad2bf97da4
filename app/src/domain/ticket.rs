//! Tickets (事件): states, who may move a ticket from one state to the next, and
//! deadlines. Pure rules; the ticket service applies them.
use crate::domain::geo::LatLng;
use crate::domain::grid::{Duty, GridId};
use crate::i18n::{Lang, Msg};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct TicketId(pub i64);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TicketStatus {
    Pending,
    Accepted,
    InProgress,
    /// Fixed (or partly, or not ours) by the handler; a second person checks it.
    Checking,
    Resolved,
    Closed,
    Rejected,
    Duplicate,
}

impl TicketStatus {
    pub const ALL: [TicketStatus; 8] = [
        Self::Pending,
        Self::Accepted,
        Self::InProgress,
        Self::Checking,
        Self::Resolved,
        Self::Closed,
        Self::Rejected,
        Self::Duplicate,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Accepted => "accepted",
            Self::InProgress => "in_progress",
            Self::Checking => "checking",
            Self::Resolved => "resolved",
            Self::Closed => "closed",
            Self::Rejected => "rejected",
            Self::Duplicate => "duplicate",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == s)
    }

    /// Still someone's work (counts toward queues and deadlines).
    pub fn is_open(self) -> bool {
        matches!(
            self,
            Self::Pending | Self::Accepted | Self::InProgress | Self::Checking
        )
    }

    /// The open states as an SQL list (`('pending', …)`), from [`Self::is_open`].
    pub fn open_sql() -> String {
        let names: Vec<String> = Self::ALL
            .into_iter()
            .filter(|s| s.is_open())
            .map(|s| format!("'{}'", s.as_str()))
            .collect();
        format!("({})", names.join(", "))
    }

    pub fn label(self) -> Msg {
        match self {
            Self::Pending => Msg::StPending,
            Self::Accepted => Msg::StAccepted,
            Self::InProgress => Msg::StInProgress,
            Self::Checking => Msg::StChecking,
            Self::Resolved => Msg::StResolved,
            Self::Closed => Msg::StClosed,
            Self::Rejected => Msg::StRejected,
            Self::Duplicate => Msg::StDuplicate,
        }
    }

    /// Open311 knows only `open` and `closed`.
    pub fn open311(self) -> &'static str {
        if self.is_open() { "open" } else { "closed" }
    }
}

/// What someone does to a ticket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TicketAction {
    Accept,
    Start,
    /// Needs an "after" photo.
    Resolve,
    /// Partly fixed: needs what is left (and, for a problem, an "after" photo).
    ResolvePartly,
    /// Not the community's to fix: needs which body is responsible; the reporter is
    /// told on the ticket.
    NotOurs,
    /// The second person finds the fix done (an on-site photo optional).
    PassCheck,
    /// The second person sends it back with a reason: rework.
    FailCheck,
    /// The reporter rates the fix (满意度回访): a rating in the step's input.
    Rate,
    /// 代报: a staff member who did not handle it calls the resident and records
    /// their rating (the step says who called and when).
    RecordRating,
    /// Before ratings, the reporter confirmed the fix; kept so old timelines read.
    Confirm,
    /// Before ratings, the reporter said it was not fixed; kept so old timelines read.
    Reopen,
    /// Needs a reason.
    Reject,
    /// Merged into another ticket; needs that ticket.
    MarkDuplicate,
}

impl TicketAction {
    pub const ALL: [TicketAction; 13] = [
        Self::Accept,
        Self::Start,
        Self::Resolve,
        Self::ResolvePartly,
        Self::NotOurs,
        Self::PassCheck,
        Self::FailCheck,
        Self::Rate,
        Self::RecordRating,
        Self::Confirm,
        Self::Reopen,
        Self::Reject,
        Self::MarkDuplicate,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Accept => "accept",
            Self::Start => "start",
            Self::Resolve => "resolve",
            Self::ResolvePartly => "resolve_partly",
            Self::NotOurs => "not_ours",
            Self::PassCheck => "pass_check",
            Self::FailCheck => "fail_check",
            Self::Rate => "rate",
            Self::RecordRating => "record_rating",
            Self::Confirm => "confirm",
            Self::Reopen => "reopen",
            Self::Reject => "reject",
            Self::MarkDuplicate => "duplicate",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == s)
    }

    pub fn label(self) -> Msg {
        match self {
            Self::Accept => Msg::ActAccept,
            Self::Start => Msg::ActStart,
            Self::Resolve => Msg::ActResolve,
            Self::ResolvePartly => Msg::ActResolvePartly,
            Self::NotOurs => Msg::ActNotOurs,
            Self::PassCheck => Msg::ActPassCheck,
            Self::FailCheck => Msg::ActFailCheck,
            Self::Rate => Msg::ActRate,
            Self::RecordRating => Msg::ActRecordRating,
            Self::Confirm => Msg::ActConfirm,
            Self::Reopen => Msg::ActReopen,
            Self::Reject => Msg::ActReject,
            Self::MarkDuplicate => Msg::ActDuplicate,
        }
    }
}

/// Who acts, relative to the ticket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relation {
    /// Staff of the ticket's grid, its community's director, or a street admin.
    Handler,
    /// The person who reported it.
    Reporter,
    /// May check the fix: the category's checker, never the person who resolved it.
    Checker,
    /// 代报: may call the resident for their rating (staff who did not handle it).
    Caller,
    Other,
}

impl TicketAction {
    /// A closing step by the handler, which a second person checks where the category
    /// says so.
    pub fn closes(self) -> bool {
        matches!(self, Self::Resolve | Self::ResolvePartly | Self::NotOurs)
    }

    /// The outcome a closing step claims.
    pub fn outcome(self) -> Option<Outcome> {
        match self {
            Self::Resolve => Some(Outcome::Fixed),
            Self::ResolvePartly => Some(Outcome::Partly),
            Self::NotOurs => Some(Outcome::NotOurs),
            _ => None,
        }
    }
}

/// How a ticket was closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Outcome {
    Fixed,
    /// 部分解决: what is left is in the step's note.
    Partly,
    /// 不属于职责范围: the responsible body is in the step's note.
    NotOurs,
}

impl Outcome {
    pub const ALL: [Outcome; 3] = [Self::Fixed, Self::Partly, Self::NotOurs];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Fixed => "fixed",
            Self::Partly => "partly",
            Self::NotOurs => "not_ours",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.as_str() == s)
    }

    pub fn label(self) -> Msg {
        match self {
            Self::Fixed => Msg::OutcomeFixed,
            Self::Partly => Msg::OutcomePartly,
            Self::NotOurs => Msg::OutcomeNotOurs,
        }
    }
}

/// The reporter's answer to 满意度回访, or none within [`RATING_WAIT_MS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Rating {
    Satisfied,
    Basic,
    Neutral,
    Unsatisfied,
    VeryUnsatisfied,
    /// Recorded by the clock after a week: never counted as satisfied.
    NoAnswer,
}

/// How long the rating question stays open after the fix reaches the reporter.
pub const RATING_WAIT_MS: i64 = 7 * 86_400_000;

impl Rating {
    pub const ALL: [Rating; 6] = [
        Self::Satisfied,
        Self::Basic,
        Self::Neutral,
        Self::Unsatisfied,
        Self::VeryUnsatisfied,
        Self::NoAnswer,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Satisfied => "satisfied",
            Self::Basic => "basic",
            Self::Neutral => "neutral",
            Self::Unsatisfied => "unsatisfied",
            Self::VeryUnsatisfied => "very_unsatisfied",
            Self::NoAnswer => "no_answer",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }

    pub fn label(self) -> Msg {
        match self {
            Self::Satisfied => Msg::RateSatisfied,
            Self::Basic => Msg::RateBasic,
            Self::Neutral => Msg::RateNeutral,
            Self::Unsatisfied => Msg::RateUnsatisfied,
            Self::VeryUnsatisfied => Msg::RateVeryUnsatisfied,
            Self::NoAnswer => Msg::RateNoAnswer,
        }
    }

    /// A person gave it (every rating but "no answer").
    pub fn answered(self) -> bool {
        self != Self::NoAnswer
    }

    /// 满意 or 基本满意: counts as satisfied in the figures.
    pub fn satisfied(self) -> bool {
        matches!(self, Self::Satisfied | Self::Basic)
    }

    /// 不满意 or 很不满意: the fix is not accepted.
    pub fn dissatisfied(self) -> bool {
        matches!(self, Self::Unsatisfied | Self::VeryUnsatisfied)
    }
}

/// Where a rating leaves a resolved ticket: 不满意 or 很不满意 reopens it once for a
/// redo (`redone`: a rating reopened it before); every other answer closes it, and so
/// does the second rating, which is the one that counts.
pub fn after_rating(r: Rating, redone: bool) -> TicketStatus {
    if r.dissatisfied() && !redone {
        TicketStatus::InProgress
    } else {
        TicketStatus::Closed
    }
}

/// Who checks a category's fixes (核查): nobody, the grid's 网格长, the community's
/// director, or any staff member of the grid. Never the person who resolved it; the
/// community's director and the street's admins may always stand in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Checker {
    None,
    Leader,
    Director,
    OtherStaff,
}

impl Checker {
    pub const ALL: [Checker; 4] = [Self::None, Self::Leader, Self::Director, Self::OtherStaff];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Leader => "leader",
            Self::Director => "director",
            Self::OtherStaff => "other_staff",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }

    pub fn label(self) -> Msg {
        match self {
            Self::None => Msg::CheckerNone,
            Self::Leader => Msg::CheckerLeader,
            Self::Director => Msg::CheckerDirector,
            Self::OtherStaff => Msg::CheckerOtherStaff,
        }
    }

    /// Problems and disputes are checked by the 网格长; service requests not.
    pub fn default_for(kind: TicketKind) -> Checker {
        match kind {
            TicketKind::Service => Self::None,
            _ => Self::Leader,
        }
    }
}

/// Whether `who` may check a fix under `rule`. `resolver`: who resolved it (never
/// them); `leader`: `who` is the 网格长 of the ticket's grid; `staff`: `who` serves the
/// grid; `director`: `who` directs its community; `admin`: a street admin.
pub fn may_check(rule: Checker, who: CheckerFacts) -> bool {
    if rule == Checker::None || who.resolved_it {
        return false;
    }
    who.director
        || who.admin
        || match rule {
            Checker::Leader => who.leader,
            Checker::OtherStaff => who.staff,
            Checker::Director | Checker::None => false,
        }
}

/// How one person stands to a ticket's check (see [`may_check`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CheckerFacts {
    pub resolved_it: bool,
    pub leader: bool,
    pub staff: bool,
    pub director: bool,
    pub admin: bool,
}

/// The state a ticket moves to, or `None` if this action is not possible now.
/// `checked`: the category's fixes are checked by a second person.
pub fn next_status(
    from: TicketStatus,
    action: TicketAction,
    checked: bool,
) -> Option<TicketStatus> {
    use TicketAction as A;
    use TicketStatus as S;
    match (from, action) {
        (S::Pending, A::Accept) => Some(S::Accepted),
        (S::Accepted, A::Start) => Some(S::InProgress),
        (S::Pending | S::Accepted | S::InProgress, a) if a.closes() => {
            Some(if checked { S::Checking } else { S::Resolved })
        }
        (S::Checking, A::PassCheck) => Some(S::Resolved),
        (S::Checking, A::FailCheck) => Some(S::InProgress),
        // Where a rating leaves it: see [`after_rating`].
        (S::Resolved, A::Rate | A::RecordRating) => Some(S::Closed),
        (S::Pending | S::Accepted, A::Reject) => Some(S::Rejected),
        (S::Pending | S::Accepted | S::InProgress, A::MarkDuplicate) => Some(S::Duplicate),
        _ => None,
    }
}

/// Whether someone in this relation may take this action.
pub fn may(relation: Relation, action: TicketAction) -> bool {
    use TicketAction as A;
    match action {
        // Staff never rate in the reporter's place.
        A::Rate | A::Confirm | A::Reopen => relation == Relation::Reporter,
        A::RecordRating => relation == Relation::Caller,
        A::PassCheck | A::FailCheck => relation == Relation::Checker,
        A::Accept
        | A::Start
        | A::Resolve
        | A::ResolvePartly
        | A::NotOurs
        | A::Reject
        | A::MarkDuplicate => relation == Relation::Handler,
    }
}

/// The actions this person can take on a ticket in this state, for the buttons shown.
pub fn available(from: TicketStatus, relations: &[Relation], checked: bool) -> Vec<TicketAction> {
    TicketAction::ALL
        .into_iter()
        .filter(|a| {
            next_status(from, *a, checked).is_some() && relations.iter().any(|r| may(*r, *a))
        })
        .collect()
}

/// What an action needs besides permission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionInput {
    pub note: String,
    pub photo_count: usize,
    pub duplicate_of: Option<TicketId>,
    pub rating: Option<Rating>,
}

/// Resolving a problem needs an "after" photo; a mediation needs the agreement and a
/// service request a word on what was done.
pub fn check_input(kind: TicketKind, action: TicketAction, input: &ActionInput) -> Result<(), Msg> {
    match action {
        TicketAction::Resolve if kind == TicketKind::Problem && input.photo_count == 0 => {
            Err(Msg::ErrAfterPhoto)
        }
        TicketAction::Resolve if kind == TicketKind::Mediation && input.note.trim().is_empty() => {
            Err(Msg::ErrAgreement)
        }
        TicketAction::Resolve if kind == TicketKind::Service && input.note.trim().is_empty() => {
            Err(Msg::ErrReason)
        }
        TicketAction::ResolvePartly if input.note.trim().is_empty() => Err(Msg::ErrLeftToDo),
        TicketAction::ResolvePartly if kind == TicketKind::Problem && input.photo_count == 0 => {
            Err(Msg::ErrAfterPhoto)
        }
        TicketAction::NotOurs if input.note.trim().is_empty() => Err(Msg::ErrResponsibleBody),
        TicketAction::Reject | TicketAction::Reopen | TicketAction::FailCheck
            if input.note.trim().is_empty() =>
        {
            Err(Msg::ErrReason)
        }
        TicketAction::MarkDuplicate if input.duplicate_of.is_none() => Err(Msg::ErrDuplicateOf),
        // A person answers; "no answer" is the clock's, never a button.
        TicketAction::Rate | TicketAction::RecordRating
            if !input.rating.is_some_and(Rating::answered) =>
        {
            Err(Msg::ErrRating)
        }
        _ => Ok(()),
    }
}

/// A category's time limits, in minutes from the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Deadlines {
    pub accept_min: i64,
    /// For emergencies: someone on site within this many minutes of the report.
    pub on_site_min: Option<i64>,
    pub resolve_min: i64,
}

/// How late a ticket is, and so who should now hear of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Escalation {
    None,
    /// Past a deadline: the community director.
    Community,
    /// Past twice the deadline: the street.
    Street,
}

/// A ticket's clocks: its report, and while a fix is being checked, the fix and the
/// check's deadline (Unix ms).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Clocks {
    pub created_ms: i64,
    pub check: Option<CheckWindow>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckWindow {
    pub from_ms: i64,
    pub due_ms: i64,
}

/// The escalation a ticket in `status` has at `now_ms`. Unaccepted tickets are
/// measured against the accept deadline, the rest against the resolve deadline, a fix
/// waiting for its check against the check's deadline; closed ones never escalate.
pub fn escalation(status: TicketStatus, d: Deadlines, c: Clocks, now_ms: i64) -> Escalation {
    let Some((start, limit)) = current_window(status, d, c) else {
        return Escalation::None;
    };
    let late = now_ms - start;
    if late > limit.saturating_mul(2) {
        Escalation::Street
    } else if late > limit {
        Escalation::Community
    } else {
        Escalation::None
    }
}

/// Milliseconds left before the ticket's current deadline (negative when overdue),
/// for sorting queues soonest first; `None` once it is no one's work.
pub fn due_in_ms(status: TicketStatus, d: Deadlines, c: Clocks, now_ms: i64) -> Option<i64> {
    current_window(status, d, c).map(|(start, limit)| start + limit - now_ms)
}

/// The deadline that applies now, as (start, length): from the report, accepting
/// while pending, being on site once accepted (emergencies), then resolving; from the
/// fix, its check; none once it is no one's work.
fn current_window(status: TicketStatus, d: Deadlines, c: Clocks) -> Option<(i64, i64)> {
    let minutes = match status {
        TicketStatus::Checking => {
            return c.check.map(|w| (w.from_ms, (w.due_ms - w.from_ms).max(0)));
        }
        TicketStatus::Pending => d.accept_min,
        TicketStatus::Accepted => d.on_site_min.unwrap_or(d.resolve_min),
        s if s.is_open() => d.resolve_min,
        _ => return None,
    };
    Some((c.created_ms, minutes.saturating_mul(60_000)))
}

/// What a category is for: a problem to fix, a dispute to mediate (矛盾纠纷), or a
/// service a resident orders from the community's menu (群众点菜).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TicketKind {
    Problem,
    Mediation,
    Service,
}

impl TicketKind {
    pub const ALL: [TicketKind; 3] = [Self::Problem, Self::Mediation, Self::Service];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Problem => "problem",
            Self::Mediation => "mediation",
            Self::Service => "service",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label(self) -> Msg {
        match self {
            Self::Problem => Msg::KindProblem,
            Self::Mediation => Msg::KindMediation,
            Self::Service => Msg::KindService,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Category {
    pub id: i64,
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub kind: TicketKind,
    pub duty: Duty,
    pub deadlines: Deadlines,
    /// Set for a community's own service menu item.
    pub community: Option<GridId>,
    pub active: bool,
    /// Who checks its fixes.
    pub checker: Checker,
}

impl Category {
    pub fn name(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.name_zh,
            Lang::En => &self.name_en,
        }
    }

    pub fn is_emergency(&self) -> bool {
        self.deadlines.on_site_min.is_some()
    }
}

/// A category as an admin (or, for its service menu, a director) writes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CategoryInput {
    /// `None` creates a new one.
    pub id: Option<i64>,
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub kind: TicketKind,
    pub duty: Duty,
    pub accept_min: i64,
    pub on_site_min: Option<i64>,
    pub resolve_min: i64,
    pub community: Option<GridId>,
    pub active: bool,
    /// Who checks its fixes; `None`: the default for its kind.
    #[serde(default)]
    pub checker: Option<Checker>,
}

/// Checks a category's fields; the deadlines must be positive, on-site after accepting
/// and resolving last, and within a year.
pub fn check_category(c: &CategoryInput) -> Result<(), (&'static str, Msg)> {
    crate::domain::grid::check_code(&c.code).map_err(|m| ("code", m))?;
    for (field, name) in [("name_zh", &c.name_zh), ("name_en", &c.name_en)] {
        let n = name.trim().chars().count();
        if n == 0 || n > 40 {
            return Err((field, Msg::ErrCategoryName));
        }
    }
    const YEAR_MIN: i64 = 366 * 24 * 60;
    let ok = |m: i64| (1..=YEAR_MIN).contains(&m);
    let on_site_ok = c
        .on_site_min
        .is_none_or(|o| ok(o) && o >= c.accept_min && o <= c.resolve_min);
    if !ok(c.accept_min) || !ok(c.resolve_min) || c.accept_min > c.resolve_min || !on_site_ok {
        return Err(("deadlines", Msg::ErrDeadlines));
    }
    Ok(())
}

/// Longest description, in characters.
pub const DESCRIPTION_MAX: usize = 500;
/// Photos on one report.
pub const PHOTOS_MAX: usize = 6;

/// A description is 2 to 500 characters after trimming.
pub fn normalize_description(input: &str) -> Result<String, Msg> {
    let s = input.trim();
    let n = s.chars().count();
    if (2..=DESCRIPTION_MAX).contains(&n) {
        Ok(s.to_owned())
    } else {
        Err(Msg::ErrDescription)
    }
}

/// An idempotency key from the phone: 8 to 64 letters, digits or dashes.
pub fn check_idempotency_key(key: &str) -> bool {
    (8..=64).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// One line in a list or on the map.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TicketSummary {
    pub id: TicketId,
    pub status: TicketStatus,
    pub kind: TicketKind,
    pub category_zh: String,
    pub category_en: String,
    pub description: String,
    pub lat: f64,
    pub lng: f64,
    pub grid_name: Option<String>,
    pub created_ms: i64,
    /// Milliseconds before the current deadline, negative when late, at `now_ms`.
    pub due_in_ms: Option<i64>,
    pub escalation: Escalation,
    pub emergency: bool,
    pub thumb: Option<String>,
    /// The responsible person, on staff lists (none on a resident's own list).
    pub assignee: Option<String>,
    /// On a staff list: the viewer is the responsible person.
    pub mine: bool,
    /// On one's own list: the fix waits for one's rating.
    pub to_rate: bool,
}

impl TicketSummary {
    pub fn category(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.category_zh,
            Lang::En => &self.category_en,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhotoRef {
    /// Key of the display copy (`/photos/{key}.jpg`).
    pub key: String,
    pub thumb: String,
    pub width: u32,
    pub height: u32,
}

/// One entry in a ticket's timeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimelineEntry {
    pub at_ms: i64,
    /// `None` for the system (escalation).
    pub actor: Option<String>,
    pub kind: EventKind,
    pub status: TicketStatus,
    pub note: String,
    pub photos: Vec<PhotoRef>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum EventKind {
    Created,
    Action(TicketAction),
    Escalated(Escalation),
    /// The reporter's rating, or the clock's "no answer".
    Rated(Rating),
    /// A duplicate was folded into this ticket (its number in the note).
    Merged,
    /// An emergency timer's result (1 / 3 / 5 minutes).
    Timer(crate::domain::emergency::Mark),
}

impl EventKind {
    pub fn as_string(self) -> String {
        match self {
            Self::Created => "created".into(),
            Self::Action(a) => a.as_str().into(),
            Self::Escalated(Escalation::Street) => "escalated_street".into(),
            Self::Escalated(_) => "escalated_community".into(),
            Self::Rated(r) => format!("rated_{}", r.as_str()),
            Self::Merged => "merged".into(),
            Self::Timer(m) => m.as_str().into(),
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "created" => Some(Self::Created),
            "escalated_street" => Some(Self::Escalated(Escalation::Street)),
            "escalated_community" => Some(Self::Escalated(Escalation::Community)),
            "merged" => Some(Self::Merged),
            t if t.starts_with("timer_") => {
                crate::domain::emergency::Mark::parse(t).map(Self::Timer)
            }
            a => match a.strip_prefix("rated_") {
                Some(r) => Rating::parse(r).map(Self::Rated),
                None => TicketAction::parse(a).map(Self::Action),
            },
        }
    }

    pub fn label(self) -> Msg {
        match self {
            Self::Created => Msg::EvCreated,
            Self::Action(a) => a.label(),
            Self::Escalated(Escalation::Street) => Msg::EvEscalatedStreet,
            Self::Escalated(_) => Msg::EvEscalatedCommunity,
            Self::Rated(_) => Msg::EvRated,
            Self::Merged => Msg::EvMerged,
            Self::Timer(m) => m.label(),
        }
    }
}

impl Escalation {
    pub fn level(self) -> i64 {
        match self {
            Self::None => 0,
            Self::Community => 1,
            Self::Street => 2,
        }
    }

    pub fn from_level(n: i64) -> Self {
        match n {
            0 => Self::None,
            1 => Self::Community,
            _ => Self::Street,
        }
    }
}

/// A ticket page: everything the person asking may see, and what they may do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TicketDetail {
    pub summary: TicketSummary,
    pub deadlines: Deadlines,
    /// Staff only: who reported it and who it is assigned to.
    pub reporter: Option<String>,
    pub assignee: Option<String>,
    pub community_name: Option<String>,
    pub photos: Vec<PhotoRef>,
    pub timeline: Vec<TimelineEntry>,
    pub actions: Vec<TicketAction>,
    pub duplicate_of: Option<TicketId>,
    pub parties: Option<String>,
    pub mediator: Option<String>,
    pub agreement: Option<String>,
    pub now_ms: i64,
    /// The viewer handles it (grid staff, the community's director, street admins): may
    /// call the reporter back.
    pub handler: bool,
    /// How it was closed (or is claimed closed, while checked).
    pub outcome: Option<Outcome>,
    /// Times a check sent the fix back.
    pub rework: i64,
    /// While checked: the check's deadline (Unix ms).
    pub check_due_ms: Option<i64>,
    /// The latest closing step's photos, for the check's before/after.
    pub after: Vec<PhotoRef>,
    /// The rating that counts so far (a redo's second rating replaces the first).
    pub rating: Option<Rating>,
    /// While the reporter is asked: when the question lapses as "no answer".
    pub rating_until_ms: Option<i64>,
    /// People who reported it: the reporter and those who follow it ("3 人反映").
    pub reports: i64,
    /// 代报, for insiders: the resident it was filed for (name, masked number).
    pub proxy_for: Option<(String, String)>,
    /// The viewer follows it (told of every step).
    pub following: bool,
}

/// Filters for the queue and the director's board.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TicketFilter {
    pub status: Option<TicketStatus>,
    pub category: Option<i64>,
    pub grid: Option<GridId>,
    /// Only those past their current deadline.
    pub overdue: bool,
    /// Open ones only (the default queue).
    pub open_only: bool,
}

/// A point on the map.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Marker {
    pub id: TicketId,
    pub lat: f64,
    pub lng: f64,
    pub status: TicketStatus,
}

/// Most markers the map asks for at once.
pub const MARKERS_MAX: usize = 500;

/// How near an open ticket of the same category is offered as "the same problem"
/// while reporting.
pub const NEARBY_M: f64 = 50.0;
/// Most such tickets offered.
pub const NEARBY_MAX: usize = 5;

/// The box (south, west, north, east) holding every point within `m` metres of `at`:
/// what the index reads before the exact distance sorts the rest out. A little wide
/// (1 %) so rounding never drops a point on the circle.
pub fn box_around(at: LatLng, m: f64) -> (f64, f64, f64, f64) {
    let dlat = m * 1.01 / 111_195.0;
    let dlng = dlat / at.lat.to_radians().cos().max(0.01);
    (at.lat - dlat, at.lng - dlng, at.lat + dlat, at.lng + dlng)
}

/// An open ticket of the same category near a report being written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Nearby {
    pub id: TicketId,
    pub status: TicketStatus,
    pub created_ms: i64,
    pub description: String,
    /// Whole metres from the new report's place.
    pub distance_m: i64,
    /// The report's first photo (display copy), shown large.
    pub photo: Option<String>,
    /// People who reported it: the reporter and those who follow it.
    pub reports: i64,
    /// The viewer reported or follows it already.
    pub mine: bool,
}

/// A group of markers close together on screen, drawn as one circle with a count.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cluster {
    pub lat: f64,
    pub lng: f64,
    pub count: usize,
    /// The state shared by most members, for the colour.
    pub status: TicketStatus,
    /// The ticket, when the cluster is a single one.
    pub single: Option<TicketId>,
}

/// Groups markers into square cells of `cell_deg` degrees (the caller picks the cell
/// from the zoom so a cell is about 60 px on screen).
pub fn cluster(markers: &[Marker], cell_deg: f64) -> Vec<Cluster> {
    use std::collections::BTreeMap;
    let cell = if cell_deg > 0.0 { cell_deg } else { 1e-9 };
    let mut cells: BTreeMap<(i64, i64), Vec<&Marker>> = BTreeMap::new();
    for m in markers {
        #[allow(clippy::cast_possible_truncation)]
        let key = ((m.lat / cell).floor() as i64, (m.lng / cell).floor() as i64);
        cells.entry(key).or_default().push(m);
    }
    cells
        .into_values()
        .map(|ms| {
            let n = ms.len();
            #[allow(clippy::cast_precision_loss)]
            let (lat, lng) = (
                ms.iter().map(|m| m.lat).sum::<f64>() / n as f64,
                ms.iter().map(|m| m.lng).sum::<f64>() / n as f64,
            );
            let status = TicketStatus::ALL
                .into_iter()
                .max_by_key(|s| ms.iter().filter(|m| m.status == *s).count())
                .unwrap_or(TicketStatus::Pending);
            Cluster {
                lat,
                lng,
                count: n,
                status,
                single: (n == 1).then(|| ms[0].id),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use TicketAction as A;
    use TicketStatus as S;

    #[test]
    fn the_happy_path() {
        let mut s = S::Pending;
        for a in [A::Accept, A::Start, A::Resolve, A::Rate] {
            s = next_status(s, a, false).unwrap_or_else(|| panic!("{a:?} from {s:?}"));
        }
        assert_eq!(s, S::Closed);
    }

    #[test]
    fn closed_rejected_and_duplicate_are_final() {
        for s in [S::Closed, S::Rejected, S::Duplicate] {
            for a in TicketAction::ALL {
                assert_eq!(next_status(s, a, true), None, "{a:?} from {s:?}");
            }
        }
    }

    #[test]
    fn only_a_resolved_ticket_is_rated_and_the_old_steps_are_history() {
        assert_eq!(next_status(S::Resolved, A::Rate, false), Some(S::Closed));
        assert_eq!(next_status(S::InProgress, A::Rate, false), None);
        assert_eq!(next_status(S::Checking, A::Rate, true), None);
        assert_eq!(next_status(S::InProgress, A::Reject, false), None);
        // Confirm and reopen only read in old timelines; a rating replaced them.
        for s in TicketStatus::ALL {
            assert_eq!(next_status(s, A::Confirm, true), None);
            assert_eq!(next_status(s, A::Reopen, false), None);
        }
    }

    #[test]
    fn the_open_list_is_the_one_the_partial_index_names() {
        // server/migrations/*/0015_ticket_closure.sql writes it out for ix_tickets_nearby.
        assert_eq!(
            TicketStatus::open_sql(),
            "('pending', 'accepted', 'in_progress', 'checking')"
        );
    }

    #[test]
    fn the_box_around_a_point_holds_its_circle() {
        use crate::domain::geo::distance_m;
        let at = LatLng::new(33.588, 114.028);
        let (s, w, n, e) = box_around(at, NEARBY_M);
        // Every edge's midpoint is a little over 50 m away: the circle fits inside.
        for p in [
            LatLng::new(s, at.lng),
            LatLng::new(n, at.lng),
            LatLng::new(at.lat, w),
            LatLng::new(at.lat, e),
        ] {
            let d = distance_m(at, p);
            assert!((50.0..51.0).contains(&d), "{d}");
        }
    }

    #[test]
    fn a_bad_rating_reopens_once_and_the_second_counts() {
        for r in [Rating::Unsatisfied, Rating::VeryUnsatisfied] {
            assert_eq!(after_rating(r, false), S::InProgress, "{r:?}");
            assert_eq!(after_rating(r, true), S::Closed, "{r:?}");
            assert!(!r.satisfied());
        }
        for r in [Rating::Satisfied, Rating::Basic, Rating::Neutral] {
            assert_eq!(after_rating(r, false), S::Closed, "{r:?}");
        }
        // No answer closes it and is never satisfied, nor a person's answer.
        assert_eq!(after_rating(Rating::NoAnswer, false), S::Closed);
        assert!(!Rating::NoAnswer.satisfied() && !Rating::NoAnswer.answered());
        assert!(Rating::Basic.satisfied() && !Rating::Neutral.satisfied());
        for r in Rating::ALL {
            assert_eq!(Rating::parse(r.as_str()), Some(r));
            let k = EventKind::Rated(r);
            assert_eq!(EventKind::parse(&k.as_string()), Some(k));
        }
        assert_eq!(EventKind::parse("merged"), Some(EventKind::Merged));
        let input = |rating| ActionInput {
            note: String::new(),
            photo_count: 0,
            duplicate_of: None,
            rating,
        };
        let p = TicketKind::Problem;
        assert_eq!(check_input(p, A::Rate, &input(None)), Err(Msg::ErrRating));
        assert_eq!(
            check_input(p, A::Rate, &input(Some(Rating::NoAnswer))),
            Err(Msg::ErrRating)
        );
        assert_eq!(
            check_input(p, A::Rate, &input(Some(Rating::Neutral))),
            Ok(())
        );
    }

    #[test]
    fn roles_per_action() {
        assert!(may(Relation::Handler, A::Resolve));
        assert!(!may(Relation::Reporter, A::Resolve));
        assert!(may(Relation::Reporter, A::Rate));
        assert!(!may(Relation::Handler, A::Rate));
        assert!(!may(Relation::Checker, A::Rate));
        // 代报: the caller records the resident's answer; nobody else does, not even
        // the reporter (who rates for herself).
        assert!(may(Relation::Caller, A::RecordRating));
        assert!(!may(Relation::Handler, A::RecordRating));
        assert!(!may(Relation::Reporter, A::RecordRating));
        assert!(!may(Relation::Caller, A::Rate));
        assert_eq!(
            available(S::Resolved, &[Relation::Handler, Relation::Caller], true),
            vec![A::RecordRating]
        );
        assert!(!may(Relation::Other, A::Accept));
        assert_eq!(
            available(S::Pending, &[Relation::Handler], false),
            vec![
                A::Accept,
                A::Resolve,
                A::ResolvePartly,
                A::NotOurs,
                A::Reject,
                A::MarkDuplicate
            ]
        );
        assert_eq!(
            available(S::Resolved, &[Relation::Reporter], false),
            vec![A::Rate]
        );
        // A grid worker who reported a ticket in their own grid holds both relations.
        assert_eq!(
            available(S::Resolved, &[Relation::Handler, Relation::Reporter], false),
            vec![A::Rate]
        );
        assert!(available(S::Closed, &[Relation::Handler, Relation::Reporter], false).is_empty());
    }

    #[test]
    fn inputs_each_action_needs() {
        let none = ActionInput {
            note: " ".into(),
            photo_count: 0,
            duplicate_of: None,
            rating: None,
        };
        let p = TicketKind::Problem;
        assert_eq!(check_input(p, A::Resolve, &none), Err(Msg::ErrAfterPhoto));
        assert_eq!(check_input(p, A::Reject, &none), Err(Msg::ErrReason));
        assert_eq!(
            check_input(p, A::MarkDuplicate, &none),
            Err(Msg::ErrDuplicateOf)
        );
        assert_eq!(check_input(p, A::Accept, &none), Ok(()));
        let photo = ActionInput {
            photo_count: 1,
            ..none.clone()
        };
        assert_eq!(check_input(p, A::Resolve, &photo), Ok(()));
        // A mediation is resolved by its agreement, not a photo.
        assert_eq!(
            check_input(TicketKind::Mediation, A::Resolve, &photo),
            Err(Msg::ErrAgreement)
        );
        let agreed = ActionInput {
            note: "双方同意按协议赔偿".into(),
            ..none
        };
        assert_eq!(
            check_input(TicketKind::Mediation, A::Resolve, &agreed),
            Ok(())
        );
    }

    #[test]
    fn emergencies_escalate_within_minutes() {
        let d = Deadlines {
            accept_min: 1,
            on_site_min: Some(3),
            resolve_min: 60,
        };
        let t0 = 1_000_000;
        let c = Clocks {
            created_ms: t0,
            check: None,
        };
        assert_eq!(escalation(S::Pending, d, c, t0 + 59_000), Escalation::None);
        assert_eq!(
            escalation(S::Pending, d, c, t0 + 61_000),
            Escalation::Community
        );
        assert_eq!(
            escalation(S::Pending, d, c, t0 + 121_000),
            Escalation::Street
        );
        // Once accepted, the on-site deadline applies, then the resolve deadline.
        assert_eq!(
            escalation(S::Accepted, d, c, t0 + 121_000),
            Escalation::None
        );
        assert_eq!(
            escalation(S::Accepted, d, c, t0 + 181_000),
            Escalation::Community
        );
        assert_eq!(
            escalation(S::InProgress, d, c, t0 + 181_000),
            Escalation::None
        );
        assert_eq!(
            escalation(S::Closed, d, c, t0 + 10_000_000_000),
            Escalation::None
        );
        assert_eq!(due_in_ms(S::Pending, d, c, t0 + 30_000), Some(30_000));
        assert_eq!(due_in_ms(S::Resolved, d, c, t0), None);
    }

    #[test]
    fn a_checked_fix_waits_for_a_second_person() {
        // Checked categories: every closing step goes to the check first.
        for a in [A::Resolve, A::ResolvePartly, A::NotOurs] {
            assert_eq!(next_status(S::InProgress, a, true), Some(S::Checking));
            assert_eq!(next_status(S::InProgress, a, false), Some(S::Resolved));
            assert_eq!(a.outcome().is_some(), a.closes());
        }
        assert_eq!(
            next_status(S::Checking, A::PassCheck, true),
            Some(S::Resolved)
        );
        // Sent back: work again (the service counts it as rework).
        assert_eq!(
            next_status(S::Checking, A::FailCheck, true),
            Some(S::InProgress)
        );
        // Nothing else moves a ticket out of the check; no check outside it.
        for a in [
            A::Resolve,
            A::Confirm,
            A::Reopen,
            A::Reject,
            A::Accept,
            A::MarkDuplicate,
        ] {
            assert_eq!(next_status(S::Checking, a, true), None, "{a:?}");
        }
        assert_eq!(next_status(S::Resolved, A::PassCheck, true), None);
        assert_eq!(next_status(S::InProgress, A::FailCheck, true), None);
        assert!(S::Checking.is_open());
        assert_eq!(S::Checking.open311(), "open");
        assert_eq!(
            available(S::Checking, &[Relation::Checker], true),
            vec![A::PassCheck, A::FailCheck]
        );
        // The handler sees no check buttons on their own fix.
        assert!(available(S::Checking, &[Relation::Handler], true).is_empty());
        assert!(!may(Relation::Handler, A::PassCheck));
        assert!(!may(Relation::Checker, A::Resolve));
    }

    #[test]
    fn who_may_check() {
        let leader = CheckerFacts {
            leader: true,
            staff: true,
            ..CheckerFacts::default()
        };
        let staff = CheckerFacts {
            staff: true,
            ..CheckerFacts::default()
        };
        let director = CheckerFacts {
            director: true,
            ..CheckerFacts::default()
        };
        assert!(may_check(Checker::Leader, leader));
        assert!(!may_check(Checker::Leader, staff));
        assert!(may_check(Checker::OtherStaff, staff));
        assert!(!may_check(Checker::Director, leader));
        // The director (and the street) may always stand in.
        for rule in [Checker::Leader, Checker::Director, Checker::OtherStaff] {
            assert!(may_check(rule, director));
        }
        // Never the one who resolved it, whoever they are; nobody where nothing is checked.
        let resolver = CheckerFacts {
            resolved_it: true,
            leader: true,
            staff: true,
            director: true,
            admin: true,
        };
        for rule in Checker::ALL {
            assert!(!may_check(rule, resolver));
            assert_eq!(Checker::parse(rule.as_str()), Some(rule));
        }
        assert!(!may_check(Checker::None, director));
        assert_eq!(Checker::default_for(TicketKind::Problem), Checker::Leader);
        assert_eq!(Checker::default_for(TicketKind::Mediation), Checker::Leader);
        assert_eq!(Checker::default_for(TicketKind::Service), Checker::None);
    }

    #[test]
    fn closing_steps_need_their_words() {
        let none = ActionInput {
            note: " ".into(),
            photo_count: 0,
            duplicate_of: None,
            rating: None,
        };
        let p = TicketKind::Problem;
        assert_eq!(
            check_input(p, A::ResolvePartly, &none),
            Err(Msg::ErrLeftToDo)
        );
        let left = ActionInput {
            note: "路面已补，标线未画".into(),
            ..none.clone()
        };
        assert_eq!(
            check_input(p, A::ResolvePartly, &left),
            Err(Msg::ErrAfterPhoto)
        );
        assert_eq!(
            check_input(
                p,
                A::ResolvePartly,
                &ActionInput {
                    photo_count: 1,
                    ..left.clone()
                }
            ),
            Ok(())
        );
        assert_eq!(
            check_input(p, A::NotOurs, &none),
            Err(Msg::ErrResponsibleBody)
        );
        assert_eq!(check_input(p, A::NotOurs, &left), Ok(()));
        assert_eq!(check_input(p, A::FailCheck, &none), Err(Msg::ErrReason));
        assert_eq!(check_input(p, A::PassCheck, &none), Ok(()));
        for o in Outcome::ALL {
            assert_eq!(Outcome::parse(o.as_str()), Some(o));
        }
    }

    #[test]
    fn an_overdue_check_escalates_like_any_deadline() {
        let d = Deadlines {
            accept_min: 60,
            on_site_min: None,
            resolve_min: 60,
        };
        let fixed = 10_000_000;
        let day = 86_400_000;
        let c = Clocks {
            created_ms: 0,
            check: Some(CheckWindow {
                from_ms: fixed,
                due_ms: fixed + day,
            }),
        };
        // The report is long past its own deadline; only the check's counts now.
        assert_eq!(
            escalation(S::Checking, d, c, fixed + day - 1),
            Escalation::None
        );
        assert_eq!(
            escalation(S::Checking, d, c, fixed + day + 1),
            Escalation::Community
        );
        assert_eq!(
            escalation(S::Checking, d, c, fixed + 2 * day + 1),
            Escalation::Street
        );
        assert_eq!(due_in_ms(S::Checking, d, c, fixed), Some(day));
    }

    #[test]
    fn statuses_round_trip_and_map_to_open311() {
        for s in S::ALL {
            assert_eq!(S::parse(s.as_str()), Some(s));
        }
        assert_eq!(S::InProgress.open311(), "open");
        assert_eq!(S::Resolved.open311(), "closed");
    }

    #[test]
    fn category_rules() {
        let good = CategoryInput {
            checker: None,
            id: None,
            code: "fire".into(),
            name_zh: "火情".into(),
            name_en: "Fire".into(),
            kind: TicketKind::Problem,
            duty: Duty::Police,
            accept_min: 1,
            on_site_min: Some(3),
            resolve_min: 120,
            community: None,
            active: true,
        };
        assert_eq!(check_category(&good), Ok(()));
        let bad_order = CategoryInput {
            on_site_min: Some(500),
            ..good.clone()
        };
        assert_eq!(
            check_category(&bad_order),
            Err(("deadlines", Msg::ErrDeadlines))
        );
        let zero = CategoryInput {
            accept_min: 0,
            ..good.clone()
        };
        assert!(check_category(&zero).is_err());
        let no_name = CategoryInput {
            name_en: "  ".into(),
            ..good.clone()
        };
        assert_eq!(
            check_category(&no_name),
            Err(("name_en", Msg::ErrCategoryName))
        );
        let bad_code = CategoryInput {
            code: "a b".into(),
            ..good
        };
        assert_eq!(check_category(&bad_code).map_err(|e| e.0), Err("code"));
    }

    #[test]
    fn descriptions_and_keys() {
        assert_eq!(normalize_description("  路灯坏了 "), Ok("路灯坏了".into()));
        assert_eq!(normalize_description(" a "), Err(Msg::ErrDescription));
        assert!(normalize_description(&"字".repeat(501)).is_err());
        assert!(normalize_description(&"字".repeat(500)).is_ok());
        assert!(check_idempotency_key(
            "0b7c9a2e-4f1d-4c9e-9d3b-1a2b3c4d5e6f"
        ));
        assert!(!check_idempotency_key("short"));
        assert!(!check_idempotency_key("has space in it"));
    }

    #[test]
    fn names_round_trip() {
        for a in TicketAction::ALL {
            assert_eq!(TicketAction::parse(a.as_str()), Some(a));
            let e = EventKind::Action(a);
            assert_eq!(EventKind::parse(&e.as_string()), Some(e));
        }
        for k in TicketKind::ALL {
            assert_eq!(TicketKind::parse(k.as_str()), Some(k));
        }
        for e in [Escalation::Community, Escalation::Street] {
            let k = EventKind::Escalated(e);
            assert_eq!(EventKind::parse(&k.as_string()), Some(k));
            assert_eq!(Escalation::from_level(e.level()), e);
        }
    }

    #[test]
    fn nearby_markers_cluster_and_far_ones_do_not() {
        let m = |id, lat, lng, status| Marker {
            id: TicketId(id),
            lat,
            lng,
            status,
        };
        let markers = [
            m(1, 33.5801, 114.0201, S::Pending),
            m(2, 33.5802, 114.0202, S::Pending),
            m(3, 33.5803, 114.0203, S::Closed),
            m(4, 33.6500, 114.1000, S::Resolved),
        ];
        let mut c = cluster(&markers, 0.01);
        c.sort_by_key(|c| c.count);
        assert_eq!(c.len(), 2);
        assert_eq!((c[0].count, c[0].single), (1, Some(TicketId(4))));
        assert_eq!(
            (c[1].count, c[1].single, c[1].status),
            (3, None, S::Pending)
        );
        assert!((c[1].lat - 33.5802).abs() < 1e-9);
        // Small cells keep them apart.
        assert_eq!(cluster(&markers, 0.00001).len(), 4);
    }
}
