/* Lazy arithmetic flags and condition codes.
 *
 * The last flag-setting operation is kept as (kind, size, operands, result)
 * and flags are computed when something reads them (Jcc, SETcc, PUSHF, ...),
 * as Bochs and QEMU do. Carry and overflow use the carry-out formulas that
 * hold with or without a carry in, so ADD/ADC and SUB/SBB/CMP/NEG share
 * kinds. Intel SDM vol. 1 §3.4.3.1 and appendix A. */
#include "cpu/cpu_impl.h"

uint32_t cpu_get_eflags(struct machine *m)
{
    struct cpu *c = &m->cpu;
    if (c->lf_op == LF_NONE)
        return c->eflags;
    uint32_t f = c->eflags & ~ARITH_FLAGS;
    f |= lf_cf(c) ? EFLAGS_CF : 0;
    f |= lf_pf(c) ? EFLAGS_PF : 0;
    f |= lf_af(c) ? EFLAGS_AF : 0;
    f |= lf_zf(c) ? EFLAGS_ZF : 0;
    f |= lf_sf(c) ? EFLAGS_SF : 0;
    f |= lf_of(c) ? EFLAGS_OF : 0;
    return f | 2;
}

void flags_materialize(struct machine *m)
{
    m->cpu.eflags = cpu_get_eflags(m);
    m->cpu.lf_op = LF_NONE;
}

bool cond_eval(struct machine *m, unsigned cc)
{
    return cond_of(&m->cpu, cc);
}

void cpu_update_slow(struct machine *m)
{
    struct cpu *c = &m->cpu;
    if (c->eflags & EFLAGS_TF)
        c->slow |= SLOW_TF;
    else
        c->slow &= ~SLOW_TF;
    if (m->intr)
        c->slow |= SLOW_IRQ;
}
