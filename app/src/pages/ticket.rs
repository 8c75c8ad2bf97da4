//! Ticket pages: report a problem (category, description, place, photos), the lists
//! (my reports; a worker's queue, soonest deadline first; the board with filters),
//! one ticket with photos, timeline and the steps this person may take, and the
//! admin's categories. Lists and pages refetch when any ticket changes (SSE).
use crate::api::grid::{get_map_config, list_grids, locate_grid};
use crate::api::ticket::{fetch_ticket, list_categories, my_tickets, save_category, ticket_queue};
use crate::components::error::ErrorNote;
use crate::components::live::ticket_changes;
use crate::components::map::{GridMap, status_colour};
use crate::components::upload::{PhotoPicker, Progress, new_key, photo_list, send_form};
use crate::domain::AppError;
use crate::domain::geo::LatLng;
use crate::domain::grid::{Duty, GridId, GridLevel};
use crate::domain::ticket::{
    Category, CategoryInput, Escalation, EventKind, PHOTOS_MAX, PhotoRef, TicketAction,
    TicketDetail, TicketFilter, TicketKind, TicketStatus, TicketSummary,
};
use crate::domain::time::{format_cst, format_span};
use crate::domain::user::Role;
use crate::i18n::{Lang, Msg};
use crate::providers::lang::use_lang;
use crate::providers::session::use_session;
use crate::providers::tr;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

fn loading() -> impl IntoView {
    view! { <p>{move || tr(Msg::Loading)}</p> }
}

/// Shown instead of a form to someone not signed in.
#[component]
fn SignInFirst() -> impl IntoView {
    view! {
        <p class="card">
            {move || tr(Msg::ErrUnauthorized)} " "
            <A href="/login">{move || tr(Msg::Login)}</A>
        </p>
    }
}

/// A status as a coloured badge.
#[component]
fn StatusBadge(status: TicketStatus) -> impl IntoView {
    let style = format!("background:{}", status_colour(status));
    let label = status.label();
    view! { <span class="badge" style=style data-test="status" data-status=status.as_str()>{move || tr(label)}</span> }
}

/// "2 小时后到期" / "已超时 5 分钟", or nothing for finished tickets.
fn due_text(due_in_ms: Option<i64>, lang: Lang) -> Option<(String, bool)> {
    let d = due_in_ms?;
    let span = format_span(d, lang);
    Some(if d >= 0 {
        (Msg::DueIn.text(lang).replace("{t}", &span), false)
    } else {
        (Msg::Overdue.text(lang).replace("{t}", &span), true)
    })
}

/// A photo picker: up to `max` photos, each shrunk in the browser right away, shown
/// as removable thumbnails.
#[component]
pub fn ReportPage() -> impl IntoView {
    let session = use_session();
    view! {
        <section class="page narrow">
            <h1>{move || tr(Msg::ReportTitle)}</h1>
            {move || match session.get() {
                Some(_) => view! { <ReportForm /> }.into_any(),
                None => view! { <SignInFirst /> }.into_any(),
            }}
        </section>
    }
}

#[component]
fn ReportForm() -> impl IntoView {
    let lang = use_lang();
    let categories = Resource::new(|| (), |_| list_categories(false));
    let grids = Resource::new(|| (), |_| list_grids());
    let config = Resource::new(|| (), |_| get_map_config());
    let category = RwSignal::new(None::<i64>);
    let description = RwSignal::new(String::new());
    let parties = RwSignal::new(String::new());
    let pin = RwSignal::new(None::<LatLng>);
    let photos = photo_list();
    let progress = RwSignal::new(None::<f64>);
    let error = RwSignal::new(None::<AppError>);
    let offline = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let locating = RwSignal::new(false);
    // Kept across retries so a submit that did arrive is not made twice.
    let key = StoredValue::new(new_key());
    let navigate = leptos_router::hooks::use_navigate();
    let kind = move || {
        let id = category.get()?;
        categories
            .get()
            .and_then(|r| r.ok())
            .and_then(|cs| cs.into_iter().find(|c| c.id == id))
            .map(|c| c.kind)
    };
    let place = Resource::new(
        move || pin.get(),
        |p| async move {
            match p {
                Some(p) => locate_grid(p.lat, p.lng)
                    .await
                    .ok()
                    .flatten()
                    .map(|g| g.name),
                None => None,
            }
        },
    );
    let use_gps = move |_| {
        locating.set(true);
        #[cfg(feature = "hydrate")]
        crate::pages::grid::geolocate(move |pos| {
            locating.set(false);
            match pos {
                Some((lat, lng)) => pin.set(Some(LatLng::new(lat, lng))),
                None => error.set(Some(AppError::invalid("location", Msg::LocateFailed))),
            }
        });
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        error.set(None);
        offline.set(false);
        let Some(cat) = category.get_untracked() else {
            error.set(Some(AppError::invalid("category", Msg::ErrCategory)));
            return;
        };
        let Some(at) = pin.get_untracked() else {
            error.set(Some(AppError::invalid("location", Msg::ErrLocation)));
            return;
        };
        let fields = vec![
            ("category", cat.to_string()),
            ("description", description.get_untracked()),
            ("parties", parties.get_untracked()),
            ("lat", at.lat.to_string()),
            ("lng", at.lng.to_string()),
            ("idempotency_key", key.get_value()),
        ];
        let files = photos.get_untracked();
        busy.set(true);
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            let r = send_form("/api/tickets".into(), fields, files, progress).await;
            busy.set(false);
            match r {
                Ok(v) => {
                    key.set_value(new_key());
                    let id = v["id"].as_i64().unwrap_or_default();
                    navigate(&format!("/tickets/{id}"), Default::default());
                }
                Err(None) => offline.set(true),
                Err(Some(e)) => error.set(Some(e)),
            }
        });
    };
    view! {
        <form class="form" on:submit=submit data-test="report-form">
            <label>
                {move || tr(Msg::Category)}
                <Transition fallback=loading>
                    <select
                        required
                        data-test="category"
                        on:change=move |ev| category.set(event_target_value(&ev).parse().ok())
                    >
                        <option value="">{move || tr(Msg::ChooseCategory)}</option>
                        {move || categories.get().and_then(|r| r.ok()).map(|cs| {
                            TicketKind::ALL.into_iter().map(|k| {
                                let group: Vec<Category> = cs.iter().filter(|c| c.kind == k).cloned().collect();
                                view! {
                                    <optgroup label=move || tr(k.label())>
                                        {group.into_iter().map(|c| {
                                            let c2 = c.clone();
                                            view! { <option value=c.id.to_string()>{move || c2.name(lang.get()).to_owned()}</option> }
                                        }).collect_view()}
                                    </optgroup>
                                }
                            }).collect_view()
                        })}
                    </select>
                </Transition>
            </label>
            <label>
                {move || tr(Msg::Description)}
                <textarea
                    rows="4"
                    maxlength="500"
                    required
                    data-test="description"
                    placeholder=move || tr(Msg::DescriptionHint)
                    on:input=move |ev| description.set(event_target_value(&ev))
                    prop:value=description
                ></textarea>
            </label>
            // Reads of a resource sit in a Transition of their own (one under the page's
            // Transition would rebuild this form when it resolves).
            <Transition fallback=|| ()>
                <Show when=move || kind() == Some(TicketKind::Mediation)>
                    <label>
                        {move || tr(Msg::Parties)}
                        <input type="text" maxlength="200" data-test="parties"
                            placeholder=move || tr(Msg::PartiesHint)
                            on:input=move |ev| parties.set(event_target_value(&ev)) prop:value=parties />
                    </label>
                </Show>
            </Transition>
            <fieldset>
                <legend>{move || tr(Msg::Location)}</legend>
                <button type="button" class="secondary" on:click=use_gps disabled=locating data-test="use-gps">
                    {move || if locating.get() { tr(Msg::Locating) } else { tr(Msg::UseMyLocation) }}
                </button>
                <p class="muted">{move || tr(Msg::PinOnMap)}</p>
                <Transition fallback=loading>
                    {move || {
                        let (Some(Ok(gs)), Some(Ok(cfg))) = (grids.get(), config.get()) else { return None };
                        Some(view! {
                            <GridMap grids=gs config=cfg selected=Signal::derive(|| None::<GridId>)
                                on_select=Callback::new(|_| ()) pin=pin />
                        })
                    }}
                </Transition>
                <p data-test="place" role="status">
                    <Transition fallback=|| ()>
                        {move || pin.get().map(|p| {
                            let grid = place.get().flatten().unwrap_or_else(|| tr(Msg::OutsideGrids).to_owned());
                            format!("{}{:.5}, {:.5} · {}", tr(Msg::LocationSet), p.lat, p.lng, grid)
                        })}
                    </Transition>
                </p>
            </fieldset>
            <fieldset>
                <legend>{move || tr(Msg::Photos)}</legend>
                <p class="muted"><Transition fallback=|| ()>{move || if kind() == Some(TicketKind::Problem) { tr(Msg::PhotosNeeded) } else { tr(Msg::PhotosOptional) }}</Transition></p>
                <PhotoPicker photos=photos max=PHOTOS_MAX />
            </fieldset>
            <Progress progress=progress />
            <ErrorNote error=error />
            <Show when=move || offline.get()>
                <p class="error" role="alert" data-test="offline">{move || tr(Msg::UploadFailed)}</p>
            </Show>
            <button type="submit" class="primary" disabled=busy data-test="submit">
                {move || if busy.get() { tr(Msg::Working) } else if offline.get() { tr(Msg::Retry) } else { tr(Msg::Submit) }}
            </button>
        </form>
    }
}

/// One line of a list: a link card.
#[component]
fn TicketLine(t: TicketSummary) -> impl IntoView {
    let lang = use_lang();
    let href = format!("/tickets/{}", t.id.0);
    let t2 = t.clone();
    let due = t.due_in_ms;
    view! {
        <li>
            <a class="ticket-line" href=href data-test="ticket-line" data-id=t.id.0.to_string()>
                {t.thumb.clone().map(|k| view! { <img class="thumb" src=format!("/photos/{k}.jpg") alt="" loading="lazy" /> })}
                <div class="ticket-text">
                    <div class="ticket-head">
                        <StatusBadge status=t.status />
                        <strong>{move || t2.category(lang.get()).to_owned()}</strong>
                        <Show when=move || t.emergency><span class="chip danger">{move || tr(Msg::Emergency)}</span></Show>
                    </div>
                    <p class="desc">{t.description.clone()}</p>
                    <p class="muted small">
                        {format!("#{} · {}", t.id.0, format_cst(t.created_ms))}
                        {t.grid_name.clone().map(|g| format!(" · {g}"))}
                    </p>
                    {move || due_text(due, lang.get()).map(|(text, late)| view! {
                        <p class="due" class:late=late>{text}</p>
                    })}
                    {match t.escalation {
                        Escalation::None => None,
                        e => Some(view! { <p class="chip danger">{move || tr(EventKind::Escalated(e).label())}</p> }),
                    }}
                </div>
            </a>
        </li>
    }
}

#[component]
fn TicketList(list: Vec<TicketSummary>) -> impl IntoView {
    if list.is_empty() {
        return view! { <p class="muted" data-test="empty">{move || tr(Msg::NoTickets)}</p> }
            .into_any();
    }
    view! {
        <ul class="ticket-list" data-test="ticket-list">
            {list.into_iter().map(|t| view! { <TicketLine t=t /> }).collect_view()}
        </ul>
    }
    .into_any()
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Tab {
    Queue,
    Board,
    Mine,
}

#[component]
pub fn TicketsPage() -> impl IntoView {
    let session = use_session();
    view! {
        <section class="page">
            <div class="toolbar">
                <h1>{move || tr(Msg::NavTickets)}</h1>
                <A href="/report" attr:class="button primary" attr:data-test="new-report">{move || tr(Msg::NavReport)}</A>
            </div>
            {move || match session.get() {
                Some(u) => {
                    let works = matches!(u.role, Role::GridWorker | Role::Director | Role::Admin);
                    view! { <TicketTabs works=works /> }.into_any()
                }
                None => view! { <SignInFirst /> }.into_any(),
            }}
        </section>
    }
}

#[component]
fn TicketTabs(works: bool) -> impl IntoView {
    let tab = RwSignal::new(if works { Tab::Queue } else { Tab::Mine });
    let status = RwSignal::new(None::<TicketStatus>);
    let overdue = RwSignal::new(false);
    let changes = ticket_changes();
    let list = Resource::new(
        move || (tab.get(), status.get(), overdue.get(), changes.get()),
        |(tab, status, overdue, _)| async move {
            match tab {
                Tab::Mine => my_tickets().await,
                Tab::Queue => {
                    ticket_queue(TicketFilter {
                        open_only: true,
                        ..TicketFilter::default()
                    })
                    .await
                }
                Tab::Board => {
                    ticket_queue(TicketFilter {
                        status,
                        overdue,
                        ..TicketFilter::default()
                    })
                    .await
                }
            }
        },
    );
    let tab_button = move |t: Tab, label: Msg, test: &'static str| {
        view! {
            <button type="button" aria-pressed=move || (tab.get() == t).to_string()
                on:click=move |_| tab.set(t) data-test=test>{move || tr(label)}</button>
        }
    };
    view! {
        <Show when=move || works>
            <div class="segmented" role="group">
                {tab_button(Tab::Queue, Msg::TabQueue, "tab-queue")}
                {tab_button(Tab::Board, Msg::TabBoard, "tab-board")}
                {tab_button(Tab::Mine, Msg::TabMine, "tab-mine")}
            </div>
        </Show>
        <Show when=move || tab.get() == Tab::Board>
            <div class="filters">
                <label>
                    {move || tr(Msg::FilterStatus)}
                    <select on:change=move |ev| status.set(TicketStatus::parse(&event_target_value(&ev))) data-test="filter-status">
                        <option value="">{move || tr(Msg::FilterAll)}</option>
                        {TicketStatus::ALL.into_iter().map(|s| view! {
                            <option value=s.as_str()>{move || tr(s.label())}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label class="check">
                    <input type="checkbox" on:change=move |ev| overdue.set(event_target_checked(&ev)) data-test="filter-overdue" />
                    {move || tr(Msg::FilterOverdue)}
                </label>
            </div>
        </Show>
        <Transition fallback=loading>
            {move || list.get().map(|r| match r {
                Ok(l) => view! { <TicketList list=l /> }.into_any(),
                Err(e) => view! { <ErrorNote error=Signal::derive(move || Some(e.clone())) /> }.into_any(),
            })}
        </Transition>
    }
}

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
                {d.reporter.clone().map(|g| view! { <dt>{move || tr(Msg::Reporter)}</dt><dd data-test="reporter">{g}</dd> })}
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
    let photos = photo_list();
    let progress = RwSignal::new(None::<f64>);
    let error = RwSignal::new(None::<AppError>);
    let offline = RwSignal::new(false);
    let busy = RwSignal::new(false);
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
        error.set(None);
        offline.set(false);
        busy.set(true);
        let fields = vec![
            ("action", action.as_str().to_owned()),
            ("note", note.get_untracked()),
            ("duplicate_of", duplicate_of.get_untracked()),
        ];
        let files = photos.get_untracked();
        leptos::task::spawn_local(async move {
            let r = send_form(format!("/api/tickets/{id}/act"), fields, files, progress).await;
            busy.set(false);
            match r {
                Ok(_) => {
                    open.set(None);
                    note.set(String::new());
                    photos.set(vec![]);
                    version.update(|v| *v += 1);
                }
                Err(None) => offline.set(true),
                Err(Some(e)) => error.set(Some(e)),
            }
        });
    };
    view! {
        <section class="card" data-test="steps">
            <div class="actions">
                {d.actions.iter().copied().map(|a| view! {
                    <button type="button" class=if matches!(a, TicketAction::Reject | TicketAction::Reopen | TicketAction::MarkDuplicate) { "secondary" } else { "primary" }
                        aria-pressed=move || (open.get() == Some(a)).to_string()
                        on:click=move |_| { error.set(None); open.set(Some(a)) }
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
                                <PhotoPicker photos=photos max=PHOTOS_MAX />
                            </fieldset>
                        </Show>
                        <Progress progress=progress />
                        <ErrorNote error=error />
                        <Show when=move || offline.get()>
                            <p class="error" role="alert">{move || tr(Msg::UploadFailed)}</p>
                        </Show>
                        <button type="submit" class="primary" disabled=busy data-test="step-submit">
                            {move || if busy.get() { tr(Msg::Working) } else if offline.get() { tr(Msg::Retry) } else { tr(a.label()) }}
                        </button>
                    </form>
                }
            })}
        </section>
    }
    .into_any()
}

#[component]
pub fn CategoryAdminPage() -> impl IntoView {
    let session = use_session();
    view! {
        <section class="page narrow">
            <h1>{move || tr(Msg::AdminCategories)}</h1>
            <p><A href="/admin/grids">{move || tr(Msg::AdminGrids)}</A></p>
            {move || match session.get() {
                Some(u) if matches!(u.role, Role::Admin | Role::Director) => view! { <CategoryEditor admin=u.role == Role::Admin /> }.into_any(),
                Some(_) => view! { <p class="error" role="alert">{move || tr(Msg::ErrForbidden)}</p> }.into_any(),
                None => view! { <SignInFirst /> }.into_any(),
            }}
        </section>
    }
}

/// Minutes typed in a number field; 0 (refused by the rules) when not a number.
fn minutes(s: &str) -> i64 {
    s.trim().parse().unwrap_or(0)
}

fn blank_category() -> CategoryInput {
    CategoryInput {
        id: None,
        code: String::new(),
        name_zh: String::new(),
        name_en: String::new(),
        kind: TicketKind::Problem,
        duty: Duty::Leader,
        accept_min: 60,
        on_site_min: None,
        resolve_min: 1440,
        community: None,
        active: true,
    }
}

#[component]
fn CategoryEditor(admin: bool) -> impl IntoView {
    let lang = use_lang();
    let version = RwSignal::new(0u32);
    let list = Resource::new(move || version.get(), |_| list_categories(true));
    let grids = Resource::new(|| (), |_| list_grids());
    let form = RwSignal::new(None::<CategoryInput>);
    let error = RwSignal::new(None::<AppError>);
    let saved = RwSignal::new(false);
    let save = Action::new(move |c: &CategoryInput| {
        let c = c.clone();
        async move { save_category(c).await }
    });
    Effect::new(move |_| {
        if let Some(r) = save.value().get() {
            match r {
                Ok(_) => {
                    form.set(None);
                    saved.set(true);
                    version.update(|v| *v += 1);
                }
                Err(e) => error.set(Some(e)),
            }
        }
    });
    let edit = move |c: Option<Category>| {
        error.set(None);
        saved.set(false);
        form.set(Some(match c {
            Some(c) => CategoryInput {
                id: Some(c.id),
                code: c.code,
                name_zh: c.name_zh,
                name_en: c.name_en,
                kind: c.kind,
                duty: c.duty,
                accept_min: c.deadlines.accept_min,
                on_site_min: c.deadlines.on_site_min,
                resolve_min: c.deadlines.resolve_min,
                community: c.community,
                active: c.active,
            },
            None => {
                let mut b = blank_category();
                if !admin {
                    b.kind = TicketKind::Service;
                }
                b
            }
        }));
    };
    let set = move |f: fn(&mut CategoryInput, String)| {
        move |ev: leptos::ev::Event| {
            let v = event_target_value(&ev);
            form.update(|c| {
                if let Some(c) = c {
                    f(c, v);
                }
            });
        }
    };
    view! {
        <button type="button" class="primary" on:click=move |_| edit(None) data-test="new-category">{move || tr(Msg::NewCategory)}</button>
        <Show when=move || saved.get()><p class="ok" role="status">{move || tr(Msg::Saved)}</p></Show>
        <Transition fallback=|| ()>
        {move || form.get().map(|c| {
            let communities = grids.get().and_then(|r| r.ok()).unwrap_or_default()
                .into_iter().filter(|g| g.level == GridLevel::Community).collect::<Vec<_>>();
            view! {
                <form class="form card" data-test="category-form" on:submit=move |ev: leptos::ev::SubmitEvent| {
                    ev.prevent_default();
                    error.set(None);
                    if let Some(c) = form.get_untracked() {
                        save.dispatch(c);
                    }
                }>
                    <label>{move || tr(Msg::Code)}
                        <input type="text" required maxlength="32" prop:value=c.code.clone() on:input=set(|c, v| c.code = v) data-test="cat-code" /></label>
                    <label>{move || tr(Msg::NameZh)}
                        <input type="text" required maxlength="40" prop:value=c.name_zh.clone() on:input=set(|c, v| c.name_zh = v) data-test="cat-name-zh" /></label>
                    <label>{move || tr(Msg::NameEn)}
                        <input type="text" required maxlength="40" prop:value=c.name_en.clone() on:input=set(|c, v| c.name_en = v) data-test="cat-name-en" /></label>
                    <label>{move || tr(Msg::Kind)}
                        <select on:change=set(|c, v| c.kind = TicketKind::parse(&v).unwrap_or(c.kind)) data-test="cat-kind">
                            {TicketKind::ALL.into_iter().map(|k| view! {
                                <option value=k.as_str() selected=k == c.kind>{move || tr(k.label())}</option>
                            }).collect_view()}
                        </select></label>
                    <label>{move || tr(Msg::DutyField)}
                        <select on:change=set(|c, v| c.duty = Duty::parse(&v).unwrap_or(c.duty))>
                            {Duty::ALL.into_iter().map(|d| view! {
                                <option value=d.as_str() selected=d == c.duty>{move || tr(d.label())}</option>
                            }).collect_view()}
                        </select></label>
                    <label>{move || tr(Msg::AcceptMin)}
                        <input type="number" min="1" inputmode="numeric" prop:value=c.accept_min.to_string() on:input=set(|c, v| c.accept_min = minutes(&v)) data-test="cat-accept" /></label>
                    <label>{move || tr(Msg::OnSiteMin)}
                        <input type="number" min="1" inputmode="numeric" prop:value=c.on_site_min.map(|m| m.to_string()).unwrap_or_default()
                            on:input=set(|c, v| c.on_site_min = (!v.trim().is_empty()).then(|| minutes(&v))) /></label>
                    <label>{move || tr(Msg::ResolveMin)}
                        <input type="number" min="1" inputmode="numeric" prop:value=c.resolve_min.to_string() on:input=set(|c, v| c.resolve_min = minutes(&v)) data-test="cat-resolve" /></label>
                    <label>{move || tr(Msg::MenuOf)}
                        <select on:change=set(|c, v| c.community = v.parse().ok().map(GridId))>
                            <option value="" selected=c.community.is_none()>{move || tr(Msg::StreetWide)}</option>
                            {communities.into_iter().map(|g| view! {
                                <option value=g.id.0.to_string() selected=c.community == Some(g.id)>{g.name}</option>
                            }).collect_view()}
                        </select></label>
                    <label class="check">
                        <input type="checkbox" prop:checked=c.active on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            form.update(|c| if let Some(c) = c { c.active = on });
                        } />
                        {move || tr(Msg::Active)}
                    </label>
                    <ErrorNote error=error />
                    <button type="submit" class="primary" disabled=save.pending() data-test="cat-save">{move || tr(Msg::Save)}</button>
                </form>
            }
        })}
        </Transition>
        <Transition fallback=loading>
            {move || list.get().map(|r| match r {
                Ok(cs) => view! {
                    <ul class="plain category-list" data-test="categories">
                        {cs.into_iter().map(|c| {
                            let c2 = c.clone();
                            let dl = c.deadlines;
                            view! {
                                <li class:inactive=!c.active>
                                    <div>
                                        <strong>{move || c2.name(lang.get()).to_owned()}</strong>
                                        <span class="muted small">{format!(" {} · ", c.code)}{move || tr(c.kind.label())}{" · "}{move || tr(c.duty.label())}</span>
                                        <p class="muted small">{move || Msg::DeadlineLine.text(lang.get())
                                            .replace("{a}", &dl.accept_min.to_string())
                                            .replace("{r}", &dl.resolve_min.to_string())}</p>
                                    </div>
                                    <button type="button" class="secondary" on:click={
                                        let c = c.clone();
                                        move |_| edit(Some(c.clone()))
                                    }>{move || tr(Msg::Edit)}</button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any(),
                Err(e) => view! { <ErrorNote error=Signal::derive(move || Some(e.clone())) /> }.into_any(),
            })}
        </Transition>
    }
}
