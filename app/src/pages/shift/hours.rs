//! My shifts and hours, the calendar link, and the printable certificate.
use super::hours_text;
use super::list::ShiftLine;
use crate::api::shift::{calendar_token, my_hours, my_shifts};
use crate::components::error::{ErrorNote, error_view};
use crate::components::form::Submit;
use crate::domain::shift::MonthHours;
use crate::domain::time::{format_cst, now_ms};
use crate::i18n::Msg;
use crate::pages::loading;
use crate::providers::session::use_session;
use crate::providers::tr;
use leptos::prelude::*;
use leptos_router::components::A;

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
    let fetch = Submit::new(calendar_token, move |t| token.set(Some(t)));
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
            <ErrorNote error=fetch.error() />
            <Show
                when=move || token.get().is_some()
                fallback=move || view! {
                    <button type="button" disabled=fetch.busy_signal() on:click=move |_| fetch.submit(Ok(false)) data-test="calendar-show">{move || tr(Msg::CalendarShow)}</button>
                }
            >
                <p class="break"><a href=link data-test="calendar-link">{link}</a></p>
                <button type="button" disabled=fetch.busy_signal() on:click=move |_| fetch.submit(Ok(true)) data-test="calendar-renew">{move || tr(Msg::CalendarRenew)}</button>
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
                            <button type="button" class="no-print" on:click=print_page data-test="print">{move || tr(Msg::ShiftPrint)}</button>
                        }.into_any()
                    }
                    Err(e) => error_view(e),
                })}
            </Transition>
        </section>
    }
}

/// Opens the browser's print dialog (a Rust handler: the page's CSP refuses inline ones).
fn print_page(_: leptos::ev::MouseEvent) {
    #[cfg(feature = "hydrate")]
    if let Some(w) = web_sys::window() {
        let _ = w.print();
    }
}
