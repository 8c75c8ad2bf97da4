//! How a failed call is shown: the error's message in the user's language.
use crate::domain::AppError;
use crate::providers::lang::use_lang;
use leptos::prelude::*;

#[component]
pub fn ErrorNote(#[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    let lang = use_lang();
    move || {
        error.get().map(|e| {
            view! { <p class="error" role="alert" data-test="error">{e.message(lang.get())}</p> }
        })
    }
}

/// A failed call's message as a view (for `Result` arms in lists and pages).
pub fn error_view(e: AppError) -> AnyView {
    view! { <ErrorNote error=Signal::derive(move || Some(e.clone())) /> }.into_any()
}
