//! The interface language: read from the `lang` cookie on the server (so the first
//! paint is already right), switched and remembered in the browser.
use crate::i18n::Lang;
use leptos::prelude::*;

pub fn provide_lang() -> RwSignal<Lang> {
    let initial = super::cookies()
        .map(|c| Lang::from_cookie_header(&c))
        .unwrap_or_default();
    let lang = RwSignal::new(initial);
    provide_context(lang);
    lang
}

pub fn use_lang() -> RwSignal<Lang> {
    use_context::<RwSignal<Lang>>().unwrap_or_else(|| RwSignal::new(Lang::Zh))
}

/// Switches the language and keeps it for a year.
pub fn set_lang(lang: Lang) {
    use_lang().set(lang);
    let value = match lang {
        Lang::Zh => "zh",
        Lang::En => "en",
    };
    super::remember(Lang::COOKIE, value);
}
