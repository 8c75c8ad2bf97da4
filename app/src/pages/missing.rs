//! Lost-person notices (寻人): the list, posting one (staff: photos, description,
//! place last seen on the map), one notice with the tip form for residents, and for
//! staff the tips on a map and the "found" action.
use super::{Guarded, id_param, loading, may};
use crate::api::grid::{get_map_config, list_grids};
use crate::api::missing::{close_missing, fetch_missing, missing_list};
use crate::components::error::{ErrorNote, error_view};
use crate::components::form::{Submit, SubmitButton};
use crate::components::map::{GridMap, Spot};
use crate::components::upload::{PhotoForm, PhotoFormStatus, PhotoPicker};
use crate::domain::authz::Action;
use crate::domain::geo::LatLng;
use crate::domain::grid::GridId;
use crate::domain::missing::{
    Missing, MissingDetail, MissingId, NAME_MAX, PHOTOS_MAX, PLACE_MAX, TEXT_MAX, Tip,
};
use crate::domain::time::format_cst;
use crate::i18n::Msg;
use crate::providers::lang::use_lang;
use crate::providers::session::use_session;
use crate::providers::tr;
use leptos::prelude::*;
use leptos_router::components::A;

fn age_text(age: u32) -> String {
    if age == 0 {
        tr(Msg::MissingAgeUnknown).to_owned()
    } else {
        format!("{age} {}", tr(Msg::MissingAge))
    }
}

#[component]
pub fn MissingListPage() -> impl IntoView {
    let list = Resource::new(|| (), |_| missing_list());
    let manages = may(Action::ManageMissing);
    view! {
        <section class="page">
            <h1>{move || tr(Msg::MissingTitle)}</h1>
            <Transition fallback=|| ()>
                <Show when=manages>
                    <p><A href="/missing/new" attr:class="button primary" attr:data-test="new-missing">{move || tr(Msg::MissingNew)}</A></p>
                </Show>
            </Transition>
            <Transition fallback=loading>
                {move || list.get().map(|r| match r {
                    Ok(list) if list.is_empty() => view! { <p class="muted">{move || tr(Msg::MissingEmpty)}</p> }.into_any(),
                    Ok(list) => view! {
                        <ul class="cards" data-test="missing-list">
                            {list.into_iter().map(|m| view! { <MissingLine m=m /> }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(e) => error_view(e),
                })}
            </Transition>
        </section>
    }
}

#[component]
fn MissingLine(m: Missing) -> impl IntoView {
    let found = m.found_at.is_some();
    view! {
        <li class=if found { "card missing found" } else { "card missing" }>
            <A href=format!("/missing/{}", m.id.0)>
                {m.photos.first().map(|p| view! { <img class="missing-thumb" src=p.clone() alt="" /> })}
                <strong>{m.name.clone()} " · " {age_text(m.age)}</strong>
                <span class="muted">{move || tr(Msg::MissingLastSeen)} ": " {m.last_seen_place.clone()}</span>
                <span class="muted">{format_cst(m.posted_at)}</span>
                <span class=if found { "badge ok" } else { "badge warn" }>
                    {move || if found { tr(Msg::MissingFound) } else { tr(Msg::MissingOpen) }}
                </span>
            </A>
        </li>
    }
}

#[component]
pub fn MissingNewPage() -> impl IntoView {
    view! {
        <Guarded action=Action::ManageMissing title=Msg::MissingNew>
            <MissingForm />
        </Guarded>
    }
}

#[component]
fn MissingForm() -> impl IntoView {
    let name = RwSignal::new(String::new());
    let age = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let place = RwSignal::new(String::new());
    let pin = RwSignal::new(None::<LatLng>);
    let grids = Resource::new(|| (), |_| list_grids());
    let config = Resource::new(|| (), |_| get_map_config());
    let navigate = leptos_router::hooks::use_navigate();
    let form = PhotoForm::new(move |v| {
        let id = v["id"].as_i64().unwrap_or_default();
        navigate(&format!("/missing/{id}"), Default::default());
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let at = pin.get_untracked();
        let fields = vec![
            ("name", name.get_untracked()),
            ("age", age.get_untracked()),
            ("description", description.get_untracked()),
            ("last_seen_place", place.get_untracked()),
            ("lat", at.map(|p| p.lat.to_string()).unwrap_or_default()),
            ("lng", at.map(|p| p.lng.to_string()).unwrap_or_default()),
        ];
        form.send("/api/missing".into(), Ok(fields));
    };
    view! {
        <form class="form" on:submit=submit data-test="missing-form">
            <label>
                {move || tr(Msg::MissingName)}
                <input type="text" maxlength=NAME_MAX.to_string() required data-test="missing-name"
                    prop:value=name on:input=move |ev| name.set(event_target_value(&ev)) />
            </label>
            <label>
                {move || tr(Msg::MissingAge)}
                <input type="number" min="0" max="130" inputmode="numeric" data-test="missing-age"
                    prop:value=age on:input=move |ev| age.set(event_target_value(&ev)) />
            </label>
            <label>
                {move || tr(Msg::MissingDescription)}
                <textarea rows="4" maxlength=TEXT_MAX.to_string() required data-test="missing-description"
                    prop:value=description on:input=move |ev| description.set(event_target_value(&ev))></textarea>
            </label>
            <label>
                {move || tr(Msg::MissingLastSeen)}
                <input type="text" maxlength=PLACE_MAX.to_string() required data-test="missing-place"
                    prop:value=place on:input=move |ev| place.set(event_target_value(&ev)) />
            </label>
            <fieldset>
                <legend>{move || tr(Msg::Location)}</legend>
                <p class="muted">{move || tr(Msg::MissingPinHint)}</p>
                <Transition fallback=loading>
                    {move || {
                        let (Some(Ok(gs)), Some(Ok(cfg))) = (grids.get(), config.get()) else { return None };
                        Some(view! {
                            <GridMap grids=gs config=cfg selected=Signal::derive(|| None::<GridId>)
                                on_select=Callback::new(|_| ()) pin=pin />
                        })
                    }}
                </Transition>
                <p role="status" data-test="missing-pin">
                    {move || pin.get().map(|p| format!("{}{:.5}, {:.5}", tr(Msg::LocationSet), p.lat, p.lng))}
                </p>
            </fieldset>
            <fieldset>
                <legend>{move || tr(Msg::Photos)}</legend>
                <PhotoPicker photos=form.photos max=PHOTOS_MAX />
            </fieldset>
            <PhotoFormStatus form=form />
            <SubmitButton busy=form.busy_signal() label=form.label(Msg::Submit) attr:data-test="missing-submit" />
        </form>
    }
}

#[component]
pub fn MissingPage() -> impl IntoView {
    let id = id_param();
    let version = RwSignal::new(0u32);
    let detail = Resource::new(move || (id(), version.get()), |(id, _)| fetch_missing(id));
    // Outside the view rebuilt after each tip, so the thanks stays on screen.
    let thanks = RwSignal::new(false);
    view! {
        <section class="page narrow">
            <Transition fallback=loading>
                {move || detail.get().map(|r| match r {
                    Ok(d) => view! { <MissingView d=d version=version thanks=thanks /> }.into_any(),
                    Err(e) => error_view(e),
                })}
            </Transition>
        </section>
    }
}

#[component]
fn MissingView(d: MissingDetail, version: RwSignal<u32>, thanks: RwSignal<bool>) -> impl IntoView {
    let session = use_session();
    let lang = use_lang();
    let m = d.missing;
    let id = m.id;
    let open = m.found_at.is_none();
    let sent = d.tips_sent;
    view! {
        <article class=if open { "missing-poster" } else { "missing-poster found" } data-test="missing-poster">
            <p class="alert-kicker">{move || tr(Msg::MissingTitle)} " · "
                <span data-test="missing-state">{move || if open { tr(Msg::MissingOpen) } else { tr(Msg::MissingFound) }}</span>
            </p>
            <h1>{m.name.clone()} " · " {age_text(m.age)}</h1>
            <div class="poster-photos">
                {m.photos.iter().map(|p| view! { <img src=p.clone() alt=m.name.clone() /> }).collect_view()}
            </div>
            <p class="alert-body">{m.description.clone()}</p>
            <dl class="facts">
                <dt>{move || tr(Msg::MissingLastSeen)}</dt><dd>{m.last_seen_place.clone()}</dd>
                <dt>{move || tr(Msg::MissingPosted)}</dt><dd>{m.posted_by.clone()} " · " {format_cst(m.posted_at)}</dd>
            </dl>
            {m.found_at.map(|t| view! {
                <p class="card ok" data-test="found-note">{move || tr(Msg::MissingFound)} " · " {format_cst(t)}
                    {(!m.found_note.is_empty()).then(|| format!(" · {}", m.found_note))}</p>
            })}
            <Show when=move || open>
                <p class="muted">{move || tr(Msg::MissingCall)}</p>
            </Show>
        </article>
        <Show when=move || { sent > 0 }>
            <p class="muted" data-test="tips-sent">{move || Msg::MissingTipsSent.text(lang.get()).replace("{n}", &sent.to_string())}</p>
        </Show>
        <Transition fallback=|| ()>
            {move || match (session.get().is_some(), open) {
                (true, true) => Some(view! { <TipForm id=id version=version thanks=thanks /> }.into_any()),
                (false, true) => Some(view! { <p class="card"><A href="/login">{move || tr(Msg::MissingSignInToTip)}</A></p> }.into_any()),
                _ => None,
            }}
        </Transition>
        {d.tips.map(|tips| view! { <TipsForStaff tips=tips last_seen=m.last_seen_at open=open id=id version=version /> })}
    }
}

#[component]
fn TipForm(id: MissingId, version: RwSignal<u32>, thanks: RwSignal<bool>) -> impl IntoView {
    let text = RwSignal::new(String::new());
    let with_position = RwSignal::new(false);
    let form = PhotoForm::new(move |_| {
        text.set(String::new());
        thanks.set(true);
        version.update(|v| *v += 1);
    });
    // Finding the phone's position before the tip goes: the button waits for it too.
    let locating = RwSignal::new(false);
    let sending = form.busy_signal();
    let busy = Signal::derive(move || locating.get() || sending.get());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        thanks.set(false);
        let send = move |pos: Option<(f64, f64)>| {
            locating.set(false);
            let fields = vec![
                ("text", text.get_untracked()),
                ("lat", pos.map(|p| p.0.to_string()).unwrap_or_default()),
                ("lng", pos.map(|p| p.1.to_string()).unwrap_or_default()),
            ];
            form.send(format!("/api/missing/{}/tips", id.0), Ok(fields));
        };
        if with_position.get_untracked() {
            locating.set(true);
            #[cfg(feature = "hydrate")]
            crate::pages::grid::geolocate(send);
        } else {
            send(None);
        }
    };
    view! {
        <form class="form card" on:submit=submit data-test="tip-form">
            <h2>{move || tr(Msg::MissingSendTip)}</h2>
            <label>
                {move || tr(Msg::MissingTipText)}
                <textarea rows="3" maxlength=TEXT_MAX.to_string() data-test="tip-text"
                    prop:value=text on:input=move |ev| text.set(event_target_value(&ev))></textarea>
            </label>
            <PhotoPicker photos=form.photos max=PHOTOS_MAX />
            <label class="check">
                <input type="checkbox" data-test="tip-position" prop:checked=with_position
                    on:change=move |ev| with_position.set(event_target_checked(&ev)) />
                {move || tr(Msg::MissingTipAttachPosition)}
            </label>
            <PhotoFormStatus form=form />
            <Show when=move || thanks.get()>
                <p class="ok" role="status" data-test="tip-thanks">{move || tr(Msg::MissingTipThanks)}</p>
            </Show>
            <SubmitButton busy=busy label=form.label(Msg::MissingSendTip) attr:data-test="tip-send" />
        </form>
    }
}

#[component]
fn TipsForStaff(
    tips: Vec<Tip>,
    last_seen: Option<LatLng>,
    open: bool,
    id: MissingId,
    version: RwSignal<u32>,
) -> impl IntoView {
    let grids = Resource::new(|| (), |_| list_grids());
    let config = Resource::new(|| (), |_| get_map_config());
    let mut spots: Vec<Spot> = tips
        .iter()
        .filter_map(|t| {
            t.at.map(|at| Spot {
                at,
                label: format!("{} · {}", format_cst(t.sent_at), t.text),
                colour: "#ef6c00",
            })
        })
        .collect();
    if let Some(at) = last_seen {
        spots.push(Spot {
            at,
            label: tr(Msg::MissingLastSeenSpot).to_owned(),
            colour: "#0d47a1",
        });
    }
    let spots = Signal::stored(spots);
    let count = tips.len();
    view! {
        <section class="card" data-test="tips">
            <h2>{move || tr(Msg::MissingTips)} " (" <span data-test="tip-count">{count}</span> ")"</h2>
            <Transition fallback=loading>
                {move || {
                    let (Some(Ok(gs)), Some(Ok(cfg))) = (grids.get(), config.get()) else { return None };
                    Some(view! {
                        <GridMap grids=gs config=cfg selected=Signal::derive(|| None::<GridId>)
                            on_select=Callback::new(|_| ()) spots=spots />
                    })
                }}
            </Transition>
            {if tips.is_empty() {
                view! { <p class="muted">{move || tr(Msg::MissingNoTips)}</p> }.into_any()
            } else {
                view! {
                    <ul class="tips" data-test="tip-list">
                        {tips.into_iter().map(|t| view! {
                            <li class="tip" data-test="tip">
                                <p>{t.text.clone()}</p>
                                <div class="poster-photos">
                                    {t.photos.iter().map(|p| view! { <img src=p.clone() alt="" /> }).collect_view()}
                                </div>
                                <p class="muted">{t.sender.clone()} " " {t.sender_phone.clone()} " · " {format_cst(t.sent_at)}
                                    {t.at.map(|p| format!(" · {:.5}, {:.5}", p.lat, p.lng))}</p>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
        <Show when=move || open>
            <CloseForm id=id version=version />
        </Show>
    }
}

#[component]
fn CloseForm(id: MissingId, version: RwSignal<u32>) -> impl IntoView {
    let note = RwSignal::new(String::new());
    let close = Submit::new(
        move |note: String| close_missing(id.0, note),
        move |()| version.update(|v| *v += 1),
    );
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        close.submit(Ok(note.get_untracked()));
    };
    view! {
        <form class="form card" on:submit=submit data-test="close-form">
            <label>
                {move || tr(Msg::MissingFoundNote)}
                <input type="text" maxlength=TEXT_MAX.to_string() data-test="found-note-input"
                    prop:value=note on:input=move |ev| note.set(event_target_value(&ev)) />
            </label>
            <ErrorNote error=close.error() />
            <SubmitButton busy=close.busy_signal() label=Msg::MissingMarkFound attr:data-test="mark-found" />
        </form>
    }
}
