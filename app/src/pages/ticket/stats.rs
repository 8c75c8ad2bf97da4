//! `/stats` (办事公开): a month's honest figures for the street and each community,
//! and for staff each grid. The month is in the address (`?month=2026-12`), so a
//! figure can be linked to and checked later.
use super::{MonthPicker, month_in_query};
use crate::api::ticket::ticket_stats;
use crate::components::error::error_view;
use crate::components::form::loading;
use crate::domain::stats::{Figures, percent};
use crate::domain::time::format_span;
use crate::i18n::Msg;
use crate::providers::lang::use_lang;
use crate::providers::tr;
use leptos::prelude::*;

#[component]
pub fn StatsPage() -> impl IntoView {
    let month = month_in_query();
    let figures = Resource::new(month, ticket_stats);
    let shown = Signal::derive(move || {
        figures
            .get()
            .and_then(|r| r.ok())
            .map(|m| m.month)
            .unwrap_or_default()
    });
    view! {
        <section class="page narrow">
            <h1>{move || tr(Msg::StatsTitle)}</h1>
            <p class="muted">{move || tr(Msg::StatsIntro)}</p>
            <MonthPicker path="/stats" shown=shown />
            <Transition fallback=loading>
                {move || figures.get().map(|r| match r {
                    Ok(m) => view! {
                        {(m.street.reported == 0).then(|| view! {
                            <p class="muted" data-test="empty">{move || tr(Msg::StatsEmpty)}</p>
                        })}
                        <FiguresCard name=None f=m.street />
                        <p class="card" data-test="feedback-figures">
                            {move || tr(Msg::StFeedback)
                                .replace("{c}", &m.feedback.complaints.to_string())
                                .replace("{s}", &m.feedback.suggestions.to_string())
                                .replace("{a}", &m.feedback.answered.to_string())}
                        </p>
                        <h2>{move || tr(Msg::StatsCommunities)}</h2>
                        {m.communities.into_iter().map(|(name, f)| view! { <FiguresCard name=Some(name) f=f /> }).collect_view()}
                        {(!m.grids.is_empty()).then(|| view! {
                            <h2>{move || tr(Msg::StatsGrids)}</h2>
                            {m.grids.into_iter().map(|(name, f)| view! { <FiguresCard name=Some(name) f=f /> }).collect_view()}
                        })}
                    }.into_any(),
                    Err(e) => error_view(e),
                })}
            </Transition>
        </section>
    }
}

/// One scope's figures as a card (`name`: a community or grid; none: the street):
/// shares large, what they count beside them.
#[component]
fn FiguresCard(name: Option<String>, f: Figures) -> impl IntoView {
    let lang = use_lang();
    let of = move |a: i64, b: i64| {
        Msg::StatsOf
            .text(lang.get())
            .replace("{a}", &a.to_string())
            .replace("{b}", &b.to_string())
    };
    let f2 = f.clone();
    let median = f.median_fix_ms;
    let scope = name.clone().unwrap_or_default();
    view! {
        <article class="card figures" data-test="figures" data-scope=scope>
            <h3>{move || name.clone().unwrap_or_else(|| tr(Msg::StatsStreet).to_owned())}</h3>
            <dl class="facts">
                <dt>{move || tr(Msg::StatsReported)}</dt>
                <dd data-test="reported">{f.reported}</dd>
                <dt>{move || tr(Msg::StatsFixed)}</dt>
                <dd data-test="fixed"><strong>{percent(f.fixed_share())}</strong>" "
                    <span class="muted small">{move || of(f2.fixed, f2.reported)}</span></dd>
                <dt>{move || tr(Msg::StatsMedian)}</dt>
                <dd data-test="median">{move || median.map_or_else(|| "—".to_owned(), |m| format_span(m, lang.get()))}</dd>
                <dt>{move || tr(Msg::StatsRated)}</dt>
                <dd data-test="rated"><strong>{percent(f.rated_share())}</strong>" "
                    <span class="muted small">{move || of(f2.rated, f2.rating_due)}</span></dd>
                <dt>{move || tr(Msg::StatsSatisfied)}</dt>
                <dd data-test="satisfied"><strong>{percent(f.satisfied_share())}</strong>" "
                    <span class="muted small">{move || of(f2.satisfied, f2.rated)}</span></dd>
            </dl>
        </article>
    }
}
