/* The soft FPU's arithmetic: rounding, NaNs, +-*, /, square root, FRNDINT,
 * FSCALE, FXTRACT, the partial remainders and compares (see fx80.h).
 * Intel SDM vol. 1 §4.8-4.9 (special values, exceptions), §8.3 and §8.5
 * (x87 arithmetic and exception conditions), vol. 2 per instruction. The
 * structure follows Berkeley SoftFloat's (round-and-pack on a 64-bit
 * significand with a second word of round bits); the code is our own. */
#include "cpu/fx80.h"

const struct fx80 fx_indefinite = { 0xC000000000000000ull, 0xFFFF };

enum fx_cls fx_class(struct fx80 a)
{
    unsigned e = fx_exp(a);
    if (e == 0)
        return a.sig ? FXC_DENORMAL : FXC_ZERO;
    if (!(a.sig >> 63))
        return FXC_UNSUPPORTED;         /* unnormal, pseudo-NaN, pseudo-infinity */
    if (e == 0x7FFF) {
        if (!(a.sig << 1))
            return FXC_INF;
        return (a.sig & (1ull << 62)) ? FXC_QNAN : FXC_SNAN;
    }
    return FXC_NORMAL;
}

unsigned fx_tag(struct fx80 a)
{
    enum fx_cls c = fx_class(a);
    return c == FXC_NORMAL ? 0 : c == FXC_ZERO ? 1 : 2;
}

static struct fx80 invalid(struct fx_env *e)
{
    e->flags |= FX_IE;
    return fx_indefinite;
}

bool fx_pair_special(struct fx_env *e, struct fx80 a, struct fx80 b, struct fx80 *r)
{
    enum fx_cls ca = fx_class(a), cb = fx_class(b);
    if (ca == FXC_UNSUPPORTED || cb == FXC_UNSUPPORTED)
        *r = invalid(e);
    else if (ca >= FXC_QNAN || cb >= FXC_QNAN)
        *r = fx_nan2(e, a, b);
    else
        return false;
    return true;
}

struct fx80 fx_nan1(struct fx_env *e, struct fx80 a)
{
    if (fx_is_snan(a))
        e->flags |= FX_IE;
    a.sig |= 1ull << 62;
    return a;
}

/* SDM vol. 1 table 4-7: SNaN and QNaN give the QNaN; two SNaNs or two
 * QNaNs give the one with the larger significand (quieted); a NaN and a
 * number give the NaN (quieted). */
struct fx80 fx_nan2(struct fx_env *e, struct fx80 a, struct fx80 b)
{
    bool an = fx_is_nan(a), bn = fx_is_nan(b), as = fx_is_snan(a), bs = fx_is_snan(b);
    if (as || bs)
        e->flags |= FX_IE;
    a.sig |= 1ull << 62;
    b.sig |= 1ull << 62;
    if (!an)
        return b;
    if (!bn)
        return a;
    if (as != bs)
        return as ? b : a;
    if (a.sig != b.sig)
        return a.sig > b.sig ? a : b;
    return a.se < b.se ? a : b;
}

/* ---- rounding ---- */

/* Round the significand sig0:sig1 at PREC bits: returns the rounded
 * significand (bits below the precision clear) and sets *carry when it
 * overflowed to 2^64 (then the result is 1 << 63 one binade up). */
static uint64_t round_sig(struct fx_env *e, unsigned prec, unsigned sign, uint64_t sig0, uint64_t sig1,
                          bool *carry, bool *inexact, bool *up)
{
    uint64_t mask = prec >= 64 ? 0 : (1ull << (64 - prec)) - 1;
    uint64_t f = prec >= 64 ? sig1 : ((sig0 & mask) << prec) | (sig1 != 0);
    uint64_t t = sig0 & ~mask, lsb = mask + 1;
    bool inc;
    switch (e->rc) {
    case FX_RC_NEAR: inc = f > (1ull << 63) || (f == (1ull << 63) && (t & lsb)); break;
    case FX_RC_DOWN: inc = sign && f; break;
    case FX_RC_UP:   inc = !sign && f; break;
    default:         inc = false; break;
    }
    *inexact = f != 0;
    *up = inc;
    *carry = false;
    if (inc) {
        t += lsb;
        if (t == 0) {
            *carry = true;
            t = 1ull << 63;
        }
    }
    return t;
}

static struct fx80 overflow_result(struct fx_env *e, unsigned prec, unsigned sign)
{
    bool to_inf;
    switch (e->rc) {
    case FX_RC_NEAR: to_inf = true; break;
    case FX_RC_DOWN: to_inf = sign; break;
    case FX_RC_UP:   to_inf = !sign; break;
    default:         to_inf = false; break;
    }
    e->flags |= FX_OE | FX_PE | (to_inf ? FX_C1 : 0);
    if (to_inf)
        return fx_make(sign, 0x7FFF, 1ull << 63);
    uint64_t mask = prec >= 64 ? 0 : (1ull << (64 - prec)) - 1;
    return fx_make(sign, 0x7FFE, ~mask);
}

struct fx80 fx_round_pack(struct fx_env *e, unsigned prec, unsigned sign, int32_t exp, uint64_t sig0,
                          uint64_t sig1)
{
    bool carry, inexact, up;
    if (sig0 == 0 && sig1 == 0)
        return fx_make(sign, 0, 0);
    bool tiny = exp < 0;
    if (exp == 0) {
        /* tininess after rounding (to the precision, exponent unbounded):
         * what the hardware shows under PC=24 and 53 */
        round_sig(e, prec, sign, sig0, sig1, &carry, &inexact, &up);
        tiny = !carry;
    }
    if (tiny) {
        if (!(e->masks & FX_UE) && exp + 0x6000 <= 0) {
            /* too tiny even for the bias adjustment: zero (measured) */
            e->flags |= FX_UE | FX_PE;
            return fx_make(sign, 0, 0);
        }
        if (!(e->masks & FX_UE)) {
            /* unmasked underflow: the bias-adjusted normal result */
            uint64_t t = round_sig(e, prec, sign, sig0, sig1, &carry, &inexact, &up);
            exp += 0x6000 + carry;
            e->flags |= FX_UE | (inexact ? FX_PE : 0) | (up ? FX_C1 : 0);
            return fx_make(sign, (unsigned)exp & 0x7FFF, t);
        }
        uint64_t s0, s1;
        fx_shr128_jam(sig0, sig1, (unsigned)(1 - exp), &s0, &s1);
        uint64_t t = round_sig(e, prec, sign, s0, s1, &carry, &inexact, &up);
        if (inexact)
            e->flags |= FX_UE | FX_PE | (up ? FX_C1 : 0);
        if (carry)
            return fx_make(sign, 1, t);
        return fx_make(sign, (t >> 63) ? 1 : 0, t);
    }
    uint64_t t = round_sig(e, prec, sign, sig0, sig1, &carry, &inexact, &up);
    exp += carry;
    if (exp >= 0x7FFF) {
        if (e->masks & FX_OE)
            return overflow_result(e, prec, sign);
        exp -= 0x6000;
        if (exp >= 0x7FFF) {
            /* too large even for the bias adjustment: infinity (measured) */
            e->flags |= FX_OE | FX_PE | FX_C1;
            return fx_make(sign, 0x7FFF, 1ull << 63);
        }
        e->flags |= FX_OE;
    }
    if (inexact)
        e->flags |= FX_PE | (up ? FX_C1 : 0);
    return fx_make(sign, (unsigned)exp, t);
}

struct fx80 fx_norm_round_pack(struct fx_env *e, unsigned prec, unsigned sign, int32_t exp, uint64_t sig0,
                               uint64_t sig1)
{
    if (sig0 == 0) {
        if (sig1 == 0)
            return fx_make(sign, 0, 0);
        sig0 = sig1;
        sig1 = 0;
        exp -= 64;
    }
    unsigned s = fx_clz64(sig0);
    if (s) {
        sig0 = (sig0 << s) | (sig1 >> (64 - s));
        sig1 <<= s;
        exp -= (int32_t)s;
    }
    return fx_round_pack(e, prec, sign, exp, sig0, sig1);
}

/* Exponent and significand of a finite nonzero value, normalized (a
 * denormal's exponent goes below 1). */
static int32_t unpack_norm(struct fx80 a, uint64_t *sig)
{
    int32_t exp = (int32_t)fx_exp(a);
    uint64_t s = a.sig;
    if (exp == 0) {
        unsigned n = fx_clz64(s);
        s <<= n;
        exp = 1 - (int32_t)n;
    }
    *sig = s;
    return exp;
}

/* ---- add and subtract ---- */

static struct fx80 addsub(struct fx_env *e, struct fx80 a, struct fx80 b, unsigned bsign)
{
    enum fx_cls ca = fx_class(a), cb = fx_class(b);
    unsigned asign = fx_sign(a);
    struct fx80 special;
    if (fx_pair_special(e, a, b, &special))
        return special;
    if (ca == FXC_DENORMAL || cb == FXC_DENORMAL)
        e->flags |= FX_DE;
    if (ca == FXC_INF) {
        if (cb == FXC_INF && asign != bsign)
            return invalid(e);
        return a;
    }
    if (cb == FXC_INF)
        return fx_make(bsign, 0x7FFF, 1ull << 63);
    if (ca == FXC_ZERO && cb == FXC_ZERO) {
        unsigned s = asign == bsign ? asign : e->rc == FX_RC_DOWN;
        return fx_make(s, 0, 0);
    }
    int32_t ea = fx_exp(a) ? (int32_t)fx_exp(a) : 1, eb = fx_exp(b) ? (int32_t)fx_exp(b) : 1;
    uint64_t a0 = a.sig, a1 = 0, b0 = b.sig, b1 = 0;
    if (ca == FXC_ZERO)
        ea = eb;
    if (cb == FXC_ZERO)
        eb = ea;
    /* make a the operand of the larger exponent */
    if (eb > ea || (eb == ea && b0 > a0)) {
        uint64_t t = a0; a0 = b0; b0 = t;
        int32_t x = ea; ea = eb; eb = x;
        unsigned s = asign; asign = bsign; bsign = s;
    }
    fx_shr128_jam(b0, 0, (unsigned)(ea - eb) > 200 ? 200 : (unsigned)(ea - eb), &b0, &b1);
    uint64_t r0, r1;
    if (asign == bsign) {
        r1 = a1 + b1;
        unsigned c1 = r1 < a1;
        r0 = a0 + b0;
        unsigned c0 = r0 < a0;
        r0 += c1;
        c0 |= r0 < c1;
        if (c0) {
            /* carry out of bit 63 */
            fx_shr128_jam(r0, r1, 1, &r0, &r1);
            r0 |= 1ull << 63;
            ea++;
        }
        return fx_norm_round_pack(e, e->prec, asign, ea, r0, r1);
    }
    r1 = a1 - b1;
    r0 = a0 - b0 - (a1 < b1);
    if (r0 == 0 && r1 == 0)
        return fx_make(e->rc == FX_RC_DOWN, 0, 0);
    return fx_norm_round_pack(e, e->prec, asign, ea, r0, r1);
}

struct fx80 fx_add(struct fx_env *e, struct fx80 a, struct fx80 b) { return addsub(e, a, b, fx_sign(b)); }
struct fx80 fx_sub(struct fx_env *e, struct fx80 a, struct fx80 b) { return addsub(e, a, b, !fx_sign(b)); }

/* ---- multiply, divide, square root ---- */

struct fx80 fx_mul(struct fx_env *e, struct fx80 a, struct fx80 b)
{
    enum fx_cls ca = fx_class(a), cb = fx_class(b);
    unsigned sign = fx_sign(a) ^ fx_sign(b);
    struct fx80 special;
    if (fx_pair_special(e, a, b, &special))
        return special;
    if (ca == FXC_INF || cb == FXC_INF) {
        if (ca == FXC_ZERO || cb == FXC_ZERO)
            return invalid(e);
        if (ca == FXC_DENORMAL || cb == FXC_DENORMAL)
            e->flags |= FX_DE;
        return fx_make(sign, 0x7FFF, 1ull << 63);
    }
    if (ca == FXC_DENORMAL || cb == FXC_DENORMAL)
        e->flags |= FX_DE;
    if (ca == FXC_ZERO || cb == FXC_ZERO)
        return fx_make(sign, 0, 0);
    uint64_t as, bs, hi, lo;
    int32_t exp = unpack_norm(a, &as) + unpack_norm(b, &bs) - 0x3FFE;
    fx_mul64(as, bs, &hi, &lo);
    if (!(hi >> 63)) {
        hi = (hi << 1) | (lo >> 63);
        lo <<= 1;
        exp--;
    }
    return fx_round_pack(e, e->prec, sign, exp, hi, lo);
}

/* N / B for N = n1:n0 (n1 < B, so the quotient fits 64 bits... here N is
 * the 65-bit value carry:n0 and B has bit 63 set): 128 quotient bits
 * q0:q1 of N/B scaled so that q0's bit 63 is the first, sticky in q1. */
static void div_bits(unsigned carry, uint64_t n, uint64_t b, uint64_t *q0, uint64_t *q1)
{
    uint64_t q[2] = { 0, 0 };
    for (unsigned w = 0; w < 2; w++) {
        for (unsigned k = 0; k < 64; k++) {
            unsigned bit = carry || n >= b;
            if (bit)
                n -= b;
            q[w] = (q[w] << 1) | bit;
            carry = (unsigned)(n >> 63);
            n <<= 1;
        }
    }
    *q0 = q[0];
    *q1 = q[1] | (carry || n != 0);
}

struct fx80 fx_div(struct fx_env *e, struct fx80 a, struct fx80 b)
{
    enum fx_cls ca = fx_class(a), cb = fx_class(b);
    unsigned sign = fx_sign(a) ^ fx_sign(b);
    struct fx80 special;
    if (fx_pair_special(e, a, b, &special))
        return special;
    if (ca == FXC_INF) {
        if (cb == FXC_INF)
            return invalid(e);
        if (cb == FXC_DENORMAL)
            e->flags |= FX_DE;
        return fx_make(sign, 0x7FFF, 1ull << 63);
    }
    if (cb == FXC_INF) {
        if (ca == FXC_DENORMAL)
            e->flags |= FX_DE;
        return fx_make(sign, 0, 0);
    }
    if (cb == FXC_ZERO) {
        if (ca == FXC_ZERO)
            return invalid(e);
        e->flags |= FX_ZE | (ca == FXC_DENORMAL ? FX_DE : 0);
        return fx_make(sign, 0x7FFF, 1ull << 63);
    }
    if (ca == FXC_DENORMAL || cb == FXC_DENORMAL)
        e->flags |= FX_DE;
    if (ca == FXC_ZERO)
        return fx_make(sign, 0, 0);
    uint64_t as, bs, q0, q1;
    int32_t exp = unpack_norm(a, &as) - unpack_norm(b, &bs) + 0x3FFF;
    if (as >= bs) {
        div_bits(0, as, bs, &q0, &q1);
    } else {
        div_bits((unsigned)(as >> 63), as << 1, bs, &q0, &q1);
        exp--;
    }
    return fx_round_pack(e, e->prec, sign, exp, q0, q1);
}

struct fx80 fx_sqrt(struct fx_env *e, struct fx80 a)
{
    enum fx_cls c = fx_class(a);
    unsigned sign = fx_sign(a);
    if (c == FXC_UNSUPPORTED)
        return invalid(e);
    if (c >= FXC_QNAN)
        return fx_nan1(e, a);
    if (c == FXC_ZERO)
        return a;
    if (sign)
        return invalid(e);
    if (c == FXC_INF)
        return a;
    if (c == FXC_DENORMAL)
        e->flags |= FX_DE;
    uint64_t s;
    int32_t ue = unpack_norm(a, &s) - 0x3FFF;     /* unbiased exponent */
    /* radicand M = s (or 2s when the exponent is odd) / 2^63, in [1, 4);
     * root = floor(sqrt(M * 2^130)) has 66 bits: 64 + 2 round bits */
    unsigned mhi = 0;                           /* bit 64 of M's integer */
    uint64_t mlo = s;
    if (ue & 1) {
        mhi = (unsigned)(s >> 63);
        mlo = s << 1;
        ue--;
    }
    /* the radicand's bits, from bit 131 down: M's 65 bits at 64..0 of the
     * integer then 67 zeros (M * 2^67 = M / 2^63 * 2^130) */
    uint64_t root0 = 0, root1 = 0;              /* root, up to 66 bits: root1:root0 */
    uint64_t rem0 = 0, rem1 = 0;                /* remainder, up to 68 bits */
    for (int k = 0; k < 66; k++) {
        int p = 131 - 2 * k;                    /* bit position of the pair's high bit */
        unsigned pair = 0;
        for (int j = 0; j < 2; j++) {
            int q = p - j - 67;                 /* position in M */
            unsigned bit = q < 0 ? 0 : q == 64 ? mhi : (unsigned)((mlo >> q) & 1);
            pair = (pair << 1) | bit;
        }
        rem1 = (rem1 << 2) | (rem0 >> 62);
        rem0 = (rem0 << 2) | pair;
        /* trial = root * 4 + 1 */
        uint64_t t1 = (root1 << 2) | (root0 >> 62), t0 = (root0 << 2) | 1;
        root1 = (root1 << 1) | (root0 >> 63);
        root0 <<= 1;
        if (rem1 > t1 || (rem1 == t1 && rem0 >= t0)) {
            rem1 = rem1 - t1 - (rem0 < t0);
            rem0 -= t0;
            root0 |= 1;
        }
    }
    uint64_t sig0 = (root1 << 62) | (root0 >> 2);
    uint64_t sig1 = (root0 << 62) | ((rem0 | rem1) != 0);
    return fx_round_pack(e, e->prec, 0, ue / 2 + 0x3FFF, sig0, sig1);
}

/* ---- FRNDINT, FSCALE, FXTRACT ---- */

struct fx80 fx_round_int(struct fx_env *e, struct fx80 a)
{
    enum fx_cls c = fx_class(a);
    unsigned sign = fx_sign(a);
    if (c == FXC_UNSUPPORTED)
        return invalid(e);
    if (c >= FXC_QNAN)
        return fx_nan1(e, a);
    if (c == FXC_ZERO || c == FXC_INF)
        return a;
    if (c == FXC_DENORMAL)
        e->flags |= FX_DE;
    int32_t exp = fx_exp(a) ? (int32_t)fx_exp(a) : 1;
    if (exp >= 0x403E)
        return a;
    if (exp < 0x3FFF) {
        /* |a| < 1: 0 or 1 */
        bool one;
        switch (e->rc) {
        case FX_RC_NEAR: one = exp == 0x3FFE && a.sig > (1ull << 63); break;
        case FX_RC_DOWN: one = sign; break;
        case FX_RC_UP:   one = !sign; break;
        default:         one = false; break;
        }
        e->flags |= FX_PE | (one ? FX_C1 : 0);
        return one ? fx_make(sign, 0x3FFF, 1ull << 63) : fx_make(sign, 0, 0);
    }
    unsigned n = (unsigned)(0x403E - exp);      /* fraction bits, 1..63 */
    bool carry, inexact, up;
    uint64_t t = round_sig(e, 64 - n, sign, a.sig, 0, &carry, &inexact, &up);
    if (inexact)
        e->flags |= FX_PE | (up ? FX_C1 : 0);
    return fx_make(sign, (unsigned)(exp + carry), t);
}

struct fx80 fx_scale(struct fx_env *e, struct fx80 a, struct fx80 b)
{
    enum fx_cls ca = fx_class(a), cb = fx_class(b);
    unsigned asign = fx_sign(a);
    struct fx80 special;
    if (fx_pair_special(e, a, b, &special))
        return special;
    if (cb == FXC_INF) {
        if (!fx_sign(b)) {
            if (ca == FXC_ZERO)
                return invalid(e);
            if (ca == FXC_DENORMAL)
                e->flags |= FX_DE;
            return fx_make(asign, 0x7FFF, 1ull << 63);
        }
        if (ca == FXC_INF)
            return invalid(e);
        if (ca == FXC_DENORMAL)
            e->flags |= FX_DE;
        return fx_make(asign, 0, 0);
    }
    if (ca == FXC_DENORMAL || cb == FXC_DENORMAL)
        e->flags |= FX_DE;
    if (ca == FXC_INF || ca == FXC_ZERO)
        return a;
    int32_t n = 0;
    unsigned eb = fx_exp(b);
    if (eb >= 0x3FFF) {
        /* beyond 2^17 every result overflows or underflows alike */
        n = eb >= 0x4010 ? 0x20000 : (int32_t)(b.sig >> (0x403E - eb));
        if (fx_sign(b))
            n = -n;
    }
    uint64_t s;
    int32_t exp = unpack_norm(a, &s);
    return fx_round_pack(e, 64, asign, exp + n, s, 0);
}

struct fx80 fx_xtract(struct fx_env *e, struct fx80 a, struct fx80 *sig)
{
    enum fx_cls c = fx_class(a);
    unsigned sign = fx_sign(a);
    if (c == FXC_UNSUPPORTED) {
        *sig = invalid(e);
        return fx_indefinite;
    }
    if (c >= FXC_QNAN) {
        *sig = fx_nan1(e, a);
        return *sig;
    }
    if (c == FXC_ZERO) {
        e->flags |= FX_ZE;
        *sig = a;
        return fx_make(1, 0x7FFF, 1ull << 63);
    }
    if (c == FXC_INF) {
        *sig = a;
        return fx_make(0, 0x7FFF, 1ull << 63);
    }
    if (c == FXC_DENORMAL)
        e->flags |= FX_DE;
    uint64_t s;
    int32_t exp = unpack_norm(a, &s);
    *sig = fx_make(sign, 0x3FFF, s);
    return fx_from_int(exp - 0x3FFF);
}

/* ---- FPREM, FPREM1 ---- */

/* floor(a * 2^n / b) and the remainder, for n <= 63 and b with bit 63 set:
 * long division on the 128-bit dividend. */
static uint64_t rem_kernel(uint64_t a, uint64_t b, unsigned n, uint64_t *r)
{
    uint64_t q = 0, rem = 0;
    unsigned carry = 0;
    for (int k = 63 + (int)n; k >= 0; k--) {
        /* next dividend bit: bit k of a * 2^n */
        unsigned bit = k >= (int)n && k - (int)n < 64 ? (unsigned)((a >> (k - (int)n)) & 1) : 0;
        carry = (unsigned)(rem >> 63);
        rem = (rem << 1) | bit;
        unsigned qb = carry || rem >= b;
        if (qb)
            rem -= b;
        q = (q << 1) | qb;
    }
    *r = rem;
    return q;
}

struct fx80 fx_rem(struct fx_env *e, struct fx80 a, struct fx80 b, bool nearest, unsigned *qout, int *state)
{
    enum fx_cls ca = fx_class(a), cb = fx_class(b);
    unsigned asign = fx_sign(a);
    *qout = 0;
    *state = -1;
    struct fx80 special;
    if (fx_pair_special(e, a, b, &special))
        return special;
    if (ca == FXC_INF || cb == FXC_ZERO)
        return invalid(e);
    *state = 0;
    uint64_t as, bs;
    if (cb == FXC_INF || (cb != FXC_DENORMAL && ca == FXC_ZERO)) {
        if (ca == FXC_DENORMAL) {
            e->flags |= FX_DE;
            if (a.sig >> 63)        /* a pseudo-denormal comes back normalized */
                return fx_make(asign, 1, a.sig);
        }
        return a;
    }
    if (cb == FXC_DENORMAL)
        e->flags |= FX_DE;
    if (ca == FXC_ZERO)
        return a;
    if (ca == FXC_DENORMAL)
        e->flags |= FX_DE;
    int32_t ea = unpack_norm(a, &as), eb = unpack_norm(b, &bs), zexp, diff = ea - eb;
    uint64_t r0 = as, r1 = 0, q = 0;
    if (diff >= 64) {
        unsigned n = ((unsigned)diff & 0x1F) | 0x20;
        rem_kernel(as, bs, n, &r0);
        zexp = ea - (int32_t)n;
        *state = 1;
        return fx_norm_round_pack(e, 64, asign, zexp, r0, 0);
    }
    zexp = eb;
    if (diff < 0) {
        if (diff < -1)
            return (a.sig >> 63) ? fx_make(asign, (unsigned)ea, as) : a;
        r1 = as << 63;
        r0 = as >> 1;
        diff = 0;
    }
    if (diff > 0) {
        q = rem_kernel(as, bs, (unsigned)diff, &r0);
    } else if (bs <= r0) {
        r0 -= bs;
        q = 1;
    }
    if (nearest) {
        uint64_t h0 = bs >> 1, h1 = bs << 63;  /* b / 2 */
        bool lt = h0 < r0 || (h0 == r0 && h1 < r1), eq = h0 == r0 && h1 == r1;
        if ((eq && (q & 1)) || lt) {
            asign ^= 1;
            q++;
        }
        if (lt) {
            uint64_t n1 = 0 - r1;
            r0 = bs - r0 - (r1 != 0);
            r1 = n1;
        }
    }
    *qout = (unsigned)(q & 7);
    return fx_norm_round_pack(e, 64, asign, zexp, r0, r1);
}

/* ---- compare ---- */

unsigned fx_compare(struct fx_env *e, struct fx80 a, struct fx80 b, bool quiet)
{
    enum fx_cls ca = fx_class(a), cb = fx_class(b);
    if (ca == FXC_UNSUPPORTED || cb == FXC_UNSUPPORTED) {
        e->flags |= FX_IE;
        return FX_UN;
    }
    if (ca >= FXC_QNAN || cb >= FXC_QNAN) {
        if (!quiet || ca == FXC_SNAN || cb == FXC_SNAN)
            e->flags |= FX_IE;
        return FX_UN;
    }
    if (ca == FXC_DENORMAL || cb == FXC_DENORMAL)
        e->flags |= FX_DE;
    if (ca == FXC_ZERO && cb == FXC_ZERO)
        return FX_EQ;
    unsigned sa = fx_sign(a), sb = fx_sign(b);
    if (ca == FXC_ZERO)
        return sb ? FX_GT : FX_LT;
    if (cb == FXC_ZERO)
        return sa ? FX_LT : FX_GT;
    if (sa != sb)
        return sa ? FX_LT : FX_GT;
    unsigned xa = fx_exp(a) ? fx_exp(a) : 1, xb = fx_exp(b) ? fx_exp(b) : 1;
    int mag = xa != xb ? (xa > xb ? 1 : -1) : a.sig != b.sig ? (a.sig > b.sig ? 1 : -1) : 0;
    if (mag == 0)
        return FX_EQ;
    if (sa)
        mag = -mag;
    return mag > 0 ? FX_GT : FX_LT;
}
