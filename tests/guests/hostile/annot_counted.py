#!/usr/bin/env python3
"""The hostile guest's annot case under vmscope: every record it writes
but the last is refused and counted bad (17 of them: three lying sizes, kinds
0, 0xFFFF and one past the last, headers outside RAM, wrapping at 4 GiB,
past the end of RAM, far past it, a zero header in the VGA hole, a record
and a header straddling the end of RAM, OUTs of 8 and 16 bits and to ports
0x441 and 0x443), the one good mark record is counted good, and the run ends
with status 1.

usage: annot_counted.py VMSCOPE HOSTILE_ELF"""
import os, re, subprocess, sys

TIMEOUT_SCALE = float(os.environ.get('VMSCOPE_TIMEOUT_SCALE', '1'))
vmscope, elf = sys.argv[1:3]
p = subprocess.run([vmscope, 'run', '--cmdline', 'case=annot', elf], capture_output=True, text=True,
                   timeout=120 * TIMEOUT_SCALE)
m = re.search(r'^annotations:\s+(\d+) good(?: \(([^)]*)\))?, (\d+) bad', p.stderr, re.M)
want_bad = 17
if p.returncode != 1 or not m:
    print('FAIL: status %s, summary:\n%s' % (p.returncode, p.stderr[-2000:]))
    sys.exit(1)
good, kinds, bad = int(m.group(1)), m.group(2), int(m.group(3))
print(m.group(0))
if good != 1 or kinds != 'mark 1' or bad != want_bad:
    print('FAIL: expected 1 good (mark 1) and %d bad' % want_bad)
    sys.exit(1)
print('annot: %d hostile records refused, the good one taken' % bad)
