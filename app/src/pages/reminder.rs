//! 提醒: one's reminders (shifts, meetings, ratings, the staff digest), newest first
//! and the unread marked, then how and when one wants them: channels and quiet hours.
use super::Guarded;
use crate::api::reminder::{reminder_inbox, reminder_prefs, save_reminder_prefs};
use crate::components::error::ErrorNote;
use crate::components::form::{Submit, SubmitButton, listed};
use crate::domain::AppError;
use crate::domain::authz::Action;
use crate::domain::reminder::{Prefs, PrefsView, Quiet, check_prefs, hhmm, parse_hhmm};
use crate::domain::time::format_cst;
use crate::i18n::Msg;
use crate::providers::tr;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn InboxPage() -> impl IntoView {
    view! {
        <Guarded action=Action::OwnAccount title=Msg::RemindersTitle>
            <Inbox />
        </Guarded>
    }
}

#[component]
fn Inbox() -> impl IntoView {
    let inbox = Resource::new(|| (), |_| reminder_inbox());
    let prefs = Resource::new(|| (), |_| reminder_prefs());
    view! {
        {listed(inbox, Msg::RemindersEmpty, move |list| view! {
            <ul class="cards" data-test="reminders">
                {list.into_iter().map(|r| {
                    let class = if r.read { "card reminder" } else { "card reminder unread" };
                    view! {
                        <li class=class data-test="reminder" data-kind=r.kind.as_str()>
                            <A href=r.url.clone()>
                                <span class="muted">{move || tr(r.kind.label())} " · " {format_cst(r.sent_ms)}</span>
                                <strong>{r.title.clone()}</strong>
                                <span>{r.body.clone()}</span>
                                {(!r.read).then(|| view! {
                                    <span class="badge warn" data-test="reminder-new">{move || tr(Msg::RemindNew)}</span>
                                })}
                            </A>
                        </li>
                    }
                }).collect_view()}
            </ul>
        })}
        <h2 id="prefs">{move || tr(Msg::RemindPrefsTitle)}</h2>
        <Transition fallback=|| ()>
            {move || prefs.get().map(|r| match r {
                Ok(v) => view! { <PrefsForm view=v /> }.into_any(),
                Err(e) => crate::components::error::error_view(e),
            })}
        </Transition>
    }
}

#[component]
fn PrefsForm(view: PrefsView) -> impl IntoView {
    let p = view.prefs;
    let in_app = RwSignal::new(p.in_app);
    let push = RwSignal::new(p.push);
    let sms = RwSignal::new(p.sms);
    let from = RwSignal::new(hhmm(p.quiet.from));
    let to = RwSignal::new(hhmm(p.quiet.to));
    let saved = RwSignal::new(false);
    let save = Submit::new(save_reminder_prefs, move |()| saved.set(true));
    let sms_usable = view.sms_available && view.has_mobile;
    let sms_note = if !view.sms_available {
        Some(Msg::RemindSmsOff)
    } else if !view.has_mobile {
        Some(Msg::RemindSmsNoMobile)
    } else {
        None
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(false);
        let quiet = match (
            parse_hhmm(&from.get_untracked()),
            parse_hhmm(&to.get_untracked()),
        ) {
            (Some(from), Some(to)) => Quiet { from, to },
            _ => {
                save.submit(Err(AppError::invalid("quiet", Msg::ErrQuietHours)));
                return;
            }
        };
        let prefs = Prefs {
            in_app: in_app.get_untracked(),
            push: push.get_untracked(),
            sms: sms.get_untracked() && sms_usable,
            quiet,
        };
        save.submit(check_prefs(&prefs).map(|()| prefs));
    };
    let check = move |label: Msg, value: RwSignal<bool>, test: &'static str, enabled: bool| {
        view! {
            <label class="check">
                <input type="checkbox" data-test=test disabled=!enabled
                    prop:checked=move || value.get()
                    on:change=move |ev| value.set(event_target_checked(&ev)) />
                {move || tr(label)}
            </label>
        }
    };
    view! {
        <form class="form" on:submit=submit data-test="reminder-prefs">
            <fieldset>
                <legend>{move || tr(Msg::RemindPrefsTitle)}</legend>
                {check(Msg::RemindInApp, in_app, "remind-app", true)}
                {check(Msg::RemindPush, push, "remind-push", true)}
                {check(Msg::RemindSms, sms, "remind-sms", sms_usable)}
                {sms_note.map(|m| view! { <p class="muted" data-test="remind-sms-note">{move || tr(m)}</p> })}
            </fieldset>
            <fieldset>
                <legend>{move || tr(Msg::RemindQuiet)}</legend>
                <div class="row">
                    <label>
                        {move || tr(Msg::RemindQuietFrom)}
                        <input type="time" required data-test="quiet-from"
                            prop:value=from on:input=move |ev| from.set(event_target_value(&ev)) />
                    </label>
                    <label>
                        {move || tr(Msg::RemindQuietTo)}
                        <input type="time" required data-test="quiet-to"
                            prop:value=to on:input=move |ev| to.set(event_target_value(&ev)) />
                    </label>
                </div>
                <p class="muted">{move || tr(Msg::RemindQuietHint)}</p>
            </fieldset>
            <ErrorNote error=save.error() />
            <Show when=move || saved.get()>
                <p role="status" class="ok" data-test="prefs-saved">{move || tr(Msg::RemindSaved)}</p>
            </Show>
            <SubmitButton busy=save.busy_signal() label=Msg::RemindSave attr:data-test="prefs-save" />
        </form>
    }
}
