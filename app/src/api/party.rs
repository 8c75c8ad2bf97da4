//! The party organisation (admins keep the tree), branch rankings, and 三会一课:
//! meetings called for a branch or group, QR check-in, minutes, attendance rates.
use crate::domain::AppError;
use crate::domain::party::{
    BranchRankings, MeetingDetail, MeetingInput, MeetingsPage, OrgInput, OrgTree,
};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[cfg(feature = "ssr")]
use crate::api::ctx::{actor, ports, respond};

/// Admins: the organisation tree with its members and the party members not placed.
#[server(endpoint = "party/tree")]
pub async fn fetch_org_tree() -> Result<OrgTree, AppError> {
    let actor = actor().await?;
    respond(ports()?.party.tree(&actor).await)
}

/// Admins: write an organisation; answers its id.
#[server(endpoint = "party/org/save", input = Json)]
pub async fn save_org(org: OrgInput) -> Result<i64, AppError> {
    let actor = actor().await?;
    respond(ports()?.party.save_org(&actor, org).await)
}

/// Admins: put a party member into a branch or group (中心户 or not).
#[server(endpoint = "party/member/set")]
pub async fn set_org_member(user: i64, org: i64, central: bool) -> Result<(), AppError> {
    let actor = actor().await?;
    respond(ports()?.party.set_member(&actor, user, org, central).await)
}

/// Admins: take a member out of the tree.
#[server(endpoint = "party/member/remove")]
pub async fn remove_org_member(user: i64) -> Result<(), AppError> {
    let actor = actor().await?;
    respond(ports()?.party.remove_member(&actor, user).await)
}

/// Signed in: the branches ranked by points per member, this month and in all.
#[server(endpoint = "party/rankings")]
pub async fn fetch_branch_rankings() -> Result<BranchRankings, AppError> {
    let actor = actor().await?;
    respond(ports()?.party.branch_rankings(&actor).await)
}

/// Signed in: my meetings (every meeting for admins) and the attendance rates.
#[server(endpoint = "party/meetings")]
pub async fn list_meetings() -> Result<MeetingsPage, AppError> {
    let actor = actor().await?;
    respond(ports()?.party.meetings(&actor).await)
}

/// Signed in: one meeting I am on the list of (any meeting for admins).
#[server(endpoint = "party/meeting")]
pub async fn open_meeting(id: i64) -> Result<MeetingDetail, AppError> {
    let actor = actor().await?;
    respond(ports()?.party.meeting(&actor, id).await)
}

/// Admins: call a meeting; its members are put on the list and told. Answers its id.
#[server(endpoint = "party/meeting/call", input = Json)]
pub async fn call_meeting(meeting: MeetingInput) -> Result<i64, AppError> {
    let actor = actor().await?;
    respond(ports()?.party.call_meeting(&actor, meeting).await)
}

/// Admins: the minutes of a meeting.
#[server(endpoint = "party/meeting/minutes", input = Json)]
pub async fn save_minutes(id: i64, minutes: String) -> Result<(), AppError> {
    let actor = actor().await?;
    respond(ports()?.party.save_minutes(&actor, id, minutes).await)
}

/// Signed in, on the list: check in with the token from the meeting's QR code;
/// answers the points paid (0 when already checked in or over the day's cap).
#[server(endpoint = "party/meeting/checkin")]
pub async fn meeting_check_in(id: i64, token: String) -> Result<u32, AppError> {
    let actor = actor().await?;
    respond(ports()?.party.check_in(&actor, id, token).await)
}
