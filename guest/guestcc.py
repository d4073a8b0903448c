#!/usr/bin/env python3
"""The one freestanding build rule for guest code (kernel, user programs,
test guests): compile each source for i686 with no host headers or libraries,
link with a linker script, and write a depfile so header edits rebuild.

usage: guestcc.py --out ELF --depfile D --ld SCRIPT [--cflag F]... SRC...
Host build options (sanitizers, PIE, LTO) never reach this command."""
import argparse, os, subprocess, sys, tempfile

BASE = ['-m32', '-march=i686', '-mno-80387', '-mno-mmx', '-mno-sse', '-mno-sse2',
        '-ffreestanding', '-fno-builtin', '-fno-pic', '-fno-pie', '-fno-stack-protector',
        '-fno-asynchronous-unwind-tables', '-fno-omit-frame-pointer', '-nostdinc',
        '-O2', '-g', '-Wall', '-Wextra', '-Wno-unused-parameter', '-std=gnu11']

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--out', required=True)
    ap.add_argument('--depfile', required=True)
    ap.add_argument('--ld', required=True)
    ap.add_argument('--cc', default='gcc')
    ap.add_argument('--cflag', action='append', default=[])
    ap.add_argument('--ldflag', action='append', default=[])
    ap.add_argument('srcs', nargs='+')
    a = ap.parse_args()
    inc = subprocess.check_output([a.cc, '-m32', '-print-file-name=include'], text=True).strip()
    libgcc = subprocess.check_output([a.cc, '-m32', '-print-libgcc-file-name'], text=True).strip()
    deps = set()
    with tempfile.TemporaryDirectory() as tmp:
        objs = []
        for i, src in enumerate(a.srcs):
            obj = os.path.join(tmp, '%d_%s.o' % (i, os.path.basename(src)))
            dep = obj + '.d'
            cmd = [a.cc] + BASE + ['-isystem', inc] + a.cflag + ['-MD', '-MF', dep, '-c', src, '-o', obj]
            r = subprocess.run(cmd)
            if r.returncode:
                return r.returncode
            with open(dep) as f:
                text = f.read().replace('\\\n', ' ')
            for word in text.split(':', 1)[1].split():
                deps.add(os.path.abspath(word))
            objs.append(obj)
        cmd = [a.cc, '-m32', '-nostdlib', '-static', '-no-pie', '-Wl,--build-id=none',
               '-Wl,-z,noexecstack', '-Wl,--no-warn-rwx-segments', '-T', a.ld] + a.ldflag + objs + [libgcc, '-o', a.out]
        r = subprocess.run(cmd)
        if r.returncode:
            return r.returncode
    deps.add(os.path.abspath(a.ld))
    with open(a.depfile, 'w') as f:
        f.write('%s: %s\n' % (a.out, ' '.join(sorted(d.replace(' ', '\\ ') for d in deps))))
    return 0

if __name__ == '__main__':
    sys.exit(main())
