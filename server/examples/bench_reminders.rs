//! Reminder planning benchmark: 10,000 shifts starting over the next day, three seated
//! volunteers each (3,000 volunteers, ten seats apiece). Timed: the first planning
//! round (every seat's reminders written, each timed out of its person's quiet hours),
//! a steady round (nothing new: the cost every half minute), and the sending round for
//! what is due then. Baseline in the same run: the home page `/` rendered by the same
//! router. On SQLite, or on PostgreSQL when `TEST_DATABASE_URL` is set.
//!
//! ```text
//! cargo run --release -p server --example bench_reminders
//! TEST_DATABASE_URL=postgres://…/postgres cargo run --release -p server --example bench_reminders
//! ```
#![recursion_limit = "256"]
#![allow(clippy::unwrap_used)]
#[path = "../tests/it/common/mod.rs"]
mod common;
#[path = "timing/mod.rs"]
mod timing;

use app::domain::command::day_start;
use common::{TestApp, who};
use std::time::{Duration, Instant};
use timing::{ms, pct};

const SHIFTS: i64 = 10_000;
const SEATS: i64 = 3;
const VOLUNTEERS: i64 = 3_000;
const HOUR: i64 = 3_600_000;
const RUNS: usize = 30;

/// Inserts the volunteers, the shifts (from an hour after `now`, spread over the next
/// 23 hours) and their seats.
async fn fill(app: &TestApp, now: i64) {
    let pool = &app.state.db.pool;
    let (hash, creator): (String, i64) =
        sqlx::query_as("SELECT password_hash, id FROM users WHERE phone = $1")
            .bind(who::COORDINATOR)
            .fetch_one(pool)
            .await
            .unwrap();
    let grid: i64 = app.state.db.grid_codes().await.unwrap()["LJ-XHJ-02"].0;
    let first_user: i64 = sqlx::query_scalar("SELECT MAX(id) FROM users")
        .fetch_one(pool)
        .await
        .unwrap();
    let first_shift: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM shifts")
        .fetch_one(pool)
        .await
        .unwrap();
    let mut tx = pool.begin().await.unwrap();
    for chunk in (0..VOLUNTEERS).collect::<Vec<_>>().chunks(500) {
        let values: Vec<String> = chunk
            .iter()
            .map(|i| {
                format!(
                    "({}, '志愿者{i}', '1372{i:07}', '{hash}', 'resident', 1, 0, {now})",
                    first_user + 1 + i
                )
            })
            .collect();
        sqlx::query(&format!(
            "INSERT INTO users (id, name, phone, password_hash, role, volunteer, party_member, created_at)
             VALUES {}",
            values.join(",")
        ))
        .execute(&mut *tx)
        .await
        .unwrap();
    }
    let step = 23 * HOUR / SHIFTS;
    for chunk in (0..SHIFTS).collect::<Vec<_>>().chunks(500) {
        let mut shifts = Vec::new();
        let mut seats = Vec::new();
        for i in chunk {
            let id = first_shift + 1 + i;
            let start = now + HOUR + i * step;
            let end = start + 2 * HOUR;
            shifts.push(format!(
                "({id}, 'patrol', {grid}, '巡逻{i}', '新华街社区', {start}, {end}, 5, 1, {SEATS}, 'tok{i}', {creator}, {now})"
            ));
            for s in 0..SEATS {
                let user = first_user + 1 + (i * SEATS + s) % VOLUNTEERS;
                seats.push(format!("({id}, {user}, 'seated', {now}, {start}, {end})"));
            }
        }
        sqlx::query(&format!(
            "INSERT INTO shifts (id, kind, grid_id, title, place, starts_at, ends_at, capacity,
                                 min_seats, taken, checkin_token, created_by, created_at)
             VALUES {}",
            shifts.join(",")
        ))
        .execute(&mut *tx)
        .await
        .unwrap();
        sqlx::query(&format!(
            "INSERT INTO shift_signups (shift_id, user_id, state, queued_at, starts_at, ends_at)
             VALUES {}",
            seats.join(",")
        ))
        .execute(&mut *tx)
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
    if app.state.db.backend == server::db::Backend::Postgres {
        // Identity columns were given explicit ids: move their sequences on.
        for table in ["users", "shifts"] {
            sqlx::query(&format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
            ))
            .execute(pool)
            .await
            .unwrap();
        }
        sqlx::query("ANALYZE").execute(pool).await.unwrap();
    }
}

#[tokio::main]
async fn main() {
    let app = TestApp::new().await;
    // 10:00 tomorrow, China time: the same hour of the day in every run (quiet hours
    // move some reminders; which ones depends on the hour).
    let now = day_start(app::domain::time::now_ms()) + 24 * HOUR + 10 * HOUR;
    let t = Instant::now();
    fill(&app, now).await;
    let fill_s = t.elapsed().as_secs_f64();
    let admin = app.login(who::ADMIN).await;
    let home = timing::time(&app, RUNS, "/", &admin, "<main").await;
    let base = pct(&home, 0.5);

    let t = Instant::now();
    let planned = app.state.reminders.plan(now).await.unwrap();
    let first = t.elapsed();
    let mut steady: Vec<Duration> = Vec::with_capacity(RUNS);
    for i in 0..RUNS {
        let t = Instant::now();
        let n = app
            .state
            .reminders
            .plan(now + i as i64 * 1000)
            .await
            .unwrap();
        steady.push(t.elapsed());
        assert_eq!(n, 0, "a steady round plans nothing new");
    }
    steady.sort();
    // Three hours on: the day-before reminders of the shifts more than half a day out
    // and the two-hour ones of the first shifts are due.
    let t = Instant::now();
    let round = app.state.reminders.deliver(now + 3 * HOUR).await.unwrap();
    let deliver = t.elapsed();

    let backend = match app.state.db.backend {
        server::db::Backend::Sqlite => "SQLite",
        server::db::Backend::Postgres => "PostgreSQL",
    };
    println!(
        "filled in {fill_s:.1} s: {SHIFTS} shifts, {} seats",
        SHIFTS * SEATS
    );
    println!("| backend | what | rows | ms | / `/` p50 |");
    println!("|---|---|---:|---:|---:|");
    let ratio = |d: Duration| ms(d) / ms(base);
    println!(
        "| {backend} | `/` render p50 (baseline) | | {:.2} | 1.00 |",
        ms(base)
    );
    println!(
        "| {backend} | first planning round | {planned} | {:.0} | {:.0} |",
        ms(first),
        ratio(first)
    );
    println!(
        "| {backend} | steady round p50 (p99 {:.1} ms) | 0 | {:.1} | {:.1} |",
        ms(pct(&steady, 0.99)),
        ms(pct(&steady, 0.5)),
        ratio(pct(&steady, 0.5))
    );
    println!(
        "| {backend} | sending round (+3 h) | {} sent, {} dropped | {:.0} | {:.0} |",
        round.sent,
        round.stale + round.cancelled,
        ms(deliver),
        ratio(deliver)
    );
}
