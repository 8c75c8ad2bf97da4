//! Open311 GeoReport v2 at `/open311/v2/`: services, service definitions, filing a
//! problem with an API key and a photo, and the public request list (no reporters,
//! no private tickets).
#![allow(clippy::unwrap_used)]
use crate::common;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use common::{Reply, TestApp, in_xinhuajie_02, who};

const BOUNDARY: &str = "----open311-test-boundary-x7Qp";

fn red_jpeg() -> Vec<u8> {
    let img = image::RgbImage::from_pixel(64, 48, image::Rgb([200, 30, 30]));
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new(&mut out)
        .encode_image(&img)
        .unwrap();
    out
}

/// A multipart body by hand: text fields, then an optional `media` file.
fn multipart_body(fields: &[(&str, &str)], media: Option<&[u8]>) -> Vec<u8> {
    let mut body = Vec::new();
    for (k, v) in fields {
        body.extend_from_slice(
            format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                .as_bytes(),
        );
    }
    if let Some(bytes) = media {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"media\"; filename=\"m.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

async fn post(app: &TestApp, content_type: &str, body: Vec<u8>) -> Reply {
    app.request(
        Request::builder()
            .method(Method::POST)
            .uri("/open311/v2/requests.json")
            .header(header::CONTENT_TYPE, content_type)
            .header(header::HOST, "localhost")
            .header(header::ORIGIN, "http://localhost")
            .body(Body::from(body))
            .unwrap(),
    )
    .await
}

async fn post_multipart(app: &TestApp, fields: &[(&str, &str)], media: Option<&[u8]>) -> Reply {
    post(
        app,
        &format!("multipart/form-data; boundary={BOUNDARY}"),
        multipart_body(fields, media),
    )
    .await
}

async fn get(app: &TestApp, path: &str) -> Reply {
    app.request(
        Request::builder()
            .method(Method::GET)
            .uri(path)
            .header(header::HOST, "localhost")
            .body(Body::empty())
            .unwrap(),
    )
    .await
}

/// The error body: one `{code, description}` with the HTTP status as its code.
fn assert_error(r: &Reply, status: StatusCode) {
    assert_eq!(r.status, status, "{}", r.body);
    let body = r.json();
    let errors = body.as_array().unwrap();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0]["code"], status.as_u16());
    assert!(!errors[0]["description"].as_str().unwrap().is_empty());
}

async fn with_key(app: &TestApp) {
    let user = app
        .state
        .db
        .credentials(who::RESIDENT)
        .await
        .unwrap()
        .unwrap()
        .id;
    app.state
        .db
        .insert_api_key("test-key", user, "test")
        .await
        .unwrap();
}

/// Files a problem through Open311 and returns its id.
async fn file_problem(app: &TestApp) -> String {
    let (lat, lng) = in_xinhuajie_02();
    let (lat, lng) = (lat.to_string(), lng.to_string());
    let photo = red_jpeg();
    let r = post_multipart(
        app,
        &[
            ("api_key", "test-key"),
            ("service_code", "facilities"),
            ("lat", &lat),
            ("long", &lng),
            ("description", "3 号楼前路灯不亮了"),
            ("media_url", "http://example.invalid/never-fetched.jpg"),
        ],
        Some(&photo),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let body = r.json();
    assert_eq!(body[0]["service_notice"], "");
    assert!(body[0]["account_id"].is_null());
    body[0]["service_request_id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn services_list_public_problem_categories() {
    let app = TestApp::new().await;
    let r = get(&app, "/open311/v2/services.json").await;
    assert_eq!(r.status, StatusCode::OK);
    let services = r.json();
    let services = services.as_array().unwrap();
    let codes: Vec<&str> = services
        .iter()
        .map(|s| s["service_code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"facilities"), "{codes:?}");
    assert!(!codes.contains(&"xhj_visit"));
    assert!(!codes.contains(&"dispute"));
    let facilities = services
        .iter()
        .find(|s| s["service_code"] == "facilities")
        .unwrap();
    assert_eq!(facilities["service_name"], "设施损坏（路灯、水管、井盖）");
    assert_eq!(facilities["metadata"], false);
    assert_eq!(facilities["type"], "realtime");
    let en = get(&app, "/open311/v2/services.json?locale=en")
        .await
        .json();
    assert!(
        en.as_array()
            .unwrap()
            .iter()
            .any(|s| s["service_name"] == "Broken facilities (lights, pipes, drains)")
    );
}

#[tokio::test]
async fn services_xml_is_escaped() {
    let app = TestApp::new().await;
    app.state
        .db
        .save_category(&app::domain::ticket::CategoryInput {
            id: None,
            code: "lamps".into(),
            name_zh: "路灯 & <井盖>".into(),
            name_en: "Lamps & \"drains\"".into(),
            kind: app::domain::ticket::TicketKind::Problem,
            duty: app::domain::grid::Duty::Property,
            accept_min: 60,
            on_site_min: None,
            resolve_min: 1440,
            community: None,
            active: true,
            checker: None,
        })
        .await
        .unwrap();
    let r = get(&app, "/open311/v2/services.xml").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .contains("xml")
    );
    let body = r.body.trim();
    assert!(body.starts_with("<?xml"), "{body}");
    assert!(body.ends_with("</services>"), "{body}");
    assert_eq!(
        body.matches("<service>").count(),
        body.matches("</service>").count()
    );
    assert!(body.contains("<service_code>facilities</service_code>"));
    assert!(body.contains("<service_name>路灯 &amp; &lt;井盖&gt;</service_name>"));
    assert!(!body.contains("<井盖>"));
    assert!(!body.contains("xhj_visit"));
    let en = get(&app, "/open311/v2/services.xml?locale=en").await;
    assert!(
        en.body.contains("Lamps &amp; &quot;drains&quot;"),
        "{}",
        en.body
    );
}

#[tokio::test]
async fn service_definition_and_unknown_codes() {
    let app = TestApp::new().await;
    let r = get(&app, "/open311/v2/services/facilities.json").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        r.json(),
        serde_json::json!({ "service_code": "facilities", "attributes": [] })
    );
    assert_error(
        &get(&app, "/open311/v2/services/nope.json").await,
        StatusCode::NOT_FOUND,
    );
    // Private kinds are not services.
    assert_error(
        &get(&app, "/open311/v2/services/dispute.json").await,
        StatusCode::NOT_FOUND,
    );
    assert_error(
        &get(&app, "/open311/v2/services.csv").await,
        StatusCode::NOT_FOUND,
    );
}

#[tokio::test]
async fn posting_needs_an_api_key() {
    let app = TestApp::new().await;
    let r = post(
        &app,
        "application/x-www-form-urlencoded",
        b"service_code=facilities&lat=33.58&long=114.02&description=abc".to_vec(),
    )
    .await;
    assert_error(&r, StatusCode::FORBIDDEN);
    let r = post_multipart(
        &app,
        &[("api_key", "wrong"), ("service_code", "facilities")],
        Some(&red_jpeg()),
    )
    .await;
    assert_error(&r, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn posting_without_media_or_a_service_is_a_bad_request() {
    let app = TestApp::new().await;
    with_key(&app).await;
    let (lat, lng) = in_xinhuajie_02();
    let body = format!(
        "api_key=test-key&service_code=facilities&lat={lat}&long={lng}&description=%E8%B7%AF%E7%81%AF%E5%9D%8F%E4%BA%86"
    );
    let r = post(&app, "application/x-www-form-urlencoded", body.into_bytes()).await;
    assert_error(&r, StatusCode::BAD_REQUEST);
    let (lat, lng) = (lat.to_string(), lng.to_string());
    let r = post_multipart(
        &app,
        &[
            ("api_key", "test-key"),
            ("service_code", "dispute"),
            ("lat", &lat),
            ("long", &lng),
            ("description", "邻居吵架"),
        ],
        Some(&red_jpeg()),
    )
    .await;
    assert_error(&r, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn filed_requests_are_listed_without_reporters() {
    let app = TestApp::new().await;
    with_key(&app).await;
    let id = file_problem(&app).await;

    let r = get(&app, "/open311/v2/requests.json?service_code=facilities").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(!r.body.contains("陈桂兰"));
    assert!(!r.body.contains(who::RESIDENT));
    let list = r.json();
    let list = list.as_array().unwrap();
    let mine = list
        .iter()
        .find(|x| x["service_request_id"] == id.as_str())
        .unwrap();
    assert_eq!(mine["status"], "open");
    assert_eq!(mine["service_code"], "facilities");
    assert_eq!(mine["description"], "3 号楼前路灯不亮了");
    let media = mine["media_url"].as_str().unwrap();
    assert!(media.starts_with("http://localhost/photos/"), "{media}");
    assert!(media.ends_with(".jpg"), "{media}");
    assert!(
        mine["requested_datetime"]
            .as_str()
            .unwrap()
            .ends_with("+08:00")
    );
    assert!(mine["expected_datetime"].is_string());
    assert!(mine["address"].is_string());
    assert!(mine["agency_responsible"].is_string());
    assert!(mine["lat"].is_f64() && mine["long"].is_f64());
    for field in ["service_notice", "address_id", "zipcode", "status_notes"] {
        assert!(mine[field].is_null(), "{field}");
    }

    // The photo behind the URL is served.
    let path = media.trim_start_matches("http://localhost");
    assert_eq!(get(&app, path).await.status, StatusCode::OK);

    let one = get(&app, &format!("/open311/v2/requests/{id}.json")).await;
    assert_eq!(one.status, StatusCode::OK, "{}", one.body);
    let one = one.json();
    assert_eq!(one.as_array().unwrap().len(), 1);
    assert_eq!(one[0]["service_request_id"], id.as_str());
    assert_eq!(one[0]["status"], "open");

    let by_id = get(
        &app,
        &format!("/open311/v2/requests.json?service_request_id={id}"),
    )
    .await
    .json();
    assert_eq!(by_id.as_array().unwrap().len(), 1);

    let open = get(&app, "/open311/v2/requests.json?status=open")
        .await
        .json();
    assert!(
        open.as_array()
            .unwrap()
            .iter()
            .any(|x| x["service_request_id"] == id.as_str())
    );
    let closed = get(&app, "/open311/v2/requests.json?status=closed").await;
    assert_eq!(closed.status, StatusCode::OK);
    assert!(
        !closed
            .json()
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["service_request_id"] == id.as_str())
    );
    let other_code = get(&app, "/open311/v2/requests.json?service_code=sanitation")
        .await
        .json();
    assert_eq!(other_code, serde_json::json!([]));
}

#[tokio::test]
async fn private_tickets_never_appear() {
    let app = TestApp::new().await;
    with_key(&app).await;
    file_problem(&app).await;
    let all = get(&app, "/open311/v2/requests.json").await;
    assert_eq!(all.status, StatusCode::OK);
    let list = all.json();
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 1);
    assert!(list.iter().all(|x| x["service_code"] == "facilities"));
    assert!(!all.body.contains("陈桂兰"));
    assert!(!all.body.contains("dispute"));
    assert!(!all.body.contains("xhj_visit"));
    // The demo mediation and service tickets are not found one by one either.
    let private = app
        .state
        .db
        .ticket_list(
            &server::db::ticket::Scope::All,
            None,
            false,
            None,
            None,
            100,
        )
        .await
        .unwrap();
    let private: Vec<_> = private
        .iter()
        .filter(|t| t.row.kind != app::domain::ticket::TicketKind::Problem)
        .map(|t| t.row.id.0)
        .collect();
    assert_eq!(private.len(), 2);
    for id in private {
        assert_error(
            &get(&app, &format!("/open311/v2/requests/{id}.json")).await,
            StatusCode::NOT_FOUND,
        );
        let r = get(
            &app,
            &format!("/open311/v2/requests.json?service_request_id={id}"),
        )
        .await;
        assert_eq!(r.json(), serde_json::json!([]));
    }
    assert_error(
        &get(&app, "/open311/v2/requests/999999.json").await,
        StatusCode::NOT_FOUND,
    );
}

#[tokio::test]
async fn dates_filter_and_are_checked() {
    let app = TestApp::new().await;
    with_key(&app).await;
    let id = file_problem(&app).await;
    let future = get(
        &app,
        "/open311/v2/requests.json?start_date=2099-01-01T00:00:00%2B08:00",
    )
    .await;
    assert_eq!(future.status, StatusCode::OK, "{}", future.body);
    assert_eq!(future.json(), serde_json::json!([]));
    // Clients often leave the offset's `+` unencoded.
    let plus = get(
        &app,
        "/open311/v2/requests.json?start_date=2099-01-01T00:00:00+08:00",
    )
    .await;
    assert_eq!(plus.status, StatusCode::OK, "{}", plus.body);
    assert_eq!(plus.json(), serde_json::json!([]));
    let past = get(
        &app,
        "/open311/v2/requests.json?end_date=2000-01-01T00:00:00Z",
    )
    .await;
    assert_eq!(past.json(), serde_json::json!([]));
    let far = get(&app, "/open311/v2/requests.json?end_date=2099-01-01").await;
    assert_eq!(far.status, StatusCode::OK);
    assert_eq!(far.json(), serde_json::json!([]));
    let around = get(
        &app,
        "/open311/v2/requests.json?start_date=2000-01-01&end_date=2099-01-01",
    )
    .await;
    assert_error(&around, StatusCode::BAD_REQUEST);
    assert_error(
        &get(&app, "/open311/v2/requests.json?start_date=yesterday").await,
        StatusCode::BAD_REQUEST,
    );
    assert_error(
        &get(&app, "/open311/v2/requests.json?status=lost").await,
        StatusCode::BAD_REQUEST,
    );
    let recent = get(&app, "/open311/v2/requests.json?start_date=2020-01-01")
        .await
        .json();
    // 2020 plus 90 days is long past.
    assert_eq!(recent, serde_json::json!([]));
    let default_window = get(&app, "/open311/v2/requests.json").await.json();
    assert_eq!(default_window[0]["service_request_id"], id.as_str());
}
