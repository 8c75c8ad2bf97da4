//! 雪亮工程 cameras: the list and map, registering, and asking for a stream.
use crate::domain::AppError;
pub use crate::domain::camera::CameraInput;
use crate::domain::camera::{CameraBoard, PlayAddress};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[cfg(feature = "ssr")]
use crate::api::ctx::{actor, ports, respond};

/// Staff: the cameras of their community (admins: all), and the platform if any.
#[server(endpoint = "cameras/board")]
pub async fn load_cameras() -> Result<CameraBoard, AppError> {
    let actor = actor().await?;
    respond(ports()?.camera.board(&actor).await)
}

/// Directors (their community) and admins: register (no id) or edit a camera.
#[server(endpoint = "cameras/save", input = Json)]
pub async fn save_camera(camera: CameraInput) -> Result<i64, AppError> {
    let actor = actor().await?;
    respond(ports()?.camera.save(&actor, camera).await)
}

/// Staff of its community: the camera's live stream address, asked of the video
/// platform now; `ticket` (a ticket number) or `note` says why, and is logged.
#[server(endpoint = "cameras/play")]
pub async fn play_camera(
    id: i64,
    ticket: Option<i64>,
    note: String,
) -> Result<PlayAddress, AppError> {
    let actor = actor().await?;
    respond(ports()?.camera.play(&actor, id, ticket, note).await)
}
