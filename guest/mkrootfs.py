#!/usr/bin/env python3
"""Stage the default tree: the directory whose contents `vmscope mkdisk`
puts in the root file system of build/guest/disk.img (unless
--no-defaults). vmscope knows its path (VMSCOPE_DEFAULT_TREE, the build
tree's guest/rootfs).

usage: mkrootfs.py -o DIR [--strip] [--dir PATH[:MODE]]... [--busybox BIN] [--dest PATH]...
                    [-- FILE...]
DIR is made afresh (removed first), holding each FILE at the PATH of the
same rank (a path inside the tree, such as bin/hello; directories are
made as needed); --strip copies ELF files without symbols and debug
information (objcopy --strip-all), as the initrd has them. Owners, times and modes do not matter here: vmscope
mkdisk gives every file owner 0:0 and a fixed time, and keeps only the
permission bits (FILE's are copied). --dir makes an empty directory (the
mount points /dev and /proc, /tmp with mode 1777), MODE in octal.

--busybox BIN adds Debian's busybox (an i386 static ELF that the host
runs) as /bin/busybox, copied as it is (Debian ships it stripped), and its
applet links as `busybox --install -s` makes them: symbolic links whose
target is /bin/busybox. `busybox --list-full` says where each applet
belongs: bin/ and usr/bin/ applets go in /bin, sbin/ and usr/sbin/ ones
in /sbin; /usr/bin and /usr/sbin are symbolic links to ../bin and ../sbin,
so every path busybox or a script (#!/usr/bin/env) names exists. init and
linuxrc are left out (/sbin/init is the test runner), and so is any name a
FILE already holds: the test programs keep their places."""
import argparse, os, shutil, subprocess, sys

BUSYBOX_SKIP = {'init', 'linuxrc', 'busybox'}
# Where an applet of each --list-full directory goes.
BUSYBOX_DIRS = {'bin': 'bin', 'usr/bin': 'bin', 'sbin': 'sbin', 'usr/sbin': 'sbin'}

def busybox_links(binary):
    """(directory, name) of every applet link, from `BINARY --list-full`."""
    p = subprocess.run([binary, '--list-full'], stdout=subprocess.PIPE, check=True)
    links = []
    for line in p.stdout.decode().split():
        where, _, name = line.rpartition('/')
        if name in BUSYBOX_SKIP:
            continue
        if where not in BUSYBOX_DIRS:
            sys.exit('mkrootfs.py: busybox applet %s: unknown directory' % line)
        links.append((BUSYBOX_DIRS[where], name))
    return sorted(set(links))

def add_busybox(root, binary):
    """/bin/busybox and its applet links under ROOT; existing names win."""
    for d in ('bin', 'sbin', 'usr'):
        os.makedirs(os.path.join(root, d), exist_ok=True)
    dest = os.path.join(root, 'bin', 'busybox')
    shutil.copyfile(binary, dest)
    os.chmod(dest, 0o755)
    for d in ('bin', 'sbin'):
        os.symlink('../' + d, os.path.join(root, 'usr', d))
    for d, name in busybox_links(binary):
        link = os.path.join(root, d, name)
        if not os.path.lexists(link):
            os.symlink('/bin/busybox', link)

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('-o', required=True)
    ap.add_argument('--dest', action='append', default=[])
    ap.add_argument('--strip', action='store_true')
    ap.add_argument('--dir', action='append', default=[])
    ap.add_argument('--busybox')
    ap.add_argument('files', nargs='*')
    a = ap.parse_args()
    if len(a.dest) != len(a.files):
        sys.exit('mkrootfs.py: %d --dest paths for %d files' % (len(a.dest), len(a.files)))
    if os.path.lexists(a.o):
        shutil.rmtree(a.o)
    os.mkdir(a.o)
    for d in a.dir:
        name, _, mode = d.partition(':')
        path = os.path.normpath(os.path.join(a.o, name))
        if os.path.isabs(name) or not path.startswith(os.path.normpath(a.o) + os.sep):
            sys.exit('mkrootfs.py: %s: not a path inside the tree' % name)
        os.makedirs(path, exist_ok=True)
        os.chmod(path, int(mode or '755', 8))
    for dest, src in zip(a.dest, a.files):
        path = os.path.normpath(os.path.join(a.o, dest))
        if os.path.isabs(dest) or not path.startswith(os.path.normpath(a.o) + os.sep):
            sys.exit('mkrootfs.py: %s: not a path inside the tree' % dest)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(src, 'rb') as f:
            elf = f.read(4) == b'\x7fELF'
        if a.strip and elf:
            subprocess.run(['objcopy', '--strip-all', src, path], check=True)
        else:
            shutil.copyfile(src, path)
        shutil.copymode(src, path)
    if a.busybox:
        add_busybox(a.o, a.busybox)
    return 0

if __name__ == '__main__':
    sys.exit(main())
