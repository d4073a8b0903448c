#!/usr/bin/env python3
"""The guest kernel mounts the disk's ext2 root only when it handles every
feature and field of the superblock: any other is refused with one console
line, and the kernel goes on with the initrd as its root (run=hello still
passes). Each case patches a copy of the build's disk image (or changes it
with debugfs, the real tool) and boots run=hello under vmscope and the
reference QEMU command (tests/compare.py: same console, same exit status),
requiring the kernel's line for the case.

usage: ext2mount.py COMPARE VMSCOPE KERNEL INITRD DISK"""
import os, shutil, struct, subprocess, sys, tempfile

# Slow builds (ASan) stretch every timeout: scripts/test sets VMSCOPE_TIMEOUT_SCALE.
TIMEOUT_SCALE = float(os.environ.get('VMSCOPE_TIMEOUT_SCALE', '1'))


def partition2(disk):
    """Byte offset and sectors of the MBR's second partition (the ext2 root)."""
    with open(disk, 'rb') as f:
        mbr = f.read(512)
    start, sectors = struct.unpack_from('<II', mbr, 446 + 16 + 8)
    return start * 512, sectors


def patch(path, offset, data):
    with open(path, 'r+b') as f:
        f.seek(offset)
        f.write(data)


def main():
    compare, vmscope, kernel, initrd, disk = sys.argv[1:6]
    part, sectors = partition2(disk)
    sb = part + 1024
    u32 = lambda v: struct.pack('<I', v)
    with open(disk, 'rb') as f:
        f.seek(sb + 92)
        compat, incompat, ro_compat = struct.unpack('<III', f.read(12))
        f.seek(sb + 4)
        blocks = struct.unpack('<I', f.read(4))[0]
        f.seek(sb + 32)
        per_group = struct.unpack('<I', f.read(4))[0]
    refused = 'couldn\'t mount because of unsupported optional features'
    cases = [
        ('valid', [], None, 'VFS: Mounted root (ext2 filesystem) on hda2.'),
        ('no magic', [(sb + 56, b'\0\0')], None, 'VFS: Can\'t find an ext2 filesystem on hda2 (magic 0000).'),
        ('revision 2', [(sb + 76, u32(2))], None, 'EXT2-fs: hda2: revision level too high (2)'),
        ('meta_bg (incompat 0x10)', [(sb + 96, u32(incompat | 0x10))], None,
         'EXT2-fs: hda2: %s (compat 0, incompat 10, ro_compat 0).' % refused),
        ('huge_file (ro_compat 0x8)', [(sb + 100, u32(ro_compat | 0x8))], None,
         'EXT2-fs: hda2: %s (compat 0, incompat 0, ro_compat 8).' % refused),
        ('dir_index set by debugfs (compat 0x20)', [], 'feature dir_index',
         'EXT2-fs: hda2: %s (compat 20, incompat 0, ro_compat 0).' % refused),
        ('4 KiB blocks', [(sb + 24, u32(2))], None, 'EXT2-fs: hda2: unsupported blocksize 4096 (only 1024)'),
        ('256-byte inodes', [(sb + 88, struct.pack('<H', 256))], None,
         'EXT2-fs: hda2: unsupported inode size 256 (only 128)'),
        ('more blocks than the partition', [(sb + 4, u32(blocks * 4))], None,
         'EXT2-fs: hda2: corrupt super block (%d blocks in %d sectors, %d per group)'
         % (blocks * 4, sectors, per_group)),
    ]
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for name, patches, debugfs, want in cases:
            img = os.path.join(tmp, 'case.img')
            shutil.copyfile(disk, img)
            for off, data in patches:
                patch(img, off, data)
            if debugfs:
                d = subprocess.run(['debugfs', '-w', '-R', debugfs, '%s?offset=%d' % (img, part)],
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                   timeout=60 * TIMEOUT_SCALE)
                if d.returncode:
                    print('FAIL %s: debugfs failed\n%s' % (name, d.stdout))
                    failed += 1
                    continue
            p = subprocess.run([sys.executable, compare, '--vmscope', vmscope, '--kernel', kernel,
                                '--module', initrd, '--append', 'run=hello', '--disk', img, '--snapshot',
                                '--expect-status', '1', '--expect-line', want,
                                '--expect-line', 'PASS hello'],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               timeout=300 * TIMEOUT_SCALE)
            print('%s %s' % ('ok  ' if p.returncode == 0 else 'FAIL', name))
            if p.returncode:
                print(p.stdout[-2000:])
                failed += 1
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
