//! Lost-person notices: staff post (with photos, pushed to every subscribed
//! browser), anyone reads, signed-in people send tips, staff see the tips on a map
//! and close the notice when the person is found.
use super::push::PushService;
use super::ticket::TicketService;
use super::{internal, signed_in};
use crate::db::{Db, now_ms};
use app::api::ports::MissingPort;
use app::domain::AppError;
use app::domain::authz::{Action, allowed, require};
use app::domain::emergency::Source;
use app::domain::missing::{
    Missing, MissingDetail, MissingId, MissingInput, PHOTOS_MAX, TEXT_MAX, TipInput, check_missing,
    check_tip,
};
use app::domain::push::PushMessage;
use app::domain::user::Actor;
use app::i18n::Msg;
use std::sync::Arc;

pub struct MissingService {
    pub db: Db,
    /// Stores photos through the ticket pipeline (decoded, shrunk, EXIF gone).
    pub tickets: Arc<TicketService>,
    pub push: Arc<PushService>,
}

/// How long a found person's notice stays listed.
const FOUND_LISTED_DAYS: i64 = 3;

impl MissingService {
    async fn load(&self, id: MissingId) -> Result<Missing, AppError> {
        self.db
            .missing(id)
            .await
            .map_err(internal)?
            .ok_or(AppError::NotFound)
    }

    /// Stores the photos; answers their keys and the files this call wrote.
    async fn photos(&self, files: Vec<Vec<u8>>) -> Result<(Vec<String>, Vec<String>), AppError> {
        if files.len() > PHOTOS_MAX {
            return Err(AppError::invalid("photos", Msg::ErrPhotoCount));
        }
        // Notices show the display copy only: no thumbnails are stored.
        let (stored, written) = self.tickets.store_photos(files, false).await?;
        Ok((stored.into_iter().map(|p| p.key).collect(), written))
    }
}

#[async_trait::async_trait]
impl MissingPort for MissingService {
    async fn post(
        &self,
        actor: &Actor,
        input: MissingInput,
        photos: Vec<Vec<u8>>,
    ) -> Result<MissingId, AppError> {
        require(actor, Action::ManageMissing)?;
        let user = signed_in(actor)?;
        check_missing(&input)?;
        let (keys, written) = self.photos(photos).await?;
        let id = match self
            .db
            .insert_missing(&input, &keys, user.id, now_ms())
            .await
        {
            Ok(id) => id,
            Err(e) => {
                self.tickets.discard(&written).await;
                return Err(internal(e));
            }
        };
        // A new 寻人 notice rings the duty officer of the poster's community.
        let community = crate::services::duty::home_community(&self.db, user).await?;
        crate::services::duty::ring(
            &self.db,
            &self.push,
            crate::services::duty::Call {
                source: Source::Missing,
                source_id: id.0,
                subject: 0,
                community,
                title: &format!(
                    "寻人：{} · {}",
                    input.name.trim(),
                    input.last_seen_place.trim()
                ),
                now: now_ms(),
            },
        )
        .await?;
        let body: String = input.description.trim().chars().take(120).collect();
        self.push.to_everyone(PushMessage {
            title: format!("寻人启事：{}", input.name.trim()),
            body: format!("{} · {}", input.last_seen_place.trim(), body),
            url: format!("/missing/{}", id.0),
            tag: format!("missing-{}", id.0),
        });
        Ok(id)
    }

    async fn list(&self, actor: &Actor) -> Result<Vec<Missing>, AppError> {
        require(actor, Action::ViewMissing)?;
        let since = now_ms() - FOUND_LISTED_DAYS * 24 * 3_600_000;
        self.db.missing_list(since).await.map_err(internal)
    }

    async fn detail(&self, actor: &Actor, id: MissingId) -> Result<MissingDetail, AppError> {
        require(actor, Action::ViewMissing)?;
        let missing = self.load(id).await?;
        let tips = if allowed(actor, Action::ManageMissing) {
            Some(self.db.tips(id).await.map_err(internal)?)
        } else {
            None
        };
        let tips_sent = match actor.user_id() {
            Some(u) => u32::try_from(self.db.tips_by(id, u).await.map_err(internal)?).unwrap_or(0),
            None => 0,
        };
        Ok(MissingDetail {
            missing,
            tips,
            tips_sent,
        })
    }

    async fn tip(
        &self,
        actor: &Actor,
        id: MissingId,
        tip: TipInput,
        photos: Vec<Vec<u8>>,
    ) -> Result<i64, AppError> {
        require(actor, Action::SendTips)?;
        let user = signed_in(actor)?;
        check_tip(&tip, photos.len())?;
        let m = self.load(id).await?;
        if m.found_at.is_some() {
            return Err(AppError::Conflict(Msg::ErrMissingClosed));
        }
        let (keys, written) = self.photos(photos).await?;
        match self.db.insert_tip(id, &tip, &keys, user.id, now_ms()).await {
            Ok(t) => Ok(t),
            Err(e) => {
                self.tickets.discard(&written).await;
                Err(internal(e))
            }
        }
    }

    async fn close(&self, actor: &Actor, id: MissingId, note: String) -> Result<(), AppError> {
        require(actor, Action::ManageMissing)?;
        let note = note.trim();
        if note.chars().count() > TEXT_MAX {
            return Err(AppError::invalid("note", Msg::ErrTooLong));
        }
        self.load(id).await?;
        if !self
            .db
            .close_missing(id, note, now_ms())
            .await
            .map_err(internal)?
        {
            return Err(AppError::Conflict(Msg::ErrMissingClosed));
        }
        Ok(())
    }
}
