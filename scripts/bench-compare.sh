#!/usr/bin/env bash
# The engine benchmarks (benches/engine.rs, fixed 1 s steps on the cases of
# benches/cases/mod.rs) on another revision of the model and on this checkout, and this
# checkout's replaying engine (benches/replay.rs: a simulated day of each case, a
# simulated year of the default settings) beside the other revision's fixed steps on
# the same case. Each round times each case on the other revision and, right after, on
# this checkout, as scripts/alternate.sh says. Prints each round's figures to standard
# error, then per benchmark the medians of both and of the rounds' ratios (this
# checkout over the other revision).
#
#   scripts/bench-compare.sh [REV] [SECONDS] [ROUNDS]
#
# REV defaults to 1c8c950, the engine before the engine work began; SECONDS is
# criterion's measurement time per case (default 5); ROUNDS defaults to 3. The other
# revision is checked out in a temporary worktree, given this checkout's benchmark
# files, and built in target/bench-base.
set -euo pipefail
cd "$(dirname "$0")/.."
REV=${1:-1c8c950}
SECONDS_PER_CASE=${2:-5}
ROUNDS=${3:-3}
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
source scripts/alternate.sh

tmp=$(mktemp -d)
cleanup() { git worktree remove --force "$tmp/base" >/dev/null 2>&1 || true; rm -rf "$tmp"; }
trap cleanup EXIT

git worktree add --detach "$tmp/base" "$REV" >/dev/null
rm -rf "$tmp/base/benches/cases" "$tmp/base/benches/configs"
cp -r benches/cases benches/configs benches/engine.rs "$tmp/base/benches/"
if ! grep -q 'name = "engine"' "$tmp/base/Cargo.toml"; then
    printf '\n[[bench]]\nname = "engine"\nharness = false\n' >>"$tmp/base/Cargo.toml"
fi

echo "building $REV (the other revision) and this checkout..." >&2
base=$(cd "$tmp/base" && CARGO_TARGET_DIR="$OLDPWD/target/bench-base" \
    cargo bench --bench engine --no-run 2>&1 | executable)
engine=$(cargo bench --bench engine --no-run 2>&1 | executable)
replay=$(cargo bench --bench replay --no-run 2>&1 | executable)

cases=$(case_names)
ids=()
for c in $cases; do ids+=("fixed/$c"); done
for c in $cases; do ids+=("replayed/$c"); done
ids+=("replayed/default-year")

rows="$tmp/rows.txt"
for round in $(seq "$ROUNDS"); do
    for c in $cases; do
        b=$(criterion_rate "$base" "fixed/$c" "$SECONDS_PER_CASE")
        h=$(criterion_rate "$engine" "fixed/$c" "$SECONDS_PER_CASE")
        r=$(criterion_rate "$replay" "replayed/$c" "$SECONDS_PER_CASE")
        all_read "$c" "$b" "$h" "$r"
        # A replayed case is compared with the other revision's fixed steps on it.
        printf 'fixed/%s %s %s\nreplayed/%s %s %s\n' "$c" "$h" "$b" "$c" "$r" "$b" >>"$rows"
        echo "round $round $c: $REV fixed $b, this checkout fixed $h, replayed $r M shard-s/s" >&2
    done
    y=$(criterion_rate "$replay" replayed/default-year "$SECONDS_PER_CASE")
    all_read replayed/default-year "$y"
    echo "replayed/default-year $y -" >>"$rows"
done
summarise "$rows" "this checkout" "$REV" "${ids[@]}"
