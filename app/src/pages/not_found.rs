use crate::i18n::Msg;
use crate::providers::tr;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(opts) = use_context::<leptos_axum::ResponseOptions>() {
        opts.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <section class="page">
            <h1>{move || tr(Msg::NotFoundTitle)}</h1>
            <A href="/" attr:class="button">{move || tr(Msg::BackHome)}</A>
        </section>
    }
}
