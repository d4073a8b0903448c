#!/usr/bin/env python3
"""Run fpu-double under vmscope and as the host program (the same source
built with `gcc -m32 -static`, running the host's own x87) and require the
same output, line for line, the `model:` lines (FSIN and F2XM1, which QEMU
does not compute as the hardware does) included.

usage: fpu-double-host.py VMSCOPE GUEST_ELF HOST_EXE"""
import subprocess, sys


def main():
    vm, elf, host = sys.argv[1:4]
    h = subprocess.run([host], stdout=subprocess.PIPE, check=True, timeout=60).stdout.decode().splitlines()
    v = subprocess.run([vm, 'run', '--quiet', elf], stdout=subprocess.PIPE,
                       timeout=120).stdout.decode('latin-1').replace('\r', '').splitlines()
    v = [l for l in v if l]
    bad = 0
    for k in range(max(len(h), len(v))):
        hl = h[k] if k < len(h) else '(none)'
        vl = v[k] if k < len(v) else '(none)'
        if hl != vl:
            bad += 1
            print('DIFFER\n  host:    %s\n  vmscope: %s' % (hl, vl))
    print('fpu-double against the host x87: %d of %d lines equal' % (len(h) - bad, len(h)))
    return 1 if bad or not h else 0


sys.exit(main())
