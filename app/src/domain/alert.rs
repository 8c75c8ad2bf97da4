//! Alerts (预警): CAP 1.2 fields, who is targeted, residents' answers, coverage and
//! the follow-up of vulnerable residents. Pure rules; the alert service applies them.
use crate::domain::AppError;
use crate::domain::grid::GridId;
use crate::domain::resident::{ResidentId, Tag};
use crate::i18n::Msg;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct AlertId(pub i64);

/// Generates an enum whose variants carry their CAP 1.2 spelling and a label.
macro_rules! cap_enum {
    ($(#[$m:meta])* $name:ident { $($v:ident = $s:literal => $label:ident),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum $name { $($v),+ }
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$v),+];
            /// The value as CAP 1.2 writes it.
            pub fn cap(self) -> &'static str { match self { $($name::$v => $s),+ } }
            pub fn parse(s: &str) -> Option<$name> {
                Self::ALL.iter().copied().find(|v| v.cap() == s)
            }
            pub fn label(self) -> Msg { match self { $($name::$v => Msg::$label),+ } }
        }
    };
}

cap_enum!(
    /// CAP `category`.
    CapCategory {
        Geo = "Geo" => CapGeo,
        Met = "Met" => CapMet,
        Safety = "Safety" => CapSafety,
        Security = "Security" => CapSecurity,
        Rescue = "Rescue" => CapRescue,
        Fire = "Fire" => CapFire,
        Health = "Health" => CapHealth,
        Env = "Env" => CapEnv,
        Transport = "Transport" => CapTransport,
        Infra = "Infra" => CapInfra,
        Other = "Other" => CapOther,
    }
);

cap_enum!(
    /// CAP `urgency`.
    Urgency {
        Immediate = "Immediate" => UrgImmediate,
        Expected = "Expected" => UrgExpected,
        Future = "Future" => UrgFuture,
        Past = "Past" => UrgPast,
        Unknown = "Unknown" => CapUnknown,
    }
);

cap_enum!(
    /// CAP `severity`.
    Severity {
        Extreme = "Extreme" => SevExtreme,
        Severe = "Severe" => SevSevere,
        Moderate = "Moderate" => SevModerate,
        Minor = "Minor" => SevMinor,
        Unknown = "Unknown" => CapUnknown,
    }
);

cap_enum!(
    /// CAP `certainty`.
    Certainty {
        Observed = "Observed" => CerObserved,
        Likely = "Likely" => CerLikely,
        Possible = "Possible" => CerPossible,
        Unlikely = "Unlikely" => CerUnlikely,
        Unknown = "Unknown" => CapUnknown,
    }
);

/// A resident's answer to an alert.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Answer {
    /// 收到
    Received,
    /// 我安全
    Safe,
    /// 需要帮助
    NeedHelp,
}

impl Answer {
    pub const ALL: [Answer; 3] = [Answer::Received, Answer::Safe, Answer::NeedHelp];

    pub fn as_str(self) -> &'static str {
        match self {
            Answer::Received => "received",
            Answer::Safe => "safe",
            Answer::NeedHelp => "need_help",
        }
    }

    pub fn parse(s: &str) -> Option<Answer> {
        Self::ALL.into_iter().find(|a| a.as_str() == s)
    }

    pub fn label(self) -> Msg {
        match self {
            Answer::Received => Msg::AnsReceived,
            Answer::Safe => Msg::AnsSafe,
            Answer::NeedHelp => Msg::AnsNeedHelp,
        }
    }

    /// Counts as "confirmed" in coverage (a call for help is counted on its own).
    pub fn confirms(self) -> bool {
        matches!(self, Answer::Received | Answer::Safe)
    }
}

/// What a grid worker found when reaching a resident in person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Outcome {
    Safe,
    NeedHelp,
    NotReached,
}

impl Outcome {
    pub const ALL: [Outcome; 3] = [Outcome::Safe, Outcome::NeedHelp, Outcome::NotReached];

    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Safe => "safe",
            Outcome::NeedHelp => "need_help",
            Outcome::NotReached => "not_reached",
        }
    }

    pub fn parse(s: &str) -> Option<Outcome> {
        Self::ALL.into_iter().find(|a| a.as_str() == s)
    }

    pub fn label(self) -> Msg {
        match self {
            Outcome::Safe => Msg::OutSafe,
            Outcome::NeedHelp => Msg::OutNeedHelp,
            Outcome::NotReached => Msg::OutNotReached,
        }
    }
}

/// An alert as composed, before it is published.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlertInput {
    pub title: String,
    pub body: String,
    pub category: CapCategory,
    pub urgency: Urgency,
    pub severity: Severity,
    pub certainty: Certainty,
    /// How long it stays in force, in minutes.
    pub expires_in_min: i64,
    /// Grids of any level (street, community, grid); empty for the whole street.
    pub targets: Vec<GridId>,
    /// Minutes after which vulnerable residents who have not confirmed are listed
    /// for their grid's workers.
    pub follow_up_after_min: i64,
}

pub const TITLE_MAX: usize = 60;
pub const BODY_MAX: usize = 2000;
/// An alert stays in force at most a week.
pub const EXPIRES_MAX_MIN: i64 = 7 * 24 * 60;
pub const FOLLOW_UP_MAX_MIN: i64 = 24 * 60;
pub const NOTE_MAX: usize = 500;

/// Checks what a director or admin composed; the first problem, on its field.
pub fn check_input(i: &AlertInput) -> Result<(), AppError> {
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
    if !(1..=EXPIRES_MAX_MIN).contains(&i.expires_in_min) {
        return Err(AppError::invalid("expires_in_min", Msg::ErrExpiresRange));
    }
    if !(1..=FOLLOW_UP_MAX_MIN).contains(&i.follow_up_after_min) {
        return Err(AppError::invalid(
            "follow_up_after_min",
            Msg::ErrFollowUpRange,
        ));
    }
    Ok(())
}

/// Whether an alert is still in force.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AlertState {
    Active,
    Expired,
    Cancelled,
}

/// One published alert.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Alert {
    pub id: AlertId,
    pub title: String,
    pub body: String,
    pub category: CapCategory,
    pub urgency: Urgency,
    pub severity: Severity,
    pub certainty: Certainty,
    pub sent_at: i64,
    pub expires_at: i64,
    pub cancelled: bool,
    pub follow_up_at: i64,
    pub sender: String,
    /// The level-3 grids it reaches (empty never: a street-wide alert lists every grid).
    pub grids: Vec<GridId>,
    /// What the sender chose, in words ("老街街道", "新华街社区、滨西社区"…).
    pub area: String,
}

impl Alert {
    pub fn state(&self, now: i64) -> AlertState {
        if self.cancelled {
            AlertState::Cancelled
        } else if now >= self.expires_at {
            AlertState::Expired
        } else {
            AlertState::Active
        }
    }
}

/// An alert in someone's inbox, with what they answered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InboxItem {
    pub alert: Alert,
    pub answer: Option<Answer>,
    pub note: String,
}

/// What every open page is told the moment an alert is published.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LiveAlert {
    pub id: AlertId,
    pub title: String,
    pub severity: Severity,
    pub grids: Vec<GridId>,
    /// Server time of publishing, Unix ms (the load tool measures against it).
    pub sent_at: i64,
}

impl LiveAlert {
    /// Whether someone living in `home` should see it (unknown home: every alert).
    pub fn reaches(&self, home: Option<GridId>) -> bool {
        home.is_none_or(|h| self.grids.contains(&h))
    }
}

/// Who an alert will reach, shown in its preview before it is published.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlertAudience {
    /// The area in words, as the alert will name it.
    pub area: String,
    pub rows: Vec<AudienceRow>,
    /// Residents registered in all the grids.
    pub residents: i64,
    /// Pages open now whose holder lives in one of the grids.
    pub pages: i64,
    /// Pages open now with no home grid (signed out, staff, unconfirmed accounts):
    /// they show every alert too.
    pub pages_anywhere: i64,
}

/// One targeted grid in an alert's audience.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AudienceRow {
    pub grid: GridId,
    pub grid_name: String,
    /// The community it belongs to.
    pub community: String,
    pub residents: i64,
    pub pages: i64,
}

/// Coverage of one alert in one grid.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoverageRow {
    pub grid: Option<GridId>,
    pub grid_name: String,
    /// Residents registered in the grid.
    pub targeted: i64,
    /// Accounts whose page or inbox received it.
    pub delivered: i64,
    pub opened: i64,
    /// Answered 收到 or 我安全.
    pub confirmed: i64,
    pub need_help: i64,
    /// Vulnerable residents reached in person.
    pub reached: i64,
    /// Residents sent it by SMS (handed to the provider), delivered, and failed
    /// (refused or reported undelivered).
    #[serde(default)]
    pub sms_sent: i64,
    #[serde(default)]
    pub sms_delivered: i64,
    #[serde(default)]
    pub sms_failed: i64,
    /// Registered residents reached no way yet (not opened in the app, no SMS
    /// delivered, not reached in person).
    #[serde(default)]
    pub unreached: i64,
}

impl CoverageRow {
    pub fn add(&mut self, o: &CoverageRow) {
        self.targeted += o.targeted;
        self.delivered += o.delivered;
        self.opened += o.opened;
        self.confirmed += o.confirmed;
        self.need_help += o.need_help;
        self.reached += o.reached;
        self.sms_sent += o.sms_sent;
        self.sms_delivered += o.sms_delivered;
        self.sms_failed += o.sms_failed;
        self.unreached += o.unreached;
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Coverage {
    pub alert: Alert,
    pub rows: Vec<CoverageRow>,
    pub total: CoverageRow,
    /// When the follow-up lists open (Unix ms).
    pub follow_up_at: i64,
    /// Whether unopened residents get it by SMS here, and the provider's last refusal.
    #[serde(default)]
    pub sms_on: bool,
    #[serde(default)]
    pub sms_error: Option<String>,
}

/// A vulnerable resident in the follow-up list of one grid.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FollowUp {
    pub resident: ResidentId,
    pub name: String,
    pub address: String,
    pub tags: Vec<Tag>,
    /// Unmasked: the list goes to the grid's own staff only, and each read is audited.
    pub phone: String,
    pub grid_name: String,
    /// What the resident answered in the app, if anything (a call for help stays listed).
    pub answer: Option<Answer>,
    pub outcome: Option<Outcome>,
    pub outcome_note: String,
    pub outcome_by: String,
}

/// A grid's follow-up list; empty until `opens_at`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FollowUpList {
    pub opens_at: i64,
    pub open: bool,
    pub items: Vec<FollowUp>,
}

/// A resident's answer with its optional note and place.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnswerInput {
    pub answer: Answer,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub lat: Option<f64>,
    #[serde(default)]
    pub lng: Option<f64>,
}

/// Who is listed for follow-up: vulnerable residents who did not confirm they are
/// fine (no answer, or asked for help), until someone reached them with a result
/// other than "not reached".
pub fn needs_follow_up(tags: &[Tag], answer: Option<Answer>, outcome: Option<Outcome>) -> bool {
    let vulnerable = tags.iter().any(|t| t.vulnerable());
    let fine = answer.is_some_and(Answer::confirms);
    vulnerable && !fine && outcome.is_none_or(|o| o == Outcome::NotReached)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> AlertInput {
        AlertInput {
            title: "暴雪预警".into(),
            body: "今夜有暴雪，请减少外出。".into(),
            category: CapCategory::Met,
            urgency: Urgency::Expected,
            severity: Severity::Severe,
            certainty: Certainty::Likely,
            expires_in_min: 720,
            targets: vec![],
            follow_up_after_min: 10,
        }
    }

    #[test]
    fn cap_values_round_trip() {
        for c in CapCategory::ALL {
            assert_eq!(CapCategory::parse(c.cap()), Some(*c));
        }
        for s in Severity::ALL {
            assert_eq!(Severity::parse(s.cap()), Some(*s));
        }
        assert_eq!(Urgency::parse("Soon"), None);
    }

    #[test]
    fn input_is_checked_field_by_field() {
        assert!(check_input(&input()).is_ok());
        let field = |i: AlertInput| match check_input(&i) {
            Err(AppError::Invalid { field, .. }) => field,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            field(AlertInput {
                title: "  ".into(),
                ..input()
            }),
            "title"
        );
        assert_eq!(
            field(AlertInput {
                title: "雪".repeat(TITLE_MAX + 1),
                ..input()
            }),
            "title"
        );
        assert_eq!(
            field(AlertInput {
                body: String::new(),
                ..input()
            }),
            "body"
        );
        assert_eq!(
            field(AlertInput {
                expires_in_min: 0,
                ..input()
            }),
            "expires_in_min"
        );
        assert_eq!(
            field(AlertInput {
                follow_up_after_min: FOLLOW_UP_MAX_MIN + 1,
                ..input()
            }),
            "follow_up_after_min"
        );
    }

    #[test]
    fn follow_up_lists_vulnerable_until_reached() {
        let alone = [Tag::ElderlyAlone];
        assert!(needs_follow_up(&alone, None, None));
        assert!(needs_follow_up(&alone, Some(Answer::NeedHelp), None));
        assert!(!needs_follow_up(&alone, Some(Answer::Safe), None));
        assert!(!needs_follow_up(&alone, Some(Answer::Received), None));
        assert!(needs_follow_up(&alone, None, Some(Outcome::NotReached)));
        assert!(!needs_follow_up(&alone, None, Some(Outcome::Safe)));
        assert!(!needs_follow_up(&alone, None, Some(Outcome::NeedHelp)));
        assert!(!needs_follow_up(&[Tag::Floating], None, None));
        assert!(!needs_follow_up(&[], None, None));
    }

    #[test]
    fn unknown_home_sees_every_alert() {
        let a = LiveAlert {
            id: AlertId(1),
            title: "x".into(),
            severity: Severity::Minor,
            grids: vec![GridId(5)],
            sent_at: 0,
        };
        assert!(a.reaches(None));
        assert!(a.reaches(Some(GridId(5))));
        assert!(!a.reaches(Some(GridId(6))));
    }

    #[test]
    fn state_follows_expiry_and_cancel() {
        let a = Alert {
            id: AlertId(1),
            title: String::new(),
            body: String::new(),
            category: CapCategory::Met,
            urgency: Urgency::Expected,
            severity: Severity::Severe,
            certainty: Certainty::Likely,
            sent_at: 0,
            expires_at: 100,
            cancelled: false,
            follow_up_at: 10,
            sender: String::new(),
            grids: vec![],
            area: String::new(),
        };
        assert_eq!(a.state(99), AlertState::Active);
        assert_eq!(a.state(100), AlertState::Expired);
        assert_eq!(
            Alert {
                cancelled: true,
                ..a
            }
            .state(0),
            AlertState::Cancelled
        );
    }
}
