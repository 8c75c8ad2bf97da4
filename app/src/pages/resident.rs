//! The residents registry for staff: search and filter (numbers masked), show one
//! person's numbers (audited), import a CSV/XLSX file with a row-by-row report; and
//! the admins' audit log of personal-data reads.
use crate::api::resident::{audit_log, list_residents, resident_contact};
use crate::components::error::{ErrorNote, error_view};
use crate::domain::AppError;
use crate::domain::authz::{Action, allowed};
use crate::domain::resident::{Contact, ImportOutcome, PAGE_MAX, Resident, ResidentFilter, Tag};
use crate::domain::time::format_cst;
use crate::domain::user::Actor;
use crate::i18n::Msg;
use crate::providers::lang::use_lang;
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
                            <Import />
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
                <input type="search" data-test="resident-search" placeholder=move || tr(Msg::ResidentsSearch)
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
    let error = RwSignal::new(None::<AppError>);
    let id = r.id;
    let reveal = move |_| {
        leptos::task::spawn_local(async move {
            match resident_contact(id.0).await {
                Ok(c) => shown.set(Some(c)),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <li class="card resident" data-test="resident" data-name=r.name.clone()>
            <p><strong>{r.name.clone()}</strong> " · " {r.building.clone()} " " {r.room.clone()}</p>
            <p class="muted">{r.grid_name.clone()}
                {r.has_account.then(|| view! { " · " <span class="badge ok">{move || tr(Msg::HasAccount)}</span> })}</p>
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
                        <button type="button" class="secondary" on:click=reveal data-test="reveal">{move || tr(Msg::ShowContact)}</button>
                    </p>
                }.into_any(),
            }}
            <ErrorNote error=error />
        </li>
    }
}

/// Upload with progress; the answer is the counts or the row-by-row report.
#[component]
fn Import() -> impl IntoView {
    let lang = use_lang();
    let input = NodeRef::<leptos::html::Input>::new();
    let progress = RwSignal::new(None::<f64>);
    let outcome = RwSignal::new(None::<ImportOutcome>);
    let error = RwSignal::new(None::<AppError>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        outcome.set(None);
        #[cfg(feature = "hydrate")]
        {
            let Some(file) = input.get().and_then(|i| i.files()).and_then(|f| f.get(0)) else {
                error.set(Some(AppError::invalid("file", Msg::ImportChooseFile)));
                return;
            };
            let Ok(form) = web_sys::FormData::new() else {
                return;
            };
            let _ = form.append_with_str("file_name", &file.name());
            let _ = form.append_with_blob_and_filename("file", &file, &file.name());
            progress.set(Some(0.0));
            leptos::task::spawn_local(async move {
                let answer = crate::components::upload::browser::send(
                    "/api/residents/import",
                    &form,
                    move |f| progress.set(Some(f)),
                )
                .await;
                progress.set(None);
                match answer {
                    None => error.set(Some(AppError::Internal)),
                    Some((status, body)) => {
                        // 200: counts; 422 with `errors`: the report; else an AppError.
                        match serde_json::from_str::<ImportOutcome>(&body) {
                            Ok(o) if status == 200 || !o.errors.is_empty() => outcome.set(Some(o)),
                            _ => {
                                if let Err(e) =
                                    crate::components::upload::read_answer(status, &body)
                                {
                                    error.set(Some(e));
                                }
                            }
                        }
                    }
                }
            });
        }
        let _ = input;
    };
    view! {
        <details class="card">
            <summary>{move || tr(Msg::ResidentsImport)}</summary>
            <p class="muted">{move || tr(Msg::ResidentsImportHint)}</p>
            <form class="form" on:submit=submit data-test="import-form">
                <input type="file" accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                    node_ref=input data-test="import-file" aria-label=move || tr(Msg::ResidentsImport) />
                {move || progress.get().map(|f| {
                    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                    let pct = (f * 100.0).round() as u32;
                    view! {
                        <progress max="100" value=pct.to_string()></progress>
                        <p role="status">{move || tr(Msg::Uploading).replace("{p}", &pct.to_string())}</p>
                    }
                })}
                <button type="submit" class="primary" data-test="import-submit">{move || tr(Msg::Submit)}</button>
            </form>
            <ErrorNote error=error />
            {move || outcome.get().map(|o| if o.errors.is_empty() {
                view! {
                    <p class="card ok" role="status" data-test="import-done">
                        {move || tr(Msg::ResidentsImportDone).replace("{c}", &o.created.to_string()).replace("{u}", &o.updated.to_string())}
                    </p>
                }.into_any()
            } else {
                let n = o.errors.len();
                view! {
                    <p class="error" role="alert">{move || tr(Msg::ResidentsImportFailed).replace("{n}", &n.to_string())}</p>
                    <div class="table-wrap" tabindex="0" role="region" aria-label=move || tr(Msg::ResidentsImport)>
                        <table data-test="import-errors">
                            <thead><tr>
                                <th scope="col">{move || tr(Msg::ColRow)}</th>
                                <th scope="col">{move || tr(Msg::ColColumn)}</th>
                                <th scope="col">{move || tr(Msg::ColProblem)}</th>
                                <th scope="col">{move || tr(Msg::ColValue)}</th>
                            </tr></thead>
                            <tbody>
                                {o.errors.into_iter().map(|e| view! {
                                    <tr><td>{e.row}</td><td>{e.column}</td><td>{move || e.msg.text(lang.get())}</td><td>{e.value}</td></tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            })}
        </details>
    }
}

#[component]
pub fn AuditPage() -> impl IntoView {
    let log = Resource::new(|| (), |_| audit_log());
    view! {
        <section class="page">
            <h1>{move || tr(Msg::AuditTitle)}</h1>
            <Transition fallback=loading>
                {move || log.get().map(|r| match r {
                    Ok(list) => view! {
                        <div class="table-wrap" tabindex="0" role="region" aria-label=move || tr(Msg::AuditTitle)>
                            <table data-test="audit">
                                <thead><tr>
                                    <th scope="col">{move || tr(Msg::AuditWhen)}</th>
                                    <th scope="col">{move || tr(Msg::AuditWho)}</th>
                                    <th scope="col">{move || tr(Msg::AuditWhat)}</th>
                                    <th scope="col">{move || tr(Msg::AuditSubject)}</th>
                                </tr></thead>
                                <tbody>
                                    {list.into_iter().map(|e| view! {
                                        <tr><td>{format_cst(e.at)}</td><td>{e.actor}</td><td>{e.action}</td><td>{e.subject}</td></tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }.into_any(),
                    Err(e) => error_view(e),
                })}
            </Transition>
        </section>
    }
}
