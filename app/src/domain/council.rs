//! The seniors' council (闲事会): residents raise concerns, neighbours support them,
//! the council's coordinator puts them on the agenda of the weekly Wednesday meeting
//! and records the outcome, which may become a ticket; the raiser is told each step.
use crate::domain::AppError;
use crate::domain::error::check_text;
use crate::domain::grid::GridId;
use crate::domain::shift::{WEEK_MS, week_start};
use crate::domain::ticket::TicketId;
use crate::i18n::Msg;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ConcernId(pub i64);

pub const TITLE_MAX: usize = 40;
pub const BODY_MAX: usize = 600;
pub const OUTCOME_MAX: usize = 600;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ConcernStatus {
    /// Raised, gathering support.
    Open,
    /// On a Wednesday meeting's agenda.
    Agenda,
    /// Discussed: the outcome is recorded.
    Decided,
}

impl ConcernStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ConcernStatus::Open => "open",
            ConcernStatus::Agenda => "agenda",
            ConcernStatus::Decided => "decided",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "open" => Some(ConcernStatus::Open),
            "agenda" => Some(ConcernStatus::Agenda),
            "decided" => Some(ConcernStatus::Decided),
            _ => None,
        }
    }
    pub fn label(self) -> Msg {
        match self {
            ConcernStatus::Open => Msg::CouncilOpen,
            ConcernStatus::Agenda => Msg::CouncilOnAgenda,
            ConcernStatus::Decided => Msg::CouncilDecided,
        }
    }
}

/// What a resident writes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConcernInput {
    pub grid: GridId,
    pub title: String,
    pub body: String,
}

pub fn check_concern(c: &ConcernInput) -> Result<(), AppError> {
    check_text("title", &c.title, TITLE_MAX, true)?;
    check_text("body", &c.body, BODY_MAX, true)
}

/// A concern as the board shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Concern {
    pub id: ConcernId,
    pub grid: GridId,
    pub grid_name: String,
    pub title: String,
    pub body: String,
    /// The raiser's name, masked for everyone but the raiser and the council.
    pub raised_by: String,
    pub created_at: i64,
    pub status: ConcernStatus,
    pub supporters: u32,
    /// "2026-12-02": the Wednesday meeting it is on.
    pub meeting_date: Option<String>,
    pub outcome: Option<String>,
    pub ticket: Option<TicketId>,
    /// The viewer raised it.
    pub mine: bool,
    /// The viewer supports it.
    pub supported: bool,
}

/// The board: the next meeting's date and every concern, newest decisions last.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CouncilBoard {
    pub next_meeting: String,
    pub concerns: Vec<Concern>,
}

impl CouncilBoard {
    /// On the agenda of `date`, most supported first.
    pub fn agenda(&self, date: &str) -> Vec<Concern> {
        self.with(|c| c.status == ConcernStatus::Agenda && c.meeting_date.as_deref() == Some(date))
    }
    /// Still gathering support, most supported first.
    pub fn open(&self) -> Vec<Concern> {
        self.with(|c| c.status == ConcernStatus::Open)
    }
    /// On the agenda of a meeting other than the next one (earlier, not yet decided).
    pub fn carried_over(&self) -> Vec<Concern> {
        self.with(|c| {
            c.status == ConcernStatus::Agenda
                && c.meeting_date.as_deref() != Some(self.next_meeting.as_str())
        })
    }
    pub fn decided(&self) -> Vec<Concern> {
        let mut d: Vec<Concern> = self
            .concerns
            .iter()
            .filter(|c| c.status == ConcernStatus::Decided)
            .cloned()
            .collect();
        d.sort_by(|a, b| b.meeting_date.cmp(&a.meeting_date).then(b.id.cmp(&a.id)));
        d
    }
    fn with(&self, keep: impl Fn(&Concern) -> bool) -> Vec<Concern> {
        let mut v: Vec<Concern> = self.concerns.iter().filter(|c| keep(c)).cloned().collect();
        v.sort_by(|a, b| b.supporters.cmp(&a.supporters).then(a.id.cmp(&b.id)));
        v
    }
}

/// The council's outcome of one concern.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Decision {
    pub outcome: String,
    /// Turn it into a ticket of this category (the raiser becomes its reporter).
    pub ticket_category: Option<i64>,
}

pub fn check_decision(d: &Decision) -> Result<(), AppError> {
    check_text("outcome", &d.outcome, OUTCOME_MAX, true)
}

const DAY_MS: i64 = 24 * 3600 * 1000;

/// The date ("2026-12-02", China time) of the first Wednesday meeting on or after
/// `now`'s day.
pub fn next_meeting(now: i64) -> String {
    let monday = week_start(now);
    let wednesday = monday + 2 * DAY_MS;
    let day_start = now - (now - monday).rem_euclid(DAY_MS);
    let at = if day_start <= wednesday {
        wednesday
    } else {
        wednesday + WEEK_MS
    };
    crate::domain::time::format_cst(at)
        .get(..10)
        .unwrap_or_default()
        .to_owned()
}

/// "刘建国" → "刘**": others see only the family name.
pub fn mask_name(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => {
            let rest = chars.count().max(1);
            format!("{first}{}", "*".repeat(rest))
        }
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::shift::parse_local;

    #[test]
    fn next_meeting_is_this_or_next_wednesday() {
        // 2026-11-30 is a Monday.
        let at = |d: &str, t: &str| parse_local(d, t).unwrap();
        assert_eq!(next_meeting(at("2026-11-30", "09:00")), "2026-12-02");
        assert_eq!(next_meeting(at("2026-12-02", "00:00")), "2026-12-02");
        assert_eq!(next_meeting(at("2026-12-02", "23:59")), "2026-12-02");
        assert_eq!(next_meeting(at("2026-12-03", "00:00")), "2026-12-09");
        assert_eq!(next_meeting(at("2026-12-06", "23:00")), "2026-12-09");
        assert_eq!(next_meeting(at("2026-12-07", "00:30")), "2026-12-09");
    }

    #[test]
    fn names_are_masked_but_the_family_name() {
        assert_eq!(mask_name("刘建国"), "刘**");
        assert_eq!(mask_name("王芳"), "王*");
        assert_eq!(mask_name("张"), "张*");
        assert_eq!(mask_name(""), "");
    }

    #[test]
    fn concerns_need_a_title_and_text_within_limits() {
        let ok = ConcernInput {
            grid: GridId(1),
            title: "楼道灯坏了".into(),
            body: "三号楼二单元楼道灯一直不亮，老人晚上下楼不方便。".into(),
        };
        assert!(check_concern(&ok).is_ok());
        let blank = ConcernInput {
            title: "  ".into(),
            ..ok.clone()
        };
        assert!(
            matches!(check_concern(&blank), Err(AppError::Invalid { field, .. }) if field == "title")
        );
        let long = ConcernInput {
            body: "长".repeat(BODY_MAX + 1),
            ..ok
        };
        assert!(
            matches!(check_concern(&long), Err(AppError::Invalid { field, .. }) if field == "body")
        );
        assert!(
            check_decision(&Decision {
                outcome: "".into(),
                ticket_category: None
            })
            .is_err()
        );
    }

    #[test]
    fn the_board_orders_by_support() {
        let c = |id: i64, status, support, date: Option<&str>| Concern {
            id: ConcernId(id),
            grid: GridId(1),
            grid_name: "新华街02".into(),
            title: format!("t{id}"),
            body: String::new(),
            raised_by: "刘**".into(),
            created_at: 0,
            status,
            supporters: support,
            meeting_date: date.map(str::to_owned),
            outcome: None,
            ticket: None,
            mine: false,
            supported: false,
        };
        let board = CouncilBoard {
            next_meeting: "2026-12-02".into(),
            concerns: vec![
                c(1, ConcernStatus::Open, 1, None),
                c(2, ConcernStatus::Open, 5, None),
                c(3, ConcernStatus::Agenda, 0, Some("2026-12-02")),
                c(4, ConcernStatus::Agenda, 2, Some("2026-11-25")),
                c(5, ConcernStatus::Decided, 9, Some("2026-11-25")),
            ],
        };
        let ids = |v: Vec<Concern>| v.into_iter().map(|c| c.id.0).collect::<Vec<_>>();
        assert_eq!(ids(board.open()), vec![2, 1]);
        assert_eq!(ids(board.agenda("2026-12-02")), vec![3]);
        assert_eq!(ids(board.carried_over()), vec![4]);
        assert_eq!(ids(board.decided()), vec![5]);
    }
}
