//! All SQL. One dialect (`$1` placeholders, BIGINT times and flags) runs on SQLite and
//! PostgreSQL through sqlx's Any driver; only the migrations differ per backend.
pub mod alert;
pub mod assessment;
pub mod audit;
pub mod camera;
pub mod command;
pub mod council;
pub mod duty;
pub mod feedback;
pub mod grid;
pub mod lesson;
pub mod login;
pub mod missing;
pub mod notice;
pub mod open311;
pub mod party;
pub mod push;
pub mod quiz;
pub mod reminder;
pub mod resident;
pub mod shift;
pub mod site;
pub mod sms;
pub mod study;
pub mod ticket;
pub mod user;
pub mod worklog;

use sqlx::AnyPool;
use sqlx::any::AnyPoolOptions;
use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn of_url(url: &str) -> Backend {
        if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Backend::Postgres
        } else {
            Backend::Sqlite
        }
    }
}

#[derive(Clone, Debug)]
pub struct Db {
    pub pool: AnyPool,
    pub backend: Backend,
    pub url: String,
}

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error(transparent)]
    Sqlx(#[from] sqlx::Error),
    #[error(transparent)]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("cannot create the database folder: {0}")]
    Io(#[from] std::io::Error),
}

static SQLITE: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

impl Db {
    /// Connects, switches SQLite to WAL, and applies pending migrations.
    pub async fn connect(url: &str) -> Result<Db, DbError> {
        sqlx::any::install_default_drivers();
        let backend = Backend::of_url(url);
        let url = match backend {
            Backend::Sqlite => sqlite_url(url)?,
            Backend::Postgres => url.to_owned(),
        };
        let pool = AnyPoolOptions::new()
            .max_connections(match backend {
                Backend::Sqlite => 8,
                Backend::Postgres => 16,
            })
            .connect(&url)
            .await?;
        if backend == Backend::Sqlite {
            // WAL lets readers go on during a write; it is stored in the file.
            sqlx::query("PRAGMA journal_mode=WAL")
                .execute(&pool)
                .await?;
        }
        match backend {
            Backend::Sqlite => SQLITE.run(&pool).await?,
            Backend::Postgres => POSTGRES.run(&pool).await?,
        }
        Ok(Db { pool, backend, url })
    }
}

/// `sqlite://data/x.db` → creates `data/` and adds `mode=rwc` so the file is made.
fn sqlite_url(url: &str) -> Result<String, std::io::Error> {
    let path = url
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:")
        .split('?')
        .next()
        .unwrap_or_default();
    if let Some(dir) = Path::new(path).parent()
        && !dir.as_os_str().is_empty()
    {
        std::fs::create_dir_all(dir)?;
    }
    Ok(if url.contains('?') {
        url.to_owned()
    } else {
        format!("{url}?mode=rwc")
    })
}

/// Milliseconds since the Unix epoch.
pub use app::domain::time::now_ms;

/// True when `e` is the violation of the named unique constraint (both backends name
/// it in the message).
/// A non-negative count or size column as `u32` (0 if out of range).
pub(crate) fn u32_col(r: &sqlx::any::AnyRow, c: &str) -> Result<u32, sqlx::Error> {
    use sqlx::Row;
    Ok(u32::try_from(r.try_get::<i64, _>(c)?).unwrap_or(0))
}

pub fn is_unique_violation(e: &sqlx::Error, constraint: &str) -> bool {
    match e {
        sqlx::Error::Database(d) => {
            d.is_unique_violation()
                && (d.constraint() == Some(constraint)
                    || d.message().contains(constraint)
                    || d.message().contains("UNIQUE constraint failed"))
        }
        _ => false,
    }
}

/// A scratch PostgreSQL database for a benchmark, `name`, recreated next to the one the
/// `base` URL names (whose user may create databases); answers its URL.
pub async fn scratch_postgres(base: &str, name: &str) -> Result<String, sqlx::Error> {
    use sqlx::Connection;
    let mut admin = sqlx::PgConnection::connect(base).await?;
    sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .execute(&mut admin)
        .await?;
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut admin)
        .await?;
    let prefix = base.rsplit_once('/').map_or(base, |(p, _)| p);
    Ok(format!("{prefix}/{name}"))
}

/// Drops a [`scratch_postgres`] database, forcing off connections a pool still holds.
pub async fn drop_scratch(base: &str, name: &str) -> Result<(), sqlx::Error> {
    use sqlx::Connection;
    let mut admin = sqlx::PgConnection::connect(base).await?;
    sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .execute(&mut admin)
        .await?;
    Ok(())
}
