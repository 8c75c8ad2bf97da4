//! Tickets (事件): states, who may move a ticket from one state to the next, and
//! deadlines. Pure rules; the ticket service applies them.
use crate::i18n::Msg;
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

pub fn check_input(action: TicketAction, input: &ActionInput) -> Result<(), Msg> {
    match action {
        TicketAction::Resolve if input.photo_count == 0 => Err(Msg::ErrAfterPhoto),
        TicketAction::Reject | TicketAction::Reopen if input.note.trim().is_empty() => {
            Err(Msg::ErrReason)
        }
        TicketAction::MarkDuplicate if input.duplicate_of.is_none() => Err(Msg::ErrDuplicateOf),
        _ => Ok(()),
    }
}

/// A category's time limits, in minutes from the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
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

/// The deadline that applies now, from the report: accepting while pending, then
/// resolving; none once the ticket is no one's work.
fn current_limit_ms(status: TicketStatus, d: Deadlines) -> Option<i64> {
    let minutes = match status {
        TicketStatus::Pending => d.accept_min,
        s if s.is_open() => d.resolve_min,
        _ => return None,
    };
    Some(minutes.saturating_mul(60_000))
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
        assert_eq!(check_input(A::Resolve, &none), Err(Msg::ErrAfterPhoto));
        assert_eq!(check_input(A::Reject, &none), Err(Msg::ErrReason));
        assert_eq!(check_input(A::Reopen, &none), Err(Msg::ErrReason));
        assert_eq!(
            check_input(A::MarkDuplicate, &none),
            Err(Msg::ErrDuplicateOf)
        );
        assert_eq!(check_input(A::Accept, &none), Ok(()));
        let photo = ActionInput {
            photo_count: 1,
            ..none
        };
        assert_eq!(check_input(A::Resolve, &photo), Ok(()));
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
        // Once accepted, the resolve deadline applies.
        assert_eq!(
            escalation(S::Accepted, d, t0, t0 + 121_000),
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
}
