//! `tongxin-wasm-split IN.wasm OUT_DIR NAME`: splits the linked browser wasm (built with
//! `-C link-args=--emit-relocs`) at its `#[lazy]` functions. Writes into OUT_DIR the
//! main module `NAME_split.wasm` (for wasm-bindgen `--keep-lld-exports`), one `.wasm`
//! per chunk, the loader `__wasm_split.______________________.js` (imports `./NAME.js`)
//! and `__wasm_split_manifest.json` (chunk name -> files to preload), the file names
//! Leptos's `HydrationScripts` expects when files are not hashed one by one.
use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--version") {
        println!("tongxin-wasm-split {}", env!("CARGO_PKG_VERSION"));
        return ExitCode::SUCCESS;
    }
    let [input, out_dir, name] = args.as_slice() else {
        eprintln!("usage: tongxin-wasm-split IN.wasm OUT_DIR NAME");
        return ExitCode::from(2);
    };
    match run(input.into(), out_dir.into(), name) {
        Ok(n) => {
            println!("wasm-split: {n} chunks in {out_dir}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("wasm-split: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(input: PathBuf, out_dir: PathBuf, name: &str) -> Result<usize, Box<dyn std::error::Error>> {
    let wasm = std::fs::read(&input).map_err(|e| format!("{}: {e}", input.display()))?;
    std::fs::create_dir_all(&out_dir)?;
    let main_out = out_dir.join(format!("{name}_split.wasm"));
    let main_module = format!("./{name}.js");
    let split = wasm_split_cli_support::transform({
        let mut opts = wasm_split_cli_support::Options::new(&wasm);
        opts.output_dir = &out_dir;
        opts.main_out_path = &main_out;
        opts.main_module = &main_module;
        opts.link_name = "./__wasm_split.______________________.js";
        opts
    })
    .map_err(|e| format!("{e:#}"))?;
    std::fs::write(
        out_dir.join("__wasm_split_manifest.json"),
        serde_json::to_string_pretty(&split.prefetch_map)?,
    )?;
    Ok(split.split_modules.len())
}
