//! Tongxin's shared crate: domain types and pure rules (both targets), the server
//! functions (`api`), and the Leptos pages and components.
#![recursion_limit = "256"]

pub mod api;
pub mod components;
pub mod domain;
pub mod i18n;
pub mod pages;
pub mod providers;
mod root;
mod routes;

#[cfg(feature = "ssr")]
pub use root::MediaOrigins;
pub use root::{App, shell};

/// Browser entry point: hydrates the server-rendered page. Asynchronously, because the
/// page being hydrated may be in an area's chunk (`routes.rs`), fetched first.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    let Some(body) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.body())
    else {
        return;
    };
    wasm_bindgen_futures::spawn_local(async move {
        leptos::mount::hydrate_from_async(body.clone(), App)
            .await
            .forget();
        // Lets tests (and impatient people's scripts) know the page is interactive.
        let _ = body.set_attribute("data-hydrated", "1");
    });
}
