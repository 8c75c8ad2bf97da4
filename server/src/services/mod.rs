//! The rules: each service checks who may act (`app::domain::authz`), validates, and
//! calls `db`. They implement the ports the server functions call.
pub mod auth;
pub mod grid;
pub mod photo;
pub mod ticket;

use app::api::ports::Ports;
use app::domain::AppError;
use app::domain::geo::MapConfig;
use std::sync::Arc;

use crate::db::Db;

/// Logs an unexpected failure and hides it behind a 500.
pub fn internal(e: impl std::fmt::Display) -> AppError {
    tracing::error!("internal error: {e}");
    AppError::Internal
}

pub fn ports(db: &Db, map: MapConfig, tickets: Arc<ticket::TicketService>) -> Ports {
    Ports {
        ticket: tickets,
        auth: Arc::new(auth::AuthService { db: db.clone() }),
        grid: Arc::new(grid::GridService {
            db: db.clone(),
            map,
        }),
    }
}
