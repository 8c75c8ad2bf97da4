//! Staff notices (工作通知): what the seed's work groups carried, with read receipts.
//! A notice goes to the grid workers and directors of the grids it targets; each
//! recipient's first opening is their receipt.
use crate::domain::AppError;
use crate::domain::grid::GridId;
use crate::i18n::Msg;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct NoticeId(pub i64);

pub const TITLE_MAX: usize = 80;
pub const BODY_MAX: usize = 2000;

/// What a director or admin writes.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct NoticeInput {
    pub title: String,
    pub body: String,
    /// Streets, communities or grids; empty means the sender's whole area.
    pub targets: Vec<GridId>,
}

pub fn check_notice(i: &NoticeInput) -> Result<(), AppError> {
    let title = i.title.trim();
    if title.is_empty() {
        return Err(AppError::invalid("title", Msg::ErrTitleRequired));
    }
    if title.chars().count() > TITLE_MAX {
        return Err(AppError::invalid("title", Msg::ErrTitleTooLong));
    }
    if i.body.trim().is_empty() {
        return Err(AppError::invalid("body", Msg::ErrBodyRequired));
    }
    if i.body.chars().count() > BODY_MAX {
        return Err(AppError::invalid("body", Msg::ErrBodyTooLong));
    }
    Ok(())
}

/// A notice as one person sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Notice {
    pub id: NoticeId,
    pub title: String,
    pub body: String,
    pub area: String,
    pub sender: String,
    pub sent_at: i64,
    /// When the viewer first opened it (`None`: unread, or not a recipient).
    pub read_at: Option<i64>,
    /// Recipients, and how many have opened it.
    pub recipients: u32,
    pub reads: u32,
}

/// One recipient's receipt, for the sender and admins.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Receipt {
    pub name: String,
    /// Their grids or community, in words.
    pub place: String,
    pub read_at: Option<i64>,
}

/// One notice opened: its text and, for its sender and admins, every receipt
/// (unread first).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NoticeDetail {
    pub notice: Notice,
    pub receipts: Option<Vec<Receipt>>,
}

/// Unread first, then by name: who still has to be chased is at the top.
pub fn sort_receipts(rows: &mut [Receipt]) {
    rows.sort_by(|a, b| {
        a.read_at
            .is_some()
            .cmp(&b.read_at.is_some())
            .then_with(|| a.name.cmp(&b.name))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(title: &str, body: &str) -> NoticeInput {
        NoticeInput {
            title: title.into(),
            body: body.into(),
            targets: vec![],
        }
    }

    #[test]
    fn notices_need_a_title_and_a_body_within_limits() {
        assert!(check_notice(&input("今晚巡查", "19:00 集合")).is_ok());
        assert!(check_notice(&input("  ", "x")).is_err());
        assert!(check_notice(&input("x", " ")).is_err());
        assert!(check_notice(&input(&"长".repeat(TITLE_MAX + 1), "x")).is_err());
        assert!(check_notice(&input("x", &"长".repeat(BODY_MAX + 1))).is_err());
        assert!(check_notice(&input(&"长".repeat(TITLE_MAX), &"长".repeat(BODY_MAX))).is_ok());
    }

    #[test]
    fn unread_receipts_come_first() {
        let r = |n: &str, at: Option<i64>| Receipt {
            name: n.into(),
            place: String::new(),
            read_at: at,
        };
        let mut rows = vec![r("b", Some(1)), r("c", None), r("a", Some(2)), r("d", None)];
        sort_receipts(&mut rows);
        let names: Vec<&str> = rows.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["c", "d", "a", "b"]);
    }
}
