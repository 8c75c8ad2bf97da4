//! Volunteer shifts and events: who may make them (coordinators for the street,
//! directors for their community, admins), the sign-up engine's answers in words, and
//! telling people when a waitlist place turns into a seat or a shift is called off.
use super::push::PushService;
use super::{in_scope, internal, level3_grid, signed_in, staff_grids};
use crate::db::shift::Refusal;
use crate::db::{Db, now_ms};
use app::api::ports::ShiftPort;
use app::domain::AppError;
use app::domain::authz::{Action, allowed, require};
use app::domain::grid::{GridId, GridLevel};
use app::domain::push::PushMessage;
use app::domain::shift::{
    MonthHours, Recurrence, RosterLine, SeriesChange, SeriesRule, Shift, ShiftDetail, ShiftId,
    ShiftInput, SignupOutcome, TeamChange, TeamId, TeamMember, TeamsInScope, check_rule,
    check_shift, check_team_name, format_when, hours_by_month, local_date, may_cancel, occurrences,
    plan_series, rule_from_starts, rule_starts,
};
use app::domain::user::{Actor, Role, SessionUser, UserId};
use app::i18n::Msg;
use std::sync::Arc;

pub struct ShiftService {
    pub db: Db,
    pub push: Arc<PushService>,
    /// Seats from the waitlist are told through the seated person's reminder choices.
    pub reminders: super::reminder::ReminderService,
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

    /// A level-3 grid within the manager's scope, or the `grid` field's error.
    async fn schedulable(&self, user: &SessionUser, grid: GridId) -> Result<(), AppError> {
        level3_grid(&self.db, grid).await?;
        if in_scope(&self.scope(user).await?, grid) {
            Ok(())
        } else {
            Err(AppError::invalid("grid", Msg::ErrGridOutOfScope))
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

    /// The team, if the manager's scope covers its grid (404 otherwise).
    async fn managed_team(&self, actor: &Actor, team: TeamId) -> Result<(), AppError> {
        require(actor, Action::ManageShifts)?;
        let user = signed_in(actor)?;
        match self.db.team_grid(team).await.map_err(internal)? {
            Some(g) if in_scope(&self.scope(user).await?, g) => Ok(()),
            _ => Err(AppError::NotFound),
        }
    }

    /// A shift's series and its rule: the stored rule, or one read off the
    /// occurrences of a series stored without one.
    async fn series(&self, id: ShiftId) -> Result<Option<(i64, SeriesRule)>, AppError> {
        let Some(series) = self.db.series_of(id).await.map_err(internal)? else {
            return Ok(None);
        };
        if let Some(r) = self.db.series_rule(series).await.map_err(internal)? {
            return Ok(Some((series, r)));
        }
        let starts: Vec<i64> = self
            .db
            .series_occurrences(series)
            .await
            .map_err(internal)?
            .iter()
            .map(|o| o.starts_at)
            .collect();
        Ok(rule_from_starts(&starts).map(|r| (series, r)))
    }

    /// Tells the people on an occurrence that it was called off (or is on again); a
    /// called-off one's reminders are called off too (on again, they are planned anew).
    async fn tell(
        &self,
        users: Vec<UserId>,
        id: ShiftId,
        title: &str,
        when: String,
        on_again: bool,
    ) {
        if !on_again && let Err(e) = self.db.cancel_shift_reminders(id.0, None).await {
            tracing::warn!("reminders of shift {}: {e}", id.0);
        }
        if users.is_empty() {
            return;
        }
        let title = if on_again {
            format!("恢复：{title}")
        } else {
            format!("已取消：{title}")
        };
        self.push.to_users(
            users,
            PushMessage {
                title,
                body: when,
                url: format!("/shifts/{}", id.0),
                tag: format!("shift-{}", id.0),
            },
        );
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
        use app::domain::time::in_bounds;
        if !in_bounds(from) || !in_bounds(to) {
            return Err(AppError::invalid("from", Msg::ErrDateRange));
        }
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
        let series = self.series(id).await?.map(|(_, r)| r);
        Ok(ShiftDetail {
            shift,
            roster,
            checkin_token,
            may_cancel,
            series,
        })
    }

    async fn create(&self, actor: &Actor, input: ShiftInput) -> Result<Vec<ShiftId>, AppError> {
        require(actor, Action::ManageShifts)?;
        let user = signed_in(actor)?;
        let now = now_ms();
        check_shift(&input, now)?;
        self.schedulable(user, input.grid).await?;
        if let Some(team) = input.team
            && self.db.team_grid(team).await.map_err(internal)? != Some(input.grid)
        {
            return Err(AppError::invalid("team", Msg::ErrShiftTeam));
        }
        let starts = occurrences(&input);
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
        // Calling one occurrence off is an exception to its series' rule.
        self.db
            .add_series_exception(id, &local_date(f.starts_at))
            .await
            .map_err(internal)?;
        self.tell(
            told,
            id,
            &f.title,
            format_when(f.starts_at, f.ends_at),
            false,
        )
        .await;
        Ok(())
    }

    async fn edit_series(
        &self,
        actor: &Actor,
        id: ShiftId,
        rule: Recurrence,
    ) -> Result<SeriesChange, AppError> {
        let f = self.managed(actor, id).await?;
        let by = signed_in(actor)?.id;
        let now = now_ms();
        // A one-off becomes the first occurrence of a new series.
        let (series, first_start) = match self.series(id).await? {
            Some((s, r)) => (s, r.first_start),
            None => (id.0, f.starts_at),
        };
        check_rule(&rule, first_start, now)?;
        let sr = SeriesRule { first_start, rule };
        let future: Vec<_> = self
            .db
            .series_occurrences(series)
            .await
            .map_err(internal)?
            .into_iter()
            .filter(|o| o.starts_at > now)
            .collect();
        let wanted: Vec<i64> = rule_starts(first_start, &sr.rule)
            .into_iter()
            .filter(|t| *t > now)
            .collect();
        let plan = plan_series(&future, &wanted);
        let tokens: Vec<String> = plan.add.iter().map(|_| random_token()).collect();
        let (called_off, restored) = self
            .db
            .apply_series(series, id, &plan, &tokens, &sr, by, now)
            .await
            .map_err(internal)?;
        let length = f.ends_at - f.starts_at;
        let when = |sid: ShiftId| {
            let start = future
                .iter()
                .find(|o| o.id == sid)
                .map_or(f.starts_at, |o| o.starts_at);
            format_when(start, start + length)
        };
        for (sid, users) in called_off {
            self.tell(users, sid, &f.title, when(sid), false).await;
        }
        for (sid, users) in restored {
            self.tell(users, sid, &f.title, when(sid), true).await;
        }
        let n = |len: usize| u32::try_from(len).unwrap_or(u32::MAX);
        Ok(SeriesChange {
            added: n(plan.add.len()),
            removed: n(plan.remove.len()),
            called_off: n(plan.call_off.len()),
            restored: n(plan.restore.len()),
        })
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
        if let Err(e) = self.db.cancel_shift_reminders(id.0, Some(user.id.0)).await {
            tracing::warn!("reminders of shift {} for {}: {e}", id.0, user.id.0);
        }
        if let Some(p) = promoted {
            let at = (f.starts_at, f.ends_at);
            if let Err(e) = self
                .reminders
                .promoted(p, id.0, at, &f.title, now_ms())
                .await
            {
                tracing::warn!("waitlist seat on shift {}: {e}", id.0);
            }
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

    async fn roster_export(
        &self,
        actor: &Actor,
        from: i64,
        to: i64,
        grid: Option<GridId>,
    ) -> Result<Vec<(Shift, Vec<RosterLine>)>, AppError> {
        require(actor, Action::ManageShifts)?;
        let user = signed_in(actor)?;
        if to <= from || to - from > SPAN_MAX {
            return Err(AppError::invalid("to", Msg::ErrShiftSpan));
        }
        let grids: Option<Vec<GridId>> = match (self.scope(user).await?, grid) {
            (None, g) => g.map(|g| vec![g]),
            (Some(s), None) => Some(s),
            (Some(s), Some(g)) => Some(s.into_iter().filter(|x| *x == g).collect()),
        };
        let shifts = self
            .db
            .shifts_between(None, from, to, grids.as_deref())
            .await
            .map_err(internal)?;
        let mut out = Vec::with_capacity(shifts.len());
        for s in shifts {
            let roster = self.db.roster(s.id).await.map_err(internal)?;
            out.push((s, roster));
        }
        self.db
            .audit(
                Some(user.id),
                "roster.export",
                &format!("{from}..{to} grid {}", grid.map_or(0, |g| g.0)),
            )
            .await
            .map_err(internal)?;
        Ok(out)
    }

    async fn create_team(
        &self,
        actor: &Actor,
        grid: GridId,
        name: String,
    ) -> Result<TeamId, AppError> {
        require(actor, Action::ManageShifts)?;
        let user = signed_in(actor)?;
        check_team_name(&name)?;
        self.schedulable(user, grid).await?;
        self.db
            .insert_team(grid, name.trim(), None, &[])
            .await
            .map_err(internal)
    }

    async fn team_members(&self, actor: &Actor, team: TeamId) -> Result<Vec<TeamMember>, AppError> {
        self.managed_team(actor, team).await?;
        self.db.team_members(team).await.map_err(internal)
    }

    async fn change_team(
        &self,
        actor: &Actor,
        team: TeamId,
        change: TeamChange,
    ) -> Result<(), AppError> {
        self.managed_team(actor, team).await?;
        match change {
            TeamChange::Rename(name) => {
                check_team_name(&name)?;
                self.db.rename_team(team, &name).await
            }
            TeamChange::SetActive(on) => self.db.set_team_active(team, on).await,
            TeamChange::Add(phone) => {
                let who = self
                    .db
                    .credentials(phone.trim())
                    .await
                    .map_err(internal)?
                    .ok_or_else(|| AppError::invalid("phone", Msg::ErrTeamNoAccount))?;
                self.db.add_team_member(team, who.id).await
            }
            TeamChange::Remove(user) => self.db.remove_team_member(team, UserId(user)).await,
            TeamChange::Lead(user) => {
                if !self
                    .db
                    .set_team_leader(team, UserId(user))
                    .await
                    .map_err(internal)?
                {
                    return Err(AppError::invalid("user", Msg::ErrTeamNotMember));
                }
                Ok(())
            }
        }
        .map_err(internal)
    }

    async fn calendar_token(&self, actor: &Actor, renew: bool) -> Result<String, AppError> {
        require(actor, Action::JoinShifts)?;
        let user = signed_in(actor)?;
        if !renew && let Some(t) = self.db.calendar_token(user.id).await.map_err(internal)? {
            return Ok(t);
        }
        let token = random_token();
        self.db
            .set_calendar_token(user.id, &token, now_ms())
            .await
            .map_err(internal)?;
        Ok(token)
    }

    async fn calendar_feed(&self, token: &str) -> Result<Option<(String, Vec<Shift>)>, AppError> {
        let Some((user, name)) = self.db.calendar_owner(token).await.map_err(internal)? else {
            return Ok(None);
        };
        let shifts = self
            .db
            .my_shifts(user, now_ms() - CALENDAR_PAST_MS)
            .await
            .map_err(internal)?;
        Ok(Some((name, shifts)))
    }
}

/// The calendar feed keeps the last 30 days' shifts.
const CALENDAR_PAST_MS: i64 = 30 * 24 * 3600 * 1000;
