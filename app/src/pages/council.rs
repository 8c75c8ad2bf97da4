//! `/council`: the seniors' council (闲事会). Residents raise neighbourhood matters and
//! support each other's; the council's coordinators put them on the next Wednesday's
//! agenda and record the outcome (maybe a ticket); everyone sees the results.
use super::{chosen_grid, loading, may};
use crate::api::council::{
    decide_concern, fetch_council, raise_concern, schedule_concern, support_concern,
};
use crate::api::grid::list_grids;
use crate::api::ticket::list_categories;
use crate::components::error::{ErrorNote, error_view};
use crate::components::form::{Submit, SubmitButton};
use crate::domain::AppError;
use crate::domain::authz::Action;
use crate::domain::council::{
    BODY_MAX, Concern, ConcernInput, ConcernStatus, Decision, OUTCOME_MAX, TITLE_MAX,
    check_concern, check_decision,
};
use crate::domain::grid::{GridLevel, GridSummary};
use crate::domain::ticket::{Category, TicketKind};
use crate::domain::time::format_cst;
use crate::i18n::Msg;
use crate::providers::lang::use_lang;
use crate::providers::session::use_session;
use crate::providers::tr;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn CouncilPage() -> impl IntoView {
    let version = RwSignal::new(0u32);
    let board = Resource::new(move || version.get(), |_| fetch_council());
    // Made here, not in the forms: every resource of the page exists from the start,
    // the same on the server and in the browser.
    let grids = Resource::new(|| (), |_| list_grids());
    let categories = Resource::new(|| (), |_| list_categories(false));
    let manages = may(Action::ManageCouncil);
    let session = use_session();
    // Kept here: the board is rebuilt after each change.
    let notice = RwSignal::new(None::<Msg>);
    let act = Submit::new(
        |step: CardStep| async move {
            match step {
                CardStep::Support(id, on) => support_concern(id, on).await.map(|_| ()),
                CardStep::Schedule(id) => schedule_concern(id).await.map(|_| ()),
            }
        },
        move |()| version.update(|v| *v += 1),
    );
    view! {
        <section class="page narrow">
            <h1>{move || tr(Msg::CouncilTitle)}</h1>
            <p class="muted">{move || tr(Msg::CouncilIntro)}</p>
            <Transition fallback=|| ()>
                {move || if session.get().is_some() {
                    view! { <RaiseForm version=version notice=notice grids=grids /> }.into_any()
                } else {
                    view! { <p class="card"><A href="/login?next=/council">{move || tr(Msg::CouncilSignInToRaise)}</A></p> }.into_any()
                }}
            </Transition>
            <Show when=move || notice.get().is_some()>
                <p class="ok" role="status" data-test="council-notice">{move || notice.get().map(tr)}</p>
            </Show>
            <ErrorNote error=act.error() />
            <Transition fallback=loading>
                {move || board.get().map(|r| match r {
                    Ok(b) => {
                        let agenda = b.agenda(&b.next_meeting);
                        let carried = b.carried_over();
                        let open = b.open();
                        let decided = b.decided();
                        let m = manages();
                        let cards = move |list: Vec<Concern>| view! {
                            <ul class="cards">
                                {list.into_iter().map(|c| view! { <ConcernCard c=c manages=m version=version act=act categories=categories /> }).collect_view()}
                            </ul>
                        };
                        view! {
                            <h2 data-test="next-meeting">{move || tr(Msg::CouncilNextMeeting)} " " {b.next_meeting.clone()}</h2>
                            <section data-test="agenda">
                                <h3>{move || tr(Msg::CouncilAgenda)}</h3>
                                {if agenda.is_empty() {
                                    view! { <p class="muted">{move || tr(Msg::CouncilAgendaEmpty)}</p> }.into_any()
                                } else {
                                    cards(agenda).into_any()
                                }}
                            </section>
                            {(!carried.is_empty()).then(|| view! {
                                <section data-test="carried">
                                    <h3>{move || tr(Msg::CouncilCarried)}</h3>
                                    {cards(carried)}
                                </section>
                            })}
                            <section data-test="open">
                                <h2>{move || tr(Msg::CouncilOpenList)}</h2>
                                {if open.is_empty() {
                                    view! { <p class="muted">{move || tr(Msg::CouncilOpenEmpty)}</p> }.into_any()
                                } else {
                                    cards(open).into_any()
                                }}
                            </section>
                            {(!decided.is_empty()).then(|| view! {
                                <section data-test="decided">
                                    <h2>{move || tr(Msg::CouncilDecidedList)}</h2>
                                    {cards(decided)}
                                </section>
                            })}
                        }.into_any()
                    }
                    Err(e) => error_view(e),
                })}
            </Transition>
        </section>
    }
}

#[component]
fn RaiseForm(
    version: RwSignal<u32>,
    notice: RwSignal<Option<Msg>>,
    grids: Resource<Result<Vec<GridSummary>, AppError>>,
) -> impl IntoView {
    let grid = RwSignal::new(String::new());
    let title = RwSignal::new(String::new());
    let body = RwSignal::new(String::new());
    let open = RwSignal::new(false);
    let raise = Submit::new(raise_concern, move |_: i64| {
        title.set(String::new());
        body.set(String::new());
        open.set(false);
        notice.set(Some(Msg::CouncilRaised));
        version.update(|v| *v += 1);
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        notice.set(None);
        let checked = chosen_grid(&grid.get_untracked()).and_then(|grid| {
            let input = ConcernInput {
                grid,
                title: title.get_untracked(),
                body: body.get_untracked(),
            };
            check_concern(&input).map(|()| input)
        });
        raise.submit(checked);
    };
    view! {
        <Show
            when=move || open.get()
            fallback=move || view! {
                <button type="button" class="primary big" on:click=move |_| open.set(true) data-test="raise-open">{move || tr(Msg::CouncilRaise)}</button>
            }
        >
            <form class="card" on:submit=submit data-test="raise-form" novalidate>
                <h2>{move || tr(Msg::CouncilRaise)}</h2>
                <label>
                    {move || tr(Msg::Grid)}
                    <select data-test="raise-grid" on:change=move |ev| grid.set(event_target_value(&ev)) prop:value=grid>
                        <option value="">"—"</option>
                        <Transition fallback=|| ()>
                            {move || grids.get().and_then(|r| r.ok()).map(|gs| gs.into_iter()
                                .filter(|g| g.level == GridLevel::Grid)
                                .map(|g| view! { <option value=g.id.0.to_string()>{g.name}</option> })
                                .collect_view())}
                        </Transition>
                    </select>
                </label>
                <label>
                    {move || tr(Msg::CouncilRaiseTitle)}
                    <input type="text" maxlength=TITLE_MAX.to_string() data-test="raise-title"
                        prop:value=title on:input=move |ev| title.set(event_target_value(&ev)) />
                </label>
                <label>
                    {move || tr(Msg::CouncilRaiseBody)}
                    <textarea rows="4" maxlength=BODY_MAX.to_string() data-test="raise-body"
                        prop:value=body on:input=move |ev| body.set(event_target_value(&ev))></textarea>
                </label>
                <ErrorNote error=raise.error() />
                <SubmitButton busy=raise.busy_signal() label=Msg::CouncilRaiseSend class="primary big" attr:data-test="raise-send" />
            </form>
        </Show>
    }
}

/// What a concern card asks for: (un)support it, or put it on the next agenda.
#[derive(Clone, Copy)]
enum CardStep {
    Support(i64, bool),
    Schedule(i64),
}

#[component]
fn ConcernCard(
    c: Concern,
    manages: bool,
    version: RwSignal<u32>,
    act: Submit<CardStep, ()>,
    categories: Resource<Result<Vec<Category>, AppError>>,
) -> impl IntoView {
    let session = use_session();
    let id = c.id.0;
    let status = c.status;
    let supported = c.supported;
    let busy = act.busy_signal();
    let support = move |_| act.submit(Ok(CardStep::Support(id, !supported)));
    let schedule = move |_| act.submit(Ok(CardStep::Schedule(id)));
    let can_support = !c.mine && status != ConcernStatus::Decided;
    view! {
        <li class="card concern" id=format!("concern-{id}") data-test="concern" data-id=id.to_string() data-status=status.as_str()>
            <strong data-test="concern-title">{c.title.clone()}</strong>
            <span class="muted">{c.grid_name.clone()} " · " {move || tr(Msg::CouncilRaisedBy)} " " {c.raised_by.clone()}
                " · " {format_cst(c.created_at).get(..10).unwrap_or_default().to_owned()}</span>
            <p>{c.body.clone()}</p>
            <p>
                <span class=if status == ConcernStatus::Decided { "badge ok" } else { "badge" } data-test="concern-status">{move || tr(status.label())}
                    {c.meeting_date.clone().map(|d| format!(" {d}"))}</span>
                {c.mine.then(|| view! { <span class="badge warn">{move || tr(Msg::CouncilMine)}</span> })}
                " " <span data-test="supporters">{c.supporters}</span> " " {move || tr(Msg::CouncilSupporters)}
            </p>
            {c.outcome.clone().map(|o| view! {
                <p class="ok" data-test="outcome"><strong>{move || tr(Msg::CouncilOutcome)} "："</strong>{o}</p>
            })}
            {c.ticket.map(|t| view! {
                <p><A href=format!("/tickets/{}", t.0) attr:data-test="concern-ticket">{move || tr(Msg::CouncilTicket)} " #" {t.0}</A></p>
            })}
            <Transition fallback=|| ()>
                {move || (can_support && session.get().is_some()).then(|| view! {
                    <button type="button" class=if supported { "" } else { "primary" } disabled=busy
                        aria-pressed=supported.to_string() on:click=support data-test="support">
                        {move || tr(if supported { Msg::CouncilSupported } else { Msg::CouncilSupport })}
                    </button>
                })}
            </Transition>
            {(manages && status == ConcernStatus::Open).then(|| view! {
                <button type="button" disabled=busy on:click=schedule data-test="schedule">{move || tr(Msg::CouncilSchedule)}</button>
            })}
            {(manages && status == ConcernStatus::Agenda).then(|| view! { <DecideForm id=id version=version categories=categories /> })}
        </li>
    }
}

#[component]
fn DecideForm(
    id: i64,
    version: RwSignal<u32>,
    categories: Resource<Result<Vec<Category>, AppError>>,
) -> impl IntoView {
    let outcome = RwSignal::new(String::new());
    let category = RwSignal::new(String::new());
    let lang = use_lang();
    let decide = Submit::new(
        move |d: Decision| decide_concern(id, d),
        move |_: Option<i64>| version.update(|v| *v += 1),
    );
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let d = Decision {
            outcome: outcome.get_untracked(),
            ticket_category: category.get_untracked().parse().ok(),
        };
        decide.submit(check_decision(&d).map(|()| d));
    };
    view! {
        <form class="decide" on:submit=submit data-test="decide-form" novalidate>
            <label>
                {move || tr(Msg::CouncilOutcome)}
                <textarea rows="3" maxlength=OUTCOME_MAX.to_string() data-test="outcome-text"
                    prop:value=outcome on:input=move |ev| outcome.set(event_target_value(&ev))></textarea>
            </label>
            <label>
                {move || tr(Msg::CouncilMakeTicket)}
                <select data-test="outcome-category" on:change=move |ev| category.set(event_target_value(&ev)) prop:value=category>
                    <option value="">{move || tr(Msg::CouncilNoTicket)}</option>
                    <Transition fallback=|| ()>
                        {move || categories.get().and_then(|r| r.ok()).map(|cs| cs.into_iter()
                            .filter(|c| c.kind != TicketKind::Mediation)
                            .map(|c| view! { <option value=c.id.to_string()>{c.name(lang.get()).to_owned()}</option> })
                            .collect_view())}
                    </Transition>
                </select>
            </label>
            <ErrorNote error=decide.error() />
            <SubmitButton busy=decide.busy_signal() label=Msg::CouncilDecide attr:data-test="decide" />
        </form>
    }
}
