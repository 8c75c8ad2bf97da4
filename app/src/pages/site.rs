//! `/sites` (重点场所): overdue sites per grid, the map layer, the registry and, for
//! admins, the types' checklists and cycles; `/sites/{id}`: one site, its open hazards,
//! an inspection against its checklist from the phone, and past inspections.
use crate::api::site::{
    SiteInput, SiteTypeInput, load_site, load_site_board, save_site, save_site_type,
};
use crate::components::error::{ErrorNote, error_view};
use crate::components::form::{Submit, SubmitButton, loading};
use crate::components::map::{Spot, SpotsMap};
use crate::components::upload::{
    PhotoForm, PhotoFormStatus, PhotoList, PhotoPicker, new_key, photo_list,
};
use crate::domain::AppError;
use crate::domain::authz::Action;
use crate::domain::geo::LatLng;
use crate::domain::site::{
    ChecklistItem, InspectionView, ItemResult, Risk, Site, SiteBoard, SiteDetail, SiteType,
};
use crate::domain::time::format_cst;
use crate::i18n::Msg;
use crate::providers::lang::use_lang;
use crate::providers::session::use_session;
use crate::providers::tr;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn SitesPage() -> impl IntoView {
    let session = use_session();
    let version = RwSignal::new(0u32);
    let board = Resource::new(move || version.get(), |_| load_site_board());
    view! {
        <section class="page narrow">
            <h1>{move || tr(Msg::SitesTitle)}</h1>
            <p class="muted">{move || tr(Msg::SitesIntro)}</p>
            <Show when=move || session.may(Action::ViewSites)
                fallback=|| view! { <p class="card" data-test="not-staff">{move || tr(Msg::SitesStaffOnly)}</p> }>
                <Transition fallback=loading>
                    {move || board.get().map(|r| match r {
                        Err(e) => error_view(e),
                        Ok(b) => view! { <Board b=b version=version /> }.into_any(),
                    })}
                </Transition>
            </Show>
        </section>
    }
}

/// The date part of a time, for due dates.
fn day(ms: i64) -> String {
    format_cst(ms).chars().take(10).collect()
}

fn spot_colour(s: &Site, now: i64) -> &'static str {
    if s.overdue(now) {
        "#c62828"
    } else if s.open_hazards > 0 {
        "#ef6c00"
    } else {
        "#2e7d32"
    }
}

#[component]
fn Board(b: SiteBoard, version: RwSignal<u32>) -> impl IntoView {
    let now = b.now_ms;
    let spots: Vec<Spot> = b
        .sites
        .iter()
        .map(|s| Spot {
            at: LatLng::new(s.lat, s.lng),
            label: s.name.clone(),
            colour: spot_colour(s, now),
        })
        .collect();
    let types = StoredValue::new(b.types.clone());
    view! {
        <section class="card" data-test="overdue">
            <h2>{move || tr(Msg::SitesOverdue)}</h2>
            {if b.overdue.is_empty() {
                view! { <p class="ok" data-test="none-overdue">{move || tr(Msg::SitesNoneOverdue)}</p> }.into_any()
            } else {
                view! {
                    <ul class="log">
                        {b.overdue.iter().map(|g| view! {
                            <li data-test="overdue-grid">
                                <strong>{if g.grid_name.is_empty() { "—".to_owned() } else { g.grid_name.clone() }}</strong>
                                {format!(" · {}", g.sites.len())}
                                <ul>
                                    {g.sites.iter().map(|s| view! {
                                        <li><a href=format!("/sites/{}", s.id) data-test="overdue-site">{s.name.clone()}</a>
                                            <span class="muted small">{format!(" · {} {}", tr(Msg::SiteDue), day(s.due_ms))}</span></li>
                                    }).collect_view()}
                                </ul>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
        <SitesMap spots=spots />
        <section class="card" data-test="site-list">
            <h2>{move || tr(Msg::SitesAll)}</h2>
            {if b.sites.is_empty() {
                view! { <p class="muted" data-test="empty">{move || tr(Msg::SitesNone)}</p> }.into_any()
            } else {
                view! {
                    <ul class="log">
                        {b.sites.iter().map(|s| view! { <SiteLine s=s.clone() now=now /> }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
        <details class="card" data-test="register">
            <summary>{move || tr(Msg::SiteRegister)}</summary>
            <SiteForm types=types.get_value() initial=None done=Callback::new(move |_| version.update(|v| *v += 1)) />
        </details>
        {b.may_edit_types.then(|| {
            let categories = b.categories.clone();
            view! {
                <section class="card" data-test="site-types">
                    <h2>{move || tr(Msg::SiteTypes)}</h2>
                    <p class="muted small">{move || tr(Msg::SiteTypesHint)}</p>
                    {b.types.iter().map(|t| view! {
                        <details data-test="site-type">
                            <summary>{format!("{} · {}", t.name_zh, tr(Msg::SiteCycleDays).replace("{n}", &t.cycle_days.to_string()))}</summary>
                            <TypeForm t=Some(t.clone()) categories=categories.clone() version=version />
                        </details>
                    }).collect_view()}
                    <details data-test="site-type-new">
                        <summary>{move || tr(Msg::SiteTypeAdd)}</summary>
                        <TypeForm t=None categories=categories.clone() version=version />
                    </details>
                </section>
            }
        })}
    }
}

#[component]
fn SitesMap(spots: Vec<Spot>) -> impl IntoView {
    view! {
        <SpotsMap spots=spots />
        <p class="muted small">{move || tr(Msg::SitesLegend)}</p>
    }
}

#[component]
fn SiteLine(s: Site, now: i64) -> impl IntoView {
    let overdue = s.overdue(now);
    view! {
        <li data-test="site" data-id=s.id.to_string() data-overdue=overdue.to_string()>
            <p>
                <a href=format!("/sites/{}", s.id)><strong>{s.name.clone()}</strong></a>
                <span class="muted small">{format!(" · {} · {}", s.type_name, s.grid_name)}</span>
            </p>
            <p class="small">
                <RiskChips bits=s.risks />
                {overdue.then(|| view! { <span class="chip warn" data-test="chip-overdue">{move || tr(Msg::SiteOverdueChip)}</span> " " })}
                {(s.open_hazards > 0).then(|| view! {
                    <span class="chip warn" data-test="chip-hazards">{tr(Msg::SiteHazardsChip).replace("{n}", &s.open_hazards.to_string())}</span> " "
                })}
                <span class="muted">{format!("{} {}", tr(Msg::SiteDue), day(s.due_ms))}</span>
            </p>
        </li>
    }
}

#[component]
fn RiskChips(bits: i64) -> impl IntoView {
    Risk::of(bits)
        .into_iter()
        .map(|r| view! { <span class="chip">{move || tr(r.label())}</span> " " })
        .collect_view()
}

/// Register (no `initial`) or edit a site: its type, words, risks, and its place —
/// a tap on the map or the phone's position.
#[component]
fn SiteForm(types: Vec<SiteType>, initial: Option<Site>, done: Callback<i64>) -> impl IntoView {
    let id = initial.as_ref().map(|s| s.id);
    let type_id = RwSignal::new(
        initial
            .as_ref()
            .map(|s| s.type_id)
            .or_else(|| types.first().map(|t| t.id))
            .unwrap_or(0),
    );
    let name = RwSignal::new(initial.as_ref().map(|s| s.name.clone()).unwrap_or_default());
    let address = RwSignal::new(
        initial
            .as_ref()
            .map(|s| s.address.clone())
            .unwrap_or_default(),
    );
    let contact_name = RwSignal::new(
        initial
            .as_ref()
            .map(|s| s.contact_name.clone())
            .unwrap_or_default(),
    );
    let contact_phone = RwSignal::new(
        initial
            .as_ref()
            .map(|s| s.contact_phone.clone())
            .unwrap_or_default(),
    );
    let risks = RwSignal::new(initial.as_ref().map_or(1, |s| s.risks));
    let pin = RwSignal::new(initial.as_ref().map(|s| LatLng::new(s.lat, s.lng)));
    let saved = RwSignal::new(false);
    let send = Submit::new(save_site, move |id| {
        saved.set(true);
        done.run(id);
    });
    let locating = RwSignal::new(false);
    let use_gps = move |_| {
        locating.set(true);
        #[cfg(feature = "hydrate")]
        crate::pages::grid::geolocate(move |pos| {
            locating.set(false);
            if let Some((lat, lng)) = pos {
                pin.set(Some(LatLng::new(lat, lng)));
            }
        });
    };
    let go = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(false);
        let input = pin
            .get_untracked()
            .ok_or_else(|| AppError::invalid("location", Msg::ErrNoPlace))
            .map(|at| SiteInput {
                id,
                type_id: type_id.get_untracked(),
                name: name.get_untracked(),
                address: address.get_untracked(),
                contact_name: contact_name.get_untracked(),
                contact_phone: contact_phone.get_untracked(),
                lat: at.lat,
                lng: at.lng,
                risks: risks.get_untracked(),
            });
        send.submit(input);
    };
    let lang = use_lang();
    view! {
        <form class="form" on:submit=go data-test="site-form">
            <label>
                {move || tr(Msg::SiteType)}
                <select data-test="site-type-select" on:change=move |ev| type_id.set(event_target_value(&ev).parse().unwrap_or(0))>
                    {types.iter().filter(|t| t.active || Some(t.id) == initial.as_ref().map(|s| s.type_id)).map(|t| {
                        let tid = t.id;
                        let (zh, en) = (t.name_zh.clone(), t.name_en.clone());
                        view! { <option value=tid.to_string() selected=move || type_id.get() == tid>
                            {move || if lang.get() == crate::i18n::Lang::En && !en.is_empty() { en.clone() } else { zh.clone() }}
                        </option> }
                    }).collect_view()}
                </select>
            </label>
            <label>
                {move || tr(Msg::SiteName)}
                <input type="text" maxlength="60" required data-test="site-name"
                    prop:value=name on:input=move |ev| name.set(event_target_value(&ev)) />
            </label>
            <label>
                {move || tr(Msg::SiteAddress)}
                <input type="text" maxlength="120" data-test="site-address"
                    prop:value=address on:input=move |ev| address.set(event_target_value(&ev)) />
            </label>
            <label>
                {move || tr(Msg::SiteContactName)}
                <input type="text" maxlength="20" data-test="site-contact-name"
                    prop:value=contact_name on:input=move |ev| contact_name.set(event_target_value(&ev)) />
            </label>
            <label>
                {move || tr(Msg::SiteContactPhone)}
                <input type="tel" inputmode="tel" maxlength="20" data-test="site-contact-phone"
                    prop:value=contact_phone on:input=move |ev| contact_phone.set(event_target_value(&ev)) />
            </label>
            <fieldset>
                <legend>{move || tr(Msg::SiteRisks)}</legend>
                {Risk::ALL.into_iter().map(|r| view! {
                    <label class="choice">
                        <input type="checkbox" data-test=format!("risk-{}", r.bit())
                            prop:checked=move || risks.get() & r.bit() != 0
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                risks.update(|b| if on { *b |= r.bit() } else { *b &= !r.bit() });
                            } />
                        {move || tr(r.label())}
                    </label>
                }).collect_view()}
            </fieldset>
            <fieldset>
                <legend>{move || tr(Msg::SitePlace)}</legend>
                <p class="muted small">{move || tr(Msg::SitePlaceHint)}</p>
                <button type="button" class="secondary" on:click=use_gps disabled=locating data-test="site-gps">
                    {move || tr(Msg::UseMyLocation)}
                </button>
                <SpotsMap spots={Vec::<Spot>::new()} pin=pin />
                <p role="status" data-test="site-place">
                    {move || pin.get().map(|p| format!("{}{:.5}, {:.5}", tr(Msg::LocationSet), p.lat, p.lng))}
                </p>
            </fieldset>
            <ErrorNote error=send.error() />
            <Show when=move || saved.get()>
                <p class="ok" role="status" data-test="site-saved">{move || tr(Msg::SiteSaved)}</p>
            </Show>
            <SubmitButton busy=send.busy_signal() label=Msg::SiteSave attr:data-test="site-save" />
        </form>
    }
}

#[component]
fn TypeForm(
    t: Option<SiteType>,
    categories: Vec<(i64, String)>,
    version: RwSignal<u32>,
) -> impl IntoView {
    let id = t.as_ref().map(|t| t.id);
    let name_zh = RwSignal::new(t.as_ref().map(|t| t.name_zh.clone()).unwrap_or_default());
    let name_en = RwSignal::new(t.as_ref().map(|t| t.name_en.clone()).unwrap_or_default());
    let cycle = RwSignal::new(t.as_ref().map_or(30, |t| t.cycle_days).to_string());
    let items = RwSignal::new(
        t.as_ref()
            .map(|t| {
                t.checklist
                    .iter()
                    .map(|i| format!("{} | {}", i.zh, i.en))
                    .collect::<Vec<_>>()
                    .join("\n")
            })
            .unwrap_or_default(),
    );
    let category = RwSignal::new(
        t.as_ref()
            .and_then(|t| t.category)
            .or_else(|| categories.first().map(|c| c.0)),
    );
    let active = RwSignal::new(t.as_ref().is_none_or(|t| t.active));
    let send = Submit::new(save_site_type, move |_| version.update(|v| *v += 1));
    let go = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input = cycle
            .get_untracked()
            .trim()
            .parse::<i64>()
            .map_err(|_| AppError::invalid("cycle_days", Msg::SiteErrCycle))
            .map(|cycle_days| SiteTypeInput {
                id,
                name_zh: name_zh.get_untracked(),
                name_en: name_en.get_untracked(),
                cycle_days,
                items: items.get_untracked(),
                category: category.get_untracked(),
                active: active.get_untracked(),
            });
        send.submit(input);
    };
    view! {
        <form class="form" on:submit=go data-test="type-form">
            <label>{move || tr(Msg::SiteTypeName)}
                <input type="text" maxlength="20" required data-test="type-name"
                    prop:value=name_zh on:input=move |ev| name_zh.set(event_target_value(&ev)) /></label>
            <label>{move || tr(Msg::SiteTypeNameEn)}
                <input type="text" maxlength="40" data-test="type-name-en"
                    prop:value=name_en on:input=move |ev| name_en.set(event_target_value(&ev)) /></label>
            <label>{move || tr(Msg::SiteCycle)}
                <input type="number" min="1" max="366" inputmode="numeric" data-test="type-cycle"
                    prop:value=cycle on:input=move |ev| cycle.set(event_target_value(&ev)) /></label>
            <label>{move || tr(Msg::SiteItems)}
                <textarea rows="7" data-test="type-items"
                    prop:value=items on:input=move |ev| items.set(event_target_value(&ev))></textarea></label>
            <label>{move || tr(Msg::SiteCategory)}
                <select data-test="type-category" on:change=move |ev| category.set(event_target_value(&ev).parse().ok())>
                    {categories.into_iter().map(|(cid, name)| view! {
                        <option value=cid.to_string() selected=move || category.get() == Some(cid)>{name}</option>
                    }).collect_view()}
                </select></label>
            <label class="choice">
                <input type="checkbox" prop:checked=active on:change=move |ev| active.set(event_target_checked(&ev)) />
                {move || tr(Msg::SiteTypeActive)}
            </label>
            <ErrorNote error=send.error() />
            <SubmitButton busy=send.busy_signal() label=Msg::SiteTypeSave attr:data-test="type-save" />
        </form>
    }
}

#[component]
pub fn SitePage() -> impl IntoView {
    let params = use_params_map();
    let id = move || {
        params
            .with(|p| p.get("id"))
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let version = RwSignal::new(0u32);
    // What the last inspection did; outside the page's data, which it reloads.
    let result = RwSignal::new(None::<(usize, usize)>);
    let detail = Resource::new(move || (id(), version.get()), |(id, _)| load_site(id));
    let board = Resource::new(|| (), |_| load_site_board());
    view! {
        <section class="page narrow">
            <p><a href="/sites">{move || tr(Msg::SiteBack)}</a></p>
            <Transition fallback=loading>
                {move || detail.get().map(|r| match r {
                    Err(e) => error_view(e),
                    Ok(d) => {
                        let types = board.get().and_then(Result::ok).map(|b| b.types).unwrap_or_default();
                        view! { <Detail d=d types=types version=version result=result /> }.into_any()
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn Detail(
    d: SiteDetail,
    types: Vec<SiteType>,
    version: RwSignal<u32>,
    result: RwSignal<Option<(usize, usize)>>,
) -> impl IntoView {
    let s = d.site.clone();
    let id = s.id;
    let phone = s.contact_phone.clone();
    view! {
        <h1 data-test="site-title">{s.name.clone()}</h1>
        <section class="card">
            <p>{format!("{} · {}", s.type_name, s.grid_name)}</p>
            {(!s.address.is_empty()).then(|| view! { <p>{s.address.clone()}</p> })}
            {(!s.contact_name.is_empty() || !phone.is_empty()).then(|| view! {
                <p>
                    {move || tr(Msg::SiteContactName)} "：" {s.contact_name.clone()} " "
                    {(!phone.is_empty()).then(|| view! { <a href=format!("tel:{phone}") class="button secondary" data-test="site-call">{phone.clone()}</a> })}
                </p>
            })}
            <p><RiskChips bits=s.risks /></p>
            <p class="muted" data-test="site-due">
                {format!("{} {}", tr(Msg::SiteDue), day(s.due_ms))}
                {match s.last_inspected_ms {
                    Some(t) => format!(" · {} {}", tr(Msg::SiteLastInspected), format_cst(t)),
                    None => format!(" · {}", tr(Msg::SiteNeverInspected)),
                }}
            </p>
        </section>
        <section class="card" data-test="hazards">
            <h2>{move || tr(Msg::SiteOpenHazards)}</h2>
            {if d.hazards.is_empty() {
                view! { <p class="muted" data-test="no-hazards">{move || tr(Msg::SiteNoHazards)}</p> }.into_any()
            } else {
                view! {
                    <ul class="log">
                        {d.hazards.iter().map(|h| view! {
                            <li data-test="hazard">
                                {h.item.clone()} " · "
                                <a href=format!("/tickets/{}", h.ticket) data-test="hazard-ticket">{format!("#{}", h.ticket)}</a>
                                <span class="muted small">{format!(" · {}", format_cst(h.opened_ms))}</span>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
        {move || result.get().map(|(o, c)| view! {
            <p class="ok card" role="status" data-test="inspected">
                {tr(Msg::SiteInspected).replace("{o}", &o.to_string()).replace("{c}", &c.to_string())}
            </p>
        })}
        <InspectForm site=id items=d.checklist.clone() version=version result=result />
        <section class="card" data-test="history">
            <h2>{move || tr(Msg::SiteHistory)}</h2>
            {if d.inspections.is_empty() {
                view! { <p class="muted">{move || tr(Msg::SiteNoHistory)}</p> }.into_any()
            } else {
                d.inspections.iter().map(|i| view! { <InspectionLine i=i.clone() /> }).collect_view().into_any()
            }}
        </section>
        {(!types.is_empty()).then(|| view! {
            <details class="card" data-test="site-edit">
                <summary>{move || tr(Msg::SiteEdit)}</summary>
                <SiteForm types=types initial=Some(d.site.clone()) done=Callback::new(move |_| version.update(|v| *v += 1)) />
            </details>
        })}
    }
}

#[component]
fn InspectionLine(i: InspectionView) -> impl IntoView {
    let failed = i.items.iter().filter(|x| !x.pass).count();
    view! {
        <div class="inspection" data-test="inspection">
            <p>
                <strong>{format_cst(i.at_ms)}</strong>
                <span class="muted small">{format!(" · {} · ", i.by)}</span>
                {if failed == 0 {
                    view! { <span class="chip ok">{move || tr(Msg::SiteAllPassed)}</span> }.into_any()
                } else {
                    view! { <span class="chip warn">{tr(Msg::SiteFailedN).replace("{n}", &failed.to_string())}</span> }.into_any()
                }}
            </p>
            {(!i.note.is_empty()).then(|| view! { <p>{i.note.clone()}</p> })}
            <ul class="small">
                {i.items.into_iter().filter(|x| !x.pass || x.ticket.is_some()).map(|x| view! {
                    <li>
                        {if x.pass { tr(Msg::SitePass) } else { tr(Msg::SiteFail) }} "：" {x.item.clone()}
                        {(!x.note.is_empty()).then(|| format!(" — {}", x.note))}
                        {x.ticket.map(|t| view! { " · " <a href=format!("/tickets/{t}")>{format!("#{t}")}</a> })}
                        {x.photo.map(|p| view! { " " <a href=format!("/photos/{p}") target="_blank">{move || tr(Msg::SitePhoto)}</a> })}
                    </li>
                }).collect_view()}
            </ul>
        </div>
    }
}

/// One item's answer as it is being given.
#[derive(Clone, Copy)]
struct Answer {
    pass: RwSignal<Option<bool>>,
    note: RwSignal<String>,
    photos: PhotoList,
}

#[component]
fn InspectForm(
    site: i64,
    items: Vec<ChecklistItem>,
    version: RwSignal<u32>,
    result: RwSignal<Option<(usize, usize)>>,
) -> impl IntoView {
    let lang = use_lang();
    let answers: Vec<(ChecklistItem, Answer)> = items
        .into_iter()
        .map(|i| {
            (
                i,
                Answer {
                    pass: RwSignal::new(None),
                    note: RwSignal::new(String::new()),
                    photos: photo_list(),
                },
            )
        })
        .collect();
    let answers = StoredValue::new(answers);
    let note = RwSignal::new(String::new());
    let key = StoredValue::new(new_key());
    let form = PhotoForm::new(move |v| {
        key.set_value(new_key());
        let n = |k: &str| v[k].as_array().map_or(0, Vec::len);
        result.set(Some((n("opened"), n("closed"))));
        version.update(|x| *x += 1);
    });
    let go = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        result.set(None);
        let fields = answers.with_value(|list| {
            let mut results = Vec::new();
            let mut photos = Vec::new();
            for (item, a) in list {
                let Some(pass) = a.pass.get_untracked() else {
                    return Err(AppError::invalid("results", Msg::SiteErrAnswerAll));
                };
                let picked = if pass {
                    vec![]
                } else {
                    a.photos.get_untracked()
                };
                results.push(ItemResult {
                    key: item.key.clone(),
                    pass,
                    note: if pass {
                        String::new()
                    } else {
                        a.note.get_untracked()
                    },
                    photo: !picked.is_empty(),
                });
                photos.extend(picked.into_iter().take(1));
            }
            form.photos.set(photos);
            let json = serde_json::to_string(&results).map_err(|_| AppError::Internal)?;
            Ok(vec![
                ("results", json),
                ("note", note.get_untracked()),
                ("idempotency_key", key.get_value()),
            ])
        });
        form.send(format!("/api/sites/{site}/inspections"), fields);
    };
    view! {
        <form class="form card" on:submit=go data-test="inspect-form">
            <h2>{move || tr(Msg::SiteInspect)}</h2>
            {answers.with_value(|list| list.iter().map(|(item, a)| {
                let a = *a;
                let key = item.key.clone();
                let (zh, en) = (item.zh.clone(), item.en.clone());
                let name = format!("item-{key}");
                view! {
                    <fieldset class="check-item" data-test="check-item" data-key=key.clone()>
                        <legend>{move || if lang.get() == crate::i18n::Lang::En { en.clone() } else { zh.clone() }}</legend>
                        <div class="choices">
                            <label class="choice big">
                                <input type="radio" name=name.clone() data-test="item-pass"
                                    prop:checked=move || a.pass.get() == Some(true)
                                    on:change=move |_| a.pass.set(Some(true)) />
                                {move || tr(Msg::SitePass)}
                            </label>
                            <label class="choice big">
                                <input type="radio" name=name.clone() data-test="item-fail"
                                    prop:checked=move || a.pass.get() == Some(false)
                                    on:change=move |_| a.pass.set(Some(false)) />
                                {move || tr(Msg::SiteFail)}
                            </label>
                        </div>
                        <Show when=move || a.pass.get() == Some(false)>
                            <label>{move || tr(Msg::SiteWhatsWrong)}
                                <input type="text" maxlength="300" data-test="item-note"
                                    prop:value=a.note on:input=move |ev| a.note.set(event_target_value(&ev)) /></label>
                            <PhotoPicker photos=a.photos max=1 />
                        </Show>
                    </fieldset>
                }
            }).collect_view())}
            <label>{move || tr(Msg::SiteInspectionNote)}
                <textarea rows="2" maxlength="300" data-test="inspect-note"
                    prop:value=note on:input=move |ev| note.set(event_target_value(&ev))></textarea></label>
            <PhotoFormStatus form=form />
            <SubmitButton busy=form.busy_signal() label=form.label(Msg::SiteInspectSave) attr:data-test="inspect-save" />
        </form>
    }
}
