//! The grid (网格化): street (level 1) > community (level 2) > grid (level 3), each
//! with a polygon; every level-3 grid has five duties.
use crate::domain::geo::LatLng;
use crate::i18n::Msg;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct GridId(pub i64);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum GridLevel {
    Street = 1,
    Community = 2,
    Grid = 3,
}

impl GridLevel {
    pub fn from_i64(n: i64) -> Option<Self> {
        match n {
            1 => Some(Self::Street),
            2 => Some(Self::Community),
            3 => Some(Self::Grid),
            _ => None,
        }
    }

    /// The level a child of this level has; a level-3 grid has no children.
    pub fn child(self) -> Option<Self> {
        match self {
            Self::Street => Some(Self::Community),
            Self::Community => Some(Self::Grid),
            Self::Grid => None,
        }
    }

    pub fn label(self) -> Msg {
        match self {
            Self::Street => Msg::LevelStreet,
            Self::Community => Msg::LevelCommunity,
            Self::Grid => Msg::LevelGrid,
        }
    }
}

/// The five forces of a level-3 grid (一格多员).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Duty {
    /// 网格长
    Leader,
    /// 网格警务员
    Police,
    /// 网格管理员
    Manager,
    /// 物业管理员
    Property,
    /// 网格党小组长
    PartyLeader,
}

impl Duty {
    pub const ALL: [Duty; 5] = [
        Duty::Leader,
        Duty::Police,
        Duty::Manager,
        Duty::Property,
        Duty::PartyLeader,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Duty::Leader => "leader",
            Duty::Police => "police",
            Duty::Manager => "manager",
            Duty::Property => "property",
            Duty::PartyLeader => "party_leader",
        }
    }

    pub fn parse(s: &str) -> Option<Duty> {
        Duty::ALL.into_iter().find(|d| d.as_str() == s)
    }

    pub fn label(self) -> Msg {
        match self {
            Duty::Leader => Msg::DutyLeader,
            Duty::Police => Msg::DutyPolice,
            Duty::Manager => Msg::DutyManager,
            Duty::Property => Msg::DutyProperty,
            Duty::PartyLeader => Msg::DutyPartyLeader,
        }
    }
}

/// A grid as the map and lists show it. `rings` are the outer rings of its polygon
/// parts in WGS-84, enough to draw it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GridSummary {
    pub id: GridId,
    pub parent: Option<GridId>,
    pub level: GridLevel,
    pub code: String,
    pub name: String,
    pub rings: Vec<Vec<LatLng>>,
}

/// One person on duty in a grid. `phone` is masked unless the viewer is staff.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StaffView {
    pub duty: Duty,
    pub name: String,
    pub phone: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GridDetail {
    pub grid: GridSummary,
    /// Names from the street down to this grid's parent, e.g. ["老街街道", "新华街社区"].
    pub ancestors: Vec<String>,
    /// Staff in the order of [`Duty::ALL`]; a duty nobody holds is absent.
    pub staff: Vec<StaffView>,
    pub children: Vec<GridSummary>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    pub created: u32,
    pub updated: u32,
}

/// Sorts staff in duty order, so every page lists them the same way.
pub fn sort_staff(staff: &mut [StaffView]) {
    staff.sort_by_key(|s| s.duty);
}

/// A grid code: 1–32 of ASCII letters, digits, `-` and `_` (it names the grid in
/// GeoJSON and in URLs people type).
pub fn check_code(code: &str) -> Result<(), Msg> {
    let ok = !code.is_empty()
        && code.len() <= 32
        && code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if ok { Ok(()) } else { Err(Msg::ErrGridCode) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_nest() {
        assert_eq!(GridLevel::Street.child(), Some(GridLevel::Community));
        assert_eq!(GridLevel::Community.child(), Some(GridLevel::Grid));
        assert_eq!(GridLevel::Grid.child(), None);
        assert_eq!(GridLevel::from_i64(4), None);
    }

    #[test]
    fn duties_round_trip_and_sort() {
        for d in Duty::ALL {
            assert_eq!(Duty::parse(d.as_str()), Some(d));
        }
        let mut staff = vec![
            StaffView {
                duty: Duty::PartyLeader,
                name: "a".into(),
                phone: String::new(),
            },
            StaffView {
                duty: Duty::Leader,
                name: "b".into(),
                phone: String::new(),
            },
        ];
        sort_staff(&mut staff);
        assert_eq!(staff[0].duty, Duty::Leader);
    }

    #[test]
    fn codes() {
        assert!(check_code("LJ-01").is_ok());
        assert!(check_code("").is_err());
        assert!(check_code("老街").is_err());
        assert!(check_code(&"a".repeat(33)).is_err());
    }
}
