/* Bit instructions: BT/BTS/BTR/BTC, BSF/BSR, SETcc, CMOVcc, BSWAP.
 * Intel SDM vol. 2 for each mnemonic.
 *
 * BT* with a register offset and a memory operand address a bit string: the
 * signed offset selects the word/dword at EA + 2*(off>>4) or EA + 4*(off>>5)
 * (SDM vol. 2 "BT", table 3-2), which may lie outside the addressed operand.
 * Flags: BT* change only CF (Bochs bit*.cc); BSF/BSR with a zero source set
 * ZF and leave the destination and the other flags alone, otherwise SF and
 * PF follow the result and CF OF AF ZF are cleared (Bochs). 16-bit BSWAP is
 * undefined in the SDM; Bochs and P6 hardware zero the word. */
#include "cpu/ops.h"

enum { BT_T, BT_S, BT_R, BT_C };

static inline uint32_t bt_apply(unsigned op, uint32_t v, unsigned bit)
{
    switch (op) {
    case BT_S: return v | (1u << bit);
    case BT_R: return v & ~(1u << bit);
    case BT_C: return v ^ (1u << bit);
    default:   return v;
    }
}

/* Bit OFF of the r/m operand: register offset (REGOFF) can reach outside. */
static inline void bt_E(struct machine *m, const struct insn *i, unsigned op, unsigned sz,
                        uint32_t off, bool regoff)
{
    unsigned bits = sz * 8;
    unsigned bit = off & (bits - 1);
    if (!(i->flags & I_MEM)) {
        uint32_t v = getreg(m, i->rm, sz);
        flags_set_cf(m, (v >> bit) & 1);
        if (op != BT_T)
            setreg(m, i->rm, sz, bt_apply(op, v, bit));
        return;
    }
    uint32_t ea = insn_ea(m, i);
    if (regoff) {
        int32_t words = sz == 2 ? (int16_t)off >> 4 : (int32_t)off >> 5;
        ea += (uint32_t)words * sz;
        if (i->flags & I_A16)
            ea &= 0xFFFF;
    }
    if (op == BT_T) {
        flags_set_cf(m, (mem_read(m, i->seg, ea, sz) >> bit) & 1);
        return;
    }
    struct rmw w;
    uint32_t v = rmw_read(m, i->seg, ea, sz, &w);
    rmw_write(m, &w, bt_apply(op, v, bit));
    flags_set_cf(m, (v >> bit) & 1);
}

#define BT_HANDLERS(n, OP) \
    void op_##n##_EwGw(struct machine *m, const struct insn *i) { bt_E(m, i, OP, 2, reg16(m, i->reg), true); } \
    void op_##n##_EdGd(struct machine *m, const struct insn *i) { bt_E(m, i, OP, 4, reg32(m, i->reg), true); } \
    void op_##n##_EwIb(struct machine *m, const struct insn *i) { bt_E(m, i, OP, 2, i->imm, false); } \
    void op_##n##_EdIb(struct machine *m, const struct insn *i) { bt_E(m, i, OP, 4, i->imm, false); }

BT_HANDLERS(bt, BT_T)
BT_HANDLERS(bts, BT_S)
BT_HANDLERS(btr, BT_R)
BT_HANDLERS(btc, BT_C)

static inline void bitscan(struct machine *m, const struct insn *i, unsigned sz, bool reverse)
{
    uint32_t v = read_E(m, i, sz);
    flags_materialize(m);
    if (v == 0) {
        m->cpu.eflags |= EFLAGS_ZF;
        return;
    }
    uint32_t r = reverse ? 31u - (uint32_t)__builtin_clz(v) : (uint32_t)__builtin_ctz(v);
    setreg(m, i->reg, sz, r);
    uint32_t f = m->cpu.eflags & ~ARITH_FLAGS;
    if (!__builtin_parity(r & 0xFF))
        f |= EFLAGS_PF;
    m->cpu.eflags = f;      /* r < 32: SF clear */
}

void op_bsf_GwEw(struct machine *m, const struct insn *i) { bitscan(m, i, 2, false); }
void op_bsf_GdEd(struct machine *m, const struct insn *i) { bitscan(m, i, 4, false); }
void op_bsr_GwEw(struct machine *m, const struct insn *i) { bitscan(m, i, 2, true); }
void op_bsr_GdEd(struct machine *m, const struct insn *i) { bitscan(m, i, 4, true); }

void op_setcc_Eb(struct machine *m, const struct insn *i)
{
    write_E(m, i, 1, cond_eval(m, i->sub));
}

/* The source is read whatever the condition (a memory source can fault). */
void op_cmovcc_GwEw(struct machine *m, const struct insn *i)
{
    uint32_t v = read_E(m, i, 2);
    if (cond_eval(m, i->sub))
        set_reg16(m, i->reg, v);
}

void op_cmovcc_GdEd(struct machine *m, const struct insn *i)
{
    uint32_t v = read_E(m, i, 4);
    if (cond_eval(m, i->sub))
        set_reg32(m, i->reg, v);
}

void op_bswap_rw(struct machine *m, const struct insn *i)
{
    set_reg16(m, i->reg, 0);
}

void op_bswap_rd(struct machine *m, const struct insn *i)
{
    set_reg32(m, i->reg, __builtin_bswap32(reg32(m, i->reg)));
}
