# Shared by the scripts that time two builds of the engine against each other
# (bench-compare.sh, bench-wasm.sh): each round times each benchmark on one side and,
# right after, on the other, so a change in the machine's speed between them (a shared
# machine can run about 1.6 times slower for minutes) moves both alike. Sourced, not
# run.

# Where cargo put what it built, from its output: "Executable <source> (<path>)".
executable() { sed -n 's/.*Executable .*(\(.*\))$/\1/p' | tail -1; }

# Criterion's median throughput, M elements/s, of benchmark $2 of bench binary $1,
# measured for $3 s.
criterion_rate() {
    "$1" --bench --exact "$2" --warm-up-time 1 --measurement-time "$3" 2>/dev/null |
        awk -f scripts/rates.awk | awk '{ print $2 }'
}

# Fails, naming benchmark $1, unless each of the figures $2... was read.
all_read() {
    local id=$1 v
    shift
    for v in "$@"; do
        if [ -z "$v" ]; then
            echo "no figure for $id" >&2
            exit 1
        fi
    done
}

# The median of the numbers on standard input, one a line.
median() {
    sort -g | awk '{ v[NR] = $1 }
        END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# Prints, from file $1 of "<benchmark> <a> <b>" lines (one a round; b may be "-"), the
# median of a and of b over the rounds and the median of the rounds' ratios a/b under
# headings $2 and $3, for the benchmarks $4...
summarise() {
    local file=$1 a=$2 b=$3 id rows
    shift 3
    printf '%-22s %14s %14s %8s  %s\n' benchmark "$a" "$b" "ratio" "each round's ratio"
    printf '%-22s %14s %14s %8s\n' "" "M shard-s/s" "M shard-s/s" ""
    for id in "$@"; do
        rows=$(awk -v id="$id" '$1 == id' "$file")
        if awk '$3 == "-" { found = 1 } END { exit !found }' <<<"$rows"; then
            printf '%-22s %14.2f %14s %8s\n' "$id" "$(awk '{ print $2 }' <<<"$rows" | median)" - -
            continue
        fi
        printf '%-22s %14.2f %14.2f %7.2fx  %s\n' "$id" \
            "$(awk '{ print $2 }' <<<"$rows" | median)" \
            "$(awk '{ print $3 }' <<<"$rows" | median)" \
            "$(awk '{ printf "%.4f\n", $2 / $3 }' <<<"$rows" | median)" \
            "$(awk '{ printf "%.2fx ", $2 / $3 }' <<<"$rows")"
    done
}

# The benchmark cases' names, from benches/cases/mod.rs; fails when it finds none.
case_names() {
    local names
    names=$(sed -n 's/^ *name: "\([a-z0-9-]*\)",$/\1/p' benches/cases/mod.rs)
    if [ -z "$names" ]; then
        echo "no benchmark case found in benches/cases/mod.rs" >&2
        return 1
    fi
    echo "$names"
}
