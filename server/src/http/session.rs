//! Sessions in the app's own database (tower-sessions with its sqlx stores), one
//! store type per backend behind one enum.
use crate::db::{Backend, Db};
use async_trait::async_trait;
use tower_sessions::cookie::SameSite;
use tower_sessions::cookie::time::Duration;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, ExpiredDeletion, SessionStore};
use tower_sessions::{Expiry, SessionManagerLayer};
use tower_sessions_sqlx_store::{PostgresStore, SqliteStore};

pub const COOKIE: &str = "tongxin_session";

#[derive(Debug, Clone)]
pub enum Store {
    Sqlite(SqliteStore),
    Postgres(PostgresStore),
}

#[async_trait]
impl SessionStore for Store {
    async fn create(&self, r: &mut Record) -> session_store::Result<()> {
        match self {
            Store::Sqlite(s) => s.create(r).await,
            Store::Postgres(s) => s.create(r).await,
        }
    }
    async fn save(&self, r: &Record) -> session_store::Result<()> {
        match self {
            Store::Sqlite(s) => s.save(r).await,
            Store::Postgres(s) => s.save(r).await,
        }
    }
    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        match self {
            Store::Sqlite(s) => s.load(id).await,
            Store::Postgres(s) => s.load(id).await,
        }
    }
    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        match self {
            Store::Sqlite(s) => s.delete(id).await,
            Store::Postgres(s) => s.delete(id).await,
        }
    }
}

#[async_trait]
impl ExpiredDeletion for Store {
    async fn delete_expired(&self) -> session_store::Result<()> {
        match self {
            Store::Sqlite(s) => s.delete_expired().await,
            Store::Postgres(s) => s.delete_expired().await,
        }
    }
}

/// The session layer: HttpOnly, SameSite=Lax, 30 days after last use.
pub async fn layer(db: &Db, secure: bool) -> Result<SessionManagerLayer<Store>, sqlx::Error> {
    let store = match db.backend {
        Backend::Sqlite => {
            let pool = sqlx::sqlite::SqlitePoolOptions::new()
                .max_connections(4)
                .connect(&db.url)
                .await?;
            let s = SqliteStore::new(pool);
            s.migrate().await?;
            Store::Sqlite(s)
        }
        Backend::Postgres => {
            let pool = sqlx::postgres::PgPoolOptions::new()
                .max_connections(8)
                .connect(&db.url)
                .await?;
            let s = PostgresStore::new(pool);
            s.migrate().await?;
            Store::Postgres(s)
        }
    };
    tokio::spawn(
        store
            .clone()
            .continuously_delete_expired(tokio::time::Duration::from_secs(3600)),
    );
    Ok(SessionManagerLayer::new(store)
        .with_name(COOKIE)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(secure)
        .with_expiry(Expiry::OnInactivity(Duration::days(30))))
}
