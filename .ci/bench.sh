#!/usr/bin/env bash
# Front-end benchmarks: every bundle file, first-load bytes of seven pages (home, report,
# map, shifts, study, alerts, sign-in), server memory, warm build time. Prints a table for
# BENCHMARKS.md. Needs a finished .ci/build.sh.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
pkg="$SITE_DIR/$(cat "$SITE_DIR/pkg-dir.txt")"
echo "## bundle ($pkg)"
# The main module and its glue, then every chunk the wasm-split step cut off.
total_raw=0; total_br=0
for f in "$pkg"/*.wasm "$pkg"/*.js "$pkg"/*.css; do
  raw=$(stat -c%s "$f"); br=$(brotli -q 11 -c "$f" | wc -c)
  total_raw=$((total_raw + raw)); total_br=$((total_br + br))
  printf '%-44s raw %8d  gzip-9 %8d  brotli-11 %8d\n' "$(basename "$f")" "$raw" \
    "$(gzip -9c "$f" | wc -c)" "$br"
done
printf '%-44s raw %8d  brotli-11 %8d\n' "all files" "$total_raw" "$total_br"

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
echo "## first load (empty cache, 360x780, brotli, signed out)"
for path in / /report /map /shifts /study /alerts /login; do
  (cd end2end && BASE_URL="http://127.0.0.1:$port" node bench/first_load.mjs "$path") | tail -2 | head -1
done
echo "after seven first loads: $(grep VmRSS /proc/$pid/status)"
