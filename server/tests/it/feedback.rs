//! 投诉建议 over the real router: a resident writes, bad input is explained and writes
//! nothing, an admin answers once and the sender sees it; a flood is refused; the
//! month's counts are on the honest-figures page.
#![allow(clippy::unwrap_used)]
use crate::common::{TestApp, who};
use axum::http::StatusCode;

fn message<'a>(kind: &'a str, about: &'a str, body: &'a str) -> [(&'a str, &'a str); 3] {
    [("f[kind]", kind), ("f[about]", about), ("f[body]", body)]
}

#[tokio::test]
async fn a_resident_writes_an_admin_answers_once_and_the_figures_count_it() {
    let app = TestApp::new().await;
    let resident = app.login(who::RESIDENT).await;
    let other = app.login(who::OTHER_RESIDENT).await;
    let admin = app.login(who::ADMIN).await;
    let count = || async {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM feedback")
            .fetch_one(&app.state.db.pool)
            .await
            .unwrap()
    };
    for (f, field) in [
        (message("praise", "service", "窗口中午没人办事"), "kind"),
        (message("complaint", "weather", "窗口中午没人办事"), "about"),
        (message("complaint", "service", "太慢"), "body"),
    ] {
        let r = app.call("feedback/send", &f, Some(&resident)).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert_eq!(r.json()["Invalid"]["field"], field);
    }
    assert_eq!(count().await, 0);
    let r = app
        .call(
            "feedback/send",
            &message("complaint", "service", "社区服务站中午十二点到两点没人办事"),
            Some(&resident),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let id = r.json().as_i64().unwrap().to_string();
    // Signed out: no.
    let r = app
        .call(
            "feedback/send",
            &message("suggestion", "platform", "字再大一点"),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);

    // Each sees only their own; the admin sees everyone's with the sender's name.
    let mine = app.call("feedback/list", &[], Some(&resident)).await.json();
    assert_eq!(mine.as_array().unwrap().len(), 1);
    assert_eq!(mine[0]["sender"], serde_json::Value::Null);
    let theirs = app.call("feedback/list", &[], Some(&other)).await.json();
    assert!(theirs.as_array().unwrap().is_empty());
    let all = app.call("feedback/list", &[], Some(&admin)).await.json();
    assert_eq!(all[0]["sender"], "陈桂兰");

    // Only admins answer, once.
    let director = app.login(who::DIRECTOR).await;
    let answer = [
        ("id", id.as_str()),
        ("text", "已安排午间轮岗，12:00–14:00 有人值守"),
    ];
    let r = app.call("feedback/answer", &answer, Some(&director)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = app.call("feedback/answer", &answer, Some(&admin)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = app.call("feedback/answer", &answer, Some(&admin)).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let r = app
        .call(
            "feedback/answer",
            &[("id", "999999"), ("text", "好的")],
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let mine = app.call("feedback/list", &[], Some(&resident)).await.json();
    assert_eq!(mine[0]["answer"], "已安排午间轮岗，12:00–14:00 有人值守");

    // The month's figures count it.
    let stats = app
        .call("ticket/stats", &[("month", "")], None)
        .await
        .json();
    assert_eq!(stats["feedback"]["complaints"], 1);
    assert_eq!(stats["feedback"]["answered"], 1);

    // Five waiting is the most: a sixth is refused until one is answered.
    for i in 0..5 {
        let body = format!("第{i}条建议：增加夜间路灯");
        let r = app
            .call(
                "feedback/send",
                &message("suggestion", "service", &body),
                Some(&other),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }
    let r = app
        .call(
            "feedback/send",
            &message("suggestion", "service", "第六条建议"),
            Some(&other),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
}
