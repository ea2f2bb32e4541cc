#!/usr/bin/env bash
# Prints the gzip size of the release bundle: the wasm module and its JS glue.
# With a second argument (bytes), fails when the bundle is larger than that.
set -euo pipefail
dir=${1:-dist}
max=${2:-}
total=0
for f in "$dir"/*.wasm "$dir"/*.js; do
    [ -e "$f" ] || continue
    raw=$(stat -c %s "$f")
    gz=$(gzip -9 -c "$f" | wc -c)
    total=$((total + gz))
    printf '%-48s %9d bytes  %9d gzip\n' "$(basename "$f")" "$raw" "$gz"
done
printf '%-48s %9s        %9d gzip (%d KB)\n' "total (wasm + js)" "" "$total" $(((total + 1023) / 1024))
if [ -n "$max" ] && [ "$total" -gt "$max" ]; then
    echo "the bundle is $total bytes gzip, over the $max allowed" >&2
    exit 1
fi
