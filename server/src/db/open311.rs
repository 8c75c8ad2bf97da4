//! Open311 GeoReport v2: the public (problem) tickets as a city's request list shows
//! them, with no reporter in sight.
use super::Db;
use app::domain::ticket::{TicketId, TicketStatus};
use sqlx::Row;

/// One public request, flat, as `requests.json` needs it.
#[derive(Debug, Clone)]
pub struct Open311Row {
    pub id: TicketId,
    pub status: TicketStatus,
    pub description: String,
    pub lat: f64,
    pub lng: f64,
    pub created_at: i64,
    pub updated_at: i64,
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub resolve_min: i64,
    pub grid_name: Option<String>,
    /// The display copy of the first photo.
    pub photo: Option<String>,
    /// The latest non-empty note the staff (or the system) wrote; never the reporter's.
    pub note: Option<String>,
    /// How it was closed (or is claimed closed, while checked).
    pub outcome: Option<app::domain::ticket::Outcome>,
}

/// Which requests: by id (then nothing else applies), or by service code, report
/// time (milliseconds, inclusive) and open/closed.
#[derive(Debug, Clone, Default)]
pub struct RequestQuery {
    pub ids: Vec<i64>,
    /// Empty: every code.
    pub codes: Vec<String>,
    pub from_ms: i64,
    pub to_ms: i64,
    pub open_only: bool,
    pub closed_only: bool,
    pub limit: i64,
}

impl Db {
    /// Problem tickets matching the query, newest first, at most `limit`.
    pub async fn open311_requests(&self, q: &RequestQuery) -> Result<Vec<Open311Row>, sqlx::Error> {
        let list = |from: usize, n: usize| {
            (from..from + n)
                .map(|i| format!("${i}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let (filter, limit) = if q.ids.is_empty() {
            let codes = if q.codes.is_empty() {
                String::new()
            } else {
                format!(" AND c.code IN ({})", list(6, q.codes.len()))
            };
            let open = app::domain::ticket::TicketStatus::open_sql();
            let f = format!(
                "t.created_at >= $1 AND t.created_at <= $2
                 AND ($3 = 0 OR t.status IN {open}) AND ($4 = 0 OR t.status NOT IN {open}){codes}"
            );
            (f, "$5")
        } else {
            (format!("t.id IN ({})", list(2, q.ids.len())), "$1")
        };
        let sql = format!(
            "SELECT t.id, t.status, t.outcome, t.description, t.lat, t.lng, t.created_at, t.updated_at,
             c.code, c.name_zh, c.name_en, c.resolve_min, g.name AS grid_name,
             (SELECT p.photo_key FROM ticket_photos p WHERE p.ticket_id = t.id ORDER BY p.id LIMIT 1) AS photo,
             (SELECT e.note FROM ticket_events e WHERE e.ticket_id = t.id AND e.note <> ''
                AND (e.actor_id IS NULL OR e.actor_id <> t.reporter_id)
              ORDER BY e.id DESC LIMIT 1) AS note
             FROM tickets t JOIN categories c ON c.id = t.category_id LEFT JOIN grids g ON g.id = t.grid_id
             WHERE t.kind = 'problem' AND {filter}
             ORDER BY t.created_at DESC, t.id DESC LIMIT {limit}"
        );
        let mut query = sqlx::query(&sql);
        if q.ids.is_empty() {
            query = query
                .bind(q.from_ms)
                .bind(q.to_ms)
                .bind(i64::from(q.open_only))
                .bind(i64::from(q.closed_only))
                .bind(q.limit);
            for code in &q.codes {
                query = query.bind(code.as_str());
            }
        } else {
            query = query.bind(q.limit);
            for id in &q.ids {
                query = query.bind(*id);
            }
        }
        let rows = query.fetch_all(&self.pool).await?;
        rows.iter()
            .map(|r| {
                let status: String = r.try_get("status")?;
                Ok(Open311Row {
                    id: TicketId(r.try_get("id")?),
                    status: TicketStatus::parse(&status)
                        .ok_or_else(|| sqlx::Error::Decode("bad ticket status".into()))?,
                    description: r.try_get("description")?,
                    lat: r.try_get("lat")?,
                    lng: r.try_get("lng")?,
                    created_at: r.try_get("created_at")?,
                    updated_at: r.try_get("updated_at")?,
                    code: r.try_get("code")?,
                    name_zh: r.try_get("name_zh")?,
                    name_en: r.try_get("name_en")?,
                    resolve_min: r.try_get("resolve_min")?,
                    grid_name: r.try_get("grid_name")?,
                    photo: r.try_get("photo")?,
                    note: r.try_get("note")?,
                    outcome: super::ticket::named(
                        r,
                        "outcome",
                        app::domain::ticket::Outcome::parse,
                    )?,
                })
            })
            .collect()
    }
}
