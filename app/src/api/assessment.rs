//! Assessment (考核): a worker's own month, a director's staff, a scoring run.
use crate::domain::AppError;
pub use crate::domain::assessment::ManualPoints;
use crate::domain::assessment::{
    CommunityMonth, MonthStatus, PreviewLine, RuleSet, RulesPage, WorkerMonth,
};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

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
pub async fn staff_assessment(month: String) -> Result<Vec<CommunityMonth>, AppError> {
    let actor = actor().await?;
    respond(ports()?.assessment.staff(&actor, month).await)
}

/// Admins: score the month now; how many new ledger entries were written.
#[server(endpoint = "assessment/run")]
pub async fn run_assessment(month: String) -> Result<u64, AppError> {
    let actor = actor().await?;
    respond(ports()?.assessment.run(&actor, month).await)
}

/// Directors and admins: a bonus or a deduction with its evidence (open months only).
#[server(endpoint = "assessment/give")]
pub async fn give_points(g: ManualPoints) -> Result<(), AppError> {
    let actor = actor().await?;
    respond(ports()?.assessment.give(&actor, g).await)
}

/// Directors (their community) and admins (`community`): publish a month that is over.
#[server(endpoint = "assessment/publish")]
pub async fn publish_assessment(month: String, community: i64) -> Result<MonthStatus, AppError> {
    let actor = actor().await?;
    respond(ports()?.assessment.publish(&actor, month, community).await)
}

/// Directors and admins: the rules in force, the draft and the history.
#[server(endpoint = "assessment/rules")]
pub async fn fetch_rules() -> Result<RulesPage, AppError> {
    let actor = actor().await?;
    respond(ports()?.assessment.rules(&actor).await)
}

/// Admins: save the draft rule set.
#[server(endpoint = "assessment/rules/save", input = Json)]
pub async fn save_rules(rules: RuleSet) -> Result<(), AppError> {
    let actor = actor().await?;
    respond(ports()?.assessment.save_rules(&actor, rules).await)
}

/// Admins: last month under the rules in force and under the draft.
#[server(endpoint = "assessment/rules/preview")]
pub async fn preview_rules() -> Result<Vec<PreviewLine>, AppError> {
    let actor = actor().await?;
    respond(ports()?.assessment.preview_rules(&actor).await)
}

/// Admins: adopt the draft from next month; answers that month.
#[server(endpoint = "assessment/rules/adopt")]
pub async fn adopt_rules() -> Result<String, AppError> {
    let actor = actor().await?;
    respond(ports()?.assessment.adopt_rules(&actor).await)
}

/// Admins: turn rankings on or off (off by default); answers the new state.
#[server(endpoint = "assessment/rankings")]
pub async fn set_rankings(on: bool) -> Result<bool, AppError> {
    let actor = actor().await?;
    respond(ports()?.assessment.set_rankings(&actor, on).await)
}

/// Grid workers: appeal an entry of their published month, with a reason.
#[server(endpoint = "assessment/appeal")]
pub async fn appeal_entry(entry: i64, reason: String) -> Result<(), AppError> {
    let actor = actor().await?;
    respond(ports()?.assessment.appeal(&actor, entry, reason).await)
}

/// Directors and admins: `upheld` (a correction cancels the entry) or `rejected`.
#[server(endpoint = "assessment/decide")]
pub async fn decide_appeal(appeal: i64, decision: String, reason: String) -> Result<(), AppError> {
    let actor = actor().await?;
    respond(
        ports()?
            .assessment
            .decide(&actor, appeal, decision, reason)
            .await,
    )
}
