//! SMS where push can't reach: the two big Chinese cloud SMS services (Alibaba Cloud
//! and Tencent Cloud) behind one client, each request signed as its provider
//! publishes, paced under the account's request rate. Messages live in
//! `sms_messages`, one row per person and purpose (deduplicated by key), so a message
//! is handed over once; a refused request is retried a few times when the provider
//! says "later", and recorded with its code otherwise; delivery receipts the provider
//! pushes back update the rows.
//!
//! Alerts use it: residents of the alert's grids who have not opened it after a set
//! time (default 5 minutes) get it by SMS.
pub mod aliyun;
pub mod tencent;

use super::internal;
use crate::db::sms::{DueSms, Handed};
use crate::db::{Db, now_ms};
use app::api::ports::SmsPort;
use app::domain::AppError;
use app::domain::authz::{Action, require};
use app::domain::sms::{SmsSettings, SmsSettingsView, SmsSource, SmsTestOutcome, check_sms};
use app::domain::user::{Actor, mask_phone, normalize_phone};
use app::i18n::Msg;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Mutex;
use tokio::time::Instant;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Provider {
    Aliyun,
    Tencent,
}

impl Provider {
    pub fn as_str(self) -> &'static str {
        match self {
            Provider::Aliyun => "aliyun",
            Provider::Tencent => "tencent",
        }
    }

    pub fn parse(s: &str) -> Option<Provider> {
        match s {
            "aliyun" => Some(Provider::Aliyun),
            "tencent" => Some(Provider::Tencent),
            _ => None,
        }
    }

    /// Numbers one request may carry.
    pub fn batch(self) -> usize {
        match self {
            Provider::Aliyun => aliyun::BATCH,
            Provider::Tencent => tencent::BATCH,
        }
    }
}

/// `TONGXIN_SMS` (aliyun | tencent) and its settings; see the README.
#[derive(Clone)]
pub struct SmsConfig {
    pub provider: Provider,
    /// The API's address: `https://dysmsapi.aliyuncs.com` or
    /// `https://sms.tencentcloudapi.com` unless `TONGXIN_SMS_URL` says otherwise.
    pub url: String,
    pub key_id: String,
    pub secret: String,
    /// The approved signature (签名) and template of the alert message; the template
    /// takes `title` and `content` (Tencent: in that order).
    pub sign_name: String,
    pub template: String,
    /// Tencent's SmsSdkAppId and region.
    pub app_id: String,
    pub region: String,
    /// Requests per second the account may make (the provider refuses more); sent
    /// 5 % slower than this.
    pub rate: u32,
    /// Minutes after an alert before its unopened residents get it by SMS.
    pub after_min: i64,
    /// The secret path segment the provider's receipt pushes must carry.
    pub receipt_token: String,
}

impl std::fmt::Debug for SmsConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmsConfig")
            .field("provider", &self.provider)
            .field("url", &self.url)
            .field("rate", &self.rate)
            .field("after_min", &self.after_min)
            .finish_non_exhaustive()
    }
}

/// One request's worth: numbers (11 digits) with the same template values.
pub struct Batch<'a> {
    pub phones: &'a [String],
    /// The template's values by name, in the template's order.
    pub params: &'a [(String, String)],
    /// Our reference, echoed by the provider (OutId / SessionContext).
    pub out_id: String,
}

/// What a request did: each number's provider id or refusal code, or the whole
/// request refused (`retry`: the provider says try later).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendResult {
    Sent(Vec<Result<String, String>>),
    Failed { code: String, retry: bool },
}

/// A delivery receipt: the provider's message id and number, and whether it arrived.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    pub provider_id: String,
    pub phone: String,
    pub delivered: bool,
    pub code: String,
}

pub(crate) fn hex_sha256(b: &[u8]) -> String {
    hex::encode(Sha256::digest(b))
}

pub(crate) fn hmac_sha256(key: &[u8], msg: &[u8]) -> Vec<u8> {
    // HMAC takes keys of any length.
    let mut m = <Hmac<Sha256> as Mac>::new_from_slice(key).unwrap_or_else(|_| unreachable!());
    m.update(msg);
    m.finalize().into_bytes().to_vec()
}

/// RFC 3986 percent-encoding: unreserved characters kept, everything else `%XX`.
pub(crate) fn rfc3986(s: &str) -> String {
    const SET: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'_')
        .remove(b'.')
        .remove(b'~');
    percent_encoding::utf8_percent_encode(s, SET).to_string()
}

/// The provider's API, paced.
pub struct SmsClient {
    pub cfg: SmsConfig,
    http: reqwest::Client,
    /// When the next request may go.
    next: Mutex<Instant>,
}

impl SmsClient {
    pub fn new(cfg: SmsConfig) -> Result<SmsClient, reqwest::Error> {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(15))
            .connect_timeout(Duration::from_secs(5))
            .redirect(reqwest::redirect::Policy::none())
            .build()?;
        Ok(SmsClient {
            cfg,
            http,
            next: Mutex::new(Instant::now()),
        })
    }

    /// Waits for the request's turn under the account's rate, with 5 % to spare (a
    /// provider counts requests as they arrive, and arrivals jitter).
    async fn pace(&self) {
        let gap = Duration::from_millis(1050) / self.cfg.rate.max(1);
        let at = {
            let mut next = self.next.lock().await;
            let at = (*next).max(Instant::now());
            *next = at + gap;
            at
        };
        tokio::time::sleep_until(at).await;
    }

    /// Sends one batch; network failures are "try later".
    pub async fn send(&self, batch: &Batch<'_>) -> SendResult {
        self.pace().await;
        let c = &self.cfg;
        let host = url::Url::parse(&c.url)
            .ok()
            .and_then(|u| {
                u.host_str()
                    .map(|h| u.port().map_or(h.to_owned(), |p| format!("{h}:{p}")))
            })
            .unwrap_or_default();
        let request = match c.provider {
            Provider::Aliyun => {
                let query = aliyun::query(batch, &c.sign_name, &c.template);
                let pairs: Vec<(&str, &str)> = query
                    .iter()
                    .map(|(k, v)| (k.as_str(), v.as_str()))
                    .collect();
                let date = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string();
                let nonce = hex::encode(rand::random::<[u8; 16]>());
                let empty = hex_sha256(b"");
                let headers = [
                    ("host", host.as_str()),
                    ("x-acs-action", "SendSms"),
                    ("x-acs-version", aliyun::VERSION),
                    ("x-acs-date", date.as_str()),
                    ("x-acs-signature-nonce", nonce.as_str()),
                    ("x-acs-content-sha256", empty.as_str()),
                ];
                let (_, _, auth) =
                    aliyun::sign("POST", &pairs, &headers, b"", &c.key_id, &c.secret);
                let qs = pairs
                    .iter()
                    .map(|(k, v)| format!("{}={}", rfc3986(k), rfc3986(v)))
                    .collect::<Vec<_>>()
                    .join("&");
                let mut r = self
                    .http
                    .post(format!("{}/?{qs}", c.url.trim_end_matches('/')));
                for (k, v) in &headers[1..] {
                    r = r.header(*k, *v);
                }
                r.header("authorization", auth)
            }
            Provider::Tencent => {
                let body = tencent::body(batch, &c.app_id, &c.sign_name, &c.template);
                let ts = chrono::Utc::now().timestamp();
                let (auth, _) = tencent::sign(&host, body.as_bytes(), ts, &c.key_id, &c.secret);
                self.http
                    .post(format!("{}/", c.url.trim_end_matches('/')))
                    .header("content-type", tencent::CONTENT_TYPE)
                    .header("x-tc-action", "SendSms")
                    .header("x-tc-version", tencent::VERSION)
                    .header("x-tc-region", c.region.as_str())
                    .header("x-tc-timestamp", ts.to_string())
                    .header("authorization", auth)
                    .body(body)
            }
        };
        let (status, body) = match request.send().await {
            Ok(r) => {
                let status = r.status().as_u16();
                (status, r.text().await.unwrap_or_default())
            }
            Err(e) => {
                tracing::warn!("sms provider unreachable: {e}");
                return SendResult::Failed {
                    code: "Unreachable".into(),
                    retry: true,
                };
            }
        };
        match c.provider {
            Provider::Aliyun => aliyun::read(status, &body, batch.phones.len()),
            Provider::Tencent => tencent::read(status, &body, batch.phones),
        }
    }
}

/// A request refused "for now" is tried again this many times in all.
pub const MAX_ATTEMPTS: i64 = 5;

/// The wait before attempt `n + 1` (30 s, 1, 2, 4 minutes).
pub fn backoff_ms(attempts: i64) -> i64 {
    30_000 << attempts.clamp(0, 4)
}

/// What one round of sending did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Round {
    pub handed: usize,
    pub refused: usize,
    pub retrying: usize,
}

/// Keeps at most `n` characters of `s`, marking a cut with "…".
pub fn clip(s: &str, n: usize) -> String {
    let s = s.trim();
    if s.chars().count() <= n {
        s.to_owned()
    } else {
        let mut out: String = s.chars().take(n.saturating_sub(1)).collect();
        out.push('…');
        out
    }
}

/// The channel's client, shared by the services that use it and switched when the
/// admin saves new settings (a round under way finishes with the client it took).
#[derive(Clone, Default)]
pub struct SmsSwitch(Arc<std::sync::RwLock<Option<Arc<SmsClient>>>>);

impl SmsSwitch {
    pub fn new(client: Option<SmsClient>) -> SmsSwitch {
        SmsSwitch(Arc::new(std::sync::RwLock::new(client.map(Arc::new))))
    }

    pub fn client(&self) -> Option<Arc<SmsClient>> {
        self.0.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Whether SMS is on (a provider is set up).
    pub fn on(&self) -> bool {
        self.client().is_some()
    }

    fn set(&self, client: Option<SmsClient>) {
        *self.0.write().unwrap_or_else(|e| e.into_inner()) = client.map(Arc::new);
    }
}

#[derive(Clone)]
pub struct SmsService {
    pub db: Db,
    pub switch: SmsSwitch,
    /// `TONGXIN_SMS_*` from the environment: in force until the admin saves settings.
    pub env: Option<SmsConfig>,
    /// The saved settings this process runs with, as stored (see [`Self::refresh`]).
    seen: Arc<std::sync::Mutex<Option<String>>>,
}

/// The settings name the admin's SMS settings are saved under.
const SETTING: &str = "sms";

/// The admin's settings as saved: the form's values (the secret included) and the
/// receipt address's token.
#[derive(serde::Serialize, serde::Deserialize)]
struct Saved {
    settings: SmsSettings,
    receipt_token: String,
}

impl Saved {
    fn config(&self) -> Option<SmsConfig> {
        let s = &self.settings;
        Some(SmsConfig {
            provider: Provider::parse(&s.provider)?,
            url: s.url.clone(),
            key_id: s.key_id.clone(),
            secret: s.secret.clone(),
            sign_name: s.sign_name.clone(),
            template: s.template.clone(),
            app_id: s.app_id.clone(),
            region: s.region.clone(),
            rate: s.rate,
            after_min: s.after_min,
            receipt_token: self.receipt_token.clone(),
        })
    }
}

/// A configuration as the form shows it (the secret left out).
fn form_of(c: &SmsConfig) -> SmsSettings {
    SmsSettings {
        provider: c.provider.as_str().to_owned(),
        url: c.url.clone(),
        key_id: c.key_id.clone(),
        secret: String::new(),
        sign_name: c.sign_name.clone(),
        template: c.template.clone(),
        app_id: c.app_id.clone(),
        region: c.region.clone(),
        rate: c.rate,
        after_min: c.after_min,
        new_receipt_address: false,
    }
}

/// The saved settings, when there are any; unreadable ones are reported and taken
/// as none (the environment's then stand).
fn read_saved(raw: Option<&str>) -> Option<Saved> {
    match serde_json::from_str(raw?) {
        Ok(saved) => Some(saved),
        Err(e) => {
            tracing::error!("the saved SMS settings are unreadable: {e}");
            None
        }
    }
}

/// The client for a configuration (none: SMS off).
fn client_of(config: Option<SmsConfig>) -> Result<Option<SmsClient>, reqwest::Error> {
    config.map(SmsClient::new).transpose()
}

/// A fresh token for the receipts' secret address.
fn new_token() -> String {
    hex::encode(rand::random::<[u8; 16]>())
}

/// How many due messages one round reads at most.
const ROUND: i64 = 50_000;

impl SmsService {
    /// The channel as configured: the admin's saved settings when there are any,
    /// else the environment's. Unreadable saved settings are reported and the
    /// environment's used.
    pub async fn start(db: &Db, env: Option<SmsConfig>) -> Result<SmsService, String> {
        let raw = db.setting(SETTING).await.map_err(|e| e.to_string())?;
        let config = match read_saved(raw.as_deref()) {
            Some(saved) => saved.config(),
            None => env.clone(),
        };
        let client = client_of(config).map_err(|e| e.to_string())?;
        Ok(SmsService {
            db: db.clone(),
            switch: SmsSwitch::new(client),
            env,
            seen: Arc::new(std::sync::Mutex::new(raw)),
        })
    }

    /// Takes up settings another process saved (a city runs several on one
    /// database): called before each round.
    pub async fn refresh(&self) -> Result<(), sqlx::Error> {
        let raw = self.db.setting(SETTING).await?;
        if raw.is_none() || *self.seen.lock().unwrap_or_else(|e| e.into_inner()) == raw {
            return Ok(());
        }
        if let Some(saved) = read_saved(raw.as_deref()) {
            match client_of(saved.config()) {
                Ok(client) => {
                    self.switch.set(client);
                    tracing::info!("sms settings taken up from the database");
                }
                Err(e) => tracing::error!("sms client: {e}"),
            }
        }
        *self.seen.lock().unwrap_or_else(|e| e.into_inner()) = raw;
        Ok(())
    }

    async fn saved(&self) -> Result<Option<Saved>, AppError> {
        let raw = self.db.setting(SETTING).await.map_err(internal)?;
        Ok(read_saved(raw.as_deref()))
    }

    fn view(&self, saved: Option<&Saved>) -> SmsSettingsView {
        let (settings, secret_set, source, config) = match saved {
            Some(s) => {
                let mut form = s.settings.clone();
                let set = !form.secret.is_empty();
                form.secret.clear();
                let source = if form.provider.is_empty() {
                    SmsSource::None
                } else {
                    SmsSource::Saved
                };
                (form, set, source, s.config())
            }
            None => match &self.env {
                Some(c) => (
                    form_of(c),
                    !c.secret.is_empty(),
                    SmsSource::Env,
                    Some(c.clone()),
                ),
                None => (SmsSettings::default(), false, SmsSource::None, None),
            },
        };
        let receipt_path = config.filter(|c| !c.receipt_token.is_empty()).map(|c| {
            format!(
                "/api/sms/receipts/{}/{}",
                c.provider.as_str(),
                c.receipt_token
            )
        });
        SmsSettingsView {
            settings: SmsSettings {
                rate: if settings.provider.is_empty() {
                    20
                } else {
                    settings.rate
                },
                after_min: if settings.provider.is_empty() {
                    5
                } else {
                    settings.after_min
                },
                ..settings
            },
            secret_set,
            source,
            receipt_path,
        }
    }

    /// Queues the alert fallbacks that fall due by `now`, then hands every due
    /// message to the provider. Without SMS configured, nothing.
    pub async fn tick(&self, now: i64) -> Result<Round, sqlx::Error> {
        let Some(client) = self.switch.client() else {
            return Ok(Round::default());
        };
        let after = client.cfg.after_min * 60_000;
        for (alert, title, body) in self.db.alerts_due_for_sms(now, after).await? {
            let params =
                serde_json::json!([["title", clip(&title, 20)], ["content", clip(&body, 30)]]);
            let n = self
                .db
                .plan_alert_sms(alert, &params.to_string(), now)
                .await?;
            tracing::info!(alert, queued = n, "alert fallback by SMS");
        }
        self.send_due(now).await
    }

    /// Hands the due messages over, in batches of the same text.
    pub async fn send_due(&self, now: i64) -> Result<Round, sqlx::Error> {
        let Some(client) = self.switch.client() else {
            return Ok(Round::default());
        };
        let provider = client.cfg.provider;
        let due = self.db.due_sms(now, ROUND).await?;
        let mut round = Round::default();
        let mut groups: Vec<(String, Vec<DueSms>)> = Vec::new();
        for m in due {
            match groups.iter_mut().find(|(p, _)| *p == m.params) {
                Some((_, list)) => list.push(m),
                None => groups.push((m.params.clone(), vec![m])),
            }
        }
        for (params, list) in groups {
            let params: Vec<(String, String)> = serde_json::from_str(&params).unwrap_or_default();
            for chunk in list.chunks(provider.batch()) {
                let phones: Vec<String> = chunk.iter().map(|m| m.phone.clone()).collect();
                let batch = Batch {
                    phones: &phones,
                    params: &params,
                    out_id: format!("tx{}", chunk[0].id),
                };
                let result = client.send(&batch).await;
                let at = crate::db::now_ms().max(now);
                match result {
                    SendResult::Sent(each) => {
                        let handed: Vec<Handed> = chunk
                            .iter()
                            .zip(each)
                            .map(|(m, r)| Handed {
                                id: m.id,
                                result: r,
                            })
                            .collect();
                        round.handed += handed.iter().filter(|h| h.result.is_ok()).count();
                        round.refused += handed.iter().filter(|h| h.result.is_err()).count();
                        self.db.sms_handed(provider.as_str(), &handed, at).await?;
                    }
                    SendResult::Failed { code, retry } => {
                        let ids: Vec<i64> = chunk.iter().map(|m| m.id).collect();
                        let attempts = chunk.iter().map(|m| m.attempts).max().unwrap_or(0) + 1;
                        if retry && attempts < MAX_ATTEMPTS {
                            round.retrying += ids.len();
                            tracing::warn!(code, attempts, "sms provider says later");
                            self.db
                                .sms_retry(&ids, &code, at + backoff_ms(attempts - 1))
                                .await?;
                        } else {
                            round.refused += ids.len();
                            tracing::error!(code, "sms provider refused the request");
                            self.db
                                .sms_refused(provider.as_str(), &ids, &code, at)
                                .await?;
                        }
                    }
                }
            }
        }
        Ok(round)
    }

    /// A receipt push from `provider` carrying `token`: the reports kept, and the
    /// answer the provider wants. `None`: not ours (wrong provider or token).
    pub async fn receipts(
        &self,
        provider: &str,
        token: &str,
        body: &str,
        now: i64,
    ) -> Result<Option<Result<&'static str, String>>, sqlx::Error> {
        let Some(client) = self.switch.client() else {
            return Ok(None);
        };
        let cfg = &client.cfg;
        if Provider::parse(provider) != Some(cfg.provider)
            || cfg.receipt_token.is_empty()
            || !constant_eq(token.as_bytes(), cfg.receipt_token.as_bytes())
        {
            return Ok(None);
        }
        let (parsed, answer) = match cfg.provider {
            Provider::Aliyun => (aliyun::receipts(body), aliyun::RECEIVED),
            Provider::Tencent => (tencent::receipts(body), tencent::RECEIVED),
        };
        let list = match parsed {
            Ok(l) => l,
            Err(e) => return Ok(Some(Err(e.to_string()))),
        };
        self.db.sms_receipts(provider, &list, now).await?;
        Ok(Some(Ok(answer)))
    }
}

#[async_trait::async_trait]
impl SmsPort for SmsService {
    async fn settings(&self, actor: &Actor) -> Result<SmsSettingsView, AppError> {
        require(actor, Action::ManageSms)?;
        Ok(self.view(self.saved().await?.as_ref()))
    }

    async fn save(&self, actor: &Actor, input: SmsSettings) -> Result<SmsSettingsView, AppError> {
        require(actor, Action::ManageSms)?;
        let before = self.saved().await?;
        // The secret and the receipt token in force: saved ones, else the environment's
        // (kept only while the provider stays the same).
        let (old_secret, old_token) = match (&before, &self.env) {
            (Some(b), _) => (b.settings.secret.clone(), b.receipt_token.clone()),
            (None, Some(e)) if e.provider.as_str() == input.provider.trim() => {
                (e.secret.clone(), e.receipt_token.clone())
            }
            _ => (String::new(), String::new()),
        };
        let mut settings = check_sms(&input, !old_secret.is_empty())?;
        if settings.provider.is_empty() {
            settings.secret.clear();
        } else if settings.secret.is_empty() {
            settings.secret = old_secret;
        }
        settings.new_receipt_address = false;
        let receipt_token = if input.new_receipt_address || old_token.is_empty() {
            new_token()
        } else {
            old_token
        };
        let saved = Saved {
            settings,
            receipt_token,
        };
        let client = client_of(saved.config()).map_err(internal)?;
        let json = serde_json::to_string(&saved).map_err(internal)?;
        self.db
            .set_setting(SETTING, &json)
            .await
            .map_err(internal)?;
        self.switch.set(client);
        *self.seen.lock().unwrap_or_else(|e| e.into_inner()) = Some(json);
        let subject = match saved.settings.provider.as_str() {
            "" => "off".to_owned(),
            p => p.to_owned(),
        };
        self.db
            .audit(actor.user_id(), "sms.settings", &subject)
            .await
            .map_err(internal)?;
        tracing::info!(provider = %subject, "sms settings saved");
        Ok(self.view(Some(&saved)))
    }

    async fn test(&self, actor: &Actor, phone: &str) -> Result<SmsTestOutcome, AppError> {
        require(actor, Action::ManageSms)?;
        let phone = normalize_phone(phone).map_err(|m| AppError::invalid("phone", m))?;
        let Some(client) = self.switch.client() else {
            return Err(AppError::invalid("provider", Msg::SmsTestOff));
        };
        let masked = mask_phone(&phone);
        self.db
            .audit(actor.user_id(), "sms.test", &masked)
            .await
            .map_err(internal)?;
        let params = [
            ("title".to_owned(), "短信测试".to_owned()),
            (
                "content".to_owned(),
                "同心平台短信通道工作正常，无需回复。".to_owned(),
            ),
        ];
        let phones = [phone];
        let batch = Batch {
            phones: &phones,
            params: &params,
            out_id: format!("test{}", now_ms()),
        };
        let result = match client.send(&batch).await {
            SendResult::Sent(mut each) => each.pop().unwrap_or_else(|| Err("Empty".into())),
            SendResult::Failed { code, .. } => Err(code),
        };
        match &result {
            Ok(id) => tracing::info!(to = %masked, id, "sms test handed over"),
            Err(code) => tracing::warn!(to = %masked, code, "sms test refused"),
        }
        Ok(SmsTestOutcome { to: masked, result })
    }
}

fn constant_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_as_rfc_3986() {
        assert_eq!(rfc3986("a b+c*~-_."), "a%20b%2Bc%2A~-_.");
        assert_eq!(rfc3986("老"), "%E8%80%81");
    }

    #[test]
    fn clips_long_text_with_a_mark() {
        assert_eq!(clip(" 暴雪预警 ", 20), "暴雪预警");
        assert_eq!(clip("一二三四五六", 4), "一二三…");
    }

    #[test]
    fn backs_off_doubling() {
        assert_eq!(
            (0..6).map(backoff_ms).collect::<Vec<_>>(),
            vec![30_000, 60_000, 120_000, 240_000, 480_000, 480_000]
        );
    }
}
