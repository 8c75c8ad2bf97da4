//! Alert pages: the inbox; one alert with the answer buttons (note and position
//! optional); composing with a preview before publishing; and the live coverage per
//! grid with the follow-up list of vulnerable residents for the grid's workers.
use super::{Guarded, id_param, loading, may};
use crate::api::alert::{
    alert_coverage, alert_detail, alert_follow_ups, alert_inbox, cancel_alert, preview_audience,
    publish_alert, reach_resident,
};
use crate::components::alert::severity_class;
use crate::components::elder::ReadAloud;
use crate::components::error::{ErrorNote, error_view};
use crate::components::form::{Submit, SubmitButton};
use crate::components::live::live_alert;
use crate::components::targets::TargetPicker;
use crate::domain::AppError;
use crate::domain::alert::{
    Alert, AlertAudience, AlertId, AlertInput, AlertState, Answer, AnswerInput, CapCategory,
    Certainty, Coverage, CoverageRow, FollowUp, InboxItem, Outcome, Severity, Urgency,
    needs_follow_up,
};
use crate::domain::authz::Action;
use crate::domain::grid::GridId;
use crate::domain::time::{format_cst, now_ms};
use crate::i18n::Msg;
use crate::providers::session::use_session;
use crate::providers::tr;
use leptos::prelude::*;
use leptos_router::components::A;

fn state_label(a: &Alert) -> Msg {
    match a.state(now_ms()) {
        AlertState::Active => Msg::AlertStateActive,
        AlertState::Expired => Msg::AlertStateExpired,
        AlertState::Cancelled => Msg::AlertStateCancelled,
    }
}

#[component]
pub fn AlertsPage() -> impl IntoView {
    let live = live_alert();
    let inbox = Resource::new(move || live.get().map(|a| a.id), |_| alert_inbox());
    let publishes = may(Action::PublishAlerts);
    let session = use_session();
    view! {
        <section class="page">
            <h1>{move || tr(Msg::AlertsTitle)}</h1>
            <Transition fallback=|| ()>
                <Show when=publishes>
                    <p><A href="/alerts/new" attr:class="button primary" attr:data-test="new-alert">{move || tr(Msg::AlertNew)}</A></p>
                </Show>
            </Transition>
            <Transition fallback=loading>
                {move || inbox.get().map(|r| match r {
                    Ok(list) if list.is_empty() => view! { <p class="muted">{move || tr(Msg::AlertsEmpty)}</p> }.into_any(),
                    Ok(list) => view! {
                        <ul class="cards" data-test="alert-list">
                            {list.into_iter().map(|i| view! { <AlertLine item=i /> }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(e) => error_view(e),
                })}
            </Transition>
            <Transition fallback=|| ()>
                <Show when=move || session.get().is_some()>
                    <crate::components::push::PushToggle />
                </Show>
            </Transition>
        </section>
    }
}

#[component]
fn AlertLine(item: InboxItem) -> impl IntoView {
    let a = item.alert;
    let state = state_label(&a);
    let answer = item.answer.map(Answer::label);
    let class = format!("card alert-line {}", severity_class(a.severity));
    view! {
        <li class=class>
            <A href=format!("/alerts/{}", a.id.0)>
                <strong>{a.title.clone()}</strong>
                <span class="muted">{format_cst(a.sent_at)} " · " {a.area.clone()}</span>
                <span class="badge">{move || tr(state)}</span>
                {answer.map(|m| view! { <span class="badge ok">{move || tr(Msg::AlertYourAnswer)}{move || tr(m)}</span> })}
            </A>
        </li>
    }
}

#[component]
pub fn AlertPage() -> impl IntoView {
    let id = id_param();
    let version = RwSignal::new(0u32);
    let detail = Resource::new(move || (id(), version.get()), |(id, _)| alert_detail(id));
    view! {
        <section class="page narrow">
            <Transition fallback=loading>
                {move || detail.get().map(|r| match r {
                    Ok(item) => view! { <AlertView item=item version=version /> }.into_any(),
                    Err(e) => error_view(e),
                })}
            </Transition>
        </section>
    }
}

#[component]
fn AlertView(item: InboxItem, version: RwSignal<u32>) -> impl IntoView {
    let session = use_session();
    let a = item.alert.clone();
    let id = a.id;
    let active = a.state(now_ms()) == AlertState::Active;
    let state = state_label(&a);
    let follows = may(Action::FollowUpAlerts);
    let publishes = may(Action::PublishAlerts);
    let severity = a.severity.label();
    let category = a.category.label();
    let answered = item.answer;
    view! {
        <article class=format!("alert-detail {}", severity_class(a.severity)) data-test="alert-detail">
            <p class="alert-kicker">{move || tr(severity)} " · " {move || tr(category)} " · " <span data-test="alert-state">{move || tr(state)}</span></p>
            <h1>{a.title.clone()}</h1>
            <p class="alert-body">{a.body.clone()}</p>
            <ReadAloud text=format!("{}。{}", a.title, a.body) />
            <dl class="facts">
                <dt>{move || tr(Msg::AlertArea)}</dt><dd>{a.area.clone()}</dd>
                <dt>{move || tr(Msg::AlertSent)}</dt><dd>{format_cst(a.sent_at)}</dd>
                <dt>{move || tr(Msg::AlertExpires)}</dt><dd>{format_cst(a.expires_at)}</dd>
                <dt>{move || tr(Msg::AlertSender)}</dt><dd>{a.sender.clone()}</dd>
            </dl>
        </article>
        {answered.map(|ans| view! {
            <p class="card ok" data-test="my-answer">{move || tr(Msg::AlertYourAnswer)}{move || tr(ans.label())}
                {(!item.note.is_empty()).then(|| format!(" · {}", item.note))}</p>
        })}
        <Transition fallback=|| ()>
            {move || match (session.get().is_some(), active) {
                (true, true) => Some(view! { <AnswerForm id=id version=version /> }.into_any()),
                (false, true) => Some(view! { <p class="card"><A href="/login">{move || tr(Msg::AlertSignInToAnswer)}</A></p> }.into_any()),
                _ => None,
            }}
            <Show when=follows>
                <p><A href=format!("/alerts/{}/coverage", id.0) attr:class="button" attr:data-test="coverage-link">{move || tr(Msg::AlertCoverage)}</A></p>
            </Show>
            <Show when=move || publishes() && active>
                <CancelButton id=id version=version />
            </Show>
        </Transition>
    }
}

/// Answer with a note and, if they wish, their position (for someone who needs help).
#[component]
fn AnswerForm(id: AlertId, version: RwSignal<u32>) -> impl IntoView {
    let note = RwSignal::new(String::new());
    let with_position = RwSignal::new(false);
    // Finding the position comes first and takes a moment: busy from the tap on.
    let locating = RwSignal::new(false);
    let kept = RwSignal::new(None::<u32>);
    let answer = Submit::new(
        move |(input, label): (AnswerInput, String)| async move {
            crate::components::alert::send_answer(id, input, label).await
        },
        move |k: Option<u32>| match k {
            None => version.update(|v| *v += 1),
            Some(n) => kept.set(Some(n)),
        },
    );
    let busy = Signal::derive(move || locating.get() || answer.busy());
    let send = move |a: Answer| {
        if busy.get_untracked() {
            return;
        }
        let done = move |pos: Option<(f64, f64)>| {
            locating.set(false);
            let input = AnswerInput {
                answer: a,
                note: note.get_untracked(),
                lat: pos.map(|p| p.0),
                lng: pos.map(|p| p.1),
            };
            let label = format!("{} · {}", tr(Msg::AlertBanner), tr(a.label()));
            answer.submit(Ok((input, label)));
        };
        if with_position.get_untracked() {
            locating.set(true);
            #[cfg(feature = "hydrate")]
            crate::pages::grid::geolocate(done);
        } else {
            done(None);
        }
    };
    view! {
        <form class="form" on:submit=|ev| ev.prevent_default()>
            <label>
                {move || tr(Msg::Note)}
                <textarea rows="2" maxlength="500" data-test="answer-note"
                    on:input=move |ev| note.set(event_target_value(&ev)) prop:value=note></textarea>
            </label>
            <label class="check">
                <input type="checkbox" on:change=move |ev| with_position.set(event_target_checked(&ev)) />
                {move || tr(Msg::AlertAttachLocation)}
            </label>
            <div class="answers" role="group">
                {Answer::ALL.into_iter().map(|a| view! {
                    <button type="button" class=format!("answer answer-{}", a.as_str()) disabled=busy
                        data-test=format!("detail-answer-{}", a.as_str()) on:click=move |_| send(a)>
                        {move || tr(a.label())}
                    </button>
                }).collect_view()}
            </div>
            <crate::components::outbox::SavedNote saved=kept />
            <ErrorNote error=answer.error() />
        </form>
    }
}

#[component]
fn CancelButton(id: AlertId, version: RwSignal<u32>) -> impl IntoView {
    let cancel = Submit::new(
        move |()| cancel_alert(id.0),
        move |()| version.update(|v| *v += 1),
    );
    view! {
        <p><button type="button" class="secondary" on:click=move |_| cancel.submit(Ok(()))
            disabled=cancel.busy_signal() data-test="cancel-alert">{move || tr(Msg::AlertCancel)}</button></p>
        <ErrorNote error=cancel.error() />
    }
}

// ---------------------------------------------------------------- composing

fn blank() -> AlertInput {
    AlertInput {
        title: String::new(),
        body: String::new(),
        category: CapCategory::Met,
        urgency: Urgency::Expected,
        severity: Severity::Severe,
        certainty: Certainty::Likely,
        expires_in_min: 12 * 60,
        targets: vec![],
        follow_up_after_min: 30,
    }
}

/// A `<select>` over one of the CAP value lists.
macro_rules! cap_select {
    ($label:expr, $ty:ty, $field:ident, $input:ident, $test:literal) => {
        view! {
            <label>
                {move || tr($label)}
                <select data-test=$test on:change=move |ev| {
                    if let Some(v) = <$ty>::parse(&event_target_value(&ev)) {
                        $input.update(|i| i.$field = v);
                    }
                }>
                    {<$ty>::ALL.iter().map(|v| {
                        let v = *v;
                        view! { <option value=v.cap() selected=move || $input.with(|i| i.$field == v)>{move || tr(v.label())}</option> }
                    }).collect_view()}
                </select>
            </label>
        }
    };
}

#[component]
pub fn AlertComposePage() -> impl IntoView {
    view! {
        <Guarded action=Action::PublishAlerts title=Msg::AlertNew>
            <Compose />
        </Guarded>
    }
}

#[component]
fn Compose() -> impl IntoView {
    let input = RwSignal::new(blank());
    let previewing = RwSignal::new(false);
    // The form's own check, before the preview.
    let error = RwSignal::new(None::<AppError>);
    let targets = RwSignal::new(Vec::<GridId>::new());
    let navigate = leptos_router::hooks::use_navigate();
    let preview = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        input.update(|i| i.targets = targets.get_untracked());
        match crate::domain::alert::check_input(&input.get_untracked()) {
            Ok(()) => previewing.set(true),
            Err(e) => error.set(Some(e)),
        }
    };
    // Whom it will reach, asked each time the preview opens (pages come and go).
    let audience = Resource::new(
        move || {
            previewing
                .get()
                .then(|| input.with(|i| i.targets.iter().map(|g| g.0).collect::<Vec<_>>()))
        },
        |targets| async move {
            match targets {
                Some(t) => Some(preview_audience(t).await),
                None => None,
            }
        },
    );
    // The server's no stays on the preview, with "back" to change the form.
    let publish = Submit::new(publish_alert, move |a: Alert| {
        navigate(&format!("/alerts/{}/coverage", a.id.0), Default::default());
    });
    let hours = [1i64, 3, 6, 12, 24, 48, 72];
    let follow = [10i64, 30, 60, 120, 240];
    view! {
        <Show when=move || !previewing.get()>
            <form class="form" on:submit=preview data-test="alert-form">
                <label>
                    {move || tr(Msg::AlertTitleField)}
                    <input type="text" maxlength="60" required data-test="alert-title-input"
                        prop:value=move || input.with(|i| i.title.clone())
                        on:input=move |ev| input.update(|i| i.title = event_target_value(&ev)) />
                </label>
                <label>
                    {move || tr(Msg::AlertBodyField)}
                    <textarea rows="5" maxlength="2000" required data-test="alert-body-input"
                        prop:value=move || input.with(|i| i.body.clone())
                        on:input=move |ev| input.update(|i| i.body = event_target_value(&ev))></textarea>
                </label>
                {cap_select!(Msg::AlertCategory, CapCategory, category, input, "alert-category")}
                {cap_select!(Msg::AlertSeverity, Severity, severity, input, "alert-severity")}
                {cap_select!(Msg::AlertUrgency, Urgency, urgency, input, "alert-urgency")}
                {cap_select!(Msg::AlertCertainty, Certainty, certainty, input, "alert-certainty")}
                <label>
                    {move || tr(Msg::AlertExpiresIn)}
                    <select data-test="alert-expires" on:change=move |ev| {
                        if let Ok(h) = event_target_value(&ev).parse::<i64>() { input.update(|i| i.expires_in_min = h * 60) }
                    }>
                        {hours.into_iter().map(|h| view! {
                            <option value=h.to_string() selected=move || input.with(|i| i.expires_in_min == h * 60)>
                                {move || tr(Msg::Hours).replace("{n}", &h.to_string())}
                            </option>
                        }).collect_view()}
                    </select>
                </label>
                <label>
                    {move || tr(Msg::AlertFollowUpAfter)}
                    <select data-test="alert-follow-up" on:change=move |ev| {
                        if let Ok(m) = event_target_value(&ev).parse::<i64>() { input.update(|i| i.follow_up_after_min = m) }
                    }>
                        {follow.into_iter().map(|m| view! {
                            <option value=m.to_string() selected=move || input.with(|i| i.follow_up_after_min == m)>
                                {move || tr(Msg::Minutes).replace("{n}", &m.to_string())}
                            </option>
                        }).collect_view()}
                    </select>
                </label>
                <TargetPicker targets=targets hint=Msg::AlertTargetsHint />
                <ErrorNote error=error />
                <button type="submit" class="primary" data-test="alert-preview">{move || tr(Msg::AlertPreview)}</button>
            </form>
        </Show>
        <Show when=move || previewing.get()>
            <p>{move || tr(Msg::AlertPreviewNote)}</p>
            {move || {
                let i = input.get();
                let sev = i.severity.label();
                view! {
                    <section class=format!("alert-banner preview {}", severity_class(i.severity)) data-test="alert-preview-box">
                        <p class="alert-kicker">"⚠ " {move || tr(Msg::AlertBanner)} " · " {move || tr(sev)}</p>
                        <h2>{i.title.clone()}</h2>
                        <p class="alert-body">{i.body.clone()}</p>
                    </section>
                }
            }}
            <Transition fallback=loading>
                {move || audience.get().flatten().map(|r| match r {
                    Ok(a) => view! { <AudienceTable a=a /> }.into_any(),
                    Err(e) => error_view(e),
                })}
            </Transition>
            <ErrorNote error=publish.error() />
            <form class="row" on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                publish.submit(Ok(input.get_untracked()));
            }>
                <button type="button" class="secondary" on:click=move |_| { publish.clear(); previewing.set(false) }>{move || tr(Msg::AlertBack)}</button>
                <SubmitButton busy=publish.busy_signal() label=Msg::AlertPublish class="primary danger" attr:data-test="alert-publish" />
            </form>
        </Show>
    }
}

/// The preview's "will reach": each grid with its community, registered residents
/// and pages open now, and the pages that show every alert.
#[component]
fn AudienceTable(a: AlertAudience) -> impl IntoView {
    let (area, residents, pages) = (a.area.clone(), a.residents, a.pages);
    let summary = move || {
        tr(Msg::AudienceSummary)
            .replace("{area}", &area)
            .replace("{r}", &residents.to_string())
            .replace("{p}", &pages.to_string())
    };
    let anywhere = a.pages_anywhere;
    view! {
        <section class="card" data-test="alert-audience">
            <h2>{move || tr(Msg::AudienceTitle)}</h2>
            <p data-test="audience-summary">{summary}</p>
            <Show when=move || { anywhere > 0 }>
                <p class="muted" data-test="audience-anywhere">
                    {move || tr(Msg::AudienceAnywhere).replace("{n}", &anywhere.to_string())}
                </p>
            </Show>
            <div class="table-wrap" tabindex="0" role="region" aria-label=move || tr(Msg::AudienceTitle)>
                <table class="coverage" data-test="audience">
                    <thead>
                        <tr>
                            <th scope="col">{move || tr(Msg::CovGrid)}</th>
                            <th scope="col">{move || tr(Msg::AudienceCommunity)}</th>
                            <th scope="col">{move || tr(Msg::CovTargeted)}</th>
                            <th scope="col">{move || tr(Msg::AudiencePages)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {a.rows.into_iter().map(|r| view! {
                            <tr data-test=format!("audience-{}", r.grid.0)>
                                <th scope="row">{r.grid_name}</th>
                                <td>{r.community}</td>
                                <td data-col="residents">{r.residents}</td>
                                <td data-col="pages">{r.pages}</td>
                            </tr>
                        }).collect_view()}
                        <tr class="total" data-test="audience-total">
                            <th scope="row">{move || tr(Msg::CovTotal)}</th>
                            <td></td>
                            <td data-col="residents">{a.residents}</td>
                            <td data-col="pages">{a.pages}</td>
                        </tr>
                    </tbody>
                </table>
            </div>
        </section>
    }
}

// ---------------------------------------------------------------- coverage

#[component]
pub fn AlertCoveragePage() -> impl IntoView {
    let id = id_param();
    let tick = RwSignal::new(0u32);
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        if let Ok(h) = set_interval_with_handle(
            move || tick.update(|n| *n = n.wrapping_add(1)),
            std::time::Duration::from_secs(3),
        ) {
            on_cleanup(move || h.clear());
        }
    });
    let coverage = Resource::new(move || (id(), tick.get()), |(id, _)| alert_coverage(id));
    let version = RwSignal::new(0u32);
    let follow = Resource::new(
        move || (id(), version.get()),
        |(id, _)| alert_follow_ups(id),
    );
    view! {
        <section class="page">
            <h1>{move || tr(Msg::AlertCoverage)}</h1>
            <Transition fallback=loading>
                {move || coverage.get().map(|r| match r {
                    Ok(c) => view! { <CoverageTable c=c /> }.into_any(),
                    Err(e) => error_view(e),
                })}
            </Transition>
            <h2>{move || tr(Msg::FollowUpTitle)}</h2>
            <Transition fallback=loading>
                {move || follow.get().map(|r| match r {
                    Ok(l) if !l.open => view! {
                        <p class="card" data-test="follow-up-closed">{move || tr(Msg::FollowUpOpensAt).replace("{t}", &format_cst(l.opens_at))}</p>
                    }.into_any(),
                    Ok(l) if l.items.is_empty() => view! { <p class="muted">{move || tr(Msg::FollowUpEmpty)}</p> }.into_any(),
                    Ok(l) => view! {
                        <ul class="cards" data-test="follow-up-list">
                            {l.items.into_iter().map(|f| view! { <FollowUpLine alert=AlertId(id()) f=f version=version /> }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(e) => error_view(e),
                })}
            </Transition>
        </section>
    }
}

#[component]
fn CoverageTable(c: Coverage) -> impl IntoView {
    let a = c.alert.clone();
    let sms = c.sms_on;
    let row = |r: CoverageRow, total: bool| {
        let name = if total {
            view! { <th scope="row">{move || tr(Msg::CovTotal)}</th> }.into_any()
        } else if r.grid.is_none() {
            view! { <th scope="row">{move || tr(Msg::CovUnplaced)}</th> }.into_any()
        } else {
            view! { <th scope="row">{r.grid_name.clone()}</th> }.into_any()
        };
        let test = if total {
            "coverage-total".to_owned()
        } else {
            format!("coverage-{}", r.grid.map_or(0, |g| g.0))
        };
        view! {
            <tr data-test=test class:total=total>
                {name}
                <td data-col="targeted">{r.targeted}</td>
                <td data-col="delivered">{r.delivered}</td>
                <td data-col="opened">{r.opened}</td>
                <td data-col="confirmed">{r.confirmed}</td>
                <td data-col="need_help" class:warn={r.need_help > 0}>{r.need_help}</td>
                <td data-col="reached">{r.reached}</td>
                {sms.then(|| view! {
                    <td data-col="sms_sent">{r.sms_sent}</td>
                    <td data-col="sms_delivered">{r.sms_delivered}</td>
                    <td data-col="sms_failed" class:warn={r.sms_failed > 0}>{r.sms_failed}</td>
                })}
                <td data-col="unreached" class:warn={r.unreached > 0}>{r.unreached}</td>
            </tr>
        }
    };
    view! {
        <p><A href=format!("/alerts/{}", a.id.0)><strong>{a.title.clone()}</strong></A>
            " · " {a.area.clone()} " · " {format_cst(a.sent_at)}</p>
        <p class="muted" role="status">{move || tr(Msg::CovLive)}</p>
        <p class="small" data-test="sms-note">
            {move || tr(if sms { Msg::CovSmsOn } else { Msg::CovSmsOff })}
        </p>
        {c.sms_error.clone().map(|e| view! {
            <p class="error" role="alert" data-test="sms-error">{move || tr(Msg::CovSmsError)} " " <code>{e.clone()}</code></p>
        })}
        <div class="table-wrap" tabindex="0" role="region" aria-label=move || tr(Msg::AlertCoverage)>
            <table class="coverage" data-test="coverage">
                <thead>
                    <tr>
                        <th scope="col">{move || tr(Msg::CovGrid)}</th>
                        <th scope="col">{move || tr(Msg::CovTargeted)}</th>
                        <th scope="col">{move || tr(Msg::CovDelivered)}</th>
                        <th scope="col">{move || tr(Msg::CovOpened)}</th>
                        <th scope="col">{move || tr(Msg::CovConfirmed)}</th>
                        <th scope="col">{move || tr(Msg::CovNeedHelp)}</th>
                        <th scope="col">{move || tr(Msg::CovReached)}</th>
                        {sms.then(|| view! {
                            <th scope="col">{move || tr(Msg::CovSmsSent)}</th>
                            <th scope="col">{move || tr(Msg::CovSmsDelivered)}</th>
                            <th scope="col">{move || tr(Msg::CovSmsFailed)}</th>
                        })}
                        <th scope="col">{move || tr(Msg::CovUnreached)}</th>
                    </tr>
                </thead>
                <tbody>
                    {c.rows.into_iter().map(|r| row(r, false)).collect_view()}
                    {row(c.total, true)}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn FollowUpLine(alert: AlertId, f: FollowUp, version: RwSignal<u32>) -> impl IntoView {
    let pending = needs_follow_up(&f.tags, f.answer, f.outcome);
    let note = RwSignal::new(String::new());
    let resident = f.resident;
    let record = Submit::new(
        move |outcome: Outcome| reach_resident(alert.0, resident.0, outcome, note.get_untracked()),
        move |()| version.update(|v| *v += 1),
    );
    let tel = (!f.phone.contains('*')).then(|| format!("tel:{}", f.phone));
    let answer = f.answer.map(Answer::label);
    let outcome = f.outcome.map(Outcome::label);
    view! {
        <li class="card follow-up" class:pending=pending data-test="follow-up" data-name=f.name.clone()>
            <p><strong>{f.name.clone()}</strong> " · " {f.address.clone()} " · " {f.grid_name.clone()}</p>
            <p>{f.tags.iter().map(|t| { let m = t.label(); view! { <span class="badge tag">{move || tr(m)}</span> } }).collect_view()}</p>
            <p>
                {match tel {
                    Some(href) => view! { <a class="button" href=href data-test="call">{move || tr(Msg::Call)} " " {f.phone.clone()}</a> }.into_any(),
                    None => view! { <span>{f.phone.clone()}</span> }.into_any(),
                }}
            </p>
            <p class="muted">{move || tr(Msg::FollowUpApp)}
                {move || answer.map_or_else(|| tr(Msg::FollowUpNoAnswer), tr)}</p>
            {outcome.map(|m| view! {
                <p data-test="outcome">{move || tr(Msg::FollowUpResult)}{move || tr(m)}
                    {(!f.outcome_note.is_empty()).then(|| format!(" · {}", f.outcome_note))}
                    " · " {f.outcome_by.clone()}</p>
            })}
            <label>
                {move || tr(Msg::Note)}
                <input type="text" maxlength="500" on:input=move |ev| note.set(event_target_value(&ev)) prop:value=note />
            </label>
            <div class="answers" role="group">
                {Outcome::ALL.into_iter().map(|o| view! {
                    <button type="button" class="secondary" data-test=format!("reach-{}", o.as_str())
                        disabled=record.busy_signal() on:click=move |_| record.submit(Ok(o))>{move || tr(o.label())}</button>
                }).collect_view()}
            </div>
            <ErrorNote error=record.error() />
        </li>
    }
}
