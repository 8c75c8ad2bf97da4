//! The one error type carried from server to browser. Each variant has its HTTP
//! status; the message shown is chosen in the user's language by the browser, and
//! internals are logged on the server, never sent.
use crate::i18n::{Lang, Msg};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// Not signed in (401).
    #[error("unauthorized")]
    Unauthorized,
    /// Signed in, but this role or scope may not do it (403).
    #[error("forbidden")]
    Forbidden,
    /// No such thing, or not visible to this user (404).
    #[error("not found")]
    NotFound,
    /// The request clashes with what exists, e.g. a phone already registered (409).
    #[error("conflict: {0:?}")]
    Conflict(Msg),
    /// Bad input in one field (422).
    #[error("invalid {field}: {msg:?}")]
    Invalid { field: String, msg: Msg },
    /// The upload is larger than allowed (413).
    #[error("too large")]
    TooLarge,
    /// The request could not be read: broken JSON, a wrong type, an unknown value, a
    /// missing argument (400). The caller's fault, never a server error.
    #[error("bad request")]
    BadRequest,
    /// Too many attempts; try again after this many minutes (429).
    #[error("rate limited for {minutes} min")]
    RateLimited { minutes: u32 },
    /// Anything unexpected; details stay in the server log (500).
    #[error("internal error")]
    Internal,
    /// An outside service (the video platform) answered no or not at all (502).
    #[error("upstream: {0:?}")]
    Upstream(Msg),
    /// An outside service this needs is not set up here (503).
    #[error("unavailable: {0:?}")]
    Unavailable(Msg),
    /// In the browser: the request never reached the server (no connection). Never
    /// sent by the server; a form may keep its input in the phone's outbox.
    #[error("offline")]
    Offline,
}

impl AppError {
    pub fn invalid(field: &str, msg: Msg) -> Self {
        Self::Invalid {
            field: field.to_owned(),
            msg,
        }
    }

    pub fn status(&self) -> u16 {
        match self {
            Self::Unauthorized => 401,
            Self::Forbidden => 403,
            Self::NotFound => 404,
            Self::Conflict(_) => 409,
            Self::Invalid { .. } => 422,
            Self::TooLarge => 413,
            Self::BadRequest => 400,
            Self::RateLimited { .. } => 429,
            Self::Internal => 500,
            Self::Upstream(_) => 502,
            Self::Unavailable(_) | Self::Offline => 503,
        }
    }

    /// The message a person reads, in their language.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            Self::Unauthorized => Msg::ErrUnauthorized.text(lang).to_owned(),
            Self::Forbidden => Msg::ErrForbidden.text(lang).to_owned(),
            Self::NotFound => Msg::ErrNotFound.text(lang).to_owned(),
            Self::TooLarge => Msg::ErrTooLarge.text(lang).to_owned(),
            Self::BadRequest => Msg::ErrBadRequest.text(lang).to_owned(),
            Self::Conflict(m)
            | Self::Invalid { msg: m, .. }
            | Self::Upstream(m)
            | Self::Unavailable(m) => m.text(lang).to_owned(),
            Self::RateLimited { minutes } => Msg::ErrRateLimited
                .text(lang)
                .replace("{n}", &minutes.to_string()),
            Self::Internal => Msg::ErrInternal.text(lang).to_owned(),
            Self::Offline => Msg::UploadFailed.text(lang).to_owned(),
        }
    }
}

impl leptos::server_fn::error::FromServerFnError for AppError {
    type Encoder = leptos::server_fn::codec::JsonEncoding;

    fn from_server_fn_error(e: leptos::server_fn::error::ServerFnErrorErr) -> Self {
        use leptos::server_fn::error::ServerFnErrorErr as E;
        match e {
            // The server could not read the arguments: the caller's fault. A body past
            // the limit shows up here too, as a read that stopped. (On the server a
            // `Deserialization` error is a request body it could not decode; in the
            // browser it is a reply, which stays `Internal`.)
            E::Args(m) | E::MissingArg(m) if m.contains("length limit") => Self::TooLarge,
            E::Args(_) | E::MissingArg(_) => Self::BadRequest,
            #[cfg(feature = "ssr")]
            E::Deserialization(m) if m.contains("length limit") => Self::TooLarge,
            #[cfg(feature = "ssr")]
            E::Deserialization(_) => Self::BadRequest,
            // The request never got out (no connection): said as such, and a form with
            // an outbox keeps its input.
            E::Request(_) => Self::Offline,
            // Decoding failures in the browser: a generic retry message.
            _ => Self::Internal,
        }
    }
}

/// A free-text field: required or not, at most `max` characters once trimmed (what
/// is stored).
pub fn check_text(field: &str, s: &str, max: usize, required: bool) -> Result<(), AppError> {
    let t = s.trim();
    if required && t.is_empty() {
        return Err(AppError::invalid(field, Msg::ErrRequired));
    }
    if t.chars().count() > max {
        return Err(AppError::invalid(field, Msg::ErrTooLong));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses() {
        assert_eq!(AppError::Unauthorized.status(), 401);
        assert_eq!(AppError::Forbidden.status(), 403);
        assert_eq!(AppError::invalid("phone", Msg::ErrPhone).status(), 422);
        assert_eq!(AppError::RateLimited { minutes: 3 }.status(), 429);
    }

    #[test]
    fn rate_limit_message_names_minutes_in_both_languages() {
        let e = AppError::RateLimited { minutes: 15 };
        assert!(e.message(Lang::Zh).contains("15"));
        assert!(e.message(Lang::En).contains("15"));
    }
}
