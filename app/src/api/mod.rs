//! Server functions: thin (authenticate, call one port, map the error). The ports
//! are traits implemented by the `server` crate's services and handed to every
//! request as Leptos context, so this crate never sees SQL.
pub mod alert;
pub mod assessment;
pub mod auth;
pub mod camera;
pub mod command;
pub mod council;
pub mod duty;
pub mod feedback;
pub mod grid;
pub mod lesson;
pub mod missing;
pub mod notice;
pub mod party;
pub mod push;
pub mod reminder;
pub mod resident;
pub mod shift;
pub mod site;
pub mod sms;
pub mod study;
pub mod ticket;
pub mod worklog;

#[cfg(feature = "ssr")]
pub mod ports;

#[cfg(feature = "ssr")]
mod ctx {
    use crate::api::ports::Ports;
    use crate::domain::AppError;
    use crate::domain::user::Actor;
    use leptos::prelude::use_context;

    pub fn ports() -> Result<Ports, AppError> {
        use_context::<Ports>().ok_or(AppError::Internal)
    }

    /// The caller, as resolved from the session by the server's middleware.
    pub async fn actor() -> Result<Actor, AppError> {
        leptos_axum::extract::<axum::Extension<Actor>>()
            .await
            .map(|e| e.0)
            .map_err(|_| AppError::Internal)
    }

    pub async fn session() -> Result<tower_sessions::Session, AppError> {
        leptos_axum::extract::<tower_sessions::Session>()
            .await
            .map_err(|_| AppError::Internal)
    }

    /// A cookie's value from the request's `Cookie` headers.
    pub fn cookie(headers: &http::HeaderMap, name: &str) -> Option<String> {
        headers
            .get_all(http::header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.to_owned())
    }

    /// Sets the HTTP status of a failed call to the error's own.
    pub fn respond<T>(result: Result<T, AppError>) -> Result<T, AppError> {
        if let Err(e) = &result
            && let Some(opts) = use_context::<leptos_axum::ResponseOptions>()
            && let Ok(code) = http::StatusCode::from_u16(e.status())
        {
            opts.set_status(code);
        }
        result
    }
}
