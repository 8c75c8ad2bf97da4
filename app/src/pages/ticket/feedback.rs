//! `/feedback` (投诉建议): anyone signed in writes to the street — a complaint or a
//! suggestion about a service, a staff member or the platform — and sees the answer
//! here; admins see every message, unanswered first, and answer each once.
use super::SignInFirst;
use crate::api::feedback::{NewFeedback, answer_feedback, list_feedback, send_feedback};
use crate::components::error::ErrorNote;
use crate::components::form::{Submit, SubmitButton, listed};
use crate::domain::feedback::{About, FeedbackView, Kind};
use crate::domain::time::format_cst;
use crate::domain::user::Role;
use crate::i18n::Msg;
use crate::providers::session::use_session;
use crate::providers::tr;
use leptos::prelude::*;

#[component]
pub fn FeedbackPage() -> impl IntoView {
    let session = use_session();
    view! {
        <section class="page narrow">
            <h1>{move || tr(Msg::FbTitle)}</h1>
            <p class="muted">{move || tr(Msg::FbIntro)}</p>
            {move || match session.get() {
                None => view! { <SignInFirst /> }.into_any(),
                Some(u) => view! { <Feedback admin=u.role == Role::Admin /> }.into_any(),
            }}
        </section>
    }
}

#[component]
fn Feedback(admin: bool) -> impl IntoView {
    let version = RwSignal::new(0u32);
    let list = Resource::new(move || version.get(), |_| list_feedback());
    let kind = RwSignal::new(Kind::Suggestion);
    let about = RwSignal::new(About::Service);
    let body = RwSignal::new(String::new());
    let sent = RwSignal::new(false);
    let send = Submit::new(send_feedback, move |_| {
        body.set(String::new());
        sent.set(true);
        version.update(|v| *v += 1);
    });
    let go = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        sent.set(false);
        send.submit(Ok(NewFeedback {
            kind: kind.get_untracked().as_str().to_owned(),
            about: about.get_untracked().as_str().to_owned(),
            body: body.get_untracked(),
        }));
    };
    view! {
        <form class="form card" on:submit=go data-test="feedback-form">
            <fieldset>
                <legend>{move || tr(Msg::FbKind)}</legend>
                <div class="choices">
                    {Kind::ALL.into_iter().map(|k| view! {
                        <label class="choice">
                            <input type="radio" name="kind" data-test=format!("kind-{}", k.as_str())
                                prop:checked=move || kind.get() == k on:change=move |_| kind.set(k) />
                            {move || tr(k.label())}
                        </label>
                    }).collect_view()}
                </div>
            </fieldset>
            <label>
                {move || tr(Msg::FbAbout)}
                <select data-test="about" on:change=move |ev| {
                    if let Some(a) = About::parse(&event_target_value(&ev)) { about.set(a) }
                }>
                    {About::ALL.into_iter().map(|a| view! {
                        <option value=a.as_str() selected=move || about.get() == a>{move || tr(a.label())}</option>
                    }).collect_view()}
                </select>
            </label>
            <label>
                {move || tr(Msg::FbBody)}
                <textarea rows="4" maxlength="1000" data-test="body"
                    prop:value=body on:input=move |ev| body.set(event_target_value(&ev))></textarea>
            </label>
            <ErrorNote error=send.error() />
            <Show when=move || sent.get()>
                <p class="ok" role="status" data-test="sent">{move || tr(Msg::FbSent)}</p>
            </Show>
            <SubmitButton busy=send.busy_signal() label=Msg::FbSend attr:data-test="send" />
        </form>
        <section class="card" data-test="feedback-list">
            <h2>{move || tr(if admin { Msg::FbAll } else { Msg::FbMine })}</h2>
            {listed(list, Msg::FbNone, move |l| view! {
                <ul class="log">
                    {l.into_iter().map(|f| view! { <Message f=f admin=admin version=version /> }).collect_view()}
                </ul>
            })}
        </section>
    }
}

#[component]
fn Message(f: FeedbackView, admin: bool, version: RwSignal<u32>) -> impl IntoView {
    let (kind, about) = (f.kind.label(), f.about.label());
    let open = f.answer.is_none();
    view! {
        <li class="card" data-test="feedback" data-id=f.id.to_string() data-answered=(!open).to_string()>
            <p>
                <strong>{move || tr(kind)}</strong> " · " {move || tr(about)}
                <span class="muted small">{format!(" · {}", format_cst(f.at_ms))}</span>
                {f.sender.clone().map(|s| view! { <span class="muted small">{format!(" · {s}")}</span> })}
            </p>
            <p data-test="feedback-body">{f.body.clone()}</p>
            {f.answer.clone().map(|a| view! {
                <p class="answer" data-test="feedback-answer">
                    <strong>{move || tr(Msg::FbAnswer)}</strong> "：" {a}
                    <span class="muted small">
                        {format!(" · {} · {}", f.answered_by.clone().unwrap_or_default(), f.answered_ms.map(format_cst).unwrap_or_default())}
                    </span>
                </p>
            })}
            {(admin && open).then(|| view! { <AnswerForm id=f.id version=version /> })}
        </li>
    }
}

#[component]
fn AnswerForm(id: i64, version: RwSignal<u32>) -> impl IntoView {
    let text = RwSignal::new(String::new());
    let send = Submit::new(
        move |(i, t): (i64, String)| answer_feedback(i, t),
        move |_| version.update(|v| *v += 1),
    );
    let go = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        send.submit(Ok((id, text.get_untracked())));
    };
    view! {
        <form class="form" on:submit=go data-test="answer-form">
            <label>
                {move || tr(Msg::FbAnswer)}
                <textarea rows="2" maxlength="1000" data-test="answer"
                    prop:value=text on:input=move |ev| text.set(event_target_value(&ev))></textarea>
            </label>
            <ErrorNote error=send.error() />
            <SubmitButton busy=send.busy_signal() label=Msg::FbAnswerSend attr:data-test="answer-send" />
        </form>
    }
}
