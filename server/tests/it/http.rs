//! The HTTP surface itself: compression, cache headers, cross-site refusal, 404s,
//! and pages rendered on the server in the chosen language.
#![allow(clippy::unwrap_used)]
use crate::common;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::TestApp;

#[tokio::test]
async fn pages_render_in_chinese_by_default_and_english_by_cookie() {
    let app = TestApp::new().await;
    let zh = app.get("/", None).await;
    assert_eq!(zh.status, StatusCode::OK);
    assert!(
        zh.body.contains("老街街道"),
        "{}",
        &zh.body[..zh.body.len().min(500)]
    );
    assert!(zh.body.contains("查看网格地图"));
    let en = app.get("/", Some("lang=en")).await;
    assert!(en.body.contains("See the grid map"));
    assert!(en.body.contains(r#"lang="en""#));
}

#[tokio::test]
async fn unknown_page_is_404() {
    let app = TestApp::new().await;
    let r = app.get("/no/such/page", None).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.body.contains("页面不存在"));
}

#[tokio::test]
async fn responses_are_compressed_and_bundles_cached_long() {
    let app = TestApp::new().await;
    let req = |path: &str, enc: &str| {
        Request::builder()
            .uri(path)
            .header(header::ACCEPT_ENCODING, enc)
            .body(Body::empty())
            .unwrap()
    };
    let page = app.request(req("/", "br")).await;
    assert_eq!(page.headers[header::CONTENT_ENCODING], "br");
    let css = app.request(req("/pkg/testhash/tongxin.css", "gzip")).await;
    assert_eq!(css.status, StatusCode::OK);
    assert_eq!(css.headers[header::CONTENT_ENCODING], "gzip");
    assert_eq!(
        css.headers[header::CACHE_CONTROL],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(page.headers[header::CACHE_CONTROL], "no-cache");
}

#[tokio::test]
async fn cross_site_writes_are_refused() {
    let app = TestApp::new().await;
    let post = |origin: &str, site: Option<&str>| {
        let mut b = Request::builder()
            .method("POST")
            .uri("/api/auth/login")
            .header(header::HOST, "localhost")
            .header(header::ORIGIN, origin)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some(s) = site {
            b = b.header("sec-fetch-site", s);
        }
        b.body(Body::from("phone=13903970001&password=x")).unwrap()
    };
    assert_eq!(
        app.request(post("https://evil.example", None)).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.request(post("http://localhost", Some("cross-site")))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.request(post("http://localhost", Some("same-origin")))
            .await
            .status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
}
