//! Cross-cutting state for every page, each with a `use_…()` accessor.
pub mod elder;
pub mod lang;
pub mod session;

use crate::i18n::Msg;
use leptos::prelude::Get;

/// The text of `msg` in the current language (reactive inside views).
pub fn tr(msg: Msg) -> &'static str {
    msg.text(lang::use_lang().get())
}
