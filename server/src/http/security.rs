//! Request guards: who is asking (actor), same-origin for writes (CSRF), and cache
//! headers for static files.
use crate::db::Db;
use crate::services::auth::SESSION_USER_KEY;
use app::domain::user::{Actor, UserId};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tower_sessions::Session;

/// Puts the signed-in user (or nobody) into the request for server functions.
pub async fn resolve_actor(
    State(db): State<Db>,
    session: Session,
    mut req: Request,
    next: Next,
) -> Response {
    let uid: Option<i64> = session.get(SESSION_USER_KEY).await.ok().flatten();
    let user = match uid {
        Some(id) => match db.session_user(UserId(id)).await {
            Ok(u) => u,
            Err(e) => {
                tracing::error!("loading session user: {e}");
                return StatusCode::INTERNAL_SERVER_ERROR.into_response();
            }
        },
        None => None,
    };
    req.extensions_mut().insert(Actor { user });
    next.run(req).await
}

/// Refuses state-changing requests from other sites (the browser says so in
/// `Sec-Fetch-Site` or `Origin`); SameSite cookies are the second line.
pub async fn same_origin(req: Request, next: Next) -> Response {
    if !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        let h = req.headers();
        let fetch_site = h.get("sec-fetch-site").and_then(|v| v.to_str().ok());
        let cross = matches!(fetch_site, Some("cross-site" | "same-site"));
        let origin_host = h
            .get(header::ORIGIN)
            .and_then(|v| v.to_str().ok())
            .filter(|o| *o != "null")
            .map(|o| o.split("://").nth(1).unwrap_or(o).to_owned());
        let host = h.get(header::HOST).and_then(|v| v.to_str().ok());
        let foreign_origin = matches!((&origin_host, host), (Some(o), Some(h)) if o != h);
        if cross || foreign_origin {
            return (StatusCode::FORBIDDEN, "cross-site request refused").into_response();
        }
    }
    next.run(req).await
}

/// Hashed bundles never change: cache for a year. Leaflet is pinned: a week.
pub async fn cache_headers(req: Request, next: Next) -> Response {
    let path = req.uri().path().to_owned();
    let mut res = next.run(req).await;
    if res.status().is_success() && !res.headers().contains_key(header::CACHE_CONTROL) {
        let value = if path.starts_with("/pkg/") {
            "public, max-age=31536000, immutable"
        } else if path.starts_with("/leaflet/") {
            "public, max-age=604800"
        } else {
            "no-cache"
        };
        res.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    }
    res
}
