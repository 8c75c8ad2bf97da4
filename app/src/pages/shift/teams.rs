//! The volunteer teams editor.
use crate::api::shift::{change_team, create_team, team_list, team_members};
use crate::components::error::{ErrorNote, error_view};
use crate::components::form::{Submit, SubmitButton};
use crate::domain::authz::Action;
use crate::domain::shift::{TEAM_NAME_MAX, Team, TeamChange, check_team_name};
use crate::i18n::Msg;
use crate::pages::{Guarded, chosen_grid, loading};
use crate::providers::tr;
use leptos::prelude::*;

/// `/teams`: the volunteer teams in a coordinator's grids — make one, rename it,
/// (de)activate it, add members by phone, remove them, choose the leader.
#[component]
pub fn TeamsPage() -> impl IntoView {
    view! {
        <Guarded action=Action::ManageShifts title=Msg::TeamsTitle>
            <TeamsEditor />
        </Guarded>
    }
}

#[component]
fn TeamsEditor() -> impl IntoView {
    let version = RwSignal::new(0u32);
    let teams = Resource::new(move || version.get(), |_| team_list());
    // Kept here: the list is rebuilt after each change.
    let open = RwSignal::new(None::<i64>);
    let grid = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let creating = Submit::new(
        |(g, n): (i64, String)| create_team(g, n),
        move |id| {
            name.set(String::new());
            open.set(Some(id));
            version.update(|v| *v += 1);
        },
    );
    let create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let n = name.get_untracked();
        creating.submit(
            chosen_grid(&grid.get_untracked()).and_then(|g| check_team_name(&n).map(|()| (g.0, n))),
        );
    };
    view! {
        <Transition fallback=loading>
            {move || teams.get().map(|r| match r {
                Ok(t) => {
                    let grids = t.grids.clone();
                    view! {
                        <form class="card" on:submit=create data-test="team-new" novalidate>
                            <h2>{move || tr(Msg::TeamNew)}</h2>
                            <label>
                                {move || tr(Msg::Grid)}
                                <select data-test="team-grid" prop:value=grid on:change=move |ev| grid.set(event_target_value(&ev))>
                                    <option value="">"—"</option>
                                    {grids.iter().map(|(id, n)| view! { <option value=id.0.to_string()>{n.clone()}</option> }).collect_view()}
                                </select>
                            </label>
                            <label>
                                {move || tr(Msg::TeamName)}
                                <input type="text" maxlength=TEAM_NAME_MAX.to_string() data-test="team-name"
                                    prop:value=name on:input=move |ev| name.set(event_target_value(&ev)) />
                            </label>
                            <ErrorNote error=creating.error() />
                            <SubmitButton busy=creating.busy_signal() label=Msg::TeamCreate attr:data-test="team-create" />
                        </form>
                        {t.grids.into_iter().map(|(gid, gname)| {
                            let list: Vec<Team> = t.teams.iter().filter(|x| x.grid == gid).cloned().collect();
                            view! {
                                <h2 class="day">{gname}</h2>
                                <ul class="cards">
                                    {list.into_iter().map(|team| view! { <TeamCard team=team open=open version=version /> }).collect_view()}
                                </ul>
                            }
                        }).collect_view()}
                    }.into_any()
                }
                Err(e) => error_view(e),
            })}
        </Transition>
    }
}

#[component]
fn TeamCard(team: Team, open: RwSignal<Option<i64>>, version: RwSignal<u32>) -> impl IntoView {
    let id = team.id.0;
    let active = team.active;
    let is_open = move || open.get() == Some(id);
    view! {
        <li class=if active { "card team" } else { "card team cancelled" } data-test="team" data-id=id.to_string()>
            <strong data-test="team-title">{team.name.clone()}</strong>
            <span class="muted">
                {move || tr(Msg::TeamLeader)} "：" <span data-test="team-leader">{if team.leader.is_empty() { tr(Msg::TeamNoLeader).to_owned() } else { team.leader.clone() }}</span>
                " · " {move || tr(Msg::TeamMembers)} " " <span data-test="team-count">{team.members}</span>
            </span>
            {(!active).then(|| view! { <span class="badge">{move || tr(Msg::TeamInactive)}</span> })}
            <button type="button" aria-expanded=move || is_open().to_string() data-test="team-edit"
                on:click=move |_| open.set(if is_open() { None } else { Some(id) })>
                {move || tr(if is_open() { Msg::TeamClose } else { Msg::TeamEdit })}
            </button>
            <Show when=is_open>
                <TeamMembers id=id name=team.name.clone() active=active version=version />
            </Show>
        </li>
    }
}

#[component]
fn TeamMembers(id: i64, name: String, active: bool, version: RwSignal<u32>) -> impl IntoView {
    let members = Resource::new(move || version.get(), move |_| team_members(id));
    let phone = RwSignal::new(String::new());
    let rename = RwSignal::new(name);
    let changing = Submit::new(
        move |c: TeamChange| change_team(id, c),
        move |()| {
            phone.set(String::new());
            version.update(|v| *v += 1);
        },
    );
    let change = move |c: TeamChange| changing.submit(Ok(c));
    view! {
        <div class="team-edit" data-test="team-members">
            <ErrorNote error=changing.error() />
            <Transition fallback=loading>
                {move || members.get().map(|r| match r {
                    Ok(l) if l.is_empty() => view! { <p class="muted">{move || tr(Msg::TeamNoMembers)}</p> }.into_any(),
                    Ok(l) => view! {
                        <ul class="plain">
                            {l.into_iter().map(|m| {
                                let user = m.user;
                                view! {
                                    <li data-test="member">
                                        {m.name.clone()} " " <span class="muted">{m.phone.clone()}</span>
                                        {m.leader.then(|| view! { <span class="badge ok">{move || tr(Msg::TeamLeader)}</span> })}
                                        {(!m.leader).then(|| view! {
                                            <button type="button" on:click=move |_| change(TeamChange::Lead(user)) data-test="make-leader">{move || tr(Msg::TeamMakeLeader)}</button>
                                        })}
                                        <button type="button" class="danger" on:click=move |_| change(TeamChange::Remove(user)) data-test="remove-member">{move || tr(Msg::TeamRemove)}</button>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(e) => error_view(e),
                })}
            </Transition>
            <form on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); change(TeamChange::Add(phone.get_untracked())); } novalidate>
                <label>
                    {move || tr(Msg::TeamAddPhone)}
                    <input type="tel" inputmode="numeric" maxlength="11" data-test="member-phone"
                        prop:value=phone on:input=move |ev| phone.set(event_target_value(&ev)) />
                </label>
                <button type="submit" class="primary" data-test="add-member">{move || tr(Msg::TeamAdd)}</button>
            </form>
            <form on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); change(TeamChange::Rename(rename.get_untracked())); } novalidate>
                <label>
                    {move || tr(Msg::TeamName)}
                    <input type="text" maxlength=TEAM_NAME_MAX.to_string() data-test="team-rename"
                        prop:value=rename on:input=move |ev| rename.set(event_target_value(&ev)) />
                </label>
                <button type="submit" data-test="team-rename-save">{move || tr(Msg::TeamRename)}</button>
            </form>
            <button type="button" class=if active { "danger" } else { "" } data-test="team-active"
                on:click=move |_| change(TeamChange::SetActive(!active))>
                {move || tr(if active { Msg::TeamDeactivate } else { Msg::TeamActivate })}
            </button>
        </div>
    }
}
