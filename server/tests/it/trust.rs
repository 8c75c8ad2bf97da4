//! Issue 15, "trust": what one user must not be able to do to others, each found by
//! a probe and tried again here the way the probe did it — on SQLite and PostgreSQL.
#![allow(clippy::unwrap_used)]
use crate::common::{TestApp, count, in_xinhuajie_02, jpeg, session_cookie, who};
use crate::ticket::{act, category_id, detail, key, reported};
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use serde_json::{Value, json};
use std::net::SocketAddr;

fn addr(last: u8) -> SocketAddr {
    SocketAddr::from(([203, 0, 113, last], 40_000))
}

// ---- 2. A phone number typed at sign-up proves nothing -------------------------

async fn confirm(app: &TestApp, resident: &str, how: &str, cookie: &str) -> crate::common::Reply {
    app.call(
        "resident/confirm_account",
        &[("id", resident), ("how", how)],
        Some(cookie),
    )
    .await
}

async fn follow_ups(app: &TestApp, alert: &Value, cookie: &str) -> Vec<Value> {
    app.call(
        "alert/follow_ups",
        &[("id", &alert.to_string())],
        Some(cookie),
    )
    .await
    .json()["items"]
        .as_array()
        .unwrap()
        .clone()
}

#[tokio::test]
async fn a_number_typed_at_sign_up_does_not_stand_for_the_registry_person() {
    let app = TestApp::new().await;
    let admin = app.login(who::ADMIN).await;
    let xhj02: i64 = app.state.db.grid_codes().await.unwrap()["LJ-XHJ-02"].0;
    let r = app
        .call_json(
            "alert/publish",
            json!({ "input": {
                "title": "暴雪预警", "body": "今夜有暴雪，请减少外出。", "category": "Met",
                "urgency": "Expected", "severity": "Severe", "certainty": "Likely",
                "expires_in_min": 720, "targets": [xhj02], "follow_up_after_min": 10,
            }}),
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let alert = r.json()["id"].clone();
    sqlx::query("UPDATE alerts SET follow_up_at = 0")
        .execute(&app.state.db.pool)
        .await
        .unwrap();
    let pan = app.login(who::GRID_WORKER).await;
    let items = follow_ups(&app, &alert, &pan).await;
    // A vulnerable person with no account of her own.
    let victim = items
        .iter()
        .find(|i| i["name"] != "陈桂兰")
        .unwrap()
        .clone();
    let phone = victim["phone"].as_str().unwrap().to_owned();

    // Someone signs up with her number and says "I am safe".
    let r = app
        .call(
            "auth/signup",
            &[
                ("name", "冒名者"),
                ("phone", &phone),
                ("password", "long-enough-1"),
            ],
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["phone_verified"], false);
    assert_eq!(r.json()["home"], Value::Null);
    let impostor = session_cookie(&r.headers).unwrap();
    let r = app
        .call_json(
            "alert/answer",
            json!({ "id": alert, "input": { "answer": "Safe" } }),
            Some(&impostor),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    // She is still on her grid's follow-up list, and her grid counts nobody confirmed.
    let items = follow_ups(&app, &alert, &pan).await;
    assert!(items.iter().any(|i| i["resident"] == victim["resident"]));
    let cov = app
        .call("alert/coverage", &[("id", &alert.to_string())], Some(&pan))
        .await
        .json();
    let row = cov["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["grid"] == json!(xhj02))
        .unwrap()
        .clone();
    assert_eq!(row["confirmed"], 0, "{cov}");

    // The registry shows the account as not yet confirmed.
    let name = victim["name"].as_str().unwrap();
    let list = app
        .call_json(
            "resident/list",
            json!({ "filter": { "grid": xhj02, "q": name } }),
            Some(&pan),
        )
        .await
        .json();
    let line = list["residents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == victim["resident"])
        .unwrap()
        .clone();
    assert_eq!(line["has_account"], true);
    assert_eq!(line["account_verified"], false);

    // Only her grid's staff confirm the link; each confirmation is audited.
    let rid = victim["resident"].to_string();
    let other = app.login(who::OTHER_GRID_WORKER).await;
    let r = confirm(&app, &rid, "Phone", &other).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
    let resident = app.login(who::OTHER_RESIDENT).await;
    let r = confirm(&app, &rid, "Phone", &resident).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = confirm(&app, &rid, "Sideways", &pan).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    let r = confirm(&app, &rid, "InPerson", &pan).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        app.state
            .db
            .count_audit("resident.confirm_account")
            .await
            .unwrap(),
        1
    );
    let r = confirm(&app, &rid, "InPerson", &pan).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.json()["Conflict"], "ErrAlreadyConfirmed");
    // Confirmed, the account stands for her: it has her grid, and her answer counts.
    let me = app.call("auth/me", &[], Some(&impostor)).await.json();
    assert_eq!(me["phone_verified"], true);
    assert_eq!(me["home"], json!(xhj02));
    app.call_json(
        "alert/answer",
        json!({ "id": alert, "input": { "answer": "Safe" } }),
        Some(&impostor),
    )
    .await;
    let items = follow_ups(&app, &alert, &pan).await;
    assert!(items.iter().all(|i| i["resident"] != victim["resident"]));
    // A person with no account at all: nothing to confirm.
    let nobody = items.iter().find(|i| i["name"] != "陈桂兰").unwrap();
    let r = confirm(&app, &nobody["resident"].to_string(), "Phone", &pan).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.json()["Conflict"], "ErrNoAccount");
}

// ---- 3. The sign-in throttle holds under a crowd ---------------------------------

#[tokio::test]
async fn twenty_five_parallel_guesses_get_five_checks() {
    let app = TestApp::new().await;
    let guesses = (0..25).map(|i| {
        let app = &app;
        async move {
            let pw = format!("guess-{i:04}");
            app.call_from(
                "auth/login",
                &[("phone", who::DIRECTOR), ("password", &pw)],
                None,
                addr(7),
            )
            .await
            .status
        }
    });
    let statuses = futures_util::future::join_all(guesses).await;
    let checked = statuses
        .iter()
        .filter(|s| **s == StatusCode::UNPROCESSABLE_ENTITY)
        .count();
    let refused = statuses
        .iter()
        .filter(|s| **s == StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert_eq!((checked, refused), (5, 20), "{statuses:?}");
    // The right password is refused too now, from anywhere without a known browser.
    let r = app
        .call_from(
            "auth/login",
            &[
                ("phone", who::DIRECTOR),
                ("password", server::seed::DEMO_PASSWORD),
            ],
            None,
            addr(8),
        )
        .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
}

/// The owner's own phone, which signed in before, is not locked out by a stranger.
#[tokio::test]
async fn a_strangers_guesses_do_not_lock_out_the_owners_phone() {
    let app = TestApp::new().await;
    let r = app
        .call_from(
            "auth/login",
            &[
                ("phone", who::RESIDENT),
                ("password", server::seed::DEMO_PASSWORD),
            ],
            None,
            addr(20),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let device = r
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("tongxin_device="))
        .unwrap()
        .to_owned();
    assert!(device.contains("HttpOnly"), "{device}");
    assert!(device.contains("Path=/api/auth"), "{device}");
    let device = device.split(';').next().unwrap().to_owned();
    for i in 0..6 {
        app.call_from(
            "auth/login",
            &[
                ("phone", who::RESIDENT),
                ("password", &format!("wrong-{i}xx")),
            ],
            None,
            addr(21),
        )
        .await;
    }
    let right = [
        ("phone", who::RESIDENT),
        ("password", server::seed::DEMO_PASSWORD),
    ];
    let r = app.call_from("auth/login", &right, None, addr(22)).await;
    assert_eq!(
        r.status,
        StatusCode::TOO_MANY_REQUESTS,
        "locked for strangers"
    );
    let r = app
        .call_from("auth/login", &right, Some(&device), addr(20))
        .await;
    assert_eq!(r.status, StatusCode::OK, "the owner's phone: {}", r.body);
    // A forged device token is just a stranger.
    let r = app
        .call_from(
            "auth/login",
            &right,
            Some("tongxin_device=00ff00ff"),
            addr(23),
        )
        .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    // The owner's phone has an allowance of its own: five wrong tries, then it waits.
    for i in 0..5 {
        let r = app
            .call_from(
                "auth/login",
                &[
                    ("phone", who::RESIDENT),
                    ("password", &format!("typo-{i}xxx")),
                ],
                Some(&device),
                addr(20),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let r = app
        .call_from("auth/login", &right, Some(&device), addr(20))
        .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn sign_ups_from_one_address_are_limited() {
    let app = TestApp::new().await;
    for i in 0..10 {
        let phone = format!("1391111{i:04}");
        let r = app
            .call_from(
                "auth/signup",
                &[
                    ("name", "新居民"),
                    ("phone", &phone),
                    ("password", "long-enough"),
                ],
                None,
                addr(30),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }
    let before = app.state.db.count_users().await.unwrap();
    let r = app
        .call_from(
            "auth/signup",
            &[
                ("name", "新居民"),
                ("phone", "13911119999"),
                ("password", "long-enough"),
            ],
            None,
            addr(30),
        )
        .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(app.state.db.count_users().await.unwrap(), before);
    // Another address is not affected.
    let r = app
        .call_from(
            "auth/signup",
            &[
                ("name", "新居民"),
                ("phone", "13911119999"),
                ("password", "long-enough"),
            ],
            None,
            addr(31),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
}

// ---- 5. A public ticket never names its reporter ---------------------------------

#[tokio::test]
async fn a_public_ticket_never_names_its_reporter() {
    let app = TestApp::new().await;
    let resident = app.login(who::RESIDENT).await;
    let worker = app.login(who::GRID_WORKER).await;
    let id = reported(&app, &resident, "facilities", 7).await;
    act(&app, &worker, id, &[("action", "accept")], vec![]).await;
    let r = act(
        &app,
        &worker,
        id,
        &[("action", "resolve"), ("note", "换了灯泡")],
        vec![jpeg(8)],
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    crate::ticket::checked(&app, id).await;
    let r = act(
        &app,
        &resident,
        id,
        &[
            ("action", "rate"),
            ("rating", "unsatisfied"),
            ("note", "陈桂兰：3 号楼 201 门口还是不亮"),
        ],
        vec![],
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    for viewer in [None, Some(app.login(who::OTHER_RESIDENT).await)] {
        let d = detail(&app, id, viewer.as_deref()).await;
        assert_eq!(d.status, StatusCode::OK);
        assert!(!d.body.contains("陈桂兰"), "{}", d.body);
        assert!(!d.body.contains("3 号楼"), "{}", d.body);
        // Staff actions stay signed.
        assert!(d.body.contains("潘月丽"), "{}", d.body);
    }
    let o = app
        .get(&format!("/open311/v2/requests/{id}.json"), None)
        .await;
    assert_eq!(o.status, StatusCode::OK, "{}", o.body);
    assert!(!o.body.contains("陈桂兰"), "{}", o.body);
    assert_eq!(o.json()[0]["status_notes"], "换了灯泡", "{}", o.body);
    // The reporter and the staff still see who and what.
    let d = detail(&app, id, Some(&worker)).await;
    assert!(d.body.contains("陈桂兰"));
}

// ---- 6. Push endpoints reach only the public internet -----------------------------

#[tokio::test]
async fn push_endpoints_inside_the_network_are_refused() {
    let app = TestApp::new().await;
    let resident = app.login(who::RESIDENT).await;
    let keys = |endpoint: &str| {
        json!({ "keys": { "endpoint": endpoint,
            "p256dh": "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM",
            "auth": "tBHItJI5svbpez7KI4CCXg" } })
    };
    for inside in [
        "https://127.0.0.1/wpush",
        "https://10.0.0.8/wpush",
        "https://169.254.169.254/latest",
        "https://[::1]:8443/wpush",
        "https://localhost/wpush",
        "https://admin@push.example/wpush",
        "http://127.0.0.1.nip.io/wpush",
    ] {
        let r = app
            .call_json("push/subscribe", keys(inside), Some(&resident))
            .await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{inside}: {}",
            r.body
        );
    }
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM push_subscriptions").await,
        0
    );
}

// ---- 7. The audit log cannot be flushed -------------------------------------------

#[tokio::test]
async fn the_audit_log_is_paged_and_filtered() {
    let app = TestApp::new().await;
    let pan = app.login(who::GRID_WORKER).await;
    let xhj02: i64 = app.state.db.grid_codes().await.unwrap()["LJ-XHJ-02"].0;
    let list = app
        .call_json(
            "resident/list",
            json!({ "filter": { "grid": xhj02, "q": "陈桂兰" } }),
            Some(&pan),
        )
        .await
        .json();
    let chen = list["residents"][0]["id"].to_string();
    // The read to hide, then 510 cheap entries on top of it.
    let r = app
        .call("resident/contact", &[("id", &chen)], Some(&pan))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    for i in 0..510 {
        app.state
            .db
            .audit(None, "roster.export", &format!("shift:{i}"))
            .await
            .unwrap();
    }
    let admin = app.login(who::ADMIN).await;
    let page = |q: Value| {
        let app = &app;
        let admin = admin.clone();
        async move {
            let r = app
                .call_json("resident/audit", json!({ "q": q }), Some(&admin))
                .await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.body);
            r.json()
        }
    };
    let first = page(json!({})).await;
    assert_eq!(first["total"], 511);
    assert_eq!(first["entries"].as_array().unwrap().len(), 100);
    // Paging back reaches the oldest entry.
    let mut next = first["next"].clone();
    let mut seen = 100;
    let mut last = first;
    while !next.is_null() {
        last = page(json!({ "before": next })).await;
        seen += last["entries"].as_array().unwrap().len();
        next = last["next"].clone();
    }
    assert_eq!(seen, 511);
    assert_eq!(
        last["entries"].as_array().unwrap().last().unwrap()["action"],
        "resident.contact"
    );
    // Filters find it at once: by action, by whose data, by who.
    for q in [
        json!({ "action": "resident.contact" }),
        json!({ "subject": "陈桂兰" }),
        json!({ "actor": "潘月" }),
    ] {
        let p = page(q.clone()).await;
        assert_eq!(p["total"], 1, "{q}");
        assert_eq!(p["entries"][0]["actor"], "潘月丽", "{q}");
    }
    let today = &app::domain::time::format_cst(app::domain::time::now_ms())[..10];
    let p = page(json!({ "from": today, "to": today, "action": "resident.contact" })).await;
    assert_eq!(p["total"], 1);
    let p = page(json!({ "to": "2001-01-01" })).await;
    assert_eq!(p["total"], 0);
    let r = app
        .call_json(
            "resident/audit",
            json!({ "q": { "from": "2026-13-45" } }),
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = app
        .call_json(
            "resident/audit",
            json!({ "q": { "actor": "x".repeat(61) } }),
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
}

// ---- 8. Input that cannot be read is the caller's fault: 4xx, never 500 -----------

#[tokio::test]
async fn unreadable_input_gets_a_4xx_with_a_message() {
    let app = TestApp::new().await;
    let admin = app.login(who::ADMIN).await;
    let post = |path: &str, content_type: &str, body: Vec<u8>| {
        Request::builder()
            .method(Method::POST)
            .uri(path)
            .header(header::CONTENT_TYPE, content_type)
            .header(header::HOST, "localhost")
            .header(header::ORIGIN, "http://localhost")
            .header(header::COOKIE, admin.as_str())
            .body(Body::from(body))
            .unwrap()
    };
    let json = "application/json";
    let form = "application/x-www-form-urlencoded";
    let cases: Vec<(&str, Request<Body>, u16)> = vec![
        (
            "truncated JSON",
            post("/api/alert/seen", json, br#"{"ids": [1, 2"#.to_vec()),
            400,
        ),
        (
            "wrong type",
            post("/api/alert/seen", json, br#"{"ids": "all"}"#.to_vec()),
            400,
        ),
        (
            "unknown enum value",
            post(
                "/api/alert/answer",
                json,
                br#"{"id": 1, "input": {"answer": "Maybe"}}"#.to_vec(),
            ),
            400,
        ),
        (
            "not a number",
            post("/api/resident/contact", form, b"id=abc".to_vec()),
            400,
        ),
        (
            "missing argument",
            post("/api/resident/contact", form, Vec::new()),
            400,
        ),
        (
            "80 MB body",
            post("/api/grid/import", form, vec![b'a'; 80 * 1024 * 1024]),
            413,
        ),
        (
            "1 MB search",
            post(
                "/api/resident/list",
                json,
                serde_json::to_vec(&json!({ "filter": { "q": "张".repeat(350_000) } })).unwrap(),
            ),
            422,
        ),
        (
            "a number far too big",
            post(
                "/api/resident/contact",
                form,
                b"id=99999999999999999999".to_vec(),
            ),
            400,
        ),
    ];
    for (what, req, want) in cases {
        let r = app.request(req).await;
        assert_eq!(
            r.status.as_u16(),
            want,
            "{what}: {}",
            r.body.chars().take(300).collect::<String>()
        );
        // Each answer is the app's own error, which the page shows in words.
        assert!(
            serde_json::from_str::<app::domain::AppError>(&r.body).is_ok(),
            "{what}: {}",
            r.body.chars().take(300).collect::<String>()
        );
    }
    // Plain routes too: a non-number id, and an over-limit GeoJSON file.
    let r = app.get("/api/shifts/abc/qr.svg", Some(&admin)).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
}

// ---- 9. Dates stay in a sane window -------------------------------------------------

#[tokio::test]
async fn dates_far_away_are_refused_without_overflow() {
    let app = TestApp::new().await;
    let coordinator = app.login("13903950010").await;
    let xhj02: i64 = app.state.db.grid_codes().await.unwrap()["LJ-XHJ-02"].0;
    let before = count(&app, "SELECT COUNT(*) FROM shifts").await;
    let now = app::domain::time::now_ms();
    for starts_at in [
        253_402_300_000_000_i64,
        i64::MAX - 1000,
        now + 3 * 366 * 86_400_000,
    ] {
        let r = app
            .call_json(
                "shift/create",
                json!({ "input": {
                    "kind": "Patrol", "grid": xhj02, "team": null, "title": "红马甲夜间巡逻",
                    "place": "新华街社区党群服务中心", "starts_at": starts_at,
                    "minutes": 120, "capacity": 3, "min_seats": 1, "note": "", "cutoff_hours": 1
                }}),
                Some(&coordinator),
            )
            .await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{starts_at}: {}",
            r.body
        );
        assert_eq!(r.json()["Invalid"]["field"], "starts_at");
    }
    assert_eq!(count(&app, "SELECT COUNT(*) FROM shifts").await, before);
    // A list whose range check would wrap around.
    for (from, to) in [
        (i64::MIN.to_string(), i64::MAX.to_string()),
        ("-1".to_owned(), i64::MAX.to_string()),
        ("0".to_owned(), "86400000".to_owned()),
    ] {
        let r = app
            .call("shift/list", &[("from", &from), ("to", &to)], None)
            .await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{from}..{to}: {}",
            r.body
        );
    }
    // A roster export for the year 9999, and a repeat rule until then.
    let r = app
        .get(
            "/api/shifts/export/roster.csv?from=9999-12-27",
            Some(&coordinator),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
}

// ---- 10. Cheap requests that would cost dearly -----------------------------------------

#[tokio::test]
async fn a_huge_png_is_refused_from_its_header() {
    let app = TestApp::new().await;
    let resident = app.login(who::RESIDENT).await;
    // 7000 × 7000 of one colour: tiny on the wire, 49 MP to decode.
    use image::ImageEncoder;
    let mut png = Vec::new();
    image::codecs::png::PngEncoder::new(&mut png)
        .write_image(
            &vec![255u8; 7000 * 7000],
            7000,
            7000,
            image::ExtendedColorType::L8,
        )
        .map(|_| ())
        .unwrap();
    assert!(png.len() < 1_000_000, "{}", png.len());
    let cat = category_id(&app, "facilities").await;
    let (lat, lng) = in_xinhuajie_02();
    let (lat, lng, k) = (lat.to_string(), lng.to_string(), key());
    let started = std::time::Instant::now();
    let r = app
        .multipart(
            "/api/tickets",
            &[
                ("category", &cat),
                ("description", "路灯不亮"),
                ("lat", &lat),
                ("lng", &lng),
                ("idempotency_key", &k),
            ],
            &[("photo", png)],
            Some(&resident),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("ErrPhotoPixels"), "{}", r.body);
    // Refused from the header, not after decoding 49 MP (which takes seconds).
    assert!(
        started.elapsed() < std::time::Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM tickets WHERE description = '路灯不亮'"
        )
        .await,
        0
    );
}

#[tokio::test]
async fn a_spreadsheet_past_the_row_limit_is_not_read_to_the_end() {
    let rows = 50_002;
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in ["网格编码", "楼栋", "房号", "姓名", "手机号"]
        .iter()
        .enumerate()
    {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    for r in 1..rows {
        sheet.write_string(r, 0, "LJ-XHJ-02").unwrap();
        sheet
            .write_number(r, 4, 13_900_000_000.0 + f64::from(r))
            .unwrap();
    }
    let bytes = book.save_to_buffer().unwrap();
    let err = server::services::resident::read_table(&bytes, 50_001).unwrap_err();
    assert_eq!(
        err,
        app::domain::AppError::invalid("file", app::i18n::Msg::ErrTooManyRows)
    );
    // Just under the limit it is read whole, from the first used cell.
    let table = server::services::resident::read_table(&bytes, 50_002).unwrap();
    assert_eq!(table.len(), 50_002);
    assert_eq!(table[0][0], "网格编码");
    assert_eq!(table[1][4], "13900000001");
}

#[tokio::test]
async fn live_streams_are_limited_per_address() {
    let app = TestApp::new().await;
    let from = addr(40);
    // The test app allows 4 per address.
    let mut held = Vec::new();
    for _ in 0..4 {
        held.push(app.events_from(None, Some(from)).await.unwrap());
    }
    assert_eq!(
        app.events_from(None, Some(from)).await.err(),
        Some(StatusCode::TOO_MANY_REQUESTS)
    );
    // Another address still gets one; a closed stream gives its slot back.
    assert!(app.events_from(None, Some(addr(41))).await.is_ok());
    held.pop();
    assert!(app.events_from(None, Some(from)).await.is_ok());
}

// ---- 11. No orphan photo files ------------------------------------------------------

#[tokio::test]
async fn photo_files_no_row_names_are_swept() {
    let app = TestApp::new().await;
    let resident = app.login(who::RESIDENT).await;
    let id = reported(&app, &resident, "facilities", 11).await;
    // A file as a crash between writing and committing leaves it.
    let (orphan, _) = app.state.photos.put(jpeg(99)).await.unwrap();
    use server::services::photo::sweep_orphans;
    // Younger than the grace period: kept.
    let now = app::domain::time::now_ms();
    let removed = sweep_orphans(&app.state.db, &app.state.photos, now - 60_000)
        .await
        .unwrap();
    assert_eq!(removed, 0);
    let removed = sweep_orphans(&app.state.db, &app.state.photos, now + 60_000)
        .await
        .unwrap();
    assert_eq!(removed, 1);
    assert!(app.state.photos.get(&orphan).await.unwrap().is_none());
    // The ticket's photos are still served.
    let d = detail(&app, id, Some(&resident)).await.json();
    let url = format!("/photos/{}.jpg", d["photos"][0]["key"].as_str().unwrap());
    let r = app.get(&url, Some(&resident)).await;
    assert_eq!(r.status, StatusCode::OK, "{url}: {d}");
}

// ---- 12. Each viewer gets only what they may read -----------------------------------

#[tokio::test]
async fn private_tickets_stay_with_those_who_handle_them() {
    let app = TestApp::new().await;
    let resident = app.login(who::RESIDENT).await;
    let cat = category_id(&app, "dispute").await;
    let (lat, lng) = in_xinhuajie_02();
    let (lat_s, lng_s, k) = (lat.to_string(), lng.to_string(), key());
    let mut anonymous = app.events_from(None, None).await.unwrap();
    let mut reporter = app.events_from(Some(&resident), None).await.unwrap();
    let pan = app.login(who::GRID_WORKER).await;
    let mut handler = app.events_from(Some(&pan), None).await.unwrap();
    let r = app
        .multipart(
            "/api/tickets",
            &[
                ("category", &cat),
                ("description", "楼上装修噪音太大"),
                ("lat", &lat_s),
                ("lng", &lng_s),
                ("idempotency_key", &k),
                ("parties", "陈桂兰与 402 住户"),
            ],
            &[],
            Some(&resident),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.json()["id"].as_i64().unwrap();
    let within = std::time::Duration::from_secs(2);
    let want = format!("{{\"id\":{id}}}");
    assert_eq!(
        reporter.next("change", within).await.as_deref(),
        Some(want.as_str())
    );
    assert_eq!(
        handler.next("change", within).await.as_deref(),
        Some(want.as_str())
    );
    assert_eq!(
        anonymous
            .next("change", std::time::Duration::from_millis(500))
            .await,
        None
    );
    // The map: the grid's own worker sees it; another grid's worker does not.
    let bbox = [
        ("south", (lat - 0.01).to_string()),
        ("west", (lng - 0.01).to_string()),
        ("north", (lat + 0.01).to_string()),
        ("east", (lng + 0.01).to_string()),
    ];
    let form: Vec<(&str, &str)> = bbox.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let has = |v: &Value| v.as_array().unwrap().iter().any(|m| m["id"] == json!(id));
    let own = app.call("ticket/markers", &form, Some(&pan)).await.json();
    assert!(has(&own), "{own}");
    let other = app.login(who::OTHER_GRID_WORKER).await;
    let theirs = app.call("ticket/markers", &form, Some(&other)).await.json();
    assert!(!has(&theirs), "{theirs}");
    let admin = app.login(who::ADMIN).await;
    let all = app.call("ticket/markers", &form, Some(&admin)).await.json();
    assert!(has(&all));
}

// ---- 13. Protective headers; `Origin: null` is not this site -----------------------

#[tokio::test]
async fn pages_carry_a_strict_policy_and_null_origins_are_refused() {
    let app = TestApp::new().await;
    let r = app.get("/", None).await;
    assert_eq!(r.status, StatusCode::OK);
    let csp = r.headers[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap()
        .to_owned();
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|s| s.split('\'').next())
        .unwrap()
        .to_owned();
    assert!(nonce.len() >= 16, "{csp}");
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert!(
        !csp.contains("'unsafe-inline' 'nonce")
            && !csp.contains("script-src 'self' 'unsafe-inline'"),
        "{csp}"
    );
    // Every inline script of the page carries this render's nonce.
    let scripts = r.body.matches("<script").count();
    let with_nonce = r.body.matches(&format!("nonce=\"{nonce}\"")).count();
    assert!(
        scripts > 0 && with_nonce >= scripts - r.body.matches("<script src").count(),
        "{}",
        r.body
    );
    assert_eq!(r.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    assert_eq!(r.headers[header::X_FRAME_OPTIONS], "DENY");
    assert_eq!(r.headers[header::REFERRER_POLICY], "same-origin");
    // A fresh nonce per page.
    let again = app.get("/", None).await;
    assert!(
        !again.headers[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .unwrap()
            .contains(&nonce)
    );
    // Answers that are not pages allow nothing.
    let api = app.call("auth/me", &[], None).await;
    assert!(
        api.headers[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .unwrap()
            .starts_with("default-src 'none'")
    );

    let req = Request::builder()
        .method(Method::POST)
        .uri("/api/auth/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::HOST, "localhost")
        .header(header::ORIGIN, "null")
        .body(Body::from(format!(
            "phone={}&password={}",
            who::RESIDENT,
            server::seed::DEMO_PASSWORD
        )))
        .unwrap();
    let r = app.request(req).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

// ---- 14. Grid outlines must be real areas -----------------------------------------

#[tokio::test]
async fn grid_outlines_are_checked_before_anything_is_written() {
    let app = TestApp::new().await;
    let admin = app.login(who::ADMIN).await;
    let feature = |code: &str, coords: Value| {
        json!({ "type": "Feature",
            "properties": { "code": code, "name": "测试网格", "level": 3, "parent_code": "LJ-XHJ" },
            "geometry": { "type": "Polygon", "coordinates": coords } })
    };
    let square = json!([[
        [114.0, 33.5],
        [114.001, 33.5],
        [114.001, 33.501],
        [114.0, 33.501],
        [114.0, 33.5]
    ]]);
    let big: Vec<Value> = (0..120_000)
        .map(|i| {
            let a = f64::from(i) / 120_000.0 * std::f64::consts::TAU;
            json!([114.0 + 0.001 * a.cos(), 33.5 + 0.001 * a.sin()])
        })
        .chain(std::iter::once(json!([114.001, 33.5])))
        .collect();
    let cases = [
        (
            "zero area",
            vec![feature(
                "T-1",
                json!([[
                    [114.0, 33.5],
                    [114.001, 33.5],
                    [114.002, 33.5],
                    [114.0, 33.5]
                ]]),
            )],
            "features[0]",
            "ErrGeometryInvalid",
        ),
        (
            "self-crossing",
            vec![feature(
                "T-1",
                json!([[
                    [114.0, 33.5],
                    [114.001, 33.501],
                    [114.001, 33.5],
                    [114.0, 33.501],
                    [114.0, 33.5]
                ]]),
            )],
            "features[0]",
            "ErrGeometryInvalid",
        ),
        (
            "unclosed",
            vec![feature(
                "T-1",
                json!([[
                    [114.0, 33.5],
                    [114.001, 33.5],
                    [114.001, 33.501],
                    [114.0, 33.501]
                ]]),
            )],
            "features[0]",
            "ErrGeometryOpen",
        ),
        (
            "duplicate code",
            vec![
                feature("T-1", square.clone()),
                feature("T-1", square.clone()),
            ],
            "features[1]",
            "ErrGridCodeTwice",
        ),
        (
            "120,000 points",
            vec![feature("T-1", json!([big]))],
            "features[0]",
            "ErrGeometryTooBig",
        ),
    ];
    let before = count(&app, "SELECT COUNT(*) FROM grids").await;
    for (what, features, field, msg) in cases {
        let fc = json!({ "type": "FeatureCollection", "features": features }).to_string();
        let r = app
            .call("grid/import", &[("geojson", &fc)], Some(&admin))
            .await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{what}: {}",
            r.body
        );
        assert_eq!(r.json()["Invalid"]["field"], field, "{what}");
        assert_eq!(r.json()["Invalid"]["msg"], msg, "{what}");
    }
    assert_eq!(count(&app, "SELECT COUNT(*) FROM grids").await, before);
    // A good outline still imports.
    let fc =
        json!({ "type": "FeatureCollection", "features": [feature("T-1", square)] }).to_string();
    let r = app
        .call("grid/import", &[("geojson", &fc)], Some(&admin))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
}

// ---- Durability: a crash loses no acknowledged report and leaves no orphan ---------

/// Reports with photos go to a real `tongxin` process from 12 clients at once; the
/// process is killed (SIGKILL) part-way and started again on the same database and
/// photo folder. Every report it had acknowledged (201) is there with its photos,
/// and after the sweep no photo file is left that no row names.
#[tokio::test]
async fn acknowledged_reports_survive_a_kill_and_no_orphan_remains() {
    use crate::common::{BOUNDARY, multipart_body};
    let app = TestApp::new().await;
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let start = || {
        tokio::process::Command::new(env!("CARGO_BIN_EXE_tongxin"))
            .env("DATABASE_URL", &app.state.db.url)
            .env("TONGXIN_ADDR", format!("127.0.0.1:{port}"))
            .env("TONGXIN_SITE_ROOT", &app.state.config.site_root)
            .env("TONGXIN_TILES", "none")
            .env("TONGXIN_PHOTOS", &app.state.config.photos)
            .env("RUST_LOG", "error")
            .kill_on_drop(true)
            .spawn()
            .unwrap()
    };
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    let up = |client: reqwest::Client, base: String| async move {
        for _ in 0..200 {
            if client.get(format!("{base}/healthz")).send().await.is_ok() {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("tongxin did not start");
    };
    let mut child = start();
    up(client.clone(), base.clone()).await;
    let login = client
        .post(format!("{base}/api/auth/login"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!(
            "phone={}&password={}",
            who::RESIDENT,
            server::seed::DEMO_PASSWORD
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), 200);
    let cookie = login
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("tongxin_session="))
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let cat = category_id(&app, "facilities").await;
    let (lat, lng) = in_xinhuajie_02();
    let acked = std::sync::Arc::new(std::sync::Mutex::new(Vec::<(i64, String)>::new()));
    let mut clients = Vec::new();
    for c in 0..12u8 {
        let (client, base, cookie, cat, acked) = (
            client.clone(),
            base.clone(),
            cookie.clone(),
            cat.clone(),
            acked.clone(),
        );
        clients.push(tokio::spawn(async move {
            for n in 0..20u8 {
                let k = format!("crash-{c}-{n}");
                let body = multipart_body(
                    &[
                        ("category", &cat),
                        ("description", &format!("井盖松动 {c}-{n}")),
                        ("lat", &lat.to_string()),
                        ("lng", &lng.to_string()),
                        ("idempotency_key", &k),
                    ],
                    &[
                        ("photo", jpeg(c * 20 + n)),
                        ("photo", jpeg(200 - (c * 20 + n) % 200)),
                    ],
                );
                let sent = client
                    .post(format!("{base}/api/tickets"))
                    .header(
                        "content-type",
                        format!("multipart/form-data; boundary={BOUNDARY}"),
                    )
                    .header("cookie", &cookie)
                    .body(body)
                    .send()
                    .await;
                let Ok(r) = sent else { return };
                if r.status() != 201 {
                    return;
                }
                let Ok(text) = r.text().await else { return };
                let Ok(v) = serde_json::from_str::<Value>(&text) else {
                    return;
                };
                acked.lock().unwrap().push((v["id"].as_i64().unwrap(), k));
            }
        }));
    }
    // Kill it once some reports are acknowledged and others are in flight.
    for _ in 0..400 {
        if acked.lock().unwrap().len() >= 15 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    child.start_kill().unwrap();
    child.wait().await.unwrap();
    for c in clients {
        c.await.unwrap();
    }
    let acked = acked.lock().unwrap().clone();
    assert!(
        acked.len() >= 15,
        "only {} acknowledged before the kill",
        acked.len()
    );
    assert!(acked.len() < 240, "the kill came after every report");

    let mut child = start();
    up(client.clone(), base.clone()).await;
    for (id, key) in &acked {
        let t: Option<(String, String)> =
            sqlx::query_as("SELECT idempotency_key, status FROM tickets WHERE id = $1")
                .bind(id)
                .fetch_optional(&app.state.db.pool)
                .await
                .unwrap();
        assert_eq!(
            t.as_ref().map(|t| t.0.as_str()),
            Some(key.as_str()),
            "ticket {id}"
        );
        let photos: Vec<String> =
            sqlx::query_scalar("SELECT photo_key FROM ticket_photos WHERE ticket_id = $1")
                .bind(id)
                .fetch_all(&app.state.db.pool)
                .await
                .unwrap();
        assert_eq!(photos.len(), 2, "ticket {id}");
        for p in photos {
            let r = client
                .get(format!("{base}/photos/{p}.jpg"))
                .header("cookie", &cookie)
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 200, "photo {p} of ticket {id}");
        }
    }
    child.start_kill().unwrap();
    child.wait().await.unwrap();
    // The sweep, as the server runs it (here without the grace period).
    let now = app::domain::time::now_ms();
    server::services::photo::sweep_orphans(&app.state.db, &app.state.photos, now + 1000)
        .await
        .unwrap();
    let used = app.state.db.photo_keys_in_use().await.unwrap();
    let on_disk = app.state.photos.keys_older_than(now + 1000).await.unwrap();
    let orphans: Vec<&String> = on_disk.iter().filter(|k| !used.contains(*k)).collect();
    assert!(orphans.is_empty(), "{orphans:?}");
    // Content-addressed: equal photos share a file, so count keys, not tickets.
    assert!(!on_disk.is_empty());
}
