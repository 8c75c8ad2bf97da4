//! The weekly quiz and special quizzes on `/study` (start, answer against the clock,
//! see the result), and admins' form for a special quiz on `/study/questions`.
use super::loading;
use super::study::{QuizForm, QuizReview};
use crate::api::study::{create_round, quiz_rounds, start_round};
use crate::components::error::{ErrorNote, error_view};
use crate::components::form::{Submit, SubmitButton};
use crate::domain::quiz::{RoundInput, RoundLine, Take, TakeState, WEEKLY_QUESTIONS};
use crate::domain::study::QuizResult;
use crate::domain::time::format_cst;
use crate::i18n::Msg;
use crate::providers::tr;
use leptos::prelude::*;

/// `/study`'s card: this week's quiz and the special quizzes, each taken once.
#[component]
pub fn Rounds(#[prop(into)] on_points: Callback<()>) -> impl IntoView {
    let version = RwSignal::new(0u32);
    let rounds = Resource::new(move || version.get(), |_| quiz_rounds());
    let take = RwSignal::new(None::<Take>);
    let result = RwSignal::new(None::<QuizResult>);
    let starting = Submit::new(start_round, move |t: Take| {
        result.set(None);
        take.set(Some(t));
    });
    let busy = starting.busy_signal();
    let start = Callback::new(move |round: i64| starting.submit(Ok(round)));
    view! {
        <section class="card" data-test="rounds">
            <h2>{move || tr(Msg::RoundsTitle)}</h2>
            <ErrorNote error=starting.error() />
            {move || match (take.get(), result.get()) {
                (Some(t), _) => view! {
                    <h3 data-test="round-title">{t.title.clone()}</h3>
                    <QuizForm attempt=t.take questions=t.questions round=true deadline=t.deadline server_now=t.server_now
                        on_done=Callback::new(move |r: QuizResult| {
                            take.set(None);
                            result.set(Some(r));
                            version.update(|v| *v += 1);
                            on_points.run(());
                        }) />
                }.into_any(),
                (None, Some(r)) => view! { <QuizReview r=r /> }.into_any(),
                (None, None) => view! {
                    <Transition fallback=loading>
                        {move || rounds.get().map(|r| match r {
                            Ok(r) => view! {
                                <h3>{move || tr(Msg::RoundWeekly)}</h3>
                                <p class="small muted">{move || tr(Msg::RoundWeeklyHint).replace("{n}", &WEEKLY_QUESTIONS.to_string())}</p>
                                <RoundAction line=r.weekly.clone() round=0 busy=busy start=start test="round-weekly" />
                                <h3>{move || tr(Msg::RoundSpecial)}</h3>
                                {if r.special.is_empty() {
                                    view! { <p class="muted">{move || tr(Msg::RoundNone)}</p> }.into_any()
                                } else {
                                    r.special.into_iter().map(|l| {
                                        let when = tr(Msg::RoundLimit)
                                            .replace("{q}", &l.questions.to_string())
                                            .replace("{m}", &l.minutes.to_string())
                                            .replace("{from}", format_cst(l.opens_at).get(..10).unwrap_or_default())
                                            .replace("{to}", format_cst(l.closes_at - 1).get(..10).unwrap_or_default());
                                        let id = l.id;
                                        view! {
                                            <div class="round" data-test="round-special">
                                                <p><strong>{l.title.clone()}</strong><br /><span class="small muted">{when}</span></p>
                                                <RoundAction line=Some(l) round=id busy=busy start=start test="round-special-action" />
                                            </div>
                                        }
                                    }).collect_view().into_any()
                                }}
                            }.into_any(),
                            Err(e) => error_view(e),
                        })}
                    </Transition>
                }.into_any(),
            }}
        </section>
    }
}

/// Start, go on, or the score of my take.
#[component]
fn RoundAction(
    line: Option<RoundLine>,
    round: i64,
    busy: Signal<bool>,
    start: Callback<i64>,
    test: &'static str,
) -> impl IntoView {
    match line.and_then(|l| l.mine) {
        Some(TakeState::Done { correct, total }) => view! {
            <p class="ok" data-test=test data-done="true">
                {move || tr(Msg::RoundDone).replace("{c}", &correct.to_string()).replace("{n}", &total.to_string())}
            </p>
        }
        .into_any(),
        mine => {
            let label = match (mine.is_some(), round) {
                (true, _) => Msg::RoundResume,
                (false, 0) => Msg::RoundStartWeekly,
                (false, _) => Msg::RoundStart,
            };
            view! {
                <button type="button" class="primary big" disabled=busy on:click=move |_| start.run(round) data-test=test>
                    {move || tr(label)}
                </button>
            }
            .into_any()
        }
    }
}

/// Admins: a special quiz drawn from the bank, open for some days, with a time limit.
#[component]
pub fn RoundCreate() -> impl IntoView {
    let title = RwSignal::new(String::new());
    let questions = RwSignal::new("10".to_owned());
    let minutes = RwSignal::new("15".to_owned());
    let opens = RwSignal::new(String::new());
    let closes = RwSignal::new(String::new());
    let done = RwSignal::new(false);
    let create = Submit::new(create_round, move |_: i64| {
        done.set(true);
        title.set(String::new());
    });
    let busy = create.busy_signal();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        done.set(false);
        create.submit(Ok(RoundInput {
            title: title.get_untracked(),
            questions: questions.get_untracked().trim().parse().unwrap_or(0),
            minutes: minutes.get_untracked().trim().parse().unwrap_or(0),
            opens: opens.get_untracked(),
            closes: closes.get_untracked(),
        }));
    };
    view! {
        <details class="card" data-test="round-new">
            <summary>{move || tr(Msg::RoundNew)}</summary>
            <form class="form" on:submit=submit data-test="round-form">
                <label>{move || tr(Msg::RoundTitle)}
                    <input type="text" maxlength="40" prop:value=title on:input=move |ev| title.set(event_target_value(&ev)) data-test="round-title-input" />
                </label>
                <div class="row">
                    <label>{move || tr(Msg::RoundQuestions)}
                        <input type="number" inputmode="numeric" min="1" max="30" prop:value=questions on:input=move |ev| questions.set(event_target_value(&ev)) data-test="round-questions" />
                    </label>
                    <label>{move || tr(Msg::RoundMinutes)}
                        <input type="number" inputmode="numeric" min="1" max="120" prop:value=minutes on:input=move |ev| minutes.set(event_target_value(&ev)) data-test="round-minutes" />
                    </label>
                </div>
                <div class="row">
                    <label>{move || tr(Msg::RoundOpens)}
                        <input type="date" prop:value=opens on:input=move |ev| opens.set(event_target_value(&ev)) data-test="round-opens" />
                    </label>
                    <label>{move || tr(Msg::RoundCloses)}
                        <input type="date" prop:value=closes on:input=move |ev| closes.set(event_target_value(&ev)) data-test="round-closes" />
                    </label>
                </div>
                <ErrorNote error=create.error() />
                <Show when=move || done.get()>
                    <p class="ok" role="status" data-test="round-created">{move || tr(Msg::RoundCreated)}</p>
                </Show>
                <SubmitButton busy=busy label=Msg::RoundNew attr:data-test="round-create" />
            </form>
        </details>
    }
}
