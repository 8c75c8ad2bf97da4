//! Volunteer shifts and events: the week's roster (with gaps for coordinators), making
//! a shift (one-off or weekly), one shift with sign-up / waitlist and, for its
//! coordinators, the roster, the check-in QR code and hand check-in; the check-in
//! page the QR code opens; my hours and a printable certificate.
use super::{Guarded, chosen_grid, id_param, loading, may};
use crate::api::grid::list_grids;
use crate::api::shift::{
    calendar_token, cancel_shift, change_team, check_in_shift, check_out_shift, create_shift,
    create_team, edit_series, fetch_shift, leave_shift, mark_shift, my_hours, my_shifts,
    shift_list, sign_up_shift, team_list, team_members,
};
use crate::components::error::{ErrorNote, error_view};
use crate::domain::AppError;
use crate::domain::authz::Action;
use crate::domain::grid::GridLevel;
use crate::domain::shift::{
    EVERY_MAX, MonthHours, NOTE_MAX, PLACE_MAX, Recurrence, RosterLine, SeriesRule, Shift,
    ShiftDetail, ShiftInput, ShiftKind, SignupState, TEAM_NAME_MAX, TITLE_MAX, Team, TeamChange,
    WEEK_MS, check_rule, check_shift, check_team_name, describe_rule, format_when, parse_local,
    week_start, weekday_bit, weekday_name,
};
use crate::domain::time::{format_cst, now_ms};
use crate::i18n::Msg;
use crate::providers::lang::use_lang;
use crate::providers::session::use_session;
use crate::providers::tr;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

fn seats(s: &Shift) -> String {
    let mut t = format!("{} / {}", s.taken, s.capacity);
    if s.waiting > 0 {
        t.push_str(&format!(" · {} {}", tr(Msg::ShiftWaitingCount), s.waiting));
    }
    t
}

fn mine_badge(s: &Shift) -> Option<impl IntoView + use<>> {
    let state = s.mine?;
    let pos = s.my_position;
    Some(view! {
        <span class=if state == SignupState::Seated { "badge ok" } else { "badge warn" } data-test="my-state">
            {move || tr(state.label())}
            {pos.map(|p| format!(" #{p}"))}
        </span>
    })
}

/// Hours and minutes: "3 小时 20 分".
fn hours_text(minutes: u32) -> String {
    let (h, m) = (minutes / 60, minutes % 60);
    Msg::ShiftHoursValue
        .text(use_lang().get_untracked())
        .replace("{h}", &h.to_string())
        .replace("{m}", &m.to_string())
}

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
fn ShiftLine(s: Shift, manages: bool) -> impl IntoView {
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

#[component]
pub fn ShiftNewPage() -> impl IntoView {
    view! {
        <Guarded action=Action::ManageShifts title=Msg::ShiftNew>
            <ShiftForm />
        </Guarded>
    }
}

#[component]
fn ShiftForm() -> impl IntoView {
    let kind = RwSignal::new(ShiftKind::Patrol);
    let grid = RwSignal::new(String::new());
    let team = RwSignal::new(String::new());
    let title = RwSignal::new(tr(Msg::ShiftDefaultTitle).to_owned());
    let place = RwSignal::new(String::new());
    let date = RwSignal::new(String::new());
    let time = RwSignal::new("19:00".to_owned());
    let minutes = RwSignal::new("120".to_owned());
    let capacity = RwSignal::new("6".to_owned());
    let min_seats = RwSignal::new("2".to_owned());
    let cutoff = RwSignal::new("2".to_owned());
    // 0: one-off; n: every n weeks.
    let every = RwSignal::new(0u32);
    let weekdays = RwSignal::new(0u8);
    let until = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let error = RwSignal::new(None::<AppError>);
    let busy = RwSignal::new(false);
    let grids = Resource::new(|| (), |_| list_grids());
    let teams = Resource::new(|| (), |_| team_list());
    let navigate = leptos_router::hooks::use_navigate();
    let number = |s: RwSignal<String>| s.get_untracked().trim().parse::<u32>().unwrap_or(0);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let Some(starts_at) = parse_local(&date.get_untracked(), &time.get_untracked()) else {
            error.set(Some(AppError::invalid("starts_at", Msg::ErrShiftDate)));
            return;
        };
        let g = match chosen_grid(&grid.get_untracked()) {
            Ok(g) => g,
            Err(e) => {
                error.set(Some(e));
                return;
            }
        };
        let input = ShiftInput {
            kind: kind.get_untracked(),
            grid: g,
            team: team
                .get_untracked()
                .parse::<i64>()
                .ok()
                .map(crate::domain::shift::TeamId),
            title: title.get_untracked(),
            place: place.get_untracked(),
            starts_at,
            minutes: number(minutes),
            capacity: number(capacity),
            min_seats: number(min_seats),
            note: note.get_untracked(),
            cutoff_hours: number(cutoff),
            repeat: (every.get_untracked() > 0).then(|| Recurrence {
                weekdays: weekdays.get_untracked(),
                every: every.get_untracked(),
                until: until.get_untracked(),
                except: Vec::new(),
            }),
        };
        if let Err(e) = check_shift(&input, now_ms()) {
            error.set(Some(e));
            return;
        }
        error.set(None);
        busy.set(true);
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            let r = create_shift(input).await;
            busy.set(false);
            match r {
                Ok(ids) => navigate(
                    &format!("/shifts/{}", ids.first().copied().unwrap_or_default()),
                    Default::default(),
                ),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let field = move |label: Msg,
                      sig: RwSignal<String>,
                      test: &'static str,
                      min: &'static str,
                      max: &'static str| {
        view! {
            <label>
                {move || tr(label)}
                <input type="number" inputmode="numeric" min=min max=max required data-test=test
                    prop:value=sig on:input=move |ev| sig.set(event_target_value(&ev)) />
            </label>
        }
    };
    view! {
        <form class="form" on:submit=submit data-test="shift-form">
            <label>
                {move || tr(Msg::ShiftKind)}
                <select data-test="shift-kind" on:change=move |ev| kind.set(ShiftKind::parse(&event_target_value(&ev)).unwrap_or_default())>
                    <option value="patrol">{move || tr(Msg::ShiftKindPatrol)}</option>
                    <option value="event">{move || tr(Msg::ShiftKindEvent)}</option>
                </select>
            </label>
            <label>
                {move || tr(Msg::Grid)}
                <select required data-test="shift-grid" on:change=move |ev| { grid.set(event_target_value(&ev)); team.set(String::new()); }>
                    <option value="">{move || tr(Msg::ShiftChooseGrid)}</option>
                    <Transition fallback=|| ()>
                        {move || grids.get().and_then(|r| r.ok()).map(|gs| gs.into_iter()
                            .filter(|g| g.level == GridLevel::Grid)
                            .map(|g| view! { <option value=g.id.0.to_string() data-code=g.code.clone()>{g.name}</option> })
                            .collect_view())}
                    </Transition>
                </select>
            </label>
            <label>
                {move || tr(Msg::ShiftTeam)}
                <select data-test="shift-team" prop:value=team on:change=move |ev| team.set(event_target_value(&ev))>
                    <option value="">{move || tr(Msg::ShiftNoTeam)}</option>
                    <Transition fallback=|| ()>
                        {move || teams.get().and_then(|r| r.ok()).map(|ts| ts.teams.into_iter()
                            .filter(|t| t.active && t.grid.0.to_string() == grid.get())
                            .map(|t| view! { <option value=t.id.0.to_string()>{t.name}</option> })
                            .collect_view())}
                    </Transition>
                </select>
            </label>
            <label>
                {move || tr(Msg::AlertTitleField)}
                <input type="text" maxlength=TITLE_MAX.to_string() required data-test="shift-title"
                    prop:value=title on:input=move |ev| title.set(event_target_value(&ev)) />
            </label>
            <label>
                {move || tr(Msg::ShiftPlace)}
                <input type="text" maxlength=PLACE_MAX.to_string() required data-test="shift-place"
                    prop:value=place on:input=move |ev| place.set(event_target_value(&ev)) />
            </label>
            <div class="row">
                <label>
                    {move || tr(Msg::ShiftDate)}
                    <input type="date" required data-test="shift-date"
                        prop:value=date on:input=move |ev| date.set(event_target_value(&ev)) />
                </label>
                <label>
                    {move || tr(Msg::ShiftTime)}
                    <input type="time" required data-test="shift-time"
                        prop:value=time on:input=move |ev| time.set(event_target_value(&ev)) />
                </label>
            </div>
            {field(Msg::ShiftMinutes, minutes, "shift-minutes", "15", "720")}
            <div class="row">
                {field(Msg::ShiftCapacity, capacity, "shift-capacity", "1", "500")}
                {field(Msg::ShiftMinSeats, min_seats, "shift-min", "0", "500")}
            </div>
            {field(Msg::ShiftCutoff, cutoff, "shift-cutoff", "0", "168")}
            <label>
                {move || tr(Msg::ShiftRepeat)}
                <select data-test="shift-repeat" on:change=move |ev| {
                    let n = event_target_value(&ev).parse().unwrap_or(0);
                    every.set(n);
                    // Start from the first date's weekday.
                    if n > 0 && weekdays.get_untracked() == 0
                        && let Some(t) = parse_local(&date.get_untracked(), "12:00")
                    {
                        weekdays.set(weekday_bit(t));
                    }
                }>
                    <option value="0">{move || tr(Msg::ShiftRepeatNone)}</option>
                    <EveryOptions />
                </select>
            </label>
            <Show when=move || { every.get() > 0 }>
                <RuleFields weekdays=weekdays until=until />
            </Show>
            <label>
                {move || tr(Msg::ShiftNote)}
                <textarea rows="3" maxlength=NOTE_MAX.to_string() data-test="shift-note"
                    prop:value=note on:input=move |ev| note.set(event_target_value(&ev))></textarea>
            </label>
            <ErrorNote error=error />
            <button type="submit" class="primary" disabled=busy data-test="shift-save">
                {move || if busy.get() { tr(Msg::Working) } else { tr(Msg::ShiftSave) }}
            </button>
        </form>
    }
}

/// "Every week", "Every 2 weeks" … as select options.
#[component]
fn EveryOptions() -> impl IntoView {
    (1..=EVERY_MAX)
        .map(|n| {
            view! {
                <option value=n.to_string()>{move || if n == 1 {
                    tr(Msg::ShiftEveryWeek).to_owned()
                } else {
                    tr(Msg::ShiftEveryNWeeks).replace("{n}", &n.to_string())
                }}</option>
            }
        })
        .collect_view()
}

/// A weekly rule's weekdays (seven large toggles) and its last date.
#[component]
fn RuleFields(weekdays: RwSignal<u8>, until: RwSignal<String>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <fieldset class="weekdays" data-test="rule-weekdays">
            <legend>{move || tr(Msg::ShiftWeekdays)}</legend>
            <div class="row">
                {(0..7usize).map(|wd| {
                    let bit = 1u8 << wd;
                    view! {
                        <label class="check day">
                            <input type="checkbox" data-test=format!("weekday-{wd}")
                                prop:checked=move || weekdays.get() & bit != 0
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    weekdays.update(|w| if on { *w |= bit } else { *w &= !bit });
                                } />
                            {move || weekday_name(wd, lang.get())}
                        </label>
                    }
                }).collect_view()}
            </div>
        </fieldset>
        <label>
            {move || tr(Msg::ShiftUntil)}
            <input type="date" required data-test="rule-until"
                prop:value=until on:input=move |ev| until.set(event_target_value(&ev)) />
        </label>
    }
}

/// A series' rule in words and, for its coordinators, the rule editor: weekdays,
/// every n weeks, the last date, and the dates left out.
#[component]
fn SeriesPanel(
    id: i64,
    series: SeriesRule,
    manages: bool,
    version: RwSignal<u32>,
    notice: RwSignal<Option<String>>,
) -> impl IntoView {
    let lang = use_lang();
    let words = series.clone();
    let r = series.rule;
    let weekdays = RwSignal::new(r.weekdays);
    let every = RwSignal::new(r.every);
    let until = RwSignal::new(r.until);
    let except = RwSignal::new(r.except);
    let new_except = RwSignal::new(String::new());
    let error = RwSignal::new(None::<AppError>);
    let busy = RwSignal::new(false);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let rule = Recurrence {
            weekdays: weekdays.get_untracked(),
            every: every.get_untracked(),
            until: until.get_untracked(),
            except: except.get_untracked(),
        };
        if let Err(e) = check_rule(&rule, series.first_start, now_ms()) {
            error.set(Some(e));
            return;
        }
        error.set(None);
        busy.set(true);
        leptos::task::spawn_local(async move {
            let r = edit_series(id, rule).await;
            busy.set(false);
            match r {
                Ok(c) => {
                    notice.set(Some(
                        tr(Msg::ShiftRuleDone)
                            .replace("{a}", &c.added.to_string())
                            .replace("{r}", &c.removed.to_string())
                            .replace("{c}", &c.called_off.to_string())
                            .replace("{s}", &c.restored.to_string()),
                    ));
                    version.update(|v| *v += 1);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let add_except = move |_| {
        let d = new_except.get_untracked();
        if parse_local(&d, "00:00").is_none() {
            error.set(Some(AppError::invalid("except", Msg::ErrRuleExcept)));
            return;
        }
        error.set(None);
        except.update(|e| {
            if !e.contains(&d) {
                e.push(d);
                e.sort();
            }
        });
        new_except.set(String::new());
    };
    view! {
        <section class="card" data-test="series">
            <h2>{move || tr(Msg::ShiftRule)}</h2>
            <p data-test="series-rule">{move || describe_rule(&words, lang.get())}</p>
            {manages.then(|| view! {
                <details>
                    <summary class="button" data-test="series-edit">{move || tr(Msg::ShiftRuleEdit)}</summary>
                    <form class="form" on:submit=save data-test="series-form">
                        <label>
                            {move || tr(Msg::ShiftRepeat)}
                            <select data-test="rule-every" prop:value=move || every.get().to_string()
                                on:change=move |ev| every.set(event_target_value(&ev).parse().unwrap_or(1))>
                                <EveryOptions />
                            </select>
                        </label>
                        <RuleFields weekdays=weekdays until=until />
                        <fieldset>
                            <legend>{move || tr(Msg::ShiftExcept)}</legend>
                            <ul class="chips" data-test="rule-except">
                                <For each=move || except.get() key=|d| d.clone() let:d>
                                    {
                                        let label = d.clone();
                                        view! {
                                            <li class="chip">
                                                {d.clone()}
                                                <button type="button" class="link" aria-label=move || format!("{} {label}", tr(Msg::ShiftExceptRemove))
                                                    on:click=move |_| except.update(|e| e.retain(|x| *x != d))>"×"</button>
                                            </li>
                                        }
                                    }
                                </For>
                            </ul>
                            <div class="row">
                                <input type="date" data-test="rule-except-date" aria-label=move || tr(Msg::ShiftExcept)
                                    prop:value=new_except on:input=move |ev| new_except.set(event_target_value(&ev)) />
                                <button type="button" on:click=add_except data-test="rule-except-add">{move || tr(Msg::ShiftExceptAdd)}</button>
                            </div>
                        </fieldset>
                        <p class="muted small">{move || tr(Msg::ShiftRuleHint)}</p>
                        <ErrorNote error=error />
                        <button type="submit" class="primary" disabled=busy data-test="series-save">
                            {move || if busy.get() { tr(Msg::Working) } else { tr(Msg::ShiftRuleSave) }}
                        </button>
                    </form>
                </details>
            }.into_any())}
        </section>
    }
    .into_any()
}

#[component]
pub fn ShiftPage() -> impl IntoView {
    let id = id_param();
    let version = RwSignal::new(0u32);
    let detail = Resource::new(move || (id(), version.get()), |(id, _)| fetch_shift(id));
    // Kept outside the view that is rebuilt after each change, so the answer stays.
    let notice = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<AppError>);
    view! {
        <section class="page narrow">
            <Transition fallback=loading>
                {move || detail.get().map(|r| match r {
                    Ok(d) => view! { <ShiftView d=d version=version notice=notice error=error /> }.into_any(),
                    Err(e) => error_view(e),
                })}
            </Transition>
        </section>
    }
}

#[component]
fn ShiftView(
    d: ShiftDetail,
    version: RwSignal<u32>,
    notice: RwSignal<Option<String>>,
    error: RwSignal<Option<AppError>>,
) -> impl IntoView {
    let session = use_session();
    let s = d.shift;
    let id = s.id.0;
    let kind = s.kind;
    let busy = RwSignal::new(false);
    let run = move |leave: bool| {
        busy.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            let r = if leave {
                leave_shift(id).await.map(|()| None)
            } else {
                sign_up_shift(id).await.map(Some)
            };
            busy.set(false);
            match r {
                Ok(outcome) => {
                    notice.set(outcome.map(|o| match o.position {
                        Some(p) => tr(Msg::ShiftJoinedWaitlist).replace("{n}", &p.to_string()),
                        None => tr(Msg::ShiftJoinedSeat).to_owned(),
                    }));
                    version.update(|v| *v += 1);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let started = now_ms() >= s.starts_at;
    let mine = s.mine;
    let can_leave =
        mine == Some(SignupState::Waiting) || (mine == Some(SignupState::Seated) && d.may_cancel);
    let cutoff = s.cutoff_hours;
    view! {
        <article class="shift-detail" data-test="shift">
            <p class="muted">{move || tr(kind.label())} " · " {s.grid_name.clone()} {s.team.clone().map(|t| format!(" · {t}"))}</p>
            <h1>{s.title.clone()}</h1>
            <dl class="facts">
                <dt>{move || tr(Msg::ShiftWhen)}</dt><dd data-test="when">{format_when(s.starts_at, s.ends_at)}</dd>
                <dt>{move || tr(Msg::ShiftPlace)}</dt><dd>{s.place.clone()}</dd>
                <dt>{move || tr(Msg::ShiftSeats)}</dt><dd data-test="seats">{seats(&s)}</dd>
            </dl>
            {(!s.note.is_empty()).then(|| view! { <p>{s.note.clone()}</p> })}
            {s.cancelled.then(|| view! { <p class="card warn" data-test="called-off">{move || tr(Msg::ShiftCalledOff)}</p> })}
            {mine_badge(&s)}
            {s.checked_in_at.map(|t| view! { <p class="ok" data-test="checked-in">{move || tr(Msg::ShiftCheckedIn)} " " {format_cst(t)}</p> })}
        </article>
        <Show when=move || notice.get().is_some()>
            <p class="ok" role="status" data-test="signup-result">{move || notice.get()}</p>
        </Show>
        <ErrorNote error=error />
        <Transition fallback=|| ()>
            {move || {
                if s.cancelled || started {
                    return None;
                }
                Some(if session.get().is_none() {
                    view! { <p class="card"><A href=format!("/login?next=/shifts/{id}")>{move || tr(Msg::ShiftSignInToJoin)}</A></p> }.into_any()
                } else if mine.is_none() {
                    view! {
                        <button type="button" class="primary big" disabled=busy on:click=move |_| run(false) data-test="sign-up">
                            {move || if s.taken >= s.capacity { tr(Msg::ShiftJoinWaitlist) } else { tr(Msg::ShiftSignUp) }}
                        </button>
                    }.into_any()
                } else if can_leave {
                    view! {
                        <button type="button" class="big" disabled=busy on:click=move |_| run(true) data-test="leave">
                            {move || tr(Msg::ShiftLeave)}
                        </button>
                    }.into_any()
                } else {
                    view! { <p class="muted" data-test="cutoff-passed">{move || tr(Msg::ShiftCutoffNote).replace("{h}", &cutoff.to_string())}</p> }.into_any()
                })
            }}
        </Transition>
        {d.series.map(|series| view! {
            <SeriesPanel id=id series=series manages=d.roster.is_some() version=version notice=notice />
        }.into_any())}
        {d.roster.map(|roster| view! {
            <Roster id=id roster=roster token=d.checkin_token.clone().unwrap_or_default() cancelled=s.cancelled version=version />
        })}
    }
}

#[component]
fn Roster(
    id: i64,
    roster: Vec<RosterLine>,
    token: String,
    cancelled: bool,
    version: RwSignal<u32>,
) -> impl IntoView {
    let error = RwSignal::new(None::<AppError>);
    let mark = move |signup: i64, out: bool| {
        error.set(None);
        leptos::task::spawn_local(async move {
            match mark_shift(id, signup, out).await {
                Ok(()) => version.update(|v| *v += 1),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let call_off = move |_| {
        leptos::task::spawn_local(async move {
            match cancel_shift(id).await {
                Ok(()) => version.update(|v| *v += 1),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let link = format!("/shifts/{id}/checkin?t={token}");
    view! {
        <section class="card" data-test="roster">
            <h2>{move || tr(Msg::ShiftRoster)} " (" {roster.len()} ")"</h2>
            <ErrorNote error=error />
            {if roster.is_empty() {
                view! { <p class="muted">{move || tr(Msg::ShiftNobodyYet)}</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap" tabindex="0" role="region" aria-label=move || tr(Msg::ShiftRoster)>
                        <table>
                            <tbody>
                                {roster.into_iter().map(|r| {
                                    let sid = r.signup;
                                    let seated = r.state == SignupState::Seated;
                                    let state = r.state;
                                    view! {
                                        <tr data-test="roster-line" data-state=state.as_str()>
                                            <td>{r.name.clone()}<br /><span class="muted">{r.phone.clone()}</span></td>
                                            <td>{move || tr(state.label())}</td>
                                            <td>{match (r.checked_in_at, r.checked_out_at) {
                                                (Some(a), Some(b)) => view! { <span data-test="served">{format_cst(a).get(11..).unwrap_or_default().to_owned()} "–" {format_cst(b).get(11..).unwrap_or_default().to_owned()} " · " {r.minutes.map(hours_text)}</span> }.into_any(),
                                                (Some(a), None) => view! {
                                                    <span data-test="arrived">{move || tr(Msg::ShiftCheckedIn)} " " {format_cst(a).get(11..).unwrap_or_default().to_owned()}</span>
                                                    <button type="button" on:click=move |_| mark(sid, true) data-test="mark-out">{move || tr(Msg::ShiftCheckOut)}</button>
                                                }.into_any(),
                                                (None, _) if seated && !cancelled => view! {
                                                    <button type="button" on:click=move |_| mark(sid, false) data-test="mark-in">{move || tr(Msg::ShiftCheckIn)}</button>
                                                }.into_any(),
                                                _ => ().into_any(),
                                            }}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        </section>
        {(!cancelled).then(|| view! {
            <section class="card qr" data-test="checkin-qr">
                <h2>{move || tr(Msg::ShiftQrTitle)}</h2>
                <p class="muted">{move || tr(Msg::ShiftQrHint)}</p>
                <img src=format!("/api/shifts/{id}/qr.svg") alt=move || tr(Msg::ShiftQrTitle) width="240" height="240" />
                <p><A href=link.clone() attr:data-test="checkin-link">{move || tr(Msg::ShiftCheckinLink)}</A></p>
            </section>
            <button type="button" class="danger" on:click=call_off data-test="call-off">{move || tr(Msg::ShiftCallOff)}</button>
        })}
    }
}

/// `/shifts/:id/checkin?t=…`: what the QR code opens on a volunteer's phone.
#[component]
pub fn CheckInPage() -> impl IntoView {
    let id = id_param();
    let query = use_query_map();
    let token = move || query.with(|q| q.get("t").unwrap_or_default());
    let session = use_session();
    let version = RwSignal::new(0u32);
    let detail = Resource::new(move || (id(), version.get()), |(id, _)| fetch_shift(id));
    let error = RwSignal::new(None::<AppError>);
    let done = RwSignal::new(None::<String>);
    let act = move |out: bool| {
        error.set(None);
        let (id, t) = (id(), token());
        leptos::task::spawn_local(async move {
            let r = if out {
                check_out_shift(id, t)
                    .await
                    .map(|m| tr(Msg::ShiftCheckedOutFor).replace("{t}", &hours_text(m)))
            } else {
                check_in_shift(id, t)
                    .await
                    .map(|at| format!("{} {}", tr(Msg::ShiftCheckedIn), format_cst(at)))
            };
            match r {
                Ok(text) => {
                    done.set(Some(text));
                    version.update(|v| *v += 1);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <section class="page narrow">
            <h1>{move || tr(Msg::ShiftCheckIn)}</h1>
            <Transition fallback=loading>
                {move || {
                    if session.get().is_none() {
                        let next = format!("/shifts/{}/checkin?t={}", id(), token());
                        return Some(view! { <p class="card"><A href=format!("/login?next={}", urlencode(&next))>{move || tr(Msg::ShiftSignInToCheckIn)}</A></p> }.into_any());
                    }
                    detail.get().map(|r| match r {
                        Ok(d) => {
                            let s = d.shift;
                            let checked_in = s.checked_in_at.is_some();
                            let checked_out = s.checked_out_at.is_some();
                            view! {
                                <article class="card" data-test="checkin-shift">
                                    <h2>{s.title.clone()}</h2>
                                    <p>{format_when(s.starts_at, s.ends_at)} " · " {s.place.clone()}</p>
                                </article>
                                {if checked_out {
                                    view! { <p class="ok" data-test="checked-out">{move || tr(Msg::ShiftThanks)}</p> }.into_any()
                                } else if checked_in {
                                    view! { <button type="button" class="primary big" on:click=move |_| act(true) data-test="check-out">{move || tr(Msg::ShiftCheckOut)}</button> }.into_any()
                                } else {
                                    view! { <button type="button" class="primary big" on:click=move |_| act(false) data-test="check-in">{move || tr(Msg::ShiftCheckIn)}</button> }.into_any()
                                }}
                            }.into_any()
                        }
                        Err(e) => error_view(e),
                    })
                }}
            </Transition>
            <Show when=move || done.get().is_some()>
                <p class="ok" role="status" data-test="checkin-result">{move || done.get()}</p>
            </Show>
            <ErrorNote error=error />
        </section>
    }
}

pub(crate) fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// `/me/hours`: my coming shifts and my hours by month.
#[component]
pub fn HoursPage() -> impl IntoView {
    let mine = Resource::new(|| (), |_| my_shifts());
    let hours = Resource::new(|| (), |_| my_hours());
    view! {
        <section class="page narrow">
            <h1>{move || tr(Msg::ShiftMyHours)}</h1>
            <h2>{move || tr(Msg::ShiftMine)}</h2>
            <Transition fallback=loading>
                {move || mine.get().map(|r| match r {
                    Ok(l) if l.is_empty() => view! { <p class="muted">{move || tr(Msg::ShiftMineEmpty)}</p> }.into_any(),
                    Ok(l) => view! {
                        <ul class="cards" data-test="my-shifts">
                            {l.into_iter().map(|s| view! { <ShiftLine s=s manages=false /> }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(e) => error_view(e),
                })}
            </Transition>
            <h2>{move || tr(Msg::ShiftHoursByMonth)}</h2>
            <Transition fallback=loading>
                {move || hours.get().map(|r| match r {
                    Ok(months) => view! { <HoursTable months=months /> }.into_any(),
                    Err(e) => error_view(e),
                })}
            </Transition>
            <p><A href="/me/hours/certificate" attr:class="button" attr:data-test="certificate-link">{move || tr(Msg::ShiftCertificate)}</A></p>
            <CalendarLink />
        </section>
    }
}

/// The volunteer's private iCalendar link, shown on request (and renewable).
#[component]
fn CalendarLink() -> impl IntoView {
    let token = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<AppError>);
    let fetch = move |renew: bool| {
        error.set(None);
        leptos::task::spawn_local(async move {
            match calendar_token(renew).await {
                Ok(t) => token.set(Some(t)),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let link = move || {
        token.get().map(|t| {
            let origin = window_origin();
            format!("{origin}/calendar/{t}.ics")
        })
    };
    view! {
        <section class="card" data-test="calendar">
            <h2>{move || tr(Msg::CalendarTitle)}</h2>
            <p class="muted">{move || tr(Msg::CalendarHint)}</p>
            <ErrorNote error=error />
            <Show
                when=move || token.get().is_some()
                fallback=move || view! {
                    <button type="button" on:click=move |_| fetch(false) data-test="calendar-show">{move || tr(Msg::CalendarShow)}</button>
                }
            >
                <p class="break"><a href=link data-test="calendar-link">{link}</a></p>
                <button type="button" on:click=move |_| fetch(true) data-test="calendar-renew">{move || tr(Msg::CalendarRenew)}</button>
            </Show>
        </section>
    }
}

/// `https://host` of the page (empty during server rendering; the link is only made
/// after a click).
fn window_origin() -> String {
    #[cfg(feature = "hydrate")]
    {
        web_sys::window()
            .and_then(|w| w.location().origin().ok())
            .unwrap_or_default()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        String::new()
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

#[component]
fn HoursTable(months: Vec<MonthHours>) -> impl IntoView {
    let total: u32 = months.iter().map(|m| m.minutes).sum();
    let shifts: u32 = months.iter().map(|m| m.shifts).sum();
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-label=move || tr(Msg::ShiftHoursByMonth)>
            <table data-test="hours">
                <thead><tr><th>{move || tr(Msg::ShiftMonth)}</th><th>{move || tr(Msg::ShiftCount)}</th><th>{move || tr(Msg::ShiftHours)}</th></tr></thead>
                <tbody>
                    {months.into_iter().map(|m| view! {
                        <tr data-test="month" data-month=m.month.clone()><td>{m.month.clone()}</td><td>{m.shifts}</td><td>{hours_text(m.minutes)}</td></tr>
                    }).collect_view()}
                </tbody>
                <tfoot><tr data-test="hours-total"><th>{move || tr(Msg::ShiftTotal)}</th><td>{shifts}</td><td>{hours_text(total)}</td></tr></tfoot>
            </table>
        </div>
    }
}

/// `/me/hours/certificate`: a page to print (志愿服务时长证明).
#[component]
pub fn CertificatePage() -> impl IntoView {
    let hours = Resource::new(|| (), |_| my_hours());
    let session = use_session();
    view! {
        <section class="page narrow certificate" data-test="certificate">
            <Transition fallback=loading>
                {move || hours.get().map(|r| match r {
                    Ok(months) => {
                        let total: u32 = months.iter().map(|m| m.minutes).sum();
                        let shifts: u32 = months.iter().map(|m| m.shifts).sum();
                        let name = session.get().map(|u| u.name).unwrap_or_default();
                        let first = months.last().map(|m| m.month.clone()).unwrap_or_default();
                        let last = months.first().map(|m| m.month.clone()).unwrap_or_default();
                        view! {
                            <h1>{move || tr(Msg::ShiftCertificateTitle)}</h1>
                            <p class="cert-body" data-test="certificate-text">{move || tr(Msg::ShiftCertificateText)
                                .replace("{name}", &name)
                                .replace("{from}", &first)
                                .replace("{to}", &last)
                                .replace("{n}", &shifts.to_string())
                                .replace("{t}", &hours_text(total))}</p>
                            <HoursTable months=months />
                            <p class="cert-sign">{move || tr(Msg::StreetName)} <br /> {format_cst(now_ms()).get(..10).unwrap_or_default().to_owned()}</p>
                            <button type="button" class="no-print" onclick="window.print()" data-test="print">{move || tr(Msg::ShiftPrint)}</button>
                        }.into_any()
                    }
                    Err(e) => error_view(e),
                })}
            </Transition>
        </section>
    }
}

/// `/teams`: the volunteer teams in a coordinator's grids — make one, rename it,
/// (de)activate it, add members by phone, remove them, choose the leader.
#[component]
pub fn TeamsPage() -> impl IntoView {
    view! {
        <Guarded action=Action::ManageShifts title=Msg::TeamsTitle>
            <TeamsEditor />
        </Guarded>
    }
}

#[component]
fn TeamsEditor() -> impl IntoView {
    let version = RwSignal::new(0u32);
    let teams = Resource::new(move || version.get(), |_| team_list());
    // Kept here: the list is rebuilt after each change.
    let open = RwSignal::new(None::<i64>);
    let grid = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let error = RwSignal::new(None::<AppError>);
    let create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let n = name.get_untracked();
        let g = match chosen_grid(&grid.get_untracked())
            .and_then(|g| check_team_name(&n).map(|()| g.0))
        {
            Ok(g) => g,
            Err(e) => {
                error.set(Some(e));
                return;
            }
        };
        error.set(None);
        leptos::task::spawn_local(async move {
            match create_team(g, n).await {
                Ok(id) => {
                    name.set(String::new());
                    open.set(Some(id));
                    version.update(|v| *v += 1);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <Transition fallback=loading>
            {move || teams.get().map(|r| match r {
                Ok(t) => {
                    let grids = t.grids.clone();
                    view! {
                        <form class="card" on:submit=create data-test="team-new" novalidate>
                            <h2>{move || tr(Msg::TeamNew)}</h2>
                            <label>
                                {move || tr(Msg::Grid)}
                                <select data-test="team-grid" prop:value=grid on:change=move |ev| grid.set(event_target_value(&ev))>
                                    <option value="">"—"</option>
                                    {grids.iter().map(|(id, n)| view! { <option value=id.0.to_string()>{n.clone()}</option> }).collect_view()}
                                </select>
                            </label>
                            <label>
                                {move || tr(Msg::TeamName)}
                                <input type="text" maxlength=TEAM_NAME_MAX.to_string() data-test="team-name"
                                    prop:value=name on:input=move |ev| name.set(event_target_value(&ev)) />
                            </label>
                            <ErrorNote error=error />
                            <button type="submit" class="primary" data-test="team-create">{move || tr(Msg::TeamCreate)}</button>
                        </form>
                        {t.grids.into_iter().map(|(gid, gname)| {
                            let list: Vec<Team> = t.teams.iter().filter(|x| x.grid == gid).cloned().collect();
                            view! {
                                <h2 class="day">{gname}</h2>
                                <ul class="cards">
                                    {list.into_iter().map(|team| view! { <TeamCard team=team open=open version=version /> }).collect_view()}
                                </ul>
                            }
                        }).collect_view()}
                    }.into_any()
                }
                Err(e) => error_view(e),
            })}
        </Transition>
    }
}

#[component]
fn TeamCard(team: Team, open: RwSignal<Option<i64>>, version: RwSignal<u32>) -> impl IntoView {
    let id = team.id.0;
    let active = team.active;
    let is_open = move || open.get() == Some(id);
    view! {
        <li class=if active { "card team" } else { "card team cancelled" } data-test="team" data-id=id.to_string()>
            <strong data-test="team-title">{team.name.clone()}</strong>
            <span class="muted">
                {move || tr(Msg::TeamLeader)} "：" <span data-test="team-leader">{if team.leader.is_empty() { tr(Msg::TeamNoLeader).to_owned() } else { team.leader.clone() }}</span>
                " · " {move || tr(Msg::TeamMembers)} " " <span data-test="team-count">{team.members}</span>
            </span>
            {(!active).then(|| view! { <span class="badge">{move || tr(Msg::TeamInactive)}</span> })}
            <button type="button" aria-expanded=move || is_open().to_string() data-test="team-edit"
                on:click=move |_| open.set(if is_open() { None } else { Some(id) })>
                {move || tr(if is_open() { Msg::TeamClose } else { Msg::TeamEdit })}
            </button>
            <Show when=is_open>
                <TeamMembers id=id name=team.name.clone() active=active version=version />
            </Show>
        </li>
    }
}

#[component]
fn TeamMembers(id: i64, name: String, active: bool, version: RwSignal<u32>) -> impl IntoView {
    let members = Resource::new(move || version.get(), move |_| team_members(id));
    let phone = RwSignal::new(String::new());
    let rename = RwSignal::new(name);
    let error = RwSignal::new(None::<AppError>);
    let change = move |c: TeamChange| {
        error.set(None);
        leptos::task::spawn_local(async move {
            match change_team(id, c).await {
                Ok(()) => {
                    phone.set(String::new());
                    version.update(|v| *v += 1);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <div class="team-edit" data-test="team-members">
            <ErrorNote error=error />
            <Transition fallback=loading>
                {move || members.get().map(|r| match r {
                    Ok(l) if l.is_empty() => view! { <p class="muted">{move || tr(Msg::TeamNoMembers)}</p> }.into_any(),
                    Ok(l) => view! {
                        <ul class="plain">
                            {l.into_iter().map(|m| {
                                let user = m.user;
                                view! {
                                    <li data-test="member">
                                        {m.name.clone()} " " <span class="muted">{m.phone.clone()}</span>
                                        {m.leader.then(|| view! { <span class="badge ok">{move || tr(Msg::TeamLeader)}</span> })}
                                        {(!m.leader).then(|| view! {
                                            <button type="button" on:click=move |_| change(TeamChange::Lead(user)) data-test="make-leader">{move || tr(Msg::TeamMakeLeader)}</button>
                                        })}
                                        <button type="button" class="danger" on:click=move |_| change(TeamChange::Remove(user)) data-test="remove-member">{move || tr(Msg::TeamRemove)}</button>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(e) => error_view(e),
                })}
            </Transition>
            <form on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); change(TeamChange::Add(phone.get_untracked())); } novalidate>
                <label>
                    {move || tr(Msg::TeamAddPhone)}
                    <input type="tel" inputmode="numeric" maxlength="11" data-test="member-phone"
                        prop:value=phone on:input=move |ev| phone.set(event_target_value(&ev)) />
                </label>
                <button type="submit" class="primary" data-test="add-member">{move || tr(Msg::TeamAdd)}</button>
            </form>
            <form on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); change(TeamChange::Rename(rename.get_untracked())); } novalidate>
                <label>
                    {move || tr(Msg::TeamName)}
                    <input type="text" maxlength=TEAM_NAME_MAX.to_string() data-test="team-rename"
                        prop:value=rename on:input=move |ev| rename.set(event_target_value(&ev)) />
                </label>
                <button type="submit" data-test="team-rename-save">{move || tr(Msg::TeamRename)}</button>
            </form>
            <button type="button" class=if active { "danger" } else { "" } data-test="team-active"
                on:click=move |_| change(TeamChange::SetActive(!active))>
                {move || tr(if active { Msg::TeamDeactivate } else { Msg::TeamActivate })}
            </button>
        </div>
    }
}
