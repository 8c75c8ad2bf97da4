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
    for i in 0..lines.len() {
        let rank = match prev {
            Some((avg, rank)) if avg == lines[i].per_member_tenths => rank,
            _ => u32::try_from(i + 1).unwrap_or(u32::MAX),
        };
        lines[i].rank = rank;
        prev = Some((lines[i].per_member_tenths, rank));
    }
    lines
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
        assert!(matches!(check_org(&long, None), Err(AppError::Invalid { ref field, .. }) if field == "name"));
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
}
