//! The authorization matrix: every server function and every route, called by
//! someone of every role, gets exactly the answer `app::domain::authz` promises —
//! 401 for nobody, 403 for a wrong role, anything else when allowed. The table must
//! name every registered server function, so a new one cannot slip past it.
#![allow(clippy::unwrap_used)]
use crate::common;
use app::domain::authz::{Action, allowed_roles};
use app::domain::user::Role;
use axum::http::StatusCode;
use common::{TestApp, who};
use serde_json::json;

const EVERYONE: &[Option<Role>] = &[
    None,
    Some(Role::Resident),
    Some(Role::GridWorker),
    Some(Role::Coordinator),
    Some(Role::Director),
    Some(Role::Admin),
];

enum Call {
    Fn(&'static str, Vec<(&'static str, String)>),
    Get(String),
    /// A multipart POST (reports and steps carry photos).
    Multipart(String, Vec<(&'static str, String)>),
    /// A stream that never ends: only its status is read.
    Stream(String),
    /// A server function that takes JSON.
    Json(&'static str, serde_json::Value),
}

struct Case {
    call: Call,
    allowed: &'static [Option<Role>],
}

/// Who plays each role: (role, phone). 刘建国 is a resident who volunteers and is a
/// party member: flags give no staff rights.
const PLAYERS: &[(Option<Role>, &str)] = &[
    (None, ""),
    (Some(Role::Resident), who::RESIDENT),
    (Some(Role::Resident), "13903970002"),
    (Some(Role::GridWorker), who::GRID_WORKER),
    (Some(Role::Coordinator), who::COORDINATOR),
    (Some(Role::Director), who::DIRECTOR),
    (Some(Role::Admin), who::ADMIN),
];

#[tokio::test]
async fn every_endpoint_for_every_role() {
    let app = TestApp::new().await;
    let gid = app.call("grid/list", &[], None).await.json()[5]["id"]
        .as_i64()
        .unwrap()
        .to_string();
    let f = |k: &'static str, v: &str| (k, v.to_owned());
    // A demo shift in 新华街02, and a shift nobody may make (capacity 0).
    let shift: i64 = sqlx::query_scalar("SELECT MIN(id) FROM shifts")
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    let shift = shift.to_string();
    let bad_shift = json!({
        "kind": "Patrol", "grid": 1, "team": null, "title": "巡逻", "place": "x",
        "starts_at": 4_102_444_800_000_i64, "minutes": 120, "capacity": 0, "min_seats": 0,
        "note": "", "cutoff_hours": 0
    });
    // A public problem report to look at and act on.
    let resident = app.login(who::RESIDENT).await;
    let (lat, lng) = common::in_xinhuajie_02();
    let cat = app
        .state
        .db
        .category_by_code("facilities")
        .await
        .unwrap()
        .unwrap()
        .id
        .to_string();
    let tid = app
        .multipart(
            "/api/tickets",
            &[
                ("category", &cat),
                ("description", "路灯不亮"),
                ("lat", &lat.to_string()),
                ("lng", &lng.to_string()),
                ("idempotency_key", "authz-matrix-ticket"),
            ],
            &[("photo", common::jpeg(1))],
            Some(&resident),
        )
        .await
        .json()["id"]
        .as_i64()
        .unwrap()
        .to_string();
    let bad_category = vec![
        f("input[code]", "x"),
        f("input[name_zh]", "测试"),
        f("input[name_en]", "Test"),
        f("input[kind]", "Service"),
        f("input[duty]", "Leader"),
        // Invalid deadlines: allowed callers get 422 and nothing is written.
        f("input[accept_min]", "0"),
        f("input[resolve_min]", "10"),
        f("input[active]", "true"),
    ];
    let signed_in = allowed_roles(Action::ReportTicket);
    let cases = vec![
        Case {
            call: Call::Fn("ticket/categories", vec![f("all", "false")]),
            allowed: allowed_roles(Action::ViewPublicTickets),
        },
        Case {
            call: Call::Fn("ticket/categories", vec![f("all", "true")]),
            allowed: allowed_roles(Action::ManageCategories),
        },
        Case {
            call: Call::Fn("ticket/save_category", bad_category),
            allowed: allowed_roles(Action::ManageCategories),
        },
        Case {
            call: Call::Fn("ticket/detail", vec![f("id", &tid)]),
            allowed: allowed_roles(Action::ViewPublicTickets),
        },
        Case {
            // Only those who handle this ticket (新华街02's staff, street admins): the
            // other community's director and the coordinator are refused too.
            call: Call::Fn("ticket/reporter_phone", vec![f("id", &tid)]),
            allowed: &[Some(Role::GridWorker), Some(Role::Admin)],
        },
        Case {
            call: Call::Fn("ticket/mine", vec![]),
            allowed: allowed_roles(Action::OwnAccount),
        },
        Case {
            call: Call::Fn("ticket/queue", vec![f("filter[open_only]", "true")]),
            allowed: allowed_roles(Action::WorkTickets),
        },
        Case {
            call: Call::Fn(
                "ticket/markers",
                vec![
                    f("south", "33.5"),
                    f("west", "114.0"),
                    f("north", "33.6"),
                    f("east", "114.1"),
                ],
            ),
            allowed: allowed_roles(Action::ViewPublicTickets),
        },
        Case {
            call: Call::Fn(
                "ticket/nearby",
                vec![
                    f("category", &cat),
                    f("lat", &lat.to_string()),
                    f("lng", &lng.to_string()),
                ],
            ),
            allowed: allowed_roles(Action::ViewPublicTickets),
        },
        Case {
            call: Call::Fn("ticket/follow", vec![f("id", &tid)]),
            allowed: signed_in,
        },
        Case {
            call: Call::Fn("ticket/stats", vec![f("month", "")]),
            allowed: allowed_roles(Action::ViewPublicTickets),
        },
        Case {
            call: Call::Fn("assessment/mine", vec![f("month", "")]),
            allowed: allowed_roles(Action::ViewOwnAssessment),
        },
        Case {
            call: Call::Fn("assessment/staff", vec![f("month", "")]),
            allowed: allowed_roles(Action::ViewStaffAssessment),
        },
        Case {
            call: Call::Fn("assessment/run", vec![f("month", "")]),
            allowed: allowed_roles(Action::RunAssessment),
        },
        // Bad input on purpose: allowed callers get 422 and nothing is written.
        Case {
            call: Call::Fn(
                "assessment/give",
                vec![
                    f("g[worker]", "1"),
                    f("g[month]", ""),
                    f("g[kind]", "bonus"),
                    f("g[points]", "0"),
                    f("g[evidence]", ""),
                ],
            ),
            allowed: allowed_roles(Action::ReviewAssessment),
        },
        Case {
            call: Call::Fn(
                "assessment/publish",
                vec![f("month", "2026-13"), f("community", "0")],
            ),
            allowed: allowed_roles(Action::ReviewAssessment),
        },
        Case {
            call: Call::Fn("assessment/appeal", vec![f("entry", "0"), f("reason", "")]),
            allowed: allowed_roles(Action::AppealAssessment),
        },
        Case {
            call: Call::Fn(
                "assessment/decide",
                vec![f("appeal", "0"), f("decision", "x"), f("reason", "")],
            ),
            allowed: allowed_roles(Action::ReviewAssessment),
        },
        // Bad input on purpose: allowed callers get 422 and nothing is written.
        Case {
            call: Call::Json(
                "worklog/log",
                json!({ "e": { "how": "fly", "heard": "", "idempotency_key": "x" } }),
            ),
            allowed: allowed_roles(Action::KeepWorkLog),
        },
        Case {
            call: Call::Json("worklog/list", json!({ "scope": "All" })),
            allowed: allowed_roles(Action::ReadWorkLog),
        },
        Case {
            call: Call::Fn("worklog/comment", vec![f("entry", "0"), f("body", "")]),
            allowed: allowed_roles(Action::ReviewWorkLog),
        },
        Case {
            call: Call::Fn("worklog/care", vec![]),
            allowed: allowed_roles(Action::ReadWorkLog),
        },
        Case {
            call: Call::Fn(
                "worklog/plan",
                vec![
                    f("p[resident]", "0"),
                    f("p[cycle]", "daily"),
                    f("p[visitor]", "0"),
                    f("p[needs]", ""),
                ],
            ),
            allowed: allowed_roles(Action::ReviewWorkLog),
        },
        Case {
            call: Call::Fn("worklog/visits", vec![]),
            allowed: signed_in,
        },
        Case {
            call: Call::Json(
                "worklog/care_tags",
                json!({ "tags": [["Floating", "Month"], ["Floating", "Week"]] }),
            ),
            allowed: allowed_roles(Action::ManageCareTags),
        },
        // Incomplete on purpose: allowed callers get 422 and nothing is written.
        Case {
            call: Call::Multipart("/api/tickets".into(), vec![f("description", "x")]),
            allowed: signed_in,
        },
        // Who may take a step depends on the ticket (tested in tickets.rs); here an
        // unknown step, so anyone signed in gets 422.
        Case {
            call: Call::Multipart(format!("/api/tickets/{tid}/act"), vec![f("action", "fly")]),
            allowed: signed_in,
        },
        Case {
            call: Call::Stream("/api/events".into()),
            allowed: EVERYONE,
        },
        // Alerts: a bad one (empty title) so allowed callers get 422, nothing sent.
        Case {
            call: Call::Json(
                "alert/publish",
                json!({ "input": { "title": "", "body": "x", "category": "Met",
                    "urgency": "Expected", "severity": "Minor", "certainty": "Likely",
                    "expires_in_min": 60, "targets": [], "follow_up_after_min": 10 } }),
            ),
            allowed: allowed_roles(Action::PublishAlerts),
        },
        Case {
            call: Call::Json("alert/audience", json!({ "targets": [] })),
            allowed: allowed_roles(Action::PublishAlerts),
        },
        Case {
            call: Call::Fn("alert/cancel", vec![f("id", "999999")]),
            allowed: allowed_roles(Action::PublishAlerts),
        },
        Case {
            call: Call::Fn("alert/inbox", vec![]),
            allowed: allowed_roles(Action::ViewAlerts),
        },
        Case {
            call: Call::Fn("alert/detail", vec![f("id", "999999")]),
            allowed: allowed_roles(Action::ViewAlerts),
        },
        Case {
            call: Call::Json("alert/seen", json!({ "ids": [] })),
            allowed: allowed_roles(Action::AnswerAlerts),
        },
        Case {
            call: Call::Json(
                "alert/answer",
                json!({ "id": 999999, "input": { "answer": "Safe" } }),
            ),
            allowed: allowed_roles(Action::AnswerAlerts),
        },
        Case {
            call: Call::Fn("alert/coverage", vec![f("id", "999999")]),
            allowed: allowed_roles(Action::FollowUpAlerts),
        },
        Case {
            call: Call::Fn("alert/follow_ups", vec![f("id", "999999")]),
            allowed: allowed_roles(Action::FollowUpAlerts),
        },
        Case {
            call: Call::Json(
                "alert/reach",
                json!({ "id": 999999, "resident": 1, "outcome": "Safe", "note": "" }),
            ),
            allowed: allowed_roles(Action::FollowUpAlerts),
        },
        Case {
            call: Call::Get("/cap/feed.atom".into()),
            allowed: EVERYONE,
        },
        Case {
            call: Call::Get("/cap/alerts/999999.xml".into()),
            allowed: EVERYONE,
        },
        Case {
            call: Call::Get("/alerts".into()),
            allowed: EVERYONE,
        },
        Case {
            call: Call::Get("/alerts/999999".into()),
            allowed: EVERYONE,
        },
        Case {
            call: Call::Get("/alerts/new".into()),
            allowed: EVERYONE,
        },
        Case {
            // A page answers with the status of the data it shows.
            call: Call::Get("/alerts/999999/coverage".into()),
            allowed: allowed_roles(Action::FollowUpAlerts),
        },
        // Staff notices: an empty title, so allowed callers get 422, nothing sent.
        Case {
            call: Call::Json(
                "notice/send",
                json!({ "input": { "title": "", "body": "x", "targets": [] } }),
            ),
            allowed: allowed_roles(Action::SendNotices),
        },
        Case {
            call: Call::Fn("notice/inbox", vec![]),
            allowed: allowed_roles(Action::ReadNotices),
        },
        Case {
            call: Call::Fn("notice/detail", vec![f("id", "999999")]),
            allowed: allowed_roles(Action::ReadNotices),
        },
        Case {
            // Anyone: 0 for people who get no notices (and for a page just signed out).
            call: Call::Fn("notice/unread", vec![]),
            allowed: EVERYONE,
        },
        Case {
            call: Call::Get("/notices".into()),
            allowed: allowed_roles(Action::ReadNotices),
        },
        Case {
            call: Call::Get("/notices/new".into()),
            allowed: EVERYONE,
        },
        Case {
            call: Call::Get("/notices/999999".into()),
            allowed: allowed_roles(Action::ReadNotices),
        },
        // Lost-person notices: empty forms, so allowed callers get 422.
        Case {
            call: Call::Fn("missing/list", vec![]),
            allowed: allowed_roles(Action::ViewMissing),
        },
        Case {
            call: Call::Fn("missing/detail", vec![f("id", "999999")]),
            allowed: allowed_roles(Action::ViewMissing),
        },
        Case {
            call: Call::Fn("missing/close", vec![f("id", "999999"), f("note", "")]),
            allowed: allowed_roles(Action::ManageMissing),
        },
        Case {
            call: Call::Multipart("/api/missing".into(), vec![f("name", "")]),
            allowed: allowed_roles(Action::ManageMissing),
        },
        Case {
            call: Call::Multipart("/api/missing/999999/tips".into(), vec![f("text", "")]),
            allowed: allowed_roles(Action::SendTips),
        },
        Case {
            call: Call::Get("/missing".into()),
            allowed: EVERYONE,
        },
        Case {
            call: Call::Get("/missing/new".into()),
            allowed: EVERYONE,
        },
        Case {
            call: Call::Get("/missing/999999".into()),
            allowed: EVERYONE,
        },
        // Web Push: a bad endpoint, so allowed callers get 422.
        Case {
            call: Call::Fn("push/key", vec![]),
            allowed: EVERYONE,
        },
        Case {
            call: Call::Json(
                "push/subscribe",
                json!({ "keys": { "endpoint": "ftp://x", "p256dh": "x", "auth": "x" } }),
            ),
            allowed: allowed_roles(Action::SubscribePush),
        },
        Case {
            call: Call::Json(
                "push/unsubscribe",
                json!({ "endpoint": "https://push.example/none" }),
            ),
            allowed: allowed_roles(Action::SubscribePush),
        },
        Case {
            call: Call::Get("/sw.js".into()),
            allowed: EVERYONE,
        },
        // Volunteer shifts and events.
        Case {
            call: Call::Fn("shift/list", vec![f("from", "0"), f("to", "86400000")]),
            allowed: allowed_roles(Action::ViewShifts),
        },
        Case {
            call: Call::Fn("shift/detail", vec![f("id", &shift)]),
            allowed: allowed_roles(Action::ViewShifts),
        },
        Case {
            call: Call::Json("shift/create", json!({ "input": bad_shift })),
            allowed: allowed_roles(Action::ManageShifts),
        },
        Case {
            call: Call::Fn("shift/cancel", vec![f("id", "999999")]),
            allowed: allowed_roles(Action::ManageShifts),
        },
        Case {
            call: Call::Json(
                "shift/series",
                json!({ "id": 999999, "rule": { "weekdays": 1, "every": 1, "until": "2099-01-01" } }),
            ),
            allowed: allowed_roles(Action::ManageShifts),
        },
        Case {
            call: Call::Fn("shift/signup", vec![f("id", "999999")]),
            allowed: allowed_roles(Action::JoinShifts),
        },
        Case {
            call: Call::Fn("shift/leave", vec![f("id", "999999")]),
            allowed: allowed_roles(Action::JoinShifts),
        },
        Case {
            call: Call::Fn("shift/checkin", vec![f("id", &shift), f("token", "wrong")]),
            allowed: allowed_roles(Action::JoinShifts),
        },
        Case {
            call: Call::Fn("shift/checkout", vec![f("id", &shift), f("token", "wrong")]),
            allowed: allowed_roles(Action::JoinShifts),
        },
        Case {
            call: Call::Fn(
                "shift/mark",
                vec![f("id", "999999"), f("signup", "1"), f("out", "false")],
            ),
            allowed: allowed_roles(Action::ManageShifts),
        },
        Case {
            call: Call::Fn("shift/mine", vec![]),
            allowed: allowed_roles(Action::JoinShifts),
        },
        Case {
            call: Call::Fn("shift/hours", vec![]),
            allowed: allowed_roles(Action::JoinShifts),
        },
        Case {
            call: Call::Fn("shift/teams", vec![]),
            allowed: allowed_roles(Action::ManageShifts),
        },
        Case {
            call: Call::Get(format!("/api/shifts/{shift}/qr.svg")),
            allowed: allowed_roles(Action::ManageShifts),
        },
        Case {
            call: Call::Get("/shifts".into()),
            allowed: EVERYONE,
        },
        Case {
            call: Call::Get("/shifts/new".into()),
            allowed: EVERYONE,
        },
        Case {
            call: Call::Get(format!("/shifts/{shift}")),
            allowed: EVERYONE,
        },
        Case {
            call: Call::Get(format!("/shifts/{shift}/checkin?t=x")),
            allowed: EVERYONE,
        },
        Case {
            call: Call::Get("/me/hours".into()),
            allowed: allowed_roles(Action::JoinShifts),
        },
        Case {
            call: Call::Get("/me/hours/certificate".into()),
            allowed: allowed_roles(Action::JoinShifts),
        },
        Case {
            call: Call::Fn("team/create", vec![f("grid", "999999"), f("name", "x")]),
            allowed: allowed_roles(Action::ManageShifts),
        },
        Case {
            call: Call::Fn("team/members", vec![f("team", "999999")]),
            allowed: allowed_roles(Action::ManageShifts),
        },
        Case {
            call: Call::Json(
                "team/change",
                json!({ "team": 999999, "change": { "Rename": "x" } }),
            ),
            allowed: allowed_roles(Action::ManageShifts),
        },
        Case {
            call: Call::Get("/teams".into()),
            allowed: EVERYONE,
        },
        Case {
            call: Call::Fn("shift/calendar", vec![f("renew", "false")]),
            allowed: allowed_roles(Action::JoinShifts),
        },
        Case {
            call: Call::Get("/api/shifts/export/roster.csv?from=2026-11-30".into()),
            allowed: allowed_roles(Action::ManageShifts),
        },
        Case {
            call: Call::Get("/api/shifts/export/roster.xlsx?from=2026-11-30".into()),
            allowed: allowed_roles(Action::ManageShifts),
        },
        // The token is the credential: an unknown one is 404 for everybody.
        Case {
            call: Call::Get(format!("/calendar/{}.ics", "0".repeat(36))),
            allowed: EVERYONE,
        },
        Case {
            call: Call::Get("/events".into()),
            allowed: EVERYONE,
        },
        // The seniors' council.
        Case {
            call: Call::Fn("council/board", vec![]),
            allowed: allowed_roles(Action::ViewCouncil),
        },
        Case {
            call: Call::Json(
                "council/raise",
                json!({ "input": { "grid": 0, "title": "", "body": "" } }),
            ),
            allowed: allowed_roles(Action::RaiseConcerns),
        },
        Case {
            call: Call::Fn("council/support", vec![f("id", "999999"), f("on", "true")]),
            allowed: allowed_roles(Action::RaiseConcerns),
        },
        Case {
            call: Call::Fn("council/schedule", vec![f("id", "999999")]),
            allowed: allowed_roles(Action::ManageCouncil),
        },
        Case {
            call: Call::Json(
                "council/decide",
                json!({ "id": 999999, "decision": { "outcome": "x", "ticket_category": null } }),
            ),
            allowed: allowed_roles(Action::ManageCouncil),
        },
        // Party study.
        Case {
            call: Call::Fn("study/home", vec![]),
            allowed: allowed_roles(Action::Study),
        },
        Case {
            call: Call::Fn("study/signin", vec![]),
            allowed: allowed_roles(Action::Study),
        },
        Case {
            call: Call::Fn("study/quiz/start", vec![f("review", "true")]),
            allowed: allowed_roles(Action::Study),
        },
        Case {
            call: Call::Json(
                "study/quiz/submit",
                json!({ "attempt": 999999, "answers": [] }),
            ),
            allowed: allowed_roles(Action::Study),
        },
        Case {
            call: Call::Fn("study/wrong", vec![]),
            allowed: allowed_roles(Action::Study),
        },
        Case {
            call: Call::Fn("study/questions", vec![]),
            allowed: allowed_roles(Action::ManageStudy),
        },
        Case {
            call: Call::Fn("study/rounds", vec![]),
            allowed: allowed_roles(Action::Study),
        },
        Case {
            call: Call::Fn("study/round/start", vec![f("round", "999999")]),
            allowed: allowed_roles(Action::Study),
        },
        Case {
            call: Call::Json(
                "study/round/submit",
                json!({ "take": 999_999, "answers": [] }),
            ),
            allowed: allowed_roles(Action::Study),
        },
        Case {
            call: Call::Json(
                "study/round/create",
                json!({ "round": { "title": "", "questions": 0, "minutes": 0, "opens": "", "closes": "" } }),
            ),
            allowed: allowed_roles(Action::ManageStudy),
        },
        Case {
            call: Call::Json(
                "study/questions/save",
                json!({ "question": { "id": null, "kind": "Single", "stem": "", "options": [], "answer": "", "explanation": "" } }),
            ),
            allowed: allowed_roles(Action::ManageStudy),
        },
        Case {
            call: Call::Fn(
                "study/questions/active",
                vec![f("id", "999999"), f("on", "true")],
            ),
            allowed: allowed_roles(Action::ManageStudy),
        },
        Case {
            call: Call::Get("/api/study/questions/template.xlsx".into()),
            allowed: allowed_roles(Action::ManageStudy),
        },
        Case {
            call: Call::Multipart("/api/study/questions/import".into(), vec![]),
            allowed: allowed_roles(Action::ManageStudy),
        },
        Case {
            call: Call::Get("/study/questions".into()),
            allowed: EVERYONE,
        },
        Case {
            call: Call::Fn("study/rankings", vec![]),
            allowed: allowed_roles(Action::Study),
        },
        Case {
            call: Call::Fn("study/rules", vec![]),
            allowed: allowed_roles(Action::Study),
        },
        Case {
            call: Call::Json(
                "study/rules/save",
                json!({ "rule": { "activity": "SignIn", "points": 0, "daily_cap": 1, "active": true } }),
            ),
            allowed: allowed_roles(Action::ManageStudy),
        },
        Case {
            call: Call::Get("/council".into()),
            allowed: EVERYONE,
        },
        Case {
            call: Call::Get("/study".into()),
            allowed: EVERYONE,
        },
        Case {
            call: Call::Get("/study/rules".into()),
            allowed: EVERYONE,
        },
        // Courses and lessons.
        Case {
            call: Call::Fn("study/courses", vec![]),
            allowed: allowed_roles(Action::Study),
        },
        Case {
            call: Call::Fn("study/lesson", vec![f("id", "999999")]),
            allowed: allowed_roles(Action::Study),
        },
        Case {
            call: Call::Fn(
                "study/lesson/progress",
                vec![f("id", "999999"), f("position", "10"), f("at_end", "false")],
            ),
            allowed: allowed_roles(Action::Study),
        },
        Case {
            call: Call::Fn("study/lesson/complete", vec![f("id", "999999")]),
            allowed: allowed_roles(Action::Study),
        },
        Case {
            call: Call::Json(
                "study/course/save",
                json!({ "course": { "id": null, "title": "", "summary": "" } }),
            ),
            allowed: allowed_roles(Action::ManageStudy),
        },
        Case {
            call: Call::Json(
                "study/lesson/save",
                json!({ "lesson": { "id": null, "course_id": 999999, "title": "", "body": "",
                    "media_url": "", "media": "None", "minutes": 5, "micro": false, "active": true } }),
            ),
            allowed: allowed_roles(Action::ManageStudy),
        },
        Case {
            call: Call::Json("study/lesson/preview", json!({ "body": "**x**" })),
            allowed: allowed_roles(Action::ManageStudy),
        },
        Case {
            call: Call::Get("/study/lessons".into()),
            allowed: EVERYONE,
        },
        Case {
            call: Call::Get("/study/new-lesson?course=1".into()),
            allowed: EVERYONE,
        },
        // Opening a lesson is a read (the page reports "opened" after it shows), so its
        // pages belong in the matrix like every other.
        Case {
            call: Call::Get("/study/lessons/1".into()),
            allowed: EVERYONE,
        },
        Case {
            call: Call::Get("/study/lessons/1/edit".into()),
            allowed: EVERYONE,
        },
        // The party organisation and 三会一课 (bad or unknown arguments: allowed
        // callers get 404 or 422 and nothing changes).
        Case {
            call: Call::Fn("party/tree", vec![]),
            allowed: allowed_roles(Action::ManageStudy),
        },
        Case {
            call: Call::Json(
                "party/org/save",
                json!({ "org": { "id": null, "parent": null, "kind": "Committee", "name": "", "grid": null } }),
            ),
            allowed: allowed_roles(Action::ManageStudy),
        },
        Case {
            call: Call::Fn(
                "party/member/set",
                vec![
                    f("user", "999999"),
                    f("org", "999999"),
                    f("central", "false"),
                ],
            ),
            allowed: allowed_roles(Action::ManageStudy),
        },
        Case {
            call: Call::Fn("party/member/remove", vec![f("user", "999999")]),
            allowed: allowed_roles(Action::ManageStudy),
        },
        Case {
            call: Call::Fn("party/rankings", vec![]),
            allowed: allowed_roles(Action::Study),
        },
        Case {
            call: Call::Fn("party/meetings", vec![]),
            allowed: allowed_roles(Action::Study),
        },
        Case {
            call: Call::Fn("party/meeting", vec![f("id", "1")]),
            allowed: allowed_roles(Action::Study),
        },
        Case {
            call: Call::Json(
                "party/meeting/call",
                json!({ "meeting": { "org": 999999, "kind": "Lecture", "title": "x", "date": "2026-12-01", "time": "19:30", "place": "x" } }),
            ),
            allowed: allowed_roles(Action::ManageStudy),
        },
        Case {
            call: Call::Json(
                "party/meeting/minutes",
                json!({ "id": 999999, "minutes": "x" }),
            ),
            allowed: allowed_roles(Action::ManageStudy),
        },
        Case {
            call: Call::Fn(
                "party/meeting/checkin",
                vec![f("id", "999999"), f("token", "x")],
            ),
            allowed: allowed_roles(Action::Study),
        },
        Case {
            call: Call::Get("/api/meetings/1/qr.svg".into()),
            allowed: allowed_roles(Action::ManageStudy),
        },
        Case {
            call: Call::Get("/study/org".into()),
            allowed: EVERYONE,
        },
        Case {
            call: Call::Get("/study/meetings".into()),
            allowed: EVERYONE,
        },
        Case {
            call: Call::Get("/study/meetings/1".into()),
            allowed: EVERYONE,
        },
        Case {
            call: Call::Get("/study/meetings/1/checkin?t=x".into()),
            allowed: EVERYONE,
        },
        // Residents registry.
        Case {
            call: Call::Json("resident/list", json!({ "filter": {} })),
            allowed: allowed_roles(Action::ViewResidents),
        },
        Case {
            call: Call::Fn("resident/contact", vec![f("id", "999999")]),
            allowed: allowed_roles(Action::ViewResidents),
        },
        Case {
            call: Call::Json("resident/audit", json!({ "q": {} })),
            allowed: allowed_roles(Action::ViewAudit),
        },
        Case {
            call: Call::Fn(
                "resident/confirm_account",
                vec![f("id", "999999"), f("how", "InPerson")],
            ),
            allowed: allowed_roles(Action::ViewResidents),
        },
        // No file: allowed callers get 422.
        Case {
            call: Call::Multipart("/api/residents/import".into(), vec![]),
            allowed: allowed_roles(Action::ImportResidents),
        },
        Case {
            call: Call::Get("/residents".into()),
            allowed: EVERYONE,
        },
        Case {
            call: Call::Get("/admin/audit".into()),
            allowed: allowed_roles(Action::ViewAudit),
        },
        Case {
            call: Call::Get(format!("/photos/{}.jpg", "0".repeat(64))),
            allowed: EVERYONE,
        },
        Case {
            call: Call::Get("/report".into()),
            allowed: EVERYONE,
        },
        Case {
            call: Call::Get("/tickets".into()),
            allowed: EVERYONE,
        },
        Case {
            call: Call::Get(format!("/tickets/{tid}")),
            allowed: EVERYONE,
        },
        Case {
            call: Call::Get("/admin/categories".into()),
            allowed: EVERYONE,
        },
        Case {
            call: Call::Get("/stats?month=2026-12".into()),
            allowed: EVERYONE,
        },
        Case {
            call: Call::Get("/assessment".into()),
            allowed: EVERYONE,
        },
        Case {
            call: Call::Fn("assessment/rules", vec![]),
            allowed: allowed_roles(Action::ViewStaffAssessment),
        },
        // Bad input on purpose (bases not adding up to 100): allowed callers get 422.
        Case {
            call: Call::Json(
                "assessment/rules/save",
                json!({ "rules": {
                    "handling_base": 90, "yellow_card": 5, "red_card": 10, "rework": 2,
                    "found_each": 1, "found_cap": 20, "satisfaction_base": 20,
                    "satisfaction_min_ratings": 5, "care_base": 20, "bonus_cap": 10,
                    "deduction_max": 20, "appeal_days": 5 } }),
            ),
            allowed: allowed_roles(Action::RunAssessment),
        },
        // No draft exists: allowed callers get 409.
        Case {
            call: Call::Fn("assessment/rules/preview", vec![]),
            allowed: allowed_roles(Action::RunAssessment),
        },
        Case {
            call: Call::Fn("assessment/rules/adopt", vec![]),
            allowed: allowed_roles(Action::RunAssessment),
        },
        Case {
            call: Call::Fn("assessment/rankings", vec![f("on", "false")]),
            allowed: allowed_roles(Action::RunAssessment),
        },
        Case {
            call: Call::Get("/api/assessment/year.xlsx?year=2026".into()),
            allowed: allowed_roles(Action::ViewStaffAssessment),
        },
        Case {
            call: Call::Get("/feedback".into()),
            allowed: EVERYONE,
        },
        // Bad input on purpose: allowed callers get 422 and nothing is written.
        Case {
            call: Call::Fn(
                "feedback/send",
                vec![f("f[kind]", "x"), f("f[about]", "x"), f("f[body]", "")],
            ),
            allowed: allowed_roles(Action::SendFeedback),
        },
        Case {
            call: Call::Fn("feedback/list", vec![]),
            allowed: allowed_roles(Action::SendFeedback),
        },
        Case {
            call: Call::Fn("feedback/answer", vec![f("id", "0"), f("text", "")]),
            allowed: allowed_roles(Action::AnswerFeedback),
        },
        Case {
            call: Call::Get("/worklog".into()),
            allowed: EVERYONE,
        },
        Case {
            call: Call::Get("/duty".into()),
            allowed: EVERYONE,
        },
        Case {
            call: Call::Fn("duty/board", vec![f("scope", "0"), f("month", "")]),
            allowed: allowed_roles(Action::ViewDuty),
        },
        // Bad input on purpose (a 13th month): planners get 422 and nothing is written.
        Case {
            call: Call::Json(
                "duty/plan",
                json!({ "plan": { "scope": 0, "month": "2026-13", "pattern": "full_day",
                                  "leaders": [], "officers": [], "per_shift": 1 } }),
            ),
            allowed: allowed_roles(Action::PlanDuty),
        },
        Case {
            call: Call::Fn(
                "duty/swap",
                vec![f("shift", "0"), f("with", "0"), f("reason", "x")],
            ),
            allowed: allowed_roles(Action::ViewDuty),
        },
        Case {
            call: Call::Fn("duty/swap_answer", vec![f("id", "0"), f("accept", "true")]),
            allowed: allowed_roles(Action::ViewDuty),
        },
        Case {
            call: Call::Fn(
                "duty/log",
                vec![
                    f("e[scope]", "0"),
                    f("e[kind]", "x"),
                    f("e[body]", ""),
                    f("e[ticket]", "0"),
                ],
            ),
            allowed: allowed_roles(Action::ViewDuty),
        },
        Case {
            call: Call::Fn("duty/log_close", vec![f("id", "0")]),
            allowed: allowed_roles(Action::ViewDuty),
        },
        Case {
            call: Call::Fn("duty/handover", vec![f("shift", "0")]),
            allowed: allowed_roles(Action::ViewDuty),
        },
        Case {
            call: Call::Fn("duty/now", vec![]),
            allowed: EVERYONE,
        },
        Case {
            call: Call::Fn("duty/ringing", vec![]),
            allowed: EVERYONE,
        },
        Case {
            call: Call::Fn("duty/ack", vec![f("id", "0")]),
            allowed: allowed_roles(Action::ViewDuty),
        },
        Case {
            call: Call::Fn("duty/on_site", vec![f("id", "0")]),
            allowed: allowed_roles(Action::ViewDuty),
        },
        Case {
            call: Call::Fn("command/snapshot", vec![f("scope", "0")]),
            allowed: allowed_roles(Action::ViewCommand),
        },
        Case {
            call: Call::Stream("/api/command/live?scope=0".into()),
            allowed: allowed_roles(Action::ViewCommand),
        },
        Case {
            call: Call::Fn("cameras/board", vec![]),
            allowed: allowed_roles(Action::WatchCameras),
        },
        Case {
            call: Call::Json(
                "cameras/save",
                json!({ "camera": { "id": null, "name": "", "lat": 0.0, "lng": 0.0, "site": null,
                    "device_id": "", "channel_id": "" } }),
            ),
            allowed: allowed_roles(Action::ManageCameras),
        },
        Case {
            call: Call::Fn("cameras/play", vec![f("id", "0"), f("note", "")]),
            allowed: allowed_roles(Action::WatchCameras),
        },
        Case {
            call: Call::Fn("sites/board", vec![]),
            allowed: allowed_roles(Action::ViewSites),
        },
        Case {
            call: Call::Fn("sites/detail", vec![f("id", "0")]),
            allowed: allowed_roles(Action::ViewSites),
        },
        Case {
            call: Call::Json(
                "sites/save",
                json!({ "site": { "id": null, "type_id": 0, "name": "", "address": "",
                    "contact_name": "", "contact_phone": "", "lat": 0.0, "lng": 0.0, "risks": 0 } }),
            ),
            allowed: allowed_roles(Action::ViewSites),
        },
        Case {
            call: Call::Json(
                "sites/type_save",
                json!({ "t": { "id": null, "name_zh": "", "name_en": "", "cycle_days": 0,
                    "items": "", "category": null, "active": true } }),
            ),
            allowed: allowed_roles(Action::ManageSiteTypes),
        },
        Case {
            call: Call::Fn("admin/sms", vec![]),
            allowed: allowed_roles(Action::ManageSms),
        },
        Case {
            // A template no provider accepts: admins get 422 and nothing is saved.
            call: Call::Json(
                "admin/save_sms",
                json!({ "settings": { "provider": "aliyun", "url": "", "key_id": "LTAI1",
                    "secret": "s", "sign_name": "老街街道", "template": "1", "app_id": "",
                    "region": "", "rate": 20, "after_min": 5, "new_receipt_address": false } }),
            ),
            allowed: allowed_roles(Action::ManageSms),
        },
        Case {
            call: Call::Fn("admin/sms_test", vec![f("phone", "12345")]),
            allowed: allowed_roles(Action::ManageSms),
        },
        Case {
            call: Call::Multipart("/api/sites/0/inspections".into(), vec![f("results", "[]")]),
            allowed: allowed_roles(Action::ViewSites),
        },
        Case {
            call: Call::Fn(
                "auth/signup",
                vec![
                    f("name", "x"),
                    f("phone", "13900000000"),
                    f("password", "short"),
                ],
            ),
            allowed: EVERYONE,
        },
        Case {
            call: Call::Fn(
                "auth/login",
                vec![f("phone", "13900000000"), f("password", "wrong-one")],
            ),
            allowed: EVERYONE,
        },
        Case {
            call: Call::Fn("auth/logout", vec![]),
            allowed: allowed_roles(Action::OwnAccount),
        },
        Case {
            call: Call::Fn("me/elder", vec![f("on", "true")]),
            allowed: allowed_roles(Action::OwnAccount),
        },
        Case {
            call: Call::Fn("reminder/inbox", vec![]),
            allowed: allowed_roles(Action::OwnAccount),
        },
        Case {
            // Anyone: 0 for a page signed out.
            call: Call::Fn("reminder/unread", vec![]),
            allowed: EVERYONE,
        },
        Case {
            call: Call::Fn("reminder/prefs", vec![]),
            allowed: allowed_roles(Action::OwnAccount),
        },
        Case {
            call: Call::Json(
                "reminder/save_prefs",
                json!({ "prefs": { "in_app": true, "push": true, "sms": false,
                    "quiet": { "from": 1260, "to": 420 } } }),
            ),
            allowed: allowed_roles(Action::OwnAccount),
        },
        Case {
            // The page says "please sign in" itself.
            call: Call::Get("/inbox".into()),
            allowed: EVERYONE,
        },
        Case {
            call: Call::Fn("auth/me", vec![]),
            allowed: EVERYONE,
        },
        Case {
            call: Call::Fn("grid/list", vec![]),
            allowed: allowed_roles(Action::ViewGrids),
        },
        Case {
            call: Call::Fn("grid/detail", vec![f("id", &gid)]),
            allowed: allowed_roles(Action::ViewGrids),
        },
        Case {
            call: Call::Fn("grid/locate", vec![f("lat", "33.58"), f("lng", "114.02")]),
            allowed: allowed_roles(Action::ViewGrids),
        },
        Case {
            call: Call::Fn("grid/targets", vec![]),
            allowed: allowed_roles(Action::PublishAlerts),
        },
        Case {
            call: Call::Fn(
                "grid/staff_phone",
                vec![f("grid", &gid), f("duty", "leader")],
            ),
            allowed: allowed_roles(Action::OwnAccount),
        },
        Case {
            call: Call::Fn("grid/map_config", vec![]),
            allowed: EVERYONE,
        },
        Case {
            call: Call::Fn(
                "grid/import",
                vec![f(
                    "geojson",
                    r#"{"type":"FeatureCollection","features":[]}"#,
                )],
            ),
            allowed: allowed_roles(Action::ImportGrids),
        },
        Case {
            call: Call::Get("/grids.geojson".into()),
            allowed: allowed_roles(Action::ExportGrids),
        },
        Case {
            call: Call::Get("/".into()),
            allowed: EVERYONE,
        },
        Case {
            call: Call::Get("/map".into()),
            allowed: EVERYONE,
        },
        Case {
            call: Call::Get("/grids".into()),
            allowed: EVERYONE,
        },
        Case {
            call: Call::Get(format!("/grids/{gid}")),
            allowed: EVERYONE,
        },
        Case {
            call: Call::Get("/login".into()),
            allowed: EVERYONE,
        },
        Case {
            call: Call::Get("/signup".into()),
            allowed: EVERYONE,
        },
        Case {
            call: Call::Get("/me".into()),
            allowed: EVERYONE,
        },
        Case {
            call: Call::Get("/admin/grids".into()),
            allowed: EVERYONE,
        },
        Case {
            call: Call::Get("/healthz".into()),
            allowed: EVERYONE,
        },
        // Open311 reads are public; its POST is authorised by API key, not by session
        // (tested in open311.rs).
        Case {
            call: Call::Get("/open311/v2/services.json".into()),
            allowed: EVERYONE,
        },
        Case {
            call: Call::Get("/open311/v2/requests.json".into()),
            allowed: EVERYONE,
        },
        Case {
            call: Call::Get(format!("/open311/v2/requests/{tid}.json")),
            allowed: EVERYONE,
        },
    ];

    // Every registered server function is in the table.
    let mut registered: Vec<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(p, _)| p.trim_start_matches("/api/").to_owned())
        .collect();
    registered.sort();
    let mut covered: Vec<String> = cases
        .iter()
        .filter_map(|c| match &c.call {
            Call::Fn(e, _) | Call::Json(e, _) => Some((*e).to_owned()),
            _ => None,
        })
        .collect();
    covered.sort();
    covered.dedup();
    assert_eq!(registered, covered, "authorization table out of date");

    let mut checked = 0;
    for case in &cases {
        for (role, phone) in PLAYERS {
            // A fresh session per call: sign-out must not leak into the next case.
            let cookie = if phone.is_empty() {
                None
            } else {
                Some(app.login(phone).await)
            };
            let r = match &case.call {
                Call::Fn(e, form) => {
                    let form: Vec<(&str, &str)> =
                        form.iter().map(|(k, v)| (*k, v.as_str())).collect();
                    app.call(e, &form, cookie.as_deref()).await
                }
                Call::Json(e, body) => app.call_json(e, body.clone(), cookie.as_deref()).await,
                Call::Get(path) => app.get(path, cookie.as_deref()).await,
                Call::Multipart(path, form) => {
                    let form: Vec<(&str, &str)> =
                        form.iter().map(|(k, v)| (*k, v.as_str())).collect();
                    app.multipart(path, &form, &[], cookie.as_deref()).await
                }
                Call::Stream(path) => {
                    let (status, headers) = app.head_of(path, cookie.as_deref()).await;
                    common::Reply {
                        status,
                        headers,
                        body: String::new(),
                        bytes: Vec::new(),
                    }
                }
            };
            let label = match &case.call {
                Call::Fn(e, _) | Call::Json(e, _) => e.to_string(),
                Call::Get(p) | Call::Stream(p) => format!("GET {p}"),
                Call::Multipart(p, _) => format!("POST {p}"),
            };
            if case.allowed.contains(role) {
                assert!(
                    r.status != StatusCode::UNAUTHORIZED
                        && r.status != StatusCode::FORBIDDEN
                        && r.status.as_u16() < 500,
                    "{label} as {role:?}: expected allowed, got {} {}",
                    r.status,
                    r.body
                );
            } else {
                let want = if role.is_none() {
                    StatusCode::UNAUTHORIZED
                } else {
                    StatusCode::FORBIDDEN
                };
                assert_eq!(r.status, want, "{label} as {role:?}: {}", r.body);
            }
            checked += 1;
        }
    }
    assert_eq!(checked, cases.len() * PLAYERS.len());
}
