//! 雪亮工程 cameras: staff of a community see its cameras on the map and watch one
//! with a reason (a ticket or a note); the play address comes from the video platform
//! at that moment and every attempt is logged. Without a platform the page says so.
use super::site::{covers, staff_scope};
use super::video::{VideoError, VideoPlatform};
use super::{internal, ticket::TicketService};
use crate::db::Db;
use crate::db::camera::ViewLog;
use crate::db::site::SiteScope;
use app::api::ports::CameraPort;
use app::domain::AppError;
use app::domain::authz::{Action, allowed};
use app::domain::camera::{CameraBoard, CameraInput, PlayAddress, check_camera, check_reason};
use app::domain::geo::LatLng;
use app::domain::grid::Duty;
use app::domain::ticket::TicketId;
use app::domain::time::now_ms;
use app::domain::user::Actor;
use app::i18n::Msg;
use std::sync::Arc;

pub struct CameraService {
    pub db: Db,
    pub tickets: Arc<TicketService>,
    pub video: Option<Arc<VideoPlatform>>,
}

fn community(scope: SiteScope) -> Option<i64> {
    match scope {
        SiteScope::All => None,
        SiteScope::Community(c) => Some(c),
    }
}

/// What a person reads when the platform gives no stream; the log keeps its words.
fn refusal(e: &VideoError) -> AppError {
    AppError::Upstream(match e {
        VideoError::Unreachable(_) | VideoError::Garbled(_) => Msg::CamErrUnreachable,
        VideoError::Login(_) => Msg::CamErrLogin,
        VideoError::Refused { msg, .. } if msg.contains("超时") => Msg::CamErrTimeout,
        VideoError::Refused { msg, .. } if msg.contains("不存在") => Msg::CamErrNoDevice,
        VideoError::Refused { .. } => Msg::CamErrPlatform,
    })
}

#[async_trait::async_trait]
impl CameraPort for CameraService {
    async fn board(&self, actor: &Actor) -> Result<CameraBoard, AppError> {
        let (_, scope) = staff_scope(&self.db, actor, Action::WatchCameras).await?;
        let cameras = self
            .db
            .cameras(community(scope))
            .await
            .map_err(internal)?
            .into_iter()
            .map(|r| r.camera)
            .collect();
        Ok(CameraBoard {
            cameras,
            provider: self.video.as_ref().map(|v| v.name().to_owned()),
            may_manage: allowed(actor, Action::ManageCameras),
        })
    }

    async fn save(&self, actor: &Actor, c: CameraInput) -> Result<i64, AppError> {
        let (user, scope) = staff_scope(&self.db, actor, Action::ManageCameras).await?;
        check_camera(&c)?;
        if let Some(id) = c.id {
            let row = self
                .db
                .camera(id)
                .await
                .map_err(internal)?
                .ok_or(AppError::NotFound)?;
            if !covers(scope, row.community) {
                return Err(AppError::Forbidden);
            }
        }
        let at = LatLng::new(c.lat, c.lng);
        if !at.is_valid() {
            return Err(AppError::invalid("location", Msg::ErrLocation));
        }
        let (grid, comm, _) = self.tickets.route(at, Duty::Leader).await?;
        let comm = comm.map(|g| g.0);
        if grid.is_none() || !covers(scope, comm) {
            return Err(AppError::invalid("location", Msg::SiteErrOutside));
        }
        if let Some(s) = c.site {
            let ok = self
                .db
                .site(s)
                .await
                .map_err(internal)?
                .is_some_and(|r| covers(scope, r.community));
            if !ok {
                return Err(AppError::invalid("site", Msg::CamErrSite));
            }
        }
        match self
            .db
            .save_camera(&c, (grid.map(|g| g.0), comm), user.id, now_ms())
            .await
        {
            Ok(id) => Ok(id),
            Err(e) if crate::db::is_unique_violation(&e, "uq_cameras_channel") => {
                Err(AppError::invalid("channel_id", Msg::CamErrTaken))
            }
            Err(e) => Err(internal(e)),
        }
    }

    async fn play(
        &self,
        actor: &Actor,
        id: i64,
        ticket: Option<i64>,
        note: String,
    ) -> Result<PlayAddress, AppError> {
        let (user, scope) = staff_scope(&self.db, actor, Action::WatchCameras).await?;
        let row = self
            .db
            .camera(id)
            .await
            .map_err(internal)?
            .ok_or(AppError::NotFound)?;
        if !covers(scope, row.community) {
            return Err(AppError::Forbidden);
        }
        let ticket = ticket.filter(|t| *t > 0);
        check_reason(ticket, &note)?;
        if let Some(t) = ticket
            && self
                .db
                .ticket(TicketId(t))
                .await
                .map_err(internal)?
                .is_none()
        {
            return Err(AppError::invalid("reason", Msg::CamErrNoTicket));
        }
        let (answer, outcome) = match &self.video {
            None => (
                Err(AppError::Unavailable(Msg::CamNoProvider)),
                "no_provider".to_owned(),
            ),
            Some(v) => match v.play(&row.camera.device_id, &row.camera.channel_id).await {
                Ok(p) => (Ok(p), "ok".to_owned()),
                Err(e) => {
                    tracing::warn!("camera {id}: {e}");
                    (Err(refusal(&e)), e.to_string().chars().take(200).collect())
                }
            },
        };
        self.db
            .log_view(&ViewLog {
                camera: id,
                user: user.id,
                at: now_ms(),
                ticket,
                note: note.trim(),
                outcome: &outcome,
            })
            .await
            .map_err(internal)?;
        answer
    }
}
