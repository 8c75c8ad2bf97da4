//! Tickets (事件): states, who may move a ticket from one state to the next, and
//! deadlines. Pure rules; the ticket service applies them.
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
    Resolved,
    Closed,
    Rejected,
    Duplicate,
}

impl TicketStatus {
    pub const ALL: [TicketStatus; 7] = [
        Self::Pending,
        Self::Accepted,
        Self::InProgress,
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
        matches!(self, Self::Pending | Self::Accepted | Self::InProgress)
    }

    pub fn label(self) -> Msg {
        match self {
            Self::Pending => Msg::StPending,
            Self::Accepted => Msg::StAccepted,
            Self::InProgress => Msg::StInProgress,
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
    /// The reporter confirms the fix.
    Confirm,
    /// The reporter says it is not fixed.
    Reopen,
    /// Needs a reason.
    Reject,
    /// Merged into another ticket; needs that ticket.
    MarkDuplicate,
}

impl TicketAction {
    pub const ALL: [TicketAction; 7] = [
        Self::Accept,
        Self::Start,
        Self::Resolve,
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
    Other,
}

/// The state a ticket moves to, or `None` if this action is not possible now.
pub fn next_status(from: TicketStatus, action: TicketAction) -> Option<TicketStatus> {
    use TicketAction as A;
    use TicketStatus as S;
    match (from, action) {
        (S::Pending, A::Accept) => Some(S::Accepted),
        (S::Accepted, A::Start) => Some(S::InProgress),
        (S::Pending | S::Accepted | S::InProgress, A::Resolve) => Some(S::Resolved),
        (S::Resolved, A::Confirm) => Some(S::Closed),
        (S::Resolved, A::Reopen) => Some(S::InProgress),
        (S::Pending | S::Accepted, A::Reject) => Some(S::Rejected),
        (S::Pending | S::Accepted | S::InProgress, A::MarkDuplicate) => Some(S::Duplicate),
        _ => None,
    }
}

/// Whether someone in this relation may take this action.
pub fn may(relation: Relation, action: TicketAction) -> bool {
    use TicketAction as A;
    match action {
        A::Confirm | A::Reopen => relation == Relation::Reporter,
        A::Accept | A::Start | A::Resolve | A::Reject | A::MarkDuplicate => {
            relation == Relation::Handler
        }
    }
}

/// The actions this person can take on a ticket in this state, for the buttons shown.
pub fn available(from: TicketStatus, relations: &[Relation]) -> Vec<TicketAction> {
    TicketAction::ALL
        .into_iter()
        .filter(|a| next_status(from, *a).is_some() && relations.iter().any(|r| may(*r, *a)))
        .collect()
}

/// What an action needs besides permission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionInput {
    pub note: String,
    pub photo_count: usize,
    pub duplicate_of: Option<TicketId>,
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
        TicketAction::Reject | TicketAction::Reopen if input.note.trim().is_empty() => {
            Err(Msg::ErrReason)
        }
        TicketAction::MarkDuplicate if input.duplicate_of.is_none() => Err(Msg::ErrDuplicateOf),
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

/// The escalation a ticket in `status`, reported at `created_ms`, has at `now_ms`.
/// Unaccepted tickets are measured against the accept deadline, the rest against the
/// resolve deadline; closed ones never escalate.
pub fn escalation(status: TicketStatus, d: Deadlines, created_ms: i64, now_ms: i64) -> Escalation {
    let Some(limit) = current_limit_ms(status, d) else {
        return Escalation::None;
    };
    let late = now_ms - created_ms;
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
pub fn due_in_ms(status: TicketStatus, d: Deadlines, created_ms: i64, now_ms: i64) -> Option<i64> {
    current_limit_ms(status, d).map(|limit| created_ms + limit - now_ms)
}

/// The deadline that applies now, from the report: accepting while pending, being on
/// site once accepted (emergencies), then resolving; none once it is no one's work.
fn current_limit_ms(status: TicketStatus, d: Deadlines) -> Option<i64> {
    let minutes = match status {
        TicketStatus::Pending => d.accept_min,
        TicketStatus::Accepted => d.on_site_min.unwrap_or(d.resolve_min),
        s if s.is_open() => d.resolve_min,
        _ => return None,
    };
    Some(minutes.saturating_mul(60_000))
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
}

impl EventKind {
    pub fn as_string(self) -> String {
        match self {
            Self::Created => "created".into(),
            Self::Action(a) => a.as_str().into(),
            Self::Escalated(Escalation::Street) => "escalated_street".into(),
            Self::Escalated(_) => "escalated_community".into(),
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "created" => Some(Self::Created),
            "escalated_street" => Some(Self::Escalated(Escalation::Street)),
            "escalated_community" => Some(Self::Escalated(Escalation::Community)),
            a => TicketAction::parse(a).map(Self::Action),
        }
    }

    pub fn label(self) -> Msg {
        match self {
            Self::Created => Msg::EvCreated,
            Self::Action(a) => a.label(),
            Self::Escalated(Escalation::Street) => Msg::EvEscalatedStreet,
            Self::Escalated(_) => Msg::EvEscalatedCommunity,
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
        for a in [A::Accept, A::Start, A::Resolve, A::Confirm] {
            s = next_status(s, a).unwrap_or_else(|| panic!("{a:?} from {s:?}"));
        }
        assert_eq!(s, S::Closed);
    }

    #[test]
    fn closed_rejected_and_duplicate_are_final() {
        for s in [S::Closed, S::Rejected, S::Duplicate] {
            for a in TicketAction::ALL {
                assert_eq!(next_status(s, a), None, "{a:?} from {s:?}");
            }
        }
    }

    #[test]
    fn reopen_goes_back_to_work_and_only_from_resolved() {
        assert_eq!(next_status(S::Resolved, A::Reopen), Some(S::InProgress));
        assert_eq!(next_status(S::InProgress, A::Reopen), None);
        assert_eq!(next_status(S::InProgress, A::Reject), None);
    }

    #[test]
    fn roles_per_action() {
        assert!(may(Relation::Handler, A::Resolve));
        assert!(!may(Relation::Reporter, A::Resolve));
        assert!(may(Relation::Reporter, A::Confirm));
        assert!(!may(Relation::Handler, A::Confirm));
        assert!(!may(Relation::Other, A::Accept));
        assert_eq!(
            available(S::Pending, &[Relation::Handler]),
            vec![A::Accept, A::Resolve, A::Reject, A::MarkDuplicate]
        );
        assert_eq!(
            available(S::Resolved, &[Relation::Reporter]),
            vec![A::Confirm, A::Reopen]
        );
        // A grid worker who reported a ticket in their own grid holds both relations.
        assert_eq!(
            available(S::Resolved, &[Relation::Handler, Relation::Reporter]),
            vec![A::Confirm, A::Reopen]
        );
        assert!(available(S::Closed, &[Relation::Handler, Relation::Reporter]).is_empty());
    }

    #[test]
    fn inputs_each_action_needs() {
        let none = ActionInput {
            note: " ".into(),
            photo_count: 0,
            duplicate_of: None,
        };
        let p = TicketKind::Problem;
        assert_eq!(check_input(p, A::Resolve, &none), Err(Msg::ErrAfterPhoto));
        assert_eq!(check_input(p, A::Reject, &none), Err(Msg::ErrReason));
        assert_eq!(check_input(p, A::Reopen, &none), Err(Msg::ErrReason));
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
        assert_eq!(escalation(S::Pending, d, t0, t0 + 59_000), Escalation::None);
        assert_eq!(
            escalation(S::Pending, d, t0, t0 + 61_000),
            Escalation::Community
        );
        assert_eq!(
            escalation(S::Pending, d, t0, t0 + 121_000),
            Escalation::Street
        );
        // Once accepted, the on-site deadline applies, then the resolve deadline.
        assert_eq!(
            escalation(S::Accepted, d, t0, t0 + 121_000),
            Escalation::None
        );
        assert_eq!(
            escalation(S::Accepted, d, t0, t0 + 181_000),
            Escalation::Community
        );
        assert_eq!(
            escalation(S::InProgress, d, t0, t0 + 181_000),
            Escalation::None
        );
        assert_eq!(
            escalation(S::Closed, d, t0, t0 + 10_000_000_000),
            Escalation::None
        );
        assert_eq!(due_in_ms(S::Pending, d, t0, t0 + 30_000), Some(30_000));
        assert_eq!(due_in_ms(S::Resolved, d, t0, t0), None);
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
