//! The residents registry over the real router: scoped masked lists, audited reads
//! of numbers, CSV (UTF-8 and GB18030) and XLSX imports that write all rows or none
//! with a row-by-row report, and the link from an account to its home grid.
#![allow(clippy::unwrap_used)]
use crate::common;
use axum::http::StatusCode;
use common::{TestApp, who};
use serde_json::{Value, json};

async fn list(app: &TestApp, cookie: Option<&str>, filter: Value) -> common::Reply {
    app.call_json("resident/list", json!({ "filter": filter }), cookie)
        .await
}

async fn resident_count(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM residents")
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap()
}

async fn import(app: &TestApp, cookie: &str, bytes: Vec<u8>) -> common::Reply {
    app.multipart(
        "/api/residents/import",
        &[("file_name", "import.csv")],
        &[("file", bytes)],
        Some(cookie),
    )
    .await
}

const GOOD_CSV: &str = "\u{feff}网格编码,楼栋,房号,姓名,手机号,身份证号,标签
LJ-XHJ-02,新华街20号院1号楼,1单元201,赵德胜,13812340001,11010519491231002X,独居老人
LJ-XHJ-02,新华街20号院1号楼,1单元201,钱玉芝,+86 138-1234-0002,,残疾、低保户
LJ-XHJ-03,新华街22号院,3单元502,孙立,13812340003,,
";

#[tokio::test]
async fn the_registry_is_scoped_and_masked() {
    let app = TestApp::new().await;
    let pan = app.login(who::GRID_WORKER).await;
    let r = list(&app, Some(&pan), json!({})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let page = r.json();
    // 潘月丽 serves 新华街02 only: its 62 registered people.
    assert_eq!(page["total"], 62);
    let chen = page["residents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "陈桂兰")
        .unwrap()
        .clone();
    assert_eq!(chen["phone_masked"], "139****0001");
    assert!(chen["id_masked"].as_str().unwrap().contains("*****"));
    assert_eq!(chen["has_account"], true);
    assert!(!r.body.contains("13903970001"), "no full number in a list");

    let director = app.login(who::XHJ_DIRECTOR).await;
    assert_eq!(
        list(&app, Some(&director), json!({})).await.json()["total"],
        182
    );
    let admin = app.login(who::ADMIN).await;
    let all = list(&app, Some(&admin), json!({})).await.json();
    assert_eq!(all["total"], 724);
    assert_eq!(all["residents"].as_array().unwrap().len(), 200);
    let alone = list(&app, Some(&admin), json!({ "tag": "ElderlyAlone" }))
        .await
        .json();
    assert_eq!(alone["total"], 12 * 10 + 1);
    let found = list(&app, Some(&admin), json!({ "q": "陈桂兰" }))
        .await
        .json();
    assert!(found["total"].as_i64().unwrap() >= 1);

    // Another community's grid is not hers to list.
    let bx01 = app.state.db.grid_codes().await.unwrap()["LJ-BX-01"].0;
    let r = list(&app, Some(&director), json!({ "grid": bx01 })).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let resident = app.login(who::RESIDENT).await;
    assert_eq!(
        list(&app, Some(&resident), json!({})).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        list(&app, None, json!({})).await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn each_read_of_a_number_is_audited() {
    let app = TestApp::new().await;
    let pan = app.login(who::GRID_WORKER).await;
    let page = list(&app, Some(&pan), json!({ "q": "陈桂兰" }))
        .await
        .json();
    let id = page["residents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "陈桂兰")
        .unwrap()["id"]
        .to_string();
    assert_eq!(
        app.state.db.count_audit("resident.contact").await.unwrap(),
        0
    );
    let r = app
        .call("resident/contact", &[("id", &id)], Some(&pan))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json()["phone"], "13903970001");
    assert_eq!(
        app.state.db.count_audit("resident.contact").await.unwrap(),
        1
    );
    // Someone whose grids do not include her learns nothing, and nothing is logged.
    let other = app.login(who::OTHER_GRID_WORKER).await;
    let r = app
        .call("resident/contact", &[("id", &id)], Some(&other))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.state.db.count_audit("resident.contact").await.unwrap(),
        1
    );
    // Admins read the log; nobody else does.
    let admin = app.login(who::ADMIN).await;
    let log = app
        .call_json(
            "resident/audit",
            serde_json::json!({ "q": {} }),
            Some(&admin),
        )
        .await
        .json();
    let log = &log["entries"];
    assert_eq!(log[0]["action"], "resident.contact");
    assert_eq!(log[0]["actor"], "潘月丽");
    assert!(log[0]["subject"].as_str().unwrap().contains("陈桂兰"));
    let director = app.login(who::XHJ_DIRECTOR).await;
    let r = app
        .call_json(
            "resident/audit",
            serde_json::json!({ "q": {} }),
            Some(&director),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_good_file_is_imported_and_a_second_run_updates() {
    let app = TestApp::new().await;
    let admin = app.login(who::ADMIN).await;
    let before = resident_count(&app).await;
    let r = import(&app, &admin, GOOD_CSV.as_bytes().to_vec()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["created"], 3);
    assert_eq!(resident_count(&app).await, before + 3);
    let again = import(&app, &admin, GOOD_CSV.as_bytes().to_vec())
        .await
        .json();
    assert_eq!(
        (again["created"].clone(), again["updated"].clone()),
        (json!(0), json!(3))
    );
    assert_eq!(resident_count(&app).await, before + 3);
    let qian = list(&app, Some(&admin), json!({ "q": "钱玉芝" }))
        .await
        .json();
    assert_eq!(
        qian["residents"][0]["tags"],
        json!(["Disabled", "LowIncome"])
    );
    assert_eq!(qian["residents"][0]["phone_masked"], "138****0002");
}

#[tokio::test]
async fn excel_files_import_too() {
    let app = TestApp::new().await;
    let director = app.login(who::XHJ_DIRECTOR).await;
    // Excel's CSV on Chinese Windows is GB18030.
    let (gbk, _, _) = encoding_rs::GB18030.encode(GOOD_CSV.trim_start_matches('\u{feff}'));
    let r = import(&app, &director, gbk.into_owned()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["created"], 3);

    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let rows = [
        [
            "网格编码",
            "楼栋",
            "房号",
            "姓名",
            "手机号",
            "身份证号",
            "标签",
        ],
        [
            "LJ-XHJ-01",
            "新华街1号院",
            "1单元101",
            "周桂芳",
            "",
            "",
            "独居老人",
        ],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            sheet.write_string(r as u32, c as u16, *v).unwrap();
        }
    }
    // Spreadsheets store phone numbers as numbers.
    sheet.write_number(1, 4, 13812340009.0).unwrap();
    let r = import(&app, &director, book.save_to_buffer().unwrap()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let zhou = list(&app, Some(&director), json!({ "q": "周桂芳" }))
        .await
        .json();
    assert_eq!(zhou["residents"][0]["phone_masked"], "138****0009");
}

#[tokio::test]
async fn a_bad_file_writes_nothing_and_says_which_rows() {
    let app = TestApp::new().await;
    let director = app.login(who::XHJ_DIRECTOR).await;
    let before = resident_count(&app).await;
    let csv = "网格编码,楼栋,房号,姓名,手机号,身份证号,标签
LJ-XHJ-02,新华街20号院1号楼,1单元201,赵德胜,13812340001,,
LJ-XHJ-02,新华街20号院1号楼,1单元202,,12345,110105194912310021,VIP
NOPE-01,新华街20号院1号楼,1单元203,吴芳,13812340004,,
LJ-BX-01,滨河小区1号楼,1单元101,郑强,13812340005,,
";
    let r = import(&app, &director, csv.as_bytes().to_vec()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let errors: Vec<(i64, String, String)> = r.json()["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["row"].as_i64().unwrap(),
                e["column"].as_str().unwrap().to_owned(),
                e["msg"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let want = [
        (3, "姓名", "ErrRequired"),
        (3, "手机号", "ErrPhone"),
        (3, "身份证号", "ErrIdNumber"),
        (3, "标签", "ErrUnknownTag"),
        (4, "网格编码", "ErrUnknownGrid"),
        (5, "网格编码", "ErrGridOutOfScope"),
    ];
    let want: Vec<(i64, String, String)> = want
        .iter()
        .map(|(r, c, m)| (*r, c.to_string(), m.to_string()))
        .collect();
    assert_eq!(errors, want);
    assert_eq!(resident_count(&app).await, before, "nothing half-written");

    let r = import(&app, &director, "姓名,手机号\n王五,13812340001\n".into()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["errors"][0]["msg"], "ErrColumnMissing");
    let r = import(&app, &director, b"%PDF-1.4\xff\xfe\x00\x01binary".to_vec()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["error"]["Invalid"]["field"], "file");
    let r = import(&app, &director, "网格编码,楼栋,房号,姓名,手机号\n".into()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(resident_count(&app).await, before);

    let resident = app.login(who::RESIDENT).await;
    let r = import(&app, &resident, GOOD_CSV.into()).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let pan = app.login(who::GRID_WORKER).await;
    assert_eq!(
        import(&app, &pan, GOOD_CSV.into()).await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn an_account_finds_its_home_grid_by_phone() {
    let app = TestApp::new().await;
    let r = app
        .call(
            "auth/signup",
            &[
                ("name", "赵德胜"),
                ("phone", "13812340001"),
                ("password", "tongxin-new-1"),
            ],
            None,
        )
        .await;
    let cookie = common::session_cookie(&r.headers).unwrap();
    let me = app.call("auth/me", &[], Some(&cookie)).await.json();
    assert_eq!(me["home"], Value::Null);
    let admin = app.login(who::ADMIN).await;
    import(&app, &admin, GOOD_CSV.as_bytes().to_vec()).await;
    // The registry now has someone with this number, but a number typed at sign-up
    // proves nothing: no home grid until her grid's worker confirms it is hers.
    let me = app.call("auth/me", &[], Some(&cookie)).await.json();
    assert_eq!(me["home"], Value::Null);
    let xhj02 = app.state.db.grid_codes().await.unwrap()["LJ-XHJ-02"].0;
    let pan = app.login(who::GRID_WORKER).await;
    let list = app
        .call_json(
            "resident/list",
            json!({ "filter": { "grid": xhj02, "q": "赵德胜" } }),
            Some(&pan),
        )
        .await
        .json();
    let id = list["residents"][0]["id"].to_string();
    let r = app
        .call(
            "resident/confirm_account",
            &[("id", &id), ("how", "InPerson")],
            Some(&pan),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let me = app.call("auth/me", &[], Some(&cookie)).await.json();
    assert_eq!(me["home"], json!(xhj02));
}
