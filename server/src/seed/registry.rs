//! The resident registry.
use super::{COMMUNITIES, GIVEN, GRID_PLACES, SURNAMES, SeedError};
use crate::db::Db;

/// The registry: about sixty people in three buildings per grid, some elderly
/// living alone or disabled; the demo residents live in 新华街社区 (陈桂兰, 75, alone).
pub(super) async fn registry(db: &Db) -> Result<(), SeedError> {
    use app::domain::resident::{CheckedRow, Tag, id_check};
    let grids = db.grid_codes().await?;
    let mut rows = Vec::new();
    let mut person = |code: &str,
                      building: String,
                      room: String,
                      name: String,
                      phone: String,
                      year: u32,
                      tags: Vec<Tag>| {
        let Some(grid) = grids.get(code) else { return };
        let n = rows.len() as u32;
        let first17 = format!(
            "411102{year:04}{:02}{:02}{:03}",
            n % 12 + 1,
            n % 28 + 1,
            n % 1000
        );
        let id_number = id_check(&first17)
            .map(|c| format!("{first17}{c}"))
            .unwrap_or_default();
        rows.push((
            *grid,
            CheckedRow {
                grid_code: code.to_owned(),
                building,
                room,
                name,
                phone,
                id_number,
                tags,
            },
        ));
    };
    let known = [
        (
            "LJ-XHJ-02",
            "新华街12号院3号楼",
            "1单元101",
            "陈桂兰",
            "13903970001",
            1951,
            vec![Tag::ElderlyAlone],
        ),
        (
            "LJ-XHJ-02",
            "新华街12号院3号楼",
            "2单元402",
            "张秀英",
            "13903970003",
            1958,
            vec![],
        ),
        (
            "LJ-LJ-01",
            "顺河街8号院",
            "1单元301",
            "刘建国",
            "13903970002",
            1962,
            vec![],
        ),
        (
            "LJ-BX-01",
            "滨河小区5号楼",
            "3单元602",
            "李明",
            "13903970004",
            1990,
            vec![Tag::Floating],
        ),
    ];
    for (code, b, r, name, phone, year, tags) in known {
        person(
            code,
            b.into(),
            r.into(),
            name.into(),
            phone.into(),
            year,
            tags,
        );
    }
    for (c, (community, _)) in COMMUNITIES.iter().enumerate() {
        for k in 1..=3 {
            let g = c * 3 + k - 1;
            let code = format!("{community}-{k:02}");
            for i in 0..60 {
                let building = format!("{}{}号楼", GRID_PLACES[g], i / 20 + 1);
                let room = format!("{}单元{}0{}", i % 3 + 1, i % 6 + 1, i % 4 + 1);
                let mut name = format!("{}{}", SURNAMES[(g + i) % 12], GIVEN[(g * 7 + i * 3) % 10]);
                // The demo residents' names stay unique, so they are easy to find.
                if ["陈桂兰", "张秀英", "刘建国", "李明"].contains(&name.as_str()) {
                    name.push('芳');
                }
                let phone = format!("1370395{:04}", g * 100 + i);
                let (year, tags) = match i % 12 {
                    0 => (1943 + (i as u32 % 8), vec![Tag::ElderlyAlone]),
                    5 => (1950, vec![Tag::Disabled]),
                    7 => (1996, vec![Tag::Floating]),
                    9 => (1947, vec![Tag::ElderlyAlone, Tag::LowIncome]),
                    _ => (1960 + (i as u32 % 40), vec![]),
                };
                person(&code, building, room, name, phone, year, tags);
            }
        }
    }
    db.import_residents(&rows).await?;
    Ok(())
}
