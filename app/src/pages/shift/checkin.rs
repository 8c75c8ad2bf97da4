//! The check-in page the QR code opens.
use super::{hours_text, urlencode};
use crate::api::shift::{check_in_shift, check_out_shift, fetch_shift};
use crate::components::error::{ErrorNote, error_view};
use crate::components::form::Submit;
use crate::domain::shift::format_when;
use crate::domain::time::format_cst;
use crate::i18n::Msg;
use crate::pages::{id_param, loading};
use crate::providers::session::use_session;
use crate::providers::tr;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

/// `/shifts/:id/checkin?t=…`: what the QR code opens on a volunteer's phone.
#[component]
pub fn CheckInPage() -> impl IntoView {
    let id = id_param();
    let query = use_query_map();
    let token = move || query.with(|q| q.get("t").unwrap_or_default());
    let session = use_session();
    let version = RwSignal::new(0u32);
    let detail = Resource::new(move || (id(), version.get()), |(id, _)| fetch_shift(id));
    let done = RwSignal::new(None::<String>);
    let act = Submit::new(
        |(out, id, t): (bool, i64, String)| async move {
            if out {
                check_out_shift(id, t)
                    .await
                    .map(|m| tr(Msg::ShiftCheckedOutFor).replace("{t}", &hours_text(m)))
            } else {
                check_in_shift(id, t)
                    .await
                    .map(|at| format!("{} {}", tr(Msg::ShiftCheckedIn), format_cst(at)))
            }
        },
        move |text| {
            done.set(Some(text));
            version.update(|v| *v += 1);
        },
    );
    let send = move |out: bool| act.submit(Ok((out, id(), token())));
    view! {
        <section class="page narrow">
            <h1>{move || tr(Msg::ShiftCheckIn)}</h1>
            <Transition fallback=loading>
                {move || {
                    if session.get().is_none() {
                        let next = format!("/shifts/{}/checkin?t={}", id(), token());
                        return Some(view! { <p class="card"><A href=format!("/login?next={}", urlencode(&next))>{move || tr(Msg::ShiftSignInToCheckIn)}</A></p> }.into_any());
                    }
                    detail.get().map(|r| match r {
                        Ok(d) => {
                            let s = d.shift;
                            let checked_in = s.checked_in_at.is_some();
                            let checked_out = s.checked_out_at.is_some();
                            view! {
                                <article class="card" data-test="checkin-shift">
                                    <h2>{s.title.clone()}</h2>
                                    <p>{format_when(s.starts_at, s.ends_at)} " · " {s.place.clone()}</p>
                                </article>
                                {if checked_out {
                                    view! { <p class="ok" data-test="checked-out">{move || tr(Msg::ShiftThanks)}</p> }.into_any()
                                } else if checked_in {
                                    view! { <button type="button" class="primary big" disabled=act.busy_signal() on:click=move |_| send(true) data-test="check-out">{move || tr(Msg::ShiftCheckOut)}</button> }.into_any()
                                } else {
                                    view! { <button type="button" class="primary big" disabled=act.busy_signal() on:click=move |_| send(false) data-test="check-in">{move || tr(Msg::ShiftCheckIn)}</button> }.into_any()
                                }}
                            }.into_any()
                        }
                        Err(e) => error_view(e),
                    })
                }}
            </Transition>
            <Show when=move || done.get().is_some()>
                <p class="ok" role="status" data-test="checkin-result">{move || done.get()}</p>
            </Show>
            <ErrorNote error=act.error() />
        </section>
    }
}
