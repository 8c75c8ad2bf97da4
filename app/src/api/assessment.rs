//! Assessment (考核): a worker's own month, a director's staff, a scoring run.
use crate::domain::AppError;
use crate::domain::assessment::WorkerMonth;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::api::ctx::{actor, ports, respond};

/// Grid workers: their own month (`2026-12`; empty: this month), with its arithmetic.
#[server(endpoint = "assessment/mine")]
pub async fn my_assessment(month: String) -> Result<WorkerMonth, AppError> {
    let actor = actor().await?;
    respond(ports()?.assessment.mine(&actor, month).await)
}

/// Directors (their community) and admins (the street): each grid worker's month.
#[server(endpoint = "assessment/staff")]
pub async fn staff_assessment(month: String) -> Result<Vec<WorkerMonth>, AppError> {
    let actor = actor().await?;
    respond(ports()?.assessment.staff(&actor, month).await)
}

/// Admins: score the month now; how many new ledger entries were written.
#[server(endpoint = "assessment/run")]
pub async fn run_assessment(month: String) -> Result<u64, AppError> {
    let actor = actor().await?;
    respond(ports()?.assessment.run(&actor, month).await)
}
