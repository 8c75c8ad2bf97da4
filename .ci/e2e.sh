#!/usr/bin/env bash
# Serves the release build on a fresh SQLite database with the demo data and runs
# the Playwright specs in Debian's Chromium.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
data="$(mktemp -d)"
port="${E2E_PORT:-3179}"
# A server left running on the port would answer the health check below and the specs
# would run against its old build: refuse, in words.
if curl -sf "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; then
  echo "e2e: port $port is already serving (an old tongxin?); stop it or set E2E_PORT" >&2
  exit 1
fi
# The local GB/T 28181 video platform the cameras play from (its published HTTP API and
# a live HLS test pattern made by ffmpeg), on the next port.
video_port=$((port + 1))
node end2end/video-platform.mjs --port "$video_port" > "$data/video.log" 2>&1 &
video_pid=$!
DATABASE_URL="sqlite://$data/e2e.db" TONGXIN_PHOTOS="$data/photos" TONGXIN_DEMO=1 TONGXIN_ADDR="127.0.0.1:$port" \
  TONGXIN_SITE_ROOT="$SITE_DIR" TONGXIN_TILES=osm RUST_LOG=warn TONGXIN_TEST_CLOCK=1 \
  TONGXIN_VIDEO_URL="http://127.0.0.1:$video_port" TONGXIN_VIDEO_USER=admin TONGXIN_VIDEO_PASSWORD=admin \
  "$SERVER_BIN" > "$data/server.log" 2>&1 &
pid=$!
trap 'kill $pid $video_pid 2>/dev/null || true; rm -rf "$data"' EXIT
for _ in $(seq 1 100); do
  curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break
  kill -0 $pid 2>/dev/null || { cat "$data/server.log"; exit 1; }
  sleep 0.2
done
cd end2end
# A spec whose browser died under it (Chromium's "Target page, context or browser has been
# closed": a crash of the browser, not an answer of the app) runs once more on its own, and
# says so. Any other failure fails the run.
run_specs() { BASE_URL="http://127.0.0.1:$port" node --test --test-concurrency=1 --test-reporter=spec "$@"; }
if ! run_specs tests/*.spec.mjs 2>&1 | tee "$data/specs.log"; then
  # Each failing test's block in the summary starts "test at tests/X.spec.mjs:L:C".
  crashed=$(awk '/^✖ failing tests:/ { on = 1 } on && /^test at / { split($3, a, ":"); f = a[1]; all[f] = 1 }
    on && /has been closed/ { closed[f] = 1 }
    END { for (f in all) { if (!(f in closed)) { print "OTHER"; exit } } for (f in all) print f }' "$data/specs.log")
  if [ -z "$crashed" ] || grep -qx OTHER <<<"$crashed"; then exit 1; fi
  echo "e2e: the browser died under $(echo $crashed); running those once more" >&2
  # shellcheck disable=SC2086
  run_specs $crashed
fi
# The home page's first load (bytes on the wire, as a phone on its first visit), printed
# on every run so the bundle can never again grow unseen (issue 16's budget: 150 KB).
BASE_URL="http://127.0.0.1:$port" node bench/first_load.mjs / | tail -n 2
