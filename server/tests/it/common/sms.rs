//! The local SMS provider (end2end/sms-provider.mjs) for tests and benchmarks: Alibaba
//! Cloud's and Tencent Cloud's SMS APIs with their signatures checked, on a free port.
use serde_json::Value;
use server::services::sms::{Provider, SmsConfig};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

pub const TOKEN: &str = "receipts-secret-0001";

/// The local provider, killed when dropped.
pub struct LocalProvider {
    child: Child,
    pub url: String,
    http: reqwest::Client,
}

impl Drop for LocalProvider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl LocalProvider {
    /// Started allowing `rate` requests a second per provider, with receipts pushed
    /// to `receipts` (our server's address) when flushed.
    pub fn start(receipts: Option<&str>, rate: u32) -> LocalProvider {
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../end2end/sms-provider.mjs");
        let mut args = vec![
            script.to_owned(),
            "--port".into(),
            "0".into(),
            "--rate".into(),
            rate.to_string(),
            "--receipt-delay-ms".into(),
            "600000".into(),
        ];
        if let Some(r) = receipts {
            args.extend([
                "--aliyun-receipts".into(),
                format!("{r}/api/sms/receipts/aliyun/{TOKEN}"),
                "--tencent-receipts".into(),
                format!("{r}/api/sms/receipts/tencent/{TOKEN}"),
            ]);
        }
        let mut child = Command::new("node")
            .args(&args)
            .stdout(Stdio::piped())
            .spawn()
            .expect("node runs the local SMS provider");
        let mut line = String::new();
        let _ = BufReader::new(child.stdout.take().unwrap()).read_line(&mut line);
        let Some(port) = line.trim().strip_prefix("listening ").map(str::to_owned) else {
            let _ = child.kill();
            panic!("the local SMS provider did not start: {line:?}");
        };
        // The app's HTTP client installs the same provider; this one may come first.
        let _ = rustls::crypto::ring::default_provider().install_default();
        LocalProvider {
            child,
            url: format!("http://127.0.0.1:{port}"),
            http: reqwest::Client::new(),
        }
    }

    /// Our settings for it: `rate` requests a second at most.
    pub fn config(&self, provider: Provider, secret: &str, rate: u32) -> SmsConfig {
        let (key_id, template) = match provider {
            Provider::Aliyun => ("LTAItestkey0001", "SMS_0001"),
            Provider::Tencent => ("AKIDtongxintest0001", "100001"),
        };
        SmsConfig {
            provider,
            url: self.url.clone(),
            key_id: key_id.into(),
            secret: secret.into(),
            sign_name: "老街街道".into(),
            template: template.into(),
            app_id: "1400000001".into(),
            region: "ap-guangzhou".into(),
            rate,
            after_min: 5,
            receipt_token: TOKEN.into(),
        }
    }

    pub async fn sent(&self) -> Vec<Value> {
        let r = self
            .http
            .get(format!("{}/_sent", self.url))
            .send()
            .await
            .unwrap();
        serde_json::from_str(&r.text().await.unwrap()).unwrap()
    }

    pub async fn post(&self, path: &str, body: Value) -> Value {
        let r = self
            .http
            .post(format!("{}{path}", self.url))
            .header("content-type", "application/json")
            .body(body.to_string())
            .send()
            .await
            .unwrap();
        serde_json::from_str(&r.text().await.unwrap()).unwrap_or(Value::Null)
    }
}
