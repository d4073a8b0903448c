#!/usr/bin/python3
"""The LRU miss-ratio curve of a trace, with numpy, beside `vmtrace mrc`.

usage: mrc.py TRACE [--max N] [--kernel-base ADDR] [--check VMTRACE]

The page-reference string is the translations (one reference per
translation; a run of identical ones is that many references), a page being
an address space and a linear page, with pages at or above --kernel-base
(default 0xC0000000) and global pages in one shared kernel space: what
`vmtrace mrc --no-lives` replays (without --no-lives, vmtrace also ends
pages' lives at the guest kernel's zero-fills, unmaps and exits). The curve is Mattson's: a reference's LRU stack
distance is 1 + the distinct pages referenced since its page's previous
reference, and with N frames every reference deeper than N (or first) is a
miss. Prints frames,lru_misses,lru_ratio; --check VMTRACE also runs
`vmtrace mrc --no-opt --no-lives` and exits 1 unless both agree on every size.
"""
import argparse
import subprocess
import sys

import numpy as np

import vmscope


def references(trace, kernel_base):
    """The reference string as (page keys, repeat counts), consecutive
    repeats of one page merged (they are hits at every size)."""
    keys, counts = [], []
    for a in trace.arrays(kinds=["xlate"]):
        lin = a["lin"].astype(np.uint64)
        kernel = (lin >= kernel_base) | (a["global"] != 0)
        space = np.where(kernel, 0, a["cr3"].astype(np.uint64) + 1)
        keys.append((space << np.uint64(20)) | (lin >> np.uint64(12)))
        counts.append(a["count"])
    key = np.concatenate(keys) if keys else np.zeros(0, np.uint64)
    count = np.concatenate(counts) if counts else np.zeros(0, np.uint64)
    start = np.ones(len(key), dtype=bool)          # a new page, not a repeat of the one before
    start[1:] = key[1:] != key[:-1]
    return key[start], count.sum(dtype=np.uint64)


def stack_distances(key):
    """LRU stack distance of every reference (0 = first reference).
    The stack is a list of page ids, most recent first."""
    _, ids = np.unique(key, return_inverse=True)
    stack = []
    dist = np.zeros(len(ids), dtype=np.int64)
    for i, p in enumerate(ids.tolist()):
        try:
            d = stack.index(p)
        except ValueError:
            stack.insert(0, p)
            continue
        dist[i] = d + 1
        if d:
            del stack[d]
            stack.insert(0, p)
    return dist, len(stack)


def curve(trace, max_frames=None, kernel_base=0xC0000000):
    key, total = references(trace, kernel_base)
    dist, npages = stack_distances(key)
    m = max_frames or min(npages, 4096) or 1
    hist = np.bincount(dist[(dist > 0) & (dist <= m)], minlength=m + 1)
    hits = np.cumsum(hist)[1:]                     # hits with 1..m frames
    misses = len(key) - hits                        # merged repeats always hit
    return np.arange(1, m + 1), misses, misses / float(total) if total else misses * 0.0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("trace")
    ap.add_argument("--max", type=int)
    ap.add_argument("--kernel-base", type=lambda s: int(s, 0), default=0xC0000000)
    ap.add_argument("--check", metavar="VMTRACE")
    o = ap.parse_args()
    with vmscope.Trace(o.trace) as t:
        frames, misses, ratio = curve(t, o.max, o.kernel_base)
    print("frames,lru_misses,lru_ratio")
    for f, m, r in zip(frames, misses, ratio):
        print("%d,%d,%.6g" % (f, m, r))
    if o.check:
        cmd = [o.check, "mrc", o.trace, "--no-opt", "--no-lives", "--max", str(len(frames)),
               "--kernel-base", hex(o.kernel_base)]
        out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.splitlines()[1:]
        theirs = [(int(l.split(",")[0]), int(l.split(",")[1])) for l in out]
        ours = list(zip(frames.tolist(), misses.tolist()))
        if theirs != ours:
            bad = next(i for i, (a, b) in enumerate(zip(ours, theirs)) if a != b) if len(ours) == len(theirs) else -1
            print("mrc.py: differs from vmtrace mrc (sizes %d and %d; first difference at %s)"
                  % (len(ours), len(theirs), ours[bad] if bad >= 0 else "the length"), file=sys.stderr)
            sys.exit(1)
        print("mrc.py: equal to `vmtrace mrc` at all %d sizes" % len(ours), file=sys.stderr)


if __name__ == "__main__":
    main()
