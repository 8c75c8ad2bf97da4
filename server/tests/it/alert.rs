//! Alerts over the real router: publishing reaches open pages at once and the inbox;
//! who may send where; answers and coverage; the follow-up of vulnerable residents
//! with audited phone numbers; replay after reconnecting; CAP 1.2 output; the
//! preview's audience (residents, pages open now); and, on PostgreSQL, a second
//! server process hearing what the first published and counted in its previews.
#![allow(clippy::unwrap_used)]
use crate::common;
use axum::http::StatusCode;
use common::{TestApp, who};
use serde_json::{Value, json};
use std::time::Duration;

fn blizzard(targets: Vec<i64>) -> Value {
    json!({ "input": {
        "title": "暴雪预警",
        "body": "今夜至明晨有暴雪，请减少外出，关好门窗。",
        "category": "Met",
        "urgency": "Expected",
        "severity": "Severe",
        "certainty": "Likely",
        "expires_in_min": 720,
        "targets": targets,
        "follow_up_after_min": 10,
    }})
}

async fn grid_id(app: &TestApp, code: &str) -> i64 {
    app.state
        .db
        .grid_codes()
        .await
        .unwrap()
        .get(code)
        .map_or_else(
            || {
                // Communities and the street are not in the level-3 index.
                -1
            },
            |g| g.0,
        )
}

async fn any_grid_id(app: &TestApp, code: &str) -> i64 {
    let id = grid_id(app, code).await;
    if id > 0 {
        return id;
    }
    app.state
        .db
        .list_grids()
        .await
        .unwrap()
        .into_iter()
        .find(|g| g.code == code)
        .unwrap()
        .id
        .0
}

pub(crate) async fn publish(app: &TestApp, cookie: &str, targets: Vec<i64>) -> Value {
    let r = app
        .call_json("alert/publish", blizzard(targets), Some(cookie))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.json()
}

async fn alert_count(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM alerts")
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn an_alert_reaches_open_pages_at_once_and_the_inbox() {
    let app = TestApp::new().await;
    let mut page = app.events(None).await;
    let admin = app.login(who::ADMIN).await;
    let sent = std::time::Instant::now();
    let a = publish(&app, &admin, vec![]).await;
    let data = page
        .next("alert", Duration::from_secs(2))
        .await
        .expect("the open page hears the alert");
    assert!(sent.elapsed() < Duration::from_secs(1));
    let live: Value = serde_json::from_str(&data).unwrap();
    assert_eq!(live["id"], a["id"]);
    assert_eq!(live["title"], "暴雪预警");
    // The whole street: every level-3 grid.
    assert_eq!(live["grids"].as_array().unwrap().len(), 12);
    assert_eq!(a["area"], "老街街道");

    let resident = app.login(who::RESIDENT).await;
    let inbox = app.call("alert/inbox", &[], Some(&resident)).await.json();
    assert_eq!(inbox[0]["alert"]["id"], a["id"]);
    assert_eq!(inbox[0]["answer"], Value::Null);
    // Anyone may read alerts; they are public notices.
    let public = app.call("alert/inbox", &[], None).await.json();
    assert_eq!(public[0]["alert"]["id"], a["id"]);
}

#[tokio::test]
async fn residents_see_the_alerts_for_their_own_grid() {
    let app = TestApp::new().await;
    let director = app.login(who::XHJ_DIRECTOR).await;
    // 新华街's director with no targets: her whole community.
    let xhj = publish(&app, &director, vec![]).await;
    assert_eq!(xhj["grids"].as_array().unwrap().len(), 3);
    assert_eq!(xhj["area"], "新华街社区");
    let admin = app.login(who::ADMIN).await;
    let bx = publish(&app, &admin, vec![any_grid_id(&app, "LJ-BX").await]).await;

    // 陈桂兰 lives in 新华街02: she gets 新华街's alert, not 滨西's.
    let chen = app.login(who::RESIDENT).await;
    let ids: Vec<Value> = app
        .call("alert/inbox", &[], Some(&chen))
        .await
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["alert"]["id"].clone())
        .collect();
    assert_eq!(ids, vec![xhj["id"].clone()]);
    // Someone the registry does not know sees every alert.
    let signup = app
        .call(
            "auth/signup",
            &[
                ("name", "新居民"),
                ("phone", "13812345678"),
                ("password", "tongxin-new-1"),
            ],
            None,
        )
        .await;
    assert_eq!(signup.status, StatusCode::OK);
    let cookie = common::session_cookie(&signup.headers).unwrap();
    let n = app.call("alert/inbox", &[], Some(&cookie)).await.json();
    assert_eq!(n.as_array().unwrap().len(), 2);
    let _ = bx;
}

#[tokio::test]
async fn who_may_send_where() {
    let app = TestApp::new().await;
    let bx = any_grid_id(&app, "LJ-BX").await;
    let xhj01 = grid_id(&app, "LJ-XHJ-01").await;
    let director = app.login(who::XHJ_DIRECTOR).await;
    let r = app
        .call_json("alert/publish", blizzard(vec![bx]), Some(&director))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["Invalid"]["field"], "targets");
    let ok = publish(&app, &director, vec![xhj01]).await;
    assert_eq!(ok["grids"], json!([xhj01]));
    for phone in [who::RESIDENT, who::GRID_WORKER, who::COORDINATOR] {
        let c = app.login(phone).await;
        let r = app
            .call_json("alert/publish", blizzard(vec![]), Some(&c))
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{phone}");
    }
    let r = app.call_json("alert/publish", blizzard(vec![]), None).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(alert_count(&app).await, 1);
}

async fn audience(app: &TestApp, cookie: &str, targets: Vec<i64>) -> Value {
    let r = app
        .call_json(
            "alert/audience",
            json!({ "targets": targets }),
            Some(cookie),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.json()
}

fn row_of(a: &Value, grid: i64) -> &Value {
    a["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["grid"] == grid)
        .unwrap_or_else(|| panic!("grid {grid} in {a}"))
}

#[tokio::test]
async fn the_preview_says_whom_an_alert_will_reach() {
    let app = TestApp::new().await;
    let director = app.login(who::XHJ_DIRECTOR).await;
    // No targets: her whole community, each grid with its registered residents.
    let a = audience(&app, &director, vec![]).await;
    assert_eq!(a["area"], "新华街社区");
    let rows = a["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 3);
    let mut sum = 0;
    for r in rows {
        assert_eq!(r["community"], "新华街社区");
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM residents WHERE grid_id = $1")
            .bind(r["grid"].as_i64().unwrap())
            .fetch_one(&app.state.db.pool)
            .await
            .unwrap();
        assert_eq!(r["residents"], n);
        assert_eq!(r["pages"], 0);
        sum += n;
    }
    assert!(sum > 0);
    assert_eq!(a["residents"], sum);
    assert_eq!(
        (a["pages"].clone(), a["pages_anywhere"].clone()),
        (json!(0), json!(0))
    );

    // A resident opens the app (counted in her home grid), and a signed-out page
    // (it shows every alert) too; the pages leave and are no longer counted.
    let home = app
        .state
        .db
        .home_grid(who::RESIDENT)
        .await
        .unwrap()
        .expect("the demo resident lives in a grid")
        .0;
    let resident = app.login(who::RESIDENT).await;
    let mine = app.events_from(Some(&resident), None).await.unwrap();
    let anon = app.events_from(None, None).await.unwrap();
    let admin = app.login(who::ADMIN).await;
    let street = audience(&app, &admin, vec![]).await;
    assert_eq!(street["rows"].as_array().unwrap().len(), 12);
    assert_eq!(row_of(&street, home)["pages"], 1);
    assert_eq!(street["pages"], 1);
    assert_eq!(street["pages_anywhere"], 1);
    drop((mine, anon));
    let street = audience(&app, &admin, vec![]).await;
    assert_eq!(
        (street["pages"].clone(), street["pages_anywhere"].clone()),
        (json!(0), json!(0))
    );

    // Outside her area: refused in words, before anything is sent.
    let bx = any_grid_id(&app, "LJ-BX").await;
    let r = app
        .call_json(
            "alert/audience",
            json!({ "targets": [bx] }),
            Some(&director),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["Invalid"]["field"], "targets");
    let r = app
        .call_json(
            "alert/audience",
            json!({ "targets": [999999] }),
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(alert_count(&app).await, 0);
}

#[tokio::test]
async fn bad_alerts_are_refused_and_write_nothing() {
    let app = TestApp::new().await;
    let admin = app.login(who::ADMIN).await;
    let cases = [
        ("title", json!("  ")),
        ("body", json!("")),
        ("expires_in_min", json!(0)),
        ("follow_up_after_min", json!(100_000)),
    ];
    for (field, value) in cases {
        let mut body = blizzard(vec![]);
        body["input"][field] = value;
        let r = app.call_json("alert/publish", body, Some(&admin)).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{field}");
        assert_eq!(r.json()["Invalid"]["field"], field);
    }
    let r = app
        .call_json("alert/publish", blizzard(vec![999_999]), Some(&admin))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let mut body = blizzard(vec![]);
    body["input"]["severity"] = json!("Apocalyptic");
    let r = app.call_json("alert/publish", body, Some(&admin)).await;
    assert!(r.status.is_client_error() || r.status.is_server_error());
    assert_eq!(alert_count(&app).await, 0);
}

#[tokio::test]
async fn answers_count_in_coverage_per_grid() {
    let app = TestApp::new().await;
    let admin = app.login(who::ADMIN).await;
    let a = publish(&app, &admin, vec![]).await;
    let id = a["id"].to_string();
    let chen = app.login(who::RESIDENT).await;
    let zhang = app.login("13903970003").await;
    // Her page got it, then she opened it, then answered.
    let r = app
        .call_json("alert/seen", json!({ "ids": [a["id"]] }), Some(&chen))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let d = app.call("alert/detail", &[("id", &id)], Some(&chen)).await;
    assert_eq!(d.status, StatusCode::OK);
    let answer = |who: String, answer: &'static str, note: &'static str| {
        let app = &app;
        let id = a["id"].clone();
        async move {
            app.call_json(
                "alert/answer",
                json!({ "id": id, "input": { "answer": answer, "note": note, "lat": 33.58, "lng": 114.02 } }),
                Some(&who),
            )
            .await
        }
    };
    assert_eq!(
        answer(chen.clone(), "Safe", "").await.status,
        StatusCode::OK
    );
    assert_eq!(
        answer(zhang.clone(), "NeedHelp", "家里停暖了，老人怕冷")
            .await
            .status,
        StatusCode::OK
    );
    let inbox = app.call("alert/inbox", &[], Some(&zhang)).await.json();
    assert_eq!(inbox[0]["answer"], "NeedHelp");
    assert_eq!(inbox[0]["note"], "家里停暖了，老人怕冷");

    let cov = app
        .call("alert/coverage", &[("id", &id)], Some(&admin))
        .await;
    assert_eq!(cov.status, StatusCode::OK, "{}", cov.body);
    let cov = cov.json();
    let xhj02 = grid_id(&app, "LJ-XHJ-02").await;
    let row = cov["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["grid"] == json!(xhj02))
        .unwrap()
        .clone();
    assert_eq!(row["targeted"], 62);
    assert_eq!(row["delivered"], 2);
    assert_eq!(row["opened"], 2);
    assert_eq!(row["confirmed"], 1);
    assert_eq!(row["need_help"], 1);
    assert_eq!(cov["total"]["targeted"], 724);
    // 潘月丽 serves 新华街02 only: she sees that row alone.
    let pan = app.login(who::GRID_WORKER).await;
    let mine = app
        .call("alert/coverage", &[("id", &id)], Some(&pan))
        .await
        .json();
    assert_eq!(mine["rows"].as_array().unwrap().len(), 1);
    // Bad answers.
    let r = app
        .call_json(
            "alert/answer",
            json!({ "id": a["id"], "input": { "answer": "Safe", "note": "长".repeat(501) } }),
            Some(&chen),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = app
        .call_json(
            "alert/answer",
            json!({ "id": a["id"], "input": { "answer": "Safe", "lat": 95.0, "lng": 114.0 } }),
            Some(&chen),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    // After it expires, nobody answers it any more.
    sqlx::query("UPDATE alerts SET expires_at = 0")
        .execute(&app.state.db.pool)
        .await
        .unwrap();
    assert_eq!(
        answer(chen, "Received", "").await.status,
        StatusCode::CONFLICT
    );
}

#[tokio::test]
async fn vulnerable_residents_who_have_not_confirmed_are_followed_up() {
    let app = TestApp::new().await;
    let admin = app.login(who::ADMIN).await;
    let xhj02 = grid_id(&app, "LJ-XHJ-02").await;
    let a = publish(&app, &admin, vec![xhj02]).await;
    let id = a["id"].to_string();
    let pan = app.login(who::GRID_WORKER).await;
    // Before the set time the list is closed.
    let early = app
        .call("alert/follow_ups", &[("id", &id)], Some(&pan))
        .await
        .json();
    assert_eq!(early["open"], false);
    assert_eq!(early["items"], json!([]));
    sqlx::query("UPDATE alerts SET follow_up_at = 0")
        .execute(&app.state.db.pool)
        .await
        .unwrap();
    let before = app.state.db.count_audit("alert.follow_up").await.unwrap();
    let list = app
        .call("alert/follow_ups", &[("id", &id)], Some(&pan))
        .await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    let items = list.json()["items"].as_array().unwrap().clone();
    // 陈桂兰 (alone, 75) and the 15 vulnerable people of the generated registry.
    assert_eq!(items.len(), 16);
    let chen = items.iter().find(|i| i["name"] == "陈桂兰").unwrap();
    // Her own grid's staff see the number to call; each read is in the audit log.
    assert_eq!(chen["phone"], "13903970001");
    assert_eq!(
        app.state.db.count_audit("alert.follow_up").await.unwrap(),
        before + 16
    );
    // A director sees the list, masked.
    let director = app.login(who::XHJ_DIRECTOR).await;
    let d = app
        .call("alert/follow_ups", &[("id", &id)], Some(&director))
        .await
        .json();
    assert!(
        d["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["phone"].as_str().unwrap().contains("****"))
    );
    // A grid worker of another grid does not see this alert's list at all.
    let other = app.login(who::OTHER_GRID_WORKER).await;
    let r = app
        .call("alert/follow_ups", &[("id", &id)], Some(&other))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    // She answers "safe" herself: off the list.
    let chen_cookie = app.login(who::RESIDENT).await;
    app.call_json(
        "alert/answer",
        json!({ "id": a["id"], "input": { "answer": "Safe" } }),
        Some(&chen_cookie),
    )
    .await;
    // 潘月丽 visits another and records it.
    let other_one = items.iter().find(|i| i["name"] != "陈桂兰").unwrap();
    let r = app
        .call_json(
            "alert/reach",
            json!({ "id": a["id"], "resident": other_one["resident"], "outcome": "Safe", "note": "上门查看，暖气正常" }),
            Some(&pan),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let after = app
        .call("alert/follow_ups", &[("id", &id)], Some(&pan))
        .await
        .json();
    let items = after["items"].as_array().unwrap();
    assert!(items.iter().all(|i| i["name"] != "陈桂兰"));
    let visited = items
        .iter()
        .find(|i| i["resident"] == other_one["resident"])
        .unwrap();
    assert_eq!(visited["outcome"], "Safe");
    assert_eq!(visited["outcome_by"], "潘月丽");
    // Those still to visit come first.
    assert_eq!(items.last().unwrap()["resident"], other_one["resident"]);
    let cov = app
        .call("alert/coverage", &[("id", &id)], Some(&pan))
        .await
        .json();
    assert_eq!(cov["rows"][0]["reached"], 1);
    // Someone outside the grid cannot record a visit.
    let r = app
        .call_json(
            "alert/reach",
            json!({ "id": a["id"], "resident": other_one["resident"], "outcome": "Safe", "note": "" }),
            Some(&other),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_reconnecting_page_gets_what_it_missed() {
    let app = TestApp::new().await;
    let admin = app.login(who::ADMIN).await;
    let first = publish(&app, &admin, vec![]).await;
    let second = publish(&app, &admin, vec![]).await;
    let mut page = app.events(Some(&first["id"].to_string())).await;
    let data = page.next("alert", Duration::from_secs(2)).await.unwrap();
    let live: Value = serde_json::from_str(&data).unwrap();
    assert_eq!(live["id"], second["id"]);
    // Withdrawn alerts are not replayed.
    let director = app.login(who::XHJ_DIRECTOR).await;
    let r = app
        .call(
            "alert/cancel",
            &[("id", &second["id"].to_string())],
            Some(&director),
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::FORBIDDEN,
        "a street alert is not hers to withdraw"
    );
    let r = app
        .call(
            "alert/cancel",
            &[("id", &second["id"].to_string())],
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let mut page = app.events(Some(&first["id"].to_string())).await;
    assert_eq!(page.next("alert", Duration::from_millis(500)).await, None);
}

#[tokio::test]
async fn cap_output_is_valid_cap_1_2() {
    let app = TestApp::new().await;
    let admin = app.login(who::ADMIN).await;
    let a = publish(&app, &admin, vec![any_grid_id(&app, "LJ-XHJ").await]).await;
    let feed = app.get("/cap/feed.atom", None).await;
    assert_eq!(feed.status, StatusCode::OK);
    assert!(
        feed.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/atom+xml")
    );
    let link = format!("/cap/alerts/{}.xml", a["id"]);
    assert!(feed.body.contains(&link), "{}", feed.body);
    let xml = app.get(&link, None).await;
    assert_eq!(xml.status, StatusCode::OK);
    common::cap::xmllint_cap(&xml.body).unwrap();
    assert!(xml.body.contains("暴雪预警"));
    // One polygon per targeted grid.
    assert_eq!(xml.body.matches("<polygon>").count(), 3);
    assert_eq!(
        app.get("/cap/alerts/99999.xml", None).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get("/cap/alerts/x.xml", None).await.status,
        StatusCode::NOT_FOUND
    );
}

/// On PostgreSQL an alert published through one server process reaches a page
/// connected to another: this test runs the real `tongxin` binary as the second.
#[tokio::test]
async fn a_second_server_process_hears_the_alert() {
    if common::backend_name() != "postgres" {
        eprintln!("skipped on SQLite: one process is the whole deployment there");
        return;
    }
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let app = TestApp::new().await;
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_tongxin"))
        .env("DATABASE_URL", &app.state.db.url)
        .env("TONGXIN_ADDR", format!("127.0.0.1:{port}"))
        .env("TONGXIN_SITE_ROOT", &app.state.config.site_root)
        .env("TONGXIN_TILES", "none")
        .env("TONGXIN_PHOTOS", &app.state.config.photos)
        .env("RUST_LOG", "warn")
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut stream = None;
    for _ in 0..100 {
        if let Ok(s) = tokio::net::TcpStream::connect(("127.0.0.1", port)).await {
            stream = Some(s);
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let mut s = stream.expect("second process listening");
    s.write_all(
        b"GET /api/events HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n",
    )
    .await
    .unwrap();
    let mut got = String::new();
    let mut buf = [0u8; 4096];
    // Wait for the response head before publishing.
    while !got.contains("\r\n\r\n") {
        let n = tokio::time::timeout(Duration::from_secs(5), s.read(&mut buf))
            .await
            .unwrap()
            .unwrap();
        got.push_str(&String::from_utf8_lossy(&buf[..n]));
    }
    assert!(got.starts_with("HTTP/1.1 200"), "{got}");
    let admin = app.login(who::ADMIN).await;
    // The other process's open page counts in this one's preview (signed out: a
    // page that shows every alert), within a second or so.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(3);
    loop {
        let a = audience(&app, &admin, vec![]).await;
        if a["pages_anywhere"] == 1 {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the other process's page is counted: {a}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let a = publish(&app, &admin, vec![]).await;
    let want = format!("\"id\":{}", a["id"]);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(2);
    while !got.contains(&want) {
        let n = tokio::time::timeout_at(deadline, s.read(&mut buf))
            .await
            .expect("the alert reaches the other process's page within 2 s")
            .unwrap();
        got.push_str(&String::from_utf8_lossy(&buf[..n]));
    }
    assert!(got.contains("event: alert"));
    child.kill().await.unwrap();
}
