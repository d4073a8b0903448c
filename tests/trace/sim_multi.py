#!/usr/bin/env python3
"""One read, many configurations: `vmtrace sim` with 12 configurations (a
3 x 2 --grid of DTLB sizes and policies, an STLB --tlb spec, the recorded
geometry, and --frames 64,1024 under lru and opt) gives, row by row, the
figures of the 12 separate one-configuration runs, on the default
workload's trace; the same CSV on 1 and 3 threads; JSON with the same
figures; bad grids and mixed single-configuration options are usage errors.

The default workload is `vmscope run` with no options; its trace is cut at
--max-cycles CYCLES (argument 3, so the test's time stays bounded whatever
the guest kernel does; 0 records the whole run).

usage: sim_multi.py VMTRACE VMSCOPE CYCLES WORKDIR
"""
import csv
import io
import json
import os
import re
import subprocess
import sys
sys.dont_write_bytecode = True     # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from checklib import check, finish

vt, vmscope, cycles, work = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
os.makedirs(work, exist_ok=True)


def vtrun(*args):
    p = subprocess.run([vt] + list(args), capture_output=True, text=True, timeout=900)
    return p


trace = os.path.join(work, "default.vmt")
cmd = [vmscope, "run", "--quiet", "--trace", trace] + (["--max-cycles", str(cycles)] if cycles else [])
p = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
check(p.returncode not in (2, 10) and os.path.exists(trace), "recorded the default workload's trace: " + " ".join(cmd[1:]),
      p.stderr)

grid = "dtlb=16:4,64:4,256:8;policy=lru,fifo"
tlbs = ["stlb=256:4,policy=lru", "recorded"]
args = ["sim", trace, "--grid", grid] + sum([["--tlb", t] for t in tlbs], []) + ["--frames", "64,1024",
                                                                                 "--policy", "lru,opt"]
one = vtrun(*args, "--csv", "-", "--jobs", "3")
check(one.returncode == 0, "one pass, 12 configurations, 3 threads", one.stderr)
rows = list(csv.DictReader(io.StringIO(one.stdout)))
check(len(rows) == 12, f"12 rows ({len(rows)})", one.stdout)
serial = vtrun(*args, "--csv", "-", "--jobs", "1")
check(serial.stdout == one.stdout, "the same CSV on 1 thread", serial.stdout)
js = vtrun(*args, "--json", "-")
try:
    jrows = json.loads(js.stdout)
except ValueError:
    jrows = []
check(len(jrows) == 12 and all(str(j["misses"]) == r["misses"] and (j["faults"] is None) == (r["faults"] == "")
                               for j, r in zip(jrows, rows)), "--json: the same rows", js.stdout)
table = vtrun(*args)
check(table.returncode == 0 and len(table.stdout.splitlines()) == 13, "the default table: a header and 12 rows",
      table.stdout)

stat_re = re.compile(r"^\s+(\w+):\s+(\d+) lookups, (\d+) hits \([^)]*\), (\d+) misses, (\d+) evictions", re.M)
for r in rows:
    if r["kind"] == "tlb":
        s = vtrun("sim", trace, "--tlb", r["config"])
        st = {m.group(1): tuple(int(x) for x in m.group(2, 3, 4, 5)) for m in stat_re.finditer(s.stdout)}
        if r["structure"] == "all":
            m = re.search(r"simulated (\d+) hits, (\d+) misses", s.stdout)
            want = (int(m.group(1)) + int(m.group(2)), int(m.group(1)), int(m.group(2)),
                    sum(v[3] for k, v in st.items() if k != "pwc")) if m else None
        else:
            want = st.get(r["structure"])
        got = tuple(int(r[k]) for k in ("lookups", "hits", "misses", "evictions"))
        check(s.returncode == 0 and want == got and r["faults"] == "",
              f"tlb {r['config']} ({r['structure']}): {got} as its own run", s.stdout + s.stderr)
    else:
        n = int(r["config"].split("=")[1])
        s = vtrun("sim", trace, "--frames", str(n), "--policy", r["policy"])
        m = re.search(r"^\s+%s\s+(\d+)\s+(\d+)\s" % r["policy"], s.stdout, re.M)
        t = re.search(r"page references: (\d+)", s.stdout)
        f, e = (int(m.group(1)), int(m.group(2))) if m else (-1, -1)
        want = (int(t.group(1)) if t else -1, f, f, e)
        got = tuple(int(r[k]) for k in ("lookups", "misses", "faults", "evictions"))
        check(s.returncode == 0 and want == got, f"frames={n} {r['policy']}: {got} as its own run",
              s.stdout + s.stderr)

for bad, why in ((["--grid", "dtlb"], "--grid"), (["--grid", "dtlb=3:7"], "--tlb"),
                 (["--tlb", "dtlb=32:4", "--tlb", "x", "--check"], "--check"),
                 (["--frames", "64,x"], "--frames"), (["--frames", "8", "--csv", "-", "--json", "-"], "not both")):
    p = vtrun("sim", trace, *bad)
    check(p.returncode == 2 and why in p.stderr, "usage error: " + " ".join(bad), p.stderr)

finish()
