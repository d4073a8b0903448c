#!/usr/bin/env python3
"""What the built disks hold (read with debugfs, never mounted):
  - the default disk (build/guest/disk.img): /bin/busybox, Debian's binary
    byte for byte; every applet `busybox --list-full` names as a symbolic
    link to /bin/busybox in /bin (bin/, usr/bin/ applets) or /sbin (sbin/,
    usr/sbin/), as `busybox --install -s` makes them; /usr/bin and
    /usr/sbin linking to ../bin and ../sbin; init and linuxrc left out, so
    /sbin/init is still the test runner (a file) and /bin/hello a test
    program;
  - the abi disk: the same, plus each host-against-guest program in /abi.

usage: disk_contents.py DISK ABI_DISK BUSYBOX abi/NAME..."""
import os, subprocess, sys, tempfile

sys.dont_write_bytecode = True     # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
import disklib as dl

ROOT = (1 + 128) << 20      # partition 2's offset with mkdisk's defaults

def entries(image, directory):
    """{name: (type letter, link target or None)} of DIRECTORY: debugfs ls -l
    gives the mode (its first octal digits give the type)."""
    out = dl.debugfs(image, ROOT, 'ls -l "%s"' % directory)
    res = {}
    for line in out.splitlines():
        w = line.split()
        if len(w) < 9 or not w[1].isdigit():
            continue
        mode = int(w[1], 8)
        kind = {0o12: 'l', 0o10: 'f', 0o04: 'd'}.get(mode >> 12, '?')
        res[w[-1]] = kind
    return res

def link_target(image, path):
    out = dl.debugfs(image, ROOT, 'stat "%s"' % path)
    for line in out.splitlines():
        if 'Fast link dest:' in line:
            return line.split('Fast link dest:', 1)[1].strip().strip('"')
    return None

def main():
    disk, abi_disk, busybox = sys.argv[1:4]
    abi_paths = sys.argv[4:]
    failures = []
    def check(ok, what):
        print('%s %s' % ('ok  ' if ok else 'FAIL', what))
        if not ok:
            failures.append(what)
    applets = subprocess.run([busybox, '--list-full'], stdout=subprocess.PIPE, check=True).stdout.decode().split()
    want = {'bin': set(), 'sbin': set()}
    for a in applets:
        where, _, name = a.rpartition('/')
        if name in ('init', 'linuxrc', 'busybox'):
            continue
        want['sbin' if where.endswith('sbin') else 'bin'].add(name)
    for image in (disk, abi_disk):
        tag = os.path.basename(image)
        with tempfile.TemporaryDirectory() as tmp:
            copy = os.path.join(tmp, 'busybox')
            dl.debugfs(image, ROOT, 'dump /bin/busybox %s' % copy)
            same = os.path.exists(copy) and open(copy, 'rb').read() == open(busybox, 'rb').read()
        check(same, '%s: /bin/busybox is Debian\'s binary' % tag)
        for d in ('bin', 'sbin'):
            have = entries(image, '/' + d)
            missing = sorted(n for n in want[d] if have.get(n) != 'l')
            check(not missing, '%s: the %d applet links of /%s are there%s' %
                  (tag, len(want[d]), d, ': missing ' + ' '.join(missing[:10]) if missing else ''))
        for p in ('/bin/sh', '/bin/ls', '/sbin/swapon', '/bin/awk', '/bin/free'):
            check(link_target(image, p) == '/bin/busybox', '%s: %s -> /bin/busybox' % (tag, p))
        usr = entries(image, '/usr')
        check(usr.get('bin') == 'l' and link_target(image, '/usr/bin') == '../bin' and
              usr.get('sbin') == 'l' and link_target(image, '/usr/sbin') == '../sbin',
              '%s: /usr/bin -> ../bin, /usr/sbin -> ../sbin' % tag)
        sbin, bins = entries(image, '/sbin'), entries(image, '/bin')
        check(sbin.get('init') == 'f', '%s: /sbin/init is the test runner (a file)' % tag)
        check('linuxrc' not in sbin and 'linuxrc' not in bins and 'linuxrc' not in entries(image, '/'),
              '%s: no linuxrc' % tag)
        check(bins.get('hello') == 'f', '%s: /bin/hello is the test program' % tag)
    abi = entries(abi_disk, '/abi')
    missing = [p for p in abi_paths if abi.get(os.path.basename(p)) != 'f']
    check(not missing, 'abi disk: the programs are in /abi%s' % (': missing ' + ' '.join(missing) if missing else ''))
    print('%d failed' % len(failures) if failures else 'all passed')
    return 1 if failures else 0

if __name__ == '__main__':
    sys.exit(main())
