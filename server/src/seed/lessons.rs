//! Courses and lessons.
use super::SeedError;
use crate::db::Db;

/// Two courses of lessons from the Laojie account (one 微党课 series), for /study/lessons.
pub(super) async fn lessons(db: &Db) -> Result<(), SeedError> {
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
