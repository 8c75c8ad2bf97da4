//! 长辈版's switch and "读给我听" (read aloud, through the browser's own speech
//! synthesis, in zh-CN; no sound leaves the phone and nothing is sent anywhere).
use crate::i18n::Msg;
use crate::providers::elder::{set_elder, use_elder};
use crate::providers::tr;
use leptos::prelude::*;

/// A large on/off switch labelled 长辈版.
#[component]
pub fn ElderSwitch() -> impl IntoView {
    let on = use_elder();
    view! {
        <button
            type="button"
            class="elder-switch"
            role="switch"
            data-test="elder-switch"
            aria-checked=move || if on.get() { "true" } else { "false" }
            on:click=move |_| set_elder(!on.get_untracked())
        >
            <span class="elder-switch-label">{move || tr(Msg::ElderMode)}</span>
            <span class="elder-switch-state">
                {move || tr(if on.get() { Msg::ElderOn } else { Msg::ElderOff })}
            </span>
        </button>
    }
}

/// What reading aloud did (the failures only arise in the browser).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
enum Heard {
    Idle,
    Reading,
    /// The phone has voices, none for Chinese (or the engine said it has none).
    NoVoice,
    /// The browser has no speech synthesis at all.
    Unsupported,
}

/// "读给我听": reads `text` aloud in Chinese; a second tap stops it. Says so in words
/// when the phone cannot.
#[component]
pub fn ReadAloud(#[prop(into)] text: Signal<String>) -> impl IntoView {
    let heard = RwSignal::new(Heard::Idle);
    let tap = move |_| {
        if heard.get_untracked() == Heard::Reading {
            stop();
            heard.set(Heard::Idle);
        } else {
            heard.set(speak(&text.get_untracked(), heard));
        }
    };
    view! {
        <div class="read-aloud">
            <button type="button" class="secondary" data-test="read-aloud" on:click=tap
                aria-pressed=move || if heard.get() == Heard::Reading { "true" } else { "false" }>
                <span aria-hidden="true">"🔊 "</span>
                {move || tr(if heard.get() == Heard::Reading { Msg::ReadAloudStop } else { Msg::ReadAloud })}
            </button>
            {move || {
                let m = match heard.get() {
                    Heard::NoVoice => Msg::ReadAloudNoVoice,
                    Heard::Unsupported => Msg::ReadAloudUnsupported,
                    Heard::Idle | Heard::Reading => return None,
                };
                Some(view! { <p class="note" role="status" data-test="read-aloud-note">{tr(m)}</p> })
            }}
        </div>
    }
}

#[cfg(feature = "hydrate")]
fn synth() -> Option<web_sys::SpeechSynthesis> {
    web_sys::window()?.speech_synthesis().ok()
}

#[cfg(feature = "hydrate")]
fn stop() {
    if let Some(s) = synth() {
        s.cancel();
    }
}

#[cfg(not(feature = "hydrate"))]
fn stop() {}

/// Starts reading; the state to show now. The utterance's end and error events move
/// `heard` on later.
#[cfg(feature = "hydrate")]
fn speak(text: &str, heard: RwSignal<Heard>) -> Heard {
    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;
    let Some(s) = synth() else {
        return Heard::Unsupported;
    };
    let Ok(u) = web_sys::SpeechSynthesisUtterance::new_with_text(text) else {
        return Heard::Unsupported;
    };
    // Voices may still be loading (an empty list): then the engine's error event says
    // whether it could read.
    let voices = s.get_voices();
    let has_chinese = voices
        .iter()
        .any(|v| chinese(&v.unchecked_into::<web_sys::SpeechSynthesisVoice>().lang()));
    u.set_lang("zh-CN");
    // A little slower than the default, for older ears.
    u.set_rate(0.9);
    let done = Closure::<dyn Fn()>::new(move || {
        heard.update(|h| {
            if *h == Heard::Reading {
                *h = Heard::Idle;
            }
        });
    });
    u.set_onend(Some(done.as_ref().unchecked_ref()));
    done.forget();
    let failed = Closure::<dyn Fn()>::new(move || heard.set(Heard::NoVoice));
    u.set_onerror(Some(failed.as_ref().unchecked_ref()));
    failed.forget();
    s.cancel();
    s.speak(&u);
    if voices.length() > 0 && !has_chinese {
        Heard::NoVoice
    } else {
        Heard::Reading
    }
}

#[cfg(not(feature = "hydrate"))]
fn speak(_text: &str, _heard: RwSignal<Heard>) -> Heard {
    Heard::Idle
}

/// Whether a voice's BCP 47 tag is Chinese (zh, zh-CN, zh-Hans-CN, cmn-…).
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
fn chinese(tag: &str) -> bool {
    let first = tag
        .split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    first == "zh" || first == "cmn"
}

#[cfg(test)]
mod tests {
    use super::chinese;

    #[test]
    fn chinese_voices_are_found_by_their_tag() {
        for t in ["zh-CN", "zh_CN", "zh", "cmn-Hans-CN", "ZH-hk"] {
            assert!(chinese(t), "{t}");
        }
        for t in ["en-US", "ja-JP", "", "z"] {
            assert!(!chinese(t), "{t}");
        }
    }
}
