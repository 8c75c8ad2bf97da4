//! The alert banner every page carries: the newest alert in force that this person
//! has not answered, impossible to miss (top of the screen, strong colour, vibration
//! where the phone allows), with the three answers one tap away. It appears the
//! moment an alert is published (live stream) and on every visit until answered.
use crate::api::alert::{alert_inbox, alerts_seen, answer_alert};
use crate::components::form::Submit;
use crate::components::live::live_alert;
use crate::domain::AppError;
use crate::domain::alert::{AlertId, AlertState, Answer, AnswerInput, InboxItem, Severity};
use crate::domain::time::{format_cst, now_ms};
use crate::i18n::Msg;
use crate::providers::session::use_session;
use crate::providers::tr;
use leptos::prelude::*;
use leptos_router::components::A;

/// The CSS class for a severity (red, orange, yellow, blue as in Chinese warnings).
pub fn severity_class(s: Severity) -> &'static str {
    match s {
        Severity::Extreme => "sev-extreme",
        Severity::Severe => "sev-severe",
        Severity::Moderate => "sev-moderate",
        Severity::Minor | Severity::Unknown => "sev-minor",
    }
}

#[cfg(feature = "hydrate")]
fn vibrate() {
    if let Some(w) = web_sys::window() {
        let pattern = js_sys::Array::of3(&400.into(), &150.into(), &400.into());
        let _ = w.navigator().vibrate_with_pattern(&pattern);
    }
}

/// Sends an answer: `Ok(None)` when it arrived; with no connection it is kept on the
/// phone and sent when the connection returns (one per alert: a later answer replaces
/// it, and answering again is harmless), `Ok(Some(n))` with how many wait.
pub async fn send_answer(
    id: AlertId,
    input: AnswerInput,
    label: String,
) -> Result<Option<u32>, AppError> {
    match answer_alert(id.0, input.clone()).await {
        #[cfg(feature = "hydrate")]
        Err(AppError::Offline) => {
            let args = serde_json::json!({ "id": id.0, "input": &input });
            let key = format!("alert-answer-{}", id.0);
            crate::components::outbox::keep_json("alert/answer", &args, &key, &label)
                .await
                .map(Some)
                .ok_or(AppError::Offline)
        }
        r => {
            let _ = label;
            r.map(|()| None)
        }
    }
}

/// The three answer buttons; `done` runs after the answer arrived (kept on the phone
/// for want of a connection, the buttons stay and say so).
#[component]
pub fn AnswerButtons(id: AlertId, #[prop(into)] done: Callback<Answer>) -> impl IntoView {
    let kept = RwSignal::new(None::<u32>);
    let send = Submit::new(
        move |(answer, label): (Answer, String)| async move {
            let input = AnswerInput {
                answer,
                note: String::new(),
                lat: None,
                lng: None,
            };
            send_answer(id, input, label).await.map(|k| (answer, k))
        },
        move |(answer, k): (Answer, Option<u32>)| match k {
            None => done.run(answer),
            Some(n) => kept.set(Some(n)),
        },
    );
    let busy = send.busy_signal();
    view! {
        <div class="answers" role="group">
            {Answer::ALL.into_iter().map(|a| view! {
                <button type="button" class=format!("answer answer-{}", a.as_str())
                    disabled=busy data-test=format!("answer-{}", a.as_str())
                    on:click=move |_| send.submit(Ok((a, format!("{} · {}", tr(Msg::AlertBanner), tr(a.label())))))>
                    {move || tr(a.label())}
                </button>
            }).collect_view()}
        </div>
        <crate::components::outbox::SavedNote saved=kept />
        <crate::components::error::ErrorNote error=send.error() />
    }
}

#[component]
pub fn AlertBanner() -> impl IntoView {
    let session = use_session();
    let live = RwSignal::from(live_alert());
    let live_id = move || live.get().map(|a| a.id);
    // Answered or closed on this page; the server knows the rest.
    let hidden = RwSignal::new(Vec::<AlertId>::new());
    let inbox = Resource::new(
        move || (live_id(), session.version.get()),
        |_| async move { alert_inbox().await.unwrap_or_default() },
    );
    let reported = StoredValue::new(Vec::<AlertId>::new());
    // A new alert while the page is open: make the phone buzz.
    Effect::new(move |prev: Option<Option<AlertId>>| {
        let id = live_id();
        #[cfg(feature = "hydrate")]
        if id.is_some() && prev.is_some() && prev.flatten() != id {
            vibrate();
        }
        let _ = prev;
        id
    });
    let current = move || -> Option<InboxItem> {
        let now = now_ms();
        let hide = hidden.get();
        inbox.get()?.into_iter().find(|i| {
            i.answer.is_none()
                && i.alert.state(now) == AlertState::Active
                && !hide.contains(&i.alert.id)
        })
    };
    // Tell the server which alerts reached this page (delivered), once each.
    Effect::new(move |_| {
        let Some(items) = inbox.get() else { return };
        if session.get().is_none() {
            return;
        }
        let now = now_ms();
        let fresh: Vec<i64> = items
            .iter()
            .filter(|i| i.alert.state(now) == AlertState::Active)
            .map(|i| i.alert.id)
            .filter(|id| !reported.with_value(|r| r.contains(id)))
            .map(|id| id.0)
            .collect();
        if fresh.is_empty() {
            return;
        }
        reported.update_value(|r| r.extend(fresh.iter().map(|i| AlertId(*i))));
        leptos::task::spawn_local(async move {
            let _ = alerts_seen(fresh).await;
        });
    });
    view! {
        <Transition fallback=|| ()>
            {move || current().map(|item| {
                let a = item.alert;
                let id = a.id;
                let class = format!("alert-banner {}", severity_class(a.severity));
                let signed_in = session.get().is_some();
                let severity = a.severity.label();
                view! {
                    <section class=class role="alert" aria-live="assertive" data-test="alert-banner">
                        <p class="alert-kicker">
                            <span aria-hidden="true">"⚠ "</span>
                            {move || tr(Msg::AlertBanner)} " · " {move || tr(severity)}
                            " · " {format_cst(a.sent_at)}
                        </p>
                        <h2 data-test="alert-title">{a.title.clone()}</h2>
                        <p class="alert-body">{a.body.clone()}</p>
                        {if signed_in {
                            view! {
                                <AnswerButtons id=id done=Callback::new(move |_| hidden.update(|h| h.push(id))) />
                            }.into_any()
                        } else {
                            view! { <p><A href="/login">{move || tr(Msg::AlertSignInToAnswer)}</A></p> }.into_any()
                        }}
                        <p class="alert-links">
                            <A href=format!("/alerts/{}", id.0)>{move || tr(Msg::ViewDetails)}</A>
                            <button type="button" class="link" data-test="alert-dismiss"
                                on:click=move |_| hidden.update(|h| h.push(id))>
                                {move || tr(Msg::Close)}
                            </button>
                        </p>
                    </section>
                }
            })}
        </Transition>
    }
}
