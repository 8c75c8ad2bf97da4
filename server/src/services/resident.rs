//! Residents registry: scoped, masked lists; audited reads of one resident's
//! numbers; CSV/XLSX import that writes every row or none.
use super::{in_scope, internal, signed_in, staff_grids};
use crate::db::Db;
use app::api::ports::ResidentPort;
use app::domain::AppError;
use app::domain::authz::{Action, require};
use app::domain::resident::{
    AUDIT_FILTER_MAX, AUDIT_PAGE, AccountCheck, AuditPage, AuditQuery, CheckedRow, Contact,
    ImportOutcome, PAGE_MAX, ResidentFilter, ResidentId, ResidentPage, RowError, SEARCH_MAX,
    check_row, map_header, raw_row,
};
use app::domain::user::SessionUser;
use app::i18n::Msg;

pub struct ResidentService {
    pub db: Db,
}

/// Rows one import takes at most.
pub const ROWS_MAX: usize = 50_000;
/// Problems one report lists at most (the count says how many there were).
const ERRORS_SHOWN: usize = 500;

/// Columns read from each row (the imports know fewer than a dozen headings).
const COLUMNS_MAX: usize = 64;

/// The file's rows as text cells: XLSX (by its zip signature) or CSV in UTF-8, or
/// in GB18030 as Excel saves CSV on Chinese Windows; anything else is refused. Reading
/// stops as soon as the file has more than `max_rows` rows (heading included), so a
/// file of millions of rows costs no more than one just over the limit.
pub fn read_table(bytes: &[u8], max_rows: usize) -> Result<Vec<Vec<String>>, AppError> {
    let bad = || AppError::invalid("file", Msg::ErrFileType);
    let too_many = || AppError::invalid("file", Msg::ErrTooManyRows);
    if bytes.starts_with(b"PK\x03\x04") {
        use calamine::{Data, Reader, Xlsx};
        let mut book = Xlsx::new(std::io::Cursor::new(bytes)).map_err(|_| bad())?;
        let name = book.sheet_names().first().cloned().ok_or_else(bad)?;
        let mut cells = book.worksheet_cells_reader(&name).map_err(|_| bad())?;
        // Like a worksheet range, the table starts at the first used row and column.
        let mut first_row = None;
        let mut rows: Vec<Vec<String>> = Vec::new();
        while let Some(cell) = cells.next_cell().map_err(|_| bad())? {
            let (r, c) = cell.get_position();
            let top = *first_row.get_or_insert(r);
            let (r, c) = (r.saturating_sub(top) as usize, c as usize);
            if r >= max_rows {
                return Err(too_many());
            }
            if c >= COLUMNS_MAX {
                continue;
            }
            if rows.len() <= r {
                rows.resize_with(r + 1, Vec::new);
            }
            let row = &mut rows[r];
            if row.len() <= c {
                row.resize(c + 1, String::new());
            }
            row[c] = Data::from(cell.get_value().clone()).to_string();
        }
        let left = rows
            .iter()
            .filter_map(|r| r.iter().position(|v| !v.is_empty()))
            .min()
            .unwrap_or(0);
        for r in &mut rows {
            r.drain(..left.min(r.len()));
        }
        return Ok(rows);
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => std::borrow::Cow::Borrowed(t),
        Err(_) => {
            let (text, _, had_errors) = encoding_rs::GB18030.decode(bytes);
            if had_errors {
                return Err(bad());
            }
            text
        }
    };
    if text.contains('\0') {
        return Err(bad());
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for record in reader.records() {
        if rows.len() >= max_rows {
            return Err(too_many());
        }
        let rec = record.map_err(|_| bad())?;
        rows.push(rec.iter().take(COLUMNS_MAX).map(str::to_owned).collect());
    }
    Ok(rows)
}

impl ResidentService {
    /// The staff member asking and one resident of their scope with her numbers
    /// (404 outside it, as if she did not exist).
    async fn in_scope_contact<'a>(
        &self,
        actor: &'a app::domain::user::Actor,
        id: ResidentId,
    ) -> Result<(&'a SessionUser, crate::db::resident::ContactRow), AppError> {
        require(actor, Action::ViewResidents)?;
        let user = signed_in(actor)?;
        let c = self
            .db
            .resident_contact(id)
            .await
            .map_err(internal)?
            .ok_or(AppError::NotFound)?;
        if !in_scope(&staff_grids(&self.db, user).await?, c.grid) {
            return Err(AppError::NotFound);
        }
        Ok((user, c))
    }

    /// Checks every row against the rules, the grid codes and the importer's scope.
    async fn check_all(
        &self,
        user: &SessionUser,
        table: &[Vec<String>],
    ) -> Result<(Vec<(app::domain::grid::GridId, CheckedRow)>, Vec<RowError>), AppError> {
        let Some((header, body)) = table.split_first() else {
            return Err(AppError::invalid("file", Msg::ErrEmptyFile));
        };
        let at = match map_header(header) {
            Ok(at) => at,
            Err(e) => return Ok((vec![], vec![e])),
        };
        let codes = self.db.grid_codes().await.map_err(internal)?;
        let scope = staff_grids(&self.db, user).await?;
        let mut good = Vec::new();
        let mut errors = Vec::new();
        for (i, cells) in body.iter().enumerate() {
            if cells.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            let row = i + 2;
            match check_row(row, &raw_row(cells, &at)) {
                Ok(c) => match codes.get(&c.grid_code) {
                    None => errors.push(RowError {
                        row,
                        column: "网格编码".into(),
                        msg: Msg::ErrUnknownGrid,
                        value: c.grid_code.clone(),
                    }),
                    Some(g) if !in_scope(&scope, *g) => errors.push(RowError {
                        row,
                        column: "网格编码".into(),
                        msg: Msg::ErrGridOutOfScope,
                        value: c.grid_code.clone(),
                    }),
                    Some(g) => good.push((*g, c)),
                },
                Err(mut e) => errors.append(&mut e),
            }
        }
        Ok((good, errors))
    }
}

#[async_trait::async_trait]
impl ResidentPort for ResidentService {
    async fn list(
        &self,
        actor: &app::domain::user::Actor,
        f: ResidentFilter,
    ) -> Result<ResidentPage, AppError> {
        require(actor, Action::ViewResidents)?;
        let user = signed_in(actor)?;
        if f.q.chars().count() > SEARCH_MAX {
            return Err(AppError::invalid("q", Msg::ErrSearchTooLong));
        }
        let scope = staff_grids(&self.db, user).await?;
        let grids = match (&scope, f.grid) {
            (_, Some(g)) if !in_scope(&scope, g) => return Err(AppError::Forbidden),
            (_, Some(g)) => Some(vec![g]),
            (Some(s), None) => Some(s.clone()),
            (None, None) => None,
        };
        let (residents, total) = self
            .db
            .residents(grids.as_deref(), f.tag, &f.q, PAGE_MAX)
            .await
            .map_err(internal)?;
        Ok(ResidentPage { residents, total })
    }

    async fn contact(
        &self,
        actor: &app::domain::user::Actor,
        id: ResidentId,
    ) -> Result<Contact, AppError> {
        let (user, c) = self.in_scope_contact(actor, id).await?;
        // Written before the numbers leave: no read goes unlogged.
        self.db
            .audit(
                Some(user.id),
                "resident.contact",
                &format!("resident:{} {}", id.0, c.name),
            )
            .await
            .map_err(internal)?;
        Ok(Contact {
            phone: c.phone,
            id_number: c.id_number,
        })
    }

    async fn confirm_account(
        &self,
        actor: &app::domain::user::Actor,
        id: ResidentId,
        how: AccountCheck,
    ) -> Result<(), AppError> {
        let (user, c) = self.in_scope_contact(actor, id).await?;
        match self
            .db
            .verify_account(&c.phone, user.id, how.as_str())
            .await
            .map_err(internal)?
        {
            None => return Err(AppError::Conflict(Msg::ErrNoAccount)),
            Some(false) => return Err(AppError::Conflict(Msg::ErrAlreadyConfirmed)),
            Some(true) => {}
        }
        self.db
            .audit(
                Some(user.id),
                "resident.confirm_account",
                &format!("resident:{} {} ({})", id.0, c.name, how.as_str()),
            )
            .await
            .map_err(internal)
    }

    async fn import(
        &self,
        actor: &app::domain::user::Actor,
        file_name: &str,
        bytes: Vec<u8>,
    ) -> Result<ImportOutcome, AppError> {
        require(actor, Action::ImportResidents)?;
        let user = signed_in(actor)?;
        let table = read_table(&bytes, ROWS_MAX + 1)?;
        let (good, mut errors) = self.check_all(user, &table).await?;
        if !errors.is_empty() {
            errors.truncate(ERRORS_SHOWN);
            return Ok(ImportOutcome {
                created: 0,
                updated: 0,
                errors,
            });
        }
        if good.is_empty() {
            return Err(AppError::invalid("file", Msg::ErrEmptyFile));
        }
        let (created, updated) = self.db.import_residents(&good).await.map_err(internal)?;
        self.db
            .audit(
                Some(user.id),
                "resident.import",
                &format!("{file_name}: {created} new, {updated} updated"),
            )
            .await
            .map_err(internal)?;
        Ok(ImportOutcome {
            created,
            updated,
            errors: vec![],
        })
    }

    async fn audit(
        &self,
        actor: &app::domain::user::Actor,
        q: AuditQuery,
    ) -> Result<AuditPage, AppError> {
        use app::domain::shift::parse_local;
        use app::domain::time::{EARLIEST_MS, LATEST_MS};
        require(actor, Action::ViewAudit)?;
        for (field, v) in [
            ("actor", &q.actor),
            ("subject", &q.subject),
            ("action", &q.action),
        ] {
            if v.chars().count() > AUDIT_FILTER_MAX {
                return Err(AppError::invalid(field, Msg::ErrSearchTooLong));
            }
        }
        let day = |field: &'static str, v: &str, default: i64| -> Result<i64, AppError> {
            if v.trim().is_empty() {
                return Ok(default);
            }
            parse_local(v, "00:00").ok_or_else(|| AppError::invalid(field, Msg::ErrDateRange))
        };
        let from_ms = day("from", &q.from, EARLIEST_MS)?;
        // The last day counts whole.
        let to_ms = match day("to", &q.to, LATEST_MS)? {
            LATEST_MS => LATEST_MS,
            t => t + 24 * 3_600_000,
        };
        let filter = crate::db::resident::AuditFilter {
            actor: q.actor.trim(),
            subject: q.subject.trim(),
            action: q.action.trim(),
            from_ms,
            to_ms,
            before: q.before.filter(|b| *b > 0),
        };
        let (entries, total) = self
            .db
            .audit_entries(&filter, AUDIT_PAGE + 1)
            .await
            .map_err(internal)?;
        let mut entries = entries;
        let next = if entries.len() > AUDIT_PAGE {
            entries.truncate(AUDIT_PAGE);
            entries.last().map(|e| e.id)
        } else {
            None
        };
        Ok(AuditPage {
            entries,
            total,
            next,
        })
    }
}
