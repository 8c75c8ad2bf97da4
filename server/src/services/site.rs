//! 重点场所 (key sites): staff register the sites of their community and inspect them
//! against their type's checklist from the phone; a failed item opens a ticket routed
//! like any report, a re-inspection that passes it closes that ticket, and each site
//! falls due a cycle after its last inspection.
use super::duty::home_community;
use super::ticket::TicketService;
use super::{internal, signed_in};
use crate::db::site::{InspectionRecord, ItemRecord, ItemWrite, SiteRow, SiteScope, SiteWrite};
use crate::db::ticket::NewTicketRow;
use crate::db::{Db, is_unique_violation as is_unique};
use app::api::ports::SitePort;
use app::domain::AppError;
use app::domain::authz::{Action, allowed, require};
use app::domain::geo::LatLng;
use app::domain::grid::Duty;
use app::domain::site::{
    InspectionDone, InspectionInput, ItemOutcome, NOTE_MAX, OverdueGrid, SiteBoard, SiteDetail,
    SiteInput, SiteType, SiteTypeInput, check_results, check_site, check_type, due_at,
    inspection_items, item_outcome, parse_checklist,
};
use app::domain::ticket::{DESCRIPTION_MAX, TicketKind, check_idempotency_key};
use app::domain::time::now_ms;
use app::domain::user::{Actor, Role, SessionUser};
use app::i18n::Msg;
use std::sync::Arc;

pub struct SiteService {
    pub db: Db,
    pub tickets: Arc<TicketService>,
}

/// Inspections shown on a site's page.
const HISTORY: i64 = 20;

/// What a staff member answers for (sites, cameras): admins all, others their
/// community's; `action` decides who may ask at all.
pub async fn staff_scope(
    db: &Db,
    actor: &Actor,
    action: Action,
) -> Result<(SessionUser, SiteScope), AppError> {
    require(actor, action)?;
    let user = signed_in(actor)?.clone();
    let scope = match user.role {
        Role::Admin => SiteScope::All,
        Role::Director | Role::GridWorker => home_community(db, &user)
            .await?
            .map(SiteScope::Community)
            .ok_or(AppError::Forbidden)?,
        _ => return Err(AppError::Forbidden),
    };
    Ok((user, scope))
}

impl SiteService {
    async fn staff(&self, actor: &Actor) -> Result<(SessionUser, SiteScope), AppError> {
        staff_scope(&self.db, actor, Action::ViewSites).await
    }

    /// A site the caller answers for (404 unknown, 403 another community's).
    async fn site_in(&self, scope: SiteScope, id: i64) -> Result<SiteRow, AppError> {
        let row = self
            .db
            .site(id)
            .await
            .map_err(internal)?
            .ok_or(AppError::NotFound)?;
        if covers(scope, row.community) {
            Ok(row)
        } else {
            Err(AppError::Forbidden)
        }
    }

    async fn kind(&self, id: i64) -> Result<SiteType, AppError> {
        self.db
            .site_type(id)
            .await
            .map_err(internal)?
            .ok_or(AppError::Internal)
    }
}

pub fn covers(scope: SiteScope, community: Option<i64>) -> bool {
    match scope {
        SiteScope::All => true,
        SiteScope::Community(c) => community == Some(c),
    }
}

/// A contact number as stored: digits and dashes, 7 to 20 characters (landlines such
/// as 0395-1234567 included), or nothing.
fn contact_phone(s: &str) -> Result<String, AppError> {
    let t: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    let digits = t.chars().filter(char::is_ascii_digit).count();
    if t.is_empty()
        || (t.chars().all(|c| c.is_ascii_digit() || c == '-') && (7..=20).contains(&digits))
    {
        Ok(t)
    } else {
        Err(AppError::invalid("contact_phone", Msg::ErrPhone))
    }
}

#[async_trait::async_trait]
impl SitePort for SiteService {
    async fn board(&self, actor: &Actor) -> Result<SiteBoard, AppError> {
        let (_, scope) = self.staff(actor).await?;
        let now = now_ms();
        let sites: Vec<_> = self
            .db
            .sites(scope)
            .await
            .map_err(internal)?
            .into_iter()
            .map(|r| r.site)
            .collect();
        let mut overdue: Vec<OverdueGrid> = Vec::new();
        for s in sites.iter().filter(|s| s.overdue(now)) {
            match overdue.iter_mut().find(|g| g.grid == s.grid) {
                Some(g) => g.sites.push(s.clone()),
                None => overdue.push(OverdueGrid {
                    grid: s.grid,
                    grid_name: s.grid_name.clone(),
                    sites: vec![s.clone()],
                }),
            }
        }
        overdue.sort_by(|a, b| a.grid_name.cmp(&b.grid_name));
        let may_edit_types = allowed(actor, Action::ManageSiteTypes);
        let categories = if may_edit_types {
            self.db
                .categories(false)
                .await
                .map_err(internal)?
                .into_iter()
                .filter(|c| c.kind == TicketKind::Problem && c.active)
                .map(|c| (c.id, c.name_zh))
                .collect()
        } else {
            vec![]
        };
        Ok(SiteBoard {
            now_ms: now,
            types: self.db.site_types().await.map_err(internal)?,
            sites,
            overdue,
            may_edit_types,
            categories,
        })
    }

    async fn detail(&self, actor: &Actor, id: i64) -> Result<SiteDetail, AppError> {
        let (user, scope) = self.staff(actor).await?;
        let row = self.site_in(scope, id).await?;
        let kind = self.kind(row.site.type_id).await?;
        let hazards: Vec<_> = self
            .db
            .open_hazards(id)
            .await
            .map_err(internal)?
            .into_iter()
            .map(|(_, h)| h)
            .collect();
        let mut site = row.site;
        if !row.phone.is_empty() {
            self.db
                .audit(Some(user.id), "site_contact", &format!("site:{id}"))
                .await
                .map_err(internal)?;
            site.contact_phone = row.phone;
        }
        Ok(SiteDetail {
            checklist: inspection_items(&kind.checklist, &hazards),
            inspections: self.db.inspections(id, HISTORY).await.map_err(internal)?,
            hazards,
            site,
        })
    }

    async fn save(&self, actor: &Actor, s: SiteInput) -> Result<i64, AppError> {
        let (user, scope) = self.staff(actor).await?;
        check_site(&s)?;
        let phone = contact_phone(&s.contact_phone)?;
        if let Some(id) = s.id {
            self.site_in(scope, id).await?;
        }
        let kind = self
            .db
            .site_type(s.type_id)
            .await
            .map_err(internal)?
            .filter(|t| t.active)
            .ok_or_else(|| AppError::invalid("type_id", Msg::SiteErrType))?;
        let at = LatLng::new(s.lat, s.lng);
        if !at.is_valid() {
            return Err(AppError::invalid("location", Msg::ErrLocation));
        }
        let (grid, community, _) = self.tickets.route(at, Duty::Leader).await?;
        let community = community.map(|c| c.0);
        if grid.is_none() || !covers(scope, community) {
            return Err(AppError::invalid("location", Msg::SiteErrOutside));
        }
        let now = now_ms();
        self.db
            .save_site(&SiteWrite {
                input: &s,
                name: s.name.trim(),
                address: s.address.trim(),
                contact_name: s.contact_name.trim(),
                contact_phone: &phone,
                grid: grid.map(|g| g.0),
                community,
                by: user.id,
                now,
                due: due_at(now, None, kind.cycle_days),
            })
            .await
            .map_err(internal)
    }

    async fn save_type(&self, actor: &Actor, t: SiteTypeInput) -> Result<i64, AppError> {
        require(actor, Action::ManageSiteTypes)?;
        check_type(&t)?;
        let old = match t.id {
            Some(id) => Some(
                self.db
                    .site_type(id)
                    .await
                    .map_err(internal)?
                    .ok_or(AppError::NotFound)?,
            ),
            None => None,
        };
        let checklist = parse_checklist(old.as_ref().map_or(&[][..], |o| &o.checklist), &t.items)?;
        if let Some(c) = t.category {
            let ok = self
                .db
                .category(c)
                .await
                .map_err(internal)?
                .is_some_and(|c| c.active && c.kind == TicketKind::Problem);
            if !ok {
                return Err(AppError::invalid("category", Msg::ErrCategory));
            }
        }
        let row = SiteType {
            id: t.id.unwrap_or(0),
            name_zh: t.name_zh.trim().to_owned(),
            name_en: t.name_en.trim().to_owned(),
            cycle_days: t.cycle_days,
            checklist,
            category: t.category,
            active: t.active,
        };
        match self.db.save_site_type(&row).await {
            Ok(id) => Ok(id),
            Err(e) if is_unique(&e, "uq_site_types_name") => {
                Err(AppError::invalid("name_zh", Msg::SiteErrTypeTaken))
            }
            Err(e) => Err(internal(e)),
        }
    }

    async fn inspect(
        &self,
        actor: &Actor,
        id: i64,
        input: InspectionInput,
        photos: Vec<Vec<u8>>,
    ) -> Result<InspectionDone, AppError> {
        let (user, scope) = self.staff(actor).await?;
        if !check_idempotency_key(&input.idempotency_key) {
            return Err(AppError::invalid("idempotency_key", Msg::ErrRequestKey));
        }
        let row = self.site_in(scope, id).await?;
        if let Some(done) = self
            .db
            .inspection_by_key(user.id, &input.idempotency_key)
            .await
            .map_err(internal)?
        {
            return Ok(InspectionDone {
                id: done,
                opened: vec![],
                closed: vec![],
            });
        }
        let kind = self.kind(row.site.type_id).await?;
        let hazards = self.db.open_hazards(id).await.map_err(internal)?;
        let shown: Vec<_> = hazards.iter().map(|(_, h)| h.clone()).collect();
        let items = inspection_items(&kind.checklist, &shown);
        let wanted = check_results(&items, &input.results)?;
        if photos.len() != wanted {
            return Err(AppError::invalid("photos", Msg::ErrPhotoCount));
        }
        if input.note.trim().chars().count() > NOTE_MAX {
            return Err(AppError::invalid("note", Msg::ErrNote));
        }
        let open_of = |key: &str| hazards.iter().find(|(_, h)| h.item_key == key);
        let opens = input
            .results
            .iter()
            .any(|r| !r.pass && open_of(&r.key).is_none());
        let category = match kind.category {
            Some(c) if opens => self
                .db
                .category(c)
                .await
                .map_err(internal)?
                .filter(|c| c.active),
            _ => None,
        };
        if opens && category.is_none() {
            return Err(AppError::invalid("results", Msg::SiteErrNoCategory));
        }
        let at = LatLng::new(row.site.lat, row.site.lng);
        let (grid, community, assignee) = match &category {
            Some(c) => self.tickets.route(at, c.duty).await?,
            None => (None, None, None),
        };
        let (stored, written) = self.tickets.store_photos(photos, true).await?;
        // Each announced photo, in order, as its display copy and thumbnail.
        let mut per_item = Vec::with_capacity(items.len());
        let mut next = 0;
        for item in &items {
            let r = input
                .results
                .iter()
                .find(|r| r.key == item.key)
                .ok_or(AppError::Internal)?;
            let photo = if r.photo {
                next += 1;
                stored
                    .get(next - 1)
                    .cloned()
                    .into_iter()
                    .collect::<Vec<_>>()
            } else {
                vec![]
            };
            let description = {
                let note = r.note.trim();
                let text = if note.is_empty() {
                    format!("【重点场所检查】{}：{} 不合格", row.site.name, item.zh)
                } else {
                    format!(
                        "【重点场所检查】{}：{} 不合格。{note}",
                        row.site.name, item.zh
                    )
                };
                text.chars().take(DESCRIPTION_MAX).collect::<String>()
            };
            per_item.push((item, r, photo, description));
        }
        let now = now_ms();
        let records = per_item
            .iter()
            .map(|(item, r, photo, description)| {
                let open = open_of(&item.key);
                let write = match item_outcome(r.pass, open.map(|(_, h)| h.ticket)) {
                    ItemOutcome::Pass => ItemWrite::Pass,
                    ItemOutcome::Closes(ticket) => ItemWrite::Close {
                        hazard: open.map_or(0, |(h, _)| *h),
                        ticket,
                    },
                    ItemOutcome::StillOpen(ticket) => ItemWrite::Again { ticket },
                    ItemOutcome::Opens => ItemWrite::Open {
                        ticket: NewTicketRow {
                            category: category.as_ref().expect("checked above"),
                            reporter: user.id,
                            grid,
                            community,
                            assignee,
                            description,
                            lat: at.lat,
                            lng: at.lng,
                            parties: None,
                            idempotency_key: None,
                            created_at: now,
                            proxy: None,
                        },
                        photos: photo,
                    },
                };
                ItemRecord {
                    item,
                    pass: r.pass,
                    note: r.note.trim(),
                    photo_key: photo.first().map(|p| p.key.as_str()),
                    write,
                }
            })
            .collect();
        let record = InspectionRecord {
            site: id,
            inspector: user.id,
            at: now,
            note: input.note.trim(),
            key: &input.idempotency_key,
            next_due: due_at(row.created_at, Some(now), kind.cycle_days),
            items: records,
        };
        match self.db.record_inspection(&record).await {
            Ok(w) => {
                for t in w.touched {
                    self.tickets.announce_by_id(t).await;
                }
                Ok(InspectionDone {
                    id: w.id,
                    opened: w.opened,
                    closed: w.closed,
                })
            }
            Err(e) => {
                self.tickets.discard(&written).await;
                if is_unique(&e, "uq_inspections_key")
                    && let Ok(Some(id)) = self
                        .db
                        .inspection_by_key(user.id, &input.idempotency_key)
                        .await
                {
                    return Ok(InspectionDone {
                        id,
                        opened: vec![],
                        closed: vec![],
                    });
                }
                Err(internal(e))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contact_numbers_mobile_or_landline() {
        assert_eq!(contact_phone("0395-123 4567").unwrap(), "0395-1234567");
        assert_eq!(contact_phone("").unwrap(), "");
        assert!(contact_phone("123").is_err());
        assert!(contact_phone("call me").is_err());
    }
}
