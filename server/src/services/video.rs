//! The street's GB/T 28181 video platform, through the HTTP API of the widely used
//! open-source one (wvp-GB28181-pro): sign in with the MD5 of the password, keep the
//! `access-token` it returns (signing in again when it lapses or a call answers 401),
//! and ask `GET /api/play/start/{deviceId}/{channelId}` for a stream. Its answers are
//! `{code, msg, data}`: 0 is success, anything else the platform's refusal.
use app::domain::camera::PlayAddress;
use md5::{Digest, Md5};
use std::time::{Duration, Instant};
use tokio::sync::Mutex;

/// `TONGXIN_VIDEO_URL`, `TONGXIN_VIDEO_USER`, `TONGXIN_VIDEO_PASSWORD`.
#[derive(Clone)]
pub struct VideoConfig {
    pub url: String,
    pub user: String,
    pub password: String,
}

impl std::fmt::Debug for VideoConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VideoConfig")
            .field("url", &self.url)
            .finish_non_exhaustive()
    }
}

/// Why no stream: the platform could not be reached, refused the sign-in, or answered
/// the play request with its own code and words.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VideoError {
    #[error("unreachable: {0}")]
    Unreachable(String),
    #[error("login refused: {0}")]
    Login(String),
    #[error("platform code {code}: {msg}")]
    Refused { code: i64, msg: String },
    #[error("unreadable answer: {0}")]
    Garbled(String),
}

/// Tokens last 30 minutes on the platform; renew a little before.
const TOKEN_FOR: Duration = Duration::from_secs(25 * 60);

pub struct VideoPlatform {
    base: String,
    user: String,
    password_md5: String,
    client: reqwest::Client,
    token: Mutex<Option<(String, Instant)>>,
}

impl VideoPlatform {
    pub fn new(c: &VideoConfig) -> Result<VideoPlatform, reqwest::Error> {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let client = reqwest::Client::builder()
            // Its own timeout for a device that never answers is 10 s.
            .timeout(Duration::from_secs(15))
            .connect_timeout(Duration::from_secs(5))
            .redirect(reqwest::redirect::Policy::none())
            .build()?;
        Ok(VideoPlatform {
            base: c.url.trim_end_matches('/').to_owned(),
            user: c.user.clone(),
            password_md5: hex(&Md5::digest(c.password.as_bytes())),
            client,
            token: Mutex::new(None),
        })
    }

    /// The platform's address, shown as its name.
    pub fn name(&self) -> &str {
        &self.base
    }

    /// The platform's `{code, msg, data}`, or why there is none. A 401 is
    /// `Refused { code: 401 }` whatever its body.
    async fn get(&self, path: &str, token: Option<&str>) -> Result<serde_json::Value, VideoError> {
        let mut req = self.client.get(format!("{}{path}", self.base));
        if let Some(t) = token {
            req = req.header("access-token", t);
        }
        let res = req
            .send()
            .await
            .map_err(|e| VideoError::Unreachable(e.to_string()))?;
        let status = res.status();
        let body = res
            .text()
            .await
            .map_err(|e| VideoError::Unreachable(e.to_string()))?;
        if status == reqwest::StatusCode::UNAUTHORIZED {
            return Err(VideoError::Refused {
                code: 401,
                msg: "请登录后重新请求".into(),
            });
        }
        let v: serde_json::Value = serde_json::from_str(&body)
            .map_err(|_| VideoError::Garbled(format!("HTTP {status}")))?;
        match v["code"].as_i64() {
            Some(0) => Ok(v["data"].clone()),
            Some(code) => Err(VideoError::Refused {
                code,
                msg: v["msg"].as_str().unwrap_or_default().to_owned(),
            }),
            None => Err(VideoError::Garbled(format!("HTTP {status}, no code"))),
        }
    }

    async fn login(&self) -> Result<String, VideoError> {
        let path = format!(
            "/api/user/login?username={}&password={}",
            url::form_urlencoded::byte_serialize(self.user.as_bytes()).collect::<String>(),
            self.password_md5
        );
        match self.get(&path, None).await {
            Ok(data) => data["accessToken"]
                .as_str()
                .map(str::to_owned)
                .ok_or_else(|| VideoError::Garbled("no accessToken".into())),
            Err(VideoError::Refused { msg, .. }) => Err(VideoError::Login(msg)),
            Err(e) => Err(e),
        }
    }

    /// A valid token: the one held, or a new sign-in.
    async fn token(&self, fresh: bool) -> Result<String, VideoError> {
        let mut held = self.token.lock().await;
        if !fresh && let Some((t, _)) = held.as_ref().filter(|(_, at)| at.elapsed() < TOKEN_FOR) {
            return Ok(t.clone());
        }
        let t = self.login().await?;
        *held = Some((t.clone(), Instant::now()));
        Ok(t)
    }

    /// Starts (or joins) the channel's live stream and answers where to watch it: the
    /// HLS address (its https one when the platform is reached over https) and the
    /// snapshot address when the platform has one for the channel.
    pub async fn play(&self, device: &str, channel: &str) -> Result<PlayAddress, VideoError> {
        let path = format!("/api/play/start/{device}/{channel}");
        let token = self.token(false).await?;
        let data = match self.get(&path, Some(&token)).await {
            // The token lapsed early (the platform restarted): sign in once more.
            Err(VideoError::Refused { code: 401, .. }) => {
                let token = self.token(true).await?;
                self.get(&path, Some(&token)).await?
            }
            other => other?,
        };
        let secure = self.base.starts_with("https:");
        let pick = |k: &str| {
            data[k]
                .as_str()
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
        };
        let hls = if secure {
            pick("https_hls").or_else(|| pick("hls"))
        } else {
            pick("hls")
        }
        .ok_or_else(|| VideoError::Garbled("no hls address".into()))?;
        let snap = format!("{}/api/device/query/snap/{device}/{channel}", self.base);
        let snapshot = match self.client.get(&snap).send().await {
            Ok(r) if r.status() == reqwest::StatusCode::OK => Some(snap),
            _ => None,
        };
        Ok(PlayAddress { hls, snapshot })
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_password_travels_as_lowercase_md5_hex() {
        assert_eq!(
            hex(&Md5::digest(b"admin")),
            "21232f297a57a5a743894a0e4a801fc3"
        );
    }
}
