#!/usr/bin/env bash
# Alert delivery benchmark: CONNECTIONS live streams (default 27,000) open on two server
# processes that share one PostgreSQL database (an alert published through one reaches
# the other's pages by LISTEN/NOTIFY), held by two load processes that each connect from
# their own four loopback addresses. Three alerts are published through server 1, 2 s
# apart; each connection records the time from the alert's `sent_at` to its arrival.
# Prints tables for BENCHMARKS.md. Needs a finished .ci/build.sh (release server); builds
# the load tool (server/examples/bench_alerts.rs) itself.
#   bash .ci/bench-alerts.sh                    # 27,000 connections (≈ 1 min)
#   CONNECTIONS=2000 bash .ci/bench-alerts.sh   # quick check
# To check this script alone, TONGXIN_BIN and BENCH_BIN (skips the build) replace the
# binaries, and a set DATABASE_URL skips pg.sh and the fresh database.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"

total="${CONNECTIONS:-27000}"
per=( $(( (total + 1) / 2 )) $(( total / 2 )) )
ports=(3101 3102)
# Disjoint source addresses: one address reaches one server port through ~28,000
# ephemeral ports, and a socket bound before connect takes its port from its address.
sources=(127.0.0.2,127.0.0.3,127.0.0.4,127.0.0.5 127.0.0.6,127.0.0.7,127.0.0.8,127.0.0.9)
alerts=3
budget_ms=1000
# The street admin of the demo data (README, "Demo logins").
phone="${ADMIN_PHONE:-13903950000}"
password="${ADMIN_PASSWORD:-tongxin2026}"
db_name=tx_bench_alerts

# 13,500 connections per process need most of the 20,000 open files allowed.
ulimit -n "$(ulimit -Hn)"
if (( per[0] + 200 > $(ulimit -n) )); then
  echo "open-file limit $(ulimit -n) is too low for ${per[0]} connections per process" >&2
  exit 1
fi

server="${TONGXIN_BIN:-$SERVER_BIN}"
[[ -x "$server" ]] || { echo "no $server: run .ci/build.sh first" >&2; exit 1; }
if [[ -z "${BENCH_BIN:-}" ]]; then
  echo "building the load tool" >&2
  cargo build --release -p server --example bench_alerts >&2
  BENCH_BIN="$CARGO_TARGET_DIR/$HOST_TRIPLE/release/examples/bench_alerts"
fi
bench="$BENCH_BIN"
for port in "${ports[@]}"; do
  if curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$port/"; then
    echo "port $port is in use" >&2
    exit 1
  fi
done

work="$(mktemp -d)"
pids=()
base_url=""
cleanup() {
  local rc=$?
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if (( rc != 0 )); then
    for f in "$work"/*.log "$work"/*.err; do
      [[ -s "$f" ]] && { echo "--- $f" >&2; tail -n 20 "$f" >&2; }
    done
  fi
  if [[ -n "$base_url" ]]; then
    psql "$base_url" -qc "DROP DATABASE IF EXISTS $db_name WITH (FORCE)" >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

if [[ -z "${DATABASE_URL:-}" ]]; then
  base_url="$(bash .ci/pg.sh)"
  PGOPTIONS=--client-min-messages=warning psql "$base_url" -q -c "DROP DATABASE IF EXISTS $db_name WITH (FORCE)" \
    -c "CREATE DATABASE $db_name" >/dev/null
  DATABASE_URL="${base_url%/*}/$db_name"
fi

# start_server INDEX DEMO: starts server INDEX and waits for /healthz.
server_pids=()
start_server() {
  local port="${ports[$1]}"
  DATABASE_URL="$DATABASE_URL" TONGXIN_ADDR="127.0.0.1:$port" TONGXIN_SITE_ROOT="$SITE_DIR" \
    TONGXIN_LIVE_PER_ADDR=20000 \
    TONGXIN_TILES=none TONGXIN_DEMO="$2" RUST_LOG=warn \
    "$server" >"$work/server-$port.log" 2>&1 &
  server_pids[$1]=$!
  pids+=($!)
  for _ in $(seq 1 300); do
    curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && return 0
    kill -0 "${server_pids[$1]}" 2>/dev/null || break
    sleep 0.2
  done
  echo "the server on port $port did not start" >&2
  return 1
}
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }

# The first server migrates and loads the demo data; then the second joins.
start_server 0 1
start_server 1 0
sleep 1
idle=("$(rss_kb "${server_pids[0]}")" "$(rss_kb "${server_pids[1]}")")

echo "opening $total connections" >&2
listeners=()
for i in 0 1; do
  "$bench" listen --url "http://127.0.0.1:${ports[$i]}" --connections "${per[$i]}" \
    --sources "${sources[$i]}" --expect "$alerts" --timeout-s 600 \
    --ready-file "$work/l$i.ready" --out "$work/l$i.json" 2>"$work/l$i.err" &
  listeners[$i]=$!
  pids+=($!)
done
deadline=$((SECONDS + ${READY_TIMEOUT_S:-300}))
until [[ -e "$work/l0.ready" && -e "$work/l1.ready" ]]; do
  for i in 0 1; do
    kill -0 "${listeners[$i]}" 2>/dev/null || { echo "listener $i ended early" >&2; exit 1; }
  done
  (( SECONDS < deadline )) || { echo "listeners not ready in ${READY_TIMEOUT_S:-300} s" >&2; exit 1; }
  sleep 0.5
done
sleep 2
loaded=("$(rss_kb "${server_pids[0]}")" "$(rss_kb "${server_pids[1]}")")

echo "publishing $alerts alerts through server 1" >&2
"$bench" publish --url "http://127.0.0.1:${ports[0]}" --phone "$phone" --password "$password" \
  --count "$alerts" --gap-ms 2000 >"$work/ids" 2>"$work/publish.err"
# Each listener ends once all its connections have every alert; after 60 s more, stop
# them (they still write what they measured).
for _ in $(seq 1 120); do
  kill -0 "${listeners[0]}" 2>/dev/null || kill -0 "${listeners[1]}" 2>/dev/null || break
  sleep 0.5
done
kill "${listeners[@]}" 2>/dev/null || true
for i in 0 1; do
  wait "${listeners[$i]}" || { echo "listener $i failed" >&2; exit 1; }
done

echo "## Alert delivery: $total SSE connections, 2 servers on one PostgreSQL database"
echo
echo "$(date -u +%F), commit $(git rev-parse --short HEAD), $(nproc) cores; alerts $(paste -sd, "$work/ids")"
echo
"$bench" report --budget-ms "$budget_ms" "$work/l0.json" "$work/l1.json"
echo
echo "| server | connections | RSS idle (demo data loaded) | RSS with connections open | per connection |"
echo "|---|---:|---:|---:|---:|"
for i in 0 1; do
  awk -v s="127.0.0.1:${ports[$i]}" -v n="${per[$i]}" -v a="${idle[$i]}" -v b="${loaded[$i]}" \
    'BEGIN { printf "| %s | %d | %.1f MB | %.1f MB | %.1f KB |\n", s, n, a / 1024, b / 1024, (b - a) / (n > 0 ? n : 1) }'
done
