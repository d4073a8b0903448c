#!/usr/bin/env python3
"""Drive Debian's gdb in batch mode against `vmscope run --gdb`: break at a
function, continue, read a variable, step, use a monitor command, read a
control register, and kill. The values are checked: the PC at the
breakpoint is the breakpoint's address, gdb's registers (the 'g' packet)
equal the stub's own `monitor regs`, and CR0 has PE set (and PG, under the
guest kernel).

  gdb_test.py VMSCOPE ELF FUNCTION VARIABLE [CMDLINE [MODULE]]
  gdb_test.py VMSCOPE GDB_GUEST_ELF --regs

--regs: on the GDB test guest (tests/guests/gdb), stop at regs_here, where
the guest has loaded known values: each of EAX..EDI must read as loaded,
EIP must be regs_here; then `set $ecx = 42` must reach the guest, which
returns ECX & 0x3F: vmscope exits with status (42 << 1) | 1 = 85."""
import re, socket, subprocess, sys, time
import os

# Slow builds (ASan) stretch every timeout: scripts/test sets VMSCOPE_TIMEOUT_SCALE.
TIMEOUT_SCALE = float(os.environ.get('VMSCOPE_TIMEOUT_SCALE', '1'))

def free_port():
    s = socket.socket()
    s.bind(('127.0.0.1', 0))
    port = s.getsockname()[1]
    s.close()
    return port

def session(vmscope, vm_args, elf, cmds, with_status=False):
    """Start `vmscope run --gdb PORT --gdb-wait VM_ARGS ELF`, run gdb -batch
    with CMDS after connecting, and return (gdb output, vmscope process),
    and gdb's exit status too WITH_STATUS."""
    port = free_port()
    vm = subprocess.Popen([vmscope, 'run', '--quiet', '--gdb', str(port), '--gdb-wait'] + vm_args + [elf],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(0.3)
    args = ['gdb', '-nx', '-batch', elf]
    for c in ['set pagination off', 'set confirm off', 'target remote 127.0.0.1:%d' % port] + cmds:
        args += ['-ex', c]
    rc = None
    try:
        g = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=120 * TIMEOUT_SCALE)
        out = g.stdout.decode('latin-1')
        rc = g.returncode
    except subprocess.TimeoutExpired as e:
        out = (e.stdout or b'').decode('latin-1') + '\n(gdb timed out)'
    try:
        vm.wait(timeout=30 * TIMEOUT_SCALE)
    except subprocess.TimeoutExpired:
        vm.kill()
        vm.wait()
    return (out, vm, rc) if with_status else (out, vm)

REGS = ['eax', 'ecx', 'edx', 'ebx', 'esp', 'ebp', 'esi', 'edi', 'eip']

def gdb_regs(text):
    """{name: value} from `info registers` lines ("eax  0x1234  4660")."""
    return {m.group(1): int(m.group(2), 16)
            for m in re.finditer(r'^(e[a-z]{2}|eflags)\s+0x([0-9a-f]+)', text, re.M)}

def monitor_regs(text):
    """{name: value} from `monitor regs` ("EAX=00001234 ...")."""
    return {m.group(1).lower(): int(m.group(2), 16)
            for m in re.finditer(r'\b(E[A-Z]{2})=([0-9a-fA-F]{8})\b', text)}

def regs_main(vmscope, elf):
    out, vm, rc = session(vmscope, [], elf,
                          ['break *regs_here', 'continue', 'echo @@regs\\n', 'info registers',
                           'p/x &regs_here', 'echo @@set\\n', 'set $ecx = 42', 'p/x $ecx', 'delete', 'continue'],
                          with_status=True)
    print(out)
    fails = []
    regs_part = out.split('@@regs', 1)[-1].split('@@set', 1)[0]
    got = gdb_regs(regs_part)
    want = {'eax': 0x12345678, 'ebx': 0x9abcdef0, 'ecx': 0x0badf00d, 'edx': 0xfeedface,
            'esi': 0x01010101, 'edi': 0x02020202}
    for r, v in want.items():
        if got.get(r) != v:
            fails.append('%s = %s, the guest loaded 0x%08x' % (r, hex(got[r]) if r in got else None, v))
    m = re.search(r'^\$\d+ = 0x([0-9a-f]+)', regs_part, re.M)
    if not m or got.get('eip') != int(m.group(1), 16):
        fails.append('eip %s is not regs_here (%s)' % (got.get('eip'), m and m.group(1)))
    if rc != 0:
        fails.append('gdb exited with status %s' % rc)
    if vm.returncode != 85:
        fails.append('vmscope exit status %s, want 85 (the guest saw ECX = 42)' % vm.returncode)
    for f in fails:
        print('FAIL: ' + f)
    if fails:
        return 1
    print('registers ok: the values the guest loaded, EIP at regs_here, and a register set by gdb')
    return 0

def main():
    if len(sys.argv) == 4 and sys.argv[3] == '--regs':
        return regs_main(sys.argv[1], sys.argv[2])
    vmscope, elf, func, var = sys.argv[1:5]
    cmdline = sys.argv[5] if len(sys.argv) > 5 else ''
    module = ['--module', sys.argv[6]] if len(sys.argv) > 6 else []
    out, vm = session(vmscope, ['--cmdline', cmdline] + module, elf,
                      ['break %s' % func, 'continue', 'echo @@stopped\\n', 'info breakpoints',
                       'info registers', 'monitor regs', 'p/x $cr0', 'echo @@rest\\n',
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
    # The values at the breakpoint: the PC is the breakpoint's address, and
    # gdb's registers (the 'g' packet) equal the stub's monitor regs.
    stopped = out.split('@@stopped', 1)[-1].split('@@rest', 1)[0]
    fails = []
    bp = re.search(r'^1\s+breakpoint\s+keep\s+y\s+0x([0-9a-f]+)', stopped, re.M)
    g, mon = gdb_regs(stopped), monitor_regs(stopped)
    if not bp or g.get('eip') != int(bp.group(1), 16):
        fails.append('EIP %s at the stop is not the breakpoint address %s' % (g.get('eip'), bp and bp.group(1)))
    for r in REGS:
        if r not in g or g.get(r) != mon.get(r):
            fails.append('%s: gdb reads %s, monitor regs says %s' % (r, g.get(r), mon.get(r)))
    cr0 = re.search(r'^\$\d+ = 0x([0-9a-f]+)', stopped, re.M)
    want_pg = 'kernel' in os.path.basename(elf)
    if not cr0 or not int(cr0.group(1), 16) & 1 or (want_pg and not int(cr0.group(1), 16) >> 31):
        fails.append('CR0 %s lacks PE%s' % (cr0 and cr0.group(1), ' or PG' if want_pg else ''))
    for f in fails:
        print('FAIL: ' + f)
    if fails:
        return 1
    print('gdb session ok')
    return 0

if __name__ == '__main__':
    sys.exit(main())
