//! Cameras over the real router, against a local video platform speaking the published
//! HTTP API of the open-source GB/T 28181 platform (end2end/video-platform.mjs: MD5
//! sign-in, `access-token`, `{code, msg, data}`): a play address is fetched and the view
//! logged with its reason; the platform's refusals become clear messages; without a
//! platform the answer says so; another community's staff and residents get nothing.
#![allow(clippy::unwrap_used)]
use crate::common::{TestApp, count, in_xinhuajie_02, who};
use axum::http::StatusCode;
use serde_json::json;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

/// The local platform, killed when dropped.
struct Platform {
    child: Child,
    url: String,
}

impl Drop for Platform {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn platform() -> Platform {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../end2end/video-platform.mjs");
    let mut child = Command::new("node")
        .args([script, "--port", "0", "--no-stream"])
        .stdout(Stdio::piped())
        .spawn()
        .expect("node runs the local video platform");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let port = line.trim().strip_prefix("listening ").unwrap().to_owned();
    Platform {
        child,
        url: format!("http://127.0.0.1:{port}"),
    }
}

fn camera(name: &str, device: &str, channel: &str) -> serde_json::Value {
    let (lat, lng) = in_xinhuajie_02();
    json!({ "camera": { "id": null, "name": name, "lat": lat, "lng": lng, "site": null,
        "device_id": device, "channel_id": channel } })
}

const DEVICE: &str = "41100000001320000001";
/// A channel of that device the demo has not registered.
const CHANNEL: &str = "41100000001320000003";

#[tokio::test]
async fn a_camera_plays_from_the_platform_and_every_view_is_logged() {
    let p = platform();
    let app = TestApp::with_video(&p.url).await;
    let director = app.login(who::XHJ_DIRECTOR).await;
    let gw = app.login(who::GRID_WORKER).await;
    // Registering: a director of the community; codes checked; a channel once.
    let r = app
        .call_json(
            "cameras/save",
            camera("新华街口二号杆", DEVICE, CHANNEL),
            Some(&gw),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = app
        .call_json(
            "cameras/save",
            camera("新华街口二号杆", "123", CHANNEL),
            Some(&director),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let r = app
        .call_json(
            "cameras/save",
            camera("新华街口二号杆", DEVICE, CHANNEL),
            Some(&director),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let id = r.json().as_i64().unwrap().to_string();
    let r = app
        .call_json(
            "cameras/save",
            camera("重复", DEVICE, CHANNEL),
            Some(&director),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let unknown = app
        .call_json(
            "cameras/save",
            camera("未接入", DEVICE, "41100000001320000077"),
            Some(&director),
        )
        .await
        .json()
        .as_i64()
        .unwrap()
        .to_string();
    // The demo's nursing-home gate camera is on a device that is offline.
    let offline = count(
        &app,
        "SELECT id FROM cameras WHERE name = '夕阳红敬老院大门'",
    )
    .await
    .to_string();

    // Hers: the community's two demo cameras and the two new ones.
    let b = app.call("cameras/board", &[], Some(&gw)).await.json();
    assert_eq!(b["cameras"].as_array().unwrap().len(), 4);
    assert_eq!(b["provider"], p.url.as_str());

    // A reason is needed: a ticket that exists, or a note.
    let views = "SELECT COUNT(*) FROM camera_views";
    let r = app
        .call("cameras/play", &[("id", &id), ("note", " ")], Some(&gw))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let r = app
        .call(
            "cameras/play",
            &[("id", &id), ("ticket", "99999999"), ("note", "")],
            Some(&gw),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(count(&app, views).await, 0);

    // Watching for ticket 1: the platform's HLS address, and the view logged.
    let r = app
        .call(
            "cameras/play",
            &[("id", &id), ("ticket", "1"), ("note", "")],
            Some(&gw),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let hls = r.json()["hls"].as_str().unwrap().to_owned();
    assert_eq!(hls, format!("{}/rtp/{DEVICE}_{CHANNEL}/hls.m3u8", p.url));
    let me = count(
        &app,
        &format!("SELECT id FROM users WHERE phone = '{}'", who::GRID_WORKER),
    )
    .await;
    assert_eq!(
        count(
            &app,
            &format!(
                "SELECT COUNT(*) FROM camera_views WHERE camera_id = {id} AND user_id = {me}
            AND ticket_id = 1 AND outcome = 'ok'"
            )
        )
        .await,
        1
    );
    // Again, with the token it holds (no new sign-in is needed; the answer is the same).
    let r = app
        .call(
            "cameras/play",
            &[("id", &id), ("note", "夜间巡查")],
            Some(&gw),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);

    // The platform's refusals, in words a person can act on; each attempt logged.
    let r = app
        .call(
            "cameras/play",
            &[("id", &unknown), ("note", "巡查")],
            Some(&gw),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_GATEWAY, "{}", r.body);
    assert!(r.body.contains("CamErrNoDevice"), "{}", r.body);
    let r = app
        .call(
            "cameras/play",
            &[("id", &offline), ("note", "巡查")],
            Some(&gw),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_GATEWAY, "{}", r.body);
    assert!(r.body.contains("CamErrTimeout"), "{}", r.body);
    assert_eq!(count(&app, views).await, 4);
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM camera_views WHERE outcome LIKE '%通道不存在%'"
        )
        .await,
        1
    );

    // Another community's worker and a resident see none of it.
    let other = app.login(who::OTHER_GRID_WORKER).await;
    let b = app.call("cameras/board", &[], Some(&other)).await.json();
    let names: Vec<&str> = b["cameras"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, vec!["老街百货商场门口"]);
    let r = app
        .call(
            "cameras/play",
            &[("id", &id), ("note", "看看")],
            Some(&other),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let resident = app.login(who::RESIDENT).await;
    let r = app.call("cameras/board", &[], Some(&resident)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_wrong_platform_password_and_no_platform_are_said_plainly() {
    // No platform configured: the board says so; watching answers 503 with why.
    let app = TestApp::new().await;
    let director = app.login(who::XHJ_DIRECTOR).await;
    let id = app
        .call_json(
            "cameras/save",
            camera("新华街口二号杆", DEVICE, CHANNEL),
            Some(&director),
        )
        .await
        .json()
        .as_i64()
        .unwrap()
        .to_string();
    let b = app.call("cameras/board", &[], Some(&director)).await.json();
    assert_eq!(b["provider"], serde_json::Value::Null);
    let r = app
        .call(
            "cameras/play",
            &[("id", &id), ("note", "巡查")],
            Some(&director),
        )
        .await;
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE, "{}", r.body);
    assert!(r.body.contains("CamNoProvider"), "{}", r.body);
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM camera_views WHERE outcome = 'no_provider'"
        )
        .await,
        1
    );

    // A platform that refuses our sign-in (its password differs from ours).
    let p = platform();
    let app = TestApp::with_video_password(&p.url, "not-the-password").await;
    let director = app.login(who::XHJ_DIRECTOR).await;
    let id = app
        .call_json(
            "cameras/save",
            camera("新华街口二号杆", DEVICE, CHANNEL),
            Some(&director),
        )
        .await
        .json()
        .as_i64()
        .unwrap()
        .to_string();
    let r = app
        .call(
            "cameras/play",
            &[("id", &id), ("note", "巡查")],
            Some(&director),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_GATEWAY, "{}", r.body);
    assert!(r.body.contains("CamErrLogin"), "{}", r.body);
}
