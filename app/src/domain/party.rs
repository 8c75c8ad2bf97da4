//! The party organisation: 大党委 (the community's big party committee) → grid party
//! branches (支部) → party groups (党小组) → members, some of them 中心户 (central
//! households). Rules for the tree's shape and the branch rankings.
use super::AppError;
use crate::i18n::Msg;
use serde::{Deserialize, Serialize};

/// A name has at most this many characters.
pub const ORG_NAME_MAX: usize = 40;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum OrgKind {
    Committee,
    Branch,
    Group,
}

impl OrgKind {
    pub fn as_str(self) -> &'static str {
        match self {
            OrgKind::Committee => "committee",
            OrgKind::Branch => "branch",
            OrgKind::Group => "group",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "committee" => Some(OrgKind::Committee),
            "branch" => Some(OrgKind::Branch),
            "group" => Some(OrgKind::Group),
            _ => None,
        }
    }

    pub fn label(self) -> Msg {
        match self {
            OrgKind::Committee => Msg::OrgCommittee,
            OrgKind::Branch => Msg::OrgBranch,
            OrgKind::Group => Msg::OrgGroup,
        }
    }

    /// The kind a parent of this kind must have (none: the top of the tree).
    pub fn parent_kind(self) -> Option<OrgKind> {
        match self {
            OrgKind::Committee => None,
            OrgKind::Branch => Some(OrgKind::Committee),
            OrgKind::Group => Some(OrgKind::Branch),
        }
    }

    /// Whether members sit directly in it (branches and groups; the committee leads).
    pub fn has_members(self) -> bool {
        self != OrgKind::Committee
    }
}

/// One organisation as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Org {
    pub id: i64,
    pub parent: Option<i64>,
    pub kind: OrgKind,
    pub name: String,
    pub grid: Option<i64>,
}

/// A member of a branch or group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgMember {
    pub user: i64,
    pub name: String,
    pub org: i64,
    pub central: bool,
}

/// What an admin writes for an organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgInput {
    pub id: Option<i64>,
    pub parent: Option<i64>,
    pub kind: OrgKind,
    pub name: String,
    pub grid: Option<i64>,
}

/// An organisation's place is right: a committee at the top, a branch under a
/// committee, a group under a branch; `parent` is the parent's kind (none when
/// `input.parent` names no organisation).
pub fn check_org(input: &OrgInput, parent: Option<OrgKind>) -> Result<(), AppError> {
    let n = input.name.trim().chars().count();
    if n == 0 || n > ORG_NAME_MAX {
        return Err(AppError::invalid("name", Msg::ErrOrgName));
    }
    let fits = match (input.kind.parent_kind(), input.parent, parent) {
        (None, None, _) => true,
        (Some(want), Some(_), Some(got)) => want == got,
        _ => false,
    };
    if !fits {
        return Err(AppError::invalid("parent", Msg::ErrOrgParent));
    }
    Ok(())
}

/// The branch an organisation counts towards: itself when a branch, its parent when a
/// group; none for the committee or an unknown id.
pub fn branch_of(orgs: &[Org], id: i64) -> Option<i64> {
    let org = orgs.iter().find(|o| o.id == id)?;
    match org.kind {
        OrgKind::Branch => Some(org.id),
        OrgKind::Group => org
            .parent
            .and_then(|p| orgs.iter().find(|o| o.id == p))
            .filter(|p| p.kind == OrgKind::Branch)
            .map(|p| p.id),
        OrgKind::Committee => None,
    }
}

/// Whether moving `id` under `parent` would put it under itself.
pub fn would_cycle(orgs: &[Org], id: i64, parent: i64) -> bool {
    let mut at = Some(parent);
    let mut steps = 0;
    while let Some(p) = at {
        if p == id {
            return true;
        }
        steps += 1;
        if steps > orgs.len() {
            return true;
        }
        at = orgs.iter().find(|o| o.id == p).and_then(|o| o.parent);
    }
    false
}

/// A branch's line in the rankings: points per member decide (a big branch does not
/// win by size), tenths kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BranchRank {
    pub rank: u32,
    pub branch: i64,
    pub name: String,
    pub members: u32,
    pub points: u32,
    /// Points per member, in tenths.
    pub per_member_tenths: u32,
}

/// Branch rankings from `(branch, name, members, points)`: by points per member, then
/// by points; equal averages share a rank; branches without members are left out.
pub fn branch_ranks(rows: &[(i64, String, u32, u32)]) -> Vec<BranchRank> {
    let mut lines: Vec<BranchRank> = rows
        .iter()
        .filter(|(_, _, members, _)| *members > 0)
        .map(|(branch, name, members, points)| BranchRank {
            rank: 0,
            branch: *branch,
            name: name.clone(),
            members: *members,
            points: *points,
            per_member_tenths: (u64::from(*points) * 10 / u64::from(*members))
                .try_into()
                .unwrap_or(u32::MAX),
        })
        .collect();
    lines.sort_by(|a, b| {
        b.per_member_tenths
            .cmp(&a.per_member_tenths)
            .then(b.points.cmp(&a.points))
            .then(a.branch.cmp(&b.branch))
    });
    let mut prev: Option<(u32, u32)> = None;
    for (i, line) in lines.iter_mut().enumerate() {
        let rank = match prev {
            Some((avg, rank)) if avg == line.per_member_tenths => rank,
            _ => u32::try_from(i + 1).unwrap_or(u32::MAX),
        };
        line.rank = rank;
        prev = Some((line.per_member_tenths, rank));
    }
    lines
}

/// Every organisation and member, and the party members not yet placed, as admins see
/// the tree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgTree {
    pub orgs: Vec<Org>,
    pub members: Vec<OrgMember>,
    /// Party members in no branch or group yet: `(user, name)`.
    pub unplaced: Vec<(i64, String)>,
}

/// Branch rankings this month and in all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BranchRankings {
    pub month: Vec<BranchRank>,
    pub total: Vec<BranchRank>,
    /// The branch I count towards, if I am placed.
    pub mine: Option<i64>,
}

pub const MEETING_TITLE_MAX: usize = 60;
pub const MEETING_PLACE_MAX: usize = 60;
pub const MINUTES_MAX: usize = 5000;
const HOUR_MS: i64 = 3_600_000;
/// Check-in opens this long before a meeting starts …
pub const CHECKIN_BEFORE_MS: i64 = HOUR_MS;
/// … and closes this long after.
pub const CHECKIN_AFTER_MS: i64 = 4 * HOUR_MS;

/// 三会一课: the branch assembly, the branch committee, the group meeting, the party
/// lecture.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum MeetingKind {
    Assembly,
    Committee,
    Group,
    Lecture,
}

impl MeetingKind {
    pub const ALL: [MeetingKind; 4] = [
        MeetingKind::Assembly,
        MeetingKind::Committee,
        MeetingKind::Group,
        MeetingKind::Lecture,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MeetingKind::Assembly => "assembly",
            MeetingKind::Committee => "committee",
            MeetingKind::Group => "group",
            MeetingKind::Lecture => "lecture",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label(self) -> Msg {
        match self {
            MeetingKind::Assembly => Msg::MeetingAssembly,
            MeetingKind::Committee => Msg::MeetingCommittee,
            MeetingKind::Group => Msg::MeetingGroup,
            MeetingKind::Lecture => Msg::MeetingLecture,
        }
    }

    /// Who holds it: a group its 党小组会, a branch its assembly and committee, any
    /// level a party lecture.
    pub fn held_by(self, org: OrgKind) -> bool {
        match self {
            MeetingKind::Group => org == OrgKind::Group,
            MeetingKind::Assembly | MeetingKind::Committee => org == OrgKind::Branch,
            MeetingKind::Lecture => true,
        }
    }
}

/// What an admin fills in to call a meeting (date and time in China time).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingInput {
    pub org: i64,
    pub kind: MeetingKind,
    pub title: String,
    pub date: String,
    pub time: String,
    pub place: String,
}

/// Checks a meeting field by field (`org` is the organisation's kind, none when
/// unknown); answers when it starts.
pub fn check_meeting(m: &MeetingInput, org: Option<OrgKind>) -> Result<i64, AppError> {
    let Some(org) = org else {
        return Err(AppError::invalid("org", Msg::ErrMeetingOrg));
    };
    if !m.kind.held_by(org) {
        return Err(AppError::invalid("kind", Msg::ErrMeetingKind));
    }
    let n = m.title.trim().chars().count();
    if n == 0 || n > MEETING_TITLE_MAX {
        return Err(AppError::invalid("title", Msg::ErrMeetingTitle));
    }
    let Some(starts) = crate::domain::shift::parse_local(&m.date, &m.time) else {
        return Err(AppError::invalid("date", Msg::ErrMeetingWhen));
    };
    let n = m.place.trim().chars().count();
    if n == 0 || n > MEETING_PLACE_MAX {
        return Err(AppError::invalid("place", Msg::ErrMeetingPlace));
    }
    Ok(starts)
}

/// Whether check-in is open at `now` for a meeting starting at `starts`.
pub fn checkin_open(starts: i64, now: i64) -> bool {
    now >= starts - CHECKIN_BEFORE_MS && now <= starts + CHECKIN_AFTER_MS
}

/// Organisations under (and including) `root`.
pub fn subtree(orgs: &[Org], root: i64) -> Vec<i64> {
    let mut out = vec![root];
    let mut i = 0;
    while i < out.len() {
        let at = out[i];
        out.extend(orgs.iter().filter(|o| o.parent == Some(at)).map(|o| o.id));
        i += 1;
        if out.len() > orgs.len() + 1 {
            break;
        }
    }
    out
}

/// One meeting in a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingLine {
    pub id: i64,
    pub org: i64,
    pub org_name: String,
    pub kind: MeetingKind,
    pub title: String,
    pub starts_at: i64,
    pub place: String,
    pub expected: u32,
    pub attended: u32,
    /// Whether I checked in; none when I am not on its list.
    pub mine: Option<bool>,
    pub has_minutes: bool,
}

/// One person on a meeting's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attendee {
    pub user: i64,
    pub name: String,
    pub checked_in_at: Option<i64>,
}

/// A meeting's page: the check-in token and the list only for admins.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingDetail {
    pub line: MeetingLine,
    pub minutes: String,
    pub token: Option<String>,
    pub attendees: Vec<Attendee>,
    pub checkin_open: bool,
}

/// Attendance of one branch or member over past meetings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RateLine {
    pub id: i64,
    pub name: String,
    pub expected: u32,
    pub attended: u32,
}

impl RateLine {
    /// Attended out of expected, in whole percent (none before any meeting).
    pub fn percent(&self) -> Option<u32> {
        (self.expected > 0).then(|| {
            u32::try_from(u64::from(self.attended) * 100 / u64::from(self.expected)).unwrap_or(100)
        })
    }
}

/// Folds `(org, expected, attended)` per meeting organisation into branches (a group's
/// meetings count towards its branch; the committee's towards none), by rate.
pub fn branch_rates(orgs: &[Org], rows: &[(i64, u32, u32)]) -> Vec<RateLine> {
    let mut out: Vec<RateLine> = orgs
        .iter()
        .filter(|o| o.kind == OrgKind::Branch)
        .map(|o| RateLine {
            id: o.id,
            name: o.name.clone(),
            expected: 0,
            attended: 0,
        })
        .collect();
    for (org, expected, attended) in rows {
        if let Some(b) = branch_of(orgs, *org)
            && let Some(line) = out.iter_mut().find(|l| l.id == b)
        {
            line.expected += expected;
            line.attended += attended;
        }
    }
    out.retain(|l| l.expected > 0);
    out.sort_by(|a, b| b.percent().cmp(&a.percent()).then(a.id.cmp(&b.id)));
    out
}

/// The meetings page: what is coming, what was, and the attendance rates (every
/// member's for admins, my own otherwise).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingsPage {
    pub upcoming: Vec<MeetingLine>,
    pub past: Vec<MeetingLine>,
    pub branches: Vec<RateLine>,
    pub members: Vec<RateLine>,
    /// Organisations meetings can be called for (admins only).
    pub orgs: Vec<Org>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn org(id: i64, parent: Option<i64>, kind: OrgKind) -> Org {
        Org {
            id,
            parent,
            kind,
            name: format!("o{id}"),
            grid: None,
        }
    }

    fn input(kind: OrgKind, parent: Option<i64>) -> OrgInput {
        OrgInput {
            id: None,
            parent,
            kind,
            name: "新华街社区大党委".into(),
            grid: None,
        }
    }

    #[test]
    fn the_tree_has_four_levels_in_order() {
        assert!(check_org(&input(OrgKind::Committee, None), None).is_ok());
        assert!(check_org(&input(OrgKind::Branch, Some(1)), Some(OrgKind::Committee)).is_ok());
        assert!(check_org(&input(OrgKind::Group, Some(2)), Some(OrgKind::Branch)).is_ok());
        for (i, p) in [
            (input(OrgKind::Committee, Some(1)), Some(OrgKind::Committee)),
            (input(OrgKind::Branch, None), None),
            (input(OrgKind::Branch, Some(3)), Some(OrgKind::Group)),
            (input(OrgKind::Group, Some(1)), Some(OrgKind::Committee)),
            (input(OrgKind::Group, Some(99)), None),
        ] {
            assert!(
                matches!(check_org(&i, p), Err(AppError::Invalid { ref field, .. }) if field == "parent"),
                "{i:?} under {p:?}"
            );
        }
        let mut long = input(OrgKind::Committee, None);
        long.name = "党".repeat(ORG_NAME_MAX + 1);
        assert!(
            matches!(check_org(&long, None), Err(AppError::Invalid { ref field, .. }) if field == "name")
        );
    }

    #[test]
    fn groups_count_towards_their_branch() {
        let orgs = [
            org(1, None, OrgKind::Committee),
            org(2, Some(1), OrgKind::Branch),
            org(3, Some(2), OrgKind::Group),
        ];
        assert_eq!(branch_of(&orgs, 3), Some(2));
        assert_eq!(branch_of(&orgs, 2), Some(2));
        assert_eq!(branch_of(&orgs, 1), None);
        assert_eq!(branch_of(&orgs, 9), None);
        assert!(would_cycle(&orgs, 2, 3));
        assert!(!would_cycle(&orgs, 3, 2));
    }

    #[test]
    fn branches_rank_by_points_per_member() {
        let rows = vec![
            (1, "新华街一支部".to_owned(), 10, 50), // 5.0
            (2, "新华街二支部".to_owned(), 2, 12),  // 6.0
            (3, "老街支部".to_owned(), 4, 20),      // 5.0
            (4, "空支部".to_owned(), 0, 0),
        ];
        let r = branch_ranks(&rows);
        let order: Vec<(i64, u32)> = r.iter().map(|l| (l.branch, l.rank)).collect();
        assert_eq!(order, [(2, 1), (1, 2), (3, 2)]);
        assert_eq!(r[0].per_member_tenths, 60);
    }

    #[test]
    fn meetings_fit_their_level_and_time() {
        let m = |kind, date: &str, time: &str| MeetingInput {
            org: 1,
            kind,
            title: "十一月支部党员大会".into(),
            date: date.into(),
            time: time.into(),
            place: "新华街社区党群服务中心".into(),
        };
        let ok = m(MeetingKind::Assembly, "2026-12-01", "19:30");
        assert!(check_meeting(&ok, Some(OrgKind::Branch)).is_ok());
        let field = |r: Result<i64, AppError>| match r {
            Err(AppError::Invalid { field, .. }) => field,
            other => panic!("{other:?}"),
        };
        assert_eq!(field(check_meeting(&ok, None)), "org");
        assert_eq!(field(check_meeting(&ok, Some(OrgKind::Group))), "kind");
        assert_eq!(
            field(check_meeting(
                &m(MeetingKind::Group, "2026-12-01", "19:30"),
                Some(OrgKind::Branch)
            )),
            "kind"
        );
        assert!(
            check_meeting(
                &m(MeetingKind::Lecture, "2026-12-01", "19:30"),
                Some(OrgKind::Committee)
            )
            .is_ok()
        );
        assert_eq!(
            field(check_meeting(
                &m(MeetingKind::Assembly, "2026-13-01", "19:30"),
                Some(OrgKind::Branch)
            )),
            "date"
        );
        assert_eq!(
            field(check_meeting(
                &m(MeetingKind::Assembly, "2026-12-01", "25:00"),
                Some(OrgKind::Branch)
            )),
            "date"
        );
        let mut blank = ok.clone();
        blank.title = "  ".into();
        assert_eq!(field(check_meeting(&blank, Some(OrgKind::Branch))), "title");
        let mut far = ok.clone();
        far.place = "地".repeat(MEETING_PLACE_MAX + 1);
        assert_eq!(field(check_meeting(&far, Some(OrgKind::Branch))), "place");
        let starts = check_meeting(&ok, Some(OrgKind::Branch)).unwrap_or(0);
        assert!(!checkin_open(starts, starts - CHECKIN_BEFORE_MS - 1));
        assert!(checkin_open(starts, starts - CHECKIN_BEFORE_MS));
        assert!(checkin_open(starts, starts + CHECKIN_AFTER_MS));
        assert!(!checkin_open(starts, starts + CHECKIN_AFTER_MS + 1));
    }

    #[test]
    fn attendance_folds_groups_into_branches() {
        let orgs = [
            org(1, None, OrgKind::Committee),
            org(2, Some(1), OrgKind::Branch),
            org(3, Some(2), OrgKind::Group),
            org(4, Some(1), OrgKind::Branch),
            org(5, Some(1), OrgKind::Branch),
        ];
        assert_eq!(subtree(&orgs, 2), [2, 3]);
        assert_eq!(subtree(&orgs, 1).len(), 5);
        let rates = branch_rates(&orgs, &[(2, 10, 5), (3, 4, 4), (4, 3, 3), (1, 20, 1)]);
        let got: Vec<(i64, Option<u32>)> = rates.iter().map(|l| (l.id, l.percent())).collect();
        assert_eq!(got, [(4, Some(100)), (2, Some(64))]);
        let none = RateLine {
            id: 9,
            name: String::new(),
            expected: 0,
            attended: 0,
        };
        assert_eq!(none.percent(), None);
    }
}
