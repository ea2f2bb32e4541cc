#!/usr/bin/env bash
# The engine benchmarks (benches/engine.rs, fixed 1 s steps on the cases of
# benches/cases/mod.rs) run on another revision of the model and on this checkout, one
# after the other on the same machine, and printed side by side; then this checkout's
# replaying engine (benches/replay.rs: a simulated day of each case, a simulated year of
# the default settings) beside the other revision's fixed steps on the same case.
#
#   scripts/bench-compare.sh [REV] [SECONDS]
#
# REV defaults to 1c8c950, the engine before the engine work began; SECONDS is
# criterion's measurement time per case (default 5). The other revision is checked out
# in a temporary worktree, given this checkout's benchmark files, and built in
# target/bench-base.
set -euo pipefail
cd "$(dirname "$0")/.."
REV=${1:-1c8c950}
SECONDS_PER_CASE=${2:-5}
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

tmp=$(mktemp -d)
cleanup() { git worktree remove --force "$tmp/base" >/dev/null 2>&1 || true; rm -rf "$tmp"; }
trap cleanup EXIT

git worktree add --detach "$tmp/base" "$REV" >/dev/null
rm -rf "$tmp/base/benches/cases" "$tmp/base/benches/configs"
cp -r benches/cases benches/configs benches/engine.rs "$tmp/base/benches/"
if ! grep -q 'name = "engine"' "$tmp/base/Cargo.toml"; then
    printf '\n[[bench]]\nname = "engine"\nharness = false\n' >>"$tmp/base/Cargo.toml"
fi

# Criterion's throughput line for each benchmark: "<id> <median in M elements/s>".
rates() {
    awk '/^[a-z]+\/[a-z0-9-]+/ { id = $1 }
         /thrpt:/ && id != "" {
             v = $4; u = $5
             if (u ~ /^Kelem/) v /= 1000; else if (u ~ /^Gelem/) v *= 1000
             printf "%s %.2f\n", id, v; id = "" }'
}

run() { # dir target-dir bench filter
    (cd "$1" && CARGO_TARGET_DIR="$2" cargo bench --bench "$3" -- \
        --warm-up-time 1 --measurement-time "$SECONDS_PER_CASE" "$4" 2>/dev/null) | rates
}

echo "building and running $REV (the other revision)..." >&2
run "$tmp/base" "$PWD/target/bench-base" engine fixed/ >"$tmp/base.txt"
echo "building and running this checkout..." >&2
run . "$PWD/target" engine / >"$tmp/head.txt"
run . "$PWD/target" replay / >>"$tmp/head.txt"

printf '%-22s %14s %14s %8s\n' case "$REV" "this checkout" ratio
printf '%-22s %14s %14s %8s\n' "" "M shard-s/s" "M shard-s/s" ""
while read -r id head; do
    # A replayed case is compared with the other revision's fixed steps on it.
    base=$(awk -v id="${id/#replayed\//fixed/}" '$1 == id { print $2 }' "$tmp/base.txt")
    if [ -n "$base" ]; then
        ratio=$(awk -v a="$head" -v b="$base" 'BEGIN { printf "%.2fx", a / b }')
    else
        base="-"; ratio="-"
    fi
    printf '%-22s %14s %14s %8s\n' "$id" "$base" "$head" "$ratio"
done <"$tmp/head.txt"
