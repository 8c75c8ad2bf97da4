//! Who is signed in. The server knows it before it renders (the request's `Actor`),
//! so the page is rendered with it and the browser starts from the same value; it is
//! reloaded after sign-in and sign-out.
//!
//! It is a plain signal, not a resource: no `<Suspense>` has to wait for it, so pages
//! decide what to show from it synchronously, and a page (with the resources it
//! creates) is made once — leptos re-runs a Suspense's children each time it checks
//! for pending reads (leptos #4866).
use crate::api::auth::current_user;
use crate::domain::user::SessionUser;
use leptos::prelude::*;
use leptos::server::SharedValue;

#[derive(Clone, Copy)]
pub struct SessionCtx {
    user: RwSignal<Option<SessionUser>>,
    /// Bumped each time `user` is reloaded (data that depends on who is signed in
    /// refetches on it).
    pub version: RwSignal<u32>,
}

/// The user the server resolved for this request (no one outside a server render).
#[cfg(feature = "ssr")]
fn from_request() -> Option<SessionUser> {
    use_context::<http::request::Parts>()
        .and_then(|p| p.extensions.get::<crate::domain::user::Actor>().cloned())
        .and_then(|a| a.user)
}

pub fn provide_session() {
    #[cfg(feature = "ssr")]
    let first = SharedValue::new(from_request);
    #[cfg(not(feature = "ssr"))]
    let first = SharedValue::new(|| None);
    provide_context(SessionCtx {
        user: RwSignal::new(first.into_inner()),
        version: RwSignal::new(0),
    });
}

pub fn use_session() -> SessionCtx {
    expect_context::<SessionCtx>()
}

impl SessionCtx {
    /// Asks the server again who is signed in (after sign-in or sign-out).
    pub async fn reload(self) {
        let user = current_user().await.ok().flatten();
        self.user.set(user);
        self.version.update(|v| *v += 1);
        crate::components::live::reconnect();
    }

    /// The signed-in user, if any (reactive).
    pub fn get(&self) -> Option<SessionUser> {
        self.user.get()
    }

    /// The signed-in user, if any, without subscribing.
    pub fn get_untracked(&self) -> Option<SessionUser> {
        self.user.get_untracked()
    }

    /// Whether the signed-in user may do `action` (reactive; nobody signed in: no).
    pub fn may(&self, action: crate::domain::authz::Action) -> bool {
        self.user.with(|u| {
            u.as_ref().is_some_and(|u| {
                crate::domain::authz::allowed(
                    &crate::domain::user::Actor {
                        user: Some(u.clone()),
                    },
                    action,
                )
            })
        })
    }
}
