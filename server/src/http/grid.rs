//! `GET /grids.geojson`: every grid as a GeoJSON FeatureCollection (staff only).
use crate::db::Db;
use crate::services::{grid, internal};
use app::domain::AppError;
use app::domain::authz::{Action, require};
use app::domain::user::Actor;
use axum::Extension;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

pub async fn export(State(db): State<Db>, Extension(actor): Extension<Actor>) -> Response {
    let result: Result<String, AppError> = async {
        require(&actor, Action::ExportGrids)?;
        let rows = db.list_grids().await.map_err(internal)?;
        Ok(grid::export(&rows).to_string())
    }
    .await;
    match result {
        Ok(body) => (
            [
                (header::CONTENT_TYPE, "application/geo+json"),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"grids.geojson\"",
                ),
            ],
            body,
        )
            .into_response(),
        Err(e) => error_response(&e),
    }
}

/// A plain route's error: the status, and the message in Chinese and English.
pub fn error_response(e: &AppError) -> Response {
    let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let body = serde_json::json!({
        "error": e,
        "message": e.message(app::i18n::Lang::Zh),
        "message_en": e.message(app::i18n::Lang::En),
    });
    (status, axum::Json(body)).into_response()
}
