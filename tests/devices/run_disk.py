#!/usr/bin/env python3
"""What `vmscope run` attaches (DESIGN.md, "The disk"):
  - no KERNEL: the built disk, read-only under an overlay (--disk-snapshot
    implied); a plain `vmscope run` passes every guest test (exit status 1)
    and leaves the built disk byte-identical;
  - no KERNEL, --disk FILE: FILE written through (open read-write, no
    overlay), or under an overlay with --disk-snapshot;
  - a KERNEL: no disk unless --disk, and then written through.

usage: run_disk.py VMSCOPE BUILT_DISK KERNEL"""
import os, shutil, subprocess, sys, tempfile

sys.dont_write_bytecode = True     # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
import disklib as dl

# Slow builds (ASan) stretch every timeout: scripts/test sets VMSCOPE_TIMEOUT_SCALE.
TIMEOUT_SCALE = float(os.environ.get('VMSCOPE_TIMEOUT_SCALE', '1'))

def main():
    vmscope, built, kernel = [os.path.abspath(a) for a in sys.argv[1:4]]
    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = os.path.join(tmp, 'tmpdir')
        os.makedirs(tmpdir)
        # A plain `vmscope run`.
        before = dl.digest(built)
        p = subprocess.run([vmscope, 'run'], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=600 * TIMEOUT_SCALE, env=dict(os.environ, TMPDIR=tmpdir))
        if p.returncode != 1:
            failures.append('vmscope run: exit %d, want 1\n%s' % (p.returncode, p.stdout.decode()[-1500:]))
        if dl.digest(built) != before:
            failures.append('vmscope run changed %s' % built)
        copy = os.path.join(tmp, 'copy.img')
        shutil.copyfile(built, copy)
        ro, rw = [os.O_RDONLY], [os.O_RDWR]
        cases = [
            # (what, arguments, the disk, its access modes, overlays)
            ('no KERNEL', [], built, ro, 1),
            ('no KERNEL, --disk', ['--disk', copy], copy, rw, 0),
            ('no KERNEL, --disk --disk-snapshot', ['--disk', copy, '--disk-snapshot'], copy, ro, 1),
            ('KERNEL', [kernel], built, [], 0),
            ('KERNEL, --disk', ['--disk', copy, kernel], copy, rw, 0),
            ('KERNEL, --disk --disk-snapshot', ['--disk', copy, '--disk-snapshot', kernel], copy, ro, 1),
        ]
        for what, args, disk, modes, n_overlays in cases:
            files, names = dl.disk_files(vmscope, args, tmpdir)
            got = dl.image_flags(files, disk)
            ov = dl.overlays(files, tmpdir)
            other = dl.image_flags(files, copy if disk == built else built)
            if got != modes or other:
                failures.append('%s: %s open %s, want %s (and the other image %s)' %
                                (what, disk, got, modes, other))
            if len(ov) != n_overlays or not all(o.endswith('(deleted)') for o in ov) or names:
                failures.append('%s: overlays %s (want %d, deleted), %s listed in TMPDIR' %
                                (what, ov, n_overlays, names))
        if dl.digest(built) != before:
            failures.append('%s changed' % built)
    return dl.report(failures, 'vmscope run attaches what it promises; the built disk never changed')

if __name__ == '__main__':
    sys.exit(main())
