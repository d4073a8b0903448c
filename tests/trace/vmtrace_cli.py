#!/usr/bin/env python3
"""vmtrace on good and bad input: every subcommand runs on a synthetic trace
(and --help works), and damaged files give a clear message naming the file,
the chunk and the offset, exit status 1 or 2, never a crash.

usage: vmtrace_cli.py VMTRACE TRACE_GEN WORKDIR
"""
import os
import subprocess
import sys

# Slow builds (ASan) stretch every timeout: scripts/test sets VMSCOPE_TIMEOUT_SCALE.
TIMEOUT_SCALE = float(os.environ.get('VMSCOPE_TIMEOUT_SCALE', '1'))

vt, gen, work = sys.argv[1:4]
os.makedirs(work, exist_ok=True)
fails = 0


def run(args, want=None, out_has=None, err_has=None):
    global fails
    p = subprocess.run([vt] + args, capture_output=True, text=True, timeout=300 * TIMEOUT_SCALE)
    ok = p.returncode >= 0 and p.returncode in (0, 1, 2)
    if want is not None and p.returncode != want:
        ok = False
    for s in ([out_has] if isinstance(out_has, str) else out_has or []):
        ok = ok and s in p.stdout
    for s in ([err_has] if isinstance(err_has, str) else err_has or []):
        ok = ok and s in p.stderr
    print(("ok   " if ok else "FAIL ") + " ".join(args[:4]) + f" -> {p.returncode}")
    if not ok:
        print("  stdout:", p.stdout[-800:])
        print("  stderr:", p.stderr[-800:])
        fails += 1
    return p


good = os.path.join(work, "good.vmt")
subprocess.run([gen, good, "--xlate", "300000", "--chunk-bytes", "4096"], check=True, capture_output=True)
data = open(good, "rb").read()

for cmd in ["info", "verify", "dump", "stats", "sim", "mrc", "export", "diff", "sweep"]:
    run([cmd, "--help"], 0, "usage: vmtrace " + cmd)
run(["--help"], 0, "sim")
run(["info", good], 0, ["health:        ok", "xlate"])
run(["verify", good], 0, "ok:")
run(["dump", good, "--limit", "20", "--kind", "xlate,fault"], 0, "xlate")
run(["dump", good, "--from", "1000000", "--to", "1100000", "--kind", "annot"], 0)
run(["dump", good, "--page", "0x8048-0x8060", "--limit", "5"], 0, "lin=080")
run(["stats", good], 0, ["hit rate", "hottest pages", "working set"])
run(["sim", good, "--tlb", "recorded", "--check"], 0, "reproduces the recorded counts exactly")
run(["sim", good, "--tlb", "dtlb=128:8,policy=fifo"], 0, "agreement")
run(["sim", good, "--frames", "32"], 0, ["opt", "lru", "fifo", "clock", "lfu", "2q"])
run(["sim", good, "--frames", "32", "--per-space", "--policy", "lru,opt"], 0, "space")
svg = os.path.join(work, "mrc.svg")
run(["mrc", good, "--max", "200", "--svg", svg], 0, "frames,lru_misses")
assert open(svg).read().startswith("<svg")
for fmt in ["csv", "jsonl", "chrome"]:
    run(["export", good, "--format", fmt, "--limit", "2000", "-o", os.path.join(work, "x." + fmt)], 0)
import json

json.load(open(os.path.join(work, "x.chrome")))
for line in open(os.path.join(work, "x.jsonl")):
    json.loads(line)
run(["diff", good, good], 0, "no divergence")
other = os.path.join(work, "other.vmt")
subprocess.run([gen, other, "--xlate", "300000", "--seed", "2"], check=True, capture_output=True)
run(["diff", good, other], 1, "first divergence")
run(["sim", good, "--tlb", "dtlb=3:7"], 2, err_has="--tlb")
run(["dump", good, "--kind", "bogus"], 2, err_has="--kind")
run(["nosuchcommand"], 2)


def bad(name, content, status, *need):
    path = os.path.join(work, name)
    open(path, "wb").write(content)
    p = run(["info", path], status, err_has=[path] + list(need))
    run(["verify", path], status if status == 2 else 1)
    for cmd in (["dump", path, "--limit", "100"], ["stats", path], ["sim", path, "--frames", "8"],
                ["sim", path, "--tlb", "recorded"], ["export", path, "--format", "chrome"]):
        q = subprocess.run([vt] + cmd, capture_output=True, timeout=300 * TIMEOUT_SCALE)
        if q.returncode not in (0, 1, 2):
            print("FAIL crash", cmd, q.returncode)
            global fails
            fails += 1


hs = int.from_bytes(data[12:16], "little")
bad("empty.vmt", b"", 2, "empty")
bad("magic.vmt", b"GIF89a" + data[6:], 2, "wrong magic")
newer = bytearray(data); newer[8] = 9
bad("newer.vmt", bytes(newer), 2, "newer")
lying = bytearray(data); lying[12:16] = (len(data) + 5).to_bytes(4, "little")
bad("lying.vmt", bytes(lying), 2, "offset 12")
bad("short.vmt", data[:hs - 3], 2, "offset")
# truncated inside a chunk: readable up to the chunk before, chunk named with its offset
bad("trunc.vmt", data[:len(data) // 2], 1, "chunk", "offset", "cut short")
# a flipped byte inside the payload of some chunk: CRC or deflate
crc = bytearray(data); crc[hs + 3000] ^= 0x40
bad("crc.vmt", bytes(crc), 1, "chunk", "offset")
# footer removed: recovered by scanning, everything readable
foot = int.from_bytes(data[-16:-8], "little")
p = run(["verify", os.path.join(work, "nofoot.vmt")] if open(os.path.join(work, "nofoot.vmt"), "wb").write(data[:foot]) else [], 1,
        "no footer")
# stats --disk: images that are not ext2, or whose ext2 lies: one line naming the image, status 2
def bad_disk(name, content, *need):
    path = os.path.join(work, name)
    open(path, "wb").write(content)
    p = run(["stats", good, "--disk", path], 2, err_has=[path] + list(need))
    if p.stderr.count("\n") != 1:
        print("FAIL stats --disk %s: not one line on stderr" % name)
        global fails
        fails += 1


run(["stats", good, "--disk", os.path.join(work, "nosuch.img")], 2, err_has="nosuch.img")
bad_disk("zero.img", bytes(4096), "no ext2 superblock")
bad_disk("tiny.img", b"x", "past the end")
sb = bytearray(8192)
sb[1024 + 56:1024 + 58] = (0xEF53).to_bytes(2, "little")
bad_disk("counts.img", bytes(sb), "counts")
sb[1024 + 24:1024 + 28] = (30).to_bytes(4, "little")
bad_disk("bsize.img", bytes(sb), "block size")
# plausible counts, but the root directory's inode table lies past the image
sb[1024 + 24:1024 + 28] = (0).to_bytes(4, "little")
for off, v in ((0, 16), (4, 8192), (20, 1), (32, 8192), (40, 16), (76, 1)):
    sb[1024 + off:1024 + off + 4] = v.to_bytes(4, "little")
sb[1024 + 88:1024 + 90] = (128).to_bytes(2, "little")
sb[2048 + 8:2048 + 12] = (5000).to_bytes(4, "little")
bad_disk("table.img", bytes(sb), "past the end")
print(f"{fails} failures")
sys.exit(1 if fails else 0)
