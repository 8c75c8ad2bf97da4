//! Reminders, with a clock each test chooses: shift reminders a day and two hours
//! before, once and only once (concurrent rounds too), called off with the seat or
//! the shift, the waitlist's seat told at once; quiet hours move them (and moving the
//! hours moves the planned ones), alerts keep none; bad choices refused in words;
//! meetings in the morning; the rating question and its second asking (called off
//! once rated); the staff digest at 08:00, once a day, naming what is due.
use crate::alert::publish;
use crate::common::{self, TestApp, count, who};
use crate::party::{org_id, user_id};
use crate::ticket::{act, reported, resolved_for_rating};
use app::domain::command::day_start;
use axum::http::StatusCode;
use serde_json::{Value, json};

const MIN: i64 = 60_000;
const HOUR: i64 = 60 * MIN;
const DAY: i64 = 24 * HOUR;

/// China midnight `days` days after today's.
fn china_day(days: i64) -> i64 {
    day_start(app::domain::time::now_ms()) + days * DAY
}

async fn grid(app: &TestApp, code: &str) -> i64 {
    app.state.db.grid_codes().await.unwrap()[code].0
}

/// A two-hour patrol in `grid` from `starts_at` with `capacity` seats: its id.
async fn shift_at(app: &TestApp, cookie: &str, grid: i64, starts_at: i64, capacity: u32) -> i64 {
    let body = json!({ "input": {
        "kind": "Patrol", "grid": grid, "team": null, "title": "红马甲巡逻",
        "place": "新华街社区党群服务中心", "starts_at": starts_at, "minutes": 120,
        "capacity": capacity, "min_seats": 1, "note": "", "cutoff_hours": 0
    }});
    let r = app.call_json("shift/create", body, Some(cookie)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.json()[0].as_i64().unwrap()
}

/// `n` new volunteer accounts: (phone, cookie).
async fn volunteers(app: &TestApp, n: usize) -> Vec<(String, String)> {
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let phone = format!("1371111{i:04}");
        let cookie = common::resident_account(app, &phone, &format!("志愿者{i}")).await;
        out.push((phone, cookie));
    }
    out
}

async fn sign_up(app: &TestApp, cookie: &str, shift: i64) -> Value {
    let r = app
        .call("shift/signup", &[("id", &shift.to_string())], Some(cookie))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.json()
}

/// One person's reminders of a kind about a subject: (status, channels, send_at).
async fn rows(app: &TestApp, phone: &str, kind: &str, ref_id: i64) -> Vec<(String, String, i64)> {
    let user = user_id(app, phone).await;
    sqlx::query_as(
        "SELECT status, channels, send_at FROM reminders
         WHERE user_id = $1 AND kind = $2 AND ref_id = $3 ORDER BY occasion",
    )
    .bind(user)
    .bind(kind)
    .bind(ref_id)
    .fetch_all(&app.state.db.pool)
    .await
    .unwrap()
}

fn statuses(rows: &[(String, String, i64)]) -> Vec<&str> {
    rows.iter().map(|r| r.0.as_str()).collect()
}

async fn tick(app: &TestApp, at: i64) {
    app.state.reminders.tick(at).await.unwrap();
}

async fn save_prefs(app: &TestApp, cookie: &str, from: i64, to: i64) -> common::Reply {
    let prefs = json!({ "prefs": { "in_app": true, "push": true, "sms": false,
        "quiet": { "from": from, "to": to } } });
    app.call_json("reminder/save_prefs", prefs, Some(cookie))
        .await
}

#[tokio::test]
async fn shift_reminders_go_once_at_their_time_and_are_called_off_with_the_shift() {
    let app = TestApp::new().await;
    let coordinator = app.login(who::COORDINATOR).await;
    let xhj02 = grid(&app, "LJ-XHJ-02").await;
    let start = china_day(3) + 10 * HOUR;
    let a = shift_at(&app, &coordinator, xhj02, start, 5).await;
    let people = volunteers(&app, 4).await;
    let [(p0, c0), (p1, c1), (p2, c2), (p3, c3)] = &people[..] else {
        unreachable!()
    };
    sign_up(&app, c0, a).await;
    sign_up(&app, c1, a).await;

    // More than 25 hours ahead: nothing planned yet; then a day ahead, both, unsent.
    tick(&app, start - 26 * HOUR).await;
    assert!(rows(&app, p0, "shift_day", a).await.is_empty());
    tick(&app, start - 25 * HOUR + MIN).await;
    for p in [p0, p1] {
        assert_eq!(statuses(&rows(&app, p, "shift_day", a).await), ["planned"]);
        assert_eq!(statuses(&rows(&app, p, "shift_soon", a).await), ["planned"]);
    }
    tick(&app, start - 24 * HOUR - MIN).await;
    assert_eq!(statuses(&rows(&app, p0, "shift_day", a).await), ["planned"]);
    let unread = app.call("reminder/unread", &[], Some(c0)).await;
    assert_eq!(unread.json(), 0, "{}", unread.body);

    // A day before, to the minute: in the inbox and by push (the default choices).
    tick(&app, start - 24 * HOUR).await;
    for p in [p0, p1] {
        let r = rows(&app, p, "shift_day", a).await;
        assert_eq!((r[0].0.as_str(), r[0].1.as_str()), ("sent", "app,push"));
    }
    assert_eq!(app.call("reminder/unread", &[], Some(c0)).await.json(), 1);
    let inbox = app.call("reminder/inbox", &[], Some(c0)).await.json();
    let item = inbox
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["kind"] == "ShiftDay")
        .unwrap_or_else(|| panic!("{inbox}"));
    assert_eq!(item["url"], format!("/shifts/{a}"));
    assert_eq!(item["read"], false);
    assert!(
        item["title"].as_str().unwrap().contains("红马甲巡逻"),
        "{item}"
    );
    // Reading them marks them read.
    assert_eq!(app.call("reminder/unread", &[], Some(c0)).await.json(), 0);

    // Once and only once: the same round again, and two rounds at once, send nothing more.
    tick(&app, start - 24 * HOUR).await;
    let (x, y) = tokio::join!(
        app.state.reminders.tick(start - 24 * HOUR + MIN),
        app.state.reminders.tick(start - 24 * HOUR + MIN)
    );
    assert_eq!(x.unwrap().sent + y.unwrap().sent, 0);
    let sent_days = count(
        &app,
        &format!("SELECT COUNT(*) FROM reminders WHERE kind = 'shift_day' AND ref_id = {a} AND status = 'sent'"),
    )
    .await;
    assert_eq!(sent_days, 2);

    // 志愿者1 gives up the seat: her two-hour reminder is called off.
    let r = app
        .call("shift/leave", &[("id", &a.to_string())], Some(c1))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        statuses(&rows(&app, p1, "shift_soon", a).await),
        ["cancelled"]
    );

    // A one-seat patrol later that day: 志愿者2 seated, 志愿者3 waiting. 志愿者3 wants
    // no quiet hours (so the test does not depend on the hour it runs at).
    let b_start = start + 4 * HOUR;
    let b = shift_at(&app, &coordinator, xhj02, b_start, 1).await;
    sign_up(&app, c2, b).await;
    assert_eq!(
        sign_up(&app, c3, b).await,
        json!({ "state": "Waiting", "position": 1 })
    );
    let r = save_prefs(&app, c3, 0, 0).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    tick(&app, b_start - 25 * HOUR + MIN).await;
    assert_eq!(
        statuses(&rows(&app, p2, "shift_soon", b).await),
        ["planned"]
    );
    assert!(rows(&app, p3, "shift_soon", b).await.is_empty());
    // 志愿者2 leaves: 志愿者3 is seated and told at once; her shift reminders follow.
    app.call("shift/leave", &[("id", &b.to_string())], Some(c2))
        .await;
    let promoted = rows(&app, p3, "promoted", b).await;
    assert_eq!(
        (promoted[0].0.as_str(), promoted[0].1.as_str()),
        ("sent", "app,push")
    );
    tick(&app, b_start - 25 * HOUR + 2 * MIN).await;
    assert_eq!(
        statuses(&rows(&app, p3, "shift_soon", b).await),
        ["planned"]
    );

    // The coordinator calls the patrol off: her reminders are called off, never sent.
    let r = app
        .call(
            "shift/cancel",
            &[("id", &b.to_string())],
            Some(&coordinator),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    // Two hours before the first patrol: 志愿者0 only, once, even with two rounds at once.
    let (x, y) = tokio::join!(
        app.state.reminders.tick(start - 2 * HOUR),
        app.state.reminders.tick(start - 2 * HOUR)
    );
    x.unwrap();
    y.unwrap();
    assert_eq!(statuses(&rows(&app, p0, "shift_soon", a).await), ["sent"]);
    assert_eq!(
        statuses(&rows(&app, p1, "shift_soon", a).await),
        ["cancelled"]
    );
    let soon = count(
        &app,
        &format!("SELECT COUNT(*) FROM reminders WHERE kind = 'shift_soon' AND ref_id = {a} AND status = 'sent'"),
    )
    .await;
    assert_eq!(soon, 1);
    // Later, at the called-off patrol's time, nothing goes to 志愿者3.
    tick(&app, b_start - 2 * HOUR).await;
    assert_eq!(
        statuses(&rows(&app, p3, "shift_soon", b).await),
        ["cancelled"]
    );
    assert_eq!(
        statuses(&rows(&app, p3, "shift_day", b).await),
        ["cancelled"]
    );
}

#[tokio::test]
async fn quiet_hours_move_reminders_never_alerts_and_bad_choices_are_refused() {
    let app = TestApp::new().await;
    let coordinator = app.login(who::COORDINATOR).await;
    let xhj02 = grid(&app, "LJ-XHJ-02").await;
    let people = volunteers(&app, 2).await;
    let [(p0, c0), (p1, c1)] = &people[..] else {
        unreachable!()
    };

    // A 06:00 patrol, default quiet hours 21:00–07:00: the day-before reminder (due
    // 06:00) waits until 07:00; the two-hour one (04:00; 07:00 is too late) goes at
    // 20:59 the evening before.
    let day2 = china_day(2);
    let early = shift_at(&app, &coordinator, xhj02, china_day(3) + 6 * HOUR, 5).await;
    sign_up(&app, c0, early).await;
    tick(&app, china_day(3) + 6 * HOUR - 25 * HOUR + MIN).await;
    assert_eq!(
        rows(&app, p0, "shift_day", early).await[0].2,
        day2 + 7 * HOUR
    );
    assert_eq!(
        rows(&app, p0, "shift_soon", early).await[0].2,
        day2 + 20 * HOUR + 59 * MIN
    );
    tick(&app, day2 + 7 * HOUR - MIN).await;
    assert_eq!(
        statuses(&rows(&app, p0, "shift_day", early).await),
        ["planned"]
    );
    tick(&app, day2 + 7 * HOUR).await;
    assert_eq!(
        statuses(&rows(&app, p0, "shift_day", early).await),
        ["sent"]
    );
    tick(&app, day2 + 20 * HOUR + 58 * MIN).await;
    assert_eq!(
        statuses(&rows(&app, p0, "shift_soon", early).await),
        ["planned"]
    );
    tick(&app, day2 + 20 * HOUR + 59 * MIN).await;
    assert_eq!(
        statuses(&rows(&app, p0, "shift_soon", early).await),
        ["sent"]
    );

    // A 15:00 patrol: planned for 13:00; then 志愿者1 chooses quiet 12:00–14:00 and
    // the planned reminder moves to 14:00 with it.
    let later = shift_at(&app, &coordinator, xhj02, china_day(3) + 15 * HOUR, 5).await;
    sign_up(&app, c1, later).await;
    tick(&app, china_day(3) + 15 * HOUR - 25 * HOUR + MIN).await;
    let soon_at = china_day(3) + 13 * HOUR;
    assert_eq!(rows(&app, p1, "shift_soon", later).await[0].2, soon_at);
    let r = save_prefs(&app, c1, 12 * 60, 14 * 60).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let mine = app.call("reminder/prefs", &[], Some(c1)).await.json();
    assert_eq!(mine["prefs"]["quiet"], json!({"from": 720, "to": 840}));
    assert_eq!(mine["sms_available"], false);
    assert_eq!(
        rows(&app, p1, "shift_soon", later).await[0].2,
        soon_at + HOUR
    );
    tick(&app, soon_at).await;
    assert_eq!(
        statuses(&rows(&app, p1, "shift_soon", later).await),
        ["planned"]
    );
    tick(&app, soon_at + HOUR).await;
    assert_eq!(
        statuses(&rows(&app, p1, "shift_soon", later).await),
        ["sent"]
    );

    // A round that comes late, inside quiet hours (the server was down): a reminder
    // still of use after them waits for their end; one that is not goes to the inbox
    // only, without a sound.
    let day3 = china_day(3);
    let next_day = shift_at(
        &app,
        &coordinator,
        xhj02,
        china_day(4) + 11 * HOUR + 30 * MIN,
        5,
    )
    .await;
    let lunch = shift_at(&app, &coordinator, xhj02, day3 + 12 * HOUR + 45 * MIN, 5).await;
    sign_up(&app, c1, next_day).await;
    sign_up(&app, c1, lunch).await;
    app.state.reminders.plan(day3 + 11 * HOUR).await.unwrap();
    assert_eq!(
        rows(&app, p1, "shift_day", next_day).await[0].2,
        day3 + 11 * HOUR + 30 * MIN
    );
    // (Its two-hour point, 10:45, had passed: at once.)
    assert_eq!(
        rows(&app, p1, "shift_soon", lunch).await[0].2,
        day3 + 11 * HOUR
    );
    let late = app
        .state
        .reminders
        .deliver(day3 + 12 * HOUR + 30 * MIN)
        .await
        .unwrap();
    assert!(late.postponed >= 1, "{late:?}");
    let r = rows(&app, p1, "shift_day", next_day).await;
    assert_eq!((r[0].0.as_str(), r[0].2), ("planned", day3 + 14 * HOUR));
    let r = rows(&app, p1, "shift_soon", lunch).await;
    assert_eq!((r[0].0.as_str(), r[0].1.as_str()), ("sent", "app"));
    tick(&app, day3 + 14 * HOUR).await;
    let r = rows(&app, p1, "shift_day", next_day).await;
    assert_eq!((r[0].0.as_str(), r[0].1.as_str()), ("sent", "app,push"));

    // Bad choices: refused in words, nothing written.
    let before = count(&app, "SELECT COUNT(*) FROM reminder_prefs").await;
    for (prefs, field) in [
        (
            json!({"in_app": true, "push": true, "sms": false, "quiet": {"from": 1440, "to": 0}}),
            "quiet",
        ),
        (
            json!({"in_app": false, "push": false, "sms": false, "quiet": {"from": 0, "to": 0}}),
            "channels",
        ),
        (
            json!({"in_app": true, "push": false, "sms": true, "quiet": {"from": 0, "to": 0}}),
            "sms",
        ),
    ] {
        let r = app
            .call_json("reminder/save_prefs", json!({ "prefs": prefs }), Some(c0))
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.body.contains(field), "{field}: {}", r.body);
    }
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM reminder_prefs").await,
        before
    );
    let r = app
        .call_json(
            "reminder/save_prefs",
            json!({ "prefs": {"in_app": true} }),
            Some(c0),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    let r = save_prefs(&app, "", 0, 0).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.body);

    // Alerts keep no quiet hours: a resident whose quiet hours hold this very minute
    // has the alert in her inbox at once.
    let resident = app.login(who::RESIDENT).await;
    let minute = (app::domain::time::now_ms() - day_start(app::domain::time::now_ms())) / MIN;
    let r = save_prefs(&app, &resident, minute, (minute + 120) % 1440).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let admin = app.login(who::ADMIN).await;
    let alert = publish(&app, &admin, vec![]).await;
    let inbox = app.call("alert/inbox", &[], Some(&resident)).await.json();
    assert!(
        inbox
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["alert"]["id"] == alert["id"]),
        "{inbox} / {alert}"
    );
}

#[tokio::test]
async fn meetings_ratings_and_the_staff_digest() {
    let app = TestApp::new().await;
    let admin = app.login(who::ADMIN).await;

    // A meeting at 15:00 the day after tomorrow: its four members hear at 07:00.
    let tree = app.call("party/tree", &[], Some(&admin)).await.json();
    let branch = org_id(&tree, "新华街01网格党支部");
    let day2 = china_day(2);
    let date = &app::domain::time::format_cst(day2)[..10];
    let meeting = json!({ "meeting": { "org": branch, "kind": "Assembly", "title": "十二月支部党员大会",
        "date": date, "time": "15:00", "place": "新华街社区党群服务中心" } });
    let r = app
        .call_json("party/meeting/call", meeting, Some(&admin))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let m = r.json().as_i64().unwrap();
    tick(&app, day2 + 15 * HOUR - 25 * HOUR + MIN).await;
    let planned = |status: &'static str| {
        format!(
            "SELECT COUNT(*) FROM reminders WHERE kind = 'meeting' AND ref_id = {m} AND status = '{status}'"
        )
    };
    assert_eq!(count(&app, &planned("planned")).await, 4);
    tick(&app, day2 + 7 * HOUR - MIN).await;
    assert_eq!(count(&app, &planned("sent")).await, 0);
    tick(&app, day2 + 7 * HOUR).await;
    assert_eq!(count(&app, &planned("sent")).await, 4);

    // The rating question: asked when the fix reaches her, again three days on unless
    // she has answered. (No quiet hours, so the hour the test runs at does not matter.)
    let resident = app.login(who::RESIDENT).await;
    assert_eq!(
        save_prefs(&app, &resident, 0, 0).await.status,
        StatusCode::OK
    );
    let t1 = resolved_for_rating(&app, &resident, 31).await;
    let t2 = resolved_for_rating(&app, &resident, 32).await;
    let asked: i64 = sqlx::query_scalar("SELECT rating_asked_at FROM tickets WHERE id = $1")
        .bind(t1)
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    tick(&app, asked + 1000).await;
    assert_eq!(
        statuses(&rows(&app, who::RESIDENT, "rating", t1).await),
        ["sent", "planned"]
    );
    assert_eq!(
        statuses(&rows(&app, who::RESIDENT, "rating", t2).await),
        ["sent", "planned"]
    );
    let r = act(
        &app,
        &resident,
        t2,
        &[("action", "rate"), ("rating", "satisfied"), ("note", "")],
        vec![],
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    tick(&app, asked + 3 * DAY + 1000).await;
    assert_eq!(
        statuses(&rows(&app, who::RESIDENT, "rating", t1).await),
        ["sent", "sent"]
    );
    assert_eq!(
        statuses(&rows(&app, who::RESIDENT, "rating", t2).await),
        ["sent", "cancelled"]
    );

    // The staff digest: a report past its deadlines is overdue for the one responsible;
    // at 08:00 (not before) she gets one digest naming it, once that day.
    let t3 = reported(&app, &resident, "facilities", 33).await;
    app.state
        .tickets
        .escalate(app::domain::time::now_ms() + 30 * DAY)
        .await
        .unwrap();
    let assignee: i64 = sqlx::query_scalar("SELECT assignee_id FROM tickets WHERE id = $1")
        .bind(t3)
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    // (A day after every round above, so no earlier round has worked that day out.)
    let day1 = china_day(6);
    let digests = |status: &'static str| {
        format!(
            "SELECT COUNT(*) FROM reminders WHERE kind = 'digest' AND ref_id = {day1} AND user_id = {assignee} AND status = '{status}'"
        )
    };
    tick(&app, day1 + 8 * HOUR - MIN).await;
    assert_eq!(count(&app, &digests("sent")).await, 0);
    tick(&app, day1 + 8 * HOUR).await;
    tick(&app, day1 + 9 * HOUR).await;
    assert_eq!(count(&app, &digests("sent")).await, 1);
    let body: String = sqlx::query_scalar(
        "SELECT body FROM reminders WHERE kind = 'digest' AND ref_id = $1 AND user_id = $2",
    )
    .bind(day1)
    .bind(assignee)
    .fetch_one(&app.state.db.pool)
    .await
    .unwrap();
    assert!(body.contains("件工单超时"), "{body}");
    // Residents get no digest; staff with nothing due get none either (recorded as such).
    let resident_id = user_id(&app, who::RESIDENT).await;
    assert_eq!(
        count(
            &app,
            &format!(
                "SELECT COUNT(*) FROM reminders WHERE kind = 'digest' AND user_id = {resident_id}"
            )
        )
        .await,
        0
    );
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM reminders WHERE kind = 'digest' AND status = 'sent' AND body = ''"
        )
        .await,
        0
    );
}
