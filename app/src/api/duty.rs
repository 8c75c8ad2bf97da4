//! The command centre's duty (值班): the roster, swaps, the duty log and handovers.
use crate::domain::AppError;
use crate::domain::duty::{DutyBoard, OnDutyNow, SwapStatus};
pub use crate::domain::duty::{LogInput as DutyLogInput, MonthPlan};
use crate::domain::emergency::Ringing;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[cfg(feature = "ssr")]
use crate::api::ctx::{actor, ports, respond};

/// Staff: a scope's month (`scope` 0: one's own community, or the street for admins;
/// `month` empty: this month), with the shift on duty now, swaps, log and handover.
#[server(endpoint = "duty/board")]
pub async fn load_duty_board(scope: i64, month: String) -> Result<DutyBoard, AppError> {
    let actor = actor().await?;
    respond(ports()?.duty.board(&actor, scope, month).await)
}

/// Directors (their community) and admins: plan a month; shifts already started stay.
/// Answers how many shifts were planned.
#[server(endpoint = "duty/plan", input = Json)]
pub async fn plan_duty(plan: MonthPlan) -> Result<usize, AppError> {
    let actor = actor().await?;
    respond(ports()?.duty.plan(&actor, plan).await)
}

/// Someone on a shift asks to hand it to `with`; answers the request's id.
#[server(endpoint = "duty/swap")]
pub async fn ask_swap(shift: i64, with: i64, reason: String) -> Result<i64, AppError> {
    let actor = actor().await?;
    respond(ports()?.duty.ask_swap(&actor, shift, with, reason).await)
}

/// The other person, or a planner of the scope, says yes or no.
#[server(endpoint = "duty/swap_answer")]
pub async fn answer_swap(id: i64, accept: bool) -> Result<SwapStatus, AppError> {
    let actor = actor().await?;
    respond(ports()?.duty.answer_swap(&actor, id, accept).await)
}

/// The people on duty (and the scope's planners): write the duty log; answers its id.
#[server(endpoint = "duty/log")]
pub async fn log_duty(e: DutyLogInput) -> Result<i64, AppError> {
    let actor = actor().await?;
    respond(ports()?.duty.log(&actor, e).await)
}

/// The people on duty (and the scope's planners): close an open entry.
#[server(endpoint = "duty/log_close")]
pub async fn close_duty_log(id: i64) -> Result<(), AppError> {
    let actor = actor().await?;
    respond(ports()?.duty.close_log(&actor, id).await)
}

/// Someone on the shift now on duty acknowledges the handover from the shift before.
#[server(endpoint = "duty/handover")]
pub async fn ack_handover(shift: i64) -> Result<(), AppError> {
    let actor = actor().await?;
    respond(ports()?.duty.ack_handover(&actor, shift).await)
}

/// Anyone: who is on duty now in the street and in one's community (empty for
/// everyone but staff, so every page may ask).
#[server(endpoint = "duty/now")]
pub async fn who_is_on_duty() -> Result<Vec<OnDutyNow>, AppError> {
    let actor = actor().await?;
    respond(ports()?.duty.now(&actor).await)
}

/// Anyone: the emergencies ringing the caller now (empty unless rung), so every page
/// may ask.
#[server(endpoint = "duty/ringing")]
pub async fn ringing_now() -> Result<Vec<Ringing>, AppError> {
    let actor = actor().await?;
    respond(ports()?.duty.ringing(&actor).await)
}

/// Someone it rang acknowledges an emergency (接警).
#[server(endpoint = "duty/ack")]
pub async fn ack_emergency(id: i64) -> Result<(), AppError> {
    let actor = actor().await?;
    respond(ports()?.duty.ack_emergency(&actor, id).await)
}

/// Someone it rang, or the staff of the ticket's grid: on site (到场), with the phone's
/// position when it gave one.
#[server(endpoint = "duty/on_site")]
pub async fn on_site(id: i64, lat: Option<f64>, lng: Option<f64>) -> Result<(), AppError> {
    let actor = actor().await?;
    let at = lat.zip(lng);
    respond(ports()?.duty.on_site(&actor, id, at).await)
}
