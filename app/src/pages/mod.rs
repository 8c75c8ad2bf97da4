//! One module per noun; each page is a resource or action, then the view.
pub mod alert;
pub mod auth;
pub mod camera;
pub mod command;
pub mod council;
pub mod duty;
pub mod grid;
pub mod home;
pub mod lesson;
pub mod missing;
pub mod not_found;
pub mod notice;
pub mod party;
pub mod quiz;
pub mod reminder;
pub mod resident;
pub mod shift;
pub mod site;
pub mod sms;
pub mod study;
pub mod ticket;

use crate::domain::AppError;
use crate::domain::authz::{Action, allowed};
use crate::domain::grid::GridId;
use crate::domain::user::Actor;
use crate::i18n::Msg;
use crate::providers::session::use_session;
use crate::providers::tr;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// A page only some roles may use: its title, then the page when the signed-in person
/// may do `action`, else "no permission".
#[component]
pub(crate) fn Guarded(action: Action, title: Msg, children: ChildrenFn) -> impl IntoView {
    let ok = may(action);
    view! {
        <section class="page narrow">
            <h1>{move || tr(title)}</h1>
            // The session is known without waiting, so no Suspense here: the page (and
            // the resources it creates) is made once, not again on every check a
            // Suspense makes of its children.
            {move || if ok() {
                children().into_any()
            } else {
                crate::components::error::error_view(crate::domain::AppError::Forbidden)
            }}
        </section>
    }
}

/// The grid picked in a `<select>` ("" until one is), or the `grid` field's error.
pub(crate) fn chosen_grid(value: &str) -> Result<GridId, AppError> {
    value
        .parse::<i64>()
        .ok()
        .filter(|g| *g > 0)
        .map(GridId)
        .ok_or_else(|| AppError::invalid("grid", Msg::ErrUnknownGrid))
}

pub(crate) use crate::components::form::loading;

/// Whether the signed-in person may do `action` (reactive).
pub(crate) fn may(action: Action) -> impl Fn() -> bool + Copy {
    let session = use_session();
    move || {
        allowed(
            &Actor {
                user: session.get(),
            },
            action,
        )
    }
}

/// The `:id` of the route as a number (0 when missing: the server answers 404).
pub(crate) fn id_param() -> impl Fn() -> i64 + Copy {
    let params = use_params_map();
    move || params.with(|p| p.get("id").and_then(|s| s.parse::<i64>().ok()).unwrap_or(0))
}
