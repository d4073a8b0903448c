#!/usr/bin/env python3
"""Stage the default tree: the directory whose contents `vmscope mkdisk`
puts in the root file system of build/guest/disk.img (unless
--no-defaults). vmscope knows its path (VMSCOPE_DEFAULT_TREE, the build
tree's guest/rootfs).

usage: mkrootfs.py -o DIR [--strip] [--dir PATH[:MODE]]... [--dest PATH]... [-- FILE...]
DIR is made afresh (removed first), holding each FILE at the PATH of the
same rank (a path inside the tree, such as bin/hello; directories are
made as needed); --strip copies ELF files without symbols and debug
information (objcopy --strip-all), as the initrd has them. Owners, times and modes do not matter here: vmscope
mkdisk gives every file owner 0:0 and a fixed time, and keeps only the
permission bits (FILE's are copied). --dir makes an empty directory (the
mount points /dev and /proc, /tmp with mode 1777), MODE in octal."""
import argparse, os, shutil, subprocess, sys

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('-o', required=True)
    ap.add_argument('--dest', action='append', default=[])
    ap.add_argument('--strip', action='store_true')
    ap.add_argument('--dir', action='append', default=[])
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
    return 0

if __name__ == '__main__':
    sys.exit(main())
