//! `tongxin`: serves one street (SQLite) or one of many processes of a city
//! (PostgreSQL).
#![recursion_limit = "256"]
use server::config::Config;
use std::net::SocketAddr;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn,tower_sessions=warn".into()),
        )
        .init();
    let config = Config::from_env()?;
    tracing::info!(?config, "starting");
    let (router, state) = server::build(config.clone()).await?;
    if config.demo {
        server::seed::demo_if_empty(&state.db).await?;
    }
    // Overdue tickets go up to the community director, then the street; fixes left
    // unrated for a week close.
    let tickets = state.tickets.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(30));
        loop {
            tick.tick().await;
            match tickets.escalate(server::db::now_ms()).await {
                Ok(raised) if !raised.is_empty() => {
                    tracing::info!(count = raised.len(), "tickets escalated");
                }
                Ok(_) => {}
                Err(e) => tracing::warn!("escalation failed: {e}"),
            }
            // Ratings not given within a week close as "no answer".
            match tickets.lapse_ratings(server::db::now_ms()).await {
                Ok(closed) if !closed.is_empty() => {
                    tracing::info!(count = closed.len(), "ratings lapsed as no answer");
                }
                Ok(_) => {}
                Err(e) => tracing::warn!("rating lapse failed: {e}"),
            }
        }
    });
    // Emergency timers: at five minutes unanswered or with nobody on site, the shift's
    // leader and the director are rung too (checked every five seconds).
    let duty = server::services::duty::DutyService {
        db: state.db.clone(),
        push: state.tickets.push.clone(),
        bus: state.bus.clone(),
    };
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(5));
        loop {
            tick.tick().await;
            match duty.escalate_emergencies(server::db::now_ms()).await {
                Ok(up) if !up.is_empty() => {
                    tracing::info!(count = up.len(), "emergencies escalated")
                }
                Ok(_) => {}
                Err(e) => tracing::warn!("emergency escalation failed: {e}"),
            }
        }
    });
    // SMS: alerts unopened after their set time go out by SMS; due messages are handed
    // to the provider (every ten seconds; nothing without a provider configured).
    let sms = state.sms.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(10));
        loop {
            tick.tick().await;
            if let Err(e) = sms.refresh().await {
                tracing::warn!("sms settings could not be read: {e}");
            }
            match sms.tick(server::db::now_ms()).await {
                Ok(r) if r.handed + r.refused + r.retrying > 0 => {
                    tracing::info!(?r, "sms round");
                }
                Ok(_) => {}
                Err(e) => tracing::warn!("sms round failed: {e}"),
            }
        }
    });
    // Reminders: planned (a day ahead) and sent every half minute.
    let reminders = state.reminders.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(30));
        loop {
            tick.tick().await;
            match reminders.tick(server::db::now_ms()).await {
                Ok(r) if r.planned + (r.sent + r.cancelled + r.stale) as u64 > 0 => {
                    tracing::info!(?r, "reminder round");
                }
                Ok(_) => {}
                Err(e) => tracing::warn!("reminder round failed: {e}"),
            }
        }
    });
    // 考核: the month's automatic ledger entries (cards, rework, problems found), every
    // ten minutes; in the first five days of a month the last month too, for cases
    // closed late in it.
    let assessment = server::services::assessment::AssessmentService {
        db: state.db.clone(),
    };
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(600));
        loop {
            tick.tick().await;
            let now = server::db::now_ms();
            let this = app::domain::shift::month_of(now);
            let last = app::domain::shift::month_of(now - 5 * 86_400_000);
            for month in if last == this {
                vec![this]
            } else {
                vec![last, this]
            } {
                if let Err(e) = assessment.score_month(&month, now).await {
                    tracing::warn!("assessment of {month} failed: {e}");
                }
            }
        }
    });
    // Photo files no row names (a crash between writing a photo and committing its
    // report): swept at start and every hour, once older than the grace period.
    let (db, photos) = (state.db.clone(), state.photos.clone());
    tokio::spawn(async move {
        use server::services::photo::{SWEEP_GRACE_MS, sweep_orphans};
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(3600));
        loop {
            tick.tick().await;
            match sweep_orphans(&db, &photos, server::db::now_ms() - SWEEP_GRACE_MS).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(count = n, "orphan photo files removed"),
                Err(e) => tracing::warn!("photo sweep failed: {e}"),
            }
        }
    });
    let listener = tokio::net::TcpListener::bind(config.addr).await?;
    println!("Tongxin is running at http://{}/", config.addr);
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await?;
    Ok(())
}
