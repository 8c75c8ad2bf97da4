//! Demo data for Laojie street (老街街道, Luohe): the street, its four communities
//! and twelve grids with outlines, staff for all five duties of every grid,
//! directors, a coordinator, an admin and some residents. Every demo account's
//! password is [`DEMO_PASSWORD`]; the README lists the logins.
use crate::db::Db;
use crate::db::user::NewUser;
use crate::services::auth::hash_password;
use app::domain::grid::{Duty, GridId};
use app::domain::user::{Role, UserId};

mod council;
mod duty;
mod grids;
mod lessons;
mod party;
mod registry;
mod sites;
mod study;
mod tickets;
mod volunteers;

use council::council;
use duty::duty;
pub use grids::{demo_grids, grid_bounds};
use lessons::lessons;
use party::party;
use registry::registry;
use study::study;
use tickets::{categories, tickets};
use volunteers::volunteers;

pub const DEMO_PASSWORD: &str = "tongxin2026";

#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error(transparent)]
    Sqlx(#[from] sqlx::Error),
    #[error("seed: {0}")]
    Other(String),
}

pub const COMMUNITIES: [(&str, &str); 4] = [
    ("LJ-LJ", "老街社区"),
    ("LJ-XHJ", "新华街社区"),
    ("LJ-BX", "滨西社区"),
    ("LJ-SXL", "受降路社区"),
];

const GRID_PLACES: [&str; 12] = [
    "顺河街片",
    "马路街片",
    "老街口片",
    "新华街片",
    "168号楼片",
    "交通路片",
    "滨河小区",
    "西城小区",
    "沙澧片",
    "受降路北片",
    "受降路南片",
    "人民路片",
];

const SURNAMES: [&str; 12] = [
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙",
];
const GIVEN: [&str; 10] = [
    "建国", "秀英", "红梅", "志强", "海燕", "国庆", "丽娟", "文军", "桂兰", "明杰",
];

/// Phone of the person holding `duty` in grid number `g` (1..=12): 1390396 GG D.
pub fn staff_phone(g: usize, duty: Duty) -> String {
    let d = Duty::ALL.iter().position(|x| *x == duty).unwrap_or(0) + 1;
    format!("13903960{g:02}{d}")
}

fn staff_name(g: usize, d: usize) -> String {
    // 新华街02网格长 is 潘月丽 in the seed article.
    if g == 5 && d == 0 {
        return "潘月丽".into();
    }
    let i = g * 5 + d;
    format!(
        "{}{}",
        SURNAMES[i % SURNAMES.len()],
        GIVEN[(i / SURNAMES.len() + i) % GIVEN.len()]
    )
}

/// Loads the demo into an empty database; does nothing if anyone exists.
pub async fn demo_if_empty(db: &Db) -> Result<bool, SeedError> {
    if db.count_users().await? > 0 {
        return Ok(false);
    }
    demo(db).await?;
    Ok(true)
}

pub async fn demo(db: &Db) -> Result<(), SeedError> {
    db.upsert_grids(&demo_grids())
        .await
        .map_err(|e| SeedError::Other(e.to_string()))?;
    // One hash shared by all demo accounts keeps seeding fast; real accounts each
    // get their own salt.
    let hash = hash_password(DEMO_PASSWORD)
        .await
        .map_err(|e| SeedError::Other(e.to_string()))?;
    let grids = db.list_grids().await?;
    let id_of = |code: &str| grids.iter().find(|g| g.code == code).map(|g| g.id);
    let add =
        |name: String, phone: String, role: Role, scope: Option<GridId>, flags: (bool, bool)| {
            let hash = hash.clone();
            async move {
                db.insert_user(&NewUser {
                    name: &name,
                    phone: &phone,
                    password_hash: &hash,
                    role,
                    volunteer: flags.0,
                    party_member: flags.1,
                    scope,
                    phone_verified: true,
                })
                .await
            }
        };
    add(
        "魏留红".into(),
        "13903950000".into(),
        Role::Admin,
        id_of("LJ"),
        (false, true),
    )
    .await?;
    let directors = ["丁许临", "邓伟", "陈晓东", "马丽萍"];
    for (i, (code, _)) in COMMUNITIES.iter().enumerate() {
        add(
            directors[i].into(),
            format!("139039500{:02}", i + 1),
            Role::Director,
            id_of(code),
            (false, true),
        )
        .await?;
    }
    add(
        "赵春纪".into(),
        "13903950010".into(),
        Role::Coordinator,
        id_of("LJ"),
        (true, true),
    )
    .await?;
    let mut g = 0usize;
    for (code, _) in COMMUNITIES {
        for k in 1..=3 {
            g += 1;
            let grid = id_of(&format!("{code}-{k:02}"))
                .ok_or_else(|| SeedError::Other(format!("grid {code}-{k:02} missing")))?;
            for (d, duty) in Duty::ALL.into_iter().enumerate() {
                let uid: UserId = add(
                    staff_name(g, d),
                    staff_phone(g, duty),
                    Role::GridWorker,
                    Some(grid),
                    (false, duty == Duty::PartyLeader),
                )
                .await?;
                db.assign_duty(grid, duty, uid).await?;
            }
        }
    }
    let residents = [
        ("陈桂兰", "13903970001", false, false),
        ("刘建国", "13903970002", true, true),
        ("张秀英", "13903970003", true, false),
        ("李明", "13903970004", false, true),
    ];
    for (name, phone, vol, party) in residents {
        add(
            name.into(),
            phone.into(),
            Role::Resident,
            None,
            (vol, party),
        )
        .await?;
    }
    categories(db, id_of("LJ-XHJ")).await?;
    tickets(db).await?;
    registry(db).await?;
    volunteers(db).await?;
    council(db).await?;
    study(db).await?;
    lessons(db).await?;
    party(db).await?;
    duty(db).await?;
    sites::sites(db).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::domain::grid::GridLevel;

    #[test]
    fn demo_grids_nest_and_tile_the_street() {
        let gs = demo_grids();
        assert_eq!(gs.iter().filter(|g| g.level == GridLevel::Grid).count(), 12);
        assert_eq!(
            gs.iter()
                .filter(|g| g.level == GridLevel::Community)
                .count(),
            4
        );
        // Strips share edges exactly: east of one is west of the next.
        for c in 0..4 {
            for k in 0..2 {
                assert_eq!(grid_bounds(c, k).3, grid_bounds(c, k + 1).1);
            }
        }
        assert_eq!(staff_phone(5, Duty::Leader), "13903960051");
    }
}
