//! SMS fallback benchmark: an alert for the whole street with 27,000 registered
//! residents, none of whom opened it, falls back to SMS: how long queueing them takes
//! (one INSERT … SELECT), and how fast the messages are handed to the local provider
//! (end2end/sms-provider.mjs, signatures checked) against the provider's request-rate
//! limit — messages a second over the ceiling `rate × numbers per request`. Both
//! providers (Alibaba Cloud: 1,000 numbers a request; Tencent Cloud: 200). On SQLite,
//! or on PostgreSQL when `TEST_DATABASE_URL` is set.
//!
//! ```text
//! cargo run --release -p server --example bench_sms
//! TEST_DATABASE_URL=postgres://…/postgres cargo run --release -p server --example bench_sms
//! ```
#![recursion_limit = "256"]
#![allow(clippy::unwrap_used)]
#[path = "../tests/it/common/mod.rs"]
mod common;

use common::sms::LocalProvider;
use common::{TestApp, who};
use serde_json::json;
use server::services::sms::Provider;
use std::time::Instant;

const RESIDENTS: usize = 27_000;
/// The provider's request-rate limit in the run (requests a second), and ours.
const RATE: u32 = 20;

/// Adds `RESIDENTS` residents with distinct mobile numbers to the demo's households,
/// spread over their grids.
async fn fill(app: &TestApp) {
    let homes: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT DISTINCT h.id, r.grid_id FROM households h JOIN residents r ON r.household_id = h.id
         ORDER BY h.id",
    )
    .fetch_all(&app.state.db.pool)
    .await
    .unwrap();
    let mut tx = app.state.db.pool.begin().await.unwrap();
    for chunk in (0..RESIDENTS).collect::<Vec<_>>().chunks(500) {
        let values: Vec<String> = chunk
            .iter()
            .map(|i| {
                let (h, g) = homes[i % homes.len()];
                format!("({h}, {g}, '居民{i}', '1370{i:07}', '', 0)")
            })
            .collect();
        sqlx::query(&format!(
            "INSERT INTO residents (household_id, grid_id, name, phone, tags, updated_at) VALUES {}",
            values.join(",")
        ))
        .execute(&mut *tx)
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
}

#[tokio::main]
async fn main() {
    println!(
        "| provider | residents | queued | queue (ms) | hand-over (s) | messages/s | requests/s (limit {RATE}) | of the ceiling |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|");
    for provider in [Provider::Aliyun, Provider::Tencent] {
        let local = LocalProvider::start(None, RATE);
        let secret = match provider {
            Provider::Aliyun => "tongxin-aliyun-secret",
            Provider::Tencent => "tongxin-tencent-key",
        };
        let app = TestApp::with_sms(local.config(provider, secret, RATE)).await;
        fill(&app).await;
        let total: i64 = sqlx::query_scalar("SELECT COUNT(DISTINCT phone) FROM residents")
            .fetch_one(&app.state.db.pool)
            .await
            .unwrap();
        let admin = app.login(who::ADMIN).await;
        let r = app
            .call_json(
                "alert/publish",
                json!({ "input": { "title": "暴雪预警", "body": "今夜至明晨有暴雪，请减少外出。",
                    "category": "Met", "urgency": "Expected", "severity": "Severe", "certainty": "Likely",
                    "expires_in_min": 720, "targets": [], "follow_up_after_min": 10 } }),
                Some(&admin),
            )
            .await;
        assert_eq!(r.status, axum::http::StatusCode::OK, "{}", r.body);
        let a = r.json();
        let (id, sent_at) = (a["id"].as_i64().unwrap(), a["sent_at"].as_i64().unwrap());
        let due = sent_at + 5 * 60_000;
        let t = Instant::now();
        let queued = app
            .state
            .db
            .plan_alert_sms(
                id,
                r#"[["title","暴雪预警"],["content","今夜至明晨有暴雪"]]"#,
                due,
            )
            .await
            .unwrap();
        let queue_ms = t.elapsed().as_secs_f64() * 1000.0;
        let t = Instant::now();
        let round = app.state.sms.send_due(due).await.unwrap();
        let secs = t.elapsed().as_secs_f64();
        let sent = local.sent().await.len();
        assert_eq!(round.handed, sent, "{round:?}");
        assert_eq!(
            round.retrying + round.refused,
            0,
            "never over the provider's limit: {round:?}"
        );
        let requests = sent.div_ceil(provider.batch());
        #[allow(clippy::cast_precision_loss)]
        let (per_s, req_s) = (sent as f64 / secs, requests as f64 / secs);
        let ceiling = f64::from(RATE) * provider.batch() as f64;
        println!(
            "| {} | {total} | {queued} | {queue_ms:.0} | {secs:.2} | {per_s:.0} | {req_s:.1} | {:.2} |",
            provider.as_str(),
            per_s / ceiling
        );
    }
}
