//! The week's shifts (with the roster export and team gaps for coordinators) and the
//! community events list.
use super::{mine_badge, seats};
use crate::api::grid::list_grids;
use crate::api::shift::{shift_list, team_list};
use crate::components::error::error_view;
use crate::domain::authz::Action;
use crate::domain::grid::GridLevel;
use crate::domain::shift::{Shift, ShiftKind, WEEK_MS, format_when, week_start};
use crate::domain::time::{format_cst, now_ms};
use crate::i18n::Msg;
use crate::pages::{loading, may};
use crate::providers::tr;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

/// `/shifts?week=N`: this week (0), the next (1) … and, for coordinators, the gaps.
#[component]
pub fn ShiftsPage() -> impl IntoView {
    let query = use_query_map();
    let week = move || {
        query.with(|q| {
            q.get("week")
                .and_then(|w| w.parse::<i64>().ok())
                .unwrap_or(0)
                .clamp(-8, 8)
        })
    };
    let grid = RwSignal::new(None::<i64>);
    let list = Resource::new(
        move || (week(), grid.get()),
        |(w, g)| async move {
            let from = week_start(now_ms()) + w * WEEK_MS;
            shift_list(from, from + WEEK_MS, g).await
        },
    );
    let grids = Resource::new(|| (), |_| list_grids());
    let manages = may(Action::ManageShifts);
    view! {
        <section class="page">
            <h1>{move || tr(Msg::ShiftsTitle)}</h1>
            <Transition fallback=|| ()>
                <Show when=manages>
                    <p class="actions">
                        <A href="/shifts/new" attr:class="button primary" attr:data-test="new-shift">{move || tr(Msg::ShiftNew)}</A>
                        <A href="/teams" attr:class="button" attr:data-test="teams-link">{move || tr(Msg::TeamsManage)}</A>
                    </p>
                    <TeamGaps />
                    <p class="actions" data-test="roster-export">
                        <span>{move || tr(Msg::RosterExport)}</span>
                        <a class="button" download href=move || export_href(week(), grid.get(), "csv") data-test="export-csv">"CSV"</a>
                        <a class="button" download href=move || export_href(week(), grid.get(), "xlsx") data-test="export-xlsx">"XLSX"</a>
                    </p>
                </Show>
            </Transition>
            <nav class="week-nav" aria-label=move || tr(Msg::ShiftWeek)>
                <A href=move || format!("/shifts?week={}", week() - 1) attr:class="button" attr:data-test="prev-week">{move || tr(Msg::ShiftPrevWeek)}</A>
                <strong data-test="week-label">{move || {
                    let from = week_start(now_ms()) + week() * WEEK_MS;
                    let a = format_cst(from);
                    let b = format_cst(from + WEEK_MS - 1);
                    format!("{} – {}", a.get(5..10).unwrap_or_default(), b.get(5..10).unwrap_or_default())
                }}</strong>
                <A href=move || format!("/shifts?week={}", week() + 1) attr:class="button" attr:data-test="next-week">{move || tr(Msg::ShiftNextWeek)}</A>
            </nav>
            <label>
                {move || tr(Msg::Grid)}
                <select data-test="grid-filter" on:change=move |ev| grid.set(event_target_value(&ev).parse().ok())>
                    <option value="">{move || tr(Msg::ShiftAllGrids)}</option>
                    <Transition fallback=|| ()>
                        {move || grids.get().and_then(|r| r.ok()).map(|gs| gs.into_iter()
                            .filter(|g| g.level == GridLevel::Grid)
                            .map(|g| view! { <option value=g.id.0.to_string()>{g.name}</option> })
                            .collect_view())}
                    </Transition>
                </select>
            </label>
            <Transition fallback=loading>
                {move || list.get().map(|r| match r {
                    Ok(l) if l.is_empty() => view! { <p class="muted">{move || tr(Msg::ShiftsEmpty)}</p> }.into_any(),
                    Ok(l) => view! { <ShiftDays shifts=l manages=manages() /> }.into_any(),
                    Err(e) => error_view(e),
                })}
            </Transition>
            <p><A href="/me/hours" attr:class="link" attr:data-test="my-hours-link">{move || tr(Msg::ShiftMyHours)}</A></p>
        </section>
    }
}

/// The roster export of week `week` (0 = this one), one grid or all.
fn export_href(week: i64, grid: Option<i64>, ext: &str) -> String {
    let monday = format_cst(week_start(now_ms()) + week * WEEK_MS);
    let mut href = format!(
        "/api/shifts/export/roster.{ext}?from={}",
        monday.get(..10).unwrap_or_default()
    );
    if let Some(g) = grid {
        href.push_str(&format!("&grid={g}"));
    }
    href
}

/// Grids with fewer than two active teams, for coordinators.
#[component]
fn TeamGaps() -> impl IntoView {
    let teams = Resource::new(|| (), |_| team_list());
    view! {
        <Transition fallback=|| ()>
            {move || teams.get().and_then(|r| r.ok()).map(|t| t.gaps()).filter(|g| !g.is_empty()).map(|gaps| view! {
                <section class="card warn" data-test="team-gaps">
                    <h2>{move || tr(Msg::ShiftTeamGaps)}</h2>
                    <ul>
                        {gaps.into_iter().map(|(name, n)| view! {
                            <li data-test="team-gap">{name} " · " {move || tr(Msg::ShiftTeamsCount)} " " {n}</li>
                        }).collect_view()}
                    </ul>
                </section>
            })}
        </Transition>
    }
}

#[component]
fn ShiftDays(shifts: Vec<Shift>, manages: bool) -> impl IntoView {
    let mut days: Vec<(String, Vec<Shift>)> = Vec::new();
    for s in shifts {
        let day = format_cst(s.starts_at)
            .get(..10)
            .unwrap_or_default()
            .to_owned();
        match days.last_mut() {
            Some((d, list)) if *d == day => list.push(s),
            _ => days.push((day, vec![s])),
        }
    }
    view! {
        <div data-test="shift-days">
            {days.into_iter().map(|(day, list)| view! {
                <h2 class="day">{day}</h2>
                <ul class="cards">
                    {list.into_iter().map(|s| view! { <ShiftLine s=s manages=manages /> }).collect_view()}
                </ul>
            }).collect_view()}
        </div>
    }
}

#[component]
pub(super) fn ShiftLine(s: Shift, manages: bool) -> impl IntoView {
    let gap = manages && s.short();
    let full = s.taken >= s.capacity;
    let pct = (s.taken * 100)
        .checked_div(s.capacity)
        .unwrap_or(0)
        .min(100);
    let class = match (s.cancelled, gap) {
        (true, _) => "card shift cancelled",
        (_, true) => "card shift gap",
        _ => "card shift",
    };
    let kind = s.kind;
    let id = s.id.0;
    let seat_text = seats(&s);
    let badge = mine_badge(&s);
    view! {
        <li class=class data-test="shift-line" data-id=id.to_string()>
            <A href=format!("/shifts/{id}")>
                <strong>{s.title.clone()}</strong>
                <span class="muted">{move || tr(kind.label())} " · " {s.grid_name.clone()}
                    {s.team.clone().map(|t| format!(" · {t}"))}</span>
                <span>{format_when(s.starts_at, s.ends_at)} " · " {s.place.clone()}</span>
                <span class="fill" aria-hidden="true"><span style=format!("width:{pct}%")></span></span>
                <span data-test="seats">{move || tr(Msg::ShiftSeats)} " " {seat_text}</span>
                {s.cancelled.then(|| view! { <span class="badge">{move || tr(Msg::ShiftCalledOff)}</span> })}
                {(full && !s.cancelled).then(|| view! { <span class="badge">{move || tr(Msg::ShiftFull)}</span> })}
                {gap.then(|| view! { <span class="badge warn" data-test="gap">{move || tr(Msg::ShiftGap)}</span> })}
                {badge}
            </A>
        </li>
    }
}

/// `/events`: community events (百家宴, 写春联, performances) in the next 60 days.
#[component]
pub fn EventsPage() -> impl IntoView {
    let list = Resource::new(
        || (),
        |_| async move {
            let from = now_ms() - 3 * 3600 * 1000;
            shift_list(from, from + 60 * 24 * 3600 * 1000, None)
                .await
                .map(|l| {
                    l.into_iter()
                        .filter(|s| s.kind == ShiftKind::Event)
                        .collect::<Vec<_>>()
                })
        },
    );
    view! {
        <section class="page">
            <h1>{move || tr(Msg::EventsTitle)}</h1>
            <Transition fallback=loading>
                {move || list.get().map(|r| match r {
                    Ok(l) if l.is_empty() => view! { <p class="muted">{move || tr(Msg::EventsEmpty)}</p> }.into_any(),
                    Ok(l) => view! { <ShiftDays shifts=l manages=false /> }.into_any(),
                    Err(e) => error_view(e),
                })}
            </Transition>
        </section>
    }
}
