//! Volunteer shifts: seats and the waitlist (also under concurrent sign-ups), the
//! promotion on cancellation, the overlap rule, the cancellation cut-off, check-in by
//! the shift's link, hand check-in, the hours ledger, calling a shift off, scope.
#![allow(clippy::unwrap_used)]
use crate::common::{self, count};
use axum::http::StatusCode;
use common::{TestApp, who};
use serde_json::{Value, json};

const MINUTE: i64 = 60_000;

fn now() -> i64 {
    app::domain::time::now_ms()
}

async fn grid(app: &TestApp, code: &str) -> i64 {
    app.state.db.grid_codes().await.unwrap()[code].0
}

fn shift(grid: i64, starts_in_min: i64, capacity: u32, cutoff_hours: u32) -> Value {
    json!({ "input": {
        "kind": "Patrol", "grid": grid, "team": null, "title": "红马甲夜间巡逻",
        "place": "新华街社区党群服务中心", "starts_at": now() + starts_in_min * MINUTE,
        "minutes": 120, "capacity": capacity, "min_seats": 1, "note": "",
        "cutoff_hours": cutoff_hours
    }})
}

async fn create(app: &TestApp, body: Value, cookie: &str) -> String {
    let r = app.call_json("shift/create", body, Some(cookie)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.json()[0].as_i64().unwrap().to_string()
}

async fn detail(app: &TestApp, id: &str, cookie: Option<&str>) -> Value {
    let r = app.call("shift/detail", &[("id", id)], cookie).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.json()
}

/// `n` new resident accounts, signed in.
async fn volunteers(app: &TestApp, n: usize) -> Vec<String> {
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let phone = format!("1370000{i:04}");
        out.push(common::resident_account(app, &phone, &format!("志愿者{i}")).await);
    }
    out
}

#[tokio::test]
async fn seats_then_waitlist_promotion_overlap_and_cutoff() {
    let app = TestApp::new().await;
    let coordinator = app.login(who::COORDINATOR).await;
    let xhj02 = grid(&app, "LJ-XHJ-02").await;

    // Bad input: 422 in words, nothing written.
    let before = count(&app, "SELECT COUNT(*) FROM shifts").await;
    for (bad, field) in [
        (shift(xhj02, 180, 0, 1), "capacity"),
        (shift(xhj02, -5, 2, 1), "starts_at"),
        (shift(999_999, 180, 2, 1), "grid"),
    ] {
        let r = app.call_json("shift/create", bad, Some(&coordinator)).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.body.contains(field), "{field}: {}", r.body);
    }
    assert_eq!(count(&app, "SELECT COUNT(*) FROM shifts").await, before);

    let id = create(&app, shift(xhj02, 180, 2, 1), &coordinator).await;
    let people = volunteers(&app, 4).await;
    let (a, b, c, d) = (&people[0], &people[1], &people[2], &people[3]);
    let signup = |who: &str| {
        let id = id.clone();
        let who = who.to_owned();
        let app = &app;
        async move { app.call("shift/signup", &[("id", &id)], Some(&who)).await }
    };
    assert_eq!(
        signup(a).await.json(),
        json!({ "state": "Seated", "position": null })
    );
    assert_eq!(
        signup(b).await.json(),
        json!({ "state": "Seated", "position": null })
    );
    assert_eq!(
        signup(c).await.json(),
        json!({ "state": "Waiting", "position": 1 })
    );
    assert_eq!(
        signup(d).await.json(),
        json!({ "state": "Waiting", "position": 2 })
    );
    let again = signup(a).await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);
    assert!(again.body.contains("ErrShiftAlready"), "{}", again.body);

    let s = detail(&app, &id, Some(d)).await["shift"].clone();
    assert_eq!(
        (s["taken"].clone(), s["waiting"].clone()),
        (json!(2), json!(2))
    );
    assert_eq!(
        (s["mine"].clone(), s["my_position"].clone()),
        (json!("Waiting"), json!(2))
    );

    // The coordinator's roster: seated first, then the waitlist in order.
    let roster = detail(&app, &id, Some(&coordinator)).await["roster"].clone();
    let names: Vec<&str> = roster
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["志愿者0", "志愿者1", "志愿者2", "志愿者3"]);
    assert_eq!(
        roster[0]["phone"],
        json!("137****0000"),
        "phones are masked"
    );

    // A leaves: C, first in line, takes the seat; D moves up.
    let r = app.call("shift/leave", &[("id", &id)], Some(a)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let s = detail(&app, &id, Some(c)).await["shift"].clone();
    assert_eq!(
        (s["taken"].clone(), s["waiting"].clone(), s["mine"].clone()),
        (json!(2), json!(1), json!("Seated"))
    );
    let s = detail(&app, &id, Some(d)).await["shift"].clone();
    assert_eq!(s["my_position"], json!(1));
    // D leaves the waitlist: the seats stay as they are.
    app.call("shift/leave", &[("id", &id)], Some(d)).await;
    let s = detail(&app, &id, None).await["shift"].clone();
    assert_eq!(
        (s["taken"].clone(), s["waiting"].clone()),
        (json!(2), json!(0))
    );
    // B leaves with nobody waiting: a seat is free again, and A can have it back.
    app.call("shift/leave", &[("id", &id)], Some(b)).await;
    assert_eq!(detail(&app, &id, None).await["shift"]["taken"], json!(1));
    assert_eq!(signup(a).await.json()["state"], json!("Seated"));

    // Overlap: an hour later in another grid clashes for A; back to back does not.
    let lj01 = grid(&app, "LJ-LJ-01").await;
    let clash = create(&app, shift(lj01, 240, 5, 1), &coordinator).await;
    let r = app.call("shift/signup", &[("id", &clash)], Some(a)).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert!(r.body.contains("ErrShiftOverlap"), "{}", r.body);
    let next = create(&app, shift(lj01, 300, 5, 1), &coordinator).await;
    let r = app.call("shift/signup", &[("id", &next)], Some(a)).await;
    assert_eq!(r.json()["state"], json!("Seated"), "{}", r.body);

    // The cut-off: within 2 hours of the start a seat can no longer be given up online.
    let soon = create(&app, shift(xhj02, 60, 5, 2), &coordinator).await;
    app.call("shift/signup", &[("id", &soon)], Some(b)).await;
    let r = app.call("shift/leave", &[("id", &soon)], Some(b)).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert!(r.body.contains("ErrShiftCutoffPassed"), "{}", r.body);
    assert_eq!(
        detail(&app, &soon, Some(b)).await["shift"]["mine"],
        json!("Seated")
    );

    // Called off: those signed up see it; nobody can sign up any more.
    let r = app
        .call("shift/cancel", &[("id", &soon)], Some(&coordinator))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = app.call("shift/signup", &[("id", &soon)], Some(c)).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert_eq!(
        detail(&app, &soon, Some(b)).await["shift"]["cancelled"],
        json!(true)
    );

    // My shifts lists what I hold.
    let mine = app.call("shift/mine", &[], Some(a)).await.json();
    let ids: Vec<String> = mine
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].to_string())
        .collect();
    assert!(ids.contains(&id) && ids.contains(&next), "{ids:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn simultaneous_sign_ups_fill_exactly_the_seats() {
    let app = TestApp::new().await;
    let coordinator = app.login(who::COORDINATOR).await;
    let xhj02 = grid(&app, "LJ-XHJ-02").await;
    let id = create(&app, shift(xhj02, 600, 5, 1), &coordinator).await;
    let people = volunteers(&app, 30).await;
    let calls = people.iter().map(|p| {
        let (app, id) = (&app, &id);
        async move { app.call("shift/signup", &[("id", id)], Some(p)).await }
    });
    let replies = futures_util::future::join_all(calls).await;
    let mut seated = 0;
    let mut positions = Vec::new();
    for r in &replies {
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let v = r.json();
        match v["state"].as_str().unwrap() {
            "Seated" => seated += 1,
            _ => positions.push(v["position"].as_u64().unwrap()),
        }
    }
    positions.sort_unstable();
    assert_eq!(seated, 5);
    assert_eq!(
        positions,
        (1..=25).collect::<Vec<u64>>(),
        "each place in line once"
    );
    let s = detail(&app, &id, None).await["shift"].clone();
    assert_eq!(
        (s["taken"].clone(), s["waiting"].clone()),
        (json!(5), json!(25))
    );
    let rows = count(
        &app,
        &format!("SELECT COUNT(*) FROM shift_signups WHERE shift_id = {id} AND state = 'seated'"),
    )
    .await;
    assert_eq!(rows, 5);
}

#[tokio::test]
async fn check_in_by_link_hand_check_in_and_hours() {
    let app = TestApp::new().await;
    let coordinator = app.login(who::COORDINATOR).await;
    let xhj02 = grid(&app, "LJ-XHJ-02").await;
    // Starts in 20 minutes: check-in is open (from 30 minutes before).
    let id = create(&app, shift(xhj02, 20, 2, 0), &coordinator).await;
    let people = volunteers(&app, 3).await;
    let (a, b, c) = (&people[0], &people[1], &people[2]);
    for p in [a, b, c] {
        app.call("shift/signup", &[("id", &id)], Some(p)).await;
    }
    let token = detail(&app, &id, Some(&coordinator)).await["checkin_token"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(token.len() >= 32);
    assert_eq!(
        detail(&app, &id, Some(a)).await["checkin_token"],
        Value::Null,
        "the token is the coordinator's"
    );

    // The QR code encodes the link; only the shift's coordinators can draw it.
    let qr = app
        .get(&format!("/api/shifts/{id}/qr.svg"), Some(&coordinator))
        .await;
    assert_eq!(qr.status, StatusCode::OK);
    assert_eq!(qr.headers["content-type"], "image/svg+xml");
    assert!(
        qr.body.contains("<svg"),
        "{}",
        &qr.body[..100.min(qr.body.len())]
    );
    assert_eq!(
        app.get(&format!("/api/shifts/{id}/qr.svg"), Some(a))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get(&format!("/api/shifts/{id}/qr.svg"), None)
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );

    let check_in = |who: &str, t: &str| {
        let (app, id, who, t) = (&app, id.clone(), who.to_owned(), t.to_owned());
        async move {
            app.call("shift/checkin", &[("id", &id), ("token", &t)], Some(&who))
                .await
        }
    };
    let r = check_in(a, "wrong").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("ErrShiftToken"), "{}", r.body);
    // C is on the waitlist: no check-in.
    let r = check_in(c, &token).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    let r = check_in(a, &token).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let first = r.json().as_i64().unwrap();
    assert_eq!(
        check_in(a, &token).await.json().as_i64().unwrap(),
        first,
        "the first check-in counts"
    );

    // Two hours pass (the shift is moved back in time: it began an hour ago).
    let start = now() - 60 * MINUTE;
    sqlx::query("UPDATE shifts SET starts_at = $1, ends_at = $2 WHERE id = $3")
        .bind(start)
        .bind(start + 120 * MINUTE)
        .bind(id.parse::<i64>().unwrap())
        .execute(&app.state.db.pool)
        .await
        .unwrap();
    sqlx::query("UPDATE shift_signups SET checked_in_at = $1 WHERE shift_id = $2 AND checked_in_at IS NOT NULL")
        .bind(start - 10 * MINUTE)
        .bind(id.parse::<i64>().unwrap())
        .execute(&app.state.db.pool)
        .await
        .unwrap();
    let r = app
        .call("shift/checkout", &[("id", &id), ("token", &token)], Some(a))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let minutes = r.json().as_u64().unwrap();
    assert!(
        (59..=61).contains(&minutes),
        "an hour inside the shift: {minutes}"
    );

    // B forgot the phone: the coordinator checks B in and out by hand.
    let roster = detail(&app, &id, Some(&coordinator)).await["roster"].clone();
    let b_line = roster
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == json!("志愿者1"))
        .unwrap();
    let sid = b_line["signup"].to_string();
    for out in ["false", "true"] {
        let r = app
            .call(
                "shift/mark",
                &[("id", &id), ("signup", &sid), ("out", out)],
                Some(&coordinator),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }
    // A director of another community cannot.
    let other = app.login(who::DIRECTOR).await;
    let r = app
        .call(
            "shift/mark",
            &[("id", &id), ("signup", &sid), ("out", "true")],
            Some(&other),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
    assert_eq!(detail(&app, &id, Some(&other)).await["roster"], Value::Null);

    // The ledger: one entry each, in this month.
    let hours = app.call("shift/hours", &[], Some(a)).await.json();
    assert_eq!(hours.as_array().unwrap().len(), 1, "{hours}");
    assert_eq!(hours[0]["shifts"], json!(1));
    assert_eq!(hours[0]["minutes"], json!(minutes));
    let month = app::domain::shift::month_of(start);
    assert_eq!(hours[0]["month"], json!(month));
    assert_eq!(count(&app, "SELECT COUNT(*) FROM volunteer_hours").await, 2);
    // Checking out again does not add a second entry.
    app.call("shift/checkout", &[("id", &id), ("token", &token)], Some(a))
        .await;
    assert_eq!(count(&app, "SELECT COUNT(*) FROM volunteer_hours").await, 2);
}

#[tokio::test]
async fn directors_schedule_only_their_community_and_the_demo_shows_team_gaps() {
    let app = TestApp::new().await;
    let xhj_director = app.login(who::XHJ_DIRECTOR).await;
    let lj01 = grid(&app, "LJ-LJ-01").await;
    let r = app
        .call_json("shift/create", shift(lj01, 180, 4, 1), Some(&xhj_director))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("ErrGridOutOfScope"), "{}", r.body);
    let xhj01 = grid(&app, "LJ-XHJ-01").await;
    create(&app, shift(xhj01, 180, 4, 1), &xhj_director).await;
    // A team from another grid is refused.
    let teams = app
        .call("shift/teams", &[], Some(&xhj_director))
        .await
        .json();
    assert_eq!(
        teams["grids"].as_array().unwrap().len(),
        3,
        "新华街's three grids"
    );
    let foreign: i64 = sqlx::query_scalar(
        "SELECT t.id FROM teams t JOIN grids g ON g.id = t.grid_id WHERE g.code = 'LJ-XHJ-02'",
    )
    .fetch_one(&app.state.db.pool)
    .await
    .unwrap();
    let mut body = shift(xhj01, 180, 4, 1);
    body["input"]["team"] = json!(foreign);
    let r = app
        .call_json("shift/create", body, Some(&xhj_director))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);

    // The coordinator sees the street: 滨西03 has only one team.
    let coordinator = app.login(who::COORDINATOR).await;
    let teams = app
        .call("shift/teams", &[], Some(&coordinator))
        .await
        .json();
    assert_eq!(teams["grids"].as_array().unwrap().len(), 12);
    let team_grids: Vec<String> = teams["teams"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["grid_name"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        team_grids.len(),
        23,
        "two teams in eleven grids, one in 滨西03"
    );
    assert_eq!(
        team_grids
            .iter()
            .filter(|g| g.starts_with("滨西03"))
            .count(),
        1
    );

    // The demo's week: weekly patrols in 新华街02, listed for everyone.
    let from = now();
    let to = from + 14 * 24 * 60 * MINUTE;
    let list = app
        .call(
            "shift/list",
            &[("from", &from.to_string()), ("to", &to.to_string())],
            None,
        )
        .await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    let list = list.json();
    assert!(
        list.as_array()
            .unwrap()
            .iter()
            .filter(|s| s["title"] == json!("红马甲夜间巡逻"))
            .count()
            >= 1
    );
    let r = app
        .call(
            "shift/list",
            &[("from", "0"), ("to", &to.to_string())],
            None,
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a list covers at most 62 days"
    );
}

/// The UTC form an iCalendar DATE-TIME takes: `20261129T110000Z`.
fn ical_utc(ms: i64) -> String {
    let d = time::OffsetDateTime::from_unix_timestamp(ms / 1000).unwrap();
    format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
        d.year(),
        u8::from(d.month()),
        d.day(),
        d.hour(),
        d.minute(),
        d.second()
    )
}

#[tokio::test]
async fn roster_exports_csv_and_xlsx_for_coordinators_only() {
    let app = TestApp::new().await;
    let coordinator = app.login(who::COORDINATOR).await;
    let xhj02 = grid(&app, "LJ-XHJ-02").await;
    // Two days out at the earliest, so the shift is in this week or the next.
    let id = create(&app, shift(xhj02, 2 * 24 * 60, 3, 0), &coordinator).await;
    let starts = detail(&app, &id, None).await["shift"]["starts_at"]
        .as_i64()
        .unwrap();
    let monday = app::domain::time::format_cst(app::domain::shift::week_start(starts));
    let from = &monday[..10];
    let people = volunteers(&app, 2).await;
    // A name that would be a formula in a spreadsheet.
    let sly = common::resident_account(&app, "13700019999", "=HYPERLINK(\"x\")").await;
    for p in [&sly, &people[0], &people[1]] {
        app.call("shift/signup", &[("id", &id)], Some(p)).await;
    }
    let audits = app.state.db.count_audit("roster.export").await.unwrap();

    let path = |ext: &str| format!("/api/shifts/export/roster.{ext}?from={from}&grid={xhj02}");
    let resident = app.login(who::RESIDENT).await;
    assert_eq!(
        app.get(&path("csv"), Some(&resident)).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get(&path("csv"), None).await.status,
        StatusCode::UNAUTHORIZED
    );
    let r = app
        .get(
            "/api/shifts/export/roster.csv?from=2026-02-30",
            Some(&coordinator),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);

    // CSV: a byte-order mark for Excel, a header, one line per shift.
    let r = app.get(&path("csv"), Some(&coordinator)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.headers["content-type"], "text/csv; charset=utf-8");
    assert!(
        r.headers["content-disposition"]
            .to_str()
            .unwrap()
            .contains(&format!("roster-{from}.csv"))
    );
    assert!(r.bytes.starts_with(b"\xEF\xBB\xBF"));
    let mut csv = csv::Reader::from_reader(&r.bytes[3..]);
    let header: Vec<String> = csv.headers().unwrap().iter().map(str::to_owned).collect();
    assert_eq!(header[6], "名额");
    let rows: Vec<csv::StringRecord> = csv.records().map(Result::unwrap).collect();
    let when = app::domain::shift::format_when(starts, starts + 120 * MINUTE);
    let line = rows
        .iter()
        .find(|r| r[0] == when[..10] && r[4] == *"红马甲夜间巡逻" && &r[7] == "3")
        .unwrap_or_else(|| panic!("no line for the shift in {rows:?}"));
    assert_eq!(&line[1], &when[11..]);
    assert!(line[2].starts_with("新华街02"), "{}", &line[2]);
    assert_eq!(&line[6], "3");
    assert_eq!(&line[10], "已满");
    assert!(line[11].contains("志愿者0(137****0000)"), "{}", &line[11]);
    assert!(line[11].starts_with("'=HYPERLINK"), "{}", &line[11]);
    assert!(
        rows.iter().all(|r| r[2].starts_with("新华街02")),
        "one grid only"
    );
    assert!(!r.body.contains("13700000000"), "phones are masked");

    // XLSX: the same table, counts as numbers.
    let r = app.get(&path("xlsx"), Some(&coordinator)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        r.headers["content-type"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    use calamine::{Data, Reader, Xlsx};
    let mut book = Xlsx::new(std::io::Cursor::new(r.bytes.clone())).unwrap();
    let sheet = book.worksheet_range("排班").unwrap();
    let rows: Vec<Vec<Data>> = sheet.rows().map(<[Data]>::to_vec).collect();
    assert_eq!(rows[0][6], Data::String("名额".into()));
    let line = rows
        .iter()
        .find(|r| r[4] == Data::String("红马甲夜间巡逻".into()) && r[7] == Data::Float(3.0))
        .expect("the shift's line");
    assert_eq!(line[6], Data::Float(3.0));

    // Each export is audited; a director of another community sees none of it.
    assert_eq!(
        app.state.db.count_audit("roster.export").await.unwrap(),
        audits + 2
    );
    let director = app.login(who::DIRECTOR).await;
    let r = app.get(&path("csv"), Some(&director)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        csv::Reader::from_reader(&r.bytes[3..]).records().count(),
        0,
        "{}",
        r.body
    );
}

#[tokio::test]
async fn private_calendar_feed_parses_and_can_be_renewed() {
    use ical::parser::ical::component::IcalEvent;
    let app = TestApp::new().await;
    let coordinator = app.login(who::COORDINATOR).await;
    let xhj02 = grid(&app, "LJ-XHJ-02").await;
    let seated = create(&app, shift(xhj02, 24 * 60, 1, 0), &coordinator).await;
    let waiting = create(&app, shift(xhj02, 3 * 24 * 60, 1, 0), &coordinator).await;
    let called_off = create(&app, shift(xhj02, 5 * 24 * 60, 5, 0), &coordinator).await;
    let others = create(&app, shift(xhj02, 6 * 24 * 60, 5, 0), &coordinator).await;
    let people = volunteers(&app, 2).await;
    let (me, someone) = (&people[0], &people[1]);
    app.call("shift/signup", &[("id", &waiting)], Some(someone))
        .await;
    for id in [&seated, &waiting, &called_off] {
        let r = app.call("shift/signup", &[("id", id)], Some(me)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }
    app.call("shift/signup", &[("id", &others)], Some(someone))
        .await;
    let r = app
        .call("shift/cancel", &[("id", &called_off)], Some(&coordinator))
        .await;
    assert_eq!(r.status, StatusCode::OK);

    let r = app
        .call("shift/calendar", &[("renew", "false")], Some(me))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let token = r.json().as_str().unwrap().to_owned();
    // Asking again gives the same link.
    let again = app
        .call("shift/calendar", &[("renew", "false")], Some(me))
        .await;
    assert_eq!(again.json(), token.as_str());

    let feed = app.get(&format!("/calendar/{token}.ics"), None).await;
    assert_eq!(feed.status, StatusCode::OK);
    assert_eq!(feed.headers["content-type"], "text/calendar; charset=utf-8");
    // An independent parser reads it.
    let calendars: Vec<_> = ical::IcalParser::new(std::io::BufReader::new(feed.body.as_bytes()))
        .collect::<Result<Vec<_>, _>>()
        .unwrap_or_else(|e| panic!("{e}: {}", feed.body));
    assert_eq!(calendars.len(), 1);
    let prop = |e: &IcalEvent, name: &str| {
        e.properties
            .iter()
            .find(|p| p.name == name)
            .and_then(|p| p.value.clone())
            .unwrap_or_default()
    };
    let events = &calendars[0].events;
    let uids: Vec<String> = events.iter().map(|e| prop(e, "UID")).collect();
    let uid = |id: &str| format!("shift-{id}@tongxin");
    assert_eq!(events.len(), 3, "{uids:?}");
    assert!(!uids.contains(&uid(&others)), "only my own shifts");
    let event = |id: &str| {
        events
            .iter()
            .find(|e| prop(e, "UID") == uid(id))
            .unwrap_or_else(|| panic!("{id} missing in {}", feed.body))
    };
    let starts = detail(&app, &seated, None).await["shift"]["starts_at"]
        .as_i64()
        .unwrap();
    let e = event(&seated);
    assert_eq!(prop(e, "SUMMARY"), "红马甲夜间巡逻");
    assert_eq!(prop(e, "DTSTART"), ical_utc(starts));
    assert_eq!(prop(e, "DTEND"), ical_utc(starts + 120 * MINUTE));
    assert!(prop(e, "LOCATION").contains("新华街02"));
    assert_eq!(prop(e, "STATUS"), "CONFIRMED");
    assert!(prop(event(&waiting), "DESCRIPTION").contains("候补"));
    assert_eq!(prop(event(&called_off), "STATUS"), "CANCELLED");

    // A new link retires the old one.
    let r = app
        .call("shift/calendar", &[("renew", "true")], Some(me))
        .await;
    let renewed = r.json().as_str().unwrap().to_owned();
    assert_ne!(renewed, token);
    assert_eq!(
        app.get(&format!("/calendar/{token}.ics"), None)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get(&format!("/calendar/{renewed}.ics"), None)
            .await
            .status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn coordinators_edit_teams_in_their_grids() {
    let app = TestApp::new().await;
    let coordinator = app.login(who::COORDINATOR).await;
    let bx03 = grid(&app, "LJ-BX-03").await;
    let teams = |cookie: String| {
        let app = &app;
        async move { app.call("shift/teams", &[], Some(&cookie)).await.json() }
    };
    // 滨西03 has one team: a gap until a second is made.
    let gaps = |t: &Value| {
        t["teams"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|x| x["grid"] == bx03 && x["active"] == true)
            .count()
    };
    assert_eq!(gaps(&teams(coordinator.clone()).await), 1);

    // Bad names and grids: clear errors, nothing written.
    let before = count(&app, "SELECT COUNT(*) FROM teams").await;
    let bx = bx03.to_string();
    for (g, name, field) in [
        (bx.as_str(), " ", "name"),
        (bx.as_str(), &*"队".repeat(31), "name"),
        ("999999", "滨西03红马甲巡逻二队", "grid"),
    ] {
        let r = app
            .call(
                "team/create",
                &[("grid", g), ("name", name)],
                Some(&coordinator),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert_eq!(r.json()["Invalid"]["field"], field);
    }
    assert_eq!(count(&app, "SELECT COUNT(*) FROM teams").await, before);
    // A director outside 滨西 may not make one there.
    let director = app.login(who::XHJ_DIRECTOR).await;
    let r = app
        .call(
            "team/create",
            &[("grid", &bx), ("name", "二队")],
            Some(&director),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);

    let r = app
        .call(
            "team/create",
            &[("grid", &bx), ("name", "滨西03红马甲巡逻二队")],
            Some(&coordinator),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let team = r.json().as_i64().unwrap();
    assert_eq!(gaps(&teams(coordinator.clone()).await), 2);

    let change = |c: Value| {
        let (app, cookie) = (&app, coordinator.clone());
        async move {
            app.call_json(
                "team/change",
                json!({ "team": team, "change": c }),
                Some(&cookie),
            )
            .await
        }
    };
    // Members by phone; an unknown phone is refused in words.
    let r = change(json!({ "Add": "13900000009" })).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("ErrTeamNoAccount"), "{}", r.body);
    for phone in [who::RESIDENT, who::OTHER_RESIDENT, who::RESIDENT] {
        let r = change(json!({ "Add": phone })).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }
    let members = app
        .call(
            "team/members",
            &[("team", &team.to_string())],
            Some(&coordinator),
        )
        .await
        .json();
    assert_eq!(members.as_array().unwrap().len(), 2, "added once each");
    assert!(members[0]["phone"].as_str().unwrap().contains("****"));
    let first = members[0]["user"].as_i64().unwrap();

    // The leader must be a member; removing the leader leaves none.
    let r = change(json!({ "Lead": 1 })).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        change(json!({ "Lead": first })).await.status,
        StatusCode::OK
    );
    let t = teams(coordinator.clone()).await;
    let mine = t["teams"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["id"] == team)
        .unwrap()
        .clone();
    assert_eq!(mine["members"], 2);
    assert!(!mine["leader"].as_str().unwrap().is_empty());
    assert_eq!(
        change(json!({ "Remove": first })).await.status,
        StatusCode::OK
    );
    let leader: Option<i64> = sqlx::query_scalar("SELECT leader_id FROM teams WHERE id = $1")
        .bind(team)
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    assert_eq!(leader, None);

    // Rename; deactivate: the grid is short again, the team is kept.
    let r = change(json!({ "Rename": "" })).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        change(json!({ "Rename": "滨西03文艺队" })).await.status,
        StatusCode::OK
    );
    assert_eq!(
        change(json!({ "SetActive": false })).await.status,
        StatusCode::OK
    );
    let t = teams(coordinator.clone()).await;
    assert_eq!(gaps(&t), 1);
    assert!(
        t["teams"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["id"] == team && x["name"] == "滨西03文艺队" && x["active"] == false)
    );

    // Outside one's scope a team does not exist.
    let r = app
        .call(
            "team/members",
            &[("team", &team.to_string())],
            Some(&director),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let resident = app.login(who::RESIDENT).await;
    let r = app
        .call(
            "team/members",
            &[("team", &team.to_string())],
            Some(&resident),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_weekly_rule_is_edited_as_a_rule_with_exceptions() {
    use app::domain::shift::{WEEK_MS, local_date, week_start};
    let app = TestApp::new().await;
    let coordinator = app.login(who::COORDINATOR).await;
    let resident = app.login(who::RESIDENT).await;
    let xhj02 = grid(&app, "LJ-XHJ-02").await;
    const DAY: i64 = 24 * 60 * MINUTE;
    // Monday 19:00 (China time) in two weeks: every occurrence is in the future.
    let mon = week_start(now()) + 2 * WEEK_MS + 19 * 60 * MINUTE;
    let thu = mon + 3 * DAY;
    let series_of = |starts_at: i64, rule: Value| {
        let mut body = shift(xhj02, 0, 4, 1);
        body["input"]["starts_at"] = json!(starts_at);
        body["input"]["repeat"] = rule;
        body
    };
    let rule = |weekdays: u8, until: i64, except: &[i64]| {
        json!({ "weekdays": weekdays, "every": 1, "until": local_date(until),
                "except": except.iter().map(|t| local_date(*t)).collect::<Vec<_>>() })
    };
    let starts = |app: &TestApp, first: String| {
        let pool = app.state.db.pool.clone();
        async move {
            let rows: Vec<(i64, i64)> = sqlx::query_as(
                "SELECT starts_at, cancelled FROM shifts WHERE series_id = $1 ORDER BY starts_at",
            )
            .bind(first.parse::<i64>().unwrap())
            .fetch_all(&pool)
            .await
            .unwrap();
            rows
        }
    };

    // A bad rule is refused field by field and writes nothing.
    let before = count(&app, "SELECT COUNT(*) FROM shifts").await;
    for (bad, field) in [
        (rule(0, mon + 13 * DAY, &[]), "weekdays"),
        (rule(9, mon - DAY, &[]), "until"),
        (rule(9, mon + 300 * DAY, &[]), "until"),
    ] {
        let r = app
            .call_json("shift/create", series_of(mon, bad), Some(&coordinator))
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.body.contains(field), "{field}: {}", r.body);
    }
    assert_eq!(count(&app, "SELECT COUNT(*) FROM shifts").await, before);

    // Mondays and Thursdays for two weeks: four occurrences.
    let first = create(
        &app,
        series_of(mon, rule(0b1001, mon + 13 * DAY, &[])),
        &coordinator,
    )
    .await;
    assert_eq!(
        starts(&app, first.clone()).await,
        vec![(mon, 0), (thu, 0), (mon + WEEK_MS, 0), (thu + WEEK_MS, 0)]
    );
    let d = detail(&app, &first, Some(&resident)).await;
    assert_eq!(d["series"]["first_start"], json!(mon));
    assert_eq!(d["series"]["rule"]["weekdays"], json!(9));

    // Someone signs up for the first Thursday.
    let thursday: i64 =
        sqlx::query_scalar("SELECT id FROM shifts WHERE starts_at = $1 AND series_id = $2")
            .bind(thu)
            .bind(first.parse::<i64>().unwrap())
            .fetch_one(&app.state.db.pool)
            .await
            .unwrap();
    let r = app
        .call(
            "shift/signup",
            &[("id", &thursday.to_string())],
            Some(&resident),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);

    // Residents may not edit a rule; a bad rule is refused and changes nothing.
    let edit = |id: &str, rule: Value| json!({ "id": id.parse::<i64>().unwrap(), "rule": rule });
    let r = app
        .call_json(
            "shift/series",
            edit(&first, rule(1, mon + 13 * DAY, &[])),
            Some(&resident),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let r = app
        .call_json(
            "shift/series",
            edit(
                &first,
                json!({ "weekdays": 1, "every": 9, "until": local_date(mon) }),
            ),
            Some(&coordinator),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("every"), "{}", r.body);
    assert_eq!(starts(&app, first.clone()).await.len(), 4);

    // Mondays only: the Thursday with a sign-up is called off, the empty one deleted.
    let r = app
        .call_json(
            "shift/series",
            edit(&first, rule(1, mon + 13 * DAY, &[])),
            Some(&coordinator),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        r.json(),
        json!({ "added": 0, "removed": 1, "called_off": 1, "restored": 0 })
    );
    assert_eq!(
        starts(&app, first.clone()).await,
        vec![(mon, 0), (thu, 1), (mon + WEEK_MS, 0)]
    );

    // Mondays and Thursdays again for three weeks, but not the second Monday: the
    // Thursday is on again (its volunteer still seated), the second Monday goes, and
    // three new dates come.
    let r = app
        .call_json(
            "shift/series",
            edit(&first, rule(0b1001, mon + 20 * DAY, &[mon + WEEK_MS])),
            Some(&coordinator),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        r.json(),
        json!({ "added": 3, "removed": 1, "called_off": 0, "restored": 1 })
    );
    assert_eq!(
        starts(&app, first.clone()).await,
        vec![
            (mon, 0),
            (thu, 0),
            (thu + WEEK_MS, 0),
            (mon + 2 * WEEK_MS, 0),
            (thu + 2 * WEEK_MS, 0)
        ]
    );
    let d = detail(&app, &thursday.to_string(), Some(&resident)).await;
    assert_eq!(d["shift"]["mine"], json!("Seated"));
    // New occurrences copy the seats and length and get their own check-in token.
    assert_eq!(
        count(
            &app,
            &format!("SELECT COUNT(DISTINCT checkin_token) FROM shifts WHERE series_id = {first} AND capacity = 4 AND ends_at - starts_at = 7200000")
        )
        .await,
        5
    );

    // Calling one occurrence off makes its date an exception to the rule.
    let last: i64 = sqlx::query_scalar("SELECT MAX(id) FROM shifts WHERE series_id = $1")
        .bind(first.parse::<i64>().unwrap())
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    let r = app
        .call(
            "shift/cancel",
            &[("id", &last.to_string())],
            Some(&coordinator),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let d = detail(&app, &first, Some(&coordinator)).await;
    let except = d["series"]["rule"]["except"].as_array().unwrap().clone();
    assert_eq!(except.len(), 2, "{except:?}");
    assert!(except.contains(&json!(local_date(mon + WEEK_MS))));

    // A one-off becomes a series when it is given a rule.
    let tue = mon + DAY;
    let one = create(&app, series_of(tue, Value::Null), &coordinator).await;
    assert_eq!(detail(&app, &one, None).await["series"], Value::Null);
    let r = app
        .call_json(
            "shift/series",
            edit(&one, rule(0b10, tue + 7 * DAY, &[])),
            Some(&coordinator),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["added"], json!(1));
    assert_eq!(
        starts(&app, one.clone()).await,
        vec![(tue, 0), (tue + WEEK_MS, 0)]
    );
    assert_eq!(
        detail(&app, &one, None).await["series"]["rule"]["weekdays"],
        json!(2)
    );
}
