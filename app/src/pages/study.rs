//! Party study: `/study` (my points today against each cap, totals, streak, ranks,
//! the daily sign-in, the daily quiz with its review, the street's rankings and my
//! ledger), `/study/rules` (admins edit the points rules) and `/study/questions`
//! (admins import the question bank and take questions out).
use super::party::BranchRanks;
use super::quiz::{RoundCreate, Rounds};
use super::{Guarded, loading};
use crate::api::study::{
    fetch_study_home, points_rules, question_bank, save_points_rule, save_question,
    set_question_active, start_quiz, study_rankings, study_sign_in, submit_quiz, submit_round,
    wrong_book,
};
use crate::components::error::{ErrorNote, error_view};
use crate::components::form::{Submit, SubmitButton, first_error};
use crate::components::import::ImportForm;
use crate::domain::AppError;
use crate::domain::authz::Action;
use crate::domain::study::{
    BankQuestion, PointsRule, QuestionInput, QuestionKind, Quiz, QuizQuestion, QuizResult,
    RankLine, StudyHome, answer_text, check_points_rule,
};
use crate::domain::time::format_cst;
use crate::i18n::Msg;
use crate::providers::lang::use_lang;
use crate::providers::tr;
use leptos::prelude::*;
use leptos_router::components::A;

/// "A", "B" … for option `i`.
fn letter(i: usize) -> char {
    char::from(b'A' + u8::try_from(i % 26).unwrap_or(0))
}

#[component]
pub fn StudyPage() -> impl IntoView {
    view! {
        <Guarded action=Action::Study title=Msg::StudyTitle>
            <StudyBody />
        </Guarded>
    }
}

/// The page's data is fetched only once the guard lets the viewer in.
#[component]
fn StudyBody() -> impl IntoView {
    let version = RwSignal::new(0u32);
    let lang = use_lang();
    let home = Resource::new(move || version.get(), |_| fetch_study_home());
    let rankings = Resource::new(move || version.get(), |_| study_rankings());
    let rules = Resource::new(|| (), |_| points_rules());
    let quiz = RwSignal::new(None::<Quiz>);
    let result = RwSignal::new(None::<QuizResult>);
    let notice = RwSignal::new(None::<String>);
    let signing = Submit::new(
        |()| study_sign_in(),
        move |n: u32| {
            notice.set(Some(
                tr(Msg::StudySignInDone).replace("{n}", &n.to_string()),
            ));
            version.update(|v| *v += 1);
        },
    );
    let sign_in = move |_| signing.submit(Ok(()));
    let wrong = Resource::new(move || version.get(), |_| wrong_book());
    let starting = Submit::new(start_quiz, move |q: Quiz| {
        result.set(None);
        quiz.set(Some(q));
    });
    let start = move |review: bool| starting.submit(Ok(review));
    // The sign-in and the quiz buttons wait for each other, and share one message.
    let busy = Signal::derive(move || signing.busy() || starting.busy());
    let error = first_error(signing.error(), starting.error());
    view! {

            <Transition fallback=loading>
                {move || home.get().map(|r| match r {
                    Ok(h) => view! { <Summary h=h busy=busy on_sign_in=sign_in /> }.into_any(),
                    Err(e) => error_view(e),
                })}
            </Transition>
            <p class="actions"><A href="/study/lessons" attr:class="button primary big" attr:data-test="lessons-link">{move || tr(Msg::StudyLessons)}</A>
                <A href="/study/meetings" attr:class="button big" attr:data-test="meetings-link">{move || tr(Msg::StudyMeetings)}</A></p>
            <Show when=move || notice.get().is_some()>
                <p class="ok" role="status" data-test="study-notice">{move || notice.get()}</p>
            </Show>
            <ErrorNote error=error />
            <section class="card" data-test="daily-quiz">
                <h2>{move || tr(Msg::StudyDailyQuiz)}</h2>
                {move || match (quiz.get(), result.get()) {
                    (Some(q), _) => view! {
                        {q.review.then(|| view! { <p class="muted" data-test="review-round">{move || tr(Msg::StudyReviewTitle)}</p> })}
                        <QuizForm attempt=q.attempt questions=q.questions on_done=Callback::new(move |r: QuizResult| {
                        quiz.set(None);
                        result.set(Some(r));
                        version.update(|v| *v += 1);
                    }) />
                    }.into_any(),
                    (None, Some(r)) => view! {
                        <QuizReview r=r />
                        <button type="button" class="big" disabled=busy on:click=move |_| start(false) data-test="quiz-again">{move || tr(Msg::StudyAnotherQuiz)}</button>
                    }.into_any(),
                    (None, None) => view! {
                        <p class="muted" data-test="quiz-left"><Transition fallback=|| ()>{move || home.get().and_then(Result::ok).map(|h| tr(Msg::StudyQuizLeft).replace("{n}", &h.quiz_left.to_string()))}</Transition></p>
                        <button type="button" class="primary big" disabled=busy on:click=move |_| start(false) data-test="quiz-start">{move || tr(Msg::StudyStartQuiz)}</button>
                    }.into_any(),
                }}
            </section>
            <Rounds on_points=Callback::new(move |()| version.update(|v| *v += 1)) />
            <section class="card" data-test="wrong-book">
                <h2>{move || tr(Msg::StudyWrongBook)} <Transition fallback=|| ()>" (" {move || home.get().and_then(Result::ok).map(|h| h.wrong)} ")"</Transition></h2>
                <p class="muted small">{move || tr(Msg::StudyWrongHint)}</p>
                <button type="button" class="big" disabled=busy on:click=move |_| start(true) data-test="review-start">{move || tr(Msg::StudyReview)}</button>
                <Transition fallback=loading>
                    {move || wrong.get().map(|r| match r {
                        Ok(list) => view! {
                            <ol class="plain review">
                                {list.into_iter().map(|w| {
                                    let answer = answer_text(w.kind, &w.options, &w.answer, lang.get());
                                    view! {
                                        <li data-test="wrong-item">
                                            <p>{w.stem}</p>
                                            {(!w.options.is_empty()).then(|| view! {
                                                <p class="small">{w.options.iter().enumerate().map(|(i, o)| format!("{}. {o}", letter(i))).collect::<Vec<_>>().join("　")}</p>
                                            })}
                                            <p class="small">{tr(Msg::StudyRightAnswer)} "：" {answer} " · " {tr(Msg::StudyRightTimes).replace("{n}", &w.right_times.to_string())}</p>
                                            {(!w.explanation.is_empty()).then(|| view! { <p class="small muted">{w.explanation}</p> })}
                                        </li>
                                    }
                                }).collect_view()}
                            </ol>
                        }.into_any(),
                        Err(e) => error_view(e),
                    })}
                </Transition>
            </section>
            <section class="card" data-test="rankings">
                <h2>{move || tr(Msg::StudyRankings)}</h2>
                <Transition fallback=loading>
                    {move || rankings.get().map(|r| match r {
                        Ok(r) => view! {
                            <h3>{move || tr(Msg::StudyThisMonth)}</h3>
                            <RankList lines=r.month test="rank-month" />
                            <h3>{move || tr(Msg::StudyAllTime)}</h3>
                            <RankList lines=r.total test="rank-total" />
                        }.into_any(),
                        Err(e) => error_view(e),
                    })}
                </Transition>
            </section>
            // Refreshed with the points: a quiz handed in moves the branch's average.
            <BranchRanks version=version />
            <section class="card" data-test="points-rules">
                <h2>{move || tr(Msg::StudyRules)}</h2>
                <Transition fallback=loading>
                    {move || rules.get().map(|r| match r {
                        Ok(rules) => view! {
                            <ul class="plain">
                                {rules.into_iter().filter(|r| r.active).map(|r| view! {
                                    <li>{move || tr(r.activity.label())} "：" {move || tr(Msg::StudyPerTime).replace("{p}", &r.points.to_string()).replace("{c}", &r.daily_cap.to_string())}</li>
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(e) => error_view(e),
                    })}
                </Transition>
                <Show when=super::may(Action::ManageStudy)>
                    <p class="actions">
                        <A href="/study/rules" attr:class="button" attr:data-test="rules-edit">{move || tr(Msg::StudyRules)}</A>
                        <A href="/study/questions" attr:class="button" attr:data-test="questions-link">{move || tr(Msg::QuestionsManage)}</A>
                        <A href="/study/org" attr:class="button" attr:data-test="org-link">{move || tr(Msg::OrgTitle)}</A>
                    </p>
                </Show>
            </section>

    }
}

#[component]
fn Summary<F>(h: StudyHome, busy: Signal<bool>, on_sign_in: F) -> impl IntoView
where
    F: Fn(leptos::ev::MouseEvent) + Copy + Send + Sync + 'static,
{
    let rank = |r: Option<u32>| match r {
        Some(n) => tr(Msg::StudyRankOf).replace("{n}", &n.to_string()),
        None => tr(Msg::StudyNoRank).to_owned(),
    };
    let (rank_month, rank_total) = (h.rank_month, h.rank_total);
    let streak = h.streak;
    view! {
        <section class="card" data-test="study-summary">
            <dl class="facts">
                <dt>{move || tr(Msg::StudyTotal)}</dt><dd data-test="points-total">{h.total}</dd>
                <dt>{move || tr(Msg::StudyMonth)}</dt><dd data-test="points-month">{h.month}</dd>
                <dt>{move || tr(Msg::StudyStreak)}</dt><dd data-test="streak">{move || tr(Msg::StudyDays).replace("{n}", &streak.to_string())}</dd>
                <dt>{move || tr(Msg::StudyRankMonth)}</dt><dd data-test="rank-month-mine">{move || rank(rank_month)}</dd>
                <dt>{move || tr(Msg::StudyRankTotal)}</dt><dd data-test="rank-total-mine">{move || rank(rank_total)}</dd>
            </dl>
            {if h.signed_in_today {
                view! { <p class="ok" data-test="signed-in">{move || tr(Msg::StudySignedIn)}</p> }.into_any()
            } else {
                view! { <button type="button" class="primary big" disabled=busy on:click=on_sign_in data-test="study-sign-in">{move || tr(Msg::StudySignIn)}</button> }.into_any()
            }}
        </section>
        <section class="card" data-test="today">
            <h2>{move || tr(Msg::StudyToday)}</h2>
            <ul class="plain">
                {h.today.into_iter().map(|l| view! {
                    <li data-test="today-line" data-activity=l.activity.as_str()>
                        <span>{move || tr(l.activity.label())}</span>
                        " " <strong>{format!("{} / {}", l.points, l.cap)}</strong>
                        <progress max=l.cap.to_string() value=l.points.to_string() aria-label=move || tr(l.activity.label())></progress>
                    </li>
                }).collect_view()}
            </ul>
        </section>
        <section class="card" data-test="ledger">
            <h2>{move || tr(Msg::StudyLedger)}</h2>
            {if h.ledger.is_empty() {
                view! { <p class="muted">{move || tr(Msg::StudyLedgerEmpty)}</p> }.into_any()
            } else {
                view! {
                    <ul class="plain">
                        {h.ledger.into_iter().map(|l| view! {
                            <li data-test="ledger-line">
                                <span class="muted">{format_cst(l.at)}</span> " " {l.reason} " "
                                <strong>{format!("+{}", l.points)}</strong>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
    .into_any()
}

#[component]
fn RankList(lines: Vec<RankLine>, test: &'static str) -> impl IntoView {
    if lines.is_empty() {
        return view! { <p class="muted">{move || tr(Msg::StudyNoRank)}</p> }.into_any();
    }
    view! {
        <ol class="plain ranks" data-test=test>
            {lines.into_iter().map(|l| view! {
                <li class:me=l.me data-test="rank-line" data-me=l.me.to_string()>
                    <span>{l.rank}</span> " " <span>{l.name}</span> " "
                    <strong>{l.points} " " {move || tr(Msg::StudyPointsUnit)}</strong>
                </li>
            }).collect_view()}
        </ol>
    }
    .into_any()
}

/// One question's answer controls; the answer is kept in `answer`.
#[component]
fn QuestionField(q: QuizQuestion, n: usize, answer: RwSignal<String>) -> impl IntoView {
    let name = format!("q{}", q.id);
    let kind = q.kind;
    let choices: Vec<(String, String)> = match kind {
        QuestionKind::Judge => vec![
            ("T".into(), tr(Msg::StudyTrue).to_owned()),
            ("F".into(), tr(Msg::StudyFalse).to_owned()),
        ],
        _ => q
            .options
            .iter()
            .enumerate()
            .map(|(i, o)| (letter(i).to_string(), format!("{}. {o}", letter(i))))
            .collect(),
    };
    view! {
        <fieldset data-test="question" data-kind=kind.as_str()>
            <legend>{format!("{n}. ")} {move || format!("[{}] ", tr(kind.label()))} {q.stem.clone()}</legend>
            {if kind == QuestionKind::Blank {
                view! {
                    <input type="text" maxlength="100" data-test="blank" aria-label=q.stem.clone()
                        prop:value=answer on:input=move |ev| answer.set(event_target_value(&ev)) />
                }.into_any()
            } else {
                choices.into_iter().map(|(value, label)| {
                    let v = value.clone();
                    let multiple = kind == QuestionKind::Multiple;
                    let input_type = if multiple { "checkbox" } else { "radio" };
                    view! {
                        <label class="check">
                            <input type=input_type name=name.clone() value=value.clone()
                                prop:checked=move || answer.with(|a| a.contains(v.as_str()))
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    let value = value.clone();
                                    answer.update(|a| if !multiple {
                                        *a = value;
                                    } else if on {
                                        a.push_str(&value);
                                    } else {
                                        *a = a.replace(value.as_str(), "");
                                    });
                                } />
                            {label}
                        </label>
                    }
                }).collect_view().into_any()
            }}
        </fieldset>
    }
}

/// A quiz's questions and the hand-in button. `round`: a weekly or special quiz's
/// take (else the daily quiz or a review round); with a `deadline` a clock runs and the
/// answers go in by themselves when it reaches zero.
#[component]
pub(crate) fn QuizForm(
    attempt: i64,
    questions: Vec<QuizQuestion>,
    #[prop(optional)] round: bool,
    #[prop(default = None)] deadline: Option<i64>,
    #[prop(optional)] server_now: i64,
    on_done: Callback<QuizResult>,
) -> impl IntoView {
    let answers: Vec<(i64, RwSignal<String>)> = questions
        .iter()
        .map(|q| (q.id, RwSignal::new(String::new())))
        .collect();
    let handed = RwSignal::new(false);
    let given = StoredValue::new(answers.clone());
    let hand_in = Submit::new(
        move |a: Vec<(i64, String)>| async move {
            let r = if round {
                submit_round(attempt, a).await
            } else {
                submit_quiz(attempt, a).await
            };
            // Late or already in: the take is closed either way.
            if matches!(r, Err(AppError::Conflict(_))) {
                handed.set(true);
            }
            r
        },
        move |r: QuizResult| {
            handed.set(true);
            on_done.run(r);
        },
    );
    let send = move || {
        if handed.get_untracked() {
            return;
        }
        let a: Vec<(i64, String)> =
            given.with_value(|g| g.iter().map(|(id, s)| (*id, s.get_untracked())).collect());
        hand_in.submit(Ok(a));
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        send();
    };
    // Seconds left on the clock (none: no limit, or not running in this browser yet).
    let left = RwSignal::new(None::<i64>);
    #[cfg(feature = "hydrate")]
    if let Some(d) = deadline {
        #[allow(clippy::cast_possible_truncation)]
        let offset = server_now - js_sys::Date::now() as i64;
        let tick = move || {
            #[allow(clippy::cast_possible_truncation)]
            let now = js_sys::Date::now() as i64 + offset;
            let s = ((d - now) / 1000).max(0);
            left.set(Some(s));
            if s == 0 {
                send();
            }
        };
        tick();
        if let Ok(h) = set_interval_with_handle(tick, std::time::Duration::from_secs(1)) {
            on_cleanup(move || h.clear());
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (deadline, server_now);
    view! {
        <form class="form" on:submit=submit data-test="quiz-form">
            {move || left.get().map(|s| view! {
                <p class="clock" role="timer" aria-live="off" data-test="quiz-clock">
                    {move || tr(Msg::RoundTimeLeft)} " " <strong>{format!("{}:{:02}", s / 60, s % 60)}</strong>
                    {(s == 0).then(|| view! { " " {move || tr(Msg::RoundTimeUp)} })}
                </p>
            })}
            {questions.into_iter().zip(answers).enumerate().map(|(i, (q, (_, answer)))| view! {
                <QuestionField q=q n={i + 1} answer=answer />
            }).collect_view()}
            <ErrorNote error=hand_in.error() />
            <button type="submit" class="primary big" disabled=move || hand_in.busy() || handed.get() data-test="quiz-submit">
                {move || if hand_in.busy() { tr(Msg::Working) } else { tr(Msg::StudySubmit) }}
            </button>
        </form>
    }
}

#[component]
pub(crate) fn QuizReview(r: QuizResult) -> impl IntoView {
    let lang = use_lang();
    let summary = tr(Msg::StudyResult)
        .replace("{c}", &r.correct.to_string())
        .replace("{t}", &r.total.to_string())
        .replace("{p}", &r.points.to_string());
    view! {
        <p class="ok" role="status" data-test="quiz-result">{summary}</p>
        <ol class="plain review">
            {r.items.into_iter().map(|i| view! {
                <li data-test="review-item" data-right=i.right.to_string()>
                    <p><strong>{if i.right { tr(Msg::StudyRight) } else { tr(Msg::StudyWrong) }}</strong> " " {i.stem.clone()}</p>
                    <p class="small" data-test="review-given">{move || tr(Msg::StudyYourAnswer)} "：" {
                        let (kind, options, given) = (i.kind, i.options.clone(), i.given.clone());
                        move || answer_text(kind, &options, &given, lang.get())
                    }</p>
                    {(!i.right).then(|| {
                        let (kind, options, answer) = (i.kind, i.options.clone(), i.answer.clone());
                        view! {
                            <p class="small" data-test="review-answer">{move || tr(Msg::StudyRightAnswer)} "：" {move || answer_text(kind, &options, &answer, lang.get())}</p>
                        }
                    })}
                    {(!i.explanation.is_empty()).then(|| view! { <p class="small muted">{i.explanation}</p> })}
                </li>
            }).collect_view()}
        </ol>
    }
}

/// `/study/rules`: admins change points per time, the daily cap, on or off.
#[component]
pub fn StudyRulesPage() -> impl IntoView {
    view! {
        <Guarded action=Action::ManageStudy title=Msg::StudyRules>
            <RulesList />
            <p><A href="/study" attr:class="button">{move || tr(Msg::StudyTitle)}</A></p>
        </Guarded>
    }
}

#[component]
fn RulesList() -> impl IntoView {
    let rules = Resource::new(|| (), |_| points_rules());
    view! {
        <Transition fallback=loading>
            {move || rules.get().map(|r| match r {
                Ok(rules) => rules.into_iter().map(|r| view! { <RuleEditor rule=r /> }).collect_view().into_any(),
                Err(e) => error_view(e),
            })}
        </Transition>
    }
}

#[component]
fn RuleEditor(rule: PointsRule) -> impl IntoView {
    let points = RwSignal::new(rule.points.to_string());
    let cap = RwSignal::new(rule.daily_cap.to_string());
    let active = RwSignal::new(rule.active);
    let saved = RwSignal::new(false);
    let activity = rule.activity;
    let keep = Submit::new(save_points_rule, move |()| saved.set(true));
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let r = PointsRule {
            activity,
            points: points.get_untracked().trim().parse().unwrap_or(0),
            daily_cap: cap.get_untracked().trim().parse().unwrap_or(0),
            active: active.get_untracked(),
        };
        saved.set(false);
        keep.submit(check_points_rule(&r).map(|()| r));
    };
    view! {
        <form class="form card" on:submit=save data-test="rule" data-activity=activity.as_str()>
            <h2>{move || tr(activity.label())}</h2>
            <div class="row">
                <label>
                    {move || tr(Msg::StudyRulePoints)}
                    <input type="number" inputmode="numeric" min="1" max="100" data-test="rule-points"
                        prop:value=points on:input=move |ev| points.set(event_target_value(&ev)) />
                </label>
                <label>
                    {move || tr(Msg::StudyRuleCap)}
                    <input type="number" inputmode="numeric" min="1" max="1000" data-test="rule-cap"
                        prop:value=cap on:input=move |ev| cap.set(event_target_value(&ev)) />
                </label>
            </div>
            <label class="check">
                <input type="checkbox" prop:checked=active on:change=move |ev| active.set(event_target_checked(&ev)) />
                {move || tr(Msg::StudyRuleActive)}
            </label>
            <ErrorNote error=keep.error() />
            <Show when=move || saved.get()>
                <p class="ok" role="status" data-test="rule-saved">{move || tr(Msg::StudyRuleSaved)}</p>
            </Show>
            <SubmitButton busy=keep.busy_signal() label=Msg::StudyRuleSave attr:data-test="rule-save" />
        </form>
    }
}

/// `/study/questions`: admins import a question bank (with a template) and take
/// questions out of the quizzes or put them back.
#[component]
pub fn QuestionsPage() -> impl IntoView {
    view! {
        <Guarded action=Action::ManageStudy title=Msg::QuestionsTitle>
            <QuestionBank />
        </Guarded>
    }
}

#[component]
fn QuestionBank() -> impl IntoView {
    let version = RwSignal::new(0u32);
    let bank = Resource::new(move || version.get(), |_| question_bank());
    let toggling = Submit::new(
        |(id, on): (i64, bool)| set_question_active(id, on),
        move |()| version.update(|v| *v += 1),
    );
    let toggle = move |id: i64, on: bool| toggling.submit(Ok((id, on)));
    view! {

            <ImportForm url="/api/study/questions/import" title=Msg::QuestionsImport hint=Msg::QuestionsImportHint
                done=Msg::QuestionsImportDone failed=Msg::QuestionsImportFailed>
                <p><a class="button" href="/api/study/questions/template.xlsx" download data-test="questions-template">{move || tr(Msg::QuestionsTemplate)}</a></p>
            </ImportForm>
            <RoundCreate />
            <details class="card" data-test="question-new">
                <summary>{move || tr(Msg::QuestionNew)}</summary>
                <QuestionForm q=None on_saved=Callback::new(move |()| version.update(|v| *v += 1)) />
            </details>
            <ErrorNote error=toggling.error() />
            <Transition fallback=loading>
                {move || bank.get().map(|r| match r {
                    Ok(list) => view! {
                        <p data-test="questions-count">{tr(Msg::QuestionsCount).replace("{n}", &list.len().to_string())}</p>
                        <ol class="plain review" data-test="questions">
                            {list.into_iter().map(|q| {
                                let (id, active) = (q.id, q.active);
                                let editing = RwSignal::new(false);
                                let kind = q.kind;
                                let edit = q.clone();
                                view! {
                                    <li data-test="bank-question" class:inactive=!active>
                                        <p><span class="muted">{move || format!("[{}] ", tr(kind.label()))}</span>{q.stem}</p>
                                        <p class="small">{tr(Msg::StudyRightAnswer)} "：" {q.answer}</p>
                                        <button type="button" disabled=toggling.busy_signal() on:click=move |_| toggle(id, !active) data-test="question-toggle">
                                            {move || if active { tr(Msg::QuestionOff) } else { tr(Msg::QuestionOn) }}
                                        </button>
                                        " " <button type="button" on:click=move |_| editing.update(|e| *e = !*e) data-test="question-edit">{move || tr(Msg::QuestionEdit)}</button>
                                        <Show when=move || editing.get()>
                                            <QuestionForm q=Some(edit.clone()) on_saved=Callback::new(move |()| version.update(|v| *v += 1)) />
                                        </Show>
                                    </li>
                                }
                            }).collect_view()}
                        </ol>
                    }.into_any(),
                    Err(e) => error_view(e),
                })}
            </Transition>

    }
}

/// Writes one question (a new one when `q` is none) with the import's rules.
#[component]
fn QuestionForm(q: Option<BankQuestion>, on_saved: Callback<()>) -> impl IntoView {
    let id = q.as_ref().map(|q| q.id);
    let kind = RwSignal::new(
        q.as_ref()
            .map_or(QuestionKind::Single, |q| q.kind)
            .as_str()
            .to_owned(),
    );
    let stem = RwSignal::new(q.as_ref().map(|q| q.stem.clone()).unwrap_or_default());
    let options = RwSignal::new(q.as_ref().map(|q| q.options.join("\n")).unwrap_or_default());
    let answer = RwSignal::new(match q.as_ref() {
        Some(q) if q.kind == QuestionKind::Judge && q.answer == "T" => "对".to_owned(),
        Some(q) if q.kind == QuestionKind::Judge => "错".to_owned(),
        Some(q) => q.answer.clone(),
        None => String::new(),
    });
    let explanation = RwSignal::new(
        q.as_ref()
            .map(|q| q.explanation.clone())
            .unwrap_or_default(),
    );
    let saved = RwSignal::new(false);
    let save = Submit::new(save_question, move |_| {
        saved.set(true);
        if id.is_none() {
            stem.set(String::new());
            options.set(String::new());
            answer.set(String::new());
            explanation.set(String::new());
        }
        on_saved.run(());
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(false);
        save.submit(Ok(QuestionInput {
            id,
            kind: QuestionKind::parse(&kind.get_untracked()).unwrap_or(QuestionKind::Single),
            stem: stem.get_untracked(),
            options: options.get_untracked().lines().map(str::to_owned).collect(),
            answer: answer.get_untracked(),
            explanation: explanation.get_untracked(),
        }));
    };
    let choice = move || {
        matches!(
            QuestionKind::parse(&kind.get()),
            Some(QuestionKind::Single | QuestionKind::Multiple)
        )
    };
    view! {
        <form class="form" on:submit=submit data-test="question-form">
            <label>{move || tr(Msg::QuestionKindLabel)}
                <select prop:value=kind on:change=move |ev| kind.set(event_target_value(&ev)) data-test="question-kind">
                    {[QuestionKind::Single, QuestionKind::Multiple, QuestionKind::Judge, QuestionKind::Blank].into_iter().map(|k| view! {
                        <option value=k.as_str()>{move || tr(k.label())}</option>
                    }).collect_view()}
                </select>
            </label>
            <label>{move || tr(Msg::QuestionStem)}
                <textarea rows="3" maxlength="300" prop:value=stem on:input=move |ev| stem.set(event_target_value(&ev)) data-test="question-stem"></textarea>
            </label>
            <Show when=choice>
                <label>{move || tr(Msg::QuestionOptions)}
                    <textarea rows="4" prop:value=options on:input=move |ev| options.set(event_target_value(&ev)) data-test="question-options"></textarea>
                </label>
            </Show>
            <label>{move || tr(Msg::QuestionAnswer)}
                <input type="text" maxlength="100" prop:value=answer on:input=move |ev| answer.set(event_target_value(&ev)) data-test="question-answer" />
            </label>
            <label>{move || tr(Msg::QuestionExplanation)}
                <textarea rows="2" maxlength="500" prop:value=explanation on:input=move |ev| explanation.set(event_target_value(&ev)) data-test="question-explanation"></textarea>
            </label>
            <ErrorNote error=save.error() />
            <Show when=move || saved.get()>
                <p class="ok" role="status" data-test="question-saved">{move || tr(Msg::QuestionSaved)}</p>
            </Show>
            <SubmitButton busy=save.busy_signal() label=Msg::StudyRuleSave attr:data-test="question-save" />
        </form>
    }
}
