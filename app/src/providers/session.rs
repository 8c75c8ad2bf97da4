//! Who is signed in, loaded once per page load and refreshed after sign-in/out.
use crate::api::auth::current_user;
use crate::domain::user::SessionUser;
use leptos::prelude::*;

#[derive(Clone, Copy)]
pub struct SessionCtx {
    pub user: Resource<Option<SessionUser>>,
    /// Bumped after sign-in and sign-out to reload `user`.
    pub version: RwSignal<u32>,
}

pub fn provide_session() {
    let version = RwSignal::new(0u32);
    let user = Resource::new(
        move || version.get(),
        |_| async move { current_user().await.ok().flatten() },
    );
    provide_context(SessionCtx { user, version });
}

pub fn use_session() -> SessionCtx {
    expect_context::<SessionCtx>()
}

impl SessionCtx {
    pub fn refresh(&self) {
        self.version.update(|v| *v += 1);
    }

    /// The user if loaded and signed in (reactive).
    pub fn get(&self) -> Option<SessionUser> {
        self.user.get().flatten()
    }
}
