#!/bin/bash
# One pass against separate runs (issue 22): a 24-configuration grid over the
# default workload's trace, as one `vmtrace sim --grid` pass and as the 24
# separate `vmtrace sim --tlb SPEC` runs it replaces, plus one single run.
# Prints wall and CPU seconds of each and the ratios; asserts nothing (the
# equality of the figures is tests/trace/sim_multi.py's job).
#
#   tests/bench/sweep-bench.sh [BUILD_DIR] [MAX_CYCLES]
#
# The trace is `vmscope run --trace FILE` with no other option (the default
# workload), cut at MAX_CYCLES (default 10^9; 0 = the whole run).
# Environment: SWEEP_BENCH_JOBS=N threads of the one pass (default: nproc).
set -u
B=${1:-build}
CYC=${2:-1000000000}
VT=$B/tools/vmtrace
VM=$B/emu/vmscope
for x in "$VT" "$VM"; do
    [ -x "$x" ] || { echo "sweep-bench: $x not built (ninja -C $B)" >&2; exit 2; }
done
command -v bc >/dev/null || { echo "sweep-bench: bc is missing (scripts/setup installs it)" >&2; exit 2; }
TMP=$(mktemp -d /tmp/sweep-bench.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
T=$TMP/default.vmt
GRID='dtlb=16:4,32:4,64:4,128:4,256:8,512:8;policy=lru,plru,fifo,random'
JOBS=${SWEEP_BENCH_JOBS:-$(nproc)}

# timed OUT CMD...: appends "wall cpu" (seconds; cpu = user + system) to OUT
timed() {
    local out=$1; shift
    /usr/bin/time -f "%e %U %S" -o "$TMP/t" "$@" >/dev/null 2>&1
    read -r w u s < "$TMP/t"
    echo "$w $(echo "$u + $s" | bc -l)" >> "$out"
}
sum() { awk '{ w += $1; c += $2 } END { printf "%.2f %.2f\n", w, c }' "$1"; }

echo "== sweep benchmark ($(date -u '+%F %H:%M') UTC, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg))"
args=(run --quiet --trace "$T")
[ "$CYC" != 0 ] && args+=(--max-cycles "$CYC")
"$VM" "${args[@]}" >/dev/null 2>&1
xl=$("$VT" info "$T" | awk '$1 == "xlate" { print $2 }')
echo "trace: vmscope ${args[*]/#$T/FILE}: $(stat -c %s "$T") bytes, $xl translations"

specs=()     # the grid's 24 specs, in --grid's order
for size in 16:4 32:4 64:4 128:4 256:8 512:8; do
    for pol in lru plru fifo random; do specs+=("dtlb=$size,policy=$pol"); done
done

: > "$TMP/single"
timed "$TMP/single" "$VT" sim "$T" --tlb "${specs[0]}"
: > "$TMP/separate"
for s in "${specs[@]}"; do timed "$TMP/separate" "$VT" sim "$T" --tlb "$s"; done
: > "$TMP/pass"
timed "$TMP/pass" "$VT" sim "$T" --grid "$GRID" --jobs "$JOBS"

read -r w1 c1 < <(sum "$TMP/single")
read -r w24 c24 < <(sum "$TMP/separate")
read -r wp cp < <(sum "$TMP/pass")
echo "grid: $GRID (24 configurations)"
printf "%-44s %10s %10s\n" "" "wall s" "CPU s"
printf "%-44s %10s %10s\n" "one run (--tlb ${specs[0]})" "$w1" "$c1"
printf "%-44s %10s %10s\n" "24 separate runs" "$w24" "$c24"
printf "%-44s %10s %10s\n" "one pass, --grid, --jobs $JOBS" "$wp" "$cp"
printf "one pass / separate runs: wall %.3f (target <= 0.333), CPU %.3f\n" \
    "$(echo "$wp / $w24" | bc -l)" "$(echo "$cp / $c24" | bc -l)"
printf "load average after: %s\n" "$(cut -d' ' -f1-3 /proc/loadavg)"
