//! 重点场所 (key sites): the registry of malls, schools, nursing homes and the like,
//! their types' checklists and cycles, and the rules of an inspection — a failed item
//! opens a ticket (once), a passed item closes the one it opened.
use crate::domain::AppError;
use crate::domain::error::check_text;
use crate::i18n::Msg;
use serde::{Deserialize, Serialize};

pub const NAME_MAX: usize = 60;
pub const ADDRESS_MAX: usize = 120;
pub const CONTACT_MAX: usize = 20;
pub const NOTE_MAX: usize = 300;
pub const ITEM_MAX: usize = 60;
pub const ITEMS_MAX: usize = 20;
pub const CYCLE_MAX: i64 = 366;
pub const DAY_MS: i64 = 86_400_000;

/// One line of a type's checklist; `key` stays when the words are edited elsewhere.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChecklistItem {
    pub key: String,
    pub zh: String,
    pub en: String,
}

/// A kind of site: its checklist, how often it is inspected, and the ticket category
/// a failed item is reported in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SiteType {
    pub id: i64,
    pub name_zh: String,
    pub name_en: String,
    pub cycle_days: i64,
    pub checklist: Vec<ChecklistItem>,
    pub category: Option<i64>,
    pub active: bool,
}

/// An admin's edit of a type: the checklist as lines of "中文" or "中文 | English".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SiteTypeInput {
    pub id: Option<i64>,
    pub name_zh: String,
    pub name_en: String,
    pub cycle_days: i64,
    pub items: String,
    pub category: Option<i64>,
    pub active: bool,
}

/// The risk flags a site carries (消防, 治安, 安全生产), as bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Risk {
    Fire,
    Security,
    Production,
}

impl Risk {
    pub const ALL: [Risk; 3] = [Risk::Fire, Risk::Security, Risk::Production];

    pub fn bit(self) -> i64 {
        match self {
            Risk::Fire => 1,
            Risk::Security => 2,
            Risk::Production => 4,
        }
    }

    pub fn label(self) -> Msg {
        match self {
            Risk::Fire => Msg::SiteRiskFire,
            Risk::Security => Msg::SiteRiskSecurity,
            Risk::Production => Msg::SiteRiskProduction,
        }
    }

    pub fn of(bits: i64) -> Vec<Risk> {
        Risk::ALL
            .into_iter()
            .filter(|r| bits & r.bit() != 0)
            .collect()
    }
}

/// A site as registered (new when `id` is `None`); its grid follows from its position.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SiteInput {
    pub id: Option<i64>,
    pub type_id: i64,
    pub name: String,
    pub address: String,
    pub contact_name: String,
    pub contact_phone: String,
    pub lat: f64,
    pub lng: f64,
    pub risks: i64,
}

/// A site in a list or on the map.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Site {
    pub id: i64,
    pub type_id: i64,
    pub type_name: String,
    pub name: String,
    pub grid: Option<i64>,
    pub grid_name: String,
    pub address: String,
    pub contact_name: String,
    /// Masked for lists (the full number only on the site's own page).
    pub contact_phone: String,
    pub lat: f64,
    pub lng: f64,
    pub risks: i64,
    pub last_inspected_ms: Option<i64>,
    pub due_ms: i64,
    /// Failed items whose tickets are still open.
    pub open_hazards: i64,
}

impl Site {
    pub fn overdue(&self, now: i64) -> bool {
        now > self.due_ms
    }
}

/// One grid's overdue sites.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OverdueGrid {
    pub grid: Option<i64>,
    pub grid_name: String,
    pub sites: Vec<Site>,
}

/// `/sites`: the caller's sites and the types (every caller may register a site in
/// their scope; `may_edit_types` says whether they may also edit the types).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SiteBoard {
    pub now_ms: i64,
    pub types: Vec<SiteType>,
    pub sites: Vec<Site>,
    pub overdue: Vec<OverdueGrid>,
    pub may_edit_types: bool,
    /// Ticket categories a type may send its failed items to (id, name).
    pub categories: Vec<(i64, String)>,
}

/// A failed item still open: the ticket it opened.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hazard {
    pub item_key: String,
    pub item: String,
    pub ticket: i64,
    pub ticket_status: String,
    pub opened_ms: i64,
}

/// One item's result in a past inspection.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemView {
    pub item: String,
    pub pass: bool,
    pub note: String,
    pub photo: Option<String>,
    pub ticket: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InspectionView {
    pub id: i64,
    pub by: String,
    pub at_ms: i64,
    pub note: String,
    pub items: Vec<ItemView>,
}

/// `/sites/{id}`: the site, its checklist (with items of open hazards no longer on
/// it), open hazards and past inspections.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SiteDetail {
    pub site: Site,
    pub checklist: Vec<ChecklistItem>,
    pub hazards: Vec<Hazard>,
    pub inspections: Vec<InspectionView>,
}

/// One item's answer as the phone sends it; `photo` says the next photo is its.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemResult {
    pub key: String,
    pub pass: bool,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub photo: bool,
}

/// An inspection as the phone sends it (its photos travel beside it, in item order).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InspectionInput {
    pub results: Vec<ItemResult>,
    pub note: String,
    pub idempotency_key: String,
}

/// What an inspection did: the tickets its failures opened and its passes closed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InspectionDone {
    pub id: i64,
    pub opened: Vec<i64>,
    pub closed: Vec<i64>,
}

/// What an inspection does for one item, given the ticket its last failure opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemOutcome {
    /// Passed, nothing was open.
    Pass,
    /// Passed: the ticket opened by its earlier failure is closed (复查合格).
    Closes(i64),
    /// Failed: a new ticket is opened.
    Opens,
    /// Failed again while its ticket is still being handled: nothing new.
    StillOpen(i64),
}

/// The rule: `open` is the ticket of the item's last failure, if that ticket is still
/// open.
pub fn item_outcome(pass: bool, open: Option<i64>) -> ItemOutcome {
    match (pass, open) {
        (true, None) => ItemOutcome::Pass,
        (true, Some(t)) => ItemOutcome::Closes(t),
        (false, None) => ItemOutcome::Opens,
        (false, Some(t)) => ItemOutcome::StillOpen(t),
    }
}

/// When the next inspection is due: a cycle after the last one, or after registration.
pub fn due_at(registered_ms: i64, last_ms: Option<i64>, cycle_days: i64) -> i64 {
    last_ms.unwrap_or(registered_ms) + cycle_days * DAY_MS
}

/// Checks an inspection's answers against the checklist: every item answered once,
/// no unknown item, notes short, a failed item says what is wrong (a note or a photo).
/// Answers how many photos the answers announce.
pub fn check_results(
    checklist: &[ChecklistItem],
    results: &[ItemResult],
) -> Result<usize, AppError> {
    if results.len() != checklist.len() {
        return Err(AppError::invalid("results", Msg::SiteErrAnswerAll));
    }
    for item in checklist {
        let n = results.iter().filter(|r| r.key == item.key).count();
        if n != 1 {
            return Err(AppError::invalid("results", Msg::SiteErrAnswerAll));
        }
    }
    for r in results {
        if r.note.chars().count() > NOTE_MAX {
            return Err(AppError::invalid("note", Msg::ErrNote));
        }
        if r.pass && r.photo {
            return Err(AppError::invalid("results", Msg::SiteErrPhotoOnPass));
        }
        if !r.pass && r.note.trim().is_empty() && !r.photo {
            return Err(AppError::invalid("results", Msg::SiteErrSayWhat));
        }
    }
    Ok(results.iter().filter(|r| r.photo).count())
}

/// The checklist from an admin's lines, keeping the keys of items whose Chinese words
/// are unchanged and numbering new ones after the highest key used.
pub fn parse_checklist(old: &[ChecklistItem], lines: &str) -> Result<Vec<ChecklistItem>, AppError> {
    let mut next = old
        .iter()
        .filter_map(|i| i.key.strip_prefix('i').and_then(|n| n.parse::<u32>().ok()))
        .max()
        .unwrap_or(0);
    let mut out: Vec<ChecklistItem> = Vec::new();
    for line in lines.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let (zh, en) = match line.split_once('|') {
            Some((z, e)) => (z.trim(), e.trim()),
            None => (line, ""),
        };
        if zh.is_empty() || zh.chars().count() > ITEM_MAX || en.chars().count() > ITEM_MAX {
            return Err(AppError::invalid("items", Msg::SiteErrItem));
        }
        if out.iter().any(|i| i.zh == zh) {
            return Err(AppError::invalid("items", Msg::SiteErrItemTwice));
        }
        let key = match old.iter().find(|i| i.zh == zh) {
            Some(i) => i.key.clone(),
            None => {
                next += 1;
                format!("i{next}")
            }
        };
        out.push(ChecklistItem {
            key,
            zh: zh.to_owned(),
            en: if en.is_empty() {
                zh.to_owned()
            } else {
                en.to_owned()
            },
        });
    }
    if out.is_empty() || out.len() > ITEMS_MAX {
        return Err(AppError::invalid("items", Msg::SiteErrItems));
    }
    Ok(out)
}

/// The type's own words and cycle.
pub fn check_type(t: &SiteTypeInput) -> Result<(), AppError> {
    check_text("name_zh", &t.name_zh, 20, true)?;
    check_text("name_en", &t.name_en, 40, false)?;
    if !(1..=CYCLE_MAX).contains(&t.cycle_days) {
        return Err(AppError::invalid("cycle_days", Msg::SiteErrCycle));
    }
    Ok(())
}

/// A site's words and flags (the position is checked with the grids).
pub fn check_site(s: &SiteInput) -> Result<(), AppError> {
    check_text("name", &s.name, NAME_MAX, true)?;
    check_text("address", &s.address, ADDRESS_MAX, false)?;
    check_text("contact_name", &s.contact_name, CONTACT_MAX, false)?;
    if !(0..8).contains(&s.risks) {
        return Err(AppError::invalid("risks", Msg::SiteErrRisks));
    }
    Ok(())
}

/// Items shown for an inspection: the type's checklist, then the items of open
/// hazards that have since left it (so a re-inspection can still close them).
pub fn inspection_items(checklist: &[ChecklistItem], hazards: &[Hazard]) -> Vec<ChecklistItem> {
    let mut out = checklist.to_vec();
    for h in hazards {
        if !out.iter().any(|i| i.key == h.item_key) {
            out.push(ChecklistItem {
                key: h.item_key.clone(),
                zh: h.item.clone(),
                en: h.item.clone(),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(keys: &[&str]) -> Vec<ChecklistItem> {
        keys.iter()
            .map(|k| ChecklistItem {
                key: (*k).into(),
                zh: format!("项{k}"),
                en: (*k).into(),
            })
            .collect()
    }

    fn answer(key: &str, pass: bool, note: &str, photo: bool) -> ItemResult {
        ItemResult {
            key: key.into(),
            pass,
            note: note.into(),
            photo,
        }
    }

    #[test]
    fn a_failure_opens_once_and_a_pass_closes_it() {
        assert_eq!(item_outcome(true, None), ItemOutcome::Pass);
        assert_eq!(item_outcome(false, None), ItemOutcome::Opens);
        assert_eq!(item_outcome(false, Some(7)), ItemOutcome::StillOpen(7));
        assert_eq!(item_outcome(true, Some(7)), ItemOutcome::Closes(7));
    }

    #[test]
    fn due_a_cycle_after_the_last_inspection_or_registration() {
        assert_eq!(due_at(1000, None, 30), 1000 + 30 * DAY_MS);
        assert_eq!(due_at(1000, Some(5000), 7), 5000 + 7 * DAY_MS);
    }

    #[test]
    fn every_item_answered_once_and_a_failure_says_what() {
        let list = items(&["a", "b"]);
        assert_eq!(
            check_results(
                &list,
                &[
                    answer("a", true, "", false),
                    answer("b", false, "堵了", true)
                ]
            ),
            Ok(1)
        );
        assert_eq!(
            check_results(&list, &[answer("a", true, "", false)]),
            Err(AppError::invalid("results", Msg::SiteErrAnswerAll))
        );
        assert_eq!(
            check_results(
                &list,
                &[answer("a", true, "", false), answer("a", true, "", false)]
            ),
            Err(AppError::invalid("results", Msg::SiteErrAnswerAll))
        );
        assert_eq!(
            check_results(
                &list,
                &[answer("a", true, "", false), answer("c", true, "", false)]
            ),
            Err(AppError::invalid("results", Msg::SiteErrAnswerAll))
        );
        assert_eq!(
            check_results(
                &list,
                &[answer("a", true, "", false), answer("b", false, " ", false)]
            ),
            Err(AppError::invalid("results", Msg::SiteErrSayWhat))
        );
        assert_eq!(
            check_results(
                &list,
                &[answer("a", true, "", true), answer("b", true, "", false)]
            ),
            Err(AppError::invalid("results", Msg::SiteErrPhotoOnPass))
        );
    }

    #[test]
    fn edited_checklists_keep_their_keys() {
        let old = vec![
            ChecklistItem {
                key: "i1".into(),
                zh: "安全出口".into(),
                en: "Exits".into(),
            },
            ChecklistItem {
                key: "i4".into(),
                zh: "防火门".into(),
                en: "Fire doors".into(),
            },
        ];
        let new = parse_checklist(&old, "防火门 | Fire doors closed\n\n新项目\n").unwrap();
        assert_eq!(new[0].key, "i4");
        assert_eq!(new[0].en, "Fire doors closed");
        assert_eq!(new[1].key, "i5");
        assert_eq!(new[1].en, "新项目");
        assert_eq!(
            parse_checklist(&old, "a\na"),
            Err(AppError::invalid("items", Msg::SiteErrItemTwice))
        );
        assert_eq!(
            parse_checklist(&old, "  \n"),
            Err(AppError::invalid("items", Msg::SiteErrItems))
        );
    }

    #[test]
    fn items_of_open_hazards_stay_on_the_form() {
        let list = items(&["a"]);
        let h = Hazard {
            item_key: "old".into(),
            item: "旧项目".into(),
            ticket: 3,
            ticket_status: "pending".into(),
            opened_ms: 0,
        };
        let shown = inspection_items(&list, &[h]);
        assert_eq!(shown.len(), 2);
        assert_eq!(shown[1].key, "old");
    }

    #[test]
    fn risk_bits() {
        assert_eq!(Risk::of(5), vec![Risk::Fire, Risk::Production]);
    }
}
