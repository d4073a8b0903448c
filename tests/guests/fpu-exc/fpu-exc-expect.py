#!/usr/bin/env python3
"""Run a test guest under vmscope alone and require its console output to
equal an expected file, and its exit status a given value: for what the
reference QEMU cannot run (fpu-exc's IRQ 13 part, see fpu-exc.c).

usage: fpu-exc-expect.py VMSCOPE ELF CMDLINE EXPECT_FILE STATUS"""
import subprocess, sys


def main():
    vm, elf, cmdline, expect, status = sys.argv[1:6]
    p = subprocess.run([vm, 'run', '--quiet', '--cmdline', cmdline, elf], stdout=subprocess.PIPE, timeout=120)
    got = [l for l in p.stdout.decode('latin-1').replace('\r', '').splitlines() if l]
    want = [l.rstrip('\n') for l in open(expect) if l.strip()]
    bad = 0
    for k in range(max(len(got), len(want))):
        g = got[k] if k < len(got) else '(none)'
        w = want[k] if k < len(want) else '(none)'
        if g != w:
            bad += 1
            print('DIFFER\n  expected: %s\n  vmscope:  %s' % (w, g))
    if p.returncode != int(status):
        bad += 1
        print('FAIL: exit status %d, expected %s' % (p.returncode, status))
    print('%s: %d of %d lines as expected' % (expect, len(want) - bad, len(want)))
    return 1 if bad else 0


sys.exit(main())
