#!/usr/bin/env python3
"""vmviz and `vmscope run --events` on bad input.

    viz_badinput.py VMSCOPE VMVIZ WORKDIR

  - a trace cut short inside a chunk, and one with a damaged chunk, show
    what could be read: --counts and --snapshot succeed, the counts are
    those of a prefix, and the problem is named on stderr and in the
    snapshot's status line (drawn, so only the exit and stderr are checked);
  - a trace of a newer major format version is refused with exit 2 and a
    message naming the version; a file that is no trace, exit 2;
  - snapshots at tiny and huge sizes never crash and have that size;
  - usage errors: exit 2 with one line;
  - `vmscope run --events=nosuchkind`: exit 2 naming the kind.
"""
import os
import struct
import subprocess
import sys
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import vizcheck as vc  # noqa: E402


def run(args, code=None):
    r = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=600)
    if r.returncode < 0:
        vc.fail("%s: killed by signal %d\n%s" % (" ".join(args), -r.returncode, r.stderr[-2000:]))
    if code is not None and r.returncode != code:
        vc.fail("%s: exit %d, expected %d\n%s" % (" ".join(args), r.returncode, code, r.stderr[-2000:]))
    return r


def counts(vmviz, trace, when="end"):
    r = run([vmviz, trace, "--counts", "--at", when], 0)
    line = [l for l in r.stdout.splitlines() if l.startswith("frames ")][0]
    return {k: int(v) for k, v in (w.split("=") for w in line.split()[1:])}, r.stderr


def chunk_offsets(data, hsize):
    """File offsets of the chunk headers (magic VMTC) after the header."""
    offs, at = [], hsize
    while True:
        at = data.find(b"VMTC", at)
        if at < 0:
            return offs
        offs.append(at)
        at += 4


def main():
    vmscope, vmviz, work = sys.argv[1:4]
    os.makedirs(work, exist_ok=True)
    trace = os.path.join(work, "swap.vmt")
    run([vmscope, "run", "--quiet", "--trace", trace, "--mem", "6M", "--cmdline", "run=swap-linear"], 1)
    data = open(trace, "rb").read()
    hsize = struct.unpack_from("<I", data, 12)[0]
    full, _ = counts(vmviz, trace)
    offs = chunk_offsets(data, hsize)
    if len(offs) < 10:
        vc.fail("expected many chunks, found %d" % len(offs))

    # cut inside a chunk in the middle
    cut = os.path.join(work, "cut.vmt")
    open(cut, "wb").write(data[:offs[len(offs) // 2] + 100])
    c, err = counts(vmviz, cut)
    if sum(c.values()) != sum(full.values()):
        vc.fail("a truncated trace changed the number of frames")
    if c == full:
        vc.fail("the truncated trace gave the full trace's counts")
    png = os.path.join(work, "cut.png")
    r = run([vmviz, cut, "--snapshot", png, "--at", "end", "--size", "900x600"], 0)
    if vc.png_size(png) != (900, 600):
        vc.fail("truncated trace: the snapshot is not 900x600")
    print("truncated: counts", c, "stderr:", (err + r.stderr).strip()[:200])

    # a damaged chunk (payload bytes flipped): the rest is still read
    bad = bytearray(data)
    mid = offs[len(offs) // 3]
    for i in range(mid + 90, mid + 130):
        bad[i] ^= 0x5A
    damaged = os.path.join(work, "damaged.vmt")
    open(damaged, "wb").write(bad)
    c, err = counts(vmviz, damaged)
    if "chunk" not in err:
        vc.fail("a damaged chunk was not reported: %r" % err)
    run([vmviz, damaged, "--snapshot", os.path.join(work, "damaged.png"), "--at", "end"], 0)
    print("damaged: reported:", err.strip().splitlines()[-1][:200])

    # a newer major version: refused, naming it
    newer = bytearray(data[:hsize])
    struct.pack_into("<H", newer, 8, struct.unpack_from("<H", data, 8)[0] + 1)
    struct.pack_into("<I", newer, hsize - 4, zlib.crc32(bytes(newer[:hsize - 4])))
    newf = os.path.join(work, "newer.vmt")
    open(newf, "wb").write(bytes(newer) + data[hsize:])
    for args in (["--counts"], ["--snapshot", os.path.join(work, "newer.png")], []):
        r = run([vmviz, newf] + args, 2)
        if "newer" not in r.stderr or len(r.stderr.strip().splitlines()) != 1:
            vc.fail("newer major version: %r" % r.stderr)
    print("newer version:", r.stderr.strip())

    junk = os.path.join(work, "junk.vmt")
    open(junk, "wb").write(b"this is not a trace\n" * 10)
    run([vmviz, junk, "--counts"], 2)
    run([vmviz, os.path.join(work, "missing.vmt"), "--counts"], 2)

    # tiny and huge snapshots
    for size in ("1x1", "3x900", "900x3", "40x30", "6000x4000"):
        png = os.path.join(work, "size-%s.png" % size)
        run([vmviz, trace, "--snapshot", png, "--at", "end", "--size", size], 0)
        w, h = (int(x) for x in size.split("x"))
        if vc.png_size(png) != (w, h):
            vc.fail("--size %s gave %dx%d" % ((size,) + vc.png_size(png)))
    print("tiny and huge snapshots ok")

    for args in ([], [trace, "--size", "0x5"], [trace, "--layout", "spiral"], [trace, "--at", "soon", "--counts"],
                 [trace, "--bogus"]):
        r = run([vmviz] + args, 2)
        if not r.stderr.strip():
            vc.fail("usage error %s printed nothing" % args)
    r = run([vmscope, "run", "--events=fault,nosuchkind", "--cmdline", "run=cow"], 2)
    if "nosuchkind" not in r.stderr:
        vc.fail("--events with a bad kind: %r" % r.stderr)
    print("ok")


if __name__ == "__main__":
    main()
