//! `GET /api/shifts/{id}/qr.svg`: the check-in QR code a coordinator shows at the
//! start of a shift. It encodes the absolute check-in link with the shift's token,
//! so only the shift's coordinators (who get the token) can draw it.
use super::grid::error_response;
use crate::state::AppState;
use app::domain::AppError;
use app::domain::authz::{Action, allowed};
use app::domain::shift::ShiftId;
use app::domain::user::Actor;
use axum::Extension;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use qrcode::QrCode;
use qrcode::render::svg;

/// `https://host` as the phone that asked sees this site.
fn origin(headers: &HeaderMap, secure: bool) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            h.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
        })
        .unwrap_or("127.0.0.1:3000");
    let forwarded_https = headers
        .get("x-forwarded-proto")
        .and_then(|h| h.to_str().ok())
        == Some("https");
    let scheme = if secure || forwarded_https {
        "https"
    } else {
        "http"
    };
    format!("{scheme}://{host}")
}

pub async fn qr(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    Path(id): Path<i64>,
    headers: HeaderMap,
) -> Response {
    let detail = match state.ports.shift.detail(&actor, ShiftId(id)).await {
        Ok(d) => d,
        Err(e) => return error_response(&e),
    };
    // Managers outside the shift's area get 404, like for any shift they cannot see.
    let Some(token) = detail.checkin_token else {
        return error_response(&if actor.user.is_none() {
            AppError::Unauthorized
        } else if allowed(&actor, Action::ManageShifts) {
            AppError::NotFound
        } else {
            AppError::Forbidden
        });
    };
    let link = format!(
        "{}/shifts/{id}/checkin?t={token}",
        origin(&headers, state.config.secure_cookies)
    );
    match QrCode::new(link.as_bytes()) {
        Ok(code) => {
            let image = code
                .render::<svg::Color>()
                .min_dimensions(240, 240)
                .quiet_zone(true)
                .build();
            (
                [
                    (header::CONTENT_TYPE, "image/svg+xml"),
                    (header::CACHE_CONTROL, "private, no-store"),
                ],
                image,
            )
                .into_response()
        }
        Err(e) => error_response(&crate::services::internal(e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origin_follows_the_request() {
        let mut h = HeaderMap::new();
        h.insert(header::HOST, "192.168.1.20:3000".parse().unwrap());
        assert_eq!(origin(&h, false), "http://192.168.1.20:3000");
        assert_eq!(origin(&h, true), "https://192.168.1.20:3000");
        h.insert("x-forwarded-proto", "https".parse().unwrap());
        assert_eq!(origin(&h, false), "https://192.168.1.20:3000");
        h.insert(header::HOST, "evil.example/<script>".parse().unwrap());
        assert_eq!(origin(&h, false), "https://127.0.0.1:3000");
    }
}
