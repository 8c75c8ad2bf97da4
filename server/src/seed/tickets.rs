//! Ticket categories and tickets.
use super::{SeedError, grid_bounds};
use crate::db::Db;
use crate::db::ticket::NewTicketRow;
use app::domain::grid::{Duty, GridId};
use app::domain::ticket::{CategoryInput, TicketKind};

/// Street-wide categories (deadlines in minutes; emergencies answer in 1 and are on
/// site in 3, as the article says) and 新华街社区's service menu.
pub(super) async fn categories(db: &Db, xhj: Option<GridId>) -> Result<(), SeedError> {
    use Duty::*;
    use TicketKind::*;
    type Row = (
        &'static str,
        &'static str,
        &'static str,
        TicketKind,
        Duty,
        i64,
        Option<i64>,
        i64,
        bool,
    );
    let rows: [Row; 9] = [
        (
            "emergency",
            "火情、险情等突发事件",
            "Fire or other emergency",
            Problem,
            Police,
            1,
            Some(3),
            120,
            false,
        ),
        (
            "public_order",
            "治安隐患",
            "Public order and safety",
            Problem,
            Police,
            30,
            None,
            1440,
            false,
        ),
        (
            "facilities",
            "设施损坏（路灯、水管、井盖）",
            "Broken facilities (lights, pipes, drains)",
            Problem,
            Property,
            60,
            None,
            2880,
            false,
        ),
        (
            "sanitation",
            "环境卫生、垃圾堆放",
            "Litter and sanitation",
            Problem,
            Manager,
            60,
            None,
            1440,
            false,
        ),
        (
            "obstruction",
            "占道经营、乱停乱放",
            "Street obstruction and parking",
            Problem,
            Manager,
            60,
            None,
            1440,
            false,
        ),
        (
            "other",
            "其他问题",
            "Other problem",
            Problem,
            Leader,
            120,
            None,
            4320,
            false,
        ),
        (
            "dispute",
            "邻里矛盾纠纷",
            "Neighbour dispute",
            Mediation,
            Leader,
            60,
            None,
            10080,
            false,
        ),
        (
            "xhj_visit",
            "上门探望独居老人",
            "Home visit to an older person living alone",
            Service,
            PartyLeader,
            240,
            None,
            4320,
            true,
        ),
        (
            "xhj_paperwork",
            "代办证明、证件材料",
            "Help with certificates and paperwork",
            Service,
            Manager,
            240,
            None,
            4320,
            true,
        ),
    ];
    for (code, zh, en, kind, duty, accept, on_site, resolve, community) in rows {
        db.save_category(&CategoryInput {
            id: None,
            code: code.into(),
            name_zh: zh.into(),
            name_en: en.into(),
            kind,
            duty,
            accept_min: accept,
            on_site_min: on_site,
            resolve_min: resolve,
            community: if community { xhj } else { None },
            active: true,
            checker: None,
        })
        .await?;
    }
    Ok(())
}

/// Two tickets from the article's stories in 新华街02 (潘月丽's grid): a leaking pipe
/// between neighbours to mediate, and an older resident asking for a visit.
pub(super) async fn tickets(db: &Db) -> Result<(), SeedError> {
    let grids = db.list_grids().await?;
    let find = |code: &str| grids.iter().find(|g| g.code == code);
    let (Some(grid), Some(community)) = (find("LJ-XHJ-02"), find("LJ-XHJ")) else {
        return Err(SeedError::Other("新华街 grids missing".into()));
    };
    let (s, w, n, e) = grid_bounds(1, 1);
    let at = ((s + n) / 2.0, (w + e) / 2.0);
    let stories = [
        (
            "dispute",
            "13903970001",
            "楼上水管年久失修漏水，渗到我家天花板，和邻居协商不成，请网格员帮忙调解。",
            Some("陈桂兰（3 号楼 302）与 402 住户"),
        ),
        (
            "xhj_visit",
            "13903970003",
            "我母亲 82 岁独居，腿脚不便，想请网格员有空上门看看她。",
            None,
        ),
    ];
    for (i, (code, phone, text, parties)) in stories.into_iter().enumerate() {
        let category = db
            .category_by_code(code)
            .await?
            .ok_or_else(|| SeedError::Other(format!("category {code} missing")))?;
        let reporter = db
            .credentials(phone)
            .await?
            .ok_or_else(|| SeedError::Other(format!("user {phone} missing")))?
            .id;
        let assignee = db.staff_with_duty(grid.id, category.duty).await?;
        #[allow(clippy::cast_precision_loss)]
        let offset = i as f64 * 0.0006;
        db.insert_ticket(
            &NewTicketRow {
                category: &category,
                reporter,
                grid: Some(grid.id),
                community: Some(community.id),
                assignee,
                description: text,
                lat: at.0 + offset,
                lng: at.1 - offset,
                parties,
                idempotency_key: None,
                created_at: crate::db::now_ms(),
                proxy: None,
            },
            &[],
        )
        .await?;
    }
    Ok(())
}
