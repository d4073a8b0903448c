#!/usr/bin/env python3
"""Run busybox scripts on the host, in a chroot of the guest's default tree
(its /bin/busybox, Debian's i386 static binary, and the applet links) with
the scripts' tree copied over it and /dev/null, /dev/zero made: each must
end with status 0 and print its "NAME: end" line, and no line may say BAD.
This checks the scripts and the binary; the guest runs them for real
(suite abi, compared with QEMU).

usage: host_scripts.py DEFAULT_TREE SCRIPTS_ROOT NAME..."""
import os, shutil, subprocess, sys, tempfile

sys.dont_write_bytecode = True     # no __pycache__ in the source tree
TIMEOUT_SCALE = float(os.environ.get('VMSCOPE_TIMEOUT_SCALE', '1'))

def main():
    tree, scripts, names = sys.argv[1], sys.argv[2], sys.argv[3:]
    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        root = os.path.join(tmp, 'root')
        shutil.copytree(tree, root, symlinks=True)
        shutil.copytree(scripts, root, symlinks=True, dirs_exist_ok=True)
        os.makedirs(os.path.join(root, 'dev'), exist_ok=True)
        for name, minor in (('null', 3), ('zero', 5)):
            os.mknod(os.path.join(root, 'dev', name), 0o666 | 0o020000, os.makedev(1, minor))
        for n in names:
            p = subprocess.run(['chroot', root, '/bin/busybox', 'sh', '/scripts/%s.sh' % n],
                               stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               timeout=120 * TIMEOUT_SCALE, env={'PATH': '/bin:/sbin'})
            out = p.stdout.decode('latin-1')
            ok = p.returncode == 0 and '%s: end' % n in out and 'BAD' not in out
            print('%s %s: status %d' % ('ok  ' if ok else 'FAIL', n, p.returncode))
            for line in out.splitlines():
                print('    ' + line)
            if not ok:
                failures.append(n)
    print('%d failed' % len(failures) if failures else 'all passed')
    return 1 if failures else 0

if __name__ == '__main__':
    sys.exit(main())
