//! Web Push subscriptions (the service worker is `/sw.js`).
use crate::domain::AppError;
use crate::domain::push::PushKeys;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[cfg(feature = "ssr")]
use crate::api::ctx::{actor, ports, respond};

/// Anyone: the server's VAPID public key (an uncompressed P-256 point, 65 bytes).
#[server(endpoint = "push/key")]
pub async fn push_key() -> Result<Vec<u8>, AppError> {
    Ok(ports()?.push.public_key())
}

/// Signed-in users.
#[server(endpoint = "push/subscribe", input = Json)]
pub async fn push_subscribe(keys: PushKeys) -> Result<(), AppError> {
    let actor = actor().await?;
    respond(ports()?.push.subscribe(&actor, keys).await)
}

/// Signed-in users.
#[server(endpoint = "push/unsubscribe", input = Json)]
pub async fn push_unsubscribe(endpoint: String) -> Result<(), AppError> {
    let actor = actor().await?;
    respond(ports()?.push.unsubscribe(&actor, endpoint).await)
}
