//! Party organisations, members and meetings.
use super::{SeedError, staff_phone};
use crate::db::Db;
use app::domain::grid::Duty;

/// The seniors' council (闲事会, "相约星期三，闲事大家谈"): a concern gathering
/// support, one on the next Wednesday's agenda, one decided last week.
/// 新华街社区's four levels from the article: the community party committee, a party
/// branch per grid, 东安街居民党小组 (陈红乐's group) under the first branch; the
/// director, the grids' party-group leaders and two resident members placed (刘建国 a
/// 中心户); a 支部党员大会 a week ago with minutes (3 of 4 came) and tomorrow's 党小组会.
pub(super) async fn party(db: &Db) -> Result<(), SeedError> {
    use app::domain::party::{MeetingKind, OrgInput, OrgKind};
    use app::domain::shift::parse_local;
    use app::domain::time::format_cst;
    let now = crate::db::now_ms();
    let user = |phone: String| async move {
        db.credentials(&phone)
            .await?
            .map(|c| c.id.0)
            .ok_or_else(|| SeedError::Other(format!("user {phone} missing")))
    };
    let grids = db.list_grids().await?;
    let org = |parent: Option<i64>, kind: OrgKind, name: String, grid: Option<i64>| async move {
        db.save_org(
            &OrgInput {
                id: None,
                parent,
                kind,
                name,
                grid,
            },
            now,
        )
        .await?
        .ok_or_else(|| SeedError::Other("org not written".into()))
    };
    let committee = org(None, OrgKind::Committee, "新华街社区大党委".into(), None).await?;
    let mut branches = Vec::new();
    for k in 1..=3 {
        let grid = grids
            .iter()
            .find(|g| g.code == format!("LJ-XHJ-{k:02}"))
            .map(|g| g.id.0);
        let b = org(
            Some(committee),
            OrgKind::Branch,
            format!("新华街{k:02}网格党支部"),
            grid,
        )
        .await?;
        // Grids 4–6 are 新华街's; their party-group leaders sit in their branch.
        let leader = user(staff_phone(3 + k, Duty::PartyLeader)).await?;
        db.set_org_member(leader, b, false, now).await?;
        branches.push(b);
    }
    let group = org(
        Some(branches[0]),
        OrgKind::Group,
        "东安街居民党小组".into(),
        None,
    )
    .await?;
    let director = user("13903950002".into()).await?;
    let liu = user("13903970002".into()).await?;
    let li = user("13903970004".into()).await?;
    db.set_org_member(director, branches[0], false, now).await?;
    db.set_org_member(liu, group, true, now).await?;
    db.set_org_member(li, group, false, now).await?;
    let admin = user("13903950000".into()).await?;
    let day = 24 * 3600 * 1000;
    let at = |ms: i64, time: &str| {
        let date = format_cst(ms);
        parse_local(date.get(..10).unwrap_or_default(), time)
            .ok_or_else(|| SeedError::Other("bad seed date".into()))
    };
    let past = at(now - 7 * day, "19:30")?;
    let leader1 = user(staff_phone(4, Duty::PartyLeader)).await?;
    let expected = [director, leader1, liu, li];
    let m = db
        .insert_meeting(
            &crate::db::party::NewMeeting {
                org: branches[0],
                kind: MeetingKind::Assembly,
                title: "学习“三化融合”经验，谈网格党建",
                starts_at: past,
                place: "新华街社区党群服务中心二楼会议室",
                token: &crate::services::shift::random_token(),
                by: admin,
                at: past - 3 * day,
            },
            &expected,
        )
        .await?;
    db.set_minutes(
        m,
        "到会 3 人，缺席 1 人（李明，请假）。\n一、学习老街道“三化融合”经验材料。\n二、各网格党小组长汇报本月走访情况：东安街独居老人 6 户已全部建立联系卡。\n三、决定：中心户每月至少走访联系户一次，问题当天报网格员。",
    )
    .await?;
    for who in [director, leader1, liu] {
        db.meeting_check_in(m, who, past + 10 * 60 * 1000, None)
            .await?;
    }
    db.insert_meeting(
        &crate::db::party::NewMeeting {
            org: group,
            kind: MeetingKind::Group,
            title: "党小组会：冬季独居老人走访分工",
            starts_at: at(now + day, "19:30")?,
            place: "东安街居民活动室",
            token: &crate::services::shift::random_token(),
            by: admin,
            at: now,
        },
        &[liu, li],
    )
    .await?;
    Ok(())
}
