#!/usr/bin/env python3
"""A disk written under vmscope reads back under QEMU, and the other way
round; and both write the same bytes for the same pattern.

usage: disk_crosscheck.py --vmscope BIN --kernel DEVICES_ELF
Uses the device test guest's modes (mode=write/verify seed=N)."""
import argparse, os, shutil, subprocess, sys, tempfile

sys.dont_write_bytecode = True     # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import diskpat

# Slow builds (ASan) stretch every timeout: scripts/test sets VMSCOPE_TIMEOUT_SCALE.
TIMEOUT_SCALE = float(os.environ.get('VMSCOPE_TIMEOUT_SCALE', '1'))

SECTORS = 2048  # 1 MiB

def qemu(kernel, disk, args):
    return ['qemu-system-i386', '-M', 'pc', '-cpu', 'pentium2', '-m', '16', '-display', 'none',
            '-serial', 'stdio', '-no-reboot', '-device', 'isa-debug-exit,iobase=0xf4,iosize=0x04',
            '-kernel', kernel, '-drive', 'file=%s,format=raw,if=ide' % disk, '-append', args]

def vmscope(binary, kernel, disk, args):
    return [binary, 'run', '--quiet', '--mem', '16M', '--disk', disk, '--cmdline', args, kernel]

def run(cmd, what):
    p = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=240 * TIMEOUT_SCALE)
    out = p.stdout.decode('latin-1')
    if p.returncode != 1:
        print('FAIL: %s exited %s\n%s\n%s' % (what, p.returncode, out[-2000:],
                                             p.stderr.decode('latin-1')[-2000:]))
        return None
    return out

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--vmscope', required=True)
    ap.add_argument('--kernel', required=True)
    a = ap.parse_args()
    if not shutil.which('qemu-system-i386'):
        print('FAIL: qemu-system-i386 is not installed (run scripts/setup)')
        return 1
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        imgs = {}
        for writer, seed in (('vmscope', 11), ('qemu', 11), ('qemu', 23)):
            img = os.path.join(tmp, '%s-%d.img' % (writer, seed))
            with open(img, 'wb') as f:
                f.truncate(SECTORS * 512)
            args = 'mode=write seed=%d' % seed
            cmd = (vmscope(a.vmscope, a.kernel, img, args) if writer == 'vmscope'
                   else qemu(a.kernel, img, args))
            if run(cmd, '%s writing seed %d' % (writer, seed)) is None:
                return 1
            imgs[writer, seed] = img
        # The same bytes from both writers, and the pattern the host expects.
        data = {k: open(v, 'rb').read() for k, v in imgs.items()}
        if data['vmscope', 11] != data['qemu', 11]:
            ok = False
            print('FAIL: vmscope and QEMU wrote different images for the same pattern')
        if data['vmscope', 11] != diskpat.image(SECTORS, 11):
            ok = False
            print('FAIL: the image vmscope wrote is not the pattern')
        # Each reads what the other wrote.
        for reader, (writer, seed) in (('qemu', ('vmscope', 11)), ('vmscope', ('qemu', 23))):
            args = 'mode=verify seed=%d' % seed
            img = imgs[writer, seed]
            cmd = vmscope(a.vmscope, a.kernel, img, args) if reader == 'vmscope' else qemu(a.kernel, img, args)
            out = run(cmd, '%s verifying what %s wrote' % (reader, writer))
            if out is None or ', 0 bad words' not in out:
                ok = False
                print('FAIL: %s does not read back what %s wrote:\n%s' % (reader, writer, out))
            else:
                print('%s reads what %s wrote: %s' % (reader, writer,
                      [l for l in out.splitlines() if 'verified' in l][0].strip()))
    if ok:
        print('disk images cross-check: vmscope <-> QEMU agree')
    return 0 if ok else 1

if __name__ == '__main__':
    sys.exit(main())
