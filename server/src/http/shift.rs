//! `GET /api/shifts/{id}/qr.svg`: the check-in QR code a coordinator shows at the
//! start of a shift. It encodes the absolute check-in link with the shift's token,
//! so only the shift's coordinators (who get the token) can draw it.
use super::grid::error_response;
use crate::state::AppState;
use app::domain::AppError;
use app::domain::authz::{Action, allowed};
use app::domain::grid::GridId;
use app::domain::shift::{
    RosterLine, Shift, ShiftId, SignupState, WEEK_MS, format_when, parse_local, week_start,
};
use app::domain::time::format_cst;
use app::domain::user::Actor;
use app::i18n::{Lang, Msg};
use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use qrcode::QrCode;
use qrcode::render::svg;

/// `https://host` as the phone that asked sees this site.
pub(crate) fn origin(headers: &HeaderMap, secure: bool) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            h.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
        })
        .unwrap_or("127.0.0.1:3000");
    let forwarded_https = headers
        .get("x-forwarded-proto")
        .and_then(|h| h.to_str().ok())
        == Some("https");
    let scheme = if secure || forwarded_https {
        "https"
    } else {
        "http"
    };
    format!("{scheme}://{host}")
}

pub async fn qr(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    Path(id): Path<i64>,
    headers: HeaderMap,
) -> Response {
    let detail = match state.ports.shift.detail(&actor, ShiftId(id)).await {
        Ok(d) => d,
        Err(e) => return error_response(&e),
    };
    // Managers outside the shift's area get 404, like for any shift they cannot see.
    let Some(token) = detail.checkin_token else {
        return error_response(&if actor.user.is_none() {
            AppError::Unauthorized
        } else if allowed(&actor, Action::ManageShifts) {
            AppError::NotFound
        } else {
            AppError::Forbidden
        });
    };
    let link = format!(
        "{}/shifts/{id}/checkin?t={token}",
        origin(&headers, state.config.secure_cookies)
    );
    qr_svg(&link)
}

/// A QR code of `link` as an SVG answer, never cached.
pub(crate) fn qr_svg(link: &str) -> Response {
    match QrCode::new(link.as_bytes()) {
        Ok(code) => {
            let image = code
                .render::<svg::Color>()
                .min_dimensions(240, 240)
                .quiet_zone(true)
                .build();
            (
                [
                    (header::CONTENT_TYPE, "image/svg+xml"),
                    (header::CACHE_CONTROL, "private, no-store"),
                ],
                image,
            )
                .into_response()
        }
        Err(e) => error_response(&crate::services::internal(e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origin_follows_the_request() {
        let mut h = HeaderMap::new();
        h.insert(header::HOST, "192.168.1.20:3000".parse().unwrap());
        assert_eq!(origin(&h, false), "http://192.168.1.20:3000");
        assert_eq!(origin(&h, true), "https://192.168.1.20:3000");
        h.insert("x-forwarded-proto", "https".parse().unwrap());
        assert_eq!(origin(&h, false), "https://192.168.1.20:3000");
        h.insert(header::HOST, "evil.example/<script>".parse().unwrap());
        assert_eq!(origin(&h, false), "https://127.0.0.1:3000");
    }
}

/// `?from=2026-11-30&grid=7`: the week holding `from` (China time), one grid or all.
#[derive(Debug, serde::Deserialize)]
pub struct RosterQuery {
    from: String,
    grid: Option<i64>,
}

/// The export's rows, a header first: one line per shift.
fn roster_rows(lang: Lang, data: &[(Shift, Vec<RosterLine>)]) -> Vec<Vec<String>> {
    let t = |m: Msg| m.text(lang).to_owned();
    let mut rows = vec![vec![
        t(Msg::RosterColDate),
        t(Msg::RosterColTime),
        t(Msg::Grid),
        t(Msg::ShiftTeam),
        t(Msg::RosterColTitle),
        t(Msg::ShiftPlace),
        t(Msg::RosterColCapacity),
        t(Msg::ShiftSeats),
        t(Msg::ShiftWaiting),
        t(Msg::ShiftMinSeats),
        t(Msg::RosterColStatus),
        t(Msg::RosterColNames),
        t(Msg::RosterColCheckedIn),
    ]];
    for (s, roster) in data {
        let when = format_when(s.starts_at, s.ends_at);
        let status = if s.cancelled {
            Msg::ShiftCalledOff
        } else if s.short() {
            Msg::ShiftGap
        } else if s.taken >= s.capacity {
            Msg::ShiftFull
        } else {
            Msg::RosterOk
        };
        let seated: Vec<&RosterLine> = roster
            .iter()
            .filter(|r| r.state == SignupState::Seated)
            .collect();
        let names: Vec<String> = seated
            .iter()
            .map(|r| format!("{}({})", r.name, r.phone))
            .collect();
        let checked_in = seated.iter().filter(|r| r.checked_in_at.is_some()).count();
        rows.push(vec![
            when.get(..10).unwrap_or_default().to_owned(),
            when.get(11..).unwrap_or_default().to_owned(),
            s.grid_name.clone(),
            s.team.clone().unwrap_or_default(),
            s.title.clone(),
            s.place.clone(),
            s.capacity.to_string(),
            s.taken.to_string(),
            s.waiting.to_string(),
            s.min_seats.to_string(),
            t(status),
            names.join("、"),
            checked_in.to_string(),
        ]);
    }
    rows
}

/// A cell that would start a formula in a spreadsheet gets a leading apostrophe
/// (CSV injection): titles and names are typed by people.
fn defuse(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_owned()
    }
}

fn to_csv(rows: &[Vec<String>]) -> Result<Vec<u8>, AppError> {
    // A byte-order mark so Excel on Chinese Windows reads UTF-8.
    let mut w = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    for r in rows {
        w.write_record(r.iter().map(|c| defuse(c)))
            .map_err(crate::services::internal)?;
    }
    w.into_inner().map_err(crate::services::internal)
}

/// One sheet named `name`, the first row bold and frozen; cells in the `numbers`
/// columns that read as numbers are written as numbers (so they sum in Excel).
pub(crate) fn to_xlsx(
    name: &str,
    rows: &[Vec<String>],
    numbers: &[u16],
) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(name)?;
    let bold = Format::new().set_bold();
    for (r, row) in rows.iter().enumerate() {
        let r = u32::try_from(r).unwrap_or(u32::MAX);
        for (c, cell) in row.iter().enumerate() {
            let c = u16::try_from(c).unwrap_or(u16::MAX);
            match cell.parse::<f64>() {
                Ok(n) if r > 0 && numbers.contains(&c) => sheet.write_number(r, c, n)?,
                _ if r == 0 => sheet.write_string_with_format(r, c, cell, &bold)?,
                _ => sheet.write_string(r, c, cell)?,
            };
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofit();
    book.save_to_buffer()
}

pub async fn roster_export(
    State(state): State<AppState>,
    Extension(actor): Extension<Actor>,
    Path(file): Path<String>,
    Query(q): Query<RosterQuery>,
    headers: HeaderMap,
) -> Response {
    let xlsx = match file.as_str() {
        "roster.csv" => false,
        "roster.xlsx" => true,
        _ => return error_response(&AppError::NotFound),
    };
    let Some(day) = parse_local(&q.from, "00:00") else {
        return error_response(&AppError::invalid("from", Msg::ErrShiftSpan));
    };
    let from = week_start(day);
    let data = match state
        .ports
        .shift
        .roster_export(&actor, from, from + WEEK_MS, q.grid.map(GridId))
        .await
    {
        Ok(d) => d,
        Err(e) => return error_response(&e),
    };
    let lang = headers
        .get(header::COOKIE)
        .and_then(|h| h.to_str().ok())
        .map(Lang::from_cookie_header)
        .unwrap_or_default();
    let rows = roster_rows(lang, &data);
    let monday = format_cst(from);
    let day = monday.get(..10).unwrap_or_default();
    let (body, mime, ext) = if xlsx {
        // Counts (columns 6–9, 12) as numbers.
        match to_xlsx("排班", &rows, &[6, 7, 8, 9, 12]) {
            Ok(b) => (
                b,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "xlsx",
            ),
            Err(e) => return error_response(&crate::services::internal(e)),
        }
    } else {
        match to_csv(&rows) {
            Ok(b) => (b, "text/csv; charset=utf-8", "csv"),
            Err(e) => return error_response(&e),
        }
    };
    (
        [
            (header::CONTENT_TYPE, mime.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"roster-{day}.{ext}\""),
            ),
            (header::CACHE_CONTROL, "private, no-store".to_owned()),
        ],
        body,
    )
        .into_response()
}

/// An iCalendar (RFC 5545) document of one volunteer's shifts.
fn calendar(name: &str, shifts: &[Shift], origin: &str) -> String {
    use icalendar::{Calendar, Component, Event, EventLike, EventStatus};
    let utc = |ms: i64| chrono::DateTime::from_timestamp_millis(ms).unwrap_or_default();
    let mut cal = Calendar::new();
    cal.name(&format!("同心 · {name}的志愿班次"));
    for s in shifts {
        let mut e = Event::new();
        e.uid(&format!("shift-{}@tongxin", s.id.0))
            .summary(&s.title)
            .location(&format!("{} · {}", s.grid_name, s.place))
            .starts(utc(s.starts_at))
            .ends(utc(s.ends_at))
            .url(&format!("{origin}/shifts/{}", s.id.0))
            .status(if s.cancelled {
                EventStatus::Cancelled
            } else {
                EventStatus::Confirmed
            });
        let mut text = String::new();
        if s.mine == Some(SignupState::Waiting) {
            text.push_str("候补中 · ");
        }
        text.push_str(&s.note);
        if !text.is_empty() {
            e.description(text.trim_end_matches(" · "));
        }
        cal.push(e.done());
    }
    cal.done().to_string()
}

/// `GET /calendar/{token}.ics`: a volunteer's private calendar link (no sign-in; the
/// token is the secret, and renewing it on /me/hours retires the old link).
pub async fn calendar_feed(
    State(state): State<AppState>,
    Path(file): Path<String>,
    headers: HeaderMap,
) -> Response {
    let Some(token) = file.strip_suffix(".ics") else {
        return error_response(&AppError::NotFound);
    };
    match state.ports.shift.calendar_feed(token).await {
        Ok(Some((name, shifts))) => (
            [
                (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
                (header::CACHE_CONTROL, "private, max-age=300"),
            ],
            calendar(
                &name,
                &shifts,
                &origin(&headers, state.config.secure_cookies),
            ),
        )
            .into_response(),
        Ok(None) => error_response(&AppError::NotFound),
        Err(e) => error_response(&e),
    }
}
