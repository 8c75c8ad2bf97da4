//! Grids over HTTP: listing, detail with masking and audit, point-in-polygon, and
//! GeoJSON import/export, on a real database.
#![allow(clippy::unwrap_used)]
use crate::common;
use axum::http::StatusCode;
use common::{TestApp, who};
use server::seed::grid_bounds;

async fn grid_id(app: &TestApp, code: &str) -> i64 {
    let gs = app.call("grid/list", &[], None).await.json();
    gs.as_array()
        .unwrap()
        .iter()
        .find(|g| g["code"] == code)
        .and_then(|g| g["id"].as_i64())
        .unwrap()
}

#[tokio::test]
async fn list_has_street_communities_and_grids_with_outlines() {
    let app = TestApp::new().await;
    let r = app.call("grid/list", &[], None).await;
    assert_eq!(r.status, StatusCode::OK);
    let gs = r.json();
    let gs = gs.as_array().unwrap();
    let count = |level: &str| gs.iter().filter(|g| g["level"] == level).count();
    assert_eq!(
        (count("Street"), count("Community"), count("Grid")),
        (1, 4, 12)
    );
    assert!(
        gs.iter()
            .all(|g| g["rings"][0].as_array().is_some_and(|r| r.len() >= 4))
    );
}

#[tokio::test]
async fn detail_masks_phones_for_residents_and_audits_staff_reads() {
    let app = TestApp::new().await;
    let id = grid_id(&app, "LJ-XHJ-02").await.to_string();
    let anon = app.call("grid/detail", &[("id", &id)], None).await.json();
    assert_eq!(
        anon["ancestors"],
        serde_json::json!(["老街街道", "新华街社区"])
    );
    let staff = anon["staff"].as_array().unwrap();
    assert_eq!(staff.len(), 5);
    assert_eq!(staff[0]["duty"], "Leader");
    assert_eq!(staff[0]["name"], "潘月丽");
    assert_eq!(staff[0]["phone"], "139****0051");
    let resident = app.login(who::RESIDENT).await;
    let r = app
        .call("grid/detail", &[("id", &id)], Some(&resident))
        .await
        .json();
    assert_eq!(r["staff"][0]["phone"], "139****0051");
    assert_eq!(
        app.state
            .db
            .count_audit("read_staff_contacts")
            .await
            .unwrap(),
        0
    );
    let worker = app.login(who::GRID_WORKER).await;
    let w = app
        .call("grid/detail", &[("id", &id)], Some(&worker))
        .await
        .json();
    assert_eq!(w["staff"][0]["phone"], "13903960051");
    assert_eq!(
        app.state
            .db
            .count_audit("read_staff_contacts")
            .await
            .unwrap(),
        1
    );
}

#[tokio::test]
async fn detail_of_missing_grid_is_404() {
    let app = TestApp::new().await;
    let r = app.call("grid/detail", &[("id", "999999")], None).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.json(), serde_json::json!("NotFound"));
}

#[tokio::test]
async fn locate_inside_on_edges_and_outside() {
    let app = TestApp::new().await;
    let at = |lat: f64, lng: f64| {
        let app = &app;
        async move {
            let r = app
                .call(
                    "grid/locate",
                    &[("lat", &lat.to_string()), ("lng", &lng.to_string())],
                    None,
                )
                .await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.body);
            r.json()["code"].as_str().map(str::to_owned)
        }
    };
    // The middle of each demo grid is in that grid.
    let codes = ["LJ-LJ", "LJ-XHJ", "LJ-BX", "LJ-SXL"];
    for (c, code) in codes.iter().enumerate() {
        for k in 0..3 {
            let (s, w, n, e) = grid_bounds(c, k);
            let got = at((s + n) / 2.0, (w + e) / 2.0).await;
            assert_eq!(
                got.as_deref(),
                Some(format!("{code}-{:02}", k + 1).as_str())
            );
        }
    }
    // Just inside and just outside the shared edge of 老街01 and 老街02.
    let (s, _, n, e) = grid_bounds(0, 0);
    let mid = (s + n) / 2.0;
    assert_eq!(at(mid, e - 1e-7).await.as_deref(), Some("LJ-LJ-01"));
    assert_eq!(at(mid, e + 1e-7).await.as_deref(), Some("LJ-LJ-02"));
    // Exactly on it: one grid, always the same.
    let on = at(mid, e).await;
    assert!(on.is_some());
    assert_eq!(at(mid, e).await, on);
    // Outside the street.
    assert_eq!(at(33.60, 114.02).await, None);
    assert_eq!(at(0.0, 0.0).await, None);
    let bad = app
        .call("grid/locate", &[("lat", "95"), ("lng", "114")], None)
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
}

const NEW_GRID: &str = r#"{"type":"FeatureCollection","features":[
 {"type":"Feature","properties":{"code":"LJ-XHJ-04","name":"新华街04网格·测试","level":3,"parent_code":"LJ-XHJ"},
  "geometry":{"type":"Polygon","coordinates":[[[114.04,33.59],[114.05,33.59],[114.05,33.60],[114.04,33.60],[114.04,33.59]]]}},
 {"type":"Feature","properties":{"code":"LJ-LJ-01","name":"老街01网格·改名","level":3,"parent_code":"LJ-LJ"},
  "geometry":{"type":"Polygon","coordinates":[[[114.004,33.582],[114.0093,33.582],[114.0093,33.594],[114.004,33.594],[114.004,33.582]]]}}
]}"#;

#[tokio::test]
async fn admin_imports_creates_and_updates_by_code() {
    let app = TestApp::new().await;
    let admin = app.login(who::ADMIN).await;
    let r = app
        .call("grid/import", &[("geojson", NEW_GRID)], Some(&admin))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json(), serde_json::json!({"created": 1, "updated": 1}));
    let located = app
        .call(
            "grid/locate",
            &[("lat", "33.595"), ("lng", "114.045")],
            None,
        )
        .await
        .json();
    assert_eq!(located["code"], "LJ-XHJ-04");
    let id = grid_id(&app, "LJ-LJ-01").await.to_string();
    let d = app.call("grid/detail", &[("id", &id)], None).await.json();
    assert_eq!(d["grid"]["name"], "老街01网格·改名");
    assert_eq!(
        d["staff"].as_array().unwrap().len(),
        5,
        "staff stay with the grid"
    );
}

#[tokio::test]
async fn a_bad_import_changes_nothing() {
    let app = TestApp::new().await;
    let admin = app.login(who::ADMIN).await;
    let before = app.call("grid/list", &[], None).await.body;
    // The first feature is fine; the second names a parent that does not exist.
    let bad = NEW_GRID.replace(r#""parent_code":"LJ-LJ""#, r#""parent_code":"NOPE""#);
    let r = app
        .call("grid/import", &[("geojson", &bad)], Some(&admin))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["Invalid"]["msg"], "ErrGridParent");
    // A grid hung under a grid (level 3 under level 3).
    let wrong_level = NEW_GRID.replace(r#""parent_code":"LJ-XHJ""#, r#""parent_code":"LJ-XHJ-01""#);
    let r = app
        .call("grid/import", &[("geojson", &wrong_level)], Some(&admin))
        .await;
    assert_eq!(r.json()["Invalid"]["msg"], "ErrGridLevel");
    let r = app
        .call("grid/import", &[("geojson", "{oops")], Some(&admin))
        .await;
    assert_eq!(r.json()["Invalid"]["msg"], "ErrGeojson");
    assert_eq!(app.call("grid/list", &[], None).await.body, before);
}

#[tokio::test]
async fn export_then_import_round_trips() {
    let app = TestApp::new().await;
    let admin = app.login(who::ADMIN).await;
    let r = app.get("/grids.geojson", Some(&admin)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.headers["content-type"], "application/geo+json");
    let fc = r.json();
    assert_eq!(fc["type"], "FeatureCollection");
    assert_eq!(fc["features"].as_array().unwrap().len(), 17);
    let again = app
        .call("grid/import", &[("geojson", &r.body)], Some(&admin))
        .await;
    assert_eq!(
        again.json(),
        serde_json::json!({"created": 0, "updated": 17})
    );
    // Into an empty database, the export recreates the hierarchy.
    let other = TestApp::empty().await;
    server::seed::demo(&other.state.db).await.unwrap();
    let admin2 = other.login(who::ADMIN).await;
    let modified = r
        .body
        .replace("LJ-", "ZZ-")
        .replace(r#""code":"LJ""#, r#""code":"ZZ""#)
        .replace(r#""parent_code":"LJ""#, r#""parent_code":"ZZ""#);
    let created = other
        .call("grid/import", &[("geojson", &modified)], Some(&admin2))
        .await;
    assert_eq!(
        created.json(),
        serde_json::json!({"created": 17, "updated": 0}),
        "{}",
        created.body
    );
}

#[tokio::test]
async fn a_resident_calls_grid_staff_with_one_tap_and_each_read_is_audited() {
    let app = TestApp::new().await;
    let id = grid_id(&app, "LJ-XHJ-02").await.to_string();
    let call = |cookie: Option<String>, duty: &'static str| {
        let (app, id) = (&app, id.clone());
        async move {
            app.call(
                "grid/staff_phone",
                &[("grid", &id), ("duty", duty)],
                cookie.as_deref(),
            )
            .await
        }
    };
    // Signed out: no number (the screen still shows it masked).
    assert_eq!(call(None, "leader").await.status, StatusCode::UNAUTHORIZED);
    let resident = app.login(who::RESIDENT).await;
    let r = call(Some(resident.clone()), "leader").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json(), "13903960051");
    let audited = || async { app.state.db.count_audit("call.staff").await.unwrap() };
    assert_eq!(audited().await, 1);
    // A duty that does not exist, or a grid without staff: a clear refusal, no row.
    assert_eq!(
        call(Some(resident.clone()), "mayor").await.status,
        StatusCode::BAD_REQUEST
    );
    let street = grid_id(&app, "LJ").await.to_string();
    let none = app
        .call(
            "grid/staff_phone",
            &[("grid", &street), ("duty", "leader")],
            Some(&resident),
        )
        .await;
    assert_eq!(none.status, StatusCode::NOT_FOUND, "{}", none.body);
    assert_eq!(audited().await, 1);
}

#[tokio::test]
async fn a_director_is_offered_only_her_own_community_as_targets() {
    let app = TestApp::new().await;
    let codes = |cookie: String| {
        let app = &app;
        async move {
            let r = app.call("grid/targets", &[], Some(&cookie)).await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.body);
            r.json()
                .as_array()
                .unwrap()
                .iter()
                .map(|g| g["code"].as_str().unwrap().to_owned())
                .collect::<Vec<_>>()
        }
    };
    // 新华街社区's director: her community and its grids, nothing of the other three.
    let xhj = codes(app.login(who::XHJ_DIRECTOR).await).await;
    assert!(xhj.contains(&"LJ-XHJ".to_owned()), "{xhj:?}");
    assert!(xhj.contains(&"LJ-XHJ-02".to_owned()), "{xhj:?}");
    assert!(xhj.iter().all(|c| c.starts_with("LJ-XHJ")), "{xhj:?}");
    // The street admin: every community and grid, never the street itself.
    let all = codes(app.login(who::ADMIN).await).await;
    assert!(
        all.len() > xhj.len() && !all.contains(&"LJ".to_owned()),
        "{all:?}"
    );
    assert!(all.iter().any(|c| !c.starts_with("LJ-XHJ")), "{all:?}");
}
