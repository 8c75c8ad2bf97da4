//! Typed configuration, read once at start from the environment. The defaults run
//! the SQLite demo on this machine.
use app::domain::geo::{LatLng, MapConfig, TileProvider};
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Clone)]
pub struct Config {
    /// `TONGXIN_ADDR`, default 127.0.0.1:3000.
    pub addr: SocketAddr,
    /// `DATABASE_URL`: `sqlite://data/tongxin.db` (default) or `postgres://…`.
    pub database_url: String,
    /// `TONGXIN_SITE_ROOT`: the built front end (wasm, css, leaflet), default `target/site`.
    pub site_root: PathBuf,
    /// `TONGXIN_TILES`: `osm` (default), `none`, `amap`, `tianditu:KEY`.
    pub tiles: TileProvider,
    /// `TONGXIN_DEMO=1`: load Laojie demo data into an empty database.
    pub demo: bool,
    /// `TONGXIN_SECURE_COOKIES=1` behind HTTPS.
    pub secure_cookies: bool,
    /// `TONGXIN_PHOTOS`: a folder (default `data/photos`) or `s3://bucket/prefix`.
    pub photos: String,
    /// `TONGXIN_PUSH_LOCAL=1`: accept push endpoints on http://127.0.0.1 (tests only;
    /// real push services are https).
    pub push_local: bool,
    /// `TONGXIN_LIVE_MAX` (default 18,000): live event streams one process holds at
    /// most (the machine allows 20,000 open files per process).
    pub live_max: usize,
    /// `TONGXIN_LIVE_PER_ADDR` (default 200): streams one client address may hold
    /// (a whole compound can sit behind one carrier NAT address, so not small).
    pub live_per_addr: usize,
    /// `TONGXIN_VIDEO_URL` (with `TONGXIN_VIDEO_USER`, `TONGXIN_VIDEO_PASSWORD`): the
    /// GB/T 28181 video platform cameras play from; none: the camera panel says so.
    pub video: Option<crate::services::video::VideoConfig>,
    /// `TONGXIN_SMS` (`aliyun` or `tencent`) with its `TONGXIN_SMS_*` settings: the SMS
    /// channel; none: no SMS is sent.
    pub sms: Option<crate::services::sms::SmsConfig>,
    /// `TONGXIN_TEST_CLOCK=1` (end-to-end tests only): `POST /api/test/reminders?at=MS`
    /// runs a reminder round as if the clock read `at`.
    pub test_clock: bool,
}

impl std::fmt::Debug for Config {
    // The database URL can carry a password: never print it.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("addr", &self.addr)
            .field("database", &crate::db::Backend::of_url(&self.database_url))
            .field("site_root", &self.site_root)
            .field("tiles", &self.tiles.template().map(|t| t.1))
            .field("demo", &self.demo)
            .field("secure_cookies", &self.secure_cookies)
            .field("photos", &self.photos)
            .field("push_local", &self.push_local)
            .field("live_max", &self.live_max)
            .field("live_per_addr", &self.live_per_addr)
            .field("video", &self.video)
            .field("sms", &self.sms)
            .field("test_clock", &self.test_clock)
            .finish()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{0} has an invalid value")]
    Invalid(&'static str),
}

/// The SMS channel's settings, when `TONGXIN_SMS` names a provider.
fn sms_from_env() -> Result<Option<crate::services::sms::SmsConfig>, ConfigError> {
    use crate::services::sms::{Provider, SmsConfig};
    let get = |k: &str, d: &str| std::env::var(k).unwrap_or_else(|_| d.to_owned());
    let provider = match std::env::var("TONGXIN_SMS") {
        Ok(p) if !p.is_empty() => Provider::parse(&p).ok_or(ConfigError::Invalid("TONGXIN_SMS"))?,
        _ => return Ok(None),
    };
    let url = get(
        "TONGXIN_SMS_URL",
        match provider {
            Provider::Aliyun => "https://dysmsapi.aliyuncs.com",
            Provider::Tencent => "https://sms.tencentcloudapi.com",
        },
    );
    if !(url.starts_with("https://") || url.starts_with("http://")) {
        return Err(ConfigError::Invalid("TONGXIN_SMS_URL"));
    }
    let key_id = get("TONGXIN_SMS_KEY_ID", "");
    let secret = get("TONGXIN_SMS_KEY_SECRET", "");
    if key_id.is_empty() {
        return Err(ConfigError::Invalid("TONGXIN_SMS_KEY_ID"));
    }
    if secret.is_empty() {
        return Err(ConfigError::Invalid("TONGXIN_SMS_KEY_SECRET"));
    }
    let number = |k: &'static str, d: &str| -> Result<i64, ConfigError> {
        get(k, d)
            .parse::<i64>()
            .ok()
            .filter(|n| (1..=100_000).contains(n))
            .ok_or(ConfigError::Invalid(k))
    };
    Ok(Some(SmsConfig {
        provider,
        url,
        key_id,
        secret,
        sign_name: get("TONGXIN_SMS_SIGN", "老街街道"),
        template: get("TONGXIN_SMS_TEMPLATE", ""),
        app_id: get("TONGXIN_SMS_APP_ID", ""),
        region: get("TONGXIN_SMS_REGION", "ap-guangzhou"),
        rate: u32::try_from(number("TONGXIN_SMS_RATE", "20")?).unwrap_or(20),
        after_min: number("TONGXIN_SMS_AFTER_MIN", "5")?,
        receipt_token: get("TONGXIN_SMS_RECEIPT_TOKEN", ""),
    }))
}

fn flag(name: &str) -> bool {
    std::env::var(name).is_ok_and(|v| matches!(v.as_str(), "1" | "true" | "yes"))
}

impl Config {
    pub fn from_env() -> Result<Config, ConfigError> {
        let get = |k: &str, d: &str| std::env::var(k).unwrap_or_else(|_| d.to_owned());
        Ok(Config {
            addr: get("TONGXIN_ADDR", "127.0.0.1:3000")
                .parse()
                .map_err(|_| ConfigError::Invalid("TONGXIN_ADDR"))?,
            database_url: get("DATABASE_URL", "sqlite://data/tongxin.db"),
            site_root: get("TONGXIN_SITE_ROOT", "target/site").into(),
            tiles: TileProvider::parse(&get("TONGXIN_TILES", "osm"))
                .ok_or(ConfigError::Invalid("TONGXIN_TILES"))?,
            demo: flag("TONGXIN_DEMO"),
            secure_cookies: flag("TONGXIN_SECURE_COOKIES"),
            photos: get("TONGXIN_PHOTOS", "data/photos"),
            push_local: flag("TONGXIN_PUSH_LOCAL"),
            test_clock: flag("TONGXIN_TEST_CLOCK"),
            live_max: get("TONGXIN_LIVE_MAX", "18000")
                .parse()
                .map_err(|_| ConfigError::Invalid("TONGXIN_LIVE_MAX"))?,
            live_per_addr: get("TONGXIN_LIVE_PER_ADDR", "200")
                .parse()
                .map_err(|_| ConfigError::Invalid("TONGXIN_LIVE_PER_ADDR"))?,
            video: match std::env::var("TONGXIN_VIDEO_URL") {
                Ok(url) if url.starts_with("http://") || url.starts_with("https://") => {
                    Some(crate::services::video::VideoConfig {
                        url,
                        user: get("TONGXIN_VIDEO_USER", "admin"),
                        password: get("TONGXIN_VIDEO_PASSWORD", ""),
                    })
                }
                Ok(u) if !u.is_empty() => return Err(ConfigError::Invalid("TONGXIN_VIDEO_URL")),
                _ => None,
            },
            sms: sms_from_env()?,
        })
    }

    /// The origins camera video may come from: the platform's own and those named in
    /// `TONGXIN_VIDEO_MEDIA` (its media servers, when they answer at other addresses).
    pub fn media_origins(&self) -> String {
        let Some(v) = &self.video else {
            return String::new();
        };
        let mut out: Vec<String> = Vec::new();
        let extra = std::env::var("TONGXIN_VIDEO_MEDIA").unwrap_or_default();
        for u in std::iter::once(v.url.as_str()).chain(extra.split_whitespace()) {
            if let Ok(p) = url::Url::parse(u) {
                let o = p.origin().ascii_serialization();
                if o != "null" && !out.contains(&o) {
                    out.push(o);
                }
            }
        }
        out.join(" ")
    }

    pub fn map(&self) -> MapConfig {
        MapConfig {
            tiles: self.tiles.clone(),
            center: LatLng::new(33.582, 114.02),
            zoom: 15,
        }
    }
}
