#!/usr/bin/env python3
"""A hostile or unusual swap partition must never crash the guest kernel:
it uses a valid SWAPSPACE2 header as the header says (size, bad pages), and
refuses any other with one console line, then runs without swap. Each case
patches a copy of the build's disk image and boots run=hello under vmscope
and the reference QEMU command (tests/compare.py: same console, same exit
status), requiring the kernel's line for the case. A last case swaps with
two slots marked bad and checks, in the trace, that no page went to them.

usage: swapheader.py COMPARE VMSCOPE VMTRACE KERNEL INITRD DISK"""
import os, re, shutil, struct, subprocess, sys, tempfile

# Slow builds (ASan) stretch every timeout: scripts/test sets VMSCOPE_TIMEOUT_SCALE.
TIMEOUT_SCALE = float(os.environ.get('VMSCOPE_TIMEOUT_SCALE', '1'))

PART1 = 2048 * 512          # the swap partition (DESIGN.md's recipe: at 1 MiB)
INFO = PART1 + 1024         # union swap_header's info: version, last_page, nr_badpages
MAGIC = PART1 + 4096 - 10
MBR_TYPE1 = 446 + 4         # partition 1's type byte


def patch(path, offset, data):
    with open(path, 'r+b') as f:
        f.seek(offset)
        f.write(data)


def read_u32(path, offset):
    with open(path, 'rb') as f:
        f.seek(offset)
        return struct.unpack('<I', f.read(4))[0]


def main():
    compare, vmscope, vmtrace, kernel, initrd, disk = sys.argv[1:7]
    last = read_u32(disk, INFO + 4)
    kib = lambda pages: 'Adding Swap: %dk swap-space (priority -1)' % (pages * 4)
    cases = [
        ('valid header', [], kib(last)),
        ('no signature', [(MAGIC, b'\0' * 10)], 'Unable to find swap-space signature on hda1'),
        ('version 2', [(INFO, struct.pack('<I', 2))], 'Unable to handle swap header version 2 on hda1'),
        ('last page past the partition', [(INFO + 4, struct.pack('<I', last + 1))],
         'Swap area shorter than signature indicates on hda1 (last page %d, %d pages)' % (last + 1, last + 1)),
        ('too many bad pages', [(INFO + 8, struct.pack('<I', 1000))],
         'Swap header of hda1 lists 1000 bad pages (at most 637)'),
        ('bad page out of range', [(INFO + 8, struct.pack('<I', 1)), (INFO + 512, struct.pack('<I', last + 5))],
         'Swap header of hda1 lists bad page %d out of range' % (last + 5)),
        ('a smaller area', [(INFO + 4, struct.pack('<I', 1000))], kib(1000)),
        ('two bad pages', [(INFO + 8, struct.pack('<I', 2)), (INFO + 512, struct.pack('<II', 5, 6))],
         kib(last - 2)),
        ('no swap partition (type 0x83)', [(MBR_TYPE1, b'\x83')], 'Partition check:'),
        ('no partition table', [(510, b'\0\0')], ' hda: unknown partition table'),
    ]
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for name, patches, want in cases:
            img = os.path.join(tmp, 'case.img')
            shutil.copyfile(disk, img)
            for off, data in patches:
                patch(img, off, data)
            p = subprocess.run([sys.executable, compare, '--vmscope', vmscope, '--kernel', kernel,
                                '--module', initrd, '--append', 'run=hello', '--disk', img, '--snapshot',
                                '--expect-status', '1', '--expect-line', want],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=300 * TIMEOUT_SCALE)
            print('%s %s' % ('ok  ' if p.returncode == 0 else 'FAIL', name))
            if p.returncode:
                print(p.stdout[-2000:])
                failed += 1
        # the bad slots stay unused while pages go to swap
        img = os.path.join(tmp, 'bad.img')
        shutil.copyfile(disk, img)
        patch(img, INFO + 8, struct.pack('<I', 2))
        patch(img, INFO + 512, struct.pack('<II', 5, 6))
        trace = os.path.join(tmp, 'bad.vmt')
        p = subprocess.run([vmscope, 'run', '--quiet', '--mem', '6M', '--disk', img, '--module', initrd,
                            '--cmdline', 'run=swap-linear', '--trace', trace, kernel],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=600 * TIMEOUT_SCALE)
        d = subprocess.run([vmtrace, 'dump', trace, '--kind', 'annot'], stdout=subprocess.PIPE, text=True)
        slots = [int(m.group(1)) for m in re.finditer(r' annot evict .* slot=(\d+)', d.stdout)]
        bad = [s for s in slots if s in (5, 6)]
        if p.returncode != 1 or not slots or bad or min(slots) > 7:
            print('FAIL bad slots: status %d, %d evictions, %d to slots 5 and 6, lowest slot %s'
                  % (p.returncode, len(slots), len(bad), min(slots) if slots else None))
            failed += 1
        else:
            print('ok   bad slots: %d pages went to swap, none to slots 5 and 6 (lowest slot %d)'
                  % (len(slots), min(slots)))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
