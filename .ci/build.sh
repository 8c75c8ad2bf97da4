#!/usr/bin/env bash
# Builds the release server and the hashed browser bundle into $SITE_DIR:
#   wasm32 (build-std) -> wasm-bindgen -> wasm-opt -Oz -> $SITE_DIR/pkg/<hash>/
# plus the stylesheet, public/ and the pinned Leaflet. Incremental: cargo skips
# what is up to date; wasm-opt is skipped when the wasm did not change.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"

cargo build -p app --lib "${WASM_CARGO_ARGS[@]}"
wasm="$CARGO_TARGET_DIR/wasm32-unknown-unknown/wasm-release/app.wasm"

stage="$CARGO_TARGET_DIR/wasm-stage"
mkdir -p "$stage"
if [ ! -f "$stage/tongxin_bg.wasm" ] || [ "$wasm" -nt "$stage/stamp" ]; then
  rm -rf "$stage" && mkdir -p "$stage"
  wasm-bindgen --target web --no-typescript --out-dir "$stage/raw" --out-name tongxin "$wasm"
  wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-reference-types \
    "$stage/raw/tongxin_bg.wasm" -o "$stage/tongxin_bg.wasm"
  cp "$stage/raw/tongxin.js" "$stage/tongxin.js"
  touch "$stage/stamp"
fi

tmp="$(mktemp -d)"
cp "$stage/tongxin.js" "$stage/tongxin_bg.wasm" "$tmp/"
cat style/*.css > "$tmp/tongxin.css"
hash="$(cat "$tmp"/* | sha256sum | cut -c1-16)"
mkdir -p "$SITE_DIR/pkg" "$SITE_DIR/leaflet"
if [ ! -d "$SITE_DIR/pkg/$hash" ]; then
  chmod 755 "$tmp" && mv "$tmp" "$SITE_DIR/pkg/$hash"
  # Keep the previous bundle too: pages already open still load it.
  ls -1t "$SITE_DIR/pkg" | tail -n +3 | while read -r old; do rm -rf "$SITE_DIR/pkg/$old"; done
else
  rm -rf "$tmp"
fi
echo "pkg/$hash" > "$SITE_DIR/pkg-dir.txt"
cp -r public/. "$SITE_DIR/"
cp -r .ci/node_modules/leaflet/dist/. "$SITE_DIR/leaflet/"
# Precompressed copies, served as they are (brotli at its best level costs nothing
# per request then).
for f in "$SITE_DIR/pkg/$hash"/*.{js,wasm,css} "$SITE_DIR/leaflet"/*.{js,css}; do
  [ -f "$f.br" ] || brotli -q 11 -k -f "$f"
  [ -f "$f.gz" ] || gzip -9 -k -f "$f"
done

cargo build --release -p server
echo "built: $SERVER_BIN, site $SITE_DIR (pkg/$hash)"
