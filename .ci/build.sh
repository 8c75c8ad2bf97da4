#!/usr/bin/env bash
# Builds the release server and the hashed browser bundle into $SITE_DIR:
#   wasm32 (build-std) -> wasm-split -> wasm-bindgen -> wasm-opt -Oz -> $SITE_DIR/pkg/<hash>/
# plus the stylesheet, public/ and the pinned Leaflet. Incremental: cargo skips
# what is up to date; wasm-opt is skipped when the wasm did not change.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"

cargo build -p app --lib "${WASM_CARGO_ARGS[@]}"
wasm="$CARGO_TARGET_DIR/wasm32-unknown-unknown/wasm-release/app.wasm"
# The splitting tool (.ci/wasm-split: wasm_split_cli_support, as `cargo leptos --split`
# uses it), built once for the host (about a minute on a cold machine).
(cd .ci/wasm-split && CARGO_TARGET_DIR="$CARGO_TARGET_DIR/tools" cargo build --release --locked -q)
split_tool="$CARGO_TARGET_DIR/tools/$HOST_TRIPLE/release/tongxin-wasm-split"

# wasm -> split at the `#[lazy]` areas (app/src/routes.rs) -> wasm-bindgen on the main
# module (keeping the exports the chunks link against) -> wasm-opt -Oz on every module.
stage="$CARGO_TARGET_DIR/wasm-stage"
mkdir -p "$stage"
if [ ! -f "$stage/out/tongxin_bg.wasm" ] || [ "$wasm" -nt "$stage/stamp" ] || [ "$split_tool" -nt "$stage/stamp" ]; then
  rm -rf "$stage" && mkdir -p "$stage/split" "$stage/out"
  "$split_tool" "$wasm" "$stage/split" tongxin
  wasm-bindgen --target web --no-typescript --keep-lld-exports --no-demangle \
    --out-dir "$stage/raw" --out-name tongxin "$stage/split/tongxin_split.wasm"
  opt() {
    wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
      --enable-mutable-globals --enable-reference-types "$1" -o "$2"
  }
  opt "$stage/raw/tongxin_bg.wasm" "$stage/out/tongxin_bg.wasm"
  for chunk in "$stage/split"/*.wasm; do
    [ "$(basename "$chunk")" = tongxin_split.wasm ] && continue
    opt "$chunk" "$stage/out/$(basename "$chunk")"
  done
  cp "$stage/raw/tongxin.js" "$stage/split"/*.js "$stage/split"/*.json "$stage/out/"
  touch "$stage/stamp"
fi

tmp="$(mktemp -d)"
cp "$stage/out"/* "$tmp/"
cat style/*.css > "$tmp/tongxin.css"
hash="$(cat "$tmp"/* | sha256sum | cut -c1-16)"
mkdir -p "$SITE_DIR/pkg" "$SITE_DIR/leaflet" "$SITE_DIR/vendor"
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
# Loaded by the pages that need them only: hls.js by camera panels, ECharts by /command.
cp .ci/node_modules/hls.js/dist/hls.light.min.js .ci/node_modules/echarts/dist/echarts.common.min.js \
  "$SITE_DIR/vendor/"
# Precompressed copies, served as they are (brotli at its best level costs nothing
# per request then).
for f in "$SITE_DIR/pkg/$hash"/*.{js,wasm,css} "$SITE_DIR/leaflet"/*.{js,css} "$SITE_DIR/vendor"/*.js; do
  [ -f "$f.br" ] || brotli -q 11 -k -f "$f"
  [ -f "$f.gz" ] || gzip -9 -k -f "$f"
done

cargo build --release -p server
echo "built: $SERVER_BIN, site $SITE_DIR (pkg/$hash)"
