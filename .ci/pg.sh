#!/usr/bin/env bash
# Starts the local PostgreSQL cluster (installed by setup.sh) and prints a URL for the
# tests. Idempotent.
set -euo pipefail
ver="$(ls /usr/lib/postgresql | sort -n | tail -1)"
if ! pg_lsclusters -h | grep -q "^$ver main"; then
  pg_createcluster "$ver" main >&2
fi
if ! pg_lsclusters -h | awk -v v="$ver" '$1==v && $2=="main"' | grep -q online; then
  # Only the URL goes to stdout: pg_ctlcluster prints notes such as "Removed stale pid file."
  pg_ctlcluster "$ver" main start >&2
fi
for _ in $(seq 1 30); do
  pg_isready -q -h 127.0.0.1 && break
  sleep 0.5
done
port="$(pg_lsclusters -h | awk -v v="$ver" '$1==v && $2=="main" {print $3}')"
su postgres -c "psql -q -p $port -c \"ALTER USER postgres PASSWORD 'tongxin-test'\"" >/dev/null
# Drop databases left by earlier test runs.
for db in $(su postgres -c "psql -p $port -Atc \"SELECT datname FROM pg_database WHERE datname LIKE 'tx_test_%'\""); do
  su postgres -c "psql -q -p $port -c 'DROP DATABASE IF EXISTS $db'" >/dev/null
done
echo "postgres://postgres:tongxin-test@127.0.0.1:$port/postgres"
