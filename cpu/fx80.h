/* 80-bit extended-precision arithmetic in portable C, softfloat's way: a
 * value is a 64-bit significand (explicit integer bit) and a 16-bit sign and
 * exponent. Never the host's FPU, so every host gives the same bits.
 *
 * Semantics are the x87's (Intel SDM vol. 1 ch. 4 and 8): rounding control
 * and precision control as the hardware applies them (the exponent range
 * stays extended under PC=24/53; a tiny result is denormalized first, then
 * rounded at the precision's bit of the 64-bit field), tininess detected
 * after rounding (measured under PC=24), C1 set when the magnitude was rounded up, the x87's NaN
 * rules (SDM vol. 1 table 4-7), unsupported encodings (unnormals,
 * pseudo-NaNs, pseudo-infinities) invalid, the denormal-operand flag, and the
 * bias-adjusted results of unmasked overflow and underflow (SDM vol. 1
 * §4.9.1.4-5). Exceptions are reported as status-word bits in fx_env.flags;
 * what reaches the status word is the caller's business (cpu/fpu.c).
 *
 * Pure functions of their arguments: no machine, no global state. */
#ifndef VMSCOPE_CPU_FX80_H
#define VMSCOPE_CPU_FX80_H

#include <stdbool.h>
#include <stdint.h>

struct fx80 {
    uint64_t sig;           /* significand, bit 63 = the explicit integer bit */
    uint16_t se;            /* bit 15 sign, bits 14-0 biased exponent (16383) */
};

/* Status-word bits an operation may raise (SDM vol. 1 figure 8-4). */
#define FX_IE 0x0001u       /* invalid operation */
#define FX_DE 0x0002u       /* denormal operand */
#define FX_ZE 0x0004u       /* zero divide */
#define FX_OE 0x0008u       /* overflow */
#define FX_UE 0x0010u       /* underflow */
#define FX_PE 0x0020u       /* precision (inexact) */
#define FX_SF 0x0040u       /* stack fault (with IE) */
#define FX_C1 0x0200u       /* with PE: the result was rounded up */
#define FX_EXC 0x003Fu

enum { FX_RC_NEAR = 0, FX_RC_DOWN = 1, FX_RC_UP = 2, FX_RC_ZERO = 3 };

/* The context of one operation: control-word fields in, flags out. */
struct fx_env {
    uint8_t rc;             /* FX_RC_* */
    uint8_t prec;           /* significand bits: 24, 53 or 64 */
    uint8_t masks;          /* control-word exception masks (bits 0-5) */
    uint16_t flags;         /* FX_* raised so far */
};

/* Operand classes (fx_class). */
enum fx_cls {
    FXC_ZERO, FXC_DENORMAL, FXC_NORMAL, FXC_INF, FXC_QNAN, FXC_SNAN, FXC_UNSUPPORTED,
};

static inline unsigned fx_exp(struct fx80 a) { return a.se & 0x7FFFu; }
static inline unsigned fx_sign(struct fx80 a) { return a.se >> 15; }
static inline struct fx80 fx_make(unsigned sign, unsigned exp, uint64_t sig)
{
    struct fx80 r = { sig, (uint16_t)((sign << 15) | exp) };
    return r;
}
static inline struct fx80 fx_neg(struct fx80 a) { a.se ^= 0x8000u; return a; }
static inline struct fx80 fx_abs(struct fx80 a) { a.se &= 0x7FFFu; return a; }
enum fx_cls fx_class(struct fx80 a);
static inline bool fx_is_nan(struct fx80 a)
{
    return fx_exp(a) == 0x7FFF && (a.sig >> 63) && (a.sig << 1);
}
static inline bool fx_is_snan(struct fx80 a) { return fx_is_nan(a) && !(a.sig & (1ull << 62)); }

/* The QNaN floating-point indefinite: negative, 0xC000000000000000. */
extern const struct fx80 fx_indefinite;

/* Round (sign, exp, sig0:sig1) to the context's precision and pack it. EXP
 * is the biased exponent of a value whose significand sig0 has its integer
 * bit at 63 (normalized by the caller, or already denormal with EXP 1 - n);
 * sig1 holds the bits below. PREC overrides env->prec (64 for results the
 * precision control does not apply to). */
struct fx80 fx_round_pack(struct fx_env *e, unsigned prec, unsigned sign, int32_t exp, uint64_t sig0,
                          uint64_t sig1);
/* The same after normalizing sig0:sig1 (any leading zeros). */
struct fx80 fx_norm_round_pack(struct fx_env *e, unsigned prec, unsigned sign, int32_t exp, uint64_t sig0,
                               uint64_t sig1);

/* The x87 result for operands of which at least one is a NaN: IE for an
 * SNaN, then the rules of SDM vol. 1 table 4-7. */
struct fx80 fx_nan2(struct fx_env *e, struct fx80 a, struct fx80 b);
/* The first steps of every two-operand operation: an unsupported operand
 * is invalid (IE, the indefinite), else a NaN operand gives fx_nan2's
 * result. True, with *R, when one of them decides the result. */
bool fx_pair_special(struct fx_env *e, struct fx80 a, struct fx80 b, struct fx80 *r);
struct fx80 fx_nan1(struct fx_env *e, struct fx80 a);

/* Arithmetic under the precision control (FADD...FDIVR, FSQRT). */
struct fx80 fx_add(struct fx_env *e, struct fx80 a, struct fx80 b);
struct fx80 fx_sub(struct fx_env *e, struct fx80 a, struct fx80 b);
struct fx80 fx_mul(struct fx_env *e, struct fx80 a, struct fx80 b);
struct fx80 fx_div(struct fx_env *e, struct fx80 a, struct fx80 b);
struct fx80 fx_sqrt(struct fx_env *e, struct fx80 a);

/* FRNDINT: round to an integer by the rounding control, full precision. */
struct fx80 fx_round_int(struct fx_env *e, struct fx80 a);
/* FSCALE: a * 2^trunc(b). */
struct fx80 fx_scale(struct fx_env *e, struct fx80 a, struct fx80 b);
/* FXTRACT: exponent (returned) and significand (*sig) of a. */
struct fx80 fx_xtract(struct fx_env *e, struct fx80 a, struct fx80 *sig);
/* FPREM (nearest=false: truncating quotient) and FPREM1 (nearest=true):
 * the partial remainder of a / b. *q gets the low three quotient bits,
 * *state is 1 when the reduction is incomplete (C2), 0 when complete, -1
 * for a NaN or invalid result (the condition codes are left alone). */
struct fx80 fx_rem(struct fx_env *e, struct fx80 a, struct fx80 b, bool nearest, unsigned *q, int *state);

/* Compare: FX_LT, FX_EQ, FX_GT or FX_UN. QUIET: a QNaN raises nothing
 * (FUCOM); otherwise any NaN raises IE (FCOM). */
enum { FX_LT, FX_EQ, FX_GT, FX_UN };
unsigned fx_compare(struct fx_env *e, struct fx80 a, struct fx80 b, bool quiet);

/* Conversions (cpu/fx80_conv.c). Loads are exact except for the flags of
 * NaN and denormal sources; stores round by the rounding control. */
struct fx80 fx_from_int(int64_t v);
/* To a signed integer of BITS (16, 32, 64): the integer indefinite
 * (most negative value) with IE when it does not fit or is a NaN. */
int64_t fx_to_int(struct fx_env *e, struct fx80 a, unsigned bits);
struct fx80 fx_from_f32(struct fx_env *e, uint32_t v);
struct fx80 fx_from_f64(struct fx_env *e, uint64_t v);
uint32_t fx_to_f32(struct fx_env *e, struct fx80 a);
uint64_t fx_to_f64(struct fx_env *e, struct fx80 a);
/* FBLD / FBSTP: 18 packed BCD digits and a sign byte (10 bytes). */
struct fx80 fx_from_bcd(const uint8_t bcd[10]);
void fx_to_bcd(struct fx_env *e, struct fx80 a, uint8_t bcd[10]);

/* The tag of a non-empty register: 0 valid, 1 zero, 2 special. */
unsigned fx_tag(struct fx80 a);

/* Transcendentals (cpu/fx80_trans.c): see there. Each returns false and
 * leaves its operands alone when the argument is out of range (C2).
 * fx_sincos computes what it is given a place for (S or C may be NULL). */
bool fx_sincos(struct fx_env *e, struct fx80 a, struct fx80 *sin, struct fx80 *cos);
bool fx_tan(struct fx_env *e, struct fx80 a, struct fx80 *tan);
struct fx80 fx_atan2(struct fx_env *e, struct fx80 y, struct fx80 x);
struct fx80 fx_f2xm1(struct fx_env *e, struct fx80 a);
struct fx80 fx_yl2x(struct fx_env *e, struct fx80 x, struct fx80 y);
struct fx80 fx_yl2xp1(struct fx_env *e, struct fx80 x, struct fx80 y);

/* ---- 64- and 128-bit helpers shared by the files of the soft FPU ---- */

static inline unsigned fx_clz64(uint64_t v) { return v ? (unsigned)__builtin_clzll(v) : 64; }

/* (a:b) >> n with the bits shifted out ORed into the lowest bit. */
static inline void fx_shr128_jam(uint64_t a, uint64_t b, unsigned n, uint64_t *ra, uint64_t *rb)
{
    if (n == 0) {
        *ra = a;
        *rb = b;
    } else if (n < 64) {
        *rb = (a << (64 - n)) | (b >> n) | ((b << (64 - n)) != 0);
        *ra = a >> n;
    } else if (n == 64) {
        *rb = a | (b != 0);
        *ra = 0;
    } else if (n < 128) {
        *rb = (a >> (n - 64)) | (((a << (128 - n)) | b) != 0);
        *ra = 0;
    } else {
        *rb = (a | b) != 0;
        *ra = 0;
    }
}

static inline void fx_mul64(uint64_t a, uint64_t b, uint64_t *hi, uint64_t *lo)
{
    uint64_t al = (uint32_t)a, ah = a >> 32, bl = (uint32_t)b, bh = b >> 32;
    uint64_t ll = al * bl, lh = al * bh, hl = ah * bl, hh = ah * bh;
    uint64_t mid = (ll >> 32) + (uint32_t)lh + (uint32_t)hl;
    *lo = (mid << 32) | (uint32_t)ll;
    *hi = hh + (lh >> 32) + (hl >> 32) + (mid >> 32);
}

#endif
