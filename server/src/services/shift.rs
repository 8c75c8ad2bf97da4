//! Volunteer shifts and events: who may make them (coordinators for the street,
//! directors for their community, admins), the sign-up engine's answers in words, and
//! telling people when a waitlist place turns into a seat or a shift is called off.
use super::push::PushService;
use super::{in_scope, internal, signed_in, staff_grids};
use crate::db::shift::Refusal;
use crate::db::{Db, now_ms};
use app::api::ports::ShiftPort;
use app::domain::AppError;
use app::domain::authz::{Action, allowed, require};
use app::domain::grid::{GridId, GridLevel};
use app::domain::push::PushMessage;
use app::domain::shift::{
    MonthHours, Shift, ShiftDetail, ShiftId, ShiftInput, SignupOutcome, TeamsInScope, check_shift,
    format_when, hours_by_month, may_cancel, occurrences,
};
use app::domain::user::{Actor, Role, SessionUser};
use app::i18n::Msg;
use std::sync::Arc;

pub struct ShiftService {
    pub db: Db,
    pub push: Arc<PushService>,
}

/// A list covers at most 62 days.
const SPAN_MAX: i64 = 62 * 24 * 3600 * 1000;

fn refused(r: Refusal) -> AppError {
    match r {
        Refusal::NotFound => AppError::NotFound,
        Refusal::Closed => AppError::Conflict(Msg::ErrShiftClosed),
        Refusal::Already => AppError::Conflict(Msg::ErrShiftAlready),
        Refusal::Overlap => AppError::Conflict(Msg::ErrShiftOverlap),
        Refusal::Cutoff => AppError::Conflict(Msg::ErrShiftCutoffPassed),
        Refusal::NotSeated => AppError::Conflict(Msg::ErrShiftNotSeated),
        Refusal::WrongTime => AppError::Conflict(Msg::ErrShiftCheckinTime),
        Refusal::NotCheckedIn => AppError::Conflict(Msg::ErrShiftNotCheckedIn),
    }
}

/// A check-in token: 144 random bits, hex.
pub(crate) fn random_token() -> String {
    use rand::RngCore;
    let mut b = [0u8; 18];
    rand::rngs::OsRng.fill_bytes(&mut b);
    b.iter().map(|x| format!("{x:02x}")).collect()
}

impl ShiftService {
    /// The grids a manager may schedule: coordinators and admins all (`None`),
    /// directors their community's.
    async fn scope(&self, user: &SessionUser) -> Result<Option<Vec<GridId>>, AppError> {
        match user.role {
            Role::Coordinator | Role::Admin => Ok(None),
            _ => staff_grids(&self.db, user).await,
        }
    }

    /// The shift, if the manager's scope covers its grid (404 otherwise).
    async fn managed(
        &self,
        actor: &Actor,
        id: ShiftId,
    ) -> Result<crate::db::shift::ShiftFacts, AppError> {
        require(actor, Action::ManageShifts)?;
        let user = signed_in(actor)?;
        let f = self.facts(id).await?;
        if !in_scope(&self.scope(user).await?, f.grid) {
            return Err(AppError::NotFound);
        }
        Ok(f)
    }

    /// The shift, or 404.
    async fn facts(&self, id: ShiftId) -> Result<crate::db::shift::ShiftFacts, AppError> {
        self.db
            .shift_facts(id)
            .await
            .map_err(internal)?
            .ok_or(AppError::NotFound)
    }

    /// The token from the shift's QR code must be this shift's.
    async fn token_matches(&self, id: ShiftId, token: &str) -> Result<(), AppError> {
        if token.trim() == self.facts(id).await?.token {
            Ok(())
        } else {
            Err(AppError::invalid("token", Msg::ErrShiftToken))
        }
    }

    /// Whether `actor` manages shifts in this grid.
    async fn manages(&self, actor: &Actor, grid: GridId) -> Result<bool, AppError> {
        match &actor.user {
            Some(u) if allowed(actor, Action::ManageShifts) => {
                Ok(in_scope(&self.scope(u).await?, grid))
            }
            _ => Ok(false),
        }
    }
}

#[async_trait::async_trait]
impl ShiftPort for ShiftService {
    async fn list(
        &self,
        actor: &Actor,
        from: i64,
        to: i64,
        grid: Option<GridId>,
    ) -> Result<Vec<Shift>, AppError> {
        require(actor, Action::ViewShifts)?;
        if to <= from || to - from > SPAN_MAX {
            return Err(AppError::invalid("to", Msg::ErrShiftSpan));
        }
        let grids = grid.map(|g| vec![g]);
        self.db
            .shifts_between(
                actor.user.as_ref().map(|u| u.id),
                from,
                to,
                grids.as_deref(),
            )
            .await
            .map_err(internal)
    }

    async fn detail(&self, actor: &Actor, id: ShiftId) -> Result<ShiftDetail, AppError> {
        require(actor, Action::ViewShifts)?;
        let shift = self
            .db
            .shift(id, actor.user.as_ref().map(|u| u.id))
            .await
            .map_err(internal)?
            .ok_or(AppError::NotFound)?;
        let (roster, checkin_token) = if self.manages(actor, shift.grid).await? {
            let f = self.facts(id).await?;
            (
                Some(self.db.roster(id).await.map_err(internal)?),
                Some(f.token),
            )
        } else {
            (None, None)
        };
        let may_cancel = may_cancel(now_ms(), shift.starts_at, shift.cutoff_hours);
        Ok(ShiftDetail {
            shift,
            roster,
            checkin_token,
            may_cancel,
        })
    }

    async fn create(&self, actor: &Actor, input: ShiftInput) -> Result<Vec<ShiftId>, AppError> {
        require(actor, Action::ManageShifts)?;
        let user = signed_in(actor)?;
        let now = now_ms();
        check_shift(&input, now)?;
        let grid = self
            .db
            .list_grids()
            .await
            .map_err(internal)?
            .into_iter()
            .find(|g| g.id == input.grid)
            .ok_or_else(|| AppError::invalid("grid", Msg::ErrUnknownGrid))?;
        if grid.level != GridLevel::Grid {
            return Err(AppError::invalid("grid", Msg::ErrUnknownGrid));
        }
        if !in_scope(&self.scope(user).await?, input.grid) {
            return Err(AppError::invalid("grid", Msg::ErrGridOutOfScope));
        }
        if let Some(team) = input.team
            && self.db.team_grid(team).await.map_err(internal)? != Some(input.grid)
        {
            return Err(AppError::invalid("team", Msg::ErrShiftTeam));
        }
        let starts = occurrences(input.starts_at, input.weeks);
        let tokens: Vec<String> = starts.iter().map(|_| random_token()).collect();
        self.db
            .insert_shifts(&input, &starts, &tokens, user.id, now)
            .await
            .map_err(internal)
    }

    async fn cancel(&self, actor: &Actor, id: ShiftId) -> Result<(), AppError> {
        let f = self.managed(actor, id).await?;
        if f.cancelled {
            return Ok(());
        }
        let told = self.db.cancel_shift(id).await.map_err(internal)?;
        self.push.to_users(
            told,
            PushMessage {
                title: format!("已取消：{}", f.title),
                body: format_when(f.starts_at, f.ends_at),
                url: format!("/shifts/{}", id.0),
                tag: format!("shift-{}", id.0),
            },
        );
        Ok(())
    }

    async fn sign_up(&self, actor: &Actor, id: ShiftId) -> Result<SignupOutcome, AppError> {
        require(actor, Action::JoinShifts)?;
        let user = signed_in(actor)?;
        self.db
            .sign_up(id, user.id, now_ms())
            .await
            .map_err(internal)?
            .map_err(refused)
    }

    async fn leave(&self, actor: &Actor, id: ShiftId) -> Result<(), AppError> {
        require(actor, Action::JoinShifts)?;
        let user = signed_in(actor)?;
        let (promoted, f) = self
            .db
            .leave_shift(id, user.id, now_ms())
            .await
            .map_err(internal)?
            .map_err(refused)?;
        if let Some(p) = promoted {
            self.push.to_users(
                vec![p],
                PushMessage {
                    title: format!("候补转正：{}", f.title),
                    body: format!(
                        "{} · 您已获得名额，请准时参加",
                        format_when(f.starts_at, f.ends_at)
                    ),
                    url: format!("/shifts/{}", id.0),
                    tag: format!("shift-{}", id.0),
                },
            );
        }
        Ok(())
    }

    async fn check_in(&self, actor: &Actor, id: ShiftId, token: String) -> Result<i64, AppError> {
        require(actor, Action::JoinShifts)?;
        let user = signed_in(actor)?;
        self.token_matches(id, &token).await?;
        self.db
            .check_in(id, user.id, now_ms(), false)
            .await
            .map_err(internal)?
            .map_err(refused)
    }

    async fn check_out(&self, actor: &Actor, id: ShiftId, token: String) -> Result<u32, AppError> {
        require(actor, Action::JoinShifts)?;
        let user = signed_in(actor)?;
        self.token_matches(id, &token).await?;
        self.db
            .check_out(id, user.id, now_ms(), user.id, false)
            .await
            .map_err(internal)?
            .map_err(refused)
    }

    async fn mark(
        &self,
        actor: &Actor,
        id: ShiftId,
        signup: i64,
        out: bool,
    ) -> Result<(), AppError> {
        self.managed(actor, id).await?;
        let by = signed_in(actor)?.id;
        let who = self
            .db
            .signup_user(id, signup)
            .await
            .map_err(internal)?
            .ok_or(AppError::NotFound)?;
        let now = now_ms();
        if out {
            self.db.check_out(id, who, now, by, true).await
        } else {
            self.db
                .check_in(id, who, now, true)
                .await
                .map(|r| r.map(|_| 0))
        }
        .map_err(internal)?
        .map_err(refused)
        .map(|_| ())
    }

    async fn mine(&self, actor: &Actor) -> Result<Vec<Shift>, AppError> {
        require(actor, Action::JoinShifts)?;
        let user = signed_in(actor)?;
        self.db.my_shifts(user.id, now_ms()).await.map_err(internal)
    }

    async fn hours(&self, actor: &Actor) -> Result<Vec<MonthHours>, AppError> {
        require(actor, Action::JoinShifts)?;
        let user = signed_in(actor)?;
        let ledger = self.db.hours_ledger(user.id).await.map_err(internal)?;
        Ok(hours_by_month(&ledger))
    }

    async fn teams(&self, actor: &Actor) -> Result<TeamsInScope, AppError> {
        require(actor, Action::ManageShifts)?;
        let user = signed_in(actor)?;
        let scope = self.scope(user).await?;
        let grids = self
            .db
            .list_grids()
            .await
            .map_err(internal)?
            .into_iter()
            .filter(|g| g.level == GridLevel::Grid && in_scope(&scope, g.id))
            .map(|g| (g.id, g.name))
            .collect();
        let teams = self.db.teams(scope.as_deref()).await.map_err(internal)?;
        Ok(TeamsInScope { grids, teams })
    }
}
