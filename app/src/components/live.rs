//! Live ticket changes: one `EventSource` per tab on `/api/tickets/events`; every
//! change bumps a counter that lists, ticket pages and the map use as a refetch key.
use leptos::prelude::*;

#[cfg(feature = "hydrate")]
thread_local! {
    static CHANGES: std::cell::RefCell<Option<ArcRwSignal<u32>>> = const { std::cell::RefCell::new(None) };
}

/// A counter that goes up whenever any ticket changes (never on the server).
pub fn ticket_changes() -> ArcRwSignal<u32> {
    #[cfg(feature = "hydrate")]
    {
        CHANGES.with(|slot| {
            if let Some(s) = slot.borrow().as_ref() {
                return s.clone();
            }
            let counter = ArcRwSignal::new(0u32);
            if let Ok(es) = web_sys::EventSource::new("/api/tickets/events") {
                use wasm_bindgen::JsCast;
                let c = counter.clone();
                let on_change =
                    wasm_bindgen::prelude::Closure::<dyn Fn(web_sys::MessageEvent)>::new(
                        move |_: web_sys::MessageEvent| c.update(|n| *n = n.wrapping_add(1)),
                    );
                let _ = es
                    .add_event_listener_with_callback("change", on_change.as_ref().unchecked_ref());
                on_change.forget();
                // The browser reconnects by itself; the source lives as long as the tab.
                std::mem::forget(es);
            }
            *slot.borrow_mut() = Some(counter.clone());
            counter
        })
    }
    #[cfg(not(feature = "hydrate"))]
    {
        ArcRwSignal::new(0)
    }
}
