//! The residents registry for staff: search and filter (numbers masked), show one
//! person's numbers (audited), import a CSV/XLSX file with a row-by-row report; and
//! the admins' audit log of personal-data reads.
use crate::api::resident::{audit_log, confirm_account, list_residents, resident_contact};
use crate::components::error::{ErrorNote, error_view};
use crate::components::form::Submit;
use crate::components::import::ImportForm;
use crate::domain::AppError;
use crate::domain::authz::{Action, allowed};
use crate::domain::resident::{
    AccountCheck, AuditQuery, Contact, PAGE_MAX, Resident, ResidentFilter, ResidentId, Tag,
};
use crate::domain::time::format_cst;
use crate::domain::user::Actor;
use crate::i18n::Msg;
use crate::providers::session::use_session;
use crate::providers::tr;
use leptos::prelude::*;

fn loading() -> impl IntoView {
    view! { <p>{move || tr(Msg::Loading)}</p> }
}

#[component]
pub fn ResidentsPage() -> impl IntoView {
    let session = use_session();
    let may = move |a: Action| {
        allowed(
            &Actor {
                user: session.get(),
            },
            a,
        )
    };
    view! {
        <section class="page">
            <h1>{move || tr(Msg::ResidentsTitle)}</h1>
            <Transition fallback=loading>
                {move || if may(Action::ViewResidents) {
                    view! {
                        <Show when=move || may(Action::ImportResidents)>
                            <ImportForm url="/api/residents/import" title=Msg::ResidentsImport hint=Msg::ResidentsImportHint
                                done=Msg::ResidentsImportDone failed=Msg::ResidentsImportFailed />
                        </Show>
                        <Registry />
                    }.into_any()
                } else if session.get().is_none() {
                    error_view(AppError::Unauthorized)
                } else {
                    error_view(AppError::Forbidden)
                }}
            </Transition>
        </section>
    }
}

#[component]
fn Registry() -> impl IntoView {
    let filter = RwSignal::new(ResidentFilter::default());
    let version = RwSignal::new(0u32);
    let page = Resource::new(
        move || (filter.get(), version.get()),
        |(f, _)| list_residents(f),
    );
    view! {
        <form class="filters" on:submit=|ev| ev.prevent_default()>
            <label>
                <span class="sr-only">{move || tr(Msg::ResidentsSearch)}</span>
                <input type="search" maxlength="40" data-test="resident-search" placeholder=move || tr(Msg::ResidentsSearch)
                    on:change=move |ev| filter.update(|f| f.q = event_target_value(&ev)) />
            </label>
            <label>
                <span class="sr-only">{move || tr(Msg::AllTags)}</span>
                <select data-test="resident-tag" on:change=move |ev| filter.update(|f| f.tag = Tag::parse(&event_target_value(&ev)))>
                    <option value="">{move || tr(Msg::AllTags)}</option>
                    {Tag::ALL.into_iter().map(|t| view! { <option value=t.as_str()>{move || tr(t.label())}</option> }).collect_view()}
                </select>
            </label>
        </form>
        <p class="muted">{move || tr(Msg::ContactAudited)}</p>
        <Transition fallback=loading>
            {move || page.get().map(|r| match r {
                Ok(p) => {
                    let total = p.total;
                    view! {
                        <p role="status" data-test="resident-total">{move || tr(Msg::ResidentsTotal).replace("{n}", &total.to_string())}
                            {(total > PAGE_MAX).then(|| view! { " · " {move || tr(Msg::ResidentsShowing).replace("{n}", &PAGE_MAX.to_string())} })}
                        </p>
                        <ul class="cards" data-test="resident-list">
                            {p.residents.into_iter().map(|r| view! { <ResidentLine r=r /> }).collect_view()}
                        </ul>
                    }.into_any()
                }
                Err(e) => error_view(e),
            })}
        </Transition>
    }
}

#[component]
fn ResidentLine(r: Resident) -> impl IntoView {
    let shown = RwSignal::new(None::<Contact>);
    let id = r.id;
    let reveal = Submit::new(resident_contact, move |c: Contact| shown.set(Some(c)));
    view! {
        <li class="card resident" data-test="resident" data-name=r.name.clone()>
            <p><strong>{r.name.clone()}</strong> " · " {r.building.clone()} " " {r.room.clone()}</p>
            <p class="muted">{r.grid_name.clone()}
                {(r.has_account && r.account_verified).then(|| view! { " · " <span class="badge ok">{move || tr(Msg::HasAccount)}</span> })}</p>
            {(r.has_account && !r.account_verified).then(|| view! { <ConfirmAccount id=id /> })}
            <p>{r.tags.iter().map(|t| { let m = t.label(); view! { <span class="badge tag">{move || tr(m)}</span> } }).collect_view()}</p>
            {move || match shown.get() {
                Some(c) => view! {
                    <p data-test="contact">
                        <a class="button" href=format!("tel:{}", c.phone)>{move || tr(Msg::Call)} " " {c.phone.clone()}</a>
                        {(!c.id_number.is_empty()).then(|| view! { " " {move || tr(Msg::IdNumberLabel)} " " {c.id_number.clone()} })}
                    </p>
                }.into_any(),
                None => view! {
                    <p>
                        <span data-test="masked">{r.phone_masked.clone()}</span>
                        {(!r.id_masked.is_empty()).then(|| view! { " · " {move || tr(Msg::IdNumberLabel)} " " {r.id_masked.clone()} })}
                        " "
                        <button type="button" class="secondary" disabled=reveal.busy_signal()
                            on:click=move |_| reveal.submit(Ok(id.0)) data-test="reveal">{move || tr(Msg::ShowContact)}</button>
                    </p>
                }.into_any(),
            }}
            <ErrorNote error=reveal.error() />
        </li>
    }
}

/// An account uses this person's number but nobody has checked it is hers: the
/// worker confirms it after checking in person or by phone.
#[component]
fn ConfirmAccount(id: ResidentId) -> impl IntoView {
    let confirm = Submit::new(move |how: AccountCheck| confirm_account(id.0, how), |()| {});
    let done = move || confirm.version() > 0;
    view! {
        <div class="account-check" data-test="account-check">
            {move || if done() {
                view! { <p><span class="badge ok">{move || tr(Msg::HasAccount)}</span></p> }.into_any()
            } else {
                view! {
                    <p><span class="badge warn">{move || tr(Msg::AccountUnverified)}</span>
                        " " <span class="muted">{move || tr(Msg::AccountConfirmHint)}</span></p>
                    <p class="actions">
                        <button type="button" class="secondary" disabled=confirm.busy_signal()
                            data-test="confirm-in-person" on:click=move |_| confirm.submit(Ok(AccountCheck::InPerson))>
                            {move || tr(Msg::ConfirmInPerson)}</button>
                        " "
                        <button type="button" class="secondary" disabled=confirm.busy_signal()
                            data-test="confirm-by-phone" on:click=move |_| confirm.submit(Ok(AccountCheck::Phone))>
                            {move || tr(Msg::ConfirmByPhone)}</button>
                    </p>
                }.into_any()
            }}
            <ErrorNote error=confirm.error() />
        </div>
    }
}

#[component]
pub fn AuditPage() -> impl IntoView {
    // The filters as applied (on submit); `before` pages back from there.
    let query = RwSignal::new(AuditQuery::default());
    let log = Resource::new(move || query.get(), audit_log);
    let (who, whose, what, from, to) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let apply = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        query.set(AuditQuery {
            actor: who.get_untracked(),
            subject: whose.get_untracked(),
            action: what.get_untracked(),
            from: from.get_untracked(),
            to: to.get_untracked(),
            before: None,
        });
    };
    let text = |label: Msg, value: RwSignal<String>, test: &'static str| {
        view! {
            <label>
                {move || tr(label)}
                <input type="search" maxlength="60" data-test=test prop:value=move || value.get()
                    on:input=move |ev| value.set(event_target_value(&ev)) />
            </label>
        }
    };
    let date = |label: Msg, value: RwSignal<String>, test: &'static str| {
        view! {
            <label>
                {move || tr(label)}
                <input type="date" data-test=test prop:value=move || value.get()
                    on:input=move |ev| value.set(event_target_value(&ev)) />
            </label>
        }
    };
    view! {
        <section class="page">
            <h1>{move || tr(Msg::AuditTitle)}</h1>
            <form class="filters form" on:submit=apply data-test="audit-filters">
                {text(Msg::AuditFilterActor, who, "audit-actor")}
                {text(Msg::AuditFilterSubject, whose, "audit-subject")}
                <label>
                    {move || tr(Msg::AuditFilterAction)}
                    <select data-test="audit-action" on:change=move |ev| what.set(event_target_value(&ev))>
                        <option value="">"—"</option>
                        {["resident.contact", "call.staff", "call.reporter", "read_staff_contacts", "alert.follow_up", "roster.export", "resident.confirm_account", "resident.import"]
                            .into_iter()
                            .map(|a| view! { <option value=a>{a}</option> })
                            .collect_view()}
                    </select>
                </label>
                {date(Msg::AuditFilterFrom, from, "audit-from")}
                {date(Msg::AuditFilterTo, to, "audit-to")}
                <button type="submit" class="primary">{move || tr(Msg::AuditFilter)}</button>
            </form>
            <Transition fallback=loading>
                {move || log.get().map(|r| match r {
                    Ok(page) => {
                        let next = page.next;
                        view! {
                            <p class="muted" data-test="audit-total">{move || tr(Msg::AuditCount).replace("{n}", &page.total.to_string())}</p>
                            <div class="table-wrap" tabindex="0" role="region" aria-label=move || tr(Msg::AuditTitle)>
                                <table data-test="audit">
                                    <thead><tr>
                                        <th scope="col">{move || tr(Msg::AuditWhen)}</th>
                                        <th scope="col">{move || tr(Msg::AuditWho)}</th>
                                        <th scope="col">{move || tr(Msg::AuditWhat)}</th>
                                        <th scope="col">{move || tr(Msg::AuditSubject)}</th>
                                    </tr></thead>
                                    <tbody>
                                        {page.entries.into_iter().map(|e| view! {
                                            <tr><td>{format_cst(e.at)}</td><td>{e.actor}</td><td>{e.action}</td><td>{e.subject}</td></tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                            {next.map(|n| view! {
                                <p><button type="button" class="secondary" data-test="audit-older"
                                    on:click=move |_| query.update(|q| q.before = Some(n))>
                                    {move || tr(Msg::AuditOlder)}</button></p>
                            })}
                        }.into_any()
                    }
                    Err(e) => error_view(e),
                })}
            </Transition>
        </section>
    }
}
