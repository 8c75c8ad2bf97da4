//! The live-event hub: what every open page hears (ticket changes, new alerts).
//! One process: an in-memory broadcast. On PostgreSQL several server processes may
//! serve one city, so an event goes out as `NOTIFY` and each process's listener
//! hands it to its own pages — also the process that sent it, so every page hears
//! an event the same way, once.
use crate::db::{Backend, Db};
use app::domain::alert::LiveAlert;
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use tokio::sync::broadcast;

/// The PostgreSQL channel events travel on.
const CHANNEL: &str = "tongxin_events";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Event {
    /// Only which ticket, so pages refetch through the authorised functions; a
    /// dispute or service request (`private`) is told only to those who may read it.
    Ticket {
        id: i64,
        #[serde(default)]
        private: Option<Audience>,
    },
    Alert(LiveAlert),
}

/// Who may hear of a private ticket: its reporter, and the staff whose grids hold it
/// (admins: all; a ticket outside every grid: admins only).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Audience {
    pub reporter: i64,
    pub grid: Option<i64>,
}

/// Who holds a stream, worked out once when it opens.
#[derive(Debug, Clone, Default)]
pub struct Listener {
    pub user: Option<i64>,
    /// `None`: every grid (admins); otherwise the grids they serve.
    pub grids: Option<Vec<app::domain::grid::GridId>>,
}

impl Audience {
    pub fn includes(&self, l: &Listener) -> bool {
        l.user == Some(self.reporter)
            || match (&l.grids, self.grid) {
                (None, _) => l.user.is_some(),
                (Some(gs), Some(g)) => gs.iter().any(|x| x.0 == g),
                (Some(_), None) => false,
            }
    }
}

/// An event rendered once for every connection: SSE name, id and data, and who may
/// hear it (`None`: everyone).
#[derive(Debug)]
pub struct Frame {
    pub name: &'static str,
    pub id: Option<String>,
    pub data: String,
    pub audience: Option<Audience>,
}

impl Frame {
    fn of(e: &Event) -> Frame {
        match e {
            Event::Ticket { id, private } => Frame {
                name: "change",
                id: None,
                data: format!("{{\"id\":{id}}}"),
                audience: *private,
            },
            Event::Alert(a) => Frame {
                name: "alert",
                id: Some(a.id.0.to_string()),
                data: serde_json::to_string(a).unwrap_or_default(),
                audience: None,
            },
        }
    }
}

#[derive(Clone)]
pub struct Bus {
    tx: broadcast::Sender<Arc<Frame>>,
    db: Db,
    /// The pages holding a stream now, in every process.
    pub presence: super::presence::Presence,
}

impl Bus {
    /// On PostgreSQL, also starts the listener that feeds this process's pages.
    pub async fn start(db: &Db) -> Result<Bus, sqlx::Error> {
        // Generous: a slow page skips ahead rather than holding everyone back.
        let (tx, _) = broadcast::channel(1024);
        if db.backend == Backend::Postgres {
            let mut listener = sqlx::postgres::PgListener::connect(&db.url).await?;
            listener.listen(CHANNEL).await?;
            let tx = tx.clone();
            tokio::spawn(async move {
                loop {
                    // `recv` reconnects by itself after a dropped connection.
                    match listener.recv().await {
                        Ok(n) => match serde_json::from_str::<Event>(n.payload()) {
                            Ok(e) => {
                                let _ = tx.send(Arc::new(Frame::of(&e)));
                            }
                            Err(e) => tracing::warn!("bad event on {CHANNEL}: {e}"),
                        },
                        Err(e) => {
                            tracing::error!("event listener: {e}");
                            tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                        }
                    }
                }
            });
        }
        Ok(Bus {
            tx,
            db: db.clone(),
            presence: super::presence::Presence::start(db),
        })
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Arc<Frame>> {
        self.tx.subscribe()
    }

    /// Sends to every page of every process. A failure is logged: the event is
    /// also reachable by refetching (inbox, lists), so nothing is lost for good.
    pub async fn publish(&self, e: Event) {
        match self.db.backend {
            Backend::Sqlite => {
                let _ = self.tx.send(Arc::new(Frame::of(&e)));
            }
            Backend::Postgres => {
                let payload = serde_json::to_string(&e).unwrap_or_default();
                // pg_notify answers `void`, which the Any driver cannot decode.
                if let Err(err) = sqlx::query(
                    "SELECT CAST(1 AS BIGINT) AS sent FROM (SELECT pg_notify($1, $2)) AS n",
                )
                .bind(CHANNEL)
                .bind(payload)
                .fetch_one(&self.db.pool)
                .await
                {
                    tracing::error!("publishing an event: {err}");
                }
            }
        }
    }
}
