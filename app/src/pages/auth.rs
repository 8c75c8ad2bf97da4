//! Sign in, sign up, and the "me" page with sign-out.
use crate::api::auth::{LogIn, LogOut, SignUp};
use crate::components::error::ErrorNote;
use crate::domain::AppError;
use crate::i18n::Msg;
use crate::providers::session::use_session;
use crate::providers::tr;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

/// After a successful call: reload who is signed in, then go back to where the sign-in
/// was asked for (`?next=/shifts/3/checkin…`, same site only), else home.
fn on_success<T: Clone + Send + Sync + 'static>(value: Signal<Option<Result<T, AppError>>>) {
    let session = use_session();
    let navigate = use_navigate();
    let query = leptos_router::hooks::use_query_map();
    Effect::new(move |_| {
        if matches!(value.get(), Some(Ok(_))) {
            let next = query.get_untracked().get("next").unwrap_or_default();
            let to = crate::domain::user::safe_next(&next)
                .unwrap_or("/")
                .to_owned();
            // Go on only once the new session is known, so the next page is shown
            // for the person now signed in (not "please sign in" for a moment).
            let navigate = navigate.clone();
            leptos::task::spawn_local(async move {
                session.reload().await;
                navigate(&to, Default::default());
            });
        }
    });
}

fn error_of<T: Clone + Send + Sync + 'static>(
    value: Signal<Option<Result<T, AppError>>>,
) -> Signal<Option<AppError>> {
    Signal::derive(move || value.get().and_then(|r| r.err()))
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let action = ServerAction::<LogIn>::new();
    let value = Signal::derive(move || action.value().get());
    on_success(value);
    let pending = action.pending();
    view! {
        <section class="page narrow">
            <h1>{move || tr(Msg::Login)}</h1>
            <ActionForm action=action attr:class="form" attr:data-test="login-form">
                <label>
                    {move || tr(Msg::Phone)}
                    <input name="phone" type="tel" inputmode="numeric" autocomplete="username" required />
                </label>
                <label>
                    {move || tr(Msg::Password)}
                    <input name="password" type="password" autocomplete="current-password" required />
                </label>
                <ErrorNote error=error_of(value) />
                <button type="submit" class="primary" disabled=pending>
                    {move || if pending.get() { tr(Msg::Working) } else { tr(Msg::Login) }}
                </button>
            </ActionForm>
            <A href="/signup" attr:class="link">{move || tr(Msg::NoAccount)}</A>
        </section>
    }
}

#[component]
pub fn SignupPage() -> impl IntoView {
    let action = ServerAction::<SignUp>::new();
    let value = Signal::derive(move || action.value().get());
    on_success(value);
    let pending = action.pending();
    view! {
        <section class="page narrow">
            <h1>{move || tr(Msg::Signup)}</h1>
            <ActionForm action=action attr:class="form" attr:data-test="signup-form">
                <label>
                    {move || tr(Msg::Name)}
                    <input name="name" type="text" autocomplete="name" maxlength="20" required />
                </label>
                <label>
                    {move || tr(Msg::Phone)}
                    <input name="phone" type="tel" inputmode="numeric" autocomplete="tel" required />
                </label>
                <label>
                    {move || tr(Msg::Password)}
                    <input name="password" type="password" autocomplete="new-password" minlength="8" required />
                    <small>{move || tr(Msg::PasswordHint)}</small>
                </label>
                <ErrorNote error=error_of(value) />
                <button type="submit" class="primary" disabled=pending>
                    {move || if pending.get() { tr(Msg::Working) } else { tr(Msg::Signup) }}
                </button>
            </ActionForm>
            <A href="/login" attr:class="link">{move || tr(Msg::HaveAccount)}</A>
        </section>
    }
}

#[component]
pub fn MePage() -> impl IntoView {
    let session = use_session();
    let logout = ServerAction::<LogOut>::new();
    let value = Signal::derive(move || logout.value().get());
    on_success(value);
    view! {
        <section class="page narrow">
            <h1>{move || tr(Msg::NavMe)}</h1>
            <Transition fallback=move || view! { <p>{move || tr(Msg::Loading)}</p> }>
                {move || match session.get() {
                    None => view! {
                        <p>{move || tr(Msg::ErrUnauthorized)}</p>
                        <A href="/login" attr:class="button primary">{move || tr(Msg::Login)}</A>
                    }.into_any(),
                    Some(u) => {
                        let role = u.role.label();
                        let flags: Vec<Msg> = [(u.volunteer, Msg::FlagVolunteer), (u.party_member, Msg::FlagPartyMember)]
                            .into_iter()
                            .filter_map(|(on, m)| on.then_some(m))
                            .collect();
                        let grids = u.grids.clone();
                        view! {
                            <dl class="facts" data-test="me">
                                <dt>{move || tr(Msg::Name)}</dt>
                                <dd data-test="me-name">{u.name.clone()}</dd>
                                <dt>{move || tr(Msg::Phone)}</dt>
                                <dd>{u.phone_masked.clone()}</dd>
                                {(!u.phone_verified).then(|| view! {
                                    <dd class="note" data-test="phone-unverified">{move || tr(Msg::PhoneUnverifiedNote)}</dd>
                                })}
                                <dt>{move || tr(Msg::Role)}</dt>
                                <dd data-test="me-role">
                                    {move || tr(role)}
                                    {flags.iter().map(|m| { let m = *m; view! { <span class="chip">{move || tr(m)}</span> } }).collect_view()}
                                </dd>
                            </dl>
                            <Show when={let n = grids.len(); move || n > 0}>
                                <h2>{move || tr(Msg::MyGrids)}</h2>
                                <ul class="plain">
                                    {grids.iter().map(|(id, duty)| {
                                        let (id, duty) = (*id, *duty);
                                        view! {
                                            <li>
                                                <A href=format!("/grids/{}", id.0)>{move || tr(duty.label())}</A>
                                            </li>
                                        }
                                    }).collect_view()}
                                </ul>
                            </Show>
                            <crate::components::elder::ElderSwitch />
                            <p><A href="/inbox#prefs" attr:class="button" attr:data-test="me-reminders">{move || tr(Msg::RemindPrefsTitle)}</A></p>
                            // Push and sign-out only for someone signed in (issue 17).
                            <crate::components::push::PushToggle />
                            <ActionForm action=logout attr:class="form">
                                <button type="submit" class="secondary" data-test="logout">{move || tr(Msg::Logout)}</button>
                            </ActionForm>
                        }.into_any()
                    }
                }}
            </Transition>
        </section>
    }
}
