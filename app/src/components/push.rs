//! "Turn on notifications": registers the service worker (`/sw.js`), asks the
//! browser for permission, subscribes with the server's VAPID key and hands the
//! subscription to the server. Browsers without push support are told so.
use crate::i18n::Msg;
use crate::providers::tr;
use leptos::prelude::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
enum PushState {
    Checking,
    Unsupported,
    Off,
    On,
    Denied,
    Failed,
}

#[component]
pub fn PushToggle() -> impl IntoView {
    let state = RwSignal::new(PushState::Checking);
    let busy = RwSignal::new(false);
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        leptos::task::spawn_local(async move {
            state.set(browser::current().await);
        });
    });
    let toggle = move |_| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            let next = if state.get_untracked() == PushState::On {
                browser::disable().await
            } else {
                browser::enable().await
            };
            state.set(next);
            busy.set(false);
        });
    };
    view! {
        <section class="card push" data-test="push">
            <h2>{move || tr(Msg::PushTitle)}</h2>
            <p class="muted">{move || tr(Msg::PushExplain)}</p>
            {move || match state.get() {
                PushState::Checking => None,
                PushState::Unsupported => Some(view! { <p data-test="push-state">{tr(Msg::PushUnsupported)}</p> }.into_any()),
                s => Some(view! {
                    {match s {
                        PushState::On => Some(("ok", Msg::PushOn)),
                        PushState::Denied => Some(("error", Msg::PushDenied)),
                        PushState::Failed => Some(("error", Msg::PushFailed)),
                        _ => None,
                    }.map(|(class, m)| view! { <p class=class role="status" data-test="push-state">{tr(m)}</p> })}
                    <button type="button" class=if s == PushState::On { "secondary" } else { "primary" }
                        disabled=busy on:click=toggle data-test="push-toggle">
                        {if s == PushState::On { tr(Msg::PushDisable) } else { tr(Msg::PushEnable) }}
                    </button>
                }.into_any()),
            }}
        </section>
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    use super::PushState;
    use crate::domain::push::PushKeys;
    use js_sys::{Array, Function, Object, Promise, Reflect, Uint8Array};
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_futures::JsFuture;

    fn get(target: &JsValue, key: &str) -> Result<JsValue, JsValue> {
        Reflect::get(target, &key.into())
    }

    /// `target.method(...args)`, awaited when it answers a promise.
    async fn call(target: &JsValue, method: &str, args: &[JsValue]) -> Result<JsValue, JsValue> {
        let f: Function = get(target, method)?.dyn_into()?;
        let v = f.apply(target, &args.iter().collect::<Array>())?;
        match v.dyn_into::<Promise>() {
            Ok(p) => JsFuture::from(p).await,
            Err(v) => Ok(v),
        }
    }

    fn supported() -> Option<(JsValue, JsValue)> {
        let win: JsValue = web_sys::window()?.into();
        let nav = get(&win, "navigator").ok()?;
        let sw = get(&nav, "serviceWorker")
            .ok()
            .filter(|v| !v.is_undefined())?;
        if get(&win, "PushManager").ok()?.is_undefined() {
            return None;
        }
        Some((win, sw))
    }

    /// The service worker's push manager (registering `/sw.js` first).
    async fn push_manager() -> Result<JsValue, JsValue> {
        let (_, sw) = supported().ok_or("unsupported")?;
        let reg = call(&sw, "register", &["/sw.js".into()]).await?;
        get(&reg, "pushManager")
    }

    fn permission(win: &JsValue) -> String {
        get(win, "Notification")
            .and_then(|n| get(&n, "permission"))
            .ok()
            .and_then(|p| p.as_string())
            .unwrap_or_default()
    }

    pub async fn current() -> PushState {
        let Some((win, _)) = supported() else {
            return PushState::Unsupported;
        };
        if permission(&win) == "denied" {
            return PushState::Denied;
        }
        let Ok(pm) = push_manager().await else {
            return PushState::Unsupported;
        };
        match call(&pm, "getSubscription", &[]).await {
            Ok(s) if !s.is_null() && !s.is_undefined() => PushState::On,
            _ => PushState::Off,
        }
    }

    pub async fn enable() -> PushState {
        let Some((win, _)) = supported() else {
            return PushState::Unsupported;
        };
        let asked = match get(&win, "Notification") {
            Ok(n) => call(&n, "requestPermission", &[])
                .await
                .ok()
                .and_then(|p| p.as_string()),
            Err(_) => None,
        };
        if asked.as_deref() != Some("granted") {
            return PushState::Denied;
        }
        let done: Result<(), JsValue> = async {
            let key = crate::api::push::push_key().await.map_err(|_| "key")?;
            let pm = push_manager().await?;
            let opts = Object::new();
            Reflect::set(&opts, &"userVisibleOnly".into(), &true.into())?;
            Reflect::set(
                &opts,
                &"applicationServerKey".into(),
                &Uint8Array::from(key.as_slice()),
            )?;
            let sub = call(&pm, "subscribe", &[opts.into()]).await?;
            let json = js_sys::JSON::stringify(&sub)?.as_string().ok_or("json")?;
            let v: serde_json::Value = serde_json::from_str(&json).map_err(|_| "json")?;
            let s = |p: &str| {
                v.pointer(p)
                    .and_then(|x| x.as_str())
                    .unwrap_or_default()
                    .to_owned()
            };
            let keys = PushKeys {
                endpoint: s("/endpoint"),
                p256dh: s("/keys/p256dh"),
                auth: s("/keys/auth"),
            };
            crate::api::push::push_subscribe(keys)
                .await
                .map_err(|_| "save")?;
            Ok(())
        }
        .await;
        match done {
            Ok(()) => PushState::On,
            Err(_) => PushState::Failed,
        }
    }

    pub async fn disable() -> PushState {
        let done: Result<(), JsValue> = async {
            let pm = push_manager().await?;
            let sub = call(&pm, "getSubscription", &[]).await?;
            if sub.is_null() || sub.is_undefined() {
                return Ok(());
            }
            let endpoint = get(&sub, "endpoint")?.as_string().unwrap_or_default();
            call(&sub, "unsubscribe", &[]).await?;
            crate::api::push::push_unsubscribe(endpoint)
                .await
                .map_err(|_| "save")?;
            Ok(())
        }
        .await;
        match done {
            Ok(()) => PushState::Off,
            Err(_) => PushState::Failed,
        }
    }
}
