//! Tencent Cloud SMS (sms.tencentcloudapi.com, API version 2021-01-11), `SendSms`
//! signed with TC3-HMAC-SHA256 as Tencent Cloud publishes it (cloud.tencent.com,
//! "签名方法 v3"), and its delivery status callbacks.
use super::{Batch, Receipt, SendResult, hex_sha256, hmac_sha256};
use serde::Deserialize;

pub const VERSION: &str = "2021-01-11";
/// Numbers one `SendSms` call may carry.
pub const BATCH: usize = 200;
pub const CONTENT_TYPE: &str = "application/json; charset=utf-8";

/// The Authorization header of a POST with a JSON `body` to `host` at `timestamp`
/// (Unix seconds), signing `content-type` and `host`; with the string to sign.
pub fn sign(
    host: &str,
    body: &[u8],
    timestamp: i64,
    secret_id: &str,
    secret_key: &str,
) -> (String, String) {
    let date = chrono::DateTime::from_timestamp(timestamp, 0)
        .unwrap_or_default()
        .format("%Y-%m-%d")
        .to_string();
    // Tencent lower-cases the header values too.
    let canonical = format!(
        "POST\n/\n\ncontent-type:{}\nhost:{}\n\ncontent-type;host\n{}",
        CONTENT_TYPE.to_ascii_lowercase(),
        host.trim().to_ascii_lowercase(),
        hex_sha256(body)
    );
    let scope = format!("{date}/sms/tc3_request");
    let to_sign = format!(
        "TC3-HMAC-SHA256\n{timestamp}\n{scope}\n{}",
        hex_sha256(canonical.as_bytes())
    );
    let k_date = hmac_sha256(format!("TC3{secret_key}").as_bytes(), date.as_bytes());
    let k_service = hmac_sha256(&k_date, b"sms");
    let k_signing = hmac_sha256(&k_service, b"tc3_request");
    let signature = hex::encode(hmac_sha256(&k_signing, to_sign.as_bytes()));
    (
        format!(
            "TC3-HMAC-SHA256 Credential={secret_id}/{scope}, SignedHeaders=content-type;host, Signature={signature}"
        ),
        to_sign,
    )
}

/// The JSON body of a `SendSms` call for `batch` (numbers in E.164, the template's
/// values in their order).
pub fn body(batch: &Batch<'_>, app_id: &str, sign_name: &str, template: &str) -> String {
    serde_json::json!({
        "PhoneNumberSet": batch.phones.iter().map(|p| format!("+86{p}")).collect::<Vec<_>>(),
        "SmsSdkAppId": app_id,
        "SignName": sign_name,
        "TemplateId": template,
        "TemplateParamSet": batch.params.iter().map(|(_, v)| v.as_str()).collect::<Vec<_>>(),
        "SessionContext": batch.out_id,
    })
    .to_string()
}

#[derive(Deserialize)]
struct Envelope {
    #[serde(rename = "Response")]
    response: Response,
}

#[derive(Deserialize)]
struct Response {
    #[serde(rename = "Error")]
    error: Option<ApiError>,
    #[serde(rename = "SendStatusSet", default)]
    statuses: Vec<Status>,
}

#[derive(Deserialize)]
struct ApiError {
    #[serde(rename = "Code")]
    code: String,
}

#[derive(Deserialize)]
struct Status {
    #[serde(rename = "SerialNo", default)]
    serial: String,
    #[serde(rename = "PhoneNumber")]
    phone: String,
    #[serde(rename = "Code")]
    code: String,
}

/// What a `SendSms` answer means for each number of `phones` (11 digits, in the order
/// sent): a whole-request `Error`, or one status per number ("Ok" or its code).
pub fn read(status: u16, body: &str, phones: &[String]) -> SendResult {
    let Ok(e) = serde_json::from_str::<Envelope>(body) else {
        return SendResult::Failed {
            code: format!("HTTP {status}"),
            retry: true,
        };
    };
    if let Some(err) = e.response.error {
        let retry = err.code == "RequestLimitExceeded"
            || err.code.starts_with("InternalError")
            || err.code == "ResourceUnavailable"
            || err.code == "LimitExceeded.DeliveryFrequencyLimit";
        return SendResult::Failed {
            code: err.code,
            retry,
        };
    }
    SendResult::Sent(
        phones
            .iter()
            .map(|p| {
                match e
                    .response
                    .statuses
                    .iter()
                    .find(|s| s.phone.trim_start_matches("+86") == p)
                {
                    Some(s) if s.code == "Ok" => Ok(s.serial.clone()),
                    Some(s) => Err(s.code.clone()),
                    None => Err("NoStatus".into()),
                }
            })
            .collect(),
    )
}

#[derive(Deserialize)]
struct Report {
    mobile: String,
    report_status: String,
    #[serde(default)]
    errmsg: String,
    sid: String,
}

/// The results of one status callback (a JSON array).
pub fn receipts(body: &str) -> Result<Vec<Receipt>, serde_json::Error> {
    let list: Vec<Report> = serde_json::from_str(body)?;
    Ok(list
        .into_iter()
        .map(|r| Receipt {
            provider_id: r.sid,
            phone: r.mobile,
            delivered: r.report_status == "SUCCESS",
            code: r.errmsg,
        })
        .collect())
}

/// The answer the callback wants once the results are kept.
pub const RECEIVED: &str = r#"{"result":0,"errmsg":"OK"}"#;

#[cfg(test)]
mod tests {
    use super::*;

    /// A SendSms call as the local provider checks it (its test vector).
    #[test]
    fn signs_a_send_sms_call() {
        let body = r#"{"PhoneNumberSet":["+8613800138000"],"SmsSdkAppId":"1400000001","SignName":"老街街道","TemplateId":"100001","TemplateParamSet":["123456"]}"#;
        let (auth, to_sign) = sign(
            "sms.tencentcloudapi.com",
            body.as_bytes(),
            1_735_689_600,
            "AKIDtongxintest0001",
            "tongxin-tencent-key",
        );
        assert_eq!(
            to_sign,
            "TC3-HMAC-SHA256\n1735689600\n2025-01-01/sms/tc3_request\n2e807c6c04946e05449ad147173d81df1366993b86d1f9b3bede0f36d2b4caaa"
        );
        assert_eq!(
            auth,
            "TC3-HMAC-SHA256 Credential=AKIDtongxintest0001/2025-01-01/sms/tc3_request, SignedHeaders=content-type;host, Signature=2e9816a98f28fe946c51f7782df00f9f56675f0d9cb92eda29f4a4b572b79835"
        );
    }

    #[test]
    fn reads_statuses_per_number_and_whole_errors() {
        let phones = vec!["13800138000".to_owned(), "1380013800".to_owned()];
        let ok = r#"{"Response":{"SendStatusSet":[{"SerialNo":"5000:1","PhoneNumber":"+8613800138000","Fee":1,"SessionContext":"","Code":"Ok","Message":"send success","IsoCode":"CN"},{"SerialNo":"","PhoneNumber":"+861380013800","Fee":0,"Code":"InvalidParameterValue.IncorrectPhoneNumber","Message":"x","IsoCode":""}],"RequestId":"r"}}"#;
        assert_eq!(
            read(200, ok, &phones),
            SendResult::Sent(vec![
                Ok("5000:1".into()),
                Err("InvalidParameterValue.IncorrectPhoneNumber".into())
            ])
        );
        let sig = r#"{"Response":{"Error":{"Code":"AuthFailure.SignatureFailure","Message":"x"},"RequestId":"r"}}"#;
        assert_eq!(
            read(200, sig, &phones),
            SendResult::Failed {
                code: "AuthFailure.SignatureFailure".into(),
                retry: false
            }
        );
        let busy = r#"{"Response":{"Error":{"Code":"RequestLimitExceeded","Message":"x"},"RequestId":"r"}}"#;
        assert_eq!(
            read(200, busy, &phones),
            SendResult::Failed {
                code: "RequestLimitExceeded".into(),
                retry: true
            }
        );
    }

    #[test]
    fn reads_a_status_callback() {
        let r = receipts(r#"[{"user_receive_time":"2026-12-07 10:45:55","nationcode":"86","mobile":"13800138001","report_status":"SUCCESS","errmsg":"DELIVRD","description":"用户短信送达成功","sid":"5000:69"}]"#).unwrap();
        assert_eq!(
            r,
            vec![Receipt {
                provider_id: "5000:69".into(),
                phone: "13800138001".into(),
                delivered: true,
                code: "DELIVRD".into()
            }]
        );
    }
}
