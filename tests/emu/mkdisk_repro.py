#!/usr/bin/env python3
"""`vmscope mkdisk` is byte-reproducible:
  1. the same --from tree, copied to two places with different times,
     owners, creation order and group/other write bits, gives the same
     image from different working directories, TMPDIRs, umasks and
     seconds (so no host time, ctime included, leaks in);
  2. the build's guest/disk.img is what its own command gives in another
     directory: the exact command line of the custom_target (from
     `ninja -t commands`), run from a second "build directory" with another
     TMPDIR, makes the same bytes. (Two whole clean builds are too slow for
     a test; the image depends on nothing else but the vmscope binary and
     the default tree, which (1) shows is copied by content alone.)

usage: mkdisk_repro.py VMSCOPE BUILD_ROOT"""
import os, shlex, shutil, subprocess, sys, tempfile, time

sys.dont_write_bytecode = True     # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
import disklib as dl

# Slow builds (ASan) stretch every timeout: scripts/test sets VMSCOPE_TIMEOUT_SCALE.
TIMEOUT_SCALE = float(os.environ.get('VMSCOPE_TIMEOUT_SCALE', '1'))

TREE = {    # path: (contents, mode)
    'bin/prog': ('#!/bin/sh\necho prog\n', 0o755),
    'etc/motd': ('hello\n', 0o644),
    'etc/private': ('secret\n', 0o600),
    'home/user/notes.txt': ('x' * 5000, 0o644),
    'var/empty/.keep': ('', 0o644),
    'big': ('0123456789abcdef' * 8192, 0o644),
}

def make_tree(root, order, group_write, owner, mtime):
    """TREE under ROOT, made in ORDER (1 or -1), with group write added
    where the mode has owner write when GROUP_WRITE, owned by OWNER, every
    time MTIME."""
    for path in sorted(TREE, reverse=order < 0):
        data, mode = TREE[path]
        full = os.path.join(root, path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, 'w') as f:
            f.write(data)
        os.chmod(full, mode | (0o020 if group_write and mode & 0o200 else 0))
    os.symlink('../etc/motd', os.path.join(root, 'bin', 'motd'))
    for d, dirs, files in os.walk(root):
        for n in dirs + files:
            p = os.path.join(d, n)
            os.lchown(p, owner, owner)
            if not os.path.islink(p):
                if group_write and os.path.isdir(p):
                    os.chmod(p, 0o775)
                os.utime(p, (mtime, mtime))

def build_command(build_root):
    """The custom_target's command line for guest/disk.img, as ninja runs it
    (from BUILD_ROOT)."""
    p = subprocess.run(['ninja', '-C', build_root, '-t', 'commands', 'guest/disk.img'],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60 * TIMEOUT_SCALE)
    lines = [l for l in p.stdout.decode().splitlines() if ' mkdisk ' in l]
    if p.returncode or not lines:
        return None
    return shlex.split(lines[-1])

def main():
    vmscope, build_root = [os.path.abspath(a) for a in sys.argv[1:3]]
    failures = []
    shm = '/dev/shm' if os.access('/dev/shm', os.W_OK) else None
    with tempfile.TemporaryDirectory() as tmp, tempfile.TemporaryDirectory(dir=shm) as tmp2:
        # 1. One tree, two copies, two runs.
        images = []
        for i, (base, order, gw, owner, mtime, umask) in enumerate(
                [(tmp, 1, False, 0, 1500000000, 0o022), (tmp2, -1, True, 1000, 1700000000, 0o002)]):
            tree = os.path.join(base, 'tree%d' % i)
            cwd = os.path.join(base, 'cwd%d' % i)
            tdir = os.path.join(base, 'tmpdir%d' % i)
            for d in (tree, cwd, tdir):
                os.makedirs(d)
            make_tree(tree, order, gw, owner, mtime)
            img = os.path.join(base, 'repro%d.img' % i)
            old = os.umask(umask)
            rc, out, err = dl.mkdisk(vmscope, img, '--from', tree, '--size', '64M', '--swap', '16M',
                                     cwd=cwd, env=dl.tool_env({'TMPDIR': tdir}))
            os.umask(old)
            if rc:
                failures.append('run %d: exit %d: %s' % (i, rc, err.strip()))
            images.append(img)
            time.sleep(1.1)         # the second run in another second
        if not failures and dl.digest(images[0]) != dl.digest(images[1]):
            failures.append('the same tree from two places gave two different images')
        # 2. The build's command from a second directory.
        built = os.path.join(build_root, 'guest', 'disk.img')
        cmd = build_command(build_root)
        if not cmd:
            failures.append('no mkdisk command for guest/disk.img in %s/build.ninja' % build_root)
        elif not os.path.exists(built):
            failures.append('%s was not built' % built)
        else:
            second = os.path.join(tmp2, 'second-build')
            tdir = os.path.join(tmp, 'tmpdir-second')
            os.makedirs(os.path.join(second, 'guest'))
            os.makedirs(tdir)
            p = subprocess.run(cmd, cwd=second, env=dl.tool_env({'TMPDIR': tdir}),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120 * TIMEOUT_SCALE)
            again = os.path.join(second, 'guest', 'disk.img')
            if p.returncode or not os.path.exists(again):
                failures.append('%s in %s: exit %d: %s' % (' '.join(cmd), second, p.returncode,
                                                           p.stderr.decode().strip()))
            elif dl.digest(again) != dl.digest(built):
                failures.append('%s differs from the same command run in %s' % (built, second))
    return dl.report(failures, 'mkdisk is reproducible: one tree from two places, and the build\'s '
                               'disk.img from another directory')

if __name__ == '__main__':
    sys.exit(main())
