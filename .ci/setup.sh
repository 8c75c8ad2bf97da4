#!/usr/bin/env bash
# Installs everything the project needs on a fresh Debian 12 machine, as root.
# Each step checks first, so a second run takes seconds.
set -euo pipefail
source "$(dirname "$0")/env.sh"

log() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

apt_pkgs=(rustc-web cargo-web rust-web-src rust-web-llvm lld-22 rust-web-clippy rustfmt-web
  chromium postgresql brotli curl ca-certificates gcc libc6-dev pkg-config libxml2-utils ffmpeg)
command -v npm >/dev/null || apt_pkgs+=(nodejs npm)
missing=()
for p in "${apt_pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  log "apt-get install ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if ! command -v rustup >/dev/null; then
  log "installing rustup (for the 'debian' toolchain link)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq rustup >/dev/null 2>&1 || true
fi
if command -v rustup >/dev/null && ! rustup toolchain list | grep -q '^debian'; then
  log "linking Debian's rustc-web as the 'debian' toolchain"
  rustup toolchain link debian /usr
fi

want_wb="wasm-bindgen 0.2.130"
if [ "$(wasm-bindgen --version 2>/dev/null)" != "$want_wb" ]; then
  log "cargo install wasm-bindgen-cli 0.2.130 (about 6 minutes)"
  (cd /tmp && RUSTUP_TOOLCHAIN=debian /usr/bin/cargo install wasm-bindgen-cli --version 0.2.130 --root "$HOME/.cargo")
fi

if [ ! -x "$ROOT/.ci/node_modules/.bin/wasm-opt" ] || [ ! -f "$ROOT/.ci/node_modules/leaflet/dist/leaflet.js" ] \
  || [ ! -f "$ROOT/.ci/node_modules/hls.js/dist/hls.light.min.js" ] || [ ! -f "$ROOT/.ci/node_modules/echarts/dist/echarts.common.min.js" ]; then
  log "npm ci (binaryen 132, leaflet 1.9.4, hls.js 1.7.4, echarts 6.1.0)"
  (cd "$ROOT/.ci" && npm ci --no-audit --no-fund --silent)
fi
if [ ! -d "$ROOT/end2end/node_modules/playwright-core" ] || [ ! -d "$ROOT/end2end/node_modules/axe-core" ]; then
  log "npm ci (playwright-core, axe-core)"
  (cd "$ROOT/end2end" && npm ci --no-audit --no-fund --silent)
fi
log "tools ready"
