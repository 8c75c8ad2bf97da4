//! Tickets: report (validate, process photos, route to the grid and its staff by
//! duty, store), lifecycle steps with their timeline, lists, map markers, escalation.
//! A failure at any step of a report or a step leaves no row and no new file.
use super::bus::{Audience, Bus, Event};
use super::photo::{PhotoLimits, PhotoStore, process_bounded};
use super::push::PushService;
use super::{internal, signed_in, staff_grids};
use crate::db::ticket::{Closing, NewTicketRow, Scope, Step, StoredPhoto, SummaryRow, TicketRow};
use crate::db::{Db, is_unique_violation, now_ms};
use app::api::ports::{Created, NewTicket, TicketPort, TicketStep};
use app::domain::AppError;
use app::domain::authz::{Action, require};
use app::domain::emergency::Source;
use app::domain::geo::{LatLng, distance_m};
use app::domain::grid::{Duty, GridId};
use app::domain::push::PushMessage;
use app::domain::stats::{Figures, MonthFigures, StatTicket, month_bounds};
use app::domain::ticket::{
    ActionInput, Category, CategoryInput, Checker, CheckerFacts, DESCRIPTION_MAX, Escalation,
    EventKind, MARKERS_MAX, Marker, NEARBY_M, NEARBY_MAX, Nearby, PHOTOS_MAX, PhotoRef,
    RATING_WAIT_MS, Rating, Relation, TicketAction, TicketDetail, TicketFilter, TicketId,
    TicketKind, TicketStatus, TicketSummary, TimelineEntry, after_rating, available, box_around,
    check_category, check_idempotency_key, check_input, due_in_ms, may, may_check, next_status,
    normalize_description,
};
use app::domain::time::add_working_days;
use app::domain::user::{Actor, Role, normalize_name, normalize_phone};
use app::i18n::{Lang, Msg};
use std::sync::Arc;

pub struct TicketService {
    pub db: Db,
    pub photos: PhotoStore,
    pub limits: PhotoLimits,
    /// Live lists and maps hear of every change (only which ticket).
    pub bus: Bus,
    /// Followers hear of each step by push (the rating question is a reminder).
    pub push: Arc<PushService>,
}

const NOTE_MAX: usize = 500;
/// Working days a check may take after the fix.
const CHECK_DAYS: u32 = 1;
const PARTIES_MAX: usize = 200;
/// Rows a queue or board shows at most.
const LIST_MAX: i64 = 1000;

impl TicketService {
    /// How the actor stands to a ticket.
    async fn relations(&self, actor: &Actor, t: &TicketRow) -> Result<Vec<Relation>, AppError> {
        let Some(u) = &actor.user else {
            return Ok(vec![]);
        };
        let mut out = Vec::new();
        let director = u.role == Role::Director
            && t.community.is_some()
            && self.db.user_scope(u.id).await.map_err(internal)? == t.community;
        let duty = t
            .grid
            .and_then(|g| u.grids.iter().find(|(ug, _)| *ug == g).map(|(_, d)| *d));
        let staff = u.role == Role::GridWorker && duty.is_some();
        let handler = match u.role {
            Role::Admin => true,
            Role::Director => director,
            _ => duty.is_some(),
        };
        if handler {
            out.push(Relation::Handler);
        }
        match &t.proxy_phone {
            // 代报: the reporter is the resident whose confirmed number it carries,
            // never the staff member who filed it; staff who did not handle it may
            // call the resident and record their rating.
            Some(phone) => {
                if u.phone_verified
                    && self
                        .db
                        .verified_phone(u.id)
                        .await
                        .map_err(internal)?
                        .as_ref()
                        == Some(phone)
                {
                    out.push(Relation::Reporter);
                }
                if handler && t.resolved_by != Some(u.id) && t.assignee != Some(u.id) {
                    out.push(Relation::Caller);
                }
            }
            None if t.reporter == u.id => out.push(Relation::Reporter),
            None => {}
        }
        let facts = CheckerFacts {
            resolved_it: t.resolved_by == Some(u.id),
            leader: staff && duty == Some(Duty::Leader),
            staff,
            director,
            admin: u.role == Role::Admin,
        };
        if may_check(t.category.checker, facts) {
            out.push(Relation::Checker);
        }
        Ok(out)
    }

    /// Problems are public (reporter hidden); disputes and service requests are seen by
    /// the reporter and those who handle them.
    fn check_visible(actor: &Actor, t: &TicketRow, rels: &[Relation]) -> Result<(), AppError> {
        if t.kind == TicketKind::Problem || !rels.is_empty() {
            Ok(())
        } else if actor.user.is_none() {
            Err(AppError::Unauthorized)
        } else {
            Err(AppError::Forbidden)
        }
    }

    async fn load(&self, id: TicketId) -> Result<TicketRow, AppError> {
        self.db
            .ticket(id)
            .await
            .map_err(internal)?
            .ok_or(AppError::NotFound)
    }

    /// Decodes, checks and re-encodes each photo (on blocking threads), then stores
    /// display copies and, with `thumbs`, thumbnails (without, the display copy stands
    /// for its own thumbnail). On any failure, files this call wrote are removed.
    pub(crate) async fn store_photos(
        &self,
        files: Vec<Vec<u8>>,
        thumbs: bool,
    ) -> Result<(Vec<StoredPhoto>, Vec<String>), AppError> {
        let mut processed = Vec::with_capacity(files.len());
        for bytes in files {
            let limits = self.limits;
            let p = process_bounded(bytes, limits).await?;
            processed.push(p);
        }
        let mut stored = Vec::new();
        let mut written = Vec::new();
        for p in processed {
            let mut keys = Vec::with_capacity(2);
            let copies = if thumbs {
                vec![p.display, p.thumb]
            } else {
                vec![p.display]
            };
            for bytes in copies {
                match self.photos.put(bytes).await {
                    Ok((key, new)) => {
                        if new {
                            written.push(key.clone());
                        }
                        keys.push(key);
                    }
                    Err(e) => {
                        self.discard(&written).await;
                        return Err(internal(e));
                    }
                }
            }
            let key = keys.first().cloned().unwrap_or_default();
            let thumb = keys.last().cloned().unwrap_or_default();
            stored.push(StoredPhoto {
                key,
                thumb,
                width: p.width,
                height: p.height,
            });
        }
        Ok((stored, written))
    }

    /// Removes files this request wrote that no ticket uses.
    pub(crate) async fn discard(&self, written: &[String]) {
        for key in written {
            if matches!(self.db.photo_in_use(key).await, Ok(false))
                && let Err(e) = self.photos.delete(key).await
            {
                tracing::warn!("could not remove photo {key}: {e}");
            }
        }
    }

    /// Tells open pages a ticket changed; a private one only to those who may read it.
    pub(crate) async fn announce(&self, id: TicketId, private: Option<Audience>) {
        self.bus.publish(Event::Ticket { id: id.0, private }).await;
    }

    /// [`Self::announce`] for a ticket known only by its id (the escalation task).
    pub(crate) async fn announce_by_id(&self, id: TicketId) {
        let private = match self.db.ticket(id).await {
            Ok(Some(t)) => audience(t.kind, t.reporter, t.grid),
            // Unknown: tell nobody but admins rather than everyone.
            _ => Some(Audience {
                reporter: 0,
                grid: None,
            }),
        };
        self.announce(id, private).await;
    }

    /// Finds the grid holding a point, its community, and who handles the duty there
    /// (the grid leader when the duty is vacant).
    pub(crate) async fn route(
        &self,
        at: LatLng,
        duty: Duty,
    ) -> Result<
        (
            Option<GridId>,
            Option<GridId>,
            Option<app::domain::user::UserId>,
        ),
        AppError,
    > {
        let candidates = self
            .db
            .grids_with_bbox_at(at.lat, at.lng)
            .await
            .map_err(internal)?;
        let Some(grid) = super::grid::first_containing(&candidates, at) else {
            return Ok((None, None, None));
        };
        let mut assignee = self
            .db
            .staff_with_duty(grid.id, duty)
            .await
            .map_err(internal)?;
        if assignee.is_none() {
            assignee = self
                .db
                .staff_with_duty(grid.id, Duty::Leader)
                .await
                .map_err(internal)?;
        }
        Ok((Some(grid.id), grid.parent, assignee))
    }

    /// A ticket opened on a resident's behalf (the seniors' council's outcome): placed
    /// at a point inside `grid` and routed like any report; `reporter` follows it.
    pub(crate) async fn open_on_behalf(
        &self,
        reporter: app::domain::user::UserId,
        category: &Category,
        grid: GridId,
        description: &str,
    ) -> Result<TicketId, AppError> {
        let row = self
            .db
            .grid(grid)
            .await
            .map_err(internal)?
            .ok_or(AppError::NotFound)?;
        let at = super::grid::point_inside(&row.geometry).ok_or(AppError::Internal)?;
        let description: String = description.trim().chars().take(DESCRIPTION_MAX).collect();
        let (grid, community, assignee) = self.route(at, category.duty).await?;
        let id = self
            .db
            .insert_ticket(
                &NewTicketRow {
                    category,
                    reporter,
                    grid,
                    community,
                    assignee,
                    description: &description,
                    lat: at.lat,
                    lng: at.lng,
                    parties: None,
                    idempotency_key: None,
                    created_at: now_ms(),
                    proxy: None,
                },
                &[],
            )
            .await
            .map_err(internal)?;
        self.announce(id, audience(category.kind, reporter, grid))
            .await;
        Ok(id)
    }

    /// An active category, or the field error a form shows.
    pub(crate) async fn active_category(&self, id: i64) -> Result<Category, AppError> {
        self.db
            .category(id)
            .await
            .map_err(internal)?
            .filter(|c| c.active)
            .ok_or_else(|| AppError::invalid("ticket_category", Msg::ErrCategory))
    }

    /// Raises overdue tickets to the community director, then the street (run every
    /// half minute by the server; tests call it with a chosen clock).
    /// Closes fixes whose reporter did not rate them within a week, as "no answer".
    pub async fn lapse_ratings(&self, now: i64) -> Result<Vec<TicketId>, AppError> {
        let closed = self.db.lapse_ratings(now).await.map_err(internal)?;
        for id in &closed {
            self.announce_by_id(*id).await;
        }
        Ok(closed)
    }

    /// Followers are told of every step by push (the reporter sees it live and is
    /// asked to rate); merged, they are told which ticket they now follow.
    async fn tell_followers(&self, t: &TicketRow, to: TicketStatus, into: Option<TicketId>) {
        let followers = match self.db.followers(into.unwrap_or(t.id)).await {
            Ok(f) => f,
            Err(e) => {
                tracing::warn!("followers of #{}: {e}", t.id.0);
                return;
            }
        };
        let id = into.unwrap_or(t.id);
        self.push.to_users(
            followers,
            PushMessage {
                title: format!("#{} {}", id.0, t.category.name_zh),
                // Merged: they now follow the ticket it went into.
                body: match into {
                    Some(_) => Msg::EvMerged.text(Lang::Zh).to_owned(),
                    None => to.label().text(Lang::Zh).to_owned(),
                },
                url: format!("/tickets/{}", id.0),
                tag: format!("ticket-{}", id.0),
            },
        );
    }

    pub async fn escalate(&self, now: i64) -> Result<Vec<(TicketId, Escalation)>, AppError> {
        let raised = self.db.escalate_overdue(now).await.map_err(internal)?;
        for (id, _) in &raised {
            self.announce_by_id(*id).await;
        }
        Ok(raised)
    }
}

/// Who may hear of a ticket's changes: everyone for a problem, else its reporter and
/// the staff of its grid.
fn audience(
    kind: TicketKind,
    reporter: app::domain::user::UserId,
    grid: Option<GridId>,
) -> Option<Audience> {
    (kind != TicketKind::Problem).then(|| Audience {
        reporter: reporter.0,
        grid: grid.map(|g| g.0),
    })
}

/// A list card. `staff`: the viewer works on tickets, so the card names the responsible
/// person and says whether it is the viewer's own; a resident's cards name nobody.
pub fn summary(s: SummaryRow, now: i64, staff: Option<app::domain::user::UserId>) -> TicketSummary {
    let t = s.row;
    let clocks = t.clocks();
    TicketSummary {
        assignee: staff.and(s.assignee_name),
        mine: staff.is_some() && t.assignee == staff,
        to_rate: false,
        id: t.id,
        status: t.status,
        kind: t.kind,
        category_zh: t.category.name_zh.clone(),
        category_en: t.category.name_en.clone(),
        description: t.description,
        lat: t.lat,
        lng: t.lng,
        grid_name: s.grid_name,
        created_ms: t.created_at,
        due_in_ms: due_in_ms(t.status, t.category.deadlines, clocks, now),
        escalation: t.escalation,
        emergency: t.category.is_emergency(),
        thumb: s.thumb,
    }
}

/// What a step leaves on the ticket besides its state: a closing step records its
/// outcome, who and when, and (checked) the check's deadline; a failed check counts
/// rework; a passed one who checked.
fn closing_after(
    t: &TicketRow,
    (action, rating): (TicketAction, Option<Rating>),
    to: TicketStatus,
    by: app::domain::user::UserId,
    now: i64,
) -> Closing {
    let mut c = Closing {
        outcome: t.outcome,
        resolved_by: t.resolved_by,
        resolved_at: t.resolved_at,
        check_due_at: None,
        rework: t.rework,
        checked_by: None,
        rating: t.rating,
        rated_at: None,
        redone: t.redone,
        // Asked when the fix reaches the reporter; answered or reopened, no longer.
        rating_asked_at: (to == TicketStatus::Resolved).then_some(now),
    };
    if matches!(action, TicketAction::Rate | TicketAction::RecordRating) {
        c.rating = rating;
        c.rated_at = Some(now);
        c.redone = t.redone || to == TicketStatus::InProgress;
    }
    if let Some(o) = action.outcome() {
        c.outcome = Some(o);
        c.resolved_by = Some(by);
        c.resolved_at = Some(now);
        if to == TicketStatus::Checking {
            c.check_due_at = Some(add_working_days(now, CHECK_DAYS));
        }
    }
    match action {
        TicketAction::FailCheck => c.rework += 1,
        TicketAction::PassCheck => c.checked_by = Some(by),
        _ => {}
    }
    c
}

fn text_len(s: &str) -> usize {
    s.trim().chars().count()
}

#[async_trait::async_trait]
impl TicketPort for TicketService {
    async fn categories(&self, actor: &Actor, all: bool) -> Result<Vec<Category>, AppError> {
        require(
            actor,
            if all {
                Action::ManageCategories
            } else {
                Action::ViewPublicTickets
            },
        )?;
        self.db.categories(all).await.map_err(internal)
    }

    async fn save_category(&self, actor: &Actor, c: CategoryInput) -> Result<Category, AppError> {
        require(actor, Action::ManageCategories)?;
        let user = signed_in(actor)?;
        check_category(&c).map_err(|(field, msg)| AppError::invalid(field, msg))?;
        if user.role == Role::Director {
            // A director edits their own community's service menu only.
            let scope = self.db.user_scope(user.id).await.map_err(internal)?;
            let own = |kind: TicketKind, community: Option<GridId>| {
                kind == TicketKind::Service && community.is_some() && community == scope
            };
            if !own(c.kind, c.community) {
                return Err(AppError::Forbidden);
            }
            if let Some(id) = c.id {
                let old = self.db.category(id).await.map_err(internal)?;
                if !old.is_some_and(|o| own(o.kind, o.community)) {
                    return Err(AppError::Forbidden);
                }
            }
        }
        let id = match self.db.save_category(&c).await {
            Ok(Some(id)) => id,
            Ok(None) => return Err(AppError::NotFound),
            Err(e) if is_unique_violation(&e, "uq_categories_code") => {
                return Err(AppError::Conflict(Msg::ErrCodeTaken));
            }
            Err(e) => return Err(internal(e)),
        };
        self.db
            .category(id)
            .await
            .map_err(internal)?
            .ok_or(AppError::Internal)
    }

    async fn create(&self, actor: &Actor, t: NewTicket) -> Result<Created, AppError> {
        require(actor, Action::ReportTicket)?;
        let user = signed_in(actor)?;
        if !check_idempotency_key(&t.idempotency_key) {
            return Err(AppError::invalid("idempotency_key", Msg::ErrRequestKey));
        }
        if let Some(id) = self
            .db
            .ticket_by_key(user.id, &t.idempotency_key)
            .await
            .map_err(internal)?
        {
            return Ok(Created { id, new: false });
        }
        let category = match t.category {
            Some(id) => self.db.category(id).await.map_err(internal)?,
            None => None,
        }
        .filter(|c| c.active)
        .ok_or_else(|| AppError::invalid("category", Msg::ErrCategory))?;
        let description = normalize_description(&t.description)
            .map_err(|m| AppError::invalid("description", m))?;
        let at = match (t.lat, t.lng) {
            (Some(lat), Some(lng)) if LatLng::new(lat, lng).is_valid() => LatLng::new(lat, lng),
            (None, None) => return Err(AppError::invalid("location", Msg::ErrNoPlace)),
            _ => return Err(AppError::invalid("location", Msg::ErrLocation)),
        };
        let min_photos = usize::from(category.kind == TicketKind::Problem);
        if t.photos.len() < min_photos || t.photos.len() > PHOTOS_MAX {
            return Err(AppError::invalid("photos", Msg::ErrPhotoCount));
        }
        let parties = t.parties.trim();
        if category.kind == TicketKind::Mediation
            && (parties.is_empty() || text_len(parties) > PARTIES_MAX)
        {
            return Err(AppError::invalid("parties", Msg::ErrParties));
        }
        // 代报: staff only, for a resident named by a valid mobile number.
        let proxy = match (t.proxy_name.trim(), t.proxy_phone.trim()) {
            ("", "") => None,
            (name, phone) => {
                require(actor, Action::WorkTickets)?;
                let phone =
                    normalize_phone(phone).map_err(|m| AppError::invalid("proxy_phone", m))?;
                let name = if name.is_empty() {
                    String::new()
                } else {
                    normalize_name(name).map_err(|m| AppError::invalid("proxy_name", m))?
                };
                Some((name, phone))
            }
        };
        // A problem from the worker's own log, still open, becomes this ticket.
        if let Some(p) = t.worklog_problem
            && !self
                .db
                .problem_open_for(p, user.id)
                .await
                .map_err(internal)?
        {
            return Err(AppError::invalid("worklog_problem", Msg::WlErrProblemTaken));
        }
        let (grid, community, assignee) = self.route(at, category.duty).await?;
        let (photos, written) = self.store_photos(t.photos, true).await?;
        let row = NewTicketRow {
            proxy: proxy.as_ref().map(|(n, p)| (n.as_str(), p.as_str())),
            category: &category,
            reporter: user.id,
            grid,
            community,
            assignee,
            description: &description,
            lat: at.lat,
            lng: at.lng,
            parties: (category.kind == TicketKind::Mediation).then_some(parties),
            idempotency_key: Some(&t.idempotency_key),
            created_at: now_ms(),
        };
        match self.db.insert_ticket(&row, &photos).await {
            Ok(id) => {
                if let Some(p) = t.worklog_problem {
                    self.db
                        .link_problem_ticket(p, user.id, id.0)
                        .await
                        .map_err(internal)?;
                }
                // 火情、险情: the duty officer's alarm rings and the 1/3/5-minute clocks start
                // (before the change is announced, so her page finds it ringing).
                if category.is_emergency() {
                    let title = format!(
                        "{} · {}",
                        category.name_zh,
                        description.chars().take(60).collect::<String>()
                    );
                    crate::services::duty::ring(
                        &self.db,
                        &self.push,
                        crate::services::duty::Call {
                            source: Source::Ticket,
                            source_id: id.0,
                            subject: 0,
                            community: community.map(|c| c.0),
                            title: &title,
                            now: row.created_at,
                        },
                    )
                    .await?;
                }
                self.announce(id, audience(category.kind, user.id, grid))
                    .await;
                Ok(Created { id, new: true })
            }
            Err(e) => {
                self.discard(&written).await;
                if is_unique_violation(&e, "uq_tickets_idempotency")
                    && let Ok(Some(id)) = self.db.ticket_by_key(user.id, &t.idempotency_key).await
                {
                    return Ok(Created { id, new: false });
                }
                Err(internal(e))
            }
        }
    }

    async fn act(
        &self,
        actor: &Actor,
        id: TicketId,
        step: TicketStep,
    ) -> Result<TicketStatus, AppError> {
        let user = signed_in(actor)?;
        let t = self.load(id).await?;
        let rels = self.relations(actor, &t).await?;
        Self::check_visible(actor, &t, &rels)?;
        // Checking one's own fix included: the resolver never holds `Checker`.
        if !rels.iter().any(|r| may(*r, step.action)) {
            return Err(AppError::Forbidden);
        }
        let checked = t.category.checker != Checker::None;
        let to = next_status(t.status, step.action, checked)
            .ok_or(AppError::Conflict(Msg::ErrNotNow))?;
        let (to, kind) = match (step.action, step.rating) {
            (TicketAction::Rate | TicketAction::RecordRating, Some(r)) => {
                (after_rating(r, t.redone), EventKind::Rated(r))
            }
            (a, _) => (to, EventKind::Action(a)),
        };
        if text_len(&step.note) > NOTE_MAX {
            return Err(AppError::invalid("note", Msg::ErrNote));
        }
        if step.photos.len() > PHOTOS_MAX {
            return Err(AppError::invalid("photos", Msg::ErrPhotoCount));
        }
        let input = ActionInput {
            note: step.note.clone(),
            photo_count: step.photos.len(),
            duplicate_of: step.duplicate_of,
            rating: step.rating,
        };
        let field = if matches!(step.action, TicketAction::Rate | TicketAction::RecordRating) {
            "rating"
        } else {
            "note"
        };
        check_input(t.kind, step.action, &input).map_err(|m| AppError::invalid(field, m))?;
        if let Some(other) = step.duplicate_of {
            // Merged into a ticket named by its number, still being handled.
            let target = if other == id {
                None
            } else {
                self.db.ticket(other).await.map_err(internal)?
            };
            match target {
                None => return Err(AppError::invalid("duplicate_of", Msg::ErrDuplicateOf)),
                Some(o) if !o.status.is_open() => {
                    return Err(AppError::invalid("duplicate_of", Msg::ErrMergeClosed));
                }
                Some(_) => {}
            }
        }
        let (photos, written) = self.store_photos(step.photos, true).await?;
        let mediation = t.kind == TicketKind::Mediation;
        let note = step.note.trim();
        let now = now_ms();
        let closing = closing_after(&t, (step.action, step.rating), to, user.id, now);
        let s = Step {
            id,
            from: t.status,
            to,
            actor: user.id,
            kind,
            note,
            photos: &photos,
            duplicate_of: step.duplicate_of,
            mediator: (mediation && step.action == TicketAction::Accept).then_some(user.id),
            agreement: (mediation && step.action == TicketAction::Resolve).then_some(note),
            closing,
        };
        match self.db.apply_step(&s).await {
            Ok(true) => {
                self.announce(id, audience(t.kind, t.reporter, t.grid))
                    .await;
                self.tell_followers(&t, to, step.duplicate_of).await;
                Ok(to)
            }
            Ok(false) => {
                self.discard(&written).await;
                Err(AppError::Conflict(Msg::ErrNotNow))
            }
            Err(e) => {
                self.discard(&written).await;
                Err(internal(e))
            }
        }
    }

    async fn reporter_phone(&self, actor: &Actor, id: TicketId) -> Result<String, AppError> {
        require(actor, Action::WorkTickets)?;
        let t = self.load(id).await?;
        if !self
            .relations(actor, &t)
            .await?
            .contains(&Relation::Handler)
        {
            return Err(AppError::Forbidden);
        }
        // 代报: the resident's own number, not the staff member who filed it.
        let phone = match t.proxy_phone.clone() {
            Some(p) => p,
            None => self
                .db
                .user_phone(t.reporter)
                .await
                .map_err(internal)?
                .ok_or(AppError::NotFound)?,
        };
        // Written before the number leaves: no read goes unlogged.
        self.db
            .audit(
                actor.user_id(),
                "call.reporter",
                &format!("ticket:{}", id.0),
            )
            .await
            .map_err(internal)?;
        Ok(phone)
    }

    async fn detail(&self, actor: &Actor, id: TicketId) -> Result<TicketDetail, AppError> {
        require(actor, Action::ViewPublicTickets)?;
        let t = self.load(id).await?;
        let rels = self.relations(actor, &t).await?;
        Self::check_visible(actor, &t, &rels)?;
        let insider = !rels.is_empty();
        let name = |u| async move {
            match u {
                Some(u) => self.db.user_name(u).await.map_err(internal),
                None => Ok(None),
            }
        };
        let reporter = if insider {
            name(Some(t.reporter)).await?
        } else {
            None
        };
        let assignee = if insider {
            name(t.assignee).await?
        } else {
            None
        };
        let mediator = name(t.mediator).await?;
        let grid_name = match t.grid {
            Some(g) => self.db.grid_name(g).await.map_err(internal)?,
            None => None,
        };
        let community_name = match t.community {
            Some(g) => self.db.grid_name(g).await.map_err(internal)?,
            None => None,
        };
        let photos = self.db.photos(id).await.map_err(internal)?;
        let events = self.db.timeline(id).await.map_err(internal)?;
        let first_event = events.first().map(|e| e.id);
        // The check's "after": the photos of the latest closing step.
        let closing_event = events
            .iter()
            .rev()
            .find(|e| matches!(EventKind::parse(&e.kind), Some(EventKind::Action(a)) if a.closes()))
            .map(|e| e.id);
        let timeline = events
            .into_iter()
            .filter_map(|e| {
                // Outsiders see who on the staff acted and what they wrote, never the
                // reporter: not her name, not her own words on later steps (a reopen
                // reason may say who and where she is).
                let hidden = !insider && (e.by_reporter || Some(e.id) == first_event);
                Some(TimelineEntry {
                    at_ms: e.at,
                    actor: if hidden { None } else { e.actor },
                    kind: EventKind::parse(&e.kind)?,
                    status: TicketStatus::parse(&e.status)?,
                    note: if !insider && e.by_reporter && Some(e.id) != first_event {
                        String::new()
                    } else {
                        e.note
                    },
                    photos: photos
                        .iter()
                        .filter(|(p, _)| *p == e.id)
                        .map(|(_, p)| p.clone())
                        .collect(),
                })
            })
            .collect();
        let before: Vec<PhotoRef> = photos
            .iter()
            .filter(|(e, _)| Some(*e) == first_event)
            .map(|(_, p)| p.clone())
            .collect();
        let now = now_ms();
        let deadlines = t.category.deadlines;
        let actions = available(t.status, &rels, t.category.checker != Checker::None);
        let (outcome, rework, check_due_ms, rating) = (
            t.outcome,
            t.rework,
            t.clocks().check.map(|w| w.due_ms),
            t.rating,
        );
        let proxy_for = match (&t.proxy_phone, insider) {
            (Some(p), true) => Some((
                t.proxy_name.clone().unwrap_or_default(),
                app::domain::user::mask_phone(p),
            )),
            _ => None,
        };
        let followers = self.db.followers(id).await.map_err(internal)?;
        let following = actor
            .user
            .as_ref()
            .is_some_and(|u| followers.contains(&u.id));
        let reports = 1 + followers.len() as i64;
        let rating_until_ms = (t.status == TicketStatus::Resolved)
            .then(|| t.rating_asked_at.map(|a| a + RATING_WAIT_MS))
            .flatten();
        let after: Vec<PhotoRef> = photos
            .iter()
            .filter(|(e, _)| Some(*e) == closing_event)
            .map(|(_, p)| p.clone())
            .collect();
        Ok(TicketDetail {
            deadlines,
            reporter,
            assignee,
            community_name,
            actions,
            duplicate_of: t.duplicate_of,
            parties: if insider { t.parties.clone() } else { None },
            mediator,
            agreement: if insider { t.agreement.clone() } else { None },
            now_ms: now,
            handler: rels.contains(&Relation::Handler),
            summary: summary(
                SummaryRow {
                    grid_name,
                    thumb: before.first().map(|p| p.thumb.clone()),
                    assignee_name: None,
                    row: t,
                },
                now,
                None,
            ),
            photos: before,
            timeline,
            outcome,
            rework,
            check_due_ms,
            after,
            rating,
            rating_until_ms,
            reports,
            following,
            proxy_for,
        })
    }

    async fn mine(&self, actor: &Actor) -> Result<Vec<TicketSummary>, AppError> {
        require(actor, Action::OwnAccount)?;
        let user = signed_in(actor)?;
        let now = now_ms();
        let rows = self
            .db
            .ticket_list(&Scope::Reporter(user.id), None, false, None, None, 200)
            .await
            .map_err(internal)?;
        let my_phone = self.db.verified_phone(user.id).await.map_err(internal)?;
        Ok(rows
            .into_iter()
            .map(|r| {
                // Hers to rate: her own report, or one filed for her confirmed number.
                let hers = match &r.row.proxy_phone {
                    Some(p) => my_phone.as_ref() == Some(p),
                    None => r.row.reporter == user.id,
                };
                let to_rate = r.row.status == TicketStatus::Resolved && hers;
                TicketSummary {
                    to_rate,
                    ..summary(r, now, None)
                }
            })
            .collect())
    }

    async fn queue(&self, actor: &Actor, f: TicketFilter) -> Result<Vec<TicketSummary>, AppError> {
        require(actor, Action::WorkTickets)?;
        let user = signed_in(actor)?;
        let scope = match user.role {
            Role::Admin => Scope::All,
            Role::Director => match self.db.user_scope(user.id).await.map_err(internal)? {
                Some(c) => Scope::Community(c),
                None => return Ok(vec![]),
            },
            _ => Scope::StaffOf(user.id),
        };
        let now = now_ms();
        let rows = self
            .db
            .ticket_list(&scope, f.status, f.open_only, f.category, f.grid, LIST_MAX)
            .await
            .map_err(internal)?;
        let mut list: Vec<TicketSummary> = rows
            .into_iter()
            .map(|r| summary(r, now, Some(user.id)))
            .filter(|s| !f.overdue || s.due_in_ms.is_some_and(|d| d < 0))
            .collect();
        // The viewer's own first, then the grid's; in each, soonest deadline first and
        // finished ones after, newest first.
        list.sort_by_key(|s| (!s.mine, s.due_in_ms.is_none(), s.due_in_ms, -s.created_ms));
        Ok(list)
    }

    async fn nearby(
        &self,
        actor: &Actor,
        category: i64,
        lat: f64,
        lng: f64,
    ) -> Result<Vec<Nearby>, AppError> {
        require(actor, Action::ViewPublicTickets)?;
        let at = LatLng::new(lat, lng);
        if !at.is_valid() {
            return Err(AppError::invalid("location", Msg::ErrLocation));
        }
        let c = self
            .db
            .category(category)
            .await
            .map_err(internal)?
            .filter(|c| c.active)
            .ok_or_else(|| AppError::invalid("category", Msg::ErrCategory))?;
        // Disputes and service requests are private: never offered to others.
        if c.kind != TicketKind::Problem {
            return Ok(vec![]);
        }
        let rows = self
            .db
            .open_in_box(c.id, box_around(at, NEARBY_M), actor.user_id(), 50)
            .await
            .map_err(internal)?;
        let mut near: Vec<Nearby> = rows
            .into_iter()
            .filter_map(|r| {
                let d = distance_m(at, LatLng::new(r.lat, r.lng));
                (d <= NEARBY_M).then(|| Nearby {
                    id: r.id,
                    status: r.status,
                    created_ms: r.created_at,
                    description: r.description,
                    distance_m: d.round() as i64,
                    photo: r.photo,
                    reports: 1 + r.followers,
                    mine: r.mine,
                })
            })
            .collect();
        near.sort_by_key(|n| (n.distance_m, -n.created_ms));
        near.truncate(NEARBY_MAX);
        Ok(near)
    }

    async fn follow(&self, actor: &Actor, id: TicketId) -> Result<i64, AppError> {
        require(actor, Action::ReportTicket)?;
        let user = signed_in(actor)?;
        let t = self.load(id).await?;
        // Only public problems are offered; a private ticket is nobody else's to join.
        if t.kind != TicketKind::Problem {
            return Err(AppError::NotFound);
        }
        if !t.status.is_open() {
            return Err(AppError::Conflict(Msg::ErrNotNow));
        }
        if t.reporter != user.id
            && self
                .db
                .follow(id, user.id, now_ms())
                .await
                .map_err(internal)?
        {
            self.announce(id, None).await;
        }
        let followers = self.db.followers(id).await.map_err(internal)?;
        Ok(1 + followers.len() as i64)
    }

    async fn stats(&self, actor: &Actor, month: String) -> Result<MonthFigures, AppError> {
        require(actor, Action::ViewPublicTickets)?;
        let month = if month.trim().is_empty() {
            app::domain::shift::month_of(now_ms())
        } else {
            month.trim().to_owned()
        };
        let (from, to) =
            month_bounds(&month).ok_or_else(|| AppError::invalid("month", Msg::ErrMonth))?;
        let rows = self.db.stat_tickets(from, to).await.map_err(internal)?;
        let grids = self.db.list_grids().await.map_err(internal)?;
        let name = |g: GridId| {
            grids
                .iter()
                .find(|r| r.id == g)
                .map(|r| r.name.clone())
                .unwrap_or_default()
        };
        // Grouped by community, and by grid for staff (a grid is one or two people:
        // its figures are for those who answer for it).
        let group = |key: fn(&(Option<GridId>, Option<GridId>, StatTicket)) -> Option<GridId>| {
            let mut by: std::collections::BTreeMap<String, Vec<StatTicket>> = Default::default();
            for r in &rows {
                if let Some(g) = key(r) {
                    by.entry(name(g)).or_default().push(r.2);
                }
            }
            by.into_iter()
                .map(|(n, ts)| (n, Figures::of(&ts)))
                .collect::<Vec<_>>()
        };
        let all: Vec<StatTicket> = rows.iter().map(|r| r.2).collect();
        let feedback = self.db.feedback_counts(from, to).await.map_err(internal)?;
        Ok(MonthFigures {
            feedback,
            street: Figures::of(&all),
            communities: group(|r| r.0),
            grids: if require(actor, Action::WorkTickets).is_ok() {
                group(|r| r.1)
            } else {
                vec![]
            },
            month,
        })
    }

    async fn markers(
        &self,
        actor: &Actor,
        south: f64,
        west: f64,
        north: f64,
        east: f64,
    ) -> Result<Vec<Marker>, AppError> {
        require(actor, Action::ViewPublicTickets)?;
        let valid = LatLng::new(south, west).is_valid()
            && LatLng::new(north, east).is_valid()
            && south <= north
            && west <= east;
        if !valid {
            return Err(AppError::invalid("bbox", Msg::ErrLocation));
        }
        // Disputes and service requests only where the viewer handles them: a grid
        // worker sees his grids', a director her community's, admins all.
        let private_in = match &actor.user {
            Some(u) if matches!(u.role, Role::GridWorker | Role::Director | Role::Admin) => {
                staff_grids(&self.db, u).await?
            }
            _ => Some(vec![]),
        };
        self.db
            .markers((south, west, north, east), &private_in, MARKERS_MAX as i64)
            .await
            .map_err(internal)
    }
}
