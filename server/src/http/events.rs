//! `GET /api/events`: the one live stream a page opens (server-sent events).
//! `change` events (`{"id":…}`) say a ticket changed; `alert` events carry a new
//! alert (`LiveAlert`) with its id as the SSE id, so a page that reconnects with
//! `Last-Event-ID` is first sent the alerts it missed. A comment every 15 s keeps
//! proxies from closing the connection.
use crate::db::now_ms;
use crate::services::bus::Frame;
use crate::state::AppState;
use app::domain::alert::{AlertState, LiveAlert};
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::Stream;
use std::convert::Infallible;
use std::sync::Arc;
use tokio_stream::StreamExt;
use tokio_stream::wrappers::BroadcastStream;

/// How far back a reconnecting page is caught up.
const REPLAY_MS: i64 = 24 * 3_600_000;

fn event(f: &Frame) -> Event {
    let e = Event::default().event(f.name).data(&f.data);
    match &f.id {
        Some(id) => e.id(id),
        None => e,
    }
}

pub async fn events(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    // Subscribe before reading what was missed, so nothing falls in between (a page
    // may get an alert twice; it keeps the first).
    let rx = state.bus.subscribe();
    let last: Option<i64> = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse().ok());
    let mut missed = Vec::new();
    if let Some(last) = last {
        let now = now_ms();
        match state.db.alerts_since(None, now - REPLAY_MS, last, 20).await {
            Ok(list) => {
                for a in list.into_iter().rev() {
                    if a.state(now) == AlertState::Active {
                        let live = LiveAlert {
                            id: a.id,
                            title: a.title,
                            severity: a.severity,
                            grids: a.grids,
                            sent_at: a.sent_at,
                        };
                        missed.push(Ok(Event::default()
                            .event("alert")
                            .id(live.id.0.to_string())
                            .data(serde_json::to_string(&live).unwrap_or_default())));
                    }
                }
            }
            Err(e) => tracing::warn!("replaying alerts after {last}: {e}"),
        }
    }
    // A lagging page skips what it missed; its inbox and lists catch up on refetch.
    let live = BroadcastStream::new(rx)
        .filter_map(|m: Result<Arc<Frame>, _>| m.ok().map(|f| Ok(event(&f))));
    let stream = tokio_stream::iter(missed).chain(live);
    Sse::new(stream).keep_alive(KeepAlive::new().interval(std::time::Duration::from_secs(15)))
}
