//! One ticket: photos, timeline and the steps this person may take.
use super::{StatusBadge, due_text, loading};
use crate::api::ticket::fetch_ticket;
use crate::components::call::{CallButton, Callee};
use crate::components::error::ErrorNote;
use crate::components::form::SubmitButton;
use crate::components::live::ticket_changes;
use crate::components::upload::{PhotoForm, PhotoFormStatus, PhotoPicker};
use crate::domain::AppError;
use crate::domain::ticket::{
    EventKind, PHOTOS_MAX, PhotoRef, TicketAction, TicketDetail, TicketKind,
};
use crate::domain::time::format_cst;
use crate::i18n::Msg;
use crate::providers::lang::use_lang;
use crate::providers::tr;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn TicketPage() -> impl IntoView {
    let params = use_params_map();
    let version = RwSignal::new(0u32);
    let changes = ticket_changes();
    let detail = Resource::new(
        move || {
            (
                params.read().get("id").and_then(|s| s.parse::<i64>().ok()),
                version.get(),
                changes.get(),
            )
        },
        |(id, _, _)| async move {
            match id {
                Some(id) => fetch_ticket(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <section class="page narrow">
            <Transition fallback=loading>
                {move || detail.get().map(|r| match r {
                    Ok(d) => view! { <TicketView d=d version=version /> }.into_any(),
                    Err(e) => view! { <ErrorNote error=Signal::derive(move || Some(e.clone())) /> }.into_any(),
                })}
            </Transition>
        </section>
    }
}

/// Thumbnails that open the display copy full screen when tapped.
#[component]
fn Photos(photos: Vec<PhotoRef>, enlarged: RwSignal<Option<String>>) -> impl IntoView {
    view! {
        <ul class="thumbs" data-test="photos">
            {photos.into_iter().map(|p| {
                let key = p.key.clone();
                view! {
                    <li>
                        <button type="button" class="thumb-button" on:click=move |_| enlarged.set(Some(key.clone()))
                            aria-label=move || tr(Msg::Enlarge)>
                            <img src=format!("/photos/{}.jpg", p.thumb) alt="" loading="lazy" width="160" />
                        </button>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

#[component]
fn TicketView(d: TicketDetail, version: RwSignal<u32>) -> impl IntoView {
    let lang = use_lang();
    let s = d.summary.clone();
    let enlarged = RwSignal::new(None::<String>);
    // The countdown ticks in the browser; the server's clock anchors it.
    let now = RwSignal::new(d.now_ms);
    #[cfg(feature = "hydrate")]
    {
        let offset = js_sys::Date::now() as i64 - d.now_ms;
        if let Ok(h) = set_interval_with_handle(
            move || now.set(js_sys::Date::now() as i64 - offset),
            std::time::Duration::from_secs(1),
        ) {
            on_cleanup(move || h.clear());
        }
    }
    let deadline = s.due_in_ms.map(|due| d.now_ms + due);
    let s2 = s.clone();
    let emergency = s.emergency.then_some(d.deadlines);
    let timeline = d.timeline.clone();
    view! {
        <article class="card ticket" data-test="ticket">
            <p class="muted">{format!("#{} · {}", s.id.0, format_cst(s.created_ms))}</p>
            <h1>{move || s2.category(lang.get()).to_owned()}</h1>
            <p><StatusBadge status=s.status /></p>
            {emergency.map(|dl| view! {
                <p class="chip danger" data-test="emergency">
                    {move || Msg::EmergencyRule.text(lang.get())
                        .replace("{a}", &dl.accept_min.to_string())
                        .replace("{o}", &dl.on_site_min.unwrap_or_default().to_string())}
                </p>
            })}
            {move || deadline.and_then(|t| due_text(Some(t - now.get()), lang.get())).map(|(text, late)| view! {
                <p class="due" class:late=late data-test="due">{text}</p>
            })}
            <p class="desc" data-test="description">{s.description.clone()}</p>
            <dl class="facts">
                {s.grid_name.clone().map(|g| view! { <dt>{move || tr(Msg::LevelGrid)}</dt><dd>{g}</dd> })}
                {d.community_name.clone().map(|g| view! { <dt>{move || tr(Msg::Community)}</dt><dd>{g}</dd> })}
                {d.reporter.clone().map(|g| view! {
                    <dt>{move || tr(Msg::Reporter)}</dt>
                    <dd data-test="reporter">
                        {g} " "
                        {d.handler.then(|| view! { <CallButton who=Callee::Reporter(d.summary.id) /> })}
                    </dd>
                })}
                {d.assignee.clone().map(|g| view! { <dt>{move || tr(Msg::Assignee)}</dt><dd>{g}</dd> })}
                {d.parties.clone().map(|g| view! { <dt>{move || tr(Msg::Parties)}</dt><dd>{g}</dd> })}
                {d.mediator.clone().map(|g| view! { <dt>{move || tr(Msg::Mediator)}</dt><dd>{g}</dd> })}
                {d.agreement.clone().map(|g| view! { <dt>{move || tr(Msg::Agreement)}</dt><dd>{g}</dd> })}
                {d.duplicate_of.map(|o| view! {
                    <dt>{move || tr(Msg::DuplicateOf)}</dt>
                    <dd><a href=format!("/tickets/{}", o.0)>{format!("#{}", o.0)}</a></dd>
                })}
            </dl>
            <Photos photos=d.photos.clone() enlarged=enlarged />
        </article>
        <Steps d=d.clone() version=version />
        <section class="card">
            <h2>{move || tr(Msg::Timeline)}</h2>
            <ol class="timeline" data-test="timeline">
                {timeline.into_iter().map(|e| {
                    let label = e.kind.label();
                    view! {
                        <li>
                            <p>
                                <strong>{move || tr(label)}</strong>
                                " · " <StatusBadge status=e.status />
                            </p>
                            <p class="muted small">
                                {format_cst(e.at_ms)}
                                {e.actor.clone().map(|a| format!(" · {a}"))}
                            </p>
                            {(!e.note.is_empty()).then(|| view! { <p>{e.note.clone()}</p> })}
                            // The report's own photos are shown above.
                            {(e.kind != EventKind::Created).then(|| view! { <Photos photos=e.photos.clone() enlarged=enlarged /> })}
                        </li>
                    }
                }).collect_view()}
            </ol>
        </section>
        {move || enlarged.get().map(|k| view! {
            <div class="lightbox" role="dialog" aria-modal="true" aria-label=move || tr(Msg::Enlarge)
                on:click=move |_| enlarged.set(None) data-test="lightbox">
                <img src=format!("/photos/{k}.jpg") alt="" />
                <button type="button" class="secondary" on:click=move |_| enlarged.set(None)>{move || tr(Msg::Close)}</button>
            </div>
        })}
    }
}

/// The steps this person may take now, each opening a small form.
#[component]
fn Steps(d: TicketDetail, version: RwSignal<u32>) -> impl IntoView {
    let open = RwSignal::new(None::<TicketAction>);
    let note = RwSignal::new(String::new());
    let duplicate_of = RwSignal::new(String::new());
    let form = PhotoForm::new(move |_| {
        open.set(None);
        note.set(String::new());
        version.update(|v| *v += 1);
    });
    let id = d.summary.id.0;
    let kind = d.summary.kind;
    if d.actions.is_empty() {
        return ().into_any();
    }
    let go = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(action) = open.get_untracked() else {
            return;
        };
        let fields = vec![
            ("action", action.as_str().to_owned()),
            ("note", note.get_untracked()),
            ("duplicate_of", duplicate_of.get_untracked()),
        ];
        form.send(format!("/api/tickets/{id}/act"), Ok(fields));
    };
    view! {
        <section class="card" data-test="steps">
            <div class="actions">
                {d.actions.iter().copied().map(|a| view! {
                    <button type="button" class=if matches!(a, TicketAction::Reject | TicketAction::Reopen | TicketAction::MarkDuplicate) { "secondary" } else { "primary" }
                        aria-pressed=move || (open.get() == Some(a)).to_string()
                        on:click=move |_| { form.clear(); open.set(Some(a)) }
                        data-test=format!("act-{}", a.as_str())>
                        {move || tr(a.label())}
                    </button>
                }).collect_view()}
            </div>
            {move || open.get().map(|a| {
                let needs_photo = a == TicketAction::Resolve && kind == TicketKind::Problem;
                let note_label = match (a, kind) {
                    (TicketAction::Resolve, TicketKind::Mediation) => Msg::Agreement,
                    (TicketAction::Reject | TicketAction::Reopen, _) => Msg::Reason,
                    _ => Msg::Note,
                };
                view! {
                    <form class="form" on:submit=go data-test="step-form">
                        <label>
                            {move || tr(note_label)}
                            <textarea rows="3" maxlength="500" data-test="note"
                                on:input=move |ev| note.set(event_target_value(&ev)) prop:value=note></textarea>
                        </label>
                        <Show when=move || a == TicketAction::MarkDuplicate>
                            <label>
                                {move || tr(Msg::DuplicateOf)}
                                <input type="number" inputmode="numeric" min="1" data-test="duplicate-of"
                                    on:input=move |ev| duplicate_of.set(event_target_value(&ev)) prop:value=duplicate_of />
                            </label>
                        </Show>
                        <Show when=move || a == TicketAction::Resolve>
                            <fieldset>
                                <legend>{move || tr(if needs_photo { Msg::AfterPhoto } else { Msg::Photos })}</legend>
                                <PhotoPicker photos=form.photos max=PHOTOS_MAX />
                            </fieldset>
                        </Show>
                        <PhotoFormStatus form=form />
                        <SubmitButton busy=form.busy_signal() label=form.label(a.label()) attr:data-test="step-submit" />
                    </form>
                }
            })}
        </section>
    }
    .into_any()
}
