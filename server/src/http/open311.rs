//! Open311 GeoReport v2 (<http://wiki.open311.org/GeoReport_v2/>) at `/open311/v2/`,
//! so a city's app or hotline system can list and file street problems:
//!
//! - `GET services.json` / `services.xml`: the active street-wide problem categories
//!   (names in Chinese; English with `?locale=en` or an English `Accept-Language`).
//! - `GET services/{code}.json` / `.xml`: a service definition (no attributes).
//! - `GET requests.json`: public (problem) tickets, newest first, at most 1000;
//!   filters `service_request_id` (comma-separated, overrides the others),
//!   `service_code` (comma-separated), `start_date` / `end_date` (ISO 8601; at most
//!   90 days apart, the last 90 days by default) and `status` (`open`, `closed`).
//! - `GET requests/{id}.json`: one public ticket, as a one-element array.
//! - `POST requests.json` (`application/x-www-form-urlencoded` or
//!   `multipart/form-data`): `api_key` (required), `service_code`, `lat`, `long`,
//!   `description`, and a `media` file part. Problem categories need a photo, so a
//!   post needs `media` (multipart); without it the answer is 400. `media_url` is
//!   ignored: remote URLs are never fetched. The ticket is reported as the key's user.
//!
//! Mediation and service tickets are private and never appear; neither do reporters.
//! Errors are `[{"code": <status>, "description": "…"}]` with that HTTP status
//! (invalid input is 400).
use super::ticket::{form_error, read_form};
use crate::db::now_ms;
use crate::db::open311::{Open311Row, RequestQuery};
use crate::services::internal;
use crate::state::AppState;
use app::api::ports::NewTicket;
use app::domain::AppError;
use app::domain::ticket::{Category, TicketKind};
use app::domain::user::Actor;
use app::i18n::{Lang, Msg};
use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, FromRequest, Multipart, Path, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::{Value, json};
use time::format_description::well_known::{Iso8601, Rfc3339};
use time::{Date, OffsetDateTime, PrimitiveDateTime, UtcOffset};

/// The routes, to be merged into the app's router.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/open311/v2/{file}",
            get(list)
                .post(post_request)
                .layer(DefaultBodyLimit::max(UPLOAD_LIMIT)),
        )
        .route("/open311/v2/services/{file}", get(service_definition))
        .route("/open311/v2/requests/{file}", get(one_request))
}

/// One photo as a phone may send it, plus the text fields.
const UPLOAD_LIMIT: usize = 13 * 1024 * 1024;
/// Requests one list answers at most.
const LIST_MAX: i64 = 1000;
/// Ids or codes one query may name.
const NAMES_MAX: usize = 500;
const DAY_MS: i64 = 86_400_000;
/// The longest `start_date`..`end_date` window, and the default one.
const WINDOW_MS: i64 = 90 * DAY_MS;
/// Who answers for a ticket outside every grid.
const STREET: &str = "老街街道";
/// Times are given in China Standard Time.
const CHINA: UtcOffset = match UtcOffset::from_hms(8, 0, 0) {
    Ok(o) => o,
    Err(_) => UtcOffset::UTC,
};

/// An Open311 error: its HTTP status and an English description.
#[derive(Debug)]
struct Fail {
    status: StatusCode,
    description: String,
}

impl Fail {
    fn bad(field: &str, what: &str) -> Fail {
        Fail {
            status: StatusCode::BAD_REQUEST,
            description: format!("{field}: {what}"),
        }
    }

    fn not_found() -> Fail {
        AppError::NotFound.into()
    }
}

impl From<AppError> for Fail {
    fn from(e: AppError) -> Fail {
        let message = e.message(Lang::En);
        match &e {
            AppError::Invalid { field, .. } => Fail::bad(field, &message),
            _ => Fail {
                status: StatusCode::from_u16(e.status())
                    .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
                description: message,
            },
        }
    }
}

impl IntoResponse for Fail {
    fn into_response(self) -> Response {
        let body = json!([{ "code": self.status.as_u16(), "description": self.description }]);
        (self.status, axum::Json(body)).into_response()
    }
}

type Answer = Result<Response, Fail>;

/// Query parameters in order (a malformed query reads as no parameters).
fn query(req_uri: &axum::http::Uri) -> Vec<(String, String)> {
    url::form_urlencoded::parse(req_uri.query().unwrap_or_default().as_bytes())
        .into_owned()
        .collect()
}

fn param<'a>(params: &'a [(String, String)], name: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.trim())
}

/// `?locale=en…`, else an `Accept-Language` starting with `en`; Chinese otherwise.
fn lang(params: &[(String, String)], headers: &HeaderMap) -> Lang {
    let english = |s: &str| s.trim().to_ascii_lowercase().starts_with("en");
    match param(params, "locale").filter(|l| !l.is_empty()) {
        Some(l) => {
            if english(l) {
                Lang::En
            } else {
                Lang::Zh
            }
        }
        None => {
            let accept = headers
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default();
            if english(accept) { Lang::En } else { Lang::Zh }
        }
    }
}

/// Splits a file name into its stem and format (`json` or `xml`).
fn split_format(file: &str) -> Option<(&str, Format)> {
    let (stem, ext) = file.rsplit_once('.')?;
    let format = match ext {
        "json" => Format::Json,
        "xml" => Format::Xml,
        _ => return None,
    };
    (!stem.is_empty()).then_some((stem, format))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Json,
    Xml,
}

/// Escapes text for an XML element or attribute.
fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 cannot carry at all.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

fn xml_response(body: String) -> Response {
    (
        [(header::CONTENT_TYPE, "text/xml; charset=utf-8")],
        format!("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n{body}"),
    )
        .into_response()
}

/// The categories offered as services: active, street-wide problems.
async fn services(state: &AppState) -> Result<Vec<Category>, Fail> {
    Ok(state
        .db
        .categories(false)
        .await
        .map_err(internal)?
        .into_iter()
        .filter(|c| c.active && c.kind == TicketKind::Problem && c.community.is_none())
        .collect())
}

async fn service(state: &AppState, code: &str) -> Result<Option<Category>, Fail> {
    Ok(services(state).await?.into_iter().find(|c| c.code == code))
}

/// `GET /open311/v2/{services,requests}.{json,xml}`.
async fn list(State(state): State<AppState>, Path(file): Path<String>, req: Request) -> Answer {
    let params = query(req.uri());
    let lang = lang(&params, req.headers());
    match split_format(&file) {
        Some(("services", format)) => {
            let list = services(&state).await?;
            Ok(match format {
                Format::Json => {
                    let items: Vec<Value> = list.iter().map(|c| service_json(c, lang)).collect();
                    axum::Json(items).into_response()
                }
                Format::Xml => {
                    let items: String = list.iter().map(|c| service_xml(c, lang)).collect();
                    xml_response(format!("<services>{items}</services>"))
                }
            })
        }
        Some(("requests", Format::Json)) => {
            let base = base_url(req.headers(), req.uri());
            let q = request_query(&params)?;
            let rows = if q.ids.is_empty() && q.to_ms < q.from_ms {
                vec![]
            } else {
                state.db.open311_requests(&q).await.map_err(internal)?
            };
            let items: Vec<Value> = rows.iter().map(|r| request_json(r, lang, &base)).collect();
            Ok(axum::Json(items).into_response())
        }
        _ => Err(Fail::not_found()),
    }
}

fn service_json(c: &Category, lang: Lang) -> Value {
    json!({
        "service_code": c.code,
        "service_name": c.name(lang),
        "description": c.name(lang),
        "metadata": false,
        "type": "realtime",
        "keywords": "",
        "group": c.kind.label().text(lang),
    })
}

fn service_xml(c: &Category, lang: Lang) -> String {
    let name = xml_escape(c.name(lang));
    format!(
        "<service><service_code>{}</service_code><service_name>{name}</service_name>\
         <description>{name}</description><metadata>false</metadata><type>realtime</type>\
         <keywords></keywords><group>{}</group></service>",
        xml_escape(&c.code),
        xml_escape(c.kind.label().text(lang)),
    )
}

/// `GET /open311/v2/services/{code}.{json,xml}`: the definition, without attributes.
async fn service_definition(State(state): State<AppState>, Path(file): Path<String>) -> Answer {
    let (code, format) = split_format(&file).ok_or_else(Fail::not_found)?;
    let c = service(&state, code).await?.ok_or_else(Fail::not_found)?;
    Ok(match format {
        Format::Json => {
            axum::Json(json!({ "service_code": c.code, "attributes": [] })).into_response()
        }
        Format::Xml => xml_response(format!(
            "<service_definition><service_code>{}</service_code><attributes></attributes></service_definition>",
            xml_escape(&c.code)
        )),
    })
}

/// `GET /open311/v2/requests/{id}.json`.
async fn one_request(
    State(state): State<AppState>,
    Path(file): Path<String>,
    req: Request,
) -> Answer {
    let Some((id, Format::Json)) = split_format(&file) else {
        return Err(Fail::not_found());
    };
    let id: i64 = id.parse().map_err(|_| Fail::not_found())?;
    let params = query(req.uri());
    let lang = lang(&params, req.headers());
    let base = base_url(req.headers(), req.uri());
    let q = RequestQuery {
        ids: vec![id],
        limit: 1,
        ..RequestQuery::default()
    };
    let rows = state.db.open311_requests(&q).await.map_err(internal)?;
    let row = rows.first().ok_or_else(Fail::not_found)?;
    Ok(axum::Json(json!([request_json(row, lang, &base)])).into_response())
}

/// Comma-separated values, trimmed, empty ones dropped.
fn names(s: &str) -> Vec<&str> {
    s.split(',')
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .collect()
}

/// Reads the filters of `requests.json`.
fn request_query(params: &[(String, String)]) -> Result<RequestQuery, Fail> {
    let mut q = RequestQuery {
        limit: LIST_MAX,
        ..RequestQuery::default()
    };
    if let Some(ids) = param(params, "service_request_id").filter(|s| !s.is_empty()) {
        let ids = names(ids);
        if ids.len() > NAMES_MAX {
            return Err(Fail::bad("service_request_id", "too many ids"));
        }
        q.ids = ids
            .iter()
            .map(|i| i.parse::<i64>())
            .collect::<Result<_, _>>()
            .map_err(|_| Fail::bad("service_request_id", "not a request id"))?;
        return Ok(q);
    }
    if let Some(codes) = param(params, "service_code") {
        q.codes = names(codes).into_iter().map(str::to_owned).collect();
        if q.codes.len() > NAMES_MAX {
            return Err(Fail::bad("service_code", "too many codes"));
        }
    }
    let date = |name: &str| -> Result<Option<i64>, Fail> {
        match param(params, name).filter(|s| !s.is_empty()) {
            None => Ok(None),
            // An unencoded `+` in a query string arrives as a space.
            Some(s) => parse_datetime(&s.replace(' ', "+"))
                .map(Some)
                .ok_or_else(|| Fail::bad(name, "not an ISO 8601 date and time")),
        }
    };
    let (start, end) = (date("start_date")?, date("end_date")?);
    (q.from_ms, q.to_ms) = match (start, end) {
        (None, None) => (now_ms().saturating_sub(WINDOW_MS), i64::MAX),
        (Some(s), None) => (s, s.saturating_add(WINDOW_MS)),
        (None, Some(e)) => (e.saturating_sub(WINDOW_MS), e),
        (Some(s), Some(e)) => {
            if e.saturating_sub(s) > WINDOW_MS {
                return Err(Fail::bad("end_date", "the range may span at most 90 days"));
            }
            (s, e)
        }
    };
    if let Some(status) = param(params, "status") {
        let (mut open, mut closed) = (false, false);
        for s in names(status) {
            match s {
                "open" => open = true,
                "closed" => closed = true,
                _ => return Err(Fail::bad("status", "must be open or closed")),
            }
        }
        // Both (or neither) means every status.
        if open != closed {
            q.open_only = open;
            q.closed_only = closed;
        }
    }
    Ok(q)
}

/// Milliseconds since the epoch of an ISO 8601 / RFC 3339 date and time; without an
/// offset it is China time, and a bare date is its midnight.
fn parse_datetime(s: &str) -> Option<i64> {
    let dt = OffsetDateTime::parse(s, &Rfc3339)
        .or_else(|_| OffsetDateTime::parse(s, &Iso8601::DEFAULT))
        .ok()
        .or_else(|| {
            PrimitiveDateTime::parse(s, &Iso8601::DEFAULT)
                .ok()
                .map(|d| d.assume_offset(CHINA))
        })
        .or_else(|| {
            Date::parse(s, &Iso8601::DEFAULT)
                .ok()
                .map(|d| d.midnight().assume_offset(CHINA))
        })?;
    i64::try_from(dt.unix_timestamp_nanos() / 1_000_000).ok()
}

/// RFC 3339 in China time, to the second.
fn datetime(ms: i64) -> Option<String> {
    OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000))
        .ok()?
        .to_offset(CHINA)
        .format(&Rfc3339)
        .ok()
}

/// `http://host` from the request, for absolute photo URLs; empty (relative URLs) when
/// the host is missing or looks wrong.
fn base_url(headers: &HeaderMap, uri: &axum::http::Uri) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .or_else(|| uri.authority().map(|a| a.as_str().to_owned()))
        .unwrap_or_default();
    let ok = !host.is_empty()
        && host.len() <= 255
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']'));
    if ok {
        format!("http://{host}")
    } else {
        String::new()
    }
}

/// Open311 knows only open and closed: the notes say the state behind it once a fix
/// is claimed ("待核查（部分解决）：…", "Closed (not ours to fix): …"), else the
/// latest staff note as before.
fn status_notes(r: &Open311Row, lang: Lang) -> Option<String> {
    use app::domain::ticket::TicketStatus as S;
    let claimed = matches!(r.status, S::Checking | S::Resolved | S::Closed);
    let state = match (claimed, r.outcome) {
        (true, Some(o)) => Some(match lang {
            Lang::Zh => format!(
                "{}（{}）",
                r.status.label().text(lang),
                o.label().text(lang)
            ),
            Lang::En => format!("{} ({})", r.status.label().text(lang), o.label().text(lang)),
        }),
        (true, None) => Some(r.status.label().text(lang).to_owned()),
        _ => None,
    };
    match (state, r.note.as_deref()) {
        (Some(s), Some(n)) => Some(match lang {
            Lang::Zh => format!("{s}：{n}"),
            Lang::En => format!("{s}: {n}"),
        }),
        (Some(s), None) => Some(s),
        (None, n) => n.map(str::to_owned),
    }
}

/// A request as Open311 shows it; never the reporter, their phone or the parties.
fn request_json(r: &Open311Row, lang: Lang, base: &str) -> Value {
    json!({
        "service_request_id": r.id.0.to_string(),
        "status": r.status.open311(),
        "status_notes": status_notes(r, lang),
        "service_name": match lang {
            Lang::Zh => &r.name_zh,
            Lang::En => &r.name_en,
        },
        "service_code": r.code,
        "description": r.description,
        "agency_responsible": r.grid_name.as_deref().unwrap_or(STREET),
        "service_notice": null,
        "requested_datetime": datetime(r.created_at),
        "updated_datetime": datetime(r.updated_at),
        "expected_datetime": datetime(r.created_at.saturating_add(r.resolve_min.saturating_mul(60_000))),
        "address": r.grid_name,
        "address_id": null,
        "zipcode": null,
        "lat": r.lat,
        "long": r.lng,
        "media_url": r.photo.as_ref().map(|k| format!("{base}/photos/{k}.jpg")),
    })
}

/// The text fields and `media` files of a POST, multipart or URL-encoded.
async fn read_post(
    state: &AppState,
    req: Request,
) -> Result<(Vec<(String, String)>, Vec<Vec<u8>>), AppError> {
    let multipart = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.to_ascii_lowercase().starts_with("multipart/form-data"));
    if !multipart {
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|e| form_error(e.status()))?;
        return Ok((
            url::form_urlencoded::parse(&bytes).into_owned().collect(),
            vec![],
        ));
    }
    let m = Multipart::from_request(req, state)
        .await
        .map_err(|e| form_error(e.status()))?;
    read_form(m, "media", "media", app::domain::ticket::PHOTOS_MAX).await
}

/// `POST /open311/v2/requests.json`: files a problem as the API key's user.
async fn post_request(
    State(state): State<AppState>,
    Path(file): Path<String>,
    req: Request,
) -> Answer {
    if file != "requests.json" {
        return Err(Fail::not_found());
    }
    let params = query(req.uri());
    let (fields, media) = read_post(&state, req).await?;
    let text = |name: &str| param(&fields, name).unwrap_or_default();
    let key = param(&fields, "api_key")
        .or_else(|| param(&params, "api_key"))
        .unwrap_or_default();
    if key.is_empty() {
        return Err(AppError::Forbidden.into());
    }
    let user = state
        .db
        .api_key_user(key)
        .await
        .map_err(internal)?
        .ok_or(AppError::Forbidden)?;
    let user = state
        .db
        .session_user(user)
        .await
        .map_err(internal)?
        .ok_or(AppError::Forbidden)?;
    let actor = Actor { user: Some(user) };
    let category = service(&state, text("service_code"))
        .await?
        .ok_or_else(|| AppError::invalid("service_code", Msg::ErrCategory))?;
    let t = NewTicket {
        category: Some(category.id),
        description: text("description").to_owned(),
        lat: text("lat").parse().ok(),
        lng: text("long").parse().ok(),
        parties: String::new(),
        // Each post is its own report.
        idempotency_key: format!("open311-{:032x}", rand::random::<u128>()),
        photos: media,
        ..NewTicket::default()
    };
    let created = state.ports.ticket.create(&actor, t).await?;
    let body = json!([{
        "service_request_id": created.id.0.to_string(),
        "service_notice": "",
        "account_id": null,
    }]);
    Ok(axum::Json(body).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_xml() {
        assert_eq!(
            xml_escape("a & <b> \"c\" 'd'\u{1}"),
            "a &amp; &lt;b&gt; &quot;c&quot; &apos;d&apos;"
        );
    }

    #[test]
    fn parses_and_formats_times() {
        let ms = parse_datetime("2024-05-01T10:00:00+08:00");
        assert_eq!(ms, Some(1_714_528_800_000));
        assert_eq!(parse_datetime("2024-05-01T02:00:00Z"), ms);
        assert_eq!(parse_datetime("2024-05-01T10:00:00"), ms);
        assert_eq!(parse_datetime("2024-05-01"), ms.map(|m| m - 10 * 3_600_000));
        assert_eq!(parse_datetime("yesterday"), None);
        assert_eq!(
            datetime(1_714_528_800_123).as_deref(),
            Some("2024-05-01T10:00:00+08:00")
        );
    }

    #[test]
    fn formats() {
        assert_eq!(
            split_format("services.json"),
            Some(("services", Format::Json))
        );
        assert_eq!(split_format("7.xml"), Some(("7", Format::Xml)));
        assert_eq!(split_format("services.csv"), None);
        assert_eq!(split_format(".json"), None);
    }
}
