//! The HTML document, the router and the app shell.
use crate::components::nav::Nav;
use crate::i18n::Msg;
use crate::pages;
use crate::providers::{elder::provide_elder, lang::provide_lang, session::provide_session, tr};
use crate::routes::{Lazy, Page};
use leptos::prelude::*;
use leptos_meta::{Html, Meta, Title, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

/// The server-rendered document around the app.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    set_content_security_policy();
    view! {
        <!DOCTYPE html>
        <html lang="zh-CN">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="theme-color" content="#c62828" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <link rel="manifest" href="/manifest.webmanifest" />
                <link rel="stylesheet" href=format!("/{}/tongxin.css", options.site_pkg_dir) />
                // Says so, and offers a reload, if the app's code fails to arrive.
                <script src="/recover.js" defer></script>
                // Forms made with no signal wait on the phone and go when it returns.
                <script src="/outbox.js" defer></script>
                <AutoReload options=options.clone() />
                <HydrationScripts options />
                <leptos_meta::MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The page's policy: scripts only from this site or with this render's nonce (the
/// hydration and resource scripts), wasm compiled, nothing framed, no plugins, forms
/// and connections to this site only; images also from the map's tile servers (https)
/// and the photos the phone is about to upload (blob:, data:). Style attributes are
/// allowed: Leaflet and the progress bars position things with them. Camera video
/// (HLS through Media Source: `blob:` media) and snapshots come from the video
/// platform's origins, when one is configured.
#[cfg(feature = "ssr")]
pub fn content_security_policy(nonce: &str, media: &MediaOrigins) -> String {
    let m = &media.0;
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self' 'unsafe-inline'; img-src 'self' data: blob: https: {m}; \
         media-src 'self' blob: {m}; connect-src 'self' {m}; worker-src 'self' blob:; \
         object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// The origins camera video is played from (space-separated; empty without a video
/// platform), given to every render by the server.
#[cfg(feature = "ssr")]
#[derive(Clone, Debug, Default)]
pub struct MediaOrigins(pub String);

#[cfg(feature = "ssr")]
fn set_content_security_policy() {
    if let (Some(nonce), Some(res)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) && let Ok(v) = http::HeaderValue::from_str(&content_security_policy(
        &nonce,
        &use_context::<MediaOrigins>().unwrap_or_default(),
    )) {
        res.insert_header(http::header::CONTENT_SECURITY_POLICY, v);
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let lang = provide_lang();
    provide_session();
    let elder = provide_elder();
    view! {
        <Html attr:lang=move || lang.get().code() attr:class=move || if elder.get() { "elder" } else { "" } />
        <Title text=move || tr(Msg::AppName) />
        <Meta name="description" content="同心 · 老街街道网格化社区治理平台" />
        <Router>
            <a class="skip" href="#main">{move || tr(Msg::SkipToContent)}</a>
            <div class="app">
                <Nav />
                <main id="main" tabindex="-1">
                    <crate::components::alert::AlertBanner />
                    <crate::components::emergency::EmergencyAlarm />
                    <crate::components::duty::DutyStrip />
                    <Routes fallback=pages::not_found::NotFound>
                        <Route path=path!("/") view=pages::home::HomePage />
                        <Route path=path!("/login") view=Lazy(Page::Login) />
                        <Route path=path!("/signup") view=Lazy(Page::Signup) />
                        <Route path=path!("/me") view=Lazy(Page::Me) />
                        <Route path=path!("/inbox") view=Lazy(Page::Inbox) />
                        <Route path=path!("/map") view=Lazy(Page::Map) />
                        <Route path=path!("/grids") view=Lazy(Page::Grids) />
                        <Route path=path!("/grids/:id") view=Lazy(Page::Grid) />
                        <Route path=path!("/admin/grids") view=Lazy(Page::GridAdmin) />
                        <Route path=path!("/admin/categories") view=Lazy(Page::Categories) />
                        <Route path=path!("/admin/sms") view=Lazy(Page::SmsAdmin) />
                        <Route path=path!("/report") view=Lazy(Page::Report) />
                        <Route path=path!("/tickets") view=Lazy(Page::Tickets) />
                        <Route path=path!("/tickets/:id") view=Lazy(Page::Ticket) />
                        <Route path=path!("/stats") view=Lazy(Page::Stats) />
                        <Route path=path!("/assessment") view=Lazy(Page::Assessment) />
                        <Route path=path!("/worklog") view=Lazy(Page::Worklog) />
                        <Route path=path!("/feedback") view=Lazy(Page::Feedback) />
                        <Route path=path!("/duty") view=Lazy(Page::Duty) />
                        <Route path=path!("/sites") view=Lazy(Page::Sites) />
                        <Route path=path!("/sites/:id") view=Lazy(Page::Site) />
                        <Route path=path!("/cameras") view=Lazy(Page::Cameras) />
                        <Route path=path!("/command") view=Lazy(Page::Command) />
                        <Route path=path!("/alerts") view=Lazy(Page::Alerts) />
                        <Route path=path!("/alerts/new") view=Lazy(Page::AlertCompose) />
                        <Route path=path!("/alerts/:id") view=Lazy(Page::Alert) />
                        <Route path=path!("/alerts/:id/coverage") view=Lazy(Page::AlertCoverage) />
                        <Route path=path!("/notices") view=Lazy(Page::Notices) />
                        <Route path=path!("/notices/new") view=Lazy(Page::NoticeCompose) />
                        <Route path=path!("/notices/:id") view=Lazy(Page::Notice) />
                        <Route path=path!("/missing") view=Lazy(Page::MissingList) />
                        <Route path=path!("/missing/new") view=Lazy(Page::MissingNew) />
                        <Route path=path!("/missing/:id") view=Lazy(Page::Missing) />
                        <Route path=path!("/shifts") view=Lazy(Page::Shifts) />
                        <Route path=path!("/shifts/new") view=Lazy(Page::ShiftNew) />
                        <Route path=path!("/shifts/:id") view=Lazy(Page::Shift) />
                        <Route path=path!("/shifts/:id/checkin") view=Lazy(Page::ShiftCheckIn) />
                        <Route path=path!("/me/hours") view=Lazy(Page::Hours) />
                        <Route path=path!("/events") view=Lazy(Page::Events) />
                        <Route path=path!("/teams") view=Lazy(Page::Teams) />
                        <Route path=path!("/council") view=Lazy(Page::Council) />
                        <Route path=path!("/study") view=Lazy(Page::Study) />
                        <Route path=path!("/study/rules") view=Lazy(Page::StudyRules) />
                        <Route path=path!("/study/questions") view=Lazy(Page::Questions) />
                        <Route path=path!("/study/lessons") view=Lazy(Page::Lessons) />
                        <Route path=path!("/study/lessons/:id") view=Lazy(Page::Lesson) />
                        <Route path=path!("/study/lessons/:id/edit") view=Lazy(Page::LessonEdit) />
                        <Route path=path!("/study/new-lesson") view=Lazy(Page::LessonNew) />
                        <Route path=path!("/study/org") view=Lazy(Page::Org) />
                        <Route path=path!("/study/meetings") view=Lazy(Page::Meetings) />
                        <Route path=path!("/study/meetings/:id") view=Lazy(Page::Meeting) />
                        <Route path=path!("/study/meetings/:id/checkin") view=Lazy(Page::MeetingCheckIn) />
                        <Route path=path!("/me/hours/certificate") view=Lazy(Page::Certificate) />
                        <Route path=path!("/residents") view=Lazy(Page::Residents) />
                        <Route path=path!("/admin/audit") view=Lazy(Page::Audit) />
                    </Routes>
                </main>
            </div>
        </Router>
    }
}
