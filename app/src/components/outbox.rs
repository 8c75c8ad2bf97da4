//! The phone's outbox (`/outbox.js`): a form that could not be sent for want of a
//! connection (a report with photos, a work-log entry, an alert answer) is kept on the
//! phone, with its idempotency key, and sent by itself when the connection returns.
//! Here: keeping one, and the list of what waits.
use crate::i18n::Msg;
use crate::providers::tr;
use leptos::prelude::*;

/// One waiting form as the list shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Waiting {
    pub label: String,
    pub at_ms: i64,
    /// The server's refusal, when it said no for good.
    pub error: String,
}

#[cfg(feature = "hydrate")]
mod js {
    use super::Waiting;
    use js_sys::{Array, Reflect};
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_futures::JsFuture;

    pub fn outbox() -> Option<JsValue> {
        let w = web_sys::window()?;
        Reflect::get(&w, &"tongxinOutbox".into())
            .ok()
            .filter(|v| v.is_object())
    }

    pub async fn call(method: &str, args: &Array) -> Option<JsValue> {
        let o = outbox()?;
        let f: js_sys::Function = Reflect::get(&o, &method.into()).ok()?.dyn_into().ok()?;
        let p: js_sys::Promise = f.apply(&o, args).ok()?.dyn_into().ok()?;
        JsFuture::from(p).await.ok()
    }

    pub fn waiting(list: &JsValue) -> Vec<Waiting> {
        Array::from(list)
            .iter()
            .map(|i| {
                let s = |k: &str| {
                    Reflect::get(&i, &k.into())
                        .ok()
                        .and_then(|v| v.as_string())
                        .unwrap_or_default()
                };
                #[allow(clippy::cast_possible_truncation)]
                let at_ms = Reflect::get(&i, &"at".into())
                    .ok()
                    .and_then(|v| v.as_f64())
                    .unwrap_or_default() as i64;
                Waiting {
                    label: s("label"),
                    at_ms,
                    error: s("error"),
                }
            })
            .collect()
    }
}

/// Keeps a form (its route, fields and photos) on the phone; how many now wait, or
/// `None` when this browser has no outbox (the form then offers a retry).
#[cfg(feature = "hydrate")]
pub async fn keep(
    url: &str,
    fields: &[(&'static str, String)],
    photos: &[web_sys::Blob],
    label: &str,
) -> Option<u32> {
    use js_sys::Array;
    let f = Array::new();
    for (k, v) in fields {
        f.push(&Array::of2(&(*k).into(), &v.into()));
    }
    let p = Array::new();
    for b in photos {
        p.push(b);
    }
    let args = Array::of4(&url.into(), &f, &p, &label.into());
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    js::call("put", &args)
        .await
        .and_then(|n| n.as_f64())
        .map(|n| n as u32)
}

/// Keeps a server function's call (`endpoint`, its JSON arguments) on the phone under
/// `key` (its idempotency key, or one that makes a repeat harmless); how many now
/// wait, or `None` without an outbox.
#[cfg(feature = "hydrate")]
pub async fn keep_json(
    endpoint: &str,
    args: &serde_json::Value,
    key: &str,
    label: &str,
) -> Option<u32> {
    let url = format!("/api/{endpoint}");
    let args = js_sys::Array::of4(
        &url.into(),
        &args.to_string().into(),
        &key.into(),
        &label.into(),
    );
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    js::call("putJson", &args)
        .await
        .and_then(|n| n.as_f64())
        .map(|n| n as u32)
}

/// Whether the browser sends waiting forms with the app closed (Background Sync);
/// otherwise they go the next time the app is opened with a connection.
pub fn background() -> bool {
    #[cfg(feature = "hydrate")]
    {
        js::outbox()
            .and_then(|o| js_sys::Reflect::get(&o, &"background".into()).ok())
            .and_then(|v| v.as_bool())
            .unwrap_or(false)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        false
    }
}

/// The saved-offline note of a form: "已保存，联网后自动发送 (n)", and when it goes.
#[component]
pub fn SavedNote(saved: RwSignal<Option<u32>>) -> impl IntoView {
    move || {
        saved.get().map(|n| {
            let when = if background() {
                Msg::OutboxWhenBackground
            } else {
                Msg::OutboxWhenOpened
            };
            view! {
                <p class="ok" role="status" data-test="saved-offline">
                    {tr(Msg::OutboxSaved).replace("{n}", &n.to_string())}
                    " " <span class="small">{tr(when)}</span>
                </p>
            }
        })
    }
}

/// What waits on this phone to be sent (nothing shown when nothing waits); updated
/// as forms are kept and sent.
#[component]
pub fn OutboxList() -> impl IntoView {
    let items = RwSignal::new(Vec::<Waiting>::new());
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        use wasm_bindgen::closure::Closure;
        let on_change =
            Closure::<dyn Fn(web_sys::CustomEvent)>::new(move |e: web_sys::CustomEvent| {
                items.set(js::waiting(&e.detail()));
            });
        if let Some(w) = web_sys::window() {
            let _ = w.add_event_listener_with_callback(
                "tongxin-outbox",
                on_change.as_ref().unchecked_ref(),
            );
            let f = on_change.as_ref().clone();
            on_cleanup(move || {
                if let Some(w) = web_sys::window() {
                    let _ =
                        w.remove_event_listener_with_callback("tongxin-outbox", f.unchecked_ref());
                }
            });
        }
        on_change.forget();
        leptos::task::spawn_local(async move {
            if let Some(list) = js::call("list", &js_sys::Array::new()).await {
                items.set(js::waiting(&list));
            }
        });
    }
    move || {
        let list = items.get();
        (!list.is_empty()).then(|| {
            view! {
                <section class="card outbox" data-test="outbox">
                    <h2>{tr(Msg::OutboxTitle).replace("{n}", &list.len().to_string())}</h2>
                    <ul class="plain">
                        {list.into_iter().map(|w| view! {
                            <li data-test="outbox-item">
                                {w.label} " · " <span class="small">{crate::domain::time::format_cst(w.at_ms)}</span>
                                {(!w.error.is_empty()).then(|| view! {
                                    <span class="error small">" " {tr(Msg::OutboxRefused)} " " {w.error.clone()}</span>
                                })}
                            </li>
                        }).collect_view()}
                    </ul>
                </section>
            }
        })
    }
}
