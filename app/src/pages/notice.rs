//! Staff notices: the inbox (unread marked), writing one to chosen grids, and one
//! notice, whose opening is the reader's receipt; its sender sees who has read it.
use super::{Guarded, id_param, loading, may};
use crate::api::notice::{fetch_notice, notice_inbox, send_notice};
use crate::components::elder::ReadAloud;
use crate::components::error::{ErrorNote, error_view};
use crate::components::form::{Submit, SubmitButton, listed};
use crate::components::targets::TargetPicker;
use crate::domain::authz::Action;
use crate::domain::grid::GridId;
use crate::domain::notice::{BODY_MAX, Notice, NoticeDetail, NoticeInput, TITLE_MAX, check_notice};
use crate::domain::time::format_cst;
use crate::i18n::Msg;
use crate::providers::lang::use_lang;
use crate::providers::tr;
use leptos::prelude::*;
use leptos_router::components::A;

fn read_by(lang: crate::i18n::Lang, n: &Notice) -> String {
    Msg::NoticeReadBy
        .text(lang)
        .replace("{r}", &n.reads.to_string())
        .replace("{n}", &n.recipients.to_string())
}

#[component]
pub fn NoticesPage() -> impl IntoView {
    let inbox = Resource::new(|| (), |_| notice_inbox());
    let sends = may(Action::SendNotices);
    let lang = use_lang();
    view! {
        <section class="page">
            <h1>{move || tr(Msg::NoticesTitle)}</h1>
            <Transition fallback=|| ()>
                <Show when=sends>
                    <p><A href="/notices/new" attr:class="button primary" attr:data-test="new-notice">{move || tr(Msg::NoticeNew)}</A></p>
                </Show>
            </Transition>
            {listed(inbox, Msg::NoticesEmpty, move |list| view! {
                        <ul class="cards" data-test="notice-list">
                            {list.into_iter().map(|n| {
                                let unread = n.read_at.is_none() && n.recipients > 0;
                                let summary = read_by(lang.get_untracked(), &n);
                                view! {
                                    <li class=if unread { "card notice unread" } else { "card notice" }>
                                        <A href=format!("/notices/{}", n.id.0)>
                                            <strong>{n.title.clone()}</strong>
                                            <span class="muted">{n.sender.clone()} " · " {format_cst(n.sent_at)} " · " {n.area.clone()}</span>
                                            <span class="muted" data-test="read-by">{summary}</span>
                                            <Show when=move || unread>
                                                <span class="badge warn" data-test="unread">{move || tr(Msg::NoticeUnread)}</span>
                                            </Show>
                                        </A>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    })}
        </section>
    }
}

#[component]
pub fn NoticeComposePage() -> impl IntoView {
    view! {
        <Guarded action=Action::SendNotices title=Msg::NoticeNew>
            <NoticeForm />
        </Guarded>
    }
}

#[component]
fn NoticeForm() -> impl IntoView {
    let title = RwSignal::new(String::new());
    let body = RwSignal::new(String::new());
    let targets = RwSignal::new(Vec::<GridId>::new());
    let navigate = leptos_router::hooks::use_navigate();
    let send = Submit::new(send_notice, move |id| {
        navigate(&format!("/notices/{id}"), Default::default())
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input = NoticeInput {
            title: title.get_untracked(),
            body: body.get_untracked(),
            targets: targets.get_untracked(),
        };
        send.submit(check_notice(&input).map(|()| input));
    };
    view! {
        <form class="form" on:submit=submit data-test="notice-form">
            <label>
                {move || tr(Msg::AlertTitleField)}
                <input type="text" maxlength=TITLE_MAX.to_string() required data-test="notice-title"
                    prop:value=title on:input=move |ev| title.set(event_target_value(&ev)) />
            </label>
            <label>
                {move || tr(Msg::AlertBodyField)}
                <textarea rows="6" maxlength=BODY_MAX.to_string() required data-test="notice-body"
                    prop:value=body on:input=move |ev| body.set(event_target_value(&ev))></textarea>
            </label>
            <TargetPicker targets=targets hint=Msg::NoticeTargetsHint />
            <ErrorNote error=send.error() />
            <SubmitButton busy=send.busy_signal() label=Msg::NoticeSend attr:data-test="notice-send" />
        </form>
    }
}

#[component]
pub fn NoticePage() -> impl IntoView {
    let id = id_param();
    let detail = Resource::new(id, fetch_notice);
    view! {
        <section class="page narrow">
            <Transition fallback=loading>
                {move || detail.get().map(|r| match r {
                    Ok(d) => view! { <NoticeView d=d /> }.into_any(),
                    Err(e) => error_view(e),
                })}
            </Transition>
        </section>
    }
}

#[component]
fn NoticeView(d: NoticeDetail) -> impl IntoView {
    let lang = use_lang();
    let n = d.notice;
    let summary = read_by(lang.get_untracked(), &n);
    view! {
        <article class="notice-detail" data-test="notice-detail">
            <p class="muted">{move || tr(Msg::NoticesTitle)} " · " {n.area.clone()}</p>
            <h1>{n.title.clone()}</h1>
            <p class="alert-body">{n.body.clone()}</p>
            <ReadAloud text=format!("{}。{}", n.title, n.body) />
            <p class="muted">{n.sender.clone()} " · " {format_cst(n.sent_at)}</p>
            {n.read_at.map(|t| view! { <p class="ok" data-test="my-receipt">{move || tr(Msg::NoticeRead)} " · " {format_cst(t)}</p> })}
        </article>
        {d.receipts.map(|rows| view! {
            <section class="card" data-test="receipts">
                <h2>{move || tr(Msg::NoticeReceipts)} " · " <span data-test="receipt-summary">{summary}</span></h2>
                <div class="table-wrap" tabindex="0" role="region" aria-label=move || tr(Msg::NoticeReceipts)>
                    <table>
                        <tbody>
                            {rows.into_iter().map(|r| {
                                let read = r.read_at.is_some();
                                view! {
                                    <tr class=if read { "" } else { "unread" } data-test="receipt-row">
                                        <td>{r.name.clone()}</td>
                                        <td class="muted">{r.place.clone()}</td>
                                        <td>{match r.read_at {
                                            Some(t) => view! { <span class="ok">{move || tr(Msg::NoticeRead)} " " {format_cst(t)}</span> }.into_any(),
                                            None => view! { <span class="badge warn">{move || tr(Msg::NoticeNotRead)}</span> }.into_any(),
                                        }}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            </section>
        })}
    }
}
