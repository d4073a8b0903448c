#!/usr/bin/env python3
"""vmtrace on hand-made annotation traces (tests/trace/annot_gen.c, written
through the real writer): dump names every field of every kind, export
carries the fields, stats counts per process exactly the records written
and tallies frames by use through a change of use, and sim sets the kernel's
evictions beside the policies on Belady's reference string with the known
answers (FIFO 9 and 10 faults with 3 and 4 frames, Belady's anomaly; OPT 7
and 6; LRU 10 and 8), and on a string where pages die (a zero-fill of a
used page, vma-unmaps, page directories freed and allocated again) every
policy's faults and evictions are the ones worked out by hand, the same
from sim, mrc and a configuration list.

usage: vmtrace_annot.py VMTRACE TRACE_ANNOT_GEN WORKDIR
"""
import csv
import io
import json
import os
import subprocess
import sys
sys.dont_write_bytecode = True     # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from checklib import check, finish

# Slow builds (ASan) stretch every timeout: scripts/test sets VMSCOPE_TIMEOUT_SCALE.
TIMEOUT_SCALE = float(os.environ.get('VMSCOPE_TIMEOUT_SCALE', '1'))

vt, gen, work = sys.argv[1:4]
os.makedirs(work, exist_ok=True)


def trace(name):
    path = os.path.join(work, name + ".vmt")
    subprocess.run([gen, name, path], check=True)
    return path


def vmtrace(*args, status=0):
    p = subprocess.run([vt] + list(args), capture_output=True, text=True, timeout=120 * TIMEOUT_SCALE)
    check(p.returncode == status, "vmtrace " + " ".join(args[:1] + args[2:]) + f" exits {status}",
          f"status {p.returncode}\nstdout: {p.stdout[-1500:]}\nstderr: {p.stderr[-800:]}")
    return p.stdout, p.stderr


def has_lines(out, want, what):
    """WANT's lines appear in OUT consecutively, exactly."""
    lines, want = out.splitlines(), want.strip("\n").splitlines()
    ok = any(lines[i:i + len(want)] == want for i in range(len(lines) - len(want) + 1))
    check(ok, what, "expected:\n" + "\n".join(want) + "\ngot:\n" + out)


# ---------------------------------------------------------------- dump and export

kinds = trace("kinds")
DUMP = """\
proc-create pid=5 ppid=1 name=init
exec pid=5 name=swap-linear
exit pid=5 status=0
ctx-switch from=1 to=5
zero-fill pid=5 vpage=08048 frame=0017c
cow-copy pid=5 vpage=08049 old_frame=00100 new_frame=00101
evict pid=7 vpage=0804d frame=0017c slot=12 policy=2q
swap-in pid=7 vpage=0804d frame=00180 slot=12
swap-cache-hit pid=7 vpage=0804e frame=00181
pcache-insert pid=5 inode=12 index=3 frame=00200
pcache-evict pid=5 inode=12 index=3 frame=00200
writeback pid=5 inode=12 index=4 frame=00201
oom-kill pid=9
mark pid=1 label=1
lru-move pid=2 frame=0017c list=active
reclaim pid=2 who=kswapd priority=6 scanned=32 freed=8
kswapd pid=2 state=wake free_pages=120
major-fault pid=7 vpage=0804d source=swap
swap-free pid=7 slot=12
cow-reuse pid=5 vpage=0804a frame=00102
stack-grow pid=5 vpage=bfffe
frame-alloc pid=5 frame=00300 order=1 use=swapcache
frame-free pid=5 frame=00300 order=1
pcache-hit pid=5 inode=12 index=3 frame=00200
file-fault pid=5 vpage=08050 inode=12 index=8 frame=00202
comm pid=5 name=renamed
nosys pid=5 syscall=999
vma-map pid=5 vpage=40000 pages=16 type=shm
vma-unmap pid=5 vpage=40000 pages=16
evict pid=7 vpage=0804f frame=0017d slot=13 policy=7
reclaim pid=2 size=20 bytes=010000000000000000000000
annot-30 pid=3 size=12 bytes=2a000000
"""
out, _ = vmtrace("dump", kinds, "--kind", "annot")
got = [l.split(" annot ", 1)[1] for l in out.splitlines() if " annot " in l]
want = DUMP.splitlines()
check(got == want, "dump --kind annot names every field of kinds 1-29 (and shows bad records raw)",
      "\n".join(f"{'  ' if g == w else '! '}{g}  |  {w}" for g, w in zip(got + [""] * 40, want)))
check(len({l.split()[0] for l in want[:29]}) == 29, "29 kinds, 29 names")

out, _ = vmtrace("dump", kinds, "--kind", "annot", "--page", "0x804d")
got = [l.split(" annot ", 1)[1].split()[0] for l in out.splitlines()]
check(got == ["evict", "swap-in", "major-fault"], "dump --page selects the annotations naming that virtual page",
      str(got))

jl = os.path.join(work, "kinds.jsonl")
vmtrace("export", kinds, "--format", "jsonl", "--kind", "annot", "-o", jl)
rows = [json.loads(l) for l in open(jl)]
fields = {(r["annot"], r["fields"].get("slot")): r["fields"] for r in rows}
check(fields.get(("evict", 12)) == {"pid": 7, "vpage": 0x804d, "frame": 0x17c, "slot": 12, "policy": "2q"},
      "jsonl: evict's fields by name, the policy by its name", str(fields.get(("evict", 12))))
check(fields.get(("evict", 13), {}).get("policy") == 7, "jsonl: a policy id without a name is a number")
named = {r["annot"]: r["fields"] for r in rows}
check(named["proc-create"] == {"pid": 5, "ppid": 1, "name": "init"}, "jsonl: proc-create", str(named["proc-create"]))
check(named["vma-map"] == {"pid": 5, "vpage": 0x40000, "pages": 16, "type": "shm"}, "jsonl: vma-map",
      str(named["vma-map"]))
check(named["unknown"] == {} and rows[-2]["fields"] == {}, "jsonl: no fields for a bad-size or unknown record")
check([r["text"] for r in rows] == want, "jsonl: text is the dump text")
for line in want[:29]:
    kind, *kv = line.split()
    keys = [x.split("=")[0] for x in kv]
    row = named.get(kind) if kind not in ("evict", "reclaim") else None
    if row is not None:
        check(list(row) == keys, f"jsonl: {kind} has the fields dump names", f"{list(row)} vs {keys}")

cs = os.path.join(work, "kinds.csv")
vmtrace("export", kinds, "--format", "csv", "--kind", "annot", "-o", cs)
recs = list(csv.DictReader(open(cs)))
check([r["text"] for r in recs] == want and recs[6]["aux"] == "7", "csv: text carries the named fields, aux the kind")

ch = os.path.join(work, "kinds.json")
vmtrace("export", kinds, "--format", "chrome", "--kind", "annot", "-o", ch)
ev = [e for e in json.load(open(ch))["traceEvents"] if e.get("cat") == "annotation"]
ev7 = [e for e in ev if e["name"] == "evict"]
check(len(ev) == 32 and ev7[0]["args"].get("policy") == "2q" and ev7[0]["args"].get("vpage") == 0x804d,
      "chrome: annotation instants carry their fields as args", json.dumps(ev7[:1]))

# ---------------------------------------------------------------- stats

procs = trace("procs")
out, _ = vmtrace("stats", procs)
has_lines(out, """\
  evictions by policy: clock 5
""", "stats: evictions by policy name")
has_lines(out, """\
per process (pid and name from proc-create, exec and comm; counts of annotation records)
  pid    name              swap-out   swap-in  swap-hit major-swap major-file  cow-copy cow-reuse  zero-fill oom-kill
  1      init                     0         0         0          0          0         1         0          3        0
  3      swap-rnd                 5         4         2          3          1         2         1          7        0
  4      oomer                    0         0         0          0          0         0         0          1        1
  4      again                    0         0         0          0          0         0         0          2        0
  all                             5         4         2          3          1         3         1         13        1
""", "stats: per-process counts equal the records written (name from comm; a reused pid is a new row)")
has_lines(out, """\
reclaim passes per process (reclaim records: passes, pages scanned, pages freed)
  pid    name             kswapd-passes   scanned     freed direct-passes   scanned     freed
  2      kswapd                       3       192        60             0         0         0
  3      swap-rnd                     0         0         0             2        48        12
  all                                 3       192        60             2        48        12
""", "stats: reclaim passes by who, with pages scanned and freed")
has_lines(out, "kswapd: 2 wakes, 1 sleeps\n", "stats: kswapd wakes and sleeps")
has_lines(out, """\
frames by use at the end (frame-alloc and frame-free records; a frame-alloc on an allocated frame changes its use)
  kernel              4
  pgtable             1
  slab                0
  vmalloc             0
  anon                0
  pcache              2
  swapcache           1
  buffer              0
  free                4
  12 frames named by 10 records; 1 changes of use; anonymous frames peak 2 (cycle 1200)
  not counted: 1 frames freed while free, 1 records past 4 GiB or of order 11 or more
""", "stats: frames by use through boot hand-over, blocks and a change of use")
ch = os.path.join(work, "procs.json")
vmtrace("export", procs, "--format", "chrome", "-o", ch)
spans = sorted(e["name"] for e in json.load(open(ch))["traceEvents"] if e.get("cat") == "process")
check(spans == ["pid 1 init", "pid 2 kswapd", "pid 3 swap-rnd", "pid 4 again", "pid 4 oomer"],
      "chrome: process spans named by proc-create, exec and comm", str(spans))
has_lines(out, "not counted: 1 annotations of the wrong size for their kind, 1 with a who, state or source value "
          "without a name\n", "stats: malformed records are not counted")

# ---------------------------------------------------------------- sim beside the kernel

belady = trace("belady")
HEAD = """\
guest kernel beside the policies: user pages (below 0xc0000000, not global), one memory
  references: 12 (12 after merging repeats) to 5 pages in 1 address spaces
  frames: {frames}
  kernel: 5 evictions, 4 swap-ins, 4 major faults (3 swap, 1 file), 1 page-cache evictions, 0 page-cache re-reads
  kernel re-faults: swap-ins (read-around included) + page-cache re-reads (read() included: an upper bound)
  kernel evictions: evict records, which are swap writes (a clean swap-cache page dropped has none; each swap-in is of a page that left: 4)
  page deaths: 0 (0 unmapped, 0 with their address space, 0 named anew by a zero-fill): frames freed, not evictions
  kernel policy: 2q (id 0, on all 5 evict records)
  kernel's anonymous frames: peak 3 (cycle 1050), 2 at the end; with the swap cache: peak 3
  policy       faults  re-faults  evictions  re-faults/OPT  evictions/OPT
"""
out3, _ = vmtrace("sim", belady, "--frames", "3", "--kernel")
has_lines(out3, HEAD.format(frames="3") + """\
  kernel            -          4          5          2.00x          1.25x
  opt               7          2          4          1.00x          1.00x
  lru              10          5          7          2.50x          1.75x
  fifo              9          4          6          2.00x          1.50x
  clock             9          4          6          2.00x          1.50x
  lfu              10          5          7          2.50x          1.75x
  2q                9          4          6          2.00x          1.50x
""", "sim --frames 3 --kernel: OPT 7, LRU 10, FIFO 9 beside the kernel's 5 evictions and 4 major faults")
check(not out3.startswith("page references"), "sim --kernel prints the kernel comparison alone")
out4, _ = vmtrace("sim", belady, "--frames", "4", "--kernel")
has_lines(out4, HEAD.format(frames="4") + """\
  kernel            -          4          5          4.00x          2.50x
  opt               6          1          2          1.00x          1.00x
  lru               8          3          4          3.00x          2.00x
  fifo             10          5          6          5.00x          3.00x
  clock            10          5          6          5.00x          3.00x
  lfu               8          3          4          3.00x          2.00x
  2q                9          4          5          4.00x          2.50x
""", "sim --frames 4 --kernel: OPT 6, LRU 8, FIFO 10 (Belady's anomaly)")
outa, _ = vmtrace("sim", belady, "--frames", "auto")
check(outa == out3.replace("  frames: 3\n", "  frames: 3 (auto: the peak of the kernel's anonymous frames)\n"),
      "sim --frames auto takes N = 3, the peak of anonymous frames through a change of use and a free", outa)
out, _ = vmtrace("sim", belady, "--frames", "3", "--policy", "lru")
check(out.startswith("page references: 13 (13 after merging repeats), 6 distinct pages in 2 address spaces")
      and "\nguest kernel beside the policies" in out and "\n  opt               7 " in out
      and "\n  fifo " not in out.split("guest kernel")[1],
      "sim --frames N: the table of every page, then the kernel beside the policies asked for (and OPT)", out)

# ---------------------------------------------------------------- page deaths

# tests/trace/annot_gen.c's deaths trace, as a reference string (D(x): x
# dies; ' a later life of the same address; a, b, c: pid 1's, pid 2's
# before and after its exec; d: pid 3's, in a directory frame that was a's):
#   1 a1  2 a2  3 a3  4 a1  5 D(a2) zero-fill of a used page  6 a2'
#   7 D(a3) vma-unmap by pid 1 (pid 9's before it is not the space in
#   force's)  8 a1  9 a3'  10 b1  11 b2  12 b1  13 D(b2) 14 D(b1) (exec:
#   the vma-unmap runs with the new CR3 and kills nothing; the old
#   directory's frame-free does, newest page first)  15 c1  16 c2  17 a1
#   18 D(a1) 19 D(a2') 20 D(a3') (pid 1's exit_mmap)  21 d1  22 c1  23 c2
#   24 c3  25 d1
# 18 references to 11 pages, 7 deaths. With 3 frames (F fault, E eviction;
# lists most recent first; a death frees a frame, no F or E):
#   OPT (a dead page is never used again): F a1 a2 a3, a1 hit, a2' and a3'
#     take the frames a2 and a3 freed; b1 evicts a3' and b2 a2' (never used
#     again, the higher id first); b1 hit; the b's die; c1 c2 fill; a1 hit,
#     dies; d1 fills; c1 c2 hit; c3 evicts c2 (never again); d1 hit:
#     11 faults, 3 evictions.
#   LRU: [a3 a2 a1] -> a1 hit -> D(a2) -> [a2' a1 a3] -> D(a3) -> a1 hit
#     -> [a3' a1 a2'] -> b1 E(a2') -> b2 E(a1) -> b1 hit -> D D -> [c2 c1
#     a3'] -> a1 F E(a3') -> D(a1) -> [d1 c2 c1] -> c1 c2 hits -> c3 E(d1)
#     -> d1 F E(c1): 13 faults, 5 evictions.
#   FIFO: as LRU to [a3' a2' a1] (hits do not move); b1 E(a1), b2 E(a2');
#     [c2 c1 a3'] -> a1 E(a3') -> D(a1) -> [d1 c2 c1] -> c3 E(c1) -> d1
#     hit: 12 faults, 4 evictions.
#   CLOCK (a freed frame is taken before the hand moves): a2' and a3' take
#     the freed frames 1 and 2; b1 sweeps all three bits and takes frame 0
#     (E a1), b2 frame 1 (E a2'); the b's free frames 1 and 0, c1 c2 take
#     them; a1 takes frame 2 (E a3', bit clear), dies; d1 takes it; c3
#     sweeps and takes frame 0 (E c1); d1 hit: 12 faults, 4 evictions.
#   LFU (ties to the least recent): b1 evicts a2' (1 use), b2 a3'; a1 has
#     3 uses then dies; c3 evicts d1 (1 use, c1 c2 have 2); d1 comes back
#     and evicts c3: 12 faults, 4 evictions.
#   2Q (Kin 1, Kout 1): a1..a3' all stay on A1in (a1's hits do not move
#     it); b1 moves a1 to A1out (E), b2 moves a2' there (E; a1's ghost
#     dropped); a1, no ghost now, goes on A1in and a3' to A1out (E; the
#     ghost of a2' dropped); D(a3') drops its ghost; c3 moves c1 out (E);
#     d1 hit: 12 faults, 4 evictions.
# max(0, faults - 3), the count before deaths were modelled, would say 8,
# 10, 9, 9, 9, 9.
deaths = trace("deaths")
out, _ = vmtrace("sim", deaths, "--frames", "3")
has_lines(out, """\
page references: 18 (18 after merging repeats), 11 distinct pages in 5 address spaces
page deaths: 7 (4 unmapped, 2 with their address space, 1 named anew by a zero-fill): frames freed, not evictions
frames: 3, one memory for all spaces
  policy         faults    evictions   fault rate     vs OPT
  opt                11            3    61.11111%     1.000x
  lru                13            5    72.22222%     1.182x
  fifo               12            4    66.66667%     1.091x
  clock              12            4    66.66667%     1.091x
  lfu                12            4    66.66667%     1.091x
  2q                 12            4    66.66667%     1.091x
""", "sim --frames 3 on dying pages: each policy's faults and evictions as worked out by hand")
out, _ = vmtrace("sim", deaths, "--frames", "3", "--kernel")
has_lines(out, """\
  opt              11          0          3              -          1.00x
  lru              13          2          5              -          1.67x
  fifo             12          1          4              -          1.33x
  clock            12          1          4              -          1.33x
  lfu              12          1          4              -          1.33x
  2q               12          1          4              -          1.33x
""", "sim --kernel on dying pages: re-faults are faults less the 11 first touches, evictions counted")
check("  page deaths: 7 (4 unmapped, 2 with their address space, 1 named anew by a zero-fill)" in out,
      "sim --kernel names the deaths by cause", out)
mrc, _ = vmtrace("mrc", deaths)
curve = {int(r["frames"]): (int(r["lru_misses"]), int(r["opt_misses"])) for r in csv.DictReader(io.StringIO(mrc))}
sims = {}
for n in range(1, 12):
    o, _ = vmtrace("sim", deaths, "--frames", str(n), "--policy", "lru,opt")
    f = {l.split()[0]: int(l.split()[1]) for l in o.splitlines() if l.split()[:1] in (["lru"], ["opt"])}
    sims[n] = (f.get("lru"), f.get("opt"))
check(all(curve.get(n) == sims[n] for n in sims), "mrc's LRU and OPT misses at every size are sim --frames' faults "
      "(holes in the LRU stack, dead pages sinking in OPT's)", f"mrc {curve}\nsim {sims}")
check(curve.get(1) == (18, 18) and curve.get(3) == (13, 11), "mrc at 1 and 3 frames", str(curve))
out, _ = vmtrace("sim", deaths, "--frames", "2,3", "--csv", "-")
rows = {(r["config"], r["policy"]): (int(r["faults"]), int(r["evictions"])) for r in csv.DictReader(io.StringIO(out))}
want = {}
for n in (2, 3):
    o, _ = vmtrace("sim", deaths, "--frames", str(n))
    for l in o.splitlines():
        w = l.split()
        if w and w[0] in ("opt", "lru", "fifo", "clock", "lfu", "2q"):
            want[(f"frames={n}", w[0])] = (int(w[1]), int(w[2]))
check(len(rows) == 12 and rows == want, "the configuration list (sweep path) gives sim --frames' faults and evictions",
      f"{rows}\n{want}")

vmtrace("sim", kinds, "--frames", "auto", status=2)
vmtrace("sim", belady, "--frames", "3", "--kernel", "--per-space", status=2)
vmtrace("sim", belady, "--frames", "0", status=2)

finish()
