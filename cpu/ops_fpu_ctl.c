/* x87 control instructions and the transcendentals' stack handling:
 * FNINIT FNCLEX FLDCW FNSTCW FNSTSW FNSTENV FLDENV FNSAVE FRSTOR, the
 * legacy FENI/FDISI/FSETPM, WAIT; FSIN FCOS FSINCOS FPTAN FPATAN F2XM1 FYL2X
 * FYL2XP1 (their arithmetic is cpu/fx80_trans.c).
 *
 * Intel SDM vol. 1 §8.1.10 and figures 8-9/8-10 (the 32- and 16-bit
 * protected-mode environment images; FNSAVE adds the eight registers in
 * stack order), vol. 2 per mnemonic. The control instructions do not wait
 * (no pending-exception check) except FLDCW, FLDENV and FRSTOR, and none
 * updates the last-instruction pointers. The 0x66-prefixed 16-bit images
 * are Bochs's: 14 bytes, no opcode, FOP reads back as 0. */
#include "cpu/fpu_impl.h"
#include "cpu/ops.h"

#define FPU(m) (&(m)->cpu.fpu)

static void put16(uint8_t *p, uint32_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static void put32(uint8_t *p, uint32_t v) { put16(p, v); put16(p + 2, v >> 16); }
static uint32_t get16(const uint8_t *p) { return p[0] | (uint32_t)p[1] << 8; }
static uint32_t get32(const uint8_t *p) { return get16(p) | get16(p + 2) << 16; }

/* The environment image: 28 bytes (32-bit), 14 (with 0x66). */
static unsigned env_store(const struct fpu *f, bool o16, uint8_t *b)
{
    if (o16) {
        put16(b + 0, f->cw);
        put16(b + 2, fpu_status_word(f));
        put16(b + 4, fpu_tag_word(f));
        put16(b + 6, f->fip);
        put16(b + 8, f->fcs);
        put16(b + 10, f->fdp);
        put16(b + 12, f->fds);
        return 14;
    }
    put32(b + 0, 0xFFFF0000u | f->cw);
    put32(b + 4, 0xFFFF0000u | fpu_status_word(f));
    put32(b + 8, 0xFFFF0000u | fpu_tag_word(f));
    put32(b + 12, f->fip);
    put32(b + 16, f->fcs | (uint32_t)f->fop << 16);
    put32(b + 20, f->fdp);
    put32(b + 24, 0xFFFF0000u | f->fds);
    return 28;
}

/* Load an environment image; the tag word's "empty" marks are kept (the
 * other tags are recomputed from the registers when read), ES and B follow
 * the exception flags against the new masks. */
static unsigned env_load(struct fpu *f, bool o16, const uint8_t *b)
{
    uint32_t sw, tw;
    unsigned len;
    if (o16) {
        f->cw = (uint16_t)get16(b);
        sw = get16(b + 2);
        tw = get16(b + 4);
        f->fip = get16(b + 6);
        f->fcs = (uint16_t)get16(b + 8);
        f->fdp = get16(b + 10);
        f->fds = (uint16_t)get16(b + 12);
        f->fop = 0;
        len = 14;
    } else {
        f->cw = (uint16_t)get32(b);
        sw = get32(b + 4) & 0xFFFF;
        tw = get32(b + 8) & 0xFFFF;
        f->fip = get32(b + 12);
        f->fcs = (uint16_t)get32(b + 16);
        f->fop = (uint16_t)((get32(b + 16) >> 16) & 0x7FF);
        f->fdp = get32(b + 20);
        f->fds = (uint16_t)get32(b + 24);
        len = 28;
    }
    f->cw = (uint16_t)((f->cw & ~0xE0C0u) | 0x40);
    f->top = (uint8_t)((sw >> 11) & 7);
    f->sw = (uint16_t)(sw & ~0x3800u);
    if (f->sw & ~f->cw & FX_EXC)
        f->sw |= FSW_ES | FSW_B;
    else
        f->sw &= (uint16_t)~(FSW_ES | FSW_B);
    f->empty = 0;
    for (unsigned p = 0; p < 8; p++)
        if (((tw >> (2 * p)) & 3) == 3)
            f->empty |= (uint8_t)(1u << p);
    return len;
}

/* DB E3 FNINIT */
void op_fninit(struct machine *m, const struct insn *i)
{
    fpu_prepare(m, false);
    fpu_reset(FPU(m));
}

/* DB E2 FNCLEX */
void op_fnclex(struct machine *m, const struct insn *i)
{
    fpu_prepare(m, false);
    FPU(m)->sw &= (uint16_t)~(FSW_B | FSW_ES | FX_SF | FX_EXC);
}

/* DB E0 FENI, DB E1 FDISI, DB E4 FSETPM: 8087/287 controls, no-ops since
 * the 387 (SDM vol. 1 §8.3.13: "treated as FNOP", but they do not wait). */
void op_fpu_legacy(struct machine *m, const struct insn *i) { fpu_prepare(m, false); }

/* D9 /5 FLDCW */
void op_fldcw(struct machine *m, const struct insn *i)
{
    struct fpu *f = FPU(m);
    fpu_prepare(m, true);
    uint8_t b[2];
    fpu_read_mem(m, i, 0, b, 2);
    f->cw = (uint16_t)((get16(b) & ~0xE0C0u) | 0x40);
    if (f->sw & ~f->cw & FX_EXC)
        f->sw |= FSW_ES | FSW_B;
    else
        f->sw &= (uint16_t)~(FSW_ES | FSW_B);
}

/* D9 /7 FNSTCW, DD /7 FNSTSW m16 */
void op_fnstcw(struct machine *m, const struct insn *i)
{
    fpu_prepare(m, false);
    uint8_t b[2];
    put16(b, i->op == 0xD9 ? FPU(m)->cw : fpu_status_word(FPU(m)));
    fpu_write_mem(m, i, 0, b, 2);
}

/* DF E0 FNSTSW AX */
void op_fnstsw_ax(struct machine *m, const struct insn *i)
{
    fpu_prepare(m, false);
    set_reg16(m, R_EAX, fpu_status_word(FPU(m)));
}

/* D9 /6 FNSTENV: then every exception is masked. */
void op_fnstenv(struct machine *m, const struct insn *i)
{
    struct fpu *f = FPU(m);
    fpu_prepare(m, false);
    uint8_t b[28];
    unsigned len = env_store(f, i->flags & I_O16, b);
    fpu_write_mem(m, i, 0, b, len);
    f->cw |= FX_EXC;
    f->sw &= (uint16_t)~(FSW_B | FSW_ES);
}

/* D9 /4 FLDENV */
void op_fldenv(struct machine *m, const struct insn *i)
{
    fpu_prepare(m, true);
    uint8_t b[28];
    bool o16 = i->flags & I_O16;
    fpu_read_mem(m, i, 0, b, o16 ? 14 : 28);
    env_load(FPU(m), o16, b);
}

/* DD /6 FNSAVE: the environment, ST0-ST7, then FNINIT's state. */
void op_fnsave(struct machine *m, const struct insn *i)
{
    struct fpu *f = FPU(m);
    fpu_prepare(m, false);
    uint8_t b[108];
    unsigned len = env_store(f, i->flags & I_O16, b);
    for (unsigned n = 0; n < 8; n++) {
        struct fx80 r = st_get(f, n);
        memcpy(b + len + 10 * n, &r.sig, 8);
        put16(b + len + 10 * n + 8, r.se);
    }
    fpu_write_mem(m, i, 0, b, len + 80);
    fpu_reset(f);
}

/* DD /4 FRSTOR */
void op_frstor(struct machine *m, const struct insn *i)
{
    struct fpu *f = FPU(m);
    fpu_prepare(m, true);
    uint8_t b[108];
    bool o16 = i->flags & I_O16;
    unsigned len = o16 ? 14 : 28;
    fpu_read_mem(m, i, 0, b, len + 80);
    env_load(f, o16, b);
    for (unsigned n = 0; n < 8; n++) {
        unsigned p = st_phys(f, n);
        memcpy(&f->st[p].sig, b + len + 10 * n, 8);
        f->st[p].se = (uint16_t)get16(b + len + 10 * n + 8);
    }
}

/* 9B WAIT/FWAIT: #NM only when CR0.MP and CR0.TS are both set; then a
 * pending unmasked exception. */
void op_wait(struct machine *m, const struct insn *i)
{
    struct cpu *c = &m->cpu;
    if ((m->mmu.cr0 & (CR0_MP | CR0_TS)) == (CR0_MP | CR0_TS))
        cpu_fault_noerr(m, VEC_NM);
    if (c->fpu.sw & FSW_ES) {
        if (m->mmu.cr0 & CR0_NE)
            cpu_fault_noerr(m, VEC_MF);
        machine_ferr(m);
    }
}

/* ---- transcendentals ---- */

/* An empty ST0 for an instruction with two results: the masked response
 * puts the indefinite in both. */
static void underflow2(struct machine *m)
{
    struct fpu *f = FPU(m);
    fpu_stack_underflow(m, 0, false);
    if (fpu_ie_masked(f))
        fpu_push(f, fx_indefinite);
}

/* D9 FE FSIN, D9 FF FCOS, D9 FB FSINCOS, D9 F2 FPTAN: C2 set and ST0 left
 * alone when |ST0| >= 2^63. */
void op_fpu_trig(struct machine *m, const struct insn *i)
{
    struct fpu *f = FPU(m);
    fpu_prepare(m, true);
    fpu_note(m, i);
    f->sw &= (uint16_t)~(FSW_C1 | FSW_C2);
    unsigned op = i->imm2 & 0xFF;
    bool two = op == 0xFB || op == 0xF2;
    if (st_empty(f, 0)) {
        if (two)
            underflow2(m);
        else
            fpu_stack_underflow(m, 0, false);
        return;
    }
    if (two && !st_empty(f, 7)) {
        fpu_stack_overflow(m);
        return;
    }
    struct fx_env e = fpu_env(f);
    struct fx80 a = st_get(f, 0), r0, r1 = fx_make(0, 0x3FFF, 1ull << 63);
    bool ok;
    if (op == 0xF2) {
        ok = fx_tan(&e, a, &r0);
    } else {
        ok = fx_sincos(&e, a, op == 0xFF ? NULL : &r0, op == 0xFE ? NULL : op == 0xFF ? &r0 : &r1);
    }
    if (!ok) {
        f->sw |= FSW_C2;
        return;
    }
    if (fpu_exception(m, e.flags, false))
        return;
    if (op == 0xF2 && fx_is_nan(r0))
        r1 = r0;                        /* FPTAN of a NaN or an invalid operand pushes the NaN */
    st_set(f, 0, r0);
    if (two)
        fpu_push(f, r1);
}

/* D9 F0 F2XM1 (ST0), D9 F1 FYL2X, D9 F3 FPATAN, D9 F9 FYL2XP1 (ST1 op ST0,
 * then pop). */
void op_fpu_trans(struct machine *m, const struct insn *i)
{
    struct fpu *f = fpu_begin(m, i);
    unsigned op = i->imm2 & 0xFF;
    struct fx_env e = fpu_env(f);
    if (op == 0xF0) {
        if (st_empty(f, 0)) {
            fpu_stack_underflow(m, 0, false);
            return;
        }
        struct fx80 r = fx_f2xm1(&e, st_get(f, 0));
        if (!fpu_exception(m, e.flags, false))
            st_set(f, 0, r);
        return;
    }
    if (st_empty(f, 0) || st_empty(f, 1)) {
        fpu_stack_underflow(m, 1, true);
        return;
    }
    struct fx80 x = st_get(f, 0), y = st_get(f, 1), r;
    switch (op) {
    case 0xF1: r = fx_yl2x(&e, x, y); break;
    case 0xF3: r = fx_atan2(&e, y, x); break;
    default:   r = fx_yl2xp1(&e, x, y); break;
    }
    if (!fpu_exception(m, e.flags, false)) {
        fpu_pop(f);
        st_set(f, 0, r);
    }
}
