//! Sign-up, sign-in, sign-out and "who am I".
use crate::domain::AppError;
use crate::domain::user::SessionUser;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::api::ctx::{actor, ports, respond, session};

/// Anyone. Creates a resident account from name, phone and password; signs it in.
#[server(endpoint = "auth/signup")]
pub async fn sign_up(
    name: String,
    phone: String,
    password: String,
) -> Result<SessionUser, AppError> {
    let session = session().await?;
    respond(
        ports()?
            .auth
            .sign_up(&session, &name, &phone, &password)
            .await,
    )
}

/// Anyone. Checks phone and password; at most 5 failures per number per 15 minutes.
#[server(endpoint = "auth/login")]
pub async fn log_in(phone: String, password: String) -> Result<SessionUser, AppError> {
    let session = session().await?;
    let ip = leptos_axum::extract::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .await
        .ok()
        .map(|c| c.0.ip());
    respond(ports()?.auth.log_in(&session, &phone, &password, ip).await)
}

/// Signed-in users. Ends the session.
#[server(endpoint = "auth/logout")]
pub async fn log_out() -> Result<(), AppError> {
    let (actor, session) = (actor().await?, session().await?);
    respond(ports()?.auth.log_out(&actor, &session).await)
}

/// Anyone. The signed-in user, or `None`.
#[server(endpoint = "auth/me")]
pub async fn current_user() -> Result<Option<SessionUser>, AppError> {
    Ok(actor().await?.user)
}
