#!/usr/bin/env python3
"""--disk-snapshot with the device test guest:
  - the full device test (a pattern written with every transfer command and
    read back within the run) passes and prints the same console as a
    written-through run, yet the image's bytes and mtime are unchanged;
  - what a snapshot run writes (mode=write) is gone for the next run
    (mode=verify finds a blank disk);
  - while a run is on, the image is open read-only, and the overlay is a
    deleted file in $TMPDIR that no directory lists.

usage: disk_snapshot.py --vmscope BIN --kernel DEVICES_ELF"""
import argparse, os, shutil, sys, tempfile

sys.dont_write_bytecode = True     # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
import disklib as dl

SECTORS = 2048
INPUT = '##hello world\nsecond line\nend\n'

def run(cmd, env):
    return dl.run(cmd, input=INPUT.encode(), env=env)

def check_running(vmscope, kernel, img, tmpdir):
    """Problems seen in /proc while a snapshot run waits for GDB."""
    files, names = dl.disk_files(vmscope, ['--disk', img, '--disk-snapshot', kernel], tmpdir)
    problems = []
    if dl.image_flags(files, img) != [os.O_RDONLY]:
        problems.append('the image is not open read-only, once: %s' % files)
    ov = dl.overlays(files, tmpdir)
    if len(ov) != 1 or not ov[0].endswith('(deleted)'):
        problems.append('no deleted overlay in %s: %s' % (tmpdir, files))
    if names:
        problems.append('%s lists %s during the run' % (tmpdir, names))
    return problems

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--vmscope', required=True)
    ap.add_argument('--kernel', required=True)
    a = ap.parse_args()
    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = os.path.join(tmp, 'tmpdir')
        os.makedirs(tmpdir)
        env = dict(os.environ, TMPDIR=tmpdir)
        img, through = os.path.join(tmp, 'disk.img'), os.path.join(tmp, 'through.img')
        with open(img, 'wb') as f:
            f.truncate(SECTORS * 512)
        shutil.copyfile(img, through)
        before, mtime = dl.digest(img), os.stat(img).st_mtime_ns
        base = [a.vmscope, 'run', '--quiet', '--mem', '16M']
        rs, snap_out, err = run(base + ['--disk', img, '--disk-snapshot', a.kernel], env)
        if rs != 1:
            failures.append('snapshot run: exit %s\n%s' % (rs, (snap_out + err)[-2000:]))
        rt, through_out, err = run(base + ['--disk', through, a.kernel], env)
        if rt != 1:
            failures.append('written-through run: exit %s\n%s' % (rt, err[-1000:]))
        if snap_out != through_out:
            failures.append('the snapshot run printed other lines than the written-through run')
        if dl.digest(through) == before:
            failures.append('the written-through run left its image blank (the guest wrote nothing?)')
        rw, out, err = run(base + ['--disk', img, '--disk-snapshot', '--cmdline', 'mode=write seed=7', a.kernel], env)
        rv, vout, err = run(base + ['--disk', img, '--disk-snapshot', '--cmdline', 'mode=verify seed=7', a.kernel], env)
        if rw != 1 or rv == 1:
            failures.append('mode=write then mode=verify under --disk-snapshot: exit %s then %s, want 1 then '
                            'a failure (the writes are dropped)' % (rw, rv))
        if dl.digest(img) != before or os.stat(img).st_mtime_ns != mtime:
            failures.append('the image changed under --disk-snapshot')
        if os.listdir(tmpdir):
            failures.append('left in TMPDIR: %s' % os.listdir(tmpdir))
        failures += check_running(a.vmscope, a.kernel, img, tmpdir)
    return dl.report(failures, '--disk-snapshot: writes read back in the run, dropped after it; '
                               'the image never changed')

if __name__ == '__main__':
    sys.exit(main())
