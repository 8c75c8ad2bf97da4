//! The command screen's snapshot: everything a wall screen shows for the street or one
//! community, counted in the database in one pass of small queries. Admins choose the
//! street or any community; a community's staff see their own community only.
use super::duty::home_community;
use super::internal;
use crate::db::Db;
use crate::db::duty::ScopeRow;
use crate::db::site::SiteScope;
use app::api::ports::CommandPort;
use app::domain::AppError;
use app::domain::alert::AlertState;
use app::domain::authz::{Action, require};
use app::domain::command::{AlertReach, CommandSnapshot, day_start, hours};
use app::domain::duty::OnDutyNow;
use app::domain::shift::month_of;
use app::domain::stats::month_bounds;
use app::domain::time::now_ms;
use app::domain::user::{Actor, Role};

pub struct CommandService {
    pub db: Db,
}

/// Emergencies older than this no longer show as running.
const RUNNING_MS: i64 = 2 * 3_600_000;
/// Overdue sites listed by name.
const SITES_SHOWN: usize = 10;

impl CommandService {
    /// The community the caller sees (`None`: the street), the scopes they may switch
    /// between, and every duty scope as read.
    async fn scope(
        &self,
        actor: &Actor,
        asked: i64,
    ) -> Result<(Option<i64>, Vec<(i64, String)>, Vec<ScopeRow>), AppError> {
        require(actor, Action::ViewCommand)?;
        let user = actor.user.as_ref().ok_or(AppError::Unauthorized)?;
        let scopes = self.db.duty_scopes().await.map_err(internal)?;
        if user.role == Role::Admin {
            let list: Vec<(i64, String)> = scopes
                .iter()
                .map(|s| (if s.2 == 1 { 0 } else { s.0 }, s.1.clone()))
                .collect();
            return match asked {
                0 => Ok((None, list, scopes)),
                c if scopes.iter().any(|s| s.0 == c && s.2 == 2) => Ok((Some(c), list, scopes)),
                _ => Err(AppError::NotFound),
            };
        }
        let home = home_community(&self.db, user)
            .await?
            .ok_or(AppError::Forbidden)?;
        Ok((Some(home), vec![], scopes))
    }

    /// The snapshot at `now`.
    pub async fn snapshot_at(
        &self,
        actor: &Actor,
        asked: i64,
        now: i64,
    ) -> Result<CommandSnapshot, AppError> {
        let (community, scopes, all) = self.scope(actor, asked).await?;
        let db = &self.db;
        let street = all.iter().find(|s| s.2 == 1);
        let scope_name = match community {
            Some(c) => all.iter().find(|s| s.0 == c).map(|s| s.1.clone()),
            None => street.map(|s| s.1.clone()),
        }
        .unwrap_or_default();
        let today = day_start(now);
        let (month_from, month_to) = month_bounds(&month_of(now)).ok_or(AppError::Internal)?;
        let (top_categories, top_grids) = db
            .command_tops(community, month_from)
            .await
            .map_err(internal)?;
        // On duty: the street's shift and the community's.
        let mut on_duty = Vec::new();
        for s in street.map(|s| s.0).into_iter().chain(community) {
            if let Some(sh) = db.duty_shift_at(s, now).await.map_err(internal)? {
                on_duty.push(OnDutyNow {
                    scope: sh.scope.clone(),
                    leader: sh.leader.name.clone(),
                    officers: sh.officers.iter().map(|o| o.name.clone()).collect(),
                });
            }
        }
        let site_scope = community.map_or(SiteScope::All, SiteScope::Community);
        let overdue_sites: Vec<_> = db
            .sites(site_scope)
            .await
            .map_err(internal)?
            .into_iter()
            .map(|r| r.site)
            .filter(|s| s.overdue(now))
            .collect();
        Ok(CommandSnapshot {
            at_ms: now,
            scope: community.unwrap_or(0),
            scope_name,
            scopes,
            today: db
                .command_funnel(community, today, today + 86_400_000)
                .await
                .map_err(internal)?,
            month: db
                .command_funnel(community, month_from, month_to)
                .await
                .map_err(internal)?,
            overdue: db.command_overdue(community).await.map_err(internal)?,
            top_categories,
            top_grids,
            by_hour: hours(&db.command_hours(community, today).await.map_err(internal)?),
            heat: db
                .command_heat(community, month_from)
                .await
                .map_err(internal)?,
            alert: self.alert(now).await?,
            on_duty,
            patrols: db.command_patrols(community, now).await.map_err(internal)?,
            emergencies: db
                .running_emergencies(community, now - RUNNING_MS)
                .await
                .map_err(internal)?,
            timers: db
                .timer_figures(community, month_from, month_to)
                .await
                .map_err(internal)?,
            sites_overdue_total: i64::try_from(overdue_sites.len()).unwrap_or(i64::MAX),
            sites_overdue: overdue_sites.into_iter().take(SITES_SHOWN).collect(),
            cameras: db
                .cameras(community)
                .await
                .map_err(internal)?
                .into_iter()
                .map(|r| r.camera)
                .collect(),
        })
    }

    /// The newest alert still in force, with how far it reached.
    async fn alert(&self, now: i64) -> Result<Option<AlertReach>, AppError> {
        let recent = self
            .db
            .alerts_since(None, now - 7 * 86_400_000, 0, 5)
            .await
            .map_err(internal)?;
        let Some(a) = recent
            .into_iter()
            .find(|a| a.state(now) == AlertState::Active)
        else {
            return Ok(None);
        };
        let rows = self.db.receipt_counts(a.id).await.map_err(internal)?;
        let sum =
            |f: fn(&app::domain::alert::CoverageRow) -> i64| rows.iter().map(|(_, r)| f(r)).sum();
        Ok(Some(AlertReach {
            id: a.id.0,
            title: a.title,
            targeted: sum(|r| r.delivered),
            reached: sum(|r| r.opened),
            safe: sum(|r| r.confirmed),
            need_help: sum(|r| r.need_help),
        }))
    }
}

#[async_trait::async_trait]
impl CommandPort for CommandService {
    async fn snapshot(&self, actor: &Actor, scope: i64) -> Result<CommandSnapshot, AppError> {
        self.snapshot_at(actor, scope, now_ms()).await
    }
}
