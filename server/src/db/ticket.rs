//! Tickets, their categories, timeline and photos.
use super::{Db, now_ms};
use app::domain::grid::{Duty, GridId};
use app::domain::stats::StatTicket;
use app::domain::ticket::{
    Category, CategoryInput, CheckWindow, Checker, Clocks, Deadlines, Escalation, EventKind,
    Marker, Outcome, PhotoRef, RATING_WAIT_MS, Rating, TicketId, TicketKind, TicketStatus,
    escalation,
};
use app::domain::user::UserId;
use sqlx::Row;
use sqlx::any::AnyRow;

/// Boxes smaller than this (about 2 km × 2 km) are read through the box index.
const SMALL_BOX_DEG2: f64 = 0.02 * 0.02;

/// A ticket's own row.
#[derive(Debug, Clone)]
pub struct TicketRow {
    pub id: TicketId,
    pub category: Category,
    pub kind: TicketKind,
    pub reporter: UserId,
    pub grid: Option<GridId>,
    pub community: Option<GridId>,
    pub assignee: Option<UserId>,
    pub status: TicketStatus,
    pub description: String,
    pub lat: f64,
    pub lng: f64,
    pub created_at: i64,
    pub escalation: Escalation,
    pub duplicate_of: Option<TicketId>,
    pub parties: Option<String>,
    pub mediator: Option<UserId>,
    pub agreement: Option<String>,
    /// The latest closing step: its outcome, who and when.
    pub outcome: Option<Outcome>,
    pub resolved_by: Option<UserId>,
    pub resolved_at: Option<i64>,
    /// While checked: the check's deadline.
    pub check_due_at: Option<i64>,
    /// Times a check sent the fix back.
    pub rework: i64,
    /// The rating that counts so far.
    pub rating: Option<Rating>,
    /// A 不满意 rating reopened it already (the next rating closes it).
    pub redone: bool,
    /// When the fix reached the reporter and the rating question was asked.
    pub rating_asked_at: Option<i64>,
    /// 代报: the resident's name and number (the reporter row is the staff member
    /// who filed it).
    pub proxy_name: Option<String>,
    pub proxy_phone: Option<String>,
}

impl TicketRow {
    /// The clocks its deadlines run on.
    pub fn clocks(&self) -> Clocks {
        Clocks {
            created_ms: self.created_at,
            check: match (self.status, self.resolved_at, self.check_due_at) {
                (TicketStatus::Checking, Some(from_ms), Some(due_ms)) => {
                    Some(CheckWindow { from_ms, due_ms })
                }
                _ => None,
            },
        }
    }
}

/// What a step leaves on the ticket besides its state: the closing step's outcome and
/// who/when, the check's deadline, the rework count, who checked it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Closing {
    pub outcome: Option<Outcome>,
    pub resolved_by: Option<UserId>,
    pub resolved_at: Option<i64>,
    pub check_due_at: Option<i64>,
    pub rework: i64,
    pub checked_by: Option<UserId>,
    pub rating: Option<Rating>,
    pub rated_at: Option<i64>,
    pub redone: bool,
    pub rating_asked_at: Option<i64>,
}

/// An open ticket found near a new report (see [`Db::open_in_box`]).
#[derive(Debug, Clone)]
pub struct NearbyRow {
    pub id: TicketId,
    pub status: TicketStatus,
    pub created_at: i64,
    pub description: String,
    pub lat: f64,
    pub lng: f64,
    pub followers: i64,
    pub photo: Option<String>,
    pub mine: bool,
}

/// A list line before deadlines are worked out.
#[derive(Debug, Clone)]
pub struct SummaryRow {
    pub row: TicketRow,
    pub grid_name: Option<String>,
    pub thumb: Option<String>,
    /// The responsible person's name (the assignee).
    pub assignee_name: Option<String>,
}

/// A photo already in the store, to be recorded with its ticket.
#[derive(Debug, Clone)]
pub struct StoredPhoto {
    pub key: String,
    pub thumb: String,
    pub width: u32,
    pub height: u32,
}

pub struct NewTicketRow<'a> {
    pub category: &'a Category,
    pub reporter: UserId,
    pub grid: Option<GridId>,
    pub community: Option<GridId>,
    pub assignee: Option<UserId>,
    pub description: &'a str,
    pub lat: f64,
    pub lng: f64,
    pub parties: Option<&'a str>,
    pub idempotency_key: Option<&'a str>,
    pub created_at: i64,
    /// 代报: the resident's name and normalised number.
    pub proxy: Option<(&'a str, &'a str)>,
}

/// A change of state with its timeline entry.
pub struct Step<'a> {
    pub id: TicketId,
    pub from: TicketStatus,
    pub to: TicketStatus,
    pub actor: UserId,
    pub kind: EventKind,
    pub note: &'a str,
    pub photos: &'a [StoredPhoto],
    pub duplicate_of: Option<TicketId>,
    pub mediator: Option<UserId>,
    pub agreement: Option<&'a str>,
    pub closing: Closing,
}

/// Where the rows of a list come from.
pub enum Scope {
    Reporter(UserId),
    /// The grids this person serves.
    StaffOf(UserId),
    Community(GridId),
    All,
}

const CATEGORY_COLS: &str = "c.id AS c_id, c.code AS c_code, c.name_zh AS c_name_zh, c.name_en AS c_name_en,
    c.kind AS c_kind, c.duty AS c_duty, c.accept_min AS c_accept_min, c.on_site_min AS c_on_site_min,
    c.resolve_min AS c_resolve_min, c.community_id AS c_community_id, c.active AS c_active,
    c.checker AS c_checker";

const TICKET_COLS: &str = "t.id, t.kind, t.reporter_id, t.grid_id, t.community_id, t.assignee_id, t.status,
    t.description, t.lat, t.lng, t.created_at, t.escalation, t.duplicate_of, t.parties, t.mediator_id,
    t.agreement, t.outcome, t.resolved_by, t.resolved_at, t.check_due_at, t.rework, t.rating, t.redone,
    t.rating_asked_at, t.proxy_name, t.proxy_phone";

/// A nullable text column read as one of the domain's names (`Outcome::parse`, …).
pub(crate) fn named<T>(
    r: &AnyRow,
    col: &str,
    parse: fn(&str) -> Option<T>,
) -> Result<Option<T>, sqlx::Error> {
    r.try_get::<Option<String>, _>(col)?
        .map(|v| parse(&v).ok_or_else(|| sqlx::Error::Decode(format!("bad ticket {col}").into())))
        .transpose()
}

fn category(r: &AnyRow) -> Result<Category, sqlx::Error> {
    let bad = |what: &str| sqlx::Error::Decode(format!("bad category {what}").into());
    let kind: String = r.try_get("c_kind")?;
    let duty: String = r.try_get("c_duty")?;
    let checker: String = r.try_get("c_checker")?;
    Ok(Category {
        checker: Checker::parse(&checker).ok_or_else(|| bad("checker"))?,
        id: r.try_get("c_id")?,
        code: r.try_get("c_code")?,
        name_zh: r.try_get("c_name_zh")?,
        name_en: r.try_get("c_name_en")?,
        kind: TicketKind::parse(&kind).ok_or_else(|| bad("kind"))?,
        duty: Duty::parse(&duty).ok_or_else(|| bad("duty"))?,
        deadlines: Deadlines {
            accept_min: r.try_get("c_accept_min")?,
            on_site_min: r.try_get("c_on_site_min")?,
            resolve_min: r.try_get("c_resolve_min")?,
        },
        community: r.try_get::<Option<i64>, _>("c_community_id")?.map(GridId),
        active: r.try_get::<i64, _>("c_active")? != 0,
    })
}

fn ticket(r: &AnyRow) -> Result<TicketRow, sqlx::Error> {
    let bad = |what: &str| sqlx::Error::Decode(format!("bad ticket {what}").into());
    let kind: String = r.try_get("kind")?;
    let status: String = r.try_get("status")?;
    Ok(TicketRow {
        id: TicketId(r.try_get("id")?),
        category: category(r)?,
        kind: TicketKind::parse(&kind).ok_or_else(|| bad("kind"))?,
        reporter: UserId(r.try_get("reporter_id")?),
        grid: r.try_get::<Option<i64>, _>("grid_id")?.map(GridId),
        community: r.try_get::<Option<i64>, _>("community_id")?.map(GridId),
        assignee: r.try_get::<Option<i64>, _>("assignee_id")?.map(UserId),
        status: TicketStatus::parse(&status).ok_or_else(|| bad("status"))?,
        description: r.try_get("description")?,
        lat: r.try_get("lat")?,
        lng: r.try_get("lng")?,
        created_at: r.try_get("created_at")?,
        escalation: Escalation::from_level(r.try_get("escalation")?),
        duplicate_of: r.try_get::<Option<i64>, _>("duplicate_of")?.map(TicketId),
        parties: r.try_get("parties")?,
        mediator: r.try_get::<Option<i64>, _>("mediator_id")?.map(UserId),
        agreement: r.try_get("agreement")?,
        outcome: named(r, "outcome", Outcome::parse)?,
        resolved_by: r.try_get::<Option<i64>, _>("resolved_by")?.map(UserId),
        resolved_at: r.try_get("resolved_at")?,
        check_due_at: r.try_get("check_due_at")?,
        rework: r.try_get("rework")?,
        rating: named(r, "rating", Rating::parse)?,
        redone: r.try_get::<i64, _>("redone")? != 0,
        rating_asked_at: r.try_get("rating_asked_at")?,
        proxy_name: r.try_get("proxy_name")?,
        proxy_phone: r.try_get("proxy_phone")?,
    })
}

/// One timeline entry as stored, and whether the reporter made it.
pub struct TimelineRow {
    pub id: i64,
    pub at: i64,
    pub actor: Option<String>,
    pub kind: String,
    pub status: String,
    pub note: String,
    pub by_reporter: bool,
}

impl Db {
    /// Categories, street-wide ones first, by id.
    pub async fn categories(&self, include_inactive: bool) -> Result<Vec<Category>, sqlx::Error> {
        let rows = sqlx::query(&format!(
            "SELECT {CATEGORY_COLS} FROM categories c WHERE c.active = 1 OR $1 = 1
             ORDER BY c.community_id IS NOT NULL, c.id"
        ))
        .bind(i64::from(include_inactive))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(category).collect()
    }

    pub async fn category(&self, id: i64) -> Result<Option<Category>, sqlx::Error> {
        let sql = format!("SELECT {CATEGORY_COLS} FROM categories c WHERE c.id = $1");
        let row = sqlx::query(&sql)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(category).transpose()
    }

    pub async fn category_by_code(&self, code: &str) -> Result<Option<Category>, sqlx::Error> {
        let sql = format!("SELECT {CATEGORY_COLS} FROM categories c WHERE c.code = $1");
        let row = sqlx::query(&sql)
            .bind(code)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(category).transpose()
    }

    /// Inserts (no id) or updates a category; returns its id, or `None` when the id
    /// does not exist.
    pub async fn save_category(&self, c: &CategoryInput) -> Result<Option<i64>, sqlx::Error> {
        let q = match c.id {
            None => sqlx::query(
                "INSERT INTO categories (code, name_zh, name_en, kind, duty, accept_min, on_site_min,
                 resolve_min, community_id, active, checker)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $12) RETURNING id",
            ),
            Some(_) => sqlx::query(
                "UPDATE categories SET code = $1, name_zh = $2, name_en = $3, kind = $4, duty = $5,
                 accept_min = $6, on_site_min = $7, resolve_min = $8, community_id = $9, active = $10,
                 checker = $12 WHERE id = $11 RETURNING id",
            ),
        };
        let row = q
            .bind(c.code.trim())
            .bind(c.name_zh.trim())
            .bind(c.name_en.trim())
            .bind(c.kind.as_str())
            .bind(c.duty.as_str())
            .bind(c.accept_min)
            .bind(c.on_site_min)
            .bind(c.resolve_min)
            .bind(c.community.map(|g| g.0))
            .bind(i64::from(c.active))
            .bind(c.id.unwrap_or_default())
            .bind(c.checker.unwrap_or(Checker::default_for(c.kind)).as_str())
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| r.try_get("id")).transpose()
    }

    /// The community (director, coordinator) or street (admin) a user answers for.
    pub async fn user_scope(&self, user: UserId) -> Result<Option<GridId>, sqlx::Error> {
        let v: Option<Option<i64>> =
            sqlx::query_scalar("SELECT scope_grid_id FROM users WHERE id = $1")
                .bind(user.0)
                .fetch_optional(&self.pool)
                .await?;
        Ok(v.flatten().map(GridId))
    }

    /// Who holds a duty in a grid.
    pub async fn staff_with_duty(
        &self,
        grid: GridId,
        duty: Duty,
    ) -> Result<Option<UserId>, sqlx::Error> {
        let v: Option<i64> =
            sqlx::query_scalar("SELECT user_id FROM grid_staff WHERE grid_id = $1 AND duty = $2")
                .bind(grid.0)
                .bind(duty.as_str())
                .fetch_optional(&self.pool)
                .await?;
        Ok(v.map(UserId))
    }

    pub async fn serves_grid(&self, user: UserId, grid: GridId) -> Result<bool, sqlx::Error> {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM grid_staff WHERE user_id = $1 AND grid_id = $2",
        )
        .bind(user.0)
        .bind(grid.0)
        .fetch_one(&self.pool)
        .await?;
        Ok(n > 0)
    }

    pub async fn user_phone(&self, user: UserId) -> Result<Option<String>, sqlx::Error> {
        sqlx::query_scalar("SELECT phone FROM users WHERE id = $1")
            .bind(user.0)
            .fetch_optional(&self.pool)
            .await
    }

    /// The number of a user whose number a staff member confirmed as their own.
    pub async fn verified_phone(&self, user: UserId) -> Result<Option<String>, sqlx::Error> {
        sqlx::query_scalar(
            "SELECT phone FROM users WHERE id = $1 AND phone_verified_at IS NOT NULL",
        )
        .bind(user.0)
        .fetch_optional(&self.pool)
        .await
    }

    /// The account whose confirmed number this is.
    pub async fn verified_user(&self, phone: &str) -> Result<Option<UserId>, sqlx::Error> {
        let id: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM users WHERE phone = $1 AND phone_verified_at IS NOT NULL",
        )
        .bind(phone)
        .fetch_optional(&self.pool)
        .await?;
        Ok(id.map(UserId))
    }

    pub async fn user_name(&self, user: UserId) -> Result<Option<String>, sqlx::Error> {
        sqlx::query_scalar("SELECT name FROM users WHERE id = $1")
            .bind(user.0)
            .fetch_optional(&self.pool)
            .await
    }

    pub async fn grid_name(&self, grid: GridId) -> Result<Option<String>, sqlx::Error> {
        sqlx::query_scalar("SELECT name FROM grids WHERE id = $1")
            .bind(grid.0)
            .fetch_optional(&self.pool)
            .await
    }

    /// The ticket an earlier submit with this key made.
    pub async fn ticket_by_key(
        &self,
        reporter: UserId,
        key: &str,
    ) -> Result<Option<TicketId>, sqlx::Error> {
        let v: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM tickets WHERE reporter_id = $1 AND idempotency_key = $2",
        )
        .bind(reporter.0)
        .bind(key)
        .fetch_optional(&self.pool)
        .await?;
        Ok(v.map(TicketId))
    }

    /// The ticket, its first timeline entry and its photos, in one transaction.
    pub async fn insert_ticket(
        &self,
        t: &NewTicketRow<'_>,
        photos: &[StoredPhoto],
    ) -> Result<TicketId, sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        let id = insert_ticket_in(&mut tx, t, photos).await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn ticket(&self, id: TicketId) -> Result<Option<TicketRow>, sqlx::Error> {
        sqlx::query(&format!(
            "SELECT {TICKET_COLS}, {CATEGORY_COLS} FROM tickets t
             JOIN categories c ON c.id = t.category_id WHERE t.id = $1"
        ))
        .bind(id.0)
        .fetch_optional(&self.pool)
        .await?
        .as_ref()
        .map(ticket)
        .transpose()
    }

    /// Applies a step if the ticket is still in `from`; `false` when someone else moved
    /// it first (nothing is written then).
    pub async fn apply_step(&self, s: &Step<'_>) -> Result<bool, sqlx::Error> {
        let now = now_ms();
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query(
            "UPDATE tickets SET status = $1, updated_at = $2, escalation = 0,
             duplicate_of = COALESCE($3, duplicate_of), mediator_id = COALESCE($4, mediator_id),
             agreement = COALESCE($5, agreement), outcome = $8, resolved_by = $9,
             resolved_at = $10, check_due_at = $11, rework = $12,
             checked_by = COALESCE($13, checked_by), rating = $14, rated_at = $15, redone = $16,
             rating_asked_at = $17
             WHERE id = $6 AND status = $7",
        )
        .bind(s.to.as_str())
        .bind(now)
        .bind(s.duplicate_of.map(|d| d.0))
        .bind(s.mediator.map(|u| u.0))
        .bind(s.agreement)
        .bind(s.id.0)
        .bind(s.from.as_str())
        .bind(s.closing.outcome.map(Outcome::as_str))
        .bind(s.closing.resolved_by.map(|u| u.0))
        .bind(s.closing.resolved_at)
        .bind(s.closing.check_due_at)
        .bind(s.closing.rework)
        .bind(s.closing.checked_by.map(|u| u.0))
        .bind(s.closing.rating.map(Rating::as_str))
        .bind(s.closing.rated_at)
        .bind(i64::from(s.closing.redone))
        .bind(s.closing.rating_asked_at)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if done == 0 {
            return Ok(false);
        }
        let event = insert_event(&mut tx, s.id, Some(s.actor), s.kind, s.to, s.note, now).await?;
        insert_photos(&mut tx, s.id, event, s.photos).await?;
        if let (TicketStatus::Duplicate, Some(into)) = (s.to, s.duplicate_of) {
            merge(&mut tx, s.id, into, s.actor, now).await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    /// Open tickets of `category` inside the box (south, west, north, east), with what
    /// a reporter needs to recognise them, at most `limit`. The box comes from
    /// validated coordinates and is written into the statement (a bound range would
    /// get PostgreSQL's generic plan); the partial index on open tickets answers it.
    pub async fn open_in_box(
        &self,
        category: i64,
        (south, west, north, east): (f64, f64, f64, f64),
        viewer: Option<UserId>,
        limit: i64,
    ) -> Result<Vec<NearbyRow>, sqlx::Error> {
        if ![south, west, north, east].iter().all(|v| v.is_finite()) {
            return Ok(vec![]);
        }
        let rows = sqlx::query(&format!(
            "SELECT t.id, t.status, t.created_at, t.description, t.lat, t.lng,
                (SELECT COUNT(*) FROM ticket_followers f WHERE f.ticket_id = t.id) AS followers,
                (SELECT p.photo_key FROM ticket_photos p WHERE p.ticket_id = t.id ORDER BY p.id LIMIT 1) AS photo,
                CASE WHEN t.reporter_id = $2 OR EXISTS (SELECT 1 FROM ticket_followers f
                    WHERE f.ticket_id = t.id AND f.user_id = $2) THEN 1 ELSE 0 END AS mine
             FROM tickets t
             WHERE t.category_id = $1 AND t.status IN {open}
               AND t.lat >= {south} AND t.lat <= {north} AND t.lng >= {west} AND t.lng <= {east}
             ORDER BY t.id DESC LIMIT {limit}",
            open = TicketStatus::open_sql()
        ))
        .bind(category)
        .bind(viewer.map_or(0, |u| u.0))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let status: String = r.try_get("status")?;
                Ok(NearbyRow {
                    id: TicketId(r.try_get("id")?),
                    status: TicketStatus::parse(&status)
                        .ok_or_else(|| sqlx::Error::Decode("bad ticket status".into()))?,
                    created_at: r.try_get("created_at")?,
                    description: r.try_get("description")?,
                    lat: r.try_get("lat")?,
                    lng: r.try_get("lng")?,
                    followers: r.try_get("followers")?,
                    photo: r.try_get("photo")?,
                    mine: r.try_get::<i64, _>("mine")? != 0,
                })
            })
            .collect()
    }

    /// Every ticket reported in [from, to) with what the honest figures need, and its
    /// community and grid. The bounds come from a validated month and are written
    /// into the statement.
    pub async fn stat_tickets(
        &self,
        from: i64,
        to: i64,
    ) -> Result<Vec<(Option<GridId>, Option<GridId>, StatTicket)>, sqlx::Error> {
        let rows = sqlx::query(&format!(
            "SELECT t.community_id, t.grid_id, t.status, t.outcome, t.created_at, t.resolved_at,
                    t.checked_by, t.rating, c.checker
             FROM tickets t JOIN categories c ON c.id = t.category_id
             WHERE t.created_at >= {from} AND t.created_at < {to}"
        ))
        .fetch_all(&self.pool)
        .await?;
        let bad = |what: &str| sqlx::Error::Decode(format!("bad ticket {what}").into());
        rows.iter()
            .map(|r| {
                let status: String = r.try_get("status")?;
                let checker: String = r.try_get("checker")?;
                let outcome = named(r, "outcome", Outcome::parse)?;
                let rating = named(r, "rating", Rating::parse)?;
                Ok((
                    r.try_get::<Option<i64>, _>("community_id")?.map(GridId),
                    r.try_get::<Option<i64>, _>("grid_id")?.map(GridId),
                    StatTicket {
                        status: TicketStatus::parse(&status).ok_or_else(|| bad("status"))?,
                        outcome,
                        created_ms: r.try_get("created_at")?,
                        resolved_ms: r.try_get("resolved_at")?,
                        check_required: Checker::parse(&checker).ok_or_else(|| bad("checker"))?
                            != Checker::None,
                        checked: r.try_get::<Option<i64>, _>("checked_by")?.is_some(),
                        rating,
                    },
                ))
            })
            .collect()
    }

    /// Adds a follower ("就是这个"); false when they followed it already.
    pub async fn follow(&self, id: TicketId, user: UserId, at: i64) -> Result<bool, sqlx::Error> {
        let n = sqlx::query(
            "INSERT INTO ticket_followers (ticket_id, user_id, at) VALUES ($1, $2, $3)
             ON CONFLICT DO NOTHING",
        )
        .bind(id.0)
        .bind(user.0)
        .bind(at)
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok(n == 1)
    }

    /// Who follows a ticket, oldest first.
    pub async fn followers(&self, id: TicketId) -> Result<Vec<UserId>, sqlx::Error> {
        let ids: Vec<i64> = sqlx::query_scalar(
            "SELECT user_id FROM ticket_followers WHERE ticket_id = $1 ORDER BY at, user_id",
        )
        .bind(id.0)
        .fetch_all(&self.pool)
        .await?;
        Ok(ids.into_iter().map(UserId).collect())
    }

    /// (event id, at, actor name, kind, status, note) oldest first.
    pub async fn timeline(&self, id: TicketId) -> Result<Vec<TimelineRow>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT e.id, e.at, u.name, e.kind, e.status, e.note,
                    CASE WHEN e.actor_id = t.reporter_id THEN 1 ELSE 0 END AS by_reporter
             FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id
             LEFT JOIN users u ON u.id = e.actor_id WHERE e.ticket_id = $1 ORDER BY e.id",
        )
        .bind(id.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(TimelineRow {
                    id: r.try_get("id")?,
                    at: r.try_get("at")?,
                    actor: r.try_get("name")?,
                    kind: r.try_get("kind")?,
                    status: r.try_get("status")?,
                    note: r.try_get("note")?,
                    by_reporter: r.try_get::<i64, _>("by_reporter")? != 0,
                })
            })
            .collect()
    }

    /// Every photo key a row names: tickets' photos and thumbnails, lost-person
    /// notices and their tips (space-separated lists there). All in memory: a street's
    /// few thousand photos; a city on S3 would sweep one key prefix at a time.
    pub async fn photo_keys_in_use(
        &self,
    ) -> Result<std::collections::HashSet<String>, sqlx::Error> {
        let mut used = std::collections::HashSet::new();
        let pairs: Vec<(String, String)> =
            sqlx::query_as("SELECT photo_key, thumb_key FROM ticket_photos")
                .fetch_all(&self.pool)
                .await?;
        for (p, t) in pairs {
            used.insert(p);
            used.insert(t);
        }
        let lists: Vec<String> = sqlx::query_scalar(
            "SELECT photos FROM missing_persons WHERE photos <> ''
             UNION ALL SELECT photos FROM missing_tips WHERE photos <> ''",
        )
        .fetch_all(&self.pool)
        .await?;
        for l in lists {
            used.extend(l.split_whitespace().map(str::to_owned));
        }
        Ok(used)
    }

    /// (event id, photo) in upload order.
    pub async fn photos(&self, id: TicketId) -> Result<Vec<(i64, PhotoRef)>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT event_id, photo_key, thumb_key, width, height FROM ticket_photos
             WHERE ticket_id = $1 ORDER BY id",
        )
        .bind(id.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    r.try_get("event_id")?,
                    PhotoRef {
                        key: r.try_get("photo_key")?,
                        thumb: r.try_get("thumb_key")?,
                        width: u32::try_from(r.try_get::<i64, _>("width")?).unwrap_or(0),
                        height: u32::try_from(r.try_get::<i64, _>("height")?).unwrap_or(0),
                    },
                ))
            })
            .collect()
    }

    /// Whether any ticket still uses a stored file (content-addressed files are shared).
    pub async fn photo_in_use(&self, key: &str) -> Result<bool, sqlx::Error> {
        // Lost-person notices and tips keep space-separated keys (64 hex digits each).
        let n: i64 = sqlx::query_scalar(
            "SELECT (SELECT COUNT(*) FROM ticket_photos WHERE photo_key = $1 OR thumb_key = $1)
                  + (SELECT COUNT(*) FROM missing_persons WHERE photos LIKE $2)
                  + (SELECT COUNT(*) FROM missing_tips WHERE photos LIKE $2)
                  + (SELECT COUNT(*) FROM inspection_items WHERE photo_key = $1)",
        )
        .bind(key)
        .bind(format!("%{key}%"))
        .fetch_one(&self.pool)
        .await?;
        Ok(n > 0)
    }

    /// Tickets in a scope, newest first, at most `limit`.
    pub async fn ticket_list(
        &self,
        scope: &Scope,
        status: Option<TicketStatus>,
        open_only: bool,
        category: Option<i64>,
        grid: Option<GridId>,
        limit: i64,
    ) -> Result<Vec<SummaryRow>, sqlx::Error> {
        let (scope_sql, scope_arg) = match scope {
            Scope::Reporter(u) => (
                "(t.reporter_id = $1 OR t.id IN (SELECT ticket_id FROM ticket_followers WHERE user_id = $1)
                  OR t.proxy_phone = (SELECT u.phone FROM users u WHERE u.id = $1
                                      AND u.phone_verified_at IS NOT NULL))",
                u.0,
            ),
            Scope::StaffOf(u) => (
                "t.grid_id IN (SELECT grid_id FROM grid_staff WHERE user_id = $1)",
                u.0,
            ),
            Scope::Community(g) => ("t.community_id = $1", g.0),
            Scope::All => ("$1 = $1", 0),
        };
        let rows = sqlx::query(&format!(
            "SELECT {TICKET_COLS}, {CATEGORY_COLS}, g.name AS grid_name, a.name AS assignee_name,
             (SELECT p.thumb_key FROM ticket_photos p WHERE p.ticket_id = t.id ORDER BY p.id LIMIT 1) AS thumb
             FROM tickets t JOIN categories c ON c.id = t.category_id LEFT JOIN grids g ON g.id = t.grid_id
             LEFT JOIN users a ON a.id = t.assignee_id
             WHERE {scope_sql} AND ($2 = '' OR t.status = $2)
             AND ($3 = 0 OR t.status IN {open})
             AND ($4 = 0 OR t.category_id = $4) AND ($5 = 0 OR t.grid_id = $5)
             ORDER BY t.id DESC LIMIT $6",
            open = TicketStatus::open_sql()
        ))
        .bind(scope_arg)
        .bind(status.map(TicketStatus::as_str).unwrap_or_default())
        .bind(i64::from(open_only))
        .bind(category.unwrap_or_default())
        .bind(grid.map(|g| g.0).unwrap_or_default())
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(SummaryRow {
                    row: ticket(r)?,
                    grid_name: r.try_get("grid_name")?,
                    thumb: r.try_get("thumb")?,
                    assignee_name: r.try_get("assignee_name")?,
                })
            })
            .collect()
    }

    /// Tickets inside a bounding box, newest first. The box is written into the SQL as
    /// numbers (finite `f64`s print as plain decimals, so nothing can be injected): with
    /// parameters PostgreSQL settles on a generic plan that guesses every box is small
    /// and sorts a whole city's tickets; with numbers both planners see the box's size.
    pub async fn markers(
        &self,
        (south, west, north, east): (f64, f64, f64, f64),
        // Where disputes and service requests show besides public problems: a scope
        // from `services::staff_grids` (`None`: everywhere; empty: nowhere).
        private_in: &Option<Vec<GridId>>,
        limit: i64,
    ) -> Result<Vec<Marker>, sqlx::Error> {
        if ![south, west, north, east].iter().all(|v| v.is_finite()) {
            return Ok(vec![]);
        }
        let kind = match private_in {
            None => String::new(),
            Some(g) if g.is_empty() => " AND kind = 'problem'".to_owned(),
            Some(g) => format!(
                " AND (kind = 'problem' OR {})",
                crate::db::resident::in_list("grid_id", g)
            ),
        };
        // A phone-sized box holds few tickets: read them from the box index and sort
        // (`id + 0` keeps the planner off the primary key). A large box holds many:
        // walk the newest first and stop at `limit`.
        let order = if (north - south) * (east - west) < SMALL_BOX_DEG2 {
            "id + 0"
        } else {
            "id"
        };
        let rows = sqlx::query(&format!(
            "SELECT id, lat, lng, status FROM tickets
             WHERE lat >= {south} AND lat <= {north} AND lng >= {west} AND lng <= {east}{kind}
             ORDER BY {order} DESC LIMIT {limit}"
        ))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let status: String = r.try_get("status")?;
                Ok(Marker {
                    id: TicketId(r.try_get("id")?),
                    lat: r.try_get("lat")?,
                    lng: r.try_get("lng")?,
                    status: TicketStatus::parse(&status).unwrap_or(TicketStatus::Pending),
                })
            })
            .collect()
    }

    /// Raises the escalation of every open ticket now later than its stored level
    /// allows, each with a timeline entry. Returns the tickets raised and to what.
    pub async fn escalate_overdue(
        &self,
        now: i64,
    ) -> Result<Vec<(TicketId, Escalation)>, sqlx::Error> {
        let rows = sqlx::query(&format!(
            "SELECT {TICKET_COLS}, {CATEGORY_COLS} FROM tickets t JOIN categories c ON c.id = t.category_id
             WHERE t.status IN {} AND t.escalation < 2",
            TicketStatus::open_sql()
        ))
        .fetch_all(&self.pool)
        .await?;
        let mut raised = Vec::new();
        for r in &rows {
            let t = ticket(r)?;
            let level = escalation(t.status, t.category.deadlines, t.clocks(), now);
            if level <= t.escalation {
                continue;
            }
            let mut tx = self.pool.begin().await?;
            let n = sqlx::query(
                "UPDATE tickets SET escalation = $1, updated_at = $2
                 WHERE id = $3 AND status = $4 AND escalation < $1",
            )
            .bind(level.level())
            .bind(now)
            .bind(t.id.0)
            .bind(t.status.as_str())
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if n == 1 {
                insert_event(
                    &mut tx,
                    t.id,
                    None,
                    EventKind::Escalated(level),
                    t.status,
                    "",
                    now,
                )
                .await?;
                tx.commit().await?;
                raised.push((t.id, level));
            }
        }
        Ok(raised)
    }

    /// Closes the resolved tickets whose rating question was asked at or before
    /// `now - RATING_WAIT_MS` and never answered, recording "no answer" (never
    /// satisfied) with the clock as its author. Returns the tickets closed.
    pub async fn lapse_ratings(&self, now: i64) -> Result<Vec<TicketId>, sqlx::Error> {
        let ids: Vec<i64> = sqlx::query_scalar(
            "SELECT id FROM tickets WHERE status = 'resolved' AND rating_asked_at <= $1 ORDER BY id",
        )
        .bind(now - RATING_WAIT_MS)
        .fetch_all(&self.pool)
        .await?;
        let mut closed = Vec::new();
        for id in ids {
            let mut tx = self.pool.begin().await?;
            let n = sqlx::query(
                "UPDATE tickets SET status = 'closed', rating = 'no_answer', rated_at = $1,
                 rating_asked_at = NULL, updated_at = $1 WHERE id = $2 AND status = 'resolved'",
            )
            .bind(now)
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if n == 1 {
                let kind = EventKind::Rated(Rating::NoAnswer);
                insert_event(
                    &mut tx,
                    TicketId(id),
                    None,
                    kind,
                    TicketStatus::Closed,
                    "",
                    now,
                )
                .await?;
                tx.commit().await?;
                closed.push(TicketId(id));
            }
        }
        Ok(closed)
    }

    /// An Open311 client's user.
    pub async fn api_key_user(&self, key: &str) -> Result<Option<UserId>, sqlx::Error> {
        let v: Option<i64> = sqlx::query_scalar("SELECT user_id FROM api_keys WHERE api_key = $1")
            .bind(key)
            .fetch_optional(&self.pool)
            .await?;
        Ok(v.map(UserId))
    }

    pub async fn insert_api_key(
        &self,
        key: &str,
        user: UserId,
        name: &str,
    ) -> Result<(), sqlx::Error> {
        sqlx::query("INSERT INTO api_keys (api_key, user_id, name) VALUES ($1, $2, $3)")
            .bind(key)
            .bind(user.0)
            .bind(name)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}

/// A new ticket with its first timeline entry and photos, inside the caller's
/// transaction.
pub(super) async fn insert_ticket_in(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    t: &NewTicketRow<'_>,
    photos: &[StoredPhoto],
) -> Result<TicketId, sqlx::Error> {
    let row = sqlx::query(
        "INSERT INTO tickets (category_id, kind, reporter_id, grid_id, community_id, assignee_id, status,
         description, lat, lng, created_at, updated_at, parties, idempotency_key, proxy_name,
         proxy_phone)
         VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7, $8, $9, $10, $10, $11, $12, $13, $14)
         RETURNING id",
    )
    .bind(t.category.id)
    .bind(t.category.kind.as_str())
    .bind(t.reporter.0)
    .bind(t.grid.map(|g| g.0))
    .bind(t.community.map(|g| g.0))
    .bind(t.assignee.map(|u| u.0))
    .bind(t.description)
    .bind(t.lat)
    .bind(t.lng)
    .bind(t.created_at)
    .bind(t.parties)
    .bind(t.idempotency_key)
    .bind(t.proxy.map(|p| p.0))
    .bind(t.proxy.map(|p| p.1))
    .fetch_one(&mut **tx)
    .await?;
    let id = TicketId(row.try_get("id")?);
    let event = insert_event(
        tx,
        id,
        Some(t.reporter),
        EventKind::Created,
        TicketStatus::Pending,
        "",
        t.created_at,
    )
    .await?;
    insert_photos(tx, id, event, photos).await?;
    Ok(id)
}

pub(super) async fn insert_event(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    id: TicketId,
    actor: Option<UserId>,
    kind: EventKind,
    status: TicketStatus,
    note: &str,
    at: i64,
) -> Result<i64, sqlx::Error> {
    let row = sqlx::query(
        "INSERT INTO ticket_events (ticket_id, actor_id, kind, status, note, at)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(id.0)
    .bind(actor.map(|a| a.0))
    .bind(kind.as_string())
    .bind(status.as_str())
    .bind(note)
    .bind(at)
    .fetch_one(&mut **tx)
    .await?;
    row.try_get("id")
}

/// Folds the duplicate `from` into `into`, inside the step's transaction: its reporter
/// and followers follow `into` (never its own reporter twice), its photos are shown on
/// `into`, and `into`'s timeline says which ticket was merged (`from`'s says where).
async fn merge(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    from: TicketId,
    into: TicketId,
    actor: UserId,
    now: i64,
) -> Result<(), sqlx::Error> {
    // Into `into`: `from`'s followers and its reporter, then never `into`'s own reporter.
    for sql in [
        "INSERT INTO ticket_followers (ticket_id, user_id, at)
         SELECT $1, user_id, at FROM ticket_followers WHERE ticket_id = $2
         ON CONFLICT DO NOTHING",
        "INSERT INTO ticket_followers (ticket_id, user_id, at)
         SELECT $1, reporter_id, created_at FROM tickets WHERE id = $2
         ON CONFLICT DO NOTHING",
    ] {
        sqlx::query(sql)
            .bind(into.0)
            .bind(from.0)
            .execute(&mut **tx)
            .await?;
    }
    for (sql, id) in [
        ("DELETE FROM ticket_followers WHERE ticket_id = $1", from),
        (
            "DELETE FROM ticket_followers WHERE ticket_id = $1
             AND user_id = (SELECT reporter_id FROM tickets WHERE id = $1)",
            into,
        ),
    ] {
        sqlx::query(sql).bind(id.0).execute(&mut **tx).await?;
    }
    let status: String = sqlx::query_scalar("SELECT status FROM tickets WHERE id = $1")
        .bind(into.0)
        .fetch_one(&mut **tx)
        .await?;
    let status = TicketStatus::parse(&status)
        .ok_or_else(|| sqlx::Error::Decode("bad ticket status".into()))?;
    let event = insert_event(
        tx,
        into,
        Some(actor),
        EventKind::Merged,
        status,
        &format!("#{}", from.0),
        now,
    )
    .await?;
    sqlx::query(
        "INSERT INTO ticket_photos (ticket_id, event_id, photo_key, thumb_key, width, height)
         SELECT $1, $2, photo_key, thumb_key, width, height FROM ticket_photos
         WHERE ticket_id = $3 ORDER BY id",
    )
    .bind(into.0)
    .bind(event)
    .bind(from.0)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub(super) async fn insert_photos(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    id: TicketId,
    event: i64,
    photos: &[StoredPhoto],
) -> Result<(), sqlx::Error> {
    for p in photos {
        sqlx::query(
            "INSERT INTO ticket_photos (ticket_id, event_id, photo_key, thumb_key, width, height)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(id.0)
        .bind(event)
        .bind(&p.key)
        .bind(&p.thumb)
        .bind(i64::from(p.width))
        .bind(i64::from(p.height))
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}
