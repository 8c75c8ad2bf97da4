//! Party study: points under daily caps (also under concurrent submissions), the
//! daily sign-in, the daily quiz drawn without repeats and checked only on the server,
//! rankings, and the points rules admins edit. Courses and lessons: admins write them
//! (field by field, nothing half-written), the Markdown is made safe, progress only moves
//! forward and resumes, and a lesson learnt pays its reading points once, within the cap.
#![allow(clippy::unwrap_used)]
use crate::common;
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
    answers_in(app, "quiz_items", "attempt_id", attempt).await
}

/// The right answers to the questions drawn into `items` for `key` = `id`.
async fn answers_in(app: &TestApp, items: &str, key: &str, id: i64) -> Value {
    let rows: Vec<(i64, String)> = sqlx::query_as(&format!(
        "SELECT q.id, q.answer FROM {items} i JOIN questions q ON q.id = i.question_id
         WHERE i.{key} = $1"
    ))
    .bind(id)
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

fn lesson(course: i64, title: &str, active: bool) -> Value {
    json!({ "lesson": {
        "id": null, "course_id": course, "title": title,
        "body": "# 一格多员\n\n网格配置**五种力量**。\n\n<script>alert(1)</script>\n\n[链接](javascript:alert(1))",
        "media_url": "", "media": "None", "minutes": 5, "micro": true, "active": active
    } })
}

async fn course_of(app: &TestApp, cookie: &str, id: i64) -> Value {
    let r = app.call("study/courses", &[], Some(cookie)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.json()
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .cloned()
        .unwrap()
}

async fn progress(
    app: &TestApp,
    cookie: &str,
    id: &str,
    pos: &str,
    end: &str,
) -> (StatusCode, Value) {
    let r = app
        .call(
            "study/lesson/progress",
            &[("id", id), ("position", pos), ("at_end", end)],
            Some(cookie),
        )
        .await;
    let v = if r.status == StatusCode::OK {
        r.json()
    } else {
        Value::Null
    };
    (r.status, v)
}

#[tokio::test]
async fn lessons_are_written_read_resumed_and_learnt_once() {
    let app = TestApp::new().await;
    let resident = app.login(who::RESIDENT).await;
    let admin = app.login(who::ADMIN).await;
    let courses_before = scalar(&app, "SELECT COUNT(*) FROM courses").await;
    let lessons_before = scalar(&app, "SELECT COUNT(*) FROM lessons").await;

    // Only admins write courses, and a bad one writes nothing.
    let course =
        |title: &str| json!({ "course": { "id": null, "title": title, "summary": "老街模式" } });
    let r = app
        .call_json("study/course/save", course("网格化管理"), Some(&resident))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = app
        .call_json("study/course/save", course("  "), Some(&admin))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("title"), "{}", r.body);
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM courses").await,
        courses_before
    );
    let r = app
        .call_json("study/course/save", course("网格化管理"), Some(&admin))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let cid = r.json().as_i64().unwrap();

    // Lessons are checked field by field; an unknown course is 404; nothing written.
    let mut bad_link = lesson(cid, "一格多员", true);
    bad_link["lesson"]["media"] = json!("Video");
    bad_link["lesson"]["media_url"] = json!("javascript:alert(1)");
    let mut no_minutes = lesson(cid, "一格多员", true);
    no_minutes["lesson"]["minutes"] = json!(0);
    for (bad, field) in [
        (lesson(cid, "", true), "title"),
        (bad_link, "media_url"),
        (no_minutes, "minutes"),
    ] {
        let r = app.call_json("study/lesson/save", bad, Some(&admin)).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.body.contains(field), "{field}: {}", r.body);
    }
    let r = app
        .call_json(
            "study/lesson/save",
            lesson(999_999, "一格多员", true),
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
    let r = app
        .call_json(
            "study/lesson/save",
            lesson(cid, "一格多员", true),
            Some(&resident),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM lessons").await,
        lessons_before
    );

    let save = |v: Value| async { app.call_json("study/lesson/save", v, Some(&admin)).await };
    let first = save(lesson(cid, "一格多员", true))
        .await
        .json()
        .as_i64()
        .unwrap();
    let hidden = save(lesson(cid, "草稿", false))
        .await
        .json()
        .as_i64()
        .unwrap();
    let second = save(lesson(cid, "零距离工作法", true))
        .await
        .json()
        .as_i64()
        .unwrap();
    let (first_s, hidden_s, second_s) = (first.to_string(), hidden.to_string(), second.to_string());

    // Members see active lessons in order; admins also the one taken out.
    let c = course_of(&app, &resident, cid).await;
    let titles: Vec<&str> = c["lessons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, ["一格多员", "零距离工作法"]);
    assert_eq!(c["lessons"][0]["progress"], "New");
    assert_eq!(
        course_of(&app, &admin, cid).await["lessons"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
    let r = app
        .call("study/lesson", &[("id", &hidden_s)], Some(&resident))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    // Opening renders the Markdown safely and records nothing (the page reports
    // "opened" once it shows); the neighbours skip drafts.
    let r = app
        .call("study/lesson", &[("id", &first_s)], Some(&resident))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let l = r.json();
    let html = l["html"].as_str().unwrap();
    assert!(
        html.contains("<h1>一格多员</h1>") && html.contains("<strong>五种力量</strong>"),
        "{html}"
    );
    assert!(
        !html.contains("<script") && !html.contains("javascript:"),
        "{html}"
    );
    assert_eq!(l["progress"], "New", "opening is a read");
    assert_eq!(l["next"], second);
    assert_eq!(l["prev"], Value::Null);

    // Learning before reading to the end is refused and pays nothing.
    let r = app
        .call(
            "study/lesson/complete",
            &[("id", &first_s)],
            Some(&resident),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) FROM points_ledger WHERE activity = 'reading'"
        )
        .await,
        0
    );

    // The place is kept (resume), a bad one refused; the end makes it read, and
    // scrolling back up does not undo that.
    assert_eq!(
        progress(&app, &resident, &first_s, "1001", "false").await.0,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let (s, v) = progress(&app, &resident, &first_s, "400", "false").await;
    assert_eq!(
        (s, v["progress"].clone()),
        (StatusCode::OK, json!("Opened"))
    );
    let l = app
        .call("study/lesson", &[("id", &first_s)], Some(&resident))
        .await
        .json();
    assert_eq!(l["position"], 400);
    let (_, v) = progress(&app, &resident, &first_s, "1000", "true").await;
    assert_eq!(v["progress"], "Read");
    let (_, v) = progress(&app, &resident, &first_s, "200", "false").await;
    assert_eq!(v["progress"], "Read");
    assert_eq!(
        progress(&app, &resident, &hidden_s, "1000", "true").await.0,
        StatusCode::NOT_FOUND
    );

    // Five taps at once: learnt once, the reading points paid once.
    let form = [("id", first_s.as_str())];
    let taps = (0..5).map(|_| app.call("study/lesson/complete", &form, Some(&resident)));
    let replies = futures_util::future::join_all(taps).await;
    let mut paid = 0;
    for r in &replies {
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.json()["progress"], "Completed");
        paid += r.json()["points"].as_i64().unwrap();
    }
    assert_eq!(paid, 1);
    assert_eq!(
        scalar(&app, &format!("SELECT COUNT(*) FROM points_ledger WHERE activity = 'reading' AND ref = 'lesson:{first}'")).await,
        1
    );
    let c = course_of(&app, &resident, cid).await;
    assert_eq!(c["lessons"][0]["progress"], "Completed");
    assert_eq!(c["lessons"][1]["progress"], "New");

    // With the day's reading cap reached, the next lesson is learnt without points.
    let r = app
        .call_json(
            "study/rules/save",
            json!({ "rule": { "activity": "Reading", "points": 1, "daily_cap": 1, "active": true } }),
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    progress(&app, &resident, &second_s, "1000", "true").await;
    let r = app
        .call(
            "study/lesson/complete",
            &[("id", &second_s)],
            Some(&resident),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["points"], 0);
    assert_eq!(r.json()["progress"], "Completed");

    // Preview is for admins, and safe.
    let r = app
        .call_json(
            "study/lesson/preview",
            json!({ "body": "**好**<img src=x onerror=alert(1)>" }),
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let html = r.json().as_str().unwrap().to_owned();
    assert!(
        html.contains("<strong>好</strong>") && !html.contains("onerror"),
        "{html}"
    );
    let r = app
        .call_json(
            "study/lesson/preview",
            json!({ "body": "x" }),
            Some(&resident),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = app.call("study/courses", &[], None).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn admins_write_questions_in_the_browser() {
    let app = TestApp::new().await;
    let resident = app.login(who::RESIDENT).await;
    let admin = app.login(who::ADMIN).await;
    let q = |id: Option<i64>, kind: &str, stem: &str, options: &[&str], answer: &str| json!({ "question": { "id": id, "kind": kind, "stem": stem, "options": options, "answer": answer, "explanation": "社区“大党委”统筹辖区党建资源。" } });
    let before = scalar(&app, "SELECT COUNT(*) FROM questions").await;
    let r = app
        .call_json(
            "study/questions/save",
            q(None, "Judge", "社区成立了大党委。", &[], "对"),
            Some(&resident),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    for (bad, field) in [
        (
            q(None, "Single", "只有一个选项？", &["党课"], "A"),
            "options",
        ),
        (
            q(None, "Single", "答案不在选项里？", &["党课", "网课"], "D"),
            "answer",
        ),
        (q(None, "Judge", " ", &[], "对"), "stem"),
        (q(None, "Judge", "判断题答案乱写", &[], "也许"), "answer"),
    ] {
        let r = app
            .call_json("study/questions/save", bad, Some(&admin))
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.body.contains(field), "{field}: {}", r.body);
    }
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM questions").await, before);
    let r = app
        .call_json(
            "study/questions/save",
            q(None, "Judge", "社区成立了大党委。", &[], "对"),
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let id = r.json().as_i64().unwrap();
    // Another question's text is refused; the bank would no longer know which to update.
    let taken: String =
        sqlx::query_scalar("SELECT stem FROM questions WHERE id <> $1 ORDER BY id LIMIT 1")
            .bind(id)
            .fetch_one(&app.state.db.pool)
            .await
            .unwrap();
    let r = app
        .call_json(
            "study/questions/save",
            q(Some(id), "Judge", &taken, &[], "对"),
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    let r = app
        .call_json(
            "study/questions/save",
            q(Some(999_999), "Judge", "不存在的题", &[], "错"),
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
    let r = app
        .call_json(
            "study/questions/save",
            q(
                Some(id),
                "Single",
                "网格化管理的“四级管理体系”最上一级是？",
                &["社区大党委", "网格党支部", "党小组"],
                "a",
            ),
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let bank = app.call("study/questions", &[], Some(&admin)).await.json();
    let mine = bank
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["id"] == id)
        .unwrap()
        .clone();
    assert_eq!(mine["kind"], "Single");
    assert_eq!(mine["answer"], "A");
    assert_eq!(mine["options"].as_array().unwrap().len(), 3);
    assert_eq!(mine["explanation"], "社区“大党委”统筹辖区党建资源。");
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM questions").await,
        before + 1
    );
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) FROM audit_log WHERE action = 'question.save'"
        )
        .await,
        2
    );
}

/// The right answers to a round's take, read from the bank as only the server can.
async fn take_answers(app: &TestApp, take: i64) -> Value {
    answers_in(app, "round_items", "take_id", take).await
}

#[tokio::test]
async fn the_weekly_quiz_and_a_timed_special_quiz() {
    let app = TestApp::new().await;
    let member = app.login("13903970002").await;
    let other = app.login(who::RESIDENT).await;
    let admin = app.login(who::ADMIN).await;

    // Nothing made until someone starts this week's round; two at once make one.
    let r = app.call("study/rounds", &[], Some(&member)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["weekly"], Value::Null);
    let (a, b) = tokio::join!(
        app.call("study/round/start", &[("round", "0")], Some(&member)),
        app.call("study/round/start", &[("round", "0")], Some(&other)),
    );
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    assert_eq!(b.status, StatusCode::OK, "{}", b.body);
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) FROM quiz_rounds WHERE kind = 'weekly'"
        )
        .await,
        1
    );
    let take = a.json();
    assert_eq!(take["deadline"], Value::Null);
    assert_eq!(take["questions"].as_array().unwrap().len(), 10);
    assert!(
        !a.body.contains("\"answer\""),
        "no answers leave the server"
    );
    let take_id = take["take"].as_i64().unwrap();
    // Someone else's take is unknown to me.
    let r = app
        .call_json(
            "study/round/submit",
            json!({ "take": take_id, "answers": [] }),
            Some(&other),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);

    // All right, handed in four times at once: scored and paid once, under the cap.
    let answers = take_answers(&app, take_id).await;
    let body = json!({ "take": take_id, "answers": answers });
    let sends = (0..4).map(|_| app.call_json("study/round/submit", body.clone(), Some(&member)));
    let replies = futures_util::future::join_all(sends).await;
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
    assert!(
        replies
            .iter()
            .all(|r| r.status == StatusCode::OK || r.status == StatusCode::CONFLICT)
    );
    let result = ok[0].json();
    assert_eq!(result["correct"], 10);
    let (per, cap) = (
        scalar(
            &app,
            "SELECT points FROM points_rules WHERE activity = 'weekly_quiz'",
        )
        .await,
        scalar(
            &app,
            "SELECT daily_cap FROM points_rules WHERE activity = 'weekly_quiz'",
        )
        .await,
    );
    assert_eq!(result["points"].as_i64().unwrap(), (per * 10).min(cap));
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) FROM points_ledger WHERE activity = 'weekly_quiz'"
        )
        .await,
        1
    );
    let r = app
        .call("study/round/start", &[("round", "0")], Some(&member))
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("ErrRoundTaken"), "{}", r.body);
    let rounds = app.call("study/rounds", &[], Some(&member)).await.json();
    assert_eq!(rounds["weekly"]["mine"]["Done"]["correct"], 10, "{rounds}");

    // A special quiz: admins set it, field by field.
    let today = app::domain::time::format_cst(app::domain::time::now_ms())[..10].to_owned();
    let round = |minutes: u32, opens: &str| json!({ "round": { "title": "“三化融合”专题测验", "questions": 3, "minutes": minutes, "opens": opens, "closes": "2099-12-31" } });
    let r = app
        .call_json("study/round/create", round(5, &today), Some(&member))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = app
        .call_json("study/round/create", round(0, &today), Some(&admin))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("minutes"), "{}", r.body);
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) FROM quiz_rounds WHERE kind = 'special'"
        )
        .await,
        0
    );
    let r = app
        .call_json("study/round/create", round(5, "2099-01-01"), Some(&admin))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let later = r.json().as_i64().unwrap().to_string();
    let r = app
        .call("study/round/start", &[("round", &later)], Some(&member))
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("ErrRoundClosed"), "{}", r.body);
    let r = app
        .call_json("study/round/create", round(5, &today), Some(&admin))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let special = r.json().as_i64().unwrap().to_string();

    // The clock: five minutes from the start; starting again resumes the same take.
    let t1 = app
        .call("study/round/start", &[("round", &special)], Some(&member))
        .await
        .json();
    let t2 = app
        .call("study/round/start", &[("round", &special)], Some(&member))
        .await
        .json();
    assert_eq!(t1["take"], t2["take"]);
    assert_eq!(t1["questions"], t2["questions"]);
    assert_eq!(t1["deadline"], t2["deadline"]);
    let limit = t1["deadline"].as_i64().unwrap() - t1["server_now"].as_i64().unwrap();
    assert!((4 * 60_000..=5 * 60_000).contains(&limit), "{limit}");
    // Handed in after the limit (and the grace): nothing counts, the take is closed.
    let special_take = t1["take"].as_i64().unwrap();
    sqlx::query("UPDATE round_takes SET deadline = deadline - 600000 WHERE id = $1")
        .bind(special_take)
        .execute(&app.state.db.pool)
        .await
        .unwrap();
    let answers = take_answers(&app, special_take).await;
    let r = app
        .call_json(
            "study/round/submit",
            json!({ "take": special_take, "answers": answers }),
            Some(&member),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert!(r.body.contains("ErrRoundTooLate"), "{}", r.body);
    let rounds = app.call("study/rounds", &[], Some(&member)).await.json();
    let line = rounds["special"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["id"].as_i64().unwrap().to_string() == special)
        .unwrap()
        .clone();
    assert_eq!(line["mine"]["Done"]["correct"], 0, "{rounds}");
    // In time, all right: scored, no points (special quizzes are not on the points rules).
    let t = app
        .call("study/round/start", &[("round", &special)], Some(&other))
        .await
        .json();
    let other_take = t["take"].as_i64().unwrap();
    let answers = take_answers(&app, other_take).await;
    let r = app
        .call_json(
            "study/round/submit",
            json!({ "take": other_take, "answers": answers }),
            Some(&other),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["correct"], 3);
    assert_eq!(r.json()["points"], 0);
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) FROM audit_log WHERE action = 'quiz.round'"
        )
        .await,
        2
    );
}
