//! Tickets over the real router: reporting with photos, routing by grid and duty,
//! the lifecycle and who may take each step, idempotent submits, bad input that
//! writes nothing, escalation, mediation, categories, photos and the map.
#![allow(clippy::unwrap_used)]
use crate::common;
use app::domain::grid::Duty;
use app::domain::ticket::{Escalation, TicketId, TicketStatus};
use axum::http::StatusCode;
use common::{OUTSIDE, TestApp, in_xinhuajie_02, jpeg, who};
use serde_json::Value;

/// Files in the photo store (every test app has its own database but shares the
/// folder; counts are compared before and after).
fn photo_files(app: &TestApp) -> usize {
    fn walk(p: &std::path::Path) -> usize {
        std::fs::read_dir(p).map_or(0, |rd| {
            rd.flatten()
                .map(|e| {
                    if e.path().is_dir() {
                        walk(&e.path())
                    } else {
                        1
                    }
                })
                .sum()
        })
    }
    walk(std::path::Path::new(&app.state.config.photos))
}

pub(crate) async fn category_id(app: &TestApp, code: &str) -> String {
    app.state
        .db
        .category_by_code(code)
        .await
        .unwrap()
        .unwrap()
        .id
        .to_string()
}

pub(crate) fn key() -> String {
    format!(
        "test-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    )
}

/// Reports a problem as `phone` at `at` with `photos`; returns the reply.
pub(crate) async fn report(
    app: &TestApp,
    cookie: &str,
    category: &str,
    at: (f64, f64),
    photos: Vec<Vec<u8>>,
) -> common::Reply {
    let cat = category_id(app, category).await;
    let (lat, lng) = (at.0.to_string(), at.1.to_string());
    let k = key();
    let files: Vec<(&str, Vec<u8>)> = photos.into_iter().map(|p| ("photo", p)).collect();
    app.multipart(
        "/api/tickets",
        &[
            ("category", &cat),
            ("description", "公安街背街小巷路灯不亮，晚上黑咕隆咚的"),
            ("lat", &lat),
            ("lng", &lng),
            ("idempotency_key", &k),
        ],
        &files,
        Some(cookie),
    )
    .await
}

/// Reports one photo's problem in 新华街02 and returns the ticket's id.
pub(crate) async fn reported(app: &TestApp, cookie: &str, category: &str, photo: u8) -> i64 {
    let r = report(app, cookie, category, in_xinhuajie_02(), vec![jpeg(photo)]).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    r.json()["id"].as_i64().unwrap()
}

pub(crate) async fn act(
    app: &TestApp,
    cookie: &str,
    id: i64,
    fields: &[(&str, &str)],
    photos: Vec<Vec<u8>>,
) -> common::Reply {
    let files: Vec<(&str, Vec<u8>)> = photos.into_iter().map(|p| ("photo", p)).collect();
    app.multipart(
        &format!("/api/tickets/{id}/act"),
        fields,
        &files,
        Some(cookie),
    )
    .await
}

/// The second person (新华街's director, who may always stand in) passes the check of
/// a fix waiting for it.
pub(crate) async fn checked(app: &TestApp, id: i64) {
    let director = app.login(who::XHJ_DIRECTOR).await;
    let r = act(app, &director, id, &[("action", "pass_check")], vec![]).await;
    assert_eq!(r.json()["status"], "resolved", "{}", r.body);
}

pub(crate) async fn detail(app: &TestApp, id: i64, cookie: Option<&str>) -> common::Reply {
    app.call("ticket/detail", &[("id", &id.to_string())], cookie)
        .await
}

#[tokio::test]
async fn a_report_goes_to_its_grid_and_the_staff_with_the_duty() {
    let app = TestApp::new().await;
    let resident = app.login(who::RESIDENT).await;
    let r = report(
        &app,
        &resident,
        "facilities",
        in_xinhuajie_02(),
        vec![jpeg(1)],
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.json()["id"].as_i64().unwrap();
    let t = app.state.db.ticket(TicketId(id)).await.unwrap().unwrap();
    assert_eq!(t.status, TicketStatus::Pending);
    let grid = t.grid.unwrap();
    let name = app.state.db.grid_name(grid).await.unwrap().unwrap();
    assert!(name.starts_with("新华街02"), "{name}");
    // Facilities go to the grid's property manager.
    assert_eq!(
        t.assignee,
        app.state
            .db
            .staff_with_duty(grid, Duty::Property)
            .await
            .unwrap()
    );
    assert!(t.assignee.is_some());
    // In the queue of the grid's staff and of the community's director, not of another
    // community's.
    let filter = [("filter[open_only]", "true")];
    for (phone, sees) in [
        (who::GRID_WORKER, true),
        (who::XHJ_DIRECTOR, true),
        (who::ADMIN, true),
        (who::OTHER_GRID_WORKER, false),
        (who::DIRECTOR, false),
    ] {
        let c = app.login(phone).await;
        let q = app.call("ticket/queue", &filter, Some(&c)).await;
        assert_eq!(q.status, StatusCode::OK, "{}", q.body);
        let ids: Vec<i64> = q
            .json()
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["id"].as_i64().unwrap())
            .collect();
        assert_eq!(ids.contains(&id), sees, "{phone}: {ids:?}");
    }
    // The reporter sees it among their reports.
    let mine = app.call("ticket/mine", &[], Some(&resident)).await;
    assert_eq!(mine.json()[0]["id"].as_i64(), Some(id));
    // A problem is public, without who reported it.
    let public = detail(&app, id, None).await;
    assert_eq!(public.status, StatusCode::OK);
    assert!(public.json()["reporter"].is_null());
    assert!(!public.body.contains("陈桂兰"));
    let own = detail(&app, id, Some(&resident)).await;
    assert_eq!(own.json()["reporter"], "陈桂兰");
}

#[tokio::test]
async fn a_workers_queue_names_who_is_responsible_and_puts_mine_first() {
    let app = TestApp::new().await;
    let resident = app.login(who::RESIDENT).await;
    // In 新华街02: "other" goes to the grid leader (潘月丽, the worker below),
    // "facilities" to the grid's property manager, a colleague.
    let colleagues = reported(&app, &resident, "facilities", 31).await;
    let mine = reported(&app, &resident, "other", 32).await;
    let worker = app.login(who::GRID_WORKER).await;
    let me = app
        .state
        .db
        .credentials(who::GRID_WORKER)
        .await
        .unwrap()
        .unwrap()
        .id;
    let q = app
        .call(
            "ticket/queue",
            &[("filter[open_only]", "true")],
            Some(&worker),
        )
        .await;
    assert_eq!(q.status, StatusCode::OK, "{}", q.body);
    let cards = q.json().as_array().unwrap().clone();
    let at = |id: i64| cards.iter().position(|t| t["id"].as_i64() == Some(id));
    let (m, c) = (at(mine).unwrap(), at(colleagues).unwrap());
    assert!(m < c, "mine first: {m} < {c}");
    // Every card names its responsible person, and "mine" is exactly the viewer's own.
    let mut seen_other = false;
    for (i, t) in cards.iter().enumerate() {
        let id = TicketId(t["id"].as_i64().unwrap());
        let row = app.state.db.ticket(id).await.unwrap().unwrap();
        assert_eq!(t["mine"].as_bool(), Some(row.assignee == Some(me)), "{t}");
        match row.assignee {
            Some(u) => {
                let name = app.state.db.user_name(u).await.unwrap().unwrap();
                assert_eq!(t["assignee"].as_str(), Some(name.as_str()), "{t}");
            }
            None => assert!(t["assignee"].is_null(), "{t}"),
        }
        if row.assignee == Some(me) {
            assert!(!seen_other, "card {i} is mine but follows a colleague's");
        } else {
            seen_other = true;
        }
    }
    assert_eq!(cards[m]["assignee"], "潘月丽");
    // A resident's own list names no staff.
    let own = app.call("ticket/mine", &[], Some(&resident)).await;
    for t in own.json().as_array().unwrap() {
        assert!(t["assignee"].is_null() && t["mine"] == false, "{t}");
    }
}

#[tokio::test]
async fn outside_every_grid_the_street_admins_handle_it() {
    let app = TestApp::new().await;
    let resident = app.login(who::RESIDENT).await;
    let r = report(&app, &resident, "sanitation", OUTSIDE, vec![jpeg(2)]).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.json()["id"].as_i64().unwrap();
    let t = app.state.db.ticket(TicketId(id)).await.unwrap().unwrap();
    assert_eq!((t.grid, t.community, t.assignee), (None, None, None));
    let worker = app.login(who::GRID_WORKER).await;
    let a = act(&app, &worker, id, &[("action", "accept")], vec![]).await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    let director = app.login(who::XHJ_DIRECTOR).await;
    let a = act(&app, &director, id, &[("action", "accept")], vec![]).await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    let admin = app.login(who::ADMIN).await;
    let a = act(&app, &admin, id, &[("action", "accept")], vec![]).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
}

#[tokio::test]
async fn the_whole_lifecycle_with_who_may_do_what() {
    let app = TestApp::new().await;
    let resident = app.login(who::RESIDENT).await;
    let worker = app.login(who::GRID_WORKER).await;
    let id = report(
        &app,
        &resident,
        "facilities",
        in_xinhuajie_02(),
        vec![jpeg(3), jpeg(4)],
    )
    .await
    .json()["id"]
        .as_i64()
        .unwrap();
    // The reporter may not accept; another grid's worker may not either.
    let r = act(&app, &resident, id, &[("action", "accept")], vec![]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let other = app.login(who::OTHER_GRID_WORKER).await;
    let r = act(&app, &other, id, &[("action", "accept")], vec![]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // Rating before it is resolved is not possible now.
    let r = act(
        &app,
        &resident,
        id,
        &[("action", "rate"), ("rating", "satisfied")],
        vec![],
    )
    .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);

    let d = detail(&app, id, Some(&worker)).await.json();
    assert_eq!(
        d["actions"],
        serde_json::json!([
            "Accept",
            "Resolve",
            "ResolvePartly",
            "NotOurs",
            "Reject",
            "MarkDuplicate"
        ])
    );
    assert_eq!(d["photos"].as_array().unwrap().len(), 2);

    for action in ["accept", "start"] {
        let r = act(&app, &worker, id, &[("action", action)], vec![]).await;
        assert_eq!(r.status, StatusCode::OK, "{action}: {}", r.body);
    }
    // Resolving needs an "after" photo.
    let r = act(&app, &worker, id, &[("action", "resolve")], vec![]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("ErrAfterPhoto"), "{}", r.body);
    let r = act(
        &app,
        &worker,
        id,
        &[
            ("action", "resolve"),
            ("note", "更换了老化的电路，路灯已亮"),
        ],
        vec![jpeg(5)],
    )
    .await;
    // Problems are checked by the 网格长; she resolved it herself, so she may not
    // check it (the director stands in), and the reporter is not asked yet.
    assert_eq!(r.json()["status"], "checking", "{}", r.body);
    let d = detail(&app, id, Some(&worker)).await.json();
    assert_eq!(d["actions"], serde_json::json!([]));
    assert_eq!(d["outcome"], "Fixed");
    assert_eq!(d["after"].as_array().unwrap().len(), 1);
    let due = d["check_due_ms"].as_i64().unwrap() - d["now_ms"].as_i64().unwrap();
    // One working day: a day, or over a weekend up to three.
    assert!((86_000_000..=3 * 86_400_000 + 1000).contains(&due), "{due}");
    let r = act(&app, &worker, id, &[("action", "pass_check")], vec![]).await;
    assert_eq!(
        r.status,
        StatusCode::FORBIDDEN,
        "never the one who resolved it"
    );
    let r = act(
        &app,
        &resident,
        id,
        &[("action", "rate"), ("rating", "satisfied")],
        vec![],
    )
    .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    let director = app.login(who::XHJ_DIRECTOR).await;
    let d = detail(&app, id, Some(&director)).await.json();
    assert_eq!(d["actions"], serde_json::json!(["PassCheck", "FailCheck"]));
    // Sent back needs a reason; it is rework, and the fix goes round again.
    let r = act(&app, &director, id, &[("action", "fail_check")], vec![]).await;
    assert!(r.body.contains("ErrReason"), "{}", r.body);
    let r = act(
        &app,
        &director,
        id,
        &[("action", "fail_check"), ("note", "东侧两盏仍不亮")],
        vec![],
    )
    .await;
    assert_eq!(r.json()["status"], "in_progress", "{}", r.body);
    let d = detail(&app, id, Some(&resident)).await.json();
    assert_eq!(d["rework"], 1);
    assert!(d["check_due_ms"].is_null());
    let r = act(
        &app,
        &worker,
        id,
        &[("action", "resolve"), ("note", "东侧两盏也已更换")],
        vec![jpeg(6)],
    )
    .await;
    assert_eq!(r.json()["status"], "checking", "{}", r.body);
    let r = act(
        &app,
        &director,
        id,
        &[("action", "pass_check")],
        vec![jpeg(7)],
    )
    .await;
    assert_eq!(r.json()["status"], "resolved", "{}", r.body);
    // Only the reporter rates: staff never in her place, not even the checker.
    let satisfied = [("action", "rate"), ("rating", "satisfied")];
    let r = act(&app, &worker, id, &satisfied, vec![]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = act(&app, &director, id, &satisfied, vec![]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let d = detail(&app, id, Some(&resident)).await.json();
    assert_eq!(d["actions"], serde_json::json!(["Rate"]));
    let until = d["rating_until_ms"].as_i64().unwrap() - d["now_ms"].as_i64().unwrap();
    assert!(
        (7 * 86_400_000 - 60_000..=7 * 86_400_000).contains(&until),
        "{until}"
    );
    let r = act(&app, &resident, id, &satisfied, vec![]).await;
    assert_eq!(r.json()["status"], "closed");
    let r = act(&app, &resident, id, &satisfied, vec![]).await;
    assert_eq!(r.status, StatusCode::CONFLICT);

    let d = detail(&app, id, Some(&resident)).await.json();
    let kinds: Vec<Value> = d["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].clone())
        .collect();
    assert_eq!(
        kinds,
        vec![
            serde_json::json!("Created"),
            serde_json::json!({"Action": "Accept"}),
            serde_json::json!({"Action": "Start"}),
            serde_json::json!({"Action": "Resolve"}),
            serde_json::json!({"Action": "FailCheck"}),
            serde_json::json!({"Action": "Resolve"}),
            serde_json::json!({"Action": "PassCheck"}),
            serde_json::json!({"Rated": "Satisfied"}),
        ]
    );
    assert_eq!(d["rating"], "Satisfied");
    assert!(d["rating_until_ms"].is_null());
    assert_eq!(d["rework"], 1);
    assert_eq!(d["timeline"][4]["actor"], d["timeline"][6]["actor"]);
    assert_eq!(d["timeline"][6]["photos"].as_array().unwrap().len(), 1);
    let resolve = &d["timeline"][3];
    assert_eq!(resolve["actor"], "潘月丽");
    assert_eq!(resolve["note"], "更换了老化的电路，路灯已亮");
    assert_eq!(resolve["photos"].as_array().unwrap().len(), 1);
    assert_eq!(d["summary"]["status"], "Closed");
    assert!(d["summary"]["due_in_ms"].is_null());
}

#[tokio::test]
async fn reopen_reject_and_duplicate_need_their_reasons() {
    let app = TestApp::new().await;
    let resident = app.login(who::RESIDENT).await;
    let worker = app.login(who::GRID_WORKER).await;
    let first = reported(&app, &resident, "facilities", 6).await;
    let second = reported(&app, &resident, "facilities", 7).await;
    let r = act(&app, &worker, second, &[("action", "reject")], vec![]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = act(&app, &worker, second, &[("action", "duplicate")], vec![]).await;
    assert!(r.body.contains("ErrDuplicateOf"), "{}", r.body);
    let r = act(
        &app,
        &worker,
        second,
        &[
            ("action", "duplicate"),
            ("duplicate_of", &second.to_string()),
        ],
        vec![],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "not itself");
    let r = act(
        &app,
        &worker,
        second,
        &[
            ("action", "duplicate"),
            ("duplicate_of", &first.to_string()),
        ],
        vec![],
    )
    .await;
    assert_eq!(r.json()["status"], "duplicate", "{}", r.body);
    assert_eq!(
        detail(&app, second, None).await.json()["duplicate_of"],
        first
    );

    act(
        &app,
        &worker,
        first,
        &[("action", "resolve")],
        vec![jpeg(8)],
    )
    .await;
    checked(&app, first).await;
    // A rating needs an answer, and "no answer" is the clock's, not a button.
    for bad in [
        vec![("action", "rate")],
        vec![("action", "rate"), ("rating", "no_answer")],
    ] {
        let r = act(&app, &resident, first, &bad, vec![]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.body.contains("ErrRating"), "{}", r.body);
    }
    let r = act(
        &app,
        &resident,
        first,
        &[("action", "rate"), ("rating", "fine")],
        vec![],
    )
    .await;
    assert!(r.body.contains("ErrRating"), "{}", r.body);
    let r = act(
        &app,
        &resident,
        first,
        &[
            ("action", "rate"),
            ("rating", "unsatisfied"),
            ("note", "晚上还是不亮"),
        ],
        vec![],
    )
    .await;
    assert_eq!(r.json()["status"], "in_progress");
}

#[tokio::test]
async fn a_retried_submit_creates_one_ticket() {
    let app = TestApp::new().await;
    let resident = app.login(who::RESIDENT).await;
    let cat = category_id(&app, "sanitation").await;
    let (lat, lng) = in_xinhuajie_02();
    let fields = [
        ("category", cat.as_str()),
        ("description", "垃圾桶满了没人清理"),
        ("lat", &lat.to_string()),
        ("lng", &lng.to_string()),
        ("idempotency_key", "0b7c9a2e-4f1d-4c9e-9d3b-1a2b3c4d5e6f"),
    ];
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, *v)).collect();
    let a = app
        .multipart(
            "/api/tickets",
            &fields,
            &[("photo", jpeg(9))],
            Some(&resident),
        )
        .await;
    let b = app
        .multipart(
            "/api/tickets",
            &fields,
            &[("photo", jpeg(9))],
            Some(&resident),
        )
        .await;
    assert_eq!(a.status, StatusCode::CREATED);
    assert_eq!(b.status, StatusCode::OK);
    assert_eq!(a.json()["id"], b.json()["id"]);
    let mine = app.call("ticket/mine", &[], Some(&resident)).await.json();
    let same = mine
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["description"] == "垃圾桶满了没人清理")
        .count();
    assert_eq!(same, 1);
}

#[tokio::test]
async fn bad_reports_get_clear_errors_and_write_nothing() {
    let app = TestApp::new().await;
    let resident = app.login(who::RESIDENT).await;
    let before_files = photo_files(&app);
    let ids = |v: Value| -> Vec<i64> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|t| t["id"].as_i64().unwrap())
            .collect()
    };
    let before = ids(app.call("ticket/mine", &[], Some(&resident)).await.json());
    let cat = category_id(&app, "facilities").await;
    let (lat, lng) = in_xinhuajie_02();
    let (lat, lng) = (lat.to_string(), lng.to_string());
    let good = [
        ("category", cat.as_str()),
        ("description", "井盖丢了，很危险"),
        ("lat", lat.as_str()),
        ("lng", lng.as_str()),
    ];
    let with = |k: &str, v: &'static str| {
        let mut f: Vec<(String, String)> = good
            .iter()
            .filter(|(n, _)| *n != k)
            .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
            .collect();
        f.push((k.to_owned(), v.to_owned()));
        f.push(("idempotency_key".into(), key()));
        f
    };
    type Case<'a> = (Vec<(String, String)>, Vec<(&'a str, Vec<u8>)>, u16, &'a str);
    let cases: Vec<Case> = vec![
        // A photo of a third, good one fails and nothing is kept (the valid one's
        // file is removed too).
        (
            with("description", "井盖丢了，很危险"),
            vec![
                ("photo", jpeg(10)),
                ("photo", b"GIF89a not a photo".to_vec()),
            ],
            422,
            "ErrPhotoType",
        ),
        (
            with("description", "井盖丢了，很危险"),
            vec![],
            422,
            "ErrPhotoCount",
        ),
        (
            with("description", " "),
            vec![("photo", jpeg(11))],
            422,
            "ErrDescription",
        ),
        (
            with("lat", "91"),
            vec![("photo", jpeg(12))],
            422,
            "ErrLocation",
        ),
        (
            with("lat", ""),
            vec![("photo", jpeg(13))],
            422,
            "ErrLocation",
        ),
        (
            // No place at all: the resident is asked to choose one, in plain words.
            with("lat", "")
                .into_iter()
                .filter(|(k, _)| k != "lng")
                .collect(),
            vec![("photo", jpeg(13))],
            422,
            "ErrNoPlace",
        ),
        (
            with("category", "99999"),
            vec![("photo", jpeg(14))],
            422,
            "ErrCategory",
        ),
        (
            with("description", "井盖丢了"),
            (0..7).map(|i| ("photo", jpeg(20 + i))).collect(),
            422,
            "ErrPhotoCount",
        ),
    ];
    for (fields, files, status, msg) in cases {
        let f: Vec<(&str, &str)> = fields
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        let r = app
            .multipart("/api/tickets", &f, &files, Some(&resident))
            .await;
        assert_eq!(r.status.as_u16(), status, "{msg}: {}", r.body);
        assert!(r.body.contains(msg), "{msg}: {}", r.body);
        assert!(r.json()["message"].as_str().unwrap().chars().count() > 2);
    }
    // No key: refused.
    let r = app
        .multipart(
            "/api/tickets",
            &good,
            &[("photo", jpeg(15))],
            Some(&resident),
        )
        .await;
    assert!(r.body.contains("ErrRequestKey"), "{}", r.body);
    // Not signed in.
    let r = app.multipart("/api/tickets", &good, &[], None).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let after = ids(app.call("ticket/mine", &[], Some(&resident)).await.json());
    assert_eq!(before, after);
    assert_eq!(photo_files(&app), before_files, "no file left behind");
}

#[tokio::test]
async fn overdue_tickets_go_up_to_the_director_then_the_street() {
    let app = TestApp::new().await;
    let resident = app.login(who::RESIDENT).await;
    let id = reported(&app, &resident, "emergency", 30).await;
    let t0 = app
        .state
        .db
        .ticket(TicketId(id))
        .await
        .unwrap()
        .unwrap()
        .created_at;
    let svc = &app.state.tickets;
    let mine = |v: Vec<(TicketId, Escalation)>| {
        v.into_iter()
            .filter(|(t, _)| t.0 == id)
            .map(|(_, e)| e)
            .collect::<Vec<_>>()
    };
    assert_eq!(mine(svc.escalate(t0 + 30_000).await.unwrap()), vec![]);
    assert_eq!(
        mine(svc.escalate(t0 + 61_000).await.unwrap()),
        vec![Escalation::Community]
    );
    assert_eq!(
        mine(svc.escalate(t0 + 62_000).await.unwrap()),
        vec![],
        "once only"
    );
    assert_eq!(
        mine(svc.escalate(t0 + 121_000).await.unwrap()),
        vec![Escalation::Street]
    );
    // The director's board can show only late ones; the timeline says what happened.
    let director = app.login(who::XHJ_DIRECTOR).await;
    let d = detail(&app, id, Some(&director)).await.json();
    let kinds: Vec<Value> = d["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].clone())
        .collect();
    assert_eq!(kinds[1], serde_json::json!({"Escalated": "Community"}));
    assert_eq!(kinds[2], serde_json::json!({"Escalated": "Street"}));
    assert!(d["timeline"][1]["actor"].is_null());
    assert_eq!(d["deadlines"]["on_site_min"], 3);
    // Accepting starts the on-site clock afresh.
    let worker = app.login(who::GRID_WORKER).await;
    act(&app, &worker, id, &[("action", "accept")], vec![]).await;
    let t = app.state.db.ticket(TicketId(id)).await.unwrap().unwrap();
    assert_eq!(t.escalation, Escalation::None);
    assert_eq!(mine(svc.escalate(t0 + 150_000).await.unwrap()), vec![]);
    assert_eq!(
        mine(svc.escalate(t0 + 181_000).await.unwrap()),
        vec![Escalation::Community]
    );
}

#[tokio::test]
async fn a_dispute_is_mediated_privately() {
    let app = TestApp::new().await;
    let resident = app.login(who::RESIDENT).await;
    let cat = category_id(&app, "dispute").await;
    let (lat, lng) = in_xinhuajie_02();
    let (lat, lng, k) = (lat.to_string(), lng.to_string(), key());
    let mut fields = vec![
        ("category", cat.as_str()),
        ("description", "楼上装修噪音太大，沟通无果"),
        ("lat", lat.as_str()),
        ("lng", lng.as_str()),
        ("idempotency_key", k.as_str()),
    ];
    let r = app
        .multipart("/api/tickets", &fields, &[], Some(&resident))
        .await;
    assert!(r.body.contains("ErrParties"), "{}", r.body);
    fields.push(("parties", "陈桂兰与 402 住户"));
    let r = app
        .multipart("/api/tickets", &fields, &[], Some(&resident))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.json()["id"].as_i64().unwrap();
    // Private: not for the public or other residents.
    assert_eq!(
        detail(&app, id, None).await.status,
        StatusCode::UNAUTHORIZED
    );
    let other = app.login(who::OTHER_RESIDENT).await;
    assert_eq!(
        detail(&app, id, Some(&other)).await.status,
        StatusCode::FORBIDDEN
    );
    // Disputes go to the grid leader, who mediates.
    let leader = app.login(who::GRID_WORKER).await;
    act(&app, &leader, id, &[("action", "accept")], vec![]).await;
    let r = act(&app, &leader, id, &[("action", "resolve")], vec![]).await;
    assert!(r.body.contains("ErrAgreement"), "{}", r.body);
    let r = act(
        &app,
        &leader,
        id,
        &[
            ("action", "resolve"),
            ("note", "双方同意晚上八点后停止施工"),
        ],
        vec![],
    )
    .await;
    assert_eq!(r.json()["status"], "checking", "{}", r.body);
    let d = detail(&app, id, Some(&resident)).await.json();
    assert_eq!(d["mediator"], "潘月丽");
    assert_eq!(d["parties"], "陈桂兰与 402 住户");
    assert_eq!(d["agreement"], "双方同意晚上八点后停止施工");
}

#[tokio::test]
async fn categories_are_edited_by_admins_and_directors_edit_their_menu() {
    let app = TestApp::new().await;
    let admin = app.login(who::ADMIN).await;
    let director = app.login(who::XHJ_DIRECTOR).await;
    let xhj = app
        .state
        .db
        .user_scope(
            app.state
                .db
                .credentials(who::XHJ_DIRECTOR)
                .await
                .unwrap()
                .unwrap()
                .id,
        )
        .await
        .unwrap()
        .unwrap()
        .0
        .to_string();
    let input = |code: &'static str, kind: &'static str, community: Option<&str>| {
        let mut f = vec![
            ("input[code]", code.to_owned()),
            ("input[name_zh]", "测试类别".to_owned()),
            ("input[name_en]", "Test".to_owned()),
            ("input[kind]", kind.to_owned()),
            ("input[duty]", "Manager".to_owned()),
            ("input[accept_min]", "30".to_owned()),
            ("input[resolve_min]", "600".to_owned()),
            ("input[active]", "true".to_owned()),
        ];
        if let Some(c) = community {
            f.push(("input[community]", c.to_owned()));
        }
        f
    };
    let call = |form: Vec<(&'static str, String)>, cookie: String| {
        let app = &app;
        async move {
            let f: Vec<(&str, &str)> = form.iter().map(|(a, b)| (*a, b.as_str())).collect();
            app.call("ticket/save_category", &f, Some(&cookie)).await
        }
    };
    let r = call(input("noise", "Problem", None), admin.clone()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["code"], "noise");
    let r = call(input("noise", "Problem", None), admin.clone()).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert!(r.body.contains("ErrCodeTaken"));
    // A director adds to their community's menu, and nothing else.
    let r = call(
        input("xhj_haircut", "Service", Some(&xhj)),
        director.clone(),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = call(input("street_wide", "Problem", None), director.clone()).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let other = app
        .state
        .db
        .category_by_code("xhj_haircut")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(other.community.unwrap().0.to_string(), xhj);
    // Everyone sees the active list.
    let list = app
        .call("ticket/categories", &[("all", "false")], None)
        .await
        .json();
    assert!(
        list.as_array()
            .unwrap()
            .iter()
            .any(|c| c["code"] == "xhj_haircut")
    );
}

#[tokio::test]
async fn photos_are_served_upright_without_metadata_and_the_map_shows_public_tickets() {
    let app = TestApp::new().await;
    let resident = app.login(who::RESIDENT).await;
    let id = reported(&app, &resident, "facilities", 40).await;
    let d = detail(&app, id, None).await.json();
    let key = d["photos"][0]["key"].as_str().unwrap().to_owned();
    let thumb = d["photos"][0]["thumb"].as_str().unwrap().to_owned();
    for k in [&key, &thumb] {
        let r = app.get(&format!("/photos/{k}.jpg"), None).await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(r.headers["content-type"], "image/jpeg");
        assert!(
            r.headers["cache-control"]
                .to_str()
                .unwrap()
                .contains("immutable")
        );
    }
    assert_eq!(
        app.get("/photos/../../etc/passwd", None).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get(&format!("/photos/{}.jpg", "0".repeat(64)), None)
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    let bbox = [
        ("south", "33.5"),
        ("west", "114.0"),
        ("north", "33.6"),
        ("east", "114.1"),
    ];
    let public = app.call("ticket/markers", &bbox, None).await.json();
    let ids: Vec<i64> = public
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_i64().unwrap())
        .collect();
    assert_eq!(
        ids,
        vec![id],
        "only the public problem, not the demo dispute or request"
    );
    // A phone-sized box takes the other query path and finds it too.
    let (lat, lng) = in_xinhuajie_02();
    let near = [
        ("south", (lat - 0.001).to_string()),
        ("west", (lng - 0.001).to_string()),
        ("north", (lat + 0.001).to_string()),
        ("east", (lng + 0.001).to_string()),
    ];
    let near: Vec<(&str, &str)> = near.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let small = app.call("ticket/markers", &near, None).await.json();
    assert_eq!(small[0]["id"].as_i64(), Some(id));
    let admin = app.login(who::ADMIN).await;
    let all = app.call("ticket/markers", &bbox, Some(&admin)).await.json();
    assert_eq!(all.as_array().unwrap().len(), 3);
    let bad = app
        .call(
            "ticket/markers",
            &[
                ("south", "40"),
                ("west", "114.0"),
                ("north", "33.6"),
                ("east", "114.1"),
            ],
            None,
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    // Live changes are a server-sent event stream.
    let (status, headers) = app.head_of("/api/events", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["content-type"], "text/event-stream");
}

#[tokio::test]
async fn the_worker_calls_the_reporter_back_and_the_read_is_audited() {
    let app = TestApp::new().await;
    let resident = app.login(who::RESIDENT).await;
    let id = reported(&app, &resident, "facilities", 33).await;
    let phone = |cookie: String| {
        let app = &app;
        async move {
            app.call(
                "ticket/reporter_phone",
                &[("id", &id.to_string())],
                Some(&cookie),
            )
            .await
        }
    };
    let worker = app.login(who::GRID_WORKER).await;
    // Her ticket page offers the call; the reporter's own page does not.
    assert_eq!(
        detail(&app, id, Some(&worker)).await.json()["handler"],
        true
    );
    assert_eq!(
        detail(&app, id, Some(&resident)).await.json()["handler"],
        false
    );
    let r = phone(worker).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json(), who::RESIDENT);
    let audited = || async { app.state.db.count_audit("call.reporter").await.unwrap() };
    assert_eq!(audited().await, 1);
    // Another grid's worker and the reporter get no number, and no row is written.
    let other = app.login(who::OTHER_GRID_WORKER).await;
    assert_eq!(phone(other).await.status, StatusCode::FORBIDDEN);
    assert_eq!(phone(resident).await.status, StatusCode::FORBIDDEN);
    assert_eq!(audited().await, 1);
}

/// 核查: each closing outcome needs its words; a check waits with its own deadline
/// and escalates when overdue; who checks follows the category; a service request
/// is not checked.
#[tokio::test]
async fn a_second_person_checks_every_closing_outcome() {
    let app = TestApp::new().await;
    let resident = app.login(who::RESIDENT).await;
    let leader = app.login(who::GRID_WORKER).await;
    let director = app.login(who::XHJ_DIRECTOR).await;
    let id = reported(&app, &resident, "facilities", 9).await;
    act(&app, &leader, id, &[("action", "accept")], vec![]).await;

    // Not ours: which body is responsible, in words the reporter reads.
    let r = act(&app, &leader, id, &[("action", "not_ours")], vec![]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("ErrResponsibleBody"), "{}", r.body);
    let r = act(
        &app,
        &leader,
        id,
        &[("action", "not_ours"), ("note", "燃气管道归燃气公司维修")],
        vec![],
    )
    .await;
    assert_eq!(r.json()["status"], "checking", "{}", r.body);
    let d = detail(&app, id, Some(&resident)).await.json();
    assert_eq!(d["outcome"], "NotOurs");
    assert_eq!(d["timeline"][2]["note"], "燃气管道归燃气公司维修");

    // Overdue checks escalate like any deadline: past it to the community, past twice
    // its length to the street, each once, with the clock the test chooses.
    let due = d["check_due_ms"].as_i64().unwrap();
    let raised = app.state.tickets.escalate(due - 1000).await.unwrap();
    assert!(raised.iter().all(|(t, _)| t.0 != id), "{raised:?}");
    let raised = app.state.tickets.escalate(due + 1000).await.unwrap();
    assert!(
        raised
            .iter()
            .any(|(t, e)| t.0 == id && *e == app::domain::ticket::Escalation::Community),
        "{raised:?}"
    );
    let raised = app
        .state
        .tickets
        .escalate(due + 4 * 86_400_000)
        .await
        .unwrap();
    assert!(
        raised
            .iter()
            .any(|(t, e)| t.0 == id && *e == app::domain::ticket::Escalation::Street),
        "{raised:?}"
    );
    let d = detail(&app, id, Some(&director)).await.json();
    assert_eq!(d["summary"]["escalation"], "Street");

    // Sent back; then partly fixed: what is left, and an "after" photo for a problem.
    let r = act(
        &app,
        &director,
        id,
        &[
            ("action", "fail_check"),
            ("note", "燃气公司说是楼内管道，归物业"),
        ],
        vec![],
    )
    .await;
    assert_eq!(r.json()["status"], "in_progress", "{}", r.body);
    let r = act(&app, &leader, id, &[("action", "resolve_partly")], vec![]).await;
    assert!(r.body.contains("ErrLeftToDo"), "{}", r.body);
    let partly = [
        ("action", "resolve_partly"),
        ("note", "已关阀止漏，待物业换管"),
    ];
    let r = act(&app, &leader, id, &partly, vec![]).await;
    assert!(r.body.contains("ErrAfterPhoto"), "{}", r.body);
    let r = act(&app, &leader, id, &partly, vec![jpeg(10)]).await;
    assert_eq!(r.json()["status"], "checking", "{}", r.body);
    assert_eq!(detail(&app, id, None).await.json()["outcome"], "Partly");
    // Open311 still says open, and its notes say the state behind it.
    let o = app
        .get(&format!("/open311/v2/requests/{id}.json"), None)
        .await
        .json();
    assert_eq!(o[0]["status"], "open", "{o}");
    assert_eq!(
        o[0]["status_notes"], "待核查（部分解决）：已关阀止漏，待物业换管",
        "{o}"
    );

    // The 网格长 checks this category: another of the grid's staff may not, until
    // the category says any other staff member may.
    let police = app.login("13903960052").await;
    let r = act(&app, &police, id, &[("action", "pass_check")], vec![]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    sqlx::query("UPDATE categories SET checker = 'other_staff' WHERE code = 'facilities'")
        .execute(&app.state.db.pool)
        .await
        .unwrap();
    let r = act(&app, &police, id, &[("action", "pass_check")], vec![]).await;
    assert_eq!(r.json()["status"], "resolved", "{}", r.body);
    let d = detail(&app, id, Some(&resident)).await.json();
    assert_eq!(d["rework"], 1);
    assert_eq!(d["outcome"], "Partly");
    assert_eq!(d["actions"], serde_json::json!(["Rate"]));
    // Nothing half-written by the refused steps: eight events.
    assert_eq!(
        d["timeline"].as_array().unwrap().len(),
        8,
        "{}",
        d["timeline"]
    );

    // Service requests are not checked: resolved goes to the reporter at once.
    let visit = reported(&app, &resident, "xhj_visit", 11).await;
    let r = act(
        &app,
        &leader,
        visit,
        &[("action", "resolve"), ("note", "已上门看望")],
        vec![],
    )
    .await;
    assert_eq!(r.json()["status"], "resolved", "{}", r.body);
}

/// Resolves a fresh 新华街02 service request (not checked) as 潘月丽, so it waits for
/// the reporter's rating; returns its id.
pub(crate) async fn resolved_for_rating(app: &TestApp, resident: &str, photo: u8) -> i64 {
    let leader = app.login(who::GRID_WORKER).await;
    let id = reported(app, resident, "xhj_visit", photo).await;
    let r = act(
        app,
        &leader,
        id,
        &[("action", "resolve"), ("note", "已上门看望")],
        vec![],
    )
    .await;
    assert_eq!(r.json()["status"], "resolved", "{}", r.body);
    id
}

/// 满意度回访: a 不满意 reopens once for a redo and the second rating counts; staff
/// never rate; a week without an answer closes it as "no answer", once.
#[tokio::test]
async fn a_bad_rating_reopens_once_and_silence_is_no_answer() {
    let app = TestApp::new().await;
    let resident = app.login(who::RESIDENT).await;
    let leader = app.login(who::GRID_WORKER).await;
    let id = resolved_for_rating(&app, &resident, 21).await;
    // Her list asks for the rating too.
    let mine = app.call("ticket/mine", &[], Some(&resident)).await.json();
    let line = mine
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == id)
        .unwrap()
        .clone();
    assert_eq!(line["to_rate"], true, "{line}");
    let rate = |rating: &'static str| [("action", "rate"), ("rating", rating), ("note", "")];
    // Someone else's ticket: another resident may not rate it, and nothing is written.
    let other = app.login(who::OTHER_RESIDENT).await;
    let r = act(&app, &other, id, &rate("very_unsatisfied"), vec![]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    assert_eq!(
        detail(&app, id, Some(&resident)).await.json()["summary"]["status"],
        "Resolved"
    );

    // 不满意: back to work once, with the comment on the timeline.
    let r = act(
        &app,
        &resident,
        id,
        &[
            ("action", "rate"),
            ("rating", "very_unsatisfied"),
            ("note", "老人说没人来过"),
        ],
        vec![],
    )
    .await;
    assert_eq!(r.json()["status"], "in_progress", "{}", r.body);
    let d = detail(&app, id, Some(&resident)).await.json();
    assert_eq!(d["rating"], "VeryUnsatisfied");
    assert_eq!(d["actions"], serde_json::json!([]));
    let last = d["timeline"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(
        last["kind"],
        serde_json::json!({"Rated": "VeryUnsatisfied"})
    );
    assert_eq!(last["note"], "老人说没人来过");
    let r = act(
        &app,
        &leader,
        id,
        &[("action", "resolve"), ("note", "重新上门，老人在家")],
        vec![],
    )
    .await;
    assert_eq!(r.json()["status"], "resolved", "{}", r.body);
    // The second rating counts, even 不满意: it closes.
    let r = act(&app, &resident, id, &rate("unsatisfied"), vec![]).await;
    assert_eq!(r.json()["status"], "closed", "{}", r.body);
    assert_eq!(
        detail(&app, id, Some(&resident)).await.json()["rating"],
        "Unsatisfied"
    );

    // Silence: nothing before the week is out, then "no answer" once, never satisfied.
    let quiet = resolved_for_rating(&app, &resident, 22).await;
    let asked = detail(&app, quiet, Some(&resident)).await.json()["rating_until_ms"]
        .as_i64()
        .unwrap();
    let closed = app.state.tickets.lapse_ratings(asked - 1000).await.unwrap();
    assert!(!closed.contains(&TicketId(quiet)), "{closed:?}");
    let closed = app.state.tickets.lapse_ratings(asked + 1000).await.unwrap();
    assert!(closed.contains(&TicketId(quiet)), "{closed:?}");
    let closed = app.state.tickets.lapse_ratings(asked + 2000).await.unwrap();
    assert!(!closed.contains(&TicketId(quiet)), "{closed:?}");
    let d = detail(&app, quiet, Some(&resident)).await.json();
    assert_eq!(d["summary"]["status"], "Closed");
    assert_eq!(d["rating"], "NoAnswer");
    let last = d["timeline"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["kind"], serde_json::json!({"Rated": "NoAnswer"}));
    assert!(last["actor"].is_null());
    // Too late to rate now.
    let r = act(&app, &resident, quiet, &rate("satisfied"), vec![]).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
}

/// The same problem twice: open tickets of the category within 50 m are offered (not
/// at 60 m, not another category, never a private kind); "就是这个" follows instead of
/// reporting; merging by number moves followers and photos, both timelines say so;
/// a merge into a closed or unknown ticket is refused and writes nothing.
#[tokio::test]
async fn the_same_problem_is_followed_not_filed_twice() {
    let app = TestApp::new().await;
    let first = app.login(who::RESIDENT).await;
    let second = app.login(who::OTHER_RESIDENT).await;
    let worker = app.login(who::GRID_WORKER).await;
    let (lat, lng) = in_xinhuajie_02();
    let r = report(&app, &first, "facilities", (lat, lng), vec![jpeg(31)]).await;
    let a = r.json()["id"].as_i64().unwrap();
    let cat = category_id(&app, "facilities").await;
    // Metres north of the first report.
    let north = |m: f64| (lat + m / 111_195.0).to_string();
    let nearby = |cat: String, lat: String, cookie: Option<String>| {
        let app = &app;
        async move {
            let r = app
                .call(
                    "ticket/nearby",
                    &[("category", &cat), ("lat", &lat), ("lng", &lng.to_string())],
                    cookie.as_deref(),
                )
                .await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.body);
            r.json().as_array().unwrap().clone()
        }
    };
    let found = nearby(cat.clone(), north(20.0), Some(second.clone())).await;
    let hit = found
        .iter()
        .find(|n| n["id"] == a)
        .expect("20 m away is offered");
    assert_eq!(hit["distance_m"], 20);
    assert_eq!(hit["reports"], 1);
    assert_eq!(hit["mine"], false);
    assert!(hit["photo"].is_string());
    assert!(
        !nearby(cat.clone(), north(60.0), None)
            .await
            .iter()
            .any(|n| n["id"] == a),
        "60 m away is not"
    );
    let other_cat = category_id(&app, "sanitation").await;
    assert!(
        !nearby(other_cat, north(20.0), None)
            .await
            .iter()
            .any(|n| n["id"] == a)
    );
    let visit = category_id(&app, "xhj_visit").await;
    assert!(nearby(visit, north(0.0), None).await.is_empty());
    let r = app
        .call(
            "ticket/nearby",
            &[("category", &cat), ("lat", "91"), ("lng", "114")],
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);

    // 就是这个: followed once however often tapped; counted, listed as hers, told.
    for _ in 0..2 {
        let r = app
            .call("ticket/follow", &[("id", &a.to_string())], Some(&second))
            .await;
        assert_eq!(r.json(), 2, "{}", r.body);
    }
    let d = detail(&app, a, Some(&second)).await.json();
    assert_eq!(d["reports"], 2);
    assert_eq!(d["following"], true);
    let mine = app.call("ticket/mine", &[], Some(&second)).await.json();
    assert!(
        mine.as_array().unwrap().iter().any(|t| t["id"] == a),
        "{mine}"
    );
    let found = nearby(cat.clone(), north(0.0), Some(second.clone())).await;
    assert_eq!(found.iter().find(|n| n["id"] == a).unwrap()["mine"], true);
    // The reporter following her own report changes nothing.
    let r = app
        .call("ticket/follow", &[("id", &a.to_string())], Some(&first))
        .await;
    assert_eq!(r.json(), 2, "{}", r.body);

    // A third report anyway; staff merge it into the first by number.
    let third = app.login("13903970003").await;
    let r = report(&app, &third, "facilities", (lat, lng), vec![jpeg(32)]).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let c = r.json()["id"].as_i64().unwrap();
    // Into a closed or an unknown ticket: refused, nothing written.
    let closed = resolved_for_rating(&app, &first, 33).await;
    act(
        &app,
        &first,
        closed,
        &[("action", "rate"), ("rating", "satisfied")],
        vec![],
    )
    .await;
    let before = detail(&app, c, Some(&worker)).await.json()["timeline"].clone();
    for (into, msg) in [
        (closed, "ErrMergeClosed"),
        (999_999, "ErrDuplicateOf"),
        (c, "ErrDuplicateOf"),
    ] {
        let r = act(
            &app,
            &worker,
            c,
            &[
                ("action", "duplicate"),
                ("note", "同一盏灯"),
                ("duplicate_of", &into.to_string()),
            ],
            vec![],
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.body.contains(msg), "{into}: {}", r.body);
    }
    let d = detail(&app, c, Some(&worker)).await.json();
    assert_eq!(d["timeline"], before);
    assert_eq!(d["summary"]["status"], "Pending");
    let r = act(
        &app,
        &worker,
        c,
        &[
            ("action", "duplicate"),
            ("note", "同一盏灯"),
            ("duplicate_of", &a.to_string()),
        ],
        vec![],
    )
    .await;
    assert_eq!(r.json()["status"], "duplicate", "{}", r.body);
    let d = detail(&app, a, Some(&worker)).await.json();
    assert_eq!(d["reports"], 3);
    let merged = d["timeline"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(merged["kind"], "Merged");
    assert_eq!(merged["note"], format!("#{c}"));
    assert_eq!(merged["photos"].as_array().unwrap().len(), 1);
    let d = detail(&app, c, Some(&worker)).await.json();
    assert_eq!(d["duplicate_of"], a);
    assert_eq!(
        d["timeline"].as_array().unwrap().last().unwrap()["kind"],
        serde_json::json!({"Action": "MarkDuplicate"})
    );
    let mine = app.call("ticket/mine", &[], Some(&third)).await.json();
    assert!(
        mine.as_array().unwrap().iter().any(|t| t["id"] == a),
        "{mine}"
    );
}

/// 办事公开: the month's figures move only for what is honest — a checked fix the
/// resident did not reject; a 不满意 fix is not fixed; silence is never satisfied;
/// grids only for staff; a bad month is refused.
#[tokio::test]
async fn the_public_figures_count_only_honest_fixes() {
    let app = TestApp::new().await;
    let resident = app.login(who::RESIDENT).await;
    let leader = app.login(who::GRID_WORKER).await;
    let month = app::domain::shift::month_of(app::domain::time::now_ms());
    let stats = |cookie: Option<String>| {
        let (app, month) = (&app, month.clone());
        async move {
            let r = app
                .call("ticket/stats", &[("month", &month)], cookie.as_deref())
                .await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.body);
            r.json()
        }
    };
    let before = stats(None).await;
    assert_eq!(before["month"], month.as_str());
    assert_eq!(
        before["grids"],
        serde_json::json!([]),
        "grids are for staff"
    );
    let staff = stats(Some(leader.clone())).await;
    assert!(!staff["grids"].as_array().unwrap().is_empty());

    // A problem fixed, checked and rated 满意.
    let good = reported(&app, &resident, "facilities", 41).await;
    act(&app, &leader, good, &[("action", "accept")], vec![]).await;
    act(
        &app,
        &leader,
        good,
        &[("action", "resolve"), ("note", "已修好")],
        vec![jpeg(42)],
    )
    .await;
    checked(&app, good).await;
    act(
        &app,
        &resident,
        good,
        &[("action", "rate"), ("rating", "satisfied")],
        vec![],
    )
    .await;
    // A service visit rated 不满意 twice: closed, not fixed.
    let bad = resolved_for_rating(&app, &resident, 43).await;
    let unhappy = [
        ("action", "rate"),
        ("rating", "unsatisfied"),
        ("note", "没人来"),
    ];
    act(&app, &resident, bad, &unhappy, vec![]).await;
    act(
        &app,
        &leader,
        bad,
        &[("action", "resolve"), ("note", "又去了")],
        vec![],
    )
    .await;
    let r = act(&app, &resident, bad, &unhappy, vec![]).await;
    assert_eq!(r.json()["status"], "closed", "{}", r.body);
    // A visit nobody rated: fixed (not checked by its category), never satisfied.
    let quiet = resolved_for_rating(&app, &resident, 44).await;
    let until = detail(&app, quiet, Some(&resident)).await.json()["rating_until_ms"]
        .as_i64()
        .unwrap();
    app.state.tickets.lapse_ratings(until + 1).await.unwrap();
    // Still waiting for its check: reported, not fixed.
    let waiting = reported(&app, &resident, "facilities", 45).await;
    act(
        &app,
        &leader,
        waiting,
        &[("action", "resolve"), ("note", "已修好")],
        vec![jpeg(46)],
    )
    .await;

    let after = stats(None).await;
    let moved =
        |k: &str| after["street"][k].as_i64().unwrap() - before["street"][k].as_i64().unwrap();
    assert_eq!(moved("reported"), 4);
    assert_eq!(moved("fixed"), 2, "{after}");
    assert_eq!(moved("rating_due"), 3);
    assert_eq!(moved("rated"), 2);
    assert_eq!(moved("satisfied"), 1);
    let xhj = after["communities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c[0] == "新华街社区")
        .expect("新华街社区 has its own figures")
        .clone();
    assert!(xhj[1]["reported"].as_i64().unwrap() >= 4, "{xhj}");

    for bad in ["2026-13", "december", "2026"] {
        let r = app.call("ticket/stats", &[("month", bad)], None).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{bad}: {}",
            r.body
        );
        assert!(r.body.contains("ErrMonth"), "{}", r.body);
    }
}

/// 代报: a worker files for a resident without a smartphone; the ticket says so; the
/// worker cannot rate it; the rating is recorded by phone by staff who did not handle
/// it, saying who called; once the number signs up and is confirmed, the next such
/// ticket is in that resident's list and theirs to rate. Residents cannot file for
/// others; a bad number is refused and writes nothing.
#[tokio::test]
async fn a_worker_files_for_a_resident_and_the_rating_comes_by_phone() {
    let app = TestApp::new().await;
    let leader = app.login(who::GRID_WORKER).await;
    let director = app.login(who::XHJ_DIRECTOR).await;
    let resident = app.login(who::RESIDENT).await;
    let number = "13903979911";
    let file = |cookie: String, phone: &'static str, photo: u8| {
        let app = &app;
        async move {
            let cat = category_id(app, "xhj_visit").await;
            let (lat, lng) = in_xinhuajie_02();
            let k = key();
            app.multipart(
                "/api/tickets",
                &[
                    ("category", &cat),
                    ("description", "独居老人家里水管漏水，想请人来看看"),
                    ("lat", &lat.to_string()),
                    ("lng", &lng.to_string()),
                    ("idempotency_key", &k),
                    ("proxy_name", "王桂芝"),
                    ("proxy_phone", phone),
                ],
                &[("photo", jpeg(photo))],
                Some(&cookie),
            )
            .await
        }
    };
    let tickets = || async {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM tickets")
            .fetch_one(&app.state.db.pool)
            .await
            .unwrap()
    };
    let n = tickets().await;
    let r = file(resident.clone(), number, 51).await;
    assert_eq!(
        r.status,
        StatusCode::FORBIDDEN,
        "residents file for themselves"
    );
    let r = file(leader.clone(), "12345", 52).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("proxy_phone"), "{}", r.body);
    assert_eq!(tickets().await, n, "nothing written");

    let r = file(leader.clone(), number, 53).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.json()["id"].as_i64().unwrap();
    let d = detail(&app, id, Some(&director)).await.json();
    assert_eq!(d["proxy_for"], serde_json::json!(["王桂芝", "139****9911"]));
    // Calling back dials her number, not the worker's.
    let r = app
        .call(
            "ticket/reporter_phone",
            &[("id", &id.to_string())],
            Some(&director),
        )
        .await;
    assert_eq!(r.json(), number, "{}", r.body);

    act(
        &app,
        &leader,
        id,
        &[("action", "resolve"), ("note", "已修好水管")],
        vec![],
    )
    .await;
    // The worker who filed and fixed it may neither rate nor record the rating.
    let d = detail(&app, id, Some(&leader)).await.json();
    assert_eq!(d["actions"], serde_json::json!([]));
    let answer = [
        ("action", "record_rating"),
        ("rating", "basic"),
        ("note", "电话里说基本满意"),
    ];
    let r = act(&app, &leader, id, &answer, vec![]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = act(
        &app,
        &leader,
        id,
        &[("action", "rate"), ("rating", "satisfied")],
        vec![],
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // The director calls her and records the answer; the step says who and when.
    let d = detail(&app, id, Some(&director)).await.json();
    assert_eq!(d["actions"], serde_json::json!(["RecordRating"]));
    let r = act(&app, &director, id, &answer, vec![]).await;
    assert_eq!(r.json()["status"], "closed", "{}", r.body);
    let d = detail(&app, id, Some(&director)).await.json();
    assert_eq!(d["rating"], "Basic");
    let last = d["timeline"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["kind"], serde_json::json!({"Rated": "Basic"}));
    assert!(last["actor"].is_string(), "{last}");
    assert_ne!(last["actor"], "潘月丽");
    assert!(last["at_ms"].as_i64().unwrap() > 0);

    // She signs up with that number; until staff confirm it is hers, nothing is hers.
    let r = app
        .call(
            "auth/signup",
            &[
                ("name", "王桂芝"),
                ("phone", number),
                ("password", "wangguizhi-2026"),
            ],
            None,
        )
        .await;
    assert!(r.status.is_success(), "{}", r.body);
    let second = file(leader.clone(), number, 54).await.json()["id"]
        .as_i64()
        .unwrap();
    act(
        &app,
        &leader,
        second,
        &[("action", "resolve"), ("note", "已换阀门")],
        vec![],
    )
    .await;
    let her = app.login_with(number, "wangguizhi-2026").await.unwrap();
    let mine = app.call("ticket/mine", &[], Some(&her)).await.json();
    assert!(
        !mine.as_array().unwrap().iter().any(|t| t["id"] == second),
        "{mine}"
    );
    let r = act(
        &app,
        &her,
        second,
        &[("action", "rate"), ("rating", "satisfied")],
        vec![],
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let pan = app
        .state
        .db
        .credentials(who::GRID_WORKER)
        .await
        .unwrap()
        .unwrap()
        .id;
    app.state
        .db
        .verify_account(number, pan, "InPerson")
        .await
        .unwrap();
    let her = app.login_with(number, "wangguizhi-2026").await.unwrap();
    let mine = app.call("ticket/mine", &[], Some(&her)).await.json();
    let line = mine
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == second)
        .cloned();
    assert_eq!(line.expect("hers once confirmed")["to_rate"], true);
    let r = act(
        &app,
        &her,
        second,
        &[("action", "rate"), ("rating", "satisfied")],
        vec![],
    )
    .await;
    assert_eq!(r.json()["status"], "closed", "{}", r.body);
}
