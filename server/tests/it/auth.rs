//! Sign-up, sign-in, sessions and throttling, over HTTP on a real database.
#![allow(clippy::unwrap_used)]
use crate::common;
use axum::http::{StatusCode, header};
use common::{TestApp, session_cookie, who};

#[tokio::test]
async fn sign_up_signs_in_and_me_answers() {
    let app = TestApp::new().await;
    let r = app
        .call(
            "auth/signup",
            &[
                ("name", " 王大妈 "),
                ("phone", "139 1234 5678"),
                ("password", "laojie-2026"),
            ],
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["name"], "王大妈");
    assert_eq!(r.json()["role"], "Resident");
    assert_eq!(r.json()["phone_masked"], "139****5678");
    let set = r
        .headers
        .get(header::SET_COOKIE)
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    assert!(set.contains("HttpOnly"), "{set}");
    assert!(set.contains("SameSite=Lax"), "{set}");
    let cookie = session_cookie(&r.headers).unwrap();
    let me = app.call("auth/me", &[], Some(&cookie)).await;
    assert_eq!(me.json()["name"], "王大妈");
    // Stored as an argon2id hash, never the password.
    let hash: String =
        sqlx::query_scalar("SELECT password_hash FROM users WHERE phone = '13912345678'")
            .fetch_one(&app.state.db.pool)
            .await
            .unwrap();
    assert!(hash.starts_with("$argon2id$"), "{hash}");
}

#[tokio::test]
async fn sign_up_rejects_bad_input_and_writes_nothing() {
    let app = TestApp::new().await;
    let before = app.state.db.count_users().await.unwrap();
    let cases = [
        (("", "13912345678", "long-enough"), 422, "name"),
        (("王", "1234", "long-enough"), 422, "phone"),
        (("王", "13912345678", "short"), 422, "password"),
        (("王", who::RESIDENT, "long-enough"), 409, ""),
    ];
    for ((name, phone, pw), status, field) in cases {
        let r = app
            .call(
                "auth/signup",
                &[("name", name), ("phone", phone), ("password", pw)],
                None,
            )
            .await;
        assert_eq!(r.status.as_u16(), status, "{name}/{phone}: {}", r.body);
        if !field.is_empty() {
            assert_eq!(r.json()["Invalid"]["field"], field, "{}", r.body);
        }
    }
    assert_eq!(app.state.db.count_users().await.unwrap(), before);
    let taken = app
        .call(
            "auth/signup",
            &[
                ("name", "王"),
                ("phone", who::RESIDENT),
                ("password", "long-enough"),
            ],
            None,
        )
        .await;
    assert_eq!(taken.json()["Conflict"], "ErrPhoneTaken");
}

#[tokio::test]
async fn log_in_wrong_password_then_right_one() {
    let app = TestApp::new().await;
    assert!(
        app.login_with(who::RESIDENT, "wrong-password")
            .await
            .is_none()
    );
    let r = app
        .call(
            "auth/login",
            &[("phone", who::RESIDENT), ("password", "nope-nope")],
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["Invalid"]["msg"], "ErrBadLogin");
    // An unknown number gets the same answer as a wrong password.
    let r = app
        .call(
            "auth/login",
            &[("phone", "13800000000"), ("password", "nope-nope")],
            None,
        )
        .await;
    assert_eq!(r.json()["Invalid"]["msg"], "ErrBadLogin");
    let cookie = app.login(who::RESIDENT).await;
    let me = app.call("auth/me", &[], Some(&cookie)).await;
    assert_eq!(me.json()["name"], "陈桂兰");
}

#[tokio::test]
async fn five_failures_lock_the_number_for_fifteen_minutes() {
    let app = TestApp::new().await;
    for _ in 0..5 {
        let r = app
            .call(
                "auth/login",
                &[("phone", who::DIRECTOR), ("password", "guess-guess")],
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let r = app
        .call(
            "auth/login",
            &[
                ("phone", who::DIRECTOR),
                ("password", server::seed::DEMO_PASSWORD),
            ],
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.body);
    let minutes = r.json()["RateLimited"]["minutes"].as_u64().unwrap();
    assert!((14..=15).contains(&minutes), "{minutes}");
    // Another number is not affected.
    assert!(
        app.login_with(who::ADMIN, server::seed::DEMO_PASSWORD)
            .await
            .is_some()
    );
}

#[tokio::test]
async fn log_out_ends_the_session() {
    let app = TestApp::new().await;
    let cookie = app.login(who::GRID_WORKER).await;
    let me = app.call("auth/me", &[], Some(&cookie)).await;
    assert_eq!(me.json()["role"], "GridWorker");
    assert_eq!(me.json()["grids"][0][1], "Leader");
    let out = app.call("auth/logout", &[], Some(&cookie)).await;
    assert_eq!(out.status, StatusCode::OK);
    let me = app.call("auth/me", &[], Some(&cookie)).await;
    assert_eq!(me.json(), serde_json::Value::Null);
    let again = app.call("auth/logout", &[], Some(&cookie)).await;
    assert_eq!(again.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn elder_mode_follows_the_account_and_the_device() {
    let app = TestApp::new().await;
    let cookie = app.login(who::RESIDENT).await;
    let home = app.get("/", Some(&cookie)).await;
    assert!(
        !home.body.contains("class=\"elder\""),
        "elder off by default"
    );
    let on = app.call("me/elder", &[("on", "true")], Some(&cookie)).await;
    assert_eq!(on.status, StatusCode::OK, "{}", on.body);
    assert_eq!(
        app.call("auth/me", &[], Some(&cookie)).await.json()["elder"],
        true
    );
    // A new sign-in (another phone, no choice of its own) renders large from the start.
    let other = app.login(who::RESIDENT).await;
    let page = app.get("/", Some(&other)).await;
    assert!(
        page.body.contains("<html lang=\"zh-CN\" class=\"elder\""),
        "{}",
        &page.body[..300]
    );
    // A device that chose otherwise keeps its choice.
    let page = app.get("/", Some(&format!("{other}; elder=0"))).await;
    assert!(!page.body.contains("class=\"elder\""));
    // Guests choose per device only.
    let guest = app.get("/", Some("elder=1")).await;
    assert!(guest.body.contains("class=\"elder\""));
    assert_eq!(
        app.call("me/elder", &[("on", "true")], None).await.status,
        StatusCode::UNAUTHORIZED
    );
    let off = app
        .call("me/elder", &[("on", "false")], Some(&cookie))
        .await;
    assert_eq!(off.status, StatusCode::OK);
    assert_eq!(
        app.call("auth/me", &[], Some(&other)).await.json()["elder"],
        false
    );
}

#[tokio::test]
async fn session_id_changes_at_sign_in() {
    let app = TestApp::new().await;
    // A visitor with a session (the language cookie does not make one; log in twice).
    let first = app.login(who::RESIDENT).await;
    let r = app
        .call(
            "auth/login",
            &[
                ("phone", who::RESIDENT),
                ("password", server::seed::DEMO_PASSWORD),
            ],
            Some(&first),
        )
        .await;
    let second = session_cookie(&r.headers).unwrap();
    assert_ne!(first, second, "session fixation: id must be cycled");
}
