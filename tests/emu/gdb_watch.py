#!/usr/bin/env python3
"""Watchpoints through the GDB stub, on the GDB test guest
(tests/guests/gdb/gdbguest.c), whose instructions are known by label:

  * a write watchpoint (watch) stops right after the store, at after_w,
    with the old and new values, and not at the read of the same variable
    before it;
  * a read watchpoint (rwatch) stops right after the load, at after_r,
    with the value, and not at the store to the same variable before it;
  * an access watchpoint (awatch) stops twice: after the load (after_a_read,
    "Value = 0") and after the store (after_a_write, old 0, new 2);
  * with the watchpoints deleted the guest runs to its end (gdb reports the
    exit code), and gdb exits with status 0.

Each stop is read from the text gdb prints between two markers (echo), so
the lines gdb prints when it creates a watchpoint do not count as stops.

usage: gdb_watch.py VMSCOPE GDB_GUEST_ELF"""
import re
import sys
from gdb_test import session


def main():
    vmscope, elf = sys.argv[1:3]
    cmds = ['break accesses', 'continue',
            'watch w_target', 'rwatch r_target', 'awatch a_target']
    stops = ['write', 'read', 'access-read', 'access-write']
    for name in stops:
        cmds += ['echo @@stop-%s\\n' % name, 'continue', 'info symbol $pc']
    cmds += ['echo @@end\\n', 'delete', 'continue']
    out, vm, rc = session(vmscope, [], elf, cmds, with_status=True)
    print(out)
    parts = re.split(r'^@@(stop-[\w-]+|end)\s*$', out, flags=re.M)
    seg = dict(zip(parts[1::2], parts[2::2]))
    want = {
        'stop-write': ['Hardware watchpoint 2: w_target', 'Old value = 0', 'New value = 1',
                       'after_w in section .text'],
        'stop-read': ['Hardware read watchpoint 3: r_target', 'Value = 7', 'after_r in section .text'],
        'stop-access-read': ['Hardware access (read/write) watchpoint 4: a_target', 'Value = 0',
                             'after_a_read in section .text'],
        'stop-access-write': ['Hardware access (read/write) watchpoint 4: a_target', 'Old value = 0',
                              'New value = 2', 'after_a_write in section .text'],
        'end': ['exited with code 01'],
    }
    fails = []
    for key, lines in want.items():
        text = seg.get(key)
        if text is None:
            fails.append('no output for %s' % key)
            continue
        missing = [w for w in lines if w not in text]
        if missing:
            fails.append('%s: lacks %s' % (key, missing))
    if rc != 0:
        fails.append('gdb exited with status %s' % rc)
    if vm.returncode != 1:
        fails.append('vmscope exit status %s, want 1 (the guest ran to its end)' % vm.returncode)
    for f in fails:
        print('FAIL: ' + f)
    if fails:
        return 1
    print('watchpoints ok: write, read and access each stopped right after their instruction')
    return 0


if __name__ == '__main__':
    sys.exit(main())
