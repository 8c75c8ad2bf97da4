//! Volunteer shifts and events: sign-up, waitlist, check-in, hours.
use crate::domain::AppError;
#[cfg(feature = "ssr")]
use crate::domain::grid::GridId;
#[cfg(feature = "ssr")]
use crate::domain::shift::ShiftId;
#[cfg(feature = "ssr")]
use crate::domain::shift::TeamId;
use crate::domain::shift::{
    MonthHours, Recurrence, SeriesChange, Shift, ShiftDetail, ShiftInput, SignupOutcome,
    TeamChange, TeamMember, TeamsInScope,
};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[cfg(feature = "ssr")]
use crate::api::ctx::{actor, ports, respond};

/// Everyone: shifts and events starting in `[from, to)` (ms), one grid or all.
#[server(endpoint = "shift/list")]
pub async fn shift_list(from: i64, to: i64, grid: Option<i64>) -> Result<Vec<Shift>, AppError> {
    let actor = actor().await?;
    respond(
        ports()?
            .shift
            .list(&actor, from, to, grid.map(GridId))
            .await,
    )
}

/// Everyone; coordinators also get the roster and the check-in token.
#[server(endpoint = "shift/detail")]
pub async fn fetch_shift(id: i64) -> Result<ShiftDetail, AppError> {
    let actor = actor().await?;
    respond(ports()?.shift.detail(&actor, ShiftId(id)).await)
}

/// Coordinators, directors (their community), admins: answers the new shifts' ids.
#[server(endpoint = "shift/create", input = Json)]
pub async fn create_shift(input: ShiftInput) -> Result<Vec<i64>, AppError> {
    let actor = actor().await?;
    respond(
        ports()?
            .shift
            .create(&actor, input)
            .await
            .map(|ids| ids.into_iter().map(|i| i.0).collect()),
    )
}

/// The same people: call one occurrence off; those signed up are told.
#[server(endpoint = "shift/cancel")]
pub async fn cancel_shift(id: i64) -> Result<(), AppError> {
    let actor = actor().await?;
    respond(ports()?.shift.cancel(&actor, ShiftId(id)).await)
}

/// The same people: a new rule for the series of shift `id` (future occurrences are
/// fitted to it; those with people are called off and the people told).
#[server(endpoint = "shift/series", input = Json)]
pub async fn edit_series(id: i64, rule: Recurrence) -> Result<SeriesChange, AppError> {
    let actor = actor().await?;
    respond(ports()?.shift.edit_series(&actor, ShiftId(id), rule).await)
}

/// Signed in: a seat, or the waitlist when full.
#[server(endpoint = "shift/signup")]
pub async fn sign_up_shift(id: i64) -> Result<SignupOutcome, AppError> {
    let actor = actor().await?;
    respond(ports()?.shift.sign_up(&actor, ShiftId(id)).await)
}

/// Signed in: give up my seat or waitlist place.
#[server(endpoint = "shift/leave")]
pub async fn leave_shift(id: i64) -> Result<(), AppError> {
    let actor = actor().await?;
    respond(ports()?.shift.leave(&actor, ShiftId(id)).await)
}

/// Signed in, seated: check in with the token from the shift's QR code.
#[server(endpoint = "shift/checkin")]
pub async fn check_in_shift(id: i64, token: String) -> Result<i64, AppError> {
    let actor = actor().await?;
    respond(ports()?.shift.check_in(&actor, ShiftId(id), token).await)
}

/// Signed in, checked in: check out; answers the minutes credited.
#[server(endpoint = "shift/checkout")]
pub async fn check_out_shift(id: i64, token: String) -> Result<u32, AppError> {
    let actor = actor().await?;
    respond(ports()?.shift.check_out(&actor, ShiftId(id), token).await)
}

/// Coordinators: check a volunteer in or out by hand.
#[server(endpoint = "shift/mark")]
pub async fn mark_shift(id: i64, signup: i64, out: bool) -> Result<(), AppError> {
    let actor = actor().await?;
    respond(ports()?.shift.mark(&actor, ShiftId(id), signup, out).await)
}

/// Signed in: my shifts from now on (and the one under way).
#[server(endpoint = "shift/mine")]
pub async fn my_shifts() -> Result<Vec<Shift>, AppError> {
    let actor = actor().await?;
    respond(ports()?.shift.mine(&actor).await)
}

/// Signed in: my volunteer hours by month.
#[server(endpoint = "shift/hours")]
pub async fn my_hours() -> Result<Vec<MonthHours>, AppError> {
    let actor = actor().await?;
    respond(ports()?.shift.hours(&actor).await)
}

/// Coordinators, directors, admins: the teams in their grids.
#[server(endpoint = "shift/teams")]
pub async fn team_list() -> Result<TeamsInScope, AppError> {
    let actor = actor().await?;
    respond(ports()?.shift.teams(&actor).await)
}

/// Signed in: my private calendar link's token; `renew` makes a new one (the old
/// link stops working).
#[server(endpoint = "shift/calendar")]
pub async fn calendar_token(renew: bool) -> Result<String, AppError> {
    let actor = actor().await?;
    respond(ports()?.shift.calendar_token(&actor, renew).await)
}

/// Coordinators, directors, admins: a new team in a grid; answers its id.
#[server(endpoint = "team/create")]
pub async fn create_team(grid: i64, name: String) -> Result<i64, AppError> {
    let actor = actor().await?;
    respond(
        ports()?
            .shift
            .create_team(&actor, GridId(grid), name)
            .await
            .map(|t| t.0),
    )
}

/// The same people: a team's members.
#[server(endpoint = "team/members")]
pub async fn team_members(team: i64) -> Result<Vec<TeamMember>, AppError> {
    let actor = actor().await?;
    respond(ports()?.shift.team_members(&actor, TeamId(team)).await)
}

/// The same people: one edit of a team.
#[server(endpoint = "team/change", input = Json)]
pub async fn change_team(team: i64, change: TeamChange) -> Result<(), AppError> {
    let actor = actor().await?;
    respond(
        ports()?
            .shift
            .change_team(&actor, TeamId(team), change)
            .await,
    )
}
