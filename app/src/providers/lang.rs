//! The interface language: read from the `lang` cookie on the server (so the first
//! paint is already right), switched and remembered in the browser.
use crate::i18n::Lang;
use leptos::prelude::*;

pub fn provide_lang() -> RwSignal<Lang> {
    let lang = RwSignal::new(initial());
    provide_context(lang);
    lang
}

pub fn use_lang() -> RwSignal<Lang> {
    use_context::<RwSignal<Lang>>().unwrap_or_else(|| RwSignal::new(Lang::Zh))
}

#[cfg(feature = "ssr")]
fn initial() -> Lang {
    use_context::<http::request::Parts>()
        .and_then(|p| {
            p.headers
                .get(http::header::COOKIE)
                .and_then(|v| v.to_str().ok())
                .map(Lang::from_cookie_header)
        })
        .unwrap_or_default()
}

#[cfg(not(feature = "ssr"))]
fn initial() -> Lang {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        if let Some(doc) = web_sys::window().and_then(|w| w.document())
            && let Ok(html) = doc.dyn_into::<web_sys::HtmlDocument>()
            && let Ok(cookie) = html.cookie()
        {
            return Lang::from_cookie_header(&cookie);
        }
    }
    Lang::Zh
}

/// Switches the language and keeps it for a year.
pub fn set_lang(lang: Lang) {
    use_lang().set(lang);
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        if let Some(html) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.dyn_into::<web_sys::HtmlDocument>().ok())
        {
            let value = match lang {
                Lang::Zh => "zh",
                Lang::En => "en",
            };
            let _ = html.set_cookie(&format!(
                "{}={value}; path=/; max-age=31536000; samesite=lax",
                Lang::COOKIE
            ));
        }
    }
}
