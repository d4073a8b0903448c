#!/usr/bin/env python3
"""Same image and options: same console output, same instruction and cycle
counts, run after run, and with --inspect-at stops in the middle. Also checks
--max-cycles (status 6) and --inspect-at ... --then stop (status 0).

usage: determinism.py VMSCOPE ELF"""
import re, subprocess, sys
import os

# Slow builds (ASan) stretch every timeout: scripts/test sets VMSCOPE_TIMEOUT_SCALE.
TIMEOUT_SCALE = float(os.environ.get('VMSCOPE_TIMEOUT_SCALE', '1'))

def run(vmscope, elf, *extra):
    p = subprocess.run([vmscope, 'run', '--cmdline', 'det'] + list(extra) + [elf],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120 * TIMEOUT_SCALE)
    err = p.stderr.decode('latin-1')
    counts = tuple(re.findall(r'^(?:instructions|cycles):\s+(\d+)', err, re.M))
    return p.returncode, p.stdout, counts, err

def main():
    vmscope, elf = sys.argv[1:3]
    failures = []
    base = run(vmscope, elf)
    if len(base[2]) != 2:
        failures.append('summary lacks instructions/cycles lines')
    again = run(vmscope, elf)
    if again[:3] != base[:3]:
        failures.append('two identical runs differ')
    half = int(base[2][0]) // 2 if base[2] else 1000
    halfc = int(base[2][1]) // 2 if base[2] else 1000
    for at in ['insn:%d' % half, 'cycle:%d' % halfc, 'insn:1']:
        r = run(vmscope, elf, '--inspect-at', at, '--inspect', 'regs,pagetables,phys,mem:0x100000:64')
        if r[:3] != base[:3]:
            failures.append('--inspect-at %s changed the run: %s vs %s' % (at, r[2], base[2]))
        if '--- inspect at' not in r[3]:
            failures.append('--inspect-at %s printed no views' % at)
    r = run(vmscope, elf, '--max-cycles', '5000')
    if r[0] != 6:
        failures.append('--max-cycles 5000 gave status %d, want 6' % r[0])
    r = run(vmscope, elf, '--inspect-at', 'insn:100', '--then', 'stop')
    if r[0] != 0 or 'instructions: 100\n' not in r[3]:
        failures.append('--then stop: status %d (want 0) or not stopped at 100 instructions' % r[0])
    for f in failures:
        print('FAIL: ' + f)
    if not failures:
        print('deterministic: %s instructions, %s cycles, same with inspection' % base[2])
    return 1 if failures else 0

if __name__ == '__main__':
    sys.exit(main())
