//! The work log (民情日志) and care objects (关爱对象).
use crate::domain::AppError;
use crate::domain::worklog::{CareBoard, CareTags, LogEntry, LogScope};
pub use crate::domain::worklog::{NewEntry, PlanInput};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[cfg(feature = "ssr")]
use crate::api::ctx::{actor, ports, respond};

/// Grid workers: log a visit or call; answers its id (the same for a retried send).
#[server(endpoint = "worklog/log", input = Json)]
pub async fn log_visit(e: NewEntry) -> Result<i64, AppError> {
    let actor = actor().await?;
    respond(ports()?.worklog.log(&actor, e).await)
}

/// Staff: entries in scope, newest first (a resident's history is audited).
#[server(endpoint = "worklog/list", input = Json)]
pub async fn list_worklog(scope: LogScope) -> Result<Vec<LogEntry>, AppError> {
    let actor = actor().await?;
    respond(ports()?.worklog.list(&actor, scope).await)
}

/// Directors and admins: comment on an entry (点评).
#[server(endpoint = "worklog/comment")]
pub async fn comment_worklog(entry: i64, body: String) -> Result<(), AppError> {
    let actor = actor().await?;
    respond(ports()?.worklog.comment(&actor, entry, body).await)
}

/// Staff: care objects due, most overdue first; coverage per grid for supervisors.
#[server(endpoint = "worklog/care")]
pub async fn fetch_care() -> Result<CareBoard, AppError> {
    let actor = actor().await?;
    respond(ports()?.worklog.care(&actor).await)
}

/// Directors and admins: a care object's cycle, visitor and needs.
#[server(endpoint = "worklog/plan")]
pub async fn save_care_plan(p: PlanInput) -> Result<(), AppError> {
    let actor = actor().await?;
    respond(ports()?.worklog.plan(&actor, p).await)
}

/// Admins: which resident tags are cared for (关爱对象), each with its default cycle.
#[server(endpoint = "worklog/care_tags", input = Json)]
pub async fn save_care_tags(tags: CareTags) -> Result<(), AppError> {
    let actor = actor().await?;
    respond(ports()?.worklog.save_care_tags(&actor, tags).await)
}

/// Anyone signed in: a volunteer's care visits assigned to her and her own entries
/// (`None` for anyone else, so her page never shows an error for having none yet).
#[server(endpoint = "worklog/visits")]
pub async fn volunteer_visits() -> Result<Option<(CareBoard, Vec<LogEntry>)>, AppError> {
    let actor = actor().await?;
    respond(ports()?.worklog.volunteer_visits(&actor).await)
}
