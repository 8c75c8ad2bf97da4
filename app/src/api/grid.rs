//! Grids: list, one grid with its staff, which grid holds a point, GeoJSON import.
use crate::domain::AppError;
use crate::domain::geo::MapConfig;
use crate::domain::grid::{GridDetail, GridSummary, ImportReport};
#[cfg(feature = "ssr")]
use crate::domain::{geo::LatLng, grid::GridId};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::api::ctx::{actor, ports, respond};

/// Anyone. Every grid of every level, with outlines.
#[server(endpoint = "grid/list")]
pub async fn list_grids() -> Result<Vec<GridSummary>, AppError> {
    let actor = actor().await?;
    respond(ports()?.grid.list(&actor).await)
}

/// Anyone. One grid with its parents, children and staff (phones masked for
/// non-staff; unmasked reads are audited).
#[server(endpoint = "grid/detail")]
pub async fn fetch_grid(id: i64) -> Result<GridDetail, AppError> {
    let actor = actor().await?;
    respond(ports()?.grid.detail(&actor, GridId(id)).await)
}

/// Anyone. The level-3 grid containing a WGS-84 point, or `None` outside them all.
#[server(endpoint = "grid/locate")]
pub async fn locate_grid(lat: f64, lng: f64) -> Result<Option<GridSummary>, AppError> {
    let actor = actor().await?;
    respond(ports()?.grid.locate(&actor, LatLng::new(lat, lng)).await)
}

/// Admins. Creates or updates grids (matched by code) from a GeoJSON FeatureCollection,
/// all or nothing.
#[server(endpoint = "grid/import")]
pub async fn import_grids(geojson: String) -> Result<ImportReport, AppError> {
    let actor = actor().await?;
    respond(ports()?.grid.import(&actor, &geojson).await)
}

/// Directors and admins. The communities and grids they may send alerts and staff
/// notices to (a director: their own community), for the target picker.
#[server(endpoint = "grid/targets")]
pub async fn list_targets() -> Result<Vec<GridSummary>, AppError> {
    let actor = actor().await?;
    respond(ports()?.grid.targets(&actor).await)
}

/// Signed in. The full number of a grid's staff member, to dial ("打电话"); the number
/// stays masked on screen and every read is audited.
#[server(endpoint = "grid/staff_phone")]
pub async fn staff_phone(grid: i64, duty: String) -> Result<String, AppError> {
    let actor = actor().await?;
    let duty = crate::domain::grid::Duty::parse(&duty).ok_or(AppError::BadRequest)?;
    respond(ports()?.grid.staff_phone(&actor, GridId(grid), duty).await)
}

/// Anyone. The tile provider, centre and zoom the map starts with.
#[server(endpoint = "grid/map_config")]
pub async fn get_map_config() -> Result<MapConfig, AppError> {
    Ok(ports()?.grid.map_config())
}
