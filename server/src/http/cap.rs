//! CAP 1.2 for other systems: an Atom feed of recent alerts at `/cap/feed.atom`,
//! each linking its CAP XML at `/cap/alerts/{id}.xml` (area: the targeted grids'
//! outlines as CAP polygons).
use super::grid::error_response;
use crate::db::now_ms;
use crate::services::cap::{AreaShape, alert_xml, feed_atom};
use crate::services::grid::parse_shape;
use crate::services::internal;
use crate::state::AppState;
use app::domain::AppError;
use app::domain::alert::AlertId;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};

/// The feed lists alerts of this many days.
const FEED_DAYS: i64 = 30;

/// `http(s)://host` as the client reached us (links in the feed must work for it).
fn base_url(state: &AppState, headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost");
    let scheme = if state.config.secure_cookies {
        "https"
    } else {
        "http"
    };
    format!("{scheme}://{host}")
}

/// The sender as CAP wants it: the host name without port.
fn sender_domain(base: &str) -> String {
    let host = base.split("://").nth(1).unwrap_or(base);
    host.split(':').next().unwrap_or(host).to_owned()
}

pub async fn feed(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let since = now_ms() - FEED_DAYS * 24 * 3_600_000;
    match state.db.alerts_since(None, since, 0, 100).await {
        Ok(alerts) => {
            let base = base_url(&state, &headers);
            let updated = alerts.first().map_or(since, |a| a.sent_at);
            (
                [(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")],
                feed_atom(&alerts, &base, updated),
            )
                .into_response()
        }
        Err(e) => error_response(&internal(e)),
    }
}

pub async fn alert(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(file): Path<String>,
) -> Response {
    let Some(id) = file
        .strip_suffix(".xml")
        .and_then(|s| s.parse::<i64>().ok())
    else {
        return error_response(&AppError::NotFound);
    };
    let result = async {
        let a = state
            .db
            .alert(AlertId(id))
            .await
            .map_err(internal)?
            .ok_or(AppError::NotFound)?;
        let grids = state.db.list_grids().await.map_err(internal)?;
        let shapes: Vec<AreaShape> = grids
            .iter()
            .filter(|g| a.grids.contains(&g.id))
            .filter_map(|g| {
                let shape = parse_shape(&g.geometry).ok()?;
                let outer = shape.0.first()?.exterior();
                Some(AreaShape {
                    name: g.name.clone(),
                    ring: outer.0.iter().map(|c| (c.y, c.x)).collect(),
                })
            })
            .collect();
        let base = base_url(&state, &headers);
        Ok::<_, AppError>(alert_xml(&a, &shapes, &base, &sender_domain(&base)))
    }
    .await;
    match result {
        Ok(xml) => (
            [(header::CONTENT_TYPE, "application/cap+xml; charset=utf-8")],
            xml,
        )
            .into_response(),
        Err(e) => error_response(&e),
    }
}
