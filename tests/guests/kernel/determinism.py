#!/usr/bin/env python3
"""Determinism with the disk in the loop: the guest kernel swapping at 6 MiB
(disk transfers, interrupts, kswapd, sleeping faults), run twice with the
same image, disk and options, must give the same console, the same
instruction and cycle counts and the same trace bytes.

usage: determinism.py VMSCOPE KERNEL INITRD DISK CMDLINE"""
import hashlib, os, re, subprocess, sys, tempfile

# Slow builds (ASan) stretch every timeout: scripts/test sets VMSCOPE_TIMEOUT_SCALE.
TIMEOUT_SCALE = float(os.environ.get('VMSCOPE_TIMEOUT_SCALE', '1'))


def run(vmscope, kernel, initrd, disk, cmdline, trace):
    p = subprocess.run([vmscope, 'run', '--mem', '6M', '--disk', disk, '--disk-snapshot',
                        '--module', initrd, '--cmdline', cmdline, '--trace', trace, kernel],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=900 * TIMEOUT_SCALE)
    counts = tuple(re.findall(r'^(?:instructions|cycles):\s+(\d+)', p.stderr, re.M))
    with open(trace, 'rb') as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    return p.returncode, p.stdout, counts, digest


def main():
    vmscope, kernel, initrd, disk, cmdline = sys.argv[1:6]
    with tempfile.TemporaryDirectory() as tmp:
        a = run(vmscope, kernel, initrd, disk, cmdline, os.path.join(tmp, 'a.vmt'))
        b = run(vmscope, kernel, initrd, disk, cmdline, os.path.join(tmp, 'b.vmt'))
    fails = []
    if a[0] != 1:
        fails.append('exit status %d, want 1' % a[0])
    if 'pswpout=0 ' in a[1] or 'model: vmstat' not in a[1]:
        fails.append('the run did not swap')
    for name, i in (('exit status', 0), ('console', 1), ('instruction and cycle counts', 2), ('trace bytes', 3)):
        if a[i] != b[i]:
            fails.append('two identical runs gave different %s' % name)
    for f in fails:
        print('FAIL: ' + f)
    if not fails:
        print('two runs of "%s" at 6 MiB: same console, %s instructions, %s cycles, same trace (sha256 %s)'
              % (cmdline, a[2][0], a[2][1], a[3][:16]))
    return 1 if fails else 0


if __name__ == '__main__':
    sys.exit(main())
