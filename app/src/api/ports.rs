//! The services the server functions call, as traits (implemented in
//! `server/src/services`).
use crate::domain::AppError;
use crate::domain::geo::{LatLng, MapConfig};
use crate::domain::grid::{GridDetail, GridId, GridSummary, ImportReport};
use crate::domain::user::{Actor, SessionUser};
use std::net::IpAddr;
use std::sync::Arc;
use tower_sessions::Session;

#[async_trait::async_trait]
pub trait AuthPort: Send + Sync {
    /// Anyone: creates a resident account and signs it in.
    async fn sign_up(
        &self,
        session: &Session,
        name: &str,
        phone: &str,
        password: &str,
    ) -> Result<SessionUser, AppError>;
    /// Anyone, rate-limited per phone number and per address.
    async fn log_in(
        &self,
        session: &Session,
        phone: &str,
        password: &str,
        ip: Option<IpAddr>,
    ) -> Result<SessionUser, AppError>;
    /// Signed-in users.
    async fn log_out(&self, actor: &Actor, session: &Session) -> Result<(), AppError>;
}

#[async_trait::async_trait]
pub trait GridPort: Send + Sync {
    async fn list(&self, actor: &Actor) -> Result<Vec<GridSummary>, AppError>;
    async fn detail(&self, actor: &Actor, id: GridId) -> Result<GridDetail, AppError>;
    async fn locate(&self, actor: &Actor, at: LatLng) -> Result<Option<GridSummary>, AppError>;
    async fn import(&self, actor: &Actor, geojson: &str) -> Result<ImportReport, AppError>;
    fn map_config(&self) -> MapConfig;
}

#[derive(Clone)]
pub struct Ports {
    pub auth: Arc<dyn AuthPort>,
    pub grid: Arc<dyn GridPort>,
}
