//! The work log (民情日志), its problems and comments, and care objects with their
//! plans and visits.
use super::Db;
use app::domain::grid::GridId;
use app::domain::resident::Tag;
use app::domain::user::UserId;
use app::domain::worklog::{
    CareTags, CheckedEntry, CommentView, Cycle, How, LogEntry, ProblemView, Visitor,
};
use sqlx::Row;
use std::collections::HashMap;

/// The setting naming the tags cared for (see [`CareTags::parse`]).
pub const CARE_TAGS: &str = "care_tags";

/// Which entries to read.
#[derive(Debug, Clone, Default)]
pub struct LogFilter {
    /// Only these grids (`None`: all).
    pub grids: Option<Vec<GridId>>,
    pub worker: Option<UserId>,
    pub resident: Option<i64>,
}

/// A care object: a resident with a cared-for tag, with the plan in force.
#[derive(Debug, Clone)]
pub struct CareObject {
    pub resident: i64,
    pub name: String,
    pub grid: GridId,
    pub grid_name: String,
    pub tags: Vec<Tag>,
    pub cycle: Cycle,
    pub visitor: Option<(UserId, String)>,
    pub needs: String,
    /// When the plan began (its row, else the registry's last update).
    pub since: i64,
}

/// `IN (…)` over validated ids, written into the statement (ids are integers).
fn id_list<T: Copy>(ids: &[T], f: impl Fn(T) -> i64) -> String {
    if ids.is_empty() {
        return "(NULL)".into();
    }
    let list: Vec<String> = ids.iter().map(|i| f(*i).to_string()).collect();
    format!("({})", list.join(","))
}

/// A float written into a statement: the Any driver on PostgreSQL keeps a NULL float's
/// wrong type in its statement cache, so validated numbers go in as text.
fn float_or_null(v: Option<f64>) -> String {
    v.filter(|f| f.is_finite())
        .map_or_else(|| "NULL".to_owned(), |f| format!("{f:?}"))
}

impl Db {
    pub async fn worklog_by_key(
        &self,
        worker: UserId,
        key: &str,
    ) -> Result<Option<i64>, sqlx::Error> {
        sqlx::query_scalar(
            "SELECT id FROM worklog_entries WHERE worker_id = $1 AND idempotency_key = $2",
        )
        .bind(worker.0)
        .bind(key)
        .fetch_optional(&self.pool)
        .await
    }

    /// The entry with its problems, in one transaction.
    pub async fn insert_worklog(
        &self,
        worker: UserId,
        grid: GridId,
        e: &CheckedEntry,
        key: &str,
        now: i64,
    ) -> Result<i64, sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        let (lat, lng) = (
            float_or_null(e.at.map(|a| a.0)),
            float_or_null(e.at.map(|a| a.1)),
        );
        let id: i64 = sqlx::query_scalar(&format!(
            "INSERT INTO worklog_entries (worker_id, grid_id, resident_id, subject, how, heard,
             lat, lng, idempotency_key, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, {lat}, {lng}, $7, $8) RETURNING id"
        ))
        .bind(worker.0)
        .bind(grid.0)
        .bind(e.resident)
        .bind(&e.subject)
        .bind(e.how.as_str())
        .bind(&e.heard)
        .bind(key)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        for p in &e.problems {
            sqlx::query(
                "INSERT INTO worklog_problems (entry_id, category_id, note, solved)
                 VALUES ($1, $2, $3, $4)",
            )
            .bind(id)
            .bind(p.category)
            .bind(&p.note)
            .bind(i64::from(p.solved))
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(id)
    }

    /// A registered resident's grid and name.
    pub async fn resident_grid(
        &self,
        resident: i64,
    ) -> Result<Option<(GridId, String)>, sqlx::Error> {
        let row = sqlx::query("SELECT grid_id, name FROM residents WHERE id = $1")
            .bind(resident)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| Ok((GridId(r.try_get("grid_id")?), r.try_get("name")?)))
            .transpose()
    }

    /// Newest first, at most `limit`, with their problems and comments.
    pub async fn worklog(
        &self,
        f: &LogFilter,
        viewer: UserId,
        limit: i64,
    ) -> Result<Vec<LogEntry>, sqlx::Error> {
        let grids = f.grids.as_ref().map_or_else(String::new, |g| {
            format!("AND e.grid_id IN {}", id_list(g, |g| g.0))
        });
        let rows = sqlx::query(&format!(
            "SELECT e.id, e.created_at, e.worker_id, u.name AS worker, e.grid_id, g.name AS grid,
                    e.resident_id, COALESCE(r.name, e.subject) AS whom, e.subject, e.how,
                    e.heard, e.lat, e.lng
             FROM worklog_entries e JOIN users u ON u.id = e.worker_id
             JOIN grids g ON g.id = e.grid_id
             LEFT JOIN residents r ON r.id = e.resident_id
             WHERE ($1 = 0 OR e.worker_id = $1) AND ($2 = 0 OR e.resident_id = $2) {grids}
             ORDER BY e.created_at DESC, e.id DESC LIMIT $3"
        ))
        .bind(f.worker.map_or(0, |w| w.0))
        .bind(f.resident.unwrap_or(0))
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let how: String = r.try_get("how")?;
            let lat: Option<f64> = r.try_get("lat")?;
            let lng: Option<f64> = r.try_get("lng")?;
            out.push(LogEntry {
                id: r.try_get("id")?,
                at_ms: r.try_get("created_at")?,
                worker: r.try_get("worker")?,
                mine: r.try_get::<i64, _>("worker_id")? == viewer.0,
                grid_id: r.try_get("grid_id")?,
                grid: r.try_get("grid")?,
                resident: r.try_get("resident_id")?,
                whom: r.try_get("whom")?,
                how: How::parse(&how).unwrap_or(How::Other),
                heard: r.try_get("heard")?,
                at: lat.zip(lng),
                problems: Vec::new(),
                comments: Vec::new(),
            });
        }
        if out.is_empty() {
            return Ok(out);
        }
        let ids = id_list(&out.iter().map(|e| e.id).collect::<Vec<_>>(), |i| i);
        let mut problems: HashMap<i64, Vec<ProblemView>> = HashMap::new();
        for r in sqlx::query(&format!(
            "SELECT p.id, p.entry_id, p.category_id, c.name_zh, c.name_en, p.note, p.solved,
                    p.ticket_id
             FROM worklog_problems p JOIN categories c ON c.id = p.category_id
             WHERE p.entry_id IN {ids} ORDER BY p.id"
        ))
        .fetch_all(&self.pool)
        .await?
        {
            problems
                .entry(r.try_get("entry_id")?)
                .or_default()
                .push(ProblemView {
                    id: r.try_get("id")?,
                    category_id: r.try_get("category_id")?,
                    category: r.try_get("name_zh")?,
                    category_en: r.try_get("name_en")?,
                    note: r.try_get("note")?,
                    solved: r.try_get::<i64, _>("solved")? != 0,
                    ticket: r.try_get("ticket_id")?,
                });
        }
        let mut comments: HashMap<i64, Vec<CommentView>> = HashMap::new();
        for r in sqlx::query(&format!(
            "SELECT m.entry_id, u.name, m.body, m.created_at FROM worklog_comments m
             JOIN users u ON u.id = m.author_id WHERE m.entry_id IN {ids} ORDER BY m.id"
        ))
        .fetch_all(&self.pool)
        .await?
        {
            comments
                .entry(r.try_get("entry_id")?)
                .or_default()
                .push(CommentView {
                    author: r.try_get("name")?,
                    body: r.try_get("body")?,
                    at_ms: r.try_get("created_at")?,
                });
        }
        for e in &mut out {
            e.problems = problems.remove(&e.id).unwrap_or_default();
            e.comments = comments.remove(&e.id).unwrap_or_default();
        }
        Ok(out)
    }

    /// An entry's grid, if it exists.
    pub async fn worklog_grid(&self, entry: i64) -> Result<Option<GridId>, sqlx::Error> {
        Ok(
            sqlx::query_scalar::<_, i64>("SELECT grid_id FROM worklog_entries WHERE id = $1")
                .bind(entry)
                .fetch_optional(&self.pool)
                .await?
                .map(GridId),
        )
    }

    pub async fn insert_worklog_comment(
        &self,
        entry: i64,
        author: UserId,
        body: &str,
        now: i64,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(
            "INSERT INTO worklog_comments (entry_id, author_id, body, created_at)
             VALUES ($1, $2, $3, $4)",
        )
        .bind(entry)
        .bind(author.0)
        .bind(body)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Links an open problem of one of `worker`'s entries to the ticket made from it;
    /// `false` when it is not theirs, was solved, or already has its ticket.
    pub async fn link_problem_ticket(
        &self,
        problem: i64,
        worker: UserId,
        ticket: i64,
    ) -> Result<bool, sqlx::Error> {
        let done = sqlx::query(
            "UPDATE worklog_problems SET ticket_id = $1
             WHERE id = $2 AND ticket_id IS NULL AND solved = 0
               AND entry_id IN (SELECT id FROM worklog_entries WHERE worker_id = $3)",
        )
        .bind(ticket)
        .bind(problem)
        .bind(worker.0)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Whether a problem is `worker`'s own, not solved and not yet a ticket.
    pub async fn problem_open_for(
        &self,
        problem: i64,
        worker: UserId,
    ) -> Result<bool, sqlx::Error> {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM worklog_problems p JOIN worklog_entries e ON e.id = p.entry_id
             WHERE p.id = $1 AND e.worker_id = $2 AND p.ticket_id IS NULL AND p.solved = 0",
        )
        .bind(problem)
        .bind(worker.0)
        .fetch_one(&self.pool)
        .await?;
        Ok(n > 0)
    }

    /// Care objects in these grids (`None`: all), or only those `visitor` visits, with
    /// the plan in force: a director's, else the defaults (cycle by tag, the grid's
    /// 网格长 visiting).
    /// The tags cared for (an admin's setting; the defaults until one is saved).
    pub async fn care_tags(&self) -> Result<CareTags, sqlx::Error> {
        Ok(self
            .setting(CARE_TAGS)
            .await?
            .and_then(|s| CareTags::parse(&s))
            .unwrap_or_default())
    }

    pub async fn care_objects(
        &self,
        grids: Option<&[GridId]>,
        visitor: Option<UserId>,
    ) -> Result<Vec<CareObject>, sqlx::Error> {
        let within = grids.map_or_else(String::new, |g| {
            format!("AND r.grid_id IN {}", id_list(g, |g| g.0))
        });
        let care_tags = self.care_tags().await?;
        if care_tags.0.is_empty() {
            return Ok(Vec::new());
        }
        // Tag names are the enum's fixed spellings, never input.
        let cared: Vec<String> = care_tags
            .0
            .iter()
            .map(|(t, _)| format!("(',' || r.tags || ',') LIKE '%,{},%'", t.as_str()))
            .collect();
        let rows = sqlx::query(&format!(
            "SELECT r.id, r.name, r.grid_id, g.name AS grid_name, r.tags, r.updated_at,
                    p.cycle, p.needs, p.updated_at AS plan_at,
                    COALESCE(p.visitor_id, s.user_id) AS visitor_id, v.name AS visitor
             FROM residents r JOIN grids g ON g.id = r.grid_id
             LEFT JOIN care_plans p ON p.resident_id = r.id
             LEFT JOIN grid_staff s ON s.grid_id = r.grid_id AND s.duty = 'leader'
             LEFT JOIN users v ON v.id = COALESCE(p.visitor_id, s.user_id)
             WHERE ({}) {within} AND ($1 = 0 OR COALESCE(p.visitor_id, s.user_id) = $1)
             ORDER BY g.name, r.name, r.id",
            cared.join(" OR ")
        ))
        .bind(visitor.map_or(0, |v| v.0))
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let tags = Tag::split(&r.try_get::<String, _>("tags")?);
            let planned: Option<String> = r.try_get("cycle")?;
            let Some(cycle) = planned
                .as_deref()
                .and_then(Cycle::parse)
                .or_else(|| care_tags.cycle_for(&tags))
            else {
                continue;
            };
            let visitor_id: Option<i64> = r.try_get("visitor_id")?;
            let visitor: Option<String> = r.try_get("visitor")?;
            let plan_at: Option<i64> = r.try_get("plan_at")?;
            out.push(CareObject {
                resident: r.try_get("id")?,
                name: r.try_get("name")?,
                grid: GridId(r.try_get("grid_id")?),
                grid_name: r.try_get("grid_name")?,
                tags,
                cycle,
                visitor: visitor_id.map(UserId).zip(visitor),
                needs: r.try_get::<Option<String>, _>("needs")?.unwrap_or_default(),
                since: plan_at.unwrap_or(r.try_get("updated_at")?),
            });
        }
        Ok(out)
    }

    /// Who a care plan may name as visitor in these grids: each grid's staff, and the
    /// volunteers living there whose number a staff member confirmed.
    pub async fn care_visitors(
        &self,
        grids: Option<&[GridId]>,
    ) -> Result<Vec<Visitor>, sqlx::Error> {
        let (staff_in, home_in) = grids.map_or_else(Default::default, |g| {
            let list = id_list(g, |g| g.0);
            (
                format!("WHERE s.grid_id IN {list}"),
                format!("AND r.grid_id IN {list}"),
            )
        });
        let rows = sqlx::query(&format!(
            "SELECT DISTINCT s.grid_id, u.id, u.name, CAST(0 AS BIGINT) AS volunteer
             FROM grid_staff s JOIN users u ON u.id = s.user_id {staff_in}
             UNION
             SELECT DISTINCT r.grid_id, u.id, u.name, CAST(1 AS BIGINT) AS volunteer
             FROM users u JOIN residents r ON r.phone = u.phone
             WHERE u.volunteer = 1 AND u.role = 'resident'
               AND u.phone_verified_at IS NOT NULL {home_in}
             ORDER BY 1, 4, 3, 2"
        ))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Visitor {
                    grid: r.try_get("grid_id")?,
                    id: r.try_get("id")?,
                    name: r.try_get("name")?,
                    volunteer: r.try_get::<i64, _>("volunteer")? != 0,
                })
            })
            .collect()
    }

    /// Visits in person (上门) to registered residents in `[from, to)`.
    pub async fn care_visits(
        &self,
        from: i64,
        to: i64,
    ) -> Result<HashMap<i64, Vec<i64>>, sqlx::Error> {
        let mut out: HashMap<i64, Vec<i64>> = HashMap::new();
        for r in sqlx::query(
            "SELECT resident_id, created_at FROM worklog_entries
             WHERE how = 'visit' AND resident_id IS NOT NULL AND created_at >= $1 AND created_at < $2",
        )
        .bind(from)
        .bind(to)
        .fetch_all(&self.pool)
        .await?
        {
            out.entry(r.try_get("resident_id")?)
                .or_default()
                .push(r.try_get("created_at")?);
        }
        Ok(out)
    }

    /// Each resident's last visit in person.
    pub async fn last_visits(&self) -> Result<HashMap<i64, i64>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT resident_id, MAX(created_at) AS at FROM worklog_entries
             WHERE how = 'visit' AND resident_id IS NOT NULL GROUP BY resident_id",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("resident_id")?, r.try_get("at")?)))
            .collect()
    }

    pub async fn save_care_plan(
        &self,
        resident: i64,
        cycle: Cycle,
        visitor: Option<UserId>,
        needs: &str,
        by: UserId,
        now: i64,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(
            "INSERT INTO care_plans (resident_id, cycle, visitor_id, needs, updated_by, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (resident_id) DO UPDATE SET cycle = excluded.cycle,
               visitor_id = excluded.visitor_id, needs = excluded.needs,
               updated_by = excluded.updated_by, updated_at = excluded.updated_at",
        )
        .bind(resident)
        .bind(cycle.as_str())
        .bind(visitor.map(|v| v.0))
        .bind(needs)
        .bind(by.0)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}
