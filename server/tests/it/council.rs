//! The seniors' council (闲事会): raising (bad input writes nothing), supporting
//! (exact counts under concurrency, not one's own, not once decided), the Wednesday
//! agenda, and the outcome — which may open a ticket for the raiser, all or nothing.
#![allow(clippy::unwrap_used)]
use crate::common::{self, count};
use axum::http::StatusCode;
use common::{TestApp, who};
use serde_json::{Value, json};

async fn board(app: &TestApp, cookie: Option<&str>) -> Value {
    let r = app.call("council/board", &[], cookie).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.json()
}

fn concern<'a>(b: &'a Value, title: &str) -> &'a Value {
    b["concerns"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["title"] == title)
        .unwrap_or_else(|| panic!("{title} not on the board"))
}

async fn grid(app: &TestApp, code: &str) -> i64 {
    app.state.db.grid_codes().await.unwrap()[code].0
}

#[tokio::test]
async fn raise_support_agenda_and_outcome() {
    let app = TestApp::new().await;
    let resident = app.login(who::RESIDENT).await;
    let other = app.login(who::OTHER_RESIDENT).await;
    let coordinator = app.login(who::COORDINATOR).await;
    let xhj02 = grid(&app, "LJ-XHJ-02").await;

    // The demo board: names masked for the public, whole for the council.
    let public = board(&app, None).await;
    assert_eq!(concern(&public, "背街小巷路灯不亮")["raised_by"], "刘**");
    assert_eq!(concern(&public, "背街小巷路灯不亮")["supporters"], 2);
    let council = board(&app, Some(&coordinator)).await;
    assert_eq!(concern(&council, "背街小巷路灯不亮")["raised_by"], "刘建国");
    let next = council["next_meeting"].as_str().unwrap().to_owned();
    assert_eq!(
        next,
        app::domain::council::next_meeting(app::domain::time::now_ms())
    );

    // Bad input: a clear field error, nothing written.
    let before = count(&app, "SELECT COUNT(*) FROM concerns").await;
    for (input, field) in [
        (
            json!({ "grid": xhj02, "title": "  ", "body": "楼道灯坏了" }),
            "title",
        ),
        (
            json!({ "grid": xhj02, "title": "楼道灯", "body": "" }),
            "body",
        ),
        (
            json!({ "grid": xhj02, "title": "楼道灯", "body": "长".repeat(601) }),
            "body",
        ),
        (
            json!({ "grid": 999999, "title": "楼道灯", "body": "坏了" }),
            "grid",
        ),
    ] {
        let r = app
            .call_json("council/raise", json!({ "input": input }), Some(&resident))
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert_eq!(r.json()["Invalid"]["field"], field);
    }
    assert_eq!(count(&app, "SELECT COUNT(*) FROM concerns").await, before);

    // A resident raises a matter.
    let r = app
        .call_json(
            "council/raise",
            json!({ "input": { "grid": xhj02, "title": "三号楼楼道灯坏了",
                "body": "二单元楼道灯一直不亮，老人晚上下楼不方便。" } }),
            Some(&resident),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let id = r.json().as_i64().unwrap().to_string();
    let mine = board(&app, Some(&resident)).await;
    let c = concern(&mine, "三号楼楼道灯坏了");
    assert_eq!(c["status"], "Open");
    assert_eq!(c["mine"], true);

    // Support: once per person, not one's own, and taken back.
    let support = |cookie: String, on: &'static str| {
        let app = &app;
        let id = id.clone();
        async move {
            app.call("council/support", &[("id", &id), ("on", on)], Some(&cookie))
                .await
        }
    };
    let r = support(resident.clone(), "true").await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert_eq!(r.json()["Conflict"], "ErrConcernOwn");
    assert_eq!(support(other.clone(), "true").await.json(), 1);
    assert_eq!(support(other.clone(), "true").await.json(), 1);
    assert_eq!(support(other.clone(), "false").await.json(), 0);
    // Twelve neighbours at once: exactly twelve.
    let mut neighbours = Vec::new();
    for i in 0..12 {
        let phone = format!("1370001{i:04}");
        neighbours.push(common::resident_account(&app, &phone, &format!("邻居{i}")).await);
    }
    let all =
        futures_util::future::join_all(neighbours.iter().map(|c| support(c.clone(), "true"))).await;
    assert!(all.iter().all(|r| r.status == StatusCode::OK));
    let c = board(&app, None).await;
    assert_eq!(concern(&c, "三号楼楼道灯坏了")["supporters"], 12);
    assert_eq!(
        count(
            &app,
            &format!("SELECT COUNT(*) FROM concern_supports WHERE concern_id = {id}")
        )
        .await,
        12
    );

    // Only the council sets the agenda; it lands on the next Wednesday.
    let r = app
        .call("council/schedule", &[("id", &id)], Some(&resident))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = app
        .call("council/schedule", &[("id", &id)], Some(&coordinator))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json(), next.as_str());
    let b = board(&app, None).await;
    assert_eq!(concern(&b, "三号楼楼道灯坏了")["status"], "Agenda");
    assert_eq!(
        concern(&b, "三号楼楼道灯坏了")["meeting_date"],
        next.as_str()
    );

    // The outcome: refused input changes nothing and opens no ticket.
    let tickets = count(&app, "SELECT COUNT(*) FROM tickets").await;
    let mediation = count(
        &app,
        "SELECT MIN(id) FROM categories WHERE kind = 'mediation'",
    )
    .await;
    let problem = count(
        &app,
        "SELECT MIN(id) FROM categories WHERE kind = 'problem' AND active = 1",
    )
    .await;
    let decide = |d: Value| {
        let app = &app;
        let id = id.clone();
        let coordinator = coordinator.clone();
        async move {
            app.call_json(
                "council/decide",
                json!({ "id": id.parse::<i64>().unwrap(), "decision": d }),
                Some(&coordinator),
            )
            .await
        }
    };
    for (d, field) in [
        (
            json!({ "outcome": " ", "ticket_category": null }),
            "outcome",
        ),
        (
            json!({ "outcome": "交物业修", "ticket_category": mediation }),
            "ticket_category",
        ),
        (
            json!({ "outcome": "交物业修", "ticket_category": 999999 }),
            "ticket_category",
        ),
    ] {
        let r = decide(d).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert_eq!(r.json()["Invalid"]["field"], field);
    }
    assert_eq!(count(&app, "SELECT COUNT(*) FROM tickets").await, tickets);
    assert_eq!(
        concern(&board(&app, None).await, "三号楼楼道灯坏了")["status"],
        "Agenda"
    );

    // Decided, with a ticket the raiser reports, in the concern's grid.
    let r = decide(
        json!({ "outcome": "闲事会商定：请物业三天内换灯，网格员回访。",
        "ticket_category": problem }),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let ticket = r.json().as_i64().unwrap();
    let (reporter, ticket_grid): (i64, Option<i64>) =
        sqlx::query_as("SELECT reporter_id, grid_id FROM tickets WHERE id = $1")
            .bind(ticket)
            .fetch_one(&app.state.db.pool)
            .await
            .unwrap();
    let raiser: i64 = sqlx::query_scalar("SELECT id FROM users WHERE phone = $1")
        .bind(who::RESIDENT)
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    assert_eq!(reporter, raiser);
    assert_eq!(ticket_grid, Some(xhj02));
    let mine = board(&app, Some(&resident)).await;
    let c = concern(&mine, "三号楼楼道灯坏了");
    assert_eq!(c["status"], "Decided");
    assert_eq!(c["ticket"], ticket);
    assert!(c["outcome"].as_str().unwrap().contains("换灯"));
    // The raiser follows the ticket among their own.
    let r = app.call("ticket/mine", &[], Some(&resident)).await;
    assert!(
        r.json()
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["id"] == ticket),
        "{}",
        r.body
    );

    // Decided is final: no second decision, no more support or scheduling.
    let r = decide(json!({ "outcome": "再议", "ticket_category": null })).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM tickets").await,
        tickets + 1
    );
    let r = support(other.clone(), "true").await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.json()["Conflict"], "ErrConcernDecided");
    let r = app
        .call("council/schedule", &[("id", &id)], Some(&coordinator))
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
}
