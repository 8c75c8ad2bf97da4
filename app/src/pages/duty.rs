//! `/duty` (值班): who is on duty now, the handover from the shift before, the duty log
//! (接 / 报 / 传 / 跟), swap requests, the month's roster and — for its planner — the
//! month's plan. Staff see the street's and their own community's; admins every one.
use crate::api::duty::{
    DutyLogInput, MonthPlan, ack_handover, answer_swap, ask_swap, close_duty_log, load_duty_board,
    log_duty, plan_duty,
};
use crate::components::error::{ErrorNote, error_view};
use crate::components::form::{Submit, SubmitButton, loading};
use crate::domain::authz::Action;
use crate::domain::duty::{
    DutyBoard, DutyShift, LogKind, LogView, Pattern, Person, SwapStatus, SwapView, check_body,
    plan_month,
};
use crate::domain::time::format_cst;
use crate::i18n::Msg;
use crate::providers::session::use_session;
use crate::providers::tr;
use leptos::prelude::*;

#[component]
pub fn DutyPage() -> impl IntoView {
    let session = use_session();
    let staff = move || session.may(Action::ViewDuty);
    view! {
        <section class="page narrow">
            <h1>{move || tr(Msg::DutyTitle)}</h1>
            <p class="muted">{move || tr(Msg::DutyIntro)}</p>
            <Show when=staff fallback=|| view! { <p class="card" data-test="not-staff">{move || tr(Msg::DutyStaffOnly)}</p> }>
                <Duty />
            </Show>
        </section>
    }
}

#[component]
fn Duty() -> impl IntoView {
    let me = use_session().get().map_or(0, |u| u.id.0);
    let scope = RwSignal::new(0i64);
    let month = RwSignal::new(String::new());
    let version = RwSignal::new(0u32);
    // Outside the board: it is read again (and re-rendered) after a plan is saved.
    let planned = RwSignal::new(None::<usize>);
    let board = Resource::new(
        move || (scope.get(), month.get(), version.get()),
        |(s, m, _)| load_duty_board(s, m),
    );
    view! {
        <Transition fallback=loading>
            {move || board.get().map(|r| match r {
                Err(e) => error_view(e),
                Ok(b) => view! { <Board b=b me=me scope=scope month=month version=version planned=planned /> }.into_any(),
            })}
        </Transition>
    }
}

#[component]
fn Board(
    b: DutyBoard,
    me: i64,
    scope: RwSignal<i64>,
    month: RwSignal<String>,
    version: RwSignal<u32>,
    planned: RwSignal<Option<usize>>,
) -> impl IntoView {
    let may_write = b.on_duty || b.may_plan;
    let scope_id = b.scope_id;
    let candidates = StoredValue::new(b.candidates.clone());
    view! {
        <div class="form card">
            <label>
                {move || tr(Msg::DutyScope)}
                <select data-test="duty-scope" on:change=move |ev| scope.set(event_target_value(&ev).parse().unwrap_or(0))>
                    {b.scopes.iter().map(|s| view! {
                        <option value=s.id.to_string() selected=s.id == scope_id>{s.name.clone()}</option>
                    }).collect_view()}
                </select>
            </label>
            <label>
                {move || tr(Msg::DutyMonth)}
                <input type="month" data-test="duty-month" value=b.month.clone()
                    on:change=move |ev| month.set(event_target_value(&ev)) />
            </label>
        </div>
        <section class="card" data-test="duty-now">
            <h2>{move || tr(Msg::DutyNow)}</h2>
            {match b.now.clone() {
                Some(s) => view! { <ShiftLine s=s /> }.into_any(),
                None => {
                    let name = b.scopes.iter().find(|s| s.id == scope_id).map(|s| s.name.clone()).unwrap_or_default();
                    view! { <p class="muted" data-test="duty-nobody">{move || tr(Msg::DutyNobody).replace("{s}", &name)}</p> }.into_any()
                }
            }}
        </section>
        <p class="muted" data-test="timer-figures">
            {let t = b.timers; move || tr(Msg::EmFigures)
                .replace("{n}", &t.rung.to_string())
                .replace("{a}", &t.ack_in_time.to_string())
                .replace("{s}", &t.on_site_in_time.to_string())
                .replace("{e}", &t.escalated.to_string())}
        </p>
        {b.handover.clone().map(|h| view! { <HandoverCard h=h version=version /> })}
        <section class="card" data-test="duty-log">
            <h2>{move || tr(Msg::DutyLog)}</h2>
            {if may_write {
                view! { <LogForm scope=scope_id version=version /> }.into_any()
            } else {
                view! { <p class="muted small">{move || tr(Msg::DutyLogOnlyOnDuty)}</p> }.into_any()
            }}
            {if b.log.is_empty() {
                view! { <p class="muted" data-test="empty">{move || tr(Msg::DutyLogNone)}</p> }.into_any()
            } else {
                view! {
                    <ul class="log">
                        {b.log.clone().into_iter().map(|e| view! { <LogLine e=e may_close=may_write version=version /> }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
        {(!b.swaps.is_empty()).then(|| view! {
            <section class="card" data-test="swaps">
                <h2>{move || tr(Msg::DutySwaps)}</h2>
                <ul class="log">
                    {b.swaps.clone().into_iter().map(|w| view! { <SwapLine w=w version=version /> }).collect_view()}
                </ul>
            </section>
        })}
        <section class="card" data-test="roster">
            <h2>{move || tr(Msg::DutyRoster)}</h2>
            {move || planned.get().map(|n| view! {
                <p class="ok" role="status" data-test="planned">{tr(Msg::DutyPlanned).replace("{n}", &n.to_string())}</p>
            })}
            {if b.shifts.is_empty() {
                view! { <p class="muted" data-test="empty">{move || tr(Msg::DutyNoShifts)}</p> }.into_any()
            } else {
                view! {
                    <ul class="roster">
                        {b.shifts.clone().into_iter().map(|s| {
                            let mine = s.holds(me);
                            let id = s.id;
                            view! {
                                <li class:mine=mine data-test="duty-shift" data-id=id.to_string() data-mine=mine.to_string()>
                                    <ShiftLine s=s />
                                    {mine.then(|| view! { <SwapForm shift=id candidates=candidates.get_value() me=me version=version /> })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
        {b.may_plan.then(|| view! { <PlanForm scope=scope_id month=b.month.clone() candidates=b.candidates.clone() version=version planned=planned /> })}
    }
}

/// "12-06 08:00 – 12-07 08:00 · 带班 X · 值班员 Y、Z".
#[component]
fn ShiftLine(s: DutyShift) -> impl IntoView {
    let officers = s
        .officers
        .iter()
        .map(|o| o.name.clone())
        .collect::<Vec<_>>()
        .join("、");
    view! {
        <p>
            <strong>{format!("{} – {}", format_cst(s.starts_ms), format_cst(s.ends_ms))}</strong>
            <br />
            {move || tr(Msg::DutyHead)} "：" <span data-test="duty-leader">{s.leader.name.clone()}</span>
            " · " {move || tr(Msg::DutyOfficers)} "：" <span data-test="duty-officers">{officers.clone()}</span>
        </p>
    }
}

#[component]
fn HandoverCard(h: crate::domain::duty::Handover, version: RwSignal<u32>) -> impl IntoView {
    let ack = Submit::new(ack_handover, move |_| version.update(|v| *v += 1));
    let to = h.to_shift;
    let line = tr(Msg::DutyHandoverLine)
        .replace("{p}", &h.from_people)
        .replace("{n}", &h.open.to_string());
    view! {
        <section class="card" data-test="handover">
            <h2>{move || tr(Msg::DutyHandover)}</h2>
            <p data-test="handover-line">{line}</p>
            {match h.acked.clone() {
                Some((by, at)) => view! {
                    <p class="ok" data-test="handover-acked">{move || tr(Msg::DutyHandoverAcked).replace("{b}", &by).replace("{t}", &format_cst(at))}</p>
                }.into_any(),
                None if h.may_ack => view! {
                    <ErrorNote error=ack.error() />
                    <button type="button" class="primary" data-test="handover-ack" disabled=ack.busy_signal()
                        on:click=move |_| ack.submit(Ok(to))>{move || tr(Msg::DutyHandoverAck)}</button>
                }.into_any(),
                None => ().into_any(),
            }}
        </section>
    }
}

#[component]
fn LogForm(scope: i64, version: RwSignal<u32>) -> impl IntoView {
    let kind = RwSignal::new(LogKind::Received);
    let body = RwSignal::new(String::new());
    let ticket = RwSignal::new(String::new());
    let send = Submit::new(log_duty, move |_| {
        body.set(String::new());
        ticket.set(String::new());
        version.update(|v| *v += 1);
    });
    let go = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let t = ticket.get_untracked();
        let t = t.trim().trim_start_matches('#');
        let parsed = if t.is_empty() {
            Ok(0)
        } else {
            t.parse::<i64>()
                .map_err(|_| crate::domain::AppError::invalid("ticket", Msg::DutyErrNoTicket))
        };
        send.submit(parsed.map(|ticket| DutyLogInput {
            scope,
            kind: kind.get_untracked().as_str().to_owned(),
            body: body.get_untracked(),
            ticket,
        }));
    };
    view! {
        <form class="form" on:submit=go data-test="log-form">
            <label>
                {move || tr(Msg::DutyLogKind)}
                <select data-test="log-kind" on:change=move |ev| {
                    if let Some(k) = LogKind::parse(&event_target_value(&ev)) { kind.set(k) }
                }>
                    {LogKind::ALL.into_iter().map(|k| view! {
                        <option value=k.as_str() selected=move || kind.get() == k>{move || tr(k.label())}</option>
                    }).collect_view()}
                </select>
            </label>
            <label>
                {move || tr(Msg::DutyLogBody)}
                <textarea rows="2" maxlength="500" data-test="log-body"
                    prop:value=body on:input=move |ev| body.set(event_target_value(&ev))></textarea>
            </label>
            <label>
                {move || tr(Msg::DutyLogTicket)}
                <input type="text" inputmode="numeric" data-test="log-ticket"
                    prop:value=ticket on:input=move |ev| ticket.set(event_target_value(&ev)) />
            </label>
            <ErrorNote error=send.error() />
            <SubmitButton busy=send.busy_signal() label=Msg::DutyLogAdd attr:data-test="log-add" />
        </form>
    }
}

#[component]
fn LogLine(e: LogView, may_close: bool, version: RwSignal<u32>) -> impl IntoView {
    let close = Submit::new(close_duty_log, move |_| version.update(|v| *v += 1));
    let id = e.id;
    let kind = e.kind.label();
    let open = e.closed.is_none();
    view! {
        <li class="card" data-test="duty-entry" data-id=id.to_string() data-open=open.to_string()>
            <p>
                <strong>{move || tr(kind)}</strong>
                <span class="muted small">{format!(" · {} · {}", e.by, format_cst(e.at_ms))}</span>
                {e.ticket.map(|t| view! { " · " <a href=format!("/tickets/{t}") data-test="duty-ticket">{format!("#{t}")}</a> })}
            </p>
            <p data-test="duty-body">{e.body.clone()}</p>
            {match e.closed.clone() {
                Some((by, at)) => view! {
                    <p class="muted small" data-test="duty-closed">{move || tr(Msg::DutyLogClosed).replace("{b}", &by).replace("{t}", &format_cst(at))}</p>
                }.into_any(),
                None => view! {
                    <p>
                        <span class="chip warn">{move || tr(Msg::DutyLogOpen)}</span>
                        {may_close.then(|| view! {
                            " "
                            <button type="button" class="secondary" data-test="log-close" disabled=close.busy_signal()
                                on:click=move |_| close.submit(Ok(id))>{move || tr(Msg::DutyLogClose)}</button>
                        })}
                    </p>
                    <ErrorNote error=close.error() />
                }.into_any(),
            }}
        </li>
    }
}

#[component]
fn SwapLine(w: SwapView, version: RwSignal<u32>) -> impl IntoView {
    let answer = Submit::new(
        move |(id, yes): (i64, bool)| answer_swap(id, yes),
        move |_| version.update(|v| *v += 1),
    );
    let id = w.id;
    let line = tr(Msg::DutySwapLine)
        .replace("{a}", &w.from.name)
        .replace("{t}", &format_cst(w.starts_ms))
        .replace("{b}", &w.to.name);
    let status = match w.status {
        SwapStatus::Done => tr(Msg::DutySwapDone).to_owned(),
        SwapStatus::Refused => tr(Msg::DutySwapRefused).to_owned(),
        SwapStatus::Waiting { peer, planner } => {
            let mut waiting = Vec::new();
            if !peer {
                waiting.push(tr(Msg::DutySwapPeer));
            }
            if !planner {
                waiting.push(tr(Msg::DutySwapPlanner));
            }
            tr(Msg::DutySwapWaiting).replace("{w}", &waiting.join("、"))
        }
    };
    view! {
        <li class="card" data-test="swap" data-id=id.to_string()>
            <p>{line}</p>
            <p class="muted small">{w.reason.clone()}</p>
            <p data-test="swap-status">{status}</p>
            {w.may_answer.then(|| view! {
                <div class="actions">
                    <button type="button" class="primary" data-test="swap-yes" disabled=answer.busy_signal()
                        on:click=move |_| answer.submit(Ok((id, true)))>{move || tr(Msg::DutyAgree)}</button>
                    <button type="button" class="secondary" data-test="swap-no" disabled=answer.busy_signal()
                        on:click=move |_| answer.submit(Ok((id, false)))>{move || tr(Msg::DutyRefuse)}</button>
                </div>
                <ErrorNote error=answer.error() />
            })}
        </li>
    }
}

#[component]
fn SwapForm(shift: i64, candidates: Vec<Person>, me: i64, version: RwSignal<u32>) -> impl IntoView {
    let with = RwSignal::new(0i64);
    let reason = RwSignal::new(String::new());
    let send = Submit::new(
        move |(s, w, r): (i64, i64, String)| ask_swap(s, w, r),
        move |_| version.update(|v| *v += 1),
    );
    let go = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        // Checked here first: a missing choice or reason never needs the server.
        let w = with.get_untracked();
        let checked = if w == 0 {
            Err(crate::domain::AppError::invalid("with", Msg::DutyErrPerson))
        } else {
            check_body(&reason.get_untracked(), "reason").map(|r| (shift, w, r))
        };
        send.submit(checked);
    };
    view! {
        <details>
            <summary data-test="swap-open">{move || tr(Msg::DutySwapAsk)}</summary>
            <form class="form" on:submit=go data-test="swap-form">
                <label>
                    {move || tr(Msg::DutySwapWith)}
                    <select data-test="swap-with" on:change=move |ev| with.set(event_target_value(&ev).parse().unwrap_or(0))>
                        <option value="0">"—"</option>
                        {candidates.into_iter().filter(|p| p.id != me).map(|p| view! {
                            <option value=p.id.to_string()>{p.name}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label>
                    {move || tr(Msg::DutySwapReason)}
                    <input type="text" maxlength="500" data-test="swap-reason"
                        prop:value=reason on:input=move |ev| reason.set(event_target_value(&ev)) />
                </label>
                <ErrorNote error=send.error() />
                <SubmitButton busy=send.busy_signal() label=Msg::DutySwapSend attr:data-test="swap-send" />
            </form>
        </details>
    }
}

/// The planner: a month's shifts in turn from the leaders and officers ticked.
#[component]
fn PlanForm(
    scope: i64,
    month: String,
    candidates: Vec<Person>,
    version: RwSignal<u32>,
    planned: RwSignal<Option<usize>>,
) -> impl IntoView {
    let pattern = RwSignal::new(Pattern::FullDay);
    let per = RwSignal::new(1u8);
    let leaders = RwSignal::new(Vec::<i64>::new());
    let officers = RwSignal::new(Vec::<i64>::new());
    let save = Submit::new(plan_duty, move |n| {
        planned.set(Some(n));
        version.update(|v| *v += 1);
    });
    let m = month.clone();
    let go = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        planned.set(None);
        let plan = MonthPlan {
            scope,
            month: m.clone(),
            pattern: pattern.get_untracked().as_str().to_owned(),
            leaders: leaders.get_untracked(),
            officers: officers.get_untracked(),
            per_shift: per.get_untracked(),
        };
        // The same rules as the server's, checked here first.
        save.submit(plan_month(&plan).map(|_| plan));
    };
    let pick = |list: RwSignal<Vec<i64>>, id: i64, on: bool| {
        list.update(|l| {
            l.retain(|x| *x != id);
            if on {
                l.push(id);
            }
        })
    };
    let people = StoredValue::new(candidates);
    let boxes = move |list: RwSignal<Vec<i64>>, test: &'static str| {
        people
            .get_value()
            .into_iter()
            .map(|p| {
                let id = p.id;
                view! {
                    <label class="choice">
                        <input type="checkbox" data-test=format!("{test}-{id}")
                            prop:checked=move || list.get().contains(&id)
                            on:change=move |ev| pick(list, id, event_target_checked(&ev)) />
                        {p.name}
                    </label>
                }
            })
            .collect_view()
    };
    view! {
        <details class="card" data-test="plan">
            <summary>{move || tr(Msg::DutyPlanTitle)} " · " {month}</summary>
            <form class="form" on:submit=go data-test="plan-form">
                <p class="muted small">{move || tr(Msg::DutyPlanHint)}</p>
                <fieldset>
                    <legend>{move || tr(Msg::DutyPattern)}</legend>
                    {Pattern::ALL.into_iter().map(|p| view! {
                        <label class="choice">
                            <input type="radio" name="pattern" data-test=format!("plan-{}", p.as_str())
                                prop:checked=move || pattern.get() == p on:change=move |_| pattern.set(p) />
                            {move || tr(p.label())}
                        </label>
                    }).collect_view()}
                </fieldset>
                <fieldset data-test="plan-leaders">
                    <legend>{move || tr(Msg::DutyHead)}</legend>
                    <div class="choices">{boxes(leaders, "plan-leader")}</div>
                </fieldset>
                <fieldset data-test="plan-officers">
                    <legend>{move || tr(Msg::DutyOfficers)}</legend>
                    <div class="choices">{boxes(officers, "plan-officer")}</div>
                </fieldset>
                <label>
                    {move || tr(Msg::DutyPerShift)}
                    <select data-test="plan-per" on:change=move |ev| per.set(event_target_value(&ev).parse().unwrap_or(1))>
                        <option value="1">"1"</option>
                        <option value="2">"2"</option>
                    </select>
                </label>
                <ErrorNote error=save.error() />
                <SubmitButton busy=save.busy_signal() label=Msg::DutyPlanSave attr:data-test="plan-save" />
            </form>
        </details>
    }
}
