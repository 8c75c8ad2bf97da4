//! One ticket: photos, timeline and the steps this person may take.
use super::{StatusBadge, due_text, loading};
use crate::api::ticket::fetch_ticket;
use crate::components::call::{CallButton, Callee};
use crate::components::elder::ReadAloud;
use crate::components::error::ErrorNote;
use crate::components::form::SubmitButton;
use crate::components::live::ticket_changes;
use crate::components::upload::{PhotoForm, PhotoFormStatus, PhotoPicker};
use crate::domain::AppError;
use crate::domain::ticket::{
    EventKind, PHOTOS_MAX, PhotoRef, Rating, TicketAction, TicketDetail, TicketKind, TicketStatus,
    TimelineEntry,
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
    // The open step form lives here, outside the Transition: a refetch (this person's
    // own step or anybody's change arriving over SSE) must not wipe what is being typed.
    let draft = StepDraft::new(version);
    let enlarged = RwSignal::new(None::<String>);
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
    // The steps offered change only when the ticket moves on: a refetch that brings the
    // same steps leaves their buttons and the open form in place (a tap is never lost
    // to a re-render). They need the browser's code, so they appear once it runs.
    let offered = Memo::new(move |_| detail.get().and_then(Result::ok).map(|d| Offered::of(&d)));
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    view! {
        <section class="page narrow">
            <Transition fallback=loading>
                {move || detail.get().map(|r| match r {
                    Ok(d) => view! { <TicketView d=d version=version enlarged=enlarged /> }.into_any(),
                    Err(e) => view! { <ErrorNote error=Signal::derive(move || Some(e.clone())) /> }.into_any(),
                })}
            </Transition>
            <Show when=move || hydrated.get()>
                <Steps offered=offered draft=draft />
            </Show>
            <Transition fallback=|| ()>
                {move || detail.get().and_then(Result::ok).map(|d| view! {
                    <Timeline entries=d.timeline enlarged=enlarged />
                })}
            </Transition>
            {move || enlarged.get().map(|k| view! {
                <div class="lightbox" role="dialog" aria-modal="true" aria-label=move || tr(Msg::Enlarge)
                    on:click=move |_| enlarged.set(None) data-test="lightbox">
                    <img src=format!("/photos/{k}.jpg") alt="" />
                    <button type="button" class="secondary" on:click=move |_| enlarged.set(None)>{move || tr(Msg::Close)}</button>
                </div>
            })}
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
fn TicketView(
    d: TicketDetail,
    version: RwSignal<u32>,
    enlarged: RwSignal<Option<String>>,
) -> impl IntoView {
    let lang = use_lang();
    let s = d.summary.clone();
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
            <ReadAloud text=s.description.clone() />
            {(d.reports > 1).then(|| {
                let n = d.reports.to_string();
                view! { <p class="chip" data-test="reports">{move || tr(Msg::Reports).replace("{n}", &n)}</p> }
            })}
            {d.following.then(|| view! { <p class="muted" data-test="following">{move || tr(Msg::Following)}</p> })}
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
                {d.proxy_for.clone().map(|(name, phone)| view! {
                    <dt>{move || tr(Msg::ProxyFor)}</dt>
                    <dd data-test="proxy-for">{move || tr(Msg::ProxyLine).replace("{name}", &name).replace("{phone}", &phone)}</dd>
                })}
                {d.assignee.clone().map(|g| view! { <dt>{move || tr(Msg::Assignee)}</dt><dd>{g}</dd> })}
                {d.parties.clone().map(|g| view! { <dt>{move || tr(Msg::Parties)}</dt><dd>{g}</dd> })}
                {d.mediator.clone().map(|g| view! { <dt>{move || tr(Msg::Mediator)}</dt><dd>{g}</dd> })}
                {d.agreement.clone().map(|g| view! { <dt>{move || tr(Msg::Agreement)}</dt><dd>{g}</dd> })}
                {d.outcome.map(|o| view! {
                    <dt>{move || tr(Msg::OutcomeField)}</dt>
                    <dd data-test="outcome" data-outcome=o.as_str()>{move || tr(o.label())}</dd>
                })}
                {d.rating.map(|r| view! {
                    <dt>{move || tr(Msg::RatingField)}</dt>
                    <dd data-test="rating" data-rating=r.as_str()>{move || tr(r.label())}</dd>
                })}
                {(d.rework > 0).then(|| view! {
                    <dt>{move || tr(Msg::Rework)}</dt>
                    <dd data-test="rework">{move || tr(Msg::ReworkCount).replace("{n}", &d.rework.to_string())}</dd>
                })}
                {d.duplicate_of.map(|o| view! {
                    <dt>{move || tr(Msg::DuplicateOf)}</dt>
                    <dd><a href=format!("/tickets/{}", o.0)>{format!("#{}", o.0)}</a></dd>
                })}
            </dl>
            <Photos photos=d.photos.clone() enlarged=enlarged />
        </article>
        {(s.status == TicketStatus::Checking).then(|| view! { <CheckView d=d.clone() enlarged=enlarged /> })}
        {[TicketAction::Rate, TicketAction::RecordRating].into_iter().filter(|a| d.actions.contains(a)).map(|a| view! {
            <RatePanel d=d.clone() action=a version=version />
        }).collect_view()}
    }
}

/// What happened, oldest first, with each step's photos.
#[component]
fn Timeline(entries: Vec<TimelineEntry>, enlarged: RwSignal<Option<String>>) -> impl IntoView {
    view! {
        <section class="card">
            <h2>{move || tr(Msg::Timeline)}</h2>
            <ol class="timeline" data-test="timeline">
                {entries.into_iter().map(|e| {
                    let label = e.kind.label();
                    let rated = match e.kind {
                        EventKind::Rated(r) => Some(r.label()),
                        _ => None,
                    };
                    view! {
                        <li>
                            <p>
                                <strong>{move || tr(label)}</strong>
                                {rated.map(|r| view! { <strong data-test="rated">{move || format!("：{}", tr(r))}</strong> })}
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
    }
}

/// While a fix waits for its check: before and after side by side, the check's
/// deadline, and what the handler claims.
#[component]
fn CheckView(d: TicketDetail, enlarged: RwSignal<Option<String>>) -> impl IntoView {
    let due = d.check_due_ms.map(format_cst);
    view! {
        <section class="card" data-test="check">
            <h2>{move || tr(Msg::CheckTitle)}</h2>
            {due.map(|t| view! { <p class="due" data-test="check-due">{move || tr(Msg::CheckDue).replace("{t}", &t)}</p> })}
            <div class="before-after">
                <figure data-test="check-before">
                    <figcaption>{move || tr(Msg::CheckBefore)}</figcaption>
                    <Photos photos=d.photos.clone() enlarged=enlarged />
                </figure>
                <figure data-test="check-after">
                    <figcaption>{move || tr(Msg::CheckAfter)}</figcaption>
                    <Photos photos=d.after.clone() enlarged=enlarged />
                </figure>
            </div>
        </section>
    }
}

/// 满意度回访: the reporter answers in one tap (a comment first, if they like); the
/// question lapses as "no answer" after a week. For 代报 (`RecordRating`) a staff
/// member who did not handle it calls the resident and taps their answer.
#[component]
fn RatePanel(d: TicketDetail, action: TicketAction, version: RwSignal<u32>) -> impl IntoView {
    let callback = action == TicketAction::RecordRating;
    let (title, hint) = if callback {
        (Msg::ActRecordRating, Msg::RecordRatingHint)
    } else {
        (Msg::RateAsk, Msg::RateHint)
    };
    let note = RwSignal::new(String::new());
    let form = PhotoForm::new(move |_| version.update(|v| *v += 1));
    let id = d.summary.id.0;
    let until = d.rating_until_ms.map(format_cst);
    let rate = move |r: Rating| {
        let fields = vec![
            ("action", action.as_str().to_owned()),
            ("rating", r.as_str().to_owned()),
            ("note", note.get_untracked()),
        ];
        form.send(format!("/api/tickets/{id}/act"), Ok(fields));
    };
    view! {
        <section class="card rate" data-test=if callback { "record-rating" } else { "rate" }>
            <h2>{move || tr(title)}</h2>
            <p class="muted">{move || tr(hint)}</p>
            {callback.then(|| view! { <p><CallButton who=Callee::Reporter(d.summary.id) /></p> })}
            {until.map(|t| view! { <p class="small muted" data-test="rate-until">{move || tr(Msg::RateUntil).replace("{t}", &t)}</p> })}
            <label>
                {move || tr(Msg::RateComment)}
                <textarea rows="2" maxlength="500" data-test="rate-note"
                    on:input=move |ev| note.set(event_target_value(&ev)) prop:value=note></textarea>
            </label>
            <div class="rate-buttons" role="group" aria-label=move || tr(title)>
                {Rating::ALL.into_iter().filter(|r| r.answered()).map(|r| view! {
                    <button type="button" class=if r.dissatisfied() { "secondary" } else { "primary" }
                        disabled=move || form.busy_signal().get()
                        on:click=move |_| rate(r) data-test=format!("rate-{}", r.as_str())>
                        {move || tr(r.label())}
                    </button>
                }).collect_view()}
            </div>
            <PhotoFormStatus form=form />
        </section>
    }
}

/// The step form being filled in: which step, its note, and the photos picked.
#[derive(Clone, Copy)]
struct StepDraft {
    open: RwSignal<Option<TicketAction>>,
    note: RwSignal<String>,
    duplicate_of: RwSignal<String>,
    form: PhotoForm,
}

impl StepDraft {
    fn new(version: RwSignal<u32>) -> Self {
        let open = RwSignal::new(None::<TicketAction>);
        let note = RwSignal::new(String::new());
        let duplicate_of = RwSignal::new(String::new());
        let form = PhotoForm::new(move |_| {
            open.set(None);
            note.set(String::new());
            duplicate_of.set(String::new());
            version.update(|v| *v += 1);
        });
        Self {
            open,
            note,
            duplicate_of,
            form,
        }
    }
}

/// The steps offered on this ticket: what the step buttons and form need.
#[derive(Clone, PartialEq)]
struct Offered {
    id: i64,
    kind: TicketKind,
    /// Without the rating, which has its own one-tap panel.
    actions: Vec<TicketAction>,
}

impl Offered {
    fn of(d: &TicketDetail) -> Self {
        Self {
            id: d.summary.id.0,
            kind: d.summary.kind,
            actions: d
                .actions
                .iter()
                .copied()
                .filter(|a| *a != TicketAction::Rate)
                .collect(),
        }
    }
}

/// The steps this person may take now, each opening a small form. Rendered once for
/// the page: buttons come and go with the steps offered, the form stays while its
/// step is still offered.
#[component]
fn Steps(offered: Memo<Option<Offered>>, draft: StepDraft) -> impl IntoView {
    let StepDraft {
        open,
        note,
        duplicate_of,
        form,
    } = draft;
    // Somebody else moved the ticket on, or this is another ticket: a form for a step
    // no longer offered closes.
    Effect::new(move |last: Option<Option<i64>>| {
        let now = offered.with(|o| o.as_ref().map(|o| o.id));
        let still = offered.with(|o| {
            o.as_ref()
                .is_some_and(|o| open.get_untracked().is_none_or(|a| o.actions.contains(&a)))
        });
        if !still || last.is_some_and(|l| l != now) {
            open.set(None);
        }
        now
    });
    let actions = Memo::new(move |_| {
        offered.with(|o| o.as_ref().map(|o| o.actions.clone()).unwrap_or_default())
    });
    let go = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (Some(action), Some(id)) = (
            open.get_untracked(),
            offered.with_untracked(|o| o.as_ref().map(|o| o.id)),
        ) else {
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
        <Show when=move || !actions.with(Vec::is_empty)>
            <section class="card" data-test="steps">
                <div class="actions">
                    <For each=move || actions.get() key=|a| a.as_str() let:a>
                        <button type="button" class=if matches!(a, TicketAction::Reject | TicketAction::Reopen | TicketAction::MarkDuplicate | TicketAction::NotOurs | TicketAction::FailCheck) { "secondary" } else { "primary" }
                            aria-pressed=move || (open.get() == Some(a)).to_string()
                            on:click=move |_| { form.clear(); open.set(Some(a)) }
                            data-test=format!("act-{}", a.as_str())>
                            {move || tr(a.label())}
                        </button>
                    </For>
                </div>
                {move || open.get().map(|a| {
                    let kind = offered.with_untracked(|o| o.as_ref().map(|o| o.kind));
                    let needs_photo = matches!(a, TicketAction::Resolve | TicketAction::ResolvePartly)
                        && kind == Some(TicketKind::Problem);
                    let with_photos = matches!(a, TicketAction::Resolve | TicketAction::ResolvePartly | TicketAction::PassCheck);
                    let note_label = match (a, kind) {
                        (TicketAction::Resolve, Some(TicketKind::Mediation)) => Msg::Agreement,
                        (TicketAction::ResolvePartly, _) => Msg::LeftToDo,
                        (TicketAction::NotOurs, _) => Msg::ResponsibleBody,
                        (TicketAction::Reject | TicketAction::Reopen | TicketAction::FailCheck, _) => Msg::Reason,
                        _ => Msg::Note,
                    };
                    let photo_label = match a {
                        TicketAction::PassCheck => Msg::OnSitePhoto,
                        _ if needs_photo => Msg::AfterPhoto,
                        _ => Msg::Photos,
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
                            <Show when=move || with_photos>
                                <fieldset>
                                    <legend>{move || tr(photo_label)}</legend>
                                    <PhotoPicker photos=form.photos max=PHOTOS_MAX />
                                </fieldset>
                            </Show>
                            <PhotoFormStatus form=form />
                            <SubmitButton busy=form.busy_signal() label=form.label(a.label()) attr:data-test="step-submit" />
                        </form>
                    }
                })}
            </section>
        </Show>
    }
}
