//! 重点场所 (key sites): types, sites, inspections and the hazards they open and close.
use super::Db;
use super::ticket::{NewTicketRow, StoredPhoto, insert_event, insert_ticket_in};
use app::domain::site::{
    ChecklistItem, Hazard, InspectionView, ItemView, Site, SiteInput, SiteType,
};
use app::domain::ticket::{EventKind, TicketAction, TicketId, TicketStatus};
use app::domain::user::{UserId, mask_phone};
use sqlx::Row;
use sqlx::any::AnyRow;

/// Which sites a list holds.
#[derive(Debug, Clone, Copy)]
pub enum SiteScope {
    All,
    Community(i64),
}

/// A site with its community (for the scope checks).
pub struct SiteRow {
    pub site: Site,
    pub community: Option<i64>,
    pub phone: String,
    pub cycle_days: i64,
    pub created_at: i64,
}

/// A site as registered or edited, with where it lies.
pub struct SiteWrite<'a> {
    pub input: &'a SiteInput,
    pub name: &'a str,
    pub address: &'a str,
    pub contact_name: &'a str,
    pub contact_phone: &'a str,
    pub grid: Option<i64>,
    pub community: Option<i64>,
    pub by: UserId,
    pub now: i64,
    /// For a new site: when its first inspection is due.
    pub due: i64,
}

/// What one item of an inspection writes.
pub enum ItemWrite<'a> {
    Pass,
    /// Passed: closes the hazard and its ticket if still open.
    Close {
        hazard: i64,
        ticket: i64,
    },
    /// Failed: a new ticket (the row as for any report) and a hazard.
    Open {
        ticket: NewTicketRow<'a>,
        photos: &'a [StoredPhoto],
    },
    /// Failed while its ticket is open: a fix awaiting its check goes back to work.
    Again {
        ticket: i64,
    },
}

pub struct ItemRecord<'a> {
    pub item: &'a ChecklistItem,
    pub pass: bool,
    pub note: &'a str,
    pub photo_key: Option<&'a str>,
    pub write: ItemWrite<'a>,
}

pub struct InspectionRecord<'a> {
    pub site: i64,
    pub inspector: UserId,
    pub at: i64,
    pub note: &'a str,
    pub key: &'a str,
    pub next_due: i64,
    pub items: Vec<ItemRecord<'a>>,
}

const SITE_COLS: &str = "s.id, s.type_id, t.name_zh AS type_name, s.name, s.grid_id,
    COALESCE(g.name, '') AS grid_name, s.community_id, s.address, s.contact_name,
    s.contact_phone, s.lat, s.lng, s.risks, s.last_inspected_at, s.due_at, s.created_at,
    t.cycle_days,
    (SELECT COUNT(*) FROM site_hazards h JOIN tickets k ON k.id = h.ticket_id
     WHERE h.site_id = s.id AND h.closed_at IS NULL
       AND k.status NOT IN ('closed', 'rejected', 'duplicate')) AS open_hazards";
const SITE_FROM: &str = "FROM sites s JOIN site_types t ON t.id = s.type_id
    LEFT JOIN grids g ON g.id = s.grid_id";

fn site_row(r: &AnyRow) -> Result<SiteRow, sqlx::Error> {
    let phone: String = r.try_get("contact_phone")?;
    Ok(SiteRow {
        site: Site {
            id: r.try_get("id")?,
            type_id: r.try_get("type_id")?,
            type_name: r.try_get("type_name")?,
            name: r.try_get("name")?,
            grid: r.try_get("grid_id")?,
            grid_name: r.try_get("grid_name")?,
            address: r.try_get("address")?,
            contact_name: r.try_get("contact_name")?,
            contact_phone: if phone.is_empty() {
                String::new()
            } else {
                mask_phone(&phone)
            },
            lat: r.try_get("lat")?,
            lng: r.try_get("lng")?,
            risks: r.try_get("risks")?,
            last_inspected_ms: r.try_get("last_inspected_at")?,
            due_ms: r.try_get("due_at")?,
            open_hazards: r.try_get("open_hazards")?,
        },
        community: r.try_get("community_id")?,
        phone,
        cycle_days: r.try_get("cycle_days")?,
        created_at: r.try_get("created_at")?,
    })
}

fn site_type(r: &AnyRow) -> Result<SiteType, sqlx::Error> {
    let list: String = r.try_get("checklist")?;
    Ok(SiteType {
        id: r.try_get("id")?,
        name_zh: r.try_get("name_zh")?,
        name_en: r.try_get("name_en")?,
        cycle_days: r.try_get("cycle_days")?,
        checklist: serde_json::from_str(&list).map_err(|e| sqlx::Error::Decode(e.into()))?,
        category: r.try_get("category_id")?,
        active: r.try_get::<i64, _>("active")? != 0,
    })
}

impl Db {
    pub async fn site_types(&self) -> Result<Vec<SiteType>, sqlx::Error> {
        sqlx::query("SELECT * FROM site_types ORDER BY id")
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(site_type)
            .collect()
    }

    pub async fn site_type(&self, id: i64) -> Result<Option<SiteType>, sqlx::Error> {
        sqlx::query("SELECT * FROM site_types WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(site_type)
            .transpose()
    }

    /// Saves a type; a changed cycle moves the due date of its sites inspected before.
    pub async fn save_site_type(&self, t: &SiteType) -> Result<i64, sqlx::Error> {
        let list =
            serde_json::to_string(&t.checklist).map_err(|e| sqlx::Error::Encode(e.into()))?;
        let mut tx = self.pool.begin().await?;
        let id = if t.id == 0 {
            sqlx::query_scalar(
                "INSERT INTO site_types (name_zh, name_en, cycle_days, checklist, category_id, active)
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            )
            .bind(&t.name_zh)
            .bind(&t.name_en)
            .bind(t.cycle_days)
            .bind(&list)
            .bind(t.category)
            .bind(i64::from(t.active))
            .fetch_one(&mut *tx)
            .await?
        } else {
            sqlx::query(
                "UPDATE site_types SET name_zh = $1, name_en = $2, cycle_days = $3, checklist = $4,
                 category_id = $5, active = $6 WHERE id = $7",
            )
            .bind(&t.name_zh)
            .bind(&t.name_en)
            .bind(t.cycle_days)
            .bind(&list)
            .bind(t.category)
            .bind(i64::from(t.active))
            .bind(t.id)
            .execute(&mut *tx)
            .await?;
            sqlx::query(
                "UPDATE sites SET due_at = COALESCE(last_inspected_at, created_at) + $1
                 WHERE type_id = $2",
            )
            .bind(t.cycle_days * app::domain::site::DAY_MS)
            .bind(t.id)
            .execute(&mut *tx)
            .await?;
            t.id
        };
        tx.commit().await?;
        Ok(id)
    }

    pub async fn sites(&self, scope: SiteScope) -> Result<Vec<SiteRow>, sqlx::Error> {
        // The community is a number written into the statement.
        let filter = match scope {
            SiteScope::All => String::new(),
            SiteScope::Community(c) => format!(" AND s.community_id = {c}"),
        };
        sqlx::query(&format!(
            "SELECT {SITE_COLS} {SITE_FROM} WHERE s.active = 1{filter} ORDER BY s.due_at, s.id"
        ))
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(site_row)
        .collect()
    }

    pub async fn site(&self, id: i64) -> Result<Option<SiteRow>, sqlx::Error> {
        sqlx::query(&format!(
            "SELECT {SITE_COLS} {SITE_FROM} WHERE s.id = $1 AND s.active = 1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .as_ref()
        .map(site_row)
        .transpose()
    }

    /// Registers or edits a site; an edit keeps its inspections and due date unless
    /// its type changed.
    pub async fn save_site(&self, w: &SiteWrite<'_>) -> Result<i64, sqlx::Error> {
        let s = w.input;
        match s.id {
            None => sqlx::query_scalar(
                "INSERT INTO sites (type_id, name, grid_id, community_id, address, contact_name,
                     contact_phone, lat, lng, risks, created_by, created_at, due_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
            )
            .bind(s.type_id)
            .bind(w.name)
            .bind(w.grid)
            .bind(w.community)
            .bind(w.address)
            .bind(w.contact_name)
            .bind(w.contact_phone)
            .bind(s.lat)
            .bind(s.lng)
            .bind(s.risks)
            .bind(w.by.0)
            .bind(w.now)
            .bind(w.due)
            .fetch_one(&self.pool)
            .await,
            Some(id) => {
                sqlx::query(
                    "UPDATE sites SET type_id = $1, name = $2, grid_id = $3, community_id = $4,
                     address = $5, contact_name = $6, contact_phone = $7, lat = $8, lng = $9,
                     risks = $10,
                     due_at = CASE WHEN type_id = $1 THEN due_at ELSE
                        COALESCE(last_inspected_at, created_at)
                        + (SELECT cycle_days FROM site_types WHERE id = $1) * $11 END
                     WHERE id = $12",
                )
                .bind(s.type_id)
                .bind(w.name)
                .bind(w.grid)
                .bind(w.community)
                .bind(w.address)
                .bind(w.contact_name)
                .bind(w.contact_phone)
                .bind(s.lat)
                .bind(s.lng)
                .bind(s.risks)
                .bind(app::domain::site::DAY_MS)
                .bind(id)
                .execute(&self.pool)
                .await?;
                Ok(id)
            }
        }
    }

    /// Hazards still open: not closed by a re-inspection, their ticket still handled.
    pub async fn open_hazards(&self, site: i64) -> Result<Vec<(i64, Hazard)>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT h.id, h.item_key, h.item, h.ticket_id, h.opened_at, k.status
             FROM site_hazards h JOIN tickets k ON k.id = h.ticket_id
             WHERE h.site_id = $1 AND h.closed_at IS NULL
               AND k.status NOT IN ('closed', 'rejected', 'duplicate')
             ORDER BY h.id",
        )
        .bind(site)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    r.try_get("id")?,
                    Hazard {
                        item_key: r.try_get("item_key")?,
                        item: r.try_get("item")?,
                        ticket: r.try_get("ticket_id")?,
                        ticket_status: r.try_get("status")?,
                        opened_ms: r.try_get("opened_at")?,
                    },
                ))
            })
            .collect()
    }

    /// The site's latest inspections, newest first, with their items.
    pub async fn inspections(
        &self,
        site: i64,
        limit: i64,
    ) -> Result<Vec<InspectionView>, sqlx::Error> {
        let heads = sqlx::query(
            "SELECT i.id, u.name, i.at, i.note FROM inspections i JOIN users u ON u.id = i.inspector_id
             WHERE i.site_id = $1 ORDER BY i.at DESC, i.id DESC LIMIT $2",
        )
        .bind(site)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::with_capacity(heads.len());
        for h in &heads {
            let id: i64 = h.try_get("id")?;
            let items = sqlx::query(
                "SELECT item, pass, note, photo_key, ticket_id FROM inspection_items
                 WHERE inspection_id = $1 ORDER BY pass, item_key",
            )
            .bind(id)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| {
                Ok(ItemView {
                    item: r.try_get("item")?,
                    pass: r.try_get::<i64, _>("pass")? != 0,
                    note: r.try_get("note")?,
                    photo: r.try_get("photo_key")?,
                    ticket: r.try_get("ticket_id")?,
                })
            })
            .collect::<Result<Vec<_>, sqlx::Error>>()?;
            out.push(InspectionView {
                id,
                by: h.try_get("name")?,
                at_ms: h.try_get("at")?,
                note: h.try_get("note")?,
                items,
            });
        }
        Ok(out)
    }

    pub async fn inspection_by_key(
        &self,
        inspector: UserId,
        key: &str,
    ) -> Result<Option<i64>, sqlx::Error> {
        sqlx::query_scalar(
            "SELECT id FROM inspections WHERE inspector_id = $1 AND idempotency_key = $2",
        )
        .bind(inspector.0)
        .bind(key)
        .fetch_optional(&self.pool)
        .await
    }

    /// The whole inspection in one transaction: its items, the tickets failed items
    /// open, the tickets passed items close, and the site's next due date.
    pub async fn record_inspection(
        &self,
        r: &InspectionRecord<'_>,
    ) -> Result<InspectionWritten, sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO inspections (site_id, inspector_id, at, note, idempotency_key)
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(r.site)
        .bind(r.inspector.0)
        .bind(r.at)
        .bind(r.note)
        .bind(r.key)
        .fetch_one(&mut *tx)
        .await?;
        let (mut touched, mut opened, mut closed) = (Vec::new(), Vec::new(), Vec::new());
        for it in &r.items {
            let ticket = match &it.write {
                ItemWrite::Pass => None,
                ItemWrite::Open { ticket, photos } => {
                    let t = insert_ticket_in(&mut tx, ticket, photos).await?;
                    sqlx::query(
                        "INSERT INTO site_hazards (site_id, item_key, item, ticket_id, opened_at)
                         VALUES ($1, $2, $3, $4, $5)",
                    )
                    .bind(r.site)
                    .bind(&it.item.key)
                    .bind(&it.item.zh)
                    .bind(t.0)
                    .bind(r.at)
                    .execute(&mut *tx)
                    .await?;
                    touched.push(t);
                    opened.push(t.0);
                    Some(t.0)
                }
                ItemWrite::Close { hazard, ticket } => {
                    sqlx::query("UPDATE site_hazards SET closed_at = $1 WHERE id = $2")
                        .bind(r.at)
                        .bind(hazard)
                        .execute(&mut *tx)
                        .await?;
                    let moved = sqlx::query(
                        "UPDATE tickets SET status = 'closed', updated_at = $1, escalation = 0,
                         outcome = COALESCE(outcome, 'fixed'), resolved_at = COALESCE(resolved_at, $1),
                         checked_by = $2, check_due_at = NULL, rating_asked_at = NULL
                         WHERE id = $3 AND status NOT IN ('closed', 'rejected', 'duplicate')",
                    )
                    .bind(r.at)
                    .bind(r.inspector.0)
                    .bind(ticket)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                    closed.push(*ticket);
                    let step = (TicketAction::PassCheck, TicketStatus::Closed, "复查合格");
                    on_moved(&mut tx, moved, TicketId(*ticket), r, id, step, &mut touched).await?;
                    Some(*ticket)
                }
                ItemWrite::Again { ticket } => {
                    let moved = sqlx::query(
                        "UPDATE tickets SET status = 'in_progress', updated_at = $1,
                         rework = rework + 1, check_due_at = NULL, rating_asked_at = NULL
                         WHERE id = $2 AND status IN ('checking', 'resolved')",
                    )
                    .bind(r.at)
                    .bind(ticket)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                    let step = (
                        TicketAction::FailCheck,
                        TicketStatus::InProgress,
                        "复查仍不合格",
                    );
                    on_moved(&mut tx, moved, TicketId(*ticket), r, id, step, &mut touched).await?;
                    Some(*ticket)
                }
            };
            sqlx::query(
                "INSERT INTO inspection_items (inspection_id, item_key, item, pass, note, photo_key,
                 ticket_id) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(id)
            .bind(&it.item.key)
            .bind(&it.item.zh)
            .bind(i64::from(it.pass))
            .bind(it.note)
            .bind(it.photo_key)
            .bind(ticket)
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query("UPDATE sites SET last_inspected_at = $1, due_at = $2 WHERE id = $3")
            .bind(r.at)
            .bind(r.next_due)
            .bind(r.site)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(InspectionWritten {
            id,
            opened,
            closed,
            touched,
        })
    }

    /// How many sites are overdue, per community (for the command screen).
    pub async fn overdue_sites(&self, now: i64) -> Result<i64, sqlx::Error> {
        sqlx::query_scalar("SELECT COUNT(*) FROM sites WHERE active = 1 AND due_at < $1")
            .bind(now)
            .fetch_one(&self.pool)
            .await
    }
}

/// What an inspection wrote: its id, the tickets its failed items opened, the tickets of
/// the hazards its passed items closed, and every ticket it changed (to announce).
pub struct InspectionWritten {
    pub id: i64,
    pub opened: Vec<i64>,
    pub closed: Vec<i64>,
    pub touched: Vec<TicketId>,
}

/// After a re-inspection's ticket update: when it moved the ticket (`moved` rows), the
/// step on the ticket's timeline, naming the inspection.
async fn on_moved(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    moved: u64,
    ticket: TicketId,
    r: &InspectionRecord<'_>,
    inspection: i64,
    (action, status, words): (TicketAction, TicketStatus, &str),
    touched: &mut Vec<TicketId>,
) -> Result<(), sqlx::Error> {
    if moved > 0 {
        insert_event(
            tx,
            ticket,
            Some(r.inspector),
            EventKind::Action(action),
            status,
            &format!("{words} · 检查记录 #{inspection}"),
            r.at,
        )
        .await?;
        touched.push(ticket);
    }
    Ok(())
}
