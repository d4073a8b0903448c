#!/usr/bin/env python3
"""The fast paths count what the model counts: each guest, under several TLB
geometries and every policy, prints the same console and the same summary
(instructions, cycles, every translation, hit, miss and eviction) with the
fast paths on and with --no-fastpath (the model alone), and under some of
them writes the same trace, byte for byte; those traces are also the same
bytes with the trace writer's period replay off (--trace-no-period). Covers
the CPU's fetch shortcut, the MMU's inline hits (on a set's last-used entry
and on the others), the REP string runs and the trace writer's shortcuts.

usage: fastpath_equal.py VMSCOPE -- KERNEL [--all-traced] [vmscope run options...] [-- KERNEL ...]

--all-traced compares the traces under every configuration for that guest
(the adversarial tests/emu/guests/tlbstress.c)."""
import os, subprocess, sys, tempfile

# Slow builds (ASan) stretch every timeout: scripts/test sets VMSCOPE_TIMEOUT_SCALE.
TIMEOUT_SCALE = float(os.environ.get('VMSCOPE_TIMEOUT_SCALE', '1'))

CONFIGS = [['--tlb', 'policy=lru'], ['--tlb', 'policy=plru'], ['--tlb', 'policy=fifo'],
           ['--tlb', 'policy=random,seed=7'], ['--tlb', 'dtlb=4:1,itlb=2:1'],
           ['--tlb', 'itlb=0,dtlb=0,utlb=16:4,policy=plru'],
           ['--tlb', 'itlb=0,dtlb=0,utlb=8:8,ltlb=4:4,stlb=64:4,pwc=4,policy=lru'],
           ['--tlb', 'itlb=4:4,dtlb=8:8,policy=fifo'],
           ['--cycles', 'hit=1,stlb=7,unpaged=1']]     # hits that cost cycles

TRACED = (0, 5, 8)      # configurations also compared with --trace

def run(vm, guest, cfg, fast, trace=None):
    cmd = [vm, 'run'] + cfg + ([] if fast else ['--no-fastpath']) + (['--trace', trace] if trace else [])
    p = subprocess.run(cmd + guest[1:] + [guest[0]], stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=600 * TIMEOUT_SCALE)
    err = [l for l in p.stderr.decode().splitlines() if not l.startswith('host time:')]
    return p.returncode, p.stdout.decode(), err

def same_traces(vm, guest, cfg, tmp):
    """'' when the fast path's trace, the model's and the fast path's without
    the writer's period replay are the same bytes, else what differs."""
    a, b, c = (os.path.join(tmp, n + '.vmt') for n in ('fast', 'model', 'noperiod'))
    run(vm, guest, cfg, True, a)
    run(vm, guest, cfg, False, b)
    run(vm, guest, cfg + ['--trace-no-period'], True, c)
    with open(a, 'rb') as f, open(b, 'rb') as g, open(c, 'rb') as h:
        fa, fb, fc = f.read(), g.read(), h.read()
    if fa != fb:
        return 'the traces of the fast path and the model differ'
    if fa != fc:
        return 'the trace differs with --trace-no-period'
    return ''

def main():
    vm, rest = sys.argv[1], sys.argv[2:]
    guests, cur = [], None
    for a in rest:
        if a == '--':
            cur = []
            guests.append(cur)
        else:
            cur.append(a)
    bad = 0
    tmp = tempfile.mkdtemp(prefix='fastpath-')
    for g in guests:
        all_traced = '--all-traced' in g
        if all_traced:
            g.remove('--all-traced')
        for n, cfg in enumerate(CONFIGS):
            a, b = run(vm, g, cfg, True), run(vm, g, cfg, False)
            name = '%s %s' % (' '.join(g), ' '.join(cfg))
            if a != b:
                bad += 1
                print('FAIL %s: fast path and model differ' % name)
                for x, y in zip(a[2], b[2]):
                    if x != y:
                        print('  fast:  %s\n  model: %s' % (x, y))
                if a[1] != b[1]:
                    print('  consoles differ')
            elif a[0] != 1 or 'translations' not in ' '.join(a[2]):
                bad += 1
                print('FAIL %s: status %d, or no paging summary' % (name, a[0]))
            elif (n in TRACED or all_traced) and same_traces(vm, g, cfg, tmp):
                bad += 1
                print('FAIL %s: %s' % (name, same_traces(vm, g, cfg, tmp)))
            else:
                print('ok   %s%s' % (name, ' (and its traces)' if n in TRACED or all_traced else ''))
    for f in os.listdir(tmp):
        os.unlink(os.path.join(tmp, f))
    os.rmdir(tmp)
    return 1 if bad else 0

if __name__ == '__main__':
    sys.exit(main())
