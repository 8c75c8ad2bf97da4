//! The command centre's duty (值班): directors plan their community's month and admins
//! the street's; staff see the street's roster and their own community's, swap their
//! shifts with two yeses, and while on duty keep the duty log and acknowledge the
//! handover from the shift before.
use super::{internal, signed_in};
use crate::db::Db;
use crate::db::duty::{EmergencyRow, EmergencyStep};
use crate::services::bus::{Bus, Event};
use crate::services::push::PushService;
use app::api::ports::DutyPort;
use app::domain::AppError;
use app::domain::authz::{Action, allowed, require};
use app::domain::duty::{
    DutyBoard, DutyShift, Handover, LogInput, MonthPlan, OnDutyNow, Person, SwapStatus, check_body,
    check_log, check_swap, plan_month,
};
use app::domain::emergency::{Mark, Ringing, Source, ack_mark, must_escalate, on_site_mark};
use app::domain::geo::LatLng;
use app::domain::push::PushMessage;
use app::domain::shift::month_of;
use app::domain::stats::month_bounds;
use app::domain::ticket::TicketId;
use app::domain::time::{format_cst, now_ms};
use app::domain::user::{Actor, Role, SessionUser};
use app::i18n::{Lang, Msg};
use std::sync::Arc;

const WEEK_MS: i64 = 7 * 86_400_000;

pub struct DutyService {
    pub db: Db,
    pub push: Arc<PushService>,
    pub bus: Bus,
}

/// A staff member's community: a director's own, a grid worker's grid's; `None` for
/// the street's admins (and anyone else).
pub async fn home_community(db: &Db, user: &SessionUser) -> Result<Option<i64>, AppError> {
    Ok(match user.role {
        Role::Director => db.user_scope(user.id).await.map_err(internal)?.map(|g| g.0),
        Role::GridWorker => match user.grids.first() {
            Some((g, _)) => db.grid_parent(g.0).await.map_err(internal)?,
            None => None,
        },
        _ => None,
    })
}

/// How long an emergency keeps ringing the people it rang, at most.
const RINGS_FOR_MS: i64 = 2 * 3_600_000;

/// Rings the duty officers now on duty for an emergency in `community` (the street's
/// when the community has nobody on duty; the admins when nobody is on duty at all) and
/// starts its clocks; once per source. Answers who was rung.
/// What rang: its source, the resident asking for help (0 if none), the community it
/// happened in, its words and when.
pub struct Call<'a> {
    pub source: Source,
    pub source_id: i64,
    pub subject: i64,
    pub community: Option<i64>,
    pub title: &'a str,
    pub now: i64,
}

pub async fn ring(db: &Db, push: &PushService, call: Call<'_>) -> Result<Vec<i64>, AppError> {
    let Call {
        source,
        source_id,
        subject,
        community,
        title,
        now,
    } = call;
    let street: Option<i64> = db
        .duty_scopes()
        .await
        .map_err(internal)?
        .iter()
        .find(|r| r.2 == 1)
        .map(|r| r.0);
    let mut officers = Vec::new();
    for scope in community.into_iter().chain(street) {
        if let Some(sh) = db.duty_shift_at(scope, now).await.map_err(internal)? {
            officers = sh.officers.iter().map(|o| o.id).collect();
            break;
        }
    }
    if officers.is_empty() {
        officers = db.admins().await.map_err(internal)?;
    }
    let opened = db
        .open_emergency(source, source_id, subject, community, title, now, &officers)
        .await
        .map_err(internal)?;
    if opened.is_none() {
        return Ok(vec![]);
    }
    push.to_users(
        officers
            .iter()
            .copied()
            .map(app::domain::user::UserId)
            .collect(),
        PushMessage {
            title: Msg::EmRinging.text(Lang::Zh).to_owned(),
            body: title.to_owned(),
            url: source.url(source_id),
            tag: format!("emergency-{}-{source_id}", source.as_str()),
        },
    );
    Ok(officers)
}

impl DutyService {
    /// Emergencies five minutes old and not answered or with nobody on site go to the
    /// shift's leader and the community's directors (the street's leader for the street);
    /// answers which escalated. Run every few seconds, and safe to run twice.
    pub async fn escalate_emergencies(&self, now: i64) -> Result<Vec<i64>, AppError> {
        let mut out = Vec::new();
        for e in self
            .db
            .emergencies_to_escalate(now)
            .await
            .map_err(internal)?
        {
            let v = &e.view;
            if !must_escalate(
                v.started_ms,
                v.acked.is_some(),
                v.on_site.is_some(),
                v.escalated,
                now,
            ) {
                continue;
            }
            let mut to = Vec::new();
            if let Some(scope) = e.scope {
                if let Some(sh) = self.db.duty_shift_at(scope, now).await.map_err(internal)? {
                    to.push(sh.leader.id);
                }
                to.extend(self.db.directors_of(scope).await.map_err(internal)?);
            }
            if to.is_empty() {
                to = self.db.admins().await.map_err(internal)?;
            }
            to.sort_unstable();
            to.dedup();
            if self
                .db
                .emergency_step(&e, EmergencyStep::Escalate(&to), Mark::Escalated, now)
                .await
                .map_err(internal)?
            {
                self.push.to_users(
                    to.iter().copied().map(app::domain::user::UserId).collect(),
                    PushMessage {
                        title: Msg::EmEscalated.text(Lang::Zh).to_owned(),
                        body: v.title.clone(),
                        url: e.source.url(e.source_id),
                        tag: format!("emergency-{}-{}", e.source.as_str(), e.source_id),
                    },
                );
                self.announce(&e).await;
                out.push(e.id);
            }
        }
        Ok(out)
    }

    /// Pages hear of an emergency ticket's changes live (the alarm refetches); the other
    /// sources are asked for every ten seconds.
    async fn announce(&self, e: &EmergencyRow) {
        if e.source == Source::Ticket {
            self.bus
                .publish(Event::Ticket {
                    id: e.source_id,
                    private: None,
                })
                .await;
        }
    }

    async fn emergency(&self, id: i64) -> Result<EmergencyRow, AppError> {
        self.db
            .emergency(id)
            .await
            .map_err(internal)?
            .ok_or(AppError::NotFound)
    }
}

/// The scopes one person deals with: the street, and their community if any.
struct Scopes {
    street: Person,
    all: Vec<Person>,
    home: Option<i64>,
}

impl DutyService {
    async fn scopes(&self, user: &SessionUser) -> Result<Scopes, AppError> {
        let rows = self.db.duty_scopes().await.map_err(internal)?;
        let street = rows
            .iter()
            .find(|r| r.2 == 1)
            .map(|r| Person {
                id: r.0,
                name: r.1.clone(),
            })
            .ok_or(AppError::NotFound)?;
        let home = home_community(&self.db, user).await?;
        let all = rows
            .iter()
            .filter(|r| user.role == Role::Admin || r.2 == 1 || Some(r.0) == home)
            .map(|r| Person {
                id: r.0,
                name: r.1.clone(),
            })
            .collect();
        Ok(Scopes { street, all, home })
    }

    /// Admins plan every scope; a director her community.
    fn may_plan(user: &SessionUser, s: &Scopes, scope: i64) -> bool {
        match user.role {
            Role::Admin => true,
            Role::Director => s.home == Some(scope),
            _ => false,
        }
    }

    /// The people on the shift now, and the scope's planners, write its log.
    async fn may_write(
        &self,
        user: &SessionUser,
        s: &Scopes,
        scope: i64,
    ) -> Result<bool, AppError> {
        if Self::may_plan(user, s, scope) {
            return Ok(true);
        }
        let now = self
            .db
            .duty_shift_at(scope, now_ms())
            .await
            .map_err(internal)?;
        Ok(now.is_some_and(|n| n.holds(user.id.0)))
    }

    fn visible(s: &Scopes, scope: i64) -> Result<(), AppError> {
        if s.all.iter().any(|p| p.id == scope) {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    fn tell(&self, to: Vec<i64>, title: Msg, body: String) {
        self.push.to_users(
            to.into_iter().map(app::domain::user::UserId).collect(),
            PushMessage {
                title: title.text(Lang::Zh).to_owned(),
                body,
                url: "/duty".into(),
                tag: "duty".into(),
            },
        );
    }
}

#[async_trait::async_trait]
impl DutyPort for DutyService {
    async fn board(&self, actor: &Actor, scope: i64, month: String) -> Result<DutyBoard, AppError> {
        require(actor, Action::ViewDuty)?;
        let user = signed_in(actor)?;
        let s = self.scopes(user).await?;
        let scope = if scope == 0 {
            s.home.unwrap_or(s.street.id)
        } else {
            scope
        };
        Self::visible(&s, scope)?;
        let now = now_ms();
        let month = if month.trim().is_empty() {
            month_of(now)
        } else {
            month.trim().to_owned()
        };
        let (from, to) =
            month_bounds(&month).ok_or_else(|| AppError::invalid("month", Msg::DutyErrMonth))?;
        let db = &self.db;
        let shifts = db.duty_shifts(scope, from, to).await.map_err(internal)?;
        let current = db.duty_shift_at(scope, now).await.map_err(internal)?;
        let on_duty = current.as_ref().is_some_and(|c| c.holds(user.id.0));
        let may_plan = Self::may_plan(user, &s, scope);
        let candidates = db
            .duty_candidates(scope, scope == s.street.id)
            .await
            .map_err(internal)?;
        let mut swaps = db
            .duty_swaps(scope, now - WEEK_MS, (!may_plan).then_some(user.id.0))
            .await
            .map_err(internal)?;
        for w in &mut swaps {
            if let SwapStatus::Waiting { peer, planner } = w.status {
                w.may_answer = (w.to.id == user.id.0 && !peer) || (may_plan && !planner);
            }
        }
        let log = db.duty_log(scope, now - WEEK_MS).await.map_err(internal)?;
        let handover = match &current {
            Some(c) => match db
                .duty_shift_before(scope, c.starts_ms)
                .await
                .map_err(internal)?
            {
                Some(p) if p.ends_ms == c.starts_ms => {
                    let acked = db.duty_handover(c.id).await.map_err(internal)?;
                    let open = match &acked {
                        Some((_, _, n)) => *n,
                        None => db.open_duty_log(scope).await.map_err(internal)?,
                    };
                    Some(Handover {
                        from_shift: p.id,
                        to_shift: c.id,
                        from_people: people(&p),
                        open,
                        may_ack: on_duty && acked.is_none(),
                        acked: acked.map(|(n, t, _)| (n, t)),
                    })
                }
                _ => None,
            },
            None => None,
        };
        let timers = db
            .timer_figures((scope != s.street.id).then_some(scope), from, to)
            .await
            .map_err(internal)?;
        Ok(DutyBoard {
            timers,
            scopes: s.all,
            scope_id: scope,
            month,
            shifts,
            now: current,
            on_duty,
            may_plan,
            candidates,
            swaps,
            log,
            handover,
        })
    }

    async fn plan(&self, actor: &Actor, plan: MonthPlan) -> Result<usize, AppError> {
        require(actor, Action::PlanDuty)?;
        let user = signed_in(actor)?;
        let slots = plan_month(&plan)?;
        let s = self.scopes(user).await?;
        if !s.all.iter().any(|p| p.id == plan.scope) && user.role == Role::Admin {
            return Err(AppError::invalid("scope", Msg::ErrUnknownGrid));
        }
        if !Self::may_plan(user, &s, plan.scope) {
            return Err(AppError::Forbidden);
        }
        let staff = self
            .db
            .duty_candidates(plan.scope, plan.scope == s.street.id)
            .await
            .map_err(internal)?;
        let known = |id: &i64| staff.iter().any(|p| p.id == *id);
        if !plan.leaders.iter().all(known) {
            return Err(AppError::invalid("leaders", Msg::DutyErrPerson));
        }
        if !plan.officers.iter().all(known) {
            return Err(AppError::invalid("officers", Msg::DutyErrPerson));
        }
        let (from, to) = month_bounds(&plan.month).ok_or(AppError::BadRequest)?;
        let now = now_ms();
        // The shift under way (and those before it) stays as it is.
        let current = self
            .db
            .duty_shift_at(plan.scope, now)
            .await
            .map_err(internal)?;
        let after = from.max(current.map_or(now, |c| c.ends_ms));
        if !slots.iter().any(|x| x.starts_ms >= after) {
            return Err(AppError::invalid("month", Msg::DutyErrPast));
        }
        self.db
            .replace_duty_shifts(plan.scope, after, to, &slots, user.id)
            .await
            .map_err(internal)
    }

    async fn ask_swap(
        &self,
        actor: &Actor,
        shift: i64,
        with: i64,
        reason: String,
    ) -> Result<i64, AppError> {
        require(actor, Action::ViewDuty)?;
        let user = signed_in(actor)?;
        let sh = self
            .db
            .duty_shift(shift)
            .await
            .map_err(internal)?
            .ok_or(AppError::NotFound)?;
        let s = self.scopes(user).await?;
        Self::visible(&s, sh.scope_id)?;
        let reason = check_body(&reason, "reason")?;
        let now = now_ms();
        check_swap(&sh, user.id.0, with, now)?;
        let staff = self
            .db
            .duty_candidates(sh.scope_id, sh.scope_id == s.street.id)
            .await
            .map_err(internal)?;
        if !staff.iter().any(|p| p.id == with) {
            return Err(AppError::invalid("with", Msg::DutyErrPerson));
        }
        if self
            .db
            .duty_swap_waiting(shift, user.id.0)
            .await
            .map_err(internal)?
        {
            return Err(AppError::Conflict(Msg::DutyErrSwapWaiting));
        }
        let id = self
            .db
            .insert_duty_swap(shift, user.id.0, with, &reason, now)
            .await
            .map_err(internal)?;
        self.tell(
            vec![with],
            Msg::DutySwaps,
            format!("{} · {} · {reason}", user.name, format_cst(sh.starts_ms)),
        );
        Ok(id)
    }

    async fn answer_swap(
        &self,
        actor: &Actor,
        id: i64,
        accept: bool,
    ) -> Result<SwapStatus, AppError> {
        require(actor, Action::ViewDuty)?;
        let user = signed_in(actor)?;
        let w = self
            .db
            .duty_swap(id)
            .await
            .map_err(internal)?
            .ok_or(AppError::NotFound)?;
        let s = self.scopes(user).await?;
        let planner = Self::may_plan(user, &s, w.scope_id);
        let is_peer = w.to == user.id.0;
        if !is_peer && !planner {
            return Err(AppError::Forbidden);
        }
        if w.done || w.refused {
            return Err(AppError::Conflict(Msg::DutyErrAnswered));
        }
        let as_peer = is_peer && !w.peer;
        let as_planner = planner && !w.planner;
        if !as_peer && !as_planner {
            return Err(AppError::Conflict(Msg::DutyErrAnswered));
        }
        let now = now_ms();
        if !accept {
            if !self
                .db
                .duty_swap_no(id, user.id, now)
                .await
                .map_err(internal)?
            {
                return Err(AppError::Conflict(Msg::DutyErrAnswered));
            }
            self.tell(vec![w.from], Msg::DutySwapRefused, user.name.clone());
            return Ok(SwapStatus::Refused);
        }
        let yes = self
            .db
            .duty_swap_yes(id, (!as_peer).then_some(user.id), now)
            .await
            .map_err(internal)?;
        if !yes {
            return Err(AppError::Conflict(Msg::DutyErrAnswered));
        }
        let w = self
            .db
            .duty_swap(id)
            .await
            .map_err(internal)?
            .ok_or(AppError::NotFound)?;
        if !(w.peer && w.planner) {
            return Ok(SwapStatus::of(w.peer, w.planner, false));
        }
        let sh = self
            .db
            .duty_shift(w.shift_id)
            .await
            .map_err(internal)?
            .ok_or(AppError::NotFound)?;
        // The roster may have moved since the request: it applies only as asked.
        if let Err(e) = check_swap(&sh, w.from, w.to, now) {
            self.db
                .duty_swap_no(id, user.id, now)
                .await
                .map_err(internal)?;
            return Err(e);
        }
        self.db.apply_duty_swap(&w, now).await.map_err(internal)?;
        self.tell(
            vec![w.from, w.to],
            Msg::DutySwapDone,
            format_cst(sh.starts_ms),
        );
        Ok(SwapStatus::Done)
    }

    async fn log(&self, actor: &Actor, e: LogInput) -> Result<i64, AppError> {
        require(actor, Action::ViewDuty)?;
        let user = signed_in(actor)?;
        let (kind, body) = check_log(&e)?;
        let s = self.scopes(user).await?;
        Self::visible(&s, e.scope)?;
        if !self.may_write(user, &s, e.scope).await? {
            return Err(AppError::Forbidden);
        }
        let ticket = match e.ticket {
            0 => None,
            t if self
                .db
                .ticket(TicketId(t))
                .await
                .map_err(internal)?
                .is_some() =>
            {
                Some(t)
            }
            _ => return Err(AppError::invalid("ticket", Msg::DutyErrNoTicket)),
        };
        self.db
            .insert_duty_log(e.scope, kind, &body, ticket, user.id, now_ms())
            .await
            .map_err(internal)
    }

    async fn close_log(&self, actor: &Actor, id: i64) -> Result<(), AppError> {
        require(actor, Action::ViewDuty)?;
        let user = signed_in(actor)?;
        let (scope, open) = self
            .db
            .duty_log_entry(id)
            .await
            .map_err(internal)?
            .ok_or(AppError::NotFound)?;
        let s = self.scopes(user).await?;
        Self::visible(&s, scope)?;
        if !self.may_write(user, &s, scope).await? {
            return Err(AppError::Forbidden);
        }
        if !open
            || !self
                .db
                .close_duty_log(id, user.id, now_ms())
                .await
                .map_err(internal)?
        {
            return Err(AppError::Conflict(Msg::DutyErrClosed));
        }
        Ok(())
    }

    async fn ack_handover(&self, actor: &Actor, shift: i64) -> Result<(), AppError> {
        require(actor, Action::ViewDuty)?;
        let user = signed_in(actor)?;
        let now = now_ms();
        let cur = self
            .db
            .duty_shift(shift)
            .await
            .map_err(internal)?
            .ok_or(AppError::NotFound)?;
        if !cur.holds(user.id.0) {
            return Err(AppError::Forbidden);
        }
        let prev = match self
            .db
            .duty_shift_before(cur.scope_id, cur.starts_ms)
            .await
            .map_err(internal)?
        {
            Some(p) if p.ends_ms == cur.starts_ms && cur.covers(now) => p,
            _ => return Err(AppError::invalid("shift", Msg::DutyErrNoHandover)),
        };
        let open = self
            .db
            .open_duty_log(cur.scope_id)
            .await
            .map_err(internal)?;
        if !self
            .db
            .ack_duty_handover(cur.id, prev.id, open, user.id, now)
            .await
            .map_err(internal)?
        {
            return Err(AppError::Conflict(Msg::DutyErrAnswered));
        }
        Ok(())
    }

    async fn ringing(&self, actor: &Actor) -> Result<Vec<Ringing>, AppError> {
        let Some(user) = staff(actor) else {
            return Ok(vec![]);
        };
        self.db
            .ringing(user.id.0, now_ms() - RINGS_FOR_MS)
            .await
            .map_err(internal)
    }

    async fn ack_emergency(&self, actor: &Actor, id: i64) -> Result<(), AppError> {
        require(actor, Action::ViewDuty)?;
        let user = signed_in(actor)?;
        let e = self.emergency(id).await?;
        if !self.db.rung(id, user.id.0).await.map_err(internal)? {
            return Err(AppError::Forbidden);
        }
        let now = now_ms();
        let mark = ack_mark(e.view.started_ms, now);
        if !self
            .db
            .emergency_step(&e, EmergencyStep::Ack(user.id), mark, now)
            .await
            .map_err(internal)?
        {
            return Err(AppError::Conflict(Msg::EmErrDone));
        }
        self.announce(&e).await;
        Ok(())
    }

    async fn on_site(
        &self,
        actor: &Actor,
        id: i64,
        at: Option<(f64, f64)>,
    ) -> Result<(), AppError> {
        require(actor, Action::ViewDuty)?;
        let user = signed_in(actor)?;
        let e = self.emergency(id).await?;
        let at = match at {
            Some((lat, lng)) if LatLng::new(lat, lng).is_valid() => Some((lat, lng)),
            Some(_) => return Err(AppError::invalid("location", Msg::ErrLocation)),
            None => None,
        };
        let rung = self.db.rung(id, user.id.0).await.map_err(internal)?;
        let grid = match e.source {
            Source::Ticket => self
                .db
                .ticket(TicketId(e.source_id))
                .await
                .map_err(internal)?
                .and_then(|t| t.grid)
                .map(|g| g.0),
            Source::AlertHelp | Source::Missing => None,
        };
        let serves = grid.is_some_and(|g| user.grids.iter().any(|(x, _)| x.0 == g));
        if !rung && !serves {
            return Err(AppError::Forbidden);
        }
        let now = now_ms();
        let mark = on_site_mark(e.view.started_ms, now);
        if !self
            .db
            .emergency_step(&e, EmergencyStep::OnSite(user.id, at), mark, now)
            .await
            .map_err(internal)?
        {
            return Err(AppError::Conflict(Msg::EmErrDone));
        }
        self.announce(&e).await;
        Ok(())
    }

    async fn now(&self, actor: &Actor) -> Result<Vec<OnDutyNow>, AppError> {
        let Some(user) = staff(actor) else {
            return Ok(vec![]);
        };
        let s = self.scopes(user).await?;
        let now = now_ms();
        let mut out = Vec::new();
        for scope in std::iter::once(s.street.id).chain(s.home) {
            if let Some(sh) = self.db.duty_shift_at(scope, now).await.map_err(internal)? {
                out.push(OnDutyNow {
                    scope: sh.scope.clone(),
                    leader: sh.leader.name.clone(),
                    officers: sh.officers.iter().map(|o| o.name.clone()).collect(),
                });
            }
        }
        Ok(out)
    }
}

/// The caller if they may see duty at all; `None` for residents and visitors (whom the
/// every-page calls answer with nothing rather than an error).
fn staff(actor: &Actor) -> Option<&SessionUser> {
    actor
        .user
        .as_ref()
        .filter(|_| allowed(actor, Action::ViewDuty))
}

/// A shift's people in words: "魏留红、丁许临".
fn people(s: &DutyShift) -> String {
    std::iter::once(&s.leader)
        .chain(&s.officers)
        .map(|p| p.name.as_str())
        .collect::<Vec<_>>()
        .join("、")
}
