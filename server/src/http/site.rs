//! `POST /api/sites/{id}/inspections` (multipart): `results` (JSON: `[{key, pass, note,
//! photo}]`), `note`, `idempotency_key`, and one `photo` file for each answer whose
//! `photo` is true, in order. Answers 201 `{id, opened, closed}`.
use super::grid::error_response;
use super::ticket::{field, read_form};
use crate::state::AppState;
use app::domain::AppError;
use app::domain::site::{ITEMS_MAX, InspectionInput, ItemResult};
use app::domain::user::Actor;
use app::i18n::Msg;
use axum::Extension;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// One photo per checklist item at most, as a phone may send them unshrunk.
pub const UPLOAD_LIMIT: usize = ITEMS_MAX * 12 * 1024 * 1024 + 1024 * 1024;

pub async fn inspect(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    Path(id): Path<i64>,
    form: Multipart,
) -> Response {
    let result = async {
        if actor.user.is_none() {
            return Err(AppError::Unauthorized);
        }
        let (fields, photos) = read_form(form, "photo", "photos", ITEMS_MAX).await?;
        let results: Vec<ItemResult> = serde_json::from_str(field(&fields, "results"))
            .map_err(|_| AppError::invalid("results", Msg::SiteErrAnswerAll))?;
        let input = InspectionInput {
            results,
            note: field(&fields, "note").to_owned(),
            idempotency_key: field(&fields, "idempotency_key").to_owned(),
        };
        state.ports.site.inspect(&actor, id, input, photos).await
    }
    .await;
    match result {
        Ok(done) => (StatusCode::CREATED, axum::Json(done)).into_response(),
        Err(e) => error_response(&e),
    }
}
