//! Sign-up benchmark: 1,000 volunteers press "我要报名" on one 20-seat shift at the same
//! moment, over real HTTP to a real server (in this process, on 127.0.0.1), on SQLite
//! or PostgreSQL. Checks that exactly 20 are seated and 980 waitlisted with places
//! 1…980 each given once, and that the database agrees; reports p50/p99/max latency
//! against a baseline measured in the same run (one sign-up at a time, 50 times).
//!
//! ```text
//! cargo run --release -p server --example bench_signups            # SQLite (temp file)
//! cargo run --release -p server --example bench_signups -- postgres://…/postgres
//! ```
//! With a PostgreSQL URL it makes (and drops) its own database next to the one given.
#![recursion_limit = "256"]
use std::error::Error;
use std::time::{Duration, Instant};

type Res<T> = Result<T, Box<dyn Error + Send + Sync>>;

const VOLUNTEERS: usize = 1000;
const SEATS: u32 = 20;
const BASELINE: usize = 50;

struct Server {
    base: String,
    db: server::db::Db,
}

async fn start(database_url: String) -> Res<Server> {
    let photos = std::env::temp_dir().join(format!("tongxin-bench-photos-{}", std::process::id()));
    let config = server::config::Config {
        addr: "127.0.0.1:0".parse()?,
        database_url,
        site_root: std::env::temp_dir(),
        tiles: app::domain::geo::TileProvider::None,
        demo: false,
        secure_cookies: false,
        photos: photos.to_string_lossy().into_owned(),
        push_local: false,
        live_max: 18_000,
        live_per_addr: 200,
        video: None,
        sms: None,
        test_clock: false,
    };
    let (router, state) = server::build(config).await?;
    server::seed::demo(&state.db).await?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    tokio::spawn(async move {
        let _ = axum::serve(
            listener,
            router.into_make_service_with_connect_info::<std::net::SocketAddr>(),
        )
        .await;
    });
    Ok(Server {
        base,
        db: state.db.clone(),
    })
}

async fn post(
    client: &reqwest::Client,
    s: &Server,
    endpoint: &str,
    form: &[(&str, String)],
    cookie: Option<&str>,
) -> Res<(u16, String, Option<String>)> {
    let mut req = client
        .post(format!("{}/api/{endpoint}", s.base))
        .header("origin", &s.base)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(serde_urlencoded::to_string(form)?);
    if let Some(c) = cookie {
        req = req.header("cookie", c);
    }
    let r = req.send().await?;
    let status = r.status().as_u16();
    let cookie = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("tongxin_session="))
        .and_then(|v| v.split(';').next())
        .map(str::to_owned);
    Ok((status, r.text().await?, cookie))
}

/// Makes `n` resident accounts (sharing the demo password's hash) and signs each in.
async fn accounts(
    client: &reqwest::Client,
    s: &Server,
    prefix: &str,
    n: usize,
) -> Res<Vec<String>> {
    use futures_util::StreamExt;
    let hash: String =
        sqlx::query_scalar("SELECT password_hash FROM users WHERE phone = '13903970001'")
            .fetch_one(&s.db.pool)
            .await?;
    for i in 0..n {
        s.db.insert_user(&server::db::user::NewUser {
            name: &format!("志愿者{i}"),
            phone: &format!("{prefix}{i:04}"),
            password_hash: &hash,
            role: app::domain::user::Role::Resident,
            volunteer: true,
            party_member: false,
            scope: None,
            phone_verified: true,
        })
        .await?;
    }
    let cookies: Vec<Res<String>> = futures_util::stream::iter(0..n)
        .map(|i| async move {
            let (status, body, cookie) = post(
                client,
                s,
                "auth/login",
                &[
                    ("phone", format!("{prefix}{i:04}")),
                    ("password", "tongxin2026".into()),
                ],
                None,
            )
            .await?;
            cookie.ok_or_else(|| format!("login {i}: {status} {body}").into())
        })
        .buffer_unordered(4)
        .collect()
        .await;
    cookies.into_iter().collect()
}

async fn new_shift(
    client: &reqwest::Client,
    s: &Server,
    coordinator: &str,
    capacity: u32,
    day: i64,
) -> Res<i64> {
    let grid = s.db.grid_codes().await?["LJ-XHJ-02"].0;
    let body = serde_json::json!({ "input": {
        "kind": "Patrol", "grid": grid, "team": null, "title": "红马甲夜间巡逻",
        "place": "新华街社区党群服务中心", "starts_at": app::domain::time::now_ms() + day * 86_400_000,
        "minutes": 120, "capacity": capacity, "min_seats": 2, "note": "",
        "cutoff_hours": 2
    }});
    let r = client
        .post(format!("{}/api/shift/create", s.base))
        .header("origin", &s.base)
        .header("cookie", coordinator)
        .header("content-type", "application/json")
        .body(body.to_string())
        .send()
        .await?;
    let ids: Vec<i64> = serde_json::from_str(&r.text().await?)?;
    ids.first().copied().ok_or_else(|| "no shift made".into())
}

fn pct(sorted: &[Duration], p: f64) -> Duration {
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::cast_precision_loss
    )]
    let i = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[i]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

async fn run(url: String, label: &str) -> Res<()> {
    let s = start(url).await?;
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(VOLUNTEERS + 64)
        .timeout(Duration::from_secs(120))
        .build()?;
    let (_, _, coordinator) = post(
        &client,
        &s,
        "auth/login",
        &[
            ("phone", "13903950010".into()),
            ("password", "tongxin2026".into()),
        ],
        None,
    )
    .await?;
    let coordinator = coordinator.ok_or("coordinator login")?;
    let t = Instant::now();
    let people = accounts(&client, &s, "1370000", VOLUNTEERS).await?;
    eprintln!(
        "{label}: {VOLUNTEERS} accounts signed in in {:.1} s",
        t.elapsed().as_secs_f64()
    );

    // Baseline: one sign-up at a time on an empty shift.
    let base_shift = new_shift(&client, &s, &coordinator, SEATS, 1).await?;
    let mut base = Vec::with_capacity(BASELINE);
    for c in people.iter().take(BASELINE) {
        let t = Instant::now();
        let (status, body, _) = post(
            &client,
            &s,
            "shift/signup",
            &[("id", base_shift.to_string())],
            Some(c),
        )
        .await?;
        base.push(t.elapsed());
        if status != 200 {
            return Err(format!("baseline sign-up: {status} {body}").into());
        }
    }
    base.sort();

    // The rush: everyone at once on a fresh 20-seat shift.
    // A different day, so the baseline's 50 seats do not overlap it.
    let shift = new_shift(&client, &s, &coordinator, SEATS, 2).await?;
    let start = Instant::now();
    let calls = people.iter().map(|c| {
        let (client, s) = (&client, &s);
        async move {
            let t = Instant::now();
            let r = post(
                client,
                s,
                "shift/signup",
                &[("id", shift.to_string())],
                Some(c),
            )
            .await;
            (t.elapsed(), r)
        }
    });
    let replies = futures_util::future::join_all(calls).await;
    let wall = start.elapsed();
    let mut seated = 0u32;
    let mut positions = Vec::new();
    let mut lat = Vec::with_capacity(VOLUNTEERS);
    for (d, r) in replies {
        let (status, body, _) = r?;
        if status != 200 {
            return Err(format!("sign-up: {status} {body}").into());
        }
        let v: serde_json::Value = serde_json::from_str(&body)?;
        match v["state"].as_str() {
            Some("Seated") => seated += 1,
            Some("Waiting") => positions.push(v["position"].as_u64().unwrap_or(0)),
            _ => return Err(format!("odd answer {body}").into()),
        }
        lat.push(d);
    }
    lat.sort();
    positions.sort_unstable();
    let expected: Vec<u64> = (1..=(VOLUNTEERS as u64 - u64::from(SEATS))).collect();
    let rows: i64 = sqlx::query_scalar(&format!(
        "SELECT COUNT(*) FROM shift_signups WHERE shift_id = {shift} AND state = 'seated'"
    ))
    .fetch_one(&s.db.pool)
    .await?;
    let waiting: i64 = sqlx::query_scalar(&format!(
        "SELECT COUNT(*) FROM shift_signups WHERE shift_id = {shift} AND state = 'waiting'"
    ))
    .fetch_one(&s.db.pool)
    .await?;
    let ok = seated == SEATS && positions == expected && rows == i64::from(SEATS) && waiting == 980;
    println!(
        "| {label} | {seated} | {} | {} | {:.1} | {:.1} | {:.1} | {:.1} | {:.2} | {} |",
        positions.len(),
        if positions == expected {
            "1…980 once each"
        } else {
            "WRONG"
        },
        ms(pct(&lat, 0.5)),
        ms(pct(&lat, 0.99)),
        ms(lat[lat.len() - 1]),
        ms(pct(&base, 0.5)),
        wall.as_secs_f64(),
        if ok { "yes" } else { "NO" }
    );
    println!(
        "|   ratio to the one-at-a-time baseline p50 | | | | {:.0}× | {:.0}× | | 1× | | |",
        ms(pct(&lat, 0.5)) / ms(pct(&base, 0.5)),
        ms(pct(&lat, 0.99)) / ms(pct(&base, 0.5))
    );
    if ok {
        Ok(())
    } else {
        Err("seats or waitlist wrong".into())
    }
}

#[tokio::main]
async fn main() -> Res<()> {
    let arg = std::env::args().nth(1);
    println!(
        "| backend | seated | waitlisted | places | p50 ms | p99 ms | max ms | baseline p50 ms | wall s | exact |"
    );
    println!("|---|---:|---:|---|---:|---:|---:|---:|---:|---|");
    match arg {
        Some(base) if base.starts_with("postgres") => {
            use sqlx::Connection;
            let name = format!("tx_bench_signups_{}", std::process::id());
            let mut admin = sqlx::PgConnection::connect(&base).await?;
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(&mut admin)
                .await?;
            let (prefix, _) = base.rsplit_once('/').ok_or("bad url")?;
            let r = run(format!("{prefix}/{name}"), "PostgreSQL").await;
            // The server's pool still holds connections: force them off.
            let _ = sqlx::query(&format!("DROP DATABASE {name} WITH (FORCE)"))
                .execute(&mut admin)
                .await;
            r
        }
        _ => {
            let dir = tempdir()?;
            run(format!("sqlite://{}/bench.db", dir.display()), "SQLite").await
        }
    }
}

fn tempdir() -> Res<std::path::PathBuf> {
    let d = std::env::temp_dir().join(format!("tongxin-bench-signups-{}", std::process::id()));
    std::fs::create_dir_all(&d)?;
    Ok(d)
}
