//! `POST /api/residents/import` (multipart, field `file`): a CSV or XLSX file of
//! residents. 200 with the counts when every row was written; 422 with the
//! row-by-row report (and nothing written) otherwise.
use super::grid::error_response;
use super::ticket::read_form;
use crate::state::AppState;
use app::domain::AppError;
use app::domain::authz::{Action, require};
use app::domain::user::Actor;
use app::i18n::Msg;
use axum::Extension;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// Largest import file.
pub const IMPORT_LIMIT: usize = 10 * 1024 * 1024;

pub async fn import(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    form: Multipart,
) -> Response {
    let result = async {
        // Before reading the file: a refusal costs no upload work.
        require(&actor, Action::ImportResidents)?;
        let (fields, mut files) =
            read_form(form, "file", "file", app::domain::ticket::PHOTOS_MAX).await?;
        if files.is_empty() {
            return Err(AppError::invalid("file", Msg::ErrEmptyFile));
        }
        let name = fields
            .iter()
            .find(|(k, _)| k == "file_name")
            .map(|(_, v)| v.clone())
            .unwrap_or_else(|| "upload".to_owned());
        state
            .ports
            .resident
            .import(&actor, &name, files.swap_remove(0))
            .await
    }
    .await;
    match result {
        Ok(outcome) if outcome.errors.is_empty() => axum::Json(outcome).into_response(),
        Ok(outcome) => (StatusCode::UNPROCESSABLE_ENTITY, axum::Json(outcome)).into_response(),
        Err(e) => error_response(&e),
    }
}
