//! The ticket lists: my reports, a worker's queue and the board with filters.
use super::{SignInFirst, StatusBadge, due_text, loading};
use crate::api::ticket::{my_tickets, ticket_queue};
use crate::components::error::ErrorNote;
use crate::components::live::ticket_changes;
use crate::domain::ticket::{Escalation, EventKind, TicketFilter, TicketStatus, TicketSummary};
use crate::domain::time::format_cst;
use crate::domain::user::Role;
use crate::i18n::Msg;
use crate::providers::lang::use_lang;
use crate::providers::session::use_session;
use crate::providers::tr;
use leptos::prelude::*;
use leptos_router::components::A;

/// One line of a list: a link card. On a staff list it names the responsible person
/// ("mine" when it is the viewer).
#[component]
fn TicketLine(t: TicketSummary, #[prop(optional)] staff: bool) -> impl IntoView {
    let lang = use_lang();
    let href = format!("/tickets/{}", t.id.0);
    let t2 = t.clone();
    let due = t.due_in_ms;
    let owner = staff.then(|| {
        let (mine, name) = (t.mine, t.assignee.clone());
        view! {
            <p class="small owner" data-test="ticket-owner" data-mine=mine.to_string()>
                {mine.then(|| view! { <span class="chip">{move || tr(Msg::TicketMine)}</span> " " })}
                {move || match &name {
                    Some(n) => tr(Msg::TicketOwner).replace("{n}", n),
                    None => tr(Msg::TicketUnassigned).to_owned(),
                }}
            </p>
        }
    });
    view! {
        <li>
            <a class="ticket-line" href=href data-test="ticket-line" data-id=t.id.0.to_string()>
                {t.thumb.clone().map(|k| view! { <img class="thumb" src=format!("/photos/{k}.jpg") alt="" loading="lazy" /> })}
                <div class="ticket-text">
                    <div class="ticket-head">
                        <StatusBadge status=t.status />
                        <strong>{move || t2.category(lang.get()).to_owned()}</strong>
                        <Show when=move || t.emergency><span class="chip danger">{move || tr(Msg::Emergency)}</span></Show>
                    </div>
                    <p class="desc">{t.description.clone()}</p>
                    <p class="muted small">
                        {format!("#{} · {}", t.id.0, format_cst(t.created_ms))}
                        {t.grid_name.clone().map(|g| format!(" · {g}"))}
                    </p>
                    {owner}
                    {t.to_rate.then(|| view! { <p class="chip" data-test="to-rate">{move || tr(Msg::RateWaiting)}</p> })}
                    {move || due_text(due, lang.get()).map(|(text, late)| view! {
                        <p class="due" class:late=late>{text}</p>
                    })}
                    {match t.escalation {
                        Escalation::None => None,
                        e => Some(view! { <p class="chip danger">{move || tr(EventKind::Escalated(e).label())}</p> }),
                    }}
                </div>
            </a>
        </li>
    }
}

#[component]
fn TicketList(list: Vec<TicketSummary>, #[prop(optional)] staff: bool) -> impl IntoView {
    if list.is_empty() {
        return view! { <p class="muted" data-test="empty">{move || tr(Msg::NoTickets)}</p> }
            .into_any();
    }
    view! {
        <ul class="ticket-list" data-test="ticket-list">
            {list.into_iter().map(|t| view! { <TicketLine t=t staff=staff /> }).collect_view()}
        </ul>
    }
    .into_any()
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Tab {
    Queue,
    Board,
    Mine,
}

#[component]
pub fn TicketsPage() -> impl IntoView {
    let session = use_session();
    view! {
        <section class="page">
            <div class="toolbar">
                <h1>{move || tr(Msg::NavTickets)}</h1>
                <A href="/report" attr:class="button primary" attr:data-test="new-report">{move || tr(Msg::NavReport)}</A>
            </div>
            {move || match session.get() {
                Some(u) => {
                    let works = matches!(u.role, Role::GridWorker | Role::Director | Role::Admin);
                    view! { <TicketTabs works=works /> }.into_any()
                }
                None => view! { <SignInFirst /> }.into_any(),
            }}
        </section>
    }
}

#[component]
fn TicketTabs(works: bool) -> impl IntoView {
    let tab = RwSignal::new(if works { Tab::Queue } else { Tab::Mine });
    let status = RwSignal::new(None::<TicketStatus>);
    let overdue = RwSignal::new(false);
    let changes = ticket_changes();
    let list = Resource::new(
        move || (tab.get(), status.get(), overdue.get(), changes.get()),
        |(tab, status, overdue, _)| async move {
            match tab {
                Tab::Mine => my_tickets().await,
                Tab::Queue => {
                    ticket_queue(TicketFilter {
                        open_only: true,
                        ..TicketFilter::default()
                    })
                    .await
                }
                Tab::Board => {
                    ticket_queue(TicketFilter {
                        status,
                        overdue,
                        ..TicketFilter::default()
                    })
                    .await
                }
            }
        },
    );
    let tab_button = move |t: Tab, label: Msg, test: &'static str| {
        view! {
            <button type="button" aria-pressed=move || (tab.get() == t).to_string()
                on:click=move |_| tab.set(t) data-test=test>{move || tr(label)}</button>
        }
    };
    view! {
        <crate::components::outbox::OutboxList />
        <Show when=move || works>
            <div class="segmented" role="group">
                {tab_button(Tab::Queue, Msg::TabQueue, "tab-queue")}
                {tab_button(Tab::Board, Msg::TabBoard, "tab-board")}
                {tab_button(Tab::Mine, Msg::TabMine, "tab-mine")}
            </div>
        </Show>
        <Show when=move || tab.get() == Tab::Board>
            <div class="filters">
                <label>
                    {move || tr(Msg::FilterStatus)}
                    <select on:change=move |ev| status.set(TicketStatus::parse(&event_target_value(&ev))) data-test="filter-status">
                        <option value="">{move || tr(Msg::FilterAll)}</option>
                        {TicketStatus::ALL.into_iter().map(|s| view! {
                            <option value=s.as_str()>{move || tr(s.label())}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label class="check">
                    <input type="checkbox" on:change=move |ev| overdue.set(event_target_checked(&ev)) data-test="filter-overdue" />
                    {move || tr(Msg::FilterOverdue)}
                </label>
            </div>
        </Show>
        <Transition fallback=loading>
            {move || list.get().map(|r| match r {
                Ok(l) => view! { <TicketList list=l staff=tab.get_untracked() != Tab::Mine /> }.into_any(),
                Err(e) => view! { <ErrorNote error=Signal::derive(move || Some(e.clone())) /> }.into_any(),
            })}
        </Transition>
    }
}
