//! Red-vest patrol teams, patrol shifts and community events.
use super::{COMMUNITIES, SeedError};
use crate::db::Db;
use app::domain::grid::Duty;
use app::domain::user::UserId;

/// Two red-vest patrol teams per grid (one short in 滨西03, so the roster shows a gap),
/// weekly evening patrols in 新华街02 for four weeks and two community events.
pub(super) async fn volunteers(db: &Db) -> Result<(), SeedError> {
    use app::domain::shift::{
        Recurrence, ShiftInput, ShiftKind, TeamId, parse_local, week_start, weekday_bit,
    };
    let grids = db.list_grids().await?;
    let user = |phone: &'static str| async move {
        db.credentials(phone)
            .await?
            .map(|c| c.id)
            .ok_or_else(|| SeedError::Other(format!("user {phone} missing")))
    };
    let coordinator = user("13903950010").await?;
    let volunteers = [user("13903970002").await?, user("13903970003").await?];
    let mut xhj02_team = None;
    for (code, _) in COMMUNITIES {
        for k in 1..=3 {
            let Some(grid) = grids.iter().find(|r| r.code == format!("{code}-{k:02}")) else {
                continue;
            };
            let leader = db.staff_with_duty(grid.id, Duty::PartyLeader).await?;
            let short = code == "LJ-BX" && k == 3;
            for n in ["一队", "二队"].iter().take(if short { 1 } else { 2 }) {
                let members: &[UserId] = if code == "LJ-XHJ" && k == 2 {
                    &volunteers
                } else {
                    &[]
                };
                let t: TeamId = db
                    .insert_team(
                        grid.id,
                        &format!("{}红马甲巡逻{n}", grid.name),
                        leader,
                        members,
                    )
                    .await?;
                xhj02_team = xhj02_team.or((code == "LJ-XHJ" && k == 2).then_some(t));
            }
        }
    }
    let find = |code: &str| grids.iter().find(|r| r.code == code).map(|r| r.id);
    let (Some(xhj02), Some(xhj01)) = (find("LJ-XHJ-02"), find("LJ-XHJ-01")) else {
        return Err(SeedError::Other("新华街 grids missing".into()));
    };
    // Tomorrow's date in Luohe, and the Saturday of next week.
    let now = crate::db::now_ms();
    let day = 24 * 3600 * 1000;
    let date = |ms: i64| {
        app::domain::time::format_cst(ms)
            .get(..10)
            .unwrap_or_default()
            .to_owned()
    };
    let at = |ms: i64, time: &str| parse_local(&date(ms), time).unwrap_or(ms);
    let patrol = ShiftInput {
        kind: ShiftKind::Patrol,
        grid: xhj02,
        team: xhj02_team,
        title: "红马甲夜间巡逻".into(),
        place: "新华街社区党群服务中心门口集合".into(),
        starts_at: at(now + day, "19:00"),
        minutes: 120,
        capacity: 6,
        min_seats: 2,
        note: "穿红马甲，带手电；重点看背街小巷的路灯、井盖和独居老人家的灯。".into(),
        cutoff_hours: 2,
        // The same evening every week for four weeks.
        repeat: Some(Recurrence {
            weekdays: weekday_bit(now + day),
            every: 1,
            until: date(now + 22 * day),
            except: Vec::new(),
        }),
    };
    let saturday = week_start(now) + 7 * day + 5 * day;
    let banquet = ShiftInput {
        kind: ShiftKind::Event,
        grid: xhj01,
        team: None,
        title: "百家宴".into(),
        place: "新华街社区广场".into(),
        starts_at: at(saturday, "11:00"),
        minutes: 180,
        capacity: 40,
        min_seats: 10,
        note: "各家带一道拿手菜，和邻居们一起吃顿饭。".into(),
        cutoff_hours: 24,
        repeat: None,
    };
    let couplets = ShiftInput {
        title: "写春联、送福字".into(),
        place: "老街社区文化活动室".into(),
        starts_at: at(saturday + day, "09:30"),
        minutes: 150,
        capacity: 20,
        min_seats: 5,
        note: "书法志愿者现场写春联，免费赠送。".into(),
        ..banquet.clone()
    };
    for shift in [patrol, banquet, couplets] {
        let starts = app::domain::shift::occurrences(&shift);
        let tokens: Vec<String> = starts
            .iter()
            .map(|_| crate::services::shift::random_token())
            .collect();
        db.insert_shifts(&shift, &starts, &tokens, coordinator, now)
            .await?;
    }
    Ok(())
}
