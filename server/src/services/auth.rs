//! Accounts and sign-in: argon2 hashes, session id cycled at sign-in, throttled
//! guessing (5 failures per number or 30 per address in 15 minutes).
use super::internal;
use crate::db::user::NewUser;
use crate::db::{Db, is_unique_violation, now_ms};
use app::api::ports::AuthPort;
use app::domain::AppError;
use app::domain::user::{
    Actor, Role, SessionUser, UserId, check_password, normalize_name, normalize_phone,
};
use app::i18n::Msg;
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use std::net::IpAddr;
use tower_sessions::Session;

pub const SESSION_USER_KEY: &str = "uid";
pub const WINDOW_MS: i64 = 15 * 60 * 1000;
pub const MAX_FAILS_PER_PHONE: i64 = 5;
pub const MAX_FAILS_PER_IP: i64 = 30;

pub struct AuthService {
    pub db: Db,
}

/// Hashes on a blocking thread: argon2 is deliberately slow.
pub async fn hash_password(password: &str) -> Result<String, AppError> {
    let pw = password.to_owned();
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut rand::rngs::OsRng);
        Argon2::default()
            .hash_password(pw.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(internal)
    })
    .await
    .map_err(internal)?
}

async fn verify_password(password: &str, hash: &str) -> Result<bool, AppError> {
    let (pw, hash) = (password.to_owned(), hash.to_owned());
    tokio::task::spawn_blocking(move || {
        let parsed = PasswordHash::new(&hash).map_err(internal)?;
        Ok(Argon2::default()
            .verify_password(pw.as_bytes(), &parsed)
            .is_ok())
    })
    .await
    .map_err(internal)?
}

/// A valid hash of nothing in particular, verified when the phone is unknown so both
/// cases take the same time.
async fn dummy_hash() -> &'static str {
    static DUMMY: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();
    DUMMY
        .get_or_init(|| async { hash_password("not-a-password").await.unwrap_or_default() })
        .await
}

impl AuthService {
    async fn start_session(&self, session: &Session, id: UserId) -> Result<SessionUser, AppError> {
        session.cycle_id().await.map_err(internal)?;
        session
            .insert(SESSION_USER_KEY, id.0)
            .await
            .map_err(internal)?;
        self.db
            .session_user(id)
            .await
            .map_err(internal)?
            .ok_or(AppError::Internal)
    }
}

#[async_trait::async_trait]
impl AuthPort for AuthService {
    async fn sign_up(
        &self,
        session: &Session,
        name: &str,
        phone: &str,
        password: &str,
    ) -> Result<SessionUser, AppError> {
        let name = normalize_name(name).map_err(|m| AppError::invalid("name", m))?;
        let phone = normalize_phone(phone).map_err(|m| AppError::invalid("phone", m))?;
        check_password(password).map_err(|m| AppError::invalid("password", m))?;
        let hash = hash_password(password).await?;
        let id = self
            .db
            .insert_user(&NewUser {
                name: &name,
                phone: &phone,
                password_hash: &hash,
                role: Role::Resident,
                volunteer: false,
                party_member: false,
                scope: None,
            })
            .await
            .map_err(|e| {
                if is_unique_violation(&e, "uq_users_phone") {
                    AppError::Conflict(Msg::ErrPhoneTaken)
                } else {
                    internal(e)
                }
            })?;
        self.start_session(session, id).await
    }

    async fn log_in(
        &self,
        session: &Session,
        phone: &str,
        password: &str,
        ip: Option<IpAddr>,
    ) -> Result<SessionUser, AppError> {
        let phone = normalize_phone(phone).map_err(|m| AppError::invalid("phone", m))?;
        let ip = ip.map(|i| i.to_string());
        let now = now_ms();
        let (by_phone, by_ip, oldest) = self
            .db
            .login_failures_since(&phone, ip.as_deref(), now - WINDOW_MS)
            .await
            .map_err(internal)?;
        if by_phone >= MAX_FAILS_PER_PHONE || by_ip >= MAX_FAILS_PER_IP {
            let lifts_at = oldest.unwrap_or(now) + WINDOW_MS;
            let minutes = u32::try_from(((lifts_at - now).max(0) + 59_999) / 60_000).unwrap_or(15);
            return Err(AppError::RateLimited {
                minutes: minutes.max(1),
            });
        }
        let creds = self.db.credentials(&phone).await.map_err(internal)?;
        let ok = match &creds {
            Some(c) => verify_password(password, &c.password_hash).await?,
            None => {
                verify_password(password, dummy_hash().await).await?;
                false
            }
        };
        match creds {
            Some(c) if ok => {
                self.db
                    .clear_login_failures(&phone, now - WINDOW_MS)
                    .await
                    .map_err(internal)?;
                self.start_session(session, c.id).await
            }
            _ => {
                self.db
                    .record_login_failure(&phone, ip.as_deref(), now)
                    .await
                    .map_err(internal)?;
                Err(AppError::invalid("password", Msg::ErrBadLogin))
            }
        }
    }

    async fn log_out(&self, actor: &Actor, session: &Session) -> Result<(), AppError> {
        if actor.user.is_none() {
            return Err(AppError::Unauthorized);
        }
        session.flush().await.map_err(internal)
    }
}
