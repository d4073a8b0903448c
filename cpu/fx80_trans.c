/* The soft FPU's transcendentals: FSIN FCOS FSINCOS FPTAN FPATAN F2XM1
 * FYL2X FYL2XP1 (Intel SDM vol. 2 per mnemonic; vol. 1 §8.1.3.2 on the
 * reduction, §8.3.10 on accuracy).
 *
 * Every result is computed in a 128-bit soft float (struct q128 below: a
 * 128-bit significand, an int32 exponent that never overflows), then
 * rounded once to 64 bits by the caller's rounding control (the precision
 * control does not apply to these instructions). Each q128 operation
 * truncates with a sticky bit, so the error before the final rounding is a
 * few units of 2^-125 relative: results are the correctly rounded value
 * except when the exact value lies within about 2^-120 of a rounding
 * boundary.
 *
 * Arguments of the trigonometric functions are reduced by pi/2 exactly, in
 * integer arithmetic, with the x87's own 66-bit pi (0xC90FDAA22168C234C /
 * 2^66), as the hardware does, so fsin(pi) is the hardware's answer rather
 * than the true sine of the double nearest pi; |x| >= 2^63 is out of range
 * (C2). The series are Taylor series with enough terms for 2^-125 on the
 * reduced ranges: |r| <= pi/4 for sin and cos, |t| <= ln 2 for e^t - 1,
 * |u| <= 0.172 for atanh (log2 through 2 atanh((m-1)/(m+1)) with m in
 * [1/sqrt2, sqrt2)), |u| <= 1/16 for atan (after atan(t) = atan(j/8) +
 * atan((t - j/8) / (1 + t j/8))). The constants are 1/k!, 1/k, atan(j/8),
 * pi, ln 2 and 2/ln 2 to 128 bits, computed with mpmath at 300 bits.
 *
 * Special operands (NaNs, infinities, zeros, unsupported encodings, the
 * domain errors) follow the SDM's tables for each instruction. */
#include "cpu/fx80.h"

/* ---- a 128-bit soft float for the intermediates ---- */

struct q128 {
    uint64_t hi, lo;        /* significand: bit 63 of hi set, unless zero */
    int32_t exp;            /* value = (hi:lo) / 2^127 * 2^exp */
    unsigned sign;          /* 1 negative */
};

/* 1/k! for k = 0..33 */
static const struct q128 q_inv_fact[34] = {
    { 0x8000000000000000ULL, 0x0000000000000000ULL, 0, 0 },
    { 0x8000000000000000ULL, 0x0000000000000000ULL, 0, 0 },
    { 0x8000000000000000ULL, 0x0000000000000000ULL, -1, 0 },
    { 0xAAAAAAAAAAAAAAAAULL, 0xAAAAAAAAAAAAAAABULL, -3, 0 },
    { 0xAAAAAAAAAAAAAAAAULL, 0xAAAAAAAAAAAAAAABULL, -5, 0 },
    { 0x8888888888888888ULL, 0x8888888888888889ULL, -7, 0 },
    { 0xB60B60B60B60B60BULL, 0x60B60B60B60B60B6ULL, -10, 0 },
    { 0xD00D00D00D00D00DULL, 0x00D00D00D00D00D0ULL, -13, 0 },
    { 0xD00D00D00D00D00DULL, 0x00D00D00D00D00D0ULL, -16, 0 },
    { 0xB8EF1D2AB6399C7DULL, 0x560E4472800B8EF2ULL, -19, 0 },
    { 0x93F27DBBC4FAE397ULL, 0x780B69F5333C725BULL, -22, 0 },
    { 0xD7322B3FAA271C7FULL, 0x3A3F25C1BEE38F10ULL, -26, 0 },
    { 0x8F76C77FC6C4BDAAULL, 0x26D4C3D67F425F60ULL, -29, 0 },
    { 0xB092309D43684BE5ULL, 0x1C198E91D7B4269EULL, -33, 0 },
    { 0xC9CBA54603E4E905ULL, 0xD6F8A2EFD1F27546ULL, -37, 0 },
    { 0xD73F9F399DC0F88EULL, 0xC32B58774657F48FULL, -41, 0 },
    { 0xD73F9F399DC0F88EULL, 0xC32B58774657F48FULL, -45, 0 },
    { 0xCA963B81856A5359ULL, 0x3028CBBB8D7FF53CULL, -49, 0 },
    { 0xB413C31DCBECBBDDULL, 0x8024435161554BC3ULL, -53, 0 },
    { 0x97A4DA340A0AB926ULL, 0x50F61DBDCB3A5ABFULL, -57, 0 },
    { 0xF2A15D201011283DULL, 0x4E5695FC785D5DFFULL, -62, 0 },
    { 0xB8DC77B6E7AB8C5FULL, 0x78A37E77372290C2ULL, -66, 0 },
    { 0x8671CB6DBFC294A2ULL, 0x86485BF99C763ABCULL, -70, 0 },
    { 0xBB0DA098B1C0CECBULL, 0xDC3826EBFB13CC27ULL, -75, 0 },
    { 0xF96780CB97ABBE65ULL, 0x25A033E54EC51034ULL, -80, 0 },
    { 0x9F9E66E8B2FD46A7ULL, 0x22520CBBB7885C4AULL, -84, 0 },
    { 0xC4742FE35272CD1CULL, 0x790285D3580A4A34ULL, -89, 0 },
    { 0xE8D58E16E6751905ULL, 0x4D0C78AEA13B9A50ULL, -94, 0 },
    { 0x850C5131A842E9B9ULL, 0xE2E28E1AA546A152ULL, -98, 0 },
    { 0x92CFCC5A1AC56BD5ULL, 0xF1873BB378948EB3ULL, -103, 0 },
    { 0x9C9962823EB07306ULL, 0x56F6A614C4E2BA59ULL, -108, 0 },
    { 0xA1A6973C1FADE217ULL, 0x0F7237D35FE1C89EULL, -113, 0 },
    { 0xA1A6973C1FADE217ULL, 0x0F7237D35FE1C89EULL, -118, 0 },
    { 0x9CC092A6E86A8DA9ULL, 0xC166FFD4BA113EA8ULL, -123, 0 },
};

/* 1/k for odd k = 1..57 (index (k - 1) / 2) */
static const struct q128 q_inv_odd[29] = {
    { 0x8000000000000000ULL, 0x0000000000000000ULL, 0, 0 },
    { 0xAAAAAAAAAAAAAAAAULL, 0xAAAAAAAAAAAAAAABULL, -2, 0 },
    { 0xCCCCCCCCCCCCCCCCULL, 0xCCCCCCCCCCCCCCCDULL, -3, 0 },
    { 0x9249249249249249ULL, 0x2492492492492492ULL, -3, 0 },
    { 0xE38E38E38E38E38EULL, 0x38E38E38E38E38E4ULL, -4, 0 },
    { 0xBA2E8BA2E8BA2E8BULL, 0xA2E8BA2E8BA2E8BAULL, -4, 0 },
    { 0x9D89D89D89D89D89ULL, 0xD89D89D89D89D89EULL, -4, 0 },
    { 0x8888888888888888ULL, 0x8888888888888889ULL, -4, 0 },
    { 0xF0F0F0F0F0F0F0F0ULL, 0xF0F0F0F0F0F0F0F1ULL, -5, 0 },
    { 0xD79435E50D79435EULL, 0x50D79435E50D7943ULL, -5, 0 },
    { 0xC30C30C30C30C30CULL, 0x30C30C30C30C30C3ULL, -5, 0 },
    { 0xB21642C8590B2164ULL, 0x2C8590B21642C859ULL, -5, 0 },
    { 0xA3D70A3D70A3D70AULL, 0x3D70A3D70A3D70A4ULL, -5, 0 },
    { 0x97B425ED097B425EULL, 0xD097B425ED097B42ULL, -5, 0 },
    { 0x8D3DCB08D3DCB08DULL, 0x3DCB08D3DCB08D3EULL, -5, 0 },
    { 0x8421084210842108ULL, 0x4210842108421084ULL, -5, 0 },
    { 0xF83E0F83E0F83E0FULL, 0x83E0F83E0F83E0F8ULL, -6, 0 },
    { 0xEA0EA0EA0EA0EA0EULL, 0xA0EA0EA0EA0EA0EAULL, -6, 0 },
    { 0xDD67C8A60DD67C8AULL, 0x60DD67C8A60DD67DULL, -6, 0 },
    { 0xD20D20D20D20D20DULL, 0x20D20D20D20D20D2ULL, -6, 0 },
    { 0xC7CE0C7CE0C7CE0CULL, 0x7CE0C7CE0C7CE0C8ULL, -6, 0 },
    { 0xBE82FA0BE82FA0BEULL, 0x82FA0BE82FA0BE83ULL, -6, 0 },
    { 0xB60B60B60B60B60BULL, 0x60B60B60B60B60B6ULL, -6, 0 },
    { 0xAE4C415C9882B931ULL, 0x0572620AE4C415CAULL, -6, 0 },
    { 0xA72F05397829CBC1ULL, 0x4E5E0A72F0539783ULL, -6, 0 },
    { 0xA0A0A0A0A0A0A0A0ULL, 0xA0A0A0A0A0A0A0A1ULL, -6, 0 },
    { 0x9A90E7D95BC609A9ULL, 0x0E7D95BC609A90E8ULL, -6, 0 },
    { 0x94F2094F2094F209ULL, 0x4F2094F2094F2095ULL, -6, 0 },
    { 0x8FB823EE08FB823EULL, 0xE08FB823EE08FB82ULL, -6, 0 },
};

/* atan(j/8) for j = 1..8 (index j - 1) */
static const struct q128 q_atan_j8[8] = {
    { 0xFEADD4D5617B6E32ULL, 0xC897989F3E888EF8ULL, -4, 0 },
    { 0xFADBAFC96406EB15ULL, 0x6DC79EF5F7A217E6ULL, -3, 0 },
    { 0xB7B0CA0F26F78473ULL, 0x8AA32122DCFE4483ULL, -2, 0 },
    { 0xED63382B0DDA7B45ULL, 0x6FE445ECBC3A8D03ULL, -2, 0 },
    { 0x8F005D5EF7F59F9BULL, 0x5C835E1665C43748ULL, -1, 0 },
    { 0xA4BC7D1934F70924ULL, 0x19A87F2A457DAC9FULL, -1, 0 },
    { 0xB8053E2BC2319E73ULL, 0xCB2DA55210A4443DULL, -1, 0 },
    { 0xC90FDAA22168C234ULL, 0xC4C6628B80DC1CD1ULL, -1, 0 },
};

static const struct q128 q_pi = { 0xC90FDAA22168C234ULL, 0xC4C6628B80DC1CD1ULL, 1, 0 };
static const struct q128 q_pi2 = { 0xC90FDAA22168C234ULL, 0xC4C6628B80DC1CD1ULL, 0, 0 };
static const struct q128 q_ln2 = { 0xB17217F7D1CF79ABULL, 0xC9E3B39803F2F6AFULL, -1, 0 };
static const struct q128 q_2_ln2 = { 0xB8AA3B295C17F0BBULL, 0xBE87FED0691D3E89ULL, 1, 0 };

static bool q_is_zero(struct q128 a) { return !(a.hi | a.lo); }
static struct q128 q_neg(struct q128 a) { a.sign ^= 1; return a; }
static struct q128 q_signed(struct q128 a, unsigned sign) { a.sign = sign; return a; }
/* a * 2^n */
static struct q128 q_ldexp(struct q128 a, int32_t n) { a.exp += n; return a; }

/* Normalize (hi:lo) / 2^127 * 2^exp. */
static struct q128 q_norm(unsigned sign, int32_t exp, uint64_t hi, uint64_t lo)
{
    struct q128 r = { hi, lo, exp, sign };
    if (!hi) {
        if (!lo) {
            r.exp = 0;
            return r;
        }
        r.hi = lo;
        r.lo = 0;
        r.exp -= 64;
    }
    unsigned s = fx_clz64(r.hi);
    if (s) {
        r.hi = (r.hi << s) | (r.lo >> (64 - s));
        r.lo <<= s;
        r.exp -= (int32_t)s;
    }
    return r;
}

/* A finite fx80 (denormals and pseudo-denormals included), exactly. */
static struct q128 q_from_fx(struct fx80 a)
{
    int32_t e = fx_exp(a) ? (int32_t)fx_exp(a) : 1;
    return q_norm(fx_sign(a), e - 0x3FFF, a.sig, 0);
}

static struct q128 q_from_int(int64_t v)
{
    unsigned s = v < 0;
    return q_norm(s, 127, 0, s ? -(uint64_t)v : (uint64_t)v);
}

/* Round to the 80-bit result by the caller's rounding control, 64 bits
 * whatever the precision control (SDM vol. 1 §8.1.5.2). INEXACT: the
 * q128 is an approximation (a transcendental value), so PE is raised even
 * when its own bits below the 64th are zero. */
static struct fx80 q_to_fx(struct fx_env *e, struct q128 a, bool inexact)
{
    if (q_is_zero(a))
        return fx_make(a.sign, 0, 0);
    return fx_round_pack(e, 64, a.sign, a.exp + 0x3FFF, a.hi, a.lo | (inexact ? 1 : 0));
}

/* (w2:w1:w0) >> d, the bits shifted out ORed into bit 0. */
static void q_shr192_jam(uint64_t *w2, uint64_t *w1, uint64_t *w0, uint32_t d)
{
    uint64_t s = 0;
    if (d >= 192) {
        s = *w2 | *w1 | *w0;
        *w2 = *w1 = 0;
        *w0 = s != 0;
        return;
    }
    while (d >= 64) {
        s |= *w0;
        *w0 = *w1;
        *w1 = *w2;
        *w2 = 0;
        d -= 64;
    }
    if (d) {
        s |= *w0 << (64 - d);
        *w0 = (*w0 >> d) | (*w1 << (64 - d));
        *w1 = (*w1 >> d) | (*w2 << (64 - d));
        *w2 >>= d;
    }
    *w0 |= s != 0;
}

/* (w2:w1:w0) / 2^191 * 2^exp, normalized to 128 bits with a sticky bit. */
static struct q128 q_norm192(unsigned sign, int32_t exp, uint64_t w2, uint64_t w1, uint64_t w0)
{
    while (!w2) {
        if (!(w1 | w0)) {
            struct q128 z = { 0, 0, 0, sign };
            return z;
        }
        w2 = w1;
        w1 = w0;
        w0 = 0;
        exp -= 64;
    }
    unsigned s = fx_clz64(w2);
    if (s) {
        w2 = (w2 << s) | (w1 >> (64 - s));
        w1 = (w1 << s) | (w0 >> (64 - s));
        w0 <<= s;
        exp -= (int32_t)s;
    }
    struct q128 r = { w2, w1 | (w0 != 0), exp, sign };
    return r;
}

static bool q_mag_lt(struct q128 a, struct q128 b)
{
    if (a.exp != b.exp)
        return a.exp < b.exp;
    return a.hi < b.hi || (a.hi == b.hi && a.lo < b.lo);
}

static struct q128 q_add(struct q128 a, struct q128 b)
{
    if (q_is_zero(a))
        return b;
    if (q_is_zero(b))
        return a;
    if (q_mag_lt(a, b)) {
        struct q128 t = a;
        a = b;
        b = t;
    }
    uint64_t b2 = b.hi, b1 = b.lo, b0 = 0;
    q_shr192_jam(&b2, &b1, &b0, (uint32_t)(a.exp - b.exp));
    uint64_t r0, r1, r2;
    if (a.sign == b.sign) {
        r0 = b0;
        r1 = a.lo + b1;
        uint64_t c = r1 < b1;
        r2 = a.hi + b2 + c;
        bool carry = r2 < a.hi || (c && r2 == a.hi);
        if (carry) {
            q_shr192_jam(&r2, &r1, &r0, 1);
            r2 |= 1ull << 63;
            return q_norm192(a.sign, a.exp + 1, r2, r1, r0);
        }
        return q_norm192(a.sign, a.exp, r2, r1, r0);
    }
    r0 = 0 - b0;
    uint64_t br = b0 != 0;
    r1 = a.lo - b1 - br;
    br = a.lo < b1 || (br && a.lo == b1);
    r2 = a.hi - b2 - br;
    return q_norm192(a.sign, a.exp, r2, r1, r0);
}

static struct q128 q_sub(struct q128 a, struct q128 b) { return q_add(a, q_neg(b)); }

static struct q128 q_mul(struct q128 a, struct q128 b)
{
    if (q_is_zero(a) || q_is_zero(b)) {
        struct q128 z = { 0, 0, 0, a.sign ^ b.sign };
        return z;
    }
    uint64_t hh1, hh0, hl1, hl0, lh1, lh0, ll1, ll0;
    fx_mul64(a.hi, b.hi, &hh1, &hh0);
    fx_mul64(a.hi, b.lo, &hl1, &hl0);
    fx_mul64(a.lo, b.hi, &lh1, &lh0);
    fx_mul64(a.lo, b.lo, &ll1, &ll0);
    uint64_t w0 = ll0, w1 = ll1, c1 = 0, w2 = hh0, c2 = 0;
    w1 += hl0;
    c1 += w1 < hl0;
    w1 += lh0;
    c1 += w1 < lh0;
    w2 += hl1;
    c2 += w2 < hl1;
    w2 += lh1;
    c2 += w2 < lh1;
    w2 += c1;
    c2 += w2 < c1;
    uint64_t w3 = hh1 + c2;
    /* the product is in [2^254, 2^256): w3:w2:w1 / 2^191 * 2^(exp+1) */
    return q_norm192(a.sign ^ b.sign, a.exp + b.exp + 1, w3, w2, w1 | (w0 != 0));
}

/* a / b, b nonzero: 128 quotient bits by restoring division, then a
 * sticky bit for the remainder. */
static struct q128 q_div(struct q128 a, struct q128 b)
{
    if (q_is_zero(a)) {
        struct q128 z = { 0, 0, 0, a.sign ^ b.sign };
        return z;
    }
    uint64_t r2 = 0, r1 = a.hi, r0 = a.lo, q1 = 0, q0 = 0;
    int32_t exp = a.exp - b.exp;
    if (r1 < b.hi || (r1 == b.hi && r0 < b.lo)) {
        r2 = r1 >> 63;
        r1 = (r1 << 1) | (r0 >> 63);
        r0 <<= 1;
        exp--;
    }
    for (int i = 0; i < 128; i++) {
        q1 = (q1 << 1) | (q0 >> 63);
        q0 <<= 1;
        if (r2 || r1 > b.hi || (r1 == b.hi && r0 >= b.lo)) {
            uint64_t br = r0 < b.lo;
            r0 -= b.lo;
            r1 = r1 - b.hi - br;
            r2 = 0;
            q0 |= 1;
        }
        r2 = r1 >> 63;
        r1 = (r1 << 1) | (r0 >> 63);
        r0 <<= 1;
    }
    struct q128 r = { q1, q0 | ((r2 | r1 | r0) != 0), exp, a.sign ^ b.sign };
    return r;
}

/* ---- the series ---- */

/* The coefficient 1/k! with the sign (-1)^s. */
static struct q128 q_fact_coef(unsigned k, unsigned s) { return q_signed(q_inv_fact[k], s & 1); }

/* sin r and cos r for |r| <= pi/4 (a little more is fine): Taylor to r^33
 * and r^32. */
static struct q128 q_sin(struct q128 r)
{
    struct q128 r2 = q_mul(r, r), p = q_fact_coef(33, 16);
    for (int k = 31; k >= 1; k -= 2)
        p = q_add(q_mul(p, r2), q_fact_coef((unsigned)k, (unsigned)(k - 1) / 2));
    return q_mul(p, r);
}

static struct q128 q_cos(struct q128 r)
{
    struct q128 r2 = q_mul(r, r), p = q_fact_coef(32, 16);
    for (int k = 30; k >= 0; k -= 2)
        p = q_add(q_mul(p, r2), q_fact_coef((unsigned)k, (unsigned)k / 2));
    return p;
}

/* e^t - 1 for |t| <= ln 2: t (1 + t/2! + ... + t^32/33!). */
static struct q128 q_expm1(struct q128 t)
{
    struct q128 p = q_inv_fact[33];
    for (unsigned k = 32; k >= 1; k--)
        p = q_add(q_mul(p, t), q_inv_fact[k]);
    return q_mul(p, t);
}

/* 2 atanh(u) / ln 2 = log2((1 + u) / (1 - u)) for |u| <= 0.18: the odd
 * series to u^57. */
static struct q128 q_log2_atanh(struct q128 u)
{
    struct q128 u2 = q_mul(u, u), p = q_inv_odd[28];
    for (int i = 27; i >= 0; i--)
        p = q_add(q_mul(p, u2), q_inv_odd[i]);
    return q_mul(q_mul(p, u), q_2_ln2);
}

/* log2 of a positive q128: w = 2^k m with m in [1/sqrt2, sqrt2). *EXACT
 * is set when the result is exactly k (m = 1). */
static struct q128 q_log2(struct q128 w, bool *exact)
{
    int32_t k = w.exp;
    struct q128 m = w, one = q_inv_fact[0];
    m.exp = 0;
    if (m.hi > 0xB504F333F9DE6484ull) {
        m.exp = -1;
        k++;
    }
    struct q128 num = q_sub(m, one);
    *exact = q_is_zero(num);
    struct q128 l = *exact ? num : q_log2_atanh(q_div(num, q_add(m, one)));
    return q_add(q_from_int(k), l);
}

/* atan t for 0 <= t <= 1. */
static struct q128 q_atan01(struct q128 t)
{
    unsigned j = 0;
    if (!q_is_zero(t) && t.exp >= -4) {
        uint64_t tf = t.hi >> (3 - t.exp);          /* t * 2^60 */
        j = (unsigned)(((tf << 3) + (1ull << 59)) >> 60);
    }
    struct q128 u = t, a = { 0, 0, 0, 0 };
    if (j) {
        struct q128 c = q_norm(0, 127 - 3, 0, j);
        u = q_div(q_sub(t, c), q_add(q_inv_fact[0], q_mul(t, c)));
        a = q_atan_j8[j - 1];
    }
    struct q128 u2 = q_mul(u, u), p = q_signed(q_inv_odd[16], 0);
    for (int i = 15; i >= 0; i--)
        p = q_add(q_mul(p, u2), q_signed(q_inv_odd[i], (unsigned)i & 1));
    return q_add(a, q_mul(p, u));
}

/* ---- the instructions ---- */

static struct fx80 one(void) { return fx_make(0, 0x3FFF, 1ull << 63); }

/* Operand checks shared by FSIN FCOS FSINCOS FPTAN. Returns false for an
 * out-of-range argument (C2); otherwise *done says whether *r is already
 * the answer (NaN, infinity, unsupported). */
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

/* |x| = q pi/2 + r, |r| <= pi/4, with pi/2 = P / 2^67 and P the x87's
 * 68-bit 0xC90FDAA22168C234C (a 66-bit pi: its last two bits are zero).
 * Exact: |x| = S 2^(E-63) is S 2^(E+4) / 2^67, and the integer S 2^(E+4)
 * (at most 130 bits for E <= 62) is divided by P bit by bit. Returns r
 * and the low bits of q (ties go to the even q). */
static struct q128 trig_reduce(struct fx80 a, unsigned *quad)
{
    struct q128 x = q_from_fx(fx_abs(a));
    *quad = 0;
    if (x.exp < -1)
        return x;                               /* |x| < 1/2 < pi/4 */
    const uint64_t ph = 0xC, pl = 0x90FDAA22168C234Cull;
    uint64_t s = x.hi, rh = 0, rl = 0, q = 0;
    int k = x.exp + 4;
    for (int i = 63 + k; i >= 0; i--) {
        uint64_t bit = i >= k ? (s >> (i - k)) & 1 : 0;
        rh = (rh << 1) | (rl >> 63);
        rl = (rl << 1) | bit;
        q <<= 1;
        if (rh > ph || (rh == ph && rl >= pl)) {
            rh = rh - ph - (rl < pl);
            rl -= pl;
            q |= 1;
        }
    }
    /* round to nearest: r > P/2, or r = P/2 with q odd, takes the next q */
    const uint64_t hh = ph >> 1, hl = (pl >> 1) | (ph << 63);
    unsigned rs = 0;
    if (rh > hh || (rh == hh && (rl > hl || (rl == hl && (q & 1))))) {
        uint64_t br = pl < rl;
        rl = pl - rl;
        rh = ph - rh - br;
        rs = 1;
        q++;
    }
    *quad = (unsigned)(q & 3);
    return q_norm(rs, 127 - 67, rh, rl);
}

bool fx_sincos(struct fx_env *e, struct fx80 a, struct fx80 *s, struct fx80 *c)
{
    bool done;
    struct fx80 r;
    if (!trig_special(e, a, &r, &done))
        return false;
    if (done || fx_class(a) == FXC_ZERO) {
        if (s)
            *s = done ? r : a;
        if (c)
            *c = done ? r : one();
        return true;
    }
    /* sin x = sin r, cos r, -sin r, -cos r and cos x = cos r, -sin r,
     * -cos r, sin r by the quadrant; only the series needed are summed */
    unsigned quad;
    struct q128 x = trig_reduce(a, &quad);
    if (c) {
        struct q128 qc = (quad & 1) ? q_sin(x) : q_cos(x);
        if (quad == 1 || quad == 2)
            qc = q_neg(qc);
        *c = q_to_fx(e, qc, true);
    }
    if (s) {
        struct q128 qs = (quad & 1) ? q_cos(x) : q_sin(x);
        if ((quad >= 2) != fx_sign(a))
            qs = q_neg(qs);
        /* FSINCOS: C1 tells how the sine was rounded (measured) */
        e->flags &= (uint16_t)~FX_C1;
        *s = q_to_fx(e, qs, true);
    }
    return true;
}

bool fx_tan(struct fx_env *e, struct fx80 a, struct fx80 *tan)
{
    bool done;
    struct fx80 r;
    if (!trig_special(e, a, &r, &done))
        return false;
    if (done || fx_class(a) == FXC_ZERO) {
        *tan = done ? r : a;
        return true;
    }
    unsigned quad;
    struct q128 x = trig_reduce(a, &quad), sn = q_sin(x), cs = q_cos(x);
    struct q128 t = (quad & 1) ? q_neg(q_div(cs, sn)) : q_div(sn, cs);
    if (fx_sign(a))
        t = q_neg(t);
    *tan = q_to_fx(e, t, true);
    return true;
}

struct fx80 fx_atan2(struct fx_env *e, struct fx80 y, struct fx80 x)
{
    enum fx_cls cy = fx_class(y), cx = fx_class(x);
    struct fx80 special;
    if (fx_pair_special(e, y, x, &special))
        return special;
    if (cy == FXC_DENORMAL || cx == FXC_DENORMAL)
        e->flags |= FX_DE;
    unsigned sy = fx_sign(y), sx = fx_sign(x);
    struct q128 pi4 = q_ldexp(q_pi, -2), r;
    if (cy == FXC_ZERO) {
        if (!sx)
            return fx_make(sy, 0, 0);
        r = q_pi;
    } else if (cy == FXC_INF && cx == FXC_INF) {
        r = sx ? q_sub(q_pi, pi4) : pi4;
    } else if (cx == FXC_ZERO || cy == FXC_INF) {
        r = q_pi2;
    } else if (cx == FXC_INF) {
        if (!sx)
            return fx_make(sy, 0, 0);
        r = q_pi;
    } else {
        struct q128 ay = q_from_fx(fx_abs(y)), ax = q_from_fx(fx_abs(x));
        bool swap = q_mag_lt(ax, ay);
        r = q_atan01(swap ? q_div(ax, ay) : q_div(ay, ax));
        if (swap)
            r = q_sub(q_pi2, r);
        if (sx)
            r = q_sub(q_pi, r);
    }
    return q_to_fx(e, q_signed(r, sy), true);
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
    if (fx_exp(a) >= 0x3FFF) {
        /* |x| >= 1: -1 gives -1/2 (inexact, as Bochs); +1 gives the
         * hardware's 1 - epsilon, rounded (1 with C1, or the largest value
         * below 1 rounding down: measured); beyond, outside the domain,
         * the operand (as Bochs) */
        bool unit = fx_exp(a) == 0x3FFF && !(a.sig << 1);
        if (unit && !fx_sign(a)) {
            struct q128 below = { ~0ull, ~0ull, -1, 0 };
            return q_to_fx(e, below, true);
        }
        e->flags |= FX_PE;
        if (unit)
            return fx_make(1, 0x3FFE, 1ull << 63);
        return a;
    }
    return q_to_fx(e, q_expm1(q_mul(q_from_fx(a), q_ln2)), true);
}

/* FYL2X and FYL2XP1 round y log2(.) once; when the logarithm is an exact
 * integer the product is not rounded, yet PE is raised all the same unless
 * it is zero (measured on the host: FYL2X(8, 3) = 9 with PE and no C1). */
static struct fx80 log_result(struct fx_env *e, struct q128 r, bool exact)
{
    struct fx80 v = q_to_fx(e, r, !exact);
    if (!q_is_zero(r))
        e->flags |= FX_PE;
    return v;
}

struct fx80 fx_yl2x(struct fx_env *e, struct fx80 x, struct fx80 y)
{
    enum fx_cls cx = fx_class(x), cy = fx_class(y);
    struct fx80 special;
    if (fx_pair_special(e, x, y, &special))
        return special;
    if (fx_sign(x) && cx != FXC_ZERO) {
        e->flags |= FX_IE;
        return fx_indefinite;
    }
    if (cx == FXC_DENORMAL || cy == FXC_DENORMAL)
        e->flags |= FX_DE;
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
    bool exact;
    struct q128 lg = q_log2(q_from_fx(x), &exact);
    if (cy == FXC_INF) {
        if (q_is_zero(lg)) {
            e->flags |= FX_IE;
            return fx_indefinite;
        }
        return fx_make(fx_sign(y) ^ lg.sign, 0x7FFF, 1ull << 63);
    }
    if (cy == FXC_ZERO)
        return fx_make(fx_sign(y) ^ lg.sign, 0, 0);
    return log_result(e, q_mul(q_from_fx(y), lg), exact);
}

struct fx80 fx_yl2xp1(struct fx_env *e, struct fx80 x, struct fx80 y)
{
    enum fx_cls cx = fx_class(x), cy = fx_class(y);
    struct fx80 special;
    if (fx_pair_special(e, x, y, &special))
        return special;
    if (cx == FXC_DENORMAL || cy == FXC_DENORMAL)
        e->flags |= FX_DE;
    struct fx_env w = { FX_RC_NEAR, 64, 0x3F, 0 };
    if (fx_sign(x) && cx != FXC_ZERO) {
        unsigned cmp = fx_compare(&w, fx_abs(x), one(), true);
        if (cmp == FX_EQ) {
            /* x = -1: the operand, inexact, no IE (measured on the host) */
            e->flags |= FX_PE;
            return x;
        }
        if (cmp == FX_GT || cx == FXC_INF) {
            e->flags |= FX_IE;                  /* 1 + x < 0 */
            return fx_indefinite;
        }
    }
    if (cx == FXC_INF) {
        /* log2(+inf) = +inf (measured): 0 times it is invalid */
        if (cy == FXC_ZERO) {
            e->flags |= FX_IE;
            return fx_indefinite;
        }
        return fx_make(fx_sign(y), 0x7FFF, 1ull << 63);
    }
    if (cx == FXC_ZERO) {
        if (cy == FXC_INF) {
            e->flags |= FX_IE;
            return fx_indefinite;
        }
        return fx_make(fx_sign(x) ^ fx_sign(y), 0, 0);
    }
    struct q128 qx = q_from_fx(x), lg;
    bool exact = false;
    if (qx.exp < -2) {
        /* |x| < 1/4: u = x / (2 + x), |u| < 1/7 */
        lg = q_log2_atanh(q_div(qx, q_add(q_ldexp(q_inv_fact[0], 1), qx)));
    } else {
        lg = q_log2(q_add(q_inv_fact[0], qx), &exact);
    }
    if (cy == FXC_INF)
        return fx_make(fx_sign(y) ^ lg.sign, 0x7FFF, 1ull << 63);
    if (cy == FXC_ZERO)
        return fx_make(fx_sign(y) ^ lg.sign, 0, 0);
    return log_result(e, q_mul(q_from_fx(y), lg), exact);
}
