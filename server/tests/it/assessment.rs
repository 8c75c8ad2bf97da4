//! 考核 over the real router: the ledger is written once however often the scoring
//! runs; a late case is one card; a fix sent back is rework; ratings move the
//! satisfaction share; study activity changes nothing; who sees whose month.
#![allow(clippy::unwrap_used)]
use crate::common::{TestApp, jpeg, who};
use crate::ticket::{act, checked, reported};
use axum::http::StatusCode;
use serde_json::Value;

/// 新华街02's property manager (routed facilities reports).
const PROPERTY: &str = "13903960054";
/// Monday 2026-11-02 09:00 China time: a fixed clock, so no test reads the weekday.
const NOV_2: i64 = 1_793_581_200_000;
const HOUR: i64 = 3_600_000;

async fn mine(app: &TestApp, cookie: &str, month: &str) -> Value {
    let r = app
        .call("assessment/mine", &[("month", month)], Some(cookie))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.json()
}

fn dimension(m: &Value, name: &str) -> Value {
    m["score"]["dimensions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["dimension"] == name)
        .unwrap()
        .clone()
}

async fn sql(app: &TestApp, q: &str) {
    sqlx::query(q).execute(&app.state.db.pool).await.unwrap();
}

#[tokio::test]
async fn a_late_case_is_one_yellow_card_however_often_the_scoring_runs() {
    let app = TestApp::new().await;
    let resident = app.login(who::RESIDENT).await;
    let property = app.login(PROPERTY).await;
    let admin = app.login(who::ADMIN).await;
    let id = reported(&app, &resident, "facilities", 61).await;
    act(&app, &property, id, &[("action", "accept")], vec![]).await;
    let r = act(
        &app,
        &property,
        id,
        &[("action", "resolve"), ("note", "井盖已换")],
        vec![jpeg(62)],
    )
    .await;
    assert_eq!(r.json()["status"], "checking", "{}", r.body);
    // Its clocks in November: reported Monday 09:00, accepted Tuesday 10:00 (after one
    // working day), fixed Tuesday 12:00.
    let (created, accepted, fixed) = (NOV_2, NOV_2 + 25 * HOUR, NOV_2 + 27 * HOUR);
    sql(
        &app,
        &format!(
            "UPDATE tickets SET created_at = {created}, resolved_at = {fixed} WHERE id = {id}"
        ),
    )
    .await;
    sql(
        &app,
        &format!(
            "UPDATE ticket_events SET at = {accepted} WHERE ticket_id = {id} AND kind = 'accept'"
        ),
    )
    .await;
    sql(
        &app,
        &format!(
            "UPDATE ticket_events SET at = {created} WHERE ticket_id = {id} AND kind = 'created'"
        ),
    )
    .await;
    sql(
        &app,
        &format!(
            "UPDATE ticket_events SET at = {fixed} WHERE ticket_id = {id} AND kind = 'resolve'"
        ),
    )
    .await;

    let run = || async {
        let r = app
            .call("assessment/run", &[("month", "2026-11")], Some(&admin))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        r.json().as_i64().unwrap()
    };
    assert!(run().await >= 1);
    assert_eq!(run().await, 0, "a second run writes nothing");
    let m = mine(&app, &property, "2026-11").await;
    let cards: Vec<&Value> = m["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["ticket"] == id)
        .collect();
    assert_eq!(cards.len(), 1, "{m}");
    assert_eq!(cards[0]["kind"], "YellowCard");
    assert_eq!(cards[0]["points"], -5);
    assert_eq!(dimension(&m, "Handling")["arithmetic"], "40 − 1×5 = 35");
    let count: i64 = sqlx::query_scalar(&format!(
        "SELECT COUNT(*) FROM assessment_ledger WHERE ticket_id = {id}"
    ))
    .fetch_one(&app.state.db.pool)
    .await
    .unwrap();
    assert_eq!(count, 1);
    // Bad month: refused in words.
    let r = app
        .call("assessment/mine", &[("month", "2026-13")], Some(&property))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("ErrMonth"), "{}", r.body);
}

#[tokio::test]
async fn rework_and_ratings_count_and_study_changes_nothing() {
    let app = TestApp::new().await;
    let resident = app.login(who::RESIDENT).await;
    let leader = app.login(who::GRID_WORKER).await;
    let director = app.login(who::XHJ_DIRECTOR).await;
    let month = app::domain::shift::month_of(app::domain::time::now_ms());

    // A fix sent back at the check is rework for the one who made it.
    let id = reported(&app, &resident, "sanitation", 63).await;
    let fix = [("action", "resolve"), ("note", "已清理")];
    let r = act(&app, &leader, id, &fix, vec![jpeg(64)]).await;
    assert_eq!(r.json()["status"], "checking", "{}", r.body);
    let r = act(
        &app,
        &director,
        id,
        &[("action", "fail_check"), ("note", "墙角还有垃圾")],
        vec![],
    )
    .await;
    assert_eq!(r.json()["status"], "in_progress", "{}", r.body);
    act(&app, &leader, id, &fix, vec![jpeg(65)]).await;
    checked(&app, id).await;

    // Five ratings of her fixes: four satisfied, one not.
    for (i, rating) in [
        "satisfied",
        "basic",
        "satisfied",
        "satisfied",
        "very_unsatisfied",
    ]
    .into_iter()
    .enumerate()
    {
        let visit = reported(&app, &resident, "xhj_visit", 70 + i as u8).await;
        act(
            &app,
            &leader,
            visit,
            &[("action", "resolve"), ("note", "已上门")],
            vec![],
        )
        .await;
        let r = act(
            &app,
            &resident,
            visit,
            &[("action", "rate"), ("rating", rating)],
            vec![],
        )
        .await;
        assert!(r.status.is_success(), "{}", r.body);
    }
    let before = mine(&app, &leader, &month).await;
    assert!(
        before["entries"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["kind"] == "Rework" && e["ticket"] == id),
        "{before}"
    );
    assert!(
        dimension(&before, "Handling")["arithmetic"]
            .as_str()
            .unwrap()
            .contains("1×2"),
        "{before}"
    );
    assert_eq!(
        dimension(&before, "Satisfaction")["arithmetic"],
        "20 × 4/5 = 16"
    );

    // Study points are never scored.
    let r = app.call("study/signin", &[], Some(&leader)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let after = mine(&app, &leader, &month).await;
    assert_eq!(after["score"], before["score"]);
}

#[tokio::test]
async fn each_sees_their_own_and_directors_their_community() {
    let app = TestApp::new().await;
    let leader = app.login(who::GRID_WORKER).await;
    let resident = app.login(who::RESIDENT).await;
    let director = app.login(who::XHJ_DIRECTOR).await;
    let r = app
        .call("assessment/mine", &[("month", "")], Some(&leader))
        .await;
    assert_eq!(r.json()["worker"], "潘月丽", "{}", r.body);
    // No worker sees the staff list; residents see nothing.
    let r = app
        .call("assessment/staff", &[("month", "")], Some(&leader))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = app
        .call("assessment/mine", &[("month", "")], Some(&resident))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // The 新华街 director sees her community's workers, and only theirs.
    let list = app
        .call("assessment/staff", &[("month", "")], Some(&director))
        .await
        .json();
    let communities = list.as_array().unwrap();
    assert_eq!(communities.len(), 1, "{list}");
    let names: Vec<&str> = communities[0]["workers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["worker"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"潘月丽"), "{names:?}");
    let other = app.login(who::OTHER_GRID_WORKER).await;
    let theirs = app
        .call("assessment/mine", &[("month", "")], Some(&other))
        .await
        .json();
    assert!(
        !names.contains(&theirs["worker"].as_str().unwrap()),
        "{names:?}"
    );
}

fn entry_of<'a>(m: &'a Value, kind: &str) -> &'a Value {
    m["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == kind)
        .unwrap_or_else(|| panic!("no {kind} in {m}"))
}

async fn ledger_count(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM assessment_ledger")
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_month_is_published_appealed_decided_by_another_and_then_final() {
    use app::domain::{shift::month_of, stats::month_bounds, time::now_ms};
    let app = TestApp::new().await;
    let leader = app.login(who::GRID_WORKER).await;
    let other = app.login(who::OTHER_GRID_WORKER).await;
    let director = app.login(who::XHJ_DIRECTOR).await;
    let admin = app.login(who::ADMIN).await;
    let this = month_of(now_ms());
    let last = month_of(month_bounds(&this).unwrap().0 - 1);
    let worker_id = mine(&app, &leader, &last).await["worker_id"].clone();
    let other_id = mine(&app, &other, &last).await["worker_id"].clone();
    let give = |who: String,
                worker: Value,
                kind: &'static str,
                points: &'static str,
                evidence: &'static str| {
        let app = &app;
        let last = last.clone();
        async move {
            let worker = worker.to_string();
            app.call(
                "assessment/give",
                &[
                    ("g[worker]", worker.as_str()),
                    ("g[month]", last.as_str()),
                    ("g[kind]", kind),
                    ("g[points]", points),
                    ("g[evidence]", evidence),
                ],
                Some(&who),
            )
            .await
        }
    };

    // Manual points need evidence and stay within the rules; nothing half-written.
    let before = ledger_count(&app).await;
    let r = give(
        director.clone(),
        worker_id.clone(),
        "deduction",
        "30",
        "隐瞒问题",
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("AsErrPoints"), "{}", r.body);
    let r = give(director.clone(), worker_id.clone(), "bonus", "4", "好").await;
    assert!(r.body.contains("AsErrEvidence"), "{}", r.body);
    assert_eq!(ledger_count(&app).await, before);
    // Another community's worker is not hers to score.
    let r = give(director.clone(), other_id, "bonus", "2", "街道采纳创新做法").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let r = give(
        director.clone(),
        worker_id.clone(),
        "deduction",
        "10",
        "隐瞒井盖缺失问题，见巡查记录第12号",
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = give(
        admin.clone(),
        worker_id.clone(),
        "bonus",
        "4",
        "区级采纳“敲门问需”做法",
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);

    // No appeal before publication; this month cannot be published yet.
    let m = mine(&app, &leader, &last).await;
    assert_eq!(m["status"], "Open", "{m}");
    assert_eq!(m["board"], serde_json::json!([]));
    let deduction = entry_of(&m, "Deduction")["id"].to_string();
    let bonus = entry_of(&m, "Bonus")["id"].to_string();
    let total_before = m["score"]["tenths"].as_i64().unwrap();
    let appeal = |who: &str, entry: &str| {
        let (who, entry) = (who.to_owned(), entry.to_owned());
        let app = &app;
        async move {
            app.call(
                "assessment/appeal",
                &[
                    ("entry", entry.as_str()),
                    ("reason", "井盖缺失当天已上报，见工单"),
                ],
                Some(&who),
            )
            .await
        }
    };
    let r = appeal(&leader, &deduction).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("AsErrNotInWindow"), "{}", r.body);
    let publish = |month: String| {
        let app = &app;
        let director = director.clone();
        async move {
            app.call(
                "assessment/publish",
                &[("month", month.as_str()), ("community", "0")],
                Some(&director),
            )
            .await
        }
    };
    let r = publish(this.clone()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("AsErrMonthNotOver"), "{}", r.body);

    // The director publishes last month; once only; then no more points by hand.
    let r = publish(last.clone()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.json()["Published"]["until_ms"].as_i64().unwrap() > now_ms());
    let r = publish(last.clone()).await;
    assert!(r.body.contains("AsErrAlreadyPublished"), "{}", r.body);
    let r = give(
        director.clone(),
        worker_id.clone(),
        "bonus",
        "2",
        "街道采纳创新做法",
    )
    .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("AsErrPublished"), "{}", r.body);

    // 公示: the worker sees the community's board by name, and appeals the deduction.
    let m = mine(&app, &leader, &last).await;
    assert!(m["status"]["Published"].is_object(), "{m}");
    assert!(
        m["board"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l["worker"] == "潘月丽"),
        "{m}"
    );
    assert_eq!(entry_of(&m, "Deduction")["appealable"], true);
    let r = appeal(&leader, &deduction).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = appeal(&leader, &deduction).await;
    assert!(r.body.contains("AsErrAppealed"), "{}", r.body);
    // Another worker cannot appeal her entries (they are not there for him).
    let r = appeal(&other, &bonus).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);

    // The director sees it waiting, but gave the points herself: someone else decides.
    let list = app
        .call("assessment/staff", &[("month", &last)], Some(&director))
        .await
        .json();
    let waiting = list[0]["appeals"].as_array().unwrap();
    assert_eq!(waiting.len(), 1, "{list}");
    let appeal_id = waiting[0]["id"].to_string();
    let decide = |who: String, decision: &'static str| {
        let app = &app;
        let appeal_id = appeal_id.clone();
        async move {
            app.call(
                "assessment/decide",
                &[
                    ("appeal", appeal_id.as_str()),
                    ("decision", decision),
                    ("reason", "工单记录显示当天已上报，撤销扣分"),
                ],
                Some(&who),
            )
            .await
        }
    };
    let r = decide(director.clone(), "upheld").await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("AsErrOwnEntry"), "{}", r.body);
    let r = decide(admin.clone(), "upheld").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = decide(admin.clone(), "rejected").await;
    assert!(r.body.contains("AsErrDecided"), "{}", r.body);

    // A compensating entry cancels the deduction; the arithmetic no longer has it.
    let m = mine(&app, &leader, &last).await;
    let d = entry_of(&m, "Deduction");
    assert_eq!(d["corrected"], true, "{m}");
    assert_eq!(d["appeal"]["decision"], "Upheld");
    let c = entry_of(&m, "Correction");
    assert_eq!(c["points"], 10);
    assert_eq!(c["corrects"].to_string(), deduction);
    assert!(
        m["score"]["dimensions"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["dimension"] != "Deduction"),
        "{m}"
    );
    assert_eq!(m["score"]["tenths"].as_i64().unwrap(), total_before + 100);

    // The window passes: the month is final, and nothing more is written to it.
    sql(
        &app,
        &format!(
            "UPDATE assessment_months SET appeal_until = {} WHERE month = '{last}'",
            now_ms() - 1
        ),
    )
    .await;
    let m = mine(&app, &leader, &last).await;
    assert_eq!(m["status"], "Final", "{m}");
    let before = ledger_count(&app).await;
    let r = appeal(&leader, &bonus).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("AsErrFinal"), "{}", r.body);
    let r = give(admin.clone(), worker_id, "bonus", "2", "街道采纳创新做法").await;
    assert!(r.body.contains("AsErrFinal"), "{}", r.body);
    let r = app
        .call("assessment/run", &[("month", &last)], Some(&admin))
        .await;
    assert_eq!(r.json(), 0, "{}", r.body);
    assert_eq!(ledger_count(&app).await, before);
}

#[tokio::test]
async fn the_years_spreadsheet_opens_and_its_totals_match_the_months() {
    use calamine::{Data, Reader, Xlsx};
    let app = TestApp::new().await;
    let director = app.login(who::XHJ_DIRECTOR).await;
    let r = app
        .get("/api/assessment/year.xlsx?year=2026", Some(&director))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let mut book = Xlsx::new(std::io::Cursor::new(r.bytes.clone())).unwrap();
    let sheet = book.worksheet_range("考核").unwrap();
    let rows: Vec<Vec<Data>> = sheet.rows().map(<[Data]>::to_vec).collect();
    assert_eq!(rows[0][0], Data::String("社区".into()));
    assert_eq!(rows[0][12], Data::String("2026-11".into()));
    // November's column is what the director's month view says, worker by worker.
    let month = app
        .call("assessment/staff", &[("month", "2026-11")], Some(&director))
        .await
        .json();
    let workers = month[0]["workers"].as_array().unwrap();
    assert_eq!(
        rows.len() - 1,
        workers.len(),
        "one line per worker of 新华街社区"
    );
    for w in workers {
        let line = rows
            .iter()
            .find(|r| r[1] == Data::String(w["worker"].as_str().unwrap().into()))
            .unwrap();
        assert_eq!(line[0], Data::String("新华街社区".into()));
        #[allow(clippy::cast_precision_loss)]
        let points = w["score"]["tenths"].as_i64().unwrap() as f64 / 10.0;
        assert_eq!(line[12], Data::Float(points), "{}", w["worker"]);
        // The year's grade from the mean of the months scored so far.
        assert!(matches!(&line[15], Data::String(g) if ["A", "B", "C", "D"].contains(&g.as_str())));
    }
    // Each export is an audited read; only directors and admins may; a bad year is
    // explained.
    let audited = "SELECT COUNT(*) FROM audit_log WHERE action = 'assessment_export'";
    let n: i64 = sqlx::query_scalar(audited)
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    assert_eq!(n, 1);
    let leader = app.login(who::GRID_WORKER).await;
    let r = app
        .get("/api/assessment/year.xlsx?year=2026", Some(&leader))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = app
        .get("/api/assessment/year.xlsx?year=abc", Some(&director))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["error"]["Invalid"]["field"], "year");
}

#[tokio::test]
async fn rankings_stay_hidden_unless_an_admin_turns_them_on() {
    let app = TestApp::new().await;
    let leader = app.login(who::GRID_WORKER).await;
    let director = app.login(who::XHJ_DIRECTOR).await;
    let admin = app.login(who::ADMIN).await;
    // Off by default: an open month shows a worker only her own score, unranked.
    let m = mine(&app, &leader, "").await;
    assert_eq!(m["board"], serde_json::json!([]));
    let staff = app
        .call("assessment/staff", &[("month", "")], Some(&director))
        .await
        .json();
    assert_eq!(staff[0]["ranked"], false);
    // Only admins may turn them on; the switch is audited.
    let r = app
        .call("assessment/rankings", &[("on", "true")], Some(&director))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = app
        .call("assessment/rankings", &[("on", "true")], Some(&admin))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let m = mine(&app, &leader, "").await;
    let board = m["board"].as_array().unwrap();
    assert!(board.len() > 1, "{board:?}");
    assert_eq!(board[0]["rank"], 1);
    let scores: Vec<i64> = board
        .iter()
        .map(|l| l["tenths"].as_i64().unwrap())
        .collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
    let staff = app
        .call("assessment/staff", &[("month", "")], Some(&director))
        .await
        .json();
    assert_eq!(staff[0]["ranked"], true);
    // Off again: gone.
    app.call("assessment/rankings", &[("on", "false")], Some(&admin))
        .await;
    assert_eq!(
        mine(&app, &leader, "").await["board"],
        serde_json::json!([])
    );
    let n: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'assessment_rankings'")
            .fetch_one(&app.state.db.pool)
            .await
            .unwrap();
    assert_eq!(n, 2);
}

#[tokio::test]
async fn rules_are_data_a_draft_is_previewed_and_adopted_from_next_month() {
    use app::domain::assessment::{next_month, prev_month};
    let app = TestApp::new().await;
    let admin = app.login(who::ADMIN).await;
    let director = app.login(who::XHJ_DIRECTOR).await;
    let leader = app.login(who::GRID_WORKER).await;
    let page = app.call("assessment/rules", &[], Some(&director)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let page = page.json();
    let this = page["month"].as_str().unwrap().to_owned();
    let (last, next) = (prev_month(&this).unwrap(), next_month(&this).unwrap());
    let mut rules = page["in_force"].clone();
    assert_eq!(rules["yellow_card"], 5);
    assert_eq!(page["draft"], serde_json::Value::Null);

    // A draft must keep the bases at 100; only admins write one.
    let mut bad = rules.clone();
    bad["handling_base"] = 50.into();
    let r = app
        .call_json(
            "assessment/rules/save",
            serde_json::json!({ "rules": bad }),
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(r.json()["Invalid"]["field"], "handling_base");
    rules["yellow_card"] = 8.into();
    // Who may give manual points is part of the set: from next month, admins only.
    assert_eq!(rules["manual_by"], "DirectorsAndAdmins");
    rules["manual_by"] = "Admins".into();
    let body = serde_json::json!({ "rules": rules });
    let r = app
        .call_json("assessment/rules/save", body.clone(), Some(&director))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = app
        .call_json("assessment/rules/save", body, Some(&admin))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);

    // Last month 潘月丽 had one yellow card: the draft would take 8, not 5.
    let leader_id: i64 = sqlx::query_scalar("SELECT id FROM users WHERE phone = $1")
        .bind(who::GRID_WORKER)
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    for month in [&last, &next] {
        sql(
            &app,
            &format!(
                "INSERT INTO assessment_ledger (worker_id, month, kind, points, reason, idem_key, created_at)
                 VALUES ({leader_id}, '{month}', 'yellow_card', -5, '#0', 'test:{month}', 0)"
            ),
        )
        .await;
    }
    let r = app
        .call("assessment/rules/preview", &[], Some(&admin))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let lines = r.json();
    let line = lines
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["worker"] == "潘月丽")
        .unwrap()
        .clone();
    assert_eq!(
        line["now_tenths"].as_i64().unwrap() - line["draft_tenths"].as_i64().unwrap(),
        30
    );

    // Adopted from next month: this month keeps the rules it began with.
    let before = mine(&app, &leader, &this).await["score"]["tenths"].clone();
    let r = app.call("assessment/rules/adopt", &[], Some(&admin)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json(), serde_json::json!(next));
    assert_eq!(mine(&app, &leader, &this).await["score"]["tenths"], before);
    let m = mine(&app, &leader, &next).await;
    assert_eq!(
        dimension(&m, "Handling")["arithmetic"].as_str().unwrap(),
        "40 − 1×8 = 32"
    );
    let page = app.call("assessment/rules", &[], Some(&admin)).await.json();
    assert_eq!(page["draft"], serde_json::Value::Null);
    assert_eq!(page["versions"][0]["from_month"], next.as_str());
    // Nothing left to adopt or preview.
    let r = app.call("assessment/rules/adopt", &[], Some(&admin)).await;
    assert_eq!(r.status, StatusCode::CONFLICT);

    // Next month only admins give manual points; this month the director still may.
    let leader_id = leader_id.to_string();
    let give = |who: &str, month: &str| {
        let (who, month, leader_id) = (who.to_owned(), month.to_owned(), leader_id.clone());
        let app = &app;
        async move {
            app.call(
                "assessment/give",
                &[
                    ("g[worker]", leader_id.as_str()),
                    ("g[month]", month.as_str()),
                    ("g[kind]", "bonus"),
                    ("g[points]", "2"),
                    ("g[evidence]", "街道采纳创新做法"),
                ],
                Some(&who),
            )
            .await
        }
    };
    let staff = |month: &str| {
        let (director, month) = (director.clone(), month.to_owned());
        let app = &app;
        async move {
            app.call(
                "assessment/staff",
                &[("month", month.as_str())],
                Some(&director),
            )
            .await
            .json()
        }
    };
    assert_eq!(staff(&next).await[0]["may_give"], false);
    assert_eq!(staff(&this).await[0]["may_give"], true);
    let r = give(&director, &next).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let r = give(&admin, &next).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = give(&director, &this).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
}
