#!/usr/bin/env bash
# Every check and test: formatting, clippy on the server and on the wasm target,
# unit and integration tests on SQLite and on PostgreSQL, then end-to-end tests in
# Debian's Chromium against the release build. Installs what it needs first.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
step() { printf '\n\033[1m== %s\033[0m (at %dm%02ds)\n' "$*" $((SECONDS / 60)) $((SECONDS % 60)); }

step "setup"
bash .ci/setup.sh

step "cargo fmt --check"
cargo fmt --all -- --check

step "clippy: server (ssr)"
cargo clippy --release -p server -p app --all-targets -- -D warnings
step "clippy: browser (wasm32, hydrate)"
# In the bundle's own profile: the host's proc macros and build scripts are then built
# once for this check and the release bundle, not once per profile.
cargo clippy -p app --lib "${WASM_CARGO_ARGS[@]}" -- -D warnings

step "build (release server + browser bundle)"
bash .ci/build.sh

# One test at a time: each #[tokio::test] has its own runtime, and with two running
# side by side a server render in one test now and then never finished (leptos's
# reactive system is process-wide; see the session-10 note). The server itself runs
# one runtime, so this is a property of the test process, not of the app.
step "tests on SQLite"
unset TEST_DATABASE_URL
# --lib --bins --tests: the examples (benchmarks) are not linked here; clippy above
# checks them, and each would link the whole server once more.
cargo test --release -p app -p server --lib --bins --tests -- --test-threads=1

step "tests on PostgreSQL"
TEST_DATABASE_URL="$(bash .ci/pg.sh)"
export TEST_DATABASE_URL
cargo test --release -p server --lib --bins --tests -- --test-threads=1
unset TEST_DATABASE_URL

step "end-to-end (Chromium, 360x780)"
bash .ci/e2e.sh
step "done"
