//! The admin's ticket categories.
use super::{SignInFirst, loading};
use crate::api::grid::list_grids;
use crate::api::ticket::{list_categories, save_category};
use crate::components::error::ErrorNote;
use crate::domain::AppError;
use crate::domain::grid::{Duty, GridId, GridLevel};
use crate::domain::ticket::{Category, CategoryInput, Checker, TicketKind};
use crate::domain::user::Role;
use crate::i18n::Msg;
use crate::providers::lang::use_lang;
use crate::providers::session::use_session;
use crate::providers::tr;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn CategoryAdminPage() -> impl IntoView {
    let session = use_session();
    view! {
        <section class="page narrow">
            <h1>{move || tr(Msg::AdminCategories)}</h1>
            <p><A href="/admin/grids">{move || tr(Msg::AdminGrids)}</A></p>
            {move || match session.get() {
                Some(u) if matches!(u.role, Role::Admin | Role::Director) => view! { <CategoryEditor admin=u.role == Role::Admin /> }.into_any(),
                Some(_) => view! { <p class="error" role="alert">{move || tr(Msg::ErrForbidden)}</p> }.into_any(),
                None => view! { <SignInFirst /> }.into_any(),
            }}
        </section>
    }
}

/// Minutes typed in a number field; 0 (refused by the rules) when not a number.
fn minutes(s: &str) -> i64 {
    s.trim().parse().unwrap_or(0)
}

fn blank_category() -> CategoryInput {
    CategoryInput {
        id: None,
        code: String::new(),
        name_zh: String::new(),
        name_en: String::new(),
        kind: TicketKind::Problem,
        duty: Duty::Leader,
        accept_min: 60,
        on_site_min: None,
        resolve_min: 1440,
        community: None,
        active: true,
        checker: None,
    }
}

#[component]
fn CategoryEditor(admin: bool) -> impl IntoView {
    let lang = use_lang();
    let version = RwSignal::new(0u32);
    let list = Resource::new(move || version.get(), |_| list_categories(true));
    let grids = Resource::new(|| (), |_| list_grids());
    let form = RwSignal::new(None::<CategoryInput>);
    let error = RwSignal::new(None::<AppError>);
    let saved = RwSignal::new(false);
    let save = Action::new(move |c: &CategoryInput| {
        let c = c.clone();
        async move { save_category(c).await }
    });
    Effect::new(move |_| {
        if let Some(r) = save.value().get() {
            match r {
                Ok(_) => {
                    form.set(None);
                    saved.set(true);
                    version.update(|v| *v += 1);
                }
                Err(e) => error.set(Some(e)),
            }
        }
    });
    let edit = move |c: Option<Category>| {
        error.set(None);
        saved.set(false);
        form.set(Some(match c {
            Some(c) => CategoryInput {
                id: Some(c.id),
                code: c.code,
                name_zh: c.name_zh,
                name_en: c.name_en,
                kind: c.kind,
                duty: c.duty,
                accept_min: c.deadlines.accept_min,
                on_site_min: c.deadlines.on_site_min,
                resolve_min: c.deadlines.resolve_min,
                community: c.community,
                active: c.active,
                checker: Some(c.checker),
            },
            None => {
                let mut b = blank_category();
                if !admin {
                    b.kind = TicketKind::Service;
                }
                b
            }
        }));
    };
    let set = move |f: fn(&mut CategoryInput, String)| {
        move |ev: leptos::ev::Event| {
            let v = event_target_value(&ev);
            form.update(|c| {
                if let Some(c) = c {
                    f(c, v);
                }
            });
        }
    };
    view! {
        <button type="button" class="primary" on:click=move |_| edit(None) data-test="new-category">{move || tr(Msg::NewCategory)}</button>
        <Show when=move || saved.get()><p class="ok" role="status">{move || tr(Msg::Saved)}</p></Show>
        <Transition fallback=|| ()>
        {move || form.get().map(|c| {
            let communities = grids.get().and_then(|r| r.ok()).unwrap_or_default()
                .into_iter().filter(|g| g.level == GridLevel::Community).collect::<Vec<_>>();
            view! {
                <form class="form card" data-test="category-form" on:submit=move |ev: leptos::ev::SubmitEvent| {
                    ev.prevent_default();
                    error.set(None);
                    if let Some(c) = form.get_untracked() {
                        save.dispatch(c);
                    }
                }>
                    <label>{move || tr(Msg::Code)}
                        <input type="text" required maxlength="32" prop:value=c.code.clone() on:input=set(|c, v| c.code = v) data-test="cat-code" /></label>
                    <label>{move || tr(Msg::NameZh)}
                        <input type="text" required maxlength="40" prop:value=c.name_zh.clone() on:input=set(|c, v| c.name_zh = v) data-test="cat-name-zh" /></label>
                    <label>{move || tr(Msg::NameEn)}
                        <input type="text" required maxlength="40" prop:value=c.name_en.clone() on:input=set(|c, v| c.name_en = v) data-test="cat-name-en" /></label>
                    <label>{move || tr(Msg::Kind)}
                        <select on:change=set(|c, v| c.kind = TicketKind::parse(&v).unwrap_or(c.kind)) data-test="cat-kind">
                            {TicketKind::ALL.into_iter().map(|k| view! {
                                <option value=k.as_str() selected=k == c.kind>{move || tr(k.label())}</option>
                            }).collect_view()}
                        </select></label>
                    <label>{move || tr(Msg::DutyField)}
                        <select on:change=set(|c, v| c.duty = Duty::parse(&v).unwrap_or(c.duty))>
                            {Duty::ALL.into_iter().map(|d| view! {
                                <option value=d.as_str() selected=d == c.duty>{move || tr(d.label())}</option>
                            }).collect_view()}
                        </select></label>
                    <label>{move || tr(Msg::CheckerField)}
                        <select data-test="cat-checker" on:change=set(|c, v| c.checker = Checker::parse(&v))>
                            {Checker::ALL.into_iter().map(|k| {
                                let chosen = c.checker.unwrap_or(Checker::default_for(c.kind));
                                view! { <option value=k.as_str() selected=k == chosen>{move || tr(k.label())}</option> }
                            }).collect_view()}
                        </select></label>
                    <label>{move || tr(Msg::AcceptMin)}
                        <input type="number" min="1" inputmode="numeric" prop:value=c.accept_min.to_string() on:input=set(|c, v| c.accept_min = minutes(&v)) data-test="cat-accept" /></label>
                    <label>{move || tr(Msg::OnSiteMin)}
                        <input type="number" min="1" inputmode="numeric" prop:value=c.on_site_min.map(|m| m.to_string()).unwrap_or_default()
                            on:input=set(|c, v| c.on_site_min = (!v.trim().is_empty()).then(|| minutes(&v))) /></label>
                    <label>{move || tr(Msg::ResolveMin)}
                        <input type="number" min="1" inputmode="numeric" prop:value=c.resolve_min.to_string() on:input=set(|c, v| c.resolve_min = minutes(&v)) data-test="cat-resolve" /></label>
                    <label>{move || tr(Msg::MenuOf)}
                        <select on:change=set(|c, v| c.community = v.parse().ok().map(GridId))>
                            <option value="" selected=c.community.is_none()>{move || tr(Msg::StreetWide)}</option>
                            {communities.into_iter().map(|g| view! {
                                <option value=g.id.0.to_string() selected=c.community == Some(g.id)>{g.name}</option>
                            }).collect_view()}
                        </select></label>
                    <label class="check">
                        <input type="checkbox" prop:checked=c.active on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            form.update(|c| if let Some(c) = c { c.active = on });
                        } />
                        {move || tr(Msg::Active)}
                    </label>
                    <ErrorNote error=error />
                    <button type="submit" class="primary" disabled=save.pending() data-test="cat-save">{move || tr(Msg::Save)}</button>
                </form>
            }
        })}
        </Transition>
        <Transition fallback=loading>
            {move || list.get().map(|r| match r {
                Ok(cs) => view! {
                    <ul class="plain category-list" data-test="categories">
                        {cs.into_iter().map(|c| {
                            let c2 = c.clone();
                            let dl = c.deadlines;
                            view! {
                                <li class:inactive=!c.active>
                                    <div>
                                        <strong>{move || c2.name(lang.get()).to_owned()}</strong>
                                        <span class="muted small">{format!(" {} · ", c.code)}{move || tr(c.kind.label())}{" · "}{move || tr(c.duty.label())}{" · "}{move || tr(c.checker.label())}</span>
                                        <p class="muted small">{move || Msg::DeadlineLine.text(lang.get())
                                            .replace("{a}", &dl.accept_min.to_string())
                                            .replace("{r}", &dl.resolve_min.to_string())}</p>
                                    </div>
                                    <button type="button" class="secondary" on:click={
                                        let c = c.clone();
                                        move |_| edit(Some(c.clone()))
                                    }>{move || tr(Msg::Edit)}</button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any(),
                Err(e) => view! { <ErrorNote error=Signal::derive(move || Some(e.clone())) /> }.into_any(),
            })}
        </Transition>
    }
}
