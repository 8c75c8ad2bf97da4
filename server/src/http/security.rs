//! Request guards: who is asking (actor), same-origin for writes (CSRF), cache
//! headers for static files, and the protective headers on every answer.
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
        let origin = h.get(header::ORIGIN).map(|v| v.to_str().unwrap_or("null"));
        // `Origin: null` comes from sandboxed frames, data: URLs and some redirects:
        // never from our own pages, so it is refused like a foreign origin.
        let opaque = origin.is_some_and(|o| o.trim() == "null");
        let origin_host = origin.map(|o| o.split("://").nth(1).unwrap_or(o).to_owned());
        let host = h.get(header::HOST).and_then(|v| v.to_str().ok());
        let foreign_origin = matches!((&origin_host, host), (Some(o), Some(h)) if o != h);
        if cross || opaque || foreign_origin {
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

/// Headers every answer carries: no MIME sniffing, no referrer beyond this site, no
/// framing by other sites, and — for anything that is not one of our pages (JSON,
/// SVG, photos, feeds) — a policy that allows nothing at all. Pages set their own
/// policy with the render's nonce (`app::root::content_security_policy`).
pub async fn protective_headers(req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    let script_or_style = h
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.contains("javascript") || t.contains("wasm") || t.contains("css"));
    // The service worker runs under its own script's policy: it keeps none.
    if !script_or_style && !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'none'; frame-ancestors 'none'; sandbox"),
        );
    }
    res
}

/// A server function that failed before its body ran (its arguments could not be
/// read) answers 500 from the framework; the error it carries knows better. Reads
/// such small error bodies and sets the status the error names (400, 413, …).
pub async fn server_fn_error_status(req: Request, next: Next) -> Response {
    let res = next.run(req).await;
    if res.status() != StatusCode::INTERNAL_SERVER_ERROR
        || !res.headers().contains_key("serverfnerror")
    {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 64 * 1024).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    if let Ok(e) = serde_json::from_slice::<app::domain::AppError>(&bytes)
        && let Ok(code) = StatusCode::from_u16(e.status())
    {
        parts.status = code;
    }
    Response::from_parts(parts, axum::body::Body::from(bytes))
}
