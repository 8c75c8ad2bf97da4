//! What the worst allowed upload costs, before and after issue 15's limits, and how
//! fast the server answers `/healthz` meanwhile. Everything is measured in this one
//! run, so the numbers are ratios on the same machine:
//! - photo: the largest PNG each limit lets through (before: 50 MP, 7071 × 7071;
//!   after: 16.7 MP, 4096 × 4096) through `services::photo::process`;
//! - spreadsheet: an XLSX of 300,000 rows, read whole (before) and read until the
//!   50,000-row limit (after);
//! - `/healthz` p50 / p99 / max while six worst photos are decoded at once, each on
//!   its own blocking thread (before) or through the bounded pool (after), against
//!   `/healthz` on an idle server.
//!
//! `cargo run --release -p server --example bench_limits`
#![recursion_limit = "256"]
#![allow(clippy::unwrap_used)]

use image::ImageEncoder;
use server::services::photo::{PhotoLimits, process, process_bounded};
use std::time::{Duration, Instant};

fn png(side: u32) -> Vec<u8> {
    // One grey with a stripe every 64 rows: tiny on the wire (under the 12 MB upload
    // limit), the full cost of every pixel to decode and resize.
    let raw: Vec<u8> = (0..side * side)
        .map(|i| {
            if (i / side).is_multiple_of(64) {
                40
            } else {
                200
            }
        })
        .collect();
    let mut out = Vec::new();
    image::codecs::png::PngEncoder::new(&mut out)
        .write_image(&raw, side, side, image::ExtendedColorType::L8)
        .unwrap();
    out
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn pct(v: &mut [Duration], p: f64) -> Duration {
    v.sort();
    let i = ((v.len() as f64 - 1.0) * p).round() as usize;
    v[i]
}

/// `/healthz` answer times, one request every 20 ms, while `busy` is not done.
async fn probe(url: &str, until: impl std::future::Future<Output = ()>) -> Vec<Duration> {
    let client = reqwest::Client::new();
    let mut times = Vec::new();
    tokio::pin!(until);
    loop {
        let t = Instant::now();
        tokio::select! {
            _ = &mut until => break,
            r = client.get(url).send() => {
                r.unwrap();
                times.push(t.elapsed());
            }
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    times
}

#[tokio::main]
async fn main() {
    let before_limits = PhotoLimits {
        max_pixels: 50_000_000,
        ..PhotoLimits::default()
    };
    let after_limits = PhotoLimits::default();
    println!("## Photo: the worst allowed upload (median of 3)");
    let mut worst = Vec::new();
    for (label, side, limits) in [
        ("before (50 MP)", 7071, before_limits),
        ("after (16.7 MP)", 4096, after_limits),
    ] {
        let bytes = png(side);
        let mut runs: Vec<Duration> = (0..3)
            .map(|_| {
                let t = Instant::now();
                process(&bytes, limits).unwrap();
                t.elapsed()
            })
            .collect();
        let m = pct(&mut runs, 0.5);
        println!(
            "{label}: {side}×{side} PNG of {} bytes: {:.0} ms",
            bytes.len(),
            ms(m)
        );
        worst.push((bytes, limits, m));
    }
    println!(
        "ratio after/before: {:.2}",
        worst[1].2.as_secs_f64() / worst[0].2.as_secs_f64()
    );

    println!("\n## Spreadsheet: 300,000 rows");
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in ["网格编码", "楼栋", "房号", "姓名", "手机号"]
        .iter()
        .enumerate()
    {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    for r in 1..300_000u32 {
        sheet.write_string(r, 0, "LJ-XHJ-02").unwrap();
        sheet.write_string(r, 1, "3号楼").unwrap();
        sheet.write_number(r, 2, f64::from(r % 600)).unwrap();
        sheet.write_string(r, 3, "张三").unwrap();
        sheet
            .write_number(r, 4, 13_900_000_000.0 + f64::from(r))
            .unwrap();
    }
    let xlsx = book.save_to_buffer().unwrap();
    let t = Instant::now();
    let all = server::services::resident::read_table(&xlsx, usize::MAX).unwrap();
    let whole = t.elapsed();
    let t = Instant::now();
    let stopped = server::services::resident::read_table(&xlsx, 50_001).is_err();
    let limited = t.elapsed();
    assert!(stopped);
    println!(
        "{} bytes; read whole (before): {:.0} ms for {} rows; stopped at the limit (after): {:.0} ms; ratio {:.2}",
        xlsx.len(),
        ms(whole),
        all.len(),
        ms(limited),
        limited.as_secs_f64() / whole.as_secs_f64()
    );

    println!("\n## /healthz while six worst photos decode");
    let dir = std::env::temp_dir().join(format!("tongxin-bench-limits-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("site/pkg/x")).unwrap();
    std::fs::write(dir.join("site/pkg-dir.txt"), "pkg/x").unwrap();
    let config = server::config::Config {
        addr: "127.0.0.1:0".parse().unwrap(),
        database_url: format!("sqlite://{}/b.db", dir.display()),
        site_root: dir.join("site"),
        tiles: app::domain::geo::TileProvider::None,
        demo: false,
        secure_cookies: false,
        photos: dir.join("photos").to_string_lossy().into_owned(),
        push_local: false,
        live_max: 18_000,
        live_per_addr: 200,
        video: None,
        sms: None,
        test_clock: false,
    };
    let (router, _state) = server::build(config).await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/healthz", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    let idle = probe(&url, tokio::time::sleep(Duration::from_secs(2))).await;
    let (bytes, limits) = (worst[1].0.clone(), worst[1].1);
    let unbounded = {
        let b = bytes.clone();
        probe(&url, async move {
            let jobs: Vec<_> = (0..6)
                .map(|_| {
                    let b = b.clone();
                    tokio::task::spawn_blocking(move || process(&b, limits).unwrap())
                })
                .collect();
            for j in jobs {
                j.await.unwrap();
            }
        })
        .await
    };
    let bounded = {
        let b = bytes.clone();
        probe(&url, async move {
            let jobs: Vec<_> = (0..6)
                .map(|_| {
                    let b = b.clone();
                    tokio::spawn(async move { process_bounded(b, limits).await.unwrap() })
                })
                .collect();
            for j in jobs {
                j.await.unwrap();
            }
        })
        .await
    };
    println!("| while | requests | p50 ms | p99 ms | max ms |");
    println!("|---|---:|---:|---:|---:|");
    let idle_p50 = {
        let mut v = idle.clone();
        pct(&mut v, 0.5)
    };
    for (label, mut v) in [
        ("idle", idle),
        ("6 decodes, unbounded (before)", unbounded),
        ("6 decodes, bounded pool (after)", bounded),
    ] {
        let n = v.len();
        let (p50, p99, max) = (pct(&mut v, 0.5), pct(&mut v, 0.99), pct(&mut v, 1.0));
        println!(
            "| {label} | {n} | {:.2} ({:.1}× idle) | {:.2} | {:.2} |",
            ms(p50),
            p50.as_secs_f64() / idle_p50.as_secs_f64(),
            ms(p99),
            ms(max)
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
