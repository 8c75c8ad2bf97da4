//! Alerts (预警): compose and publish, inbox, answers, coverage and follow-ups.
//! Publishing takes JSON so that scripts (and the load tool) can call it too.
use crate::domain::AppError;
#[cfg(feature = "ssr")]
use crate::domain::alert::AlertId;
use crate::domain::alert::{
    Alert, AlertAudience, AlertInput, AnswerInput, Coverage, FollowUpList, InboxItem, Outcome,
};
#[cfg(feature = "ssr")]
use crate::domain::resident::ResidentId;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[cfg(feature = "ssr")]
use crate::api::ctx::{actor, ports, respond};

/// Directors (their community) and admins.
#[server(endpoint = "alert/publish", input = Json)]
pub async fn publish_alert(input: AlertInput) -> Result<Alert, AppError> {
    let actor = actor().await?;
    respond(ports()?.alert.publish(&actor, input).await)
}

/// Directors (their community) and admins: whom an alert to these grids would
/// reach now (for the preview).
#[server(endpoint = "alert/audience", input = Json)]
pub async fn preview_audience(targets: Vec<i64>) -> Result<AlertAudience, AppError> {
    let actor = actor().await?;
    let targets = targets
        .into_iter()
        .map(crate::domain::grid::GridId)
        .collect();
    respond(ports()?.alert.audience(&actor, targets).await)
}

/// Directors (their community's alerts) and admins.
#[server(endpoint = "alert/cancel")]
pub async fn cancel_alert(id: i64) -> Result<(), AppError> {
    let actor = actor().await?;
    respond(ports()?.alert.cancel(&actor, AlertId(id)).await)
}

/// Anyone: recent alerts for the caller, with their answers.
#[server(endpoint = "alert/inbox")]
pub async fn alert_inbox() -> Result<Vec<InboxItem>, AppError> {
    let actor = actor().await?;
    respond(ports()?.alert.inbox(&actor).await)
}

/// Anyone; marks it opened for a signed-in user.
#[server(endpoint = "alert/detail")]
pub async fn alert_detail(id: i64) -> Result<InboxItem, AppError> {
    let actor = actor().await?;
    respond(ports()?.alert.detail(&actor, AlertId(id)).await)
}

/// Signed-in users: these alerts reached their page.
#[server(endpoint = "alert/seen", input = Json)]
pub async fn alerts_seen(ids: Vec<i64>) -> Result<(), AppError> {
    let actor = actor().await?;
    respond(
        ports()?
            .alert
            .seen(&actor, ids.into_iter().map(AlertId).collect())
            .await,
    )
}

/// Signed-in users, while the alert is in force.
#[server(endpoint = "alert/answer", input = Json)]
pub async fn answer_alert(id: i64, input: AnswerInput) -> Result<(), AppError> {
    let actor = actor().await?;
    respond(ports()?.alert.answer(&actor, AlertId(id), input).await)
}

/// Grid workers (their grids), directors (their community), admins.
#[server(endpoint = "alert/coverage")]
pub async fn alert_coverage(id: i64) -> Result<Coverage, AppError> {
    let actor = actor().await?;
    respond(ports()?.alert.coverage(&actor, AlertId(id)).await)
}

/// The same people; phone numbers only for the grid's own staff (audited).
#[server(endpoint = "alert/follow_ups")]
pub async fn alert_follow_ups(id: i64) -> Result<FollowUpList, AppError> {
    let actor = actor().await?;
    respond(ports()?.alert.follow_ups(&actor, AlertId(id)).await)
}

/// The same people: what they found in person.
#[server(endpoint = "alert/reach", input = Json)]
pub async fn reach_resident(
    id: i64,
    resident: i64,
    outcome: Outcome,
    note: String,
) -> Result<(), AppError> {
    let actor = actor().await?;
    respond(
        ports()?
            .alert
            .reach(&actor, AlertId(id), ResidentId(resident), outcome, note)
            .await,
    )
}
