#!/usr/bin/env bash
# Runs Tongxin with the Laojie demo data on SQLite (data/tongxin.db), building first.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
bash .ci/setup.sh
bash .ci/build.sh
export DATABASE_URL="${DATABASE_URL:-sqlite://data/tongxin.db}"
export TONGXIN_DEMO=1 TONGXIN_SITE_ROOT="$SITE_DIR"
export TONGXIN_ADDR="${TONGXIN_ADDR:-127.0.0.1:3000}"
echo "Open http://$TONGXIN_ADDR/  (demo logins: see README; password tongxin2026)"
exec "$SERVER_BIN"
