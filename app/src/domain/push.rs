//! Web Push: a browser's subscription as `PushSubscription.toJSON()` gives it.
use crate::domain::AppError;
use crate::i18n::Msg;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushKeys {
    pub endpoint: String,
    /// The browser's P-256 public key, base64url.
    pub p256dh: String,
    /// The shared authentication secret, base64url.
    pub auth: String,
}

/// Longest endpoint URL accepted (push services use about 200–500 characters).
pub const ENDPOINT_MAX: usize = 2048;

/// An endpoint must be an https URL (plain http to this machine only when the server
/// allows it, for tests); the keys must be present and short.
pub fn check_keys(k: &PushKeys, allow_local: bool) -> Result<(), AppError> {
    let e = k.endpoint.trim();
    let local = allow_local && e.starts_with("http://127.0.0.1:");
    if !(e.starts_with("https://") || local) || e.len() > ENDPOINT_MAX {
        return Err(AppError::invalid("endpoint", Msg::ErrPushEndpoint));
    }
    let b64 = |s: &str| {
        !s.is_empty()
            && s.len() <= 200
            && s.bytes()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'='))
    };
    if !b64(&k.p256dh) || !b64(&k.auth) {
        return Err(AppError::invalid("keys", Msg::ErrPushKeys));
    }
    Ok(())
}

/// What a push message carries; the service worker shows it and opens `url`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushMessage {
    pub title: String,
    pub body: String,
    pub url: String,
    /// Replaces an earlier notification with the same tag.
    pub tag: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(endpoint: &str) -> PushKeys {
        PushKeys {
            endpoint: endpoint.into(),
            p256dh: "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM".into(),
            auth: "tBHItJI5svbpez7KI4CCXg".into(),
        }
    }

    #[test]
    fn endpoints_are_https_or_this_machine() {
        assert!(check_keys(&keys("https://fcm.googleapis.com/fcm/send/abc"), false).is_ok());
        assert!(check_keys(&keys("http://127.0.0.1:9/push/1"), true).is_ok());
        assert!(check_keys(&keys("http://127.0.0.1:9/push/1"), false).is_err());
        assert!(check_keys(&keys("http://evil.example/push"), true).is_err());
        assert!(check_keys(&keys("javascript:alert(1)"), true).is_err());
        let mut k = keys("https://push.example/1");
        k.auth = "not base64!".into();
        assert!(check_keys(&k, false).is_err());
        k.auth = String::new();
        assert!(check_keys(&k, false).is_err());
    }
}
