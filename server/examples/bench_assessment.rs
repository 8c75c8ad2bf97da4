//! Assessment benchmark: scoring a month from the ledger, for the street (128 staff,
//! 20,000 ledger entries over a year) on SQLite and for a city (10,000 staff, 2,000,000
//! entries over a year) on PostgreSQL, against a same-run baseline: reading the month's
//! ledger rows once through the same pool (`SELECT … FROM assessment_ledger WHERE month`).
//! Two views are timed: a director's or admin's whole month (`staff`: every worker's
//! score with its arithmetic) and one worker's own month (`mine`, what a worker opens).
//! Both include the scoring run each view makes first (no tickets here, so it writes
//! nothing) and the care counts from the demo's care objects.
//! `cargo run --release -p server --example bench_assessment` — the city on PostgreSQL
//! too when `BENCH_DATABASE_URL=postgres://…/postgres` is set (`tx_bench` is recreated).
#![recursion_limit = "256"]
#![allow(clippy::unwrap_used)]

use app::api::ports::AssessmentPort;
use app::domain::user::{Actor, Role, SessionUser, UserId};
use server::db::{Backend, Db};
use server::services::assessment::AssessmentService;
use std::time::{Duration, Instant};

const MONTH: &str = "2026-11";
const RUNS: usize = 5;

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// Numbers 1..=n as rows of `n` (both backends).
fn series(db: &Db, n: i64) -> String {
    match db.backend {
        Backend::Sqlite => format!(
            "WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < {n}) SELECT n FROM seq"
        ),
        Backend::Postgres => format!("SELECT n FROM generate_series(1, {n}) n"),
    }
}

/// `staff` workers on `staff / 5` (rounded up) new grids of 新华街社区 (five duties each), and
/// `entries` ledger entries spread over the twelve months of 2026.
async fn fill(db: &Db, staff: i64, entries: i64) {
    server::seed::demo(db).await.unwrap();
    let t = Instant::now();
    let community: i64 = sqlx::query_scalar("SELECT id FROM grids WHERE code = 'LJ-XHJ'")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    let grids = (staff + 4) / 5;
    let q = |s: String| {
        let pool = db.pool.clone();
        async move { sqlx::query(&s).execute(&pool).await.unwrap() }
    };
    q(format!(
        "INSERT INTO grids (parent_id, level, code, name, geometry, min_lat, min_lng, max_lat, max_lng)
         SELECT {community}, 3, 'B-' || n, '压测网格' || n, '{{}}', 0, 0, 0, 0 FROM ({}) s",
        series(db, grids)
    ))
    .await;
    q(format!(
        "INSERT INTO users (name, phone, password_hash, role, created_at)
         SELECT '压测' || n, '1' || (5000000000 + n), 'x', 'grid_worker', 0 FROM ({}) s",
        series(db, staff)
    ))
    .await;
    // Worker n serves grid B-((n-1)/5+1) with duty (n-1)%5.
    q(format!(
        "INSERT INTO grid_staff (grid_id, duty, user_id)
         SELECT g.id, CASE (n - 1) % 5 WHEN 0 THEN 'leader' WHEN 1 THEN 'police'
                WHEN 2 THEN 'manager' WHEN 3 THEN 'property' ELSE 'party_leader' END, u.id
         FROM ({}) s JOIN users u ON u.phone = '1' || (5000000000 + n)
         JOIN grids g ON g.code = 'B-' || ((n - 1) / 5 + 1)",
        series(db, staff)
    ))
    .await;
    let first: i64 = sqlx::query_scalar("SELECT MIN(id) FROM users WHERE name LIKE '压测%'")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    // Entry n: worker n % staff, month (n % 12) + 1, cards, rework and problems found.
    let month = match db.backend {
        Backend::Sqlite => "printf('2026-%02d', (n % 12) + 1)",
        Backend::Postgres => "'2026-' || lpad(((n % 12) + 1)::text, 2, '0')",
    };
    q(format!(
        "INSERT INTO assessment_ledger (worker_id, month, kind, points, reason, idem_key, created_at)
         SELECT {first} + (n % {staff}), {month},
                CASE n % 4 WHEN 0 THEN 'yellow_card' WHEN 1 THEN 'rework' WHEN 2 THEN 'found' ELSE 'red_card' END,
                CASE n % 4 WHEN 0 THEN -5 WHEN 1 THEN -2 WHEN 2 THEN 1 ELSE -10 END,
                '#' || n, 'bench:' || n, 0
         FROM ({}) s",
        series(db, entries)
    ))
    .await;
    q("ANALYZE".into()).await;
    println!(
        "  filled {staff} staff on {grids} grids and {entries} ledger entries in {:.1} s",
        t.elapsed().as_secs_f64()
    );
}

fn actor(id: i64, role: Role) -> Actor {
    Actor {
        user: Some(SessionUser {
            id: UserId(id),
            name: "bench".into(),
            phone_masked: String::new(),
            role,
            volunteer: false,
            party_member: false,
            grids: vec![],
            home: None,
            phone_verified: false,
            elder: false,
        }),
    }
}

async fn run(label: &str, db: &Db, staff: i64, entries: i64) {
    println!("## {label}");
    fill(db, staff, entries).await;
    let service = AssessmentService { db: db.clone() };
    let admin: i64 = sqlx::query_scalar("SELECT id FROM users WHERE role = 'admin' ORDER BY id")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    let worker: i64 = sqlx::query_scalar("SELECT MIN(id) FROM users WHERE name LIKE '压测%'")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM assessment_ledger WHERE month = $1")
        .bind(MONTH)
        .fetch_one(&db.pool)
        .await
        .unwrap();
    let mut base = Vec::new();
    let mut all = Vec::new();
    let mut one = Vec::new();
    let mut workers = 0;
    for _ in 0..RUNS {
        let t = Instant::now();
        let read = sqlx::query(
            "SELECT id, worker_id, kind, points, reason, ticket_id, created_at, corrects
             FROM assessment_ledger WHERE month = $1",
        )
        .bind(MONTH)
        .fetch_all(&db.pool)
        .await
        .unwrap();
        base.push(t.elapsed());
        assert_eq!(i64::try_from(read.len()).unwrap(), rows);

        let t = Instant::now();
        let months = service
            .staff(&actor(admin, Role::Admin), MONTH.into())
            .await
            .unwrap();
        all.push(t.elapsed());
        workers = months.iter().map(|c| c.workers.len()).sum::<usize>();

        let t = Instant::now();
        let mine = service
            .mine(&actor(worker, Role::GridWorker), MONTH.into())
            .await
            .unwrap();
        one.push(t.elapsed());
        assert!(!mine.score.dimensions.is_empty());
    }
    let (b, a, o) = (median(base), median(all), median(one));
    println!("  month {MONTH}: {rows} ledger rows, {workers} workers scored");
    println!("  | view | median | / baseline |");
    println!(
        "  | baseline: the month's ledger rows read once | {:.1} ms | 1.0 |",
        ms(b)
    );
    println!(
        "  | every worker's month (`staff`, admin) | {:.1} ms | {:.1} |",
        ms(a),
        ms(a) / ms(b)
    );
    println!(
        "  | one worker's own month (`mine`) | {:.1} ms | {:.1} |",
        ms(o),
        ms(o) / ms(b)
    );
}

#[tokio::main]
async fn main() {
    let dir = std::env::temp_dir().join(format!("tongxin-bench-as-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite://{}/bench.db", dir.display());
    let db = Db::connect(&url).await.unwrap();
    run(
        "SQLite: a street (128 staff, 20,000 entries)",
        &db,
        128,
        20_000,
    )
    .await;
    drop(db);
    std::fs::remove_dir_all(&dir).unwrap();

    if let Ok(base) = std::env::var("BENCH_DATABASE_URL") {
        let url = server::db::scratch_postgres(&base, "tx_bench")
            .await
            .unwrap();
        let db = Db::connect(&url).await.unwrap();
        run(
            "PostgreSQL: a city (10,000 staff, 2,000,000 entries)",
            &db,
            10_000,
            2_000_000,
        )
        .await;
        db.pool.close().await;
        server::db::drop_scratch(&base, "tx_bench").await.unwrap();
    }
}
