//! The year's assessment as a spreadsheet, for the pay coefficient (an audited read).
use super::grid::error_response;
use super::shift::to_xlsx;
use crate::state::AppState;
use app::domain::AppError;
use app::domain::assessment::year_rows;
use app::domain::user::Actor;
use app::i18n::Msg;
use axum::Extension;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

/// Read as text, so a missing or malformed year is answered in words.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct YearQuery {
    pub year: String,
    /// Admins: one community (0 or absent: the street).
    pub community: String,
}

/// `GET /api/assessment/year.xlsx?year=2026[&community=ID]`: 社区, 姓名, each month,
/// the mean and the year's grade; by community and name, never ranked.
pub async fn year_xlsx(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    Query(q): Query<YearQuery>,
) -> Response {
    let Ok(year) = q.year.trim().parse::<i32>() else {
        return error_response(&AppError::invalid("year", Msg::AsErrYear));
    };
    let community = q.community.trim().parse::<i64>().unwrap_or(0);
    let lines = match state.ports.assessment.year(&actor, year, community).await {
        Ok(l) => l,
        Err(e) => return error_response(&e),
    };
    let rows = year_rows(year, &lines);
    // The twelve months and the mean as numbers, so they sum in Excel.
    let numbers: Vec<u16> = (2..=14).collect();
    match to_xlsx("考核", &rows, &numbers) {
        Ok(body) => (
            [
                (
                    header::CONTENT_TYPE,
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_owned(),
                ),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"assessment-{year}.xlsx\""),
                ),
                (header::CACHE_CONTROL, "private, no-store".to_owned()),
            ],
            body,
        )
            .into_response(),
        Err(e) => error_response(&crate::services::internal(e)),
    }
}
