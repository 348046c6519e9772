#!/usr/bin/env bash
# Whole-process benchmark of `solvent eval` on a synthetic ledger of
# 100,000 clients and 1,000,000 invoices: wall time, user+system CPU time
# and peak resident memory, measured by GNU time, for each output format.
#
# Usage: benches/run.sh [POLICY]
#
# POLICY is the policy file to evaluate (default
# policies/sme-standard.policy). These environment variables change the
# run:
#
#   CLIENTS              clients of the ledger (default 100000)
#   INVOICES_PER_CLIENT  invoices per client (default 10)
#   SEED                 seed of the generator (default 1)
#   RUNS                 runs of each format, each printed as a row (default 1)
#   CARGO_TARGET_DIR     where cargo builds and the ledger is cached (default target/)
#
# The ledger is written once under $CARGO_TARGET_DIR/bench-data/, in a
# folder named after its shape and a hash of the generator's source, so a
# changed generator writes a new one. Decisions go to /dev/null, so the
# figures include formatting the output but no disk writes.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
target=${CARGO_TARGET_DIR:-$repo/target}
clients=${CLIENTS:-100000}
per_client=${INVOICES_PER_CLIENT:-10}
seed=${SEED:-1}
runs=${RUNS:-1}
policy=${1:-$repo/policies/sme-standard.policy}
as_of=2027-03-31
formats=(table json ndjson csv)

if [[ ! -x /usr/bin/time ]]; then
    echo "error: /usr/bin/time (GNU time) is missing; install it, e.g. apt-get install time" >&2
    exit 1
fi

# Builds the binary and the generator in release mode.
build() {
    (cd "$repo" && cargo build --release --quiet --bin solvent --example generate_ledger)
}

# Writes the ledger into $data unless a complete copy is already there.
generate() {
    local generator_hash
    generator_hash=$(sha256sum "$repo/benches/support/synthetic.rs" | cut -c1-12)
    data=$target/bench-data/ledger-$clients-$per_client-$seed-$generator_hash
    if [[ -f $data/complete ]]; then
        return
    fi
    rm -rf "$data"
    "$target/release/examples/generate_ledger" --clients "$clients" \
        --invoices-per-client "$per_client" --seed "$seed" --as-of "$as_of" \
        --out "$data" 2> "$data.log" || { cat "$data.log" >&2; exit 1; }
    mv "$data.log" "$data/generated.txt"
    touch "$data/complete"
}

# Prints the value after the first "$2: " line of GNU time's report $1.
field() {
    awk -v key="$2" 'index($0, key ": ") { sub(/.*: /, ""); print; exit }' "$1"
}

# Converts GNU time's elapsed "h:mm:ss" or "m:ss.ss" into seconds.
seconds() {
    awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; printf "%.2f", s }' <<< "$1"
}

# Runs one evaluation in format $1 and prints its table row.
measure() {
    local format=$1 report=$target/bench-data/time-$1.txt
    local stderr_file=$target/bench-data/stderr-$1.txt
    if ! /usr/bin/time -v -o "$report" "$target/release/solvent" eval "$policy" \
        --ledger "$data" --as-of "$as_of" --format "$format" > /dev/null 2> "$stderr_file"; then
        echo "error: solvent eval --format $format failed; see $stderr_file and $report" >&2
        exit 1
    fi
    local wall user system rss
    wall=$(seconds "$(field "$report" 'Elapsed (wall clock) time (h:mm:ss or m:ss)')")
    user=$(field "$report" 'User time (seconds)')
    system=$(field "$report" 'System time (seconds)')
    rss=$(field "$report" 'Maximum resident set size (kbytes)')
    printf '| %s | %s | %.2f | %d |\n' "$format" "$wall" \
        "$(awk -v u="$user" -v s="$system" 'BEGIN { print u + s }')" $((rss / 1024))
}

build
mkdir -p "$target/bench-data"
generate

echo "## solvent eval, $(date -u +%Y-%m-%d)"
echo
echo "- ledger: $(cat "$data/generated.txt")"
echo "- policy: ${policy#"$repo"/}, as of $as_of"
echo "- machine: $(nproc) cores, $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
echo "- $(rustc --version)"
echo "- load average before the runs: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| format | wall (s) | user+system (s) | peak RSS (MiB) |"
echo "|---|---:|---:|---:|"
for format in "${formats[@]}"; do
    for ((run = 1; run <= runs; run++)); do
        measure "$format"
    done
done
