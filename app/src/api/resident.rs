//! Residents registry. Imports are files, so they arrive as multipart at
//! `/api/residents/import` (server/src/http/resident.rs) and reach the same port.
use crate::domain::AppError;
#[cfg(feature = "ssr")]
use crate::domain::resident::ResidentId;
use crate::domain::resident::{
    AccountCheck, AuditPage, AuditQuery, Contact, ResidentFilter, ResidentPage,
};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[cfg(feature = "ssr")]
use crate::api::ctx::{actor, ports, respond};

/// Grid workers (their grids), directors (their community), admins: masked.
#[server(endpoint = "resident/list", input = Json)]
pub async fn list_residents(filter: ResidentFilter) -> Result<ResidentPage, AppError> {
    let actor = actor().await?;
    respond(ports()?.resident.list(&actor, filter).await)
}

/// The same people: one resident's numbers; the read is written to the audit log.
#[server(endpoint = "resident/contact")]
pub async fn resident_contact(id: i64) -> Result<Contact, AppError> {
    let actor = actor().await?;
    respond(ports()?.resident.contact(&actor, ResidentId(id)).await)
}

/// The same people: the account using this resident's number is hers (the staff
/// member checked in person or by phone). Only then do its alert answers count for
/// her; audited.
#[server(endpoint = "resident/confirm_account")]
pub async fn confirm_account(id: i64, how: AccountCheck) -> Result<(), AppError> {
    let actor = actor().await?;
    respond(
        ports()?
            .resident
            .confirm_account(&actor, ResidentId(id), how)
            .await,
    )
}

/// Admins: who read whose personal data, newest first: filtered by who, whose data,
/// what and when, 100 entries a page (`before` = the previous page's `next`).
#[server(endpoint = "resident/audit", input = Json)]
pub async fn audit_log(q: AuditQuery) -> Result<AuditPage, AppError> {
    let actor = actor().await?;
    respond(ports()?.resident.audit(&actor, q).await)
}
