//! The HTML document, the router and the app shell.
use crate::components::nav::Nav;
use crate::i18n::Msg;
use crate::pages;
use crate::providers::{lang::provide_lang, session::provide_session, tr};
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
                <link rel="stylesheet" href=format!("/{}/tongxin.css", options.site_pkg_dir) />
                // Says so, and offers a reload, if the app's code fails to arrive.
                <script src="/recover.js" defer></script>
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
/// allowed: Leaflet and the progress bars position things with them.
#[cfg(feature = "ssr")]
pub fn content_security_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self' 'unsafe-inline'; img-src 'self' data: blob: https:; \
         connect-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'none'; \
         form-action 'self'; frame-ancestors 'none'"
    )
}

#[cfg(feature = "ssr")]
fn set_content_security_policy() {
    if let (Some(nonce), Some(res)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) && let Ok(v) = http::HeaderValue::from_str(&content_security_policy(&nonce))
    {
        res.insert_header(http::header::CONTENT_SECURITY_POLICY, v);
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let lang = provide_lang();
    provide_session();
    view! {
        <Html attr:lang=move || lang.get().code() />
        <Title text=move || tr(Msg::AppName) />
        <Meta name="description" content="同心 · 老街街道网格化社区治理平台" />
        <Router>
            <a class="skip" href="#main">{move || tr(Msg::SkipToContent)}</a>
            <div class="app">
                <Nav />
                <main id="main" tabindex="-1">
                    <crate::components::alert::AlertBanner />
                    <Routes fallback=pages::not_found::NotFound>
                        <Route path=path!("/") view=pages::home::HomePage />
                        <Route path=path!("/login") view=pages::auth::LoginPage />
                        <Route path=path!("/signup") view=pages::auth::SignupPage />
                        <Route path=path!("/me") view=pages::auth::MePage />
                        <Route path=path!("/map") view=pages::grid::MapPage />
                        <Route path=path!("/grids") view=pages::grid::GridListPage />
                        <Route path=path!("/grids/:id") view=pages::grid::GridPage />
                        <Route path=path!("/admin/grids") view=pages::grid::GridAdminPage />
                        <Route path=path!("/admin/categories") view=pages::ticket::CategoryAdminPage />
                        <Route path=path!("/report") view=pages::ticket::ReportPage />
                        <Route path=path!("/tickets") view=pages::ticket::TicketsPage />
                        <Route path=path!("/tickets/:id") view=pages::ticket::TicketPage />
                        <Route path=path!("/alerts") view=pages::alert::AlertsPage />
                        <Route path=path!("/alerts/new") view=pages::alert::AlertComposePage />
                        <Route path=path!("/alerts/:id") view=pages::alert::AlertPage />
                        <Route path=path!("/alerts/:id/coverage") view=pages::alert::AlertCoveragePage />
                        <Route path=path!("/notices") view=pages::notice::NoticesPage />
                        <Route path=path!("/notices/new") view=pages::notice::NoticeComposePage />
                        <Route path=path!("/notices/:id") view=pages::notice::NoticePage />
                        <Route path=path!("/missing") view=pages::missing::MissingListPage />
                        <Route path=path!("/missing/new") view=pages::missing::MissingNewPage />
                        <Route path=path!("/missing/:id") view=pages::missing::MissingPage />
                        <Route path=path!("/shifts") view=pages::shift::ShiftsPage />
                        <Route path=path!("/shifts/new") view=pages::shift::ShiftNewPage />
                        <Route path=path!("/shifts/:id") view=pages::shift::ShiftPage />
                        <Route path=path!("/shifts/:id/checkin") view=pages::shift::CheckInPage />
                        <Route path=path!("/me/hours") view=pages::shift::HoursPage />
                        <Route path=path!("/events") view=pages::shift::EventsPage />
                        <Route path=path!("/teams") view=pages::shift::TeamsPage />
                        <Route path=path!("/council") view=pages::council::CouncilPage />
                        <Route path=path!("/study") view=pages::study::StudyPage />
                        <Route path=path!("/study/rules") view=pages::study::StudyRulesPage />
                        <Route path=path!("/study/questions") view=pages::study::QuestionsPage />
                        <Route path=path!("/study/lessons") view=pages::lesson::LessonsPage />
                        <Route path=path!("/study/lessons/:id") view=pages::lesson::LessonPage />
                        <Route path=path!("/study/lessons/:id/edit") view=pages::lesson::LessonEditPage />
                        <Route path=path!("/study/new-lesson") view=pages::lesson::LessonNewPage />
                        <Route path=path!("/study/org") view=pages::party::OrgPage />
                        <Route path=path!("/study/meetings") view=pages::party::MeetingsPage />
                        <Route path=path!("/study/meetings/:id") view=pages::party::MeetingPage />
                        <Route path=path!("/study/meetings/:id/checkin") view=pages::party::MeetingCheckInPage />
                        <Route path=path!("/me/hours/certificate") view=pages::shift::CertificatePage />
                        <Route path=path!("/residents") view=pages::resident::ResidentsPage />
                        <Route path=path!("/admin/audit") view=pages::resident::AuditPage />
                    </Routes>
                </main>
            </div>
        </Router>
    }
}
