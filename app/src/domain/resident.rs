//! Residents registry (基础信息): buildings, households, residents, tags; the rules
//! for phone and ID numbers and how they are masked. Pure; the resident service
//! applies them.
use crate::domain::grid::GridId;
use crate::i18n::Msg;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ResidentId(pub i64);

/// Tags a grid worker keeps on a resident.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Tag {
    /// 独居老人
    ElderlyAlone,
    /// 残疾
    Disabled,
    /// 流动人口
    Floating,
    /// 低保户
    LowIncome,
}

impl Tag {
    pub const ALL: [Tag; 4] = [
        Tag::ElderlyAlone,
        Tag::Disabled,
        Tag::Floating,
        Tag::LowIncome,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Tag::ElderlyAlone => "elderly_alone",
            Tag::Disabled => "disabled",
            Tag::Floating => "floating",
            Tag::LowIncome => "low_income",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            Tag::ElderlyAlone => "独居老人",
            Tag::Disabled => "残疾",
            Tag::Floating => "流动人口",
            Tag::LowIncome => "低保户",
        }
    }

    pub fn label(self) -> Msg {
        match self {
            Tag::ElderlyAlone => Msg::TagElderlyAlone,
            Tag::Disabled => Msg::TagDisabled,
            Tag::Floating => Msg::TagFloating,
            Tag::LowIncome => Msg::TagLowIncome,
        }
    }

    /// Accepts the stored spelling, the Chinese word or the English label.
    pub fn parse(s: &str) -> Option<Tag> {
        let s = s.trim();
        Self::ALL.into_iter().find(|t| {
            t.as_str() == s || t.zh() == s || Msg::text(t.label(), crate::i18n::Lang::En) == s
        })
    }

    /// Whom an alert's follow-up list is for.
    pub fn vulnerable(self) -> bool {
        matches!(self, Tag::ElderlyAlone | Tag::Disabled)
    }

    /// Stored as one comma-separated column.
    pub fn join(tags: &[Tag]) -> String {
        tags.iter()
            .map(|t| t.as_str())
            .collect::<Vec<_>>()
            .join(",")
    }

    pub fn split(s: &str) -> Vec<Tag> {
        let mut v: Vec<Tag> = s.split(',').filter_map(Tag::parse).collect();
        v.sort();
        v.dedup();
        v
    }
}

/// One person as a list shows them: numbers masked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Resident {
    pub id: ResidentId,
    pub grid: GridId,
    pub grid_name: String,
    pub building: String,
    pub room: String,
    pub name: String,
    pub phone_masked: String,
    pub id_masked: String,
    pub tags: Vec<Tag>,
    /// An account in the app uses this person's phone number.
    pub has_account: bool,
    /// …and a staff member confirmed it is hers: only then does it stand for her.
    pub account_verified: bool,
}

/// How a staff member confirmed that an account's number is the resident's own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AccountCheck {
    InPerson,
    Phone,
}

impl AccountCheck {
    pub fn as_str(self) -> &'static str {
        match self {
            AccountCheck::InPerson => "in_person",
            AccountCheck::Phone => "phone",
        }
    }
}

/// The unmasked numbers of one resident (each read audited).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    pub phone: String,
    pub id_number: String,
}

/// What admins ask of the audit log: all filters optional, combined with AND.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditQuery {
    /// Part of the name of who did it.
    #[serde(default)]
    pub actor: String,
    /// Part of whose data it was (name, `resident:12`).
    #[serde(default)]
    pub subject: String,
    /// The action exactly (`resident.contact`), or any.
    #[serde(default)]
    pub action: String,
    /// First and last day (`2026-12-01`, China time), inclusive.
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    /// Entries older than this one (the previous page's `next`).
    #[serde(default)]
    pub before: Option<i64>,
}

/// One page of the audit log, newest first; `next` fetches the page after it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    /// How many entries match in all.
    pub total: i64,
    pub next: Option<i64>,
}

/// Entries on one page of the audit log.
pub const AUDIT_PAGE: usize = 100;
/// Longest filter text.
pub const AUDIT_FILTER_MAX: usize = 60;

/// One read of unmasked personal data, as admins see the log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub id: i64,
    pub at: i64,
    pub actor: String,
    pub action: String,
    pub subject: String,
}

/// A page of the registry.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ResidentPage {
    pub residents: Vec<Resident>,
    /// How many match (the page shows at most [`PAGE_MAX`]).
    pub total: i64,
}

pub const PAGE_MAX: i64 = 200;

/// A filter for the registry list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ResidentFilter {
    pub grid: Option<GridId>,
    pub tag: Option<Tag>,
    /// Part of a name, building or room.
    pub q: String,
}

/// Longest search text: a name, a building or a room is far shorter.
pub const SEARCH_MAX: usize = 40;

/// A row as it comes from a CSV or XLSX file, before checking.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawRow {
    pub grid_code: String,
    pub building: String,
    pub room: String,
    pub name: String,
    pub phone: String,
    pub id_number: String,
    pub tags: String,
}

/// A checked row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedRow {
    pub grid_code: String,
    pub building: String,
    pub room: String,
    pub name: String,
    pub phone: String,
    pub id_number: String,
    pub tags: Vec<Tag>,
}

/// One problem in an import file: the row as a spreadsheet numbers it (header = 1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowError {
    pub row: usize,
    pub column: String,
    pub msg: Msg,
    pub value: String,
}

/// What an import did, or why it did nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportOutcome {
    pub created: usize,
    pub updated: usize,
    /// When not empty, nothing was written.
    pub errors: Vec<RowError>,
}

/// The columns an import file has, by their Chinese or English heading.
pub const COLUMNS: [(&str, &str); 7] = [
    ("grid_code", "网格编码"),
    ("building", "楼栋"),
    ("room", "房号"),
    ("name", "姓名"),
    ("phone", "手机号"),
    ("id_number", "身份证号"),
    ("tags", "标签"),
];

/// Where each column sits, from the heading row; the missing required headings as
/// an error (row 1).
pub fn map_header(header: &[String]) -> Result<[Option<usize>; 7], RowError> {
    let mut at = [None; 7];
    for (i, h) in header.iter().enumerate() {
        let h = h.trim().trim_start_matches('\u{feff}');
        if let Some(c) = COLUMNS.iter().position(|(en, zh)| *en == h || *zh == h) {
            at[c] = Some(i);
        }
    }
    // Tags and ID number are optional; the rest are not.
    if let Some(c) = [0usize, 1, 2, 3, 4].into_iter().find(|&c| at[c].is_none()) {
        return Err(RowError {
            row: 1,
            column: COLUMNS[c].1.to_owned(),
            msg: Msg::ErrColumnMissing,
            value: String::new(),
        });
    }
    Ok(at)
}

/// Picks a row's cells by the mapped header.
pub fn raw_row(cells: &[String], at: &[Option<usize>; 7]) -> RawRow {
    let get = |c: usize| {
        at[c]
            .and_then(|i| cells.get(i))
            .map(|s| s.trim().to_owned())
            .unwrap_or_default()
    };
    RawRow {
        grid_code: get(0),
        building: get(1),
        room: get(2),
        name: get(3),
        phone: get(4),
        id_number: get(5),
        tags: get(6),
    }
}

/// Checks one row; every problem in it, not just the first.
pub fn check_row(row: usize, r: &RawRow) -> Result<CheckedRow, Vec<RowError>> {
    let mut errors = Vec::new();
    let mut err = |column: &str, msg: Msg, value: &str| {
        errors.push(RowError {
            row,
            column: column.to_owned(),
            msg,
            value: value.to_owned(),
        })
    };
    if r.grid_code.is_empty() {
        err("网格编码", Msg::ErrRequired, "");
    }
    if r.building.is_empty() {
        err("楼栋", Msg::ErrRequired, "");
    }
    if r.room.is_empty() {
        err("房号", Msg::ErrRequired, "");
    }
    let name = r.name.trim();
    if name.is_empty() {
        err("姓名", Msg::ErrRequired, "");
    } else if name.chars().count() > 40 {
        err("姓名", Msg::ErrNameTooLong, name);
    }
    let phone = normalize_phone(&r.phone).unwrap_or_default();
    if phone.is_empty() {
        err("手机号", Msg::ErrPhone, &r.phone);
    }
    let id_number = r.id_number.trim().to_uppercase();
    if !id_number.is_empty() && !valid_id_number(&id_number) {
        err("身份证号", Msg::ErrIdNumber, &r.id_number);
    }
    let mut tags = Vec::new();
    for part in r
        .tags
        .split(['、', ',', '，', ';', '；', '|'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        match Tag::parse(part) {
            Some(t) => tags.push(t),
            None => err("标签", Msg::ErrUnknownTag, part),
        }
    }
    tags.sort();
    tags.dedup();
    if errors.is_empty() {
        Ok(CheckedRow {
            grid_code: r.grid_code.clone(),
            building: r.building.clone(),
            room: r.room.clone(),
            name: name.to_owned(),
            phone,
            id_number,
            tags,
        })
    } else {
        Err(errors)
    }
}

/// A spreadsheet's phone cell as the sign-up rule wants it: a leading +86 and any
/// separators dropped.
pub fn normalize_phone(s: &str) -> Option<String> {
    let digits: String = s.chars().filter(char::is_ascii_digit).collect();
    let digits = match digits.strip_prefix("86") {
        Some(rest) if rest.len() == 11 => rest.to_owned(),
        _ => digits,
    };
    crate::domain::user::normalize_phone(&digits).ok()
}

/// The check character of an 18-character resident ID (GB 11643-1999, ISO 7064
/// MOD 11-2) from its first 17 digits.
pub fn id_check(first17: &str) -> Option<char> {
    let b = first17.as_bytes();
    if b.len() != 17 || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK: &[u8; 11] = b"10X98765432";
    let sum: u32 = b
        .iter()
        .zip(WEIGHTS)
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    Some(char::from(CHECK[(sum % 11) as usize]))
}

/// An 18-character resident ID: 17 digits with a plausible birth date, and the
/// right check character.
pub fn valid_id_number(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 18 || !b[..17].iter().all(u8::is_ascii_digit) {
        return false;
    }
    let month = (b[10] - b'0') * 10 + (b[11] - b'0');
    let day = (b[12] - b'0') * 10 + (b[13] - b'0');
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return false;
    }
    id_check(&s[..17]) == Some(char::from(b[17]))
}

/// 411***********123X
pub fn mask_id_number(s: &str) -> String {
    mask(s, 3, 4)
}

fn mask(s: &str, head: usize, tail: usize) -> String {
    let chars: Vec<char> = s.chars().collect();
    if chars.is_empty() {
        return String::new();
    }
    if chars.len() <= head + tail {
        return "*".repeat(chars.len());
    }
    chars
        .iter()
        .enumerate()
        .map(|(i, c)| {
            if i < head || i >= chars.len() - tail {
                *c
            } else {
                '*'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw() -> RawRow {
        RawRow {
            grid_code: "XHJ-02".into(),
            building: "新华街12号院3号楼".into(),
            room: "2单元401".into(),
            name: "王秀英".into(),
            phone: "139 0395 7001".into(),
            id_number: "11010519491231002x".into(),
            tags: "独居老人、残疾".into(),
        }
    }

    #[test]
    fn id_numbers_carry_their_check_character() {
        assert!(valid_id_number("11010519491231002X"));
        assert!(!valid_id_number("110105194912310021"));
        assert!(!valid_id_number("11010519491331002X"), "month 13");
        assert!(!valid_id_number("1101051949123100"));
    }

    #[test]
    fn phones_are_normalised_and_checked() {
        assert_eq!(
            normalize_phone("+86 139-0395-7001").as_deref(),
            Some("13903957001")
        );
        assert_eq!(normalize_phone("23903957001"), None);
        assert_eq!(normalize_phone("1390395700"), None);
    }

    #[test]
    fn masks_keep_only_the_ends() {
        assert_eq!(mask_id_number("11010519491231002X"), "110***********002X");
        assert_eq!(mask_id_number(""), "");
        assert_eq!(mask_id_number("123"), "***");
    }

    #[test]
    fn a_good_row_is_cleaned() {
        let c = check_row(2, &raw()).unwrap();
        assert_eq!(c.phone, "13903957001");
        assert_eq!(c.id_number, "11010519491231002X");
        assert_eq!(c.tags, vec![Tag::ElderlyAlone, Tag::Disabled]);
    }

    #[test]
    fn a_bad_row_reports_every_problem() {
        let e = check_row(
            7,
            &RawRow {
                phone: "12345".into(),
                id_number: "110105194912310021".into(),
                tags: "独居老人、VIP".into(),
                name: String::new(),
                ..raw()
            },
        )
        .unwrap_err();
        let cols: Vec<&str> = e.iter().map(|e| e.column.as_str()).collect();
        assert_eq!(cols, ["姓名", "手机号", "身份证号", "标签"]);
        assert!(e.iter().all(|e| e.row == 7));
        assert_eq!(e[3].value, "VIP");
    }

    #[test]
    fn headers_in_either_language() {
        let h: Vec<String> = ["姓名", "grid_code", "楼栋", "房号", "手机号"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let at = map_header(&h).unwrap();
        assert_eq!(at[0], Some(1));
        assert_eq!(at[3], Some(0));
        assert_eq!(at[5], None);
        let missing = map_header(&h[..4]).unwrap_err();
        assert_eq!(missing.column, "手机号");
    }

    #[test]
    fn tags_parse_from_any_spelling() {
        assert_eq!(Tag::parse("独居老人"), Some(Tag::ElderlyAlone));
        assert_eq!(Tag::parse("floating"), Some(Tag::Floating));
        assert_eq!(
            Tag::split("disabled,elderly_alone"),
            vec![Tag::ElderlyAlone, Tag::Disabled]
        );
    }
}
