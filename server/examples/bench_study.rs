//! Study pages benchmark: the server-side render of `/study` (points against caps, streak,
//! ranks and rankings with 300 members holding points, the ledger) and of a lesson page
//! (Markdown rendered and sanitised on every request), against the home page `/`
//! rendered by the same router in the same run. Sequential, in-process (the integration
//! tests' harness), on SQLite, or on PostgreSQL when `TEST_DATABASE_URL` is set.
//!
//! ```text
//! cargo run --release -p server --example bench_study
//! TEST_DATABASE_URL=postgres://…/postgres cargo run --release -p server --example bench_study
//! ```
//! It guards against the page re-creating its resources in a loop (a /study render once
//! took 5 s of CPU that way), which a ratio near 1 rules out.
#![recursion_limit = "256"]
#![allow(clippy::unwrap_used)]
#[path = "../tests/it/common/mod.rs"]
mod common;
#[path = "timing/mod.rs"]
mod timing;

use app::domain::study::{Activity, day_number};
use axum::http::StatusCode;
use common::{TestApp, who};
use timing::{ms, pct};

const MEMBERS: usize = 300;
const RUNS: usize = 200;

#[tokio::main]
async fn main() {
    let app = TestApp::new().await;
    let db = &app.state.db;
    let hash: String =
        sqlx::query_scalar("SELECT password_hash FROM users WHERE phone = '13903970001'")
            .fetch_one(&db.pool)
            .await
            .unwrap();
    let now = server::db::now_ms();
    let today = day_number(now);
    for i in 0..MEMBERS {
        let id = db
            .insert_user(&server::db::user::NewUser {
                name: &format!("党员{i}"),
                phone: &format!("1390399{i:04}"),
                password_hash: &hash,
                role: app::domain::user::Role::Resident,
                volunteer: false,
                party_member: true,
                scope: None,
                phone_verified: true,
            })
            .await
            .unwrap();
        // A few days of sign-ins each, so rankings, ranks and streaks have work to do.
        for d in 0..(i % 5 + 1) {
            let day = today - i64::try_from(d).unwrap();
            db.award_points(&server::db::study::Award {
                user: id,
                activity: Activity::SignIn,
                points: 1,
                cap: 1,
                reason: "每日签到",
                reference: &format!("day:{day}"),
                day,
                at: now - i64::try_from(d).unwrap() * 86_400_000,
            })
            .await
            .unwrap();
        }
    }
    let member = app.login(who::OTHER_RESIDENT).await;
    let r = app.call("study/signin", &[], Some(&member)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let lesson: i64 = sqlx::query_scalar("SELECT MIN(id) FROM lessons")
        .fetch_one(&db.pool)
        .await
        .unwrap();

    // Warm up every path once, then measure.
    for path in ["/", "/study", &format!("/study/lessons/{lesson}")] {
        app.get(path, Some(&member)).await;
    }
    let home = timing::time(&app, RUNS, "/", &member, "<main").await;
    let study = timing::time(&app, RUNS, "/study", &member, "data-test=\"points-total\"").await;
    let lesson_page = timing::time(
        &app,
        RUNS,
        &format!("/study/lessons/{lesson}"),
        &member,
        "data-test=\"lesson-body\"",
    )
    .await;

    let backend = if std::env::var("TEST_DATABASE_URL").is_ok() {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    println!("{backend}, {MEMBERS} members with points, {RUNS} sequential renders each");
    println!("| page | p50 ms | p99 ms | max ms | p50 ratio to `/` |");
    println!("|---|---:|---:|---:|---:|");
    let base = ms(pct(&home, 0.5));
    for (name, t) in [
        ("`/` (baseline)", &home),
        ("`/study`", &study),
        ("`/study/lessons/:id`", &lesson_page),
    ] {
        println!(
            "| {name} | {:.2} | {:.2} | {:.2} | {:.2} |",
            ms(pct(t, 0.5)),
            ms(pct(t, 0.99)),
            ms(pct(t, 1.0)),
            ms(pct(t, 0.5)) / base
        );
    }
}
