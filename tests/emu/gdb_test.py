#!/usr/bin/env python3
"""Drive Debian's gdb in batch mode against `vmscope run --gdb`: break at a
function, continue, read a variable, step, use a monitor command, read a
control register, and kill.

usage: gdb_test.py VMSCOPE ELF FUNCTION VARIABLE [CMDLINE [MODULE]]"""
import socket, subprocess, sys, time
import os

# Slow builds (ASan) stretch every timeout: scripts/test sets VMSCOPE_TIMEOUT_SCALE.
TIMEOUT_SCALE = float(os.environ.get('VMSCOPE_TIMEOUT_SCALE', '1'))

def free_port():
    s = socket.socket()
    s.bind(('127.0.0.1', 0))
    port = s.getsockname()[1]
    s.close()
    return port

def session(vmscope, vm_args, elf, cmds):
    """Start `vmscope run --gdb PORT --gdb-wait VM_ARGS ELF`, run gdb -batch
    with CMDS after connecting, and return (gdb output, vmscope process)."""
    port = free_port()
    vm = subprocess.Popen([vmscope, 'run', '--quiet', '--gdb', str(port), '--gdb-wait'] + vm_args + [elf],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(0.3)
    args = ['gdb', '-nx', '-batch', elf]
    for c in ['set pagination off', 'set confirm off', 'target remote 127.0.0.1:%d' % port] + cmds:
        args += ['-ex', c]
    try:
        g = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=120 * TIMEOUT_SCALE)
        out = g.stdout.decode('latin-1')
    except subprocess.TimeoutExpired as e:
        out = (e.stdout or b'').decode('latin-1') + '\n(gdb timed out)'
    try:
        vm.wait(timeout=30 * TIMEOUT_SCALE)
    except subprocess.TimeoutExpired:
        vm.kill()
        vm.wait()
    return out, vm

def main():
    vmscope, elf, func, var = sys.argv[1:5]
    cmdline = sys.argv[5] if len(sys.argv) > 5 else ''
    module = ['--module', sys.argv[6]] if len(sys.argv) > 6 else []
    out, vm = session(vmscope, ['--cmdline', cmdline] + module, elf,
                      ['break %s' % func, 'continue',
                       'print %s' % var, 'next', 'info registers eip',
                       'print $cr0', 'bt', 'monitor regs', 'monitor pagetables', 'kill'])
    print(out)
    want = ['Breakpoint 1, %s' % func, '$1 = ', 'eip', '$2 = ', '#0 ', 'EAX=', 'pagetables:']
    missing = [w for w in want if w not in out]
    if missing:
        print('FAIL: gdb output lacks %s' % missing)
        print('vmscope stderr:', vm.stderr.read().decode('latin-1')[-2000:])
        return 1
    if vm.returncode != 10:
        print('FAIL: vmscope exit status %s after kill, want 10' % vm.returncode)
        return 1
    print('gdb session ok')
    return 0

if __name__ == '__main__':
    sys.exit(main())
