//! `GET /api/command/live?scope=N`: the command screen's live feed (server-sent
//! events). A `snapshot` event (the whole `CommandSnapshot` as JSON) at once, then after
//! every change on the bus (changes arriving together are sent as one, half a second
//! after the first) and every 15 s regardless, so running timers stay current.
use super::grid::error_response;
use crate::state::AppState;
use app::domain::user::Actor;
use axum::Extension;
use axum::extract::{ConnectInfo, Query, State};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use std::convert::Infallible;
use std::net::SocketAddr;
use std::time::Duration;
use tokio::sync::broadcast::error::RecvError;

#[derive(serde::Deserialize)]
pub struct LiveQuery {
    #[serde(default)]
    scope: i64,
}

const EVERY: Duration = Duration::from_secs(15);
const GATHER: Duration = Duration::from_millis(500);

pub async fn live(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    Query(q): Query<LiveQuery>,
    extensions: axum::http::Extensions,
) -> Response {
    let addr = extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip());
    // Refused before the stream opens: who may not see it, and what is not there.
    let first = match state.ports.command.snapshot(&actor, q.scope).await {
        Ok(s) => s,
        Err(e) => return error_response(&e),
    };
    let Some(slot) = state.live.take(addr) else {
        return error_response(&app::domain::AppError::RateLimited { minutes: 1 });
    };
    let rx = state.bus.subscribe();
    let ports = state.ports.clone();
    let stream = futures_util::stream::unfold(
        (Some(first), rx, ports, actor, q.scope, slot),
        |(first, mut rx, ports, actor, scope, slot)| async move {
            let snap = match first {
                Some(s) => s,
                None => {
                    let wait = tokio::time::sleep(EVERY);
                    tokio::pin!(wait);
                    tokio::select! {
                        r = rx.recv() => match r {
                            Ok(_) | Err(RecvError::Lagged(_)) => {
                                tokio::time::sleep(GATHER).await;
                                while !matches!(rx.try_recv(), Err(tokio::sync::broadcast::error::TryRecvError::Empty | tokio::sync::broadcast::error::TryRecvError::Closed)) {}
                            }
                            Err(RecvError::Closed) => return None,
                        },
                        () = &mut wait => {}
                    }
                    ports.command.snapshot(&actor, scope).await.ok()?
                }
            };
            let data = serde_json::to_string(&snap).ok()?;
            let event = Event::default().event("snapshot").data(data);
            Some((
                Ok::<_, Infallible>(event),
                (None, rx, ports, actor, scope, slot),
            ))
        },
    );
    Sse::new(stream)
        .keep_alive(KeepAlive::new().interval(EVERY))
        .into_response()
}
