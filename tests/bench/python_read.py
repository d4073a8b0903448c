#!/usr/bin/python3
"""How long the Python reader takes to read a whole trace into numpy
arrays, beside `vmtrace stats` on the same file (the issue's target: no
longer than stats).

usage: PYTHONPATH=build/python /usr/bin/python3 tests/bench/python_read.py VMTRACE TRACE [--threads N] [--rounds R]

For each round, in turn: `vmtrace stats TRACE` (output discarded), then
vmscope.Trace(TRACE).arrays() to the end (every chunk's array made, then
dropped), then count(). Prints wall and CPU seconds of each, the records
and records per second, and the ratio of the reader's wall time to
stats'. Wall times on a shared machine vary with its load: the rounds
alternate so that both see the same."""
import argparse
import os
import resource
import subprocess
import time

import vmscope


def cpu_children():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def cpu_self():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


ap = argparse.ArgumentParser()
ap.add_argument("vmtrace")
ap.add_argument("trace")
ap.add_argument("--threads", type=int)
ap.add_argument("--rounds", type=int, default=1)
o = ap.parse_args()
print("trace: %s (%.1f MB), load average %.1f, %d CPUs" % (o.trace, os.path.getsize(o.trace) / 1e6,
                                                           os.getloadavg()[0], len(os.sched_getaffinity(0))))
for rnd in range(o.rounds):
    c0, t0 = cpu_children(), time.time()
    subprocess.run([o.vmtrace, "stats", o.trace], check=True, stdout=subprocess.DEVNULL)
    stats_wall, stats_cpu = time.time() - t0, cpu_children() - c0

    c0, t0 = cpu_self(), time.time()
    t = vmscope.Trace(o.trace, threads=o.threads)
    n = arrays = 0
    for a in t.arrays():
        n += len(a)
        arrays += 1
    read_wall, read_cpu = time.time() - t0, cpu_self() - c0

    c0, t0 = cpu_self(), time.time()
    count = t.count()
    count_wall, count_cpu = time.time() - t0, cpu_self() - c0
    t.close()
    print("round %d:" % (rnd + 1))
    print("  vmtrace stats            %8.2f s wall %8.2f s CPU" % (stats_wall, stats_cpu))
    print("  Trace.arrays(), %d threads %6.2f s wall %8.2f s CPU: %d records in %d arrays, %.1f M records/s"
          % (t.threads, read_wall, read_cpu, n, arrays, n / read_wall / 1e6))
    print("  Trace.count()            %8.2f s wall %8.2f s CPU: %d %s" % (count_wall, count_cpu, count,
                                                                        "(= records read)" if count == n
                                                                        else "(DIFFERS from records read)"))
    print("  reader / stats, wall: %.2f" % (read_wall / stats_wall))
