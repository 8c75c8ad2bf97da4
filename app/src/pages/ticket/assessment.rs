//! `/assessment` (考核): a grid worker's own month, live, with the arithmetic behind
//! every dimension and the entries behind the arithmetic; directors see their
//! community's workers, admins the street's. No ranking: each worker sees their own.
use super::{MonthPicker, month_in_query};
use crate::api::assessment::{my_assessment, staff_assessment};
use crate::components::error::error_view;
use crate::components::form::loading;
use crate::domain::assessment::{WorkerMonth, points_text};
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
    let mine = Resource::new(
        move || (month(), role()),
        |(m, r)| async move {
            match r {
                Some(Role::GridWorker) => Some(my_assessment(m).await),
                _ => None,
            }
        },
    );
    let staff = Resource::new(
        move || (month(), role()),
        |(m, r)| async move {
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
                        <MonthCard m=m />
                    }.into_any(),
                    (_, Some(Ok(list))) => view! {
                        <h2>{move || tr(Msg::AsStaff)}</h2>
                        {list.into_iter().map(|m| view! { <MonthCard m=m /> }).collect_view()}
                    }.into_any(),
                    (Some(Err(e)), _) | (_, Some(Err(e))) => error_view(e),
                    (None, None) => view! { <p class="muted" data-test="not-staff">{move || tr(Msg::AsNotStaff)}</p> }.into_any(),
                }}
            </Transition>
        </section>
    }
}

/// One worker's month: the total and grade, each dimension with its arithmetic, then
/// the ledger entries.
#[component]
fn MonthCard(m: WorkerMonth) -> impl IntoView {
    let total = points_text(m.score.tenths);
    let grade = format!("{:?}", m.score.grade);
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
            <details>
                <summary>{move || tr(Msg::AsEntries)}</summary>
                {if m.entries.is_empty() {
                    view! { <p class="muted">{move || tr(Msg::AsNoEntries)}</p> }.into_any()
                } else {
                    view! {
                        <ul class="entries" data-test="entries">
                            {m.entries.into_iter().map(|e| {
                                let label = e.kind.label();
                                view! {
                                    <li data-test="entry" data-kind=e.kind.as_str()>
                                        {move || tr(label)} {format!(" {:+} · ", e.points)}
                                        {e.ticket.map(|t| view! { <a href=format!("/tickets/{t}")>{format!("#{t}")}</a> })}
                                        <span class="muted small">{format!(" · {}", format_cst(e.at_ms))}</span>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            </details>
        </article>
    }
}
