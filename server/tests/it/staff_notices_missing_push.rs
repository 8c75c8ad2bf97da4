//! Staff notices with read receipts; lost-person notices with tips until found; Web
//! Push to a real HTTP receiver on this machine, which checks the VAPID signature
//! and decrypts each message as a browser would (RFC 8291, RFC 8292).
#![allow(clippy::unwrap_used)]
use crate::common::{self, count};
use axum::http::{HeaderMap, StatusCode};
use base64ct::{Base64UrlUnpadded, Encoding};
use common::{TestApp, who};
use serde_json::{Value, json};
use std::time::Duration;
use tokio::sync::mpsc;

fn notice(title: &str) -> Value {
    json!({ "input": { "title": title, "body": "今晚七点在新华街社区集合，分组入户走访独居老人。", "targets": [] } })
}

#[tokio::test]
async fn a_notice_reaches_the_areas_staff_and_its_sender_sees_who_read_it() {
    let app = TestApp::new().await;
    let director = app.login(who::XHJ_DIRECTOR).await;
    let worker = app.login(who::GRID_WORKER).await;
    let outsider = app.login(who::OTHER_GRID_WORKER).await;

    // Bad input: 422 in the user's language, nothing written.
    let before = count(&app, "SELECT COUNT(*) FROM notices").await;
    let long = "长".repeat(81);
    let r = app
        .call_json("notice/send", notice(&long), Some(&director))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("title"), "{}", r.body);
    // A director cannot write to another community's grids.
    let lj01 = app.state.db.grid_codes().await.unwrap()["LJ-LJ-01"].0;
    let r = app
        .call_json(
            "notice/send",
            json!({ "input": { "title": "x", "body": "y", "targets": [lj01] } }),
            Some(&director),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM notices").await, before);

    let r = app
        .call_json("notice/send", notice("今晚入户走访"), Some(&director))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let id = r.json().as_i64().unwrap();

    // The grid worker of 新华街02 has it, unread.
    let unread = app.call("notice/unread", &[], Some(&worker)).await.json();
    assert_eq!(unread, json!(1));
    let inbox = app.call("notice/inbox", &[], Some(&worker)).await.json();
    let line = inbox
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["id"] == json!(id))
        .unwrap()
        .clone();
    assert_eq!(line["read_at"], Value::Null);
    let recipients = line["recipients"].as_u64().unwrap();
    assert!(recipients >= 4, "the community's grid staff: {recipients}");
    assert_eq!(line["reads"], json!(0));

    // Opening it is the receipt; opening again keeps the first time.
    let d = app
        .call("notice/detail", &[("id", &id.to_string())], Some(&worker))
        .await;
    assert_eq!(d.status, StatusCode::OK, "{}", d.body);
    let d = d.json();
    let first = d["notice"]["read_at"].as_i64().unwrap();
    assert_eq!(d["receipts"], Value::Null, "receipts are the sender's");
    tokio::time::sleep(Duration::from_millis(5)).await;
    let again = app
        .call("notice/detail", &[("id", &id.to_string())], Some(&worker))
        .await
        .json();
    assert_eq!(again["notice"]["read_at"].as_i64().unwrap(), first);
    assert_eq!(
        app.call("notice/unread", &[], Some(&worker)).await.json(),
        json!(0)
    );

    // The sender sees every receipt, the unread first.
    let d = app
        .call("notice/detail", &[("id", &id.to_string())], Some(&director))
        .await
        .json();
    let rows = d["receipts"].as_array().unwrap();
    assert_eq!(rows.len() as u64, recipients);
    assert_eq!(d["notice"]["reads"], json!(1));
    let read: Vec<&Value> = rows.iter().filter(|r| !r["read_at"].is_null()).collect();
    assert_eq!(read.len(), 1);
    assert_eq!(read[0]["name"], json!("潘月丽"));
    assert!(rows.last().unwrap()["read_at"].is_i64(), "read ones last");

    // Staff of another community neither see nor open it; residents may not ask.
    let other = app.call("notice/inbox", &[], Some(&outsider)).await.json();
    assert!(
        other
            .as_array()
            .unwrap()
            .iter()
            .all(|n| n["id"] != json!(id))
    );
    let r = app
        .call("notice/detail", &[("id", &id.to_string())], Some(&outsider))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let resident = app.login(who::RESIDENT).await;
    let r = app.call("notice/inbox", &[], Some(&resident)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.call("notice/unread", &[], Some(&resident)).await.json(),
        json!(0)
    );
}

fn missing_fields<'a>(lat: &'a str, lng: &'a str) -> Vec<(&'static str, &'a str)> {
    vec![
        ("name", "王秀英"),
        ("age", "78"),
        (
            "description",
            "灰色棉袄，拄拐杖，说话带漯河口音，有轻度认知障碍",
        ),
        ("last_seen_place", "老街菜市场东门"),
        ("lat", lat),
        ("lng", lng),
    ]
}

#[tokio::test]
async fn a_lost_person_notice_gathers_tips_until_found() {
    let app = TestApp::new().await;
    let worker = app.login(who::GRID_WORKER).await;
    let resident = app.login(who::RESIDENT).await;
    let (lat, lng) = common::in_xinhuajie_02();
    let (lat_s, lng_s) = (lat.to_string(), lng.to_string());

    // Bad input: 422, nothing written; residents may not post.
    let mut bad = missing_fields(&lat_s, "");
    let r = app
        .multipart("/api/missing", &bad, &[], Some(&worker))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    bad = missing_fields(&lat_s, &lng_s);
    bad[1] = ("age", "七十八");
    let r = app
        .multipart("/api/missing", &bad, &[], Some(&worker))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("年龄"), "{}", r.body);
    let r = app
        .multipart(
            "/api/missing",
            &missing_fields(&lat_s, &lng_s),
            &[],
            Some(&resident),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM missing_persons").await, 0);

    let r = app
        .multipart(
            "/api/missing",
            &missing_fields(&lat_s, &lng_s),
            &[("photo", common::jpeg(7))],
            Some(&worker),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.json()["id"].as_i64().unwrap().to_string();

    // Anyone reads it, with its photo.
    let list = app.call("missing/list", &[], None).await.json();
    assert_eq!(list[0]["name"], json!("王秀英"));
    assert_eq!(list[0]["found_at"], Value::Null);
    let photo = list[0]["photos"][0].as_str().unwrap().to_owned();
    let img = app.get(&photo, None).await;
    assert_eq!(img.status, StatusCode::OK);

    // Tips: words or a photo, a position only as a pair; signed-in people only.
    let tips = format!("/api/missing/{id}/tips");
    let r = app
        .multipart(&tips, &[("text", " ")], &[], Some(&resident))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let r = app
        .multipart(
            &tips,
            &[("text", "看到了"), ("lat", "33.5")],
            &[],
            Some(&resident),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let r = app.multipart(&tips, &[("text", "看到了")], &[], None).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM missing_tips").await, 0);
    let r = app
        .multipart(
            &tips,
            &[
                ("text", "十分钟前在沙澧河边长椅上看到一位拄拐杖的老人"),
                ("lat", &lat_s),
                ("lng", &lng_s),
            ],
            &[("photo", common::jpeg(9))],
            Some(&resident),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let r = app
        .multipart(&tips, &[], &[("photo", common::jpeg(11))], Some(&resident))
        .await;
    assert_eq!(
        r.status,
        StatusCode::CREATED,
        "a photo alone is a tip: {}",
        r.body
    );

    // The resident sees how many they sent, not the tips; staff see them all.
    let mine = app
        .call("missing/detail", &[("id", &id)], Some(&resident))
        .await
        .json();
    assert_eq!(mine["tips"], Value::Null);
    assert_eq!(mine["tips_sent"], json!(2));
    let staff = app
        .call("missing/detail", &[("id", &id)], Some(&worker))
        .await
        .json();
    let list = staff["tips"].as_array().unwrap();
    assert_eq!(list.len(), 2);
    let placed = list.iter().find(|t| !t["at"].is_null()).unwrap();
    assert!((placed["at"]["lat"].as_f64().unwrap() - lat).abs() < 1e-9);
    assert_eq!(placed["photos"].as_array().unwrap().len(), 1);
    assert!(
        placed["sender_phone"].as_str().unwrap().contains("****"),
        "{placed}"
    );

    // Found: closed once; no more tips.
    let r = app
        .call(
            "missing/close",
            &[("id", &id), ("note", "在沙澧河边找到，已送回家")],
            Some(&resident),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = app
        .call(
            "missing/close",
            &[("id", &id), ("note", "在沙澧河边找到，已送回家")],
            Some(&worker),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = app
        .call("missing/close", &[("id", &id), ("note", "")], Some(&worker))
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let r = app
        .multipart(&tips, &[("text", "又看到了")], &[], Some(&resident))
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let d = app
        .call("missing/detail", &[("id", &id)], None)
        .await
        .json();
    assert!(d["missing"]["found_at"].is_i64());
    assert_eq!(
        d["missing"]["found_note"],
        json!("在沙澧河边找到，已送回家")
    );
}

/// A push service on this machine: it answers 201, or 410 for paths ending in
/// `/gone`, and hands on what it received.
async fn push_service() -> (u16, mpsc::UnboundedReceiver<(String, HeaderMap, Vec<u8>)>) {
    let (tx, rx) = mpsc::unbounded_channel();
    let router = axum::Router::new().route(
        "/push/{who}",
        axum::routing::post(
            move |axum::extract::Path(who): axum::extract::Path<String>,
                  headers: HeaderMap,
                  body: axum::body::Bytes| {
                let tx = tx.clone();
                async move {
                    let gone = who == "gone";
                    let _ = tx.send((who, headers, body.to_vec()));
                    if gone {
                        StatusCode::GONE
                    } else {
                        StatusCode::CREATED
                    }
                }
            },
        ),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    (port, rx)
}

// RFC 8291, appendix A: the browser's key pair and authentication secret.
const UA_PRIVATE: &str = "q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94";
const UA_PUBLIC: &str =
    "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4";
const UA_AUTH: &str = "BTBZMqHH6r4Tts7J_aSIgg";

fn subscription(endpoint: &str) -> Value {
    json!({ "keys": { "endpoint": endpoint, "p256dh": UA_PUBLIC, "auth": UA_AUTH } })
}

/// Checks the VAPID header against the server's public key and decrypts the body.
fn open(headers: &HeaderMap, body: Vec<u8>, server_key: &[u8], port: u16) -> Value {
    use web_push_native::jwt_simple::prelude::*;
    assert_eq!(headers["content-encoding"], "aes128gcm");
    assert_eq!(headers["urgency"], "high");
    assert!(headers["ttl"].to_str().unwrap().parse::<u64>().unwrap() > 0);
    let auth = headers["authorization"].to_str().unwrap();
    let rest = auth.strip_prefix("vapid t=").unwrap();
    let (token, k) = rest.split_once(", k=").unwrap();
    assert_eq!(Base64UrlUnpadded::decode_vec(k).unwrap(), server_key);
    let pk = ES256PublicKey::from_bytes(server_key).unwrap();
    let _ = port;
    let options = VerificationOptions {
        // The library names the origin without its port (push services use 443).
        allowed_audiences: Some(HashSet::from_strings(&["http://127.0.0.1"])),
        ..Default::default()
    };
    let claims = pk
        .verify_token::<NoCustomClaims>(token, Some(options))
        .unwrap();
    assert!(claims.subject.unwrap().starts_with("mailto:"));
    let secret = web_push_native::p256::SecretKey::from_slice(
        &Base64UrlUnpadded::decode_vec(UA_PRIVATE).unwrap(),
    )
    .unwrap();
    let auth =
        web_push_native::Auth::clone_from_slice(&Base64UrlUnpadded::decode_vec(UA_AUTH).unwrap());
    let plain = web_push_native::decrypt(body, &secret, &auth).unwrap();
    serde_json::from_slice(&plain).unwrap()
}

async fn next_push(
    rx: &mut mpsc::UnboundedReceiver<(String, HeaderMap, Vec<u8>)>,
) -> (String, HeaderMap, Vec<u8>) {
    tokio::time::timeout(Duration::from_secs(10), rx.recv())
        .await
        .expect("a push within 10 s")
        .unwrap()
}

#[tokio::test]
async fn alerts_and_lost_person_notices_are_pushed_encrypted_and_signed() {
    let app = TestApp::new().await;
    let (port, mut rx) = push_service().await;
    let key: Vec<u8> = app
        .call("push/key", &[], None)
        .await
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap() as u8)
        .collect();
    assert_eq!(key.len(), 65, "an uncompressed P-256 point");
    let resident = app.login(who::RESIDENT).await;

    // Bad subscriptions: 422, nothing stored.
    for bad in [
        subscription("http://push.example/1"),
        json!({ "keys": { "endpoint": format!("http://127.0.0.1:{port}/push/x"), "p256dh": "AAAA", "auth": UA_AUTH } }),
        json!({ "keys": { "endpoint": format!("http://127.0.0.1:{port}/push/x"), "p256dh": UA_PUBLIC, "auth": "c2hvcnQ" } }),
    ] {
        let r = app.call_json("push/subscribe", bad, Some(&resident)).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    }
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM push_subscriptions").await,
        0
    );

    let endpoint = format!("http://127.0.0.1:{port}/push/resident");
    let r = app
        .call_json("push/subscribe", subscription(&endpoint), Some(&resident))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    // Subscribing again is harmless; a browser the push service forgot is dropped.
    app.call_json("push/subscribe", subscription(&endpoint), Some(&resident))
        .await;
    let gone = format!("http://127.0.0.1:{port}/push/gone");
    let other = app.login(who::OTHER_RESIDENT).await;
    app.call_json("push/subscribe", subscription(&gone), Some(&other))
        .await;
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM push_subscriptions").await,
        2
    );

    // A street-wide alert reaches both browsers.
    let admin = app.login(who::ADMIN).await;
    let a = app
        .call_json(
            "alert/publish",
            json!({ "input": { "title": "暴雪预警", "body": "今夜有暴雪，请减少外出。", "category": "Met",
                "urgency": "Expected", "severity": "Severe", "certainty": "Likely",
                "expires_in_min": 600, "targets": [], "follow_up_after_min": 10 } }),
            Some(&admin),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    let alert_id = a.json()["id"].as_i64().unwrap();
    let mut got = vec![next_push(&mut rx).await, next_push(&mut rx).await];
    got.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(got[0].0, "gone");
    let (_, headers, body) = got.pop().unwrap();
    let m = open(&headers, body, &key, port);
    assert_eq!(m["title"], json!("暴雪预警"));
    assert_eq!(m["url"], json!(format!("/alerts/{alert_id}")));
    // The push service said 410: that subscription is gone.
    let mut left = 2;
    for _ in 0..50 {
        left = count(&app, "SELECT COUNT(*) FROM push_subscriptions").await;
        if left == 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(left, 1);

    // A lost-person notice is pushed to every subscribed browser.
    let worker = app.login(who::GRID_WORKER).await;
    let r = app
        .multipart("/api/missing", &missing_fields("", ""), &[], Some(&worker))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let (who, headers, body) = next_push(&mut rx).await;
    assert_eq!(who, "resident");
    let m = open(&headers, body, &key, port);
    assert!(m["title"].as_str().unwrap().contains("王秀英"), "{m}");

    // Unsubscribed: nothing more arrives.
    let r = app
        .call_json(
            "push/unsubscribe",
            json!({ "endpoint": endpoint }),
            Some(&resident),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM push_subscriptions").await,
        0
    );
}
