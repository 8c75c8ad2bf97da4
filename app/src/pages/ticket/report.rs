//! Reporting a problem: category, description, place and photos.
use super::{SignInFirst, StatusBadge, loading};
use crate::api::grid::{get_map_config, list_grids, locate_grid};
use crate::api::ticket::{follow_ticket, list_categories, nearby_tickets};
use crate::components::error::ErrorNote;
use crate::components::form::{Submit, SubmitButton};
use crate::components::map::GridMap;
use crate::components::upload::{PhotoForm, PhotoFormStatus, PhotoPicker, new_key};
use crate::domain::AppError;
use crate::domain::geo::LatLng;
use crate::domain::grid::GridId;
use crate::domain::ticket::{Category, Nearby, PHOTOS_MAX, TicketKind};
use crate::domain::time::format_cst;
use crate::domain::user::Role;
use crate::i18n::Msg;
use crate::providers::lang::use_lang;
use crate::providers::session::use_session;
use crate::providers::tr;
use leptos::prelude::*;

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
    // A problem from the work log arrives with its category, words and place filled in.
    let query = leptos_router::hooks::use_query_map();
    let asked = |k: &str| query.with_untracked(|q| q.get(k)).filter(|v| !v.is_empty());
    let worklog_problem = asked("worklog_problem").and_then(|v| v.parse::<i64>().ok());
    let category = RwSignal::new(asked("category").and_then(|v| v.parse::<i64>().ok()));
    let description = RwSignal::new(asked("description").unwrap_or_default());
    let parties = RwSignal::new(String::new());
    let proxy_name = RwSignal::new(String::new());
    let proxy_phone = RwSignal::new(String::new());
    let session = use_session();
    let staff = move || {
        session
            .get()
            .is_some_and(|u| matches!(u.role, Role::GridWorker | Role::Director | Role::Admin))
    };
    let pin = RwSignal::new(
        asked("lat")
            .zip(asked("lng"))
            .and_then(|(a, b)| Some(LatLng::new(a.parse().ok()?, b.parse().ok()?)))
            .filter(|p| p.is_valid()),
    );
    // Kept across retries so a submit that did arrive is not made twice.
    let key = StoredValue::new(new_key());
    let navigate = leptos_router::hooks::use_navigate();
    // With no signal, the report waits on the phone (with this key) and goes by
    // itself later; the form starts afresh for the next one.
    let form = PhotoForm::with_outbox(
        move |v| {
            key.set_value(new_key());
            let id = v["id"].as_i64().unwrap_or_default();
            navigate(&format!("/tickets/{id}"), Default::default());
        },
        move || {
            key.set_value(new_key());
            description.set(String::new());
            parties.set(String::new());
        },
        |fields| {
            let words = fields
                .iter()
                .find(|(k, _)| *k == "description")
                .map_or("", |(_, v)| v.as_str());
            words.chars().take(24).collect()
        },
    );
    // The location button's own failure, shown where the form's messages are.
    let gps_error = RwSignal::new(None::<AppError>);
    let locating = RwSignal::new(false);
    let kind = move || {
        let id = category.get()?;
        categories
            .get()
            .and_then(|r| r.ok())
            .and_then(|cs| cs.into_iter().find(|c| c.id == id))
            .map(|c| c.kind)
    };
    // The grid of the pin, with the pin it was found for: the line below says "finding
    // the grid" until the answer for the pin now on the map is in, never an old or a
    // guessed one.
    let place = Resource::new(
        move || pin.get(),
        |p| async move {
            let found = match p {
                Some(p) => Some(locate_grid(p.lat, p.lng).await.map(|g| g.map(|g| g.name))),
                None => None,
            };
            (p, found)
        },
    );
    let use_gps = move |_| {
        locating.set(true);
        gps_error.set(None);
        #[cfg(feature = "hydrate")]
        crate::pages::grid::geolocate(move |pos| {
            locating.set(false);
            match pos {
                Some((lat, lng)) => pin.set(Some(LatLng::new(lat, lng))),
                None => gps_error.set(Some(AppError::invalid("location", Msg::LocateFailed))),
            }
        });
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        gps_error.set(None);
        let fields = (|| {
            let cat = category
                .get_untracked()
                .ok_or_else(|| AppError::invalid("category", Msg::ErrCategory))?;
            let at = pin
                .get_untracked()
                .ok_or_else(|| AppError::invalid("location", Msg::ErrNoPlace))?;
            Ok(vec![
                ("category", cat.to_string()),
                ("description", description.get_untracked()),
                ("parties", parties.get_untracked()),
                ("lat", at.lat.to_string()),
                ("lng", at.lng.to_string()),
                ("idempotency_key", key.get_value()),
                ("proxy_name", proxy_name.get_untracked()),
                ("proxy_phone", proxy_phone.get_untracked()),
                (
                    "worklog_problem",
                    worklog_problem.map(|p| p.to_string()).unwrap_or_default(),
                ),
            ])
        })();
        form.send("/api/tickets".into(), fields);
    };
    view! {
        <crate::components::outbox::OutboxList />
        <form class="form" on:submit=submit data-test="report-form">
            {worklog_problem.map(|_| view! { <p class="chip" data-test="from-worklog">{move || tr(Msg::WlFromLog)}</p> })}
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
                                            let id = c.id;
                                            view! { <option value=id.to_string() selected=move || category.get() == Some(id)>{move || c2.name(lang.get()).to_owned()}</option> }
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
                            let grid = match place.get() {
                                Some((at, Some(found))) if at == Some(p) => match found {
                                    Ok(Some(name)) => name,
                                    Ok(None) => tr(Msg::OutsideGrids).to_owned(),
                                    Err(_) => tr(Msg::GridUnknown).to_owned(),
                                },
                                _ => tr(Msg::FindingGrid).to_owned(),
                            };
                            format!("{}{:.5}, {:.5} · {}", tr(Msg::LocationSet), p.lat, p.lng, grid)
                        })}
                    </Transition>
                </p>
            </fieldset>
            <NearbyOffer category=category pin=pin />
            <Show when=staff>
                <fieldset data-test="proxy">
                    <legend>{move || tr(Msg::ProxyFor)}</legend>
                    <p class="muted small">{move || tr(Msg::ProxyHint)}</p>
                    <label>{move || tr(Msg::ProxyPhone)}
                        <input type="tel" inputmode="tel" maxlength="20" autocomplete="off" data-test="proxy-phone"
                            on:input=move |ev| proxy_phone.set(event_target_value(&ev)) prop:value=proxy_phone /></label>
                    <label>{move || tr(Msg::ProxyName)}
                        <input type="text" maxlength="20" autocomplete="off" data-test="proxy-name"
                            on:input=move |ev| proxy_name.set(event_target_value(&ev)) prop:value=proxy_name /></label>
                </fieldset>
            </Show>
            <fieldset>
                <legend>{move || tr(Msg::Photos)}</legend>
                <p class="muted"><Transition fallback=|| ()>{move || if kind() == Some(TicketKind::Problem) { tr(Msg::PhotosNeeded) } else { tr(Msg::PhotosOptional) }}</Transition></p>
                <PhotoPicker photos=form.photos max=PHOTOS_MAX />
            </fieldset>
            <ErrorNote error=gps_error />
            <PhotoFormStatus form=form />
            <SubmitButton busy=form.busy_signal() label=form.label(Msg::Submit) attr:data-test="submit" />
        </form>
    }
}

/// Once the place and a problem's category are set: open tickets of that category
/// within 50 m, with their photo large, and "就是这个" to follow one instead of
/// reporting it again (reporting anyway stays possible: the form goes on below).
#[component]
fn NearbyOffer(category: RwSignal<Option<i64>>, pin: RwSignal<Option<LatLng>>) -> impl IntoView {
    let lang = use_lang();
    let nearby = Resource::new(
        move || (category.get(), pin.get()),
        |(c, p)| async move {
            match (c, p) {
                (Some(c), Some(p)) => nearby_tickets(c, p.lat, p.lng).await.unwrap_or_default(),
                _ => vec![],
            }
        },
    );
    let navigate = leptos_router::hooks::use_navigate();
    let follow = Submit::new(
        |id: i64| async move { follow_ticket(id).await.map(|_| id) },
        move |id| navigate(&format!("/tickets/{id}"), Default::default()),
    );
    view! {
        <Transition fallback=|| ()>
            {move || nearby.get().filter(|n| !n.is_empty()).map(|list: Vec<Nearby>| view! {
                <section class="nearby" data-test="nearby" aria-labelledby="nearby-title">
                    <h2 id="nearby-title">{move || tr(Msg::NearbyTitle)}</h2>
                    <p class="muted">{move || tr(Msg::NearbyHint)}</p>
                    <ul class="nearby-list">
                        {list.into_iter().map(|n| {
                            let id = n.id.0;
                            let line = (n.distance_m, format_cst(n.created_ms));
                            view! {
                                <li data-test="nearby-ticket" data-id=id.to_string()>
                                    {n.photo.clone().map(|k| view! {
                                        <img src=format!("/photos/{k}.jpg") alt="" loading="lazy" width="320" />
                                    })}
                                    <p><StatusBadge status=n.status />" "
                                        <span class="muted small">{move || Msg::Reports.text(lang.get()).replace("{n}", &n.reports.to_string())}</span></p>
                                    <p class="small muted">{move || Msg::NearbyLine.text(lang.get())
                                        .replace("{m}", &line.0.to_string()).replace("{t}", &line.1)}</p>
                                    <p class="desc">{n.description.clone()}</p>
                                    <button type="button" class="primary" data-test="this-is-it"
                                        disabled=move || follow.busy()
                                        on:click=move |_| follow.submit(Ok(id))>
                                        {move || tr(Msg::ThisIsIt)}
                                    </button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                    <ErrorNote error=follow.error() />
                </section>
            })}
        </Transition>
    }
}
