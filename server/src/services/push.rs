//! Web Push: the server's VAPID key pair (made once, kept in `settings`), browsers'
//! subscriptions, and sending: each message encrypted for its browser (RFC 8291),
//! signed (VAPID, RFC 8292) and posted to the browser's push service. Subscriptions
//! the push service calls gone (404/410) are removed.
use super::{internal, signed_in};
use crate::db::push::SubscriptionRow;
use crate::db::{Db, now_ms};
use app::api::ports::PushPort;
use app::domain::AppError;
use app::domain::authz::{Action, require};
use app::domain::grid::GridId;
use app::domain::push::{PushKeys, PushMessage, check_keys, is_public_ip};
use app::domain::user::{Actor, UserId};
use app::i18n::Msg;
use base64ct::{Base64UrlUnpadded, Encoding};
use futures_util::StreamExt;
use std::sync::Arc;
use std::time::Duration;
use web_push_native::jwt_simple::algorithms::{ECDSAP256PublicKeyLike, ES256KeyPair};
use web_push_native::{Auth, WebPushBuilder, p256};

/// Who the push services may write to about our messages.
const CONTACT: &str = "mailto:tongxin@laojie.luohe.example";
/// How many pushes are in flight at once.
const PARALLEL: usize = 32;
/// How long a push service keeps an undelivered alert.
const TTL: Duration = Duration::from_secs(6 * 3600);

#[derive(Clone)]
pub struct PushService {
    db: Db,
    key: Arc<ES256KeyPair>,
    public: Vec<u8>,
    client: reqwest::Client,
    allow_local: bool,
}

/// What one round of sending did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Sent {
    pub delivered: usize,
    pub gone: usize,
    pub failed: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum PushSetupError {
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    #[error("the stored VAPID key is not a P-256 key")]
    Key,
    #[error("http client: {0}")]
    Client(#[from] reqwest::Error),
}

/// The browser's keys, decoded; `None` when they are not a P-256 point and a
/// 16-byte secret.
fn browser_keys(k: &PushKeys) -> Option<(p256::PublicKey, Auth)> {
    let public = Base64UrlUnpadded::decode_vec(k.p256dh.trim_end_matches('=')).ok()?;
    let auth = Base64UrlUnpadded::decode_vec(k.auth.trim_end_matches('=')).ok()?;
    if auth.len() != 16 {
        return None;
    }
    Some((
        p256::PublicKey::from_sec1_bytes(&public).ok()?,
        Auth::clone_from_slice(&auth),
    ))
}

enum Audience {
    Everyone,
    Grids(Vec<GridId>),
    Users(Vec<UserId>),
}

impl PushService {
    /// Loads the VAPID key pair, making and storing one on first start.
    pub async fn start(db: &Db, allow_local: bool) -> Result<PushService, PushSetupError> {
        let fresh = Base64UrlUnpadded::encode_string(&ES256KeyPair::generate().to_bytes());
        let stored = db.setting_or_insert("vapid_private_key", &fresh).await?;
        let raw = Base64UrlUnpadded::decode_vec(&stored).map_err(|_| PushSetupError::Key)?;
        let key = ES256KeyPair::from_bytes(&raw).map_err(|_| PushSetupError::Key)?;
        let public = key.public_key().public_key().to_bytes_uncompressed();
        // rustls needs one process-wide crypto provider; ring is the one we build.
        let _ = rustls::crypto::ring::default_provider().install_default();
        // Endpoints come from browsers, so from anyone: the client follows no
        // redirect and connects to public addresses only (names are resolved here and
        // filtered; literal addresses are checked with the keys), never to this
        // machine or the private network behind it.
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(15))
            .connect_timeout(Duration::from_secs(5))
            .redirect(reqwest::redirect::Policy::none())
            .dns_resolver(Arc::new(PublicOnly))
            .build()?;
        Ok(PushService {
            db: db.clone(),
            key: Arc::new(key),
            public,
            client,
            allow_local,
        })
    }

    /// Sends to every subscription in the background.
    pub fn to_everyone(&self, m: PushMessage) {
        self.spawn(Audience::Everyone, m);
    }

    /// Sends, in the background, to the subscriptions an alert to `grids` reaches.
    pub fn to_grids(&self, grids: Vec<GridId>, m: PushMessage) {
        self.spawn(Audience::Grids(grids), m);
    }

    /// Sends, in the background, to these people's browsers.
    pub fn to_users(&self, users: Vec<UserId>, m: PushMessage) {
        if !users.is_empty() {
            self.spawn(Audience::Users(users), m);
        }
    }

    fn spawn(&self, to: Audience, m: PushMessage) {
        let me = self.clone();
        tokio::spawn(async move {
            let subs = match &to {
                Audience::Everyone => me.db.subscriptions(None).await,
                Audience::Grids(g) => me.db.subscriptions(Some(g)).await,
                Audience::Users(u) => me.db.user_subscriptions(u).await,
            };
            match subs {
                Ok(subs) => {
                    let sent = me.send(subs, &m).await;
                    tracing::info!(?sent, tag = m.tag, "web push");
                }
                Err(e) => tracing::error!("web push: subscriptions: {e}"),
            }
        });
    }

    /// Encrypts, signs and posts one message to each subscription.
    pub async fn send(&self, subs: Vec<SubscriptionRow>, m: &PushMessage) -> Sent {
        let body = serde_json::to_vec(m).unwrap_or_default();
        let results: Vec<Outcome> = futures_util::stream::iter(subs)
            .map(|s| {
                let body = body.clone();
                async move { self.send_one(s, body).await }
            })
            .buffer_unordered(PARALLEL)
            .collect()
            .await;
        let mut sent = Sent::default();
        for r in results {
            match r {
                Outcome::Delivered => sent.delivered += 1,
                Outcome::Gone => sent.gone += 1,
                Outcome::Failed => sent.failed += 1,
            }
        }
        sent
    }

    async fn send_one(&self, s: SubscriptionRow, body: Vec<u8>) -> Outcome {
        let Some((public, auth)) = browser_keys(&s.keys) else {
            return Outcome::Failed;
        };
        // Checked again: a subscription stored before this rule existed obeys it too.
        if check_keys(&s.keys, self.allow_local).is_err() {
            return Outcome::Failed;
        }
        let Ok(endpoint) = s.keys.endpoint.parse() else {
            return Outcome::Failed;
        };
        let request = WebPushBuilder::new(endpoint, public, auth)
            .with_valid_duration(TTL)
            .with_vapid(&self.key, CONTACT)
            .build(body);
        let request = match request.map(|r| {
            let (mut parts, body) = r.into_parts();
            parts
                .headers
                .insert("urgency", http::HeaderValue::from_static("high"));
            reqwest::Request::try_from(http::Request::from_parts(parts, body))
        }) {
            Ok(Ok(r)) => r,
            Ok(Err(e)) => {
                tracing::warn!("web push: request: {e}");
                return Outcome::Failed;
            }
            Err(e) => {
                tracing::warn!("web push: encrypt: {e}");
                return Outcome::Failed;
            }
        };
        match self.client.execute(request).await {
            Ok(r) if r.status().is_success() => Outcome::Delivered,
            Ok(r) if matches!(r.status().as_u16(), 404 | 410) => {
                if let Err(e) = self.db.drop_subscription(s.id).await {
                    tracing::warn!("web push: drop subscription: {e}");
                }
                Outcome::Gone
            }
            Ok(r) => {
                tracing::warn!("web push: {} answered {}", s.keys.endpoint, r.status());
                Outcome::Failed
            }
            Err(e) => {
                tracing::warn!("web push: {e}");
                Outcome::Failed
            }
        }
    }
}

/// Resolves names with the system resolver and keeps only public addresses; a name
/// that resolves to none fails.
struct PublicOnly;

impl reqwest::dns::Resolve for PublicOnly {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let addrs: Vec<std::net::SocketAddr> = tokio::net::lookup_host((host.as_str(), 0))
                .await?
                .filter(|a| is_public_ip(a.ip()))
                .collect();
            if addrs.is_empty() {
                return Err(format!("{host}: no public address").into());
            }
            Ok(Box::new(addrs.into_iter()) as reqwest::dns::Addrs)
        })
    }
}

enum Outcome {
    Delivered,
    Gone,
    Failed,
}

#[async_trait::async_trait]
impl PushPort for PushService {
    fn public_key(&self) -> Vec<u8> {
        self.public.clone()
    }

    async fn subscribe(&self, actor: &Actor, keys: PushKeys) -> Result<(), AppError> {
        require(actor, Action::SubscribePush)?;
        let user = signed_in(actor)?;
        check_keys(&keys, self.allow_local)?;
        if browser_keys(&keys).is_none() {
            return Err(AppError::invalid("keys", Msg::ErrPushKeys));
        }
        self.db
            .save_subscription(user.id, &keys, now_ms())
            .await
            .map_err(internal)
    }

    async fn unsubscribe(&self, actor: &Actor, endpoint: String) -> Result<(), AppError> {
        require(actor, Action::SubscribePush)?;
        let user = signed_in(actor)?;
        self.db
            .delete_subscription(user.id, endpoint.trim())
            .await
            .map_err(internal)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn browser_keys_must_be_a_point_and_a_sixteen_byte_secret() {
        let good = PushKeys {
            endpoint: "https://push.example/1".into(),
            p256dh: "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4".into(),
            auth: "BTBZMqHH6r4Tts7J_aSIgg".into(),
        };
        assert!(browser_keys(&good).is_some());
        let short = PushKeys {
            auth: "BTBZMqHH6r4".into(),
            ..good.clone()
        };
        assert!(browser_keys(&short).is_none());
        let not_a_point = PushKeys {
            p256dh: "AAAA".into(),
            ..good
        };
        assert!(browser_keys(&not_a_point).is_none());
    }
}
