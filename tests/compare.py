#!/usr/bin/env python3
"""Boot one guest under vmscope and under the reference QEMU command of
DESIGN.md; require the same console output (lines starting with `model:`
excepted) and the same exit status. `model:` lines are checked against
--model-expect under vmscope only.

usage: compare.py --vmscope BIN --kernel ELF [--module FILE]... [--append ARGS]
                  [--disk IMG [--snapshot]] [--mem MIB] [--expect-status N] [--timeout S]
                  [--model-expect FILE] [--expect-line TEXT]... [--input STR] [--vmscope-arg ARG]...
Each emulator gets its own copy of --disk, made fresh from the image given,
and the two copies must be identical afterwards. With --snapshot both use
IMG itself, with their writes dropped at exit (QEMU's
`-drive ...,snapshot=on`, vmscope's `--disk-snapshot`), and IMG must be
byte-identical after both runs."""
import argparse, difflib, os, shutil, subprocess, sys, tempfile

sys.dont_write_bytecode = True     # no __pycache__ in the source tree
from disklib import digest

def qemu_cmd(a, disk):
    cmd = ['qemu-system-i386', '-M', 'pc', '-cpu', 'pentium2', '-m', str(a.mem),
           '-display', 'none', '-serial', 'stdio', '-no-reboot',
           '-device', 'isa-debug-exit,iobase=0xf4,iosize=0x04', '-kernel', a.kernel]
    if a.module:
        cmd += ['-initrd', ','.join(a.module)]
    if disk:
        cmd += ['-drive', 'file=%s,format=raw,if=ide%s' % (disk, ',snapshot=on' if a.snapshot else '')]
    cmd += ['-append', a.append]
    return cmd

def vmscope_cmd(a, disk):
    cmd = [a.vmscope, 'run', '--quiet', '--mem', '%dM' % a.mem]
    for mod in a.module:
        cmd += ['--module', mod]
    if disk:
        cmd += ['--disk', disk] + (['--disk-snapshot'] if a.snapshot else [])
    cmd += ['--cmdline', a.append] + a.vmscope_arg + [a.kernel]
    return cmd

def run(cmd, a):
    try:
        p = subprocess.run(cmd, input=a.input.encode(), stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=a.timeout)
    except subprocess.TimeoutExpired as e:
        return None, (e.stdout or b'').decode('latin-1'), 'timeout after %ss' % a.timeout
    return p.returncode, p.stdout.decode('latin-1'), p.stderr.decode('latin-1')

def lines(text):
    return [l.rstrip('\r') for l in text.replace('\r\n', '\n').split('\n')]

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--vmscope', required=True)
    ap.add_argument('--kernel', required=True)
    ap.add_argument('--module', action='append', default=[])
    ap.add_argument('--append', default='')
    ap.add_argument('--disk')
    ap.add_argument('--snapshot', action='store_true',
                    help='attach --disk itself with writes dropped; it must not change')
    ap.add_argument('--mem', type=int, default=16)
    ap.add_argument('--expect-status', type=int)
    ap.add_argument('--expect-line', action='append', default=[],
                    help='a line the console must contain (both consoles, since they must be equal)')
    ap.add_argument('--timeout', type=float, default=120)
    ap.add_argument('--model-expect')
    ap.add_argument('--input', default='')
    ap.add_argument('--vmscope-arg', action='append', default=[])
    ap.add_argument('--triple-fault', action='store_true',
                    help='the guest ends in a triple fault (QEMU -no-reboot reports 0, vmscope 4)')
    a = ap.parse_args()
    a.timeout *= float(os.environ.get('VMSCOPE_TIMEOUT_SCALE', '1'))   # slow (ASan) builds
    if not shutil.which('qemu-system-i386'):
        print('FAIL: qemu-system-i386 is not installed (run scripts/setup)')
        return 1
    if a.snapshot and not a.disk:
        print('FAIL: --snapshot needs --disk')
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        disks = [None, None]
        if a.snapshot:
            disks = [a.disk, a.disk]
            before = digest(a.disk)
        elif a.disk:
            for i in range(2):
                disks[i] = os.path.join(tmp, 'disk%d.img' % i)
                shutil.copyfile(a.disk, disks[i])
        qs, qout, qerr = run(qemu_cmd(a, disks[0]), a)
        vs, vout, verr = run(vmscope_cmd(a, disks[1]), a)
        if a.snapshot:
            disk_same = digest(a.disk) == before
        elif a.disk:
            with open(disks[0], 'rb') as f0, open(disks[1], 'rb') as f1:
                disk_same = f0.read() == f1.read()
    ok = True
    ql = [l for l in lines(qout) if not l.startswith('model:')]
    vall = lines(vout)
    vl = [l for l in vall if not l.startswith('model:')]
    if ql != vl:
        ok = False
        print('FAIL: console output differs (--- qemu, +++ vmscope)')
        sys.stdout.writelines(l + '\n' for l in difflib.unified_diff(ql, vl, 'qemu', 'vmscope', lineterm='', n=2))
    if a.triple_fault and qs == 0:
        qs = 4
    if qs != vs:
        ok = False
        print('FAIL: exit status differs: qemu %s, vmscope %s' % (qs, vs))
    for want in a.expect_line:
        if want not in vall:
            ok = False
            print('FAIL: no console line "%s"' % want)
    if a.expect_status is not None and vs != a.expect_status:
        ok = False
        print('FAIL: vmscope exit status %s, expected %s' % (vs, a.expect_status))
    if a.disk and not disk_same:
        ok = False
        print('FAIL: %s' % ('%s changed in a --snapshot run' % a.disk if a.snapshot
                            else 'the disk images differ after the run'))
    if a.model_expect:
        with open(a.model_expect) as f:
            want = [l.rstrip('\n') for l in f if l.startswith('model:')]
        got = [l for l in vall if l.startswith('model:')]
        if want != got:
            ok = False
            print('FAIL: model: lines differ from %s' % a.model_expect)
            sys.stdout.writelines(l + '\n' for l in difflib.unified_diff(want, got, 'expected', 'vmscope', lineterm='', n=1))
    if not ok:
        if verr.strip():
            print('vmscope stderr:\n' + verr[-3000:])
        if qerr.strip():
            print('qemu stderr:\n' + qerr[-1500:])
        return 1
    print('same output (%d lines) and exit status %s under QEMU and vmscope' % (len(vl), vs))
    return 0

if __name__ == '__main__':
    sys.exit(main())
