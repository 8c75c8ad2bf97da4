//! The question bank's files: `GET /api/study/questions/template.xlsx` (a template with
//! one example per kind) and `POST /api/study/questions/import` (multipart, field
//! `file`, CSV or XLSX): 200 with the counts when every row was written, 422 with the
//! row-by-row report (and nothing written) otherwise. Admins only.
use super::grid::error_response;
use super::ticket::read_form;
use crate::state::AppState;
use app::domain::AppError;
use app::domain::authz::{Action, require};
use app::domain::study::QUESTION_COLUMNS;
use app::domain::user::Actor;
use app::i18n::Msg;
use axum::Extension;
use axum::extract::{Multipart, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

/// Largest question-bank file.
pub const IMPORT_LIMIT: usize = 5 * 1024 * 1024;

/// The template's rows: the headings and one example of each kind.
fn template_rows() -> Vec<Vec<String>> {
    let row = |cells: [&str; 10]| cells.iter().map(|c| (*c).to_owned()).collect();
    vec![
        QUESTION_COLUMNS
            .iter()
            .map(|(_, zh)| (*zh).to_owned())
            .collect(),
        row([
            "单选",
            "“三会一课”中的“一课”是指什么？",
            "党课",
            "业务课",
            "网课",
            "公开课",
            "",
            "",
            "A",
            "三会一课：支部党员大会、支部委员会、党小组会，按时上好党课。",
        ]),
        row([
            "多选",
            "“三会”包括哪些会议？",
            "支部党员大会",
            "支部委员会",
            "党小组会",
            "居民代表大会",
            "",
            "",
            "ABC",
            "多选题的答案写出全部正确选项的字母。",
        ]),
        row([
            "判断",
            "预备党员的预备期为一年。",
            "",
            "",
            "",
            "",
            "",
            "",
            "对",
            "判断题的答案写“对”或“错”。",
        ]),
        row([
            "填空",
            "党的组织原则是______集中制。",
            "",
            "",
            "",
            "",
            "",
            "",
            "民主",
            "填空题的答案写要填的文字。",
        ]),
    ]
}

pub async fn template(Extension(actor): Extension<Actor>) -> Response {
    if let Err(e) = require(&actor, Action::ManageStudy) {
        return error_response(&e);
    }
    match super::shift::to_xlsx("题库", &template_rows(), &[]) {
        Ok(body) => (
            [
                (
                    header::CONTENT_TYPE,
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                ),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"question-bank-template.xlsx\"",
                ),
            ],
            body,
        )
            .into_response(),
        Err(e) => error_response(&crate::services::internal(e)),
    }
}

pub async fn import(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    form: Multipart,
) -> Response {
    let result = async {
        // Before reading the file: a refusal costs no upload work.
        require(&actor, Action::ManageStudy)?;
        let (_, mut files) =
            read_form(form, "file", "file", app::domain::ticket::PHOTOS_MAX).await?;
        if files.is_empty() {
            return Err(AppError::invalid("file", Msg::ErrEmptyFile));
        }
        state
            .ports
            .study
            .import_questions(&actor, files.swap_remove(0))
            .await
    }
    .await;
    match result {
        Ok(outcome) if outcome.errors.is_empty() => axum::Json(outcome).into_response(),
        Ok(outcome) => (StatusCode::UNPROCESSABLE_ENTITY, axum::Json(outcome)).into_response(),
        Err(e) => error_response(&e),
    }
}

/// `GET /api/meetings/{id}/qr.svg`: the check-in QR code an admin shows at a meeting;
/// it encodes the check-in link with the meeting's token (admins only get the token).
pub async fn meeting_qr(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    axum::extract::Path(id): axum::extract::Path<i64>,
    headers: axum::http::HeaderMap,
) -> Response {
    if let Err(e) = require(&actor, Action::ManageStudy) {
        return error_response(&e);
    }
    let token = match state.ports.party.meeting(&actor, id).await {
        Ok(d) => d.token,
        Err(e) => return error_response(&e),
    };
    let Some(token) = token else {
        return error_response(&AppError::Forbidden);
    };
    let link = format!(
        "{}/study/meetings/{id}/checkin?t={token}",
        super::shift::origin(&headers, state.config.secure_cookies)
    );
    super::shift::qr_svg(&link)
}
