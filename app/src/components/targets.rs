//! Choosing who a message goes to: communities and grids as checkboxes (none
//! chosen: the sender's whole area). Only the sender's own area is offered.
use crate::api::grid::list_targets;
use crate::components::error::error_view;
use crate::domain::grid::{GridId, GridLevel};
use crate::i18n::Msg;
use crate::providers::tr;
use leptos::prelude::*;

#[component]
pub fn TargetPicker(targets: RwSignal<Vec<GridId>>, hint: Msg) -> impl IntoView {
    let grids = Resource::new(|| (), |_| list_targets());
    let toggle = move |g: GridId, on: bool| {
        targets.update(|t| {
            t.retain(|x| *x != g);
            if on {
                t.push(g);
            }
        });
    };
    view! {
        <fieldset>
            <legend>{move || tr(Msg::AlertTargets)}</legend>
            <p class="muted">{move || tr(hint)}</p>
            <Transition fallback=|| view! { <p>{move || tr(Msg::Loading)}</p> }>
                {move || grids.get().map(|r| match r {
                    Ok(gs) => gs.into_iter().map(|g| {
                        let id = g.id;
                        let class = if g.level == GridLevel::Community { "check target community" } else { "check target" };
                        view! {
                            <label class=class>
                                <input type="checkbox" data-test=format!("target-{}", g.code)
                                    prop:checked=move || targets.with(|t| t.contains(&id))
                                    on:change=move |ev| toggle(id, event_target_checked(&ev)) />
                                {g.name.clone()}
                            </label>
                        }
                    }).collect_view().into_any(),
                    Err(e) => error_view(e),
                })}
            </Transition>
        </fieldset>
    }
}
