//! The feedback box (投诉建议).
use crate::domain::AppError;
use crate::domain::feedback::FeedbackView;
pub use crate::domain::feedback::NewFeedback;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::api::ctx::{actor, ports, respond};

/// Signed in: send the street a complaint or a suggestion; answers its id.
#[server(endpoint = "feedback/send")]
pub async fn send_feedback(f: NewFeedback) -> Result<i64, AppError> {
    let actor = actor().await?;
    respond(ports()?.feedback.send(&actor, f).await)
}

/// One's own messages with their answers; admins: everyone's, unanswered first.
#[server(endpoint = "feedback/list")]
pub async fn list_feedback() -> Result<Vec<FeedbackView>, AppError> {
    let actor = actor().await?;
    respond(ports()?.feedback.list(&actor).await)
}

/// Admins: answer a message (once); its sender is told.
#[server(endpoint = "feedback/answer")]
pub async fn answer_feedback(id: i64, text: String) -> Result<(), AppError> {
    let actor = actor().await?;
    respond(ports()?.feedback.answer(&actor, id, text).await)
}
