//! The SMS channel's settings (`/admin/sms`): read, save, and a test message.
use crate::domain::AppError;
use crate::domain::sms::{SmsSettings, SmsSettingsView, SmsTestOutcome};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[cfg(feature = "ssr")]
use crate::api::ctx::{actor, ports, respond};

/// Admins: the settings in force, without the secret.
#[server(endpoint = "admin/sms")]
pub async fn load_sms_settings() -> Result<SmsSettingsView, AppError> {
    let actor = actor().await?;
    respond(ports()?.sms.settings(&actor).await)
}

/// Admins: saves them; the channel uses them at once.
#[server(endpoint = "admin/save_sms", input = Json)]
pub async fn save_sms_settings(settings: SmsSettings) -> Result<SmsSettingsView, AppError> {
    let actor = actor().await?;
    respond(ports()?.sms.save(&actor, settings).await)
}

/// Admins: one test message to `phone`, now.
#[server(endpoint = "admin/sms_test")]
pub async fn send_test_sms(phone: String) -> Result<SmsTestOutcome, AppError> {
    let actor = actor().await?;
    respond(ports()?.sms.test(&actor, &phone).await)
}
