#!/usr/bin/env python3
"""Print the per-form agreement table of docs/conformance.md from four
outputs of the cpu-diff guest (same seed):
  QEMU and vmscope in the default mode (the guest-cpu-diff test), and
  Bochs and vmscope with allflags=1 (tests/bochs/cpu-diff-bochs.sh).

usage: conformance-table.py QEMU.out VMSCOPE.out BOCHS-ALLFLAGS.out VMSCOPE-ALLFLAGS.out
       [--model FILE] [--explained FILE]
Columns: form, encoding, QEMU (ok / DIFF / model: the line is checked
against cpu-diff.model instead), Bochs (ok / DIFF / explained / model)."""
import argparse, re

def parse(path):
    d = {}
    with open(path, encoding='latin-1') as f:
        for line in f:
            line = line.rstrip('\r\n')
            m = re.match(r'model: (cpu|sdm) (\S+) \[([^\]]*)\] (.*)$', line)
            if m:
                d[m.group(2)] = ('model-' + m.group(1), m.group(3), line)
                continue
            m = re.match(r'(\S+) \[([^\]]*)\] (.*)$', line)
            if m:
                d[m.group(1)] = ('form', m.group(2), line)
    return d

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('qemu'); ap.add_argument('vm'); ap.add_argument('bochs'); ap.add_argument('vmall')
    ap.add_argument('--model')
    ap.add_argument('--explained')
    a = ap.parse_args()
    q, v, b, va = parse(a.qemu), parse(a.vm), parse(a.bochs), parse(a.vmall)
    model = set()
    if a.model:
        with open(a.model) as f:
            model = {l.rstrip('\n') for l in f}
    expl = {}
    if a.explained:
        with open(a.explained) as f:
            for l in f:
                l = l.strip()
                if l and not l.startswith('#'):
                    n, _, why = l.partition(' ')
                    expl[n] = why
    print('| form | encoding | QEMU | Bochs (allflags) |')
    print('|---|---|---|---|')
    counts = {}
    for name, (kind, enc, vline) in v.items():
        if kind == 'form':
            qs = 'ok' if name in q and q[name][2] == vline else 'DIFF'
        else:
            qs = ('model ok' if vline in model else 'model DIFF')
        if kind == 'model-cpu':
            bs = 'n/a (modelled CPU)'
        else:
            bl, vl = b.get(name), va.get(name)
            if bl and vl and bl[2] == vl[2]:
                bs = 'ok'
            elif name in expl:
                bs = 'explained'
            else:
                bs = 'DIFF'
        counts[('q', qs)] = counts.get(('q', qs), 0) + 1
        counts[('b', bs)] = counts.get(('b', bs), 0) + 1
        print('| `%s` | `%s` | %s | %s |' % (name, enc, qs, bs))
    print()
    print('Totals: QEMU: %s; Bochs: %s.' % (
        ', '.join('%s %d' % (k[1], n) for k, n in sorted(counts.items()) if k[0] == 'q'),
        ', '.join('%s %d' % (k[1], n) for k, n in sorted(counts.items()) if k[0] == 'b')))

if __name__ == '__main__':
    main()
