//! Cross-cutting state for every page, each with a `use_…()` accessor.
pub mod elder;
pub mod lang;
pub mod session;

use crate::i18n::Msg;
use leptos::prelude::Get;

/// The value of cookie `name` in a `Cookie` header value.
pub fn cookie<'a>(header: &'a str, name: &str) -> Option<&'a str> {
    header
        .split(';')
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim())
}

/// The cookies of this request (in a server render) or of this page (in the browser).
pub fn cookies() -> Option<String> {
    #[cfg(feature = "ssr")]
    {
        leptos::prelude::use_context::<http::request::Parts>().and_then(|p| {
            p.headers
                .get(http::header::COOKIE)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        })
    }
    #[cfg(not(feature = "ssr"))]
    {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.dyn_into::<web_sys::HtmlDocument>().ok())
                .and_then(|h| h.cookie().ok())
        }
        #[cfg(not(feature = "hydrate"))]
        {
            None
        }
    }
}

/// Keeps `name=value` on this device for a year (a choice the server reads at its
/// next render, so the first paint already follows it).
#[allow(unused_variables)]
pub fn remember(name: &str, value: &str) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        if let Some(html) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.dyn_into::<web_sys::HtmlDocument>().ok())
        {
            let _ = html.set_cookie(&format!(
                "{name}={value}; path=/; max-age=31536000; samesite=lax"
            ));
        }
    }
}

/// The text of `msg` in the current language (reactive inside views).
pub fn tr(msg: Msg) -> &'static str {
    msg.text(lang::use_lang().get())
}
