/* Integer arithmetic and logic: ADD OR ADC SBB AND SUB XOR CMP TEST, INC DEC
 * NEG NOT, MUL IMUL DIV IDIV. Intel SDM vol. 2 for each mnemonic.
 *
 * Undefined flags as Bochs sets them: logic results clear AF; MUL/IMUL set
 * SF ZF PF from the low half of the product and clear AF; DIV/IDIV leave
 * every flag unchanged. A memory destination is one write-kind translation
 * (read-modify-write); CMP and TEST only read. */
#include "cpu/ops.h"

enum { ALU_ADD, ALU_OR, ALU_ADC, ALU_SBB, ALU_AND, ALU_SUB, ALU_XOR, ALU_CMP };

static inline uint32_t alu(struct machine *m, unsigned op, unsigned sz, uint32_t a, uint32_t b)
{
    uint32_t mask = szmask(sz), r, cf;
    switch (op) {
    case ALU_ADD:
        r = (a + b) & mask;
        lf_set(m, LF_ADD, sz, a, b, r);
        return r;
    case ALU_ADC:
        cf = lf_cf(&m->cpu);
        r = (a + b + cf) & mask;
        lf_set(m, LF_ADD, sz, a, b, r);
        return r;
    case ALU_SBB:
        cf = lf_cf(&m->cpu);
        r = (a - b - cf) & mask;
        lf_set(m, LF_SUB, sz, a, b, r);
        return r;
    case ALU_SUB:
    case ALU_CMP:
        r = (a - b) & mask;
        lf_set(m, LF_SUB, sz, a, b, r);
        return r;
    case ALU_OR:  r = a | b; break;
    case ALU_AND: r = a & b; break;
    default:      r = a ^ b; break;
    }
    lf_result(m, sz, r, 0);
    return r;
}

/* r/m op= B */
static inline void alu_E(struct machine *m, const struct insn *i, unsigned op, unsigned sz, uint32_t b)
{
    if (i->flags & I_MEM) {
        uint32_t off = insn_ea(m, i);
        if (op == ALU_CMP) {
            alu(m, op, sz, mem_read(m, i->seg, off, sz), b);
            return;
        }
        struct rmw w;
        uint32_t a = rmw_read(m, i->seg, off, sz, &w);
        rmw_write(m, &w, alu(m, op, sz, a, b));
    } else {
        uint32_t r = alu(m, op, sz, getreg(m, i->rm, sz), b);
        if (op != ALU_CMP)
            setreg(m, i->rm, sz, r);
    }
}

/* reg op= r/m */
static inline void alu_G(struct machine *m, const struct insn *i, unsigned op, unsigned sz)
{
    uint32_t r = alu(m, op, sz, getreg(m, i->reg, sz), read_E(m, i, sz));
    if (op != ALU_CMP)
        setreg(m, i->reg, sz, r);
}

static inline void alu_A(struct machine *m, const struct insn *i, unsigned op, unsigned sz)
{
    uint32_t r = alu(m, op, sz, getreg(m, R_EAX, sz), i->imm & szmask(sz));
    if (op != ALU_CMP)
        setreg(m, R_EAX, sz, r);
}

/* The frameless fast cases (cpu_impl.h FAST_HANDLER): a register operand,
 * or memory the fast path answers. */
static inline bool alu_E_fast(struct machine *m, const struct insn *i, unsigned op, unsigned sz, uint32_t b)
{
    if (!(i->flags & I_MEM)) {
        uint32_t r = alu(m, op, sz, getreg(m, i->rm, sz), b);
        if (op != ALU_CMP)
            setreg(m, i->rm, sz, r);
        return true;
    }
    uint8_t *p = mem_fast(m, i->seg, insn_ea(m, i), sz, op == ALU_CMP ? MMU_READ : MMU_WRITE);
    if (!p)
        return false;
    uint32_t r = alu(m, op, sz, load_le(p, sz), b);
    if (op != ALU_CMP)
        store_le(p, sz, r);
    return true;
}
static inline bool alu_G_fast(struct machine *m, const struct insn *i, unsigned op, unsigned sz)
{
    uint32_t b;
    if (i->flags & I_MEM) {
        uint8_t *p = mem_fast(m, i->seg, insn_ea(m, i), sz, MMU_READ);
        if (!p)
            return false;
        b = load_le(p, sz);
    } else {
        b = getreg(m, i->rm, sz);
    }
    uint32_t r = alu(m, op, sz, getreg(m, i->reg, sz), b);
    if (op != ALU_CMP)
        setreg(m, i->reg, sz, r);
    return true;
}

#define ALU_HANDLERS(n, OP) \
    FAST_HANDLER(op_##n##_EbGb, alu_E_fast(m, i, OP, 1, reg8(m, i->reg)), alu_E(m, i, OP, 1, reg8(m, i->reg))) \
    FAST_HANDLER(op_##n##_EwGw, alu_E_fast(m, i, OP, 2, reg16(m, i->reg)), alu_E(m, i, OP, 2, reg16(m, i->reg))) \
    FAST_HANDLER(op_##n##_EdGd, alu_E_fast(m, i, OP, 4, reg32(m, i->reg)), alu_E(m, i, OP, 4, reg32(m, i->reg))) \
    FAST_HANDLER(op_##n##_GbEb, alu_G_fast(m, i, OP, 1), alu_G(m, i, OP, 1)) \
    FAST_HANDLER(op_##n##_GwEw, alu_G_fast(m, i, OP, 2), alu_G(m, i, OP, 2)) \
    FAST_HANDLER(op_##n##_GdEd, alu_G_fast(m, i, OP, 4), alu_G(m, i, OP, 4)) \
    void op_##n##_ALIb(struct machine *m, const struct insn *i) { alu_A(m, i, OP, 1); } \
    void op_##n##_AXIw(struct machine *m, const struct insn *i) { alu_A(m, i, OP, 2); } \
    void op_##n##_EAXId(struct machine *m, const struct insn *i) { alu_A(m, i, OP, 4); } \
    FAST_HANDLER(op_##n##_EbIb, alu_E_fast(m, i, OP, 1, i->imm & 0xFF), alu_E(m, i, OP, 1, i->imm & 0xFF)) \
    FAST_HANDLER(op_##n##_EwIw, alu_E_fast(m, i, OP, 2, i->imm & 0xFFFF), alu_E(m, i, OP, 2, i->imm & 0xFFFF)) \
    FAST_HANDLER(op_##n##_EdId, alu_E_fast(m, i, OP, 4, i->imm), alu_E(m, i, OP, 4, i->imm))

/* Register-only forms (ModRM mod == 3), picked by the decoder: no memory
 * path, so no stack frame on the hot path. */
#define ALU_REG_HANDLERS(n, OP) \
    void op_##n##_EdGd_r(struct machine *m, const struct insn *i) \
    { uint32_t r = alu(m, OP, 4, reg32(m, i->rm), reg32(m, i->reg)); if (OP != ALU_CMP) set_reg32(m, i->rm, r); } \
    void op_##n##_GdEd_r(struct machine *m, const struct insn *i) \
    { uint32_t r = alu(m, OP, 4, reg32(m, i->reg), reg32(m, i->rm)); if (OP != ALU_CMP) set_reg32(m, i->reg, r); } \
    void op_##n##_EdId_r(struct machine *m, const struct insn *i) \
    { uint32_t r = alu(m, OP, 4, reg32(m, i->rm), i->imm); if (OP != ALU_CMP) set_reg32(m, i->rm, r); } \
    void op_##n##_EbGb_r(struct machine *m, const struct insn *i) \
    { uint32_t r = alu(m, OP, 1, reg8(m, i->rm), reg8(m, i->reg)); if (OP != ALU_CMP) set_reg8(m, i->rm, r); }

ALU_HANDLERS(add, ALU_ADD)
ALU_HANDLERS(or, ALU_OR)
ALU_HANDLERS(adc, ALU_ADC)
ALU_HANDLERS(sbb, ALU_SBB)
ALU_HANDLERS(and, ALU_AND)
ALU_HANDLERS(sub, ALU_SUB)
ALU_HANDLERS(xor, ALU_XOR)
ALU_HANDLERS(cmp, ALU_CMP)
ALU_REG_HANDLERS(add, ALU_ADD)
ALU_REG_HANDLERS(or, ALU_OR)
ALU_REG_HANDLERS(adc, ALU_ADC)
ALU_REG_HANDLERS(sbb, ALU_SBB)
ALU_REG_HANDLERS(and, ALU_AND)
ALU_REG_HANDLERS(sub, ALU_SUB)
ALU_REG_HANDLERS(xor, ALU_XOR)
ALU_REG_HANDLERS(cmp, ALU_CMP)

/* ---- TEST ---- */

static inline void test(struct machine *m, unsigned sz, uint32_t a, uint32_t b)
{
    lf_result(m, sz, a & b, 0);
}
void op_test_EbGb(struct machine *m, const struct insn *i) { test(m, 1, read_E(m, i, 1), reg8(m, i->reg)); }
void op_test_EwGw(struct machine *m, const struct insn *i) { test(m, 2, read_E(m, i, 2), reg16(m, i->reg)); }
void op_test_EdGd(struct machine *m, const struct insn *i) { test(m, 4, read_E(m, i, 4), reg32(m, i->reg)); }
void op_test_ALIb(struct machine *m, const struct insn *i) { test(m, 1, reg8(m, R_EAX), i->imm & 0xFF); }
void op_test_AXIw(struct machine *m, const struct insn *i) { test(m, 2, reg16(m, R_EAX), i->imm & 0xFFFF); }
void op_test_EAXId(struct machine *m, const struct insn *i) { test(m, 4, reg32(m, R_EAX), i->imm); }
void op_test_EbIb(struct machine *m, const struct insn *i) { test(m, 1, read_E(m, i, 1), i->imm & 0xFF); }
void op_test_EwIw(struct machine *m, const struct insn *i) { test(m, 2, read_E(m, i, 2), i->imm & 0xFFFF); }
void op_test_EdId(struct machine *m, const struct insn *i) { test(m, 4, read_E(m, i, 4), i->imm); }
void op_test_EdGd_r(struct machine *m, const struct insn *i) { test(m, 4, reg32(m, i->rm), reg32(m, i->reg)); }

/* ---- INC / DEC: CF unchanged ---- */

static inline uint32_t incdec(struct machine *m, unsigned sz, uint32_t a, bool dec)
{
    struct cpu *c = &m->cpu;
    c->eflags = (c->eflags & ~EFLAGS_CF) | lf_cf(c);
    uint32_t r = (dec ? a - 1 : a + 1) & szmask(sz);
    lf_set(m, dec ? LF_DEC : LF_INC, sz, a, 1, r);
    return r;
}

static inline void incdec_E(struct machine *m, const struct insn *i, unsigned sz, bool dec)
{
    if (i->flags & I_MEM) {
        struct rmw w;
        uint32_t a = rmw_read(m, i->seg, insn_ea(m, i), sz, &w);
        rmw_write(m, &w, incdec(m, sz, a, dec));
    } else {
        setreg(m, i->rm, sz, incdec(m, sz, getreg(m, i->rm, sz), dec));
    }
}

void op_inc_rw(struct machine *m, const struct insn *i) { set_reg16(m, i->reg, incdec(m, 2, reg16(m, i->reg), false)); }
void op_inc_rd(struct machine *m, const struct insn *i) { set_reg32(m, i->reg, incdec(m, 4, reg32(m, i->reg), false)); }
void op_dec_rw(struct machine *m, const struct insn *i) { set_reg16(m, i->reg, incdec(m, 2, reg16(m, i->reg), true)); }
void op_dec_rd(struct machine *m, const struct insn *i) { set_reg32(m, i->reg, incdec(m, 4, reg32(m, i->reg), true)); }
/* the frameless fast case (FAST_HANDLER): a register, or memory the fast
 * path answers with one write-kind translation, as rmw_read makes */
static inline bool incdec_E_fast(struct machine *m, const struct insn *i, unsigned sz, bool dec)
{
    if (!(i->flags & I_MEM)) {
        setreg(m, i->rm, sz, incdec(m, sz, getreg(m, i->rm, sz), dec));
        return true;
    }
    uint8_t *p = mem_fast(m, i->seg, insn_ea(m, i), sz, MMU_WRITE);
    if (!p)
        return false;
    store_le(p, sz, incdec(m, sz, load_le(p, sz), dec));
    return true;
}
#define INCDEC_HANDLER(name, sz, dec) FAST_HANDLER(name, incdec_E_fast(m, i, sz, dec), incdec_E(m, i, sz, dec))
INCDEC_HANDLER(op_inc_Eb, 1, false)
INCDEC_HANDLER(op_inc_Ew, 2, false)
INCDEC_HANDLER(op_inc_Ed, 4, false)
INCDEC_HANDLER(op_dec_Eb, 1, true)
INCDEC_HANDLER(op_dec_Ew, 2, true)
INCDEC_HANDLER(op_dec_Ed, 4, true)

/* ---- NOT / NEG ---- */

static inline void notneg_E(struct machine *m, const struct insn *i, unsigned sz, bool neg)
{
    struct rmw w;
    uint32_t a = (i->flags & I_MEM) ? rmw_read(m, i->seg, insn_ea(m, i), sz, &w) : getreg(m, i->rm, sz);
    uint32_t r;
    if (neg) {
        r = (0u - a) & szmask(sz);
        lf_set(m, LF_SUB, sz, 0, a, r);
    } else {
        r = ~a & szmask(sz);
    }
    if (i->flags & I_MEM)
        rmw_write(m, &w, r);
    else
        setreg(m, i->rm, sz, r);
}
void op_not_Eb(struct machine *m, const struct insn *i) { notneg_E(m, i, 1, false); }
void op_not_Ew(struct machine *m, const struct insn *i) { notneg_E(m, i, 2, false); }
void op_not_Ed(struct machine *m, const struct insn *i) { notneg_E(m, i, 4, false); }
void op_neg_Eb(struct machine *m, const struct insn *i) { notneg_E(m, i, 1, true); }
void op_neg_Ew(struct machine *m, const struct insn *i) { notneg_E(m, i, 2, true); }
void op_neg_Ed(struct machine *m, const struct insn *i) { notneg_E(m, i, 4, true); }

/* ---- MUL / IMUL ---- */

static inline void mul_flags(struct machine *m, unsigned sz, uint32_t low, bool overflow)
{
    lf_result(m, sz, low, overflow ? (EFLAGS_CF | EFLAGS_OF) : 0);
}

void op_mul_Eb(struct machine *m, const struct insn *i)
{
    uint32_t p = reg8(m, R_EAX) * read_E(m, i, 1);
    set_reg16(m, R_EAX, p);
    mul_flags(m, 1, p & 0xFF, (p >> 8) != 0);
}
void op_mul_Ew(struct machine *m, const struct insn *i)
{
    uint32_t p = reg16(m, R_EAX) * read_E(m, i, 2);
    set_reg16(m, R_EAX, p);
    set_reg16(m, R_EDX, p >> 16);
    mul_flags(m, 2, p & 0xFFFF, (p >> 16) != 0);
}
void op_mul_Ed(struct machine *m, const struct insn *i)
{
    uint64_t p = (uint64_t)reg32(m, R_EAX) * read_E(m, i, 4);
    set_reg32(m, R_EAX, (uint32_t)p);
    set_reg32(m, R_EDX, (uint32_t)(p >> 32));
    mul_flags(m, 4, (uint32_t)p, (p >> 32) != 0);
}
void op_imul_Eb(struct machine *m, const struct insn *i)
{
    int32_t p = (int8_t)reg8(m, R_EAX) * (int8_t)read_E(m, i, 1);
    set_reg16(m, R_EAX, (uint32_t)p);
    mul_flags(m, 1, (uint32_t)p & 0xFF, p != (int8_t)p);
}
void op_imul_Ew(struct machine *m, const struct insn *i)
{
    int32_t p = (int16_t)reg16(m, R_EAX) * (int16_t)read_E(m, i, 2);
    set_reg16(m, R_EAX, (uint32_t)p);
    set_reg16(m, R_EDX, (uint32_t)p >> 16);
    mul_flags(m, 2, (uint32_t)p & 0xFFFF, p != (int16_t)p);
}
void op_imul_Ed(struct machine *m, const struct insn *i)
{
    int64_t p = (int64_t)(int32_t)reg32(m, R_EAX) * (int32_t)read_E(m, i, 4);
    set_reg32(m, R_EAX, (uint32_t)p);
    set_reg32(m, R_EDX, (uint32_t)((uint64_t)p >> 32));
    mul_flags(m, 4, (uint32_t)p, p != (int32_t)p);
}

/* IMUL Gv, Ev, imm (69, 6B) and IMUL Gv, Ev (0F AF) */
static inline void imul_G(struct machine *m, const struct insn *i, unsigned sz, uint32_t a, uint32_t b)
{
    if (sz == 2) {
        int32_t p = (int16_t)a * (int16_t)b;
        set_reg16(m, i->reg, (uint32_t)p);
        mul_flags(m, 2, (uint32_t)p & 0xFFFF, p != (int16_t)p);
    } else {
        int64_t p = (int64_t)(int32_t)a * (int32_t)b;
        set_reg32(m, i->reg, (uint32_t)p);
        mul_flags(m, 4, (uint32_t)p, p != (int32_t)p);
    }
}
void op_imul_GwEwI(struct machine *m, const struct insn *i) { imul_G(m, i, 2, read_E(m, i, 2), i->imm); }
void op_imul_GdEdI(struct machine *m, const struct insn *i) { imul_G(m, i, 4, read_E(m, i, 4), i->imm); }
void op_imul_GwEw(struct machine *m, const struct insn *i) { imul_G(m, i, 2, reg16(m, i->reg), read_E(m, i, 2)); }
void op_imul_GdEd(struct machine *m, const struct insn *i) { imul_G(m, i, 4, reg32(m, i->reg), read_E(m, i, 4)); }

/* ---- DIV / IDIV: #DE on a zero divisor or a quotient that does not fit ---- */

void op_div_Eb(struct machine *m, const struct insn *i)
{
    uint32_t d = read_E(m, i, 1), n = reg16(m, R_EAX);
    if (d == 0 || n / d > 0xFF)
        cpu_fault_noerr(m, VEC_DE);
    set_reg16(m, R_EAX, ((n % d) << 8) | (n / d));
}
void op_div_Ew(struct machine *m, const struct insn *i)
{
    uint32_t d = read_E(m, i, 2), n = (reg16(m, R_EDX) << 16) | reg16(m, R_EAX);
    if (d == 0 || n / d > 0xFFFF)
        cpu_fault_noerr(m, VEC_DE);
    set_reg16(m, R_EAX, n / d);
    set_reg16(m, R_EDX, n % d);
}
void op_div_Ed(struct machine *m, const struct insn *i)
{
    uint64_t d = read_E(m, i, 4), n = ((uint64_t)reg32(m, R_EDX) << 32) | reg32(m, R_EAX);
    if (d == 0 || n / d > 0xFFFFFFFFu)
        cpu_fault_noerr(m, VEC_DE);
    set_reg32(m, R_EAX, (uint32_t)(n / d));
    set_reg32(m, R_EDX, (uint32_t)(n % d));
}
void op_idiv_Eb(struct machine *m, const struct insn *i)
{
    int32_t d = (int8_t)read_E(m, i, 1), n = (int16_t)reg16(m, R_EAX);
    if (d == 0)
        cpu_fault_noerr(m, VEC_DE);
    int32_t q = n / d, r = n % d;
    if (q != (int8_t)q)
        cpu_fault_noerr(m, VEC_DE);
    set_reg16(m, R_EAX, (((uint32_t)r & 0xFF) << 8) | ((uint32_t)q & 0xFF));
}
void op_idiv_Ew(struct machine *m, const struct insn *i)
{
    int32_t d = (int16_t)read_E(m, i, 2);
    int32_t n = (int32_t)((reg16(m, R_EDX) << 16) | reg16(m, R_EAX));
    if (d == 0 || (n == INT32_MIN && d == -1))
        cpu_fault_noerr(m, VEC_DE);
    int32_t q = n / d, r = n % d;
    if (q != (int16_t)q)
        cpu_fault_noerr(m, VEC_DE);
    set_reg16(m, R_EAX, (uint32_t)q);
    set_reg16(m, R_EDX, (uint32_t)r);
}
void op_idiv_Ed(struct machine *m, const struct insn *i)
{
    int64_t d = (int32_t)read_E(m, i, 4);
    int64_t n = (int64_t)(((uint64_t)reg32(m, R_EDX) << 32) | reg32(m, R_EAX));
    if (d == 0 || (n == INT64_MIN && d == -1))
        cpu_fault_noerr(m, VEC_DE);
    int64_t q = n / d, r = n % d;
    if (q != (int32_t)q)
        cpu_fault_noerr(m, VEC_DE);
    set_reg32(m, R_EAX, (uint32_t)q);
    set_reg32(m, R_EDX, (uint32_t)r);
}
