#!/usr/bin/env python3
"""Make the guest's initrd: a cpio archive in the "newc" format (as Linux's
initramfs) holding the user programs, read by guest/fs/initrd.c.

usage: mkinitrd.py -o OUT FILE...
Each FILE goes in the archive root under its base name without ".elf",
stripped of symbols and debug information.
Fields that could vary between builds (mtime, uid, inode) are fixed, so the
archive is reproducible."""
import argparse, os, subprocess, sys, tempfile

def entry(name, data, ino, mode):
    namesize = len(name) + 1
    fields = [ino, mode, 0, 0, 1, 0, len(data), 0, 0, 0, 0, namesize, 0]
    hdr = b'070701' + b''.join(b'%08X' % f for f in fields)
    out = hdr + name.encode() + b'\0'
    out += b'\0' * (-len(out) % 4)
    out += data
    out += b'\0' * (-len(out) % 4)
    return out

def stripped(path):
    """The program without debug sections (the build keeps the full ELF for
    GDB); falls back to the file as is when objcopy is missing."""
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, 'prog')
        try:
            subprocess.run(['objcopy', '--strip-all', path, out], check=True)
            path = out
        except (OSError, subprocess.CalledProcessError):
            pass
        with open(path, 'rb') as f:
            return f.read()

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('-o', required=True)
    ap.add_argument('files', nargs='+')
    a = ap.parse_args()
    blob, seen = b'', set()
    for i, path in enumerate(a.files):
        name = os.path.basename(path)
        if name.endswith('.elf'):
            name = name[:-4]
        if name in seen or len(name) >= 32:
            sys.exit('mkinitrd: duplicate or too long name: %s' % name)
        seen.add(name)
        blob += entry(name, stripped(path), i + 1, 0o100755)
    blob += entry('TRAILER!!!', b'', 0, 0)
    blob += b'\0' * (-len(blob) % 512)
    with open(a.o, 'wb') as f:
        f.write(blob)

if __name__ == '__main__':
    main()
