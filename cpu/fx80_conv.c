/* The soft FPU's conversions: integers, single and double reals, packed BCD
 * (FILD/FIST/FISTP, FLD/FST/FSTP m32/m64, FBLD/FBSTP). Intel SDM vol. 1
 * §4.2 (formats), §4.7 (BCD), §8.2 (the indefinites); vol. 2 per
 * instruction. Loads of m32/m64 raise DE for a denormal source and keep an
 * SNaN signaling (FLD quiets it with IE; arithmetic sees an SNaN); stores of a denormal raise no DE (measured on hardware: FIST,
 * FST and FBSTP of a denormal set only PE and UE). */
#include "cpu/fx80.h"

struct fx80 fx_from_int(int64_t v)
{
    if (v == 0)
        return fx_make(0, 0, 0);
    unsigned sign = v < 0;
    uint64_t m = sign ? 0 - (uint64_t)v : (uint64_t)v;
    unsigned n = fx_clz64(m);
    return fx_make(sign, 0x403E - n, m << n);
}

/* Round |a| to an integer by the rounding control: the magnitude, and
 * *big when it does not fit 64 bits. Raises PE and C1. A is finite. */
static uint64_t round_mag(struct fx_env *e, struct fx80 a, bool *big)
{
    struct fx80 r = fx_round_int(e, a);
    e->flags &= (uint16_t)~FX_DE;       /* stores raise no DE */
    unsigned exp = fx_exp(r);
    *big = false;
    if (exp == 0)
        return 0;
    if (exp > 0x403E) {
        *big = true;
        return 0;
    }
    return r.sig >> (0x403E - exp);
}

int64_t fx_to_int(struct fx_env *e, struct fx80 a, unsigned bits)
{
    enum fx_cls c = fx_class(a);
    int64_t indef = (int64_t)(~0ull << (bits - 1));
    if (c == FXC_UNSUPPORTED || c == FXC_INF || c >= FXC_QNAN) {
        e->flags |= FX_IE;
        return indef;
    }
    uint16_t before = e->flags;
    bool big;
    uint64_t m = round_mag(e, a, &big);
    uint64_t lim = (1ull << (bits - 1)) - (fx_sign(a) ? 0 : 1);
    if (big || m > lim) {
        e->flags = before | FX_IE;      /* no PE when the value does not fit */
        return indef;
    }
    return fx_sign(a) ? (int64_t)(0 - m) : (int64_t)m;
}

/* ---- binary reals ---- */

/* A load of a real with MANT fraction bits and EXPB exponent bits. */
static struct fx80 from_binary(struct fx_env *e, uint64_t v, unsigned mant, unsigned expb)
{
    unsigned sign = (unsigned)(v >> (mant + expb));
    unsigned emax = (1u << expb) - 1, bias = emax >> 1;
    unsigned exp = (unsigned)(v >> mant) & emax;
    uint64_t f = v & ((1ull << mant) - 1);
    if (exp == emax) {
        if (!f)
            return fx_make(sign, 0x7FFF, 1ull << 63);
        /* a NaN keeps its kind: an SNaN operand signals where it is used */
        return fx_make(sign, 0x7FFF, (1ull << 63) | (f << (63 - mant)));
    }
    if (exp == 0) {
        if (!f)
            return fx_make(sign, 0, 0);
        e->flags |= FX_DE;
        unsigned n = fx_clz64(f);
        return fx_make(sign, (unsigned)(0x3FFF - bias + 1 - (n - (63 - mant))), f << n);
    }
    return fx_make(sign, exp - bias + 0x3FFF, (1ull << 63) | (f << (63 - mant)));
}

struct fx80 fx_from_f32(struct fx_env *e, uint32_t v) { return from_binary(e, v, 23, 8); }
struct fx80 fx_from_f64(struct fx_env *e, uint64_t v) { return from_binary(e, v, 52, 11); }

/* A store: A rounded to a real with MANT fraction bits and EXPB exponent
 * bits by the rounding control (SDM vol. 1 §4.9.1.4-5: overflow to
 * infinity or the largest finite value, tininess before rounding). With
 * OE or UE unmasked the flags say so and the caller stores nothing. */
static uint64_t to_binary(struct fx_env *e, struct fx80 a, unsigned mant, unsigned expb)
{
    enum fx_cls c = fx_class(a);
    uint64_t sign = (uint64_t)fx_sign(a) << (mant + expb);
    uint64_t emax = (1u << expb) - 1, bias = emax >> 1, fmask = (1ull << mant) - 1;
    uint64_t inf = emax << mant;
    if (c == FXC_UNSUPPORTED) {
        e->flags |= FX_IE;
        return (1ull << (mant + expb)) | inf | (1ull << (mant - 1));
    }
    if (c >= FXC_QNAN) {
        if (c == FXC_SNAN)
            e->flags |= FX_IE;
        return sign | inf | (1ull << (mant - 1)) | ((a.sig << 1) >> (64 - mant));
    }
    if (c == FXC_INF)
        return sign | inf;
    if (c == FXC_ZERO)
        return sign;
    int32_t exp = fx_exp(a) ? (int32_t)fx_exp(a) : 1;
    uint64_t s = a.sig;
    unsigned n = fx_clz64(s);
    s <<= n;
    exp -= (int32_t)n;
    int32_t be = exp - 0x3FFF + (int32_t)bias;      /* biased in the target */
    unsigned prec = mant + 1;
    if (be <= 0 && !(e->masks & FX_UE)) {
        e->flags |= FX_UE;
        struct fx_env t = *e;
        fx_round_pack(&t, prec, fx_sign(a), 1, s, 0);
        e->flags |= t.flags & FX_PE;
        return 0;
    }
    /* round through the extended path with the target's exponent range:
     * shift the exponent so that the target's minimum is extended's 1 */
    struct fx_env t = *e;
    t.masks |= FX_UE | FX_OE;
    int32_t shifted = be;                           /* 1 = the target's emin */
    struct fx80 r = fx_round_pack(&t, prec, fx_sign(a), shifted, s, 0);
    int32_t re = fx_exp(r);
    e->flags |= t.flags & (FX_PE | FX_UE | FX_C1);
    if (re >= (int32_t)emax || (t.flags & FX_OE)) {
        /* overflow: what the rounding control gives */
        e->flags &= (uint16_t)~FX_C1;
        bool to_inf;
        switch (e->rc) {
        case FX_RC_NEAR: to_inf = true; break;
        case FX_RC_DOWN: to_inf = fx_sign(a); break;
        case FX_RC_UP:   to_inf = !fx_sign(a); break;
        default:         to_inf = false; break;
        }
        e->flags |= FX_OE | FX_PE | (to_inf ? FX_C1 : 0);
        if (!(e->masks & FX_OE))
            return 0;
        return to_inf ? sign | inf : sign | ((emax - 1) << mant) | fmask;
    }
    uint64_t frac = (r.sig >> (64 - prec)) & fmask;
    return sign | ((uint64_t)re << mant) | frac;
}

uint32_t fx_to_f32(struct fx_env *e, struct fx80 a) { return (uint32_t)to_binary(e, a, 23, 8); }
uint64_t fx_to_f64(struct fx_env *e, struct fx80 a) { return to_binary(e, a, 52, 11); }

/* ---- packed BCD ---- */

struct fx80 fx_from_bcd(const uint8_t bcd[10])
{
    uint64_t v = 0;
    for (int k = 8; k >= 0; k--)
        v = v * 100 + (uint64_t)(bcd[k] >> 4) * 10 + (bcd[k] & 0xF);
    struct fx80 r = fx_from_int((int64_t)v);
    if (bcd[9] & 0x80)
        r.se |= 0x8000;
    return r;
}

void fx_to_bcd(struct fx_env *e, struct fx80 a, uint8_t bcd[10])
{
    enum fx_cls c = fx_class(a);
    static const uint8_t indef[10] = { 0, 0, 0, 0, 0, 0, 0, 0xC0, 0xFF, 0xFF };
    bool big = false;
    uint64_t m = 0;
    uint16_t before = e->flags;
    if (c != FXC_UNSUPPORTED && c != FXC_INF && c < FXC_QNAN)
        m = round_mag(e, a, &big);
    if (c == FXC_UNSUPPORTED || c == FXC_INF || c >= FXC_QNAN || big || m > 999999999999999999ull) {
        e->flags = before | FX_IE;
        for (int k = 0; k < 10; k++)
            bcd[k] = indef[k];
        return;
    }
    for (int k = 0; k < 9; k++) {
        unsigned lo = (unsigned)(m % 10);
        m /= 10;
        unsigned hi = (unsigned)(m % 10);
        m /= 10;
        bcd[k] = (uint8_t)(hi << 4 | lo);
    }
    bcd[9] = fx_sign(a) ? 0x80 : 0;
}
