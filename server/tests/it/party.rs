//! The party organisation and 三会一课: admins keep the tree (levels checked, only
//! party members placed, nothing half-written), branches rank by points per member,
//! meetings list everyone under their organisation, check-in needs the QR code's token,
//! the list and the open window, pays the meeting points once (also under simultaneous
//! scans), and attendance rates count finished meetings.
#![allow(clippy::unwrap_used)]
use crate::common;
use axum::http::StatusCode;
use common::{TestApp, who};
use serde_json::{Value, json};

const LIU: &str = "13903970002";
const LI: &str = "13903970004";

async fn scalar(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap()
}

pub(crate) async fn user_id(app: &TestApp, phone: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM users WHERE phone = $1")
        .bind(phone)
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap()
}

pub(crate) fn org_id(tree: &Value, name: &str) -> i64 {
    tree["orgs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["name"] == name)
        .unwrap_or_else(|| panic!("{name} in {tree}"))["id"]
        .as_i64()
        .unwrap()
}

#[tokio::test]
async fn the_tree_and_branch_rankings() {
    let app = TestApp::new().await;
    let resident = app.login(who::RESIDENT).await;
    let admin = app.login(who::ADMIN).await;
    let liu = app.login(LIU).await;

    assert_eq!(
        app.call("party/tree", &[], Some(&resident)).await.status,
        StatusCode::FORBIDDEN
    );
    let r = app.call("party/tree", &[], Some(&admin)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let tree = r.json();
    let kinds: Vec<&str> = tree["orgs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["Committee", "Branch", "Branch", "Branch", "Group"]);
    let committee = org_id(&tree, "新华街社区大党委");
    let branch1 = org_id(&tree, "新华街01网格党支部");
    let branch2 = org_id(&tree, "新华街02网格党支部");
    let group = org_id(&tree, "东安街居民党小组");
    let liu_line = tree["members"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["name"] == "刘建国")
        .unwrap()
        .clone();
    assert_eq!(liu_line["org"], group);
    assert_eq!(liu_line["central"], true);
    // The admin is a party member not placed yet.
    assert!(tree["unplaced"].to_string().contains("魏留红"), "{tree}");

    // Levels: a group under the committee, a branch without a parent, a blank name.
    let orgs_before = scalar(&app, "SELECT COUNT(*) FROM party_orgs").await;
    let org = |parent: Option<i64>, kind: &str, name: &str| json!({ "org": { "id": null, "parent": parent, "kind": kind, "name": name, "grid": null } });
    for (bad, field) in [
        (org(Some(committee), "Group", "东风路党小组"), "parent"),
        (org(None, "Branch", "无上级支部"), "parent"),
        (org(Some(group), "Branch", "错层支部"), "parent"),
        (org(Some(branch1), "Group", "  "), "name"),
    ] {
        let r = app.call_json("party/org/save", bad, Some(&admin)).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.body.contains(field), "{field}: {}", r.body);
    }
    let r = app
        .call_json(
            "party/org/save",
            json!({ "org": { "id": branch1, "parent": committee, "kind": "Group", "name": "改成小组", "grid": null } }),
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM party_orgs").await,
        orgs_before
    );
    let r = app
        .call_json(
            "party/org/save",
            org(Some(branch2), "Group", "马路街党小组"),
            Some(&resident),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = app
        .call_json(
            "party/org/save",
            org(Some(branch2), "Group", "马路街党小组"),
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);

    // Members: only party members, only into a branch or group.
    let admin_id = user_id(&app, who::ADMIN).await.to_string();
    let chen = user_id(&app, who::RESIDENT).await.to_string();
    let set = |user: &str, org: i64| {
        vec![
            ("user", user.to_owned()),
            ("org", org.to_string()),
            ("central", "false".to_owned()),
        ]
    };
    let call = |args: Vec<(&'static str, String)>, cookie: String| {
        let app = &app;
        async move {
            let form: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
            app.call("party/member/set", &form, Some(&cookie)).await
        }
    };
    let r = call(set(&chen, branch2), admin.clone()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("\"user\""), "{}", r.body);
    let r = call(set(&admin_id, committee), admin.clone()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("\"org\""), "{}", r.body);
    let r = call(set("999999", branch2), admin.clone()).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
    let r = call(set(&admin_id, branch2), resident.clone()).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = call(set(&admin_id, branch2), admin.clone()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) FROM audit_log WHERE action IN ('party.org', 'party.member')"
        )
        .await,
        2
    );

    // Rankings: 刘建国's sign-in counts for 新华街01 (his group's branch), per member.
    let r = app.call("study/signin", &[], Some(&liu)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let points = r.json().as_i64().unwrap();
    assert!(points > 0);
    let r = app.call("party/rankings", &[], None).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let r = app.call("party/rankings", &[], Some(&liu)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let ranks = r.json();
    assert_eq!(ranks["mine"], branch1);
    for period in ["month", "total"] {
        let first = &ranks[period][0];
        assert_eq!(first["branch"], branch1, "{ranks}");
        assert_eq!(first["rank"], 1);
        // 丁… the director, the grid's party-group leader, 刘建国 and 李明.
        assert_eq!(first["members"], 4);
        assert_eq!(first["per_member_tenths"], points * 10 / 4);
        // The others share second place with nothing.
        assert!(
            ranks[period]
                .as_array()
                .unwrap()
                .iter()
                .skip(1)
                .all(|l| l["rank"] == 2 && l["points"] == 0),
            "{ranks}"
        );
    }

    // Taking a member out.
    let r = app
        .call("party/member/remove", &[("user", &admin_id)], Some(&admin))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = app
        .call("party/member/remove", &[("user", &admin_id)], Some(&admin))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

/// Today and now in China time, as the meeting form sends them.
fn now_local() -> (String, String) {
    let s = app::domain::time::format_cst(app::domain::time::now_ms());
    (s[..10].to_owned(), s[11..16].to_owned())
}

#[tokio::test]
async fn meetings_check_in_minutes_and_attendance() {
    let app = TestApp::new().await;
    let resident = app.login(who::RESIDENT).await;
    let admin = app.login(who::ADMIN).await;
    let liu = app.login(LIU).await;
    let li = app.login(LI).await;
    let tree = app.call("party/tree", &[], Some(&admin)).await.json();
    let branch1 = org_id(&tree, "新华街01网格党支部");
    let group = org_id(&tree, "东安街居民党小组");
    let (date, time) = now_local();
    let meeting = |org: i64, kind: &str, date: &str, title: &str| json!({ "meeting": { "org": org, "kind": kind, "title": title, "date": date, "time": time, "place": "新华街社区党群服务中心" } });

    // Calling: the kind must fit the level, the date must be real; nothing written else.
    let before = scalar(&app, "SELECT COUNT(*) FROM meetings").await;
    for (bad, field) in [
        (meeting(branch1, "Group", &date, "十二月党小组会"), "kind"),
        (meeting(group, "Assembly", &date, "党员大会"), "kind"),
        (meeting(999_999, "Lecture", &date, "党课"), "org"),
        (
            meeting(branch1, "Assembly", "2026-02-30x", "党员大会"),
            "date",
        ),
        (meeting(branch1, "Assembly", &date, " "), "title"),
    ] {
        let r = app.call_json("party/meeting/call", bad, Some(&admin)).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.body.contains(field), "{field}: {}", r.body);
    }
    let good = meeting(branch1, "Assembly", &date, "十二月支部党员大会");
    let r = app
        .call_json("party/meeting/call", good.clone(), Some(&resident))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM meetings").await, before);
    let r = app
        .call_json("party/meeting/call", good, Some(&admin))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let id = r.json().as_i64().unwrap();
    let ids = id.to_string();

    // Everyone under 新华街01 (its group included) is listed; 陈桂兰 is not.
    let d = app
        .call("party/meeting", &[("id", &ids)], Some(&admin))
        .await
        .json();
    assert_eq!(d["line"]["expected"], 4, "{d}");
    assert_eq!(d["attendees"].as_array().unwrap().len(), 4);
    assert_eq!(d["checkin_open"], true);
    let token = d["token"].as_str().unwrap().to_owned();
    let r = app
        .call("party/meeting", &[("id", &ids)], Some(&resident))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = app.call("party/meeting", &[("id", &ids)], Some(&liu)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let d = r.json();
    assert_eq!(d["token"], Value::Null, "members never see the token");
    assert_eq!(d["attendees"], json!([]));
    assert_eq!(d["line"]["mine"], false);
    let page = app.call("party/meetings", &[], Some(&liu)).await.json();
    assert!(
        page["upcoming"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["id"] == id && m["mine"] == false),
        "{page}"
    );

    // Check-in: the token, the list, once.
    let check = |cookie: String, t: String, mid: String| {
        let app = &app;
        async move {
            app.call(
                "party/meeting/checkin",
                &[("id", &mid), ("token", &t)],
                Some(&cookie),
            )
            .await
        }
    };
    let r = check(liu.clone(), "0".repeat(36), ids.clone()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let r = check(resident.clone(), token.clone(), ids.clone()).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    let taps = (0..5).map(|_| check(liu.clone(), token.clone(), ids.clone()));
    let paid: Vec<i64> = futures_util::future::join_all(taps)
        .await
        .into_iter()
        .map(|r| {
            assert_eq!(r.status, StatusCode::OK, "{}", r.body);
            r.json().as_i64().unwrap()
        })
        .collect();
    let rule = scalar(
        &app,
        "SELECT points FROM points_rules WHERE activity = 'meeting'",
    )
    .await;
    assert_eq!(paid.iter().sum::<i64>(), rule, "{paid:?}");
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) FROM points_ledger WHERE activity = 'meeting'"
        )
        .await,
        1
    );
    let d = app
        .call("party/meeting", &[("id", &ids)], Some(&liu))
        .await
        .json();
    assert_eq!(d["line"]["mine"], true);
    assert_eq!(d["line"]["attended"], 1);

    // Tomorrow's seeded 党小组会 is not open yet.
    let tomorrow: i64 = scalar(&app, "SELECT MAX(id) FROM meetings WHERE kind = 'group'").await;
    let t: String = sqlx::query_scalar("SELECT token FROM meetings WHERE id = $1")
        .bind(tomorrow)
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    let r = check(li.clone(), t, tomorrow.to_string()).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert!(r.body.contains("ErrMeetingClosed"), "{}", r.body);

    // Minutes: admins write, members read.
    let minutes = |text: String| json!({ "id": id, "minutes": text });
    let r = app
        .call_json("party/meeting/minutes", minutes("记录".into()), Some(&liu))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = app
        .call_json(
            "party/meeting/minutes",
            minutes("字".repeat(5001)),
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let r = app
        .call_json(
            "party/meeting/minutes",
            minutes("一、学习十二月学习材料。".into()),
            Some(&admin),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let d = app
        .call("party/meeting", &[("id", &ids)], Some(&liu))
        .await
        .json();
    assert_eq!(d["minutes"], "一、学习十二月学习材料。");

    // Attendance counts finished meetings only: last week's assembly, 3 of 4.
    let page = app.call("party/meetings", &[], Some(&admin)).await.json();
    let b = &page["branches"][0];
    assert_eq!(
        (
            b["id"].as_i64(),
            b["expected"].as_i64(),
            b["attended"].as_i64()
        ),
        (Some(branch1), Some(4), Some(3)),
        "{page}"
    );
    let members = page["members"].as_array().unwrap();
    assert_eq!(members.len(), 4, "{page}");
    assert!(
        members
            .iter()
            .any(|m| m["name"] == "李明" && m["attended"] == 0 && m["expected"] == 1)
    );
    let mine = app.call("party/meetings", &[], Some(&liu)).await.json();
    assert_eq!(mine["members"].as_array().unwrap().len(), 1, "{mine}");
    assert_eq!(mine["members"][0]["attended"], 1);
    assert_eq!(mine["orgs"], json!([]));

    // The QR code: admins only.
    let qr = format!("/api/meetings/{id}/qr.svg");
    let r = app.get(&qr, Some(&admin)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.body.starts_with("<?xml") || r.body.contains("<svg"),
        "{}",
        &r.body[..80.min(r.body.len())]
    );
    assert_eq!(app.get(&qr, Some(&liu)).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.get(&qr, None).await.status, StatusCode::UNAUTHORIZED);
}
