//! "打电话": one tap dials a number the screen shows masked. The number is asked of
//! the server on the tap (which writes the audit row before it answers), then dialled
//! through `tel:`; the link keeps it, so a second tap dials without asking again.
use crate::api::grid::staff_phone;
use crate::api::ticket::reporter_phone;
use crate::components::error::ErrorNote;
use crate::components::form::Submit;
use crate::domain::grid::{Duty, GridId};
use crate::domain::ticket::TicketId;
use crate::i18n::Msg;
use crate::providers::tr;
use leptos::prelude::*;

/// Whom the button calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Callee {
    /// A grid's staff member with this duty (residents call their grid).
    Staff { grid: GridId, duty: Duty },
    /// The person who reported a ticket (its handlers call back).
    Reporter(TicketId),
}

impl Callee {
    /// The button's `data-test`: `call-leader`, `call-party-leader`, `call-reporter`.
    fn test_id(self) -> String {
        match self {
            Callee::Staff { duty, .. } => format!("call-{}", duty.as_str().replace('_', "-")),
            Callee::Reporter(_) => "call-reporter".into(),
        }
    }
}

#[component]
pub fn CallButton(who: Callee) -> impl IntoView {
    let href = RwSignal::new(None::<String>);
    let fetch = Submit::new(
        move |()| async move {
            match who {
                Callee::Staff { grid, duty } => staff_phone(grid.0, duty.as_str().into()).await,
                Callee::Reporter(t) => reporter_phone(t.0).await,
            }
        },
        move |phone: String| {
            let tel = format!("tel:{phone}");
            href.set(Some(tel.clone()));
            dial(&tel);
        },
    );
    let tap = move |ev: leptos::ev::MouseEvent| {
        if href.get_untracked().is_none() {
            ev.prevent_default();
            fetch.submit(Ok(()));
        }
    };
    view! {
        <a class="button call" role="button" data-test=who.test_id() on:click=tap
            href=move || href.get().unwrap_or_else(|| "#".into())
            aria-busy=move || fetch.busy().to_string()>
            {move || if fetch.busy() { tr(Msg::Working) } else { tr(Msg::Call) }}
        </a>
        <ErrorNote error=fetch.error() />
    }
}

/// Hands the number to the phone's dialler.
fn dial(tel: &str) {
    #[cfg(feature = "hydrate")]
    if let Some(w) = web_sys::window() {
        let _ = w.location().set_href(tel);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = tel;
}
