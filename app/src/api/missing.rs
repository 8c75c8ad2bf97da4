//! Lost-person notices (寻人). Posting one and sending a tip carry photos, so they
//! are multipart routes (`POST /api/missing`, `POST /api/missing/{id}/tips`).
use crate::domain::AppError;
#[cfg(feature = "ssr")]
use crate::domain::missing::MissingId;
use crate::domain::missing::{Missing, MissingDetail};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::api::ctx::{actor, ports, respond};

/// Anyone.
#[server(endpoint = "missing/list")]
pub async fn missing_list() -> Result<Vec<Missing>, AppError> {
    let actor = actor().await?;
    respond(ports()?.missing.list(&actor).await)
}

/// Anyone; tips for grid workers, directors and admins.
#[server(endpoint = "missing/detail")]
pub async fn fetch_missing(id: i64) -> Result<MissingDetail, AppError> {
    let actor = actor().await?;
    respond(ports()?.missing.detail(&actor, MissingId(id)).await)
}

/// Grid workers, directors, admins: the person was found.
#[server(endpoint = "missing/close")]
pub async fn close_missing(id: i64, note: String) -> Result<(), AppError> {
    let actor = actor().await?;
    respond(ports()?.missing.close(&actor, MissingId(id), note).await)
}
