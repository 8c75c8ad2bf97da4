//! Ticket routes that carry files or streams: a report with photos
//! (`POST /api/tickets`), a step with photos (`POST /api/tickets/{id}/act`), the photos
//! themselves (`GET /photos/{key}.jpg`). Live changes travel on `/api/events`
//! (events.rs); everything else about tickets is a server function.
use super::grid::error_response;
use crate::services::photo::PhotoStore;
use crate::state::AppState;
use app::api::ports::{NewTicket, TicketStep};
use app::domain::AppError;
use app::domain::ticket::{PHOTOS_MAX, Rating, TicketAction, TicketId};
use app::domain::user::Actor;
use app::i18n::Msg;
use axum::Extension;
use axum::extract::{Multipart, Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

/// Largest upload: six photos as a phone may send them when it cannot shrink them.
pub const UPLOAD_LIMIT: usize = PHOTOS_MAX * 12 * 1024 * 1024 + 1024 * 1024;

/// A form that could not be read: too large (413) or cut off / malformed (422).
pub(super) fn form_error(status: StatusCode) -> AppError {
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        AppError::TooLarge
    } else {
        AppError::invalid("form", Msg::ErrForm)
    }
}

/// Text fields by name, and the files of every `file_field` field in order (at most
/// six; a seventh is refused as `count_field`).
pub(super) async fn read_form(
    mut m: Multipart,
    file_field: &str,
    count_field: &str,
    max: usize,
) -> Result<(Vec<(String, String)>, Vec<Vec<u8>>), AppError> {
    let mut fields = Vec::new();
    let mut photos = Vec::new();
    while let Some(field) = m.next_field().await.map_err(|e| form_error(e.status()))? {
        let name = field.name().unwrap_or_default().to_owned();
        if name == file_field {
            let bytes = field.bytes().await.map_err(|e| form_error(e.status()))?;
            if photos.len() == max {
                return Err(AppError::invalid(count_field, Msg::ErrPhotoCount));
            }
            if !bytes.is_empty() {
                photos.push(bytes.to_vec());
            }
        } else {
            let text = field.text().await.map_err(|e| form_error(e.status()))?;
            fields.push((name, text));
        }
    }
    Ok((fields, photos))
}

/// The form of a signed-in caller (401 before reading anything otherwise).
pub(super) async fn signed_in_form(
    actor: &Actor,
    form: Multipart,
) -> Result<(Vec<(String, String)>, Vec<Vec<u8>>), AppError> {
    if actor.user.is_none() {
        return Err(AppError::Unauthorized);
    }
    read_form(form, "photo", "photos", PHOTOS_MAX).await
}

pub(super) fn field<'a>(fields: &'a [(String, String)], name: &str) -> &'a str {
    fields
        .iter()
        .find(|(n, _)| n == name)
        .map_or("", |(_, v)| v.as_str())
}

pub(super) fn number<T: std::str::FromStr>(fields: &[(String, String)], name: &str) -> Option<T> {
    field(fields, name).trim().parse().ok()
}

/// `POST /api/tickets` (multipart): category, description, lat, lng, parties,
/// idempotency_key, proxy_name and proxy_phone (代报, staff), worklog_problem (a
/// problem from the worker's own log), photo × 1–6. Answers 201 `{id}` (200 for a retried submit).
pub async fn create(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    form: Multipart,
) -> Response {
    let result = async {
        let (fields, photos) = signed_in_form(&actor, form).await?;
        let t = NewTicket {
            category: number(&fields, "category"),
            description: field(&fields, "description").to_owned(),
            lat: number(&fields, "lat"),
            lng: number(&fields, "lng"),
            parties: field(&fields, "parties").to_owned(),
            idempotency_key: field(&fields, "idempotency_key").to_owned(),
            photos,
            proxy_name: field(&fields, "proxy_name").to_owned(),
            proxy_phone: field(&fields, "proxy_phone").to_owned(),
            worklog_problem: number(&fields, "worklog_problem"),
        };
        state.ports.ticket.create(&actor, t).await
    }
    .await;
    match result {
        Ok(c) => {
            let status = if c.new {
                StatusCode::CREATED
            } else {
                StatusCode::OK
            };
            (status, axum::Json(serde_json::json!({ "id": c.id.0 }))).into_response()
        }
        Err(e) => error_response(&e),
    }
}

/// `POST /api/tickets/{id}/act` (multipart): action, note, duplicate_of, rating,
/// photo × 0–6.
pub async fn act(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    Path(id): Path<i64>,
    form: Multipart,
) -> Response {
    let result = async {
        let (fields, photos) = signed_in_form(&actor, form).await?;
        let action = TicketAction::parse(field(&fields, "action"))
            .ok_or_else(|| AppError::invalid("action", Msg::ErrForm))?;
        let rating = match field(&fields, "rating") {
            "" => None,
            r => Some(Rating::parse(r).ok_or_else(|| AppError::invalid("rating", Msg::ErrRating))?),
        };
        let step = TicketStep {
            action,
            rating,
            note: field(&fields, "note").to_owned(),
            duplicate_of: number(&fields, "duplicate_of").map(TicketId),
            photos,
        };
        state.ports.ticket.act(&actor, TicketId(id), step).await
    }
    .await;
    match result {
        Ok(status) => axum::Json(serde_json::json!({ "status": status.as_str() })).into_response(),
        Err(e) => error_response(&e),
    }
}

/// `GET /photos/{key}.jpg`: a stored photo. Keys are SHA-256 hashes, so the bytes
/// behind a URL never change and may be cached for a year.
pub async fn photo(State(store): State<PhotoStore>, Path(file): Path<String>) -> Response {
    let Some(key) = file.strip_suffix(".jpg") else {
        return error_response(&AppError::NotFound);
    };
    match store.get(key).await {
        Ok(Some(bytes)) => (
            [
                (header::CONTENT_TYPE, "image/jpeg"),
                (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
            ],
            bytes,
        )
            .into_response(),
        Ok(None) => error_response(&AppError::NotFound),
        Err(e) => error_response(&crate::services::internal(e)),
    }
}
