//! Reminders: every half minute the server plans what has come within reach (shifts
//! and meetings a day ahead, fixes waiting for a rating, the staff's morning digest),
//! each once per person and occasion, timed out of the person's quiet hours; then it
//! sends what is due by the channels each person chose (the in-app inbox, push, SMS),
//! after checking that the shift, meeting or fix still stands (a cancelled shift's
//! reminders are called off, never sent).
use super::push::PushService;
use super::sms::clip;
use super::{internal, signed_in};
use crate::db::reminder::{DueReminder, Outcome, Planned, is_mobile};
use crate::db::{Db, now_ms};
use app::api::ports::ReminderPort;
use app::domain::AppError;
use app::domain::authz::{Action, require};
use app::domain::push::PushMessage;
use app::domain::reminder::{
    DigestCounts, HORIZON_MS, InboxReminder, Kind, Prefs, PrefsView, RATING_AGAIN_MS,
    RATING_OPEN_MS, channels, check_prefs, digest_due, meeting_due, send_at, shift_reminders,
};
use app::domain::shift::format_when;
use app::domain::time::format_cst;
use app::domain::user::{Actor, UserId};
use app::domain::worklog::next_due;
use app::i18n::Msg;
use std::collections::HashMap;
use std::sync::Arc;

/// Reminders one round sends at most (the rest go in the next round).
const ROUND: i64 = 20_000;
/// The inbox shows this many days.
const INBOX_DAYS: i64 = 30;
const INBOX_MAX: i64 = 100;
const DAY_MS: i64 = 86_400_000;

#[derive(Clone)]
pub struct ReminderService {
    pub db: Db,
    pub push: Arc<PushService>,
    /// The SMS channel, when one is set up (its settings can change while running).
    pub sms: super::sms::SmsSwitch,
}

/// What one round did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Round {
    pub planned: u64,
    pub sent: usize,
    pub cancelled: usize,
    pub stale: usize,
    pub postponed: usize,
}

impl ReminderService {
    /// Plans, then sends what is due at `now` (the server's clock, or a test's).
    pub async fn tick(&self, now: i64) -> Result<Round, sqlx::Error> {
        let planned = self.plan(now).await?;
        let mut round = self.deliver(now).await?;
        round.planned = planned;
        Ok(round)
    }

    /// Writes the reminders that have come within reach at `now`; answers how many.
    pub async fn plan(&self, now: i64) -> Result<u64, sqlx::Error> {
        let mut rows: Vec<Planned> = Vec::new();
        for s in self.db.shift_seats_to_plan(now, now + HORIZON_MS).await? {
            for d in shift_reminders(s.starts_at, now) {
                rows.push(Planned {
                    user: s.user,
                    kind: d.kind,
                    ref_id: s.shift,
                    occasion: s.starts_at,
                    due: d.due,
                    stale: d.stale,
                    title: format!("值班提醒：{}", s.title),
                    body: format!("{} · {}", format_when(s.starts_at, s.ends_at), s.place),
                    url: format!("/shifts/{}", s.shift),
                });
            }
        }
        for m in self.db.meeting_seats_to_plan(now, now + HORIZON_MS).await? {
            rows.push(Planned {
                user: m.user,
                kind: Kind::Meeting,
                ref_id: m.meeting,
                occasion: m.starts_at,
                due: meeting_due(m.starts_at),
                stale: m.starts_at,
                title: format!("会议提醒：{}", m.title),
                body: format!("{} · {}", format_cst(m.starts_at), m.place),
                url: format!("/study/meetings/{}", m.meeting),
            });
        }
        for w in self.db.ratings_to_plan(now - RATING_OPEN_MS).await? {
            let stale = w.asked_at + RATING_OPEN_MS;
            for (occasion, title) in [
                (w.asked_at, format!("请评价：#{} {}", w.ticket, w.category)),
                (
                    w.asked_at + RATING_AGAIN_MS,
                    format!("再次请您评价：#{} {}", w.ticket, w.category),
                ),
            ] {
                rows.push(Planned {
                    user: w.user,
                    kind: Kind::Rating,
                    ref_id: w.ticket,
                    occasion,
                    due: occasion,
                    stale,
                    title,
                    body: "问题已办结，满意吗？请在 7 天内评价".into(),
                    url: format!("/tickets/{}", w.ticket),
                });
            }
        }
        rows.extend(self.digests(now).await?);
        rows.retain(|p| p.stale > now);
        if rows.is_empty() {
            return Ok(0);
        }
        let mut users: Vec<i64> = rows.iter().map(|p| p.user).collect();
        users.sort_unstable();
        users.dedup();
        let prefs = self.db.reminder_prefs(&users).await?;
        let timed: Vec<(Planned, i64, bool)> = rows
            .into_iter()
            .map(|p| {
                let quiet = prefs.get(&p.user).copied().unwrap_or_default().quiet;
                let (at, silent) = send_at(p.due, p.stale, quiet, now);
                (p, at, silent)
            })
            .collect();
        self.db.insert_reminders(&timed, now).await
    }

    /// From 08:00 (China) on, each grid worker's and director's digest of the day:
    /// what waits for them, or a note that nothing does (nothing is sent then).
    async fn digests(&self, now: i64) -> Result<Vec<Planned>, sqlx::Error> {
        let (due, end) = digest_due(now);
        let day = end - DAY_MS;
        if now < due {
            return Ok(Vec::new());
        }
        let staff = self.db.staff_without_digest(day).await?;
        if staff.is_empty() {
            return Ok(Vec::new());
        }
        // Care visits due by the day's end, per visitor (read once for everyone).
        let objects = self.db.care_objects(None, None).await?;
        let last = self.db.last_visits().await?;
        let mut visits: HashMap<i64, i64> = HashMap::new();
        for o in &objects {
            if let Some((v, _)) = &o.visitor
                && next_due(o.cycle, last.get(&o.resident).copied(), o.since) < end
            {
                *visits.entry(v.0).or_default() += 1;
            }
        }
        let mut out = Vec::new();
        for user in staff {
            let counts = DigestCounts {
                visits: visits.get(&user).copied().unwrap_or(0),
                ..self.db.digest_counts(user, now).await?
            };
            if counts.is_empty() {
                self.db.digest_nothing(user, day, now).await?;
                continue;
            }
            out.push(Planned {
                user,
                kind: Kind::Digest,
                ref_id: day,
                occasion: day,
                due,
                stale: end,
                title: "今日待办".into(),
                body: counts.body(),
                url: "/".into(),
            });
        }
        Ok(out)
    }

    /// Sends the reminders due at `now`, each by its person's channels; those whose
    /// subject no longer stands are called off, those past use dropped, those a late
    /// round finds in quiet hours moved out of them.
    pub async fn deliver(&self, now: i64) -> Result<Round, sqlx::Error> {
        let claim = i64::from(rand::random::<u32>()) + 1;
        if self.db.claim_reminders(now, ROUND, claim).await? == 0 {
            return Ok(Round::default());
        }
        let due = self.db.claimed_reminders(claim).await?;
        let mut round = Round::default();
        let mut done = Vec::with_capacity(due.len());
        let mut texts = Vec::new();
        for r in due {
            let outcome = self.outcome(&r, now);
            match &outcome {
                Outcome::Sent(_, ch) => {
                    round.sent += 1;
                    if ch.split(',').any(|c| c == "push") {
                        self.push.to_users(
                            vec![UserId(r.user)],
                            PushMessage {
                                title: r.title.clone(),
                                body: r.body.clone(),
                                url: r.url.clone(),
                                tag: format!("reminder-{}", r.id),
                            },
                        );
                    }
                    if let (true, Some(phone)) = (ch.split(',').any(|c| c == "sms"), &r.mobile) {
                        let params = serde_json::json!([
                            ["title", clip(&r.title, 20)],
                            ["content", clip(&r.body, 30)]
                        ]);
                        texts.push((r.id, phone.clone(), params.to_string()));
                    }
                }
                Outcome::Cancelled(_) => round.cancelled += 1,
                Outcome::Stale(_) => round.stale += 1,
                Outcome::Postponed(..) => round.postponed += 1,
            }
            done.push(outcome);
        }
        self.db.reminders_done(&done, now).await?;
        if !texts.is_empty() {
            self.db.queue_reminder_sms(&texts, now).await?;
        }
        Ok(round)
    }

    fn outcome(&self, r: &DueReminder, now: i64) -> Outcome {
        if !r.live {
            return Outcome::Cancelled(r.id);
        }
        if r.stale <= now {
            return Outcome::Stale(r.id);
        }
        let mut silent = r.silent;
        if !silent && r.prefs.quiet.contains(now) {
            let (at, s) = send_at(r.due.max(now), r.stale, r.prefs.quiet, now);
            if at > now {
                return Outcome::Postponed(r.id, at);
            }
            silent = s || r.prefs.quiet.contains(now);
        }
        let sms_ok = self.sms.on() && r.mobile.as_deref().is_some_and(is_mobile);
        Outcome::Sent(r.id, channels(&r.prefs, silent, sms_ok).join(","))
    }

    /// The waitlist seated `user` on a shift: told now (as their channels and quiet
    /// hours allow), and the shift's own reminders follow as for anyone seated.
    pub async fn promoted(
        &self,
        user: UserId,
        shift: i64,
        (starts_at, ends_at): (i64, i64),
        title: &str,
        now: i64,
    ) -> Result<(), sqlx::Error> {
        let p = Planned {
            user: user.0,
            kind: Kind::Promoted,
            ref_id: shift,
            occasion: starts_at,
            due: now,
            stale: starts_at,
            title: format!("候补转正：{title}"),
            body: format!(
                "{} · 您已获得名额，请准时参加",
                format_when(starts_at, ends_at)
            ),
            url: format!("/shifts/{shift}"),
        };
        let quiet = self
            .db
            .reminder_prefs(&[user.0])
            .await?
            .get(&user.0)
            .copied()
            .unwrap_or_default()
            .quiet;
        let (at, silent) = send_at(p.due, p.stale, quiet, now);
        self.db.insert_reminders(&[(p, at, silent)], now).await?;
        self.deliver(now).await?;
        Ok(())
    }
}

#[async_trait::async_trait]
impl ReminderPort for ReminderService {
    async fn inbox(&self, actor: &Actor) -> Result<Vec<InboxReminder>, AppError> {
        require(actor, Action::OwnAccount)?;
        let user = signed_in(actor)?;
        let now = now_ms();
        self.db
            .reminder_inbox(user.id.0, now - INBOX_DAYS * DAY_MS, INBOX_MAX, now)
            .await
            .map_err(internal)
    }

    async fn unread(&self, actor: &Actor) -> Result<u32, AppError> {
        let Some(user) = &actor.user else {
            return Ok(0);
        };
        let n = self
            .db
            .unread_reminders(user.id.0, now_ms() - INBOX_DAYS * DAY_MS)
            .await
            .map_err(internal)?;
        Ok(u32::try_from(n).unwrap_or(u32::MAX))
    }

    async fn prefs(&self, actor: &Actor) -> Result<PrefsView, AppError> {
        require(actor, Action::OwnAccount)?;
        let user = signed_in(actor)?;
        let prefs = self
            .db
            .reminder_prefs(&[user.id.0])
            .await
            .map_err(internal)?
            .remove(&user.id.0)
            .unwrap_or_default();
        let has_mobile = self
            .db
            .confirmed_mobile(user.id.0)
            .await
            .map_err(internal)?
            .is_some();
        Ok(PrefsView {
            prefs,
            sms_available: self.sms.on(),
            has_mobile,
        })
    }

    async fn save_prefs(&self, actor: &Actor, prefs: Prefs) -> Result<(), AppError> {
        require(actor, Action::OwnAccount)?;
        let user = signed_in(actor)?;
        check_prefs(&prefs)?;
        if prefs.sms && !self.sms.on() {
            return Err(AppError::invalid("sms", Msg::RemindSmsOff));
        }
        if prefs.sms
            && self
                .db
                .confirmed_mobile(user.id.0)
                .await
                .map_err(internal)?
                .is_none()
        {
            return Err(AppError::invalid("sms", Msg::RemindSmsNoMobile));
        }
        let now = now_ms();
        self.db
            .save_reminder_prefs(user.id.0, &prefs, now, |due, stale| {
                send_at(due, stale, prefs.quiet, now)
            })
            .await
            .map_err(internal)
    }
}
