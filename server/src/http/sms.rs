//! `POST /api/sms/receipts/{provider}/{token}`: delivery receipts the SMS provider
//! pushes (Alibaba Cloud's SmsReport, Tencent Cloud's status callback), each a JSON
//! array. The secret token in the address is the receipts' only credential (neither
//! provider signs its pushes), so any other token, or a provider not configured, is
//! 404. The answer is the one the provider wants; an unreadable body is 400 and the
//! provider pushes it again later.
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

/// A push holds at most a few hundred reports.
pub const RECEIPTS_LIMIT: usize = 512 * 1024;

pub async fn receipts(
    State(state): State<AppState>,
    Path((provider, token)): Path<(String, String)>,
    body: String,
) -> Response {
    match state
        .sms
        .receipts(&provider, &token, &body, crate::db::now_ms())
        .await
    {
        Ok(Some(Ok(answer))) => (
            [(header::CONTENT_TYPE, "application/json;charset=utf-8")],
            answer,
        )
            .into_response(),
        Ok(Some(Err(why))) => (StatusCode::BAD_REQUEST, why).into_response(),
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(e) => {
            tracing::error!("sms receipts: {e}");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
