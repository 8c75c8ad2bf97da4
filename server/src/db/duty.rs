//! The command centre's duty (值班): shifts, swaps, the duty log and handovers.
use super::Db;
use app::domain::duty::{DutyShift, LogKind, LogView, Person, Slot, SwapStatus, SwapView};
use app::domain::emergency::{
    ACK_MS, ESCALATE_MS, Mark, ON_SITE_MS, Ringing, Source, TimerFigures,
};
use app::domain::ticket::EventKind;
use app::domain::user::UserId;
use sqlx::Row;
use sqlx::any::AnyRow;

const SHIFT: &str = "SELECT s.id, s.scope_id, g.name AS scope, s.starts_at, s.ends_at,
        s.leader_id, l.name AS leader, s.officer_id, o.name AS officer,
        s.officer2_id, o2.name AS officer2
    FROM duty_shifts s JOIN grids g ON g.id = s.scope_id
    JOIN users l ON l.id = s.leader_id JOIN users o ON o.id = s.officer_id
    LEFT JOIN users o2 ON o2.id = s.officer2_id";

fn shift(r: &AnyRow) -> Result<DutyShift, sqlx::Error> {
    let mut officers = vec![Person {
        id: r.try_get("officer_id")?,
        name: r.try_get("officer")?,
    }];
    if let Some(id) = r.try_get::<Option<i64>, _>("officer2_id")? {
        officers.push(Person {
            id,
            name: r
                .try_get::<Option<String>, _>("officer2")?
                .unwrap_or_default(),
        });
    }
    Ok(DutyShift {
        id: r.try_get("id")?,
        scope_id: r.try_get("scope_id")?,
        scope: r.try_get("scope")?,
        starts_ms: r.try_get("starts_at")?,
        ends_ms: r.try_get("ends_at")?,
        leader: Person {
            id: r.try_get("leader_id")?,
            name: r.try_get("leader")?,
        },
        officers,
    })
}

/// A swap request as stored.
#[derive(Debug, Clone)]
pub struct SwapRow {
    pub id: i64,
    pub shift_id: i64,
    pub scope_id: i64,
    pub from: i64,
    pub to: i64,
    pub peer: bool,
    pub planner: bool,
    pub refused: bool,
    pub done: bool,
}

/// The street (level 1) and communities (level 2): (id, name, level, parent).
pub type ScopeRow = (i64, String, i64, Option<i64>);

impl Db {
    /// The street and its communities, the street first, then by code.
    pub async fn duty_scopes(&self) -> Result<Vec<ScopeRow>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT id, name, level, parent_id FROM grids WHERE level IN (1, 2) ORDER BY level, code",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    r.try_get("id")?,
                    r.try_get("name")?,
                    r.try_get("level")?,
                    r.try_get("parent_id")?,
                ))
            })
            .collect()
    }

    /// The parent of a grid, if any.
    pub async fn grid_parent(&self, grid: i64) -> Result<Option<i64>, sqlx::Error> {
        Ok(
            sqlx::query_scalar::<_, Option<i64>>("SELECT parent_id FROM grids WHERE id = $1")
                .bind(grid)
                .fetch_optional(&self.pool)
                .await?
                .flatten(),
        )
    }

    /// Staff who may be planned in a scope: for the street every grid worker, director
    /// and admin; for a community its director(s) and the workers of its grids. By name.
    pub async fn duty_candidates(
        &self,
        scope: i64,
        street: bool,
    ) -> Result<Vec<Person>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT u.id, u.name FROM users u
             WHERE u.role IN ('grid_worker', 'director', 'admin')
               AND ($2 = 1 OR u.scope_grid_id = $1
                    OR u.scope_grid_id IN (SELECT id FROM grids WHERE parent_id = $1))
             ORDER BY u.name, u.id",
        )
        .bind(scope)
        .bind(i64::from(street))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Person {
                    id: r.try_get("id")?,
                    name: r.try_get("name")?,
                })
            })
            .collect()
    }

    /// Replaces a scope's shifts that start in `[after, to)` with `slots` (those starting
    /// from `after` on), in one transaction; answers how many were written.
    pub async fn replace_duty_shifts(
        &self,
        scope: i64,
        after: i64,
        to: i64,
        slots: &[Slot],
        by: UserId,
    ) -> Result<usize, sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "DELETE FROM duty_shifts WHERE scope_id = $1 AND starts_at >= $2 AND starts_at < $3",
        )
        .bind(scope)
        .bind(after)
        .bind(to)
        .execute(&mut *tx)
        .await?;
        let mut n = 0;
        for s in slots
            .iter()
            .filter(|s| s.starts_ms >= after && s.starts_ms < to)
        {
            sqlx::query(
                "INSERT INTO duty_shifts (scope_id, starts_at, ends_at, leader_id, officer_id, officer2_id, planned_by)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(scope)
            .bind(s.starts_ms)
            .bind(s.ends_ms)
            .bind(s.leader)
            .bind(s.officers[0])
            .bind(s.officers.get(1).copied())
            .bind(by.0)
            .execute(&mut *tx)
            .await?;
            n += 1;
        }
        tx.commit().await?;
        Ok(n)
    }

    /// A scope's shifts overlapping `[from, to)`, in order.
    pub async fn duty_shifts(
        &self,
        scope: i64,
        from: i64,
        to: i64,
    ) -> Result<Vec<DutyShift>, sqlx::Error> {
        let rows = sqlx::query(&format!(
            "{SHIFT} WHERE s.scope_id = $1 AND s.ends_at > $2 AND s.starts_at < $3 ORDER BY s.starts_at"
        ))
        .bind(scope)
        .bind(from)
        .bind(to)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(shift).collect()
    }

    pub async fn duty_shift(&self, id: i64) -> Result<Option<DutyShift>, sqlx::Error> {
        self.shift_where("s.id = $1", &[id]).await
    }

    /// The first shift matching `filter` (bound to `args` in order), if any.
    async fn shift_where(
        &self,
        filter: &str,
        args: &[i64],
    ) -> Result<Option<DutyShift>, sqlx::Error> {
        let sql = format!("{SHIFT} WHERE {filter}");
        let mut q = sqlx::query(&sql);
        for a in args {
            q = q.bind(*a);
        }
        q.fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(shift)
            .transpose()
    }

    /// The scope's shift covering `at`.
    pub async fn duty_shift_at(
        &self,
        scope: i64,
        at: i64,
    ) -> Result<Option<DutyShift>, sqlx::Error> {
        self.shift_where(
            "s.scope_id = $1 AND s.starts_at <= $2 AND s.ends_at > $2",
            &[scope, at],
        )
        .await
    }

    /// The scope's shift that ended last at or before `start`.
    pub async fn duty_shift_before(
        &self,
        scope: i64,
        start: i64,
    ) -> Result<Option<DutyShift>, sqlx::Error> {
        self.shift_where(
            "s.scope_id = $1 AND s.ends_at <= $2 ORDER BY s.ends_at DESC LIMIT 1",
            &[scope, start],
        )
        .await
    }

    pub async fn insert_duty_swap(
        &self,
        shift: i64,
        from: i64,
        to: i64,
        reason: &str,
        now: i64,
    ) -> Result<i64, sqlx::Error> {
        sqlx::query_scalar(
            "INSERT INTO duty_swaps (shift_id, from_id, to_id, reason, asked_at)
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(shift)
        .bind(from)
        .bind(to)
        .bind(reason)
        .bind(now)
        .fetch_one(&self.pool)
        .await
    }

    /// Whether `from` already asks to hand this shift to someone (and nobody answered no).
    pub async fn duty_swap_waiting(&self, shift: i64, from: i64) -> Result<bool, sqlx::Error> {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM duty_swaps WHERE shift_id = $1 AND from_id = $2
             AND refused_at IS NULL AND done_at IS NULL",
        )
        .bind(shift)
        .bind(from)
        .fetch_one(&self.pool)
        .await?;
        Ok(n > 0)
    }

    pub async fn duty_swap(&self, id: i64) -> Result<Option<SwapRow>, sqlx::Error> {
        let r = sqlx::query(
            "SELECT w.id, w.shift_id, s.scope_id, w.from_id, w.to_id, w.peer_at, w.planner_at,
                    w.refused_at, w.done_at
             FROM duty_swaps w JOIN duty_shifts s ON s.id = w.shift_id WHERE w.id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        r.map(|r| {
            Ok(SwapRow {
                id: r.try_get("id")?,
                shift_id: r.try_get("shift_id")?,
                scope_id: r.try_get("scope_id")?,
                from: r.try_get("from_id")?,
                to: r.try_get("to_id")?,
                peer: r.try_get::<Option<i64>, _>("peer_at")?.is_some(),
                planner: r.try_get::<Option<i64>, _>("planner_at")?.is_some(),
                refused: r.try_get::<Option<i64>, _>("refused_at")?.is_some(),
                done: r.try_get::<Option<i64>, _>("done_at")?.is_some(),
            })
        })
        .transpose()
    }

    /// Records one yes (the other person's, or a planner's when `planner`); false when
    /// that yes was given already or the request is closed.
    pub async fn duty_swap_yes(
        &self,
        id: i64,
        planner: Option<UserId>,
        now: i64,
    ) -> Result<bool, sqlx::Error> {
        let sql = match planner {
            None => {
                "UPDATE duty_swaps SET peer_at = $1 WHERE id = $2 AND peer_at IS NULL
                     AND refused_at IS NULL AND done_at IS NULL AND $3 = 0"
            }
            Some(_) => {
                "UPDATE duty_swaps SET planner_at = $1, planner_id = $3 WHERE id = $2
                     AND planner_at IS NULL AND refused_at IS NULL AND done_at IS NULL"
            }
        };
        let done = sqlx::query(sql)
            .bind(now)
            .bind(id)
            .bind(planner.map_or(0, |p| p.0))
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    /// A no ends the request; false when it was closed already.
    pub async fn duty_swap_no(&self, id: i64, by: UserId, now: i64) -> Result<bool, sqlx::Error> {
        let done = sqlx::query(
            "UPDATE duty_swaps SET refused_by = $1, refused_at = $2
             WHERE id = $3 AND refused_at IS NULL AND done_at IS NULL",
        )
        .bind(by.0)
        .bind(now)
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// With both yeses: puts `to` in `from`'s place on the shift and closes the request,
    /// in one transaction; false when it was applied already.
    pub async fn apply_duty_swap(&self, w: &SwapRow, now: i64) -> Result<bool, sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        let closed = sqlx::query(
            "UPDATE duty_swaps SET done_at = $1 WHERE id = $2 AND done_at IS NULL
             AND refused_at IS NULL AND peer_at IS NOT NULL AND planner_at IS NOT NULL",
        )
        .bind(now)
        .bind(w.id)
        .execute(&mut *tx)
        .await?;
        if closed.rows_affected() != 1 {
            return Ok(false);
        }
        sqlx::query(
            "UPDATE duty_shifts SET
                leader_id = CASE WHEN leader_id = $1 THEN $2 ELSE leader_id END,
                officer_id = CASE WHEN officer_id = $1 THEN $2 ELSE officer_id END,
                officer2_id = CASE WHEN officer2_id = $1 THEN $2 ELSE officer2_id END
             WHERE id = $3",
        )
        .bind(w.from)
        .bind(w.to)
        .bind(w.shift_id)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Swap requests on a scope's shifts still to come (and those decided in the last
    /// week), newest first; `involving` keeps only those of one person.
    pub async fn duty_swaps(
        &self,
        scope: i64,
        since: i64,
        involving: Option<i64>,
    ) -> Result<Vec<SwapView>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT w.id, w.shift_id, s.starts_at, w.from_id, f.name AS from_name, w.to_id,
                    t.name AS to_name, w.reason, w.peer_at, w.planner_at, w.refused_at, w.done_at
             FROM duty_swaps w JOIN duty_shifts s ON s.id = w.shift_id
             JOIN users f ON f.id = w.from_id JOIN users t ON t.id = w.to_id
             WHERE s.scope_id = $1 AND (s.starts_at >= $2 OR w.asked_at >= $2)
               AND ($3 = 0 OR w.from_id = $3 OR w.to_id = $3)
             ORDER BY w.asked_at DESC, w.id DESC LIMIT 100",
        )
        .bind(scope)
        .bind(since)
        .bind(involving.unwrap_or(0))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let got = |c: &str| r.try_get::<Option<i64>, _>(c).map(|v| v.is_some());
                let status = if got("done_at")? {
                    SwapStatus::Done
                } else {
                    SwapStatus::of(got("peer_at")?, got("planner_at")?, got("refused_at")?)
                };
                Ok(SwapView {
                    id: r.try_get("id")?,
                    shift_id: r.try_get("shift_id")?,
                    starts_ms: r.try_get("starts_at")?,
                    from: Person {
                        id: r.try_get("from_id")?,
                        name: r.try_get("from_name")?,
                    },
                    to: Person {
                        id: r.try_get("to_id")?,
                        name: r.try_get("to_name")?,
                    },
                    reason: r.try_get("reason")?,
                    status,
                    may_answer: false,
                })
            })
            .collect()
    }

    pub async fn insert_duty_log(
        &self,
        scope: i64,
        kind: LogKind,
        body: &str,
        ticket: Option<i64>,
        by: UserId,
        now: i64,
    ) -> Result<i64, sqlx::Error> {
        sqlx::query_scalar(
            "INSERT INTO duty_log (scope_id, kind, body, ticket_id, by_id, created_at)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(scope)
        .bind(kind.as_str())
        .bind(body)
        .bind(ticket)
        .bind(by.0)
        .bind(now)
        .fetch_one(&self.pool)
        .await
    }

    /// A scope's open entries (all of them) and the entries of the last `since` on, newest
    /// first.
    pub async fn duty_log(&self, scope: i64, since: i64) -> Result<Vec<LogView>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT d.id, d.kind, d.body, d.ticket_id, b.name AS by_name, d.created_at,
                    c.name AS closed_name, d.closed_at
             FROM duty_log d JOIN users b ON b.id = d.by_id LEFT JOIN users c ON c.id = d.closed_by
             WHERE d.scope_id = $1 AND (d.closed_at IS NULL OR d.created_at >= $2)
             ORDER BY CASE WHEN d.closed_at IS NULL THEN 0 ELSE 1 END, d.created_at DESC, d.id DESC
             LIMIT 200",
        )
        .bind(scope)
        .bind(since)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let kind: String = r.try_get("kind")?;
                let closed = match (
                    r.try_get::<Option<String>, _>("closed_name")?,
                    r.try_get::<Option<i64>, _>("closed_at")?,
                ) {
                    (Some(n), Some(t)) => Some((n, t)),
                    _ => None,
                };
                Ok(LogView {
                    id: r.try_get("id")?,
                    kind: LogKind::parse(&kind).unwrap_or(LogKind::Received),
                    body: r.try_get("body")?,
                    ticket: r.try_get("ticket_id")?,
                    by: r.try_get("by_name")?,
                    at_ms: r.try_get("created_at")?,
                    closed,
                })
            })
            .collect()
    }

    /// An entry's scope and whether it is open.
    pub async fn duty_log_entry(&self, id: i64) -> Result<Option<(i64, bool)>, sqlx::Error> {
        let r = sqlx::query("SELECT scope_id, closed_at FROM duty_log WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        r.map(|r| {
            Ok((
                r.try_get("scope_id")?,
                r.try_get::<Option<i64>, _>("closed_at")?.is_none(),
            ))
        })
        .transpose()
    }

    pub async fn close_duty_log(&self, id: i64, by: UserId, now: i64) -> Result<bool, sqlx::Error> {
        let done = sqlx::query(
            "UPDATE duty_log SET closed_by = $1, closed_at = $2 WHERE id = $3 AND closed_at IS NULL",
        )
        .bind(by.0)
        .bind(now)
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    pub async fn open_duty_log(&self, scope: i64) -> Result<i64, sqlx::Error> {
        sqlx::query_scalar(
            "SELECT COUNT(*) FROM duty_log WHERE scope_id = $1 AND closed_at IS NULL",
        )
        .bind(scope)
        .fetch_one(&self.pool)
        .await
    }

    /// Who acknowledged the handover to a shift, and when.
    pub async fn duty_handover(
        &self,
        to_shift: i64,
    ) -> Result<Option<(String, i64, i64)>, sqlx::Error> {
        let r = sqlx::query(
            "SELECT u.name, h.acked_at, h.open_items FROM duty_handovers h
             JOIN users u ON u.id = h.acked_by WHERE h.to_shift_id = $1",
        )
        .bind(to_shift)
        .fetch_optional(&self.pool)
        .await?;
        r.map(|r| {
            Ok((
                r.try_get("name")?,
                r.try_get("acked_at")?,
                r.try_get("open_items")?,
            ))
        })
        .transpose()
    }

    /// Records the acknowledgement once; false when it was given already.
    pub async fn ack_duty_handover(
        &self,
        to_shift: i64,
        from_shift: i64,
        open: i64,
        by: UserId,
        now: i64,
    ) -> Result<bool, sqlx::Error> {
        let done = sqlx::query(
            "INSERT INTO duty_handovers (to_shift_id, from_shift_id, open_items, acked_by, acked_at)
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (to_shift_id) DO NOTHING",
        )
        .bind(to_shift)
        .bind(from_shift)
        .bind(open)
        .bind(by.0)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Starts an emergency's clocks and rings `rings`, in one transaction; `None` when
    /// this source rang already.
    #[allow(clippy::too_many_arguments)]
    pub async fn open_emergency(
        &self,
        source: Source,
        source_id: i64,
        subject: i64,
        scope: Option<i64>,
        title: &str,
        now: i64,
        rings: &[i64],
    ) -> Result<Option<i64>, sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        let id: Option<i64> = sqlx::query_scalar(
            "INSERT INTO emergencies (source, source_id, subject_id, scope_id, title, started_at)
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (source, source_id, subject_id) DO NOTHING RETURNING id",
        )
        .bind(source.as_str())
        .bind(source_id)
        .bind(subject)
        .bind(scope)
        .bind(title)
        .bind(now)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(id) = id else {
            return Ok(None);
        };
        for u in rings {
            sqlx::query("INSERT INTO emergency_rings (emergency_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                .bind(id)
                .bind(u)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(Some(id))
    }

    pub async fn emergency(&self, id: i64) -> Result<Option<EmergencyRow>, sqlx::Error> {
        let r = sqlx::query(&format!("{EMERGENCY} WHERE e.id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        r.as_ref().map(emergency).transpose()
    }

    /// Whether `user` was rung for this emergency.
    pub async fn rung(&self, id: i64, user: i64) -> Result<bool, sqlx::Error> {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM emergency_rings WHERE emergency_id = $1 AND user_id = $2",
        )
        .bind(id)
        .bind(user)
        .fetch_one(&self.pool)
        .await?;
        Ok(n > 0)
    }

    /// Records one timer's step — the acknowledgement, someone on site (with where, when
    /// known) or the escalation with whom it now rings — and its mark on the ticket's
    /// timeline, in one transaction; false when that step was taken already.
    pub async fn emergency_step(
        &self,
        e: &EmergencyRow,
        step: EmergencyStep<'_>,
        mark: Mark,
        now: i64,
    ) -> Result<bool, sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        let (by, done) = match step {
            EmergencyStep::Ack(by) => (
                Some(by.0),
                sqlx::query("UPDATE emergencies SET acked_by = $1, acked_at = $2 WHERE id = $3 AND acked_at IS NULL")
                    .bind(by.0)
                    .bind(now)
                    .bind(e.id)
                    .execute(&mut *tx)
                    .await?,
            ),
            EmergencyStep::OnSite(by, Some((lat, lng))) => (
                Some(by.0),
                sqlx::query(
                    "UPDATE emergencies SET on_site_by = $1, on_site_at = $2, on_site_lat = $3, on_site_lng = $4
                     WHERE id = $5 AND on_site_at IS NULL",
                )
                .bind(by.0)
                .bind(now)
                .bind(lat)
                .bind(lng)
                .bind(e.id)
                .execute(&mut *tx)
                .await?,
            ),
            // No position: NULLs written in the statement, never bound as floats.
            EmergencyStep::OnSite(by, None) => (
                Some(by.0),
                sqlx::query("UPDATE emergencies SET on_site_by = $1, on_site_at = $2 WHERE id = $3 AND on_site_at IS NULL")
                    .bind(by.0)
                    .bind(now)
                    .bind(e.id)
                    .execute(&mut *tx)
                    .await?,
            ),
            EmergencyStep::Escalate(rings) => {
                let done = sqlx::query("UPDATE emergencies SET escalated_at = $1 WHERE id = $2 AND escalated_at IS NULL")
                    .bind(now)
                    .bind(e.id)
                    .execute(&mut *tx)
                    .await?;
                if done.rows_affected() == 1 {
                    for u in rings {
                        sqlx::query("INSERT INTO emergency_rings (emergency_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                            .bind(e.id)
                            .bind(u)
                            .execute(&mut *tx)
                            .await?;
                    }
                }
                (None, done)
            }
        };
        if done.rows_affected() != 1 {
            return Ok(false);
        }
        if e.source == Source::Ticket {
            sqlx::query(
                "INSERT INTO ticket_events (ticket_id, actor_id, kind, status, note, at)
                 SELECT id, $1, $2, status, '', $3 FROM tickets WHERE id = $4",
            )
            .bind(by)
            .bind(EventKind::Timer(mark).as_string())
            .bind(now)
            .bind(e.source_id)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    /// Emergencies five minutes old, not answered or nobody on site, not escalated (a
    /// day back at most).
    pub async fn emergencies_to_escalate(
        &self,
        now: i64,
    ) -> Result<Vec<EmergencyRow>, sqlx::Error> {
        let rows = sqlx::query(&format!(
            "{EMERGENCY} WHERE e.escalated_at IS NULL AND e.started_at <= $1 AND e.started_at > $2
               AND (e.acked_at IS NULL OR e.on_site_at IS NULL) ORDER BY e.started_at"
        ))
        .bind(now - ESCALATE_MS)
        .bind(now - 86_400_000)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(emergency).collect()
    }

    /// The emergencies ringing `user` now: still missing an answer or someone on site,
    /// from the last `since` on; newest first.
    pub async fn ringing(&self, user: i64, since: i64) -> Result<Vec<Ringing>, sqlx::Error> {
        let rows = sqlx::query(&format!(
            "{EMERGENCY} JOIN emergency_rings r ON r.emergency_id = e.id
             WHERE r.user_id = $1 AND e.started_at >= $2
               AND (e.acked_at IS NULL OR e.on_site_at IS NULL)
             ORDER BY e.started_at DESC LIMIT 20"
        ))
        .bind(user)
        .bind(since)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|r| emergency(r).map(|e| e.view)).collect()
    }

    /// Emergencies still running (no answer or nobody on site) in a community, or
    /// anywhere (`None`), from `since` on; newest first.
    pub async fn running_emergencies(
        &self,
        scope: Option<i64>,
        since: i64,
    ) -> Result<Vec<Ringing>, sqlx::Error> {
        let rows = sqlx::query(&format!(
            "{EMERGENCY} WHERE e.started_at >= $1 AND (e.acked_at IS NULL OR e.on_site_at IS NULL)
               AND ($2 = 0 OR e.scope_id = $2)
             ORDER BY e.started_at DESC LIMIT 20"
        ))
        .bind(since)
        .bind(scope.unwrap_or(0))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|r| emergency(r).map(|e| e.view)).collect()
    }

    /// How often the timers were met for emergencies that rang in `[from, to)`, in one
    /// community (`Some`) or the whole street.
    pub async fn timer_figures(
        &self,
        scope: Option<i64>,
        from: i64,
        to: i64,
    ) -> Result<TimerFigures, sqlx::Error> {
        let r = sqlx::query(
            "SELECT COUNT(*) AS rung,
                    COALESCE(SUM(CASE WHEN acked_at IS NOT NULL AND acked_at - started_at <= $1 THEN 1 ELSE 0 END), 0) AS ack,
                    COALESCE(SUM(CASE WHEN on_site_at IS NOT NULL AND on_site_at - started_at <= $2 THEN 1 ELSE 0 END), 0) AS on_site,
                    COALESCE(SUM(CASE WHEN escalated_at IS NULL THEN 0 ELSE 1 END), 0) AS escalated
             FROM emergencies WHERE started_at >= $3 AND started_at < $4 AND ($5 = 0 OR scope_id = $5)",
        )
        .bind(ACK_MS)
        .bind(ON_SITE_MS)
        .bind(from)
        .bind(to)
        .bind(scope.unwrap_or(0))
        .fetch_one(&self.pool)
        .await?;
        Ok(TimerFigures {
            rung: r.try_get("rung")?,
            ack_in_time: r.try_get("ack")?,
            on_site_in_time: r.try_get("on_site")?,
            escalated: r.try_get("escalated")?,
        })
    }

    /// The directors of a community.
    pub async fn directors_of(&self, scope: i64) -> Result<Vec<i64>, sqlx::Error> {
        sqlx::query_scalar("SELECT id FROM users WHERE role = 'director' AND scope_grid_id = $1")
            .bind(scope)
            .fetch_all(&self.pool)
            .await
    }

    /// The street's admins (rung when nobody is on duty anywhere).
    pub async fn admins(&self) -> Result<Vec<i64>, sqlx::Error> {
        sqlx::query_scalar("SELECT id FROM users WHERE role = 'admin' ORDER BY id")
            .fetch_all(&self.pool)
            .await
    }
}

const EMERGENCY: &str = "SELECT e.id, e.source, e.source_id, e.scope_id, e.title, e.started_at,
        a.name AS acked_name, e.acked_at, o.name AS on_site_name, e.on_site_at, e.escalated_at
    FROM emergencies e LEFT JOIN users a ON a.id = e.acked_by LEFT JOIN users o ON o.id = e.on_site_by";

/// An emergency as stored, with what its people see.
#[derive(Debug, Clone)]
pub struct EmergencyRow {
    pub id: i64,
    pub source: Source,
    pub source_id: i64,
    pub scope: Option<i64>,
    pub view: Ringing,
}

/// One step of an emergency's timers.
pub enum EmergencyStep<'a> {
    Ack(UserId),
    OnSite(UserId, Option<(f64, f64)>),
    /// With whom it now rings too.
    Escalate(&'a [i64]),
}

fn emergency(r: &AnyRow) -> Result<EmergencyRow, sqlx::Error> {
    let both = |name: &str, at: &str| -> Result<Option<(String, i64)>, sqlx::Error> {
        Ok(
            match (
                r.try_get::<Option<String>, _>(name)?,
                r.try_get::<Option<i64>, _>(at)?,
            ) {
                (Some(n), Some(t)) => Some((n, t)),
                _ => None,
            },
        )
    };
    let id: i64 = r.try_get("id")?;
    let source_id: i64 = r.try_get("source_id")?;
    let source: String = r.try_get("source")?;
    let source =
        Source::parse(&source).ok_or_else(|| sqlx::Error::Decode("emergency source".into()))?;
    Ok(EmergencyRow {
        id,
        source,
        source_id,
        scope: r.try_get("scope_id")?,
        view: Ringing {
            id,
            source,
            source_id,
            title: r.try_get("title")?,
            started_ms: r.try_get("started_at")?,
            acked: both("acked_name", "acked_at")?,
            on_site: both("on_site_name", "on_site_at")?,
            escalated: r.try_get::<Option<i64>, _>("escalated_at")?.is_some(),
        },
    })
}
