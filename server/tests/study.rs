//! Party study: points under daily caps (also under concurrent submissions), the
//! daily sign-in, the daily quiz drawn without repeats and checked only on the server,
//! rankings, and the points rules admins edit.
#![allow(clippy::unwrap_used)]
mod common;
use axum::http::StatusCode;
use common::{TestApp, who};
use serde_json::{Value, json};

async fn scalar(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap()
}

async fn start(app: &TestApp, cookie: &str) -> Value {
    start_kind(app, cookie, false).await
}

async fn start_kind(app: &TestApp, cookie: &str, review: bool) -> Value {
    let review = review.to_string();
    let r = app
        .call("study/quiz/start", &[("review", &review)], Some(cookie))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.json()
}

/// The right answers to an attempt, read from the bank as only the server can.
async fn right_answers(app: &TestApp, attempt: i64) -> Value {
    let rows: Vec<(i64, String)> = sqlx::query_as(
        "SELECT q.id, q.answer FROM quiz_items i JOIN questions q ON q.id = i.question_id
         WHERE i.attempt_id = $1",
    )
    .bind(attempt)
    .fetch_all(&app.state.db.pool)
    .await
    .unwrap();
    json!(rows)
}

#[tokio::test]
async fn points_rules_sign_in_and_rankings() {
    let app = TestApp::new().await;
    let resident = app.login(who::RESIDENT).await;
    let admin = app.login(who::ADMIN).await;

    // Anyone signed in reads the rules; only admins change them, field by field.
    let r = app.call("study/rules", &[], None).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let r = app.call("study/rules", &[], Some(&resident)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json().as_array().unwrap().len(), 5);
    let rule = |points: u32, cap: u32| json!({ "rule": { "activity": "SignIn", "points": points, "daily_cap": cap, "active": true } });
    let r = app
        .call_json("study/rules/save", rule(2, 2), Some(&resident))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    for (bad, field) in [(rule(0, 1), "points"), (rule(3, 2), "daily_cap")] {
        let r = app.call_json("study/rules/save", bad, Some(&admin)).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.body.contains(field), "{field}: {}", r.body);
    }
    let r = app
        .call_json("study/rules/save", rule(2, 2), Some(&admin))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) FROM audit_log WHERE action = 'points.rule'"
        )
        .await,
        1
    );

    // Sign in once a day: ten taps at once pay exactly once.
    let taps = (0..10).map(|_| app.call("study/signin", &[], Some(&resident)));
    let replies = futures_util::future::join_all(taps).await;
    let ok: Vec<_> = replies
        .iter()
        .filter(|r| r.status == StatusCode::OK)
        .collect();
    assert_eq!(
        ok.len(),
        1,
        "{:?}",
        replies.iter().map(|r| &r.body).collect::<Vec<_>>()
    );
    assert_eq!(ok[0].json(), json!(2));
    assert!(
        replies
            .iter()
            .filter(|r| r.status != StatusCode::OK)
            .all(|r| r.status == StatusCode::CONFLICT && r.body.contains("ErrStudySignedIn"))
    );
    let home = app.call("study/home", &[], Some(&resident)).await.json();
    assert_eq!(home["total"], json!(2));
    assert_eq!(home["streak"], json!(1));
    assert_eq!(home["signed_in_today"], json!(true));
    assert_eq!(home["rank_total"], json!(1));
    assert_eq!(home["ledger"][0]["reason"], json!("每日签到"));

    // A second member with more points ranks first; names other than one's own are masked.
    let other = common::resident_account(&app, "13700009999", "王秀英").await;
    let q = start(&app, &other).await;
    let attempt = q["attempt"].as_i64().unwrap();
    let answers = right_answers(&app, attempt).await;
    let r = app
        .call_json(
            "study/quiz/submit",
            json!({ "attempt": attempt, "answers": answers }),
            Some(&other),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let ranks = app
        .call("study/rankings", &[], Some(&resident))
        .await
        .json();
    let month = ranks["month"].as_array().unwrap();
    assert_eq!(month[0]["name"], json!("王**"));
    assert_eq!(month[0]["points"], json!(5));
    assert_eq!(month[1]["me"], json!(true));
    assert_eq!(month[1]["rank"], json!(2));
    let home = app.call("study/home", &[], Some(&resident)).await.json();
    assert_eq!(home["rank_month"], json!(2));
}

#[tokio::test]
async fn the_daily_quiz_is_drawn_without_repeats_and_checked_on_the_server() {
    let app = TestApp::new().await;
    let member = app.login("13903970002").await;
    let other = app.login(who::RESIDENT).await;

    let q = start(&app, &member).await;
    let attempt = q["attempt"].as_i64().unwrap();
    let questions = q["questions"].as_array().unwrap();
    assert_eq!(questions.len(), 5);
    // The browser never sees an answer or an explanation.
    let text = q.to_string();
    assert!(
        !text.contains("answer") && !text.contains("explanation"),
        "{text}"
    );

    // Someone else's attempt is not theirs to hand in; bad answers are refused.
    let right = right_answers(&app, attempt).await;
    let r = app
        .call_json(
            "study/quiz/submit",
            json!({ "attempt": attempt, "answers": right }),
            Some(&other),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
    let long = json!([[1, "字".repeat(101)]]);
    let r = app
        .call_json(
            "study/quiz/submit",
            json!({ "attempt": attempt, "answers": long }),
            Some(&member),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);

    // Three right, two wrong: three points, with the right answers shown after.
    let mut answers = right.as_array().unwrap().clone();
    for a in answers.iter_mut().take(2) {
        a[1] = json!("wrong");
    }
    let r = app
        .call_json(
            "study/quiz/submit",
            json!({ "attempt": attempt, "answers": answers }),
            Some(&member),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let result = r.json();
    assert_eq!(
        (result["correct"].clone(), result["points"].clone()),
        (json!(3), json!(3))
    );
    assert_eq!(result["items"].as_array().unwrap().len(), 5);
    // Handed in once only.
    let r = app
        .call_json(
            "study/quiz/submit",
            json!({ "attempt": attempt, "answers": right }),
            Some(&member),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);

    // The two wrong ones are in the 错题本; a practice round brings them back (no
    // points) until each is answered right twice.
    let book = app.call("study/wrong", &[], Some(&member)).await.json();
    assert_eq!(book.as_array().unwrap().len(), 2, "{book}");
    assert!(book[0]["answer"].is_string() && book[0]["explanation"].is_string());
    for round in 1..=2 {
        let q = start_kind(&app, &member, true).await;
        assert_eq!(q["review"], json!(true));
        assert_eq!(q["questions"].as_array().unwrap().len(), 2, "round {round}");
        let a = q["attempt"].as_i64().unwrap();
        let body = json!({ "attempt": a, "answers": right_answers(&app, a).await });
        let r = app
            .call_json("study/quiz/submit", body, Some(&member))
            .await;
        assert_eq!(r.json()["correct"], json!(2));
        assert_eq!(r.json()["points"], json!(0), "practice earns nothing");
    }
    let r = app
        .call("study/quiz/start", &[("review", "true")], Some(&member))
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert!(r.body.contains("ErrStudyNoWrong"), "{}", r.body);

    // The next quiz draws other questions; all right, but the cap (5) leaves 2.
    let q2 = start(&app, &member).await;
    let attempt2 = q2["attempt"].as_i64().unwrap();
    let right2 = right_answers(&app, attempt2).await;
    let r = app
        .call_json(
            "study/quiz/submit",
            json!({ "attempt": attempt2, "answers": right2 }),
            Some(&member),
        )
        .await;
    assert_eq!(r.json()["correct"], json!(5));
    assert_eq!(r.json()["points"], json!(2));

    // The bank has 20 questions: two more quizzes, then none left today.
    start(&app, &member).await;
    start(&app, &member).await;
    let r = app
        .call("study/quiz/start", &[("review", "false")], Some(&member))
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert!(r.body.contains("ErrStudyNoQuestions"), "{}", r.body);
    assert_eq!(
        scalar(&app, "SELECT COUNT(DISTINCT question_id) FROM quiz_items WHERE user_id = (SELECT id FROM users WHERE phone = '13903970002')").await,
        20
    );
    let home = app.call("study/home", &[], Some(&member)).await.json();
    assert_eq!(home["quiz_left"], json!(0));
    let quiz_line = home["today"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["activity"] == json!("DailyQuiz"))
        .unwrap()
        .clone();
    assert_eq!(
        quiz_line,
        json!({ "activity": "DailyQuiz", "points": 5, "cap": 5 })
    );
}

#[tokio::test]
async fn the_daily_cap_holds_under_simultaneous_submissions() {
    let app = TestApp::new().await;
    let member = common::resident_account(&app, "13700008888", "李桂兰").await;
    // Four quizzes, every answer right: 20 points before the cap of 5.
    let mut bodies = Vec::new();
    for _ in 0..4 {
        let attempt = start(&app, &member).await["attempt"].as_i64().unwrap();
        bodies.push(json!({ "attempt": attempt, "answers": right_answers(&app, attempt).await }));
    }
    let sends = bodies
        .into_iter()
        .map(|b| app.call_json("study/quiz/submit", b, Some(&member)));
    let replies = futures_util::future::join_all(sends).await;
    let mut paid = 0;
    for r in &replies {
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.json()["correct"], json!(5));
        paid += r.json()["points"].as_i64().unwrap();
    }
    assert_eq!(paid, 5, "exactly the cap, never more");
    let ledger = "SELECT CAST(COALESCE(SUM(points), 0) AS BIGINT) FROM points_ledger
                  WHERE user_id = (SELECT id FROM users WHERE phone = '13700008888')";
    assert_eq!(scalar(&app, ledger).await, 5);
    let days = "SELECT CAST(SUM(points) AS BIGINT) FROM points_days
                WHERE user_id = (SELECT id FROM users WHERE phone = '13700008888')";
    assert_eq!(
        scalar(&app, days).await,
        5,
        "running total equals the ledger"
    );
}

#[tokio::test]
async fn admins_import_a_question_bank_from_the_template_with_errors_per_row() {
    let app = TestApp::new().await;
    let admin = app.login(who::ADMIN).await;
    let resident = app.login(who::RESIDENT).await;
    let path = "/api/study/questions/template.xlsx";
    assert_eq!(
        app.get(path, Some(&resident)).await.status,
        StatusCode::FORBIDDEN
    );
    let r = app.get(path, Some(&admin)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let template = r.bytes.clone();
    {
        use calamine::{Reader, Xlsx};
        let mut book = Xlsx::new(std::io::Cursor::new(template.clone())).unwrap();
        let sheet = book.worksheet_range_at(0).unwrap().unwrap();
        let header: Vec<String> = sheet
            .rows()
            .next()
            .unwrap()
            .iter()
            .map(|c| c.to_string())
            .collect();
        assert_eq!(header[..2], ["题型".to_owned(), "题干".to_owned()]);
        assert_eq!(sheet.rows().count(), 5, "headings and one example per kind");
    }

    // A file with mistakes: every problem named by row and column, nothing written.
    let before = scalar(&app, "SELECT COUNT(*) FROM questions").await;
    let bad = "题型,题干,选项A,选项B,答案,解析\n\
               单选,第一题,甲,乙,A,\n\
               问答,第二题,,,x,\n\
               多选,第三题,甲,乙,A,\n\
               判断,,,,对,\n";
    let imp = "/api/study/questions/import";
    let r = app
        .multipart(
            imp,
            &[],
            &[("file", bad.as_bytes().to_vec())],
            Some(&resident),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = app
        .multipart(imp, &[], &[("file", bad.as_bytes().to_vec())], Some(&admin))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let errors: Vec<(i64, String)> = r.json()["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["row"].as_i64().unwrap(),
                e["column"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        errors,
        [
            (3, "题型".to_owned()),
            (4, "答案".to_owned()),
            (5, "题干".to_owned())
        ]
    );
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM questions").await, before);

    // The template itself imports: three stems are already in the demo bank (updated),
    // one is new.
    let r = app
        .multipart(imp, &[], &[("file", template)], Some(&admin))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["created"], json!(1));
    assert_eq!(r.json()["updated"], json!(3));
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM questions").await,
        before + 1
    );

    // Taking a question out keeps it from the quizzes.
    let bank = app.call("study/questions", &[], Some(&admin)).await.json();
    let id = bank[0]["id"].as_i64().unwrap().to_string();
    let r = app
        .call(
            "study/questions/active",
            &[("id", &id), ("on", "false")],
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let home = app.call("study/home", &[], Some(&resident)).await.json();
    assert_eq!(home["quiz_left"], json!(before), "{before} in use");
}
