//! A shift's roster for its coordinators: hand check-in / out, the check-in QR code
//! and calling the shift off.
use super::hours_text;
use crate::api::shift::{cancel_shift, mark_shift};
use crate::components::error::ErrorNote;
use crate::components::form::{Submit, first_error};
use crate::domain::shift::{RosterLine, SignupState};
use crate::domain::time::format_cst;
use crate::i18n::Msg;
use crate::providers::tr;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub(super) fn Roster(
    id: i64,
    roster: Vec<RosterLine>,
    token: String,
    cancelled: bool,
    version: RwSignal<u32>,
) -> impl IntoView {
    let bump = move |()| version.update(|v| *v += 1);
    let marking = Submit::new(
        move |(signup, out): (i64, bool)| mark_shift(id, signup, out),
        bump,
    );
    let calling_off = Submit::new(move |()| cancel_shift(id), bump);
    let mark = move |signup: i64, out: bool| marking.submit(Ok((signup, out)));
    let error = first_error(marking.error(), calling_off.error());
    let link = format!("/shifts/{id}/checkin?t={token}");
    view! {
        <section class="card" data-test="roster">
            <h2>{move || tr(Msg::ShiftRoster)} " (" {roster.len()} ")"</h2>
            <ErrorNote error=error />
            {if roster.is_empty() {
                view! { <p class="muted">{move || tr(Msg::ShiftNobodyYet)}</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap" tabindex="0" role="region" aria-label=move || tr(Msg::ShiftRoster)>
                        <table>
                            <tbody>
                                {roster.into_iter().map(|r| {
                                    let sid = r.signup;
                                    let seated = r.state == SignupState::Seated;
                                    let state = r.state;
                                    view! {
                                        <tr data-test="roster-line" data-state=state.as_str()>
                                            <td>{r.name.clone()}<br /><span class="muted">{r.phone.clone()}</span></td>
                                            <td>{move || tr(state.label())}</td>
                                            <td>{match (r.checked_in_at, r.checked_out_at) {
                                                (Some(a), Some(b)) => view! { <span data-test="served">{format_cst(a).get(11..).unwrap_or_default().to_owned()} "–" {format_cst(b).get(11..).unwrap_or_default().to_owned()} " · " {r.minutes.map(hours_text)}</span> }.into_any(),
                                                (Some(a), None) => view! {
                                                    <span data-test="arrived">{move || tr(Msg::ShiftCheckedIn)} " " {format_cst(a).get(11..).unwrap_or_default().to_owned()}</span>
                                                    <button type="button" on:click=move |_| mark(sid, true) data-test="mark-out">{move || tr(Msg::ShiftCheckOut)}</button>
                                                }.into_any(),
                                                (None, _) if seated && !cancelled => view! {
                                                    <button type="button" on:click=move |_| mark(sid, false) data-test="mark-in">{move || tr(Msg::ShiftCheckIn)}</button>
                                                }.into_any(),
                                                _ => ().into_any(),
                                            }}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        </section>
        {(!cancelled).then(|| view! {
            <section class="card qr" data-test="checkin-qr">
                <h2>{move || tr(Msg::ShiftQrTitle)}</h2>
                <p class="muted">{move || tr(Msg::ShiftQrHint)}</p>
                <img src=format!("/api/shifts/{id}/qr.svg") alt=move || tr(Msg::ShiftQrTitle) width="240" height="240" />
                <p><A href=link.clone() attr:data-test="checkin-link">{move || tr(Msg::ShiftCheckinLink)}</A></p>
            </section>
            <button type="button" class="danger" disabled=calling_off.busy_signal() on:click=move |_| calling_off.submit(Ok(())) data-test="call-off">{move || tr(Msg::ShiftCallOff)}</button>
        })}
    }
}
