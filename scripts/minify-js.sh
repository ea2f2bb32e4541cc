#!/usr/bin/env bash
# Trunk's post-build hook: in a release build, minifies the JavaScript glue the page
# loads (wasm-bindgen's module and the custom element) in the staging directory, and
# gives index.html the minified module's integrity hash.
set -euo pipefail
[ "${TRUNK_PROFILE:-}" = release ] || exit 0
cd "$TRUNK_STAGING_DIR"
for js in *.js; do
    esbuild "$js" --minify --log-level=warning --outfile="$js.min" --allow-overwrite
    mv "$js.min" "$js"
    hash="sha384-$(openssl dgst -sha384 -binary "$js" | openssl base64 -A)"
    # The integrity attribute of the tag that loads this file, if any.
    sed -i -E "s#(href=\"\./$js\"[^>]*integrity=\")[^\"]*#\1$hash#" index.html
done
