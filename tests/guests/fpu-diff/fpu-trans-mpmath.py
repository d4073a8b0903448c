#!/usr/bin/python3
"""Accuracy of vmscope's x87 transcendentals against Debian's python3-mpmath
(run this with /usr/bin/python3): the fpu-diff guest's transcendental forms
(`only=t.f`) under vmscope, each case checked against the exact value.

Bounds (SDM vol. 1 §8.3.10, issue 17): within 1 ulp in round to nearest and
1.5 ulp in the other rounding modes, for FSIN, FCOS, FSINCOS and FPTAN with
|x| <= pi/4, F2XM1 on [-1, 1], FYL2X, FYL2XP1 on |x| < 1 - sqrt2/2, FPATAN.
Beyond those domains (`beyond` in the table) the same bounds hold: for the
trigonometric functions against the functions at the argument reduced by
the x87's 66-bit pi (what the hardware computes; x87ref.py), for FYL2XP1
against the exact value. Every inexact result must have PE, and C1
must say whether the magnitude was rounded up. Prints the largest error per
form and rounding mode.

usage: fpu-trans-mpmath.py VMSCOPE FPU_DIFF_ELF [ARGS...]   (default n=400)"""
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
try:
    import x87ref
except ImportError as e:
    print('FAIL: python3-mpmath is not available (%s); scripts/setup installs it' % e)
    sys.exit(1)                 # a failure, not a skip
from x87ref import x80, ulp_error, in_domain, cases, exact_value, precision


def main():
    vm, elf = sys.argv[1:3]
    args = sys.argv[3:] or ['n=400']
    out = subprocess.run([vm, 'run', '--quiet', '--cmdline', ' '.join(['only=t.f'] + args), elf],
                         stdout=subprocess.PIPE, timeout=900).stdout.decode('latin-1').replace('\r', '')
    worst = {}
    bad = checked = 0
    for c in cases(out.splitlines()):
        # tiny operands: their results are inexact by parts 600 bits round away
        with x87ref.mpmath.workprec(precision(c)):
            ex = exact_value(c)
            if ex is None:
                continue
            a, b, exact, reg = ex
            r, cls = x80(c['r'][reg])
            if cls not in ('normal', 'denormal', 'zero'):
                bad += 1
                print('BAD (not a number): %s' % c['line'])
                continue
            err = ulp_error(r, exact)
            dom = 'domain' if in_domain(c['name'], a, b) else 'beyond'
            key = (c['name'], dom, c['rc'])
            worst[key] = max(worst.get(key, 0), err)
            checked += 1
            bound = 1 if c['rc'] == 0 else 1.5
            sw = c['sw']
            problems = []
            if err > bound:
                problems.append('%.3f ulp' % float(err))
            inexact = err != 0
            if inexact and not sw & 0x20:
                problems.append('PE clear')
            # C1: the magnitude rounded up (FSINCOS's C1 is the sine's)
            if inexact and c['name'] != 't.fsincos.cos' and not sw & 0x10:
                if bool(sw & 0x200) != (abs(r) > abs(exact)):
                    problems.append('C1 %d' % bool(sw & 0x200))
            if problems:
                bad += 1
                print('BAD (%s): %s' % (', '.join(problems), c['line']))
    for key in sorted(worst):
        print('%-14s %-7s rc=%d  max %.4f ulp' % (key + (float(worst[key]),)))
    print('fpu-trans-mpmath: %d cases checked, %d outside the bounds' % (checked, bad))
    return 1 if bad or not checked else 0


sys.exit(main())
