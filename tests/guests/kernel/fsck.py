#!/usr/bin/env python3
"""The guest kernel's ext2, checked from the host: boot it on a writable copy
of the built disk (written through, not a snapshot), then

  - `e2fsck -fn` on the ext2 partition exits 0 and prints no "Fix?" (it
    exits 0 even when a free count is wrong, so the status alone proves
    nothing);
  - `debugfs -R 'cat /keep/data'` reads back the file the `files` program
    wrote, with the CRC-32 the program printed on the console;
  - the super block says the volume was left clean (the kernel synced and
    unmounted it before it ended the machine).

usage: fsck.py VMSCOPE KERNEL INITRD DISK MEM CMDLINE"""
import os, re, shutil, subprocess, sys, tempfile, zlib

# Slow builds (ASan) stretch every timeout: scripts/test sets VMSCOPE_TIMEOUT_SCALE.
TIMEOUT_SCALE = float(os.environ.get('VMSCOPE_TIMEOUT_SCALE', '1'))

PART2 = (2048 + 262144) * 512       # DESIGN.md's recipe: ext2 after the 128 MiB swap


def main():
    vmscope, kernel, initrd, disk, mem, cmdline = sys.argv[1:7]
    for tool in ('e2fsck', 'debugfs', 'dumpe2fs'):
        if not shutil.which(tool):
            print('FAIL: %s is missing (bash scripts/setup installs e2fsprogs)' % tool)
            return 1
    fails = []
    with tempfile.TemporaryDirectory() as tmp:
        img = os.path.join(tmp, 'disk.img')
        shutil.copyfile(disk, img)
        p = subprocess.run([vmscope, 'run', '--quiet', '--mem', mem, '--disk', img, '--module', initrd,
                            '--cmdline', cmdline, kernel],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=1800 * TIMEOUT_SCALE)
        if p.returncode != 1:
            print('FAIL: vmscope exit status %d (want 1)\n%s\n%s' % (p.returncode, p.stdout[-3000:], p.stderr[-1500:]))
            return 1
        fs = '%s?offset=%d' % (img, PART2)
        fsck = subprocess.run(['e2fsck', '-fn', fs], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if fsck.returncode != 0 or 'Fix?' in fsck.stdout or 'was not cleanly unmounted' in fsck.stdout:
            fails.append('e2fsck -fn: status %d\n%s' % (fsck.returncode, fsck.stdout[-3000:]))
        state = subprocess.run(['dumpe2fs', '-h', fs], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                               text=True).stdout
        if not re.search(r'^Filesystem state:\s+clean$', state, re.M):
            fails.append('the volume was not left clean: %s' %
                         (re.findall(r'^Filesystem state:.*$', state, re.M) or ['no state line']))
        m = re.search(r'^files: /keep/data (\d+) bytes crc32 ([0-9a-f]{8})$', p.stdout, re.M)
        if not m:
            fails.append('the files program printed no /keep/data line')
        else:
            data = subprocess.run(['debugfs', '-R', 'cat /keep/data', fs], stdout=subprocess.PIPE,
                                  stderr=subprocess.DEVNULL).stdout
            crc = '%08x' % zlib.crc32(data)
            if len(data) != int(m.group(1)) or crc != m.group(2):
                fails.append('/keep/data read back by debugfs: %d bytes crc32 %s; the guest wrote %s bytes crc32 %s'
                             % (len(data), crc, m.group(1), m.group(2)))
    for f in fails:
        print('FAIL: ' + f)
    if not fails:
        print('%s at %s: e2fsck -fn clean, the volume left clean, /keep/data read back by debugfs (crc32 %s)'
              % (cmdline, mem, m.group(2)))
    return 1 if fails else 0


if __name__ == '__main__':
    sys.exit(main())
