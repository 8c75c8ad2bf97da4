//! One shift: sign-up / waitlist, its series and, for its coordinators, the roster.
use super::roster::Roster;
use super::series::SeriesPanel;
use super::{mine_badge, seats};
use crate::api::shift::{fetch_shift, leave_shift, sign_up_shift};
use crate::components::error::{ErrorNote, error_view};
use crate::components::form::Submit;
use crate::domain::shift::{ShiftDetail, SignupState, format_when};
use crate::domain::time::{format_cst, now_ms};
use crate::i18n::Msg;
use crate::pages::{id_param, loading};
use crate::providers::session::use_session;
use crate::providers::tr;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn ShiftPage() -> impl IntoView {
    let id = id_param();
    let version = RwSignal::new(0u32);
    let detail = Resource::new(move || (id(), version.get()), |(id, _)| fetch_shift(id));
    // Kept outside the view that is rebuilt after each change, so the answer stays.
    let notice = RwSignal::new(None::<String>);
    view! {
        <section class="page narrow">
            <Transition fallback=loading>
                {move || detail.get().map(|r| match r {
                    Ok(d) => view! { <ShiftView d=d version=version notice=notice /> }.into_any(),
                    Err(e) => error_view(e),
                })}
            </Transition>
        </section>
    }
}

#[component]
fn ShiftView(
    d: ShiftDetail,
    version: RwSignal<u32>,
    notice: RwSignal<Option<String>>,
) -> impl IntoView {
    let session = use_session();
    let s = d.shift;
    let id = s.id.0;
    let kind = s.kind;
    let signup = Submit::new(
        move |leave: bool| async move {
            if leave {
                leave_shift(id).await.map(|()| None)
            } else {
                sign_up_shift(id).await.map(Some)
            }
        },
        move |outcome: Option<_>| {
            notice.set(outcome.map(|o| match o.position {
                Some(p) => tr(Msg::ShiftJoinedWaitlist).replace("{n}", &p.to_string()),
                None => tr(Msg::ShiftJoinedSeat).to_owned(),
            }));
            version.update(|v| *v += 1);
        },
    );
    let busy = signup.busy_signal();
    let run = move |leave: bool| signup.submit(Ok(leave));
    let started = now_ms() >= s.starts_at;
    let mine = s.mine;
    let can_leave =
        mine == Some(SignupState::Waiting) || (mine == Some(SignupState::Seated) && d.may_cancel);
    let cutoff = s.cutoff_hours;
    view! {
        <article class="shift-detail" data-test="shift">
            <p class="muted">{move || tr(kind.label())} " · " {s.grid_name.clone()} {s.team.clone().map(|t| format!(" · {t}"))}</p>
            <h1>{s.title.clone()}</h1>
            <dl class="facts">
                <dt>{move || tr(Msg::ShiftWhen)}</dt><dd data-test="when">{format_when(s.starts_at, s.ends_at)}</dd>
                <dt>{move || tr(Msg::ShiftPlace)}</dt><dd>{s.place.clone()}</dd>
                <dt>{move || tr(Msg::ShiftSeats)}</dt><dd data-test="seats">{seats(&s)}</dd>
            </dl>
            {(!s.note.is_empty()).then(|| view! { <p>{s.note.clone()}</p> })}
            {s.cancelled.then(|| view! { <p class="card warn" data-test="called-off">{move || tr(Msg::ShiftCalledOff)}</p> })}
            {mine_badge(&s)}
            {s.checked_in_at.map(|t| view! { <p class="ok" data-test="checked-in">{move || tr(Msg::ShiftCheckedIn)} " " {format_cst(t)}</p> })}
        </article>
        <Show when=move || notice.get().is_some()>
            <p class="ok" role="status" data-test="signup-result">{move || notice.get()}</p>
        </Show>
        <ErrorNote error=signup.error() />
        <Transition fallback=|| ()>
            {move || {
                if s.cancelled || started {
                    return None;
                }
                Some(if session.get().is_none() {
                    view! { <p class="card"><A href=format!("/login?next=/shifts/{id}")>{move || tr(Msg::ShiftSignInToJoin)}</A></p> }.into_any()
                } else if mine.is_none() {
                    view! {
                        <button type="button" class="primary big" disabled=busy on:click=move |_| run(false) data-test="sign-up">
                            {move || if s.taken >= s.capacity { tr(Msg::ShiftJoinWaitlist) } else { tr(Msg::ShiftSignUp) }}
                        </button>
                    }.into_any()
                } else if can_leave {
                    view! {
                        <button type="button" class="big" disabled=busy on:click=move |_| run(true) data-test="leave">
                            {move || tr(Msg::ShiftLeave)}
                        </button>
                    }.into_any()
                } else {
                    view! { <p class="muted" data-test="cutoff-passed">{move || tr(Msg::ShiftCutoffNote).replace("{h}", &cutoff.to_string())}</p> }.into_any()
                })
            }}
        </Transition>
        {d.series.map(|series| view! {
            <SeriesPanel id=id series=series manages=d.roster.is_some() version=version notice=notice />
        }.into_any())}
        {d.roster.map(|roster| view! {
            <Roster id=id roster=roster token=d.checkin_token.clone().unwrap_or_default() cancelled=s.cancelled version=version />
        })}
    }
}
