//! Photo pipeline benchmark: a 12-MP camera-like JPEG through `services::photo::process`
//! against libvips' `vipsthumbnail` on the same file in the same run.
//! `cargo run --release -p server --example bench_photo` (needs `vipsthumbnail`).
#![recursion_limit = "256"]
#![allow(clippy::unwrap_used)]

use image::codecs::jpeg::JpegEncoder;
use image::{Rgb, RgbImage};
use server::services::photo::{PhotoLimits, process};
use std::process::Command;
use std::time::{Duration, Instant};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn peak_rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        .unwrap_or(0)
}

fn main() {
    const RUNS: usize = 7;
    // 4000×3000 with texture, so it compresses like a photo rather than a flat fill.
    let mut seed: u32 = 12345;
    let img = RgbImage::from_fn(4000, 3000, |x, y| {
        seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
        let n = (seed >> 24) as u8 / 8;
        Rgb([
            ((x / 16) % 200) as u8 + n,
            ((y / 12) % 200) as u8 + n,
            (((x + y) / 20) % 200) as u8 + n,
        ])
    });
    let mut jpeg = Vec::new();
    JpegEncoder::new_with_quality(&mut jpeg, 90)
        .encode_image(&img)
        .unwrap();
    drop(img);
    let dir = std::env::temp_dir().join("tongxin-bench-photo");
    std::fs::create_dir_all(&dir).unwrap();
    let input = dir.join("in.jpg");
    std::fs::write(&input, &jpeg).unwrap();
    println!("input: 4000x3000 JPEG, {} bytes", jpeg.len());

    let rss_before = peak_rss_kb();
    let mut ours = Vec::new();
    let mut out_bytes = 0;
    for _ in 0..RUNS {
        let t = Instant::now();
        let p = process(&jpeg, PhotoLimits::default()).unwrap();
        ours.push(t.elapsed());
        out_bytes = p.display.len() + p.thumb.len();
    }
    let rss_after = peak_rss_kb();

    let mut vips = Vec::new();
    for _ in 0..RUNS {
        let t = Instant::now();
        let ok = Command::new("vipsthumbnail")
            .arg(&input)
            .args(["--size", "1600x1600", "-o"])
            .arg(format!("{}/out.jpg[Q=82,strip]", dir.display()))
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        assert!(ok, "vipsthumbnail failed (apt-get install libvips-tools)");
        vips.push(t.elapsed());
    }
    let (o, v) = (median(ours), median(vips));
    println!(
        "tongxin process (display 1600 + thumb 320): median {o:?} over {RUNS}, output {out_bytes} bytes"
    );
    println!("vipsthumbnail --size 1600 (display only):    median {v:?} over {RUNS}");
    println!(
        "ratio tongxin / vipsthumbnail: {:.2} (budget 1.5)",
        o.as_secs_f64() / v.as_secs_f64()
    );
    println!(
        "peak RSS of this process: {rss_before} kB before, {rss_after} kB after the pipeline runs"
    );
}
