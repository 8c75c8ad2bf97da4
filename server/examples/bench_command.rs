//! Command screen benchmark: the server render of `/command` (the street, and one
//! community) and its live update (one snapshot, as each server-sent event carries it)
//! with 1,000,000 tickets over the last year in the street's grids, against the home
//! page `/` rendered by the same router in the same run. Sequential, in-process (the
//! integration tests' harness), on SQLite, or on PostgreSQL when `TEST_DATABASE_URL`
//! is set.
//!
//! ```text
//! cargo run --release -p server --example bench_command
//! TEST_DATABASE_URL=postgres://…/postgres cargo run --release -p server --example bench_command
//! ```
#![recursion_limit = "256"]
#![allow(clippy::unwrap_used)]
#[path = "../tests/it/common/mod.rs"]
mod common;
#[path = "timing/mod.rs"]
mod timing;

use axum::http::StatusCode;
use common::{TestApp, who};
use server::db::Backend;
use std::time::{Duration, Instant};
use timing::{ms, pct};

const TICKETS: i64 = 1_000_000;
const RUNS: usize = 30;
const YEAR_MS: i64 = 365 * 86_400_000;

/// 1 M tickets, the newest now and one every ~31 s back over a year, spread over the
/// demo street's twelve grids (and their communities) and states; one open ticket in
/// twenty past its deadline.
async fn fill(app: &TestApp) {
    let db = &app.state.db;
    let grids: Vec<(i64, i64)> =
        sqlx::query_as("SELECT id, parent_id FROM grids WHERE level = 3 ORDER BY id")
            .fetch_all(&db.pool)
            .await
            .unwrap();
    let category: i64 = sqlx::query_scalar("SELECT id FROM categories WHERE code = 'public_order'")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    let k = i64::try_from(grids.len()).unwrap();
    let grid_case = grids
        .iter()
        .enumerate()
        .map(|(i, (g, _))| format!("WHEN {i} THEN {g}"))
        .collect::<Vec<_>>()
        .join(" ");
    let comm_case = grids
        .iter()
        .enumerate()
        .map(|(i, (_, c))| format!("WHEN {i} THEN {c}"))
        .collect::<Vec<_>>()
        .join(" ");
    let (s, w, _, _) = server::seed::grid_bounds(2, 0);
    let (_, _, n, e) = server::seed::grid_bounds(1, 2);
    let now = server::db::now_ms();
    let step = YEAR_MS / TICKETS;
    let status = "CASE n % 7 WHEN 0 THEN 'pending' WHEN 1 THEN 'accepted' WHEN 2 THEN 'in_progress'
        WHEN 3 THEN 'checking' WHEN 4 THEN 'resolved' ELSE 'closed' END";
    let body = format!(
        "SELECT {category}, 'problem', 1, CASE n % {k} {grid_case} END, CASE n % {k} {comm_case} END,
           {status}, 'bench', {s} + ((n * 7919) % 100000) * {dl} / 100000.0,
           {w} + ((n * 104729) % 100000) * {dg} / 100000.0, {now} - n * {step}, {now} - n * {step},
           CASE WHEN n % 20 = 0 THEN 1 ELSE 0 END",
        dl = n - s,
        dg = e - w
    );
    let sql = match db.backend {
        Backend::Sqlite => format!(
            "WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < {TICKETS})
             INSERT INTO tickets (category_id, kind, reporter_id, grid_id, community_id, status,
                description, lat, lng, created_at, updated_at, escalation) {body} FROM seq"
        ),
        Backend::Postgres => format!(
            "INSERT INTO tickets (category_id, kind, reporter_id, grid_id, community_id, status,
                description, lat, lng, created_at, updated_at, escalation)
             {body} FROM generate_series(1::bigint, {TICKETS}) n"
        ),
    };
    let t = Instant::now();
    sqlx::query(&sql).execute(&db.pool).await.unwrap();
    sqlx::query("ANALYZE").execute(&db.pool).await.unwrap();
    println!(
        "filled {TICKETS} tickets in {:.1} s",
        t.elapsed().as_secs_f64()
    );
}

async fn snapshots(app: &TestApp, scope: &str, cookie: &str) -> Vec<Duration> {
    let mut out = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let t = Instant::now();
        let r = app
            .call("command/snapshot", &[("scope", scope)], Some(cookie))
            .await;
        out.push(t.elapsed());
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }
    out.sort();
    out
}

#[tokio::main]
async fn main() {
    let app = TestApp::new().await;
    fill(&app).await;
    let admin = app.login(who::ADMIN).await;
    let xhj: i64 = sqlx::query_scalar("SELECT id FROM grids WHERE code = 'LJ-XHJ'")
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    let community = format!("/command?scope={xhj}");
    for p in ["/", "/command", &community] {
        app.get(p, Some(&admin)).await;
    }
    let marker = "data-test=\"funnel-month\"";
    let home = timing::time(&app, RUNS, "/", &admin, "<main").await;
    let street = timing::time(&app, RUNS, "/command", &admin, marker).await;
    let one = timing::time(&app, RUNS, &community, &admin, marker).await;
    let live_street = snapshots(&app, "0", &admin).await;
    let live_one = snapshots(&app, &xhj.to_string(), &admin).await;
    let backend = if std::env::var("TEST_DATABASE_URL").is_ok() {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    println!("{backend}, {TICKETS} tickets over a year, {RUNS} sequential runs each");
    println!("| what | p50 ms | p99 ms | p50 ratio to `/` |");
    println!("|---|---:|---:|---:|");
    let base = ms(pct(&home, 0.5));
    for (name, t) in [
        ("`/` render (baseline)", &home),
        ("`/command` render, street", &street),
        ("`/command` render, one community", &one),
        ("live update (one snapshot), street", &live_street),
        ("live update (one snapshot), one community", &live_one),
    ] {
        println!(
            "| {name} | {:.2} | {:.2} | {:.2} |",
            ms(pct(t, 0.5)),
            ms(pct(t, 0.99)),
            ms(pct(t, 0.5)) / base
        );
    }
}
