#!/usr/bin/env python3
"""Compare the fpu-diff guest under vmscope with the same source built as a
Linux program that runs the host's own x87 (tests/guests/fpu-diff).

Every line must be equal except: `model: NAME ptr=` lines (the host is a
64-bit machine running compatibility code: its selectors and pointers
differ), and the transcendentals' per-case lines (`model: t.*`), where the
host and Bochs differ in the last bits: there each result must be within
1 ulp of the host's, C2 and IE DE UE OE equal, and PE and C1 equal where
the result bits are. One exception, counted and shown: where the results
are equal but C1 differs, and the exact value (python3-mpmath, x87ref.py)
says vmscope's C1 is the right one (the host's own intermediate was on the
other side of the result: its C1 does not tell how the exact value was
rounded).

usage: fpu-diff-host.py VMSCOPE GUEST_ELF HOST_EXE [ARGS...]
Run it with /usr/bin/python3 (Debian's python3-mpmath); without mpmath every
C1 difference fails."""
import os, subprocess, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
try:
    import x87ref
except ImportError:
    x87ref = None


def c1_right(line, sw):
    """True when the exact value of the case says C1 (in SW) is right."""
    if x87ref is None:
        return False
    for c in x87ref.cases([line]):
        with x87ref.mpmath.workprec(x87ref.precision(c)):
            ex = x87ref.exact_value(c)
            if ex is None:
                return False
            a, b, exact, reg = ex
            r, cls = x87ref.x80(c['r'][reg])
            if r is None or x87ref.ulp_error(r, exact) == 0:
                return False
            return bool(sw & 0x200) == (abs(r) > abs(exact))
    return False

def ulps(a, b):
    """Distance in units in the last place of two 80-bit values 'SE:SIG'."""
    def key(v):
        se, sig = v.split(':')
        se, sig = int(se, 16), int(sig, 16)
        exp = se & 0x7FFF
        mag = ((exp - 1) << 63) + sig if exp else sig      # contiguous across binades
        return -mag if se & 0x8000 else mag
    return abs(key(a) - key(b))

def main():
    argv = sys.argv[1:]
    vm, elf, host = argv[:3]
    args = argv[3:]
    h = subprocess.run([host] + args, stdout=subprocess.PIPE, check=True).stdout.decode().splitlines()
    v = subprocess.run([vm, 'run', '--quiet', '--cmdline', ' '.join(args), elf],
                       stdout=subprocess.PIPE, timeout=600).stdout.decode('latin-1').replace('\r', '').splitlines()
    v = [l for l in v if l]
    bad = checked = trans = tbad = c1x = 0
    if len(h) != len(v):
        print('FAIL: %d host lines, %d vmscope lines' % (len(h), len(v)))
        return 1
    for hl, vl in zip(h, v):
        if hl.startswith('model: t.'):
            hw, vw = hl.split(), vl.split()
            trans += 1
            # model: t.NAME K rc=R a=.. b=.. sw=XXXX R0 R1
            if hw[:6] != vw[:6]:
                bad += 1
                print('DIFFER (case)\n  host:    %s\n  vmscope: %s' % (hl, vl))
                continue
            hs, vs = int(hw[6][3:], 16), int(vw[6][3:], 16)
            ok = (hs & 0x041F) == (vs & 0x041F) and (hs & 0x3800) == (vs & 0x3800)
            same = hw[7:] == vw[7:]
            for x, y in zip(hw[7:], vw[7:]):
                if ulps(x, y) > 1:
                    ok = False
            if same and (hs & 0x0020) != (vs & 0x0020):
                ok = False
            if same and ok and (hs & 0x0200) != (vs & 0x0200):
                if c1_right(vl, vs):
                    c1x += 1
                    print('C1 (the host\'s is not the exact value\'s)\n  host:    %s\n  vmscope: %s' % (hl, vl))
                    continue
                ok = False
            if not ok:
                tbad += 1
                print('DIFFER (transcendental)\n  host:    %s\n  vmscope: %s' % (hl, vl))
            continue
        if ' ptr=' in hl and hl.startswith('model: '):
            continue
        checked += 1
        if hl != vl:
            bad += 1
            print('DIFFER\n  host:    %s\n  vmscope: %s' % (hl, vl))
    print('fpu-diff against the host x87: %d of %d lines equal; transcendentals: %d of %d cases within 1 ulp'
          ' with equal flags, %d with the exact value\'s C1 where the host\'s differs, %d outside'
          % (checked - bad, checked, trans - tbad - c1x, trans, c1x, tbad))
    return 1 if bad or tbad else 0

sys.exit(main())
