//! Grid pages: the map (with a list view), the directory, one grid, and the admin's
//! GeoJSON import/export.
use crate::api::grid::{fetch_grid, get_map_config, list_grids, locate_grid};
use crate::components::call::{CallButton, Callee};
use crate::components::error::ErrorNote;
use crate::components::form::{Submit, SubmitButton};
use crate::components::map::GridMap;
use crate::components::upload::chosen_file;
use crate::domain::AppError;
use crate::domain::grid::{GridDetail, GridId, GridLevel, GridSummary};
use crate::i18n::Msg;
use crate::providers::lang::use_lang;
use crate::providers::session::use_session;
use crate::providers::tr;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

/// Staff of one grid by duty; phones are links to call when shown in full, and a
/// signed-in resident, who sees them masked, calls with one tap (audited).
#[component]
fn StaffList(detail: GridDetail) -> impl IntoView {
    if detail.staff.is_empty() {
        return view! { <p>{move || tr(Msg::NoStaff)}</p> }.into_any();
    }
    let session = use_session();
    let grid = detail.grid.id;
    view! {
        <ul class="staff" data-test="staff">
            {detail.staff.into_iter().map(|s| {
                let duty = s.duty.label();
                let callable = !s.phone.contains('*');
                let tel = format!("tel:{}", s.phone);
                view! {
                    <li data-test=format!("duty-{}", s.duty.as_str())>
                        <span class="duty">{move || tr(duty)}</span>
                        <span class="who">{s.name}</span>
                        {if callable {
                            view! { <a class="phone" href=tel>{s.phone}</a> }.into_any()
                        } else {
                            let who = Callee::Staff { grid, duty: s.duty };
                            view! {
                                <span class="phone">{s.phone}</span>
                                {move || session.get().is_some().then(|| view! { <CallButton who=who /> })}
                            }.into_any()
                        }}
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}

/// A grid's place and staff, as the map panel and the grid page show it.
#[component]
fn GridCard(detail: GridDetail) -> impl IntoView {
    let level = detail.grid.level.label();
    let name = detail.grid.name.clone();
    let path = detail.ancestors.join(" › ");
    let children = detail.children.clone();
    view! {
        <article class="card" data-test="grid-card">
            <h2>{name}</h2>
            <p class="muted">
                <span class="chip">{move || tr(level)}</span>
                " "
                <span data-test="grid-path">{path}</span>
            </p>
            <Show when={let grid = detail.grid.level == GridLevel::Grid; move || grid}>
                <h3>{move || tr(Msg::GridStaff)}</h3>
            </Show>
            <StaffList detail=detail.clone() />
            <Show when={let n = children.len(); move || n > 0}>
                <h3>{move || tr(Msg::GridsIn)}</h3>
                <ul class="plain">
                    {children.clone().into_iter().map(|c| view! {
                        <li><A href=format!("/grids/{}", c.id.0)>{c.name}</A></li>
                    }).collect_view()}
                </ul>
            </Show>
        </article>
    }
}

fn err_signal<T: Clone + Send + Sync + 'static>(
    r: Resource<Result<T, AppError>>,
) -> Signal<Option<AppError>> {
    Signal::derive(move || r.get().and_then(|r| r.err()))
}

#[component]
pub fn MapPage() -> impl IntoView {
    let grids = Resource::new(|| (), |_| list_grids());
    let config = Resource::new(|| (), |_| get_map_config());
    let selected = RwSignal::new(None::<GridId>);
    let list_view = RwSignal::new(false);
    let detail = Resource::new(
        move || selected.get(),
        |id| async move {
            match id {
                Some(id) => fetch_grid(id.0).await.map(Some),
                None => Ok(None),
            }
        },
    );
    let on_select = Callback::new(move |id| selected.set(Some(id)));
    // Reported problems (and, for staff, every ticket), refetched on each change.
    let changes = crate::components::live::ticket_changes();
    let tickets = Resource::new(
        move || changes.get(),
        |_| crate::api::ticket::ticket_markers(-90.0, -180.0, 90.0, 180.0),
    );
    let markers = Signal::derive(move || tickets.get().and_then(|r| r.ok()).unwrap_or_default());
    // Bring the chosen grid's card into view on a small screen.
    Effect::new(move |_| {
        if let Some(Ok(Some(_))) = detail.get() {
            request_animation_frame(|| {
                #[cfg(feature = "hydrate")]
                if let Some(el) = web_sys::window()
                    .and_then(|w| w.document())
                    .and_then(|d| d.query_selector("[data-test=grid-panel]").ok().flatten())
                {
                    el.scroll_into_view();
                }
            });
        }
    });
    view! {
        <section class="page map-page">
            <div class="toolbar">
                <h1>{move || tr(Msg::MapTitle)}</h1>
                <div class="segmented" role="group">
                    <button aria-pressed=move || (!list_view.get()).to_string() on:click=move |_| list_view.set(false) data-test="show-map">
                        {move || tr(Msg::MapView)}
                    </button>
                    <button aria-pressed=move || list_view.get().to_string() on:click=move |_| list_view.set(true) data-test="show-list">
                        {move || tr(Msg::ListView)}
                    </button>
                </div>
            </div>
            <p class="muted">{move || tr(Msg::MapHint)}</p>
            <LocateMe on_found=on_select />
            <Transition fallback=move || view! { <p>{move || tr(Msg::Loading)}</p> }>
                <ErrorNote error=err_signal(grids) />
                {move || {
                    let (Some(Ok(gs)), Some(Ok(cfg))) = (grids.get(), config.get()) else { return None };
                    let list = gs.clone();
                    Some(view! {
                        <div class:hidden=move || list_view.get()>
                            <GridMap grids=gs config=cfg selected=selected on_select=on_select markers=markers />
                            <ul class="legend" aria-label=move || tr(Msg::Legend)>
                                {crate::domain::ticket::TicketStatus::ALL.into_iter().take(6).map(|s| {
                                    let style = format!("background:{}", crate::components::map::status_colour(s));
                                    view! { <li><span class="badge" style=style>{move || tr(s.label())}</span></li> }
                                }).collect_view()}
                            </ul>
                        </div>
                        <Show when=move || list_view.get()>
                            <GridButtons grids=list.clone() on_select=on_select />
                        </Show>
                    })
                }}
            </Transition>
            <Transition fallback=|| ()>
                {move || match detail.get() {
                    Some(Ok(Some(d))) => view! {
                        <div class="panel" data-test="grid-panel">
                            <GridCard detail=d />
                            <button class="secondary" on:click=move |_| selected.set(None)>{move || tr(Msg::Close)}</button>
                        </div>
                    }.into_any(),
                    Some(Err(e)) => view! { <ErrorNote error=Signal::derive(move || Some(e.clone())) /> }.into_any(),
                    _ => ().into_any(),
                }}
            </Transition>
        </section>
    }
}

/// The list view of the map: every level-3 grid as a large button.
#[component]
fn GridButtons(grids: Vec<GridSummary>, on_select: Callback<GridId>) -> impl IntoView {
    view! {
        <ul class="grid-buttons" data-test="grid-list">
            {grids.into_iter().filter(|g| g.level == GridLevel::Grid).map(|g| {
                let id = g.id;
                view! { <li><button on:click=move |_| on_select.run(id)>{g.name}</button></li> }
            }).collect_view()}
        </ul>
    }
}

/// "Which grid am I in?": the phone's position, then the server's point-in-polygon.
#[component]
fn LocateMe(on_found: Callback<GridId>) -> impl IntoView {
    // Some(None): the position is outside every grid.
    let found = RwSignal::new(None::<Option<GridSummary>>);
    let gps_failed = RwSignal::new(false);
    let locating = RwSignal::new(false);
    let lookup = Submit::new(
        move |(lat, lng): (f64, f64)| locate_grid(lat, lng),
        move |g: Option<GridSummary>| {
            if let Some(g) = &g {
                on_found.run(g.id);
            }
            found.set(Some(g));
        },
    );
    let busy = Signal::derive(move || locating.get() || lookup.busy());
    let locate = move |_| {
        if busy.get_untracked() {
            return;
        }
        found.set(None);
        gps_failed.set(false);
        locating.set(true);
        #[cfg(feature = "hydrate")]
        geolocate(move |pos| {
            locating.set(false);
            match pos {
                None => gps_failed.set(true),
                Some(p) => lookup.submit(Ok(p)),
            }
        });
    };
    view! {
        <div class="locate">
            <button class="secondary" on:click=locate disabled=busy data-test="locate">
                {move || if busy.get() { tr(Msg::Locating) } else { tr(Msg::LocateMe) }}
            </button>
            {move || found.get().map(|g| match g {
                Some(g) => view! { <p data-test="located">{tr(Msg::YouAreIn)}{g.name}</p> }.into_any(),
                None => view! { <p data-test="located">{tr(Msg::LocateOutside)}</p> }.into_any(),
            })}
            <Show when=move || gps_failed.get()>
                <p class="error" role="alert">{move || tr(Msg::LocateFailed)}</p>
            </Show>
            <ErrorNote error=lookup.error() />
        </div>
    }
}

#[cfg(feature = "hydrate")]
pub fn geolocate(done: impl Fn(Option<(f64, f64)>) + Clone + 'static) {
    use wasm_bindgen::JsCast;
    use wasm_bindgen::prelude::Closure;
    let Some(geo) = web_sys::window().and_then(|w| w.navigator().geolocation().ok()) else {
        done(None);
        return;
    };
    let ok_done = done.clone();
    let ok = Closure::once_into_js(move |pos: web_sys::Position| {
        let c = pos.coords();
        ok_done(Some((c.latitude(), c.longitude())));
    });
    let fail = Closure::once_into_js(move |_: JsValue| done(None));
    let _ = geo
        .get_current_position_with_error_callback(ok.unchecked_ref(), Some(fail.unchecked_ref()));
}

#[cfg(feature = "hydrate")]
use wasm_bindgen::JsValue;

/// Every community with its grids.
#[component]
pub fn GridListPage() -> impl IntoView {
    let grids = Resource::new(|| (), |_| list_grids());
    view! {
        <section class="page">
            <h1>{move || tr(Msg::HomeGridList)}</h1>
            <Transition fallback=move || view! { <p>{move || tr(Msg::Loading)}</p> }>
                <ErrorNote error=err_signal(grids) />
                {move || grids.get().and_then(|r| r.ok()).map(|gs| {
                    let communities: Vec<GridSummary> = gs.iter().filter(|g| g.level == GridLevel::Community).cloned().collect();
                    communities.into_iter().map(|c| {
                        let kids: Vec<GridSummary> = gs.iter().filter(|g| g.parent == Some(c.id)).cloned().collect();
                        view! {
                            <section class="community">
                                <h2><A href=format!("/grids/{}", c.id.0)>{c.name.clone()}</A></h2>
                                <ul class="grid-links">
                                    {kids.into_iter().map(|k| view! {
                                        <li><A href=format!("/grids/{}", k.id.0)>{k.name}</A></li>
                                    }).collect_view()}
                                </ul>
                            </section>
                        }
                    }).collect_view()
                })}
            </Transition>
        </section>
    }
}

#[component]
pub fn GridPage() -> impl IntoView {
    let params = use_params_map();
    let detail = Resource::new(
        move || params.read().get("id").and_then(|s| s.parse::<i64>().ok()),
        |id| async move {
            match id {
                Some(id) => fetch_grid(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <section class="page">
            <Transition fallback=move || view! { <p>{move || tr(Msg::Loading)}</p> }>
                <ErrorNote error=err_signal(detail) />
                {move || detail.get().and_then(|r| r.ok()).map(|d| view! { <GridCard detail=d /> })}
            </Transition>
        </section>
    }
}

#[component]
pub fn GridAdminPage() -> impl IntoView {
    let report = RwSignal::new(None::<crate::domain::grid::ImportReport>);
    let lang = use_lang();
    let file_input = NodeRef::<leptos::html::Input>::new();
    let upload = Submit::new(
        move |()| {
            let file = chosen_file(file_input);
            async move {
                let file = file?;
                #[cfg(feature = "hydrate")]
                {
                    let text = wasm_bindgen_futures::JsFuture::from(file.text()).await;
                    match text.ok().and_then(|t| t.as_string()) {
                        Some(t) => crate::api::grid::import_grids(t).await,
                        None => Err(AppError::invalid("file", Msg::ErrGeojson)),
                    }
                }
                #[cfg(not(feature = "hydrate"))]
                {
                    let _ = file;
                    Err(AppError::Internal)
                }
            }
        },
        move |r| report.set(Some(r)),
    );
    let import = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        report.set(None);
        upload.submit(chosen_file(file_input).map(|_| ()));
    };
    view! {
        <section class="page narrow">
            <h1>{move || tr(Msg::AdminGrids)}</h1>
            <p class="row">
                <a href="/admin/categories">{move || tr(Msg::AdminCategories)}</a>
                <a href="/residents">{move || tr(Msg::ResidentsTitle)}</a>
                <a href="/admin/audit">{move || tr(Msg::AuditTitle)}</a>
                <a href="/admin/sms">{move || tr(Msg::AdminSms)}</a>
            </p>
            <a class="button" href="/grids.geojson" download="grids.geojson" data-test="export">{move || tr(Msg::ExportGeojson)}</a>
            <form class="form" on:submit=import data-test="import-form">
                <label>
                    {move || tr(Msg::ImportFile)}
                    <input type="file" accept=".geojson,.json,application/geo+json,application/json" node_ref=file_input />
                    <small>{move || tr(Msg::ImportHint)}</small>
                </label>
                <SubmitButton busy=upload.busy_signal() label=Msg::ImportGeojson />
                {move || report.get().map(|rep| view! {
                    <p class="ok" role="status" data-test="import-done">
                        {Msg::ImportDone.text(lang.get()).replace("{c}", &rep.created.to_string()).replace("{u}", &rep.updated.to_string())}
                    </p>
                })}
                <ErrorNote error=upload.error() />
            </form>
        </section>
    }
}
