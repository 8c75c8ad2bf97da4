//! Key sites (重点场所): a school, a nursing home, a mall, an old compound and small
//! businesses across the communities; two are overdue (registered long ago and never
//! inspected), so the overdue list and the map's red dots have something to show; and
//! three cameras.
use super::{COMMUNITIES, SeedError, grid_bounds};
use crate::db::Db;
use app::domain::site::DAY_MS;
use app::domain::time::now_ms;

/// (community, grid within it, type, name, address, contact, phone, risks, registered
/// days ago).
type SiteRow = (
    usize,
    usize,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    i64,
    i64,
);

pub(super) async fn sites(db: &Db) -> Result<(), SeedError> {
    let admin: i64 = sqlx::query_scalar("SELECT MIN(id) FROM users WHERE role = 'admin'")
        .fetch_one(&db.pool)
        .await?;
    let rows: [SiteRow; 6] = [
        (
            0,
            0,
            "学校",
            "老街实验小学",
            "老街 18 号",
            "王校长",
            "13903978801",
            3,
            10,
        ),
        (
            0,
            1,
            "商场",
            "老街百货商场",
            "老街 66 号",
            "刘经理",
            "0395-3216688",
            3,
            5,
        ),
        (
            1,
            0,
            "敬老院",
            "夕阳红敬老院",
            "新华街 9 号",
            "张院长",
            "13903978802",
            1,
            40,
        ),
        (
            1,
            1,
            "老旧小区",
            "新华街 3 号院",
            "新华街 3 号",
            "赵主任",
            "",
            5,
            3,
        ),
        (
            2,
            2,
            "餐饮",
            "王记烩面馆",
            "滨河西路 12 号",
            "王师傅",
            "13903978803",
            1,
            35,
        ),
        (
            3,
            1,
            "九小场所",
            "受降路便民超市",
            "受降路 27 号",
            "孙老板",
            "13903978804",
            3,
            2,
        ),
    ];
    let now = now_ms();
    for (c, k, kind, name, address, contact, phone, risks, ago) in rows {
        let (s, w, n, e) = grid_bounds(c, k);
        let (lat, lng) = ((s + n) / 2.0, w + (e - w) * 0.3);
        let code = format!("{}-{:02}", COMMUNITIES[c].0, k + 1);
        let created = now - ago * DAY_MS;
        sqlx::query(
            "INSERT INTO sites (type_id, name, grid_id, community_id, address, contact_name,
             contact_phone, lat, lng, risks, created_by, created_at, due_at)
             SELECT t.id, $1, g.id, g.parent_id, $2, $3, $4, $5, $6, $7, $8, $9,
                    $9 + t.cycle_days * $10
             FROM site_types t, grids g WHERE t.name_zh = $11 AND g.code = $12",
        )
        .bind(name)
        .bind(address)
        .bind(contact)
        .bind(phone)
        .bind(lat)
        .bind(lng)
        .bind(risks)
        .bind(admin)
        .bind(created)
        .bind(DAY_MS)
        .bind(kind)
        .bind(&code)
        .execute(&db.pool)
        .await?;
    }
    // 雪亮工程 cameras (GB/T 28181 codes as on the street's video platform): a street
    // corner, a mall's entrance and a nursing home's gate (that device is offline).
    let cameras: [(usize, usize, &str, &str, &str, &str); 3] = [
        (
            1,
            1,
            "新华街口",
            "",
            "41100000001320000001",
            "41100000001320000001",
        ),
        (
            0,
            1,
            "老街百货商场门口",
            "老街百货商场",
            "41100000001320000001",
            "41100000001320000002",
        ),
        (
            1,
            0,
            "夕阳红敬老院大门",
            "夕阳红敬老院",
            "41100000001320000009",
            "41100000001320000009",
        ),
    ];
    for (c, k, name, site, device, channel) in cameras {
        let (s, w, n, e) = grid_bounds(c, k);
        let (lat, lng) = ((s + n) / 2.0 + (n - s) * 0.2, w + (e - w) * 0.6);
        let code = format!("{}-{:02}", COMMUNITIES[c].0, k + 1);
        sqlx::query(
            "INSERT INTO cameras (name, lat, lng, grid_id, community_id, site_id, device_id,
             channel_id, created_by, created_at)
             SELECT $1, $2, $3, g.id, g.parent_id, (SELECT MIN(id) FROM sites WHERE name = $4),
                    $5, $6, $7, $8
             FROM grids g WHERE g.code = $9",
        )
        .bind(name)
        .bind(lat)
        .bind(lng)
        .bind(site)
        .bind(device)
        .bind(channel)
        .bind(admin)
        .bind(now)
        .bind(&code)
        .execute(&db.pool)
        .await?;
    }
    Ok(())
}
