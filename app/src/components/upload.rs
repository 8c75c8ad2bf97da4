//! Uploads from a phone: each photo is shrunk in the browser (at most 1600 px on its
//! longest side, JPEG, drawn upright from its EXIF orientation; the canvas writes no
//! metadata) before it travels, and the form goes as one multipart POST whose upload
//! progress is reported. The answer is read as JSON: an id or status, or an AppError.
use crate::components::error::ErrorNote;
use crate::components::form::Submit;
use crate::domain::AppError;
use crate::i18n::Msg;
use crate::providers::lang::use_lang;
use crate::providers::tr;
use leptos::prelude::*;
use serde_json::Value;

/// Longest side of a photo as uploaded.
pub const MAX_SIDE: f64 = 1600.0;

/// What a multipart route answered: its JSON on success, or the error to show.
pub fn read_answer(status: u16, body: &str) -> Result<Value, AppError> {
    let v: Value = serde_json::from_str(body).unwrap_or(Value::Null);
    if (200..300).contains(&status) {
        return Ok(v);
    }
    Err(serde_json::from_value(v["error"].clone()).unwrap_or(AppError::Internal))
}

/// A key that makes a retried submit harmless: 32 random hex digits.
pub fn new_key() -> String {
    #[cfg(feature = "hydrate")]
    {
        (0..4)
            .map(|_| {
                #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                let n = (js_sys::Math::random() * 4_294_967_296.0) as u32;
                format!("{n:08x}")
            })
            .collect()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        String::new()
    }
}

/// The file chosen in a file input, or "choose a file" in words. The browser's `File`;
/// the server renders forms but never reads a file, so there it is never chosen.
#[cfg(feature = "hydrate")]
pub type ChosenFile = web_sys::File;
#[cfg(not(feature = "hydrate"))]
pub struct ChosenFile;

pub fn chosen_file(input: NodeRef<leptos::html::Input>) -> Result<ChosenFile, AppError> {
    let missing = || AppError::invalid("file", Msg::ImportChooseFile);
    #[cfg(feature = "hydrate")]
    {
        input
            .get_untracked()
            .and_then(|i| i.files())
            .and_then(|f| f.get(0))
            .ok_or_else(missing)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = input;
        Err(missing())
    }
}

/// Photos picked for a report or a step: the shrunk JPEG and a preview URL.
#[cfg(feature = "hydrate")]
type Blob = web_sys::Blob;
#[cfg(not(feature = "hydrate"))]
type Blob = ();

#[derive(Clone)]
pub struct Picked {
    id: u32,
    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
    blob: Blob,
    url: String,
}

/// The picked photos: browser blobs live on the main thread only; on the server the
/// list is always empty (a thread-bound signal there would be dropped elsewhere).
#[cfg(feature = "hydrate")]
pub type PhotoList = RwSignal<Vec<Picked>, LocalStorage>;
#[cfg(not(feature = "hydrate"))]
pub type PhotoList = RwSignal<Vec<Picked>>;

pub fn photo_list() -> PhotoList {
    #[cfg(feature = "hydrate")]
    {
        RwSignal::new_local(Vec::new())
    }
    #[cfg(not(feature = "hydrate"))]
    {
        RwSignal::new(Vec::new())
    }
}

#[component]
pub fn PhotoPicker(photos: PhotoList, max: usize) -> impl IntoView {
    let preparing = RwSignal::new(None::<(usize, usize)>);
    let failed = RwSignal::new(false);
    let input = NodeRef::<leptos::html::Input>::new();
    let lang = use_lang();
    let on_change = move |_| {
        #[cfg(feature = "hydrate")]
        {
            let Some(el) = input.get() else { return };
            let Some(list) = el.files() else { return };
            let room = max.saturating_sub(photos.with_untracked(Vec::len));
            let files: Vec<web_sys::File> = (0..list.length())
                .filter_map(|i| list.get(i))
                .take(room)
                .collect();
            el.set_value("");
            if files.is_empty() {
                return;
            }
            failed.set(false);
            leptos::task::spawn_local(async move {
                let n = files.len();
                for (i, f) in files.into_iter().enumerate() {
                    preparing.set(Some((i + 1, n)));
                    match crate::components::upload::browser::shrink(&f).await {
                        Ok(blob) => {
                            let url = crate::components::upload::browser::preview_url(&blob);
                            photos.update(|v| {
                                let id = v.iter().map(|p| p.id).max().unwrap_or(0) + 1;
                                v.push(Picked { id, blob, url });
                            });
                        }
                        Err(_) => failed.set(true),
                    }
                }
                preparing.set(None);
            });
        }
    };
    let remove = move |id: u32| {
        photos.update(|v| {
            if let Some(i) = v.iter().position(|p| p.id == id) {
                let p = v.remove(i);
                #[cfg(feature = "hydrate")]
                crate::components::upload::browser::revoke(&p.url);
                #[cfg(not(feature = "hydrate"))]
                let _ = p;
            }
        });
    };
    view! {
        <div class="photo-picker">
            <ul class="thumbs" data-test="picked">
                <For each=move || photos.get() key=|p| p.id let:p>
                    <li>
                        <img src=p.url.clone() alt="" />
                        <button type="button" class="remove" on:click=move |_| remove(p.id)
                            aria-label=move || tr(Msg::RemovePhoto)>"×"</button>
                    </li>
                </For>
            </ul>
            <Show when=move || { photos.with(Vec::len) < max }>
                <label class="button secondary file-button">
                    {move || tr(Msg::AddPhoto)}
                    <input type="file" accept="image/*" multiple node_ref=input on:change=on_change data-test="photo-input" />
                </label>
            </Show>
            {move || preparing.get().map(|(i, n)| view! {
                <p role="status">{Msg::Preparing.text(lang.get()).replace("{i}", &i.to_string()).replace("{n}", &n.to_string())}</p>
            })}
            <Show when=move || failed.get()>
                <p class="error" role="alert">{move || tr(Msg::ErrPhotoBroken)}</p>
            </Show>
        </div>
    }
}

/// A form sent with photos: a [`Submit`] whose call sends the fields and the picked
/// photos as one multipart POST with its progress shown, and which tells a dropped
/// connection (say so, offer "try again"; the form keeps what was typed and picked) from
/// the server's no (its message). `done` gets the route's JSON answer.
/// A form's route and its text fields.
type Sending = (String, Vec<(&'static str, String)>);

#[derive(Clone, Copy)]
pub struct PhotoForm {
    submit: Submit<Sending, Option<Value>>,
    pub photos: PhotoList,
    progress: RwSignal<Option<f64>>,
    offline: RwSignal<bool>,
    /// Kept on the phone for want of a connection: how many forms now wait.
    saved: RwSignal<Option<u32>>,
}

impl PhotoForm {
    pub fn new(done: impl Fn(Value) + 'static) -> Self {
        Self::build(done, None::<fn()>, |_| String::new())
    }

    /// As [`Self::new`], but a form that cannot be sent for want of a connection is
    /// kept on the phone and sent by itself later (`/outbox.js`); then `kept` runs (the
    /// form starts afresh) and the form says so. `label` names it in the waiting list.
    pub fn with_outbox(
        done: impl Fn(Value) + 'static,
        kept: impl Fn() + Send + Sync + 'static,
        label: impl Fn(&[(&'static str, String)]) -> String + Send + Sync + 'static,
    ) -> Self {
        Self::build(done, Some(kept), label)
    }

    #[allow(unused_variables)]
    fn build(
        done: impl Fn(Value) + 'static,
        kept: Option<impl Fn() + Send + Sync + 'static>,
        label: impl Fn(&[(&'static str, String)]) -> String + Send + Sync + 'static,
    ) -> Self {
        let photos = photo_list();
        let progress = RwSignal::new(None::<f64>);
        let offline = RwSignal::new(false);
        let saved = RwSignal::new(None::<u32>);
        let outbox = kept.is_some();
        let label = StoredValue::new(label);
        let kept = StoredValue::new(kept);
        let submit = Submit::new(
            move |(url, fields): Sending| {
                let files = photos.get_untracked();
                async move {
                    #[cfg(feature = "hydrate")]
                    let copy = outbox.then(|| {
                        let blobs: Vec<web_sys::Blob> =
                            files.iter().map(|p| p.blob.clone()).collect();
                        (url.clone(), fields.clone(), blobs)
                    });
                    match send_form(url, fields, files, progress).await {
                        Ok(v) => Ok(Some(v)),
                        Err(None) => {
                            #[cfg(feature = "hydrate")]
                            if let Some((url, fields, blobs)) = copy {
                                let name = label.with_value(|l| l(&fields));
                                if let Some(n) =
                                    crate::components::outbox::keep(&url, &fields, &blobs, &name)
                                        .await
                                {
                                    saved.set(Some(n));
                                    photos.set(Vec::new());
                                    kept.with_value(|k| {
                                        if let Some(k) = k {
                                            k();
                                        }
                                    });
                                    return Ok(None);
                                }
                            }
                            offline.set(true);
                            Ok(None)
                        }
                        Err(Some(e)) => Err(e),
                    }
                }
            },
            move |answer: Option<Value>| {
                if let Some(v) = answer {
                    photos.set(Vec::new());
                    done(v);
                }
            },
        );
        PhotoForm {
            submit,
            photos,
            progress,
            offline,
            saved,
        }
    }

    /// Sends `fields` (after the local check) and the picked photos to `url`.
    /// Does nothing while a send is running (as `Submit::submit`).
    pub fn send(&self, url: String, fields: Result<Vec<(&'static str, String)>, AppError>) {
        self.offline.set(false);
        self.saved.set(None);
        self.submit.submit(fields.map(|f| (url, f)));
    }

    pub fn busy_signal(&self) -> Signal<bool> {
        self.submit.busy_signal()
    }

    /// Forgets the last answer's message (another step was chosen).
    pub fn clear(&self) {
        self.offline.set(false);
        self.submit.clear();
    }

    /// The button's label: `label`, or "try again" after a dropped connection.
    pub fn label(&self, label: Msg) -> Signal<Msg> {
        let offline = self.offline;
        Signal::derive(move || if offline.get() { Msg::Retry } else { label })
    }
}

/// A [`PhotoForm`]'s progress bar, the server's message, and the dropped-connection note.
#[component]
pub fn PhotoFormStatus(form: PhotoForm) -> impl IntoView {
    let offline = form.offline;
    view! {
        <crate::components::outbox::SavedNote saved=form.saved />
        <Progress progress=form.progress />
        <ErrorNote error=form.submit.error() />
        <Show when=move || offline.get()>
            <p class="error" role="alert" data-test="offline">{move || tr(Msg::UploadFailed)}</p>
        </Show>
    }
}

/// Sends a multipart form with the picked photos, reporting progress; `Err(None)`
/// when the connection failed (retry), `Err(Some(e))` when the server said no.
#[allow(unused_variables)]
pub async fn send_form(
    url: String,
    fields: Vec<(&'static str, String)>,
    photos: Vec<Picked>,
    progress: RwSignal<Option<f64>>,
) -> Result<serde_json::Value, Option<AppError>> {
    #[cfg(feature = "hydrate")]
    {
        let form = web_sys::FormData::new().map_err(|_| None)?;
        for (k, v) in &fields {
            let _ = form.append_with_str(k, v);
        }
        for (i, p) in photos.iter().enumerate() {
            let _ = form.append_with_blob_and_filename("photo", &p.blob, &format!("photo{i}.jpg"));
        }
        progress.set(Some(0.0));
        let answer =
            crate::components::upload::browser::send(&url, &form, move |f| progress.set(Some(f)))
                .await;
        progress.set(None);
        match answer {
            None => Err(None),
            Some((status, body)) => {
                crate::components::upload::read_answer(status, &body).map_err(Some)
            }
        }
    }
    #[cfg(not(feature = "hydrate"))]
    {
        Err(None)
    }
}

#[component]
pub fn Progress(progress: RwSignal<Option<f64>>) -> impl IntoView {
    let lang = use_lang();
    move || {
        progress.get().map(|f| {
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            let pct = (f * 100.0).round() as u32;
            view! {
                <div class="progress" role="status" data-test="progress">
                    <progress max="100" value=pct.to_string()></progress>
                    <span>{Msg::Uploading.text(lang.get()).replace("{p}", &pct.to_string())}</span>
                </div>
            }
        })
    }
}

#[cfg(feature = "hydrate")]
pub mod browser {
    use super::MAX_SIDE;
    use js_sys::Promise;
    use wasm_bindgen::prelude::Closure;
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_futures::JsFuture;
    use web_sys::{Blob, CanvasRenderingContext2d, FormData, HtmlCanvasElement, ImageBitmap};

    /// Decodes the photo (the browser applies its EXIF orientation), draws it at most
    /// `MAX_SIDE` px on its longest side and encodes a JPEG.
    pub async fn shrink(file: &Blob) -> Result<Blob, JsValue> {
        let win = web_sys::window().ok_or("no window")?;
        let bmp: ImageBitmap = JsFuture::from(win.create_image_bitmap_with_blob(file)?)
            .await?
            .dyn_into()?;
        let (w, h) = (f64::from(bmp.width()), f64::from(bmp.height()));
        let scale = (MAX_SIDE / w.max(h)).min(1.0);
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let (cw, ch) = (
            (w * scale).round().max(1.0) as u32,
            (h * scale).round().max(1.0) as u32,
        );
        let canvas: HtmlCanvasElement = win
            .document()
            .ok_or("no document")?
            .create_element("canvas")?
            .dyn_into()?;
        canvas.set_width(cw);
        canvas.set_height(ch);
        let ctx: CanvasRenderingContext2d =
            canvas.get_context("2d")?.ok_or("no canvas")?.dyn_into()?;
        ctx.draw_image_with_image_bitmap_and_dw_and_dh(
            &bmp,
            0.0,
            0.0,
            f64::from(cw),
            f64::from(ch),
        )?;
        bmp.close();
        let promise = Promise::new(&mut |resolve: js_sys::Function, reject: js_sys::Function| {
            let rej = reject.clone();
            let done = Closure::once_into_js(move |b: JsValue| {
                if b.is_null() {
                    let _ = rej.call1(&JsValue::NULL, &"encode".into());
                } else {
                    let _ = resolve.call1(&JsValue::NULL, &b);
                }
            });
            if canvas
                .to_blob_with_type_and_encoder_options(
                    done.unchecked_ref(),
                    "image/jpeg",
                    &0.85.into(),
                )
                .is_err()
            {
                let _ = reject.call1(&JsValue::NULL, &"encode".into());
            }
        });
        JsFuture::from(promise).await?.dyn_into()
    }

    /// POSTs the form; `progress` gets the uploaded fraction (0–1). `None` when the
    /// connection failed (the caller offers a retry).
    pub async fn send(
        url: &str,
        form: &FormData,
        progress: impl Fn(f64) + 'static,
    ) -> Option<(u16, String)> {
        let xhr = web_sys::XmlHttpRequest::new().ok()?;
        xhr.open("POST", url).ok()?;
        if let Ok(up) = xhr.upload() {
            let cb =
                Closure::<dyn Fn(web_sys::ProgressEvent)>::new(move |e: web_sys::ProgressEvent| {
                    if e.length_computable() && e.total() > 0.0 {
                        progress(e.loaded() / e.total());
                    }
                });
            up.set_onprogress(Some(cb.as_ref().unchecked_ref()));
            cb.forget();
        }
        let target = xhr.clone();
        let promise = Promise::new(&mut |resolve: js_sys::Function, _| {
            for (event, ok) in [
                ("load", true),
                ("error", false),
                ("timeout", false),
                ("abort", false),
            ] {
                let r = resolve.clone();
                let cb = Closure::once_into_js(move || {
                    let _ = r.call1(&JsValue::NULL, &ok.into());
                });
                let _ = target.add_event_listener_with_callback(event, cb.unchecked_ref());
            }
        });
        xhr.send_with_opt_form_data(Some(form)).ok()?;
        let loaded = JsFuture::from(promise).await.ok()?.as_bool()?;
        if !loaded {
            return None;
        }
        Some((xhr.status().ok()?, xhr.response_text().ok()??))
    }

    /// A local URL showing a blob (an `<img>` preview).
    pub fn preview_url(b: &Blob) -> String {
        web_sys::Url::create_object_url_with_blob(b).unwrap_or_default()
    }

    pub fn revoke(url: &str) {
        let _ = web_sys::Url::revoke_object_url(url);
    }
}
