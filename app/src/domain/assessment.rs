//! Assessment (考核) from outcomes: a worker's month scored from what residents feel —
//! cases handled on time, fixes that held at the check, problems found, residents
//! satisfied, care visits made — never from app activity. Study points, log counts,
//! time online, locations, likes and shares are not inputs here at all: nothing in this
//! module can see them.
//!
//! Every point comes from an append-only ledger entry ([`EntryKind`]) or a share the
//! ticket system already knows (satisfaction, care coverage); a month's score keeps the
//! arithmetic that produced it ("40 − 1×5 − 1×2 = 33").
use crate::domain::AppError;
use crate::domain::time::add_working_days;
use crate::i18n::Msg;
use serde::{Deserialize, Serialize};

/// The numbers of a year's rule set (each editable; a month is scored by the set in
/// force then). Points are whole numbers; shares are scaled into their dimension.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RuleSet {
    pub handling_base: i64,
    /// Accepted after 1 working day, or resolved past its deadline.
    pub yellow_card: i64,
    /// Accepted after 2 working days, or resolved past twice its deadline.
    pub red_card: i64,
    /// Each fix sent back at the second person's check.
    pub rework: i64,
    pub found_each: i64,
    pub found_cap: i64,
    pub satisfaction_base: i64,
    /// Under this many ratings the dimension counts as full.
    pub satisfaction_min_ratings: i64,
    pub care_base: i64,
    /// Manual bonus points in a month at most (and in one entry).
    pub bonus_cap: i64,
    /// The most one manual deduction may take.
    pub deduction_max: i64,
    /// Working days a published month stays open to appeals (公示).
    pub appeal_days: u32,
    /// Who may give manual points (bonus or deduction) under this set.
    #[serde(default)]
    pub manual_by: ManualBy,
}

/// Who may give manual points with evidence: a community's director for her staff, the
/// street's admins for anyone, or both (the default). Never the worker herself, and an
/// appeal is never decided by the person who gave the points.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum ManualBy {
    #[default]
    DirectorsAndAdmins,
    Directors,
    Admins,
}

impl ManualBy {
    pub const ALL: [ManualBy; 3] = [Self::DirectorsAndAdmins, Self::Directors, Self::Admins];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::DirectorsAndAdmins => "directors_and_admins",
            Self::Directors => "directors",
            Self::Admins => "admins",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.as_str() == s)
    }

    pub fn label(self) -> Msg {
        match self {
            Self::DirectorsAndAdmins => Msg::RuManualBoth,
            Self::Directors => Msg::RuManualDirectors,
            Self::Admins => Msg::RuManualAdmins,
        }
    }

    /// Whether someone of `role` may give manual points under this set.
    pub fn allows(self, role: crate::domain::user::Role) -> bool {
        use crate::domain::user::Role;
        matches!(
            (self, role),
            (Self::DirectorsAndAdmins, Role::Director | Role::Admin)
                | (Self::Directors, Role::Director)
                | (Self::Admins, Role::Admin)
        )
    }
}

impl Default for RuleSet {
    /// The shipped defaults (issue 19's table).
    fn default() -> Self {
        RuleSet {
            handling_base: 40,
            yellow_card: 5,
            red_card: 10,
            rework: 2,
            found_each: 1,
            found_cap: 20,
            satisfaction_base: 20,
            satisfaction_min_ratings: 5,
            care_base: 20,
            bonus_cap: 10,
            deduction_max: 20,
            appeal_days: 5,
            manual_by: ManualBy::default(),
        }
    }
}

impl RuleSet {
    /// Every number, as the rules form lists them: (key, label).
    pub const FIELDS: [(&'static str, Msg); 12] = [
        ("handling_base", Msg::RuHandlingBase),
        ("yellow_card", Msg::RuYellowCard),
        ("red_card", Msg::RuRedCard),
        ("rework", Msg::RuRework),
        ("found_each", Msg::RuFoundEach),
        ("found_cap", Msg::RuFoundCap),
        ("satisfaction_base", Msg::RuSatisfactionBase),
        ("satisfaction_min_ratings", Msg::RuSatisfactionMin),
        ("care_base", Msg::RuCareBase),
        ("bonus_cap", Msg::RuBonusCap),
        ("deduction_max", Msg::RuDeductionMax),
        ("appeal_days", Msg::RuAppealDays),
    ];

    /// The number under `key` (see [`Self::FIELDS`]).
    pub fn get(&self, key: &str) -> i64 {
        match key {
            "handling_base" => self.handling_base,
            "yellow_card" => self.yellow_card,
            "red_card" => self.red_card,
            "rework" => self.rework,
            "found_each" => self.found_each,
            "found_cap" => self.found_cap,
            "satisfaction_base" => self.satisfaction_base,
            "satisfaction_min_ratings" => self.satisfaction_min_ratings,
            "care_base" => self.care_base,
            "bonus_cap" => self.bonus_cap,
            "deduction_max" => self.deduction_max,
            "appeal_days" => i64::from(self.appeal_days),
            _ => 0,
        }
    }

    /// Sets the number under `key` (an unknown key changes nothing).
    pub fn set(&mut self, key: &str, v: i64) {
        match key {
            "handling_base" => self.handling_base = v,
            "yellow_card" => self.yellow_card = v,
            "red_card" => self.red_card = v,
            "rework" => self.rework = v,
            "found_each" => self.found_each = v,
            "found_cap" => self.found_cap = v,
            "satisfaction_base" => self.satisfaction_base = v,
            "satisfaction_min_ratings" => self.satisfaction_min_ratings = v,
            "care_base" => self.care_base = v,
            "bonus_cap" => self.bonus_cap = v,
            "deduction_max" => self.deduction_max = v,
            "appeal_days" => self.appeal_days = u32::try_from(v).unwrap_or(0),
            _ => {}
        }
    }
}

/// The limits an admin's rule set must keep: the four dimensions' bases (handling,
/// the cap on problems found, satisfaction, care) add up to 100, so grades mean the
/// same in every year; each number within its range.
pub fn check_rules(r: &RuleSet) -> Result<(), AppError> {
    let within = |field: &str, v: i64, lo: i64, hi: i64| {
        if (lo..=hi).contains(&v) {
            Ok(())
        } else {
            Err(AppError::invalid(field, Msg::AsErrRuleRange))
        }
    };
    within("handling_base", r.handling_base, 0, 100)?;
    within("found_cap", r.found_cap, 0, 100)?;
    within("satisfaction_base", r.satisfaction_base, 0, 100)?;
    within("care_base", r.care_base, 0, 100)?;
    within("yellow_card", r.yellow_card, 0, 50)?;
    within("red_card", r.red_card, 0, 50)?;
    within("rework", r.rework, 0, 50)?;
    within("found_each", r.found_each, 1, 20)?;
    within(
        "satisfaction_min_ratings",
        r.satisfaction_min_ratings,
        0,
        50,
    )?;
    within("bonus_cap", r.bonus_cap, 0, 20)?;
    within("deduction_max", r.deduction_max, 0, 50)?;
    within("appeal_days", i64::from(r.appeal_days), 1, 20)?;
    if r.handling_base + r.found_cap + r.satisfaction_base + r.care_base != 100 {
        return Err(AppError::invalid("handling_base", Msg::AsErrRuleSum));
    }
    Ok(())
}

/// The rule set in force for `month` (`2026-12`): the latest version adopted from that
/// month or before (`versions` as (from month, rules), oldest first); the shipped
/// defaults before any.
pub fn in_force(versions: &[(String, RuleSet)], month: &str) -> RuleSet {
    versions
        .iter()
        .rev()
        .find(|(from, _)| from.as_str() <= month)
        .map(|(_, r)| *r)
        .unwrap_or_default()
}

/// The month after `2026-12`: `2027-01`.
pub fn next_month(month: &str) -> Option<String> {
    let (y, m) = month.split_once('-')?;
    let (y, m): (i32, u32) = (y.parse().ok()?, m.parse().ok()?);
    Some(if m >= 12 {
        format!("{:04}-01", y + 1)
    } else {
        format!("{y:04}-{:02}", m + 1)
    })
}

/// The month before `2027-01`: `2026-12`.
pub fn prev_month(month: &str) -> Option<String> {
    let (y, m) = month.split_once('-')?;
    let (y, m): (i32, u32) = (y.parse().ok()?, m.parse().ok()?);
    Some(if m <= 1 {
        format!("{:04}-12", y - 1)
    } else {
        format!("{y:04}-{:02}", m - 1)
    })
}

/// A rule set adopted, in force from `from_month` until the next one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RuleVersion {
    pub from_month: String,
    pub rules: RuleSet,
    pub by: String,
    pub at_ms: i64,
}

/// The rules page: the set in force this month, the admin's draft, the history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RulesPage {
    pub month: String,
    pub in_force: RuleSet,
    pub draft: Option<RuleSet>,
    /// Newest first.
    pub versions: Vec<RuleVersion>,
}

/// A draft's effect on one worker's last month.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PreviewLine {
    pub worker: String,
    pub community: String,
    pub now_tenths: i64,
    pub draft_tenths: i64,
}

/// What a ledger entry is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum EntryKind {
    YellowCard,
    RedCard,
    Rework,
    /// A valid ticket the worker found and filed.
    Found,
    /// Manual, with evidence.
    Bonus,
    /// Manual, with evidence (appealable).
    Deduction,
    /// Cancels the entry it names (an appeal upheld): the ledger is never edited.
    Correction,
}

impl EntryKind {
    pub const ALL: [EntryKind; 7] = [
        Self::YellowCard,
        Self::RedCard,
        Self::Rework,
        Self::Found,
        Self::Bonus,
        Self::Deduction,
        Self::Correction,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::YellowCard => "yellow_card",
            Self::RedCard => "red_card",
            Self::Rework => "rework",
            Self::Found => "found",
            Self::Bonus => "bonus",
            Self::Deduction => "deduction",
            Self::Correction => "correction",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label(self) -> Msg {
        match self {
            Self::YellowCard => Msg::AsYellowCard,
            Self::RedCard => Msg::AsRedCard,
            Self::Rework => Msg::AsRework,
            Self::Found => Msg::AsFound,
            Self::Bonus => Msg::AsBonus,
            Self::Deduction => Msg::AsDeduction,
            Self::Correction => Msg::AsCorrection,
        }
    }

    /// The points one entry of this kind is worth under `r` (manual ones carry their
    /// own points).
    pub fn points(self, r: &RuleSet) -> Option<i64> {
        match self {
            Self::YellowCard => Some(-r.yellow_card),
            Self::RedCard => Some(-r.red_card),
            Self::Rework => Some(-r.rework),
            Self::Found => Some(r.found_each),
            Self::Bonus | Self::Deduction | Self::Correction => None,
        }
    }
}

/// A late case's card, from its clocks (Unix ms): accepted after one working day or
/// resolved past its deadline → yellow; after two working days or past twice the
/// deadline → red. `resolve_limit_ms`: the category's resolve deadline.
pub fn card(
    created_ms: i64,
    accepted_ms: Option<i64>,
    resolved_ms: Option<i64>,
    resolve_limit_ms: i64,
) -> Option<EntryKind> {
    let accepted_after = |days| accepted_ms.is_some_and(|a| a > add_working_days(created_ms, days));
    let resolved_after = |times: i64| {
        resolved_ms.is_some_and(|r| r - created_ms > resolve_limit_ms.saturating_mul(times))
    };
    if accepted_after(2) || resolved_after(2) {
        Some(EntryKind::RedCard)
    } else if accepted_after(1) || resolved_after(1) {
        Some(EntryKind::YellowCard)
    } else {
        None
    }
}

/// Everything a month's score is computed from, for one worker.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MonthInputs {
    /// Ledger entries: kind and points.
    pub entries: Vec<(EntryKind, i64)>,
    /// Tickets the worker resolved that a person rated this month, and of those the
    /// satisfied (满意 / 基本满意).
    pub rated: i64,
    pub satisfied: i64,
    /// Care objects due a visit this month, and those visited within their cycle.
    pub care_due: i64,
    pub care_visited: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Dimension {
    Handling,
    Found,
    Satisfaction,
    Care,
    Bonus,
    Deduction,
}

impl Dimension {
    pub fn label(self) -> Msg {
        match self {
            Self::Handling => Msg::AsHandling,
            Self::Found => Msg::AsFoundDim,
            Self::Satisfaction => Msg::AsSatisfaction,
            Self::Care => Msg::AsCare,
            Self::Bonus => Msg::AsBonus,
            Self::Deduction => Msg::AsDeduction,
        }
    }
}

/// One dimension's points with the arithmetic behind them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DimensionScore {
    pub dimension: Dimension,
    /// Tenths of a point (shares give fractions): 335 is 33.5.
    pub tenths: i64,
    /// "40 − 1×5 − 1×2 = 33"; a note in words where a rule applies instead.
    pub arithmetic: String,
    pub note: Option<Msg>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Grade {
    A,
    B,
    C,
    D,
}

/// A ≥ 90, B ≥ 75, C ≥ 60, D below (tenths of a point).
pub fn grade(tenths: i64) -> Grade {
    match tenths {
        t if t >= 900 => Grade::A,
        t if t >= 750 => Grade::B,
        t if t >= 600 => Grade::C,
        _ => Grade::D,
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MonthScore {
    pub dimensions: Vec<DimensionScore>,
    pub tenths: i64,
    pub grade: Grade,
}

/// "33.5", "20".
pub fn points_text(tenths: i64) -> String {
    if tenths % 10 == 0 {
        format!("{}", tenths / 10)
    } else {
        format!("{}.{}", tenths / 10, (tenths % 10).abs())
    }
}

/// `base × part/whole` in tenths, rounded half up.
fn scaled(base: i64, part: i64, whole: i64) -> i64 {
    (base * part * 10 * 2 + whole) / (whole * 2)
}

/// Scores a month under `r`.
pub fn score(r: &RuleSet, m: &MonthInputs) -> MonthScore {
    let count = |k: EntryKind| m.entries.iter().filter(|(e, _)| *e == k).count() as i64;
    let sum = |k: EntryKind| {
        m.entries
            .iter()
            .filter(|(e, _)| *e == k)
            .map(|(_, p)| p)
            .sum::<i64>()
    };
    let mut dims = Vec::new();

    // 事件办理: base less cards and rework, never below 0.
    let mut text = r.handling_base.to_string();
    let mut handling = r.handling_base;
    for (k, each) in [
        (EntryKind::YellowCard, r.yellow_card),
        (EntryKind::RedCard, r.red_card),
        (EntryKind::Rework, r.rework),
    ] {
        let n = count(k);
        if n > 0 {
            text.push_str(&format!(" − {n}×{each}"));
            handling -= n * each;
        }
    }
    let handling = handling.max(0);
    text.push_str(&format!(" = {handling}"));
    dims.push(DimensionScore {
        dimension: Dimension::Handling,
        tenths: handling * 10,
        arithmetic: text,
        note: None,
    });

    // 主动发现: each valid ticket found, capped.
    let n = count(EntryKind::Found);
    let found = (n * r.found_each).min(r.found_cap);
    dims.push(DimensionScore {
        dimension: Dimension::Found,
        tenths: found * 10,
        arithmetic: format!("min({}, {n}×{}) = {found}", r.found_cap, r.found_each),
        note: None,
    });

    // 群众满意: the base times the satisfied share; too few ratings count as full.
    dims.push(if m.rated < r.satisfaction_min_ratings {
        DimensionScore {
            dimension: Dimension::Satisfaction,
            tenths: r.satisfaction_base * 10,
            arithmetic: format!("{}", r.satisfaction_base),
            note: Some(Msg::AsFewRatings),
        }
    } else {
        let t = scaled(r.satisfaction_base, m.satisfied, m.rated);
        DimensionScore {
            dimension: Dimension::Satisfaction,
            tenths: t,
            arithmetic: format!(
                "{} × {}/{} = {}",
                r.satisfaction_base,
                m.satisfied,
                m.rated,
                points_text(t)
            ),
            note: None,
        }
    });

    // 服务走访: the base times visits made within their cycle over visits due.
    dims.push(if m.care_due == 0 {
        DimensionScore {
            dimension: Dimension::Care,
            tenths: r.care_base * 10,
            arithmetic: format!("{}", r.care_base),
            note: Some(Msg::AsNoCareDue),
        }
    } else {
        let t = scaled(r.care_base, m.care_visited.min(m.care_due), m.care_due);
        DimensionScore {
            dimension: Dimension::Care,
            tenths: t,
            arithmetic: format!(
                "{} × {}/{} = {}",
                r.care_base,
                m.care_visited,
                m.care_due,
                points_text(t)
            ),
            note: None,
        }
    });

    // Manual points: the bonus capped, deductions as given.
    let bonus = sum(EntryKind::Bonus).clamp(0, r.bonus_cap);
    if count(EntryKind::Bonus) > 0 {
        dims.push(DimensionScore {
            dimension: Dimension::Bonus,
            tenths: bonus * 10,
            arithmetic: format!("min({}, {}) = {bonus}", r.bonus_cap, sum(EntryKind::Bonus)),
            note: None,
        });
    }
    let deduction = sum(EntryKind::Deduction).min(0);
    if count(EntryKind::Deduction) > 0 {
        dims.push(DimensionScore {
            dimension: Dimension::Deduction,
            tenths: deduction * 10,
            arithmetic: format!("{deduction}"),
            note: None,
        });
    }
    let tenths = dims.iter().map(|d| d.tenths).sum::<i64>().max(0);
    MonthScore {
        dimensions: dims,
        tenths,
        grade: grade(tenths),
    }
}

/// A manual bonus or deduction as a director writes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ManualPoints {
    pub worker: i64,
    pub month: String,
    /// `bonus` or `deduction`.
    pub kind: String,
    /// How many points (positive; a deduction is taken off).
    pub points: i64,
    pub evidence: String,
}

/// Where a community's month stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum MonthStatus {
    /// Being scored; directors may still give manual points.
    Open,
    /// Published for 公示: workers may appeal until `until_ms`.
    Published { until_ms: i64 },
    /// The window has passed and no appeal is open: read-only.
    Final,
}

/// A published month turns final once its appeal window has passed and every appeal in
/// it is decided; an appeal still open keeps it under review.
pub fn month_status(appeal_until: Option<i64>, open_appeals: usize, now: i64) -> MonthStatus {
    match appeal_until {
        None => MonthStatus::Open,
        Some(until) if now < until || open_appeals > 0 => {
            MonthStatus::Published { until_ms: until }
        }
        Some(_) => MonthStatus::Final,
    }
}

/// A published month's appeal window closes `days` working days after publication.
pub fn appeal_until(published_ms: i64, r: &RuleSet) -> i64 {
    add_working_days(published_ms, r.appeal_days)
}

/// Text a person writes (evidence, a reason): 4 to 500 characters once trimmed.
pub fn reason_text(field: &str, text: &str, msg: Msg) -> Result<String, AppError> {
    let t = text.trim();
    match t.chars().count() {
        4..=500 => Ok(t.to_owned()),
        _ => Err(AppError::invalid(field, msg)),
    }
}

/// A manual entry's signed points: a bonus of 1 to the month's cap, a deduction of 1
/// to its maximum (stored negative); either with written evidence.
pub fn manual_points(
    kind: EntryKind,
    points: i64,
    evidence: &str,
    r: &RuleSet,
) -> Result<(i64, String), AppError> {
    let max = match kind {
        EntryKind::Bonus => r.bonus_cap,
        EntryKind::Deduction => r.deduction_max,
        _ => return Err(AppError::invalid("kind", Msg::AsErrManualKind)),
    };
    if !(1..=max).contains(&points) {
        return Err(AppError::invalid("points", Msg::AsErrPoints));
    }
    let evidence = reason_text("evidence", evidence, Msg::AsErrEvidence)?;
    let signed = if kind == EntryKind::Deduction {
        -points
    } else {
        points
    };
    Ok((signed, evidence))
}

/// The entries that count: those not cancelled by a correction, and not the
/// corrections themselves.
pub fn effective(entries: &[EntryView]) -> Vec<(EntryKind, i64)> {
    entries
        .iter()
        .filter(|e| e.kind != EntryKind::Correction && !e.corrected)
        .map(|e| (e.kind, e.points))
        .collect()
}

/// One worker's month as the page shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkerMonth {
    pub worker_id: i64,
    pub worker: String,
    pub month: String,
    pub status: MonthStatus,
    pub score: MonthScore,
    /// The ledger entries behind it, oldest first.
    pub entries: Vec<EntryView>,
    /// 公示 (a worker's own view, once published): the community's totals by name.
    pub board: Vec<BoardLine>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BoardLine {
    pub worker: String,
    pub tenths: i64,
    pub grade: Grade,
    /// Only when rankings are turned on (off by default).
    pub rank: Option<u32>,
}

/// The community's lines: by name, unranked, unless rankings are on — then by score,
/// highest first, equal scores sharing a rank (1, 1, 3).
pub fn rank_board(mut lines: Vec<BoardLine>, ranked: bool) -> Vec<BoardLine> {
    if !ranked {
        lines.sort_by(|a, b| a.worker.cmp(&b.worker));
        for l in &mut lines {
            l.rank = None;
        }
        return lines;
    }
    lines.sort_by(|a, b| {
        b.tenths
            .cmp(&a.tenths)
            .then_with(|| a.worker.cmp(&b.worker))
    });
    let mut last: Option<(i64, u32)> = None;
    for (i, l) in lines.iter_mut().enumerate() {
        let place = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let rank = match last {
            Some((t, r)) if t == l.tenths => r,
            _ => place,
        };
        l.rank = Some(rank);
        last = Some((l.tenths, rank));
    }
    lines
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EntryView {
    pub id: i64,
    pub kind: EntryKind,
    pub points: i64,
    pub reason: String,
    pub ticket: Option<i64>,
    pub at_ms: i64,
    /// The entry this one cancels (a correction).
    pub corrects: Option<i64>,
    /// Cancelled by a later correction.
    pub corrected: bool,
    /// Its appeal, if the worker made one.
    pub appeal: Option<AppealView>,
    /// The worker may appeal it now.
    pub appealable: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AppealDecision {
    Upheld,
    Rejected,
}

impl AppealDecision {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Upheld => "upheld",
            Self::Rejected => "rejected",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Upheld, Self::Rejected]
            .into_iter()
            .find(|d| d.as_str() == s)
    }

    pub fn label(self) -> Msg {
        match self {
            Self::Upheld => Msg::AsUpheld,
            Self::Rejected => Msg::AsRejected,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AppealView {
    pub id: i64,
    pub entry: i64,
    pub worker: String,
    pub kind: EntryKind,
    pub points: i64,
    pub entry_reason: String,
    pub reason: String,
    pub at_ms: i64,
    pub decision: Option<AppealDecision>,
    pub decision_reason: Option<String>,
}

/// A community's month for its director (or the street's admin): where it stands, each
/// worker's month, and the appeals waiting for a decision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommunityMonth {
    pub community: i64,
    pub name: String,
    pub status: MonthStatus,
    /// The month is over and not yet published.
    pub can_publish: bool,
    pub workers: Vec<WorkerMonth>,
    pub appeals: Vec<AppealView>,
    /// Rankings are turned on: `workers` are by score, highest first.
    pub ranked: bool,
    /// The month's rule set lets this reviewer give manual points.
    pub may_give: bool,
}

/// One worker's year: each month's score (tenths; `None` for months not yet begun),
/// the mean of the months scored, and the year's grade from it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct YearLine {
    pub community: String,
    pub worker: String,
    pub months: Vec<Option<i64>>,
    pub mean_tenths: Option<i64>,
    pub grade: Option<Grade>,
}

/// The year's mean (tenths, rounded half up) and grade over the months scored.
pub fn year_mean(months: &[Option<i64>]) -> Option<(i64, Grade)> {
    let scored: Vec<i64> = months.iter().flatten().copied().collect();
    let n = i64::try_from(scored.len()).ok().filter(|n| *n > 0)?;
    let sum: i64 = scored.iter().sum();
    let mean = (2 * sum + n).div_euclid(2 * n);
    Some((mean, grade(mean)))
}

/// The year's table as spreadsheet rows: 社区, 姓名, 1月 … 12月, 年均, 等级.
pub fn year_rows(year: i32, lines: &[YearLine]) -> Vec<Vec<String>> {
    let mut head = vec!["社区".to_owned(), "姓名".to_owned()];
    head.extend((1..=12).map(|m| format!("{year}-{m:02}")));
    head.extend(["年均".to_owned(), "等级".to_owned()]);
    let mut rows = vec![head];
    for l in lines {
        let mut r = vec![l.community.clone(), l.worker.clone()];
        r.extend(
            l.months
                .iter()
                .map(|m| m.map(points_text).unwrap_or_default()),
        );
        r.push(l.mean_tenths.map(points_text).unwrap_or_default());
        r.push(l.grade.map(|g| format!("{g:?}")).unwrap_or_default());
        rows.push(r);
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn who_may_give_manual_points_follows_the_rule_set() {
        use crate::domain::user::Role;
        let by = |m: ManualBy| {
            Role::ALL
                .into_iter()
                .filter(|r| m.allows(*r))
                .collect::<Vec<_>>()
        };
        assert_eq!(by(ManualBy::default()), vec![Role::Director, Role::Admin]);
        assert_eq!(by(ManualBy::Directors), vec![Role::Director]);
        assert_eq!(by(ManualBy::Admins), vec![Role::Admin]);
        // A set stored before the setting existed reads as the default.
        let old = r#"{"handling_base":40,"yellow_card":5,"red_card":10,"rework":2,"found_each":1,"found_cap":20,"satisfaction_base":20,"satisfaction_min_ratings":5,"care_base":20,"bonus_cap":10,"deduction_max":20,"appeal_days":5}"#;
        let r: RuleSet = serde_json::from_str(old).unwrap();
        assert_eq!(r, RuleSet::default());
        for m in ManualBy::ALL {
            assert_eq!(ManualBy::parse(m.as_str()), Some(m));
        }
    }

    #[test]
    fn a_month_is_scored_by_the_rule_set_in_force_then() {
        let stricter = RuleSet {
            yellow_card: 8,
            ..RuleSet::default()
        };
        let later = RuleSet {
            rework: 3,
            ..RuleSet::default()
        };
        let versions = vec![
            ("2027-01".to_owned(), stricter),
            ("2027-07".to_owned(), later),
        ];
        assert_eq!(in_force(&versions, "2026-12"), RuleSet::default());
        assert_eq!(in_force(&versions, "2027-01"), stricter);
        assert_eq!(in_force(&versions, "2027-06"), stricter);
        assert_eq!(in_force(&versions, "2027-07"), later);
        assert_eq!(next_month("2026-12").as_deref(), Some("2027-01"));
        assert_eq!(next_month("2027-06").as_deref(), Some("2027-07"));
        assert_eq!(prev_month("2027-01").as_deref(), Some("2026-12"));
        assert_eq!(prev_month("2026-12").as_deref(), Some("2026-11"));
        // The same month's inputs under two sets: only the rule that changed moves.
        let m = MonthInputs {
            entries: vec![(EntryKind::YellowCard, -5), (EntryKind::Rework, -2)],
            rated: 0,
            satisfied: 0,
            care_due: 0,
            care_visited: 0,
        };
        assert_eq!(
            score(&RuleSet::default(), &m).dimensions[0].arithmetic,
            "40 − 1×5 − 1×2 = 33"
        );
        assert_eq!(
            score(&stricter, &m).dimensions[0].arithmetic,
            "40 − 1×8 − 1×2 = 30"
        );
    }

    #[test]
    fn a_rule_set_keeps_its_bases_at_100_and_its_numbers_in_range() {
        assert_eq!(check_rules(&RuleSet::default()), Ok(()));
        let field = |r: RuleSet| match check_rules(&r) {
            Err(AppError::Invalid { field, .. }) => field,
            other => panic!("{other:?}"),
        };
        let d = RuleSet::default;
        assert_eq!(
            field(RuleSet {
                handling_base: 50,
                ..d()
            }),
            "handling_base"
        );
        assert_eq!(
            field(RuleSet {
                yellow_card: -1,
                ..d()
            }),
            "yellow_card"
        );
        assert_eq!(
            field(RuleSet {
                found_each: 0,
                ..d()
            }),
            "found_each"
        );
        assert_eq!(
            field(RuleSet {
                appeal_days: 0,
                ..d()
            }),
            "appeal_days"
        );
        // Every field the form lists reads and writes its own number.
        for (key, _) in RuleSet::FIELDS {
            let mut r = d();
            r.set(key, r.get(key) + 1);
            assert_eq!(r.get(key), d().get(key) + 1, "{key}");
            assert_ne!(r, d(), "{key}");
        }
        // Moving ten points from handling to care keeps the sum.
        assert_eq!(
            check_rules(&RuleSet {
                handling_base: 30,
                care_base: 30,
                ..d()
            }),
            Ok(())
        );
    }

    #[test]
    fn rankings_are_by_name_unless_turned_on_and_ties_share_a_rank() {
        let l = |w: &str, t| BoardLine {
            worker: w.into(),
            tenths: t,
            grade: grade(t),
            rank: Some(9),
        };
        let lines = vec![l("丙", 800), l("甲", 950), l("乙", 800)];
        let off = rank_board(lines.clone(), false);
        let names: Vec<&str> = off.iter().map(|x| x.worker.as_str()).collect();
        assert_eq!(names, ["丙", "乙", "甲"]);
        assert!(off.iter().all(|x| x.rank.is_none()));
        let on = rank_board(lines, true);
        let got: Vec<(&str, Option<u32>)> =
            on.iter().map(|x| (x.worker.as_str(), x.rank)).collect();
        assert_eq!(got, [("甲", Some(1)), ("丙", Some(2)), ("乙", Some(2))]);
    }

    #[test]
    fn the_years_grade_comes_from_the_mean_of_its_months() {
        assert_eq!(year_mean(&[None, None]), None);
        // 90 and 74.5 → 82.25 → 82.3 (half up), B.
        assert_eq!(
            year_mean(&[Some(900), Some(745), None]),
            Some((823, Grade::B))
        );
        assert_eq!(year_mean(&[Some(600)]), Some((600, Grade::C)));
        let line = YearLine {
            community: "新华街社区".into(),
            worker: "潘月丽".into(),
            months: vec![
                Some(900),
                Some(745),
                None,
                None,
                None,
                None,
                None,
                None,
                None,
                None,
                None,
                None,
            ],
            mean_tenths: Some(823),
            grade: Some(Grade::B),
        };
        let rows = year_rows(2026, &[line]);
        assert_eq!(rows[0].len(), 16);
        assert_eq!(rows[0][2], "2026-01");
        assert_eq!(
            rows[1][2..5],
            ["90".to_owned(), "74.5".to_owned(), String::new()]
        );
        assert_eq!(rows[1][14..], ["82.3".to_owned(), "B".to_owned()]);
    }

    const DAY: i64 = 86_400_000;
    // 2026-12-07 09:00 CST, a Monday.
    const MONDAY: i64 = 1_796_605_200_000;

    #[test]
    fn cards_from_the_clocks() {
        let limit = 3 * DAY;
        assert_eq!(
            card(MONDAY, Some(MONDAY + 3_600_000), Some(MONDAY + DAY), limit),
            None
        );
        // Accepted on Tuesday afternoon: after one working day.
        assert_eq!(
            card(MONDAY, Some(MONDAY + DAY + 3_600_000), None, limit),
            Some(EntryKind::YellowCard)
        );
        // On Wednesday afternoon: after two.
        assert_eq!(
            card(MONDAY, Some(MONDAY + 2 * DAY + 3_600_000), None, limit),
            Some(EntryKind::RedCard)
        );
        // Resolved past its deadline, or past twice.
        assert_eq!(
            card(MONDAY, Some(MONDAY), Some(MONDAY + 4 * DAY), limit),
            Some(EntryKind::YellowCard)
        );
        assert_eq!(
            card(MONDAY, Some(MONDAY), Some(MONDAY + 7 * DAY), limit),
            Some(EntryKind::RedCard)
        );
        // A Friday report accepted on Monday morning is within one working day.
        let friday = MONDAY - 3 * DAY + 7 * 3_600_000;
        assert_eq!(card(friday, Some(MONDAY + 3_600_000), None, limit), None);
    }

    #[test]
    fn the_default_month_with_its_arithmetic() {
        let r = RuleSet::default();
        let m = MonthInputs {
            entries: vec![
                (EntryKind::YellowCard, -5),
                (EntryKind::Rework, -2),
                (EntryKind::Found, 1),
                (EntryKind::Found, 1),
                (EntryKind::Found, 1),
            ],
            rated: 8,
            satisfied: 7,
            care_due: 4,
            care_visited: 3,
        };
        let s = score(&r, &m);
        let by = |d: Dimension| {
            s.dimensions
                .iter()
                .find(|x| x.dimension == d)
                .unwrap()
                .clone()
        };
        assert_eq!(by(Dimension::Handling).arithmetic, "40 − 1×5 − 1×2 = 33");
        assert_eq!(by(Dimension::Found).arithmetic, "min(20, 3×1) = 3");
        assert_eq!(by(Dimension::Satisfaction).arithmetic, "20 × 7/8 = 17.5");
        assert_eq!(by(Dimension::Care).arithmetic, "20 × 3/4 = 15");
        assert_eq!(s.tenths, 330 + 30 + 175 + 150);
        assert_eq!(s.grade, Grade::C);
        assert_eq!(points_text(s.tenths), "68.5");
    }

    #[test]
    fn floors_caps_and_too_few_ratings() {
        let r = RuleSet::default();
        let m = MonthInputs {
            entries: [
                vec![(EntryKind::RedCard, -10); 5],
                vec![(EntryKind::Found, 1); 30],
            ]
            .concat(),
            rated: 4,
            satisfied: 0,
            ..MonthInputs::default()
        };
        let s = score(&r, &m);
        assert_eq!(s.dimensions[0].tenths, 0, "handling never below 0");
        assert_eq!(s.dimensions[1].tenths, 200, "found capped at 20");
        assert_eq!(
            s.dimensions[2].tenths, 200,
            "under 5 ratings counts as full"
        );
        assert_eq!(s.dimensions[2].note, Some(Msg::AsFewRatings));
        assert_eq!(s.dimensions[3].note, Some(Msg::AsNoCareDue));
        // A bonus is capped; a deduction stands.
        let m = MonthInputs {
            entries: vec![
                (EntryKind::Bonus, 8),
                (EntryKind::Bonus, 4),
                (EntryKind::Deduction, -10),
            ],
            ..MonthInputs::default()
        };
        let s = score(&r, &m);
        // Handling 40, found 0, satisfaction and care full, bonus 10, deduction −10.
        assert_eq!(s.tenths, 400 + 200 + 200 + 100 - 100);
        assert_eq!(s.grade, Grade::B);
        for (t, g) in [
            (900, Grade::A),
            (899, Grade::B),
            (750, Grade::B),
            (600, Grade::C),
            (599, Grade::D),
        ] {
            assert_eq!(grade(t), g);
        }
        for k in EntryKind::ALL {
            assert_eq!(EntryKind::parse(k.as_str()), Some(k));
        }
    }

    #[test]
    fn the_month_review_and_manual_points() {
        let r = RuleSet::default();
        let until = appeal_until(MONDAY, &r);
        assert_eq!(
            until,
            MONDAY + 7 * DAY,
            "five working days: the next Monday"
        );
        assert_eq!(month_status(None, 0, MONDAY), MonthStatus::Open);
        assert_eq!(
            month_status(Some(until), 0, until - 1),
            MonthStatus::Published { until_ms: until }
        );
        assert_eq!(month_status(Some(until), 0, until), MonthStatus::Final);
        assert_eq!(
            month_status(Some(until), 1, until + DAY),
            MonthStatus::Published { until_ms: until },
            "an appeal still open keeps the month under review"
        );
        assert_eq!(
            manual_points(
                EntryKind::Deduction,
                10,
                " 隐瞒井盖缺失问题，见12月3日巡查记录 ",
                &r
            )
            .unwrap(),
            (-10, "隐瞒井盖缺失问题，见12月3日巡查记录".to_owned())
        );
        assert_eq!(
            manual_points(EntryKind::Bonus, 8, "市级采纳创新做法", &r)
                .unwrap()
                .0,
            8
        );
        for (kind, points, evidence, field) in [
            (EntryKind::Bonus, 11, "区级采纳创新做法", "points"),
            (EntryKind::Deduction, 0, "区级采纳创新做法", "points"),
            (EntryKind::Deduction, 21, "区级采纳创新做法", "points"),
            (EntryKind::Bonus, 2, "  好 ", "evidence"),
            (EntryKind::Found, 1, "区级采纳创新做法", "kind"),
        ] {
            match manual_points(kind, points, evidence, &r) {
                Err(AppError::Invalid { field: f, .. }) => assert_eq!(f, field),
                other => panic!("{kind:?} {points}: {other:?}"),
            }
        }
        let entry = |id, kind, points, corrects, corrected| EntryView {
            id,
            kind,
            points,
            reason: String::new(),
            ticket: None,
            at_ms: 0,
            corrects,
            corrected,
            appeal: None,
            appealable: false,
        };
        let list = [
            entry(1, EntryKind::YellowCard, -5, None, true),
            entry(2, EntryKind::Rework, -2, None, false),
            entry(3, EntryKind::Correction, 5, Some(1), false),
        ];
        assert_eq!(effective(&list), vec![(EntryKind::Rework, -2)]);
        assert_eq!(
            score(
                &r,
                &MonthInputs {
                    entries: effective(&list),
                    ..MonthInputs::default()
                }
            )
            .dimensions[0]
                .arithmetic,
            "40 − 1×2 = 38"
        );
    }
}
