//! The seniors' council (闲事会): the board, raising and supporting concerns, the
//! Wednesday agenda and outcomes.
use crate::domain::AppError;
#[cfg(feature = "ssr")]
use crate::domain::council::ConcernId;
use crate::domain::council::{ConcernInput, CouncilBoard, Decision};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[cfg(feature = "ssr")]
use crate::api::ctx::{actor, ports, respond};

/// Everyone: the board.
#[server(endpoint = "council/board")]
pub async fn fetch_council() -> Result<CouncilBoard, AppError> {
    let actor = actor().await?;
    respond(ports()?.council.board(&actor).await)
}

/// Signed in: raise a concern; answers its id.
#[server(endpoint = "council/raise", input = Json)]
pub async fn raise_concern(input: ConcernInput) -> Result<i64, AppError> {
    let actor = actor().await?;
    respond(ports()?.council.raise(&actor, input).await.map(|i| i.0))
}

/// Signed in: support a concern (`on` false takes it back); answers the count.
#[server(endpoint = "council/support")]
pub async fn support_concern(id: i64, on: bool) -> Result<u32, AppError> {
    let actor = actor().await?;
    respond(ports()?.council.support(&actor, ConcernId(id), on).await)
}

/// The council's coordinators: on the next Wednesday's agenda; answers its date.
#[server(endpoint = "council/schedule")]
pub async fn schedule_concern(id: i64) -> Result<String, AppError> {
    let actor = actor().await?;
    respond(ports()?.council.schedule(&actor, ConcernId(id)).await)
}

/// The council's coordinators: the outcome; answers the ticket opened, if any.
#[server(endpoint = "council/decide", input = Json)]
pub async fn decide_concern(id: i64, decision: Decision) -> Result<Option<i64>, AppError> {
    let actor = actor().await?;
    respond(
        ports()?
            .council
            .decide(&actor, ConcernId(id), decision)
            .await
            .map(|t| t.map(|t| t.0)),
    )
}
