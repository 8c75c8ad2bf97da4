//! The resident's first screen: who they are, and large entries to what works.
use crate::components::call::{CallButton, Callee};
use crate::components::elder::ElderSwitch;
use crate::domain::grid::Duty;
use crate::i18n::Msg;
use crate::providers::elder::use_elder;
use crate::providers::session::use_session;
use crate::providers::tr;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
fn Entry(href: &'static str, title: Msg, hint: Msg, test: &'static str) -> impl IntoView {
    view! {
        <A href=href attr:class="entry" attr:data-test=test>
            <strong>{move || tr(title)}</strong>
            <span>{move || tr(hint)}</span>
        </A>
    }
}

/// An entry with a count of what is new there (`count` says it with `{n}`), else its
/// hint.
#[component]
fn CountedEntry(
    href: &'static str,
    title: Msg,
    hint: Msg,
    count: Msg,
    test: &'static str,
    unread: Resource<Result<u32, crate::domain::AppError>>,
) -> impl IntoView {
    view! {
        <A href=href attr:class="entry" attr:data-test=test>
            <strong>{move || tr(title)}</strong>
            <span>
                <Transition fallback=|| ()>
                    {move || unread.get().and_then(|r| r.ok()).map(|n| {
                        if n > 0 {
                            view! { <span class="badge warn" data-test="unread-count">{tr(count).replace("{n}", &n.to_string())}</span> }.into_any()
                        } else {
                            view! { <span>{tr(hint)}</span> }.into_any()
                        }
                    })}
                </Transition>
            </span>
        </A>
    }
}

/// Staff: the notices, with how many are unread.
#[component]
fn NoticesEntry() -> impl IntoView {
    let unread = Resource::new(|| (), |_| crate::api::notice::unread_notices());
    view! {
        <CountedEntry href="/notices" title=Msg::NoticesTitle hint=Msg::HomeNoticesHint
            count=Msg::NoticeUnreadCount test="entry-notices" unread=unread />
    }
}

/// Anyone signed in: their reminders, with how many are new.
#[component]
fn RemindersEntry() -> impl IntoView {
    let unread = Resource::new(|| (), |_| crate::api::reminder::unread_reminders());
    view! {
        <CountedEntry href="/inbox" title=Msg::RemindersTitle hint=Msg::RemindersHint
            count=Msg::RemindersUnread test="entry-reminders" unread=unread />
    }
}

#[component]
pub fn HomePage() -> impl IntoView {
    let session = use_session();
    let elder = use_elder();
    view! {
        <section class="page home">
            <h1>{move || tr(Msg::StreetName)}</h1>
            <p class="tagline">{move || tr(Msg::Tagline)}</p>
            <Transition fallback=|| ()>
                {move || match session.get() {
                    Some(u) => {
                        view! {
                            <p class="welcome" data-test="welcome">
                                {move || tr(Msg::HomeWelcome)}
                                {u.name.clone()}
                            </p>
                        }
                            .into_any()
                    }
                    None => view! { <p class="welcome">{move || tr(Msg::HomeGuest)}</p> }.into_any(),
                }}
            </Transition>
            <ElderSwitch />
            {move || if elder.get() {
                view! {
                    <ElderHome />
                    <details class="all-entries" data-test="all-entries">
                        <summary class="button">{move || tr(Msg::ElderAll)}</summary>
                        <Entries />
                    </details>
                }.into_any()
            } else {
                view! { <Entries /> }.into_any()
            }}
        </section>
    }
}

/// 长辈版's home: the few things an older resident does, each one large tap.
#[component]
fn ElderHome() -> impl IntoView {
    let session = use_session();
    view! {
        <div class="entries elder-entries" data-test="elder-home">
            <Entry href="/report" title=Msg::ElderReport hint=Msg::ElderReportHint test="elder-report" />
            <Entry href="/alerts" title=Msg::ElderAlerts hint=Msg::ElderAlertsHint test="elder-alerts" />
            <Entry href="/tickets" title=Msg::ElderMine hint=Msg::ElderMineHint test="elder-mine" />
            <Entry href="/events" title=Msg::ElderEvents hint=Msg::ElderEventsHint test="elder-events" />
            <Show when=move || session.get().is_some()>
                <RemindersEntry />
            </Show>
            {move || match session.get().and_then(|u| u.home) {
                Some(grid) => view! {
                    <div class="entry" data-test="elder-call">
                        <strong>{move || tr(Msg::ElderCall)}</strong>
                        <span>{move || tr(Msg::ElderCallHint)}</span>
                        <CallButton who=Callee::Staff { grid, duty: Duty::Leader } />
                    </div>
                }.into_any(),
                None => view! {
                    <Entry href="/map" title=Msg::ElderCall hint=Msg::ElderFindGrid test="elder-call" />
                }.into_any(),
            }}
        </div>
    }
}

/// Every section, as large entries.
#[component]
fn Entries() -> impl IntoView {
    let session = use_session();
    view! {
        <div class="entries">
            <Transition fallback=|| ()>
                <Show when=move || session.get().is_some()>
                    <RemindersEntry />
                </Show>
            </Transition>
            <Entry href="/map" title=Msg::HomeFindGrid hint=Msg::HomeFindGridHint test="entry-map" />
            <Entry href="/alerts" title=Msg::HomeAlerts hint=Msg::HomeAlertsHint test="entry-alerts" />
            <Entry href="/missing" title=Msg::MissingTitle hint=Msg::HomeMissingHint test="entry-missing" />
            <Entry href="/shifts" title=Msg::ShiftsTitle hint=Msg::HomeShiftsHint test="entry-shifts" />
            <Entry href="/events" title=Msg::EventsTitle hint=Msg::HomeEventsHint test="entry-events" />
            <Entry href="/council" title=Msg::CouncilTitle hint=Msg::HomeCouncilHint test="entry-council" />
            <Entry href="/stats" title=Msg::StatsTitle hint=Msg::HomeStatsHint test="entry-stats" />
            <Entry href="/study" title=Msg::StudyTitle hint=Msg::HomeStudyHint test="entry-study" />
            <Transition fallback=|| ()>
                <Show when=move || session.may(crate::domain::authz::Action::ReadNotices)>
                    <NoticesEntry />
                </Show>
            </Transition>
            <Transition fallback=|| ()>
                <Show when=move || session.get().is_some_and(|u| matches!(u.role, crate::domain::user::Role::GridWorker | crate::domain::user::Role::Director | crate::domain::user::Role::Admin))>
                    <Entry href="/worklog" title=Msg::WlTitle hint=Msg::HomeWorklogHint test="entry-worklog" />
                    <Entry href="/assessment" title=Msg::AsTitle hint=Msg::HomeAssessmentHint test="entry-assessment" />
                    <Entry href="/duty" title=Msg::DutyTitle hint=Msg::HomeDutyHint test="entry-duty" />
                    <Entry href="/sites" title=Msg::SitesTitle hint=Msg::HomeSitesHint test="entry-sites" />
                    <Entry href="/cameras" title=Msg::CamTitle hint=Msg::HomeCamerasHint test="entry-cameras" />
                    <Entry href="/command" title=Msg::CmdTitle hint=Msg::HomeCommandHint test="entry-command" />
                </Show>
            </Transition>
            <Entry href="/grids" title=Msg::HomeGridList hint=Msg::HomeGridListHint test="entry-grids" />
            <Transition fallback=|| ()>
                <Show when=move || session.get().is_some()>
                    <Entry href="/feedback" title=Msg::FbTitle hint=Msg::HomeFeedbackHint test="entry-feedback" />
                </Show>
            </Transition>
            <Transition fallback=|| ()>
                <Show when=move || session.get().is_some_and(|u| crate::domain::authz::allowed(&crate::domain::user::Actor { user: Some(u) }, crate::domain::authz::Action::ViewResidents))>
                    <Entry href="/residents" title=Msg::HomeResidents hint=Msg::HomeResidentsHint test="entry-residents" />
                </Show>
            </Transition>
            <Transition fallback=|| ()>
                <Show when=move || session.get().is_none()>
                    <Entry href="/login" title=Msg::HomeSignIn hint=Msg::HomeSignInHint test="entry-login" />
                </Show>
            </Transition>
        </div>
    }
}
