"""Exact values of the x87 transcendentals, for the fpu-diff checks, with
Debian's python3-mpmath (run by /usr/bin/python3).

The trigonometric functions are those of the hardware: the argument is
reduced by pi/2 with the x87's 66-bit pi (0xC90FDAA22168C234C / 2^66), so
for |x| <= pi/4 they are the true sin, cos and tan and beyond it they are
the functions at the reduced argument."""
import mpmath
from mpmath import mpf

mpmath.mp.prec = 600
PI66 = mpf(0xC90FDAA22168C234C) / mpf(2) ** 66


def x80(text):
    """'SE:SIG' (hex) to (mpf, class): class is 'zero', 'denormal',
    'normal', 'inf', 'nan' or 'unsupported'."""
    se, sig = text.split(':')
    se, sig = int(se, 16), int(sig, 16)
    e, neg = se & 0x7FFF, bool(se & 0x8000)
    if e == 0x7FFF:
        if not sig >> 63:
            return None, 'unsupported'
        return None, 'inf' if not (sig << 1) & (2 ** 64 - 1) else 'nan'
    if e and not sig >> 63:
        return None, 'unsupported'
    v = mpf(sig) * mpf(2) ** ((e if e else 1) - 16383 - 63)
    cls = 'zero' if sig == 0 else 'normal' if e else 'denormal'
    return (-v if neg else v), cls


def reduce66(x):
    """x = q pi66/2 + r, |r| <= pi66/4: (q, r)."""
    q = int(mpmath.nint(x / (PI66 / 2)))
    return q, x - q * (PI66 / 2)


def hw_sin(x):
    q, r = reduce66(x)
    return mpmath.sin(r + q * mpmath.pi / 2)


def hw_cos(x):
    q, r = reduce66(x)
    return mpmath.cos(r + q * mpmath.pi / 2)


def hw_tan(x):
    q, r = reduce66(x)
    return mpmath.tan(r + q * mpmath.pi / 2)


def ulp_error(result, exact):
    """|result - exact| in units in the last place of the exact value's
    binade (64-bit significand; 2^-16445 below the normal range)."""
    if exact == 0:
        return mpf(0) if result == 0 else mpf('inf')
    if abs(result - exact) <= abs(exact) * mpf(2) ** (200 - mpmath.mp.prec):
        return mpf(0)                   # exact (log2 of a power of two)
    e = int(mpmath.floor(mpmath.log(abs(exact), 2)))
    ulp = mpf(2) ** max(e - 63, -16445)
    return abs(result - exact) / ulp


# name: (which printed register holds the result, function of (a, b))
FORMS = {
    't.fsin': (0, lambda a, b: hw_sin(a)),
    't.fcos': (0, lambda a, b: hw_cos(a)),
    't.fsincos': (1, lambda a, b: hw_sin(a)),         # ST1 the sine, ST0 the cosine
    't.fsincos.cos': (0, lambda a, b: hw_cos(a)),
    't.fptan': (1, lambda a, b: hw_tan(a)),           # ST0 is the pushed 1.0
    't.f2xm1': (0, lambda a, b: mpmath.expm1(a * mpmath.log(2))),
    't.fyl2x': (0, lambda a, b: b * mpmath.log(a, 2)),
    't.fyl2xp1': (0, lambda a, b: b * mpmath.log1p(a) / mpmath.log(2)),
    't.fpatan': (0, lambda a, b: mpmath.atan2(b, a)),
}


def in_domain(name, a, b):
    """The SDM's accuracy domain of the form (vol. 1 §8.3.10) for finite
    operands a (ST0) and b (ST1)."""
    if name.startswith(('t.fsin', 't.fcos', 't.fptan')):
        return abs(a) <= mpmath.pi / 4
    if name == 't.f2xm1':
        return abs(a) <= 1
    if name == 't.fyl2x':
        return a > 0
    if name == 't.fyl2xp1':
        return abs(a) < 1 - mpmath.sqrt(2) / 2
    return True


def precision(c):
    """Bits that tell case C's exact value from the nearest 80-bit values
    (use with mpmath.workprec): 600, and more for tiny operands, whose
    results differ from theirs (sin x from x, cos x from 1, 2^x - 1 from
    x ln 2) by a part in 2^(2e) for an operand of 2^-e (2^-32890 for a
    denormal), which 600 bits round away."""
    bits = 600
    for text in (c['a'], c['b']):
        v, cls = x80(text)
        if cls in ('normal', 'denormal') and abs(v) < 1:
            bits = max(bits, 600 + 2 * int(-mpmath.floor(mpmath.log(abs(v), 2))))
    return bits


def cases(lines):
    """Parse `model: t.NAME K rc=R a=A b=B sw=SW R0 R1` lines into dicts;
    FSINCOS gives two (the sine and, as t.fsincos.cos, the cosine)."""
    for line in lines:
        w = line.split()
        if len(w) < 9 or w[0] != 'model:' or not w[1].startswith('t.'):
            continue
        c = {'name': w[1], 'k': int(w[2]), 'rc': int(w[3][3:]), 'a': w[4][2:], 'b': w[5][2:],
             'sw': int(w[6][3:], 16), 'r': w[7:9], 'line': line}
        yield c
        if c['name'] == 't.fsincos':
            yield dict(c, name='t.fsincos.cos')


def exact_value(c):
    """The exact result of case C, or None when an operand or the result is
    not a finite number (specials, invalid, out of range: C2)."""
    (a, ca), (b, cb) = x80(c['a']), x80(c['b'])
    if c['sw'] & 0x0409 or ca not in ('normal', 'denormal', 'zero'):
        return None                     # C2 (out of range), IE, OE
    if c['name'] in ('t.fyl2x', 't.fyl2xp1', 't.fpatan') and cb not in ('normal', 'denormal', 'zero'):
        return None
    if ca == 'zero' or cb == 'zero' and c['name'] in ('t.fyl2x', 't.fyl2xp1', 't.fpatan'):
        return None                     # signed zeros: the special-case tables
    if c['name'].startswith(('t.fsin', 't.fcos', 't.fptan')) and abs(a) >= 2 ** 63:
        return None
    if c['name'] == 't.f2xm1' and abs(a) > 1:
        return None
    if c['name'] == 't.fyl2xp1' and a <= -1:
        return None
    if c['name'] == 't.fyl2x' and a <= 0:
        return None
    reg, fn = FORMS[c['name']]
    return a, b, fn(a, b), reg
