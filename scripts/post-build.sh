#!/usr/bin/env bash
# Trunk's post-build hook: in a release build, gives the wasm module's imports short
# names (in the module and its glue together), minifies the JavaScript the page loads
# (wasm-bindgen's glue and the custom element) in the staging directory, and gives
# index.html the new files' integrity hashes.
set -euo pipefail
[ "${TRUNK_PROFILE:-}" = release ] || exit 0
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$TRUNK_STAGING_DIR"
integrity() {
    local file=$1 hash
    hash="sha384-$(openssl dgst -sha384 -binary "$file" | openssl base64 -A)"
    # The integrity attribute of the tag that loads this file, if any.
    sed -i -E "s#(href=\"\./$file\"[^>]*integrity=\")[^\"]*#\1$hash#" index.html
}
for wasm in *_bg.wasm; do
    node "$here/short-imports.mjs" "$wasm" "${wasm%_bg.wasm}.js"
    integrity "$wasm"
done
for js in *.js; do
    esbuild "$js" --minify --log-level=warning --outfile="$js.min" --allow-overwrite
    mv "$js.min" "$js"
    integrity "$js"
done
