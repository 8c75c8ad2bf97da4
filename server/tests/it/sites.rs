//! 重点场所 over the real router: staff see and register the sites of their community
//! only; an inspection with a failed item opens a ticket routed like any report (once),
//! a re-inspection that passes the item closes it; bad inspections write nothing; admins
//! alone edit the types, whose checklist items keep their keys.
#![allow(clippy::unwrap_used)]
use crate::common::{self, TestApp, count, in_xinhuajie_02, jpeg, who};
use axum::http::StatusCode;
use serde_json::{Value, json};

fn site(type_id: i64, name: &str, at: (f64, f64)) -> Value {
    json!({ "site": { "id": null, "type_id": type_id, "name": name, "address": "新华街 20 号",
        "contact_name": "周老板", "contact_phone": "0395-1234567", "lat": at.0, "lng": at.1,
        "risks": 1 } })
}

async fn type_id(app: &TestApp, name: &str) -> i64 {
    count(
        app,
        &format!("SELECT id FROM site_types WHERE name_zh = '{name}'"),
    )
    .await
}

/// Answers for every item of the site's checklist: `fail` names the keys that fail.
fn answers(detail: &Value, fail: &[&str], photo: bool) -> String {
    let list: Vec<Value> = detail["checklist"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            let key = i["key"].as_str().unwrap();
            let failed = fail.contains(&key);
            json!({ "key": key, "pass": !failed,
                    "note": if failed { "安全出口被货物堵住" } else { "" },
                    "photo": failed && photo })
        })
        .collect();
    serde_json::to_string(&list).unwrap()
}

async fn inspect(
    app: &TestApp,
    id: i64,
    results: &str,
    key: &str,
    photos: Vec<Vec<u8>>,
    cookie: &str,
) -> common::Reply {
    let files: Vec<(&str, Vec<u8>)> = photos.into_iter().map(|p| ("photo", p)).collect();
    app.multipart(
        &format!("/api/sites/{id}/inspections"),
        &[("results", results), ("note", ""), ("idempotency_key", key)],
        &files,
        Some(cookie),
    )
    .await
}

async fn detail(app: &TestApp, id: i64, cookie: &str) -> Value {
    let r = app
        .call("sites/detail", &[("id", &id.to_string())], Some(cookie))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.json()
}

#[tokio::test]
async fn a_failed_item_opens_a_ticket_and_a_re_inspection_closes_it() {
    let app = TestApp::new().await;
    let gw = app.login(who::GRID_WORKER).await;
    // The board: 新华街社区's sites only, the nursing home overdue (registered 40 days
    // ago, inspected every 15).
    let r = app.call("sites/board", &[], Some(&gw)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let b = r.json();
    let names: Vec<&str> = b["sites"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"夕阳红敬老院"), "{names:?}");
    assert!(!names.contains(&"老街实验小学"), "{names:?}");
    let overdue: Vec<&str> = b["overdue"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| g["sites"].as_array().unwrap())
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(overdue, vec!["夕阳红敬老院"]);
    assert_eq!(b["may_edit_types"], false);

    // Registering: outside her community is refused and writes nothing.
    let food = type_id(&app, "餐饮").await;
    let sites = "SELECT COUNT(*) FROM sites";
    let before = count(&app, sites).await;
    let (s, w, n, e) = server::seed::grid_bounds(0, 0);
    let r = app
        .call_json(
            "sites/save",
            site(food, "别处饭店", ((s + n) / 2.0, (w + e) / 2.0)),
            Some(&gw),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("location"), "{}", r.body);
    let r = app
        .call_json("sites/save", site(food, "  ", in_xinhuajie_02()), Some(&gw))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(count(&app, sites).await, before);
    let r = app
        .call_json(
            "sites/save",
            site(food, "周记饭店", in_xinhuajie_02()),
            Some(&gw),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let id: i64 = r.json().as_i64().unwrap();
    let d = detail(&app, id, &gw).await;
    assert_eq!(d["checklist"].as_array().unwrap().len(), 6);
    // The full number on its page, the read audited.
    assert_eq!(d["site"]["contact_phone"], "0395-1234567");
    assert_eq!(
        count(&app, &format!("SELECT COUNT(*) FROM audit_log WHERE action = 'site_contact' AND subject = 'site:{id}'")).await,
        1
    );

    // Another community's worker and a resident see none of it.
    let other = app.login(who::OTHER_GRID_WORKER).await;
    let r = app
        .call("sites/detail", &[("id", &id.to_string())], Some(&other))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = inspect(
        &app,
        id,
        &answers(&d, &[], false),
        "k-other-0001",
        vec![],
        &other,
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let resident = app.login(who::RESIDENT).await;
    assert_eq!(
        app.call("sites/board", &[], Some(&resident)).await.status,
        StatusCode::FORBIDDEN
    );

    // Bad inspections write nothing: an item unanswered, a photo not announced.
    let tickets = "SELECT COUNT(*) FROM tickets";
    let t0 = count(&app, tickets).await;
    let inspections = "SELECT COUNT(*) FROM inspections";
    let partial: Vec<Value> = serde_json::from_str::<Vec<Value>>(&answers(&d, &["i2"], false))
        .unwrap()
        .into_iter()
        .skip(1)
        .collect();
    let r = inspect(
        &app,
        id,
        &serde_json::to_string(&partial).unwrap(),
        "k-bad-00001",
        vec![],
        &gw,
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let r = inspect(
        &app,
        id,
        &answers(&d, &["i2"], false),
        "k-bad-00002",
        vec![jpeg(1)],
        &gw,
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(count(&app, tickets).await, t0);
    assert_eq!(count(&app, inspections).await, 0);

    // Exits blocked: a ticket in the hazard category, routed to 新华街02, with the photo.
    let r = inspect(
        &app,
        id,
        &answers(&d, &["i2"], true),
        "k-first-0001",
        vec![jpeg(2)],
        &gw,
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let done = r.json();
    let opened: Vec<i64> = done["opened"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_i64().unwrap())
        .collect();
    assert_eq!(opened.len(), 1);
    let t = opened[0];
    let grid = count(&app, "SELECT id FROM grids WHERE code = 'LJ-XHJ-02'").await;
    assert_eq!(
        count(&app, &format!("SELECT grid_id FROM tickets WHERE id = {t}")).await,
        grid
    );
    assert_eq!(
        count(&app, &format!("SELECT COUNT(*) FROM tickets k JOIN categories c ON c.id = k.category_id
            WHERE k.id = {t} AND c.code = 'site_hazard' AND k.status = 'pending' AND k.assignee_id IS NOT NULL")).await,
        1
    );
    assert_eq!(
        count(
            &app,
            &format!("SELECT COUNT(*) FROM ticket_photos WHERE ticket_id = {t}")
        )
        .await,
        1
    );
    // The same submission again (a retry): nothing new.
    let r = inspect(
        &app,
        id,
        &answers(&d, &["i2"], true),
        "k-first-0001",
        vec![jpeg(2)],
        &gw,
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(count(&app, tickets).await, t0 + 1);
    // The site is no longer due for a cycle; its hazard shows, and the form keeps the item.
    let d = detail(&app, id, &gw).await;
    assert_eq!(d["hazards"][0]["ticket"], t);
    assert!(d["site"]["last_inspected_ms"].is_i64());
    assert_eq!(d["inspections"].as_array().unwrap().len(), 1);

    // Failed again while the ticket is open: no second ticket.
    let r = inspect(
        &app,
        id,
        &answers(&d, &["i2"], false),
        "k-second-001",
        vec![],
        &gw,
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.json()["opened"].as_array().unwrap().len(), 0);
    assert_eq!(count(&app, tickets).await, t0 + 1);

    // A director of the community re-inspects: passed, the ticket is closed with the
    // re-inspection on its timeline.
    let director = app.login(who::XHJ_DIRECTOR).await;
    let d = detail(&app, id, &director).await;
    let r = inspect(
        &app,
        id,
        &answers(&d, &[], false),
        "k-third-0001",
        vec![],
        &director,
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.json()["closed"], json!([t]));
    assert_eq!(
        count(&app, &format!("SELECT COUNT(*) FROM tickets WHERE id = {t} AND status = 'closed' AND outcome = 'fixed'")).await,
        1
    );
    assert_eq!(
        count(
            &app,
            &format!(
                "SELECT COUNT(*) FROM ticket_events WHERE ticket_id = {t} AND status = 'closed'"
            )
        )
        .await,
        1
    );
    let d = detail(&app, id, &gw).await;
    assert_eq!(d["hazards"], json!([]));
    assert_eq!(count(&app, inspections).await, 3);
}

#[tokio::test]
async fn admins_edit_types_and_their_checklists_keep_keys() {
    let app = TestApp::new().await;
    let admin = app.login(who::ADMIN).await;
    let director = app.login(who::XHJ_DIRECTOR).await;
    let school = type_id(&app, "学校").await;
    let category = count(&app, "SELECT id FROM categories WHERE code = 'site_hazard'").await;
    let edit = |items: &str, cycle: i64, name: &str| {
        json!({ "t": { "id": school, "name_zh": name, "name_en": "School", "cycle_days": cycle,
            "items": items, "category": category, "active": true } })
    };
    let items = "安全出口、疏散通道畅通，未锁闭、未堵塞 | Exits clear\n校车停放区域安全 | School bus bay safe";
    let r = app
        .call_json("sites/type_save", edit(items, 14, "学校"), Some(&director))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    for bad in [
        edit(items, 0, "学校"),
        edit("", 14, "学校"),
        edit(items, 14, "商场"),
    ] {
        let r = app.call_json("sites/type_save", bad, Some(&admin)).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    }
    let r = app
        .call_json("sites/type_save", edit(items, 14, "学校"), Some(&admin))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let b = app.call("sites/board", &[], Some(&admin)).await.json();
    assert_eq!(b["may_edit_types"], true);
    let t = b["types"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == school)
        .unwrap()
        .clone();
    assert_eq!(t["cycle_days"], 14);
    // The unchanged item kept its key; the new one follows the highest.
    assert_eq!(t["checklist"][0]["key"], "i2");
    assert_eq!(t["checklist"][0]["en"], "Exits clear");
    assert_eq!(t["checklist"][1]["key"], "i7");
    // The school registered ten days ago is now due four days after registration.
    let due = count(
        &app,
        "SELECT due_at - created_at FROM sites WHERE name = '老街实验小学'",
    )
    .await;
    assert_eq!(due, 14 * 86_400_000);
}
