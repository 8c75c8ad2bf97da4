//! Map query benchmark: `Db::markers` (bounding box, at most 500 markers) on 1,000,000
//! tickets spread over a city, p50/p99 on SQLite and on PostgreSQL, against a
//! same-run baseline (`SELECT 1` through the same pool) and the design budget (p99 ≤ 20 ms).
//! The same table has the same-problem look-up a report makes once its place and
//! category are set (`Db::open_in_box` around a 50 m circle, every ticket of one category:
//! the worst case).
//! `cargo run --release -p server --example bench_map` — PostgreSQL too when
//! `BENCH_DATABASE_URL=postgres://…/postgres` is set (a `tx_bench` database is recreated).
#![recursion_limit = "256"]
#![allow(clippy::unwrap_used)]

use server::db::{Backend, Db};
use std::time::{Duration, Instant};

const TICKETS: i64 = 1_000_000;
const QUERIES: usize = 300;
/// The city: about 17 km × 23 km around Luohe.
const CITY: (f64, f64, f64, f64) = (33.50, 113.90, 33.65, 114.15);

fn pct(v: &[Duration], p: f64) -> Duration {
    let mut v = v.to_vec();
    v.sort();
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::cast_precision_loss
    )]
    let i = ((v.len() as f64 - 1.0) * p).round() as usize;
    v[i]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// A small deterministic generator, so both databases get the same viewports.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1);
        #[allow(clippy::cast_precision_loss)]
        let x = (self.0 >> 11) as f64 / (1u64 << 53) as f64;
        x
    }
}

async fn fill(db: &Db) {
    server::seed::demo(db).await.unwrap();
    let category: i64 = sqlx::query_scalar("SELECT id FROM categories WHERE code = 'public_order'")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    let (s, w, n, e) = CITY;
    let sql = match db.backend {
        Backend::Sqlite => format!(
            "WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < {TICKETS})
             INSERT INTO tickets (category_id, kind, reporter_id, status, description, lat, lng,
                created_at, updated_at, escalation)
             SELECT {category}, 'problem', 1,
               CASE abs(random()) % 5 WHEN 0 THEN 'pending' WHEN 1 THEN 'accepted'
                 WHEN 2 THEN 'in_progress' WHEN 3 THEN 'resolved' ELSE 'closed' END,
               'bench', {s} + (abs(random()) % 1000000) * {dl} / 1000000.0,
               {w} + (abs(random()) % 1000000) * {dg} / 1000000.0, n, n, 0 FROM seq",
            dl = n - s,
            dg = e - w
        ),
        Backend::Postgres => format!(
            "INSERT INTO tickets (category_id, kind, reporter_id, status, description, lat, lng,
                created_at, updated_at, escalation)
             SELECT {category}, 'problem', 1,
               (ARRAY['pending','accepted','in_progress','resolved','closed'])[1 + floor(random() * 5)::int],
               'bench', {s} + random() * {dl}, {w} + random() * {dg}, n, n, 0
             FROM generate_series(1, {TICKETS}) n",
            dl = n - s,
            dg = e - w
        ),
    };
    let t = Instant::now();
    sqlx::query(&sql).execute(&db.pool).await.unwrap();
    sqlx::query("ANALYZE").execute(&db.pool).await.unwrap();
    println!(
        "  filled {TICKETS} tickets in {:.1} s",
        t.elapsed().as_secs_f64()
    );
}

async fn run(label: &str, db: &Db) {
    println!("## {label}");
    fill(db).await;
    let category: i64 = sqlx::query_scalar("SELECT id FROM categories WHERE code = 'public_order'")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    let mut rng = Lcg(42);
    // Baseline: one round trip through the same pool.
    let mut base = Vec::new();
    for _ in 0..QUERIES {
        let t = Instant::now();
        let _: i64 = sqlx::query_scalar("SELECT 1")
            .fetch_one(&db.pool)
            .await
            .unwrap();
        base.push(t.elapsed());
    }
    let (s, w, n, e) = CITY;
    let cases: [(&str, f64, f64); 3] = [
        // A phone showing a few streets, a street office's screen, the whole city.
        ("phone viewport 0.01° × 0.01°", 0.01, 0.01),
        ("street viewport 0.03° × 0.04°", 0.03, 0.04),
        ("whole city", n - s, e - w),
    ];
    println!(
        "  baseline SELECT 1: p50 {:.3} ms, p99 {:.3} ms",
        ms(pct(&base, 0.5)),
        ms(pct(&base, 0.99))
    );
    println!(
        "  | viewport | markers (mean) | p50 | p99 | p99 / 20 ms budget | p50 / baseline p50 |"
    );
    for (name, dlat, dlng) in cases {
        let mut times = Vec::new();
        let mut total = 0usize;
        for _ in 0..QUERIES {
            let south = s + rng.next() * (n - s - dlat);
            let west = w + rng.next() * (e - w - dlng);
            let t = Instant::now();
            let m = db
                .markers((south, west, south + dlat, west + dlng), &Some(vec![]), 500)
                .await
                .unwrap();
            times.push(t.elapsed());
            total += m.len();
        }
        let (p50, p99) = (pct(&times, 0.5), pct(&times, 0.99));
        println!(
            "  | {name} | {} | {:.2} ms | {:.2} ms | {:.2} | {:.1} |",
            total / QUERIES,
            ms(p50),
            ms(p99),
            ms(p99) / 20.0,
            ms(p50) / ms(pct(&base, 0.5))
        );
    }
    // While reporting: open tickets of the category within 50 m of a random place.
    let mut times = Vec::new();
    let mut total = 0usize;
    for _ in 0..QUERIES {
        let at = app::domain::geo::LatLng::new(s + rng.next() * (n - s), w + rng.next() * (e - w));
        let bbox = app::domain::ticket::box_around(at, app::domain::ticket::NEARBY_M);
        let t = Instant::now();
        let found = db.open_in_box(category, bbox, None, 50).await.unwrap();
        times.push(t.elapsed());
        total += found.len();
    }
    let (p50, p99) = (pct(&times, 0.5), pct(&times, 0.99));
    println!(
        "  | same problem within 50 m (one category) | {} | {:.2} ms | {:.2} ms | {:.2} | {:.1} |",
        total / QUERIES,
        ms(p50),
        ms(p99),
        ms(p99) / 20.0,
        ms(p50) / ms(pct(&base, 0.5))
    );
}

#[tokio::main]
async fn main() {
    let dir = std::env::temp_dir().join(format!("tongxin-bench-map-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite://{}/bench.db", dir.display());
    let db = Db::connect(&url).await.unwrap();
    run("SQLite", &db).await;
    drop(db);
    std::fs::remove_dir_all(&dir).unwrap();

    if let Ok(base) = std::env::var("BENCH_DATABASE_URL") {
        let url = server::db::scratch_postgres(&base, "tx_bench")
            .await
            .unwrap();
        let db = Db::connect(&url).await.unwrap();
        run("PostgreSQL", &db).await;
        db.pool.close().await;
        server::db::drop_scratch(&base, "tx_bench").await.unwrap();
    }
}
