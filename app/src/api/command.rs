//! The command screen's snapshot (live updates come as server-sent events from
//! `GET /api/command/live?scope=…`, server/src/http/command.rs).
use crate::domain::AppError;
use crate::domain::command::CommandSnapshot;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::api::ctx::{actor, ports, respond};

/// Staff: the street (`scope` 0, admins) or a community, as the wall screen shows it.
#[server(endpoint = "command/snapshot")]
pub async fn load_command(scope: i64) -> Result<CommandSnapshot, AppError> {
    let actor = actor().await?;
    respond(ports()?.command.snapshot(&actor, scope).await)
}
