//! Residents registry: buildings, households, residents; and reading the audit log.
use super::{Db, now_ms};
use app::domain::grid::GridId;
use app::domain::resident::{AuditEntry, CheckedRow, Resident, ResidentId, Tag, mask_id_number};
use app::domain::user::mask_phone;
use sqlx::Row;
use sqlx::any::AnyRow;
use std::collections::HashMap;

/// One resident's unmasked numbers and where they live.
pub struct ContactRow {
    pub grid: GridId,
    pub name: String,
    pub phone: String,
    pub id_number: String,
}

/// `grid_id IN (…)` for a list of ids (numbers only, so written into the SQL).
pub fn in_list(column: &str, ids: &[GridId]) -> String {
    if ids.is_empty() {
        return "1 = 0".to_owned();
    }
    let list: Vec<String> = ids.iter().map(|g| g.0.to_string()).collect();
    format!("{column} IN ({})", list.join(","))
}

const LIST_COLS: &str = "r.id, r.grid_id, g.name AS grid_name, b.name AS building, h.room, r.name,
     r.phone, r.id_number, r.tags,
     (SELECT COUNT(*) FROM users u WHERE u.phone = r.phone) AS accounts,
     (SELECT COUNT(*) FROM users u WHERE u.phone = r.phone AND u.phone_verified_at IS NOT NULL)
       AS verified_accounts";
const LIST_FROM: &str = "FROM residents r
     JOIN households h ON h.id = r.household_id
     JOIN buildings b ON b.id = h.building_id
     JOIN grids g ON g.id = r.grid_id";

fn resident(r: &AnyRow) -> Result<Resident, sqlx::Error> {
    let phone: String = r.try_get("phone")?;
    let id_number: String = r.try_get("id_number")?;
    let tags: String = r.try_get("tags")?;
    Ok(Resident {
        id: ResidentId(r.try_get("id")?),
        grid: GridId(r.try_get("grid_id")?),
        grid_name: r.try_get("grid_name")?,
        building: r.try_get("building")?,
        room: r.try_get("room")?,
        name: r.try_get("name")?,
        phone_masked: mask_phone(&phone),
        id_masked: mask_id_number(&id_number),
        tags: Tag::split(&tags),
        has_account: r.try_get::<i64, _>("accounts")? > 0,
        account_verified: r.try_get::<i64, _>("verified_accounts")? > 0,
    })
}

/// The SQL condition for "has this tag" on the comma-separated column.
pub fn tag_condition(column: &str, tag: Tag) -> String {
    format!("(',' || {column} || ',') LIKE '%,{},%'", tag.as_str())
}

impl Db {
    /// Level-3 grids by code, for imports.
    pub async fn grid_codes(&self) -> Result<HashMap<String, GridId>, sqlx::Error> {
        let rows = sqlx::query("SELECT id, code FROM grids WHERE level = 3")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("code")?, GridId(r.try_get("id")?))))
            .collect()
    }

    /// Writes checked rows in one transaction: buildings and households made as
    /// needed, a resident matched by household and name updated, others created.
    /// Answers (created, updated).
    pub async fn import_residents(
        &self,
        rows: &[(GridId, CheckedRow)],
    ) -> Result<(usize, usize), sqlx::Error> {
        let now = now_ms();
        let mut tx = self.pool.begin().await?;
        let mut buildings: HashMap<(i64, &str), i64> = HashMap::new();
        let mut households: HashMap<(i64, &str), i64> = HashMap::new();
        let (mut created, mut updated) = (0, 0);
        for (grid, r) in rows {
            let building = match buildings.get(&(grid.0, r.building.as_str())) {
                Some(id) => *id,
                None => {
                    sqlx::query(
                        "INSERT INTO buildings (grid_id, name) VALUES ($1, $2)
                         ON CONFLICT (grid_id, name) DO NOTHING",
                    )
                    .bind(grid.0)
                    .bind(&r.building)
                    .execute(&mut *tx)
                    .await?;
                    let id: i64 = sqlx::query_scalar(
                        "SELECT id FROM buildings WHERE grid_id = $1 AND name = $2",
                    )
                    .bind(grid.0)
                    .bind(&r.building)
                    .fetch_one(&mut *tx)
                    .await?;
                    buildings.insert((grid.0, r.building.as_str()), id);
                    id
                }
            };
            let household = match households.get(&(building, r.room.as_str())) {
                Some(id) => *id,
                None => {
                    sqlx::query(
                        "INSERT INTO households (building_id, room) VALUES ($1, $2)
                         ON CONFLICT (building_id, room) DO NOTHING",
                    )
                    .bind(building)
                    .bind(&r.room)
                    .execute(&mut *tx)
                    .await?;
                    let id: i64 = sqlx::query_scalar(
                        "SELECT id FROM households WHERE building_id = $1 AND room = $2",
                    )
                    .bind(building)
                    .bind(&r.room)
                    .fetch_one(&mut *tx)
                    .await?;
                    households.insert((building, r.room.as_str()), id);
                    id
                }
            };
            let done = sqlx::query(
                "UPDATE residents SET phone = $1, id_number = $2, tags = $3, updated_at = $4
                 WHERE household_id = $5 AND name = $6",
            )
            .bind(&r.phone)
            .bind(&r.id_number)
            .bind(Tag::join(&r.tags))
            .bind(now)
            .bind(household)
            .bind(&r.name)
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() > 0 {
                updated += 1;
            } else {
                sqlx::query(
                    "INSERT INTO residents (household_id, grid_id, name, phone, id_number, tags, updated_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7)",
                )
                .bind(household)
                .bind(grid.0)
                .bind(&r.name)
                .bind(&r.phone)
                .bind(&r.id_number)
                .bind(Tag::join(&r.tags))
                .bind(now)
                .execute(&mut *tx)
                .await?;
                created += 1;
            }
        }
        tx.commit().await?;
        Ok((created, updated))
    }

    /// Residents in the given grids (`None`: all), masked; with the total matching.
    pub async fn residents(
        &self,
        grids: Option<&[GridId]>,
        tag: Option<Tag>,
        q: &str,
        limit: i64,
    ) -> Result<(Vec<Resident>, i64), sqlx::Error> {
        let mut cond = vec!["1 = 1".to_owned()];
        if let Some(g) = grids {
            cond.push(in_list("r.grid_id", g));
        }
        if let Some(t) = tag {
            cond.push(tag_condition("r.tags", t));
        }
        let q = q.trim();
        if !q.is_empty() {
            cond.push("(r.name LIKE $1 OR b.name LIKE $1 OR h.room LIKE $1)".to_owned());
        }
        let cond = cond.join(" AND ");
        let pattern = format!("%{}%", q.replace(['%', '_'], ""));
        let sql = format!(
            "SELECT {LIST_COLS} {LIST_FROM} WHERE {cond} ORDER BY g.code, b.name, h.room, r.name LIMIT {limit}"
        );
        let count_sql = format!("SELECT COUNT(*) {LIST_FROM} WHERE {cond}");
        let (rows, total) = if q.is_empty() {
            (
                sqlx::query(&sql).fetch_all(&self.pool).await?,
                sqlx::query_scalar(&count_sql).fetch_one(&self.pool).await?,
            )
        } else {
            (
                sqlx::query(&sql)
                    .bind(&pattern)
                    .fetch_all(&self.pool)
                    .await?,
                sqlx::query_scalar(&count_sql)
                    .bind(&pattern)
                    .fetch_one(&self.pool)
                    .await?,
            )
        };
        let list = rows.iter().map(resident).collect::<Result<_, _>>()?;
        Ok((list, total))
    }

    pub async fn resident_contact(
        &self,
        id: ResidentId,
    ) -> Result<Option<ContactRow>, sqlx::Error> {
        let row =
            sqlx::query("SELECT grid_id, name, phone, id_number FROM residents WHERE id = $1")
                .bind(id.0)
                .fetch_optional(&self.pool)
                .await?;
        row.map(|r| {
            Ok(ContactRow {
                grid: GridId(r.try_get("grid_id")?),
                name: r.try_get("name")?,
                phone: r.try_get("phone")?,
                id_number: r.try_get("id_number")?,
            })
        })
        .transpose()
    }

    /// Marks the account with this number as the person's own (staff confirmed it).
    /// `Ok(None)`: no account has the number; `Ok(Some(false))`: it was confirmed
    /// before.
    pub async fn verify_account(
        &self,
        phone: &str,
        by: app::domain::user::UserId,
        how: &str,
    ) -> Result<Option<bool>, sqlx::Error> {
        let verified_at: Option<Option<i64>> =
            sqlx::query_scalar("SELECT phone_verified_at FROM users WHERE phone = $1")
                .bind(phone)
                .fetch_optional(&self.pool)
                .await?;
        let Some(before) = verified_at else {
            return Ok(None);
        };
        if before.is_some() {
            return Ok(Some(false));
        }
        let done = sqlx::query(
            "UPDATE users SET phone_verified_at = $1, phone_verified_by = $2, phone_verified_how = $3
             WHERE phone = $4 AND phone_verified_at IS NULL",
        )
        .bind(now_ms())
        .bind(by.0)
        .bind(how)
        .bind(phone)
        .execute(&self.pool)
        .await?;
        Ok(Some(done.rows_affected() > 0))
    }

    /// The grid a phone number lives in, by the registry.
    pub async fn home_grid(&self, phone: &str) -> Result<Option<GridId>, sqlx::Error> {
        let g: Option<i64> = sqlx::query_scalar(
            "SELECT grid_id FROM residents WHERE phone = $1 ORDER BY id LIMIT 1",
        )
        .bind(phone)
        .fetch_optional(&self.pool)
        .await?;
        Ok(g.map(GridId))
    }

    /// Residents registered per grid.
    pub async fn residents_per_grid(
        &self,
        grids: &[GridId],
    ) -> Result<HashMap<GridId, i64>, sqlx::Error> {
        let rows = sqlx::query(&format!(
            "SELECT grid_id, COUNT(*) AS n FROM residents WHERE {} GROUP BY grid_id",
            in_list("grid_id", grids)
        ))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| Ok((GridId(r.try_get("grid_id")?), r.try_get("n")?)))
            .collect()
    }

    /// Newest first, `limit` at most, with the count of all that match. `from`/`to`
    /// are validated times written into the SQL (see the lessons on generic plans);
    /// the texts are bound.
    pub async fn audit_entries(
        &self,
        q: &AuditFilter<'_>,
        limit: usize,
    ) -> Result<(Vec<AuditEntry>, i64), sqlx::Error> {
        let mut cond = format!("a.at >= {} AND a.at < {}", q.from_ms, q.to_ms);
        if let Some(b) = q.before {
            cond.push_str(&format!(" AND a.id < {b}"));
        }
        let texts = "($1 = '' OR COALESCE(u.name, '') LIKE '%' || $1 || '%')
             AND ($2 = '' OR a.subject LIKE '%' || $2 || '%')
             AND ($3 = '' OR a.action = $3)";
        let from = "FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id";
        let rows = sqlx::query(&format!(
            "SELECT a.id, a.at, a.action, a.subject, COALESCE(u.name, '') AS actor
             {from} WHERE {cond} AND {texts} ORDER BY a.id DESC LIMIT {limit}"
        ))
        .bind(q.actor)
        .bind(q.subject)
        .bind(q.action)
        .fetch_all(&self.pool)
        .await?;
        let total_cond = format!("a.at >= {} AND a.at < {}", q.from_ms, q.to_ms);
        let total: i64 = sqlx::query_scalar(&format!(
            "SELECT COUNT(*) {from} WHERE {total_cond} AND {texts}"
        ))
        .bind(q.actor)
        .bind(q.subject)
        .bind(q.action)
        .fetch_one(&self.pool)
        .await?;
        let entries = rows
            .iter()
            .map(|r| {
                Ok(AuditEntry {
                    id: r.try_get("id")?,
                    at: r.try_get("at")?,
                    actor: r.try_get("actor")?,
                    action: r.try_get("action")?,
                    subject: r.try_get("subject")?,
                })
            })
            .collect::<Result<Vec<_>, sqlx::Error>>()?;
        Ok((entries, total))
    }
}

/// The audit log's filters, checked (see `services::resident`).
pub struct AuditFilter<'a> {
    pub actor: &'a str,
    pub subject: &'a str,
    pub action: &'a str,
    pub from_ms: i64,
    pub to_ms: i64,
    pub before: Option<i64>,
}
