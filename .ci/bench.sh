#!/usr/bin/env bash
# Foundation benchmarks: bundle sizes, first-load bytes of the resident home page,
# server memory at idle and after that load, warm build time. Prints a table for
# BENCHMARKS.md. Needs a finished .ci/build.sh.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
pkg="$SITE_DIR/$(cat "$SITE_DIR/pkg-dir.txt")"
echo "## bundle ($pkg)"
for f in tongxin_bg.wasm tongxin.js tongxin.css; do
  printf '%-16s raw %8d  gzip-9 %8d  brotli-11 %8d\n' "$f" "$(stat -c%s "$pkg/$f")" \
    "$(gzip -9c "$pkg/$f" | wc -c)" "$(brotli -q 11 -c "$pkg/$f" | wc -c)"
done

echo "## warm build (no change)"
start=$(date +%s.%N); bash .ci/build.sh >/dev/null 2>&1; end=$(date +%s.%N)
awk -v a="$start" -v b="$end" 'BEGIN { printf "warm build: %.1f s\n", b - a }'

data="$(mktemp -d)"; port=3188
DATABASE_URL="sqlite://$data/b.db" TONGXIN_DEMO=1 TONGXIN_ADDR="127.0.0.1:$port" \
  TONGXIN_SITE_ROOT="$SITE_DIR" TONGXIN_TILES=none RUST_LOG=warn \
  "$SERVER_BIN" >"$data/log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; rm -rf "$data"' EXIT
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
sleep 1
echo "## server memory"
echo "idle after start: $(grep VmRSS /proc/$pid/status)"
echo "## first load"
(cd end2end && BASE_URL="http://127.0.0.1:$port" node bench/first_load.mjs /)
echo "after one page load: $(grep VmRSS /proc/$pid/status)"
