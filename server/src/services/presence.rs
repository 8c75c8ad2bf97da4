//! Open pages now, per home grid: what an alert's preview counts as "pages it
//! reaches at once". Each process counts its own live streams in memory. On
//! PostgreSQL, where several processes may serve a city, each also writes its counts
//! to `live_pages` (when they change, debounced, and every 15 s as a heartbeat), and
//! a reader adds its own fresh counts to the other processes' rows still being
//! refreshed. SQLite is one process by design: its own counts are all there are (and
//! no background writes compete with the requests' for the file's one write lock).
use crate::db::{Backend, Db, now_ms};
use app::domain::grid::GridId;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::Notify;

/// How often a process rewrites its rows even when nothing changed.
const HEARTBEAT: Duration = Duration::from_secs(15);
/// Rows older than this belong to a process that went away.
const STALE_MS: i64 = 45_000;
/// Changes within this window are written together.
const DEBOUNCE: Duration = Duration::from_millis(300);

/// Open pages by the home grid of who holds them (`None`: no home grid — signed
/// out or staff — such pages show every alert).
pub type PageCounts = HashMap<Option<GridId>, i64>;

struct Inner {
    db: Db,
    /// This process's name in `live_pages`.
    process: String,
    counts: Mutex<PageCounts>,
    changed: Notify,
}

#[derive(Clone)]
pub struct Presence(Arc<Inner>);

/// One open page; counted until dropped.
pub struct Page {
    presence: Presence,
    home: Option<GridId>,
}

impl Drop for Page {
    fn drop(&mut self) {
        self.presence.add(self.home, -1);
    }
}

fn key(home: Option<GridId>) -> i64 {
    home.map_or(0, |g| g.0)
}

impl Presence {
    /// On PostgreSQL, starts the writer task (it ends with the runtime).
    pub fn start(db: &Db) -> Presence {
        let p = Presence(Arc::new(Inner {
            db: db.clone(),
            process: format!("{:016x}", rand::random::<u64>()),
            counts: Mutex::new(HashMap::new()),
            changed: Notify::new(),
        }));
        if db.backend == Backend::Postgres {
            let writer = p.clone();
            tokio::spawn(async move {
                // An idle process with nothing written has nothing to write.
                let mut wrote_any = false;
                loop {
                    let _ = tokio::time::timeout(HEARTBEAT, writer.0.changed.notified()).await;
                    tokio::time::sleep(DEBOUNCE).await;
                    let empty = writer.own().is_empty();
                    if empty && !wrote_any {
                        continue;
                    }
                    match writer.write().await {
                        Ok(()) => wrote_any = !empty,
                        Err(e) => tracing::warn!("writing open pages: {e}"),
                    }
                }
            });
        }
        p
    }

    /// Counts a page held by someone living in `home` while the `Page` lives.
    pub fn open(&self, home: Option<GridId>) -> Page {
        self.add(home, 1);
        Page {
            presence: self.clone(),
            home,
        }
    }

    fn add(&self, home: Option<GridId>, by: i64) {
        {
            let mut c = self.0.counts.lock().unwrap_or_else(|p| p.into_inner());
            let n = c.entry(home).or_insert(0);
            *n += by;
            if *n <= 0 {
                c.remove(&home);
            }
        }
        self.0.changed.notify_one();
    }

    fn own(&self) -> PageCounts {
        self.0
            .counts
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Rewrites this process's rows (and forgets long-gone processes').
    async fn write(&self) -> Result<(), sqlx::Error> {
        let now = now_ms();
        let own = self.own();
        let mut tx = self.0.db.pool.begin().await?;
        sqlx::query("DELETE FROM live_pages WHERE process = $1 OR seen_at < $2")
            .bind(&self.0.process)
            .bind(now - 10 * STALE_MS)
            .execute(&mut *tx)
            .await?;
        for (home, n) in own {
            sqlx::query(
                "INSERT INTO live_pages (process, grid_id, pages, seen_at) VALUES ($1, $2, $3, $4)",
            )
            .bind(&self.0.process)
            .bind(key(home))
            .bind(n)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await
    }

    /// Open pages in every process now: this one's own counts, and on PostgreSQL the
    /// others' rows refreshed within the last 45 s.
    pub async fn counts(&self) -> Result<PageCounts, sqlx::Error> {
        use sqlx::Row;
        let mut all = self.own();
        if self.0.db.backend != Backend::Postgres {
            return Ok(all);
        }
        let rows = sqlx::query(&format!(
            "SELECT grid_id, CAST(SUM(pages) AS BIGINT) AS n FROM live_pages
              WHERE process <> $1 AND seen_at >= {} GROUP BY grid_id",
            now_ms() - STALE_MS
        ))
        .bind(&self.0.process)
        .fetch_all(&self.0.db.pool)
        .await?;
        for r in rows {
            let g: i64 = r.try_get("grid_id")?;
            let n: i64 = r.try_get("n")?;
            *all.entry((g != 0).then_some(GridId(g))).or_insert(0) += n;
        }
        Ok(all)
    }
}
