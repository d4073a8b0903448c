#!/usr/bin/env python3
"""Every exit status of DESIGN.md's table, from tiny guests made on the spot.

usage: statuses.py VMSCOPE MKELF"""
import os, signal, subprocess, sys, tempfile, time

# Slow builds (ASan) stretch every timeout: scripts/test sets VMSCOPE_TIMEOUT_SCALE.
TIMEOUT_SCALE = float(os.environ.get('VMSCOPE_TIMEOUT_SCALE', '1'))

def shutdown_code():
    code = '66ba0089'                               # mov dx, 0x8900
    for ch in b'Shutdown':
        code += 'b0%02xee' % ch                     # mov al, ch; out dx, al
    return code + 'f4'

CASES = [  # name, code bytes (hex), expected status, words stderr must hold
    ('debug exit 5', 'b005e6f4f4', 11, []),
    ('debug exit 0 (32-bit OUT)', '31c0e7f4f4', 1, []),
    ('lone Shutdown', shutdown_code(), 0, []),
    ('triple fault', '0f0b', 4, ['triple fault', 'EIP']),
    ('max cycles', 'ebfe', 6, ['--max-cycles']),
    ('cli; hlt', 'faf4', 8, ['halted with interrupts disabled']),
    ('sti; hlt with IRQs masked', 'b0ffe621e6a1fbf4', 8, ['nothing can wake it']),
    ('clear CR0.PE', '0f20c024fe0f22c0f4', 12, ['CR0.PE']),
]

def main():
    vmscope, mkelf = sys.argv[1:3]
    tmp = tempfile.mkdtemp()
    failed = 0
    for name, code, want, words in CASES + [('SIGTERM', 'ebfe', 10, ['SIGTERM'])]:
        elf = os.path.join(tmp, 'g.elf')
        subprocess.check_call([sys.executable, mkelf, elf, '--code', code])
        cmd = [vmscope, 'run', elf]
        if name == 'max cycles':
            cmd[2:2] = ['--max-cycles', '100000']
        if name == 'sti; hlt with IRQs masked':
            cmd[2:2] = ['--max-cycles', '10000000000']
        p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        if name == 'SIGTERM':
            time.sleep(0.5)
            p.send_signal(signal.SIGTERM)
        out, err = p.communicate(timeout=60 * TIMEOUT_SCALE)
        err = err.decode('latin-1')
        bad = [] if p.returncode == want else ['status %d, want %d' % (p.returncode, want)]
        bad += ['stderr lacks %r' % w for w in words if w not in err]
        print('%s %-28s status %d' % ('ok  ' if not bad else 'FAIL', name, p.returncode))
        for b in bad:
            print('      ' + b)
        failed += bool(bad)
    print('%d failed' % failed)
    return 1 if failed else 0

if __name__ == '__main__':
    sys.exit(main())
