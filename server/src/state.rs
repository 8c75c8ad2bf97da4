//! The one state struct handed to Leptos routes and plain routes alike.
use crate::config::Config;
use crate::db::Db;
use crate::services::bus::Bus;
use crate::services::photo::PhotoStore;
use crate::services::ticket::TicketService;
use app::api::ports::Ports;
use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;
use std::sync::Arc;

#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: Db,
    pub ports: Ports,
    pub config: Arc<Config>,
    pub photos: PhotoStore,
    pub tickets: Arc<TicketService>,
    pub bus: Bus,
    /// The SMS channel (without a provider configured, it sends nothing).
    pub sms: crate::services::sms::SmsService,
    /// Reminders: planned and sent every half minute (tests run rounds at chosen times).
    pub reminders: crate::services::reminder::ReminderService,
    /// Live event streams held, per address and in all.
    pub live: Arc<crate::http::events::LiveSlots>,
}
