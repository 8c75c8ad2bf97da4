//! Sign-up, sign-in, sign-out and "who am I".
use crate::domain::AppError;
use crate::domain::user::SessionUser;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::api::ctx::{actor, ports, respond, session};

/// Anyone, at most 10 sign-ups per address an hour. Creates a resident account from
/// name, phone and password; signs it in. The number is not yet proven: staff of the
/// registry person's grid confirm it before the account stands for her.
#[server(endpoint = "auth/signup")]
pub async fn sign_up(
    name: String,
    phone: String,
    password: String,
) -> Result<SessionUser, AppError> {
    let session = session().await?;
    let ip = client_ip().await;
    respond(
        ports()?
            .auth
            .sign_up(&session, &name, &phone, &password, ip)
            .await,
    )
}

/// Anyone. Checks phone and password; at most 5 tries per number and 30 per address per
/// 15 minutes, reserved before each check. A browser that signed in to this account
/// before has its own 5, so a stranger's guesses do not lock the owner out.
#[server(endpoint = "auth/login")]
pub async fn log_in(phone: String, password: String) -> Result<SessionUser, AppError> {
    let session = session().await?;
    let ip = client_ip().await;
    let headers = leptos_axum::extract::<http::HeaderMap>()
        .await
        .map_err(|_| AppError::Internal)?;
    let device = crate::api::ctx::cookie(&headers, DEVICE_COOKIE);
    let signed_in = ports()?
        .auth
        .log_in(&session, &phone, &password, ip, device.as_deref())
        .await;
    let signed_in = respond(signed_in)?;
    if let Some(opts) = use_context::<leptos_axum::ResponseOptions>()
        && let Ok(v) = http::HeaderValue::from_str(&format!(
            "{DEVICE_COOKIE}={}; Path=/api/auth; HttpOnly; SameSite=Strict; Max-Age=31536000",
            signed_in.device_token
        ))
    {
        opts.append_header(http::header::SET_COOKIE, v);
    }
    Ok(signed_in.user)
}

/// The cookie that marks a browser which signed in here before (sent only to the
/// sign-in endpoints).
#[cfg(feature = "ssr")]
pub const DEVICE_COOKIE: &str = "tongxin_device";

#[cfg(feature = "ssr")]
async fn client_ip() -> Option<std::net::IpAddr> {
    leptos_axum::extract::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .await
        .ok()
        .map(|c| c.0.ip())
}

/// Signed-in users. Ends the session.
#[server(endpoint = "auth/logout")]
pub async fn log_out() -> Result<(), AppError> {
    let (actor, session) = (actor().await?, session().await?);
    respond(ports()?.auth.log_out(&actor, &session).await)
}

/// Signed-in users: remembers 长辈版 (elder mode) with the account.
#[server(endpoint = "me/elder")]
pub async fn set_elder(on: bool) -> Result<(), AppError> {
    let actor = actor().await?;
    respond(ports()?.auth.set_elder(&actor, on).await)
}

/// Anyone. The signed-in user, or `None`.
#[server(endpoint = "auth/me")]
pub async fn current_user() -> Result<Option<SessionUser>, AppError> {
    Ok(actor().await?.user)
}
