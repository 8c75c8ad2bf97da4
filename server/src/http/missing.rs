//! Lost-person routes that carry photos: a notice (`POST /api/missing`) and a tip
//! (`POST /api/missing/{id}/tips`). Reading and closing are server functions.
use super::grid::error_response;
use super::ticket::{field, number, signed_in_form};
use crate::state::AppState;
use app::domain::AppError;
use app::domain::geo::LatLng;
use app::domain::missing::{MissingId, MissingInput, TipInput};
use app::domain::user::Actor;
use app::i18n::Msg;
use axum::Extension;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// Photos of a notice or tip (three, as a phone may send them unshrunk).
pub const UPLOAD_LIMIT: usize = 3 * 12 * 1024 * 1024 + 1024 * 1024;

/// `lat` and `lng` both, or neither; one alone, or a non-number, is refused.
fn position(fields: &[(String, String)]) -> Result<Option<LatLng>, AppError> {
    let given = |k: &str| !field(fields, k).trim().is_empty();
    match (given("lat"), given("lng")) {
        (false, false) => Ok(None),
        (true, true) => match (number::<f64>(fields, "lat"), number::<f64>(fields, "lng")) {
            (Some(lat), Some(lng)) => Ok(Some(LatLng::new(lat, lng))),
            _ => Err(AppError::invalid("location", Msg::ErrLocation)),
        },
        _ => Err(AppError::invalid("location", Msg::ErrLocation)),
    }
}

/// `POST /api/missing` (multipart): name, age, description, last_seen_place, lat,
/// lng, photo × 0–3. Answers 201 `{id}`.
pub async fn post(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    form: Multipart,
) -> Response {
    let result = async {
        let (fields, photos) = signed_in_form(&actor, form).await?;
        let age = field(&fields, "age").trim();
        let input = MissingInput {
            name: field(&fields, "name").to_owned(),
            age: if age.is_empty() {
                0
            } else {
                age.parse()
                    .map_err(|_| AppError::invalid("age", Msg::ErrAge))?
            },
            description: field(&fields, "description").to_owned(),
            last_seen_place: field(&fields, "last_seen_place").to_owned(),
            last_seen_at: position(&fields)?,
        };
        state.ports.missing.post(&actor, input, photos).await
    }
    .await;
    match result {
        Ok(id) => (
            StatusCode::CREATED,
            axum::Json(serde_json::json!({ "id": id.0 })),
        )
            .into_response(),
        Err(e) => error_response(&e),
    }
}

/// `POST /api/missing/{id}/tips` (multipart): text, lat, lng, photo × 0–3.
/// Answers 201 `{id}`.
pub async fn tip(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    Path(id): Path<i64>,
    form: Multipart,
) -> Response {
    let result = async {
        let (fields, photos) = signed_in_form(&actor, form).await?;
        let tip = TipInput {
            text: field(&fields, "text").to_owned(),
            at: position(&fields)?,
        };
        state
            .ports
            .missing
            .tip(&actor, MissingId(id), tip, photos)
            .await
    }
    .await;
    match result {
        Ok(id) => (
            StatusCode::CREATED,
            axum::Json(serde_json::json!({ "id": id })),
        )
            .into_response(),
        Err(e) => error_response(&e),
    }
}
