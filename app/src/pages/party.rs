//! The party organisation and 三会一课: branch rankings on `/study`, admins' tree at
//! `/study/org`, meetings at `/study/meetings` (call one, see mine, attendance rates),
//! one meeting at `/study/meetings/:id` (QR code, list, minutes) and the page its QR
//! code opens, `/study/meetings/:id/checkin?t=…`.
use super::{Guarded, id_param, loading, may};
use crate::api::party::{
    call_meeting, fetch_branch_rankings, fetch_org_tree, list_meetings, meeting_check_in,
    open_meeting, remove_org_member, save_minutes, save_org, set_org_member,
};
use crate::components::error::{ErrorNote, error_view};
use crate::components::form::{Submit, SubmitButton, first_error};
use crate::domain::AppError;
use crate::domain::authz::Action;
use crate::domain::party::{
    BranchRank, MeetingDetail, MeetingInput, MeetingKind, MeetingLine, Org, OrgInput, OrgKind,
    OrgTree, RateLine,
};
use crate::domain::time::format_cst;
use crate::i18n::Msg;
use crate::providers::session::use_session;
use crate::providers::tr;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

/// `/study`'s branch rankings: points per member, this month and in all.
#[component]
pub fn BranchRanks(#[prop(into)] version: Signal<u32>) -> impl IntoView {
    let ranks = Resource::new(move || version.get(), |_| fetch_branch_rankings());
    view! {
        <section class="card" data-test="branch-ranks">
            <h2>{move || tr(Msg::BranchRankings)}</h2>
            <p class="small muted">{move || tr(Msg::BranchRankingsHint)}</p>
            <Transition fallback=loading>
                {move || ranks.get().map(|r| match r {
                    Ok(r) => view! {
                        <h3>{move || tr(Msg::StudyThisMonth)}</h3>
                        <BranchList lines=r.month mine=r.mine test="branch-month" />
                        <h3>{move || tr(Msg::StudyAllTime)}</h3>
                        <BranchList lines=r.total mine=r.mine test="branch-total" />
                    }.into_any(),
                    Err(e) => error_view(e),
                })}
            </Transition>
        </section>
    }
}

#[component]
fn BranchList(lines: Vec<BranchRank>, mine: Option<i64>, test: &'static str) -> impl IntoView {
    if lines.is_empty() {
        return view! { <p class="muted">{move || tr(Msg::StudyNoRank)}</p> }.into_any();
    }
    view! {
        <ol class="plain ranks" data-test=test>
            {lines.into_iter().map(|l| {
                let me = mine == Some(l.branch);
                let avg = format!("{}.{}", l.per_member_tenths / 10, l.per_member_tenths % 10);
                view! {
                    <li class:me=me data-test="branch-line" data-me=me.to_string()>
                        <span>{l.rank}</span> " " <span>{l.name}</span> " "
                        <strong>{move || tr(Msg::BranchPerMember).replace("{n}", &avg)}</strong>
                        <span class="small muted">" " {move || tr(Msg::BranchMembers).replace("{n}", &l.members.to_string())}</span>
                    </li>
                }
            }).collect_view()}
        </ol>
    }
    .into_any()
}

// ---------------------------------------------------------------- the tree

#[component]
pub fn OrgPage() -> impl IntoView {
    view! {
        <Guarded action=Action::ManageStudy title=Msg::OrgTitle>
            <OrgBody />
        </Guarded>
    }
}

#[component]
fn OrgBody() -> impl IntoView {
    let version = RwSignal::new(0u32);
    let tree = Resource::new(move || version.get(), |_| fetch_org_tree());
    let changed = Callback::new(move |()| version.update(|v| *v += 1));
    view! {
        <p class="actions"><A href="/study" attr:class="button">{move || tr(Msg::StudyTitle)}</A>
            <A href="/study/meetings" attr:class="button">{move || tr(Msg::MeetingsTitle)}</A></p>
        <p class="small muted">{move || tr(Msg::OrgHint)}</p>
        <Transition fallback=loading>
            {move || tree.get().map(|r| match r {
                Ok(t) => view! { <TreeView t=t changed=changed /> }.into_any(),
                Err(e) => error_view(e),
            })}
        </Transition>
    }
}

/// Depth-first order with each organisation's depth.
fn ordered(orgs: &[Org]) -> Vec<(Org, usize)> {
    let mut out = Vec::new();
    let mut stack: Vec<(i64, usize)> = orgs
        .iter()
        .filter(|o| o.parent.is_none())
        .rev()
        .map(|o| (o.id, 0))
        .collect();
    while let Some((id, depth)) = stack.pop() {
        if out.len() > orgs.len() {
            break;
        }
        if let Some(o) = orgs.iter().find(|o| o.id == id) {
            out.push((o.clone(), depth));
            stack.extend(
                orgs.iter()
                    .filter(|c| c.parent == Some(id))
                    .rev()
                    .map(|c| (c.id, depth + 1)),
            );
        }
    }
    out
}

#[component]
fn TreeView(t: OrgTree, changed: Callback<()>) -> impl IntoView {
    let has_committee = t.orgs.iter().any(|o| o.kind == OrgKind::Committee);
    let unplaced = t.unplaced.clone();
    let members = t.members.clone();
    let placing = Submit::new(
        |(user, org, central): (i64, i64, bool)| set_org_member(user, org, central),
        move |()| changed.run(()),
    );
    let removing = Submit::new(remove_org_member, move |()| changed.run(()));
    let error = first_error(placing.error(), removing.error());
    view! {
        <ErrorNote error=error />
        {(!has_committee).then(|| view! { <OrgForm parent=None kind=OrgKind::Committee changed=changed /> })}
        {ordered(&t.orgs).into_iter().map(|(o, depth)| {
            let here: Vec<_> = members.iter().filter(|m| m.org == o.id).cloned().collect();
            let child = match o.kind {
                OrgKind::Committee => Some(OrgKind::Branch),
                OrgKind::Branch => Some(OrgKind::Group),
                OrgKind::Group => None,
            };
            let (id, kind) = (o.id, o.kind);
            view! {
                <section class="card org" style=format!("margin-left:{}rem", depth.min(3)) data-test="org" data-kind=kind.as_str()>
                    <h2><span class="small muted">{move || tr(kind.label())} " "</span>{o.name.clone()}</h2>
                    {kind.has_members().then(|| view! {
                        <ul class="plain">
                            {here.into_iter().map(|m| {
                                let (user, central) = (m.user, m.central);
                                view! {
                                    <li data-test="org-member">
                                        {m.name} {central.then(|| view! { " " <span class="step done">{move || tr(Msg::OrgCentral)}</span> })}
                                        " " <button type="button" class="small" disabled=placing.busy_signal()
                                            on:click=move |_| placing.submit(Ok((user, id, !central)))>
                                            {move || if central { tr(Msg::OrgCentralOff) } else { tr(Msg::OrgCentralOn) }}</button>
                                        " " <button type="button" class="small" disabled=removing.busy_signal()
                                            on:click=move |_| removing.submit(Ok(user))>{move || tr(Msg::OrgRemove)}</button>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                        <AddMember org=id unplaced=unplaced.clone() changed=changed />
                    })}
                    {child.map(|c| view! { <OrgForm parent=Some(id) kind=c changed=changed /> })}
                </section>
            }
        }).collect_view()}
    }
}

#[component]
fn AddMember(org: i64, unplaced: Vec<(i64, String)>, changed: Callback<()>) -> impl IntoView {
    if unplaced.is_empty() {
        return ().into_any();
    }
    let chosen = RwSignal::new(String::new());
    let central = RwSignal::new(false);
    let add = Submit::new(
        |(u, o, c): (i64, i64, bool)| set_org_member(u, o, c),
        move |()| changed.run(()),
    );
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let c = central.get_untracked();
        let user = chosen
            .get_untracked()
            .parse::<i64>()
            .map_err(|_| AppError::invalid("user", Msg::ErrNotPartyMember));
        add.submit(user.map(|user| (user, org, c)));
    };
    view! {
        <form class="row" on:submit=submit data-test="member-add">
            <label>{move || tr(Msg::OrgAddMember)}
                <select prop:value=chosen on:change=move |ev| chosen.set(event_target_value(&ev)) data-test="member-pick">
                    <option value="">"—"</option>
                    {unplaced.into_iter().map(|(id, name)| view! { <option value=id.to_string()>{name}</option> }).collect_view()}
                </select>
            </label>
            <label class="check"><input type="checkbox" prop:checked=central on:change=move |ev| central.set(event_target_checked(&ev)) />
                {move || tr(Msg::OrgCentral)}</label>
            <ErrorNote error=add.error() />
            <SubmitButton busy=add.busy_signal() label=Msg::OrgAdd class="" />
        </form>
    }
    .into_any()
}

#[component]
fn OrgForm(parent: Option<i64>, kind: OrgKind, changed: Callback<()>) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let save = Submit::new(save_org, move |_| {
        name.set(String::new());
        changed.run(());
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        save.submit(Ok(OrgInput {
            id: None,
            parent,
            kind,
            name: name.get_untracked(),
            grid: None,
        }));
    };
    view! {
        <form class="row" on:submit=submit data-test="org-add" data-kind=kind.as_str()>
            <label>{move || tr(Msg::OrgNew).replace("{k}", tr(kind.label()))}
                <input type="text" maxlength="40" prop:value=name on:input=move |ev| name.set(event_target_value(&ev)) data-test="org-name" />
            </label>
            <ErrorNote error=save.error() />
            <SubmitButton busy=save.busy_signal() label=Msg::OrgAdd class="" />
        </form>
    }
}

// ---------------------------------------------------------------- meetings

#[component]
pub fn MeetingsPage() -> impl IntoView {
    view! {
        <Guarded action=Action::Study title=Msg::MeetingsTitle>
            <MeetingsBody />
        </Guarded>
    }
}

#[component]
fn MeetingsBody() -> impl IntoView {
    let version = RwSignal::new(0u32);
    let page = Resource::new(move || version.get(), |_| list_meetings());
    view! {
        <p class="actions"><A href="/study" attr:class="button">{move || tr(Msg::StudyTitle)}</A>
            <Show when=may(Action::ManageStudy)>
                <A href="/study/org" attr:class="button" attr:data-test="org-link">{move || tr(Msg::OrgTitle)}</A>
            </Show>
        </p>
        <Transition fallback=loading>
            {move || page.get().map(|r| match r {
                Ok(p) => view! {
                    <section class="card" data-test="meetings-upcoming">
                        <h2>{move || tr(Msg::MeetingsUpcoming)}</h2>
                        <MeetingList lines=p.upcoming />
                    </section>
                    {(!p.orgs.is_empty()).then(|| view! {
                        <CallForm orgs=p.orgs.clone() on_called=Callback::new(move |()| version.update(|v| *v += 1)) />
                    })}
                    <section class="card" data-test="attendance">
                        <h2>{move || tr(Msg::MeetingsAttendance)}</h2>
                        <h3>{move || tr(Msg::MeetingsPerBranch)}</h3>
                        <RateList lines=p.branches test="rate-branch" />
                        <h3>{move || tr(Msg::MeetingsPerMember)}</h3>
                        <RateList lines=p.members test="rate-member" />
                    </section>
                    <section class="card" data-test="meetings-past">
                        <h2>{move || tr(Msg::MeetingsPast)}</h2>
                        <MeetingList lines=p.past />
                    </section>
                }.into_any(),
                Err(e) => error_view(e),
            })}
        </Transition>
    }
}

#[component]
fn MeetingList(lines: Vec<MeetingLine>) -> impl IntoView {
    if lines.is_empty() {
        return view! { <p class="muted">{move || tr(Msg::MeetingsNone)}</p> }.into_any();
    }
    view! {
        <ul class="plain">
            {lines.into_iter().map(|m| {
                let kind = m.kind;
                view! {
                    <li data-test="meeting-line">
                        <A href=format!("/study/meetings/{}", m.id)>{m.title}</A>
                        <span class="small muted">" " {move || tr(kind.label())} " · " {m.org_name} </span>
                        <br /><span class="small">{format_cst(m.starts_at)} " · " {m.place}</span>
                        <span class="small">" · " {move || tr(Msg::MeetingAttended).replace("{a}", &m.attended.to_string()).replace("{n}", &m.expected.to_string())}</span>
                        {m.mine.map(|done| view! { " " <span class="step" class:done=done data-test="meeting-mine">{move || if done { tr(Msg::MeetingCheckedIn) } else { tr(Msg::MeetingExpected) }}</span> })}
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
fn RateList(lines: Vec<RateLine>, test: &'static str) -> impl IntoView {
    if lines.is_empty() {
        return view! { <p class="muted">{move || tr(Msg::MeetingsNoRates)}</p> }.into_any();
    }
    view! {
        <ul class="plain ranks" data-test=test>
            {lines.into_iter().map(|l| {
                let pct = l.percent().unwrap_or(0);
                view! {
                    <li data-test="rate-line">
                        <span>{l.name}</span> " "
                        <strong data-test="rate">{format!("{pct}%")}</strong>
                        <span class="small muted">" (" {l.attended} " / " {l.expected} ")"</span>
                        <progress max="100" value=pct.to_string() aria-label=move || tr(Msg::MeetingsAttendance)></progress>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
fn CallForm(orgs: Vec<Org>, on_called: Callback<()>) -> impl IntoView {
    let first = orgs
        .iter()
        .find(|o| o.kind == OrgKind::Branch)
        .or(orgs.first())
        .map(|o| o.id);
    let org = RwSignal::new(first.map(|i| i.to_string()).unwrap_or_default());
    let kind = RwSignal::new(MeetingKind::Assembly.as_str().to_owned());
    let title = RwSignal::new(String::new());
    let date = RwSignal::new(String::new());
    let time = RwSignal::new("19:30".to_owned());
    let place = RwSignal::new(String::new());
    let call = Submit::new(call_meeting, move |_| {
        title.set(String::new());
        on_called.run(());
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        call.submit(Ok(MeetingInput {
            org: org.get_untracked().parse().unwrap_or(0),
            kind: MeetingKind::parse(&kind.get_untracked()).unwrap_or(MeetingKind::Lecture),
            title: title.get_untracked(),
            date: date.get_untracked(),
            time: time.get_untracked(),
            place: place.get_untracked(),
        }));
    };
    view! {
        <form class="form card" on:submit=submit data-test="meeting-form">
            <h2>{move || tr(Msg::MeetingCall)}</h2>
            <label>{move || tr(Msg::MeetingOrg)}
                <select prop:value=org on:change=move |ev| org.set(event_target_value(&ev)) data-test="meeting-org">
                    {orgs.into_iter().map(|o| {
                        let k = o.kind;
                        view! { <option value=o.id.to_string()>{o.name} " (" {move || tr(k.label())} ")"</option> }
                    }).collect_view()}
                </select>
            </label>
            <label>{move || tr(Msg::MeetingKindLabel)}
                <select prop:value=kind on:change=move |ev| kind.set(event_target_value(&ev)) data-test="meeting-kind">
                    {MeetingKind::ALL.into_iter().map(|k| view! { <option value=k.as_str()>{move || tr(k.label())}</option> }).collect_view()}
                </select>
            </label>
            <label>{move || tr(Msg::MeetingTitleLabel)}
                <input type="text" maxlength="60" required prop:value=title on:input=move |ev| title.set(event_target_value(&ev)) data-test="meeting-title" />
            </label>
            <div class="row">
                <label>{move || tr(Msg::MeetingDate)}
                    <input type="date" required prop:value=date on:input=move |ev| date.set(event_target_value(&ev)) data-test="meeting-date" />
                </label>
                <label>{move || tr(Msg::MeetingTime)}
                    <input type="time" required prop:value=time on:input=move |ev| time.set(event_target_value(&ev)) data-test="meeting-time" />
                </label>
            </div>
            <label>{move || tr(Msg::MeetingPlace)}
                <input type="text" maxlength="60" required prop:value=place on:input=move |ev| place.set(event_target_value(&ev)) data-test="meeting-place" />
            </label>
            <p class="small muted">{move || tr(Msg::MeetingCallHint)}</p>
            <ErrorNote error=call.error() />
            <SubmitButton busy=call.busy_signal() label=Msg::MeetingCall class="primary big" attr:data-test="meeting-call" />
        </form>
    }
}

#[component]
pub fn MeetingPage() -> impl IntoView {
    view! {
        <Guarded action=Action::Study title=Msg::MeetingsTitle>
            <MeetingBody />
        </Guarded>
    }
}

#[component]
fn MeetingBody() -> impl IntoView {
    let id = id_param();
    let detail = Resource::new(id, open_meeting);
    view! {
        <p class="actions"><A href="/study/meetings" attr:class="button">{move || tr(Msg::MeetingsTitle)}</A></p>
        <Transition fallback=loading>
            {move || detail.get().map(|r| match r {
                Ok(d) => view! { <MeetingView d=d /> }.into_any(),
                Err(e) => error_view(e),
            })}
        </Transition>
    }
}

#[component]
fn MeetingView(d: MeetingDetail) -> impl IntoView {
    let m = d.line;
    let (id, kind) = (m.id, m.kind);
    let minutes = RwSignal::new(d.minutes.clone());
    let saved = RwSignal::new(false);
    let keep = Submit::new(
        move |text: String| save_minutes(id, text),
        move |()| saved.set(true),
    );
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(false);
        keep.submit(Ok(minutes.get_untracked()));
    };
    let manage = d.token.is_some();
    view! {
        <article class="card" data-test="meeting">
            <h2 data-test="meeting-title">{m.title.clone()}</h2>
            <p class="small muted">{move || tr(kind.label())} " · " {m.org_name.clone()}</p>
            <p>{format_cst(m.starts_at)} " · " {m.place.clone()}</p>
            <p data-test="meeting-attended">{move || tr(Msg::MeetingAttended).replace("{a}", &m.attended.to_string()).replace("{n}", &m.expected.to_string())}</p>
            {m.mine.map(|done| view! {
                <p class="step" class:done=done data-test="meeting-mine">{move || if done { tr(Msg::MeetingCheckedIn) } else { tr(Msg::MeetingScanHint) }}</p>
            })}
        </article>
        {manage.then(|| view! {
            <section class="card" data-test="meeting-qr">
                <h2>{move || tr(Msg::MeetingQr)}</h2>
                {if d.checkin_open {
                    view! { <img class="qr" src=format!("/api/meetings/{id}/qr.svg") width="240" height="240" alt=move || tr(Msg::MeetingQr) data-test="meeting-qr-img" /> }.into_any()
                } else {
                    view! { <p class="muted">{move || tr(Msg::ErrMeetingClosed)}</p> }.into_any()
                }}
                <p class="small muted">{move || tr(Msg::MeetingQrHint)}</p>
                {d.token.clone().map(|t| view! {
                    <p class="small"><a href=format!("/study/meetings/{id}/checkin?t={t}") data-test="meeting-checkin-link">{move || tr(Msg::MeetingCheckInLink)}</a></p>
                })}
            </section>
            <section class="card" data-test="meeting-list">
                <h2>{move || tr(Msg::MeetingList)}</h2>
                <ul class="plain">
                    {d.attendees.clone().into_iter().map(|a| view! {
                        <li data-test="attendee" data-in=a.checked_in_at.is_some().to_string()>
                            {a.name} " "
                            {match a.checked_in_at {
                                Some(at) => view! { <span class="step done">{move || tr(Msg::MeetingCheckedIn)} " " {format_cst(at)}</span> }.into_any(),
                                None => view! { <span class="step">{move || tr(Msg::MeetingAbsent)}</span> }.into_any(),
                            }}
                        </li>
                    }).collect_view()}
                </ul>
            </section>
        })}
        <section class="card" data-test="meeting-minutes">
            <h2>{move || tr(Msg::MeetingMinutes)}</h2>
            {if manage {
                view! {
                    <form class="form" on:submit=save>
                        <label>{move || tr(Msg::MeetingMinutes)}
                            <textarea rows="8" maxlength="5000" prop:value=minutes on:input=move |ev| minutes.set(event_target_value(&ev)) data-test="minutes-text"></textarea>
                        </label>
                        <ErrorNote error=keep.error() />
                        <Show when=move || saved.get()>
                            <p class="ok" role="status" data-test="minutes-saved">{move || tr(Msg::StudyRuleSaved)}</p>
                        </Show>
                        <SubmitButton busy=keep.busy_signal() label=Msg::StudyRuleSave attr:data-test="minutes-save" />
                    </form>
                }.into_any()
            } else if d.minutes.is_empty() {
                view! { <p class="muted">{move || tr(Msg::MeetingNoMinutes)}</p> }.into_any()
            } else {
                view! { <p class="minutes" data-test="minutes-read">{d.minutes.clone()}</p> }.into_any()
            }}
        </section>
    }
}

/// Where a meeting's QR code leads: sign in if needed, then one tap checks in.
#[component]
pub fn MeetingCheckInPage() -> impl IntoView {
    let id = id_param();
    let query = use_query_map();
    let token = move || query.with(|q| q.get("t").unwrap_or_default());
    let session = use_session();
    let done = RwSignal::new(None::<String>);
    let checking = Submit::new(
        |(meeting, t): (i64, String)| meeting_check_in(meeting, t),
        move |points: u32| {
            done.set(Some(if points > 0 {
                tr(Msg::MeetingCheckedInPoints).replace("{n}", &points.to_string())
            } else {
                tr(Msg::MeetingCheckedIn).to_owned()
            }));
        },
    );
    let busy = checking.busy_signal();
    let check_in = move |_| checking.submit(Ok((id(), token())));
    view! {
        <section class="page narrow">
            <h1>{move || tr(Msg::MeetingCheckIn)}</h1>
            <Transition fallback=loading>
                {move || if session.get().is_none() {
                    let next = format!("/study/meetings/{}/checkin?t={}", id(), token());
                    view! { <p class="card"><A href=format!("/login?next={}", super::shift::urlencode(&next))>{move || tr(Msg::ShiftSignInToCheckIn)}</A></p> }.into_any()
                } else {
                    view! {
                        <Show when=move || done.get().is_none()>
                            <button type="button" class="primary big" disabled=busy on:click=check_in data-test="meeting-check-in">{move || tr(Msg::MeetingCheckIn)}</button>
                        </Show>
                    }.into_any()
                }}
            </Transition>
            <Show when=move || done.get().is_some()>
                <p class="ok" role="status" data-test="meeting-checkin-result">{move || done.get()}</p>
                <p><A href=format!("/study/meetings/{}", id()) attr:class="button">{move || tr(Msg::MeetingOpen)}</A></p>
            </Show>
            <ErrorNote error=checking.error() />
        </section>
    }
}
