#!/bin/bash
# Host instructions per guest instruction, counted by cachegrind: a figure
# that does not move with the host's load, for comparing interpreter builds.
# Each guest runs with N and 2N iterations; the difference cancels start-up.
# With --trace each run writes a trace (to a temporary file), and the count
# covers every thread: the emulator's and the trace writer's.
#
#   tests/bench/host-insns.sh [--trace] [VMSCOPE...]   (default: build/emu/vmscope)
#   GUESTS="loadstore calls" tests/bench/host-insns.sh build/emu/vmscope /tmp/old-vmscope
set -u
cd "$(dirname "$0")/../.."
command -v valgrind >/dev/null || { echo "host-insns: valgrind is not installed (apt install valgrind)"; exit 2; }
trace=()
if [ "${1:-}" = --trace ]; then
    shift
    tmp=$(mktemp -d) || exit 2
    trap 'rm -rf "$tmp"' EXIT
    trace=(--trace "$tmp/run.vmt")
fi
[ $# -gt 0 ] || set -- build/emu/vmscope
for b in "$@"; do [ -x "$b" ] || { echo "host-insns: $b: not an executable"; exit 2; }; done
ir_of() {   # VMSCOPE ITERS GUEST: host instructions of every thread
    valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null "$1" run \
        "${trace[@]}" --cmdline iters="$2" "build/tests/bench/bench-$3.elf" 2>&1 |
        sed -n 's/.*I *refs: *\([0-9,]*\).*/\1/p' | tr -d ,
}
insns_of() { "$1" run --cmdline iters="$2" "build/tests/bench/bench-$3.elf" 2>&1 | sed -n 's/^instructions: *//p'; }
printf '%-10s' guest; for b in "$@"; do printf ' %14s' "$(basename "$(dirname "$(dirname "$b")")")/$(basename "$b")"; done; echo
for g in ${GUESTS:-loadstore calls strings pagefault pages64 random8m callret}; do
    n=20; [ "$g" = calls ] && n=2
    printf '%-10s' "$g"
    for b in "$@"; do
        a=$(ir_of "$b" $n "$g"); c=$(ir_of "$b" $((2 * n)) "$g")
        x=$(insns_of "$b" $n "$g"); y=$(insns_of "$b" $((2 * n)) "$g")
        if [ -z "$a" ] || [ -z "$c" ] || [ -z "$x" ] || [ -z "$y" ] || [ "$x" = "$y" ]; then
            echo; echo "host-insns: $b on bench-$g gave no count"; exit 1
        fi
        printf ' %14s' "$(echo "scale=1; ($c - $a) / ($y - $x)" | bc)"
    done
    echo
done
