//! Staff notices (工作通知) with read receipts.
use crate::domain::AppError;
#[cfg(feature = "ssr")]
use crate::domain::notice::NoticeId;
use crate::domain::notice::{Notice, NoticeDetail, NoticeInput};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[cfg(feature = "ssr")]
use crate::api::ctx::{actor, ports, respond};

/// Directors (their community) and admins; answers the new notice's id.
#[server(endpoint = "notice/send", input = Json)]
pub async fn send_notice(input: NoticeInput) -> Result<i64, AppError> {
    let actor = actor().await?;
    respond(ports()?.notice.send(&actor, input).await.map(|id| id.0))
}

/// Grid workers, directors, admins.
#[server(endpoint = "notice/inbox")]
pub async fn notice_inbox() -> Result<Vec<Notice>, AppError> {
    let actor = actor().await?;
    respond(ports()?.notice.inbox(&actor).await)
}

/// The same people; opening it is the reader's receipt.
#[server(endpoint = "notice/detail")]
pub async fn fetch_notice(id: i64) -> Result<NoticeDetail, AppError> {
    let actor = actor().await?;
    respond(ports()?.notice.detail(&actor, NoticeId(id)).await)
}

/// Anyone: unread notices (for the badge on the home page; 0 when signed out).
#[server(endpoint = "notice/unread")]
pub async fn unread_notices() -> Result<u32, AppError> {
    let actor = actor().await?;
    respond(ports()?.notice.unread(&actor).await)
}
