//! Weekly series: the rule's fields, shared with the new-shift form, and a series'
//! rule with its editor.
use crate::api::shift::edit_series;
use crate::components::error::ErrorNote;
use crate::components::form::{Submit, first_error};
use crate::domain::AppError;
use crate::domain::shift::{
    EVERY_MAX, Recurrence, SeriesRule, check_rule, describe_rule, parse_local, weekday_name,
};
use crate::domain::time::now_ms;
use crate::i18n::Msg;
use crate::providers::lang::use_lang;
use crate::providers::tr;
use leptos::prelude::*;

/// "Every week", "Every 2 weeks" … as select options.
#[component]
pub(super) fn EveryOptions() -> impl IntoView {
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
pub(super) fn RuleFields(weekdays: RwSignal<u8>, until: RwSignal<String>) -> impl IntoView {
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
pub(super) fn SeriesPanel(
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
    // A day off that is not a date: checked here, before the rule is sent.
    let except_error = RwSignal::new(None::<AppError>);
    let saving = Submit::new(
        move |rule: Recurrence| edit_series(id, rule),
        move |c| {
            notice.set(Some(
                tr(Msg::ShiftRuleDone)
                    .replace("{a}", &c.added.to_string())
                    .replace("{r}", &c.removed.to_string())
                    .replace("{c}", &c.called_off.to_string())
                    .replace("{s}", &c.restored.to_string()),
            ));
            version.update(|v| *v += 1);
        },
    );
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        except_error.set(None);
        let rule = Recurrence {
            weekdays: weekdays.get_untracked(),
            every: every.get_untracked(),
            until: until.get_untracked(),
            except: except.get_untracked(),
        };
        saving.submit(check_rule(&rule, series.first_start, now_ms()).map(|()| rule));
    };
    let error = first_error(except_error, saving.error());
    let add_except = move |_| {
        let d = new_except.get_untracked();
        if parse_local(&d, "00:00").is_none() {
            except_error.set(Some(AppError::invalid("except", Msg::ErrRuleExcept)));
            return;
        }
        except_error.set(None);
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
                        <button type="submit" class="primary" disabled=saving.busy_signal() data-test="series-save">
                            {move || if saving.busy() { tr(Msg::Working) } else { tr(Msg::ShiftRuleSave) }}
                        </button>
                    </form>
                </details>
            }.into_any())}
        </section>
    }
    .into_any()
}
