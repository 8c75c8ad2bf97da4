//! `GET /api/events`: the one live stream a page opens (server-sent events).
//! `change` events (`{"id":…}`) say a ticket changed; `alert` events carry a new
//! alert (`LiveAlert`) with its id as the SSE id, so a page that reconnects with
//! `Last-Event-ID` is first sent the alerts it missed. A comment every 15 s keeps
//! proxies from closing the connection.
use crate::db::now_ms;
use crate::services::bus::{Frame, Listener};
use crate::state::AppState;
use app::domain::AppError;
use app::domain::alert::{AlertState, LiveAlert};
use app::domain::user::Actor;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures_util::Stream;
use std::collections::HashMap;
use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::sync::Mutex;
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

/// Open live streams, counted per client address and in all, so no crowd of idle
/// connections can take every open file from the pages that need one.
pub struct LiveSlots {
    max_total: usize,
    max_per_addr: usize,
    held: Mutex<(usize, HashMap<IpAddr, usize>)>,
}

/// One held stream; gives its slot back when the stream ends.
pub struct LiveSlot {
    slots: Arc<LiveSlots>,
    addr: Option<IpAddr>,
}

impl LiveSlots {
    pub fn new(max_total: usize, max_per_addr: usize) -> Arc<LiveSlots> {
        Arc::new(LiveSlots {
            max_total,
            max_per_addr,
            held: Mutex::new((0, HashMap::new())),
        })
    }

    /// A slot for a stream from `addr` (unknown in in-process tests), or `None` when
    /// the process or the address holds its most.
    pub fn take(self: &Arc<Self>, addr: Option<IpAddr>) -> Option<LiveSlot> {
        let mut held = self.held.lock().unwrap_or_else(|p| p.into_inner());
        let (total, per) = &mut *held;
        if *total >= self.max_total {
            return None;
        }
        if let Some(a) = addr {
            let n = per.entry(a).or_insert(0);
            if *n >= self.max_per_addr {
                return None;
            }
            *n += 1;
        }
        *total += 1;
        Some(LiveSlot {
            slots: self.clone(),
            addr,
        })
    }
}

impl Drop for LiveSlot {
    fn drop(&mut self) {
        let mut held = self.slots.held.lock().unwrap_or_else(|p| p.into_inner());
        let (total, per) = &mut *held;
        *total = total.saturating_sub(1);
        if let Some(a) = self.addr
            && let Some(n) = per.get_mut(&a)
        {
            *n = n.saturating_sub(1);
            if *n == 0 {
                per.remove(&a);
            }
        }
    }
}

/// 429 when the address (or the process) holds its most streams.
pub async fn events(
    State(state): State<AppState>,
    headers: HeaderMap,
    extensions: axum::http::Extensions,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, Response> {
    let addr = extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip());
    let Some(slot) = state.live.take(addr) else {
        let body = serde_json::to_string(&AppError::RateLimited { minutes: 1 }).unwrap_or_default();
        return Err((
            StatusCode::TOO_MANY_REQUESTS,
            [
                (header::CONTENT_TYPE, "application/json"),
                (header::RETRY_AFTER, "60"),
            ],
            body,
        )
            .into_response());
    };
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
    // Private tickets' changes only to who may read them.
    let user = extensions.get::<Actor>().and_then(|a| a.user.as_ref());
    // Counted as an open page (by home grid) for alert previews, while it lasts.
    let page = state.bus.presence.open(user.and_then(|u| u.home));
    let listener = match user {
        Some(u) => Listener {
            user: Some(u.id.0),
            grids: crate::services::staff_grids(&state.db, u)
                .await
                .unwrap_or(Some(vec![])),
        },
        None => Listener {
            user: None,
            grids: Some(vec![]),
        },
    };
    // The slot and the page's count live as long as the stream: dropped when the
    // page goes away.
    let live = BroadcastStream::new(rx).filter_map(move |m: Result<Arc<Frame>, _>| {
        let _held = (&slot, &page);
        m.ok()
            .filter(|f| f.audience.is_none_or(|a| a.includes(&listener)))
            .map(|f| Ok(event(&f)))
    });
    let stream = tokio_stream::iter(missed).chain(live);
    Ok(Sse::new(stream).keep_alive(KeepAlive::new().interval(std::time::Duration::from_secs(15))))
}
