//! The seniors' council's concerns.
use super::SeedError;
use crate::db::Db;

pub(super) async fn council(db: &Db) -> Result<(), SeedError> {
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
