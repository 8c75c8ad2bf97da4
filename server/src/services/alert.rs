//! Alerts: publish to grids (expanded to level 3) and to every open page at once;
//! inbox, receipts and answers; live coverage per grid; the follow-up of vulnerable
//! residents who have not confirmed.
use super::bus::{Bus, Event};
use super::{in_scope, internal, resolve_targets, signed_in, staff_grids};
use crate::db::alert::Mark;
use crate::db::{Db, now_ms};
use app::api::ports::AlertPort;
use app::domain::AppError;
use app::domain::alert::{
    Alert, AlertAudience, AlertId, AlertInput, AlertState, AnswerInput, AudienceRow, Coverage,
    CoverageRow, FollowUpList, InboxItem, LiveAlert, NOTE_MAX, Outcome, check_input,
    needs_follow_up,
};
use app::domain::authz::{Action, require};
use app::domain::emergency::Source;
use app::domain::grid::GridId;
use app::domain::resident::ResidentId;
use app::domain::user::{Actor, Role, SessionUser, mask_phone};
use app::i18n::Msg;
use std::collections::HashMap;

pub struct AlertService {
    pub db: Db,
    pub bus: Bus,
    pub push: std::sync::Arc<super::push::PushService>,
    /// The SMS channel, when one is set up (its settings can change while running).
    pub sms: super::sms::SmsSwitch,
}

/// How far back an inbox reaches.
const INBOX_DAYS: i64 = 7;
const INBOX_MAX: i64 = 50;

impl AlertService {
    async fn load(&self, id: AlertId) -> Result<Alert, AppError> {
        self.db
            .alert(id)
            .await
            .map_err(internal)?
            .ok_or(AppError::NotFound)
    }

    /// The signed-in staff member, the alert, and its grids they answer for; 404 when
    /// none of its grids is theirs.
    async fn in_my_grids(
        &self,
        actor: &Actor,
        id: AlertId,
    ) -> Result<(SessionUser, Alert, Vec<GridId>), AppError> {
        require(actor, Action::FollowUpAlerts)?;
        let user = signed_in(actor)?;
        let alert = self.load(id).await?;
        let grids = self.grids_in_scope(user, &alert).await?;
        if grids.is_empty() {
            return Err(AppError::NotFound);
        }
        Ok((user.clone(), alert, grids))
    }

    /// The alert's grids this person answers for (admins: all of them).
    async fn grids_in_scope(&self, user: &SessionUser, a: &Alert) -> Result<Vec<GridId>, AppError> {
        let scope = staff_grids(&self.db, user).await?;
        Ok(a.grids
            .iter()
            .copied()
            .filter(|g| in_scope(&scope, *g))
            .collect())
    }
}

#[async_trait::async_trait]
impl AlertPort for AlertService {
    async fn publish(&self, actor: &Actor, input: AlertInput) -> Result<Alert, AppError> {
        require(actor, Action::PublishAlerts)?;
        let user = signed_in(actor)?;
        check_input(&input)?;
        let (grids, area) = resolve_targets(&self.db, user, &input.targets).await?;
        let now = now_ms();
        let id = self
            .db
            .insert_alert(&input, user.id, &area, &grids, now)
            .await
            .map_err(internal)?;
        let alert = self.load(id).await?;
        self.push.to_grids(
            alert.grids.clone(),
            app::domain::push::PushMessage {
                title: alert.title.clone(),
                body: alert.body.chars().take(160).collect(),
                url: format!("/alerts/{}", id.0),
                tag: format!("alert-{}", id.0),
            },
        );
        self.bus
            .publish(Event::Alert(LiveAlert {
                id,
                title: alert.title.clone(),
                severity: alert.severity,
                grids: alert.grids.clone(),
                sent_at: now,
            }))
            .await;
        Ok(alert)
    }

    async fn audience(
        &self,
        actor: &Actor,
        targets: Vec<GridId>,
    ) -> Result<AlertAudience, AppError> {
        require(actor, Action::PublishAlerts)?;
        let user = signed_in(actor)?;
        let (grids, area) = resolve_targets(&self.db, user, &targets).await?;
        let all = self.db.list_grids().await.map_err(internal)?;
        let name = |g: Option<GridId>| {
            all.iter()
                .find(|r| Some(r.id) == g)
                .map(|r| r.name.clone())
                .unwrap_or_default()
        };
        let residents = self.db.residents_per_grid(&grids).await.map_err(internal)?;
        let pages = self.bus.presence.counts().await.map_err(internal)?;
        let rows: Vec<AudienceRow> = grids
            .iter()
            .map(|g| {
                let parent = all.iter().find(|r| r.id == *g).and_then(|r| r.parent);
                AudienceRow {
                    grid: *g,
                    grid_name: name(Some(*g)),
                    community: name(parent),
                    residents: residents.get(g).copied().unwrap_or(0),
                    pages: pages.get(&Some(*g)).copied().unwrap_or(0),
                }
            })
            .collect();
        Ok(AlertAudience {
            area,
            residents: rows.iter().map(|r| r.residents).sum(),
            pages: rows.iter().map(|r| r.pages).sum(),
            pages_anywhere: pages.get(&None).copied().unwrap_or(0),
            rows,
        })
    }

    async fn cancel(&self, actor: &Actor, id: AlertId) -> Result<(), AppError> {
        require(actor, Action::PublishAlerts)?;
        let user = signed_in(actor)?;
        let a = self.load(id).await?;
        if self.grids_in_scope(user, &a).await?.len() != a.grids.len() {
            return Err(AppError::Forbidden);
        }
        self.db.cancel_alert(id).await.map_err(internal)
    }

    async fn inbox(&self, actor: &Actor) -> Result<Vec<InboxItem>, AppError> {
        require(actor, Action::ViewAlerts)?;
        let home = actor.user.as_ref().and_then(|u| u.home);
        let since = now_ms() - INBOX_DAYS * 24 * 3_600_000;
        let alerts = self
            .db
            .alerts_since(home, since, 0, INBOX_MAX)
            .await
            .map_err(internal)?;
        let mut answers = match actor.user_id() {
            Some(u) => {
                let ids: Vec<AlertId> = alerts.iter().map(|a| a.id).collect();
                self.db.answers(u, &ids).await.map_err(internal)?
            }
            None => HashMap::new(),
        };
        Ok(alerts
            .into_iter()
            .map(|alert| {
                let (answer, note) = answers.remove(&alert.id).unwrap_or_default();
                InboxItem {
                    alert,
                    answer,
                    note,
                }
            })
            .collect())
    }

    async fn detail(&self, actor: &Actor, id: AlertId) -> Result<InboxItem, AppError> {
        require(actor, Action::ViewAlerts)?;
        let alert = self.load(id).await?;
        let (answer, note) = match &actor.user {
            Some(u) => {
                let mark = Mark {
                    opened: true,
                    ..Mark::default()
                };
                self.db
                    .mark_receipt(id, u.id, u.home, &mark, now_ms())
                    .await
                    .map_err(internal)?;
                self.db
                    .answers(u.id, &[id])
                    .await
                    .map_err(internal)?
                    .remove(&id)
                    .unwrap_or_default()
            }
            None => (None, String::new()),
        };
        Ok(InboxItem {
            alert,
            answer,
            note,
        })
    }

    async fn seen(&self, actor: &Actor, ids: Vec<AlertId>) -> Result<(), AppError> {
        require(actor, Action::AnswerAlerts)?;
        let user = signed_in(actor)?;
        let now = now_ms();
        for id in ids.into_iter().take(INBOX_MAX as usize) {
            match self
                .db
                .mark_receipt(id, user.id, user.home, &Mark::default(), now)
                .await
            {
                Ok(()) => {}
                // An id that is no alert (foreign key) is skipped, not an error.
                Err(sqlx::Error::Database(_)) => {}
                Err(e) => return Err(internal(e)),
            }
        }
        Ok(())
    }

    async fn answer(&self, actor: &Actor, id: AlertId, a: AnswerInput) -> Result<(), AppError> {
        require(actor, Action::AnswerAlerts)?;
        let user = signed_in(actor)?;
        let note = a.note.trim();
        if note.chars().count() > NOTE_MAX {
            return Err(AppError::invalid("note", Msg::ErrNote));
        }
        let at = match (a.lat, a.lng) {
            (Some(lat), Some(lng)) => {
                if !((-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lng)) {
                    return Err(AppError::invalid("location", Msg::ErrLocation));
                }
                Some((lat, lng))
            }
            (None, None) => None,
            _ => return Err(AppError::invalid("location", Msg::ErrLocation)),
        };
        let alert = self.load(id).await?;
        let now = now_ms();
        if alert.state(now) != AlertState::Active {
            return Err(AppError::Conflict(Msg::ErrAlertClosed));
        }
        let mark = Mark {
            opened: true,
            answer: Some(a.answer),
            note: note.to_owned(),
            at,
        };
        self.db
            .mark_receipt(id, user.id, user.home, &mark, now)
            .await
            .map_err(internal)?;
        // "需要帮助" rings the duty officer of the resident's community (once per
        // resident and alert).
        if a.answer == app::domain::alert::Answer::NeedHelp {
            let community = match user.home {
                Some(g) => self.db.grid_parent(g.0).await.map_err(internal)?,
                None => None,
            };
            let title = format!("{} 需要帮助 · {}", user.name, alert.title);
            crate::services::duty::ring(
                &self.db,
                &self.push,
                crate::services::duty::Call {
                    source: Source::AlertHelp,
                    source_id: id.0,
                    subject: user.id.0,
                    community,
                    title: &title,
                    now,
                },
            )
            .await?;
        }
        Ok(())
    }

    async fn coverage(&self, actor: &Actor, id: AlertId) -> Result<Coverage, AppError> {
        let (user, alert, grids) = self.in_my_grids(actor, id).await?;
        let names: HashMap<GridId, String> = self
            .db
            .list_grids()
            .await
            .map_err(internal)?
            .into_iter()
            .map(|g| (g.id, g.name))
            .collect();
        let targeted = self.db.residents_per_grid(&grids).await.map_err(internal)?;
        let reached = self.db.reached_counts(id).await.map_err(internal)?;
        let sms = self.db.alert_sms_figures(id.0).await.map_err(internal)?;
        let unreached = self.db.alert_unreached(id.0).await.map_err(internal)?;
        let mut counts: HashMap<Option<GridId>, CoverageRow> = self
            .db
            .receipt_counts(id)
            .await
            .map_err(internal)?
            .into_iter()
            .collect();
        let mut rows: Vec<CoverageRow> = grids
            .iter()
            .map(|g| {
                let mut r = counts.remove(&Some(*g)).unwrap_or_default();
                r.grid = Some(*g);
                r.grid_name = names.get(g).cloned().unwrap_or_default();
                r.targeted = targeted.get(g).copied().unwrap_or(0);
                r.reached = reached.get(g).copied().unwrap_or(0);
                let s = sms.get(g).copied().unwrap_or_default();
                (r.sms_sent, r.sms_delivered, r.sms_failed) = (s.sent, s.delivered, s.failed);
                r.unreached = unreached.get(g).copied().unwrap_or(0);
                r
            })
            .collect();
        // Accounts the registry does not place: only the street sees them.
        if user.role == Role::Admin
            && let Some(r) = counts.remove(&None)
        {
            rows.push(r);
        }
        let mut total = CoverageRow::default();
        for r in &rows {
            total.add(r);
        }
        Ok(Coverage {
            follow_up_at: alert.follow_up_at,
            sms_error: self.db.alert_sms_error(id.0).await.map_err(internal)?,
            sms_on: self.sms.on(),
            alert,
            rows,
            total,
        })
    }

    async fn follow_ups(&self, actor: &Actor, id: AlertId) -> Result<FollowUpList, AppError> {
        let (user, alert, grids) = self.in_my_grids(actor, id).await?;
        let now = now_ms();
        let open = now >= alert.follow_up_at;
        let mut items = Vec::new();
        if open {
            let own: Vec<GridId> = user.grids.iter().map(|(g, _)| *g).collect();
            for mut row in self
                .db
                .follow_up_candidates(id, &grids)
                .await
                .map_err(internal)?
            {
                let f = &row.item;
                if !needs_follow_up(&f.tags, f.answer, None) && f.outcome.is_none() {
                    continue;
                }
                if own.contains(&row.grid) {
                    self.db
                        .audit(
                            Some(user.id),
                            "alert.follow_up",
                            &format!("alert:{} resident:{} {}", id.0, f.resident.0, f.name),
                        )
                        .await
                        .map_err(internal)?;
                } else {
                    row.item.phone = mask_phone(&row.item.phone);
                }
                items.push(row.item);
            }
            // Who still needs a visit first.
            items.sort_by_key(|f| !needs_follow_up(&f.tags, f.answer, f.outcome));
        }
        Ok(FollowUpList {
            opens_at: alert.follow_up_at,
            open,
            items,
        })
    }

    async fn reach(
        &self,
        actor: &Actor,
        id: AlertId,
        resident: ResidentId,
        outcome: Outcome,
        note: String,
    ) -> Result<(), AppError> {
        require(actor, Action::FollowUpAlerts)?;
        let user = signed_in(actor)?;
        let note = note.trim();
        if note.chars().count() > NOTE_MAX {
            return Err(AppError::invalid("note", Msg::ErrNote));
        }
        let alert = self.load(id).await?;
        let c = self
            .db
            .resident_contact(resident)
            .await
            .map_err(internal)?
            .ok_or(AppError::NotFound)?;
        if !self.grids_in_scope(user, &alert).await?.contains(&c.grid) {
            return Err(AppError::NotFound);
        }
        self.db
            .record_follow_up(id, resident, outcome, note, user.id, now_ms())
            .await
            .map_err(internal)
    }
}
