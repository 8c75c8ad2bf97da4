//! The HTTP surface: Leptos pages and server functions, plain routes, static files,
//! and the layers every request passes (compression, cache headers, same-origin
//! check, session, actor).
mod assessment;
pub mod cap;
pub mod command;
pub mod events;
pub mod grid;
pub mod missing;
pub mod open311;
pub mod resident;
mod security;
mod session;
pub mod shift;
pub mod site;
pub mod sms;
pub mod study;
pub mod ticket;

use crate::config::Config;
use crate::db::{Db, DbError};
use crate::state::AppState;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::middleware::{from_fn, from_fn_with_state};
use axum::routing::{get, post};
use leptos::prelude::{LeptosOptions, provide_context};
use leptos_axum::{LeptosRoutes, generate_route_list};
use std::sync::Arc;
use tower_http::compression::CompressionLayer;
use tower_http::services::ServeDir;

#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error(transparent)]
    Db(#[from] DbError),
    #[error("event listener: {0}")]
    Events(#[from] sqlx::Error),
    #[error("session store: {0}")]
    Sessions(String),
    #[error("photo store: {0}")]
    Photos(#[from] object_store::Error),
    #[error("web push: {0}")]
    Push(#[from] crate::services::push::PushSetupError),
    #[error("video platform client: {0}")]
    Video(#[from] reqwest::Error),
    #[error("sms: {0}")]
    Sms(String),
}

/// Largest request body (GeoJSON imports are the largest so far).
pub const BODY_LIMIT: usize = 8 * 1024 * 1024;

/// Where the hashed front-end bundle lives under the site root: written by the build
/// into `pkg-dir.txt`, so its URL changes whenever its content does.
fn pkg_dir(site_root: &std::path::Path) -> String {
    std::fs::read_to_string(site_root.join("pkg-dir.txt"))
        .map(|s| s.trim().to_owned())
        .ok()
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "pkg".to_owned())
}

/// Built assets, with the build's `.br` / `.gz` copies preferred when the browser
/// accepts them.
fn static_dir(path: &std::path::Path) -> ServeDir {
    ServeDir::new(path).precompressed_br().precompressed_gzip()
}

/// End-to-end tests only (`TONGXIN_TEST_CLOCK=1`): one reminder round as if the
/// clock read `?at=MS`; answers what it did.
async fn test_reminders(
    axum::extract::State(state): axum::extract::State<AppState>,
    axum::extract::Query(q): axum::extract::Query<std::collections::HashMap<String, String>>,
) -> Result<String, (axum::http::StatusCode, String)> {
    let bad = |m: String| (axum::http::StatusCode::BAD_REQUEST, m);
    let at: i64 = q
        .get("at")
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| bad("at=MS wanted".into()))?;
    let r = state
        .reminders
        .tick(at)
        .await
        .map_err(|e| (axum::http::StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
    Ok(format!(
        "planned {} sent {} cancelled {} stale {} postponed {}",
        r.planned, r.sent, r.cancelled, r.stale, r.postponed
    ))
}

/// Connects the database (applying migrations) and assembles the app.
pub async fn build(config: Config) -> Result<(Router, AppState), BuildError> {
    let db = Db::connect(&config.database_url).await?;
    let sessions = session::layer(&db, config.secure_cookies)
        .await
        .map_err(|e| BuildError::Sessions(e.to_string()))?;
    let leptos_options = LeptosOptions::builder()
        .output_name("tongxin")
        .site_root(config.site_root.to_string_lossy().to_string())
        .site_pkg_dir(pkg_dir(&config.site_root))
        .build();
    let photos = crate::services::photo::PhotoStore::from_setting(&config.photos)?;
    let bus = crate::services::bus::Bus::start(&db).await?;
    let push = crate::services::push::PushService::start(&db, config.push_local).await?;
    let tickets = Arc::new(crate::services::ticket::TicketService {
        db: db.clone(),
        photos: photos.clone(),
        limits: crate::services::photo::PhotoLimits::default(),
        bus: bus.clone(),
        push: Arc::new(push.clone()),
    });
    let live = events::LiveSlots::new(config.live_max, config.live_per_addr);
    let video = match &config.video {
        Some(v) => Some(Arc::new(crate::services::video::VideoPlatform::new(v)?)),
        None => None,
    };
    let sms = crate::services::sms::SmsService::start(&db, config.sms.clone())
        .await
        .map_err(BuildError::Sms)?;
    let reminders = crate::services::reminder::ReminderService {
        db: db.clone(),
        push: Arc::new(push.clone()),
        sms: sms.switch.clone(),
    };
    let state = AppState {
        leptos_options,
        ports: crate::services::ports(
            &db,
            config.map(),
            tickets.clone(),
            &bus,
            video,
            &reminders,
            &sms,
        ),
        sms,
        reminders,
        db,
        config: Arc::new(config),
        photos,
        tickets,
        bus,
        live,
    };
    let ports = state.ports.clone();
    let media = app::MediaOrigins(state.config.media_origins());
    let context = move || {
        provide_context(ports.clone());
        provide_context(media.clone());
        // A fresh nonce for every page: the hydration and resource scripts carry it,
        // and the page's Content-Security-Policy allows only scripts that do.
        leptos::nonce::provide_nonce();
    };
    let shell_options = state.leptos_options.clone();
    let routes = generate_route_list(app::App);
    let mut router = Router::new();
    if state.config.test_clock {
        tracing::warn!("TONGXIN_TEST_CLOCK is on: reminder rounds can be run at any time");
        router = router.route("/api/test/reminders", post(test_reminders));
    }
    let router = router
        .route("/grids.geojson", get(grid::export))
        .route("/healthz", get(|| async { "ok" }))
        .route(
            "/api/tickets",
            post(ticket::create).layer(DefaultBodyLimit::max(ticket::UPLOAD_LIMIT)),
        )
        .route(
            "/api/tickets/{id}/act",
            post(ticket::act).layer(DefaultBodyLimit::max(ticket::UPLOAD_LIMIT)),
        )
        .route(
            "/api/sites/{id}/inspections",
            post(site::inspect).layer(DefaultBodyLimit::max(site::UPLOAD_LIMIT)),
        )
        .route("/api/events", get(events::events))
        .route("/api/command/live", get(command::live))
        .route(
            "/api/sms/receipts/{provider}/{token}",
            post(sms::receipts).layer(DefaultBodyLimit::max(sms::RECEIPTS_LIMIT)),
        )
        .route(
            "/api/residents/import",
            post(resident::import).layer(DefaultBodyLimit::max(resident::IMPORT_LIMIT)),
        )
        .route(
            "/api/missing",
            post(missing::post).layer(DefaultBodyLimit::max(missing::UPLOAD_LIMIT)),
        )
        .route(
            "/api/missing/{id}/tips",
            post(missing::tip).layer(DefaultBodyLimit::max(missing::UPLOAD_LIMIT)),
        )
        .route(
            "/api/study/questions/import",
            post(study::import).layer(DefaultBodyLimit::max(study::IMPORT_LIMIT)),
        )
        .route("/api/study/questions/template.xlsx", get(study::template))
        .route("/api/meetings/{id}/qr.svg", get(study::meeting_qr))
        .route("/api/shifts/{id}/qr.svg", get(shift::qr))
        .route("/api/shifts/export/{file}", get(shift::roster_export))
        .route("/api/assessment/year.xlsx", get(assessment::year_xlsx))
        .route("/calendar/{file}", get(shift::calendar_feed))
        .route("/cap/feed.atom", get(cap::feed))
        .route("/cap/alerts/{file}", get(cap::alert))
        .route("/photos/{file}", get(ticket::photo))
        .merge(open311::routes())
        .nest_service("/pkg", static_dir(&state.config.site_root.join("pkg")))
        .nest_service(
            "/leaflet",
            static_dir(&state.config.site_root.join("leaflet")),
        )
        .leptos_routes_with_context(&state, routes, context.clone(), move || {
            app::shell(shell_options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(context, app::shell))
        .layer(from_fn_with_state(
            state.db.clone(),
            security::resolve_actor,
        ))
        .layer(sessions)
        .layer(from_fn(security::same_origin))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(from_fn(security::cache_headers))
        .layer(from_fn(security::protective_headers))
        .layer(from_fn(security::server_fn_error_status))
        .layer(CompressionLayer::new())
        .with_state(state.clone());
    Ok((router, state))
}
