//! The app bar (title, language switch) and the navigation: a bottom bar on phones,
//! a side bar on wide screens (CSS decides). Only sections that work are listed.
use crate::domain::user::Role;
use crate::i18n::Msg;
use crate::providers::lang::{set_lang, use_lang};
use crate::providers::session::use_session;
use crate::providers::tr;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn Nav() -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let is_admin = move || session.get().is_some_and(|u| u.role == Role::Admin);
    let signed_in = move || session.get().is_some();
    view! {
        <header class="appbar">
            <A href="/" attr:class="brand">
                <span class="brand-mark" aria-hidden="true">"同"</span>
                <span>{move || tr(Msg::AppName)}</span>
                <small>{move || tr(Msg::StreetName)}</small>
            </A>
            <button
                class="lang-switch"
                data-test="lang-switch"
                lang=move || lang.get().other().code()
                title=move || tr(Msg::SwitchLangLabel)
                on:click=move |_| set_lang(lang.get_untracked().other())
            >
                {move || tr(Msg::SwitchLang)}
            </button>
        </header>
        <nav class="mainnav" aria-label=move || tr(Msg::MainNav)>
            <A href="/" exact=true>
                <span class="icon" aria-hidden="true">"⌂"</span>
                <span>{move || tr(Msg::NavHome)}</span>
            </A>
            <A href="/map">
                <span class="icon" aria-hidden="true">"◎"</span>
                <span>{move || tr(Msg::NavMap)}</span>
            </A>
            <A href="/report">
                <span class="icon" aria-hidden="true">"＋"</span>
                <span>{move || tr(Msg::NavReport)}</span>
            </A>
            <A href="/tickets">
                <span class="icon" aria-hidden="true">"☰"</span>
                <span>{move || tr(Msg::NavTickets)}</span>
            </A>
            <A href="/alerts">
                <span class="icon" aria-hidden="true">"⚠"</span>
                <span>{move || tr(Msg::NavAlerts)}</span>
            </A>
            <Show when=is_admin>
                <A href="/admin/grids">
                    <span class="icon" aria-hidden="true">"⚙"</span>
                    <span>{move || tr(Msg::NavAdmin)}</span>
                </A>
            </Show>
            <Show
                when=signed_in
                fallback=move || {
                    view! {
                        <A href="/login">
                            <span class="icon" aria-hidden="true">"☺"</span>
                            <span>{move || tr(Msg::Login)}</span>
                        </A>
                    }
                }
            >
                <A href="/me">
                    <span class="icon" aria-hidden="true">"☺"</span>
                    <span>{move || tr(Msg::NavMe)}</span>
                </A>
            </Show>
        </nav>
    }
}
