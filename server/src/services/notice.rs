//! Staff notices: sent to the grid staff and directors of the targeted grids; each
//! recipient's first opening is their receipt, which the sender sees per person.
use super::{internal, resolve_targets, signed_in};
use crate::db::{Db, now_ms};
use app::api::ports::NoticePort;
use app::domain::AppError;
use app::domain::authz::{Action, allowed, require};
use app::domain::notice::{
    Notice, NoticeDetail, NoticeId, NoticeInput, check_notice, sort_receipts,
};
use app::domain::user::{Actor, Role};
use app::i18n::Msg;

pub struct NoticeService {
    pub db: Db,
}

const INBOX_MAX: i64 = 100;

#[async_trait::async_trait]
impl NoticePort for NoticeService {
    async fn send(&self, actor: &Actor, input: NoticeInput) -> Result<NoticeId, AppError> {
        require(actor, Action::SendNotices)?;
        let user = signed_in(actor)?;
        check_notice(&input)?;
        let (grids, area) = resolve_targets(&self.db, user, &input.targets).await?;
        let to = self
            .db
            .notice_audience(&grids, user.id)
            .await
            .map_err(internal)?;
        if to.is_empty() {
            return Err(AppError::invalid("targets", Msg::ErrNoRecipients));
        }
        self.db
            .insert_notice(&input, user.id, &area, &to, now_ms())
            .await
            .map_err(internal)
    }

    async fn inbox(&self, actor: &Actor) -> Result<Vec<Notice>, AppError> {
        require(actor, Action::ReadNotices)?;
        let user = signed_in(actor)?;
        if user.role == Role::Admin {
            self.db.all_notices(user.id, INBOX_MAX).await
        } else {
            self.db.notices_for(user.id, INBOX_MAX).await
        }
        .map_err(internal)
    }

    async fn detail(&self, actor: &Actor, id: NoticeId) -> Result<NoticeDetail, AppError> {
        require(actor, Action::ReadNotices)?;
        let user = signed_in(actor)?;
        let (mut notice, sender, mine) = self
            .db
            .notice(id, user.id)
            .await
            .map_err(internal)?
            .ok_or(AppError::NotFound)?;
        let is_sender = sender == user.id;
        let admin = user.role == Role::Admin;
        if mine.is_none() && !is_sender && !admin {
            return Err(AppError::NotFound);
        }
        if let Some(None) = mine {
            let now = now_ms();
            self.db
                .mark_notice_read(id, user.id, now)
                .await
                .map_err(internal)?;
            notice.read_at = Some(now);
            notice.reads += 1;
        }
        let receipts = if is_sender || admin {
            let mut rows = self.db.notice_receipts(id).await.map_err(internal)?;
            sort_receipts(&mut rows);
            Some(rows)
        } else {
            None
        };
        Ok(NoticeDetail { notice, receipts })
    }

    async fn unread(&self, actor: &Actor) -> Result<u32, AppError> {
        // A page that signed out a moment ago may still ask: nothing is unread.
        let Some(user) = actor.user.as_ref() else {
            return Ok(0);
        };
        if !allowed(actor, Action::ReadNotices) {
            return Ok(0);
        }
        let n = self.db.unread_notices(user.id).await.map_err(internal)?;
        Ok(u32::try_from(n).unwrap_or(0))
    }
}
