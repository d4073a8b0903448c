#!/bin/sh
# The fast path never lies, at scale: 10^8 memory accesses (reads, writes and
# fetches with CR3 loads, INVLPG, PTE edits, A/D clearing, WP/PGE toggles and
# SMC frames mixed in) through the MMU with the host fast path on and off;
# prints both timings and the model's figures, and fails unless statistics,
# cycles, values read and memory are identical.
#
# usage: tests/bench/mmu_fastpath.sh [BUILDDIR] [N] [TLBSPEC]
#   BUILDDIR  meson build directory (default: build)
#   N         accesses per run (default 100000000)
# Runs the realistic workload (mostly hits, as programs are) and then the
# adversarial one of the unit tests (faults, edits and flushes everywhere)
# with the trace hashed too.
set -e
build=${1:-build}
n=${2:-100000000}
spec=${3:-}
bench="$build/tests/mmu/mmu_bench"
if [ ! -x "$bench" ]; then
    echo "mmu_fastpath.sh: $bench not built (ninja -C $build tests/mmu/mmu_bench)" >&2
    exit 2
fi
status=0
echo "== realistic workload, $n accesses =="
"$bench" "$n" "$spec" "" || status=1
echo "== adversarial workload with trace, $n accesses =="
"$bench" "$n" "$spec" "at" || status=1
exit $status
