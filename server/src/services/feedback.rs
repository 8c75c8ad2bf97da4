//! The feedback box (投诉建议): anyone signed in writes to the street; an admin answers
//! once and the sender is told by push (and sees it on `/feedback`).
use super::{internal, signed_in};
use crate::db::Db;
use crate::services::push::PushService;
use app::api::ports::FeedbackPort;
use app::domain::AppError;
use app::domain::authz::{Action, allowed, require};
use app::domain::feedback::{FeedbackView, NewFeedback, OPEN_MAX, check_answer, check_feedback};
use app::domain::push::PushMessage;
use app::domain::time::now_ms;
use app::domain::user::Actor;
use app::i18n::{Lang, Msg};
use std::sync::Arc;

pub struct FeedbackService {
    pub db: Db,
    pub push: Arc<PushService>,
}

#[async_trait::async_trait]
impl FeedbackPort for FeedbackService {
    async fn send(&self, actor: &Actor, f: NewFeedback) -> Result<i64, AppError> {
        require(actor, Action::SendFeedback)?;
        let user = signed_in(actor)?;
        let (kind, about, body) = check_feedback(&f)?;
        // Enough waiting already: answer those first (keeps one person from flooding).
        if self.db.open_feedback(user.id).await.map_err(internal)? >= OPEN_MAX {
            return Err(AppError::Conflict(Msg::FbErrTooMany));
        }
        self.db
            .insert_feedback(user.id, kind, about, &body, now_ms())
            .await
            .map_err(internal)
    }

    async fn list(&self, actor: &Actor) -> Result<Vec<FeedbackView>, AppError> {
        require(actor, Action::SendFeedback)?;
        let user = signed_in(actor)?;
        let all = allowed(actor, Action::AnswerFeedback);
        self.db
            .feedback((!all).then_some(user.id))
            .await
            .map_err(internal)
    }

    async fn answer(&self, actor: &Actor, id: i64, text: String) -> Result<(), AppError> {
        require(actor, Action::AnswerFeedback)?;
        let user = signed_in(actor)?;
        let text = check_answer(&text)?;
        match self
            .db
            .answer_feedback(id, user.id, &text, now_ms())
            .await
            .map_err(internal)?
        {
            Some(sender) => {
                self.push.to_users(
                    vec![sender],
                    PushMessage {
                        title: Msg::FbAnsweredPush.text(Lang::Zh).to_owned(),
                        body: text.chars().take(80).collect(),
                        url: "/feedback".into(),
                        tag: format!("feedback-{id}"),
                    },
                );
                Ok(())
            }
            None if self.db.feedback_exists(id).await.map_err(internal)? => {
                Err(AppError::Conflict(Msg::FbErrAnswered))
            }
            None => Err(AppError::NotFound),
        }
    }
}
