#!/usr/bin/env python3
"""The inspection views of a guest with known page tables equal the expected
text. usage: check_views.py VMSCOPE ELF EXPECTED"""
import subprocess, sys
import os

# Slow builds (ASan) stretch every timeout: scripts/test sets VMSCOPE_TIMEOUT_SCALE.
TIMEOUT_SCALE = float(os.environ.get('VMSCOPE_TIMEOUT_SCALE', '1'))

vmscope, elf, expected = sys.argv[1:4]
p = subprocess.run([vmscope, 'run', '--quiet', '--inspect-at', 'end',
                    '--inspect', 'pagetables,phys,mem:0x80000010:8,physmem:0x800010:8', elf],
                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60 * TIMEOUT_SCALE)
got = p.stderr.decode().split('\n')
got = [l for l in got if not l.startswith('--- inspect at')]
want = open(expected).read().split('\n')
if got != want:
    import difflib
    print('FAIL: views differ from %s' % expected)
    sys.stdout.writelines(l + '\n' for l in difflib.unified_diff(want, got, 'expected', 'vmscope', lineterm=''))
    sys.exit(1)
print('views as expected (%d lines)' % len(got))
