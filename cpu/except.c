/* Exceptions and interrupts: raising, the double-fault rules, and delivery
 * through IDT interrupt and trap gates. Intel SDM vol. 3A ch. 6: §6.11-6.12
 * (IDT, gate descriptors, delivery to the same or an inner privilege level,
 * the stack frame), §6.13 (error codes, the EXT bit), table 6-5 (benign,
 * contributory and page-fault classes that make #DF), §6.15 #DF ("a fault
 * during #DF delivery shuts the processor down": here, a triple fault ends
 * the run with status 4).
 *
 * A handler raises with cpu_fault(): it records the event and longjmps to
 * the one setjmp of cpu_run, which delivers it. A fault during delivery comes
 * back the same way and is combined with the first by table 6-5. Task gates
 * (hardware task switching) are outside the model: #GP(vector*8+2).
 * Delivery pushes are implicit supervisor writes at the new CPL 0. */
#include "cpu/cpu_impl.h"

#include <stdlib.h>

static bool contributory(int v)
{
    return v == VEC_DE || v == VEC_TS || v == VEC_NP || v == VEC_SS || v == VEC_GP;
}

static NORETURN void raise_event(struct machine *m, unsigned vec, uint32_t err, bool has_err,
                                 unsigned kind, uint32_t ret_eip)
{
    struct cpu *c = &m->cpu;
    int first = c->exc_delivering;
    if (first >= 0 && kind == EXC_FAULT) {
        if (first == VEC_DF) {
            machine_stop(m, STOP_TRIPLE_FAULT, 4,
                         "triple fault: exception %u while delivering #DF (EIP=0x%08x)", vec, c->insn_eip);
            c->exc_vec = -1;
            c->exc_delivering = -1;
            longjmp(c->jb, 1);
        }
        bool fc = contributory(first), fp = first == VEC_PF;
        bool sc = contributory((int)vec), sp = vec == VEC_PF;
        if ((fc && sc) || (fp && (sc || sp))) {
            vec = VEC_DF;
            err = 0;
            has_err = true;
        }
    }
    c->exc_vec = (int)vec;
    c->exc_err = err;
    c->exc_has_err = has_err;
    c->exc_kind = (uint8_t)kind;
    c->exc_ret_eip = ret_eip;
    if (!c->in_run)
        abort();    /* a CPU bug: faults only happen inside cpu_run */
    longjmp(c->jb, 1);
}

NORETURN void cpu_fault(struct machine *m, unsigned vec, uint32_t err)
{
    m->cpu.eip = m->cpu.insn_eip;
    raise_event(m, vec, err, true, EXC_FAULT, m->cpu.insn_eip);
}

NORETURN void cpu_fault_noerr(struct machine *m, unsigned vec)
{
    m->cpu.eip = m->cpu.insn_eip;
    raise_event(m, vec, 0, false, EXC_FAULT, m->cpu.insn_eip);
}

NORETURN void cpu_page_fault(struct machine *m)
{
    m->cpu.cr2 = m->mmu.fault_addr;
    cpu_fault(m, VEC_PF, m->mmu.fault_err);
}

NORETURN void cpu_soft_int(struct machine *m, unsigned vec, bool int_n)
{
    (void)int_n;
    raise_event(m, vec, 0, false, EXC_SOFT, m->cpu.eip);
}

NORETURN void cpu_trap(struct machine *m, unsigned vec)
{
    raise_event(m, vec, 0, false, EXC_TRAP, m->cpu.eip);
}

NORETURN void cpu_out_of_scope(struct machine *m, const char *what)
{
    machine_stop(m, STOP_OUT_OF_SCOPE, 12, "out of scope: %s (EIP=0x%08x)", what, m->cpu.insn_eip);
    m->cpu.eip = m->cpu.insn_eip;
    m->cpu.exc_vec = -1;
    longjmp(m->cpu.jb, 1);
}

/* Write N values (size SZ each, first value at the highest address) below
 * SP on the stack described by SS (a descriptor cache), at privilege CPL.
 * Every slot is checked against the segment before any is written; a
 * violation is #SS(SSERR). Returns the new stack pointer. */
uint32_t stack_push_frame(struct machine *m, const struct cpu_seg *ss, uint32_t sp, unsigned cpl,
                          const uint32_t *v, unsigned n, unsigned sz, uint32_t sserr)
{
    uint32_t mask = (ss->flags & DF_DB) ? 0xFFFFFFFFu : 0xFFFFu;
    unsigned kind = MMU_WRITE | (cpl == 3 ? 0 : MMU_IMPLICIT);
    uint32_t low = (sp - n * sz) & mask;
    /* the slots side by side (no wrap), inside SS, and one fast-path entry
     * answering their page: the n writes at once */
    if (low + n * sz - 1 == ((sp - 1) & mask) && seg_fits(ss, true, low, n * sz)) {
        uint8_t *p = lin_fast_run(m, ss->base + low, n * sz, kind, cpl, n);
        if (p) {
            for (unsigned k = 0; k < n; k++)
                store_le(p + (n - 1 - k) * sz, sz, v[k]);
            return low;
        }
    }
    uint32_t addr[40];      /* n <= 4 + 31 parameters + 2 */
    for (unsigned k = 0; k < n; k++) {
        addr[k] = (sp - (k + 1) * sz) & mask;
        if (addr[k] < ss->wlo || (uint64_t)addr[k] + sz - 1 > ss->whi)
            cpu_fault(m, VEC_SS, sserr);
    }
    for (unsigned k = 0; k < n; k++)
        lin_write(m, ss->base + addr[k], sz, kind, cpl, v[k]);
    return low;
}

/* Read the inner stack pointer for privilege level DPL from the TSS. */
void tss_stack(struct machine *m, unsigned dpl, uint16_t *ss, uint32_t *esp, uint32_t ext)
{
    const struct cpu_seg *tr = &m->cpu.tr;
    unsigned type = tr->flags & 0xF;
    if (type == 0x9 || type == 0xB) {
        uint32_t at = 8 * dpl + 4;
        if (at + 7 > tr->limit)
            cpu_fault(m, VEC_TS, (tr->sel & 0xFFFC) | ext);
        const uint8_t *p = lin_fast_run(m, tr->base + at, 6, MMU_READ | MMU_IMPLICIT, 0, 2);
        *esp = p ? load_le(p, 4) : lin_read(m, tr->base + at, 4, MMU_READ | MMU_IMPLICIT, 0);
        *ss = (uint16_t)(p ? load_le(p + 4, 2) : lin_read(m, tr->base + at + 4, 2, MMU_READ | MMU_IMPLICIT, 0));
    } else {
        uint32_t at = 4 * dpl + 2;
        if (at + 3 > tr->limit)
            cpu_fault(m, VEC_TS, (tr->sel & 0xFFFC) | ext);
        *esp = lin_read(m, tr->base + at, 2, MMU_READ | MMU_IMPLICIT, 0);
        *ss = (uint16_t)lin_read(m, tr->base + at + 2, 2, MMU_READ | MMU_IMPLICIT, 0);
    }
}

/* Check the inner stack segment SSSEL for a switch to privilege DPL and
 * return its cache in *OUT (SDM vol. 3A §6.12.1: #TS / #SS rules). */
void inner_stack_check(struct machine *m, uint16_t sssel, unsigned dpl, uint32_t ext, struct cpu_seg *out,
                       uint32_t *hi_out)
{
    uint32_t lo, hi;
    if ((sssel & 0xFFFC) == 0)
        cpu_fault(m, VEC_TS, ext);
    if (!desc_read(m, sssel, &lo, &hi))
        cpu_fault(m, VEC_TS, (sssel & 0xFFFC) | ext);
    uint32_t f = desc_flags(hi);
    if ((sssel & 3) != dpl || df_dpl(f) != dpl || !(f & DF_S) || (f & DF_CODE) || !(f & DF_RW))
        cpu_fault(m, VEC_TS, (sssel & 0xFFFC) | ext);
    if (!(f & DF_P))
        cpu_fault(m, VEC_SS, (sssel & 0xFFFC) | ext);
    seg_set_cache(out, sssel, desc_base(lo, hi), desc_limit(lo, hi), f | DF_A);
    *hi_out = hi;
}

static void deliver(struct machine *m, unsigned vec, uint32_t err, bool has_err, unsigned kind, uint32_t ret_eip)
{
    struct cpu *c = &m->cpu;
    uint32_t ext = kind == EXC_SOFT ? 0 : 1;
    uint32_t idterr = vec * 8 + 2 + ext;
    c->exc_delivering = (int)vec;
    if (kind == EXC_EXT || kind == EXC_TRAP)
        c->insn_eip = ret_eip;      /* a fault in delivery reports the next EIP */
    if (kind == EXC_FAULT || kind == EXC_EXT)
        m->clock.cycles += 44;      /* i486 INT n, protected mode; INT n pays it in cycles.c */

    if (vec * 8 + 7 > c->idtr.limit)
        cpu_fault(m, VEC_GP, idterr);
    uint32_t glo, ghi;
    desc_read_lin(m, c->idtr.base + vec * 8, &glo, &ghi);
    unsigned gtype = (ghi >> 8) & 0x1F;
    if (gtype != 0x06 && gtype != 0x07 && gtype != 0x0E && gtype != 0x0F)
        cpu_fault(m, VEC_GP, idterr);      /* includes task gates (0x05): not modelled */
    if (kind == EXC_SOFT && ((ghi >> 13) & 3) < c->cpl)
        cpu_fault(m, VEC_GP, vec * 8 + 2);
    if (!(ghi & (1u << 15)))
        cpu_fault(m, VEC_NP, idterr);
    bool gate32 = (gtype & 0x08) != 0, intgate = (gtype & 1) == 0;
    uint16_t sel = (uint16_t)(glo >> 16);
    uint32_t off = gate32 ? (ghi & 0xFFFF0000u) | (glo & 0xFFFF) : glo & 0xFFFF;

    uint32_t lo, hi;
    if ((sel & 0xFFFC) == 0)
        cpu_fault(m, VEC_GP, ext);
    if (!desc_read(m, sel, &lo, &hi))
        cpu_fault(m, VEC_GP, (sel & 0xFFFC) | ext);
    uint32_t f = desc_flags(hi);
    unsigned dpl = df_dpl(f);
    if (!(f & DF_S) || !(f & DF_CODE) || dpl > c->cpl)
        cpu_fault(m, VEC_GP, (sel & 0xFFFC) | ext);
    if (!(f & DF_P))
        cpu_fault(m, VEC_NP, (sel & 0xFFFC) | ext);
    uint32_t limit = desc_limit(lo, hi);
    if (off > limit)
        cpu_fault(m, VEC_GP, 0);

    uint32_t eflags = cpu_get_eflags(m);
    /* SDM vol. 3A §17.3.1.1: the image pushed for a fault has RF=1 (so the
     * IRET back does not re-trigger an instruction breakpoint), except for
     * #DB faults from instruction breakpoints themselves. */
    uint32_t pushed = eflags | (kind == EXC_FAULT && vec != VEC_DB ? EFLAGS_RF : 0);
    unsigned sz = gate32 ? 4 : 2;
    uint32_t v[6];
    unsigned n = 0;
    unsigned newcpl = (f & DF_CONF) ? c->cpl : dpl;

    if (newcpl < c->cpl) {
        /* inner privilege: stack from the TSS */
        uint16_t sssel;
        uint32_t esp, sshi;
        struct cpu_seg ss;
        tss_stack(m, dpl, &sssel, &esp, ext);
        inner_stack_check(m, sssel, dpl, ext, &ss, &sshi);
        v[n++] = c->seg[S_SS].sel;
        v[n++] = c->r[R_ESP];
        v[n++] = pushed;
        v[n++] = c->seg[S_CS].sel;
        v[n++] = ret_eip;
        if (has_err)
            v[n++] = err;
        uint32_t nsp = stack_push_frame(m, &ss, esp, newcpl, v, n, sz, (sssel & 0xFFFC) | ext);
        desc_set_accessed(m, sssel, sshi);
        c->seg[S_SS] = ss;
        if (ss.flags & DF_DB)
            c->r[R_ESP] = nsp;
        else
            set_reg16(m, R_ESP, nsp);
    } else {
        v[n++] = pushed;
        v[n++] = c->seg[S_CS].sel;
        v[n++] = ret_eip;
        if (has_err)
            v[n++] = err;
        uint32_t nsp = stack_push_frame(m, &c->seg[S_SS], c->r[R_ESP], newcpl, v, n, sz, ext);
        set_sp(m, nsp);
    }
    desc_set_accessed(m, sel, hi);
    seg_set_cache(&c->seg[S_CS], (uint16_t)((sel & 0xFFFC) | newcpl), desc_base(lo, hi), limit, f | DF_A);
    cpu_set_cpl(m, newcpl);
    c->eip = off;
    eflags &= ~(EFLAGS_TF | EFLAGS_NT | EFLAGS_RF | EFLAGS_VM);
    if (intgate)
        eflags &= ~EFLAGS_IF;
    flags_write(m, eflags);
    cpu_update_slow(m);
    c->exc_delivering = -1;
}

void cpu_deliver_pending(struct machine *m)
{
    struct cpu *c = &m->cpu;
    if (c->exc_vec < 0)
        return;
    unsigned vec = (unsigned)c->exc_vec;
    c->exc_vec = -1;
    deliver(m, vec, c->exc_err, c->exc_has_err, c->exc_kind, c->exc_ret_eip);
}

void cpu_deliver_ext(struct machine *m, unsigned vec)
{
    deliver(m, vec, 0, false, EXC_EXT, m->cpu.eip);
}
