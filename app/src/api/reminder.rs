//! Reminders: one's inbox of them, and how and when one wants them.
use crate::domain::AppError;
use crate::domain::reminder::{InboxReminder, Prefs, PrefsView};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[cfg(feature = "ssr")]
use crate::api::ctx::{actor, ports, respond};

/// Signed-in users: their reminders, newest first; reading them marks them read.
#[server(endpoint = "reminder/inbox")]
pub async fn reminder_inbox() -> Result<Vec<InboxReminder>, AppError> {
    let actor = actor().await?;
    respond(ports()?.reminder.inbox(&actor).await)
}

/// Anyone: how many reminders are unread (0 signed out), for the home page.
#[server(endpoint = "reminder/unread")]
pub async fn unread_reminders() -> Result<u32, AppError> {
    let actor = actor().await?;
    respond(ports()?.reminder.unread(&actor).await)
}

/// Signed-in users: their channels and quiet hours.
#[server(endpoint = "reminder/prefs")]
pub async fn reminder_prefs() -> Result<PrefsView, AppError> {
    let actor = actor().await?;
    respond(ports()?.reminder.prefs(&actor).await)
}

/// Signed-in users: saves them (planned reminders move with the new quiet hours).
#[server(endpoint = "reminder/save_prefs", input = Json)]
pub async fn save_reminder_prefs(prefs: Prefs) -> Result<(), AppError> {
    let actor = actor().await?;
    respond(ports()?.reminder.save_prefs(&actor, prefs).await)
}
