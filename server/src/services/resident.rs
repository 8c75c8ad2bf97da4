//! Residents registry: scoped, masked lists; audited reads of one resident's
//! numbers; CSV/XLSX import that writes every row or none.
use super::{in_scope, internal, signed_in, staff_grids};
use crate::db::Db;
use app::api::ports::ResidentPort;
use app::domain::AppError;
use app::domain::authz::{Action, require};
use app::domain::resident::{
    AuditEntry, CheckedRow, Contact, ImportOutcome, PAGE_MAX, ResidentFilter, ResidentId,
    ResidentPage, RowError, check_row, map_header, raw_row,
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

/// The file's rows as text cells: XLSX (by its zip signature) or CSV in UTF-8, or
/// in GB18030 as Excel saves CSV on Chinese Windows; anything else is refused.
pub fn read_table(bytes: &[u8]) -> Result<Vec<Vec<String>>, AppError> {
    let bad = || AppError::invalid("file", Msg::ErrFileType);
    if bytes.starts_with(b"PK\x03\x04") {
        use calamine::{Reader, Xlsx};
        let mut book = Xlsx::new(std::io::Cursor::new(bytes)).map_err(|_| bad())?;
        let range = book
            .worksheet_range_at(0)
            .ok_or_else(bad)?
            .map_err(|_| bad())?;
        return Ok(range
            .rows()
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .collect());
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
    reader
        .records()
        .map(|r| {
            r.map(|rec| rec.iter().map(str::to_owned).collect())
                .map_err(|_| bad())
        })
        .collect()
}

impl ResidentService {
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

    async fn import(
        &self,
        actor: &app::domain::user::Actor,
        file_name: &str,
        bytes: Vec<u8>,
    ) -> Result<ImportOutcome, AppError> {
        require(actor, Action::ImportResidents)?;
        let user = signed_in(actor)?;
        let table = read_table(&bytes)?;
        if table.len() > ROWS_MAX + 1 {
            return Err(AppError::invalid("file", Msg::ErrTooManyRows));
        }
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

    async fn audit(&self, actor: &app::domain::user::Actor) -> Result<Vec<AuditEntry>, AppError> {
        require(actor, Action::ViewAudit)?;
        self.db.audit_entries(500).await.map_err(internal)
    }
}
