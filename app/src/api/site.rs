//! 重点场所 (key sites): the board, a site, registering and editing sites and types.
//! An inspection carries photos, so it is a plain multipart route
//! (`POST /api/sites/{id}/inspections`, server/src/http/site.rs).
use crate::domain::AppError;
use crate::domain::site::{SiteBoard, SiteDetail};
pub use crate::domain::site::{SiteInput, SiteTypeInput};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[cfg(feature = "ssr")]
use crate::api::ctx::{actor, ports, respond};

/// Staff: the sites of their community (admins: every one), overdue ones per grid.
#[server(endpoint = "sites/board")]
pub async fn load_site_board() -> Result<SiteBoard, AppError> {
    let actor = actor().await?;
    respond(ports()?.site.board(&actor).await)
}

/// Staff of its community: one site, its checklist, open hazards and inspections.
#[server(endpoint = "sites/detail")]
pub async fn load_site(id: i64) -> Result<SiteDetail, AppError> {
    let actor = actor().await?;
    respond(ports()?.site.detail(&actor, id).await)
}

/// Staff: register (no id) or edit a site in their community; answers its id.
#[server(endpoint = "sites/save", input = Json)]
pub async fn save_site(site: SiteInput) -> Result<i64, AppError> {
    let actor = actor().await?;
    respond(ports()?.site.save(&actor, site).await)
}

/// Admins: add (no id) or edit a site type; answers its id.
#[server(endpoint = "sites/type_save", input = Json)]
pub async fn save_site_type(t: SiteTypeInput) -> Result<i64, AppError> {
    let actor = actor().await?;
    respond(ports()?.site.save_type(&actor, t).await)
}
