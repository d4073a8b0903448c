/* x87 data instructions: loads and stores of every format, the basic
 * arithmetic (memory and register forms), compares, FCMOVcc, FXCH, FCHS,
 * FABS, FXAM, FTST, FRNDINT, FSCALE, FXTRACT, FSQRT, FPREM/FPREM1, the
 * constants, FFREE/FINCSTP/FDECSTP/FNOP. Intel SDM vol. 2 per mnemonic;
 * vol. 1 §8.3 (the instruction set), §8.5 (exception conditions).
 *
 * Every handler starts with fpu_prepare (#NM, then a pending exception for
 * the waiting ones) and fpu_note (the last-instruction pointers), clears C1
 * where the SDM says the instruction sets it, checks the stack, computes on
 * copies, and writes registers only when fpu_exception allows. A memory
 * operand is read before any state changes; a store writes memory before
 * the status word and TOP change, so a #PF leaves the FPU as it was. Where
 * the SDM leaves a detail open, as Bochs does it. */
#include "cpu/fpu_impl.h"
#include "cpu/ops.h"

#define FPU(m) (&(m)->cpu.fpu)

/* ---- the memory operand of the arithmetic forms ---- */

/* The operand of D8-DE memory forms: m32real, m32int, m64real, m16int. */
static struct fx80 arith_operand(struct machine *m, const struct insn *i, struct fx_env *e)
{
    uint8_t b[8];
    switch (i->op) {
    case 0xD8: fpu_read_mem(m, i, 0, b, 4); { uint32_t v; memcpy(&v, b, 4); return fx_from_f32(e, v); }
    case 0xDA: fpu_read_mem(m, i, 0, b, 4); { int32_t v; memcpy(&v, b, 4); return fx_from_int(v); }
    case 0xDC: fpu_read_mem(m, i, 0, b, 8); { uint64_t v; memcpy(&v, b, 8); return fx_from_f64(e, v); }
    default:   fpu_read_mem(m, i, 0, b, 2); { int16_t v; memcpy(&v, b, 2); return fx_from_int(v); }
    }
}

/* The operation of ModRM.reg 0, 1, 4-7 on A (the destination) and B. */
static struct fx80 arith(struct fx_env *e, unsigned op, struct fx80 a, struct fx80 b)
{
    switch (op) {
    case 0: return fx_add(e, a, b);
    case 1: return fx_mul(e, a, b);
    case 4: return fx_sub(e, a, b);
    case 5: return fx_sub(e, b, a);
    case 6: return fx_div(e, a, b);
    default: return fx_div(e, b, a);
    }
}

static const uint16_t cc_of[4] = { [FX_LT] = FSW_C0, [FX_EQ] = FSW_C3, [FX_GT] = 0,
                                   [FX_UN] = FSW_C0 | FSW_C2 | FSW_C3 };

/* FCOM/FCOMP/FUCOM... of ST0 with B: condition codes, pops. */
static void compare(struct machine *m, struct fx80 b, bool quiet, unsigned pops)
{
    struct fpu *f = FPU(m);
    struct fx_env e = fpu_env(f);
    unsigned r = fx_compare(&e, st_get(f, 0), b, quiet);
    fpu_set_cc(f, cc_of[r]);
    if (!fpu_exception(m, e.flags, false))
        while (pops--)
            fpu_pop(f);
}

static void compare_underflow(struct machine *m, unsigned pops)
{
    struct fpu *f = FPU(m);
    fpu_exception(m, FX_IE | FX_SF, false);
    fpu_set_cc(f, FSW_C0 | FSW_C2 | FSW_C3);
    if (fpu_ie_masked(f))
        while (pops--)
            fpu_pop(f);
}

/* D8, DA, DC, DE memory forms: FADD FMUL FCOM FCOMP FSUB FSUBR FDIV FDIVR
 * and the FI* integer forms. */
void op_fpu_arith_m(struct machine *m, const struct insn *i)
{
    struct fpu *f = FPU(m);
    fpu_prepare(m, true);
    struct fx_env e = fpu_env(f);
    struct fx80 b = arith_operand(m, i, &e);
    fpu_note(m, i);
    fpu_clear_c1(f);
    if (i->reg == 2 || i->reg == 3) {
        if (st_empty(f, 0)) {
            compare_underflow(m, i->reg - 2);
            return;
        }
        struct fx_env c = fpu_env(f);
        if (fx_class(st_get(f, 0)) >= FXC_QNAN)
            e.flags &= (uint16_t)~FX_DE;
        unsigned r = fx_compare(&c, st_get(f, 0), b, false);
        fpu_set_cc(f, cc_of[r]);
        if (!fpu_exception(m, c.flags | e.flags, false) && i->reg == 3)
            fpu_pop(f);
        return;
    }
    if (st_empty(f, 0)) {
        fpu_stack_underflow(m, 0, false);
        return;
    }
    /* a NaN or unsupported ST0 takes precedence over a denormal operand */
    if (fx_class(st_get(f, 0)) >= FXC_QNAN)
        e.flags &= (uint16_t)~FX_DE;
    struct fx80 r = arith(&e, i->reg, st_get(f, 0), b);
    if (!fpu_exception(m, e.flags, false))
        st_set(f, 0, r);
}

/* D8 C0-FF: ST0 = ST0 op ST(i); DC C0-FF, DE C0-FF: ST(i) = ST(i) op ST0
 * (DC/DE E0-FF name the reverse operation the other way round), DE pops. */
void op_fpu_arith_r(struct machine *m, const struct insn *i)
{
    struct fpu *f = fpu_begin(m, i);
    bool to_sti = i->op != 0xD8, pop = i->op == 0xDE;
    unsigned dst = to_sti ? i->rm : 0, op = i->reg;
    if (st_empty(f, 0) || st_empty(f, i->rm)) {
        fpu_stack_underflow(m, dst, pop);
        return;
    }
    if (to_sti && op >= 4)
        op ^= 1;
    struct fx_env e = fpu_env(f);
    struct fx80 r = to_sti ? arith(&e, op, st_get(f, i->rm), st_get(f, 0)) : arith(&e, op, st_get(f, 0), st_get(f, i->rm));
    if (!fpu_exception(m, e.flags, false)) {
        st_set(f, dst, r);
        if (pop)
            fpu_pop(f);
    }
}

/* D8 D0-DF, DC D0-DF (FCOM2, FCOMP3), DE D0-D7 (FCOMP5), DE D9 (FCOMPP),
 * DD E0-EF (FUCOM, FUCOMP), DA E9 (FUCOMPP). */
void op_fpu_com_r(struct machine *m, const struct insn *i)
{
    struct fpu *f = fpu_begin(m, i);
    bool quiet = i->op == 0xDD || i->op == 0xDA;
    unsigned pops = i->op == 0xDE ? (i->reg == 3 ? 2 : 1) : i->op == 0xDA ? 2 : (i->reg & 1);
    if (st_empty(f, 0) || st_empty(f, i->rm)) {
        compare_underflow(m, pops);
        return;
    }
    compare(m, st_get(f, i->rm), quiet, pops);
}

/* DB E8-F7 FUCOMI/FCOMI, DF E8-F7 FUCOMIP/FCOMIP: ZF PF CF. */
void op_fpu_comi(struct machine *m, const struct insn *i)
{
    struct fpu *f = fpu_begin(m, i);
    bool pop = i->op == 0xDF;
    static const uint32_t fl[4] = { [FX_LT] = EFLAGS_CF, [FX_EQ] = EFLAGS_ZF, [FX_GT] = 0,
                                    [FX_UN] = EFLAGS_ZF | EFLAGS_PF | EFLAGS_CF };
    unsigned r = FX_UN, ex = FX_IE | FX_SF;
    bool empty = st_empty(f, 0) || st_empty(f, i->rm);
    if (!empty) {
        struct fx_env e = fpu_env(f);
        r = fx_compare(&e, st_get(f, 0), st_get(f, i->rm), i->reg == 5);
        ex = e.flags;
    }
    flags_materialize(m);
    m->cpu.eflags = (m->cpu.eflags & ~ARITH_FLAGS) | fl[r];
    unsigned unmasked = fpu_exception(m, ex, false);
    if (pop && (empty ? fpu_ie_masked(f) : !unmasked))
        fpu_pop(f);
}

/* DE /2 /3 and DA /2 /3 are compares too (FICOM, FICOMP): in
 * op_fpu_arith_m. DD /0, D9 /0, DB /0 /5, DF /0 /4 /5: the loads. */
void op_fpu_load_m(struct machine *m, const struct insn *i)
{
    struct fpu *f = FPU(m);
    fpu_prepare(m, true);
    struct fx_env e = fpu_env(f);
    struct fx80 v;
    uint8_t b[10];
    switch ((i->op & 7) << 3 | i->reg) {
    case 1 << 3 | 0: fpu_read_mem(m, i, 0, b, 4); { uint32_t x; memcpy(&x, b, 4); v = fx_from_f32(&e, x); } break;
    case 5 << 3 | 0: fpu_read_mem(m, i, 0, b, 8); { uint64_t x; memcpy(&x, b, 8); v = fx_from_f64(&e, x); } break;
    case 3 << 3 | 0: fpu_read_mem(m, i, 0, b, 4); { int32_t x; memcpy(&x, b, 4); v = fx_from_int(x); } break;
    case 7 << 3 | 0: fpu_read_mem(m, i, 0, b, 2); { int16_t x; memcpy(&x, b, 2); v = fx_from_int(x); } break;
    case 7 << 3 | 5: fpu_read_mem(m, i, 0, b, 8); { int64_t x; memcpy(&x, b, 8); v = fx_from_int(x); } break;
    case 7 << 3 | 4: fpu_read_mem(m, i, 0, b, 10); v = fx_from_bcd(b); break;
    default:         v = fpu_read_m80(m, i, 0); break;         /* DB /5 */
    }
    if (fx_is_nan(v) && (i->op == 0xD9 || i->op == 0xDD))
        v = fx_nan1(&e, v);
    fpu_note(m, i);
    fpu_clear_c1(f);
    if (!st_empty(f, 7)) {
        fpu_stack_overflow(m);
        return;
    }
    /* an unmasked DE does not stop a load (measured on hardware) */
    if (!(fpu_exception(m, e.flags, false) & FX_IE))
        fpu_push(f, v);
}

/* D9 /2 /3, DD /2 /3, DB /2 /3 /7, DF /2 /3 /6 /7: the stores. */
void op_fpu_store_m(struct machine *m, const struct insn *i)
{
    struct fpu *f = fpu_begin(m, i);
    unsigned form = (i->op & 7) << 3 | i->reg;
    bool pop = form == (3 << 3 | 7) || form == (7 << 3 | 6) || form == (7 << 3 | 7) || (i->reg & 1);
    struct fx_env e = fpu_env(f);
    uint8_t b[10];
    unsigned len;
    bool empty = st_empty(f, 0);
    struct fx80 a = empty ? fx_indefinite : st_get(f, 0);
    switch (form) {
    case 1 << 3 | 2: case 1 << 3 | 3: { uint32_t v = fx_to_f32(&e, a); memcpy(b, &v, 4); len = 4; break; }
    case 5 << 3 | 2: case 5 << 3 | 3: { uint64_t v = fx_to_f64(&e, a); memcpy(b, &v, 8); len = 8; break; }
    case 3 << 3 | 2: case 3 << 3 | 3: { int32_t v = (int32_t)fx_to_int(&e, a, 32); memcpy(b, &v, 4); len = 4; break; }
    case 7 << 3 | 2: case 7 << 3 | 3: { int16_t v = (int16_t)fx_to_int(&e, a, 16); memcpy(b, &v, 2); len = 2; break; }
    case 7 << 3 | 7: { int64_t v = fx_to_int(&e, a, 64); memcpy(b, &v, 8); len = 8; break; }
    case 7 << 3 | 6: fx_to_bcd(&e, a, b); len = 10; break;
    default: memcpy(b, &a.sig, 8); b[8] = (uint8_t)a.se; b[9] = (uint8_t)(a.se >> 8); len = 10; break;
    }
    uint16_t old = f->sw;
    if (empty) {
        fpu_exception(m, FX_IE | FX_SF, false);
        if (!fpu_ie_masked(f))
            return;
    } else if (fpu_exception(m, e.flags, true)) {
        return;
    }
    /* a fault on the store leaves the status word as it was */
    uint16_t now = f->sw;
    f->sw = old;
    fpu_write_mem(m, i, 0, b, len);
    f->sw = now;
    if (pop)
        fpu_pop(f);
}

/* D9 C0-C7 FLD ST(i). */
void op_fld_sti(struct machine *m, const struct insn *i)
{
    struct fpu *f = fpu_begin(m, i);
    if (!st_empty(f, 7)) {
        fpu_stack_overflow(m);
        return;
    }
    struct fx80 v = fx_indefinite;
    if (st_empty(f, i->rm)) {
        fpu_exception(m, FX_IE | FX_SF, false);
        if (!fpu_ie_masked(f))
            return;
    } else {
        v = st_get(f, i->rm);
    }
    fpu_push(f, v);
}

/* DD D0-DF FST/FSTP ST(i); D9 D8-DF (FSTP1), DF D0-DF (FSTP8, FSTP9). */
void op_fst_sti(struct machine *m, const struct insn *i)
{
    struct fpu *f = fpu_begin(m, i);
    bool pop = i->op != 0xDD || i->reg == 3;
    if (st_empty(f, 0)) {
        fpu_stack_underflow(m, i->rm, pop);
        return;
    }
    st_set(f, i->rm, st_get(f, 0));
    if (pop)
        fpu_pop(f);
}

/* D9 C8-CF FXCH; DD C8-CF (FXCH4), DF C8-CF (FXCH7). */
void op_fxch(struct machine *m, const struct insn *i)
{
    struct fpu *f = fpu_begin(m, i);
    bool e0 = st_empty(f, 0), ei = st_empty(f, i->rm);
    struct fx80 a = st_get(f, 0), b = st_get(f, i->rm);
    if (e0 || ei) {
        fpu_exception(m, FX_IE | FX_SF, false);
        if (!fpu_ie_masked(f))
            return;
        if (e0)
            a = fx_indefinite;
        if (ei)
            b = fx_indefinite;
    }
    st_set(f, i->rm, a);
    st_set(f, 0, b);
}

/* DA C0-DF, DB C0-DF: FCMOVB/E/BE/U and FCMOVNB/NE/NBE/NU. */
void op_fcmov(struct machine *m, const struct insn *i)
{
    struct fpu *f = FPU(m);
    fpu_prepare(m, true);
    fpu_note(m, i);
    if (st_empty(f, 0) || st_empty(f, i->rm)) {
        fpu_clear_c1(f);
        fpu_stack_underflow(m, 0, false);
        return;
    }
    static const uint8_t jcc[4] = { 0x2, 0x4, 0x6, 0xA };    /* B, E, BE, P */
    bool c = cond_eval(m, jcc[i->reg & 3] | (i->op == 0xDB));
    if (c)
        st_set(f, 0, st_get(f, i->rm));
}

/* DD C0-C7 FFREE; DF C0-C7 FFREEP (frees, then pops). */
void op_ffree(struct machine *m, const struct insn *i)
{
    struct fpu *f = FPU(m);
    fpu_prepare(m, true);
    fpu_note(m, i);
    st_free(f, i->rm);
    if (i->op == 0xDF)
        f->top = (f->top + 1) & 7;
}

/* D9 E0-E5, D9 F6 F7, D9 D0: the one-operand instructions on ST0 that do
 * not round: FCHS FABS FTST FXAM FDECSTP FINCSTP FNOP. */
void op_fpu_misc(struct machine *m, const struct insn *i)
{
    struct fpu *f = FPU(m);
    fpu_prepare(m, true);
    fpu_note(m, i);
    unsigned op = (unsigned)(i->imm2 & 0xFF);
    if (op == 0xD0)
        return;                             /* FNOP */
    fpu_clear_c1(f);
    if (op == 0xF6 || op == 0xF7) {         /* FDECSTP, FINCSTP */
        f->top = (f->top + (op == 0xF7 ? 1 : 7)) & 7;
        return;
    }
    if (op == 0xE5) {                       /* FXAM */
        struct fx80 a = st_get(f, 0);
        unsigned cc;
        if (st_empty(f, 0)) {
            cc = FSW_C3 | FSW_C0;
        } else {
            switch (fx_class(a)) {
            case FXC_ZERO:     cc = FSW_C3; break;
            case FXC_DENORMAL: cc = FSW_C3 | FSW_C2; break;
            case FXC_NORMAL:   cc = FSW_C2; break;
            case FXC_INF:      cc = FSW_C2 | FSW_C0; break;
            case FXC_QNAN: case FXC_SNAN: cc = FSW_C0; break;
            default:           cc = 0; break;
            }
        }
        fpu_set_cc(f, cc | (fx_sign(a) ? FSW_C1 : 0));
        return;
    }
    if (st_empty(f, 0)) {
        if (op == 0xE4)
            compare_underflow(m, 0);
        else
            fpu_stack_underflow(m, 0, false);
        return;
    }
    struct fx80 a = st_get(f, 0);
    if (op == 0xE4)                         /* FTST */
        compare(m, fx_make(0, 0, 0), false, 0);
    else
        st_set(f, 0, op == 0xE0 ? fx_neg(a) : fx_abs(a));
}

/* D9 E8-EE: FLD1 FLDL2T FLDL2E FLDPI FLDLG2 FLDLN2 FLDZ. The x87 holds
 * them to more than 64 bits and rounds them by the rounding control: the
 * 64-bit value nearest, one less when rounding down or toward zero (L2T:
 * one more when rounding up), as SDM vol. 1 §8.3.8 and Bochs give it. */
void op_fld_const(struct machine *m, const struct insn *i)
{
    static const struct { uint64_t sig; uint16_t se; int8_t down, up; } k[7] = {
        { 0x8000000000000000ull, 0x3FFF, 0, 0 },      /* 1 */
        { 0xD49A784BCD1B8AFEull, 0x4000, 0, 1 },      /* log2(10) */
        { 0xB8AA3B295C17F0BCull, 0x3FFF, -1, 0 },     /* log2(e) */
        { 0xC90FDAA22168C235ull, 0x4000, -1, 0 },     /* pi */
        { 0x9A209A84FBCFF799ull, 0x3FFD, -1, 0 },     /* log10(2) */
        { 0xB17217F7D1CF79ACull, 0x3FFE, -1, 0 },     /* ln(2) */
        { 0, 0, 0, 0 },                               /* +0 */
    };
    struct fpu *f = fpu_begin(m, i);
    if (!st_empty(f, 7)) {
        fpu_stack_overflow(m);
        return;
    }
    unsigned n = i->rm, rc = (f->cw >> 10) & 3;
    struct fx80 v = { k[n].sig, k[n].se };
    if (rc == FX_RC_DOWN || rc == FX_RC_ZERO)
        v.sig += (uint64_t)(int64_t)k[n].down;
    else if (rc == FX_RC_UP)
        v.sig += (uint64_t)(int64_t)k[n].up;
    fpu_push(f, v);
}

/* One operand, one result on ST0, rounded: FSQRT FRNDINT (and FSCALE,
 * FPREM, FPREM1, which read ST1 too). D9 F8 FA FC FD, D9 F5. */
void op_fpu_st0(struct machine *m, const struct insn *i)
{
    struct fpu *f = fpu_begin(m, i);
    unsigned op = (unsigned)(i->imm2 & 0xFF);
    bool rem = op == 0xF8 || op == 0xF5, two = rem || op == 0xFD;
    if (rem)
        f->sw &= (uint16_t)~FSW_C2;
    if (st_empty(f, 0) || (two && st_empty(f, 1))) {
        fpu_stack_underflow(m, 0, false);
        return;
    }
    struct fx_env e = fpu_env(f);
    struct fx80 a = st_get(f, 0), r;
    unsigned q = 0;
    int state = -1;
    switch (op) {
    case 0xFA: r = fx_sqrt(&e, a); break;
    case 0xFC: r = fx_round_int(&e, a); break;
    case 0xFD: r = fx_scale(&e, a, st_get(f, 1)); break;
    default:   r = fx_rem(&e, a, st_get(f, 1), op == 0xF5, &q, &state); break;
    }
    if (fpu_exception(m, e.flags, false))
        return;
    if (state > 0)
        fpu_set_cc(f, FSW_C2);
    else if (state == 0)
        fpu_set_cc(f, (q & 1 ? FSW_C1 : 0) | (q & 2 ? FSW_C3 : 0) | (q & 4 ? FSW_C0 : 0));
    st_set(f, 0, r);
}

/* D9 F4 FXTRACT: ST0 = exponent, then push the significand. */
void op_fxtract(struct machine *m, const struct insn *i)
{
    struct fpu *f = fpu_begin(m, i);
    if (st_empty(f, 0)) {
        fpu_stack_underflow(m, 0, false);
        return;
    }
    if (!st_empty(f, 7)) {
        fpu_stack_overflow(m);
        return;
    }
    struct fx_env e = fpu_env(f);
    struct fx80 sig, ex = fx_xtract(&e, st_get(f, 0), &sig);
    if (!fpu_exception(m, e.flags, false)) {
        st_set(f, 0, ex);
        fpu_push(f, sig);
    }
}
