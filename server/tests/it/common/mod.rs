//! `TestApp`: the real router on a fresh database with the Laojie demo data, on
//! SQLite by default or on PostgreSQL when `TEST_DATABASE_URL` names a server (each
//! test then gets its own new database). Requests go through every layer in-process.
#![allow(dead_code, clippy::unwrap_used)]
pub mod cap;
pub mod sms;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use server::config::Config;
use server::seed::DEMO_PASSWORD;
use server::state::AppState;
use std::sync::atomic::{AtomicU32, Ordering};
use tower::ServiceExt;

/// How long one in-process request may take before the test fails.
const REQUEST_LIMIT: std::time::Duration = std::time::Duration::from_secs(60);

/// Awaits `fut` for at most `REQUEST_LIMIT`, else fails the test naming `what`.
async fn bounded<T>(what: &str, fut: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(REQUEST_LIMIT, fut)
        .await
        .unwrap_or_else(|_| panic!("{what}: no complete answer within {REQUEST_LIMIT:?}"))
}

pub struct TestApp {
    pub router: Router,
    pub state: AppState,
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
    /// The body as sent (XLSX and other binary answers).
    pub bytes: Vec<u8>,
}

impl Reply {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or(serde_json::Value::Null)
    }
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// Which database this run uses, for messages.
pub fn backend_name() -> &'static str {
    if std::env::var("TEST_DATABASE_URL").is_ok() {
        "postgres"
    } else {
        "sqlite"
    }
}

async fn fresh_database_url() -> String {
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let unique = format!(
        "{}_{}_{}",
        std::process::id(),
        n,
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .subsec_nanos()
    );
    match std::env::var("TEST_DATABASE_URL") {
        Ok(base) => {
            use sqlx::Connection;
            let mut admin = sqlx::PgConnection::connect(&base).await.unwrap();
            let name = format!("tx_test_{unique}");
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(&mut admin)
                .await
                .unwrap();
            let (prefix, _) = base.rsplit_once('/').unwrap();
            format!("{prefix}/{name}")
        }
        Err(_) => {
            let dir = std::env::temp_dir().join("tongxin-tests");
            std::fs::create_dir_all(&dir).unwrap();
            format!("sqlite://{}/t{unique}.db", dir.display())
        }
    }
}

impl TestApp {
    /// A fresh app with the demo data loaded.
    pub async fn new() -> TestApp {
        let app = TestApp::empty().await;
        server::seed::demo(&app.state.db).await.unwrap();
        app
    }

    /// A fresh app with the demo data, its cameras playing from the video platform at
    /// `url` (user admin, password admin).
    pub async fn with_video(url: &str) -> TestApp {
        TestApp::with_video_password(url, "admin").await
    }

    /// As [`Self::with_video`], signing in to the platform with `password`.
    pub async fn with_video_password(url: &str, password: &str) -> TestApp {
        let app = TestApp::build(
            Some(server::services::video::VideoConfig {
                url: url.to_owned(),
                user: "admin".into(),
                password: password.into(),
            }),
            None,
        )
        .await;
        server::seed::demo(&app.state.db).await.unwrap();
        app
    }

    /// A fresh app with an empty (migrated) database.
    pub async fn empty() -> TestApp {
        TestApp::build(None, None).await
    }

    /// The demo street with an SMS channel.
    pub async fn with_sms(sms: server::services::sms::SmsConfig) -> TestApp {
        let app = TestApp::build(None, Some(sms)).await;
        server::seed::demo(&app.state.db).await.unwrap();
        app
    }

    /// Serves the router on `listener` (for callers from outside the process, such
    /// as an SMS provider pushing receipts), until the test ends.
    pub fn serve(&self, listener: tokio::net::TcpListener) {
        let router = self.router.clone();
        tokio::spawn(async move {
            axum::serve(
                listener,
                router.into_make_service_with_connect_info::<std::net::SocketAddr>(),
            )
            .await
            .unwrap();
        });
    }

    async fn build(
        video: Option<server::services::video::VideoConfig>,
        sms: Option<server::services::sms::SmsConfig>,
    ) -> TestApp {
        // Internal errors are logged, not sent: show them when a test fails.
        let _ = tracing_subscriber::fmt()
            .with_env_filter("error")
            .with_test_writer()
            .try_init();
        let site = std::env::temp_dir().join("tongxin-tests-site");
        std::fs::create_dir_all(site.join("pkg/testhash")).unwrap();
        std::fs::write(site.join("pkg-dir.txt"), "pkg/testhash").unwrap();
        std::fs::write(site.join("pkg/testhash/tongxin.css"), "body{}".repeat(200)).unwrap();
        let config = Config {
            addr: "127.0.0.1:0".parse().unwrap(),
            database_url: fresh_database_url().await,
            site_root: site,
            tiles: app::domain::geo::TileProvider::None,
            demo: false,
            secure_cookies: false,
            photos: std::env::temp_dir()
                .join(format!(
                    "tongxin-test-photos-{}-{}",
                    std::process::id(),
                    COUNTER.fetch_add(1, Ordering::SeqCst)
                ))
                .to_string_lossy()
                .into_owned(),
            push_local: true,
            live_max: 18_000,
            live_per_addr: 4,
            video,
            sms,
            test_clock: false,
        };
        let (router, state) = server::build(config).await.unwrap();
        TestApp { router, state }
    }

    /// Sends one request through the router and reads the whole answer (bounded:
    /// a stalled render must not stall the whole run).
    pub async fn request(&self, req: Request<Body>) -> Reply {
        let what = format!("{} {}", req.method(), req.uri());
        let whole = async {
            let res = self.router.clone().oneshot(req).await.unwrap();
            let status = res.status();
            let headers = res.headers().clone();
            let bytes = res.into_body().collect().await.unwrap().to_bytes();
            (status, headers, bytes)
        };
        let (status, headers, bytes) = bounded(&what, whole).await;
        Reply {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
            bytes: bytes.to_vec(),
        }
    }

    pub async fn get(&self, path: &str, cookie: Option<&str>) -> Reply {
        let mut b = Request::builder().method(Method::GET).uri(path);
        if let Some(c) = cookie {
            b = b.header(header::COOKIE, c);
        }
        self.request(b.body(Body::empty()).unwrap()).await
    }

    /// Calls a server function the way the browser does (URL-encoded POST).
    pub async fn call(&self, endpoint: &str, form: &[(&str, &str)], cookie: Option<&str>) -> Reply {
        self.call_as(endpoint, form, cookie, None).await
    }

    async fn call_as(
        &self,
        endpoint: &str,
        form: &[(&str, &str)],
        cookie: Option<&str>,
        addr: Option<std::net::SocketAddr>,
    ) -> Reply {
        let body = serde_urlencoded::to_string(form).unwrap();
        let mut b = Request::builder()
            .method(Method::POST)
            .uri(format!("/api/{endpoint}"))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::HOST, "localhost")
            .header(header::ORIGIN, "http://localhost");
        if let Some(c) = cookie {
            b = b.header(header::COOKIE, c);
        }
        if let Some(a) = addr {
            b = b.extension(axum::extract::ConnectInfo(a));
        }
        self.request(b.body(Body::from(body)).unwrap()).await
    }

    /// Calls a server function that takes JSON (`input = Json`).
    pub async fn call_json(
        &self,
        endpoint: &str,
        body: serde_json::Value,
        cookie: Option<&str>,
    ) -> Reply {
        let mut b = Request::builder()
            .method(Method::POST)
            .uri(format!("/api/{endpoint}"))
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::HOST, "localhost")
            .header(header::ORIGIN, "http://localhost");
        if let Some(c) = cookie {
            b = b.header(header::COOKIE, c);
        }
        self.request(b.body(Body::from(body.to_string())).unwrap())
            .await
    }

    /// Opens the live event stream, as a page does (optionally resuming).
    pub async fn events(&self, last_event_id: Option<&str>) -> Events {
        let mut b = Request::builder().method(Method::GET).uri("/api/events");
        if let Some(id) = last_event_id {
            b = b.header("last-event-id", id);
        }
        let res = bounded(
            "GET /api/events",
            self.router.clone().oneshot(b.body(Body::empty()).unwrap()),
        )
        .await
        .unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        Events {
            body: res.into_body(),
            buf: String::new(),
        }
    }

    /// Opens the live stream as `cookie` from `addr` (the connection's address, as
    /// the real server records it); the refusal's status when it is refused.
    pub async fn events_from(
        &self,
        cookie: Option<&str>,
        addr: Option<std::net::SocketAddr>,
    ) -> Result<Events, StatusCode> {
        let mut b = Request::builder().method(Method::GET).uri("/api/events");
        if let Some(c) = cookie {
            b = b.header(header::COOKIE, c);
        }
        if let Some(a) = addr {
            b = b.extension(axum::extract::ConnectInfo(a));
        }
        let res = bounded(
            "GET /api/events",
            self.router.clone().oneshot(b.body(Body::empty()).unwrap()),
        )
        .await
        .unwrap();
        if res.status() != StatusCode::OK {
            return Err(res.status());
        }
        Ok(Events {
            body: res.into_body(),
            buf: String::new(),
        })
    }

    /// Calls a server function from a client address (sign-in and sign-up count
    /// attempts per address).
    pub async fn call_from(
        &self,
        endpoint: &str,
        form: &[(&str, &str)],
        cookie: Option<&str>,
        addr: std::net::SocketAddr,
    ) -> Reply {
        self.call_as(endpoint, form, cookie, Some(addr)).await
    }

    /// Posts a multipart form the way the browser's FormData does: text fields, then
    /// files (each `(field name, bytes)`).
    pub async fn multipart(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        files: &[(&str, Vec<u8>)],
        cookie: Option<&str>,
    ) -> Reply {
        let body = multipart_body(fields, files);
        let mut b = Request::builder()
            .method(Method::POST)
            .uri(path)
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={BOUNDARY}"),
            )
            .header(header::HOST, "localhost")
            .header(header::ORIGIN, "http://localhost");
        if let Some(c) = cookie {
            b = b.header(header::COOKIE, c);
        }
        self.request(b.body(Body::from(body)).unwrap()).await
    }

    /// Status and headers only, for responses that never end (server-sent events).
    pub async fn head_of(&self, path: &str, cookie: Option<&str>) -> (StatusCode, HeaderMap) {
        let mut b = Request::builder().method(Method::GET).uri(path);
        if let Some(c) = cookie {
            b = b.header(header::COOKIE, c);
        }
        let res = bounded(
            &format!("GET {path}"),
            self.router.clone().oneshot(b.body(Body::empty()).unwrap()),
        )
        .await
        .unwrap();
        (res.status(), res.headers().clone())
    }

    /// Signs in and returns the session cookie (`name=value`).
    pub async fn login(&self, phone: &str) -> String {
        self.login_with(phone, DEMO_PASSWORD).await.expect("login")
    }

    pub async fn login_with(&self, phone: &str, password: &str) -> Option<String> {
        let r = self
            .call(
                "auth/login",
                &[("phone", phone), ("password", password)],
                None,
            )
            .await;
        if r.status != StatusCode::OK {
            return None;
        }
        session_cookie(&r.headers)
    }
}

/// A live event stream being read.
pub struct Events {
    body: Body,
    buf: String,
}

impl Events {
    /// The data of the next event named `name`, or `None` after `within`.
    pub async fn next(&mut self, name: &str, within: std::time::Duration) -> Option<String> {
        let deadline = tokio::time::Instant::now() + within;
        loop {
            while let Some(end) = self.buf.find("\n\n") {
                let block: String = self.buf.drain(..end + 2).collect();
                let mut event = "message";
                let mut data = String::new();
                for line in block.lines() {
                    if let Some(v) = line.strip_prefix("event:") {
                        event = if v.trim() == name { name } else { "other" };
                    } else if let Some(v) = line.strip_prefix("data:") {
                        data.push_str(v.trim_start());
                    }
                }
                if event == name {
                    return Some(data);
                }
            }
            let frame = tokio::time::timeout_at(deadline, self.body.frame())
                .await
                .ok()??
                .ok()?;
            if let Ok(bytes) = frame.into_data() {
                self.buf.push_str(&String::from_utf8_lossy(&bytes));
            }
        }
    }
}

/// The boundary [`multipart_body`] uses.
pub const BOUNDARY: &str = "----tongxin-test-boundary-7MA4YWxkTrZu0gW";

/// A multipart body as the browser's FormData makes it: text fields, then files.
pub fn multipart_body(fields: &[(&str, &str)], files: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let mut body: Vec<u8> = Vec::new();
    for (k, v) in fields {
        body.extend_from_slice(
            format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                .as_bytes(),
        );
    }
    for (i, (k, bytes)) in files.iter().enumerate() {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{k}\"; filename=\"p{i}.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

pub fn session_cookie(h: &HeaderMap) -> Option<String> {
    h.get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("tongxin_session="))
        .map(|v| v.split(';').next().unwrap_or_default().to_owned())
}

/// A small JPEG photo, coloured so that different calls give different files.
/// One number a query answers (a count, an id).
pub async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap()
}

pub fn jpeg(seed: u8) -> Vec<u8> {
    let img = image::RgbImage::from_fn(64, 48, |x, y| {
        image::Rgb([seed, (x * 4) as u8, (y * 5) as u8])
    });
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90)
        .encode_image(&img)
        .unwrap();
    out
}

/// The middle of 新华街02 (潘月丽's grid), and a point outside every grid.
pub fn in_xinhuajie_02() -> (f64, f64) {
    let (s, w, n, e) = server::seed::grid_bounds(1, 1);
    ((s + n) / 2.0, (w + e) / 2.0)
}
pub const OUTSIDE: (f64, f64) = (33.70, 114.20);

/// Demo logins (see README).
pub mod who {
    pub const ADMIN: &str = "13903950000";
    pub const DIRECTOR: &str = "13903950001";
    pub const COORDINATOR: &str = "13903950010";
    /// 潘月丽, leader of 新华街02.
    pub const GRID_WORKER: &str = "13903960051";
    pub const RESIDENT: &str = "13903970001";
    pub const OTHER_RESIDENT: &str = "13903970002";
    /// Leader of 老街01, another community's grid.
    pub const OTHER_GRID_WORKER: &str = "13903960011";
    /// Director of 新华街社区 (the demo tickets' community).
    pub const XHJ_DIRECTOR: &str = "13903950002";
}

/// A new resident account (volunteer, demo password), signed in: its cookie.
pub async fn resident_account(app: &TestApp, phone: &str, name: &str) -> String {
    let hash: String = sqlx::query_scalar("SELECT password_hash FROM users WHERE phone = $1")
        .bind(who::RESIDENT)
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    app.state
        .db
        .insert_user(&server::db::user::NewUser {
            name,
            phone,
            password_hash: &hash,
            role: app::domain::user::Role::Resident,
            volunteer: true,
            party_member: false,
            scope: None,
            phone_verified: false,
        })
        .await
        .unwrap();
    app.login(phone).await
}
