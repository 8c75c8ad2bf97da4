//! The SMS channel's settings as the admin sees and edits them (`/admin/sms`): which
//! provider (Alibaba Cloud or Tencent Cloud, or none), its key, the approved
//! signature and template, the account's request rate and the minutes before an
//! unopened alert goes out by SMS. The secret key is written, never read back: the
//! page only learns whether one is set, and a blank secret keeps the one there.
//! Provider error codes are explained in plain words for the test message.
use crate::domain::AppError;
use crate::i18n::Msg;
use serde::{Deserialize, Serialize};

/// What the admin submits. `provider`: "" (SMS off), "aliyun" or "tencent".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct SmsSettings {
    pub provider: String,
    /// The API's address; blank: the provider's own.
    pub url: String,
    pub key_id: String,
    /// Blank: keep the secret already saved.
    pub secret: String,
    pub sign_name: String,
    pub template: String,
    /// Tencent only: SmsSdkAppId and region.
    pub app_id: String,
    pub region: String,
    /// Requests a second the account allows.
    pub rate: u32,
    /// Minutes before an unopened alert goes out by SMS.
    pub after_min: i64,
    /// A new secret address for delivery receipts (the old one stops working).
    pub new_receipt_address: bool,
}

/// Where the settings in force come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SmsSource {
    /// Saved on `/admin/sms` (they win over the environment).
    Saved,
    /// `TONGXIN_SMS_*` in the server's environment.
    Env,
    /// Neither: no SMS is sent.
    None,
}

/// What the admin sees: the settings in force, without the secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SmsSettingsView {
    pub settings: SmsSettings,
    pub secret_set: bool,
    pub source: SmsSource,
    /// The path the provider's console must push delivery receipts to (on this
    /// site's address), when SMS is on.
    pub receipt_path: Option<String>,
}

/// A test message's fate: the provider's id, or its refusal code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SmsTestOutcome {
    pub to: String,
    pub result: Result<String, String>,
}

pub const PROVIDERS: [&str; 2] = ["aliyun", "tencent"];

/// The provider's own API address.
pub fn default_url(provider: &str) -> &'static str {
    match provider {
        "tencent" => "https://sms.tencentcloudapi.com",
        _ => "https://dysmsapi.aliyuncs.com",
    }
}

/// Plain http only to this machine (a local relay or the test provider): keys and
/// numbers never cross a network unencrypted.
fn url_ok(url: &str) -> bool {
    let (rest, local_only) = if let Some(r) = url.strip_prefix("https://") {
        (r, false)
    } else if let Some(r) = url.strip_prefix("http://") {
        (r, true)
    } else {
        return false;
    };
    let authority = rest.split('/').next().unwrap_or_default();
    let host = match authority.strip_prefix('[') {
        Some(v6) => v6
            .split(']')
            .next()
            .map(|h| format!("[{h}]"))
            .unwrap_or_default(),
        None => authority.split(':').next().unwrap_or_default().to_owned(),
    };
    let port_ok = authority.strip_prefix(host.as_str()).is_some_and(|p| {
        p.is_empty()
            || p.strip_prefix(':')
                .is_some_and(|n| n.parse::<u16>().is_ok())
    });
    !host.is_empty()
        && port_ok
        && !url.contains(['@', '?', '#', ' ', '\\'])
        && !url.chars().any(char::is_control)
        && (!local_only || matches!(host.as_str(), "127.0.0.1" | "localhost" | "[::1]"))
}

fn printable(s: &str, max: usize) -> bool {
    !s.is_empty() && s.chars().count() <= max && !s.chars().any(char::is_control)
}

/// The settings, blanks filled (the provider's address and Tencent's region), trimmed;
/// or the first field that is wrong. `had_secret`: a secret is saved already, so a
/// blank one keeps it.
pub fn check_sms(s: &SmsSettings, had_secret: bool) -> Result<SmsSettings, AppError> {
    let mut s = SmsSettings {
        provider: s.provider.trim().to_owned(),
        url: s.url.trim().trim_end_matches('/').to_owned(),
        key_id: s.key_id.trim().to_owned(),
        secret: s.secret.trim().to_owned(),
        sign_name: s.sign_name.trim().to_owned(),
        template: s.template.trim().to_owned(),
        app_id: s.app_id.trim().to_owned(),
        region: s.region.trim().to_owned(),
        ..s.clone()
    };
    if s.provider.is_empty() {
        return Ok(SmsSettings {
            provider: String::new(),
            ..SmsSettings::default()
        });
    }
    if !PROVIDERS.contains(&s.provider.as_str()) {
        return Err(AppError::invalid("provider", Msg::ErrSmsProvider));
    }
    if s.url.is_empty() {
        s.url = default_url(&s.provider).to_owned();
    }
    if !url_ok(&s.url) {
        return Err(AppError::invalid("url", Msg::ErrSmsUrl));
    }
    let key_ok = s.key_id.len() <= 128
        && !s.key_id.is_empty()
        && s.key_id.bytes().all(|b| b.is_ascii_alphanumeric());
    if !key_ok {
        return Err(AppError::invalid("key_id", Msg::ErrSmsKeyId));
    }
    if (s.secret.is_empty() && !had_secret)
        || s.secret.len() > 256
        || !s.secret.bytes().all(|b| b.is_ascii_graphic())
    {
        return Err(AppError::invalid("secret", Msg::ErrSmsSecret));
    }
    if !printable(&s.sign_name, 20) {
        return Err(AppError::invalid("sign_name", Msg::ErrSmsSign));
    }
    let template_ok = match s.provider.as_str() {
        // SMS_ followed by digits; Tencent: the template's number.
        "aliyun" => s.template.strip_prefix("SMS_").is_some_and(|d| {
            !d.is_empty() && d.len() <= 20 && d.bytes().all(|b| b.is_ascii_digit())
        }),
        _ => {
            !s.template.is_empty()
                && s.template.len() <= 20
                && s.template.bytes().all(|b| b.is_ascii_digit())
        }
    };
    if !template_ok {
        return Err(AppError::invalid("template", Msg::ErrSmsTemplate));
    }
    if s.provider == "tencent" {
        if !(s.app_id.len() == 10 && s.app_id.bytes().all(|b| b.is_ascii_digit())) {
            return Err(AppError::invalid("app_id", Msg::ErrSmsAppId));
        }
        if s.region.is_empty() {
            s.region = "ap-guangzhou".into();
        }
        if !(s.region.len() <= 32
            && s.region
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'))
        {
            return Err(AppError::invalid("region", Msg::ErrSmsRegion));
        }
    } else {
        s.app_id.clear();
        s.region.clear();
    }
    if !(1..=1000).contains(&s.rate) {
        return Err(AppError::invalid("rate", Msg::ErrSmsRate));
    }
    if !(1..=60).contains(&s.after_min) {
        return Err(AppError::invalid("after_min", Msg::ErrSmsAfter));
    }
    Ok(s)
}

/// A provider's code in plain words, for the admin reading a test's result (the code
/// itself is shown too, for the provider's support).
pub fn explain(code: &str) -> Msg {
    match code {
        "SignatureDoesNotMatch"
        | "IncompleteSignature"
        | "AuthFailure.SignatureFailure"
        | "AuthFailure.InvalidAuthorization" => Msg::SmsWhySecret,
        "InvalidAccessKeyId.NotFound" | "InvalidAccessKeyId" | "AuthFailure.SecretIdNotFound" => {
            Msg::SmsWhyKeyId
        }
        "SignatureNonceUsed" | "AuthFailure.SignatureExpire" | "InvalidTimeStamp.Expired" => {
            Msg::SmsWhyClock
        }
        "isv.SMS_SIGNATURE_ILLEGAL"
        | "isv.SMS_SIGN_ILLEGAL"
        | "FailedOperation.SignatureIncorrectOrUnapproved" => Msg::SmsWhySign,
        "isv.SMS_TEMPLATE_ILLEGAL"
        | "isv.TEMPLATE_MISSING_PARAMETERS"
        | "isv.INVALID_JSON_PARAM"
        | "FailedOperation.TemplateIncorrectOrUnapproved"
        | "FailedOperation.TemplateParamSetNotMatchApprovedTemplate" => Msg::SmsWhyTemplate,
        "InvalidParameterValue.SdkAppIdNotExist"
        | "UnauthorizedOperation.SmsSdkAppIdVerifyFail" => Msg::SmsWhyAppId,
        "isv.AMOUNT_NOT_ENOUGH"
        | "isv.OUT_OF_SERVICE"
        | "FailedOperation.InsufficientBalanceInSmsPackage" => Msg::SmsWhyBalance,
        "isv.MOBILE_NUMBER_ILLEGAL" | "InvalidParameterValue.IncorrectPhoneNumber" => {
            Msg::SmsWhyNumber
        }
        "Unreachable" => Msg::SmsWhyUnreachable,
        c if c.starts_with("Throttling")
            || c.starts_with("LimitExceeded")
            || c == "RequestLimitExceeded"
            || c == "isv.BUSINESS_LIMIT_CONTROL"
            || c == "isv.DAY_LIMIT_CONTROL" =>
        {
            Msg::SmsWhyLimit
        }
        _ => Msg::SmsWhyOther,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn aliyun() -> SmsSettings {
        SmsSettings {
            provider: "aliyun".into(),
            url: String::new(),
            key_id: "LTAI5tExample".into(),
            secret: "s3cret/Key+1".into(),
            sign_name: " 老街街道 ".into(),
            template: "SMS_123456".into(),
            app_id: "ignored".into(),
            region: "ignored".into(),
            rate: 20,
            after_min: 5,
            new_receipt_address: false,
        }
    }

    fn field(r: Result<SmsSettings, AppError>) -> String {
        match r {
            Err(AppError::Invalid { field, .. }) => field,
            other => panic!("expected a field error, got {other:?}"),
        }
    }

    #[test]
    fn fills_blanks_and_trims() {
        let s = check_sms(&aliyun(), false).unwrap();
        assert_eq!(s.url, "https://dysmsapi.aliyuncs.com");
        assert_eq!(s.sign_name, "老街街道");
        assert_eq!((s.app_id.as_str(), s.region.as_str()), ("", ""));
        let t = SmsSettings {
            provider: "tencent".into(),
            template: "1234567".into(),
            app_id: "1400000001".into(),
            region: String::new(),
            url: "https://sms.tencentcloudapi.com/".into(),
            ..aliyun()
        };
        let t = check_sms(&t, false).unwrap();
        assert_eq!(t.region, "ap-guangzhou");
        assert_eq!(t.url, "https://sms.tencentcloudapi.com");
    }

    #[test]
    fn off_needs_nothing_else() {
        let off = SmsSettings {
            provider: " ".into(),
            ..aliyun()
        };
        assert_eq!(check_sms(&off, false).unwrap(), SmsSettings::default());
    }

    #[test]
    fn refuses_each_wrong_field() {
        let with = |f: fn(&mut SmsSettings)| {
            let mut s = aliyun();
            f(&mut s);
            field(check_sms(&s, false))
        };
        assert_eq!(with(|s| s.provider = "huawei".into()), "provider");
        assert_eq!(with(|s| s.url = "http://sms.example.com".into()), "url");
        assert_eq!(with(|s| s.url = "ftp://127.0.0.1".into()), "url");
        assert_eq!(
            with(|s| s.url = "https://u:p@sms.example.com".into()),
            "url"
        );
        assert_eq!(
            with(|s| s.url = "https://sms.example.com:99999".into()),
            "url"
        );
        assert_eq!(with(|s| s.url = "https://:80".into()), "url");
        assert_eq!(
            with(|s| s.url = "http://127.0.0.1.evil.example".into()),
            "url"
        );
        assert_eq!(with(|s| s.key_id = "has space".into()), "key_id");
        assert_eq!(with(|s| s.secret = String::new()), "secret");
        assert_eq!(
            with(|s| s.sign_name = "一二三四五六七八九十一二三四五六七八九十一".into()),
            "sign_name"
        );
        assert_eq!(with(|s| s.template = "123456".into()), "template");
        assert_eq!(with(|s| s.rate = 0), "rate");
        assert_eq!(with(|s| s.rate = 1001), "rate");
        assert_eq!(with(|s| s.after_min = 0), "after_min");
        assert_eq!(with(|s| s.after_min = 61), "after_min");
        assert_eq!(
            with(|s| {
                s.provider = "tencent".into();
                s.template = "100001".into();
                s.app_id = "14000".into();
            }),
            "app_id"
        );
        assert_eq!(
            with(|s| {
                s.provider = "tencent".into();
                s.template = "SMS_1".into();
            }),
            "template"
        );
    }

    #[test]
    fn a_blank_secret_keeps_the_saved_one() {
        let s = SmsSettings {
            secret: String::new(),
            ..aliyun()
        };
        assert_eq!(field(check_sms(&s, false)), "secret");
        assert_eq!(check_sms(&s, true).unwrap().secret, "");
    }

    #[test]
    fn local_http_is_allowed_for_a_relay_on_this_machine() {
        for url in ["http://127.0.0.1:8080", "http://localhost:9000/"] {
            let s = SmsSettings {
                url: url.into(),
                ..aliyun()
            };
            assert!(check_sms(&s, false).is_ok(), "{url}");
        }
    }

    #[test]
    fn explains_codes_in_plain_words() {
        assert_eq!(explain("SignatureDoesNotMatch"), Msg::SmsWhySecret);
        assert_eq!(explain("AuthFailure.SignatureFailure"), Msg::SmsWhySecret);
        assert_eq!(explain("AuthFailure.SecretIdNotFound"), Msg::SmsWhyKeyId);
        assert_eq!(explain("isv.SMS_SIGNATURE_ILLEGAL"), Msg::SmsWhySign);
        assert_eq!(
            explain("FailedOperation.TemplateIncorrectOrUnapproved"),
            Msg::SmsWhyTemplate
        );
        assert_eq!(explain("Throttling.User"), Msg::SmsWhyLimit);
        assert_eq!(
            explain("LimitExceeded.PhoneNumberDailyLimit"),
            Msg::SmsWhyLimit
        );
        assert_eq!(explain("Unreachable"), Msg::SmsWhyUnreachable);
        assert_eq!(explain("isv.AMOUNT_NOT_ENOUGH"), Msg::SmsWhyBalance);
        assert_eq!(explain("HTTP 502"), Msg::SmsWhyOther);
    }
}
