//! A camera's live video: asks for the stream with a reason, then plays its HLS address
//! with hls.js (loaded from this site on first use, never on other pages) or, on
//! iPhones, with the browser's own HLS.
use crate::api::camera::play_camera;
use crate::components::error::ErrorNote;
use crate::components::form::{Submit, SubmitButton};
use crate::domain::AppError;
use crate::domain::camera::{Camera, PlayAddress, check_reason};
use crate::i18n::Msg;
use crate::providers::tr;
use leptos::html::Video;
use leptos::prelude::*;

#[component]
pub fn CameraPlayer(camera: Camera) -> impl IntoView {
    let id = camera.id;
    let ticket = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let playing = RwSignal::new(None::<PlayAddress>);
    let ask = Submit::new(
        move |(t, n): (Option<i64>, String)| play_camera(id, t, n),
        move |p: PlayAddress| playing.set(Some(p)),
    );
    let go = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let t = ticket.get_untracked();
        let t = t.trim().trim_start_matches('#');
        let parsed = if t.is_empty() {
            Ok(None)
        } else {
            t.parse::<i64>()
                .map(Some)
                .map_err(|_| AppError::invalid("reason", Msg::CamErrNoTicket))
        };
        // The same check as the server's, before anything is sent.
        let note = note.get_untracked();
        ask.submit(parsed.and_then(|t| check_reason(t, &note).map(|()| (t, note))));
    };
    view! {
        <div class="camera-player" data-test="camera-player">
            <form class="form" on:submit=go data-test="watch-form">
                <p class="muted small">{move || tr(Msg::CamWhy)}</p>
                <label>{move || tr(Msg::CamTicket)}
                    <input type="text" inputmode="numeric" data-test="watch-ticket"
                        prop:value=ticket on:input=move |ev| ticket.set(event_target_value(&ev)) /></label>
                <label>{move || tr(Msg::CamNote)}
                    <input type="text" maxlength="100" data-test="watch-note"
                        prop:value=note on:input=move |ev| note.set(event_target_value(&ev)) /></label>
                <ErrorNote error=ask.error() />
                <SubmitButton busy=ask.busy_signal() label=Msg::CamWatch attr:data-test="watch" />
            </form>
            {move || playing.get().map(|p| view! { <Stream p=p name=camera.name.clone() /> })}
        </div>
    }
}

#[component]
fn Stream(p: PlayAddress, name: String) -> impl IntoView {
    let video = NodeRef::<Video>::new();
    let failed = RwSignal::new(false);
    #[cfg(feature = "hydrate")]
    {
        let hls = p.hls.clone();
        Effect::new(move |_| {
            if let Some(el) = video.get() {
                let hls = hls.clone();
                leptos::task::spawn_local(async move {
                    if browser::play(&el, &hls).await.is_err() {
                        failed.set(true);
                    }
                });
            }
        });
    }
    view! {
        <figure class="camera-video">
            <video node_ref=video controls muted autoplay playsinline data-test="camera-video"
                poster=p.snapshot.clone().unwrap_or_default() aria-label=name.clone()></video>
            <figcaption class="muted small">{name.clone()}</figcaption>
        </figure>
        <Show when=move || failed.get()>
            <p class="error" role="alert">{move || tr(Msg::CamPlayFailed)}</p>
        </Show>
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    use wasm_bindgen::JsCast;
    use wasm_bindgen::prelude::*;

    #[wasm_bindgen]
    extern "C" {
        /// hls.js, as its script defines it (`window.Hls`).
        type Hls;
        #[wasm_bindgen(static_method_of = Hls, js_name = isSupported)]
        fn is_supported() -> bool;
        #[wasm_bindgen(constructor)]
        fn new() -> Hls;
        #[wasm_bindgen(method, js_name = loadSource)]
        fn load_source(this: &Hls, url: &str);
        #[wasm_bindgen(method, js_name = attachMedia)]
        fn attach_media(this: &Hls, media: &web_sys::HtmlMediaElement);
    }

    const SCRIPT: &str = "/vendor/hls.light.min.js";

    /// Loads hls.js once (a `<script>` from this site), resolving when it ran.
    async fn load() -> Result<(), JsValue> {
        let window = web_sys::window().ok_or(JsValue::NULL)?;
        if js_sys::Reflect::has(&window, &"Hls".into())? {
            return Ok(());
        }
        let doc = window.document().ok_or(JsValue::NULL)?;
        let promise = js_sys::Promise::new(&mut |resolve, reject| {
            let Ok(el) = doc.create_element("script") else {
                let _ = reject.call0(&JsValue::NULL);
                return;
            };
            let _ = el.set_attribute("src", SCRIPT);
            let el: web_sys::HtmlScriptElement = el.unchecked_into();
            el.set_onload(Some(&resolve));
            el.set_onerror(Some(&reject));
            if let Some(head) = doc.head() {
                let _ = head.append_child(&el);
            }
        });
        wasm_bindgen_futures::JsFuture::from(promise)
            .await
            .map(|_| ())
    }

    /// hls.js where the browser has Media Source (Chrome, Android, iPadOS, iOS 17.1+);
    /// the browser's own HLS otherwise (older iPhones).
    pub async fn play(el: &web_sys::HtmlVideoElement, url: &str) -> Result<(), JsValue> {
        let window = web_sys::window().ok_or(JsValue::NULL)?;
        let mse = js_sys::Reflect::has(&window, &"MediaSource".into())?
            || js_sys::Reflect::has(&window, &"ManagedMediaSource".into())?;
        if !mse && !el.can_play_type("application/vnd.apple.mpegurl").is_empty() {
            el.set_src(url);
        } else {
            load().await?;
            if !Hls::is_supported() {
                return Err(JsValue::NULL);
            }
            let hls = Hls::new();
            hls.load_source(url);
            hls.attach_media(el);
        }
        // Autoplay of muted video is allowed; a refusal leaves the controls to the user.
        if let Ok(p) = el.play() {
            let _ = wasm_bindgen_futures::JsFuture::from(p).await;
        }
        Ok(())
    }
}
