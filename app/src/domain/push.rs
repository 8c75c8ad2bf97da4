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
/// allows it, for tests) whose host is a name or a public address, without userinfo;
/// the keys must be present and short. (Names are checked again when resolved: the
/// server's push client connects to public addresses only.)
pub fn check_keys(k: &PushKeys, allow_local: bool) -> Result<(), AppError> {
    let e = k.endpoint.trim();
    let bad = || AppError::invalid("endpoint", Msg::ErrPushEndpoint);
    let local = allow_local && e.starts_with("http://127.0.0.1:");
    if !(e.starts_with("https://") || local) || e.len() > ENDPOINT_MAX {
        return Err(bad());
    }
    if !local {
        let rest = &e["https://".len()..];
        let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
        if authority.is_empty()
            || authority.contains(['@', '\\'])
            || authority.chars().any(char::is_whitespace)
        {
            return Err(bad());
        }
        let host = match authority.strip_prefix('[') {
            Some(v6) => v6.split(']').next().unwrap_or_default(),
            None => authority.rsplit_once(':').map_or(authority, |(h, _)| h),
        };
        let host = host.trim_end_matches('.').to_ascii_lowercase();
        let literal = host.parse::<std::net::IpAddr>().ok();
        // No top-level domain starts with a digit: `2130706433`, `127.1` and `0x7f.1`
        // are addresses in disguise (resolvers read them as 127.0.0.1).
        let numeric_v4 = host
            .rsplit('.')
            .next()
            .is_some_and(|l| l.starts_with(|c: char| c.is_ascii_digit()));
        if host.is_empty()
            || host == "localhost"
            || host.ends_with(".localhost")
            || literal.is_some_and(|ip| !is_public_ip(ip))
            || (literal.is_none() && numeric_v4)
        {
            return Err(bad());
        }
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

/// Whether an address is on the public internet: not loopback, private, link-local,
/// shared (CGNAT), documentation, benchmarking, multicast, reserved or unspecified,
/// nor an IPv6 form of one of those (mapped, unique-local, link-local, NAT64).
pub fn is_public_ip(ip: std::net::IpAddr) -> bool {
    use std::net::{IpAddr, Ipv4Addr};
    fn v4(a: Ipv4Addr) -> bool {
        let [o1, o2, o3, _] = a.octets();
        !(a.is_unspecified()
            || a.is_loopback()
            || a.is_private()
            || a.is_link_local()
            || a.is_broadcast()
            || a.is_documentation()
            || a.is_multicast()
            || o1 == 0
            || (o1 == 100 && (64..=127).contains(&o2))
            || (o1 == 192 && o2 == 0 && o3 == 0)
            || (o1 == 198 && (18..=19).contains(&o2))
            || o1 >= 240)
    }
    match ip {
        IpAddr::V4(a) => v4(a),
        IpAddr::V6(a) => {
            if let Some(m) = a.to_ipv4_mapped() {
                return v4(m);
            }
            let s = a.segments();
            let nat64 = s[0] == 0x64 && s[1] == 0xff9b && s[2..6] == [0, 0, 0, 0];
            if nat64 {
                let [h, l] = [s[6], s[7]];
                return v4(Ipv4Addr::new(
                    (h >> 8) as u8,
                    h as u8,
                    (l >> 8) as u8,
                    l as u8,
                ));
            }
            !(a.is_unspecified()
                || a.is_loopback()
                || a.is_multicast()
                || (s[0] & 0xfe00) == 0xfc00
                || (s[0] & 0xffc0) == 0xfe80
                || (s[0] == 0x2001 && s[1] == 0x0db8)
                || s[0..6] == [0, 0, 0, 0, 0, 0])
        }
    }
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
    fn public_addresses_only() {
        for ip in ["8.8.8.8", "1.1.1.1", "2400:3200::1", "64:ff9b::808:808"] {
            assert!(is_public_ip(ip.parse().unwrap()), "{ip}");
        }
        for ip in [
            "127.0.0.1",
            "10.0.0.1",
            "172.16.5.4",
            "192.168.0.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "192.0.0.8",
            "198.18.0.1",
            "224.0.0.1",
            "255.255.255.255",
            "240.0.0.1",
            "::1",
            "::",
            "fe80::1",
            "fc00::1",
            "::ffff:10.0.0.1",
            "64:ff9b::7f00:1",
            "2001:db8::1",
            "::127.0.0.1",
        ] {
            assert!(!is_public_ip(ip.parse().unwrap()), "{ip}");
        }
    }

    #[test]
    fn endpoints_are_https_or_this_machine() {
        assert!(check_keys(&keys("https://fcm.googleapis.com/fcm/send/abc"), false).is_ok());
        assert!(check_keys(&keys("http://127.0.0.1:9/push/1"), true).is_ok());
        assert!(check_keys(&keys("http://127.0.0.1:9/push/1"), false).is_err());
        assert!(check_keys(&keys("http://evil.example/push"), true).is_err());
        assert!(check_keys(&keys("javascript:alert(1)"), true).is_err());
        for inside in [
            "https://127.0.0.1/push",
            "https://10.1.2.3:8443/push",
            "https://192.168.1.1/",
            "https://169.254.169.254/latest/meta-data",
            "https://[::1]/push",
            "https://[fd00::1]/push",
            "https://[::ffff:127.0.0.1]/push",
            "https://localhost/push",
            "https://push.localhost/",
            "https://2130706433/push",
            "https://0x7f.1/push",
            "https://user@fcm.googleapis.com/push",
            "https:///push",
        ] {
            assert!(check_keys(&keys(inside), false).is_err(), "{inside}");
        }
        assert!(check_keys(&keys("https://8.8.8.8/push"), false).is_ok());
        assert!(
            check_keys(
                &keys("https://updates.push.services.mozilla.com:443/wpush/v2/x"),
                false
            )
            .is_ok()
        );
        let mut k = keys("https://push.example/1");
        k.auth = "not base64!".into();
        assert!(check_keys(&k, false).is_err());
        k.auth = String::new();
        assert!(check_keys(&k, false).is_err());
    }
}
