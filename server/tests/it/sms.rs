//! SMS where push can't reach, against a local provider (end2end/sms-provider.mjs)
//! that checks each request's signature exactly as Alibaba Cloud and Tencent Cloud
//! publish their schemes and answers as they do, failures and receipts included:
//! an alert's unopened residents, and only they, get it once by SMS at its set time;
//! receipts pushed back count in coverage; refusals are recorded, retried within
//! limits and reported; receipts need the secret address.
#![allow(clippy::unwrap_used)]
use crate::common::sms::{LocalProvider, TOKEN};
use crate::common::{TestApp, count, who};
use axum::http::StatusCode;
use serde_json::{Value, json};
use server::services::sms::Provider;
use std::collections::BTreeSet;

/// An app with the demo street whose SMS goes to a local provider that pushes its
/// receipts back to the app over HTTP.
async fn setup(provider: Provider, secret: Option<&str>) -> (TestApp, LocalProvider) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let local = LocalProvider::start(Some(&format!("http://{addr}")), 50);
    let right = match provider {
        Provider::Aliyun => "tongxin-aliyun-secret",
        Provider::Tencent => "tongxin-tencent-key",
    };
    let app = TestApp::with_sms(local.config(provider, secret.unwrap_or(right), 50)).await;
    app.serve(listener);
    (app, local)
}

fn alert_input(targets: Vec<i64>) -> Value {
    json!({ "input": {
        "title": "暴雪预警",
        "body": "今夜至明晨有暴雪，请减少外出，关好门窗；独居老人请保持电话畅通。",
        "category": "Met", "urgency": "Expected", "severity": "Severe", "certainty": "Likely",
        "expires_in_min": 720, "targets": targets, "follow_up_after_min": 10,
    }})
}

/// A receipt push from the provider to `path` on our server.
async fn post_receipts(app: &TestApp, path: &str, body: &'static str) -> crate::common::Reply {
    app.request(
        axum::http::Request::post(path)
            .header("content-type", "application/json")
            .body(axum::body::Body::from(body))
            .unwrap(),
    )
    .await
}

async fn xhj02(app: &TestApp) -> i64 {
    app.state.db.grid_codes().await.unwrap()["LJ-XHJ-02"].0
}

/// The mobile numbers registered in a grid.
async fn mobiles(app: &TestApp, grid: i64) -> BTreeSet<String> {
    let all: Vec<String> = sqlx::query_scalar("SELECT phone FROM residents WHERE grid_id = $1")
        .bind(grid)
        .fetch_all(&app.state.db.pool)
        .await
        .unwrap();
    all.into_iter()
        .filter(|p| p.len() == 11 && p.starts_with('1') && p.bytes().all(|b| b.is_ascii_digit()))
        .collect()
}

async fn coverage_row(app: &TestApp, cookie: &str, alert: &str, grid: i64) -> Value {
    let c = app
        .call("alert/coverage", &[("id", alert)], Some(cookie))
        .await;
    assert_eq!(c.status, StatusCode::OK, "{}", c.body);
    let c = c.json();
    c["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["grid"] == grid)
        .cloned()
        .map(|mut r| {
            r["sms_on"] = c["sms_on"].clone();
            r["sms_error"] = c["sms_error"].clone();
            r
        })
        .unwrap()
}

async fn published(app: &TestApp, grid: i64) -> (String, i64) {
    let director = app.login(who::XHJ_DIRECTOR).await;
    let r = app
        .call_json("alert/publish", alert_input(vec![grid]), Some(&director))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let a = r.json();
    (a["id"].to_string(), a["sent_at"].as_i64().unwrap())
}

#[tokio::test]
async fn unopened_residents_get_the_alert_once_by_sms_and_receipts_count() {
    let (app, local) = setup(Provider::Aliyun, None).await;
    let grid = xhj02(&app).await;
    let (id, sent_at) = published(&app, grid).await;
    // 陈桂兰 (a verified account living there) opens it in the app.
    let chen = app.login(who::RESIDENT).await;
    let d = app.call("alert/detail", &[("id", &id)], Some(&chen)).await;
    assert_eq!(d.status, StatusCode::OK, "{}", d.body);
    let director = app.login(who::XHJ_DIRECTOR).await;
    let before = coverage_row(&app, &director, &id, grid).await;
    assert_eq!(before["sms_on"], true);
    assert_eq!(before["sms_sent"], 0);

    // Before its time, nothing goes out.
    let r = app.state.sms.tick(sent_at + 4 * 60_000).await.unwrap();
    assert_eq!(r.handed, 0);
    assert!(local.sent().await.is_empty());
    // At five minutes: every registered mobile of the grid but hers, each once.
    let r = app.state.sms.tick(sent_at + 5 * 60_000).await.unwrap();
    let mut expected = mobiles(&app, grid).await;
    assert!(expected.remove(who::RESIDENT), "she is registered there");
    assert!(expected.len() > 10);
    assert_eq!(r.handed, expected.len());
    let sent = local.sent().await;
    let phones: BTreeSet<String> = sent
        .iter()
        .map(|m| m["phone"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(phones, expected);
    assert_eq!(sent.len(), expected.len(), "one message per number");
    assert_eq!(sent[0]["params"]["title"], "暴雪预警");
    assert_eq!(sent[0]["sign"], "老街街道");
    // Later rounds send nothing more.
    let r = app.state.sms.tick(sent_at + 6 * 60_000).await.unwrap();
    assert_eq!(r.handed, 0);
    assert_eq!(local.sent().await.len(), expected.len());

    // The provider's receipts come back over HTTP: numbers ending 0004 (the
    // provider's undeliverable ones) fail, the rest arrive.
    let undeliverable = expected.iter().filter(|p| p.ends_with("0004")).count() as i64;
    local.post("/_receipts/flush", json!({})).await;
    let delivered = expected.len() as i64 - undeliverable;
    let mut row = Value::Null;
    for _ in 0..100 {
        row = coverage_row(&app, &director, &id, grid).await;
        if row["sms_delivered"] == delivered {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(row["sms_sent"], expected.len() as i64);
    assert_eq!(row["sms_delivered"], delivered, "{row}");
    assert_eq!(row["sms_failed"], undeliverable);
    // Still unreached: registered people neither opened it, nor got the SMS, nor were
    // visited (those without a mobile number and those whose SMS failed).
    let targeted = row["targeted"].as_i64().unwrap();
    let shared: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) - COUNT(DISTINCT phone) FROM residents WHERE grid_id = $1 AND LENGTH(phone) = 11",
    )
    .bind(grid)
    .fetch_one(&app.state.db.pool)
    .await
    .unwrap();
    assert_eq!(shared, 0, "the demo's numbers are one per person");
    assert_eq!(row["unreached"], targeted - 1 - delivered, "{row}");
    assert_eq!(row["sms_error"], Value::Null);
}

#[tokio::test]
async fn refusals_are_retried_within_limits_and_reported() {
    let (app, local) = setup(Provider::Tencent, None).await;
    let grid = xhj02(&app).await;
    let (id, sent_at) = published(&app, grid).await;
    let director = app.login(who::XHJ_DIRECTOR).await;
    let expected = mobiles(&app, grid).await.len();
    // The provider is over its request rate once: the batch waits and goes later.
    local
        .post(
            "/_fail",
            json!({ "provider": "tencent", "code": "RequestLimitExceeded", "times": 1 }),
        )
        .await;
    let at = sent_at + 5 * 60_000;
    let r = app.state.sms.tick(at).await.unwrap();
    assert_eq!((r.handed, r.retrying), (0, expected));
    let row = coverage_row(&app, &director, &id, grid).await;
    assert_eq!(row["sms_sent"], 0);
    assert_eq!(row["sms_error"], "RequestLimitExceeded");
    // Not before its backoff…
    assert_eq!(app.state.sms.tick(at + 1_000).await.unwrap().handed, 0);
    // …then handed over, each number once (Tencent: up to 200 a request).
    let later = server::db::now_ms().max(at) + 31_000;
    let r = app.state.sms.tick(later).await.unwrap();
    assert_eq!(r.handed, expected);
    assert_eq!(local.sent().await.len(), expected);
    let row = coverage_row(&app, &director, &id, grid).await;
    assert_eq!(row["sms_sent"], expected as i64);
    assert_eq!(row["sms_error"], Value::Null);

    // A provider that keeps saying "later" is given up after five attempts.
    let (id2, sent2) = published(&app, grid).await;
    local
        .post(
            "/_fail",
            json!({ "provider": "tencent", "code": "InternalError", "times": 99 }),
        )
        .await;
    let mut t = sent2 + 5 * 60_000;
    for _ in 0..6 {
        app.state.sms.tick(t).await.unwrap();
        t = server::db::now_ms().max(t) + 10 * 60_000;
    }
    let attempts: Vec<i64> =
        sqlx::query_scalar("SELECT DISTINCT attempts FROM sms_messages WHERE ref_id = $1")
            .bind(id2.parse::<i64>().unwrap())
            .fetch_all(&app.state.db.pool)
            .await
            .unwrap();
    assert_eq!(attempts, vec![5]);
    let row = coverage_row(&app, &director, &id2, grid).await;
    assert_eq!(
        (row["sms_sent"].as_i64(), row["sms_failed"].as_i64()),
        (Some(0), Some(expected as i64))
    );
    assert_eq!(row["sms_error"], "InternalError");
    local.post("/_reset", json!({})).await;

    // Receipts need the secret address and a readable body.
    let push = |token: &'static str, body: &'static str| {
        let app = &app;
        async move { post_receipts(app, &format!("/api/sms/receipts/tencent/{token}"), body).await }
    };
    assert_eq!(push("guess", "[]").await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        push(TOKEN, "not json").await.status,
        StatusCode::BAD_REQUEST
    );
    let ok = push(TOKEN, "[]").await;
    assert_eq!(
        (ok.status, ok.body.as_str()),
        (StatusCode::OK, r#"{"result":0,"errmsg":"OK"}"#)
    );
}

#[tokio::test]
async fn a_wrong_secret_is_refused_by_the_provider_recorded_and_not_retried() {
    let (app, local) = setup(Provider::Aliyun, Some("not-the-secret")).await;
    let grid = xhj02(&app).await;
    let (id, sent_at) = published(&app, grid).await;
    let expected = mobiles(&app, grid).await.len();
    let r = app.state.sms.tick(sent_at + 5 * 60_000).await.unwrap();
    assert_eq!((r.handed, r.refused, r.retrying), (0, expected, 0));
    assert!(local.sent().await.is_empty());
    let director = app.login(who::XHJ_DIRECTOR).await;
    let row = coverage_row(&app, &director, &id, grid).await;
    assert_eq!(row["sms_error"], "SignatureDoesNotMatch");
    assert_eq!(row["sms_failed"], expected as i64);
    // Nothing is tried again.
    let r = app.state.sms.tick(sent_at + 60 * 60_000).await.unwrap();
    assert_eq!(r.handed + r.refused + r.retrying, 0);
}

/// The admin's form as JSON, pointing at the local provider.
fn form(local: &LocalProvider, secret: &str, after_min: i64) -> Value {
    json!({ "settings": {
        "provider": "aliyun", "url": local.url, "key_id": "LTAItestkey0001",
        "secret": secret, "sign_name": "老街街道", "template": "SMS_0001",
        "app_id": "", "region": "", "rate": 50, "after_min": after_min,
        "new_receipt_address": false,
    }})
}

#[tokio::test]
async fn the_admin_sets_sms_up_on_a_page_tests_it_and_alerts_follow() {
    let local = LocalProvider::start(None, 50);
    let app = TestApp::new().await;
    let admin = app.login(who::ADMIN).await;
    let view = app.call("admin/sms", &[], Some(&admin)).await;
    assert_eq!(view.status, StatusCode::OK, "{}", view.body);
    assert_eq!(view.json()["source"], "None");
    assert!(!app.state.sms.switch.on());

    // Only admins.
    for who in [who::RESIDENT, who::DIRECTOR] {
        let c = app.login(who).await;
        assert_eq!(
            app.call("admin/sms", &[], Some(&c)).await.status,
            StatusCode::FORBIDDEN
        );
        let r = app
            .call_json("admin/save_sms", form(&local, "x", 5), Some(&c))
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
    }
    assert_eq!(
        app.call("admin/sms", &[], None).await.status,
        StatusCode::UNAUTHORIZED
    );

    // Bad input: the field named, in words, and nothing saved.
    let mut bad = form(&local, "tongxin-aliyun-secret", 5);
    bad["settings"]["template"] = json!("123456");
    let r = app.call_json("admin/save_sms", bad, Some(&admin)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(r.json()["Invalid"]["field"], "template");
    let mut bad = form(&local, "", 5);
    bad["settings"]["url"] = json!("http://sms.example.com");
    let r = app.call_json("admin/save_sms", bad, Some(&admin)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let r = app
        .call_json("admin/save_sms", form(&local, "", 5), Some(&admin))
        .await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a first save needs the secret"
    );
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM settings WHERE name = 'sms'").await,
        0
    );
    assert!(!app.state.sms.switch.on());

    // A wrong secret saves (nothing can tell until the provider answers); the test
    // message says so in plain words.
    let r = app
        .call_json(
            "admin/save_sms",
            form(&local, "not-the-secret", 3),
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let v = r.json();
    assert_eq!(
        (v["source"].as_str(), v["secret_set"].as_bool()),
        (Some("Saved"), Some(true))
    );
    assert!(
        !r.body.contains("not-the-secret"),
        "the secret is never sent back"
    );
    assert_eq!(v["settings"]["secret"], "");
    let receipt_path = v["receipt_path"].as_str().unwrap().to_owned();
    assert!(receipt_path.starts_with("/api/sms/receipts/aliyun/"));
    assert!(app.state.sms.switch.on(), "on at once");
    let t = app
        .call(
            "admin/sms_test",
            &[("phone", "138 0000 0001")],
            Some(&admin),
        )
        .await;
    assert_eq!(t.status, StatusCode::OK, "{}", t.body);
    assert_eq!(t.json()["to"], "138****0001");
    assert_eq!(t.json()["result"]["Err"], "SignatureDoesNotMatch");
    assert_eq!(
        app::domain::sms::explain("SignatureDoesNotMatch"),
        app::i18n::Msg::SmsWhySecret
    );
    assert!(local.sent().await.is_empty());

    // The right secret: the test message reaches the provider; a blank secret later
    // keeps it, and the receipt address stays the same unless a new one is asked for.
    let r = app
        .call_json(
            "admin/save_sms",
            form(&local, "tongxin-aliyun-secret", 3),
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = app
        .call_json("admin/save_sms", form(&local, "", 3), Some(&admin))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["receipt_path"], receipt_path.as_str());
    let t = app
        .call("admin/sms_test", &[("phone", "13800000001")], Some(&admin))
        .await;
    assert!(t.json()["result"]["Ok"].is_string(), "{}", t.body);
    let sent = local.sent().await;
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0]["phone"], "13800000001");
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM audit_log WHERE action = 'sms.test'"
        )
        .await,
        2
    );
    let t = app
        .call("admin/sms_test", &[("phone", "12345")], Some(&admin))
        .await;
    assert_eq!(t.status, StatusCode::UNPROCESSABLE_ENTITY);

    // Receipts come in at the address shown, and alerts go out after the admin's
    // three minutes.
    let ok = post_receipts(&app, &receipt_path, "[]").await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    let grid = xhj02(&app).await;
    let (_, sent_at) = published(&app, grid).await;
    assert_eq!(
        app.state
            .sms
            .tick(sent_at + 2 * 60_000)
            .await
            .unwrap()
            .handed,
        0
    );
    let r = app.state.sms.tick(sent_at + 3 * 60_000).await.unwrap();
    assert_eq!(r.handed, mobiles(&app, grid).await.len());

    // Saved settings outlive a restart; a new receipt address retires the old one.
    let again = server::services::sms::SmsService::start(&app.state.db, None)
        .await
        .unwrap();
    assert!(again.switch.on());
    let mut renew = form(&local, "", 3);
    renew["settings"]["new_receipt_address"] = json!(true);
    let r = app.call_json("admin/save_sms", renew, Some(&admin)).await;
    assert_ne!(r.json()["receipt_path"], receipt_path.as_str());
    let old = post_receipts(&app, &receipt_path, "[]").await;
    assert_eq!(old.status, StatusCode::NOT_FOUND);

    // Off: nothing is sent, and the test says to switch it on first.
    let mut off = form(&local, "", 3);
    off["settings"]["provider"] = json!("");
    let r = app.call_json("admin/save_sms", off, Some(&admin)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(!app.state.sms.switch.on());
    again.refresh().await.unwrap();
    assert!(
        !again.switch.on(),
        "another process takes the new settings up"
    );
    let t = app
        .call("admin/sms_test", &[("phone", "13800000001")], Some(&admin))
        .await;
    assert_eq!(t.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM audit_log WHERE action = 'sms.settings'"
        )
        .await,
        5
    );
}
