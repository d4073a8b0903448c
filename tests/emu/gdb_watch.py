#!/usr/bin/env python3
"""Watchpoints through the GDB stub: a write watchpoint stops after the store
with the old and new value, a read watchpoint stops after the load, and an
access watchpoint stops on either, on the demo guest's sieve array.

usage: gdb_watch.py VMSCOPE DEMO_ELF"""
import sys
from gdb_test import session

def main():
    vmscope, elf = sys.argv[1:3]
    out, _ = session(vmscope, [], elf,
                     ['break count_primes', 'continue',
                      'watch sieve[100]', 'continue', 'print sieve[100]', 'delete',
                      'rwatch sieve[4]', 'continue', 'info registers eip', 'delete',
                      'awatch sieve[9]', 'continue', 'delete', 'kill'])
    print(out)
    want = ['Hardware watchpoint 2: sieve[100]', 'Old value = 0', 'New value = 1', '$1 = 1',
            'Hardware read watchpoint 3: sieve[4]', 'Value = ',
            'Hardware access (read/write) watchpoint 4: sieve[9]']
    missing = [w for w in want if w not in out]
    if missing:
        print('FAIL: gdb output lacks %s' % missing)
        return 1
    print('watchpoints ok')
    return 0

if __name__ == '__main__':
    sys.exit(main())
