//! Volunteer shifts and events: the week's roster (with gaps for coordinators), making
//! a shift (one-off or weekly), one shift with sign-up / waitlist and, for its
//! coordinators, the roster, the check-in QR code and hand check-in; the check-in
//! page the QR code opens; my hours and a printable certificate.
mod checkin;
mod detail;
mod form;
mod hours;
mod list;
mod roster;
mod series;
mod teams;

pub use checkin::CheckInPage;
pub use detail::ShiftPage;
pub use form::ShiftNewPage;
pub use hours::{CertificatePage, HoursPage};
pub use list::{EventsPage, ShiftsPage};
pub use teams::TeamsPage;

use crate::domain::shift::{Shift, SignupState};
use crate::i18n::Msg;
use crate::providers::lang::use_lang;
use crate::providers::tr;
use leptos::prelude::*;

pub(super) fn seats(s: &Shift) -> String {
    let mut t = format!("{} / {}", s.taken, s.capacity);
    if s.waiting > 0 {
        t.push_str(&format!(" · {} {}", tr(Msg::ShiftWaitingCount), s.waiting));
    }
    t
}

pub(super) fn mine_badge(s: &Shift) -> Option<impl IntoView + use<>> {
    let state = s.mine?;
    let pos = s.my_position;
    Some(view! {
        <span class=if state == SignupState::Seated { "badge ok" } else { "badge warn" } data-test="my-state">
            {move || tr(state.label())}
            {pos.map(|p| format!(" #{p}"))}
        </span>
    })
}

/// Hours and minutes: "3 小时 20 分".
pub(super) fn hours_text(minutes: u32) -> String {
    let (h, m) = (minutes / 60, minutes % 60);
    Msg::ShiftHoursValue
        .text(use_lang().get_untracked())
        .replace("{h}", &h.to_string())
        .replace("{m}", &m.to_string())
}

pub(crate) fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
