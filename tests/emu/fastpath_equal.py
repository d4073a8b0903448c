#!/usr/bin/env python3
"""The fast paths count what the model counts: each guest, under several TLB
geometries and policies, prints the same console and the same summary
(instructions, cycles, every translation, hit, miss and eviction) with the
fast paths on and with --no-fastpath (the model alone), and under some of
them writes the same trace, byte for byte. Covers the CPU's fetch shortcut,
the MMU's inline hits, the REP string runs and the trace writer's shortcuts.

usage: fastpath_equal.py VMSCOPE -- KERNEL [vmscope run options...] [-- KERNEL ...]"""
import os, subprocess, sys, tempfile

# Slow builds (ASan) stretch every timeout: scripts/test sets VMSCOPE_TIMEOUT_SCALE.
TIMEOUT_SCALE = float(os.environ.get('VMSCOPE_TIMEOUT_SCALE', '1'))

CONFIGS = [['--tlb', 'policy=lru'], ['--tlb', 'policy=plru'], ['--tlb', 'policy=fifo'],
           ['--tlb', 'policy=random,seed=7'], ['--tlb', 'dtlb=4:1,itlb=2:1'],
           ['--tlb', 'itlb=0,dtlb=0,utlb=16:4,policy=plru'],
           ['--cycles', 'hit=1,stlb=7,unpaged=1']]     # hits that cost cycles

TRACED = (0, 5, 6)      # configurations also compared with --trace

def run(vm, guest, cfg, fast, trace=None):
    cmd = [vm, 'run'] + cfg + ([] if fast else ['--no-fastpath']) + (['--trace', trace] if trace else [])
    p = subprocess.run(cmd + guest[1:] + [guest[0]], stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=600 * TIMEOUT_SCALE)
    err = [l for l in p.stderr.decode().splitlines() if not l.startswith('host time:')]
    return p.returncode, p.stdout.decode(), err

def same_traces(vm, guest, cfg, tmp):
    a, b = os.path.join(tmp, 'fast.vmt'), os.path.join(tmp, 'model.vmt')
    run(vm, guest, cfg, True, a)
    run(vm, guest, cfg, False, b)
    with open(a, 'rb') as f, open(b, 'rb') as g:
        return f.read() == g.read()

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
            elif n in TRACED and not same_traces(vm, g, cfg, tmp):
                bad += 1
                print('FAIL %s: the traces differ' % name)
            else:
                print('ok   %s%s' % (name, ' (and its trace)' if n in TRACED else ''))
    for f in os.listdir(tmp):
        os.unlink(os.path.join(tmp, f))
    os.rmdir(tmp)
    return 1 if bad else 0

if __name__ == '__main__':
    sys.exit(main())
