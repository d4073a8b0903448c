/* BCD adjustments: DAA DAS AAA AAS AAM AAD. Intel SDM vol. 2 for each.
 *
 * The SDM leaves OF (all six) and SF ZF PF (AAA/AAS), CF AF (AAM/AAD)
 * undefined; as Bochs (bcd.cc, "matches P6"), every one sets SF ZF PF from
 * AL and clears OF, and AAM/AAD clear CF and AF. AAA/AAS adjust the whole
 * AX by 0x106 (the P6 behaviour, not the SDM's AL-only pseudocode). AAM 0
 * is #DE. */
#include "cpu/ops.h"

static inline void bcd_flags(struct machine *m, uint32_t al, unsigned cf, unsigned af)
{
    lf_result(m, 1, al & 0xFF, (cf ? EFLAGS_CF : 0) | (af ? EFLAGS_AF : 0));
}

void op_daa(struct machine *m, const struct insn *i)
{
    const struct cpu *c = &m->cpu;
    uint32_t al = reg8(m, R_EAX), old = al;
    unsigned cf = 0, af = 0, oldcf = lf_cf(c);
    if ((al & 0x0F) > 9 || lf_af(c)) {
        cf = al > 0xF9 || oldcf;
        al = (al + 6) & 0xFF;
        af = 1;
    }
    if (old > 0x99 || oldcf) {
        al = (al + 0x60) & 0xFF;
        cf = 1;
    }
    set_reg8(m, R_EAX, al);
    bcd_flags(m, al, cf, af);
}

void op_das(struct machine *m, const struct insn *i)
{
    const struct cpu *c = &m->cpu;
    uint32_t al = reg8(m, R_EAX), old = al;
    unsigned cf = 0, af = 0, oldcf = lf_cf(c);
    if ((al & 0x0F) > 9 || lf_af(c)) {
        cf = al < 6 || oldcf;
        al = (al - 6) & 0xFF;
        af = 1;
    }
    if (old > 0x99 || oldcf) {
        al = (al - 0x60) & 0xFF;
        cf = 1;
    }
    set_reg8(m, R_EAX, al);
    bcd_flags(m, al, cf, af);
}

static void ascii_adjust(struct machine *m, bool sub)
{
    uint32_t ax = reg16(m, R_EAX);
    unsigned adj = 0;
    if ((ax & 0x0F) > 9 || lf_af(&m->cpu)) {
        ax = sub ? ax - 0x106 : ax + 0x106;
        adj = 1;
    }
    ax = (ax & 0xFF0F) & 0xFFFF;
    set_reg16(m, R_EAX, ax);
    bcd_flags(m, ax & 0xFF, adj, adj);
}

void op_aaa(struct machine *m, const struct insn *i) { ascii_adjust(m, false); }
void op_aas(struct machine *m, const struct insn *i) { ascii_adjust(m, true); }

void op_aam(struct machine *m, const struct insn *i)
{
    uint32_t base = i->imm & 0xFF, al = reg8(m, R_EAX);
    if (base == 0)
        cpu_fault_noerr(m, VEC_DE);
    set_reg16(m, R_EAX, ((al / base) << 8) | (al % base));
    bcd_flags(m, al % base, 0, 0);
}

void op_aad(struct machine *m, const struct insn *i)
{
    uint32_t al = (reg8(m, 4) * (i->imm & 0xFF) + reg8(m, R_EAX)) & 0xFF;
    set_reg16(m, R_EAX, al);
    bcd_flags(m, al, 0, 0);
}
