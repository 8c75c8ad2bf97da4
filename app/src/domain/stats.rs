//! Honest figures (`/stats`): a month's tickets counted so that nobody can dress them
//! up. A ticket counts as fixed only when its outcome is "fixed", a second person
//! checked it where its category asks for a check, and the resident did not rate it
//! 不满意 or 很不满意; a week's silence is "no answer", never satisfied.
use crate::domain::shift::parse_local;
use crate::domain::ticket::{Outcome, Rating, TicketStatus};
use serde::{Deserialize, Serialize};

/// What the figures need of one ticket.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StatTicket {
    pub status: TicketStatus,
    pub outcome: Option<Outcome>,
    pub created_ms: i64,
    /// When the latest closing step was taken.
    pub resolved_ms: Option<i64>,
    /// Its category asks for a second person's check.
    pub check_required: bool,
    /// A second person passed the check.
    pub checked: bool,
    pub rating: Option<Rating>,
}

impl StatTicket {
    /// Fixed, checked where required, and not rated as unsatisfactory.
    pub fn fixed(&self) -> bool {
        matches!(self.status, TicketStatus::Resolved | TicketStatus::Closed)
            && self.outcome == Some(Outcome::Fixed)
            && (self.checked || !self.check_required)
            && !self.rating.is_some_and(Rating::dissatisfied)
    }
}

/// One scope's month.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Figures {
    /// Tickets reported, less those merged into another (a duplicate is one problem).
    pub reported: i64,
    pub fixed: i64,
    /// Median time from report to the fix, over the fixed ones.
    pub median_fix_ms: Option<i64>,
    /// Tickets whose rating question is over: answered or lapsed.
    pub rating_due: i64,
    /// Of those, answered by a person.
    pub rated: i64,
    /// Of those answered, 满意 or 基本满意.
    pub satisfied: i64,
}

impl Figures {
    pub fn of(tickets: &[StatTicket]) -> Figures {
        let counted: Vec<&StatTicket> = tickets
            .iter()
            .filter(|t| t.status != TicketStatus::Duplicate)
            .collect();
        let mut fix_times: Vec<i64> = counted
            .iter()
            .filter(|t| t.fixed())
            .filter_map(|t| t.resolved_ms.map(|r| (r - t.created_ms).max(0)))
            .collect();
        fix_times.sort_unstable();
        let rated: Vec<Rating> = counted
            .iter()
            .filter_map(|t| t.rating)
            .filter(|r| r.answered())
            .collect();
        Figures {
            reported: counted.len() as i64,
            fixed: counted.iter().filter(|t| t.fixed()).count() as i64,
            median_fix_ms: median(&fix_times),
            rating_due: counted.iter().filter(|t| t.rating.is_some()).count() as i64,
            rated: rated.len() as i64,
            satisfied: rated.iter().filter(|r| r.satisfied()).count() as i64,
        }
    }

    /// Fixed of reported.
    pub fn fixed_share(&self) -> Option<f64> {
        share(self.fixed, self.reported)
    }

    /// Rated by a person, of those whose question is over.
    pub fn rated_share(&self) -> Option<f64> {
        share(self.rated, self.rating_due)
    }

    /// Satisfied, of those rated by a person.
    pub fn satisfied_share(&self) -> Option<f64> {
        share(self.satisfied, self.rated)
    }
}

fn share(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

/// The middle value of a sorted list (the lower middle for an even count: a time
/// someone really waited).
fn median(sorted: &[i64]) -> Option<i64> {
    if sorted.is_empty() {
        None
    } else {
        Some(sorted[(sorted.len() - 1) / 2])
    }
}

/// "87.5 %", or "—" with nothing to divide.
pub fn percent(share: Option<f64>) -> String {
    share.map_or_else(|| "—".to_owned(), |s| format!("{:.1} %", s * 100.0))
}

/// The first and the after-last moment (China time) of a month written `2026-12`.
pub fn month_bounds(month: &str) -> Option<(i64, i64)> {
    let (y, m) = month.trim().split_once('-')?;
    let (y, m): (i64, u32) = (y.parse().ok()?, m.parse().ok()?);
    if !(1..=12).contains(&m) {
        return None;
    }
    let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    let start = parse_local(&format!("{y:04}-{m:02}-01"), "00:00")?;
    let end = parse_local(&format!("{ny:04}-{nm:02}-01"), "00:00")?;
    Some((start, end))
}

/// A month's figures for the street, each community and (for staff) each grid.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MonthFigures {
    /// `2026-12`.
    pub month: String,
    pub street: Figures,
    /// (community name, figures), by name.
    pub communities: Vec<(String, Figures)>,
    /// Staff only: (grid name, figures), by name; empty for everyone else.
    pub grids: Vec<(String, Figures)>,
    /// The feedback box's month (投诉建议).
    pub feedback: crate::domain::feedback::FeedbackCounts,
}

#[cfg(test)]
mod tests {
    use super::*;
    use TicketStatus as S;

    fn t(status: S, outcome: Option<Outcome>, checked: bool, rating: Option<Rating>) -> StatTicket {
        StatTicket {
            status,
            outcome,
            created_ms: 0,
            resolved_ms: Some(3_600_000),
            check_required: true,
            checked,
            rating,
        }
    }

    #[test]
    fn fixed_means_checked_and_not_rated_badly() {
        let fixed = Some(Outcome::Fixed);
        assert!(t(S::Closed, fixed, true, Some(Rating::Satisfied)).fixed());
        // A lapsed rating does not undo a checked fix; a bad one does.
        assert!(t(S::Closed, fixed, true, Some(Rating::NoAnswer)).fixed());
        assert!(!t(S::Closed, fixed, true, Some(Rating::Unsatisfied)).fixed());
        assert!(!t(S::Closed, fixed, true, Some(Rating::VeryUnsatisfied)).fixed());
        // Unchecked where a check is required: not fixed, whatever the handler says.
        assert!(!t(S::Closed, fixed, false, Some(Rating::Satisfied)).fixed());
        let mut service = t(S::Resolved, fixed, false, None);
        service.check_required = false;
        assert!(service.fixed());
        // Partly fixed or not ours is not fixed; nor is work still waiting for its check.
        assert!(!t(S::Closed, Some(Outcome::Partly), true, None).fixed());
        assert!(!t(S::Closed, Some(Outcome::NotOurs), true, None).fixed());
        assert!(!t(S::Checking, fixed, false, None).fixed());
    }

    #[test]
    fn shares_and_the_median() {
        let fixed = Some(Outcome::Fixed);
        let mut list = vec![
            t(S::Closed, fixed, true, Some(Rating::Satisfied)),
            t(S::Closed, fixed, true, Some(Rating::Basic)),
            t(S::Closed, fixed, true, Some(Rating::NoAnswer)),
            t(S::Closed, fixed, true, Some(Rating::VeryUnsatisfied)),
            t(S::Pending, None, false, None),
            // Merged into another: not a second problem.
            t(S::Duplicate, None, false, None),
        ];
        list[1].resolved_ms = Some(7_200_000);
        list[2].resolved_ms = Some(10_800_000);
        let f = Figures::of(&list);
        assert_eq!(f.reported, 5);
        assert_eq!(f.fixed, 3);
        assert_eq!(f.fixed_share(), Some(0.6));
        assert_eq!(f.median_fix_ms, Some(7_200_000));
        assert_eq!((f.rating_due, f.rated, f.satisfied), (4, 3, 2));
        assert_eq!(percent(f.rated_share()), "75.0 %");
        assert_eq!(percent(f.satisfied_share()), "66.7 %");
        let empty = Figures::of(&[]);
        assert_eq!(percent(empty.fixed_share()), "—");
        assert_eq!(empty.median_fix_ms, None);
        assert_eq!(median(&[1, 2, 3, 4]), Some(2));
    }

    #[test]
    fn a_month_in_china_time() {
        use crate::domain::time::format_cst;
        let (a, b) = month_bounds("2026-12").unwrap();
        assert_eq!(format_cst(a), "2026-12-01 00:00");
        assert_eq!(format_cst(b), "2027-01-01 00:00");
        let (a, b) = month_bounds("2027-02").unwrap();
        assert_eq!(b - a, 28 * 86_400_000);
        for bad in ["2026-13", "2026", "x-01", "2026-00", ""] {
            assert_eq!(month_bounds(bad), None, "{bad}");
        }
    }
}
