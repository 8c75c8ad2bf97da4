//! Emergency timers (1 / 3 / 5 minutes, "1 分钟响应，3 分钟到场"): an emergency rings the
//! duty officer, who acknowledges it within a minute; someone is on site within three;
//! at five minutes with no acknowledgement or nobody on site it goes to the shift's
//! leader and the community's director. Pure; the duty service applies it.
use crate::i18n::Msg;
use serde::{Deserialize, Serialize};

pub const ACK_MS: i64 = 60_000;
pub const ON_SITE_MS: i64 = 180_000;
pub const ESCALATE_MS: i64 = 300_000;

/// What rang.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Source {
    /// A ticket in an emergency category (火情、险情).
    Ticket,
    /// A resident answered an alert "需要帮助" (the alert's id; the resident is the
    /// emergency's subject).
    AlertHelp,
    /// A new lost-person notice (寻人).
    Missing,
}

impl Source {
    pub const ALL: [Source; 3] = [Source::Ticket, Source::AlertHelp, Source::Missing];

    pub fn as_str(self) -> &'static str {
        match self {
            Source::Ticket => "ticket",
            Source::AlertHelp => "alert_help",
            Source::Missing => "missing",
        }
    }

    pub fn parse(s: &str) -> Option<Source> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// Where its people act on it: the ticket, the alert's follow-up list, the notice.
    pub fn url(self, id: i64) -> String {
        match self {
            Source::Ticket => format!("/tickets/{id}"),
            Source::AlertHelp => format!("/alerts/{id}/coverage"),
            Source::Missing => format!("/missing/{id}"),
        }
    }
}

/// A timer's result, as the ticket's timeline records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Mark {
    AckInTime,
    AckLate,
    OnSiteInTime,
    OnSiteLate,
    /// Five minutes without an acknowledgement or without anyone on site.
    Escalated,
}

impl Mark {
    pub const ALL: [Mark; 5] = [
        Mark::AckInTime,
        Mark::AckLate,
        Mark::OnSiteInTime,
        Mark::OnSiteLate,
        Mark::Escalated,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Mark::AckInTime => "timer_ack_in_time",
            Mark::AckLate => "timer_ack_late",
            Mark::OnSiteInTime => "timer_on_site_in_time",
            Mark::OnSiteLate => "timer_on_site_late",
            Mark::Escalated => "timer_escalated",
        }
    }

    pub fn parse(s: &str) -> Option<Mark> {
        Self::ALL.into_iter().find(|m| m.as_str() == s)
    }

    pub fn label(self) -> Msg {
        match self {
            Mark::AckInTime => Msg::EmAckInTime,
            Mark::AckLate => Msg::EmAckLate,
            Mark::OnSiteInTime => Msg::EmOnSiteInTime,
            Mark::OnSiteLate => Msg::EmOnSiteLate,
            Mark::Escalated => Msg::EmEscalated,
        }
    }
}

/// The acknowledgement's mark: within a minute of the ring, or late.
pub fn ack_mark(started: i64, at: i64) -> Mark {
    if at - started <= ACK_MS {
        Mark::AckInTime
    } else {
        Mark::AckLate
    }
}

/// Being on site: within three minutes, or late.
pub fn on_site_mark(started: i64, at: i64) -> Mark {
    if at - started <= ON_SITE_MS {
        Mark::OnSiteInTime
    } else {
        Mark::OnSiteLate
    }
}

/// Whether an emergency goes up to the leader and the director now: five minutes
/// after it rang, still unacknowledged or nobody on site, and not escalated yet.
pub fn must_escalate(started: i64, acked: bool, on_site: bool, escalated: bool, now: i64) -> bool {
    !escalated && now - started >= ESCALATE_MS && !(acked && on_site)
}

/// An emergency as the people it rings see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ringing {
    pub id: i64,
    pub source: Source,
    pub source_id: i64,
    pub title: String,
    pub started_ms: i64,
    /// Who acknowledged it, when.
    pub acked: Option<(String, i64)>,
    /// Who is on site, since when.
    pub on_site: Option<(String, i64)>,
    pub escalated: bool,
}

/// A month's (or any span's) emergencies and how often the timers were met.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimerFigures {
    pub rung: i64,
    pub ack_in_time: i64,
    pub on_site_in_time: i64,
    pub escalated: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    const T0: i64 = 1_800_000_000_000;

    #[test]
    fn one_minute_to_answer_three_to_be_there_five_to_escalate() {
        assert_eq!(ack_mark(T0, T0 + 59_000), Mark::AckInTime);
        assert_eq!(ack_mark(T0, T0 + 60_000), Mark::AckInTime);
        assert_eq!(ack_mark(T0, T0 + 60_001), Mark::AckLate);
        assert_eq!(on_site_mark(T0, T0 + 180_000), Mark::OnSiteInTime);
        assert_eq!(on_site_mark(T0, T0 + 181_000), Mark::OnSiteLate);
        // Not before five minutes; then unless answered and someone is there; once.
        assert!(!must_escalate(T0, false, false, false, T0 + 299_999));
        assert!(must_escalate(T0, false, false, false, T0 + 300_000));
        assert!(must_escalate(T0, true, false, false, T0 + 300_000));
        assert!(must_escalate(T0, false, true, false, T0 + 300_000));
        assert!(!must_escalate(T0, true, true, false, T0 + 300_000));
        assert!(!must_escalate(T0, false, false, true, T0 + 900_000));
        for m in Mark::ALL {
            assert_eq!(Mark::parse(m.as_str()), Some(m));
        }
        for s in Source::ALL {
            assert_eq!(Source::parse(s.as_str()), Some(s));
        }
        assert_eq!(Source::AlertHelp.url(7), "/alerts/7/coverage");
    }
}
