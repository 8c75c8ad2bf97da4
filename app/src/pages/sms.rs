//! 短信通道 (`/admin/sms`): the admin chooses the SMS provider and enters its key,
//! approved signature and template, the account's rate and the minutes before an
//! unopened alert goes out by SMS; sees where the provider must push receipts; and
//! sends one test message, whose refusal is explained in plain words.
use super::Guarded;
use crate::api::sms::{load_sms_settings, save_sms_settings, send_test_sms};
use crate::components::error::ErrorNote;
use crate::components::form::{Submit, SubmitButton};
use crate::domain::authz::Action;
use crate::domain::sms::{
    SmsSettings, SmsSettingsView, SmsSource, SmsTestOutcome, check_sms, default_url, explain,
};
use crate::i18n::Msg;
use crate::providers::tr;
use leptos::prelude::*;

#[component]
pub fn SmsAdminPage() -> impl IntoView {
    let current = Resource::new(|| (), |_| load_sms_settings());
    view! {
        <Guarded action=Action::ManageSms title=Msg::AdminSms>
            <p class="row">
                <a href="/admin/grids">{move || tr(Msg::AdminGrids)}</a>
                <a href="/admin/audit">{move || tr(Msg::AuditTitle)}</a>
            </p>
            <p class="muted">{move || tr(Msg::SmsIntro)}</p>
            <Transition fallback=crate::pages::loading>
                {move || current.get().map(|r| match r {
                    Ok(v) => view! { <SmsForm view=v /> }.into_any(),
                    Err(e) => crate::components::error::error_view(e),
                })}
            </Transition>
        </Guarded>
    }
}

/// A number typed in a field; 0 (refused by the rules) when not one.
fn number<T: std::str::FromStr + Default>(s: &str) -> T {
    s.trim().parse().unwrap_or_default()
}

#[component]
fn SmsForm(view: SmsSettingsView) -> impl IntoView {
    let shown = RwSignal::new(view.clone());
    let form = RwSignal::new(view.settings);
    let saved = RwSignal::new(false);
    let save = Submit::new(save_sms_settings, move |v: SmsSettingsView| {
        form.set(v.settings.clone());
        shown.set(v);
        saved.set(true);
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(false);
        let s = form.get_untracked();
        let secret_set = shown.with_untracked(|v| v.secret_set);
        save.submit(check_sms(&s, secret_set).map(|_| s));
    };
    let set = move |f: fn(&mut SmsSettings, String)| {
        move |ev: leptos::ev::Event| {
            let v = event_target_value(&ev);
            form.update(|s| f(s, v));
        }
    };
    let provider = move || form.with(|s| s.provider.clone());
    let on = move || !provider().is_empty();
    let tencent = move || provider() == "tencent";
    let text = move |label: Msg,
                     test: &'static str,
                     get: fn(&SmsSettings) -> String,
                     put: fn(&mut SmsSettings, String)| {
        view! {
            <label>
                {move || tr(label)}
                <input type="text" autocomplete="off" spellcheck="false" data-test=test
                    prop:value=move || form.with(get) on:input=set(put) />
            </label>
        }
    };
    view! {
        <p class="card" role="status" data-test="sms-source">
            {move || tr(match shown.with(|v| v.source) {
                SmsSource::Saved => Msg::SmsSourceSaved,
                SmsSource::Env => Msg::SmsSourceEnv,
                SmsSource::None => Msg::SmsSourceNone,
            })}
        </p>
        <form class="form" on:submit=submit data-test="sms-form">
            <label>
                {move || tr(Msg::SmsProvider)}
                <select data-test="sms-provider" prop:value=provider on:change=set(|s, v| s.provider = v)>
                    <option value="" selected=move || provider().is_empty()>{move || tr(Msg::SmsNone)}</option>
                    <option value="aliyun" selected=move || provider() == "aliyun">{move || tr(Msg::SmsAliyun)}</option>
                    <option value="tencent" selected=tencent>{move || tr(Msg::SmsTencent)}</option>
                </select>
            </label>
            <Show when=on>
                <label>
                    {move || tr(Msg::SmsUrl)}
                    <input type="url" inputmode="url" autocomplete="off" data-test="sms-url"
                        placeholder=move || default_url(&provider())
                        prop:value=move || form.with(|s| s.url.clone()) on:input=set(|s, v| s.url = v) />
                </label>
                {text(Msg::SmsKeyId, "sms-key-id", |s| s.key_id.clone(), |s, v| s.key_id = v)}
                <label>
                    {move || tr(Msg::SmsSecret)}
                    <input type="password" autocomplete="new-password" data-test="sms-secret"
                        placeholder=move || if shown.with(|v| v.secret_set) { tr(Msg::SmsSecretKept) } else { "" }
                        prop:value=move || form.with(|s| s.secret.clone()) on:input=set(|s, v| s.secret = v) />
                </label>
                {text(Msg::SmsSign, "sms-sign", |s| s.sign_name.clone(), |s, v| s.sign_name = v)}
                {text(Msg::SmsTemplate, "sms-template", |s| s.template.clone(), |s, v| s.template = v)}
                <Show when=tencent>
                    {text(Msg::SmsAppId, "sms-app-id", |s| s.app_id.clone(), |s, v| s.app_id = v)}
                    {text(Msg::SmsRegion, "sms-region", |s| s.region.clone(), |s, v| s.region = v)}
                </Show>
                <div class="row">
                    <label>
                        {move || tr(Msg::SmsRate)}
                        <input type="number" inputmode="numeric" min="1" max="1000" required data-test="sms-rate"
                            prop:value=move || form.with(|s| s.rate.to_string())
                            on:input=set(|s, v| s.rate = number(&v)) />
                    </label>
                    <label>
                        {move || tr(Msg::SmsAfter)}
                        <input type="number" inputmode="numeric" min="1" max="60" required data-test="sms-after"
                            prop:value=move || form.with(|s| s.after_min.to_string())
                            on:input=set(|s, v| s.after_min = number(&v)) />
                    </label>
                </div>
                <label class="check">
                    <input type="checkbox" data-test="sms-new-receipt"
                        prop:checked=move || form.with(|s| s.new_receipt_address)
                        on:change=move |ev| { let checked = event_target_checked(&ev); form.update(|s| s.new_receipt_address = checked) } />
                    {move || tr(Msg::SmsNewReceipt)}
                </label>
            </Show>
            <ErrorNote error=save.error() />
            <Show when=move || saved.get()>
                <p role="status" class="ok" data-test="sms-saved">{move || tr(Msg::Saved)}</p>
            </Show>
            <SubmitButton busy=save.busy_signal() label=Msg::Save attr:data-test="sms-save" />
        </form>
        {move || shown.with(|v| v.receipt_path.clone()).map(|path| view! {
            <p class="card">
                {move || tr(Msg::SmsReceiptAt)}
                <br />
                <code data-test="sms-receipt-path" class="break">{path}</code>
            </p>
        })}
        <Show when=move || shown.with(|v| v.source != SmsSource::None && !v.settings.provider.is_empty())>
            <SmsTest />
        </Show>
    }
}

#[component]
fn SmsTest() -> impl IntoView {
    let phone = RwSignal::new(String::new());
    let outcome = RwSignal::new(None::<SmsTestOutcome>);
    let send = Submit::new(send_test_sms, move |o: SmsTestOutcome| outcome.set(Some(o)));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        outcome.set(None);
        send.submit(Ok(phone.get_untracked()));
    };
    view! {
        <h2>{move || tr(Msg::SmsTestTitle)}</h2>
        <form class="form" on:submit=submit data-test="sms-test">
            <p class="muted">{move || tr(Msg::SmsTestHint)}</p>
            <label>
                {move || tr(Msg::Phone)}
                <input type="tel" inputmode="tel" autocomplete="tel" required maxlength="20" data-test="sms-test-phone"
                    prop:value=phone on:input=move |ev| phone.set(event_target_value(&ev)) />
            </label>
            <ErrorNote error=send.error() />
            <SubmitButton busy=send.busy_signal() label=Msg::SmsTestSend attr:data-test="sms-test-send" />
        </form>
        {move || outcome.get().map(|o| match o.result {
            Ok(id) => view! {
                <p role="status" class="ok" data-test="sms-test-ok">
                    {o.to} " · " {move || tr(Msg::SmsTestOk).replace("{id}", &id)}
                </p>
            }.into_any(),
            Err(code) => {
                let why = explain(&code);
                view! {
                    <div role="alert" class="error" data-test="sms-test-failed">
                        <p>{o.to} " · " {move || tr(Msg::SmsTestFailed).replace("{code}", &code)}</p>
                        <p data-test="sms-test-why">{move || tr(why)}</p>
                    </div>
                }.into_any()
            }
        })}
    }
}
