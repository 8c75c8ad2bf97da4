//! Demo data for Laojie street (老街街道, Luohe): the street, its four communities
//! and twelve grids with outlines, staff for all five duties of every grid,
//! directors, a coordinator, an admin and some residents. Every demo account's
//! password is [`DEMO_PASSWORD`]; the README lists the logins.
use crate::db::Db;
use crate::db::grid::GridUpsert;
use crate::db::ticket::NewTicketRow;
use crate::db::user::NewUser;
use crate::services::auth::hash_password;
use app::domain::grid::{Duty, GridId, GridLevel};
use app::domain::ticket::{CategoryInput, TicketKind};
use app::domain::user::{Role, UserId};

pub const DEMO_PASSWORD: &str = "tongxin2026";

#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error(transparent)]
    Sqlx(#[from] sqlx::Error),
    #[error("seed: {0}")]
    Other(String),
}

/// The street's outline, split into four communities (quadrants), each into three
/// grids (strips west to east).
const SOUTH: f64 = 33.570;
const NORTH: f64 = 33.594;
const WEST: f64 = 114.004;
const EAST: f64 = 114.036;

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

fn rect(s: f64, w: f64, n: f64, e: f64) -> (String, (f64, f64, f64, f64)) {
    let g = format!(
        r#"{{"type":"Polygon","coordinates":[[[{w},{s}],[{e},{s}],[{e},{n}],[{w},{n}],[{w},{s}]]]}}"#
    );
    (g, (s, w, n, e))
}

/// The bounds (south, west, north, east) of community `c` (0..4) and grid `k` (0..3).
pub fn grid_bounds(c: usize, k: usize) -> (f64, f64, f64, f64) {
    let mid_lat = (SOUTH + NORTH) / 2.0;
    let mid_lng = (WEST + EAST) / 2.0;
    let (s, n) = if c < 2 {
        (mid_lat, NORTH)
    } else {
        (SOUTH, mid_lat)
    };
    let (w, e) = if c.is_multiple_of(2) {
        (WEST, mid_lng)
    } else {
        (mid_lng, EAST)
    };
    let step = (e - w) / 3.0;
    // Both sides of a shared edge come from the same expression, so they are equal.
    let edge = |i: usize| if i == 3 { e } else { w + step * i as f64 };
    (s, edge(k), n, edge(k + 1))
}

pub fn demo_grids() -> Vec<GridUpsert> {
    let mut out = Vec::new();
    let (g, bbox) = rect(SOUTH, WEST, NORTH, EAST);
    out.push(GridUpsert {
        code: "LJ".into(),
        name: "老街街道".into(),
        level: GridLevel::Street,
        parent_code: None,
        geometry: g,
        bbox,
    });
    for (c, (code, name)) in COMMUNITIES.iter().enumerate() {
        let (s, w, _, _) = grid_bounds(c, 0);
        let (_, _, n, e) = grid_bounds(c, 2);
        let (g, bbox) = rect(s, w, n, e);
        out.push(GridUpsert {
            code: (*code).into(),
            name: (*name).into(),
            level: GridLevel::Community,
            parent_code: Some("LJ".into()),
            geometry: g,
            bbox,
        });
    }
    for c in 0..4 {
        for k in 0..3 {
            let (s, w, n, e) = grid_bounds(c, k);
            let (g, bbox) = rect(s, w, n, e);
            let short = COMMUNITIES[c].1.trim_end_matches("社区");
            out.push(GridUpsert {
                code: format!("{}-{:02}", COMMUNITIES[c].0, k + 1),
                name: format!("{short}{:02}网格·{}", k + 1, GRID_PLACES[c * 3 + k]),
                level: GridLevel::Grid,
                parent_code: Some(COMMUNITIES[c].0.into()),
                geometry: g,
                bbox,
            });
        }
    }
    out
}

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
    Ok(())
}

/// Two red-vest patrol teams per grid (one short in 滨西03, so the roster shows a gap),
/// weekly evening patrols in 新华街02 for four weeks and two community events.
async fn volunteers(db: &Db) -> Result<(), SeedError> {
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

/// A question bank on party knowledge and the Laojie model (the newspaper account in
/// `shared/seed`); the points rules come with migration 0009.
async fn study(db: &Db) -> Result<(), SeedError> {
    use app::domain::study::QuestionKind::*;
    let now = crate::db::now_ms();
    let bank: &[(_, &str, &[&str], &str, &str)] = &[
        (
            Single,
            "老街道“三化融合”指的是网格化、网络化和什么？",
            &["多元化", "信息化", "标准化", "专业化"],
            "A",
            "网格化 + 网络化 + 多元化：网格管理、智慧平台、志愿者和居民共同参与。",
        ),
        (
            Single,
            "“三会一课”中的“一课”是指什么？",
            &["党课", "业务课", "网课", "公开课"],
            "A",
            "三会一课：支部党员大会、支部委员会、党小组会，按时上好党课。",
        ),
        (
            Single,
            "老街道的网格化工作追求“小事不出网格”，还有哪一句？",
            &["矛盾不出社区", "大事不出街道", "难事不出城区", "急事不过夜"],
            "A",
            "“小事不出网格，矛盾不出社区”。",
        ),
        (
            Single,
            "老街道“闲事会”每周固定在星期几开会？",
            &["星期一", "星期三", "星期五", "星期日"],
            "B",
            "“相约星期三，闲事大家谈”。",
        ),
        (
            Single,
            "2017 年底的暴雪预警，大约多长时间传遍老街道 2.7 万名群众？",
            &["3 分钟", "30 分钟", "3 小时", "1 天"],
            "A",
            "社区主任发出预警后，经网格长和居民微信群，短短 3 分钟几乎人人知道。",
        ),
        (
            Single,
            "党的最高理想和最终目标是什么？",
            &["实现共产主义", "全面建成小康社会", "实现现代化", "消除贫困"],
            "A",
            "党章总纲：党的最高理想和最终目标是实现共产主义。",
        ),
        (
            Single,
            "党的根本宗旨是什么？",
            &["全心全意为人民服务", "发展生产力", "依法治国", "改革开放"],
            "A",
            "全心全意为人民服务是党的根本宗旨。",
        ),
        (
            Multiple,
            "“三会”包括哪些会议？",
            &["支部党员大会", "支部委员会", "党小组会", "居民代表大会"],
            "ABC",
            "三会：支部党员大会、支部委员会、党小组会。",
        ),
        (
            Multiple,
            "网格员日常工作中，哪些属于“五员”职责？",
            &["网格长", "网格警务员", "网格管理员", "物业管理员"],
            "ABCD",
            "每个网格配齐网格长、网格警务员、网格管理员、物业管理员和网格党小组长。",
        ),
        (
            Multiple,
            "社区治理体制中的“党委领导、政府负责”之后还有哪些？",
            &["社会协同", "公众参与", "法治保障", "市场主导"],
            "ABC",
            "党委领导、政府负责、社会协同、公众参与、法治保障。",
        ),
        (
            Multiple,
            "下列哪些活动是老街道社区的特色活动？",
            &["百家宴", "写春联送福字", "红马甲巡逻", "马拉松比赛"],
            "ABC",
            "百家宴、写春联和红马甲巡逻队都出自老街的做法。",
        ),
        (
            Judge,
            "党员领导干部应当定期参加所在党支部或党小组的组织生活。",
            &[],
            "T",
            "双重组织生活制度：领导干部以普通党员身份参加组织生活。",
        ),
        (
            Judge,
            "网格员发现居民矛盾纠纷，应当等居民上门反映再处理。",
            &[],
            "F",
            "“零距离工作法”：网格员入户走访，主动发现、主动调解。",
        ),
        (
            Judge,
            "党费是党员对党组织应尽的义务，应按月交纳。",
            &[],
            "T",
            "党员应按月交纳党费，这是党员的义务。",
        ),
        (
            Judge,
            "“闲事会”的成员主要是社区里热心的老党员、老干部和老教师。",
            &[],
            "T",
            "闲事会由热心的“老”字号居民组成，帮邻里解决身边事。",
        ),
        (
            Judge,
            "预备党员的预备期为两年。",
            &[],
            "F",
            "党章规定，预备党员的预备期为一年。",
        ),
        (
            Blank,
            "党的组织原则是______集中制。",
            &[],
            "民主",
            "民主集中制是党的根本组织原则和领导制度。",
        ),
        (
            Blank,
            "老街道的“三化融合”被概括为联系服务群众“______距离”。",
            &[],
            "零",
            "“三化融合”夯实联系服务群众“零距离”。",
        ),
        (
            Blank,
            "党支部每季度至少召开一次______大会。",
            &[],
            "党员",
            "支部党员大会一般每季度召开一次。",
        ),
        (
            Blank,
            "新华街社区02网格的网格长是______。",
            &[],
            "潘月丽",
            "潘月丽入户走访，调解了 168 号楼的漏水纠纷。",
        ),
    ];
    for (kind, stem, options, answer, explanation) in bank {
        db.insert_question(*kind, stem, options, answer, explanation, now)
            .await?;
    }
    Ok(())
}

/// Two courses of lessons from the Laojie account (one 微党课 series), for /study/lessons.
async fn lessons(db: &Db) -> Result<(), SeedError> {
    use app::domain::lesson::{CourseInput, LessonInput, Media};
    let now = crate::db::now_ms();
    // (title, minutes, 微党课, Markdown)
    type Lessons<'a> = &'a [(&'a str, u32, bool, &'a str)];
    let courses: &[(&str, &str, Lessons)] = &[
        (
            "老街模式：“三化融合”",
            "网格化 + 网络化 + 多元化，联系服务群众“零距离”。",
            &[
                (
                    "网格化：小事不出网格",
                    4,
                    true,
                    "## 三级网格\n\n老街道按照“区域相邻、规模相当、资源相通”的原则，把辖区划成三级网格：\n\n\
                     1. 街道为一级网格；\n2. 四个社区为二级网格；\n3. 居民小区、单位为三级网格。\n\n\
                     ## 一格多员\n\n每个网格配置五种力量：**网格长、网格警务员、网格管理员、物业管理员和网格党小组长**，\
                     形成“一格多员、一员多能、一岗多责”的工作机制。\n\n\
                     > 网中有格、按格定岗、人在格上、事在网中。\n\n\
                     新华街社区 02 网格长潘月丽入户走访时，调解了 168 号楼的漏水纠纷——这就是“小事不出网格，矛盾不出社区”。",
                ),
                (
                    "网络化：智慧党建平台",
                    5,
                    false,
                    "## 随手拍，限时办\n\n网格员巡查发现环境问题、安全隐患，拍照上传到平台；\
                     处理后再拍照上传，状态从“待处理”变为“已处理”。\n\n\
                     > 快的 10 分钟，慢的 3 天，问题必须解决。\n\n\
                     ## 三分钟传遍全街道\n\n2017 年 12 月 31 日，社区主任发出暴雪预警，\
                     网格长再转到居民、商户微信群，**短短 3 分钟**，2.7 万名群众几乎全部知道了。\n\n\
                     平台上还可以参加政治学习和组织生活——就是您现在用的这一课。",
                ),
                (
                    "多元化：相约星期三，闲事大家谈",
                    3,
                    true,
                    "## 闲事会\n\n老党员、老干部组成“闲事会”，每周三议事，帮居民调解矛盾纠纷。\n\n\
                     ## 红马甲\n\n各社区的党员志愿者服务队排班巡逻，雨雪天气帮群众做好防范。\n\n\
                     - 有事找网格员\n- 有难处找志愿者\n- 有想法到闲事会说一说",
                ),
            ],
        ),
        (
            "组织生活：“三会一课”",
            "支部党员大会、支部委员会、党小组会和党课。",
            &[(
                "什么是“三会一课”",
                5,
                false,
                "## 三会\n\n| 会议 | 一般多久一次 |\n|---|---|\n| 支部党员大会 | 每季度一次 |\n\
                 | 支部委员会 | 每月一次 |\n| 党小组会 | 每月一次 |\n\n\
                 ## 一课\n\n按时上好党课，**微党课**可以在党员家中、网格里开展，几分钟讲清一个道理。",
            )],
        ),
    ];
    for (title, summary, lessons) in courses {
        let course = CourseInput {
            id: None,
            title: (*title).to_owned(),
            summary: (*summary).to_owned(),
        };
        let Some(course_id) = db.save_course(&course, now).await? else {
            return Err(SeedError::Other(format!("course {title} not saved")));
        };
        for (title, minutes, micro, body) in *lessons {
            db.save_lesson(
                &LessonInput {
                    id: None,
                    course_id,
                    title: (*title).to_owned(),
                    body: (*body).to_owned(),
                    media_url: String::new(),
                    media: Media::None,
                    minutes: *minutes,
                    micro: *micro,
                    active: true,
                },
                now,
            )
            .await?;
        }
    }
    Ok(())
}

/// The seniors' council (闲事会, "相约星期三，闲事大家谈"): a concern gathering
/// support, one on the next Wednesday's agenda, one decided last week.
/// 新华街社区's four levels from the article: the community party committee, a party
/// branch per grid, 东安街居民党小组 (陈红乐's group) under the first branch; the
/// director, the grids' party-group leaders and two resident members placed (刘建国 a
/// 中心户); a 支部党员大会 a week ago with minutes (3 of 4 came) and tomorrow's 党小组会.
async fn party(db: &Db) -> Result<(), SeedError> {
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

async fn council(db: &Db) -> Result<(), SeedError> {
    use app::domain::council::{ConcernInput, next_meeting};
    let grids = db.grid_codes().await?;
    let grid = |code: &str| {
        grids
            .get(code)
            .copied()
            .ok_or_else(|| SeedError::Other(format!("grid {code} missing")))
    };
    let user = |phone: &'static str| async move {
        db.credentials(phone)
            .await?
            .map(|c| c.id)
            .ok_or_else(|| SeedError::Other(format!("user {phone} missing")))
    };
    let (liu, chen, other) = (
        user("13903970002").await?,
        user("13903970001").await?,
        user("13903970003").await?,
    );
    let coordinator = user("13903950010").await?;
    let now = crate::db::now_ms();
    let day = 24 * 3600 * 1000;
    let lamps = db
        .insert_concern(
            liu,
            &ConcernInput {
                grid: grid("LJ-XHJ-02")?,
                title: "背街小巷路灯不亮".into(),
                body: "新华街02网格东安街小巷有三盏路灯坏了半个月，晚上老人出门买菜回来看不清路。"
                    .into(),
            },
            now - 3 * day,
        )
        .await?;
    for u in [chen, other] {
        db.support_concern(lamps, u, true, now - 2 * day).await?;
    }
    let couplets = db
        .insert_concern(
            chen,
            &ConcernInput {
                grid: grid("LJ-SXL-01")?,
                title: "过新年迎新春，义务写春联送祝福".into(),
                body: "闲事会里有几位老人写得一手好字，想在腊月里给辖区居民免费写春联。".into(),
            },
            now - 5 * day,
        )
        .await?;
    db.support_concern(couplets, liu, true, now - 4 * day)
        .await?;
    db.schedule_concern(couplets, &next_meeting(now)).await?;
    let toilet = db
        .insert_concern(
            other,
            &ConcernInput {
                grid: grid("LJ-SXL-02")?,
                title: "小区旱厕污水横流".into(),
                body: "院里的旱厕夏天气味大，污水流到路上，希望社区协调改造，但别影响院内地基。"
                    .into(),
            },
            now - 12 * day,
        )
        .await?;
    db.schedule_concern(toilet, &next_meeting(now - 8 * day))
        .await?;
    db.decide_concern(
        toilet,
        "闲事会商定：请社区协调施工单位改造旱厕，完工后重新铺地坪；由陈大伯等老党员向邻居讲解。",
        coordinator,
        now - 7 * day,
    )
    .await?;
    Ok(())
}

/// The registry: about sixty people in three buildings per grid, some elderly
/// living alone or disabled; the demo residents live in 新华街社区 (陈桂兰, 75, alone).
async fn registry(db: &Db) -> Result<(), SeedError> {
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

/// Street-wide categories (deadlines in minutes; emergencies answer in 1 and are on
/// site in 3, as the article says) and 新华街社区's service menu.
async fn categories(db: &Db, xhj: Option<GridId>) -> Result<(), SeedError> {
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
        })
        .await?;
    }
    Ok(())
}

/// Two tickets from the article's stories in 新华街02 (潘月丽's grid): a leaking pipe
/// between neighbours to mediate, and an older resident asking for a visit.
async fn tickets(db: &Db) -> Result<(), SeedError> {
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
            },
            &[],
        )
        .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

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
