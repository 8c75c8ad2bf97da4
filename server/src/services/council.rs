//! The seniors' council (闲事会): anyone reads the board, residents raise and support
//! concerns, the council's coordinators (coordinators, directors, admins) set the
//! Wednesday agenda and record outcomes, and the raiser is told of each step by push.
use super::push::PushService;
use super::ticket::TicketService;
use super::{internal, signed_in};
use crate::db::{Db, now_ms};
use app::api::ports::CouncilPort;
use app::domain::AppError;
use app::domain::authz::{Action, allowed, require};
use app::domain::council::{
    ConcernId, ConcernInput, ConcernStatus, CouncilBoard, Decision, check_concern, check_decision,
    mask_name, next_meeting,
};
use app::domain::push::PushMessage;
use app::domain::ticket::{TicketId, TicketKind};
use app::domain::user::{Actor, UserId};
use app::i18n::Msg;
use std::sync::Arc;

pub struct CouncilService {
    pub db: Db,
    pub tickets: Arc<TicketService>,
    pub push: Arc<PushService>,
}

/// Decided concerns stay on the board this long.
const DECIDED_SHOWN_MS: i64 = 90 * 24 * 3600 * 1000;

impl CouncilService {
    fn tell(&self, who: UserId, id: ConcernId, title: String, body: String) {
        self.push.to_users(
            vec![who],
            PushMessage {
                title,
                body,
                url: format!("/council#concern-{}", id.0),
                tag: format!("concern-{}", id.0),
            },
        );
    }

    async fn facts(&self, id: ConcernId) -> Result<crate::db::council::ConcernFacts, AppError> {
        self.db
            .concern_facts(id)
            .await
            .map_err(internal)?
            .ok_or(AppError::NotFound)
    }
}

#[async_trait::async_trait]
impl CouncilPort for CouncilService {
    async fn board(&self, actor: &Actor) -> Result<CouncilBoard, AppError> {
        require(actor, Action::ViewCouncil)?;
        let now = now_ms();
        let viewer = actor.user.as_ref().map(|u| u.id);
        let mut concerns = self
            .db
            .concerns(viewer, now - DECIDED_SHOWN_MS)
            .await
            .map_err(internal)?;
        if !allowed(actor, Action::ManageCouncil) {
            for c in concerns.iter_mut().filter(|c| !c.mine) {
                c.raised_by = mask_name(&c.raised_by);
            }
        }
        Ok(CouncilBoard {
            next_meeting: next_meeting(now),
            concerns,
        })
    }

    async fn raise(&self, actor: &Actor, c: ConcernInput) -> Result<ConcernId, AppError> {
        require(actor, Action::RaiseConcerns)?;
        let user = signed_in(actor)?;
        check_concern(&c)?;
        super::level3_grid(&self.db, c.grid).await?;
        self.db
            .insert_concern(user.id, &c, now_ms())
            .await
            .map_err(internal)
    }

    async fn support(&self, actor: &Actor, id: ConcernId, on: bool) -> Result<u32, AppError> {
        require(actor, Action::RaiseConcerns)?;
        let user = signed_in(actor)?;
        if self.facts(id).await?.raised_by == user.id {
            return Err(AppError::Conflict(Msg::ErrConcernOwn));
        }
        // The concern exists: no count means it has been decided.
        self.db
            .support_concern(id, user.id, on, now_ms())
            .await
            .map_err(internal)?
            .ok_or(AppError::Conflict(Msg::ErrConcernDecided))
    }

    async fn schedule(&self, actor: &Actor, id: ConcernId) -> Result<String, AppError> {
        require(actor, Action::ManageCouncil)?;
        let f = self.facts(id).await?;
        let date = next_meeting(now_ms());
        if !self
            .db
            .schedule_concern(id, &date)
            .await
            .map_err(internal)?
        {
            return Err(AppError::Conflict(Msg::ErrConcernDecided));
        }
        self.tell(
            f.raised_by,
            id,
            format!("闲事会：{}", f.title),
            format!("您反映的事已列入 {date}（周三）闲事会议程"),
        );
        Ok(date)
    }

    async fn decide(
        &self,
        actor: &Actor,
        id: ConcernId,
        d: Decision,
    ) -> Result<Option<TicketId>, AppError> {
        require(actor, Action::ManageCouncil)?;
        let by = signed_in(actor)?.id;
        check_decision(&d)?;
        let f = self.facts(id).await?;
        if f.status != ConcernStatus::Agenda {
            return Err(AppError::Conflict(Msg::ErrConcernNotOnAgenda));
        }
        // Everything that can be refused is checked before the decision is written.
        let category = match d.ticket_category {
            Some(c) => {
                let c = self.tickets.active_category(c).await?;
                if c.kind == TicketKind::Mediation {
                    return Err(AppError::invalid("ticket_category", Msg::ErrCategory));
                }
                Some(c)
            }
            None => None,
        };
        if !self
            .db
            .decide_concern(id, &d.outcome, by, now_ms())
            .await
            .map_err(internal)?
        {
            return Err(AppError::Conflict(Msg::ErrConcernNotOnAgenda));
        }
        let ticket = match category {
            Some(c) => {
                let text = format!("【闲事会】{}：{}", f.title, d.outcome.trim());
                match self
                    .tickets
                    .open_on_behalf(f.raised_by, &c, f.grid, &text)
                    .await
                {
                    Ok(t) => {
                        self.db.link_concern_ticket(id, t).await.map_err(internal)?;
                        Some(t)
                    }
                    Err(e) => {
                        // Nothing half-written: the concern goes back on the agenda.
                        self.db.undecide_concern(id).await.map_err(internal)?;
                        return Err(e);
                    }
                }
            }
            None => None,
        };
        let body = match ticket {
            Some(t) => format!("{}（已转为工单 #{}）", d.outcome.trim(), t.0),
            None => d.outcome.trim().to_owned(),
        };
        self.tell(f.raised_by, id, format!("闲事会结果：{}", f.title), body);
        Ok(ticket)
    }
}
