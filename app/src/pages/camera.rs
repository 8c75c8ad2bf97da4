//! `/cameras` (雪亮工程): the community's cameras on the map and in a list; "看视频"
//! asks the video platform for the stream with a reason and plays it here. Directors
//! and admins register cameras with their GB/T 28181 codes.
use crate::api::camera::{CameraInput, load_cameras, save_camera};
use crate::components::error::{ErrorNote, error_view};
use crate::components::form::{Submit, SubmitButton, loading};
use crate::components::map::{Spot, SpotsMap};
use crate::components::video::CameraPlayer;
use crate::domain::AppError;
use crate::domain::authz::Action;
use crate::domain::camera::{Camera, CameraBoard};
use crate::domain::geo::LatLng;
use crate::i18n::Msg;
use crate::providers::session::use_session;
use crate::providers::tr;
use leptos::prelude::*;

#[component]
pub fn CamerasPage() -> impl IntoView {
    let session = use_session();
    let version = RwSignal::new(0u32);
    let board = Resource::new(move || version.get(), |_| load_cameras());
    view! {
        <section class="page narrow">
            <h1>{move || tr(Msg::CamTitle)}</h1>
            <p class="muted">{move || tr(Msg::CamIntro)}</p>
            <Show when=move || session.may(Action::WatchCameras)
                fallback=|| view! { <p class="card" data-test="not-staff">{move || tr(Msg::SitesStaffOnly)}</p> }>
                <Transition fallback=loading>
                    {move || board.get().map(|r| match r {
                        Err(e) => error_view(e),
                        Ok(b) => view! { <CameraList b=b version=version /> }.into_any(),
                    })}
                </Transition>
            </Show>
        </section>
    }
}

#[component]
pub fn CameraList(b: CameraBoard, version: RwSignal<u32>) -> impl IntoView {
    let spots: Vec<Spot> = b
        .cameras
        .iter()
        .map(|c| Spot {
            at: LatLng::new(c.lat, c.lng),
            label: c.name.clone(),
            colour: "#1565c0",
        })
        .collect();
    let provider = b.provider.clone();
    view! {
        {match provider {
            Some(_) => ().into_any(),
            None => view! { <p class="card warn" role="status" data-test="no-provider">{move || tr(Msg::CamNoProvider)}</p> }.into_any(),
        }}
        <SpotsMap spots=spots />
        <section class="card" data-test="cameras">
            {if b.cameras.is_empty() {
                view! { <p class="muted" data-test="empty">{move || tr(Msg::CamNone)}</p> }.into_any()
            } else {
                b.cameras.iter().map(|c| view! { <CameraLine c=c.clone() playable=b.provider.is_some() /> }).collect_view().into_any()
            }}
        </section>
        {b.may_manage.then(|| view! {
            <details class="card" data-test="camera-register">
                <summary>{move || tr(Msg::CamRegister)}</summary>
                <CameraForm version=version />
            </details>
        })}
    }
}

#[component]
fn CameraLine(c: Camera, playable: bool) -> impl IntoView {
    let open = RwSignal::new(false);
    let cam = StoredValue::new(c.clone());
    view! {
        <div class="camera" data-test="camera" data-id=c.id.to_string()>
            <p>
                <strong>{c.name.clone()}</strong>
                <span class="muted small">{format!(" · {}", c.grid_name)}
                    {(!c.site_name.is_empty()).then(|| format!(" · {}", c.site_name))}</span>
            </p>
            {playable.then(|| view! {
                <button type="button" class="secondary" data-test="camera-open" aria-expanded=move || open.get().to_string()
                    on:click=move |_| open.update(|o| *o = !*o)>{move || tr(Msg::CamWatch)}</button>
            })}
            <Show when=move || open.get()>
                <CameraPlayer camera=cam.get_value() />
            </Show>
        </div>
    }
}

#[component]
fn CameraForm(version: RwSignal<u32>) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let device = RwSignal::new(String::new());
    let channel = RwSignal::new(String::new());
    let pin = RwSignal::new(None::<LatLng>);
    let saved = RwSignal::new(false);
    let send = Submit::new(save_camera, move |_| {
        saved.set(true);
        version.update(|v| *v += 1);
    });
    let go = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(false);
        send.submit(
            pin.get_untracked()
                .ok_or_else(|| AppError::invalid("location", Msg::ErrNoPlace))
                .map(|at| CameraInput {
                    id: None,
                    name: name.get_untracked(),
                    lat: at.lat,
                    lng: at.lng,
                    site: None,
                    device_id: device.get_untracked(),
                    channel_id: channel.get_untracked(),
                }),
        );
    };
    view! {
        <form class="form" on:submit=go data-test="camera-form">
            <label>{move || tr(Msg::CamName)}
                <input type="text" maxlength="40" required data-test="camera-name"
                    prop:value=name on:input=move |ev| name.set(event_target_value(&ev)) /></label>
            <label>{move || tr(Msg::CamDevice)}
                <input type="text" inputmode="numeric" maxlength="20" data-test="camera-device"
                    prop:value=device on:input=move |ev| device.set(event_target_value(&ev)) /></label>
            <label>{move || tr(Msg::CamChannel)}
                <input type="text" inputmode="numeric" maxlength="20" data-test="camera-channel"
                    prop:value=channel on:input=move |ev| channel.set(event_target_value(&ev)) /></label>
            <p class="muted small">{move || tr(Msg::CamPlaceHint)}</p>
            <SpotsMap spots={Vec::<Spot>::new()} pin=pin />
            <ErrorNote error=send.error() />
            <Show when=move || saved.get()>
                <p class="ok" role="status">{move || tr(Msg::SiteSaved)}</p>
            </Show>
            <SubmitButton busy=send.busy_signal() label=Msg::CamSave attr:data-test="camera-save" />
        </form>
    }
}
