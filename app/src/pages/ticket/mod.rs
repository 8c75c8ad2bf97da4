//! Ticket pages: report a problem (category, description, place, photos), the lists
//! (my reports; a worker's queue, soonest deadline first; the board with filters),
//! one ticket with photos, timeline and the steps this person may take, and the
//! admin's categories. Lists and pages refetch when any ticket changes (SSE).
mod assessment;
mod categories;
mod detail;
mod feedback;
mod list;
mod report;
mod stats;
mod worklog;

pub use assessment::AssessmentPage;
pub use categories::CategoryAdminPage;
pub use detail::TicketPage;
pub use feedback::FeedbackPage;
pub use list::TicketsPage;
pub use report::ReportPage;
pub use stats::StatsPage;
pub use worklog::WorklogPage;

use crate::components::map::status_colour;
use crate::domain::ticket::TicketStatus;
use crate::domain::time::format_span;
use crate::i18n::{Lang, Msg};
use crate::providers::tr;
use leptos::prelude::*;
use leptos_router::components::A;

pub(super) fn loading() -> impl IntoView {
    view! { <p>{move || tr(Msg::Loading)}</p> }
}

/// Shown instead of a form to someone not signed in.
#[component]
pub(super) fn SignInFirst() -> impl IntoView {
    view! {
        <p class="card">
            {move || tr(Msg::ErrUnauthorized)} " "
            <A href="/login">{move || tr(Msg::Login)}</A>
        </p>
    }
}

/// A status as a coloured badge.
#[component]
pub(super) fn StatusBadge(status: TicketStatus) -> impl IntoView {
    let style = format!("background:{}", status_colour(status));
    let label = status.label();
    view! { <span class="badge" style=style data-test="status" data-status=status.as_str()>{move || tr(label)}</span> }
}

/// "2 小时后到期" / "已超时 5 分钟", or nothing for finished tickets.
pub(super) fn due_text(due_in_ms: Option<i64>, lang: Lang) -> Option<(String, bool)> {
    let d = due_in_ms?;
    let span = format_span(d, lang);
    Some(if d >= 0 {
        (Msg::DueIn.text(lang).replace("{t}", &span), false)
    } else {
        (Msg::Overdue.text(lang).replace("{t}", &span), true)
    })
}

/// The `?month=2026-12` of the page's address (empty: this month).
pub(super) fn month_in_query() -> impl Fn() -> String + Copy + Send + Sync + 'static {
    let query = leptos_router::hooks::use_query_map();
    move || query.read().get("month").unwrap_or_default()
}

/// A month input that puts the chosen month into the page's address (`path?month=…`),
/// so a month's page can be linked to; `shown`: the month on screen.
#[component]
pub(super) fn MonthPicker(
    path: &'static str,
    #[prop(into)] shown: Signal<String>,
) -> impl IntoView {
    let navigate = leptos_router::hooks::use_navigate();
    let pick = move |ev: leptos::ev::Event| {
        let m = event_target_value(&ev);
        if !m.is_empty() {
            navigate(&format!("{path}?month={m}"), Default::default());
        }
    };
    view! {
        <div class="form"><label>
            {move || tr(Msg::ShiftMonth)}
            <Transition fallback=|| ()>
                <input type="month" data-test="month" on:change=pick.clone() prop:value=move || shown.get() />
            </Transition>
        </label></div>
    }
}
