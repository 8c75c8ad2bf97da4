//! The emergency alarm (1 / 3 / 5 minutes): on every page of the people an emergency
//! rang — the duty officers, and after five minutes the shift's leader and the director
//! — a red panel that sounds until it is acknowledged, with the clocks running, "接警",
//! "我已到场" (with the phone's position when it gives one), and after five minutes
//! one-tap calls to 110 / 119 / 120. It appears as soon as the ticket is reported (live
//! stream) and otherwise within ten seconds.
use crate::api::duty::{ack_emergency, on_site, ringing_now};
use crate::components::error::ErrorNote;
use crate::components::form::Submit;
use crate::components::live::ticket_changes;
use crate::domain::authz::Action;
use crate::domain::emergency::{ACK_MS, ESCALATE_MS, ON_SITE_MS, Ringing};
use crate::domain::time::{format_span, now_ms};
use crate::i18n::Msg;
use crate::providers::lang::use_lang;
use crate::providers::session::use_session;
use crate::providers::tr;
use leptos::prelude::*;

#[component]
pub fn EmergencyAlarm() -> impl IntoView {
    let session = use_session();
    let staff = move || session.may(Action::ViewDuty);
    let changes = ticket_changes();
    let poll = RwSignal::new(0u32);
    let now = RwSignal::new(now_ms());
    #[cfg(feature = "hydrate")]
    {
        let seconds = std::cell::Cell::new(0u32);
        set_interval(
            move || {
                now.set(now_ms());
                seconds.set(seconds.get() + 1);
                if seconds.get().is_multiple_of(10) {
                    poll.update(|p| *p += 1);
                }
            },
            std::time::Duration::from_secs(1),
        );
    }
    let list = Resource::new(
        move || (staff(), changes.get(), poll.get()),
        |(staff, _, _)| async move {
            if staff {
                ringing_now().await.unwrap_or_default()
            } else {
                vec![]
            }
        },
    );
    // Sounds every two seconds while something rings unanswered.
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        let t = now.get();
        let unanswered = list
            .get()
            .is_some_and(|l| l.iter().any(|e| e.acked.is_none()));
        if unanswered && (t / 1000) % 2 == 0 {
            sound();
        }
    });
    view! {
        <Transition fallback=|| ()>
            {move || list.get().filter(|l| !l.is_empty()).map(|l| view! {
                <section class="emergency" role="alert" aria-live="assertive" data-test="emergency">
                    {l.into_iter().map(|e| view! { <Alarm e=e now=now list=list /> }).collect_view()}
                </section>
            })}
        </Transition>
    }
}

#[component]
fn Alarm(e: Ringing, now: RwSignal<i64>, list: Resource<Vec<Ringing>>) -> impl IntoView {
    let lang = use_lang();
    let id = e.id;
    let started = e.started_ms;
    let refresh = move |_| list.refetch();
    let ack = Submit::new(ack_emergency, refresh);
    let arrive = Submit::new(
        move |at: Option<(f64, f64)>| on_site(id, at.map(|a| a.0), at.map(|a| a.1)),
        refresh,
    );
    let locating = RwSignal::new(false);
    let there = move |_| {
        locating.set(true);
        #[cfg(feature = "hydrate")]
        crate::pages::grid::geolocate(move |pos| {
            locating.set(false);
            arrive.submit(Ok(pos));
        });
    };
    let since = move || format_span(now.get() - started, lang.get());
    let late = move |limit: i64| now.get() - started > limit;
    let escalated = e.escalated;
    let (acked, onsite) = (e.acked.clone(), e.on_site.clone());
    view! {
        <article class="alarm" data-test="alarm" data-id=id.to_string()>
            <p class="alarm-kicker"><span aria-hidden="true">"🚨 "</span>{move || tr(Msg::EmRinging)}</p>
            <h2 data-test="alarm-title">{e.title.clone()}</h2>
            {match acked {
                Some((by, _)) => view! { <p data-test="alarm-acked">{move || tr(Msg::EmAckedBy).replace("{b}", &by)}</p> }.into_any(),
                None => view! {
                    <p class="clock" class:late=move || late(ACK_MS) data-test="alarm-ack-clock">
                        {move || tr(Msg::EmAckDue).replace("{t}", &since())}
                    </p>
                    <button type="button" class="primary big" data-test="alarm-ack" disabled=ack.busy_signal()
                        on:click=move |_| ack.submit(Ok(id))>{move || tr(Msg::EmAck)}</button>
                    <ErrorNote error=ack.error() />
                }.into_any(),
            }}
            {match onsite {
                Some((by, _)) => view! { <p data-test="alarm-on-site">{move || tr(Msg::EmOnSiteBy).replace("{b}", &by)}</p> }.into_any(),
                None => view! {
                    <p class="clock" class:late=move || late(ON_SITE_MS) data-test="alarm-site-clock">
                        {move || tr(Msg::EmOnSiteDue).replace("{t}", &since())}
                    </p>
                    <button type="button" class="secondary big" data-test="alarm-there"
                        disabled=move || locating.get() || arrive.busy()
                        on:click=there>{move || tr(Msg::EmOnSite)}</button>
                    <ErrorNote error=arrive.error() />
                }.into_any(),
            }}
            <Show when=move || escalated || late(ESCALATE_MS)>
                <p class="late" data-test="alarm-escalated">{move || tr(Msg::EmEscalatedNow)}</p>
                <p class="calls" data-test="alarm-calls">
                    {move || tr(Msg::EmCall)} " "
                    <a class="button" href="tel:110">"110"</a> " "
                    <a class="button" href="tel:119">"119"</a> " "
                    <a class="button" href="tel:120">"120"</a>
                </p>
            </Show>
            <p><a href=e.source.url(e.source_id) data-test="alarm-open">{move || tr(Msg::EmOpen)}</a></p>
        </article>
    }
}

/// A short 880 Hz tone through the page's one audio context (the browser may hold it
/// until the page has been touched once).
#[cfg(feature = "hydrate")]
fn sound() {
    use std::cell::RefCell;
    thread_local! {
        static CTX: RefCell<Option<web_sys::AudioContext>> = const { RefCell::new(None) };
    }
    CTX.with(|c| {
        let mut c = c.borrow_mut();
        if c.is_none() {
            *c = web_sys::AudioContext::new().ok();
        }
        let Some(ctx) = c.as_ref() else { return };
        let _ = ctx.resume();
        let (Ok(osc), Ok(gain)) = (ctx.create_oscillator(), ctx.create_gain()) else {
            return;
        };
        osc.frequency().set_value(880.0);
        gain.gain().set_value(0.25);
        let _ = osc.connect_with_audio_node(&gain);
        let _ = gain.connect_with_audio_node(&ctx.destination());
        let t = ctx.current_time();
        let _ = osc.start_with_when(t);
        let _ = osc.stop_with_when(t + 0.4);
    });
}
