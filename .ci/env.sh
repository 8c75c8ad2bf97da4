# Shared environment for the project's scripts (sourced, not run).
# Debian's rustc-web (see rust-toolchain.toml); -Zbuild-std needs RUSTC_BOOTSTRAP.
export RUSTC_BOOTSTRAP=1
# One target dir outside the clone, so CI runs and fresh clones reuse compiled crates.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/cache/tongxin/target}"
export SITE_DIR="$CARGO_TARGET_DIR/site"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export ROOT
# wasm-opt from npm binaryen 132 first on PATH (Debian's 108 breaks hydration).
export PATH="$ROOT/.ci/node_modules/.bin:$HOME/.cargo/bin:$PATH"
# Leptos's type-erased views (`--cfg erase_components`, leptos PR #2905): one AnyView
# instead of one monomorphised copy of the view code per page — about half the wasm and a
# faster build. Given to the host target only (CARGO_BUILD_TARGET names it), so build
# scripts and proc macros keep their plain flags and are compiled once for clippy, tests
# and the release build alike.
HOST_TRIPLE="$(uname -m)-unknown-linux-gnu"
export CARGO_BUILD_TARGET="$HOST_TRIPLE"
export "CARGO_TARGET_$(echo "$HOST_TRIPLE" | tr 'a-z-' 'A-Z_')_RUSTFLAGS=--cfg erase_components"
export SERVER_BIN="$CARGO_TARGET_DIR/$HOST_TRIPLE/release/tongxin"
# The browser bundle's flags, shared by its build and its clippy (same flags, same crates).
# `--emit-relocs` keeps the relocations the wasm-split step needs to cut the wasm at its
# `#[lazy]` functions (app/src/routes.rs). `-Cpanic=immediate-abort` (std built with it
# too): a panic in the browser traps at once, with no message formatting compiled in
# (public/recover.js then shows the reload notice); debug builds keep the messages.
WASM_CARGO_ARGS=(--target wasm32-unknown-unknown --profile wasm-release
  --no-default-features --features hydrate -Zbuild-std=std,panic_abort
  --config 'target.wasm32-unknown-unknown.rustflags=["--cfg","getrandom_backend=\"wasm_js\"","--cfg","erase_components","-Clink-args=--emit-relocs","-Zunstable-options","-Cpanic=immediate-abort"]')
