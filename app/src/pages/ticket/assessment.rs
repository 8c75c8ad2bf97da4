//! `/assessment` (考核): a grid worker's own month, live, with the arithmetic behind
//! every dimension and the entries behind the arithmetic, and an appeal on any entry
//! while the month is published (公示); directors review their community's workers —
//! bonus or deduction with evidence, publication, appeals decided — admins the
//! street's. No ranking: the published board is by name.
use super::{MonthPicker, month_in_query};
use crate::api::assessment::{
    ManualPoints, adopt_rules, appeal_entry, decide_appeal, fetch_rules, give_points,
    my_assessment, preview_rules, publish_assessment, save_rules, set_rankings, staff_assessment,
};
use crate::components::error::{ErrorNote, error_view};
use crate::components::form::{Submit, SubmitButton, first_error, loading};
use crate::domain::assessment::{
    AppealView, CommunityMonth, EntryKind, EntryView, ManualBy, MonthStatus, PreviewLine, RuleSet,
    RulesPage, WorkerMonth, points_text,
};
use crate::domain::time::format_cst;
use crate::domain::user::Role;
use crate::i18n::Msg;
use crate::providers::session::use_session;
use crate::providers::tr;
use leptos::prelude::*;

#[component]
pub fn AssessmentPage() -> impl IntoView {
    let session = use_session();
    let month = month_in_query();
    let role = move || session.get().map(|u| u.role);
    // Bumped after each step here, so the month is read again.
    let version = RwSignal::new(0u32);
    let mine = Resource::new(
        move || (month(), role(), version.get()),
        |(m, r, _)| async move {
            match r {
                Some(Role::GridWorker) => Some(my_assessment(m).await),
                _ => None,
            }
        },
    );
    let staff = Resource::new(
        move || (month(), role(), version.get()),
        |(m, r, _)| async move {
            match r {
                Some(Role::Director | Role::Admin) => Some(staff_assessment(m).await),
                _ => None,
            }
        },
    );
    view! {
        <section class="page narrow">
            <h1>{move || tr(Msg::AsTitle)}</h1>
            <p class="muted">{move || tr(Msg::AsIntro)}</p>
            <MonthPicker path="/assessment" shown=Signal::derive(month) />
            <Transition fallback=loading>
                {move || match (mine.get().flatten(), staff.get().flatten()) {
                    (Some(Ok(m)), _) => view! {
                        <h2>{move || tr(Msg::AsMine)}</h2>
                        <StatusLine status=m.status />
                        {board(&m)}
                        <MonthCard m=m version=version give=false />
                    }.into_any(),
                    (_, Some(Ok(list))) => view! {
                        <h2>{move || tr(Msg::AsStaff)}</h2>
                        {(role() == Some(Role::Admin)).then(|| view! {
                            <Rankings on=list.iter().any(|c| c.ranked) version=version />
                            <Rules />
                        })}
                        <p>
                            <a class="button secondary" rel="external" download data-test="year-xlsx"
                                href=move || format!("/api/assessment/year.xlsx?year={}", year_of(&month()))>
                                {move || tr(Msg::AsYearXlsx)}
                            </a>
                        </p>
                        {list.into_iter().map(|c| view! { <Community c=c version=version /> }).collect_view()}
                    }.into_any(),
                    (Some(Err(e)), _) | (_, Some(Err(e))) => error_view(e),
                    (None, None) => view! { <p class="muted" data-test="not-staff">{move || tr(Msg::AsNotStaff)}</p> }.into_any(),
                }}
            </Transition>
        </section>
    }
}

/// The year of a `2026-12` month, or this year (China time) for an empty one.
fn year_of(month: &str) -> String {
    match month.get(..4) {
        Some(y) if y.bytes().all(|b| b.is_ascii_digit()) => y.to_owned(),
        _ => crate::domain::shift::month_of(crate::domain::time::now_ms())
            .get(..4)
            .unwrap_or_default()
            .to_owned(),
    }
}

/// Admins: the rule set as data — a draft of every number, checked; its effect on last
/// month beside the scores now; adopted from next month (the month running keeps its
/// rules). The history below.
#[component]
fn Rules() -> impl IntoView {
    let version = RwSignal::new(0u32);
    let page = Resource::new(move || version.get(), |_| fetch_rules());
    // Outside the Transition: a refetch after a save rebuilds the form, not these.
    let preview = RwSignal::new(None::<Vec<PreviewLine>>);
    let done = RwSignal::new(None::<Msg>);
    let adopted = RwSignal::new(String::new());
    let save = Submit::new(save_rules, move |_| {
        preview.set(None);
        done.set(Some(Msg::Saved));
        version.update(|v| *v += 1);
    });
    let show = Submit::new(
        |(): ()| preview_rules(),
        move |lines| preview.set(Some(lines)),
    );
    let adopt = Submit::new(
        |(): ()| adopt_rules(),
        move |m| {
            adopted.set(m);
            done.set(Some(Msg::AsRulesAdopted));
            version.update(|v| *v += 1);
        },
    );
    view! {
        <details class="card" data-test="rules">
            <summary>{move || tr(Msg::AsRules)}</summary>
            <Transition fallback=loading>
                {move || page.get().map(|r| match r {
                    Ok(p) => view! { <RulesForm p=p save=save /> }.into_any(),
                    Err(e) => error_view(e),
                })}
            </Transition>
            <div class="actions">
                <button type="button" class="secondary" disabled=show.busy_signal()
                    on:click=move |_| show.submit(Ok(())) data-test="rules-preview">{move || tr(Msg::AsRulesPreview)}</button>
                <button type="button" class="primary" disabled=adopt.busy_signal()
                    on:click=move |_| adopt.submit(Ok(())) data-test="rules-adopt">{move || tr(Msg::AsRulesAdopt)}</button>
            </div>
            <ErrorNote error=first_error(show.error(), adopt.error()) />
            {move || done.get().map(|m| view! {
                <p class="ok" role="status" data-test="rules-done">{move || tr(m).replace("{m}", &adopted.get())}</p>
            })}
            {move || preview.get().map(|lines| view! {
                <div class="table-wrap" tabindex="0" role="region" aria-label=move || tr(Msg::AsRulesPreview)>
                    <table data-test="rules-preview-table">
                        <thead><tr>
                            <th scope="col">{move || tr(Msg::Community)}</th>
                            <th scope="col">{move || tr(Msg::AsWorker)}</th>
                            <th scope="col">{move || tr(Msg::AsPreviewNow)}</th>
                            <th scope="col">{move || tr(Msg::AsPreviewDraft)}</th>
                        </tr></thead>
                        <tbody>
                            {lines.into_iter().map(|l| view! {
                                <tr data-test="preview-line" data-worker=l.worker.clone()>
                                    <td>{l.community}</td>
                                    <th scope="row">{l.worker.clone()}</th>
                                    <td data-test="preview-now">{points_text(l.now_tenths)}</td>
                                    <td data-test="preview-draft">{points_text(l.draft_tenths)}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            })}
        </details>
    }
}

/// The draft's numbers; `save` is owned outside the refetched form.
#[component]
fn RulesForm(p: RulesPage, save: Submit<RuleSet, ()>) -> impl IntoView {
    let draft = RwSignal::new(p.draft.unwrap_or(p.in_force));
    let go = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        save.submit(Ok(draft.get_untracked()));
    };
    let in_force = p.in_force;
    let month = p.month.clone();
    view! {
        <p class="muted">{move || tr(Msg::AsRulesInForce).replace("{m}", &month)}</p>
        <form class="form" on:submit=go data-test="rules-form">
            <h3>{move || tr(Msg::AsRulesDraft)}</h3>
            {RuleSet::FIELDS.into_iter().map(|(key, label)| {
                let now = in_force.get(key);
                view! {
                    <label>
                        {move || tr(label)}
                        <span class="muted small">{format!(" ({})", now)}</span>
                        <input type="number" inputmode="numeric" step="1" data-test=format!("rule-{key}")
                            prop:value=move || draft.with(|d| d.get(key)).to_string()
                            on:input=move |ev| {
                                if let Ok(v) = event_target_value(&ev).trim().parse::<i64>() {
                                    draft.update(|d| d.set(key, v));
                                }
                            } />
                    </label>
                }
            }).collect_view()}
            <label>
                {move || tr(Msg::RuManualBy)}
                <span class="muted small">{move || format!(" ({})", tr(in_force.manual_by.label()))}</span>
                <select data-test="rule-manual_by" on:change=move |ev| {
                    if let Some(m) = ManualBy::parse(&event_target_value(&ev)) {
                        draft.update(|d| d.manual_by = m);
                    }
                }>
                    {ManualBy::ALL.into_iter().map(|m| view! {
                        <option value=m.as_str() selected=move || draft.with(|d| d.manual_by == m)>{move || tr(m.label())}</option>
                    }).collect_view()}
                </select>
            </label>
            <ErrorNote error=save.error() />
            <SubmitButton busy=save.busy_signal() label=Msg::AsRulesSave attr:data-test="rules-save" />
        </form>
        {(!p.versions.is_empty()).then(|| view! {
            <h3>{move || tr(Msg::AsRulesHistory)}</h3>
            <ul data-test="rules-history">
                {p.versions.into_iter().map(|v| view! {
                    <li>{format!("{} · {} · {}", v.from_month, v.by, format_cst(v.at_ms))}</li>
                }).collect_view()}
            </ul>
        })}
    }
}

/// Admins: rankings are off by default (基层减负: no points rankings pushed on staff);
/// turned on, workers see their community ranked and reviewers their staff by score.
#[component]
fn Rankings(on: bool, version: RwSignal<u32>) -> impl IntoView {
    let flip = Submit::new(set_rankings, move |_| version.update(|v| *v += 1));
    view! {
        <p class="card" data-test="rankings" data-on=on.to_string()>
            {move || tr(if on { Msg::AsRankingsOn } else { Msg::AsRankingsOff })} " "
            <button type="button" class="secondary" disabled=flip.busy_signal()
                on:click=move |_| flip.submit(Ok(!on)) data-test="rankings-toggle">
                {move || tr(if on { Msg::AsRankingsTurnOff } else { Msg::AsRankingsTurnOn })}
            </button>
            <ErrorNote error=flip.error() />
        </p>
    }
}

#[component]
fn StatusLine(status: MonthStatus) -> impl IntoView {
    let state = match status {
        MonthStatus::Open => "open",
        MonthStatus::Published { .. } => "published",
        MonthStatus::Final => "final",
    };
    let text = move || match status {
        MonthStatus::Open => tr(Msg::AsStatusOpen).to_owned(),
        MonthStatus::Published { until_ms } => {
            tr(Msg::AsStatusPublished).replace("{t}", &format_cst(until_ms))
        }
        MonthStatus::Final => tr(Msg::AsStatusFinal).to_owned(),
    };
    view! { <p class="chip" data-test="month-status" data-status=state>{text}</p> }
}

/// 公示: the community's totals and grades, by name.
fn board(m: &WorkerMonth) -> Option<impl IntoView + use<>> {
    if m.board.is_empty() {
        return None;
    }
    let rows = m.board.clone();
    let title = if rows.iter().any(|l| l.rank.is_some()) {
        Msg::AsRanking
    } else {
        Msg::AsBoard
    };
    Some(view! {
        <section class="card" data-test="board">
            <h3>{move || tr(title)}</h3>
            <div class="table-wrap" tabindex="0" role="region" aria-label=move || tr(title)>
                <table>
                    <tbody>
                        {rows.into_iter().map(|l| view! {
                            <tr data-test="board-line" data-rank=l.rank.map(|r| r.to_string())>
                                {l.rank.map(|r| view! { <td>{r}</td> })}
                                <th scope="row">{l.worker}</th>
                                <td>{points_text(l.tenths)}</td>
                                <td>{format!("{:?}", l.grade)}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    })
}

/// A community's month for its reviewer: where it stands, publication, the appeals
/// waiting, each worker.
#[component]
fn Community(c: CommunityMonth, version: RwSignal<u32>) -> impl IntoView {
    // Manual points while the month is open, if its rule set lets this reviewer give them.
    let give = c.status == MonthStatus::Open && c.may_give;
    let month = c
        .workers
        .first()
        .map(|w| w.month.clone())
        .unwrap_or_default();
    let community = c.community;
    let publish = Submit::new(
        move |(m, id): (String, i64)| publish_assessment(m, id),
        move |_| version.update(|v| *v += 1),
    );
    let go = {
        let month = month.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            publish.submit(Ok((month.clone(), community)));
        }
    };
    view! {
        <section class="community" data-test="community" data-name=c.name.clone()>
            <h3>{c.name.clone()}</h3>
            <StatusLine status=c.status />
            {c.can_publish.then(|| view! {
                <form class="form" on:submit=go data-test="publish-form">
                    <p class="muted small">{move || tr(Msg::AsPublishHint)}</p>
                    <ErrorNote error=publish.error() />
                    <SubmitButton busy=publish.busy_signal() label=Msg::AsPublish attr:data-test="publish" />
                </form>
            })}
            {(!c.appeals.is_empty()).then(|| view! {
                <section class="card" data-test="appeals">
                    <h4>{move || tr(Msg::AsAppeals)}</h4>
                    {c.appeals.into_iter().map(|a| view! { <Decide a=a version=version /> }).collect_view()}
                </section>
            })}
            {c.workers.into_iter().map(|m| view! { <MonthCard m=m version=version give=give /> }).collect_view()}
        </section>
    }
}

/// An appeal waiting: the entry, the worker's reason, and the decision with its reason.
#[component]
fn Decide(a: AppealView, version: RwSignal<u32>) -> impl IntoView {
    let reason = RwSignal::new(String::new());
    let decide = Submit::new(
        move |(id, d, r): (i64, String, String)| decide_appeal(id, d, r),
        move |_| version.update(|v| *v += 1),
    );
    let id = a.id;
    let send = move |d: &'static str| decide.submit(Ok((id, d.to_owned(), reason.get_untracked())));
    let label = a.kind.label();
    view! {
        <article class="appeal" data-test="appeal" data-id=a.id.to_string()>
            <p>
                <strong>{a.worker.clone()}</strong> " · " {move || tr(label)}
                {format!(" {:+} · {}", a.points, a.entry_reason)}
            </p>
            <p data-test="appeal-reason">{move || tr(Msg::AsAppealReason)} "：" {a.reason.clone()}</p>
            <form class="form" on:submit=|ev| ev.prevent_default()>
                <label>
                    {move || tr(Msg::AsDecisionReason)}
                    <textarea rows="2" maxlength="500" data-test="decision-reason"
                        prop:value=reason on:input=move |ev| reason.set(event_target_value(&ev))></textarea>
                </label>
                <ErrorNote error=decide.error() />
                <div class="actions">
                    <button type="button" class="primary" disabled=decide.busy_signal()
                        on:click=move |_| send("upheld") data-test="uphold">{move || tr(Msg::AsUphold)}</button>
                    <button type="button" class="secondary" disabled=decide.busy_signal()
                        on:click=move |_| send("rejected") data-test="reject">{move || tr(Msg::AsReject)}</button>
                </div>
            </form>
        </article>
    }
}

/// One worker's month: the total and grade, each dimension with its arithmetic, then
/// the ledger entries; for a reviewer of an open month, the bonus/deduction form.
#[component]
fn MonthCard(m: WorkerMonth, version: RwSignal<u32>, give: bool) -> impl IntoView {
    let total = points_text(m.score.tenths);
    let grade = format!("{:?}", m.score.grade);
    let (worker_id, month) = (m.worker_id, m.month.clone());
    let unfold = m.entries.iter().any(|e| e.appealable || e.appeal.is_some());
    view! {
        <article class="card assessment" data-test="worker-month" data-worker=m.worker.clone()>
            <h3>{m.worker.clone()}</h3>
            <p class="total" data-test="total">
                <strong>{move || tr(Msg::AsGradeLine).replace("{t}", &total).replace("{g}", &grade)}</strong>
            </p>
            <dl class="facts">
                {m.score.dimensions.into_iter().map(|d| {
                    let label = d.dimension.label();
                    view! {
                        <dt>{move || tr(label)}</dt>
                        <dd data-test="dimension" data-dimension=format!("{:?}", d.dimension)>
                            <span data-test="arithmetic">{d.arithmetic.clone()}</span>
                            {d.note.map(|n| view! { <br /><span class="muted small">{move || tr(n)}</span> })}
                        </dd>
                    }
                }).collect_view()}
            </dl>
            <details open=unfold>
                <summary>{move || tr(Msg::AsEntries)}</summary>
                {if m.entries.is_empty() {
                    view! { <p class="muted">{move || tr(Msg::AsNoEntries)}</p> }.into_any()
                } else {
                    view! {
                        <ul class="entries" data-test="entries">
                            {m.entries.into_iter().map(|e| view! { <Entry e=e version=version /> }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            </details>
            {give.then(|| view! { <Give worker=worker_id month=month version=version /> })}
        </article>
    }
}

/// One ledger entry: what, how many points, from which case or evidence; its appeal
/// and, while the month is published, the appeal form.
#[component]
fn Entry(e: EntryView, version: RwSignal<u32>) -> impl IntoView {
    let label = e.kind.label();
    let asking = RwSignal::new(false);
    let reason = RwSignal::new(String::new());
    let appeal = Submit::new(
        move |(id, r): (i64, String)| appeal_entry(id, r),
        move |_| version.update(|v| *v += 1),
    );
    let id = e.id;
    let go = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        appeal.submit(Ok((id, reason.get_untracked())));
    };
    view! {
        <li data-test="entry" data-kind=e.kind.as_str() data-id=e.id.to_string() class:struck=e.corrected>
            {move || tr(label)} {format!(" {:+} · ", e.points)}
            {match e.ticket {
                Some(t) => view! { <a href=format!("/tickets/{t}")>{format!("#{t}")}</a> }.into_any(),
                None => view! { <span>{e.reason.clone()}</span> }.into_any(),
            }}
            <span class="muted small">{format!(" · {}", format_cst(e.at_ms))}</span>
            {e.corrected.then(|| view! { " " <span class="chip" data-test="corrected">{move || tr(Msg::AsCorrected)}</span> })}
            {e.appeal.map(|a| {
                let state = a.decision.map_or("open", |d| d.as_str());
                view! {
                    <p class="small" data-test="entry-appeal" data-state=state>
                        {move || tr(a.decision.map_or(Msg::AsAppealOpen, |d| d.label()))}
                        {a.decision_reason.clone().map(|r| format!("：{r}"))}
                    </p>
                }
            })}
            {(e.appealable && e.kind != EntryKind::Correction).then(|| view! {
                <Show when=move || asking.get() fallback=move || view! {
                    <button type="button" class="secondary" on:click=move |_| asking.set(true) data-test="appeal-open">
                        {move || tr(Msg::AsAppeal)}
                    </button>
                }>
                    <form class="form" on:submit=go data-test="appeal-form">
                        <label>
                            {move || tr(Msg::AsAppealReason)}
                            <textarea rows="2" maxlength="500" data-test="appeal-text"
                                prop:value=reason on:input=move |ev| reason.set(event_target_value(&ev))></textarea>
                        </label>
                        <ErrorNote error=appeal.error() />
                        <SubmitButton busy=appeal.busy_signal() label=Msg::AsAppealSend attr:data-test="appeal-send" />
                    </form>
                </Show>
            })}
        </li>
    }
}

/// A bonus or deduction with its evidence, by a reviewer, while the month is open.
#[component]
fn Give(worker: i64, month: String, version: RwSignal<u32>) -> impl IntoView {
    let kind = RwSignal::new("bonus".to_owned());
    let points = RwSignal::new(String::new());
    let evidence = RwSignal::new(String::new());
    let give = Submit::new(give_points, move |_| {
        points.set(String::new());
        evidence.set(String::new());
        version.update(|v| *v += 1);
    });
    let go = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        give.submit(Ok(ManualPoints {
            worker,
            month: month.clone(),
            kind: kind.get_untracked(),
            // Not a number: zero, which the rules refuse in words.
            points: points.get_untracked().trim().parse().unwrap_or(0),
            evidence: evidence.get_untracked(),
        }));
    };
    view! {
        <details data-test="give">
            <summary>{move || tr(Msg::AsGive)}</summary>
            <form class="form" on:submit=go data-test="give-form">
                <label>
                    {move || tr(Msg::AsGiveKind)}
                    <select data-test="give-kind" prop:value=kind on:change=move |ev| kind.set(event_target_value(&ev))>
                        <option value="bonus">{move || tr(Msg::AsBonus)}</option>
                        <option value="deduction">{move || tr(Msg::AsDeduction)}</option>
                    </select>
                </label>
                <label>
                    {move || tr(Msg::AsPoints)}
                    <input type="number" inputmode="numeric" min="1" max="20" data-test="give-points"
                        prop:value=points on:input=move |ev| points.set(event_target_value(&ev)) />
                </label>
                <label>
                    {move || tr(Msg::AsEvidence)}
                    <textarea rows="2" maxlength="500" data-test="give-evidence"
                        prop:value=evidence on:input=move |ev| evidence.set(event_target_value(&ev))></textarea>
                </label>
                <ErrorNote error=give.error() />
                <SubmitButton busy=give.busy_signal() label=Msg::AsGiveSend attr:data-test="give-send" />
            </form>
        </details>
    }
}
