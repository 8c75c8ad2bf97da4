//! The work log (民情日志 / 走访) and care objects (关爱对象): a worker logs a visit or
//! call in her grids, supervisors comment, a resident's history is an audited read, and
//! each care object's plan says who visits how often. Nothing here is scored by count:
//! assessment's care dimension asks only whether each care object was visited within
//! its cycle (see `app::domain::worklog::visited_in_cycle`).
use super::{in_scope, internal, signed_in, staff_grids};
use crate::db::Db;
use crate::db::worklog::{CARE_TAGS, CareObject, LogFilter};
use app::api::ports::WorklogPort;
use app::domain::AppError;
use app::domain::authz::{Action, allowed, require};
use app::domain::grid::GridId;
use app::domain::shift::month_of;
use app::domain::stats::month_bounds;
use app::domain::ticket::check_idempotency_key;
use app::domain::time::now_ms;
use app::domain::user::{Actor, Role, UserId};
use app::domain::worklog::{
    CareBoard, CareDue, CareTags, Cycle, GridCare, LogEntry, LogScope, NOTE_MAX, NewEntry,
    PlanInput, check_comment, check_entry, next_due, visited_in_cycle,
};
use app::i18n::Msg;
use std::collections::{BTreeMap, HashMap};

/// Entries one list shows at most.
const LIST_MAX: i64 = 200;

pub struct WorklogService {
    pub db: Db,
}

/// Per worker, this month: (care objects due, visited within their cycle).
pub type CareCounts = HashMap<UserId, (i64, i64)>;

impl WorklogService {
    /// Each visitor's care objects due in the month `[from, to)` as it stands at `now`,
    /// and those visited within their cycle; and the same per grid.
    pub async fn care_counts(
        db: &Db,
        objects: &[CareObject],
        from: i64,
        to: i64,
        now: i64,
    ) -> Result<(CareCounts, HashMap<GridId, (i64, i64)>), AppError> {
        let visits = db.care_visits(from, to).await.map_err(internal)?;
        let mut by_worker = CareCounts::new();
        let mut by_grid: HashMap<GridId, (i64, i64)> = HashMap::new();
        for o in objects {
            let seen = visits.get(&o.resident).map_or(&[][..], Vec::as_slice);
            let Some(ok) = visited_in_cycle(o.cycle, from, to, now, seen) else {
                continue;
            };
            let g = by_grid.entry(o.grid).or_default();
            g.0 += 1;
            g.1 += i64::from(ok);
            if let Some((w, _)) = &o.visitor {
                let c = by_worker.entry(*w).or_default();
                c.0 += 1;
                c.1 += i64::from(ok);
            }
        }
        Ok((by_worker, by_grid))
    }
}

impl WorklogService {
    /// A volunteer named as visitor on care plans keeps the log for those visits only
    /// (a resident's flag gives no other staff right): her care objects; 403 for
    /// anyone else, and for a volunteer with none assigned.
    async fn assigned(&self, actor: &Actor) -> Result<Vec<CareObject>, AppError> {
        let user = signed_in(actor)?;
        if !(user.role == Role::Resident && user.volunteer) {
            return Err(AppError::Forbidden);
        }
        let objects = self
            .db
            .care_objects(None, Some(user.id))
            .await
            .map_err(internal)?;
        if objects.is_empty() {
            return Err(AppError::Forbidden);
        }
        Ok(objects)
    }
}

#[async_trait::async_trait]
impl WorklogPort for WorklogService {
    async fn log(&self, actor: &Actor, e: NewEntry) -> Result<i64, AppError> {
        let assigned = if allowed(actor, Action::KeepWorkLog) {
            None
        } else if actor.user.is_none() {
            return Err(AppError::Unauthorized);
        } else {
            Some(self.assigned(actor).await?)
        };
        let user = signed_in(actor)?;
        if !check_idempotency_key(&e.idempotency_key) {
            return Err(AppError::invalid("idempotency_key", Msg::ErrRequestKey));
        }
        if let Some(id) = self
            .db
            .worklog_by_key(user.id, &e.idempotency_key)
            .await
            .map_err(internal)?
        {
            return Ok(id);
        }
        let checked = check_entry(&e)?;
        let mine: Vec<GridId> = user.grids.iter().map(|(g, _)| *g).collect();
        // A registered resident is logged in her grid; words, in the worker's first. A
        // volunteer logs only her own care objects.
        let grid = match (checked.resident, &assigned) {
            (r, Some(objects)) => {
                objects
                    .iter()
                    .find(|o| Some(o.resident) == r)
                    .ok_or_else(|| AppError::invalid("resident", Msg::WlErrVolunteerWhom))?
                    .grid
            }
            (r, None) => match r {
                Some(r) => {
                    let (g, _) = self
                        .db
                        .resident_grid(r)
                        .await
                        .map_err(internal)?
                        .ok_or_else(|| AppError::invalid("resident", Msg::WlErrResident))?;
                    if !mine.contains(&g) {
                        return Err(AppError::invalid("resident", Msg::WlErrResidentScope));
                    }
                    g
                }
                None => *mine
                    .first()
                    .ok_or_else(|| AppError::invalid("resident", Msg::WlErrNoGrid))?,
            },
        };
        let categories = self.db.categories(true).await.map_err(internal)?;
        if checked
            .problems
            .iter()
            .any(|p| !categories.iter().any(|c| c.id == p.category && c.active))
        {
            return Err(AppError::invalid("problems", Msg::ErrCategory));
        }
        match self
            .db
            .insert_worklog(user.id, grid, &checked, &e.idempotency_key, now_ms())
            .await
        {
            Ok(id) => Ok(id),
            Err(err) => {
                // Two sends of one entry at once: the second answers the first's id.
                if crate::db::is_unique_violation(&err, "uq_worklog_key")
                    && let Ok(Some(id)) = self.db.worklog_by_key(user.id, &e.idempotency_key).await
                {
                    return Ok(id);
                }
                Err(internal(err))
            }
        }
    }

    async fn list(&self, actor: &Actor, scope: LogScope) -> Result<Vec<LogEntry>, AppError> {
        if !allowed(actor, Action::ReadWorkLog) {
            // A volunteer with visits assigned reads her own entries only.
            self.assigned(actor).await?;
            let user = signed_in(actor)?;
            if !matches!(scope, LogScope::Mine) {
                return Err(AppError::Forbidden);
            }
            let f = LogFilter {
                worker: Some(user.id),
                ..LogFilter::default()
            };
            return self
                .db
                .worklog(&f, user.id, LIST_MAX)
                .await
                .map_err(internal);
        }
        let user = signed_in(actor)?;
        let grids = staff_grids(&self.db, user).await?;
        let mut f = LogFilter {
            grids: grids.clone(),
            ..LogFilter::default()
        };
        match scope {
            LogScope::All => {}
            LogScope::Mine => f.worker = Some(user.id),
            LogScope::Grid(g) => {
                if !in_scope(&grids, GridId(g)) {
                    return Err(AppError::Forbidden);
                }
                f.grids = Some(vec![GridId(g)]);
            }
            LogScope::Resident(r) => {
                let (g, _) = self
                    .db
                    .resident_grid(r)
                    .await
                    .map_err(internal)?
                    .ok_or(AppError::NotFound)?;
                if !in_scope(&grids, g) {
                    return Err(AppError::Forbidden);
                }
                f.resident = Some(r);
                // A household's history of visits is personal data: its read is audited.
                self.db
                    .audit(Some(user.id), "worklog_history", &format!("resident:{r}"))
                    .await
                    .map_err(internal)?;
            }
        }
        self.db
            .worklog(&f, user.id, LIST_MAX)
            .await
            .map_err(internal)
    }

    async fn comment(&self, actor: &Actor, entry: i64, body: String) -> Result<(), AppError> {
        require(actor, Action::ReviewWorkLog)?;
        let user = signed_in(actor)?;
        let body = check_comment(&body)?;
        let grid = self
            .db
            .worklog_grid(entry)
            .await
            .map_err(internal)?
            .ok_or(AppError::NotFound)?;
        if !in_scope(&staff_grids(&self.db, user).await?, grid) {
            return Err(AppError::Forbidden);
        }
        self.db
            .insert_worklog_comment(entry, user.id, &body, now_ms())
            .await
            .map_err(internal)
    }

    async fn care(&self, actor: &Actor) -> Result<CareBoard, AppError> {
        let staff = allowed(actor, Action::ReadWorkLog);
        let user = signed_in(actor)?;
        let (grids, objects) = if staff {
            let grids = staff_grids(&self.db, user).await?;
            let objects = self
                .db
                .care_objects(grids.as_deref(), None)
                .await
                .map_err(internal)?;
            (grids, objects)
        } else {
            (Some(Vec::new()), self.assigned(actor).await?)
        };
        let last = self.db.last_visits().await.map_err(internal)?;
        let mut due: Vec<CareDue> = objects
            .iter()
            .filter(|o| {
                matches!(user.role, Role::Director | Role::Admin)
                    || o.visitor.as_ref().is_some_and(|v| v.0 == user.id)
            })
            .map(|o| {
                let last_visit = last.get(&o.resident).copied();
                CareDue {
                    resident: o.resident,
                    name: o.name.clone(),
                    grid: o.grid_name.clone(),
                    grid_id: o.grid.0,
                    tags: o.tags.clone(),
                    cycle: o.cycle,
                    needs: o.needs.clone(),
                    visitor: o.visitor.as_ref().map(|v| v.1.clone()),
                    visitor_id: o.visitor.as_ref().map(|v| v.0.0),
                    last_visit_ms: last_visit,
                    due_ms: next_due(o.cycle, last_visit, o.since),
                }
            })
            .collect();
        due.sort_by_key(|d| (d.due_ms, d.resident));
        let review = allowed(actor, Action::ReviewWorkLog);
        let visitors = if review {
            self.db
                .care_visitors(grids.as_deref())
                .await
                .map_err(internal)?
        } else {
            Vec::new()
        };
        let care_tags = self.db.care_tags().await.map_err(internal)?;
        let coverage = if review {
            let now = now_ms();
            let (from, to) = month_bounds(&month_of(now)).ok_or(AppError::Internal)?;
            let (_, by_grid) = Self::care_counts(&self.db, &objects, from, to, now).await?;
            let mut per: BTreeMap<String, GridCare> = BTreeMap::new();
            for o in &objects {
                per.entry(o.grid_name.clone())
                    .or_insert_with(|| {
                        let (due, visited) = by_grid.get(&o.grid).copied().unwrap_or_default();
                        GridCare {
                            grid: o.grid_name.clone(),
                            due,
                            visited,
                            objects: 0,
                        }
                    })
                    .objects += 1;
            }
            per.into_values().collect()
        } else {
            Vec::new()
        };
        Ok(CareBoard {
            due,
            coverage,
            care_tags,
            visitors,
        })
    }

    async fn volunteer_visits(
        &self,
        actor: &Actor,
    ) -> Result<Option<(CareBoard, Vec<LogEntry>)>, AppError> {
        signed_in(actor)?;
        match self.assigned(actor).await {
            Ok(_) => Ok(Some((
                self.care(actor).await?,
                self.list(actor, LogScope::Mine).await?,
            ))),
            Err(AppError::Forbidden) => Ok(None),
            Err(e) => Err(e),
        }
    }

    async fn save_care_tags(&self, actor: &Actor, tags: CareTags) -> Result<(), AppError> {
        require(actor, Action::ManageCareTags)?;
        let user = signed_in(actor)?;
        let setting = tags.to_setting();
        // Each tag once, each cycle known: the stored spelling must read back the same.
        if CareTags::parse(&setting).map(|t| t.0.len()) != Some(tags.0.len()) {
            return Err(AppError::invalid("tags", Msg::WlErrCareTags));
        }
        self.db
            .set_setting(CARE_TAGS, &setting)
            .await
            .map_err(internal)?;
        self.db
            .audit(Some(user.id), "care_tags", &setting)
            .await
            .map_err(internal)
    }

    async fn plan(&self, actor: &Actor, p: PlanInput) -> Result<(), AppError> {
        require(actor, Action::ReviewWorkLog)?;
        let user = signed_in(actor)?;
        let cycle =
            Cycle::parse(&p.cycle).ok_or_else(|| AppError::invalid("cycle", Msg::WlErrCycle))?;
        let needs = p.needs.trim();
        if needs.chars().count() > NOTE_MAX {
            return Err(AppError::invalid("needs", Msg::WlErrNeeds));
        }
        let (grid, _) = self
            .db
            .resident_grid(p.resident)
            .await
            .map_err(internal)?
            .ok_or(AppError::NotFound)?;
        if !in_scope(&staff_grids(&self.db, user).await?, grid) {
            return Err(AppError::Forbidden);
        }
        let cared = self
            .db
            .care_objects(Some(&[grid]), None)
            .await
            .map_err(internal)?
            .iter()
            .any(|o| o.resident == p.resident);
        if !cared {
            return Err(AppError::invalid("resident", Msg::WlErrNotCared));
        }
        let visitor = match p.visitor {
            0 => None,
            v => {
                let may = self
                    .db
                    .care_visitors(Some(&[grid]))
                    .await
                    .map_err(internal)?
                    .iter()
                    .any(|x| x.id == v);
                if !may {
                    return Err(AppError::invalid("visitor", Msg::WlErrVisitor));
                }
                Some(UserId(v))
            }
        };
        self.db
            .save_care_plan(p.resident, cycle, visitor, needs, user.id, now_ms())
            .await
            .map_err(internal)
    }
}
