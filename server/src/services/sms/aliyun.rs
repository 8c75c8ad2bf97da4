//! Alibaba Cloud SMS (dysmsapi, API version 2017-05-25), `SendSms` signed with the V3
//! scheme ACS3-HMAC-SHA256 as Alibaba Cloud publishes it (help.aliyun.com, "V3 请求体
//! & 签名机制"), and its `SmsReport` delivery receipts pushed over HTTP.
use super::{Batch, Receipt, SendResult, hex_sha256, hmac_sha256, rfc3986};
use serde::Deserialize;

pub const VERSION: &str = "2017-05-25";
/// Numbers one `SendSms` call may carry.
pub const BATCH: usize = 1000;

/// The request's signature: `(canonical request, string to sign, Authorization)`.
/// `query` in any order; `headers` lower-case names with their values, every one of
/// them signed (`host` and the `x-acs-*` headers).
pub fn sign(
    method: &str,
    query: &[(&str, &str)],
    headers: &[(&str, &str)],
    body: &[u8],
    key_id: &str,
    secret: &str,
) -> (String, String, String) {
    let mut q: Vec<(String, String)> = query
        .iter()
        .map(|(k, v)| (rfc3986(k), rfc3986(v)))
        .collect();
    q.sort();
    let query = q
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&");
    let mut h: Vec<(String, &str)> = headers
        .iter()
        .map(|(k, v)| (k.to_ascii_lowercase(), v.trim()))
        .collect();
    h.sort();
    let canonical_headers: String = h.iter().map(|(k, v)| format!("{k}:{v}\n")).collect();
    let signed = h
        .iter()
        .map(|(k, _)| k.as_str())
        .collect::<Vec<_>>()
        .join(";");
    let canonical = format!(
        "{method}\n/\n{query}\n{canonical_headers}\n{signed}\n{}",
        hex_sha256(body)
    );
    let to_sign = format!("ACS3-HMAC-SHA256\n{}", hex_sha256(canonical.as_bytes()));
    let signature = hex::encode(hmac_sha256(secret.as_bytes(), to_sign.as_bytes()));
    let auth = format!(
        "ACS3-HMAC-SHA256 Credential={key_id},SignedHeaders={signed},Signature={signature}"
    );
    (canonical, to_sign, auth)
}

/// The query of a `SendSms` call for `batch` (values as sent, before encoding).
pub fn query(batch: &Batch<'_>, sign_name: &str, template: &str) -> Vec<(String, String)> {
    let params: serde_json::Map<String, serde_json::Value> = batch
        .params
        .iter()
        .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
        .collect();
    vec![
        ("PhoneNumbers".into(), batch.phones.join(",")),
        ("SignName".into(), sign_name.into()),
        ("TemplateCode".into(), template.into()),
        (
            "TemplateParam".into(),
            serde_json::Value::Object(params).to_string(),
        ),
        ("OutId".into(), batch.out_id.clone()),
    ]
}

#[derive(Deserialize)]
struct Answer {
    #[serde(rename = "Code", default)]
    code: String,
    #[serde(rename = "BizId", default)]
    biz_id: String,
}

/// What a `SendSms` answer means for each number of the batch. Success is HTTP 200
/// with `Code` "OK" (one `BizId` for every number); business errors come as 200 with
/// another `Code`, gateway errors (signature, key, throttling) as 4xx/5xx.
pub fn read(status: u16, body: &str, n: usize) -> SendResult {
    let a: Answer = match serde_json::from_str(body) {
        Ok(a) => a,
        Err(_) => {
            return SendResult::Failed {
                code: format!("HTTP {status}"),
                retry: status >= 500 || status == 429,
            };
        }
    };
    if status == 200 && a.code == "OK" {
        return SendResult::Sent(vec![Ok(a.biz_id); n]);
    }
    let code = if a.code.is_empty() {
        format!("HTTP {status}")
    } else {
        a.code
    };
    let retry = status >= 500
        || code.starts_with("Throttling")
        || code == "isv.BUSINESS_LIMIT_CONTROL"
        || code.starts_with("isp.")
        || code == "ServiceUnavailable"
        || code == "InternalError";
    SendResult::Failed { code, retry }
}

#[derive(Deserialize)]
struct Report {
    phone_number: String,
    success: bool,
    #[serde(default)]
    err_code: String,
    biz_id: String,
}

/// The reports of one `SmsReport` push (a JSON array).
pub fn receipts(body: &str) -> Result<Vec<Receipt>, serde_json::Error> {
    let list: Vec<Report> = serde_json::from_str(body)?;
    Ok(list
        .into_iter()
        .map(|r| Receipt {
            provider_id: r.biz_id,
            phone: r.phone_number,
            delivered: r.success,
            code: r.err_code,
        })
        .collect())
}

/// The answer the push wants once the reports are kept.
pub const RECEIVED: &str = r#"{"code":0,"msg":"接收成功"}"#;

#[cfg(test)]
mod tests {
    use super::*;

    /// The worked example of the V3 signature page (help.aliyun.com), reproduced.
    #[test]
    fn signs_the_published_example() {
        let (_, _, auth) = sign(
            "POST",
            &[
                (
                    "ImageId",
                    "win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd",
                ),
                ("RegionId", "cn-shanghai"),
            ],
            &[
                ("host", "ecs.cn-shanghai.aliyuncs.com"),
                ("x-acs-action", "RunInstances"),
                (
                    "x-acs-content-sha256",
                    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                ),
                ("x-acs-date", "2023-10-26T10:22:32Z"),
                ("x-acs-signature-nonce", "3156853299f313e23d1673dc12e1703d"),
                ("x-acs-version", "2014-05-26"),
            ],
            b"",
            "YourAccessKeyId",
            "YourAccessKeySecret",
        );
        assert!(
            auth.ends_with(
                "Signature=06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0"
            ),
            "{auth}"
        );
    }

    /// A SendSms call as the local provider checks it (its test vector).
    #[test]
    fn signs_a_send_sms_call() {
        let (canonical, to_sign, auth) = sign(
            "POST",
            &[
                ("TemplateParam", r#"{"code":"123456"}"#),
                ("PhoneNumbers", "13800138000"),
                ("SignName", "老街街道"),
                ("TemplateCode", "SMS_0001"),
            ],
            &[
                ("host", "dysmsapi.aliyuncs.com"),
                ("x-acs-action", "SendSms"),
                ("x-acs-version", "2017-05-25"),
                ("x-acs-date", "2025-01-01T00:00:00Z"),
                ("x-acs-signature-nonce", "3a7c2e9f0b1d4c6e8a5f7b9d1e3c5a70"),
                (
                    "x-acs-content-sha256",
                    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                ),
            ],
            b"",
            "LTAItestkey0001",
            "tongxin-aliyun-secret",
        );
        assert!(canonical.starts_with(
            "POST\n/\nPhoneNumbers=13800138000&SignName=%E8%80%81%E8%A1%97%E8%A1%97%E9%81%93&TemplateCode=SMS_0001&TemplateParam=%7B%22code%22%3A%22123456%22%7D\nhost:dysmsapi.aliyuncs.com\n"
        ), "{canonical}");
        assert_eq!(
            to_sign,
            "ACS3-HMAC-SHA256\nd6ccfc804f0e87c24ff7051718ad18f48afc65d4333999d9695de4c02b36f165"
        );
        assert_eq!(
            auth,
            "ACS3-HMAC-SHA256 Credential=LTAItestkey0001,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=5c51544a497909e79378da58f429c45c9b6670b69c354a7d3bf9eba433d9a396"
        );
    }

    #[test]
    fn reads_answers_and_errors() {
        let ok = r#"{"Code":"OK","Message":"OK","BizId":"900619746936498440^0","RequestId":"F6"}"#;
        assert_eq!(
            read(200, ok, 2),
            SendResult::Sent(vec![Ok("900619746936498440^0".into()); 2])
        );
        let limit = r#"{"Code":"isv.BUSINESS_LIMIT_CONTROL","Message":"触发分钟级流控Permits:1","RequestId":"x"}"#;
        assert_eq!(
            read(200, limit, 1),
            SendResult::Failed {
                code: "isv.BUSINESS_LIMIT_CONTROL".into(),
                retry: true
            }
        );
        let sig = r#"{"RequestId":"x","HostId":"dysmsapi.aliyuncs.com","Code":"SignatureDoesNotMatch","Message":"Specified signature is not matched with our calculation."}"#;
        assert_eq!(
            read(400, sig, 1),
            SendResult::Failed {
                code: "SignatureDoesNotMatch".into(),
                retry: false
            }
        );
        assert_eq!(
            read(400, r#"{"Code":"Throttling.User"}"#, 1),
            SendResult::Failed {
                code: "Throttling.User".into(),
                retry: true
            }
        );
        assert_eq!(
            read(502, "<html>", 1),
            SendResult::Failed {
                code: "HTTP 502".into(),
                retry: true
            }
        );
    }

    #[test]
    fn reads_a_report_push() {
        let r = receipts(r#"[{"phone_number":"13900000004","send_time":"2026-12-07 10:45:52","report_time":"2026-12-07 10:45:52","success":false,"err_code":"UNDELIV","err_msg":"UNDELIV","sms_size":"1","biz_id":"98797","out_id":"o-1"}]"#).unwrap();
        assert_eq!(
            r,
            vec![Receipt {
                provider_id: "98797".into(),
                phone: "13900000004".into(),
                delivered: false,
                code: "UNDELIV".into()
            }]
        );
        assert!(receipts("{}").is_err());
    }
}
