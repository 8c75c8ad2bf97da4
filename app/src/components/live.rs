//! The live stream: one `EventSource` per tab on `/api/events`. A ticket change
//! bumps a counter that lists, ticket pages and the map use as a refetch key; a new
//! alert is kept in a signal the banner and the alert pages watch. The browser
//! reconnects by itself and sends `Last-Event-ID`, so alerts missed while offline
//! arrive on reconnection.
use crate::domain::alert::LiveAlert;
use leptos::prelude::*;

#[derive(Clone)]
struct Live {
    changes: ArcRwSignal<u32>,
    alert: ArcRwSignal<Option<LiveAlert>>,
}

/// The tab's signals and the stream feeding them.
#[cfg(feature = "hydrate")]
struct Slot {
    live: Live,
    source: Option<web_sys::EventSource>,
}

#[cfg(feature = "hydrate")]
thread_local! {
    static LIVE: std::cell::RefCell<Option<Slot>> = const { std::cell::RefCell::new(None) };
}

/// Opens `/api/events` feeding `l`'s signals.
#[cfg(feature = "hydrate")]
fn connect(l: &Live) -> Option<web_sys::EventSource> {
    use wasm_bindgen::JsCast;
    use wasm_bindgen::prelude::Closure;
    let es = web_sys::EventSource::new("/api/events").ok()?;
    let c = l.changes.clone();
    let on_change =
        Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |_: web_sys::MessageEvent| {
            c.update(|n| *n = n.wrapping_add(1))
        });
    let _ = es.add_event_listener_with_callback("change", on_change.as_ref().unchecked_ref());
    on_change.forget();
    let a = l.alert.clone();
    let on_alert =
        Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
            let parsed = e
                .data()
                .as_string()
                .and_then(|s| serde_json::from_str::<LiveAlert>(&s).ok());
            // The same alert twice (replay after reconnecting) changes nothing.
            if let Some(new) = parsed
                && a.with_untracked(|old| old.as_ref().map(|o| o.id)) != Some(new.id)
            {
                a.set(Some(new));
            }
        });
    let _ = es.add_event_listener_with_callback("alert", on_alert.as_ref().unchecked_ref());
    on_alert.forget();
    Some(es)
}

fn live() -> Live {
    #[cfg(feature = "hydrate")]
    {
        LIVE.with(|slot| {
            if let Some(s) = slot.borrow().as_ref() {
                return s.live.clone();
            }
            let live = Live {
                changes: ArcRwSignal::new(0u32),
                alert: ArcRwSignal::new(None),
            };
            // The source lives as long as the tab (or until the person changes).
            let source = connect(&live);
            *slot.borrow_mut() = Some(Slot {
                live: live.clone(),
                source,
            });
            live
        })
    }
    #[cfg(not(feature = "hydrate"))]
    {
        Live {
            changes: ArcRwSignal::new(0),
            alert: ArcRwSignal::new(None),
        }
    }
}

/// After signing in or out: the stream is opened again as the person now signed in
/// (the server decides from the request who may hear private ticket changes, and
/// counts the page in their home grid). The new one opens before the old closes, so
/// nothing falls in between; an alert heard on both is kept once.
pub fn reconnect() {
    #[cfg(feature = "hydrate")]
    LIVE.with(|slot| {
        if let Some(s) = slot.borrow_mut().as_mut() {
            let old = std::mem::replace(&mut s.source, connect(&s.live));
            if let Some(old) = old {
                old.close();
            }
        }
    });
}

/// A counter that goes up whenever any ticket changes (never on the server).
pub fn ticket_changes() -> ArcRwSignal<u32> {
    live().changes
}

/// The latest alert published while this tab was open (never on the server).
pub fn live_alert() -> ArcRwSignal<Option<LiveAlert>> {
    live().alert
}
