//! `/worklog` (民情日志): a grid worker logs a visit or call on the phone — whom, how,
//! what she heard, the problems found, each solved on the spot or turned into a ticket
//! with one tap — and sees her care objects (关爱对象), most overdue first. Directors
//! see their community's log, comment on entries (点评), adjust care plans and see
//! coverage per grid. A photo and a position are never required.
use super::{SignInFirst, loading};
use crate::api::ticket::list_categories;
use crate::api::worklog::{
    NewEntry, PlanInput, comment_worklog, fetch_care, list_worklog, log_visit, save_care_plan,
    save_care_tags, volunteer_visits,
};
use crate::components::error::{ErrorNote, error_view};
use crate::components::form::{Submit, SubmitButton};
use crate::components::upload::new_key;
use crate::domain::AppError;
use crate::domain::resident::Tag;
use crate::domain::ticket::Category;
use crate::domain::time::{format_cst, now_ms};
use crate::domain::user::Role;
use crate::domain::worklog::{
    CareBoard, CareDue, CareTags, Cycle, How, LogEntry, LogScope, NewProblem, ProblemView, Visitor,
};
use crate::i18n::Msg;
use crate::providers::lang::use_lang;
use crate::providers::session::use_session;
use crate::providers::tr;
use leptos::prelude::*;

#[component]
pub fn WorklogPage() -> impl IntoView {
    let session = use_session();
    let role = move || session.get().map(|u| u.role);
    view! {
        <section class="page narrow">
            <h1>{move || tr(Msg::WlTitle)}</h1>
            <p class="muted">{move || tr(Msg::WlIntro)}</p>
            {move || match role() {
                None => view! { <SignInFirst /> }.into_any(),
                Some(Role::GridWorker | Role::Director | Role::Admin) => view! { <Worklog /> }.into_any(),
                // A volunteer logs the care visits assigned to her.
                Some(Role::Resident) if session.get().is_some_and(|u| u.volunteer) => view! { <Worklog /> }.into_any(),
                Some(_) => view! { <p class="card" data-test="not-staff">{move || tr(Msg::WlStaffOnly)}</p> }.into_any(),
            }}
        </section>
    }
}

#[component]
fn Worklog() -> impl IntoView {
    let session = use_session();
    let volunteer = move || session.get().is_some_and(|u| u.role == Role::Resident);
    let worker = move || {
        session
            .get()
            .is_some_and(|u| matches!(u.role, Role::GridWorker | Role::Resident))
    };
    let reviewer = move || {
        session
            .get()
            .is_some_and(|u| matches!(u.role, Role::Director | Role::Admin))
    };
    let admin = move || session.get().is_some_and(|u| u.role == Role::Admin);
    // Bumped after each save here, so the lists are read again.
    let version = RwSignal::new(0u32);
    // A volunteer reads hers through `volunteer_visits`, which answers `None` rather
    // than an error while she has none assigned.
    let care = Resource::new(
        move || (version.get(), volunteer()),
        |(_, vol)| async move {
            if vol {
                volunteer_visits()
                    .await?
                    .map(|(board, _)| board)
                    .ok_or(AppError::Forbidden)
            } else {
                fetch_care().await
            }
        },
    );
    // One tap away: a resident's history of visits (`?resident=`), a grid's log
    // (`?grid=`); otherwise one's own (a worker) or the whole scope (a director).
    let query = leptos_router::hooks::use_query_map();
    let scope = move || {
        let q = query.read();
        let num = |k: &str| q.get(k).and_then(|v| v.parse::<i64>().ok());
        match (num("resident"), num("grid")) {
            (Some(r), _) => LogScope::Resident(r),
            (None, Some(g)) => LogScope::Grid(g),
            _ if worker() => LogScope::Mine,
            _ => LogScope::All,
        }
    };
    let log = Resource::new(
        move || (version.get(), scope(), volunteer()),
        |(_, s, vol)| async move {
            if vol {
                Ok(volunteer_visits()
                    .await?
                    .map(|(_, entries)| entries)
                    .unwrap_or_default())
            } else {
                list_worklog(s).await
            }
        },
    );
    let heading = move || match scope() {
        LogScope::Resident(_) => Msg::WlHistory,
        LogScope::Grid(_) => Msg::WlGridLog,
        _ => Msg::WlLog,
    };
    let categories = Resource::new(|| (), |_| list_categories(false));
    // The care object the form is about (a tap on "记录走访" fills it in).
    let whom = RwSignal::new(None::<i64>);
    let saved = RwSignal::new(false);
    let log_section = move || {
        view! {
            <section class="card" data-test="worklog">
                <h2 data-test="log-heading">{move || tr(heading())}</h2>
                <Show when=move || matches!(scope(), LogScope::Resident(_) | LogScope::Grid(_))>
                    <p><a href="/worklog" data-test="log-back">{move || tr(Msg::WlBackToLog)}</a></p>
                </Show>
                <Transition fallback=loading>
                    {move || log.get().map(|r| match r {
                        Ok(list) if list.is_empty() => view! { <p class="muted">{move || tr(Msg::WlNoEntries)}</p> }.into_any(),
                        Ok(list) => view! {
                            <ul class="log">
                                {list.into_iter().map(|e| view! { <Entry e=e reviewer=reviewer() version=version /> }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(e) => error_view(e),
                    })}
                </Transition>
            </section>
        }
    };
    // A volunteer sees the form and her log only once her care visits are known: with
    // none assigned she is told so, and sees nothing else.
    let volunteer_view = move || {
        view! {
            <Transition fallback=loading>
                {move || care.get().map(|r| match r {
                    Ok(board) => view! {
                        <LogForm care=care categories=categories whom=whom saved=saved version=version />
                        <Care board=board whom=whom reviewer=false admin=false version=version />
                        {log_section()}
                    }.into_any(),
                    Err(AppError::Forbidden) => view! {
                        <p class="card" data-test="volunteer-none">{move || tr(Msg::WlVolunteerNone)}</p>
                    }.into_any(),
                    Err(e) => error_view(e),
                })}
            </Transition>
        }
    };
    view! {
        <Show when=move || !volunteer() fallback=volunteer_view>
            <Show when=worker>
                <LogForm care=care categories=categories whom=whom saved=saved version=version />
            </Show>
            <Transition fallback=loading>
                {move || care.get().map(|r| match r {
                    Ok(board) => view! { <Care board=board whom=whom reviewer=reviewer() admin=admin() version=version /> }.into_any(),
                    Err(e) => error_view(e),
                })}
            </Transition>
            {log_section()}
        </Show>
    }
}

/// One problem row of the form.
#[derive(Clone, Copy)]
struct ProblemDraft {
    key: u32,
    category: RwSignal<Option<i64>>,
    note: RwSignal<String>,
    solved: RwSignal<bool>,
}

/// The form a worker fills in on the doorstep.
#[component]
fn LogForm(
    care: Resource<Result<CareBoard, AppError>>,
    categories: Resource<Result<Vec<Category>, AppError>>,
    whom: RwSignal<Option<i64>>,
    // Owned by the page: a volunteer's form is re-created when her list is read again.
    saved: RwSignal<bool>,
    version: RwSignal<u32>,
) -> impl IntoView {
    let lang = use_lang();
    let subject = RwSignal::new(String::new());
    let how = RwSignal::new(How::Visit);
    let heard = RwSignal::new(String::new());
    let problems = RwSignal::new(Vec::<ProblemDraft>::new());
    let next = StoredValue::new(0u32);
    let at = RwSignal::new(None::<(f64, f64)>);
    let locating = RwSignal::new(false);
    // Kept across retries so an entry that did arrive is not logged twice.
    let key = StoredValue::new(new_key());
    // No connection: the entry waits on the phone (its key kept) and goes by itself.
    let kept = RwSignal::new(None::<u32>);
    let submit = Submit::new(
        move |e: NewEntry| async move {
            match log_visit(e.clone()).await {
                #[cfg(feature = "hydrate")]
                Err(AppError::Offline) => {
                    let label = format!("{} {}", Msg::WlNew.text(lang.get_untracked()), e.subject);
                    let args = serde_json::json!({ "e": &e });
                    match crate::components::outbox::keep_json(
                        "worklog/log",
                        &args,
                        &e.idempotency_key,
                        label.trim(),
                    )
                    .await
                    {
                        Some(n) => Ok(Err(n)),
                        None => Err(AppError::Offline),
                    }
                }
                r => r.map(Ok),
            }
        },
        move |r: Result<i64, u32>| {
            kept.set(r.err());
            key.set_value(new_key());
            subject.set(String::new());
            heard.set(String::new());
            problems.set(Vec::new());
            at.set(None);
            whom.set(None);
            how.set(How::Visit);
            saved.set(r.is_ok());
            version.update(|v| *v += 1);
        },
    );
    let add_problem = move |_| {
        let k = next.get_value();
        next.set_value(k + 1);
        problems.update(|p| {
            p.push(ProblemDraft {
                key: k,
                category: RwSignal::new(None),
                note: RwSignal::new(String::new()),
                solved: RwSignal::new(false),
            })
        });
    };
    let locate = move |_| {
        locating.set(true);
        #[cfg(feature = "hydrate")]
        crate::pages::grid::geolocate(move |pos| {
            locating.set(false);
            at.set(pos);
        });
    };
    let go = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(false);
        kept.set(None);
        let list: Result<Vec<NewProblem>, AppError> = problems
            .get_untracked()
            .iter()
            .map(|p| {
                Ok(NewProblem {
                    category: p
                        .category
                        .get_untracked()
                        .ok_or_else(|| AppError::invalid("problems", Msg::ErrCategory))?,
                    note: p.note.get_untracked(),
                    solved: p.solved.get_untracked(),
                })
            })
            .collect();
        let resident = whom.get_untracked();
        submit.submit(list.map(|problems| NewEntry {
            resident,
            subject: if resident.is_some() {
                String::new()
            } else {
                subject.get_untracked()
            },
            how: how.get_untracked().as_str().to_owned(),
            heard: heard.get_untracked(),
            lat: at.get_untracked().map(|a| a.0),
            lng: at.get_untracked().map(|a| a.1),
            problems,
            idempotency_key: key.get_value(),
        }));
    };
    let objects = move || {
        care.get()
            .and_then(Result::ok)
            .map(|b| b.due)
            .unwrap_or_default()
    };
    view! {
        <form class="form card" on:submit=go data-test="log-form" id="log-form">
            <h2>{move || tr(Msg::WlNew)}</h2>
            <label>
                {move || tr(Msg::WlWhom)}
                <select data-test="whom" on:change=move |ev| whom.set(event_target_value(&ev).parse().ok())>
                    <option value="" selected=move || whom.get().is_none()>{move || tr(Msg::WlWhomOther)}</option>
                    <Transition fallback=|| ()>
                        {move || objects().into_iter().map(|o| {
                            let id = o.resident;
                            view! {
                                <option value=id.to_string() selected=move || whom.get() == Some(id)>
                                    {format!("{} · {}", o.name, o.grid)}
                                </option>
                            }
                        }).collect_view()}
                    </Transition>
                </select>
            </label>
            <Show when=move || whom.get().is_none()>
                <label>
                    {move || tr(Msg::WlSubject)}
                    <input type="text" maxlength="60" data-test="subject" placeholder=move || tr(Msg::WlSubjectHint)
                        prop:value=subject on:input=move |ev| subject.set(event_target_value(&ev)) />
                </label>
            </Show>
            <fieldset>
                <legend>{move || tr(Msg::WlHow)}</legend>
                <div class="choices">
                    {How::ALL.into_iter().map(|h| view! {
                        <label class="choice">
                            <input type="radio" name="how" value=h.as_str() data-test=format!("how-{}", h.as_str())
                                prop:checked=move || how.get() == h on:change=move |_| how.set(h) />
                            {move || tr(h.label())}
                        </label>
                    }).collect_view()}
                </div>
                <p class="small muted">{move || tr(Msg::WlVisitCounts)}</p>
            </fieldset>
            <label>
                {move || tr(Msg::WlHeard)}
                <textarea rows="3" maxlength="1000" data-test="heard"
                    prop:value=heard on:input=move |ev| heard.set(event_target_value(&ev))></textarea>
            </label>
            <fieldset data-test="problems">
                <legend>{move || tr(Msg::WlProblems)}</legend>
                <For each=move || problems.get() key=|p| p.key let:p>
                    <div class="problem" data-test="problem">
                        <label>
                            {move || tr(Msg::Category)}
                            <select data-test="problem-category"
                                on:change=move |ev| p.category.set(event_target_value(&ev).parse().ok())>
                                <option value="">{move || tr(Msg::ChooseCategory)}</option>
                                {move || categories.get().and_then(Result::ok).unwrap_or_default().into_iter().map(|c| {
                                    let c2 = c.clone();
                                    view! { <option value=c.id.to_string()>{move || c2.name(lang.get()).to_owned()}</option> }
                                }).collect_view()}
                            </select>
                        </label>
                        <label>
                            {move || tr(Msg::WlProblemNote)}
                            <input type="text" maxlength="500" data-test="problem-note"
                                prop:value=p.note on:input=move |ev| p.note.set(event_target_value(&ev)) />
                        </label>
                        <label class="choice">
                            <input type="checkbox" data-test="problem-solved"
                                prop:checked=p.solved on:change=move |ev| p.solved.set(event_target_checked(&ev)) />
                            {move || tr(Msg::WlSolved)}
                        </label>
                        <button type="button" class="secondary" data-test="problem-remove"
                            on:click=move |_| problems.update(|l| l.retain(|x| x.key != p.key))>
                            {move || tr(Msg::WlRemove)}
                        </button>
                    </div>
                </For>
                <button type="button" class="secondary" on:click=add_problem data-test="add-problem">
                    {move || tr(Msg::WlAddProblem)}
                </button>
            </fieldset>
            <p>
                {move || match at.get() {
                    Some(_) => view! {
                        <span data-test="position">{move || tr(Msg::WlPositionAdded)}</span> " "
                        <button type="button" class="secondary" on:click=move |_| at.set(None)>{move || tr(Msg::WlRemove)}</button>
                    }.into_any(),
                    None => view! {
                        <button type="button" class="secondary" on:click=locate disabled=locating data-test="add-position">
                            {move || tr(Msg::WlAddPosition)}
                        </button>
                    }.into_any(),
                }}
            </p>
            <ErrorNote error=submit.error() />
            <Show when=move || saved.get()>
                <p class="ok" role="status" data-test="logged">{move || tr(Msg::WlLogged)}</p>
            </Show>
            <crate::components::outbox::SavedNote saved=kept />
            <SubmitButton busy=submit.busy_signal() label=Msg::WlSave attr:data-test="log-submit" />
        </form>
        <crate::components::outbox::OutboxList />
    }
}

/// Care objects due and, for supervisors, coverage per grid.
#[component]
fn Care(
    board: CareBoard,
    whom: RwSignal<Option<i64>>,
    reviewer: bool,
    admin: bool,
    version: RwSignal<u32>,
) -> impl IntoView {
    let coverage = board.coverage.clone();
    let visitors = StoredValue::new(board.visitors.clone());
    let tags = board.care_tags.clone();
    view! {
        <section class="card" data-test="care">
            <h2>{move || tr(Msg::WlCare)}</h2>
            {admin.then(|| view! { <CareTagsForm tags=tags version=version /> })}
            {(!coverage.is_empty()).then(|| view! {
                <div class="table-wrap" tabindex="0" role="region" aria-label=move || tr(Msg::WlCoverage)>
                    <table data-test="care-coverage">
                        <caption>{move || tr(Msg::WlCoverage)}</caption>
                        <thead><tr>
                            <th scope="col">{move || tr(Msg::LevelGrid)}</th>
                            <th scope="col">{move || tr(Msg::WlObjects)}</th>
                            <th scope="col">{move || tr(Msg::WlDueSoFar)}</th>
                            <th scope="col">{move || tr(Msg::WlVisitedInCycle)}</th>
                        </tr></thead>
                        <tbody>
                            {coverage.into_iter().map(|g| view! {
                                <tr data-test="coverage-row" data-grid=g.grid.clone()>
                                    <th scope="row">{g.grid.clone()}</th>
                                    <td>{g.objects}</td>
                                    <td>{g.due}</td>
                                    <td data-test="visited">{g.visited}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            })}
            {if board.due.is_empty() {
                view! { <p class="muted">{move || tr(Msg::WlNoCare)}</p> }.into_any()
            } else {
                view! {
                    <ul class="care-list" data-test="care-due">
                        {board.due.into_iter().map(|o| view! { <CareLine o=o whom=whom reviewer=reviewer visitors=visitors version=version /> }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn CareLine(
    o: CareDue,
    whom: RwSignal<Option<i64>>,
    reviewer: bool,
    visitors: StoredValue<Vec<Visitor>>,
    version: RwSignal<u32>,
) -> impl IntoView {
    let lang = use_lang();
    let id = o.resident;
    let late = o.due_ms < now_ms();
    let due = o.due_ms;
    let tags = o
        .tags
        .iter()
        .map(|t| tr(t.label()))
        .collect::<Vec<_>>()
        .join("、");
    let cycle = o.cycle.label();
    let last = o.last_visit_ms.map(format_cst);
    let visitor = o.visitor.clone();
    view! {
        <li class="card" data-test="care-object" data-id=id.to_string() data-late=late.to_string()>
            <p><strong>{o.name.clone()}</strong> " · " {o.grid.clone()} " · " {tags}</p>
            <p class="small">
                {move || tr(cycle)}
                {visitor.clone().map(|v| format!(" · {}：{v}", tr(Msg::WlVisitor)))}
            </p>
            {(!o.needs.is_empty()).then(|| view! { <p class="small">{format!("{}：{}", tr(Msg::WlNeeds), o.needs)}</p> })}
            <p class="small" class:late=late data-test="care-due-line">
                {move || match &last {
                    Some(t) => tr(Msg::WlLastVisit).replace("{t}", t),
                    None => tr(Msg::WlNeverVisited).to_owned(),
                }}
                " · "
                {move || {
                    let l = lang.get();
                    if late { Msg::WlOverdueSince.text(l) } else { Msg::WlDueBy.text(l) }.replace("{t}", &format_cst(due))
                }}
            </p>
            <Show when=move || !reviewer>
                <button type="button" class="primary" data-test="visit-now"
                    on:click=move |_| {
                        whom.set(Some(id));
                        #[cfg(feature = "hydrate")]
                        if let Some(form) = web_sys::window()
                            .and_then(|w| w.document())
                            .and_then(|d| d.get_element_by_id("log-form"))
                        {
                            form.scroll_into_view();
                        }
                    }>{move || tr(Msg::WlVisitNow)}</button>
            </Show>
            {reviewer.then(|| {
                let grid = o.grid_id;
                let choices = visitors.with_value(|v| v.iter().filter(|x| x.grid == grid).cloned().collect::<Vec<_>>());
                view! { <PlanForm resident=id cycle=o.cycle needs=o.needs.clone() visitor=o.visitor_id choices=choices version=version /> }
            })}
        </li>
    }
}

/// A director adjusts a care object's cycle and needs.
#[component]
fn PlanForm(
    resident: i64,
    cycle: Cycle,
    needs: String,
    visitor: Option<i64>,
    choices: Vec<Visitor>,
    version: RwSignal<u32>,
) -> impl IntoView {
    let c = RwSignal::new(cycle);
    let n = RwSignal::new(needs);
    let who = RwSignal::new(visitor.unwrap_or(0));
    let save = Submit::new(save_care_plan, move |_| version.update(|v| *v += 1));
    let go = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        save.submit(Ok(PlanInput {
            resident,
            cycle: c.get_untracked().as_str().to_owned(),
            visitor: who.get_untracked(),
            needs: n.get_untracked(),
        }));
    };
    view! {
        <details>
            <summary>{move || tr(Msg::WlPlan)}</summary>
            <form class="form" on:submit=go data-test="plan-form">
                <label>
                    {move || tr(Msg::WlCycle)}
                    <select data-test="plan-cycle" on:change=move |ev| {
                        if let Some(x) = Cycle::parse(&event_target_value(&ev)) { c.set(x) }
                    }>
                        {[Cycle::Week, Cycle::Month].into_iter().map(|x| view! {
                            <option value=x.as_str() selected=move || c.get() == x>{move || tr(x.label())}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label>
                    {move || tr(Msg::WlVisitor)}
                    <select data-test="plan-visitor" on:change=move |ev| who.set(event_target_value(&ev).parse().unwrap_or(0))>
                        <option value="0" selected=move || who.get() == 0>{move || tr(Msg::WlVisitorLeader)}</option>
                        {choices.into_iter().map(|v| {
                            let id = v.id;
                            let mark = v.volunteer;
                            view! {
                                <option value=id.to_string() selected=move || who.get() == id>
                                    {v.name.clone()}
                                    {move || mark.then(|| format!("（{}）", tr(Msg::WlVolunteerMark)))}
                                </option>
                            }
                        }).collect_view()}
                    </select>
                </label>
                <label>
                    {move || tr(Msg::WlNeeds)}
                    <input type="text" maxlength="500" data-test="plan-needs"
                        prop:value=n on:input=move |ev| n.set(event_target_value(&ev)) />
                </label>
                <ErrorNote error=save.error() />
                <SubmitButton busy=save.busy_signal() label=Msg::Save attr:data-test="plan-save" />
            </form>
        </details>
    }
}

/// Admins: which resident tags are cared for, each with the cycle new care plans start
/// with (or not included).
#[component]
fn CareTagsForm(tags: CareTags, version: RwSignal<u32>) -> impl IntoView {
    let choice = Tag::ALL.map(|t| (t, RwSignal::new(tags.cycle(t))));
    let saved = RwSignal::new(false);
    let save = Submit::new(save_care_tags, move |_| {
        saved.set(true);
        version.update(|v| *v += 1);
    });
    let go = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(false);
        save.submit(Ok(CareTags(
            choice
                .iter()
                .filter_map(|(t, c)| c.get_untracked().map(|c| (*t, c)))
                .collect(),
        )));
    };
    view! {
        <details data-test="care-tags">
            <summary>{move || tr(Msg::WlCareTags)}</summary>
            <form class="form" on:submit=go data-test="care-tags-form">
                <p class="small muted">{move || tr(Msg::WlCareTagsHint)}</p>
                {choice.into_iter().map(|(t, c)| view! {
                    <label>
                        {move || tr(t.label())}
                        <select data-test=format!("care-tag-{}", t.as_str()) on:change=move |ev| c.set(Cycle::parse(&event_target_value(&ev)))>
                            <option value="" selected=move || c.get().is_none()>{move || tr(Msg::WlNotCared)}</option>
                            {[Cycle::Week, Cycle::Month].into_iter().map(|x| view! {
                                <option value=x.as_str() selected=move || c.get() == Some(x)>{move || tr(x.label())}</option>
                            }).collect_view()}
                        </select>
                    </label>
                }).collect_view()}
                <ErrorNote error=save.error() />
                <Show when=move || saved.get()>
                    <p class="ok" role="status" data-test="care-tags-saved">{move || tr(Msg::WlCareTagsSaved)}</p>
                </Show>
                <SubmitButton busy=save.busy_signal() label=Msg::Save attr:data-test="care-tags-save" />
            </form>
        </details>
    }
}

/// One entry: whom, how, when, what was heard, its problems and comments.
#[component]
fn Entry(e: LogEntry, reviewer: bool, version: RwSignal<u32>) -> impl IntoView {
    let how = e.how.label();
    let at = e.at;
    let mine = e.mine;
    view! {
        <li class="card" data-test="log-entry" data-id=e.id.to_string()>
            <p>
                {match e.resident {
                    Some(r) => view! {
                        <a href=format!("/worklog?resident={r}") data-test="log-whom"><strong>{e.whom.clone()}</strong></a>
                    }.into_any(),
                    None => view! { <strong data-test="log-whom">{e.whom.clone()}</strong> }.into_any(),
                }}
                " · " {move || tr(how)} " · "
                <a href=format!("/worklog?grid={}", e.grid_id) data-test="log-grid">{e.grid.clone()}</a>
            </p>
            <p class="muted small">{format_cst(e.at_ms)} " · " {e.worker.clone()}</p>
            <p data-test="log-heard">{e.heard.clone()}</p>
            {(!e.problems.is_empty()).then(|| view! {
                <ul class="problems">
                    {e.problems.into_iter().map(|p| view! { <Problem p=p at=at mine=mine /> }).collect_view()}
                </ul>
            })}
            {(!e.comments.is_empty()).then(|| view! {
                <ul class="comments" data-test="comments">
                    {e.comments.into_iter().map(|c| view! {
                        <li><strong>{format!("{}：", c.author)}</strong>{c.body} <span class="muted small">{format!(" · {}", format_cst(c.at_ms))}</span></li>
                    }).collect_view()}
                </ul>
            })}
            {reviewer.then(|| view! { <CommentForm entry=e.id version=version /> })}
        </li>
    }
}

/// A problem: solved on the spot, its ticket, or (for its worker) one tap to the
/// report form filled in with its category, words and place.
#[component]
fn Problem(p: ProblemView, at: Option<(f64, f64)>, mine: bool) -> impl IntoView {
    let lang = use_lang();
    let name = (p.category.clone(), p.category_en.clone());
    let report = {
        let mut q = format!(
            "/report?worklog_problem={}&category={}&description={}",
            p.id,
            p.category_id,
            crate::pages::shift::urlencode(&p.note)
        );
        if let Some((lat, lng)) = at {
            q.push_str(&format!("&lat={lat}&lng={lng}"));
        }
        q
    };
    view! {
        <li data-test="log-problem" data-id=p.id.to_string()>
            {move || if lang.get() == crate::i18n::Lang::En { name.1.clone() } else { name.0.clone() }}
            "：" {p.note.clone()} " "
            {match (p.solved, p.ticket) {
                (true, _) => view! { <span class="chip" data-test="solved">{move || tr(Msg::WlSolved)}</span> }.into_any(),
                (false, Some(t)) => view! { <a href=format!("/tickets/{t}") data-test="problem-ticket">{format!("#{t}")}</a> }.into_any(),
                (false, None) if mine => view! {
                    <a class="button primary" href=report data-test="to-ticket">{move || tr(Msg::WlToTicket)}</a>
                }.into_any(),
                (false, None) => view! { <span class="chip">{move || tr(Msg::WlOpen)}</span> }.into_any(),
            }}
        </li>
    }
}

/// A supervisor's comment (点评).
#[component]
fn CommentForm(entry: i64, version: RwSignal<u32>) -> impl IntoView {
    let body = RwSignal::new(String::new());
    let send = Submit::new(
        move |(e, b): (i64, String)| comment_worklog(e, b),
        move |_| {
            body.set(String::new());
            version.update(|v| *v += 1);
        },
    );
    let go = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        send.submit(Ok((entry, body.get_untracked())));
    };
    view! {
        <form class="form" on:submit=go data-test="comment-form">
            <label>
                {move || tr(Msg::WlComment)}
                <input type="text" maxlength="500" data-test="comment"
                    prop:value=body on:input=move |ev| body.set(event_target_value(&ev)) />
            </label>
            <ErrorNote error=send.error() />
            <SubmitButton busy=send.busy_signal() label=Msg::WlCommentSend attr:data-test="comment-send" />
        </form>
    }
}
