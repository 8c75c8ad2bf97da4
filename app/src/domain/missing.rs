//! Lost-person notices (寻人): staff post one with a photo, a description and the
//! place last seen; residents send tips (text, photo, location) that staff see on a
//! map; the notice is closed when the person is found.
use crate::domain::AppError;
use crate::domain::geo::LatLng;
use crate::i18n::Msg;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct MissingId(pub i64);

pub const NAME_MAX: usize = 40;
pub const TEXT_MAX: usize = 1000;
pub const PLACE_MAX: usize = 200;
pub const AGE_MAX: u32 = 130;
/// Photos on a notice or a tip.
pub const PHOTOS_MAX: usize = 3;

/// A notice as a staff member fills it in (the photos travel beside it).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct MissingInput {
    pub name: String,
    /// 0: not known.
    pub age: u32,
    pub description: String,
    pub last_seen_place: String,
    pub last_seen_at: Option<LatLng>,
}

use crate::domain::error::check_text as text;

fn position(p: Option<LatLng>) -> Result<(), AppError> {
    match p {
        Some(p) if !((-90.0..=90.0).contains(&p.lat) && (-180.0..=180.0).contains(&p.lng)) => {
            Err(AppError::invalid("location", Msg::ErrLocation))
        }
        _ => Ok(()),
    }
}

pub fn check_missing(i: &MissingInput) -> Result<(), AppError> {
    text("name", &i.name, NAME_MAX, true)?;
    if i.age > AGE_MAX {
        return Err(AppError::invalid("age", Msg::ErrAge));
    }
    text("description", &i.description, TEXT_MAX, true)?;
    text("last_seen_place", &i.last_seen_place, PLACE_MAX, true)?;
    position(i.last_seen_at)
}

/// A tip: words, or a photo, or both; a position if the sender shares it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct TipInput {
    pub text: String,
    pub at: Option<LatLng>,
}

pub fn check_tip(i: &TipInput, photos: usize) -> Result<(), AppError> {
    text("text", &i.text, TEXT_MAX, photos == 0)?;
    position(i.at)
}

/// One notice as everyone sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Missing {
    pub id: MissingId,
    pub name: String,
    pub age: u32,
    pub description: String,
    pub last_seen_place: String,
    pub last_seen_at: Option<LatLng>,
    /// Photo URLs (`/photos/{key}.jpg`).
    pub photos: Vec<String>,
    pub posted_by: String,
    pub posted_at: i64,
    /// Set when the person was found; the notice is closed.
    pub found_at: Option<i64>,
    pub found_note: String,
}

/// A tip as staff see it (the sender's phone masked).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tip {
    pub id: i64,
    pub text: String,
    pub photos: Vec<String>,
    pub at: Option<LatLng>,
    pub sender: String,
    pub sender_phone: String,
    pub sent_at: i64,
}

/// One notice opened: tips only for staff; `tips_sent` counts the viewer's own.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MissingDetail {
    pub missing: Missing,
    pub tips: Option<Vec<Tip>>,
    pub tips_sent: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn notice() -> MissingInput {
        MissingInput {
            name: "王秀英".into(),
            age: 78,
            description: "灰色棉袄，拄拐杖，有轻度认知障碍".into(),
            last_seen_place: "老街菜市场东门".into(),
            last_seen_at: Some(LatLng::new(33.58, 114.03)),
        }
    }

    #[test]
    fn a_notice_needs_name_description_and_place() {
        assert!(check_missing(&notice()).is_ok());
        for bad in [
            MissingInput {
                name: " ".into(),
                ..notice()
            },
            MissingInput {
                description: String::new(),
                ..notice()
            },
            MissingInput {
                last_seen_place: String::new(),
                ..notice()
            },
            MissingInput {
                age: AGE_MAX + 1,
                ..notice()
            },
            MissingInput {
                last_seen_at: Some(LatLng::new(91.0, 0.0)),
                ..notice()
            },
            MissingInput {
                name: "名".repeat(NAME_MAX + 1),
                ..notice()
            },
        ] {
            assert!(check_missing(&bad).is_err(), "{bad:?}");
        }
        assert!(
            check_missing(&MissingInput {
                age: 0,
                last_seen_at: None,
                ..notice()
            })
            .is_ok()
        );
    }

    #[test]
    fn a_tip_needs_words_or_a_photo() {
        let empty = TipInput::default();
        assert!(check_tip(&empty, 0).is_err());
        assert!(check_tip(&empty, 1).is_ok());
        let words = TipInput {
            text: "在沙澧河边看到一位老人".into(),
            at: None,
        };
        assert!(check_tip(&words, 0).is_ok());
        let far = TipInput {
            at: Some(LatLng::new(0.0, 200.0)),
            ..words
        };
        assert!(check_tip(&far, 0).is_err());
    }
}
