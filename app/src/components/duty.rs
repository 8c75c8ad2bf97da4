//! "Who is on duty now" (值班), a line at the top of every page for staff: the street's
//! shift and their community's, one tap from `/duty`.
use crate::api::duty::who_is_on_duty;
use crate::domain::authz::Action;
use crate::i18n::Msg;
use crate::providers::session::use_session;
use crate::providers::tr;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn DutyStrip() -> impl IntoView {
    let session = use_session();
    let staff = move || session.may(Action::ViewDuty);
    let now = Resource::new(
        move || (staff(), session.version.get()),
        |(staff, _)| async move {
            if staff {
                who_is_on_duty().await.unwrap_or_default()
            } else {
                vec![]
            }
        },
    );
    view! {
        <Transition fallback=|| ()>
            {move || now.get().filter(|l| !l.is_empty()).map(|lines| view! {
                <A href="/duty" attr:class="duty-strip" attr:data-test="duty-strip">
                    {lines.into_iter().map(|d| {
                        let officers = d.officers.join("、");
                        view! {
                            <span data-test="duty-strip-line">
                                {move || tr(Msg::DutyNowLine)
                                    .replace("{s}", &d.scope)
                                    .replace("{l}", &d.leader)
                                    .replace("{o}", &officers)}
                            </span>
                        }
                    }).collect_view()}
                </A>
            })}
        </Transition>
    }
}
