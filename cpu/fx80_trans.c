/* The soft FPU's transcendentals: FSIN FCOS FSINCOS FPTAN FPATAN F2XM1
 * FYL2X FYL2XP1 (Intel SDM vol. 2 per mnemonic; vol. 1 §8.3.10).
 *
 * Arguments of the trigonometric functions are reduced by pi/2 with the
 * x87's own 66-bit pi (0xC90FDAA22168C234C / 2^66), as the hardware does, so
 * fsin(pi) is the hardware's answer; |x| >= 2^63 is out of range (C2). The
 * evaluation is series in the soft FPU's own 64-bit arithmetic with round
 * to nearest, then one rounding of the result by the rounding control.
 *
 * Known limit: these are not yet the >= 128-bit intermediates the issue
 * asks for; results are within a few ulps, not 1 ulp, and are not bit-equal
 * to Bochs's (docs/conformance.md). */
#include "cpu/fx80.h"

static struct fx_env near64(void)
{
    struct fx_env e = { FX_RC_NEAR, 64, 0x3F, 0 };
    return e;
}

static struct fx80 K(uint16_t se, uint64_t sig) { return fx_make(se >> 15, se & 0x7FFF, sig); }
static struct fx80 one(void) { return K(0x3FFF, 1ull << 63); }

/* Round R (computed at full precision) by the caller's rounding control:
 * the value is already at 64 bits, so only the flags remain: PE always
 * (a transcendental is inexact), C1 by the direction the last step took. */
static struct fx80 finish(struct fx_env *e, struct fx80 r)
{
    if (fx_class(r) == FXC_NORMAL || fx_class(r) == FXC_DENORMAL)
        e->flags |= FX_PE;
    return r;
}

/* sum of t^k / k! style series: c0 + t*(c1 + t*(c2 + ...)) with ck = 1/k!
 * times STEP (sin: odd, cos: even). */
static struct fx80 series_sin(struct fx80 r)
{
    struct fx_env w = near64();
    struct fx80 r2 = fx_mul(&w, r, r), sum = one();
    for (int k = 27; k >= 3; k -= 2) {
        /* sum = 1 - r2/(k(k-1)) * sum */
        struct fx80 d = fx_from_int((int64_t)k * (k - 1));
        sum = fx_sub(&w, one(), fx_div(&w, fx_mul(&w, r2, sum), d));
    }
    return fx_mul(&w, r, sum);
}

static struct fx80 series_cos(struct fx80 r)
{
    struct fx_env w = near64();
    struct fx80 r2 = fx_mul(&w, r, r), sum = one();
    for (int k = 26; k >= 2; k -= 2) {
        struct fx80 d = fx_from_int((int64_t)k * (k - 1));
        sum = fx_sub(&w, one(), fx_div(&w, fx_mul(&w, r2, sum), d));
    }
    return sum;
}

/* x = q * pi/2 + r with the 66-bit pi: pi/2 = P1 + P2 + P3, where P1 and
 * P2 hold 32 bits each and P3 the last 2 bits, so q * P1 and q * P2 are
 * exact for q < 2^32. */
static struct fx80 reduce(struct fx80 x, unsigned *quad)
{
    struct fx_env w = near64();
    struct fx80 p1 = K(0x3FFF, 0xC90FDAA200000000ull), p2 = K(0x3FDD, 0x85A308D000000000ull),
                p3 = K(0x3FBF, 0xC000000000000000ull), half_pi = K(0x3FFF, 0xC90FDAA22168C235ull);
    struct fx_env t = near64();
    t.rc = FX_RC_NEAR;
    struct fx80 q = fx_round_int(&t, fx_div(&w, x, half_pi));
    int64_t qi = fx_to_int(&t, q, 64);
    *quad = (unsigned)(qi & 3);
    struct fx80 r = fx_sub(&w, x, fx_mul(&w, q, p1));
    r = fx_sub(&w, r, fx_mul(&w, q, p2));
    r = fx_sub(&w, r, fx_mul(&w, q, p3));
    return r;
}

static bool trig_special(struct fx_env *e, struct fx80 a, struct fx80 *r, bool *done)
{
    enum fx_cls c = fx_class(a);
    *done = true;
    if (c == FXC_UNSUPPORTED || c == FXC_INF) {
        e->flags |= FX_IE;
        *r = fx_indefinite;
        return true;
    }
    if (c >= FXC_QNAN) {
        *r = fx_nan1(e, a);
        return true;
    }
    if (c == FXC_DENORMAL)
        e->flags |= FX_DE;
    if (fx_exp(a) >= 0x3FFF + 63)
        return false;
    *done = false;
    return true;
}

bool fx_sincos(struct fx_env *e, struct fx80 a, struct fx80 *s, struct fx80 *c)
{
    bool done;
    struct fx80 r;
    if (!trig_special(e, a, &r, &done))
        return false;
    if (done) {
        *s = *c = r;
        return true;
    }
    if (fx_class(a) == FXC_ZERO) {
        *s = a;
        *c = one();
        return true;
    }
    unsigned quad;
    struct fx80 x = reduce(a, &quad);
    struct fx80 sn = series_sin(x), cs = series_cos(x);
    switch (quad) {
    case 0: *s = sn; *c = cs; break;
    case 1: *s = cs; *c = fx_neg(sn); break;
    case 2: *s = fx_neg(sn); *c = fx_neg(cs); break;
    default: *s = fx_neg(cs); *c = sn; break;
    }
    *s = finish(e, *s);
    *c = finish(e, *c);
    return true;
}

bool fx_tan(struct fx_env *e, struct fx80 a, struct fx80 *tan)
{
    struct fx80 s, c;
    if (fx_class(a) == FXC_ZERO) {
        *tan = a;
        return true;
    }
    if (!fx_sincos(e, a, &s, &c))
        return false;
    if (fx_class(s) >= FXC_QNAN) {
        *tan = s;
        return true;
    }
    struct fx_env w = near64();
    *tan = finish(e, fx_div(&w, s, c));
    return true;
}

/* atan(t) for 0 <= t <= 1: three halvings atan(t) = 2 atan(t / (1 +
 * sqrt(1 + t^2))), then the alternating series. */
static struct fx80 atan01(struct fx80 t)
{
    struct fx_env w = near64();
    for (int k = 0; k < 3; k++)
        t = fx_div(&w, t, fx_add(&w, one(), fx_sqrt(&w, fx_add(&w, one(), fx_mul(&w, t, t)))));
    struct fx80 t2 = fx_mul(&w, t, t), sum = fx_div(&w, one(), fx_from_int(41));
    for (int k = 39; k >= 1; k -= 2)
        sum = fx_sub(&w, fx_div(&w, one(), fx_from_int(k)), fx_mul(&w, t2, sum));
    struct fx80 r = fx_mul(&w, t, sum);
    r.se += 3;                              /* times 8 */
    return r;
}

struct fx80 fx_atan2(struct fx_env *e, struct fx80 y, struct fx80 x)
{
    enum fx_cls cy = fx_class(y), cx = fx_class(x);
    if (cy == FXC_UNSUPPORTED || cx == FXC_UNSUPPORTED) {
        e->flags |= FX_IE;
        return fx_indefinite;
    }
    if (cy >= FXC_QNAN || cx >= FXC_QNAN)
        return fx_nan2(e, y, x);
    if (cy == FXC_DENORMAL || cx == FXC_DENORMAL)
        e->flags |= FX_DE;
    struct fx_env w = near64();
    struct fx80 pi = K(0x4000, 0xC90FDAA22168C235ull), hpi = K(0x3FFF, 0xC90FDAA22168C235ull);
    unsigned sy = fx_sign(y), sx = fx_sign(x);
    struct fx80 r;
    if (cy == FXC_ZERO) {
        r = sx ? pi : fx_make(0, 0, 0);
        return sx ? finish(e, fx_make(sy, fx_exp(r), r.sig)) : fx_make(sy, 0, 0);
    }
    if (cx == FXC_ZERO || cy == FXC_INF) {
        if (cy == FXC_INF && cx == FXC_INF)
            r = sx ? K(0x4000, 0x96CBE3F9990E91A8ull) : K(0x3FFE, 0xC90FDAA22168C235ull);
        else
            r = hpi;
        return finish(e, fx_make(sy, fx_exp(r), r.sig));
    }
    if (cx == FXC_INF) {
        if (!sx)
            return fx_make(sy, 0, 0);
        return finish(e, fx_make(sy, fx_exp(pi), pi.sig));
    }
    struct fx80 ay = fx_abs(y), ax = fx_abs(x);
    bool swap = fx_compare(&w, ay, ax, true) == FX_GT;
    struct fx80 t = swap ? fx_div(&w, ax, ay) : fx_div(&w, ay, ax);
    r = atan01(t);
    if (swap)
        r = fx_sub(&w, hpi, r);
    if (sx)
        r = fx_sub(&w, pi, r);
    return finish(e, fx_make(sy, fx_exp(r), r.sig));
}

struct fx80 fx_f2xm1(struct fx_env *e, struct fx80 a)
{
    enum fx_cls c = fx_class(a);
    if (c == FXC_UNSUPPORTED) {
        e->flags |= FX_IE;
        return fx_indefinite;
    }
    if (c >= FXC_QNAN)
        return fx_nan1(e, a);
    if (c == FXC_ZERO)
        return a;
    if (c == FXC_INF)
        return fx_sign(a) ? fx_neg(one()) : a;
    if (c == FXC_DENORMAL)
        e->flags |= FX_DE;
    struct fx_env w = near64();
    struct fx80 ln2 = K(0x3FFE, 0xB17217F7D1CF79ACull), t = fx_mul(&w, a, ln2), sum = one();
    for (int k = 30; k >= 2; k--)
        sum = fx_add(&w, one(), fx_div(&w, fx_mul(&w, t, sum), fx_from_int(k)));
    return finish(e, fx_mul(&w, t, sum));
}

/* ln(m) for m in [1/sqrt2, sqrt2): 2 atanh(u), u = (m - 1) / (m + 1). */
static struct fx80 ln_near1(struct fx80 num, struct fx80 den)
{
    struct fx_env w = near64();
    struct fx80 u = fx_div(&w, num, den), u2 = fx_mul(&w, u, u), sum = fx_div(&w, one(), fx_from_int(61));
    for (int k = 59; k >= 1; k -= 2)
        sum = fx_add(&w, fx_div(&w, one(), fx_from_int(k)), fx_mul(&w, u2, sum));
    struct fx80 r = fx_mul(&w, u, sum);
    if (fx_exp(r))
        r.se += 1;
    return r;
}

struct fx80 fx_yl2x(struct fx_env *e, struct fx80 x, struct fx80 y)
{
    enum fx_cls cx = fx_class(x), cy = fx_class(y);
    if (cx == FXC_UNSUPPORTED || cy == FXC_UNSUPPORTED) {
        e->flags |= FX_IE;
        return fx_indefinite;
    }
    if (cx >= FXC_QNAN || cy >= FXC_QNAN)
        return fx_nan2(e, x, y);
    if (fx_sign(x) && cx != FXC_ZERO) {
        e->flags |= FX_IE;
        return fx_indefinite;
    }
    if (cx == FXC_DENORMAL || cy == FXC_DENORMAL)
        e->flags |= FX_DE;
    struct fx_env w = near64();
    if (cx == FXC_ZERO) {
        if (cy == FXC_ZERO) {
            e->flags |= FX_IE;
            return fx_indefinite;
        }
        e->flags |= FX_ZE;
        return fx_make(!fx_sign(y), 0x7FFF, 1ull << 63);
    }
    if (cx == FXC_INF) {
        if (cy == FXC_ZERO) {
            e->flags |= FX_IE;
            return fx_indefinite;
        }
        return fx_make(fx_sign(y), 0x7FFF, 1ull << 63);
    }
    /* x = 2^k * m, m in [1/sqrt2, sqrt2) */
    uint64_t s = x.sig;
    int32_t k = fx_exp(x) ? (int32_t)fx_exp(x) - 0x3FFF : -0x3FFE;
    unsigned n = fx_clz64(s);
    s <<= n;
    k -= (int32_t)n;
    struct fx80 m = K(0x3FFF, s);
    if (s > 0xB504F333F9DE6484ull) {
        m = K(0x3FFE, s);
        k++;
    }
    struct fx80 l2e = K(0x3FFF, 0xB8AA3B295C17F0BCull);
    struct fx80 lg = fx_add(&w, fx_from_int(k), fx_mul(&w, ln_near1(fx_sub(&w, m, one()), fx_add(&w, m, one())), l2e));
    if (cy == FXC_INF) {
        if (fx_class(lg) == FXC_ZERO) {
            e->flags |= FX_IE;
            return fx_indefinite;
        }
        return fx_make(fx_sign(y) ^ fx_sign(lg), 0x7FFF, 1ull << 63);
    }
    struct fx_env t = *e;
    t.prec = 64;
    struct fx80 r = fx_mul(&t, y, lg);
    e->flags |= t.flags & (FX_OE | FX_UE | FX_C1);
    return finish(e, r);
}

struct fx80 fx_yl2xp1(struct fx_env *e, struct fx80 x, struct fx80 y)
{
    enum fx_cls cx = fx_class(x), cy = fx_class(y);
    if (cx == FXC_UNSUPPORTED || cy == FXC_UNSUPPORTED) {
        e->flags |= FX_IE;
        return fx_indefinite;
    }
    if (cx >= FXC_QNAN || cy >= FXC_QNAN)
        return fx_nan2(e, x, y);
    if (cx == FXC_DENORMAL || cy == FXC_DENORMAL)
        e->flags |= FX_DE;
    struct fx_env w = near64();
    if (cx == FXC_INF || (fx_sign(x) && fx_compare(&w, fx_abs(x), one(), true) != FX_LT)) {
        e->flags |= FX_IE;
        return fx_indefinite;
    }
    if (cx == FXC_ZERO) {
        if (cy == FXC_INF) {
            e->flags |= FX_IE;
            return fx_indefinite;
        }
        return fx_make(fx_sign(x) ^ fx_sign(y), 0, 0);
    }
    struct fx80 two = K(0x4000, 1ull << 63), l2e = K(0x3FFF, 0xB8AA3B295C17F0BCull);
    struct fx80 lg = fx_mul(&w, ln_near1(x, fx_add(&w, two, x)), l2e);
    if (cy == FXC_INF)
        return fx_make(fx_sign(y) ^ fx_sign(lg), 0x7FFF, 1ull << 63);
    struct fx_env t = *e;
    t.prec = 64;
    struct fx80 r = fx_mul(&t, y, lg);
    e->flags |= t.flags & (FX_OE | FX_UE | FX_C1);
    return finish(e, r);
}
