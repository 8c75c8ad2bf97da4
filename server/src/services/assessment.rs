//! Assessment (考核): scores a month from what the ticket system already knows —
//! late cases (cards), fixes sent back at the check (rework), problems found, ratings —
//! into the append-only ledger, and shows each worker's month with its arithmetic.
//! Nothing here reads study points, logs, locations or time online.
use super::{internal, signed_in};
use crate::db::Db;
use crate::db::assessment::NewEntry;
use app::api::ports::AssessmentPort;
use app::domain::AppError;
use app::domain::assessment::{EntryKind, MonthInputs, RuleSet, WorkerMonth, card, score};
use app::domain::authz::{Action, require};
use app::domain::shift::month_of;
use app::domain::stats::month_bounds;
use app::domain::time::now_ms;
use app::domain::user::{Actor, Role, UserId};
use app::i18n::Msg;
use std::collections::HashMap;

pub struct AssessmentService {
    pub db: Db,
}

/// The month asked for, or this one (China time); a malformed one is refused.
fn month_or_now(month: &str) -> Result<(String, (i64, i64)), AppError> {
    let m = match month.trim() {
        "" => month_of(now_ms()),
        m => m.to_owned(),
    };
    let bounds = month_bounds(&m).ok_or_else(|| AppError::invalid("month", Msg::ErrMonth))?;
    Ok((m, bounds))
}

impl AssessmentService {
    /// Appends the month's automatic entries (each once, however often this runs);
    /// returns how many were new.
    pub async fn score_month(&self, month: &str, now: i64) -> Result<u64, AppError> {
        let (month, (from, to)) = month_or_now(month)?;
        let rules = RuleSet::default();
        let mut entries = Vec::new();
        for c in self.db.closed_cases(from, to).await.map_err(internal)? {
            if let Some(kind) = card(
                c.created_at,
                c.accepted_at,
                Some(c.resolved_at),
                c.resolve_min.saturating_mul(60_000),
            ) {
                entries.push(NewEntry {
                    worker: c.worker,
                    month: month.clone(),
                    kind,
                    points: kind.points(&rules).unwrap_or_default(),
                    reason: format!("#{}", c.ticket),
                    ticket: Some(c.ticket),
                    // One card a case, ever: a case reopened and closed again is not
                    // carded twice.
                    key: format!("card:{}", c.ticket),
                    by: None,
                });
            }
        }
        for (event, ticket, worker, _) in self.db.sent_back(from, to).await.map_err(internal)? {
            entries.push(NewEntry {
                worker,
                month: month.clone(),
                kind: EntryKind::Rework,
                points: EntryKind::Rework.points(&rules).unwrap_or_default(),
                reason: format!("#{ticket}"),
                ticket: Some(ticket),
                key: format!("rework:{event}"),
                by: None,
            });
        }
        for (ticket, worker) in self.db.found_by_staff(from, to).await.map_err(internal)? {
            entries.push(NewEntry {
                worker,
                month: month.clone(),
                kind: EntryKind::Found,
                points: EntryKind::Found.points(&rules).unwrap_or_default(),
                reason: format!("#{ticket}"),
                ticket: Some(ticket),
                key: format!("found:{ticket}"),
                by: None,
            });
        }
        self.db
            .append_entries(&entries, now)
            .await
            .map_err(internal)
    }

    /// Each listed worker's month from the ledger and the month's ratings.
    async fn months(
        &self,
        month: &str,
        workers: &[(UserId, String)],
    ) -> Result<Vec<WorkerMonth>, AppError> {
        let (month, (from, to)) = month_or_now(month)?;
        let rules = RuleSet::default();
        let only = match workers {
            [(one, _)] => Some(*one),
            _ => None,
        };
        let mut entries: HashMap<UserId, Vec<_>> = HashMap::new();
        for (w, e) in self.db.entries(&month, only).await.map_err(internal)? {
            entries.entry(w).or_default().push(e);
        }
        let mut ratings: HashMap<UserId, (i64, i64)> = HashMap::new();
        for (w, r) in self
            .db
            .ratings_by_resolver(from, to)
            .await
            .map_err(internal)?
        {
            let t = ratings.entry(w).or_default();
            t.0 += 1;
            t.1 += i64::from(r.satisfied());
        }
        Ok(workers
            .iter()
            .map(|(id, name)| {
                let list = entries.remove(id).unwrap_or_default();
                let (rated, satisfied) = ratings.get(id).copied().unwrap_or_default();
                let inputs = MonthInputs {
                    entries: list.iter().map(|e| (e.kind, e.points)).collect(),
                    rated,
                    satisfied,
                    // Care plans come with the work log; until then none are due.
                    care_due: 0,
                    care_visited: 0,
                };
                WorkerMonth {
                    worker: name.clone(),
                    month: month.clone(),
                    score: score(&rules, &inputs),
                    entries: list,
                }
            })
            .collect())
    }
}

#[async_trait::async_trait]
impl AssessmentPort for AssessmentService {
    async fn mine(&self, actor: &Actor, month: String) -> Result<WorkerMonth, AppError> {
        require(actor, Action::ViewOwnAssessment)?;
        let user = signed_in(actor)?;
        // Live during the month: what has happened so far is counted first.
        self.score_month(&month, now_ms()).await?;
        let mut list = self.months(&month, &[(user.id, user.name.clone())]).await?;
        list.pop().ok_or(AppError::Internal)
    }

    async fn staff(&self, actor: &Actor, month: String) -> Result<Vec<WorkerMonth>, AppError> {
        require(actor, Action::ViewStaffAssessment)?;
        let user = signed_in(actor)?;
        let community = match user.role {
            Role::Admin => None,
            _ => match self.db.user_scope(user.id).await.map_err(internal)? {
                Some(c) => Some(c),
                None => return Ok(vec![]),
            },
        };
        self.score_month(&month, now_ms()).await?;
        let workers = self.db.assessed_staff(community).await.map_err(internal)?;
        if workers.is_empty() {
            return Ok(vec![]);
        }
        self.months(&month, &workers).await
    }

    async fn run(&self, actor: &Actor, month: String) -> Result<u64, AppError> {
        require(actor, Action::RunAssessment)?;
        self.score_month(&month, now_ms()).await
    }
}
