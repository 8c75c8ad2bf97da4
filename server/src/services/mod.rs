//! The rules: each service checks who may act (`app::domain::authz`), validates, and
//! calls `db`. They implement the ports the server functions call.
pub mod alert;
pub mod auth;
pub mod bus;
pub mod cap;
pub mod grid;
pub mod photo;
pub mod resident;
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

/// The level-3 grids a staff member answers for: `None` for admins (all of them),
/// a director's community's grids, a grid worker's own grids; nobody else any.
pub async fn staff_grids(
    db: &Db,
    user: &app::domain::user::SessionUser,
) -> Result<Option<Vec<app::domain::grid::GridId>>, AppError> {
    use app::domain::user::Role;
    Ok(match user.role {
        Role::Admin => None,
        Role::Director => match db.user_scope(user.id).await.map_err(internal)? {
            Some(c) => Some(
                db.grid_children(c)
                    .await
                    .map_err(internal)?
                    .into_iter()
                    .map(|g| g.id)
                    .collect(),
            ),
            None => Some(vec![]),
        },
        Role::GridWorker => Some(user.grids.iter().map(|(g, _)| *g).collect()),
        Role::Resident | Role::Coordinator => Some(vec![]),
    })
}

/// Whether a grid is within a scope from [`staff_grids`].
pub fn in_scope(
    scope: &Option<Vec<app::domain::grid::GridId>>,
    g: app::domain::grid::GridId,
) -> bool {
    scope.as_ref().is_none_or(|s| s.contains(&g))
}

pub fn ports(
    db: &Db,
    map: MapConfig,
    tickets: Arc<ticket::TicketService>,
    bus: &bus::Bus,
) -> Ports {
    Ports {
        resident: Arc::new(resident::ResidentService { db: db.clone() }),
        alert: Arc::new(alert::AlertService {
            db: db.clone(),
            bus: bus.clone(),
        }),
        ticket: tickets,
        auth: Arc::new(auth::AuthService { db: db.clone() }),
        grid: Arc::new(grid::GridService {
            db: db.clone(),
            map,
        }),
    }
}
