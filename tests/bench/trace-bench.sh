#!/bin/bash
# Trace benchmark: prints figures, asserts nothing (issue 8 / issue 11 targets:
# <= 0.1 byte per translation, --trace <= 3x the untraced run, replay >= 50 M
# events/s).
#
#   tests/bench/trace-bench.sh [BUILD_DIR] [N_SYNTHETIC_TRANSLATIONS]
#
# 1. Synthetic program-like streams (tests/trace/synth.c: loops over code
#    pages, stack, sequential scans, random table lookups, demand-zero faults,
#    context switches) written through the real writer.
# 2. Every benchmark guest in BUILD/tests/bench/*.elf and the default
#    workload, under vmscope with and without --trace.
# Each trace then goes through `vmtrace stats` and `vmtrace sim --tlb recorded`
# (whose replay speed is printed) and `vmtrace sim --frames`.
#
# Environment:
#   TRACE_BENCH_ROUNDS=R  time each guest R times untraced and R times traced,
#                         alternating, and print each round's ratio (default 1)
#   TRACE_BENCH_KV=1      print only machine-readable RUN.KEY=VALUE lines
#                         (RUN: synth-z{1,6}-{default,all-offsets}, synthetic,
#                         a guest name or default-workload; tests/bench/report.py
#                         reads them) and skip the emit benchmark and sim --frames
set -u
B=${1:-build}
N=${2:-20000000}
R=${TRACE_BENCH_ROUNDS:-1}
KV=${TRACE_BENCH_KV:-}
if [ -n "$KV" ]; then exec 3>&1 >/dev/null; fi
kv() { [ -z "$KV" ] || echo "$1=$2" >&3; }   # KEY VALUE
GEN=$B/tests/trace/trace-gen
VT=$B/tools/vmtrace
VM=$B/emu/vmscope
TMP=$(mktemp -d /tmp/trace-bench.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
for x in "$GEN" "$VT"; do
    [ -x "$x" ] || { echo "trace-bench: $x not built (ninja -C $B tests/trace/trace-gen tools/vmtrace)" >&2; exit 2; }
done

now() { date +%s.%N; }
secs() { echo "$2 - $1" | bc -l; }

xlate_count() { "$VT" info "$1" | awk '$1 == "xlate" { print $2 }'; }

# "M events/s M records/s" of a --timing line: "... N events (R records) in T s: X M events/s"
rates() { sed -n 's/.* events (\([0-9]*\) records) in \([0-9.]*\) s: \([0-9.]*\) M events\/s/\3 \1 \2/p' |
          awk '{ if ($3 > 0) printf "%s %.1f\n", $1, $2 / $3 / 1e6; else print $1, "?" }'; }

# The median of 5 replays (by records/s) of a vmtrace COMMAND...: a bench
# trace replays in tens of milliseconds, where one hiccup of the host halves
# a single run's rate.
rates5() {
    local k
    for k in 1 2 3 4 5; do "$VT" "$@" --timing 2>&1 >/dev/null | rates; done | sort -k2,2g | sed -n 3p
}

replay() {  # FILE RUN
    local st sim fr str sir
    read -r st str <<<"$(rates5 stats "$1")"
    read -r sim sir <<<"$(rates5 sim "$1" --tlb recorded --check)"
    local ok="exact"
    "$VT" sim "$1" --tlb recorded --check >/dev/null 2>&1 || ok="MISMATCH"
    kv "$2.stats_meps" "${st:-?}"; kv "$2.sim_meps" "${sim:-?}"; kv "$2.sim_check" "$ok"
    kv "$2.stats_mrps" "${str:-?}"; kv "$2.sim_mrps" "${sir:-?}"
    [ -z "$KV" ] || return 0
    local t0=$(now)
    "$VT" sim "$1" --frames 64 --policy lru,fifo,clock >/dev/null 2>&1
    local t1=$(now)
    printf "    replay (target >= 50 M records/s): stats %s M records/s (%s M events/s), sim --tlb %s M records/s (%s M events/s) (recorded counts: %s), sim --frames 64 (3 policies) %.2f s\n" \
        "${str:-?}" "${st:-?}" "${sir:-?}" "${sim:-?}" "$ok" "$(secs $t0 $t1)"
}

echo "== trace benchmark ($(date -u +%F), $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg))"
echo
echo "-- synthetic streams, $N translations"
for lvl in 1 6; do
    for filt in "" "all,offsets"; do
        out=$("$GEN" "$TMP/s.vmt" --xlate "$N" --level $lvl ${filt:+--filter $filt})
        bpt=$(echo "$out" | sed -n 's/.* \([0-9.]*\) bytes\/translation.*/\1/p')
        thr=$(echo "$out" | sed -n 's/.*translation, \([0-9.]*\) M translations\/s.*/\1/p')
        printf "  zlib %d %-12s %8s bytes/translation, writer+generator %6s M translations/s\n" \
            $lvl "${filt:-default}" "$bpt" "$thr"
        k=synth-z$lvl-${filt:-default}; k=${k//,/-}
        kv "$k.bytes_per_xlate" "$bpt"; kv "$k.mtps" "$thr"
    done
done
"$GEN" "$TMP/s.vmt" --xlate "$N" >/dev/null
kv synthetic.translations "$N"
replay "$TMP/s.vmt" synthetic
if [ -z "$KV" ] && [ -x "$B/tests/trace/trace-emit-bench" ]; then
    echo "  writer cost on the emulator's thread (thread CPU time; compression runs on the writer thread):"
    "$B/tests/trace/trace-emit-bench" "$TMP/e.vmt" 20000000 | sed 's/^/    /'
fi
echo

if [ -x "$VM" ]; then
    echo "-- vmscope guests: wall and CPU (user+sys, both threads) seconds, untraced vs --trace;"
    echo "   ratio = traced / untraced (target <= 3x); bytes and bytes per translation of the whole file (target <= 0.1)"
    printf "  %-18s %12s %8s %8s %6s %8s %8s %6s %10s %8s\n" guest translations wall "wall-tr" ratio cpu "cpu-tr" ratio bytes "B/xlate"
    TIMEFORMAT='%R %U %S'
    timed() {  # COMMAND...: "wall user sys" of one run
        { time timeout 600 "$@" >/dev/null 2>&1; } 2>&1
    }
    median() { tr ',' '\n' | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
    for elf in "$B"/tests/bench/*.elf DEFAULT; do
        if [ "$elf" = DEFAULT ]; then name=default-workload; args=(); else name=$(basename "$elf" .elf); args=("$elf"); fi
        [ "$elf" = DEFAULT ] || [ -f "$elf" ] || continue
        wr="" cr="" aws="" bws="" acs="" bcs=""
        for ((i = 0; i < R; i++)); do     # rounds: untraced then traced, each ratio under one load
            rm -f "$TMP/g.vmt"
            a=$(timed "$VM" run --quiet "${args[@]}")
            b=$(timed "$VM" run --quiet --trace "$TMP/g.vmt" "${args[@]}")
            read -r aw au as <<<"$a"; read -r bw bu bs <<<"$b"
            ac=$(echo "$au + $as" | bc -l); bc_=$(echo "$bu + $bs" | bc -l)
            wr="$wr${wr:+,}$(echo "scale=4; $bw / $aw" | bc -l)"; cr="$cr${cr:+,}$(echo "scale=4; $bc_ / $ac" | bc -l)"
            aws="$aws${aws:+,}$aw"; bws="$bws${bws:+,}$bw"; acs="$acs${acs:+,}$ac"; bcs="$bcs${bcs:+,}$bc_"
        done
        [ -f "$TMP/g.vmt" ] || { printf "  %-18s (no trace written)\n" "$name"; kv "$name.error" "no trace written"; continue; }
        n=$(xlate_count "$TMP/g.vmt"); sz=$(stat -c %s "$TMP/g.vmt")
        aw=$(median <<<"$aws"); bw=$(median <<<"$bws"); ac=$(median <<<"$acs"); bc_=$(median <<<"$bcs")
        printf "  %-18s %12s %8.3f %8.3f %5.2fx %8.3f %8.3f %5.2fx %10s %8s\n" "$name" "$n" "$aw" "$bw" \
            "$(echo "$bw / $aw" | bc -l)" "$ac" "$bc_" "$(echo "$bc_ / $ac" | bc -l)" "$sz" \
            "$( [ "${n:-0}" -gt 0 ] && echo "scale=4; $sz / $n" | bc -l || echo -)"
        kv "$name.translations" "$n"; kv "$name.bytes" "$sz"
        kv "$name.wall" "$aw"; kv "$name.wall_trace" "$bw"; kv "$name.cpu" "$ac"; kv "$name.cpu_trace" "$bc_"
        kv "$name.wall_ratios" "$wr"; kv "$name.cpu_ratios" "$cr"
        [ "${n:-0}" -gt 1000000 ] && replay "$TMP/g.vmt" "$name"
        rm -f "$TMP/g.vmt"
    done
else
    echo "-- vmscope not built: guest figures skipped"
fi
