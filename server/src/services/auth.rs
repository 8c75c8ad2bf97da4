//! Accounts and sign-in: argon2 hashes, session id cycled at sign-in, throttled
//! guessing (5 tries per number or 30 per address in 15 minutes, each slot reserved
//! before the password is checked), known browsers with an allowance of their own,
//! and at most 10 sign-ups per address an hour.
use super::internal;
use crate::db::user::NewUser;
use crate::db::{Db, is_unique_violation, now_ms};
use app::api::ports::AuthPort;
use app::domain::AppError;
use app::domain::authz::{Action, require};
use app::domain::user::{
    Actor, Role, SessionUser, SignedIn, UserId, check_password, normalize_name, normalize_phone,
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
pub const MAX_FAILS_PER_DEVICE: i64 = 5;
pub const SIGNUP_WINDOW_MS: i64 = 60 * 60 * 1000;
pub const MAX_SIGNUPS_PER_IP: i64 = 10;

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

/// A fresh random token for a browser, and the SHA-256 under which it is stored.
fn new_device_token() -> (String, String) {
    use rand::RngCore;
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let token = super::photo::hex(&bytes);
    let hash = token_hash(&token);
    (token, hash)
}

fn token_hash(token: &str) -> String {
    use sha2::{Digest, Sha256};
    super::photo::hex(&Sha256::digest(token.as_bytes()))
}

/// 429 with the minutes until the window that started at `start` ends.
fn limited(start: i64, window: i64, now: i64) -> AppError {
    let lifts_at = start + window;
    let minutes = u32::try_from(((lifts_at - now).max(0) + 59_999) / 60_000).unwrap_or(15);
    AppError::RateLimited {
        minutes: minutes.max(1),
    }
}

impl AuthService {
    /// Reserves one slot in each bucket; refuses when any is past its limit.
    async fn reserve(
        &self,
        buckets: &[(String, i64)],
        window: i64,
        now: i64,
    ) -> Result<(), AppError> {
        let mut refused: Option<i64> = None;
        for (bucket, max) in buckets {
            let (n, start) = self
                .db
                .reserve_attempt(bucket, now, window)
                .await
                .map_err(internal)?;
            if n > *max {
                refused = Some(refused.map_or(start, |s| s.max(start)));
            }
        }
        match refused {
            Some(start) => Err(limited(start, window, now)),
            None => Ok(()),
        }
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
        ip: Option<IpAddr>,
    ) -> Result<SessionUser, AppError> {
        let name = normalize_name(name).map_err(|m| AppError::invalid("name", m))?;
        let phone = normalize_phone(phone).map_err(|m| AppError::invalid("phone", m))?;
        check_password(password).map_err(|m| AppError::invalid("password", m))?;
        if let Some(ip) = ip {
            let bucket = (format!("signup:{ip}"), MAX_SIGNUPS_PER_IP);
            self.reserve(&[bucket], SIGNUP_WINDOW_MS, now_ms()).await?;
        }
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
                phone_verified: false,
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
        device: Option<&str>,
    ) -> Result<SignedIn, AppError> {
        let phone = normalize_phone(phone).map_err(|m| AppError::invalid("phone", m))?;
        let now = now_ms();
        let creds = self.db.credentials(&phone).await.map_err(internal)?;
        // A browser that signed in to this very account before.
        let known = match (device, &creds) {
            (Some(token), Some(c)) if token.len() <= 128 => {
                let hash = token_hash(token);
                let owner = self.db.device_user(&hash).await.map_err(internal)?;
                (owner == Some(c.id)).then_some(hash)
            }
            _ => None,
        };
        let buckets: Vec<(String, i64)> = match &known {
            Some(hash) => vec![(format!("device:{hash}"), MAX_FAILS_PER_DEVICE)],
            None => std::iter::once((format!("phone:{phone}"), MAX_FAILS_PER_PHONE))
                .chain(ip.map(|ip| (format!("ip:{ip}"), MAX_FAILS_PER_IP)))
                .collect(),
        };
        self.reserve(&buckets, WINDOW_MS, now).await?;
        let ok = match &creds {
            Some(c) => verify_password(password, &c.password_hash).await?,
            None => {
                verify_password(password, dummy_hash().await).await?;
                false
            }
        };
        let Some(c) = creds.filter(|_| ok) else {
            return Err(AppError::invalid("password", Msg::ErrBadLogin));
        };
        // The right password: the account's (or this browser's) window is emptied,
        // and the address gets its slot back.
        self.db
            .clear_attempts(&buckets[0].0, now - WINDOW_MS)
            .await
            .map_err(internal)?;
        for (bucket, _) in buckets.iter().skip(1) {
            self.db.release_attempt(bucket).await.map_err(internal)?;
        }
        let device_token = match (known, device) {
            (Some(_), Some(token)) => token.to_owned(),
            _ => {
                let (token, hash) = new_device_token();
                self.db
                    .add_device(&hash, c.id, now)
                    .await
                    .map_err(internal)?;
                token
            }
        };
        let user = self.start_session(session, c.id).await?;
        Ok(SignedIn { user, device_token })
    }

    async fn log_out(&self, actor: &Actor, session: &Session) -> Result<(), AppError> {
        if actor.user.is_none() {
            return Err(AppError::Unauthorized);
        }
        session.flush().await.map_err(internal)
    }

    async fn set_elder(&self, actor: &Actor, on: bool) -> Result<(), AppError> {
        require(actor, Action::OwnAccount)?;
        let user = actor.user.as_ref().ok_or(AppError::Unauthorized)?;
        self.db.set_elder(user.id, on).await.map_err(internal)
    }
}
