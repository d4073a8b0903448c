#!/usr/bin/env python3
"""Write the hand-made seed inputs of the fuzz targets into
tests/fuzz/corpus/NAME/seed-* (deterministic: the same files every time).
The campaigns (scripts/fuzz-campaign) grow the corpora from these and merge
what they find back into the same folders.

usage: make_seeds.py [CORPUS_DIR]"""
import os, random, struct, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
# trace/annot.h ANNOT_SIZES, kind 0 first (tests/fuzz/annot_fuzz.c checks
# records against the real table; a stale list here only weakens seeds)
ANNOT_SIZES = [0, 28, 24, 12, 12, 16, 20, 24, 20, 16, 20, 20, 20, 8, 12, 16, 24, 16, 16, 12, 16, 12, 20,
               16, 20, 24, 24, 12, 20, 16]

def write(corpus, name, files):
    d = os.path.join(corpus, name)
    os.makedirs(d, exist_ok=True)
    for fname, data in files.items():
        with open(os.path.join(d, 'seed-' + fname), 'wb') as f:
            f.write(data)

def gdb():
    pkts = {
        'query': b'?\nqSupported:multiprocess+;swbreak+;hwbreak+\nqAttached\nqfThreadInfo\nqsThreadInfo\n'
                 b'qXfer:features:read:target.xml:0,fff\nqC\nHg0\nHc-1',
        'regs': b'g\np8\np20\np23\nP0=78563412\nP8=00001000\nP22=0102030405060708090a\npffff\nP100=00',
        'gwrite': b'G' + b'00' * 200,
        'mem': b'm100000,40\nM100000,4:deadbeef\nm100000,4\nmffffffff,10\nm0,0\nM0,2:zz\nm100000,ffffffff',
        'bp': b'Z0,100010,1\nZ1,100020,1\nZ2,200000,4\nZ3,200004,2\nZ4,200008,1\nz0,100010,1\nz2,200000,4\n'
              b'Z2,0,0\nZ9,1,1',
        'monitor': b'qRcmd,72656773\nqRcmd,706167657461626c6573\nqRcmd,746c62\nqRcmd,zz',
        'run': b'vCont?\nvCont;c\nvCont;s:1\nc\ns\nc100000\nD\nk',
        'bad': b'\x00\x03$#\nm\nM\nZ\nP\np\nq\nv\nH\nT1\nX100000,4:abcd',
    }
    return pkts

def annot():
    out = {}
    for kind, size in enumerate(ANNOT_SIZES):
        if not size:
            continue
        rec = struct.pack('<HHI', kind, size, 3) + bytes((kind * 7 + i) & 0xFF for i in range(size - 8))
        # address 0x1000 (mode bits 0: raw) with a 32-bit OUT
        out['kind%02d' % kind] = struct.pack('<IB', 0x10000, 2) + rec
    rec = struct.pack('<HHI', 7, 24, 3) + bytes(16)
    out['end-of-ram'] = struct.pack('<IB', (10 << 2) | 1, 2) + rec        # 10 bytes before the end
    out['lying-size'] = struct.pack('<IB', 0x2000, 2) + struct.pack('<HHI', 7, 64, 3) + bytes(56)
    out['narrow-out'] = struct.pack('<IB', 0x2000, 0) + rec
    out['outside'] = struct.pack('<IB', 0xFFFFFFF0, 2) + rec
    return out

def cpu():
    progs = {
        # ring 0, no paging: mov eax,cr0; or eax,0x80000000; mov cr0,eax (paging on with CR3=0)
        'pg-on': bytes([0]) + bytes.fromhex('0f20c00d000000800f22c0f4'),
        # ring 3 privileged instructions: cli, hlt, mov cr3, in, out
        'ring3-priv': bytes([3]) + bytes.fromhex('faf40f22d8e460e660cd80f4'),
        # lgdt/lidt with limit 0 then a fault
        'lidt0': bytes([0]) + bytes.fromhex('c705000800000000000000') + bytes.fromhex('0f011d00080000') +
                 bytes.fromhex('0f0b'),
        # far jump/call through the random GDT entries
        'far': bytes([4]) + bytes(range(64)) + bytes.fromhex('ea00000000330066ea0000000038009a000000004000'),
        # random page tables: PDE pointing at itself, PTE outside RAM, then touch pages
        'paging': bytes([0x42]) + struct.pack('<II', 1, 0x5000 | 7) + struct.pack('<II', 0x80000001, 0xFFFFF007)
                  + struct.pack('<II', 3, 0xFFC000E7) + struct.pack('<II', 0x80000090, 0x00090003)
                  + bytes(32) + bytes.fromhex('a100104000a100f0ffffa10000c000c7050000000001000000f4'),
        # stack on a missing page: #PF storm into #DF and triple fault
        'df': bytes([0x42]) + struct.pack('<II', 0x80000090, 0) + struct.pack('<II', 0x8000008F, 0) + bytes(48)
              + bytes.fromhex('a100000040f4'),
        # random gates for #UD #DF #GP #PF, and an IDT limit of 0
        'gates': bytes([0x80]) + bytes(range(0x80, 0xA0)) + bytes.fromhex('ffff0000') + bytes.fromhex('0f0bf4'),
        # random page tables, gates and limits at ring 3
        'all': bytes([0xC7]) + bytes(range(64)) + bytes(range(64, 128)) + bytes(range(128, 164))
               + bytes.fromhex('cd80f4'),
        # rep movs over everything
        'rep': bytes([2]) + bytes.fromhex('b9ffff0000be00000000bf00000100f3a5f4'),
    }
    rnd = random.Random(21)
    for i in range(24):
        mode = rnd.randrange(256) & ~8     # (bit 3 is x87 mode: its recipes have seeds of their own)
        progs['random%02d' % i] = bytes([mode]) + bytes(rnd.randrange(256) for _ in range(rnd.randrange(16, 400)))
    return progs

def loader():
    mkelf = os.path.join(ROOT, 'tests', 'emu', 'mkelf.py')
    variants = {
        'good': [], 'bss': ['--bss', '0x3000'], 'high': ['--paddr', '0x3f0000'],
        'vaddr': ['--vaddr', '0xc0100000'], 'no-mb': ['--no-mb'], 'class64': ['--class64'],
        'outside': ['--paddr', '0xfffff000'], 'aout-flag': ['--flags', '0x10003'],
        'entry-out': ['--entry', '0x12345678'], 'big-bss': ['--bss', '0x7fffffff'],
    }
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, args in variants.items():
            p = os.path.join(tmp, name)
            subprocess.run([sys.executable, mkelf, p, '--code', 'f4'] + args, check=True)
            out[name] = open(p, 'rb').read()
    return out

def vmtrace():
    out = {}
    tc = os.path.join(ROOT, 'tests', 'trace', 'corpus')
    for f in sorted(os.listdir(tc)):
        out['raw-' + f] = b'\x00' + open(os.path.join(tc, f), 'rb').read()
    rnd = random.Random(7)
    for i in range(12):
        out['synth%02d' % i] = bytes([1 + 2 * rnd.randrange(128)]) + bytes(rnd.randrange(256) for _ in range(rnd.randrange(64, 2000)))
    # a Belady-like string of user pages
    s = bytearray([1, 0, 1, 0])
    for p in [1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5]:
        s += bytes([0x00, 0x10, 0x08, p, 0x10, 0x01, 0x01])
    out['belady'] = bytes(s)
    return out

def guest_elf():
    mkelf = os.path.join(ROOT, 'tests', 'emu', 'mkelf.py')
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, args in {'exec': ['--vaddr', '0x08048054', '--paddr', '0x08048054'],
                           'bss': ['--vaddr', '0x08048054', '--paddr', '0x08048054', '--bss', '0x2000'],
                           'kernel-half': ['--vaddr', '0xbffff054', '--paddr', '0x100000', '--bss', '0x3000'],
                           'misaligned': ['--vaddr', '0x08048000']}.items():
            p = os.path.join(tmp, name)
            subprocess.run([sys.executable, mkelf, p, '--code', 'cd80'] + args, check=True)
            out[name] = open(p, 'rb').read()
    # two PT_LOADs (text, data) the way a static program has them
    eh = b'\x7fELF' + bytes([1, 1, 1]) + bytes(9) + struct.pack('<HHIIIIIHHHHHH', 2, 3, 1, 0x08048074, 52, 0, 0,
                                                               52, 32, 2, 40, 0, 0)
    ph1 = struct.pack('<IIIIIIII', 1, 0, 0x08048000, 0x08048000, 0x200, 0x200, 5, 0x1000)
    ph2 = struct.pack('<IIIIIIII', 1, 0x200, 0x08049200, 0x08049200, 0x40, 0x1000, 6, 0x1000)
    out['two-loads'] = (eh + ph1 + ph2).ljust(0x240, b'\x90')
    return out

def guest_swap():
    out = {}
    def hdr(part, flags, version, last, nbad, bad=()):
        info = struct.pack('<III', version, last, nbad) + bytes(32) + bytes(117 * 4)
        info += b''.join(struct.pack('<I', b) for b in bad)
        return struct.pack('<IB', part, flags) + info
    out['good'] = hdr(32768, 1, 1, 32767, 0)
    out['bad-pages'] = hdr(1000, 1, 1, 999, 3, (5, 6, 998))
    out['bad-out'] = hdr(1000, 1, 1, 999, 2, (5, 1000))
    out['too-long'] = hdr(1000, 1, 1, 1000, 0)
    out['version2'] = hdr(1000, 1, 2, 999, 0)
    out['no-magic'] = hdr(1000, 0, 1, 999, 0)
    out['many-bad'] = hdr(100000, 1, 1, 99999, 637, tuple(range(1, 638)))
    return out

def guest_ext2():
    def patch(off, data):
        return struct.pack('<HB', off, len(data)) + data
    sb = 1024
    return {
        'valid': b'',
        'magic': patch(sb + 56, b'\x00\x00'),
        'revision': patch(sb + 76, struct.pack('<I', 2)),
        'features': patch(sb + 96, struct.pack('<I', 0x10)),
        'blocksize': patch(sb + 24, struct.pack('<I', 1)),
        'inode-size': patch(sb + 88, struct.pack('<H', 256)),
        'counts': patch(sb + 4, struct.pack('<I', 100000)),
        'groups': patch(sb + 32, struct.pack('<I', 16)) + patch(sb + 0, struct.pack('<I', 64)),
        'gd-table': patch(2048 + 8, struct.pack('<I', 63)),
        'root-file': patch(5 * 1024 + 128, struct.pack('<H', 0x81A4)),
        'root-blocks': patch(5 * 1024 + 128 + 40, struct.pack('<IIII', 8, 63, 64, 0xFFFFFFFF)),
        'dir-entries': patch(8 * 1024 + 28, struct.pack('<H', 976)) + patch(8 * 1024 + 1000, struct.pack('<IHBB', 12, 20, 4, 1) + b'tail'),
        'dir-names': patch(8 * 1024 + 30, b'\xff'),
    }

def main():
    corpus = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, 'corpus')
    write(corpus, 'emu-gdb-fuzz', gdb())
    write(corpus, 'annot_fuzz', annot())
    write(corpus, 'cpu_fuzz', cpu())
    write(corpus, 'emu-loader-fuzz', loader())
    write(corpus, 'vmtrace_fuzz', vmtrace())
    write(corpus, 'guest_elf_fuzz', guest_elf())
    write(corpus, 'guest_swap_fuzz', guest_swap())
    write(corpus, 'guest_ext2_fuzz', guest_ext2())
    return 0

if __name__ == '__main__':
    sys.exit(main())
