#!/usr/bin/env python3
"""Make small Multiboot ELF32 images for loader tests (good and broken).

mkelf.py OUT [--paddr A] [--vaddr A] [--size N] [--bss N] [--entry A]
             [--no-mb] [--class64] [--flags F] [--code HEX]"""
import argparse, struct, sys

def build(a):
    code = bytes.fromhex(a.code)
    mb = struct.pack('<III', 0x1BADB002, a.flags, (-(0x1BADB002 + a.flags)) & 0xFFFFFFFF)
    mb = mb.ljust(32, b'\0')
    body = (b'' if a.no_mb else mb) + code
    body = body.ljust(a.size, b'\x90') if a.size else body
    ehsize, phsize = 52, 32
    off = ehsize + phsize
    vaddr = a.vaddr if a.vaddr is not None else a.paddr
    entry = a.entry if a.entry is not None else vaddr + (0 if a.no_mb else 32)
    ident = b'\x7fELF' + bytes([2 if a.class64 else 1, 1, 1]) + b'\0' * 9
    eh = ident + struct.pack('<HHIIIIIHHHHHH', 2, 3, 1, entry, ehsize, 0, 0, ehsize, phsize, 1, 40, 0, 0)
    ph = struct.pack('<IIIIIIII', 1, off, vaddr, a.paddr, len(body), len(body) + a.bss, 7, 0x1000)
    return eh + ph + body

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('out')
    ap.add_argument('--paddr', type=lambda s: int(s, 0), default=0x100000)
    ap.add_argument('--vaddr', type=lambda s: int(s, 0))
    ap.add_argument('--entry', type=lambda s: int(s, 0))
    ap.add_argument('--size', type=lambda s: int(s, 0), default=0)
    ap.add_argument('--bss', type=lambda s: int(s, 0), default=0)
    ap.add_argument('--flags', type=lambda s: int(s, 0), default=0)
    ap.add_argument('--no-mb', action='store_true')
    ap.add_argument('--class64', action='store_true')
    # default code: mov al,0; out 0xf4,al; hlt  (exit status 1)
    ap.add_argument('--code', default='b000e6f4f4')
    a = ap.parse_args()
    with open(a.out, 'wb') as f:
        f.write(build(a))

if __name__ == '__main__':
    sys.exit(main())
