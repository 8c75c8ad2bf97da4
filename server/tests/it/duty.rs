//! 值班 over the real router: a director plans her community's month (bad plans explained,
//! nothing written; nobody else plans it); the officer on duty keeps the log and
//! acknowledges the handover; a swap takes effect only with the other person's and the
//! planner's yes.
#![allow(clippy::unwrap_used)]
use crate::common::{self, TestApp, count, who};
use app::domain::shift::month_of;
use app::domain::stats::month_bounds;
use app::domain::time::now_ms;
use axum::http::StatusCode;
use serde_json::{Value, json};

const HOUR: i64 = 3_600_000;
/// The leaders (网格长) of 新华街01–03; 潘月丽 leads 02.
const XHJ_01: &str = "13903960041";
const XHJ_03: &str = "13903960061";

fn next_month() -> String {
    let (_, end) = month_bounds(&month_of(now_ms())).unwrap();
    month_of(end + 86_400_000)
}

fn days_in(month: &str) -> i64 {
    let (from, to) = month_bounds(month).unwrap();
    (to - from) / 86_400_000
}

async fn user(app: &TestApp, phone: &str) -> i64 {
    count(
        app,
        &format!("SELECT id FROM users WHERE phone = '{phone}'"),
    )
    .await
}

async fn xhj(app: &TestApp) -> i64 {
    count(app, "SELECT id FROM grids WHERE code = 'LJ-XHJ'").await
}

fn plan(
    scope: i64,
    month: &str,
    pattern: &str,
    leaders: &[i64],
    officers: &[i64],
    per: u8,
) -> Value {
    json!({ "plan": { "scope": scope, "month": month, "pattern": pattern,
                      "leaders": leaders, "officers": officers, "per_shift": per } })
}

async fn board(app: &TestApp, scope: i64, month: &str, cookie: &str) -> Value {
    let r = app
        .call(
            "duty/board",
            &[("scope", &scope.to_string()), ("month", month)],
            Some(cookie),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.json()
}

#[tokio::test]
async fn a_director_plans_her_communitys_month_and_nobody_else_does() {
    let app = TestApp::new().await;
    let director = app.login(who::XHJ_DIRECTOR).await;
    let scope = xhj(&app).await;
    let month = next_month();
    let me = user(&app, who::XHJ_DIRECTOR).await;
    let officers = [
        user(&app, XHJ_01).await,
        user(&app, who::GRID_WORKER).await,
        user(&app, XHJ_03).await,
    ];
    let outsider = user(&app, who::OTHER_GRID_WORKER).await;
    let (from, to) = month_bounds(&month).unwrap();
    let shifts = format!(
        "SELECT COUNT(*) FROM duty_shifts WHERE scope_id = {scope} AND starts_at >= {from} AND starts_at < {to}"
    );
    let before = count(&app, &shifts).await;

    // Bad plans are explained, field by field, and change nothing.
    for (body, field) in [
        (
            plan(scope, &month, "full_day", &[], &officers, 1),
            "leaders",
        ),
        (
            plan(
                scope,
                &month,
                "full_day",
                &[me],
                &[officers[0], outsider],
                1,
            ),
            "officers",
        ),
        (
            plan(scope, &month, "full_day", &[me], &officers[..1], 2),
            "officers",
        ),
        (
            plan(scope, &month, "full_day", &[me], &[me, officers[0]], 1),
            "officers",
        ),
        (
            plan(scope, &month, "weekly", &[me], &officers, 1),
            "pattern",
        ),
        (
            plan(scope, "2026-13", "full_day", &[me], &officers, 1),
            "month",
        ),
    ] {
        let r = app.call_json("duty/plan", body, Some(&director)).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert_eq!(r.json()["Invalid"]["field"], field);
    }
    assert_eq!(count(&app, &shifts).await, before);

    // Nobody plans a community but its director and the street's admins; the street is
    // the admins'.
    let good = plan(scope, &month, "full_day", &[me], &officers, 1);
    for phone in [who::DIRECTOR, who::GRID_WORKER] {
        let c = app.login(phone).await;
        let r = app.call_json("duty/plan", good.clone(), Some(&c)).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{phone}");
    }
    let street = count(&app, "SELECT id FROM grids WHERE level = 1").await;
    let r = app
        .call_json(
            "duty/plan",
            plan(street, &month, "full_day", &[me], &officers, 1),
            Some(&director),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    // Her plan: every day 08:00 to 08:00, she leads, the three grid leaders take turns.
    let r = app.call_json("duty/plan", good, Some(&director)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json().as_i64().unwrap(), days_in(&month));
    let b = board(&app, scope, &month, &director).await;
    // The board also shows last month's final shift, which runs into this month's first
    // morning.
    let list: Vec<&Value> = b["shifts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["starts_ms"].as_i64().unwrap() >= from)
        .collect();
    assert_eq!(list.len() as i64, days_in(&month));
    assert_eq!(list[0]["starts_ms"].as_i64().unwrap(), from + 8 * HOUR);
    assert_eq!(list[0]["leader"]["id"].as_i64().unwrap(), me);
    assert_eq!(list[1]["officers"][0]["name"], "潘月丽");
    assert_eq!(b["may_plan"], true);

    // Planned again as a day and a night shift: the month is replaced, not added to.
    let r = app
        .call_json(
            "duty/plan",
            plan(scope, &month, "day_night", &[me], &officers, 1),
            Some(&director),
        )
        .await;
    assert_eq!(r.json().as_i64().unwrap(), 2 * days_in(&month));
    assert_eq!(count(&app, &shifts).await, 2 * days_in(&month));

    // Staff see their street and their community; not another community; residents none.
    let pan = app.login(who::GRID_WORKER).await;
    let b = board(&app, 0, &month, &pan).await;
    assert_eq!(b["scope_id"].as_i64().unwrap(), scope);
    assert_eq!(b["scopes"].as_array().unwrap().len(), 2);
    assert_eq!(b["may_plan"], false);
    let other = app.login(who::OTHER_GRID_WORKER).await;
    let r = app
        .call(
            "duty/board",
            &[("scope", &scope.to_string()), ("month", "")],
            Some(&other),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let resident = app.login(who::RESIDENT).await;
    let r = app
        .call(
            "duty/board",
            &[("scope", "0"), ("month", "")],
            Some(&resident),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // "Who is on duty now" answers staff, and nothing to a resident.
    let r = app.call("duty/now", &[], Some(&resident)).await;
    assert_eq!(r.json(), json!([]));
}

/// Puts 新华街社区's shifts around now under the test's control: the shift before (ended
/// two hours ago, kept by 新华街01's leader) and the shift now (潘月丽's).
async fn arrange_now(app: &TestApp) -> (i64, i64, i64) {
    let scope = xhj(app).await;
    let director = user(app, who::XHJ_DIRECTOR).await;
    let (before, now_officer) = (user(app, XHJ_01).await, user(app, who::GRID_WORKER).await);
    let now = now_ms();
    let pool = &app.state.db.pool;
    sqlx::query("DELETE FROM duty_shifts WHERE scope_id = $1 AND ends_at > $2 AND starts_at < $3")
        .bind(scope)
        .bind(now - 30 * HOUR)
        .bind(now + 30 * HOUR)
        .execute(pool)
        .await
        .unwrap();
    let mut ids = Vec::new();
    for (start, officer) in [(now - 26 * HOUR, before), (now - 2 * HOUR, now_officer)] {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO duty_shifts (scope_id, starts_at, ends_at, leader_id, officer_id, planned_by)
             VALUES ($1, $2, $3, $4, $5, $4) RETURNING id",
        )
        .bind(scope)
        .bind(start)
        .bind(start + 24 * HOUR)
        .bind(director)
        .bind(officer)
        .fetch_one(pool)
        .await
        .unwrap();
        ids.push(id);
    }
    (scope, ids[0], ids[1])
}

#[tokio::test]
async fn the_officer_on_duty_keeps_the_log_and_acknowledges_the_handover() {
    let app = TestApp::new().await;
    let (scope, _, current) = arrange_now(&app).await;
    let pan = app.login(who::GRID_WORKER).await;
    let earlier = app.login(XHJ_01).await;
    let entries = || count(&app, "SELECT COUNT(*) FROM duty_log");
    let before = entries().await;

    let b = board(&app, 0, "", &pan).await;
    assert_eq!(b["on_duty"], true);
    assert_eq!(b["now"]["officers"][0]["name"], "潘月丽");
    assert_eq!(b["handover"]["to_shift"].as_i64().unwrap(), current);
    assert_eq!(b["handover"]["may_ack"], true);
    let now = app.call("duty/now", &[], Some(&pan)).await.json();
    assert!(
        now.as_array()
            .unwrap()
            .iter()
            .any(|l| l["officers"][0] == "潘月丽"),
        "{now}"
    );

    let entry = |kind: &str, body: &str, ticket: &str| {
        vec![
            ("e[scope]".to_owned(), scope.to_string()),
            ("e[kind]".to_owned(), kind.to_owned()),
            ("e[body]".to_owned(), body.to_owned()),
            ("e[ticket]".to_owned(), ticket.to_owned()),
        ]
    };
    let send = |form: Vec<(String, String)>, cookie: String| {
        let app = &app;
        async move {
            let f: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            app.call("duty/log", &f, Some(&cookie)).await
        }
    };
    // The shift before is over: its officer no longer writes the log.
    let r = send(
        entry("received", "群众来电：路灯不亮", "0"),
        earlier.clone(),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    for (form, field) in [
        (entry("told", "群众来电：路灯不亮", "0"), "kind"),
        (entry("received", "   ", "0"), "body"),
        (
            entry("received", "群众来电：路灯不亮", "99999999"),
            "ticket",
        ),
    ] {
        let r = send(form, pan.clone()).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert_eq!(r.json()["Invalid"]["field"], field);
    }
    assert_eq!(entries().await, before);
    let ticket = count(&app, "SELECT MIN(id) FROM tickets").await.to_string();
    let r = send(
        entry("received", "群众来电：顺河街路灯不亮", &ticket),
        pan.clone(),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let first = r.json().as_i64().unwrap().to_string();
    let r = send(entry("passed", "已通知物业连夜维修", "0"), pan.clone()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);

    // Closing: once.
    let r = app
        .call("duty/log_close", &[("id", &first)], Some(&pan))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = app
        .call("duty/log_close", &[("id", &first)], Some(&pan))
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let b = board(&app, 0, "", &pan).await;
    let log = b["log"].as_array().unwrap();
    assert_eq!(log[0]["body"], "已通知物业连夜维修", "open entries first");
    assert_eq!(log[1]["ticket"].as_i64().unwrap().to_string(), ticket);
    assert_eq!(log[1]["closed"][0], "潘月丽");

    // The handover: the shift before's officer may not acknowledge it; she does, once,
    // and what was open then stays on record.
    let shift = current.to_string();
    let r = app
        .call("duty/handover", &[("shift", &shift)], Some(&earlier))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = app
        .call("duty/handover", &[("shift", &shift)], Some(&pan))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = app
        .call("duty/handover", &[("shift", &shift)], Some(&pan))
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let b = board(&app, 0, "", &pan).await;
    assert_eq!(b["handover"]["acked"][0], "潘月丽");
    assert_eq!(b["handover"]["open"].as_i64().unwrap(), 1);
    assert_eq!(b["handover"]["may_ack"], false);
}

#[tokio::test]
async fn a_swap_needs_the_other_persons_and_the_planners_yes() {
    let app = TestApp::new().await;
    let director = app.login(who::XHJ_DIRECTOR).await;
    let scope = xhj(&app).await;
    let month = next_month();
    let me = user(&app, who::XHJ_DIRECTOR).await;
    let (first, pan_id, third) = (
        user(&app, XHJ_01).await,
        user(&app, who::GRID_WORKER).await,
        user(&app, XHJ_03).await,
    );
    let r = app
        .call_json(
            "duty/plan",
            plan(scope, &month, "full_day", &[me], &[first, pan_id, third], 1),
            Some(&director),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let pan = app.login(who::GRID_WORKER).await;
    let b = board(&app, scope, &month, &pan).await;
    let mine = b["shifts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| {
            s["officers"][0]["id"].as_i64() == Some(pan_id)
                && s["starts_ms"].as_i64().unwrap() >= month_bounds(&month).unwrap().0
        })
        .unwrap()["id"]
        .as_i64()
        .unwrap()
        .to_string();
    let theirs = b["shifts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| {
            s["officers"][0]["id"].as_i64() == Some(first)
                && s["starts_ms"].as_i64().unwrap() >= month_bounds(&month).unwrap().0
        })
        .unwrap()["id"]
        .as_i64()
        .unwrap()
        .to_string();
    let ask = |shift: String, with: i64, cookie: String| {
        let app = &app;
        async move {
            app.call(
                "duty/swap",
                &[
                    ("shift", &shift),
                    ("with", &with.to_string()),
                    ("reason", "孩子发烧要去医院"),
                ],
                Some(&cookie),
            )
            .await
        }
    };
    let outsider = user(&app, who::OTHER_GRID_WORKER).await;
    let r = ask(mine.clone(), outsider, pan.clone()).await;
    assert_eq!(r.json()["Invalid"]["field"], "with", "{}", r.body);
    let r = ask(theirs.clone(), third, pan.clone()).await;
    assert_eq!(r.json()["Invalid"]["field"], "shift", "{}", r.body);
    let r = ask(mine.clone(), third, pan.clone()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let swap = r.json().as_i64().unwrap().to_string();
    let r = ask(mine.clone(), first, pan.clone()).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "one request at a time");

    let answer = |id: String, yes: bool, cookie: String| {
        let app = &app;
        async move {
            app.call(
                "duty/swap_answer",
                &[("id", &id), ("accept", if yes { "true" } else { "false" })],
                Some(&cookie),
            )
            .await
        }
    };
    let officer_of = |b: &Value, id: &str| {
        b["shifts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["id"].as_i64().unwrap().to_string() == id)
            .unwrap()["officers"][0]["id"]
            .as_i64()
            .unwrap()
    };
    // Neither the other person nor a planner: no say.
    let c01 = app.login(XHJ_01).await;
    assert_eq!(
        answer(swap.clone(), true, c01.clone()).await.status,
        StatusCode::FORBIDDEN
    );
    // The other person says yes: it still waits for the planner.
    let c03 = app.login(XHJ_03).await;
    let r = answer(swap.clone(), true, c03.clone()).await;
    assert_eq!(
        r.json(),
        json!({ "Waiting": { "peer": true, "planner": false } }),
        "{}",
        r.body
    );
    assert_eq!(
        answer(swap.clone(), true, c03.clone()).await.status,
        StatusCode::CONFLICT
    );
    assert_eq!(
        officer_of(&board(&app, scope, &month, &pan).await, &mine),
        pan_id
    );
    // The planner's yes: the shift is his now.
    let r = answer(swap.clone(), true, director.clone()).await;
    assert_eq!(r.json(), json!("Done"), "{}", r.body);
    assert_eq!(
        officer_of(&board(&app, scope, &month, &pan).await, &mine),
        third
    );

    // A request the planner turns down changes nothing and is closed.
    let r = ask(mine.clone(), first, c03.clone()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let again = r.json().as_i64().unwrap().to_string();
    let r = answer(again.clone(), false, director.clone()).await;
    assert_eq!(r.json(), json!("Refused"));
    assert_eq!(answer(again, true, c01).await.status, StatusCode::CONFLICT);
    assert_eq!(
        officer_of(&board(&app, scope, &month, &pan).await, &mine),
        third
    );
}

#[tokio::test]
async fn an_emergency_rings_the_officer_on_duty_escalates_at_five_minutes_and_keeps_its_timers() {
    let app = TestApp::new().await;
    let (scope, _, _) = arrange_now(&app).await;
    let pan_id = user(&app, who::GRID_WORKER).await;
    let director_id = user(&app, who::XHJ_DIRECTOR).await;
    let resident = app.login(who::RESIDENT).await;
    let (lat, lng) = common::in_xinhuajie_02();
    let cat = app
        .state
        .db
        .category_by_code("emergency")
        .await
        .unwrap()
        .unwrap()
        .id
        .to_string();
    let report = || async {
        app.multipart(
            "/api/tickets",
            &[
                ("category", &cat),
                ("description", "顺河街8号院三楼冒烟，有焦味"),
                ("lat", &lat.to_string()),
                ("lng", &lng.to_string()),
                ("idempotency_key", "duty-emergency-1"),
            ],
            &[("photo", common::jpeg(3))],
            Some(&resident),
        )
        .await
    };
    let r = report().await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let ticket = r.json()["id"].as_i64().unwrap();
    // Sent twice (a retry), it rings once.
    assert_eq!(report().await.json()["id"].as_i64().unwrap(), ticket);
    let rung = |sql: String| {
        let app = &app;
        async move { count(app, &sql).await }
    };
    let rings = format!(
        "SELECT COUNT(*) FROM emergency_rings r JOIN emergencies e ON e.id = r.emergency_id WHERE e.source_id = {ticket}"
    );
    assert_eq!(rung(rings.clone()).await, 1);
    assert_eq!(
        rung(format!("{rings} AND r.user_id = {pan_id}")).await,
        1,
        "the officer on duty, and only her"
    );

    // Her pages ring; nobody else's.
    let pan = app.login(who::GRID_WORKER).await;
    let ringing = |cookie: String| {
        let app = &app;
        async move { app.call("duty/ringing", &[], Some(&cookie)).await.json() }
    };
    let list = ringing(pan.clone()).await;
    assert_eq!(list.as_array().unwrap().len(), 1, "{list}");
    assert!(list[0]["title"].as_str().unwrap().contains("冒烟"));
    let id = list[0]["id"].as_i64().unwrap().to_string();
    let director = app.login(who::XHJ_DIRECTOR).await;
    assert_eq!(ringing(director.clone()).await, json!([]));
    let c01 = app.login(XHJ_01).await;
    assert_eq!(ringing(c01.clone()).await, json!([]));
    let resident_ring = app.call("duty/ringing", &[], Some(&resident)).await;
    assert_eq!(resident_ring.json(), json!([]));

    // Only someone it rang acknowledges it; once; the timeline keeps the result.
    let r = app.call("duty/ack", &[("id", &id)], Some(&c01)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = app.call("duty/ack", &[("id", &id)], Some(&pan)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = app.call("duty/ack", &[("id", &id)], Some(&pan)).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let events = |kind: &'static str| {
        rung(format!(
            "SELECT COUNT(*) FROM ticket_events WHERE ticket_id = {ticket} AND kind = '{kind}'"
        ))
    };
    assert_eq!(events("timer_ack_in_time").await, 1);

    // Five minutes with nobody on site: the leader and the director are rung too, once,
    // however often the check runs.
    let duty = server::services::duty::DutyService {
        db: app.state.db.clone(),
        push: app.state.tickets.push.clone(),
        bus: app.state.bus.clone(),
    };
    let started = count(
        &app,
        &format!("SELECT started_at FROM emergencies WHERE source_id = {ticket}"),
    )
    .await;
    assert!(
        duty.escalate_emergencies(started + 299_000)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        duty.escalate_emergencies(started + 300_000)
            .await
            .unwrap()
            .len(),
        1
    );
    assert!(
        duty.escalate_emergencies(started + 360_000)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(events("timer_escalated").await, 1);
    assert_eq!(
        rung(format!("{rings} AND r.user_id = {director_id}")).await,
        1
    );
    let list = ringing(director.clone()).await;
    assert_eq!(list[0]["escalated"], true, "{list}");

    // On site: the staff of the ticket's grid may say so too (not another community's);
    // a position must be a real one.
    let other = app.login(who::OTHER_GRID_WORKER).await;
    let r = app.call("duty/on_site", &[("id", &id)], Some(&other)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let police = app.login("13903960052").await;
    let r = app
        .call(
            "duty/on_site",
            &[("id", &id), ("lat", "999"), ("lng", "114.02")],
            Some(&police),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let r = app
        .call(
            "duty/on_site",
            &[
                ("id", &id),
                ("lat", &lat.to_string()),
                ("lng", &lng.to_string()),
            ],
            Some(&police),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(events("timer_on_site_in_time").await, 1);
    // Answered and someone there: it stops ringing.
    assert_eq!(ringing(pan.clone()).await, json!([]));

    // The month's figures for the community.
    let b = board(&app, scope, "", &director).await;
    assert_eq!(
        b["timers"],
        json!({ "rung": 1, "ack_in_time": 1, "on_site_in_time": 1, "escalated": 1 })
    );
}

#[tokio::test]
async fn a_residents_call_for_help_and_a_lost_person_notice_ring_the_officer_on_duty() {
    let app = TestApp::new().await;
    arrange_now(&app).await;
    let admin = app.login(who::ADMIN).await;
    let grid = count(&app, "SELECT id FROM grids WHERE code = 'LJ-XHJ-02'").await;
    let r = app
        .call_json(
            "alert/publish",
            json!({ "input": {
                "title": "暴雨预警", "body": "今夜有暴雨，低洼处居民请注意。",
                "category": "Met", "urgency": "Expected", "severity": "Severe",
                "certainty": "Likely", "expires_in_min": 720, "targets": [grid],
                "follow_up_after_min": 10 } }),
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let alert = r.json()["id"].clone();
    // 陈桂兰 lives in 新华街02: she needs help, and says so twice.
    let chen = app.login(who::RESIDENT).await;
    for _ in 0..2 {
        let r = app
            .call_json(
                "alert/answer",
                json!({ "id": alert, "input": { "answer": "NeedHelp", "note": "家里进水了" } }),
                Some(&chen),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }
    let pan = app.login(who::GRID_WORKER).await;
    let list = app.call("duty/ringing", &[], Some(&pan)).await.json();
    assert_eq!(list.as_array().unwrap().len(), 1, "once: {list}");
    assert_eq!(list[0]["source"], "AlertHelp");
    assert!(
        list[0]["title"]
            .as_str()
            .unwrap()
            .contains("陈桂兰 需要帮助"),
        "{list}"
    );
    // Someone safe rings nobody.
    let other = app.login(who::OTHER_RESIDENT).await;
    let r = app
        .call_json(
            "alert/answer",
            json!({ "id": alert, "input": { "answer": "Safe", "note": "" } }),
            Some(&other),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);

    // A lost-person notice posted in the community rings her too.
    let worker = app.login(XHJ_01).await;
    let (lat, lng) = common::in_xinhuajie_02();
    let (lat, lng) = (lat.to_string(), lng.to_string());
    let r = app
        .multipart(
            "/api/missing",
            &[
                ("name", "王秀英"),
                ("age", "78"),
                ("description", "灰色棉袄，拄拐杖，有轻度认知障碍"),
                ("last_seen_place", "老街菜市场东门"),
                ("lat", &lat),
                ("lng", &lng),
            ],
            &[("photo", common::jpeg(7))],
            Some(&worker),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let list = app.call("duty/ringing", &[], Some(&pan)).await.json();
    assert_eq!(list.as_array().unwrap().len(), 2, "{list}");
    assert_eq!(list[0]["source"], "Missing");
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM emergency_rings").await,
        2,
        "the officer on duty, and only her"
    );
    let id = list[1]["id"].as_i64().unwrap().to_string();
    let r = app.call("duty/ack", &[("id", &id)], Some(&pan)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
}
