//! Reminders (提醒): what falls due for whom, and when each goes out. Volunteers hear
//! of their shifts a day and two hours before (and at once when the waitlist seats
//! them), party members on the morning of a meeting, reporters when a fix waits for
//! their rating (and once more three days on), staff once a morning with what is due.
//! Each person chooses the channels (in the app, push, SMS) and quiet hours (China
//! time, default 21:00–07:00); a reminder falling in them is moved out of them, never
//! past the moment it is for. Alerts are not reminders and keep no quiet hours.
use crate::domain::AppError;
use crate::domain::command::day_start;
use crate::i18n::Msg;
use serde::{Deserialize, Serialize};

const MINUTE: i64 = 60_000;
const HOUR: i64 = 60 * MINUTE;
const DAY: i64 = 24 * HOUR;

/// The rating question's second asking, this long after the first (it lapses at 7 days).
pub const RATING_AGAIN_MS: i64 = 3 * DAY;
/// How long the rating question stays open (see `ticket::Rating`).
pub const RATING_OPEN_MS: i64 = 7 * DAY;
/// Staff digests go out at this minute of the China day (08:00).
pub const DIGEST_MINUTE: i64 = 8 * 60;
/// Meeting reminders go out at this minute of the meeting's day (07:00), or an hour
/// before an earlier meeting.
pub const MEETING_MINUTE: i64 = 7 * 60;
/// How far ahead shifts and meetings are planned (a day, and an hour to spare).
pub const HORIZON_MS: i64 = 25 * HOUR;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Kind {
    /// A day before a shift one holds.
    ShiftDay,
    /// Two hours before it.
    ShiftSoon,
    /// The waitlist seated one.
    Promoted,
    /// The morning of a party meeting one is expected at.
    Meeting,
    /// A fix waits for one's rating (asked, and asked again).
    Rating,
    /// Staff: the morning's digest of what is due.
    Digest,
}

impl Kind {
    pub const ALL: [Kind; 6] = [
        Kind::ShiftDay,
        Kind::ShiftSoon,
        Kind::Promoted,
        Kind::Meeting,
        Kind::Rating,
        Kind::Digest,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::ShiftDay => "shift_day",
            Kind::ShiftSoon => "shift_soon",
            Kind::Promoted => "promoted",
            Kind::Meeting => "meeting",
            Kind::Rating => "rating",
            Kind::Digest => "digest",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label(self) -> Msg {
        match self {
            Kind::ShiftDay | Kind::ShiftSoon => Msg::RemindShift,
            Kind::Promoted => Msg::RemindPromoted,
            Kind::Meeting => Msg::RemindMeeting,
            Kind::Rating => Msg::RemindRating,
            Kind::Digest => Msg::RemindDigest,
        }
    }
}

/// Quiet hours as minutes of the China day: `[from, to)`, over midnight when
/// `from > to`; none when they are equal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quiet {
    pub from: i64,
    pub to: i64,
}

impl Default for Quiet {
    fn default() -> Self {
        Quiet {
            from: 21 * 60,
            to: 7 * 60,
        }
    }
}

impl Quiet {
    fn minute(ms: i64) -> i64 {
        (ms - day_start(ms)) / MINUTE
    }

    pub fn contains(self, ms: i64) -> bool {
        let m = Self::minute(ms);
        match self.from.cmp(&self.to) {
            std::cmp::Ordering::Equal => false,
            std::cmp::Ordering::Less => self.from <= m && m < self.to,
            std::cmp::Ordering::Greater => m >= self.from || m < self.to,
        }
    }

    /// The end of the quiet spell holding `ms`.
    fn end_after(self, ms: i64) -> i64 {
        let at = day_start(ms) + self.to * MINUTE;
        if at > ms { at } else { at + DAY }
    }

    /// The start of the quiet spell holding `ms`.
    fn start_before(self, ms: i64) -> i64 {
        let at = day_start(ms) + self.from * MINUTE;
        if at <= ms { at } else { at - DAY }
    }
}

/// One person's choices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Prefs {
    pub in_app: bool,
    pub push: bool,
    pub sms: bool,
    pub quiet: Quiet,
}

impl Default for Prefs {
    fn default() -> Self {
        Prefs {
            in_app: true,
            push: true,
            sms: false,
            quiet: Quiet::default(),
        }
    }
}

/// What the settings page shows: the choices, and whether SMS can be chosen here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrefsView {
    pub prefs: Prefs,
    /// The street has an SMS provider configured.
    pub sms_available: bool,
    /// The account's number is a verified mobile (SMS needs one).
    pub has_mobile: bool,
}

/// Quiet hours must be whole minutes of a day; at least one channel stays on.
pub fn check_prefs(p: &Prefs) -> Result<(), AppError> {
    let day = 0..24 * 60;
    if !day.contains(&p.quiet.from) || !day.contains(&p.quiet.to) {
        return Err(AppError::invalid("quiet", Msg::ErrQuietHours));
    }
    if !(p.in_app || p.push || p.sms) {
        return Err(AppError::invalid("channels", Msg::ErrNoChannel));
    }
    Ok(())
}

/// "HH:MM" to minutes of the day.
pub fn parse_hhmm(s: &str) -> Option<i64> {
    let (h, m) = s.trim().split_once(':')?;
    let (h, m): (i64, i64) = (h.parse().ok()?, m.parse().ok()?);
    ((0..24).contains(&h) && (0..60).contains(&m)).then_some(h * 60 + m)
}

pub fn hhmm(minutes: i64) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// A reminder as the rules plan it: when it is due, and when it is no use any more.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Due {
    pub kind: Kind,
    pub due: i64,
    pub stale: i64,
}

/// A shift starting at `start`, planned at `now`: a day before (left out when planned
/// under half a day ahead, as for a seat taken that morning: the two-hour one follows)
/// and two hours before; those already of no use are left out.
pub fn shift_reminders(start: i64, now: i64) -> Vec<Due> {
    [
        Due {
            kind: Kind::ShiftDay,
            due: start - DAY,
            stale: start - 2 * HOUR,
        },
        Due {
            kind: Kind::ShiftSoon,
            due: start - 2 * HOUR,
            stale: start,
        },
    ]
    .into_iter()
    .filter(|d| d.stale > now && (d.kind != Kind::ShiftDay || now < start - 12 * HOUR))
    .collect()
}

/// A meeting at `start`: 07:00 on its day, or an hour before a meeting before 08:00.
pub fn meeting_due(start: i64) -> i64 {
    (day_start(start) + MEETING_MINUTE * MINUTE).min(start - HOUR)
}

/// Today's digest time (China) for `now`, and the end of the day.
pub fn digest_due(now: i64) -> (i64, i64) {
    let d = day_start(now);
    (d + DIGEST_MINUTE * MINUTE, d + DAY)
}

/// When a reminder goes out for someone with these quiet hours, planned at `now`, and
/// whether it may only go to the in-app inbox (silent): outside quiet hours, when it
/// is due (or now, if that has passed); else at their end, if that is still of use;
/// else just before they begin, if that is still ahead; else now, silently.
pub fn send_at(due: i64, stale: i64, quiet: Quiet, now: i64) -> (i64, bool) {
    let t = due.max(now);
    if !quiet.contains(t) {
        return (t, false);
    }
    let end = quiet.end_after(t);
    if end < stale {
        return (end, false);
    }
    let before = quiet.start_before(t) - MINUTE;
    if before >= now {
        return (before, false);
    }
    (t, true)
}

/// The channels a reminder goes by: the in-app inbox if chosen; push and SMS if chosen
/// and it is not silent (SMS only where the street has it and the person a mobile).
pub fn channels(p: &Prefs, silent: bool, sms_ok: bool) -> Vec<&'static str> {
    let mut out = Vec::new();
    if p.in_app {
        out.push("app");
    }
    if p.push && !silent {
        out.push("push");
    }
    if p.sms && !silent && sms_ok {
        out.push("sms");
    }
    out
}

/// What a staff member's morning digest counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DigestCounts {
    /// Fixes waiting for their check.
    pub checks: i64,
    /// Their open tickets past a deadline.
    pub overdue: i64,
    /// Care visits due by the end of today.
    pub visits: i64,
    /// Key sites in their grids past their inspection date.
    pub sites: i64,
}

impl DigestCounts {
    pub fn is_empty(&self) -> bool {
        self.checks + self.overdue + self.visits + self.sites == 0
    }

    /// The digest's line, in Chinese (sent), naming only what is there.
    pub fn body(&self) -> String {
        let mut parts = Vec::new();
        for (n, what) in [
            (self.checks, "件待核查"),
            (self.overdue, "件工单超时"),
            (self.visits, "户今日应走访"),
            (self.sites, "处重点场所逾期未查"),
        ] {
            if n > 0 {
                parts.push(format!("{n} {what}"));
            }
        }
        parts.join("，")
    }
}

/// One reminder in a person's inbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboxReminder {
    pub id: i64,
    pub kind: Kind,
    pub title: String,
    pub body: String,
    pub url: String,
    pub sent_ms: i64,
    pub read: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2026-12-07 00:00 China time.
    const D: i64 = 1_796_601_600_000 - 8 * HOUR;

    fn at(h: i64, m: i64) -> i64 {
        D + h * HOUR + m * MINUTE
    }

    #[test]
    fn the_test_day_starts_at_china_midnight() {
        assert_eq!(day_start(at(10, 0)), D);
        assert_eq!(crate::domain::time::format_cst(D), "2026-12-07 00:00");
    }

    #[test]
    fn quiet_hours_wrap_midnight() {
        let q = Quiet::default();
        assert!(q.contains(at(21, 0)));
        assert!(q.contains(at(23, 59)));
        assert!(q.contains(at(6, 59)));
        assert!(!q.contains(at(7, 0)));
        assert!(!q.contains(at(20, 59)));
        let day = Quiet {
            from: 12 * 60,
            to: 14 * 60,
        };
        assert!(day.contains(at(13, 0)) && !day.contains(at(14, 0)) && !day.contains(at(11, 0)));
        let none = Quiet { from: 0, to: 0 };
        assert!(!none.contains(at(3, 0)));
    }

    #[test]
    fn a_reminder_in_quiet_hours_waits_for_the_morning() {
        let q = Quiet::default();
        // Due at 23:00, of use until noon tomorrow: 07:00.
        assert_eq!(
            send_at(at(23, 0), at(36, 0), q, at(10, 0)),
            (at(31, 0), false)
        );
        // Due at 03:00, of use until 09:00: 07:00 the same morning.
        assert_eq!(
            send_at(at(27, 0), at(33, 0), q, at(10, 0)),
            (at(31, 0), false)
        );
        // Outside quiet hours: when due; overdue: now.
        assert_eq!(
            send_at(at(15, 0), at(16, 0), q, at(10, 0)),
            (at(15, 0), false)
        );
        assert_eq!(
            send_at(at(9, 0), at(16, 0), q, at(10, 0)),
            (at(10, 0), false)
        );
    }

    #[test]
    fn a_reminder_for_an_early_shift_goes_the_evening_before() {
        let q = Quiet::default();
        // Two hours before a 06:00 patrol is 04:00; 07:00 would be too late: 20:59.
        assert_eq!(
            send_at(at(28, 0), at(30, 0), q, at(10, 0)),
            (at(20, 59), false)
        );
        // Seated from the waitlist at 23:00 for that patrol: only the inbox, now.
        assert_eq!(
            send_at(at(23, 0), at(30, 0), q, at(23, 0)),
            (at(23, 0), true)
        );
    }

    #[test]
    fn shifts_get_a_day_and_two_hours_before_unless_past_use() {
        let start = at(34, 0); // tomorrow 10:00
        let r = shift_reminders(start, at(9, 0));
        assert_eq!(r.len(), 2);
        assert_eq!(
            (r[0].kind, r[0].due, r[0].stale),
            (Kind::ShiftDay, at(10, 0), at(32, 0))
        );
        assert_eq!(
            (r[1].kind, r[1].due, r[1].stale),
            (Kind::ShiftSoon, at(32, 0), start)
        );
        // Signed up three hours before: the two-hour one only.
        let late = shift_reminders(start, at(31, 0));
        assert_eq!(
            late.iter().map(|d| d.kind).collect::<Vec<_>>(),
            vec![Kind::ShiftSoon]
        );
        assert!(shift_reminders(start, start).is_empty());
    }

    #[test]
    fn meetings_are_told_in_the_morning() {
        assert_eq!(meeting_due(at(15, 0)), at(7, 0));
        assert_eq!(meeting_due(at(7, 30)), at(6, 30));
        assert_eq!(digest_due(at(15, 0)), (at(8, 0), at(24, 0)));
    }

    #[test]
    fn channels_follow_choices_and_silence() {
        let p = Prefs {
            sms: true,
            ..Prefs::default()
        };
        assert_eq!(channels(&p, false, true), vec!["app", "push", "sms"]);
        assert_eq!(channels(&p, false, false), vec!["app", "push"]);
        assert_eq!(channels(&p, true, true), vec!["app"]);
        assert!(channels(&Prefs { in_app: false, ..p }, true, true).is_empty());
    }

    #[test]
    fn prefs_are_checked() {
        assert!(check_prefs(&Prefs::default()).is_ok());
        let none = Prefs {
            in_app: false,
            push: false,
            sms: false,
            quiet: Quiet::default(),
        };
        assert!(check_prefs(&none).is_err());
        let bad = Prefs {
            quiet: Quiet { from: 1440, to: 0 },
            ..Prefs::default()
        };
        assert!(check_prefs(&bad).is_err());
        assert_eq!(parse_hhmm("21:00"), Some(1260));
        assert_eq!(parse_hhmm("7:05"), Some(425));
        assert_eq!(parse_hhmm("24:00"), None);
        assert_eq!(hhmm(425), "07:05");
    }

    #[test]
    fn digests_name_only_what_is_due() {
        let c = DigestCounts {
            checks: 2,
            visits: 1,
            ..DigestCounts::default()
        };
        assert_eq!(c.body(), "2 件待核查，1 户今日应走访");
        assert!(DigestCounts::default().is_empty());
    }

    #[test]
    fn kinds_round_trip() {
        for k in Kind::ALL {
            assert_eq!(Kind::parse(k.as_str()), Some(k));
        }
    }
}
