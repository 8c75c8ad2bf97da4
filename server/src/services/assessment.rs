//! Assessment (考核): scores a month from what the ticket system already knows —
//! late cases (cards), fixes sent back at the check (rework), problems found, ratings —
//! into the append-only ledger, and shows each worker's month with its arithmetic.
//! Care counts ask only whether each care object was visited within its cycle; nothing
//! here reads study points, log counts, locations or time online.
use super::{internal, signed_in};
use crate::db::Db;
use crate::db::assessment::NewEntry;
use crate::services::worklog::WorklogService;
use app::api::ports::AssessmentPort;
use app::domain::AppError;
use app::domain::assessment::{
    AppealDecision, AppealView, BoardLine, CommunityMonth, EntryKind, ManualPoints, MonthInputs,
    MonthStatus, PreviewLine, RuleSet, RuleVersion, RulesPage, WorkerMonth, YearLine, appeal_until,
    card, check_rules, effective, in_force, manual_points, month_status, next_month, prev_month,
    rank_board, reason_text, score, year_mean,
};
use app::domain::authz::{Action, require};
use app::domain::grid::GridId;
use app::domain::shift::month_of;
use app::domain::stats::month_bounds;
use app::domain::time::now_ms;
use app::domain::user::{Actor, Role, UserId};
use app::i18n::Msg;
use std::collections::HashMap;

/// The setting that turns rankings on.
const RANKINGS: &str = "assessment_rankings";

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
        let rules = self.rules_for(&month).await?;
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
                    corrects: None,
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
                corrects: None,
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
                corrects: None,
            });
        }
        // A published month is what its staff were shown: the scoring run no longer
        // writes to it; only appeals' corrections do.
        let published = self.db.published(&month).await.map_err(internal)?;
        if !published.is_empty() {
            let homes = self.db.worker_communities().await.map_err(internal)?;
            entries.retain(|e| {
                homes
                    .get(&e.worker)
                    .is_none_or(|c| !published.contains_key(c))
            });
        }
        self.db
            .append_entries(&entries, now)
            .await
            .map_err(internal)
    }

    /// The rule set in force for a month (`2026-12`).
    async fn rules_for(&self, month: &str) -> Result<RuleSet, AppError> {
        let versions: Vec<(String, RuleSet)> = self
            .db
            .rule_versions()
            .await
            .map_err(internal)?
            .into_iter()
            .map(|(m, r, _, _)| (m, r))
            .collect();
        Ok(in_force(&versions, month))
    }

    /// Whether an admin turned rankings on (off by default: 基层减负 rules forbid
    /// pushing points rankings on staff).
    async fn rankings_on(&self) -> Result<bool, AppError> {
        Ok(self
            .db
            .setting(RANKINGS)
            .await
            .map_err(internal)?
            .as_deref()
            == Some("on"))
    }

    /// Where a community's month stands now.
    async fn status(&self, community: GridId, month: &str) -> Result<MonthStatus, AppError> {
        let until = self
            .db
            .published(month)
            .await
            .map_err(internal)?
            .get(&community)
            .copied();
        let homes = self.db.worker_communities().await.map_err(internal)?;
        let open = self
            .db
            .appeals(month)
            .await
            .map_err(internal)?
            .into_iter()
            .filter(|(w, a)| a.decision.is_none() && homes.get(w) == Some(&community))
            .count();
        Ok(month_status(until, open, now_ms()))
    }

    /// Each listed worker's month from the ledger and the month's ratings, with their
    /// community's status and their appeals. `workers`: (id, name, community).
    async fn months(
        &self,
        month: &str,
        workers: &[(UserId, String, GridId)],
    ) -> Result<Vec<WorkerMonth>, AppError> {
        let rules = self.rules_for(month).await?;
        self.months_under(month, workers, &rules).await
    }

    /// [`Self::months`] under a given rule set (a draft's preview).
    async fn months_under(
        &self,
        month: &str,
        workers: &[(UserId, String, GridId)],
        rules: &RuleSet,
    ) -> Result<Vec<WorkerMonth>, AppError> {
        let (month, (from, to)) = month_or_now(month)?;
        let now = now_ms();
        let only = match workers {
            [(one, _, _)] => Some(*one),
            _ => None,
        };
        let mut entries: HashMap<UserId, Vec<_>> = HashMap::new();
        for (w, e) in self.db.entries(&month, only).await.map_err(internal)? {
            entries.entry(w).or_default().push(e);
        }
        let appeals = self.db.appeals(&month).await.map_err(internal)?;
        let published = self.db.published(&month).await.map_err(internal)?;
        let mut open: HashMap<UserId, usize> = HashMap::new();
        let homes = self.db.worker_communities().await.map_err(internal)?;
        let mut open_by_community: HashMap<GridId, usize> = HashMap::new();
        for (w, a) in &appeals {
            if a.decision.is_none() {
                *open.entry(*w).or_default() += 1;
                if let Some(c) = homes.get(w) {
                    *open_by_community.entry(*c).or_default() += 1;
                }
            }
        }
        let by_entry: HashMap<i64, AppealView> =
            appeals.into_iter().map(|(_, a)| (a.entry, a)).collect();
        // One worker's view reads only the care objects she visits.
        let objects = self.db.care_objects(None, only).await.map_err(internal)?;
        let (care, _) = WorklogService::care_counts(&self.db, &objects, from, to, now).await?;
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
            .map(|(id, name, community)| {
                let status = month_status(
                    published.get(community).copied(),
                    open_by_community.get(community).copied().unwrap_or(0),
                    now,
                );
                let window =
                    matches!(status, MonthStatus::Published { until_ms } if now < until_ms);
                let mut list = entries.remove(id).unwrap_or_default();
                for e in &mut list {
                    e.appeal = by_entry.get(&e.id).cloned();
                    e.appealable = window
                        && e.kind != EntryKind::Correction
                        && !e.corrected
                        && e.appeal.is_none();
                }
                let (rated, satisfied) = ratings.get(id).copied().unwrap_or_default();
                let (care_due, care_visited) = care.get(id).copied().unwrap_or_default();
                let inputs = MonthInputs {
                    entries: effective(&list),
                    rated,
                    satisfied,
                    care_due,
                    care_visited,
                };
                WorkerMonth {
                    worker_id: id.0,
                    worker: name.clone(),
                    month: month.clone(),
                    status,
                    score: score(rules, &inputs),
                    entries: list,
                    board: Vec::new(),
                }
            })
            .collect())
    }

    /// The community a director reviews, or the one an admin names; `None` for a
    /// director without one.
    async fn review_scope(
        &self,
        actor: &Actor,
        named: Option<GridId>,
    ) -> Result<Option<GridId>, AppError> {
        let user = signed_in(actor)?;
        match user.role {
            Role::Admin => Ok(named),
            _ => self.db.user_scope(user.id).await.map_err(internal),
        }
    }

    /// The worker's community, if the reviewer may act on it (admins: any).
    async fn in_review_scope(&self, actor: &Actor, worker: UserId) -> Result<GridId, AppError> {
        let home = self
            .db
            .worker_communities()
            .await
            .map_err(internal)?
            .get(&worker)
            .copied()
            .ok_or(AppError::NotFound)?;
        match self.review_scope(actor, Some(home)).await? {
            Some(c) if c == home => Ok(home),
            _ => Err(AppError::Forbidden),
        }
    }
}

#[async_trait::async_trait]
impl AssessmentPort for AssessmentService {
    async fn mine(&self, actor: &Actor, month: String) -> Result<WorkerMonth, AppError> {
        require(actor, Action::ViewOwnAssessment)?;
        let user = signed_in(actor)?;
        // Live during the month: what has happened so far is counted first.
        self.score_month(&month, now_ms()).await?;
        let Some(home) = self
            .db
            .worker_communities()
            .await
            .map_err(internal)?
            .get(&user.id)
            .copied()
        else {
            // A worker posted nowhere has nothing scored.
            return Err(AppError::NotFound);
        };
        let mut list = self
            .months(&month, &[(user.id, user.name.clone(), home)])
            .await?;
        let mut me = list.pop().ok_or(AppError::Internal)?;
        // 公示: once published, the community's totals by name; ranked only when an
        // admin turned rankings on (then during the month too).
        let ranked = self.rankings_on().await?;
        if me.status != MonthStatus::Open || ranked {
            let staff = self.db.assessed_staff(Some(home)).await.map_err(internal)?;
            me.board = self
                .months(&month, &staff)
                .await?
                .into_iter()
                .map(|m| BoardLine {
                    worker: m.worker,
                    tenths: m.score.tenths,
                    grade: m.score.grade,
                    rank: None,
                })
                .collect();
            me.board = rank_board(std::mem::take(&mut me.board), ranked);
        }
        Ok(me)
    }

    async fn staff(&self, actor: &Actor, month: String) -> Result<Vec<CommunityMonth>, AppError> {
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
        let (month, _) = month_or_now(&month)?;
        let workers = self.db.assessed_staff(community).await.map_err(internal)?;
        let months = self.months(&month, &workers).await?;
        let names = self.db.community_names().await.map_err(internal)?;
        let appeals = self.db.appeals(&month).await.map_err(internal)?;
        let over = month < month_of(now_ms());
        let may_give = self.rules_for(&month).await?.manual_by.allows(user.role);
        let mut out: Vec<CommunityMonth> = Vec::new();
        for ((id, _, home), m) in workers.iter().zip(months) {
            let i = match out.iter().position(|c| c.community == home.0) {
                Some(i) => i,
                None => {
                    out.push(CommunityMonth {
                        community: home.0,
                        name: names.get(home).cloned().unwrap_or_default(),
                        status: m.status,
                        can_publish: over && m.status == MonthStatus::Open,
                        workers: Vec::new(),
                        appeals: Vec::new(),
                        ranked: false,
                        may_give,
                    });
                    out.len() - 1
                }
            };
            out[i].appeals.extend(
                appeals
                    .iter()
                    .filter(|(w, a)| w == id && a.decision.is_none())
                    .map(|(_, a)| a.clone()),
            );
            out[i].workers.push(m);
        }
        out.sort_by(|a, b| a.name.cmp(&b.name));
        if self.rankings_on().await? {
            for c in &mut out {
                c.ranked = true;
                c.workers.sort_by(|a, b| {
                    b.score
                        .tenths
                        .cmp(&a.score.tenths)
                        .then_with(|| a.worker.cmp(&b.worker))
                });
            }
        }
        Ok(out)
    }

    async fn rules(&self, actor: &Actor) -> Result<RulesPage, AppError> {
        require(actor, Action::ViewStaffAssessment)?;
        let month = month_of(now_ms());
        let versions = self.db.rule_versions().await.map_err(internal)?;
        let pairs: Vec<(String, RuleSet)> = versions
            .iter()
            .map(|(m, r, _, _)| (m.clone(), *r))
            .collect();
        Ok(RulesPage {
            in_force: in_force(&pairs, &month),
            month,
            draft: self.db.rule_draft().await.map_err(internal)?,
            versions: versions
                .into_iter()
                .rev()
                .map(|(from_month, rules, by, at_ms)| RuleVersion {
                    from_month,
                    rules,
                    by,
                    at_ms,
                })
                .collect(),
        })
    }

    async fn save_rules(&self, actor: &Actor, rules: RuleSet) -> Result<(), AppError> {
        require(actor, Action::RunAssessment)?;
        let user = signed_in(actor)?;
        check_rules(&rules)?;
        self.db
            .save_rule_draft(&rules, user.id, now_ms())
            .await
            .map_err(internal)
    }

    async fn preview_rules(&self, actor: &Actor) -> Result<Vec<PreviewLine>, AppError> {
        require(actor, Action::RunAssessment)?;
        let draft = self
            .db
            .rule_draft()
            .await
            .map_err(internal)?
            .ok_or(AppError::Conflict(Msg::AsErrNoDraft))?;
        // Last month, as scored now and as the draft would have scored it.
        let last = prev_month(&month_of(now_ms())).ok_or(AppError::Internal)?;
        let workers = self.db.assessed_staff(None).await.map_err(internal)?;
        let now = self.months(&last, &workers).await?;
        let then = self.months_under(&last, &workers, &draft).await?;
        let names = self.db.community_names().await.map_err(internal)?;
        Ok(workers
            .iter()
            .zip(now.iter().zip(&then))
            .map(|((_, name, c), (a, b))| PreviewLine {
                worker: name.clone(),
                community: names.get(c).cloned().unwrap_or_default(),
                now_tenths: a.score.tenths,
                draft_tenths: b.score.tenths,
            })
            .collect())
    }

    async fn adopt_rules(&self, actor: &Actor) -> Result<String, AppError> {
        require(actor, Action::RunAssessment)?;
        let user = signed_in(actor)?;
        // From next month: the month running keeps the rules it began with.
        let from = next_month(&month_of(now_ms())).ok_or(AppError::Internal)?;
        if !self
            .db
            .adopt_rule_draft(&from, user.id, now_ms())
            .await
            .map_err(internal)?
        {
            return Err(AppError::Conflict(Msg::AsErrNoDraft));
        }
        Ok(from)
    }

    async fn set_rankings(&self, actor: &Actor, on: bool) -> Result<bool, AppError> {
        require(actor, Action::RunAssessment)?;
        let user = signed_in(actor)?;
        self.db
            .set_setting(RANKINGS, if on { "on" } else { "off" })
            .await
            .map_err(internal)?;
        self.db
            .audit(
                Some(user.id),
                "assessment_rankings",
                if on { "on" } else { "off" },
            )
            .await
            .map_err(internal)?;
        Ok(on)
    }

    async fn give(&self, actor: &Actor, g: ManualPoints) -> Result<(), AppError> {
        require(actor, Action::ReviewAssessment)?;
        let user = signed_in(actor)?;
        let kind = EntryKind::parse(&g.kind)
            .ok_or_else(|| AppError::invalid("kind", Msg::AsErrManualKind))?;
        let (month, _) = month_or_now(&g.month)?;
        let rules = self.rules_for(&month).await?;
        if !rules.manual_by.allows(user.role) {
            return Err(AppError::Forbidden);
        }
        let (points, evidence) = manual_points(kind, g.points, &g.evidence, &rules)?;
        let worker = UserId(g.worker);
        let home = self.in_review_scope(actor, worker).await?;
        match self.status(home, &month).await? {
            MonthStatus::Open => {}
            MonthStatus::Published { .. } => return Err(AppError::Conflict(Msg::AsErrPublished)),
            MonthStatus::Final => return Err(AppError::Conflict(Msg::AsErrFinal)),
        }
        let now = now_ms();
        self.db
            .append_entries(
                &[NewEntry {
                    worker,
                    month,
                    kind,
                    points,
                    reason: evidence,
                    ticket: None,
                    key: format!("manual:{}:{}:{now}", user.id.0, worker.0),
                    by: Some(user.id),
                    corrects: None,
                }],
                now,
            )
            .await
            .map_err(internal)?;
        Ok(())
    }

    async fn publish(
        &self,
        actor: &Actor,
        month: String,
        community: i64,
    ) -> Result<MonthStatus, AppError> {
        require(actor, Action::ReviewAssessment)?;
        let user = signed_in(actor)?;
        let named = (community > 0).then_some(GridId(community));
        let home = self
            .review_scope(actor, named)
            .await?
            .ok_or_else(|| AppError::invalid("community", Msg::ErrNoCommunity))?;
        let (month, _) = month_or_now(&month)?;
        let now = now_ms();
        if month >= month_of(now) {
            return Err(AppError::invalid("month", Msg::AsErrMonthNotOver));
        }
        // Everything the month holds is counted before it is shown.
        self.score_month(&month, now).await?;
        let until = appeal_until(now, &self.rules_for(&month).await?);
        if !self
            .db
            .publish_month(home, &month, user.id, now, until)
            .await
            .map_err(internal)?
        {
            return Err(AppError::Conflict(Msg::AsErrAlreadyPublished));
        }
        self.status(home, &month).await
    }

    async fn year(
        &self,
        actor: &Actor,
        year: i32,
        community: i64,
    ) -> Result<Vec<YearLine>, AppError> {
        require(actor, Action::ViewStaffAssessment)?;
        let user = signed_in(actor)?;
        if !(2000..=2100).contains(&year) {
            return Err(AppError::invalid("year", Msg::AsErrYear));
        }
        let scope = match user.role {
            Role::Admin => (community > 0).then_some(GridId(community)),
            _ => Some(
                self.db
                    .user_scope(user.id)
                    .await
                    .map_err(internal)?
                    .ok_or(AppError::Forbidden)?,
            ),
        };
        let workers = self.db.assessed_staff(scope).await.map_err(internal)?;
        let this_month = month_of(now_ms());
        let mut scores: HashMap<UserId, Vec<Option<i64>>> = HashMap::new();
        for m in 1..=12 {
            let month = format!("{year:04}-{m:02}");
            let months = if month <= this_month {
                self.months(&month, &workers).await?
            } else {
                Vec::new()
            };
            let by: HashMap<i64, i64> = months
                .iter()
                .map(|w| (w.worker_id, w.score.tenths))
                .collect();
            for (id, _, _) in &workers {
                scores.entry(*id).or_default().push(by.get(&id.0).copied());
            }
        }
        let names = self.db.community_names().await.map_err(internal)?;
        let mut lines: Vec<YearLine> = workers
            .iter()
            .map(|(id, name, c)| {
                let months = scores.remove(id).unwrap_or_default();
                let mean = year_mean(&months);
                YearLine {
                    community: names.get(c).cloned().unwrap_or_default(),
                    worker: name.clone(),
                    months,
                    mean_tenths: mean.map(|m| m.0),
                    grade: mean.map(|m| m.1),
                }
            })
            .collect();
        // By community, then by name: never by score.
        lines.sort_by(|a, b| (&a.community, &a.worker).cmp(&(&b.community, &b.worker)));
        self.db
            .audit(
                Some(user.id),
                "assessment_export",
                &format!("year:{year} community:{}", scope.map_or(0, |g| g.0)),
            )
            .await
            .map_err(internal)?;
        Ok(lines)
    }

    async fn appeal(&self, actor: &Actor, entry: i64, reason: String) -> Result<(), AppError> {
        require(actor, Action::AppealAssessment)?;
        let user = signed_in(actor)?;
        let reason = reason_text("reason", &reason, Msg::AsErrAppealReason)?;
        let row = match self.db.ledger_entry(entry).await.map_err(internal)? {
            Some(r) if r.worker == user.id => r,
            // Another worker's entry is not even there for her.
            _ => return Err(AppError::NotFound),
        };
        if row.kind == EntryKind::Correction || row.corrected {
            return Err(AppError::Conflict(Msg::AsErrCorrection));
        }
        let home = self
            .db
            .worker_communities()
            .await
            .map_err(internal)?
            .get(&user.id)
            .copied()
            .ok_or(AppError::NotFound)?;
        let now = now_ms();
        match self.status(home, &row.month).await? {
            MonthStatus::Published { until_ms } if now < until_ms => {}
            MonthStatus::Final => return Err(AppError::Conflict(Msg::AsErrFinal)),
            _ => return Err(AppError::Conflict(Msg::AsErrNotInWindow)),
        }
        if !self
            .db
            .add_appeal(entry, &row, &reason, now)
            .await
            .map_err(internal)?
        {
            return Err(AppError::Conflict(Msg::AsErrAppealed));
        }
        Ok(())
    }

    async fn decide(
        &self,
        actor: &Actor,
        appeal: i64,
        decision: String,
        reason: String,
    ) -> Result<(), AppError> {
        require(actor, Action::ReviewAssessment)?;
        let user = signed_in(actor)?;
        let decision = AppealDecision::parse(&decision)
            .ok_or_else(|| AppError::invalid("decision", Msg::AsErrDecision))?;
        let reason = reason_text("reason", &reason, Msg::AsErrAppealReason)?;
        let a = self
            .db
            .appeal_row(appeal)
            .await
            .map_err(internal)?
            .ok_or(AppError::NotFound)?;
        self.in_review_scope(actor, a.worker).await?;
        if a.decided {
            return Err(AppError::Conflict(Msg::AsErrDecided));
        }
        let entry = self
            .db
            .ledger_entry(a.entry)
            .await
            .map_err(internal)?
            .ok_or(AppError::Internal)?;
        // The reviewer is never the person who gave the points.
        if entry.by == Some(user.id) {
            return Err(AppError::Conflict(Msg::AsErrOwnEntry));
        }
        let correction = (decision == AppealDecision::Upheld).then(|| NewEntry {
            worker: a.worker,
            month: a.month.clone(),
            kind: EntryKind::Correction,
            points: -entry.points,
            reason: reason.clone(),
            ticket: None,
            key: format!("appeal:{appeal}"),
            by: Some(user.id),
            corrects: Some(a.entry),
        });
        if !self
            .db
            .decide_appeal(
                appeal,
                decision,
                &reason,
                user.id,
                now_ms(),
                correction.as_ref(),
            )
            .await
            .map_err(internal)?
        {
            return Err(AppError::Conflict(Msg::AsErrDecided));
        }
        Ok(())
    }

    async fn run(&self, actor: &Actor, month: String) -> Result<u64, AppError> {
        require(actor, Action::RunAssessment)?;
        self.score_month(&month, now_ms()).await
    }
}
