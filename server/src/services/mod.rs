//! The rules: each service checks who may act (`app::domain::authz`), validates, and
//! calls `db`. They implement the ports the server functions call.
pub mod alert;
pub mod assessment;
pub mod auth;
pub mod bus;
pub mod camera;
pub mod cap;
pub mod command;
pub mod council;
pub mod duty;
pub mod feedback;
pub mod grid;
pub mod lesson;
pub mod missing;
pub mod notice;
pub mod party;
pub mod photo;
pub mod presence;
pub mod push;
pub mod quiz;
pub mod reminder;
pub mod resident;
pub mod shift;
pub mod site;
pub mod sms;
pub mod study;
pub mod ticket;
pub mod video;
pub mod worklog;

use app::api::ports::Ports;
use app::domain::AppError;
use app::domain::geo::MapConfig;
use std::sync::Arc;

use crate::db::Db;
use crate::db::grid::GridRow;
use app::domain::grid::{GridId, GridLevel};
use app::domain::user::{Actor, Role, SessionUser};
use app::i18n::Msg;
use std::collections::BTreeSet;

/// The signed-in caller, or 401.
pub fn signed_in(actor: &Actor) -> Result<&SessionUser, AppError> {
    actor.user.as_ref().ok_or(AppError::Unauthorized)
}

/// A director's community (the area she sends to; none on record: 403); `None` for
/// street admins, who send to the whole street.
async fn sender_community(db: &Db, user: &SessionUser) -> Result<Option<GridId>, AppError> {
    match user.role {
        Role::Director => db
            .user_scope(user.id)
            .await
            .map_err(internal)?
            .ok_or(AppError::Forbidden)
            .map(Some),
        _ => Ok(None),
    }
}

/// The communities and grids this sender may address (alerts, staff notices): a
/// director's own community and its grids; street admins every community and grid.
pub async fn sendable(db: &Db, user: &SessionUser) -> Result<Vec<GridRow>, AppError> {
    let all = db.list_grids().await.map_err(internal)?;
    let mine: Option<Vec<GridId>> = sender_community(db, user).await?.map(|c| {
        let mut ids = leaves(&all, c);
        ids.push(c);
        ids
    });
    Ok(all
        .into_iter()
        .filter(|g| g.level != GridLevel::Street)
        .filter(|g| mine.as_ref().is_none_or(|ids| ids.contains(&g.id)))
        .collect())
}

/// Level-3 grids under (or equal to) `root`.
fn leaves(all: &[GridRow], root: GridId) -> Vec<GridId> {
    let mut out = Vec::new();
    let mut stack = vec![root];
    while let Some(g) = stack.pop() {
        for r in all.iter().filter(|r| r.id == g || r.parent == Some(g)) {
            if r.id == g {
                if r.level == GridLevel::Grid {
                    out.push(r.id);
                }
            } else {
                stack.push(r.id);
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// The grids chosen (empty: the sender's whole area), checked against the
/// sender's scope; answers the level-3 grids and the area in words.
pub async fn resolve_targets(
    db: &Db,
    user: &SessionUser,
    targets: &[GridId],
) -> Result<(Vec<GridId>, String), AppError> {
    let all = db.list_grids().await.map_err(internal)?;
    let community = sender_community(db, user).await?;
    let chosen: Vec<GridId> = if targets.is_empty() {
        match community {
            Some(c) => vec![c],
            None => all
                .iter()
                .filter(|g| g.level == GridLevel::Street)
                .map(|g| g.id)
                .collect(),
        }
    } else {
        targets.to_vec()
    };
    let allowed = community.map(|c| leaves(&all, c));
    let mut grids = BTreeSet::new();
    let mut names = Vec::new();
    for t in &chosen {
        let row = all
            .iter()
            .find(|g| g.id == *t)
            .ok_or_else(|| AppError::invalid("targets", Msg::ErrUnknownGrid))?;
        let under = leaves(&all, *t);
        if let Some(ok) = &allowed
            && (under.is_empty() || !under.iter().all(|g| ok.contains(g)))
        {
            return Err(AppError::invalid("targets", Msg::ErrGridOutOfScope));
        }
        grids.extend(under);
        names.push(row.name.clone());
    }
    if grids.is_empty() {
        return Err(AppError::invalid("targets", Msg::ErrUnknownGrid));
    }
    Ok((grids.into_iter().collect(), names.join("、")))
}

/// Logs an unexpected failure and hides it behind a 500.
pub fn internal(e: impl std::fmt::Display) -> AppError {
    tracing::error!("internal error: {e}");
    AppError::Internal
}

/// The level-3 grids a staff member answers for: `None` for admins (all of them),
/// a director's community's grids, a grid worker's own grids; nobody else any.
pub async fn staff_grids(db: &Db, user: &SessionUser) -> Result<Option<Vec<GridId>>, AppError> {
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

/// A level-3 grid (where people live and shifts happen), or the `grid` field's error.
pub async fn level3_grid(db: &Db, grid: GridId) -> Result<(), AppError> {
    match db.grid(grid).await.map_err(internal)? {
        Some(g) if g.level == GridLevel::Grid => Ok(()),
        _ => Err(AppError::invalid("grid", Msg::ErrUnknownGrid)),
    }
}

/// Whether a grid is within a scope from [`staff_grids`].
pub fn in_scope(scope: &Option<Vec<GridId>>, g: GridId) -> bool {
    scope.as_ref().is_none_or(|s| s.contains(&g))
}

pub fn ports(
    db: &Db,
    map: MapConfig,
    tickets: Arc<ticket::TicketService>,
    bus: &bus::Bus,
    video: Option<Arc<video::VideoPlatform>>,
    reminders: &reminder::ReminderService,
    sms: &sms::SmsService,
) -> Ports {
    // One push service for all (the reminders hold it too).
    let pusher = reminders.push.clone();
    Ports {
        resident: Arc::new(resident::ResidentService { db: db.clone() }),
        alert: Arc::new(alert::AlertService {
            db: db.clone(),
            bus: bus.clone(),
            push: pusher.clone(),
            sms: reminders.sms.clone(),
        }),
        notice: Arc::new(notice::NoticeService { db: db.clone() }),
        missing: Arc::new(missing::MissingService {
            db: db.clone(),
            tickets: tickets.clone(),
            push: pusher.clone(),
        }),
        shift: Arc::new(shift::ShiftService {
            db: db.clone(),
            push: pusher.clone(),
            reminders: reminders.clone(),
        }),
        council: Arc::new(council::CouncilService {
            db: db.clone(),
            tickets: tickets.clone(),
            push: pusher.clone(),
        }),
        study: Arc::new(study::StudyService { db: db.clone() }),
        lesson: Arc::new(lesson::LessonService { db: db.clone() }),
        quiz: Arc::new(quiz::QuizService { db: db.clone() }),
        party: Arc::new(party::PartyService {
            db: db.clone(),
            push: pusher.clone(),
        }),
        feedback: Arc::new(feedback::FeedbackService {
            db: db.clone(),
            push: pusher.clone(),
        }),
        duty: Arc::new(duty::DutyService {
            db: db.clone(),
            push: pusher.clone(),
            bus: bus.clone(),
        }),
        command: Arc::new(command::CommandService { db: db.clone() }),
        reminder: Arc::new(reminders.clone()),
        sms: Arc::new(sms.clone()),
        camera: Arc::new(camera::CameraService {
            db: db.clone(),
            tickets: tickets.clone(),
            video,
        }),
        site: Arc::new(site::SiteService {
            db: db.clone(),
            tickets: tickets.clone(),
        }),
        push: pusher,
        assessment: Arc::new(assessment::AssessmentService { db: db.clone() }),
        worklog: Arc::new(worklog::WorklogService { db: db.clone() }),
        ticket: tickets,
        auth: Arc::new(auth::AuthService { db: db.clone() }),
        grid: Arc::new(grid::GridService {
            db: db.clone(),
            map,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g(id: i64, parent: Option<i64>, level: GridLevel) -> GridRow {
        GridRow {
            id: GridId(id),
            parent: parent.map(GridId),
            level,
            code: id.to_string(),
            name: id.to_string(),
            geometry: String::new(),
        }
    }

    #[test]
    fn targets_expand_to_level_three() {
        let all = vec![
            g(1, None, GridLevel::Street),
            g(2, Some(1), GridLevel::Community),
            g(3, Some(1), GridLevel::Community),
            g(4, Some(2), GridLevel::Grid),
            g(5, Some(2), GridLevel::Grid),
            g(6, Some(3), GridLevel::Grid),
        ];
        assert_eq!(
            leaves(&all, GridId(1)),
            vec![GridId(4), GridId(5), GridId(6)]
        );
        assert_eq!(leaves(&all, GridId(2)), vec![GridId(4), GridId(5)]);
        assert_eq!(leaves(&all, GridId(6)), vec![GridId(6)]);
        assert!(leaves(&all, GridId(9)).is_empty());
    }
}
