//! `/command` (指挥中心大屏): for a 1920×1080 wall screen or a tablet, the street or one
//! community live — the funnel today and this month, overdue tickets per community,
//! top categories and grids, reports by hour, the tickets' heat on the map, the active
//! alert's reach, who is on duty, volunteers on patrol, running emergency timers,
//! overdue key sites and the cameras. The first render comes from the server; then a
//! server-sent event stream replaces the snapshot at every change. Charts are Apache
//! ECharts, loaded by this page only.
use crate::api::command::load_command;
use crate::components::error::error_view;
use crate::components::form::loading;
use crate::components::map::{Spot, SpotsMap};
use crate::components::video::CameraPlayer;
use crate::domain::authz::Action;
use crate::domain::command::{CommandSnapshot, Count, Funnel};
use crate::domain::emergency::{ACK_MS, ON_SITE_MS};
use crate::domain::geo::LatLng;
use crate::domain::time::format_cst;
use crate::i18n::Msg;
use crate::providers::session::use_session;
use crate::providers::tr;
use leptos::html::Div;
use leptos::prelude::*;

#[component]
pub fn CommandPage() -> impl IntoView {
    let session = use_session();
    let query = leptos_router::hooks::use_query_map();
    let scope = move || {
        query
            .with(|q| q.get("scope"))
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let first = Resource::new(scope, load_command);
    view! {
        <section class="command" data-test="command">
            <Show when=move || session.may(Action::ViewCommand)
                fallback=|| view! { <p class="card" data-test="not-staff">{move || tr(Msg::SitesStaffOnly)}</p> }>
                <Transition fallback=loading>
                    {move || first.get().map(|r| match r {
                        Err(e) => error_view(e),
                        Ok(s) => view! { <Screen first=s /> }.into_any(),
                    })}
                </Transition>
            </Show>
        </section>
    }
}

#[component]
fn Screen(first: CommandSnapshot) -> impl IntoView {
    let snap = RwSignal::new(first);
    let live = RwSignal::new(false);
    // A clock for the running timers, and the stream replacing the snapshot.
    let now = RwSignal::new(snap.get_untracked().at_ms);
    #[cfg(feature = "hydrate")]
    {
        let scope = snap.get_untracked().scope;
        browser::follow(scope, snap, live);
        let tick = leptos::prelude::set_interval_with_handle(
            move || now.set(crate::domain::time::now_ms()),
            std::time::Duration::from_secs(1),
        );
        if let Ok(h) = tick {
            on_cleanup(move || h.clear());
        }
    }
    let s = move || snap.get();
    view! {
        <header class="command-head">
            <h1>{move || format!("{} · {}", tr(Msg::CmdTitle), s().scope_name)}</h1>
            {move || (!s().scopes.is_empty()).then(|| view! {
                <nav class="scopes" aria-label=move || tr(Msg::CmdScopes)>
                    {s().scopes.into_iter().map(|(id, name)| view! {
                        <a href=format!("/command?scope={id}") rel="external" aria-current=move || (snap.with(|x| x.scope) == id).then_some("page")>{name}</a>
                    }).collect_view()}
                </nav>
            })}
            <p class="muted" data-test="command-clock">
                {move || format_cst(now.get())}
                " · "
                {move || if live.get() { tr(Msg::CmdLive) } else { tr(Msg::CmdConnecting) }}
            </p>
        </header>
        <div class="command-grid">
            <section class="panel" data-test="panel-funnel">
                <h2>{move || tr(Msg::CmdFunnel)}</h2>
                <FunnelLine label=Msg::CmdToday f=Signal::derive(move || s().today) test="funnel-today" />
                <FunnelLine label=Msg::CmdMonth f=Signal::derive(move || s().month) test="funnel-month" />
                <Chart option=Signal::derive(move || funnel_chart(&s().today, &s().month)) label=Msg::CmdFunnel />
            </section>
            <section class="panel emergencies" data-test="panel-emergencies">
                <h2>{move || tr(Msg::CmdEmergencies)}</h2>
                {move || {
                    let list = s().emergencies;
                    if list.is_empty() {
                        view! { <p class="muted">{move || tr(Msg::CmdNoEmergency)}</p> }.into_any()
                    } else {
                        list.into_iter().map(|e| {
                            let started = e.started_ms;
                            let acked = e.acked.clone();
                            let on_site = e.on_site.clone();
                            let nobody = on_site.is_none();
                            let late = move || nobody && ON_SITE_MS < now.get() - started;
                            view! {
                                <div class="emergency" data-test="command-emergency" class:late=late>
                                    <strong>{e.title.clone()}</strong>
                                    <p data-test="emergency-timer">
                                        <span class="timer">{move || elapsed(now.get() - started)}</span>
                                        " · "
                                        {match &acked { Some((who, t)) => format!("{} {} ({})", tr(Msg::CmdAcked), who, elapsed(t - started)), None => tr(Msg::CmdNotAcked).replace("{s}", &(ACK_MS / 1000).to_string()) }}
                                        " · "
                                        {match &on_site { Some((who, t)) => format!("{} {} ({})", tr(Msg::CmdOnSite), who, elapsed(t - started)), None => tr(Msg::CmdNotOnSite).replace("{s}", &(ON_SITE_MS / 60_000).to_string()) }}
                                        {e.escalated.then(|| view! { " · " <span class="chip warn">{move || tr(Msg::CmdEscalated)}</span> })}
                                    </p>
                                </div>
                            }
                        }).collect_view().into_any()
                    }
                }}
                <p class="muted small">{move || {
                    let t = s().timers;
                    tr(Msg::EmFigures)
                        .replace("{n}", &t.rung.to_string())
                        .replace("{a}", &t.ack_in_time.to_string())
                        .replace("{s}", &t.on_site_in_time.to_string())
                        .replace("{e}", &t.escalated.to_string())
                }}</p>
            </section>
            <section class="panel" data-test="panel-duty">
                <h2>{move || tr(Msg::CmdOnDuty)}</h2>
                {move || s().on_duty.into_iter().map(|d| view! {
                    <p data-test="command-duty"><strong>{d.scope}</strong> "：" {d.leader} " · " {d.officers.join("、")}</p>
                }).collect_view()}
                <h3>{move || tr(Msg::CmdPatrols)}</h3>
                {move || {
                    let p = s().patrols;
                    if p.is_empty() {
                        view! { <p class="muted">{move || tr(Msg::CmdNoPatrol)}</p> }.into_any()
                    } else {
                        p.into_iter().map(|p| view! { <p>{p.title} "：" {p.people.join("、")}</p> }).collect_view().into_any()
                    }
                }}
                <h3>{move || tr(Msg::CmdAlert)}</h3>
                {move || match s().alert {
                    None => view! { <p class="muted">{move || tr(Msg::CmdNoAlert)}</p> }.into_any(),
                    Some(a) => view! {
                        <p data-test="command-alert"><a href=format!("/alerts/{}/coverage", a.id)>{a.title}</a></p>
                        <p>{tr(Msg::CmdAlertReach)
                            .replace("{d}", &a.targeted.to_string())
                            .replace("{o}", &a.reached.to_string())
                            .replace("{s}", &a.safe.to_string())
                            .replace("{h}", &a.need_help.to_string())}</p>
                    }.into_any(),
                }}
            </section>
            <section class="panel wide" data-test="panel-map">
                <h2>{move || tr(Msg::CmdMap)}</h2>
                <CommandMap snap=snap />
            </section>
            <section class="panel" data-test="panel-hours">
                <h2>{move || tr(Msg::CmdByHour)}</h2>
                <Chart option=Signal::derive(move || hours_chart(&s().by_hour)) label=Msg::CmdByHour />
            </section>
            <section class="panel" data-test="panel-overdue">
                <h2>{move || tr(Msg::CmdOverdue)}</h2>
                <Chart option=Signal::derive(move || bars_chart(&s().overdue, "#c62828")) label=Msg::CmdOverdue />
                <CountTable rows=Signal::derive(move || s().overdue) />
            </section>
            <section class="panel" data-test="panel-tops">
                <h2>{move || tr(Msg::CmdTopCategories)}</h2>
                <Chart option=Signal::derive(move || bars_chart(&s().top_categories, "#1565c0")) label=Msg::CmdTopCategories />
                <h2>{move || tr(Msg::CmdTopGrids)}</h2>
                <CountTable rows=Signal::derive(move || s().top_grids) />
            </section>
            <section class="panel" data-test="panel-sites">
                <h2>{move || tr(Msg::CmdSites).replace("{n}", &s().sites_overdue_total.to_string())}</h2>
                {move || s().sites_overdue.into_iter().map(|x| view! {
                    <p><a href=format!("/sites/{}", x.id)>{x.name}</a> <span class="muted small">{format!(" · {}", x.grid_name)}</span></p>
                }).collect_view()}
            </section>
            <section class="panel" data-test="panel-cameras">
                <h2>{move || tr(Msg::CamTitle)}</h2>
                <CameraPanel snap=snap />
            </section>
        </div>
    }
}

/// "01:05" from milliseconds.
fn elapsed(ms: i64) -> String {
    let s = ms.max(0) / 1000;
    format!("{:02}:{:02}", s / 60, s % 60)
}

#[component]
fn FunnelLine(label: Msg, f: Signal<Funnel>, test: &'static str) -> impl IntoView {
    view! {
        <p class="funnel" data-test=test>
            <strong>{move || tr(label)}</strong> " "
            {move || {
                let f = f.get();
                format!(
                    "{} {} → {} {} → {} {} → {} {} → {} {}",
                    tr(Msg::CmdReported), f.reported, tr(Msg::CmdAccepted), f.accepted,
                    tr(Msg::CmdFixed), f.fixed, tr(Msg::CmdChecked), f.checked,
                    tr(Msg::CmdClosed), f.closed
                )
            }}
        </p>
    }
}

#[component]
fn CountTable(rows: Signal<Vec<Count>>) -> impl IntoView {
    view! {
        <table class="counts">
            <tbody>
                {move || rows.get().into_iter().map(|c| view! {
                    <tr><td>{if c.name.is_empty() { "—".to_owned() } else { c.name }}</td><td class="n">{c.n}</td></tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

#[component]
fn CommandMap(snap: RwSignal<CommandSnapshot>) -> impl IntoView {
    let spots = Signal::derive(move || {
        snap.with(|s| {
            let max = s.heat.iter().map(|c| c.n).max().unwrap_or(1).max(1);
            let mut out: Vec<Spot> = s
                .heat
                .iter()
                .take(400)
                .map(|c| Spot {
                    at: LatLng::new(c.lat, c.lng),
                    label: c.n.to_string(),
                    colour: heat_colour(c.n, max),
                })
                .collect();
            out.extend(s.cameras.iter().map(|c| Spot {
                at: LatLng::new(c.lat, c.lng),
                label: c.name.clone(),
                colour: "#1565c0",
            }));
            out.extend(s.sites_overdue.iter().map(|x| Spot {
                at: LatLng::new(x.lat, x.lng),
                label: x.name.clone(),
                colour: "#6a1b9a",
            }));
            out
        })
    });
    view! {
        <SpotsMap spots=spots />
        <p class="muted small">{move || tr(Msg::CmdMapLegend)}</p>
    }
}

/// Yellow to red by a cell's share of the busiest cell.
fn heat_colour(n: i64, max: i64) -> &'static str {
    match n * 4 / max {
        0 => "#fdd835",
        1 => "#fb8c00",
        2 => "#f4511e",
        _ => "#b71c1c",
    }
}

#[component]
fn CameraPanel(snap: RwSignal<CommandSnapshot>) -> impl IntoView {
    let chosen = RwSignal::new(None::<i64>);
    view! {
        {move || {
            let cams = snap.with(|s| s.cameras.clone());
            if cams.is_empty() {
                view! { <p class="muted">{move || tr(Msg::CamNone)}</p> }.into_any()
            } else {
                view! {
                    <ul class="cams">
                        {cams.iter().map(|c| {
                            let id = c.id;
                            view! { <li><button type="button" class="secondary" data-test="command-camera"
                                aria-pressed=move || (chosen.get() == Some(id)).to_string()
                                on:click=move |_| chosen.set(Some(id))>{c.name.clone()}</button></li> }
                        }).collect_view()}
                    </ul>
                    {move || chosen.get().and_then(|id| cams.iter().find(|c| c.id == id).cloned()).map(|c| view! { <CameraPlayer camera=c /> })}
                }.into_any()
            }
        }}
    }
}

fn names(rows: &[Count]) -> Vec<String> {
    rows.iter()
        .map(|c| {
            if c.name.is_empty() {
                "—".into()
            } else {
                c.name.clone()
            }
        })
        .collect()
}

fn funnel_chart(today: &Funnel, month: &Funnel) -> serde_json::Value {
    let stages = [
        tr(Msg::CmdReported),
        tr(Msg::CmdAccepted),
        tr(Msg::CmdFixed),
        tr(Msg::CmdChecked),
        tr(Msg::CmdClosed),
    ];
    let v = |f: &Funnel| vec![f.reported, f.accepted, f.fixed, f.checked, f.closed];
    serde_json::json!({
        "animation": false,
        "grid": { "left": 56, "right": 16, "top": 28, "bottom": 24 },
        "legend": { "data": [tr(Msg::CmdToday), tr(Msg::CmdMonth)], "textStyle": { "color": "#e3f2fd" } },
        "xAxis": { "type": "value", "axisLabel": { "color": "#bbdefb" } },
        "yAxis": { "type": "category", "inverse": true, "data": stages, "axisLabel": { "color": "#e3f2fd" } },
        "series": [
            { "name": tr(Msg::CmdToday), "type": "bar", "data": v(today), "itemStyle": { "color": "#ffb300" } },
            { "name": tr(Msg::CmdMonth), "type": "bar", "data": v(month), "itemStyle": { "color": "#42a5f5" } }
        ]
    })
}

fn hours_chart(by_hour: &[i64]) -> serde_json::Value {
    serde_json::json!({
        "animation": false,
        "grid": { "left": 40, "right": 12, "top": 16, "bottom": 24 },
        "xAxis": { "type": "category", "data": (0..24).map(|h| format!("{h}")).collect::<Vec<_>>(), "axisLabel": { "color": "#bbdefb" } },
        "yAxis": { "type": "value", "minInterval": 1, "axisLabel": { "color": "#bbdefb" } },
        "series": [{ "type": "line", "data": by_hour, "areaStyle": {}, "itemStyle": { "color": "#4fc3f7" } }]
    })
}

fn bars_chart(rows: &[Count], colour: &str) -> serde_json::Value {
    serde_json::json!({
        "animation": false,
        "grid": { "left": 110, "right": 16, "top": 8, "bottom": 24 },
        "xAxis": { "type": "value", "minInterval": 1, "axisLabel": { "color": "#bbdefb" } },
        "yAxis": { "type": "category", "inverse": true, "data": names(rows), "axisLabel": { "color": "#e3f2fd", "width": 100, "overflow": "truncate" } },
        "series": [{ "type": "bar", "data": rows.iter().map(|c| c.n).collect::<Vec<_>>(), "itemStyle": { "color": colour } }]
    })
}

/// An ECharts chart fed `option`; on the server (and before the script loads) an empty
/// labelled box of the same size.
#[component]
fn Chart(option: Signal<serde_json::Value>, label: Msg) -> impl IntoView {
    let node = NodeRef::<Div>::new();
    #[cfg(feature = "hydrate")]
    browser::chart(node, option);
    #[cfg(not(feature = "hydrate"))]
    let _ = option;
    view! { <div class="chart" node_ref=node role="img" aria-label=move || tr(label)></div> }
}

#[cfg(feature = "hydrate")]
mod browser {
    use super::*;
    use crate::domain::command::CommandSnapshot;
    use wasm_bindgen::JsCast;
    use wasm_bindgen::prelude::*;

    #[wasm_bindgen]
    extern "C" {
        type ECharts;
        #[wasm_bindgen(js_namespace = echarts, js_name = init)]
        fn init(el: &web_sys::HtmlElement) -> ECharts;
        #[wasm_bindgen(method, js_name = setOption)]
        fn set_option(this: &ECharts, option: &JsValue, not_merge: bool);
    }

    const SCRIPT: &str = "/vendor/echarts.common.min.js";

    /// Charts waiting for the script (`None` until it is first asked for).
    type Waiting = Option<Vec<Box<dyn FnOnce()>>>;

    thread_local! {
        static LOADING: std::cell::RefCell<Waiting> = const { std::cell::RefCell::new(None) };
    }

    /// Runs `f` once ECharts is loaded (loading it on first use).
    fn with_echarts(f: impl FnOnce() + 'static) {
        let Some(window) = web_sys::window() else {
            return;
        };
        if js_sys::Reflect::has(&window, &"echarts".into()).unwrap_or(false) {
            f();
            return;
        }
        let first = LOADING.with(|l| {
            let mut l = l.borrow_mut();
            let first = l.is_none();
            l.get_or_insert_with(Vec::new).push(Box::new(f));
            first
        });
        if !first {
            return;
        }
        let Some(doc) = window.document() else { return };
        let Ok(el) = doc.create_element("script") else {
            return;
        };
        let _ = el.set_attribute("src", SCRIPT);
        let onload = Closure::once_into_js(move || {
            let waiting = LOADING.with(|l| l.borrow_mut().take()).unwrap_or_default();
            for f in waiting {
                f();
            }
        });
        let el: web_sys::HtmlScriptElement = el.unchecked_into();
        el.set_onload(Some(onload.unchecked_ref()));
        if let Some(head) = doc.head() {
            let _ = head.append_child(&el);
        }
    }

    pub fn chart(node: NodeRef<Div>, option: Signal<serde_json::Value>) {
        let held: StoredValue<Option<ECharts>, LocalStorage> = StoredValue::new_local(None);
        Effect::new(move |_| {
            let opt = option.get();
            let Some(el) = node.get() else { return };
            with_echarts(move || {
                let Ok(js) = js_sys::JSON::parse(&opt.to_string()) else {
                    return;
                };
                if held.with_value(Option::is_none) {
                    let el: &web_sys::HtmlElement = el.as_ref();
                    held.set_value(Some(init(el)));
                }
                held.with_value(|c| {
                    if let Some(c) = c {
                        c.set_option(&js, true);
                    }
                });
            });
        });
    }

    /// Follows `/api/command/live`, replacing the snapshot at each event.
    pub fn follow(scope: i64, snap: RwSignal<CommandSnapshot>, live: RwSignal<bool>) {
        let Ok(es) = web_sys::EventSource::new(&format!("/api/command/live?scope={scope}")) else {
            return;
        };
        let on_snap =
            Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
                if let Some(s) = e
                    .data()
                    .as_string()
                    .and_then(|d| serde_json::from_str::<CommandSnapshot>(&d).ok())
                {
                    // The page may be gone (navigation): then nothing is set.
                    if live.try_set(true).is_none() {
                        let _ = snap.try_set(s);
                    }
                }
            });
        let _ = es.add_event_listener_with_callback("snapshot", on_snap.as_ref().unchecked_ref());
        on_snap.forget();
        let on_error = Closure::<dyn Fn()>::new(move || {
            let _ = live.try_set(false);
        });
        es.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        on_error.forget();
        let held: StoredValue<web_sys::EventSource, LocalStorage> = StoredValue::new_local(es);
        on_cleanup(move || {
            let _ = held.try_with_value(web_sys::EventSource::close);
        });
    }
}
