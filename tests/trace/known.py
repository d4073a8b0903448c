#!/usr/bin/env python3
"""Known answers for vmtrace's replay simulators, on hand-made reference
strings written by trace-refgen (one user-page translation per reference).

1. `sim --frames N`: textbook strings whose fault counts are in the books,
   for OPT, LRU, FIFO, CLOCK (second chance), LFU (ties to the least
   recently used) and 2Q (Johnson & Shasha's full version, Kin = N/4,
   Kout = N/2): Belady's anomaly (1,2,3,4,1,2,5,1,2,3,4,5: FIFO faults 9
   with 3 frames, 10 with 4), the 20-reference string of Silberschatz's
   "Operating System Concepts" (FIFO 15, OPT 9, LRU 12 with 3 frames),
   and short strings worked by hand below for CLOCK, LFU and 2Q. Every
   count is also checked against the small independent models in this
   file, on those strings and on seeded random ones.
2. `mrc`: its LRU and OPT miss counts equal `sim --frames N --policy
   lru,opt` at every point of the curve, N = 1 .. distinct pages + 1.
3. `sim --tlb SPEC`: small cases worked by hand for LRU, FIFO, PLRU and
   RANDOM (the random victims follow the model's documented xorshift32
   from its seed), on a fully associative 4-entry DTLB and on a
   direct-mapped one, where every policy must agree.

usage: known.py VMTRACE TRACE_REFGEN WORKDIR"""
import csv
import os
import random
import re
import subprocess
import sys
sys.dont_write_bytecode = True     # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from checklib import check, finish

TIMEOUT_SCALE = float(os.environ.get('VMSCOPE_TIMEOUT_SCALE', '1'))

vt, gen, work = sys.argv[1:4]
os.makedirs(work, exist_ok=True)
POLICIES = ['opt', 'lru', 'fifo', 'clock', 'lfu', '2q']


def trace(name, refs, tlb=None):
    path = os.path.join(work, name + '.vmt')
    cmd = [gen, path] + (['--tlb', tlb] if tlb else []) + [str(r) for r in refs]
    subprocess.run(cmd, check=True, timeout=60 * TIMEOUT_SCALE)
    return path


def vmtrace(*args):
    p = subprocess.run([vt] + list(args), capture_output=True, text=True, timeout=120 * TIMEOUT_SCALE)
    if p.returncode != 0:
        raise RuntimeError('vmtrace %s: status %d\n%s' % (' '.join(args), p.returncode, p.stderr))
    return p.stdout


def sim_faults(path, frames, policies=POLICIES):
    out = vmtrace('sim', path, '--frames', str(frames), '--policy', ','.join(policies))
    got = {}
    for m in re.finditer(r'^  (\w+)\s+(\d+)\s+(?:\d+\s+)?[\d.]+%', out, re.M):   # faults [evictions] rate
        got[m.group(1)] = int(m.group(2))
    return got


# ------------------------------------------------------------ models

def merge(refs):
    """Consecutive repeats merged (vmtrace does this): (page, count) pairs."""
    out = []
    for r in refs:
        if out and out[-1][0] == r:
            out[-1][1] += 1
        else:
            out.append([r, 1])
    return out


def model(policy, refs, n):
    """Faults of REFS with N frames: a plain textbook implementation."""
    m = merge(refs)
    faults = 0
    if policy == 'opt':
        res = set()
        for i, (p, _) in enumerate(m):
            if p in res:
                continue
            faults += 1
            if len(res) == n:
                def nxt(q):
                    for j in range(i + 1, len(m)):
                        if m[j][0] == q:
                            return j
                    return float('inf')
                res.remove(max(res, key=nxt))
            res.add(p)
    elif policy == 'lru':
        stack = []
        for p, _ in m:
            if p in stack:
                stack.remove(p)
            else:
                faults += 1
                if len(stack) == n:
                    stack.pop(0)
            stack.append(p)
    elif policy == 'fifo':
        q = []
        for p, _ in m:
            if p not in q:
                faults += 1
                if len(q) == n:
                    q.pop(0)
                q.append(p)
    elif policy == 'clock':
        frames, refbit, hand = [], [], 0
        for p, _ in m:
            if p in frames:
                refbit[frames.index(p)] = 1
                continue
            faults += 1
            if len(frames) < n:
                frames.append(p)
                refbit.append(1)
                continue
            while refbit[hand]:
                refbit[hand] = 0
                hand = (hand + 1) % n
            frames[hand], refbit[hand] = p, 1
            hand = (hand + 1) % n
    elif policy == 'lfu':
        freq, last = {}, {}
        for i, (p, c) in enumerate(m):
            if p in freq:
                freq[p] += c
            else:
                faults += 1
                if len(freq) == n:
                    v = min(freq, key=lambda q: (freq[q], last[q]))
                    del freq[v]
                freq[p] = c
            last[p] = i
    elif policy == '2q':
        kin, kout = max(n // 4, 1), max(n // 2, 1)
        a1in, a1out, am = [], [], []       # front = most recent
        for p, _ in m:
            if p in am:
                am.remove(p)
                am.insert(0, p)
                continue
            if p in a1in:
                continue
            faults += 1
            if len(a1in) + len(am) >= n:
                if len(a1in) > kin or not am:
                    v = a1in.pop()
                    if len(a1out) >= kout:
                        a1out.pop()
                    a1out.insert(0, v)
                else:
                    am.pop()
            if p in a1out:
                a1out.remove(p)
                am.insert(0, p)
            else:
                a1in.insert(0, p)
    return faults


# ------------------------------------------------------------ 1. textbook strings

BELADY = [1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5]
SILBERSCHATZ = [7, 0, 1, 2, 0, 3, 0, 4, 2, 3, 0, 3, 2, 1, 2, 0, 1, 7, 0, 1]
# LFU against LRU, by hand with 3 frames: 1 2 1 3 1 fill (1 has count 3);
# 4 evicts the least frequent, least recent: 2; 2 evicts 3; 5 evicts 4
# (count 1, older than 2); the last 1 hits: 6 faults. LRU evicts 1 at 5
# (1 was used before 4 and 2), so the last 1 faults: 7.
LFU_STRING = [1, 2, 1, 3, 1, 4, 2, 5, 1]
# 2Q with 4 frames (Kin 1, Kout 2), by hand: 1 2 3 4 fill A1in; 5 finds
# A1in over Kin and moves its oldest, 1, to A1out; 1 faults from A1out into
# Am (2 moves to A1out to make room), 2 likewise (3 to A1out); 1 2 hit in
# Am; the scan 6 7 8 passes through A1in and A1out (4 5 6 leave it), so the
# last 1 2 hit in Am: faults 1 2 3 4 5 1 2 6 7 8 = 10. LRU with 4 frames
# loses 1 and 2 to the scan and faults them again: 12.
TWOQ_STRING = [1, 2, 3, 4, 5, 1, 2, 1, 2, 6, 7, 8, 1, 2]

KNOWN = [
    # name, string, frames, {policy: faults}
    ('belady', BELADY, 3, {'opt': 7, 'lru': 10, 'fifo': 9, 'clock': 9}),
    ('belady', BELADY, 4, {'opt': 6, 'lru': 8, 'fifo': 10}),
    ('silberschatz', SILBERSCHATZ, 3, {'opt': 9, 'lru': 12, 'fifo': 15}),
    ('silberschatz', SILBERSCHATZ, 4, {'opt': 8, 'lru': 8, 'fifo': 10}),
    ('lfu', LFU_STRING, 3, {'lfu': 6, 'lru': 7}),
    ('twoq', TWOQ_STRING, 4, {'2q': 10, 'lru': 12}),
]

paths = {}
for name, refs, frames, want in KNOWN:
    if name not in paths:
        paths[name] = trace(name, refs)
    got = sim_faults(paths[name], frames)
    for pol, n in want.items():
        check(got.get(pol) == n, '%s, %d frames, %s: %d faults (the textbook answer)' % (name, frames, pol, n),
              'vmtrace says %s' % got.get(pol))
        check(model(pol, refs, frames) == n, '%s, %d frames, %s: the model here agrees' % (name, frames, pol),
              'model says %d' % model(pol, refs, frames))
    for pol in POLICIES:
        check(got.get(pol) == model(pol, refs, frames),
              '%s, %d frames, %s: vmtrace equals the model (%s)' % (name, frames, pol, got.get(pol)),
              'model %d' % model(pol, refs, frames))
check(sim_faults(paths['belady'], 4)['fifo'] > sim_faults(paths['belady'], 3)['fifo'],
      "Belady's anomaly: FIFO faults more with 4 frames than with 3")

rnd = random.Random(2024)
for k in range(6):
    npages = rnd.choice([5, 8, 12, 20])
    refs = [rnd.randrange(npages) * 3 + 1 for _ in range(rnd.choice([60, 200, 400]))]
    path = trace('random%d' % k, refs)
    paths['random%d' % k] = path
    for frames in sorted({1, 2, 3, npages // 2, npages - 1}):
        got = sim_faults(path, frames)
        want = {p: model(p, refs, frames) for p in POLICIES}
        check(got == want, 'random string %d (%d references, %d pages), %d frames: every policy equals the model'
              % (k, len(refs), npages, frames), 'vmtrace %s\nmodel   %s' % (got, want))

# ------------------------------------------------------------ 2. mrc == sim

for name, path in sorted(paths.items()):
    csvp = os.path.join(work, name + '.csv')
    vmtrace('mrc', path, '--csv', csvp)
    rows = list(csv.DictReader(open(csvp)))
    bad = []
    for row in rows:
        n = int(row['frames'])
        got = sim_faults(path, n, ['lru', 'opt'])
        if int(row['lru_misses']) != got['lru'] or int(row['opt_misses']) != got['opt']:
            bad.append('%d frames: mrc lru %s opt %s, sim lru %d opt %d'
                       % (n, row['lru_misses'], row['opt_misses'], got['lru'], got['opt']))
    check(rows and not bad, 'mrc equals sim at each of the %d points of %s' % (len(rows), name), '\n'.join(bad))

# ------------------------------------------------------------ 3. sim --tlb

def tlb_counts(path, spec):
    out = vmtrace('sim', path, '--tlb', spec)
    m = re.search(r'^translations (\d+): simulated (\d+) hits, (\d+) misses', out, re.M)
    d = re.search(r'^  dtlb:\s+(\d+) lookups, (\d+) hits .*?, (\d+) misses, (\d+) evictions', out, re.M)
    return (int(m.group(2)), int(m.group(3)), int(d.group(4))) if m and d else out


def xorshift_victims(seed, tlb_id, ways, count):
    """The random policy's victims (mmu/tlb.c): per-structure state
    seed ^ 0x9E3779B9 * (id + 1), xorshift32, way = (x * ways) >> 32."""
    x = (seed ^ (0x9E3779B9 * (tlb_id + 1))) & 0xFFFFFFFF or 1
    out = []
    for _ in range(count):
        x ^= (x << 13) & 0xFFFFFFFF
        x ^= x >> 17
        x ^= (x << 5) & 0xFFFFFFFF
        out.append((x * ways) >> 32)
    return out


def random_hand(refs, ways, seed):
    """A fully associative RANDOM TLB by hand: fill invalid ways first, then
    the xorshift victims in turn. Returns (hits, misses, evictions)."""
    victims = iter(xorshift_victims(seed, 1, ways, len(refs)))
    slots, hits = [None] * ways, 0
    ev = 0
    for p in refs:
        if p in slots:
            hits += 1
            continue
        if None in slots:
            slots[slots.index(None)] = p
        else:
            slots[next(victims)] = p
            ev += 1
    return hits, len(refs) - hits, ev


TLB_REFS = [1, 2, 3, 4, 1, 5, 1, 2, 3, 4]
tp = trace('tlb', TLB_REFS, 'dtlb=4:4,policy=lru')
# By hand, one set of 4 ways:
#   LRU : 1 2 3 4 miss, 1 hit, 5 evicts 2, 1 hit, 2 evicts 3, 3 evicts 4, 4 evicts 5: 2 hits, 8 misses, 4 evictions
#   FIFO: 1 2 3 4 miss, 1 hit, 5 evicts 1 (oldest fill), 1 evicts 2, 2 evicts 3, 3 evicts 4,
#         4 evicts 5: 1 hit, 9 misses, 5 evictions
#   PLRU (tree: a root bit and a bit per pair, each pointing away from the way last used):
#         1 2 3 4 fill ways 0-3, 1 hits way 0 (root -> right pair), 5 takes way 2 (3 goes),
#         1 hits, 2 hits, 3 takes way 3 (4 goes), 4 takes way 0 (1 goes): 3 hits, 7 misses, 3 evictions
for pol, want in [('lru', (2, 8, 4)), ('fifo', (1, 9, 5)), ('plru', (3, 7, 3))]:
    spec = 'itlb=4:4,iltlb=2:2,dtlb=4:4,dltlb=8:4,policy=' + pol
    got = tlb_counts(tp, spec)
    check(got == want, 'sim --tlb %s: %d hits, %d misses, %d evictions (by hand)' % ((spec,) + want), got)
for seed in (1, 7, 12345):
    spec = 'itlb=4:4,iltlb=2:2,dtlb=4:4,dltlb=8:4,policy=random,seed=%d' % seed
    want = random_hand(TLB_REFS, 4, seed)
    got = tlb_counts(tp, spec)
    check(got == want, 'sim --tlb %s: %d hits, %d misses, %d evictions (the xorshift victims by hand)'
          % ((spec,) + want), got)
# Direct-mapped, 4 sets (set = page & 3): every policy has one choice. 1 and
# 5 share set 1, 2 and 6 set 2, 3 and 7 set 3, so 1 5 1 2 6 2 3 7 3 all miss
# and all but the first of each set evict (5 1 6 2 7 3: 6 evictions); 4 4 is
# a miss and a hit. 1 hit, 10 misses, 6 evictions.
DM = [1, 5, 1, 2, 6, 2, 3, 7, 3, 4, 4]
dp = trace('tlb-dm', DM, 'dtlb=4:1,policy=lru')
for pol in ['lru', 'fifo', 'plru', 'random,seed=3']:
    spec = 'itlb=4:4,iltlb=2:2,dtlb=4:1,dltlb=8:4,policy=' + pol
    got = tlb_counts(dp, spec)
    check(got == (1, 10, 6), 'sim --tlb %s (direct-mapped): 1 hit, 10 misses, 6 evictions' % spec, got)

finish()
