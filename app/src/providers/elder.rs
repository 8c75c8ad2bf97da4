//! 长辈版 (elder mode, after MIIT's age-friendly website specification): larger type,
//! wider spacing, higher contrast and a simpler home. Remembered per device (the `elder`
//! cookie, read on the server so the first paint is already large) and per account
//! (a device without the cookie follows the account; switching on a signed-in device
//! saves it to the account too).
use crate::providers::session::use_session;
use leptos::prelude::*;

/// The cookie that remembers the choice on this device: `1` on, `0` off.
pub const COOKIE: &str = "elder";

#[derive(Clone, Copy)]
pub struct ElderCtx(pub RwSignal<bool>);

/// The device's choice in a `Cookie` header value, if it made one.
pub fn from_cookie_header(header: &str) -> Option<bool> {
    super::cookie(header, COOKIE).map(|v| v == "1")
}

/// This device's choice, if it made one.
fn device_choice() -> Option<bool> {
    super::cookies().as_deref().and_then(from_cookie_header)
}

/// Call after `provide_session`.
pub fn provide_elder() -> RwSignal<bool> {
    let session = use_session();
    let account = session.get_untracked().is_some_and(|u| u.elder);
    let on = RwSignal::new(device_choice().unwrap_or(account));
    provide_context(ElderCtx(on));
    // After signing in on a device that never chose: the account's choice.
    Effect::new(move |_| {
        let account = session.get().is_some_and(|u| u.elder);
        if device_choice().is_none() {
            on.set(account);
        }
    });
    on
}

pub fn use_elder() -> RwSignal<bool> {
    use_context::<ElderCtx>().map_or_else(|| RwSignal::new(false), |c| c.0)
}

/// Switches 长辈版 on or off on this device for a year, and for the account when
/// someone is signed in.
pub fn set_elder(on: bool) {
    use_elder().set(on);
    super::remember(COOKIE, if on { "1" } else { "0" });
    #[cfg(feature = "hydrate")]
    {
        if use_session().get_untracked().is_some() {
            leptos::task::spawn_local(async move {
                let _ = crate::api::auth::set_elder(on).await;
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cookie_says_on_off_or_nothing() {
        assert_eq!(from_cookie_header("lang=en; elder=1"), Some(true));
        assert_eq!(from_cookie_header("elder=0"), Some(false));
        assert_eq!(from_cookie_header("lang=en"), None);
        assert_eq!(from_cookie_header("elderly=1"), None);
    }
}
