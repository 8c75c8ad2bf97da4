//! Making a shift, one-off or weekly.
use super::series::{EveryOptions, RuleFields};
use crate::api::grid::list_grids;
use crate::api::shift::{create_shift, team_list};
use crate::components::error::ErrorNote;
use crate::components::form::Submit;
use crate::domain::AppError;
use crate::domain::authz::Action;
use crate::domain::grid::GridLevel;
use crate::domain::shift::{
    NOTE_MAX, PLACE_MAX, Recurrence, ShiftInput, ShiftKind, TITLE_MAX, check_shift, parse_local,
    weekday_bit,
};
use crate::domain::time::now_ms;
use crate::i18n::Msg;
use crate::pages::{Guarded, chosen_grid};
use crate::providers::tr;
use leptos::prelude::*;

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
    let grids = Resource::new(|| (), |_| list_grids());
    let teams = Resource::new(|| (), |_| team_list());
    let navigate = leptos_router::hooks::use_navigate();
    let number = |s: RwSignal<String>| s.get_untracked().trim().parse::<u32>().unwrap_or(0);
    let save = Submit::new(create_shift, move |ids: Vec<_>| {
        navigate(
            &format!("/shifts/{}", ids.first().copied().unwrap_or_default()),
            Default::default(),
        )
    });
    let checked = move || -> Result<ShiftInput, AppError> {
        let starts_at = parse_local(&date.get_untracked(), &time.get_untracked())
            .ok_or_else(|| AppError::invalid("starts_at", Msg::ErrShiftDate))?;
        let g = chosen_grid(&grid.get_untracked())?;
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
        check_shift(&input, now_ms())?;
        Ok(input)
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        save.submit(checked());
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
            <ErrorNote error=save.error() />
            <button type="submit" class="primary" disabled=save.busy_signal() data-test="shift-save">
                {move || if save.busy() { tr(Msg::Working) } else { tr(Msg::ShiftSave) }}
            </button>
        </form>
    }
}
