//! Tickets: categories, one ticket, lists, map markers. Reports and steps carry
//! photos, so they arrive as multipart at `/api/tickets` and `/api/tickets/{id}/act`
//! (server/src/http/ticket.rs) and reach the same port.
use crate::domain::AppError;
use crate::domain::stats::MonthFigures;
#[cfg(feature = "ssr")]
use crate::domain::ticket::TicketId;
use crate::domain::ticket::{
    Category, CategoryInput, Marker, Nearby, TicketDetail, TicketFilter, TicketSummary,
};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::api::ctx::{actor, ports, respond};

/// Anyone. Active categories; with `all`, managers also get inactive ones.
#[server(endpoint = "ticket/categories")]
pub async fn list_categories(all: bool) -> Result<Vec<Category>, AppError> {
    let actor = actor().await?;
    respond(ports()?.ticket.categories(&actor, all).await)
}

/// Admins; directors for their community's service menu (群众点菜).
#[server(endpoint = "ticket/save_category")]
pub async fn save_category(input: CategoryInput) -> Result<Category, AppError> {
    let actor = actor().await?;
    respond(ports()?.ticket.save_category(&actor, input).await)
}

/// The reporter and staff; anyone for a problem report (without the reporter).
#[server(endpoint = "ticket/detail")]
pub async fn fetch_ticket(id: i64) -> Result<TicketDetail, AppError> {
    let actor = actor().await?;
    respond(ports()?.ticket.detail(&actor, TicketId(id)).await)
}

/// Those who handle the ticket (its grid's staff, the community's director, street
/// admins): the reporter's full number, to call back; every read is audited.
#[server(endpoint = "ticket/reporter_phone")]
pub async fn reporter_phone(id: i64) -> Result<String, AppError> {
    let actor = actor().await?;
    respond(ports()?.ticket.reporter_phone(&actor, TicketId(id)).await)
}

/// Signed-in users: their own reports.
#[server(endpoint = "ticket/mine")]
pub async fn my_tickets() -> Result<Vec<TicketSummary>, AppError> {
    let actor = actor().await?;
    respond(ports()?.ticket.mine(&actor).await)
}

/// Anyone. Open problems of this category within 50 m, while a report is written.
#[server(endpoint = "ticket/nearby")]
pub async fn nearby_tickets(category: i64, lat: f64, lng: f64) -> Result<Vec<Nearby>, AppError> {
    let actor = actor().await?;
    respond(ports()?.ticket.nearby(&actor, category, lat, lng).await)
}

/// Signed-in users. "就是这个": follow an open problem instead of reporting it again.
#[server(endpoint = "ticket/follow")]
pub async fn follow_ticket(id: i64) -> Result<i64, AppError> {
    let actor = actor().await?;
    respond(ports()?.ticket.follow(&actor, TicketId(id)).await)
}

/// Anyone. A month's honest figures (`2026-12`; empty: this month); staff also get
/// each grid's.
#[server(endpoint = "ticket/stats")]
pub async fn ticket_stats(month: String) -> Result<MonthFigures, AppError> {
    let actor = actor().await?;
    respond(ports()?.ticket.stats(&actor, month).await)
}

/// Grid workers, directors, admins: the tickets they answer for, soonest deadline first.
#[server(endpoint = "ticket/queue")]
pub async fn ticket_queue(filter: TicketFilter) -> Result<Vec<TicketSummary>, AppError> {
    let actor = actor().await?;
    respond(ports()?.ticket.queue(&actor, filter).await)
}

/// Anyone. Tickets in a bounding box, for the map.
#[server(endpoint = "ticket/markers")]
pub async fn ticket_markers(
    south: f64,
    west: f64,
    north: f64,
    east: f64,
) -> Result<Vec<Marker>, AppError> {
    let actor = actor().await?;
    respond(
        ports()?
            .ticket
            .markers(&actor, south, west, north, east)
            .await,
    )
}
