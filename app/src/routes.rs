//! Route-level code splitting. The shell (navigation, alert banner, sign-in state) and
//! the home page are in the first download; every other page belongs to one of seven areas, and an area's code (its pages, their forms and server-function
//! calls) is a separate wasm chunk fetched the first time one of its pages is shown.
//!
//! Each area is one `#[lazy]` function: the build's wasm-split step (`.ci/build.sh`,
//! `.ci/wasm-split`) cuts the browser wasm at it. On the server the same call records the
//! chunk, and the rendered page carries `<link rel=preload>` for it, so a page opened cold
//! fetches its chunk alongside the main bundle, not after it. Hydration waits for the
//! chunk of the page being hydrated (`hydrate_from_async` in `lib.rs`).
use crate::pages;
use leptos::prelude::*;
use leptos_router::ChooseView;

/// The areas, each one chunk.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Area {
    /// Signing in, signing up, one's own account and reminders (most visits need none
    /// of it).
    Account,
    /// The map and the grids (Leaflet).
    Grid,
    /// Reporting and handling tickets.
    Ticket,
    /// Alerts, notices and 寻人.
    Alert,
    /// Shifts, events, teams, volunteer hours and 闲事会.
    Shift,
    /// Party study, 三会一课, lessons and the residents registry.
    Study,
    /// The command centre: duty and key sites.
    Command,
}

/// A page that is loaded with its area.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Page {
    Login,
    Signup,
    Me,
    Inbox,
    Map,
    Grids,
    Grid,
    GridAdmin,
    Categories,
    Report,
    Tickets,
    Ticket,
    Stats,
    Assessment,
    Worklog,
    Feedback,
    Duty,
    Sites,
    Site,
    Cameras,
    Command,
    Alerts,
    AlertCompose,
    Alert,
    AlertCoverage,
    Notices,
    NoticeCompose,
    Notice,
    MissingList,
    MissingNew,
    Missing,
    SmsAdmin,
    Shifts,
    ShiftNew,
    Shift,
    ShiftCheckIn,
    Hours,
    Certificate,
    Events,
    Teams,
    Council,
    Study,
    StudyRules,
    Questions,
    Lessons,
    Lesson,
    LessonEdit,
    LessonNew,
    Org,
    Meetings,
    Meeting,
    MeetingCheckIn,
    Residents,
    Audit,
}

impl Page {
    fn area(self) -> Area {
        use Page::*;
        match self {
            Login | Signup | Me | Inbox => Area::Account,
            Map | Grids | Grid | GridAdmin => Area::Grid,
            Categories | Report | Tickets | Ticket | Stats | Assessment | Worklog | Feedback => {
                Area::Ticket
            }
            Alerts | AlertCompose | Alert | AlertCoverage | Notices | NoticeCompose | Notice
            | MissingList | MissingNew | Missing | SmsAdmin => Area::Alert,
            Shifts | ShiftNew | Shift | ShiftCheckIn | Hours | Certificate | Events | Teams
            | Council => Area::Shift,
            Study | StudyRules | Questions | Lessons | Lesson | LessonEdit | LessonNew | Org
            | Meetings | Meeting | MeetingCheckIn | Residents | Audit => Area::Study,
            Duty | Sites | Site | Cameras | Command => Area::Command,
        }
    }
}

/// A route's view: `<Route path=… view=Lazy(Page::Map) />`.
#[derive(Clone, Copy, Debug)]
pub struct Lazy(pub Page);

impl ChooseView for Lazy {
    async fn choose(self) -> AnyView {
        let page = self.0;
        match page.area() {
            Area::Account => account_area(page).await,
            Area::Grid => grid_area(page).await,
            Area::Ticket => ticket_area(page).await,
            Area::Alert => alert_area(page).await,
            Area::Shift => shift_area(page).await,
            Area::Study => study_area(page).await,
            Area::Command => command_area(page).await,
        }
    }

    async fn preload(&self) {
        #[cfg(feature = "hydrate")]
        match self.0.area() {
            Area::Account => __preload_account_area().await,
            Area::Grid => __preload_grid_area().await,
            Area::Ticket => __preload_ticket_area().await,
            Area::Alert => __preload_alert_area().await,
            Area::Shift => __preload_shift_area().await,
            Area::Study => __preload_study_area().await,
            Area::Command => __preload_command_area().await,
        }
    }
}

/// Not reached: each area is only asked for its own pages.
fn elsewhere() -> AnyView {
    view! { <pages::not_found::NotFound /> }.into_any()
}

#[lazy]
fn account_area(page: Page) -> AnyView {
    use pages::auth::*;
    match page {
        Page::Login => view! { <LoginPage /> }.into_any(),
        Page::Signup => view! { <SignupPage /> }.into_any(),
        Page::Me => view! { <MePage /> }.into_any(),
        Page::Inbox => view! { <pages::reminder::InboxPage /> }.into_any(),
        _ => elsewhere(),
    }
}

#[lazy]
fn grid_area(page: Page) -> AnyView {
    use pages::grid::*;
    match page {
        Page::Map => view! { <MapPage /> }.into_any(),
        Page::Grids => view! { <GridListPage /> }.into_any(),
        Page::Grid => view! { <GridPage /> }.into_any(),
        Page::GridAdmin => view! { <GridAdminPage /> }.into_any(),
        _ => elsewhere(),
    }
}

#[lazy]
fn ticket_area(page: Page) -> AnyView {
    use pages::ticket::*;
    match page {
        Page::Categories => view! { <CategoryAdminPage /> }.into_any(),
        Page::Report => view! { <ReportPage /> }.into_any(),
        Page::Tickets => view! { <TicketsPage /> }.into_any(),
        Page::Ticket => view! { <TicketPage /> }.into_any(),
        Page::Stats => view! { <StatsPage /> }.into_any(),
        Page::Assessment => view! { <AssessmentPage /> }.into_any(),
        Page::Worklog => view! { <WorklogPage /> }.into_any(),
        Page::Feedback => view! { <FeedbackPage /> }.into_any(),
        _ => elsewhere(),
    }
}

#[lazy]
fn alert_area(page: Page) -> AnyView {
    use pages::{alert::*, missing::*, notice::*};
    match page {
        Page::Alerts => view! { <AlertsPage /> }.into_any(),
        Page::AlertCompose => view! { <AlertComposePage /> }.into_any(),
        Page::Alert => view! { <AlertPage /> }.into_any(),
        Page::AlertCoverage => view! { <AlertCoveragePage /> }.into_any(),
        Page::Notices => view! { <NoticesPage /> }.into_any(),
        Page::NoticeCompose => view! { <NoticeComposePage /> }.into_any(),
        Page::Notice => view! { <NoticePage /> }.into_any(),
        Page::MissingList => view! { <MissingListPage /> }.into_any(),
        Page::MissingNew => view! { <MissingNewPage /> }.into_any(),
        Page::Missing => view! { <MissingPage /> }.into_any(),
        Page::SmsAdmin => view! { <pages::sms::SmsAdminPage /> }.into_any(),
        _ => elsewhere(),
    }
}

#[lazy]
fn shift_area(page: Page) -> AnyView {
    use pages::{council::*, shift::*};
    match page {
        Page::Shifts => view! { <ShiftsPage /> }.into_any(),
        Page::ShiftNew => view! { <ShiftNewPage /> }.into_any(),
        Page::Shift => view! { <ShiftPage /> }.into_any(),
        Page::ShiftCheckIn => view! { <CheckInPage /> }.into_any(),
        Page::Hours => view! { <HoursPage /> }.into_any(),
        Page::Certificate => view! { <CertificatePage /> }.into_any(),
        Page::Events => view! { <EventsPage /> }.into_any(),
        Page::Teams => view! { <TeamsPage /> }.into_any(),
        Page::Council => view! { <CouncilPage /> }.into_any(),
        _ => elsewhere(),
    }
}

#[lazy]
fn study_area(page: Page) -> AnyView {
    use pages::{lesson::*, party::*, resident::*, study::*};
    match page {
        Page::Study => view! { <StudyPage /> }.into_any(),
        Page::StudyRules => view! { <StudyRulesPage /> }.into_any(),
        Page::Questions => view! { <QuestionsPage /> }.into_any(),
        Page::Lessons => view! { <LessonsPage /> }.into_any(),
        Page::Lesson => view! { <LessonPage /> }.into_any(),
        Page::LessonEdit => view! { <LessonEditPage /> }.into_any(),
        Page::LessonNew => view! { <LessonNewPage /> }.into_any(),
        Page::Org => view! { <OrgPage /> }.into_any(),
        Page::Meetings => view! { <MeetingsPage /> }.into_any(),
        Page::Meeting => view! { <MeetingPage /> }.into_any(),
        Page::MeetingCheckIn => view! { <MeetingCheckInPage /> }.into_any(),
        Page::Residents => view! { <ResidentsPage /> }.into_any(),
        Page::Audit => view! { <AuditPage /> }.into_any(),
        _ => elsewhere(),
    }
}

#[lazy]
fn command_area(page: Page) -> AnyView {
    use pages::duty::*;
    use pages::site::*;
    match page {
        Page::Duty => view! { <DutyPage /> }.into_any(),
        Page::Sites => view! { <SitesPage /> }.into_any(),
        Page::Site => view! { <SitePage /> }.into_any(),
        Page::Cameras => view! { <pages::camera::CamerasPage /> }.into_any(),
        Page::Command => view! { <pages::command::CommandPage /> }.into_any(),
        _ => elsewhere(),
    }
}
