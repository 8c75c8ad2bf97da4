//! Reminders: what the planner finds due, the rows it writes (once per person, kind,
//! subject and occasion), the due ones with whether their subject still stands, and
//! each person's inbox and choices.
use super::Db;
use super::sms::ids_in;
use app::domain::reminder::{DigestCounts, InboxReminder, Kind, Prefs, Quiet};
use sqlx::Row;
use std::collections::HashMap;

/// A reminder as planned, before quiet hours move it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planned {
    pub user: i64,
    pub kind: Kind,
    pub ref_id: i64,
    pub occasion: i64,
    pub due: i64,
    pub stale: i64,
    pub title: String,
    pub body: String,
    pub url: String,
}

/// A seated volunteer of a shift starting soon, not yet planned.
pub struct ShiftSeat {
    pub user: i64,
    pub shift: i64,
    pub starts_at: i64,
    pub ends_at: i64,
    pub title: String,
    pub place: String,
}

/// Someone expected at a meeting starting soon, not yet planned.
pub struct MeetingSeat {
    pub user: i64,
    pub meeting: i64,
    pub starts_at: i64,
    pub title: String,
    pub place: String,
}

/// A fix waiting for its reporter's rating, not yet planned.
pub struct RatingWait {
    pub user: i64,
    pub ticket: i64,
    pub asked_at: i64,
    pub category: String,
}

/// A reminder whose time has come.
#[derive(Debug, Clone)]
pub struct DueReminder {
    pub id: i64,
    pub user: i64,
    pub kind: Kind,
    pub ref_id: i64,
    pub due: i64,
    pub stale: i64,
    pub silent: bool,
    pub title: String,
    pub body: String,
    pub url: String,
    /// Its shift, meeting or fix still stands as it was planned for.
    pub live: bool,
    pub prefs: Prefs,
    /// The account's confirmed mobile, for SMS.
    pub mobile: Option<String>,
}

/// How a due reminder ended.
pub enum Outcome {
    Sent(i64, String),
    Cancelled(i64),
    Stale(i64),
    /// Found in the person's quiet hours (a late round): goes again at this time.
    Postponed(i64, i64),
}

/// The kinds about a shift.
const SHIFT_KINDS: &str = "('shift_day', 'shift_soon', 'promoted')";

/// Rows per multi-row INSERT. Measured (bench_reminders, SQLite, 30,000 rows): 500 a
/// statement took 3.0 s (the cost grows with the statement's bound values), 50 took
/// 0.54 s, 25 took 0.46 s, 10 took 0.68 s.
const INSERT_CHUNK: usize = 25;

fn prefs_from(r: &sqlx::any::AnyRow) -> Result<Prefs, sqlx::Error> {
    let d = Prefs::default();
    let flag = |name: &str, dflt: bool| -> Result<bool, sqlx::Error> {
        Ok(r.try_get::<Option<i64>, _>(name)?.map_or(dflt, |v| v != 0))
    };
    Ok(Prefs {
        in_app: flag("in_app", d.in_app)?,
        push: flag("push", d.push)?,
        sms: flag("sms", d.sms)?,
        quiet: Quiet {
            from: r
                .try_get::<Option<i64>, _>("quiet_from")?
                .unwrap_or(d.quiet.from),
            to: r
                .try_get::<Option<i64>, _>("quiet_to")?
                .unwrap_or(d.quiet.to),
        },
    })
}

impl Db {
    /// Seated volunteers of shifts not called off starting in `(now, until]` with no
    /// two-hour reminder planned for that start (a cancelled one counts as none).
    pub async fn shift_seats_to_plan(
        &self,
        now: i64,
        until: i64,
    ) -> Result<Vec<ShiftSeat>, sqlx::Error> {
        let rows = sqlx::query(&format!(
            "SELECT s.user_id, f.id, f.starts_at, f.ends_at, f.title, f.place
             FROM shifts f JOIN shift_signups s ON s.shift_id = f.id AND s.state = 'seated'
             WHERE f.starts_at > {now} AND f.starts_at <= {until} AND f.cancelled = 0
               AND NOT EXISTS (SELECT 1 FROM reminders r WHERE r.user_id = s.user_id
                   AND r.kind = 'shift_soon' AND r.ref_id = f.id AND r.occasion = f.starts_at
                   AND r.status <> 'cancelled')
             ORDER BY f.starts_at, f.id, s.user_id"
        ))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(ShiftSeat {
                    user: r.try_get("user_id")?,
                    shift: r.try_get("id")?,
                    starts_at: r.try_get("starts_at")?,
                    ends_at: r.try_get("ends_at")?,
                    title: r.try_get("title")?,
                    place: r.try_get("place")?,
                })
            })
            .collect()
    }

    /// People expected at meetings starting in `(now, until]`, not yet planned.
    pub async fn meeting_seats_to_plan(
        &self,
        now: i64,
        until: i64,
    ) -> Result<Vec<MeetingSeat>, sqlx::Error> {
        let rows = sqlx::query(&format!(
            "SELECT a.user_id, m.id, m.starts_at, m.title, m.place
             FROM meetings m JOIN meeting_attendees a ON a.meeting_id = m.id
             WHERE m.starts_at > {now} AND m.starts_at <= {until}
               AND NOT EXISTS (SELECT 1 FROM reminders r WHERE r.user_id = a.user_id
                   AND r.kind = 'meeting' AND r.ref_id = m.id AND r.occasion = m.starts_at
                   AND r.status <> 'cancelled')
             ORDER BY m.starts_at, m.id, a.user_id"
        ))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(MeetingSeat {
                    user: r.try_get("user_id")?,
                    meeting: r.try_get("id")?,
                    starts_at: r.try_get("starts_at")?,
                    title: r.try_get("title")?,
                    place: r.try_get("place")?,
                })
            })
            .collect()
    }

    /// Fixes asked for a rating since `since` and still waiting, whose reporter (the
    /// resident themselves, for 代报, once their number is confirmed) has no reminder
    /// planned for that asking.
    pub async fn ratings_to_plan(&self, since: i64) -> Result<Vec<RatingWait>, sqlx::Error> {
        let rows = sqlx::query(&format!(
            "SELECT w.who, w.id, w.rating_asked_at, w.name_zh FROM (
               SELECT t.id, t.rating_asked_at, c.name_zh,
                      CASE WHEN t.proxy_phone IS NULL THEN t.reporter_id
                           ELSE (SELECT u.id FROM users u WHERE u.phone = t.proxy_phone
                                 AND u.phone_verified_at IS NOT NULL) END AS who
               FROM tickets t JOIN categories c ON c.id = t.category_id
               WHERE t.status = 'resolved' AND t.rating_asked_at > {since}) w
             WHERE w.who IS NOT NULL AND NOT EXISTS (SELECT 1 FROM reminders r
                 WHERE r.user_id = w.who AND r.kind = 'rating' AND r.ref_id = w.id
                   AND r.occasion = w.rating_asked_at AND r.status <> 'cancelled')
             ORDER BY w.id"
        ))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(RatingWait {
                    user: r.try_get("who")?,
                    ticket: r.try_get("id")?,
                    asked_at: r.try_get("rating_asked_at")?,
                    category: r.try_get("name_zh")?,
                })
            })
            .collect()
    }

    /// Grid workers and directors with no digest for the China day starting at `day`.
    pub async fn staff_without_digest(&self, day: i64) -> Result<Vec<i64>, sqlx::Error> {
        sqlx::query_scalar(&format!(
            "SELECT u.id FROM users u WHERE u.role IN ('grid_worker', 'director')
               AND NOT EXISTS (SELECT 1 FROM reminders r WHERE r.user_id = u.id
                   AND r.kind = 'digest' AND r.ref_id = {day})
             ORDER BY u.id"
        ))
        .fetch_all(&self.pool)
        .await
    }

    /// A staff member's digest counts at `now` (care visits are counted by the
    /// caller): fixes waiting for their check (as leader, fellow staff, or director of
    /// the community, by the category's rule; never their own fix), their open
    /// tickets raised as overdue (a director: the community's), and key sites of their
    /// grids (a director: the community's) past their inspection date.
    pub async fn digest_counts(&self, user: i64, now: i64) -> Result<DigestCounts, sqlx::Error> {
        let r = sqlx::query(&format!(
            "SELECT
               (SELECT COUNT(*) FROM tickets t JOIN categories c ON c.id = t.category_id
                WHERE t.status = 'checking' AND (t.resolved_by IS NULL OR t.resolved_by <> {user})
                  AND ((c.checker = 'leader' AND EXISTS (SELECT 1 FROM grid_staff g
                          WHERE g.grid_id = t.grid_id AND g.user_id = {user} AND g.duty = 'leader'))
                    OR (c.checker = 'other_staff' AND EXISTS (SELECT 1 FROM grid_staff g
                          WHERE g.grid_id = t.grid_id AND g.user_id = {user}))
                    OR (c.checker = 'director' AND t.community_id = (SELECT scope_grid_id
                          FROM users WHERE id = {user} AND role = 'director')))) AS checks,
               (SELECT COUNT(*) FROM tickets t
                WHERE t.status IN ('pending', 'accepted', 'in_progress') AND t.escalation > 0
                  AND (t.assignee_id = {user} OR t.community_id = (SELECT scope_grid_id
                          FROM users WHERE id = {user} AND role = 'director'))) AS overdue,
               (SELECT COUNT(*) FROM sites s WHERE s.active = 1 AND s.due_at < {now}
                  AND (s.grid_id IN (SELECT grid_id FROM grid_staff WHERE user_id = {user})
                    OR s.community_id = (SELECT scope_grid_id FROM users
                          WHERE id = {user} AND role = 'director'))) AS sites"
        ))
        .fetch_one(&self.pool)
        .await?;
        Ok(DigestCounts {
            checks: r.try_get("checks")?,
            overdue: r.try_get("overdue")?,
            visits: 0,
            sites: r.try_get("sites")?,
        })
    }

    /// Each person's choices (the defaults for those who never saved any).
    pub async fn reminder_prefs(&self, users: &[i64]) -> Result<HashMap<i64, Prefs>, sqlx::Error> {
        let mut out: HashMap<i64, Prefs> = users.iter().map(|u| (*u, Prefs::default())).collect();
        for chunk in users.chunks(5000).filter(|c| !c.is_empty()) {
            let rows = sqlx::query(&format!(
                "SELECT user_id AS id, in_app, push, sms, quiet_from, quiet_to
                 FROM reminder_prefs WHERE user_id IN ({})",
                chunk
                    .iter()
                    .map(i64::to_string)
                    .collect::<Vec<_>>()
                    .join(",")
            ))
            .fetch_all(&self.pool)
            .await?;
            for r in &rows {
                out.insert(r.try_get("id")?, prefs_from(r)?);
            }
        }
        Ok(out)
    }

    /// Writes planned reminders with their sending time and silence; a reminder
    /// planned before is left alone unless it was cancelled (then it stands again).
    /// Answers how many rows were written.
    pub async fn insert_reminders(
        &self,
        rows: &[(Planned, i64, bool)],
        now: i64,
    ) -> Result<u64, sqlx::Error> {
        let mut n = 0;
        let mut tx = self.pool.begin().await?;
        for chunk in rows.chunks(INSERT_CHUNK) {
            let values: Vec<String> = (0..chunk.len())
                .map(|i| {
                    let b = i * 12;
                    format!(
                        "(${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, 'planned', {now})",
                        b + 1, b + 2, b + 3, b + 4, b + 5, b + 6,
                        b + 7, b + 8, b + 9, b + 10, b + 11, b + 12
                    )
                })
                .collect();
            let sql = format!(
                "INSERT INTO reminders (user_id, kind, ref_id, occasion, due_at, send_at,
                     stale_at, silent, title, body, url, channels, status, created_at)
                 VALUES {}
                 ON CONFLICT (user_id, kind, ref_id, occasion) DO UPDATE SET
                     status = 'planned', due_at = excluded.due_at, send_at = excluded.send_at,
                     stale_at = excluded.stale_at, silent = excluded.silent,
                     title = excluded.title, body = excluded.body, url = excluded.url
                 WHERE reminders.status = 'cancelled'",
                values.join(", ")
            );
            let mut q = sqlx::query(&sql);
            for (p, send_at, silent) in chunk {
                q = q
                    .bind(p.user)
                    .bind(p.kind.as_str())
                    .bind(p.ref_id)
                    .bind(p.occasion)
                    .bind(p.due)
                    .bind(*send_at)
                    .bind(p.stale)
                    .bind(i64::from(*silent))
                    .bind(p.title.as_str())
                    .bind(p.body.as_str())
                    .bind(p.url.as_str())
                    .bind("");
            }
            n += q.execute(&mut *tx).await?.rows_affected();
        }
        tx.commit().await?;
        Ok(n)
    }

    /// A digest day with nothing due: recorded as such, so it is not worked out again.
    pub async fn digest_nothing(&self, user: i64, day: i64, now: i64) -> Result<(), sqlx::Error> {
        sqlx::query(
            "INSERT INTO reminders (user_id, kind, ref_id, occasion, due_at, send_at, stale_at,
                 title, body, url, status, created_at)
             VALUES ($1, 'digest', $2, $2, $3, $3, $3, '', '', '', 'cancelled', $3)
             ON CONFLICT (user_id, kind, ref_id, occasion) DO NOTHING",
        )
        .bind(user)
        .bind(day)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Claims for round `claim` the reminders whose sending time has come (and any a
    /// round left half-sent over five minutes ago); a row another process claimed
    /// first is skipped. Answers how many were claimed.
    pub async fn claim_reminders(
        &self,
        now: i64,
        limit: i64,
        claim: i64,
    ) -> Result<u64, sqlx::Error> {
        let lost = now - 5 * 60_000;
        let due = format!(
            "((status = 'planned' AND send_at <= {now}) OR (status = 'sending' AND sent_at < {lost}))"
        );
        Ok(sqlx::query(&format!(
            "UPDATE reminders SET status = 'sending', claim = $1, sent_at = {now}
             WHERE {due} AND id IN (SELECT id FROM reminders WHERE {due}
                                    ORDER BY send_at, id LIMIT {limit})"
        ))
        .bind(claim)
        .execute(&self.pool)
        .await?
        .rows_affected())
    }

    /// The reminders round `claim` took, with whether their subject still stands (a
    /// seated volunteer of a shift still on at that start; someone still expected at
    /// the meeting at that time; a fix still waiting for that rating), the person's
    /// choices and confirmed mobile.
    pub async fn claimed_reminders(&self, claim: i64) -> Result<Vec<DueReminder>, sqlx::Error> {
        let again = app::domain::reminder::RATING_AGAIN_MS;
        let rows = sqlx::query(&format!(
            "SELECT r.id, r.user_id, r.kind, r.ref_id, r.due_at, r.stale_at, r.silent, r.title,
                    r.body, r.url, p.in_app, p.push, p.sms, p.quiet_from, p.quiet_to,
                    CASE WHEN u.phone_verified_at IS NOT NULL THEN u.phone END AS mobile,
                    CAST(CASE
                      WHEN r.kind IN {SHIFT_KINDS} THEN
                        CASE WHEN EXISTS (SELECT 1 FROM shift_signups s JOIN shifts f ON f.id = s.shift_id
                          WHERE s.shift_id = r.ref_id AND s.user_id = r.user_id AND s.state = 'seated'
                            AND f.cancelled = 0 AND f.starts_at = r.occasion) THEN 1 ELSE 0 END
                      WHEN r.kind = 'meeting' THEN
                        CASE WHEN EXISTS (SELECT 1 FROM meeting_attendees a JOIN meetings m ON m.id = a.meeting_id
                          WHERE a.meeting_id = r.ref_id AND a.user_id = r.user_id
                            AND m.starts_at = r.occasion) THEN 1 ELSE 0 END
                      WHEN r.kind = 'rating' THEN
                        CASE WHEN EXISTS (SELECT 1 FROM tickets t WHERE t.id = r.ref_id
                          AND t.status = 'resolved' AND (t.rating_asked_at = r.occasion
                            OR t.rating_asked_at + {again} = r.occasion)) THEN 1 ELSE 0 END
                      ELSE 1 END AS BIGINT) AS live
             FROM reminders r JOIN users u ON u.id = r.user_id
             LEFT JOIN reminder_prefs p ON p.user_id = r.user_id
             WHERE r.status = 'sending' AND r.claim = $1
             ORDER BY r.send_at, r.id"
        ))
        .bind(claim)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let kind: String = r.try_get("kind")?;
                Ok(DueReminder {
                    id: r.try_get("id")?,
                    user: r.try_get("user_id")?,
                    kind: Kind::parse(&kind).ok_or_else(|| {
                        sqlx::Error::Decode(format!("reminder kind {kind}").into())
                    })?,
                    ref_id: r.try_get("ref_id")?,
                    due: r.try_get("due_at")?,
                    stale: r.try_get("stale_at")?,
                    silent: r.try_get::<i64, _>("silent")? != 0,
                    title: r.try_get("title")?,
                    body: r.try_get("body")?,
                    url: r.try_get("url")?,
                    live: r.try_get::<i64, _>("live")? != 0,
                    prefs: prefs_from(r)?,
                    mobile: r.try_get("mobile")?,
                })
            })
            .collect()
    }

    /// Records how due reminders ended, in one transaction.
    pub async fn reminders_done(&self, done: &[Outcome], now: i64) -> Result<(), sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        let mut cancelled = Vec::new();
        let mut stale = Vec::new();
        let mut later = Vec::new();
        let mut by_channels: HashMap<&str, Vec<i64>> = HashMap::new();
        for o in done {
            match o {
                Outcome::Sent(id, ch) => by_channels.entry(ch.as_str()).or_default().push(*id),
                Outcome::Cancelled(id) => cancelled.push(*id),
                Outcome::Stale(id) => stale.push(*id),
                Outcome::Postponed(id, at) => later.push((*id, *at)),
            }
        }
        for (id, at) in later {
            sqlx::query(
                "UPDATE reminders SET status = 'planned', claim = NULL, send_at = $1
                 WHERE status = 'sending' AND id = $2",
            )
            .bind(at)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        }
        for (ch, ids) in by_channels {
            for chunk in ids.chunks(5000) {
                sqlx::query(&format!(
                    "UPDATE reminders SET status = 'sent', channels = $1, sent_at = $2
                     WHERE status = 'sending' AND {}",
                    ids_in(chunk)
                ))
                .bind(ch)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            }
        }
        for (status, ids) in [("cancelled", cancelled), ("stale", stale)] {
            for chunk in ids.chunks(5000) {
                sqlx::query(&format!(
                    "UPDATE reminders SET status = '{status}' WHERE status = 'sending' AND {}",
                    ids_in(chunk)
                ))
                .execute(&mut *tx)
                .await?;
            }
        }
        tx.commit().await
    }

    /// Calls off the reminders not yet sent about a shift (for one person, or all).
    pub async fn cancel_shift_reminders(
        &self,
        shift: i64,
        user: Option<i64>,
    ) -> Result<u64, sqlx::Error> {
        Ok(sqlx::query(&format!(
            "UPDATE reminders SET status = 'cancelled'
             WHERE kind IN {SHIFT_KINDS} AND ref_id = $1 AND status = 'planned'
               AND ($2 = 0 OR user_id = $2)"
        ))
        .bind(shift)
        .bind(user.unwrap_or(0))
        .execute(&self.pool)
        .await?
        .rows_affected())
    }

    /// One's reminders sent since `since` by the in-app channel, newest first; marks
    /// them read, in the same transaction.
    pub async fn reminder_inbox(
        &self,
        user: i64,
        since: i64,
        limit: i64,
        now: i64,
    ) -> Result<Vec<InboxReminder>, sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        let rows = sqlx::query(&format!(
            "SELECT id, kind, title, body, url, sent_at, read_at FROM reminders
             WHERE user_id = $1 AND status = 'sent' AND sent_at > {since}
               AND (',' || channels || ',') LIKE '%,app,%'
             ORDER BY sent_at DESC, id DESC LIMIT {limit}"
        ))
        .bind(user)
        .fetch_all(&mut *tx)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let kind: String = r.try_get("kind")?;
            let Some(kind) = Kind::parse(&kind) else {
                continue;
            };
            out.push(InboxReminder {
                id: r.try_get("id")?,
                kind,
                title: r.try_get("title")?,
                body: r.try_get("body")?,
                url: r.try_get("url")?,
                sent_ms: r.try_get("sent_at")?,
                read: r.try_get::<Option<i64>, _>("read_at")?.is_some(),
            });
        }
        sqlx::query(
            "UPDATE reminders SET read_at = $2
             WHERE user_id = $1 AND status = 'sent' AND read_at IS NULL",
        )
        .bind(user)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(out)
    }

    /// How many of one's in-app reminders since `since` are unread.
    pub async fn unread_reminders(&self, user: i64, since: i64) -> Result<i64, sqlx::Error> {
        sqlx::query_scalar(&format!(
            "SELECT COUNT(*) FROM reminders
             WHERE user_id = $1 AND status = 'sent' AND sent_at > {since} AND read_at IS NULL
               AND (',' || channels || ',') LIKE '%,app,%'"
        ))
        .bind(user)
        .fetch_one(&self.pool)
        .await
    }

    /// Saves one's choices and moves one's reminders not yet sent: `retime` gives
    /// each (due, stale) its new sending time and silence. One transaction.
    pub async fn save_reminder_prefs(
        &self,
        user: i64,
        p: &Prefs,
        now: i64,
        retime: impl Fn(i64, i64) -> (i64, bool),
    ) -> Result<(), sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO reminder_prefs (user_id, in_app, push, sms, quiet_from, quiet_to, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)
             ON CONFLICT (user_id) DO UPDATE SET in_app = excluded.in_app, push = excluded.push,
                 sms = excluded.sms, quiet_from = excluded.quiet_from,
                 quiet_to = excluded.quiet_to, updated_at = excluded.updated_at",
        )
        .bind(user)
        .bind(i64::from(p.in_app))
        .bind(i64::from(p.push))
        .bind(i64::from(p.sms))
        .bind(p.quiet.from)
        .bind(p.quiet.to)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        let rows = sqlx::query(
            "SELECT id, due_at, stale_at FROM reminders WHERE user_id = $1 AND status = 'planned'",
        )
        .bind(user)
        .fetch_all(&mut *tx)
        .await?;
        for r in &rows {
            let (at, silent) = retime(r.try_get("due_at")?, r.try_get("stale_at")?);
            sqlx::query("UPDATE reminders SET send_at = $1, silent = $2 WHERE id = $3")
                .bind(at)
                .bind(i64::from(silent))
                .bind(r.try_get::<i64, _>("id")?)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await
    }

    /// The account's confirmed mobile number, if any.
    pub async fn confirmed_mobile(&self, user: i64) -> Result<Option<String>, sqlx::Error> {
        let phone: Option<Option<String>> = sqlx::query_scalar(
            "SELECT CASE WHEN phone_verified_at IS NOT NULL THEN phone END FROM users WHERE id = $1",
        )
        .bind(user)
        .fetch_optional(&self.pool)
        .await?;
        Ok(phone.flatten().filter(|p| is_mobile(p)))
    }

    /// Queues reminders by SMS (one message each, deduplicated by reminder).
    pub async fn queue_reminder_sms(
        &self,
        list: &[(i64, String, String)],
        now: i64,
    ) -> Result<(), sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        for (id, phone, params) in list {
            sqlx::query(
                "INSERT INTO sms_messages (dedup_key, purpose, ref_id, phone, params, status,
                                           attempts, next_try_at, created_at)
                 VALUES ($1, 'reminder', $2, $3, $4, 'queued', 0, $5, $5)
                 ON CONFLICT (dedup_key) DO NOTHING",
            )
            .bind(format!("reminder:{id}"))
            .bind(*id)
            .bind(phone.as_str())
            .bind(params.as_str())
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await
    }
}

/// A mainland mobile number (11 digits starting with 1), as SMS needs.
pub fn is_mobile(p: &str) -> bool {
    p.len() == 11 && p.starts_with('1') && p.bytes().all(|b| b.is_ascii_digit())
}
