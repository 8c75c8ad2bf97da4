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
