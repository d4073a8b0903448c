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
    /* lf_cf ... lf_of in one switch (delivery, IRET and PUSHF read them all) */
    uint32_t a = c->lf_a, b = c->lf_b, r = c->lf_res, cf, of;
    switch (c->lf_op) {
    case LF_NONE: return c->eflags;
    case LF_ADD:  cf = lf_add_carries(a, b, r) >> c->lf_sb; of = lf_add_overflows(a, b, r) >> c->lf_sb; break;
    case LF_SUB:  cf = lf_sub_borrows(a, b, r) >> c->lf_sb; of = lf_sub_overflows(a, b, r) >> c->lf_sb; break;
    case LF_INC:  cf = c->eflags; of = lf_add_overflows(a, b, r) >> c->lf_sb; break;
    case LF_DEC:  cf = c->eflags; of = lf_sub_overflows(a, b, r) >> c->lf_sb; break;
    default:      cf = a; of = a >> 11; break;     /* LF_RES: CF AF OF are bits of lf_a */
    }
    uint32_t af = c->lf_op == LF_RES ? a : a ^ b ^ r;
    uint32_t f = c->eflags & ~ARITH_FLAGS;
    f |= (cf & 1) * EFLAGS_CF | ((af >> 4) & 1) * EFLAGS_AF | ((of & 1) * EFLAGS_OF);
    f |= !__builtin_parity(r & 0xFF) * EFLAGS_PF | (r == 0) * EFLAGS_ZF | ((r >> c->lf_sb) & 1) * EFLAGS_SF;
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
        cpu_slow_set(c, SLOW_TF);
    else
        c->slow &= ~SLOW_TF;
    if (m->intr)
        cpu_slow_set(c, SLOW_IRQ);
}
