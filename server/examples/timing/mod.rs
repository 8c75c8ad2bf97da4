//! Timing helpers shared by the benchmarks that render pages through the integration
//! tests' harness (each includes it with `#[path = "timing/mod.rs"] mod timing;`, beside
//! `mod common`).
use crate::common::TestApp;
use axum::http::StatusCode;
use std::time::{Duration, Instant};

/// The `p` quantile (0–1) of `sorted`.
pub fn pct(sorted: &[Duration], p: f64) -> Duration {
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::cast_precision_loss
    )]
    let i = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[i]
}

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// `runs` renders of `path`, sorted; each must answer 200 with the page's marker.
pub async fn time(
    app: &TestApp,
    runs: usize,
    path: &str,
    cookie: &str,
    marker: &str,
) -> Vec<Duration> {
    let mut out = Vec::with_capacity(runs);
    for _ in 0..runs {
        let t = Instant::now();
        let r = app.get(path, Some(cookie)).await;
        out.push(t.elapsed());
        assert_eq!(r.status, StatusCode::OK, "{path}");
        assert!(r.body.contains(marker), "{path}: no {marker}");
    }
    out.sort();
    out
}
