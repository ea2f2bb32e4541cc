#!/usr/bin/env bash
# The engine natively against WebAssembly, case by case. Each round times each benchmark
# natively (criterion: benches/engine.rs for fixed 1 s steps, benches/replay.rs for a
# simulated day with run_for and a year of the default settings) and, right after, the
# same benchmark in headless Chromium (its test in tests/web_speed.rs), as
# scripts/alternate.sh says. Prints each round's figures to standard error, then per
# benchmark the medians of both and of the rounds' ratios (native over wasm).
#
#   scripts/bench-wasm.sh [ROUNDS] [SECONDS]
#
# ROUNDS defaults to 3; SECONDS is criterion's measurement time per benchmark (default
# 3). Needs what `make browser-tools` installs.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-3}
SECONDS_PER_CASE=${2:-3}
export PATH="$PWD/e2e/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
export CHROMEDRIVER=${CHROMEDRIVER:-/usr/bin/chromedriver}
export WASM_BINDGEN_TEST_TIMEOUT=1800
source scripts/alternate.sh

engine=$(cargo bench --bench engine --no-run 2>&1 | executable)
replay=$(cargo bench --bench replay --no-run 2>&1 | executable)
wasm=$(cargo test --release --target wasm32-unknown-unknown --test web_speed --no-run 2>&1 |
    executable)

# The figure of test $1 of tests/web_speed.rs in headless Chromium, M shard-s/s.
browser_rate() {
    wasm-bindgen-test-runner "$wasm" --nocapture --include-ignored --exact "$1" 2>/dev/null |
        sed -n 's/^engine speed in the browser, [^:]*: \([0-9.]*\) M shard-seconds.*/\1/p' |
        head -1
}

cases=$(case_names)
ids=()
for c in $cases; do ids+=("fixed/$c" "replayed/$c"); done
ids+=("replayed/default-year")

tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
for round in $(seq "$ROUNDS"); do
    for id in "${ids[@]}"; do
        case "$id" in
        fixed/*) bin=$engine test="fixed_${id#fixed/}" ;;
        replayed/default-year) bin=$replay test=year_default_settings ;;
        *) bin=$replay test="day_${id#replayed/}" ;;
        esac
        n=$(criterion_rate "$bin" "$id" "$SECONDS_PER_CASE")
        w=$(browser_rate "${test//-/_}")
        all_read "$id" "$n" "$w"
        echo "$id $n $w" >>"$tmp"
        echo "round $round $id: native $n, wasm $w M shard-s/s" >&2
    done
done
summarise "$tmp" native wasm "${ids[@]}"
