//! 民情日志 and 关爱对象 over the real router: a worker logs a visit to a care object
//! (once, however often the phone retries), turns a problem into a ticket, a bad entry
//! writes nothing; supervisors comment and adjust plans within their community; a
//! resident's history is an audited read; care visits within their cycle make the
//! assessment's care dimension.
#![allow(clippy::unwrap_used)]
use crate::common::{TestApp, count, in_xinhuajie_02, jpeg, who};
use crate::ticket::{category_id, key};
use axum::http::StatusCode;
use serde_json::{Value, json};

async fn care(app: &TestApp, cookie: &str) -> Value {
    let r = app.call("worklog/care", &[], Some(cookie)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.json()
}

/// A care object's line on a care board.
fn care_line(board: &Value, resident: i64) -> Value {
    board["due"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["resident"] == resident)
        .unwrap()
        .clone()
}

async fn list(app: &TestApp, cookie: &str, scope: Value) -> (StatusCode, Value) {
    let r = app
        .call_json("worklog/list", json!({ "scope": scope }), Some(cookie))
        .await;
    let v = if r.status == StatusCode::OK {
        r.json()
    } else {
        Value::Null
    };
    (r.status, v)
}

async fn log(app: &TestApp, cookie: &str, e: Value) -> crate::common::Reply {
    app.call_json("worklog/log", json!({ "e": e }), Some(cookie))
        .await
}

/// The field an error names: a server function's `{"Invalid": …}`, or a multipart
/// route's `{"error": {"Invalid": …}}`.
fn field(r: &crate::common::Reply) -> String {
    let v = r.json();
    let e = if v["error"].is_null() {
        &v
    } else {
        &v["error"]
    };
    e["Invalid"]["field"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn a_worker_logs_a_visit_to_a_care_object_and_turns_a_problem_into_a_ticket() {
    let app = TestApp::new().await;
    let leader = app.login(who::GRID_WORKER).await;
    let board = care(&app, &leader).await;
    let due = board["due"].as_array().unwrap();
    assert!(!due.is_empty(), "新华街02's 网格长 visits its care objects");
    // Most overdue first; a worker sees no coverage table.
    let dues: Vec<i64> = due.iter().map(|d| d["due_ms"].as_i64().unwrap()).collect();
    assert!(dues.windows(2).all(|w| w[0] <= w[1]));
    assert!(board["coverage"].as_array().unwrap().is_empty());
    let resident = due[0]["resident"].as_i64().unwrap();
    let facilities: i64 = category_id(&app, "facilities").await.parse().unwrap();

    let k = key();
    let entry = json!({
        "resident": resident,
        "how": "visit",
        "heard": "身体还好，说楼道灯坏了一个月",
        "problems": [
            { "category": facilities, "note": "三楼楼道灯不亮", "solved": false },
            { "category": facilities, "note": "门口杂物", "solved": true },
        ],
        "idempotency_key": k,
    });
    let r = log(&app, &leader, entry.clone()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let id = r.json().as_i64().unwrap();
    // The phone sends it again (no answer came back): still one entry.
    let again = log(&app, &leader, entry).await;
    assert_eq!(again.json().as_i64().unwrap(), id);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM worklog_entries").await, 1);
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM worklog_problems").await,
        2
    );

    // The visit satisfies the plan: the object has its last visit and moves down.
    let board = care(&app, &leader).await;
    let line = care_line(&board, resident);
    assert!(line["last_visit_ms"].is_i64());
    assert!(line["due_ms"].as_i64().unwrap() > dues[0]);

    let (status, mine) = list(&app, &leader, json!("Mine")).await;
    assert_eq!(status, StatusCode::OK);
    let e = &mine[0];
    assert_eq!(e["id"], id);
    assert_eq!(e["how"], "Visit");
    assert_eq!(e["mine"], true);
    assert_eq!(
        e["at"],
        Value::Null,
        "no position unless the worker adds it"
    );
    let problem = e["problems"][0]["id"].as_i64().unwrap();
    let solved = e["problems"][1]["id"].as_i64().unwrap();
    assert_eq!(e["problems"][0]["ticket"], Value::Null);

    // One tap: the report form, filled in, with the photo a problem report needs.
    let (lat, lng) = in_xinhuajie_02();
    let send_as = |cookie: &str, problem: i64| {
        let (lat, lng, k) = (lat.to_string(), lng.to_string(), key());
        let (cat, problem) = (facilities.to_string(), problem.to_string());
        let app = &app;
        let cookie = cookie.to_owned();
        async move {
            app.multipart(
                "/api/tickets",
                &[
                    ("category", &cat),
                    ("description", "三楼楼道灯不亮"),
                    ("lat", &lat),
                    ("lng", &lng),
                    ("idempotency_key", &k),
                    ("worklog_problem", &problem),
                ],
                &[("photo", jpeg(91))],
                Some(&cookie),
            )
            .await
        }
    };
    let send = |problem: i64| send_as(&leader, problem);
    let r = send(problem).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let ticket = r.json()["id"].as_i64().unwrap();
    let (_, mine) = list(&app, &leader, json!("Mine")).await;
    assert_eq!(mine[0]["problems"][0]["ticket"], ticket);
    // The same problem twice, or one solved on the spot: refused, no ticket written.
    let tickets = count(&app, "SELECT COUNT(*) FROM tickets").await;
    for p in [problem, solved] {
        let r = send(p).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert_eq!(field(&r), "worklog_problem", "{}", r.body);
    }
    // Nobody else's problem either.
    let other = app.login(who::OTHER_GRID_WORKER).await;
    let r = send_as(&other, problem).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM tickets").await, tickets);
}

#[tokio::test]
async fn bad_entries_are_explained_and_write_nothing() {
    let app = TestApp::new().await;
    let leader = app.login(who::GRID_WORKER).await;
    let resident = care(&app, &leader).await["due"][0]["resident"]
        .as_i64()
        .unwrap();
    // Someone in a grid she does not serve (老街社区01).
    let elsewhere: i64 = count(
        &app,
        "SELECT MIN(r.id) FROM residents r JOIN grids g ON g.id = r.grid_id WHERE g.code = 'LJ-LJ-01'",
    )
    .await;
    let ok = || {
        json!({
            "resident": resident, "how": "visit", "heard": "一切都好", "problems": [],
            "idempotency_key": key(),
        })
    };
    let with = |k: &str, v: Value| {
        let mut e = ok();
        e[k] = v;
        e
    };
    for (e, f) in [
        (with("how", json!("fly")), "how"),
        (with("heard", json!("  ")), "heard"),
        (with("resident", Value::Null), "subject"),
        (with("resident", json!(elsewhere)), "resident"),
        (with("resident", json!(999_999)), "resident"),
        (with("lat", json!(33.58)), "location"),
        (
            with(
                "problems",
                json!([{ "category": 999_999, "note": "x", "solved": false }]),
            ),
            "problems",
        ),
        (
            with(
                "problems",
                json!([{ "category": 1, "note": " ", "solved": false }]),
            ),
            "problems",
        ),
        (with("idempotency_key", json!("x")), "idempotency_key"),
    ] {
        let r = log(&app, &leader, e).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert_eq!(field(&r), f, "{}", r.body);
    }
    assert_eq!(count(&app, "SELECT COUNT(*) FROM worklog_entries").await, 0);
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM worklog_problems").await,
        0
    );
    // Words instead of a registered resident are fine: a place, a household.
    let place = with("resident", Value::Null);
    let mut place = place;
    place["subject"] = json!("3号楼地下室");
    place["how"] = json!("other");
    let r = log(&app, &leader, place).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    // Only grid workers keep a log.
    for phone in [who::RESIDENT, who::COORDINATOR, who::XHJ_DIRECTOR] {
        let c = app.login(phone).await;
        assert_eq!(log(&app, &c, ok()).await.status, StatusCode::FORBIDDEN);
    }
}

#[tokio::test]
async fn supervisors_comment_and_plan_within_their_community_and_history_reads_are_audited() {
    let app = TestApp::new().await;
    let leader = app.login(who::GRID_WORKER).await;
    let resident = care(&app, &leader).await["due"][0]["resident"]
        .as_i64()
        .unwrap();
    let r = log(
        &app,
        &leader,
        json!({ "resident": resident, "how": "call", "heard": "电话问候，说腿疼", "problems": [],
                "idempotency_key": key() }),
    )
    .await;
    let id = r.json().as_i64().unwrap().to_string();
    let xhj = app.login(who::XHJ_DIRECTOR).await;
    let laojie = app.login(who::DIRECTOR).await;

    // 点评 by the community's director; another community's director may not.
    let r = app
        .call(
            "worklog/comment",
            &[("entry", &id), ("body", "跟进就医需求")],
            Some(&xhj),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = app
        .call(
            "worklog/comment",
            &[("entry", &id), ("body", "好")],
            Some(&laojie),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = app
        .call(
            "worklog/comment",
            &[("entry", &id), ("body", " ")],
            Some(&xhj),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let (_, mine) = list(&app, &leader, json!("Mine")).await;
    assert_eq!(mine[0]["comments"][0]["body"], "跟进就医需求");
    assert_eq!(mine[0]["how"], "Call");

    // A director sees her community's log, not another's.
    let (_, all) = list(&app, &xhj, json!("All")).await;
    assert_eq!(all.as_array().unwrap().len(), 1);
    // The entry's grid log, one tap away; another community's grid is not hers.
    let grid = all[0]["grid_id"].as_i64().unwrap();
    let (status, in_grid) = list(&app, &xhj, json!({ "Grid": grid })).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(in_grid.as_array().unwrap().len(), 1);
    let (status, _) = list(&app, &laojie, json!({ "Grid": grid })).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (_, none) = list(&app, &laojie, json!("All")).await;
    assert!(none.as_array().unwrap().is_empty());

    // A household's history of visits: in scope only, and each read audited.
    let audited = "SELECT COUNT(*) FROM audit_log WHERE action = 'worklog_history'";
    let (status, history) = list(&app, &xhj, json!({ "Resident": resident })).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(history[0]["id"].as_i64().unwrap().to_string(), id);
    assert_eq!(count(&app, audited).await, 1);
    let (status, _) = list(&app, &laojie, json!({ "Resident": resident })).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(count(&app, audited).await, 1);

    // Plans: cycle and needs by the community's director; the visitor must serve the
    // grid; a resident who is not cared for has no plan.
    let plan = |p: &[(&str, &str)]| {
        let mut form: Vec<(String, String)> = vec![
            ("p[resident]".into(), resident.to_string()),
            ("p[cycle]".into(), "month".into()),
            ("p[visitor]".into(), "0".into()),
            ("p[needs]".into(), "每月陪同取药".into()),
        ];
        for (k, v) in p {
            form.retain(|(f, _)| f != &format!("p[{k}]"));
            form.push((format!("p[{k}]"), (*v).to_owned()));
        }
        form
    };
    let call = |form: Vec<(String, String)>, cookie: String| {
        let app = &app;
        async move {
            let f: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            app.call("worklog/plan", &f, Some(&cookie)).await
        }
    };
    assert_eq!(
        call(plan(&[]), laojie.clone()).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        call(plan(&[("cycle", "daily")]), xhj.clone()).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let not_staff = count(&app, "SELECT id FROM users WHERE phone = '13903950000'").await;
    assert_eq!(
        call(plan(&[("visitor", &not_staff.to_string())]), xhj.clone())
            .await
            .status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let floating: i64 = count(
        &app,
        "SELECT MIN(r.id) FROM residents r JOIN grids g ON g.id = r.grid_id
         WHERE r.tags = 'floating' AND g.code = 'LJ-XHJ-02'",
    )
    .await;
    let r = call(plan(&[("resident", &floating.to_string())]), xhj.clone()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(r.json()["Invalid"]["field"], "resident");
    let r = call(plan(&[]), xhj.clone()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let board = care(&app, &xhj).await;
    let line = care_line(&board, resident);
    assert_eq!(line["cycle"], "Month");
    assert_eq!(line["needs"], "每月陪同取药");
    assert!(!board["coverage"].as_array().unwrap().is_empty());
}

/// Monday 2026-11-02 09:00 China time, and a day.
const NOV_2: i64 = 1_793_581_200_000;
const DAY: i64 = 86_400_000;

#[tokio::test]
async fn care_visits_within_their_cycle_make_the_care_dimension() {
    let app = TestApp::new().await;
    let leader = app.login(who::GRID_WORKER).await;
    let due = care(&app, &leader).await["due"].as_array().unwrap().clone();
    let n = due.len();
    let weekly: Vec<i64> = due
        .iter()
        .filter(|d| d["cycle"] == "Week")
        .map(|d| d["resident"].as_i64().unwrap())
        .collect();
    let monthly: Vec<i64> = due
        .iter()
        .filter(|d| d["cycle"] == "Month")
        .map(|d| d["resident"].as_i64().unwrap())
        .collect();
    assert!(
        !weekly.is_empty() && !monthly.is_empty(),
        "the demo has both kinds"
    );
    let visit = |resident: i64, how: &'static str| {
        let app = &app;
        let leader = leader.clone();
        async move {
            let r = log(
                app,
                &leader,
                json!({ "resident": resident, "how": how, "heard": "走访", "problems": [],
                        "idempotency_key": key() }),
            )
            .await;
            r.json().as_i64().unwrap()
        }
    };
    // November: a monthly object visited once; a weekly one visited in three weeks of
    // four (not within its cycle); a monthly one only called (a call is no visit).
    let at =
        |id: i64, t: i64| format!("UPDATE worklog_entries SET created_at = {t} WHERE id = {id}");
    let once = visit(monthly[0], "visit").await;
    sqlx::query(&at(once, NOV_2 + 10 * DAY))
        .execute(&app.state.db.pool)
        .await
        .unwrap();
    for d in [1, 8, 15] {
        let id = visit(weekly[0], "visit").await;
        sqlx::query(&at(id, NOV_2 + d * DAY))
            .execute(&app.state.db.pool)
            .await
            .unwrap();
    }
    if let Some(m) = monthly.get(1) {
        let id = visit(*m, "call").await;
        sqlx::query(&at(id, NOV_2 + 3 * DAY))
            .execute(&app.state.db.pool)
            .await
            .unwrap();
    }
    let r = app
        .call("assessment/mine", &[("month", "2026-11")], Some(&leader))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let m = r.json();
    let dim = m["score"]["dimensions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["dimension"] == "Care")
        .unwrap()
        .clone();
    let arithmetic = dim["arithmetic"].as_str().unwrap();
    assert!(
        arithmetic.starts_with(&format!("20 × 1/{n} = ")),
        "{arithmetic}"
    );
}

#[tokio::test]
async fn a_volunteer_visits_whom_she_is_assigned_and_admins_choose_the_tags_cared_for() {
    let app = TestApp::new().await;
    let xhj = app.login(who::XHJ_DIRECTOR).await;
    let leader = app.login(who::GRID_WORKER).await;
    let admin = app.login(who::ADMIN).await;
    // 张秀英 volunteers and lives in 新华街02, as 陈桂兰 (独居老人) does; 刘建国
    // volunteers elsewhere.
    let zhang = app.login("13903970003").await;
    let liu = app.login("13903970002").await;
    let chen = count(
        &app,
        "SELECT MIN(id) FROM residents WHERE phone = '13903970001'",
    )
    .await;
    let user = |phone: &'static str| {
        let app = &app;
        async move {
            count(
                app,
                &format!("SELECT id FROM users WHERE phone = '{phone}'"),
            )
            .await
        }
    };
    let (zhang_id, liu_id) = (user("13903970003").await, user("13903970002").await);

    // Not yet assigned: a volunteer's flag alone opens nothing.
    let r = app.call("worklog/care", &[], Some(&zhang)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // Her page asks without an error: nothing assigned yet.
    let r = app.call("worklog/visits", &[], Some(&zhang)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json(), Value::Null);
    let visit = |resident: Value| {
        json!({ "resident": resident, "subject": "顺河街8号院", "how": "visit",
                "heard": "陪老人聊天，血压正常", "problems": [], "idempotency_key": key() })
    };
    assert_eq!(
        log(&app, &zhang, visit(json!(chen))).await.status,
        StatusCode::FORBIDDEN
    );

    // The director may name a volunteer living in the grid, not one from elsewhere.
    let board = care(&app, &xhj).await;
    let grid = care_line(&board, chen)["grid_id"].as_i64().unwrap();
    let named: Vec<(i64, bool)> = board["visitors"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| v["grid"] == grid)
        .map(|v| (v["id"].as_i64().unwrap(), v["volunteer"].as_bool().unwrap()))
        .collect();
    assert!(named.contains(&(zhang_id, true)), "{named:?}");
    assert!(!named.iter().any(|(id, _)| *id == liu_id), "{named:?}");
    assert!(named.iter().any(|(_, v)| !v), "the grid's staff: {named:?}");
    let plan = |visitor: i64| {
        let app = &app;
        let xhj = xhj.clone();
        async move {
            let (r, v) = (chen.to_string(), visitor.to_string());
            app.call(
                "worklog/plan",
                &[
                    ("p[resident]", r.as_str()),
                    ("p[cycle]", "week"),
                    ("p[visitor]", v.as_str()),
                    ("p[needs]", "每周陪同散步"),
                ],
                Some(&xhj),
            )
            .await
        }
    };
    let r = plan(liu_id).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(r.json()["Invalid"]["field"], "visitor");
    let r = plan(zhang_id).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        care_line(&care(&app, &xhj).await, chen)["visitor"],
        "张秀英"
    );

    // Now she sees her one care object and logs her visit; only to her own.
    let mine = care(&app, &zhang).await;
    let due = mine["due"].as_array().unwrap();
    assert_eq!(due.len(), 1);
    assert_eq!(due[0]["resident"], chen);
    assert!(mine["coverage"].as_array().unwrap().is_empty());
    assert!(mine["visitors"].as_array().unwrap().is_empty());
    let other = count(
        &app,
        "SELECT MIN(r.id) FROM residents r JOIN grids g ON g.id = r.grid_id
         WHERE r.tags = 'floating' AND g.code = 'LJ-XHJ-02'",
    )
    .await;
    for whom in [json!(other), Value::Null] {
        let r = log(&app, &zhang, visit(whom)).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert_eq!(field(&r), "resident");
    }
    let r = log(&app, &zhang, visit(json!(chen))).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let page = app.call("worklog/visits", &[], Some(&zhang)).await.json();
    assert_eq!(page[0]["due"][0]["resident"], chen);
    assert_eq!(page[1].as_array().unwrap().len(), 1);
    let (status, entries) = list(&app, &zhang, json!("Mine")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(entries.as_array().unwrap().len(), 1);
    assert_eq!(
        list(&app, &zhang, json!("All")).await.0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        list(&app, &zhang, json!({ "Resident": chen })).await.0,
        StatusCode::FORBIDDEN
    );
    assert!(
        care_line(&care(&app, &zhang).await, chen)["last_visit_ms"].is_i64(),
        "the visit satisfies her plan"
    );
    // The grid leader no longer has 陈桂兰 on her list; 刘建国 still has nothing.
    let leader_due = care(&app, &leader).await;
    assert!(
        !leader_due["due"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["resident"] == chen)
    );
    assert_eq!(
        app.call("worklog/care", &[], Some(&liu)).await.status,
        StatusCode::FORBIDDEN
    );

    // Admins choose the tags cared for: 流动人口 monthly in, 低保户 out.
    let poor = count(&app, "SELECT MIN(id) FROM residents WHERE tags = ''").await;
    sqlx::query(&format!(
        "UPDATE residents SET tags = 'low_income' WHERE id = {poor}"
    ))
    .execute(&app.state.db.pool)
    .await
    .unwrap();
    let board = care(&app, &admin).await;
    assert_eq!(care_line(&board, poor)["cycle"], "Month");
    let defaults = board["care_tags"].clone();
    assert_eq!(
        defaults,
        json!([
            ["ElderlyAlone", "Week"],
            ["Disabled", "Month"],
            ["LowIncome", "Month"]
        ])
    );
    let save = |tags: Value, cookie: String| {
        let app = &app;
        async move {
            app.call_json("worklog/care_tags", json!({ "tags": tags }), Some(&cookie))
                .await
        }
    };
    let tags = json!([
        ["ElderlyAlone", "Week"],
        ["Disabled", "Month"],
        ["Floating", "Month"]
    ]);
    assert_eq!(
        save(tags.clone(), xhj.clone()).await.status,
        StatusCode::FORBIDDEN
    );
    let r = save(
        json!([["Floating", "Month"], ["Floating", "Week"]]),
        admin.clone(),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(r.json()["Invalid"]["field"], "tags");
    assert_eq!(
        care(&app, &admin).await["care_tags"],
        defaults,
        "nothing written"
    );
    let r = save(tags.clone(), admin.clone()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM audit_log WHERE action = 'care_tags'"
        )
        .await,
        1
    );
    let board = care(&app, &admin).await;
    assert_eq!(board["care_tags"], tags);
    let line = care_line(&board, other);
    assert_eq!(line["cycle"], "Month");
    assert!(
        !board["due"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["resident"] == poor),
        "低保户 alone are no longer care objects"
    );
}
