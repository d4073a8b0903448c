#!/usr/bin/env python3
"""Symbols in the trace (format 1.1 and later): a real trace of bench-pagefault (whose
page faults all happen in `main`) carries the kernel image's symbol table,
and vmtrace dump, stats and export name the function of each fault. Two
identical runs still give identical bytes.

usage: symbols.py VMSCOPE VMTRACE GUEST_ELF WORKDIR
"""
import json
import os
import subprocess
import sys
sys.dont_write_bytecode = True     # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from checklib import check, finish

# Slow builds (ASan) stretch every timeout: scripts/test sets VMSCOPE_TIMEOUT_SCALE.
TIMEOUT_SCALE = float(os.environ.get('VMSCOPE_TIMEOUT_SCALE', '1'))

vm, vt, elf, work = sys.argv[1:5]
if not os.path.exists(elf):
    print(f"FAIL: {elf} not built")
    sys.exit(1)
os.makedirs(work, exist_ok=True)


def vmtrace(*args):
    p = subprocess.run([vt] + list(args), capture_output=True, text=True, timeout=300 * TIMEOUT_SCALE)
    return p.returncode, p.stdout + p.stderr


traces = []
for i in range(2):
    t = os.path.join(work, f"pf{i}.vmt")
    p = subprocess.run([vm, "run", "--quiet", "--trace", t, elf], capture_output=True, text=True, timeout=300 * TIMEOUT_SCALE)
    check(p.returncode == 1 and os.path.exists(t), f"vmscope run --trace {t} (status {p.returncode})",
          p.stdout + p.stderr)
    traces.append(t)
a, b = (open(t, "rb").read() for t in traces)
check(a == b, "two identical runs give identical trace bytes")
t = traces[0]

rc, out = vmtrace("info", t)
check(rc == 0 and "format:        3.0" in out and "symbols:" in out, "info: format 3.0 with a symbol table", out)

rc, out = vmtrace("dump", t, "--kind", "fault", "--limit", "20")
lines = [l for l in out.splitlines() if " fault " in l]
check(rc == 0 and len(lines) == 20 and all("(main+0x" in l for l in lines),
      "dump: every fault shows eip=... (main+0x...)", out)

rc, out = vmtrace("stats", t)
sect = out.split("page faults by function", 1)[-1].split("\n\n", 1)[0]
rows = [l.split() for l in sect.splitlines()[1:] if l.strip()]
check(rc == 0 and rows and rows[0][0] == "main" and rows[0][1] == "20480" and "cr3=" in sect,
      "stats: faults by function puts main first with all 20480 faults, per address space", out)

rc, out = vmtrace("export", t, "--format", "jsonl", "--kind", "fault", "--limit", "5")
recs = [json.loads(l) for l in out.splitlines() if l.startswith("{")]
check(rc == 0 and len(recs) == 5 and all(r.get("func", "").startswith("main+") for r in recs),
      "export jsonl: faults carry func", out)

rc, out = vmtrace("export", t, "--format", "chrome", "--kind", "fault", "--limit", "5")
try:
    evs = [e for e in json.loads(out)["traceEvents"] if e.get("cat") == "fault"]
except ValueError:
    evs = []
check(rc == 0 and len(evs) == 5 and all(e["args"]["func"].startswith("main+") for e in evs),
      "export chrome: faults name the function", out)

# The symbol chunk leaves the event stream alone: sim still reproduces the counts.
rc, out = vmtrace("sim", t, "--tlb", "recorded", "--check")
check(rc == 0, "sim --tlb recorded --check on a trace with a symbol chunk", out)
rc, out = vmtrace("verify", t)
check(rc == 0, "verify", out)

finish()
