/* Segmentation: descriptor tables, descriptor caches and the checks of a
 * segment-register load. Intel SDM vol. 3A §3.4 (selectors, descriptors),
 * §5.3-5.6 (limit, type and privilege checks), vol. 2 "MOV" (the load
 * pseudocode).
 *
 * Descriptor-table reads and accessed-bit writes are implicit supervisor
 * accesses (MMU_IMPLICIT, CPL 0). Every cache load derives the offset ranges
 * a read or write may touch, so the per-access check is two compares. */
#include "cpu/cpu_impl.h"

uint32_t desc_base(uint32_t lo, uint32_t hi)
{
    return (lo >> 16) | ((hi & 0xFF) << 16) | (hi & 0xFF000000u);
}

uint32_t desc_limit(uint32_t lo, uint32_t hi)
{
    uint32_t limit = (lo & 0xFFFF) | (hi & 0xF0000);
    if (hi & (1u << 23))
        limit = (limit << 12) | 0xFFF;
    return limit;
}

/* Linear address of the descriptor for SEL, or false if outside its table. */
static bool desc_addr(struct machine *m, uint16_t sel, uint32_t *lin)
{
    const struct cpu *c = &m->cpu;
    uint32_t idx = sel & ~7u;
    if (sel & 4) {
        if (!(c->ldtr.flags & DF_P) || idx + 7 > c->ldtr.limit)
            return false;
        *lin = c->ldtr.base + idx;
    } else {
        if (idx + 7 > c->gdtr.limit)
            return false;
        *lin = c->gdtr.base + idx;
    }
    return true;
}

void desc_read_lin(struct machine *m, uint32_t lin, uint32_t *lo, uint32_t *hi)
{
    const uint8_t *p = lin_fast_run(m, lin, 8, MMU_READ | MMU_IMPLICIT, 0, 2);
    if (p) {
        *lo = load_le(p, 4);
        *hi = load_le(p + 4, 4);
        return;
    }
    *lo = lin_read(m, lin, 4, MMU_READ | MMU_IMPLICIT, 0);
    *hi = lin_read(m, lin + 4, 4, MMU_READ | MMU_IMPLICIT, 0);
}

bool desc_read(struct machine *m, uint16_t sel, uint32_t *lo, uint32_t *hi)
{
    uint32_t lin;
    if (!desc_addr(m, sel, &lin))
        return false;
    desc_read_lin(m, lin, lo, hi);
    return true;
}

void desc_set_accessed(struct machine *m, uint16_t sel, uint32_t hi)
{
    uint32_t lin;
    if ((hi & 0x100) || !desc_addr(m, sel, &lin))
        return;
    lin_write(m, lin + 5, 1, MMU_WRITE | MMU_IMPLICIT, 0, ((hi >> 8) | 1) & 0xFF);
}

void seg_derive(struct cpu_seg *g, unsigned s)
{
    uint32_t f = g->flags;
    g->rlo = g->wlo = 1;
    g->rhi = g->whi = 0;
    g->flat = 0;
    if (!(f & DF_P) || !(f & DF_S))
        return;     /* null or unusable: every access faults */
    uint32_t lo = 0, hi = g->limit;
    if (!(f & DF_CODE) && (f & DF_CONF)) {
        /* expand-down data: offsets above the limit, up to 64 KiB or 4 GiB */
        uint32_t top = (f & DF_DB) ? 0xFFFFFFFFu : 0xFFFFu;
        if (g->limit >= top)
            return;
        lo = g->limit + 1;
        hi = top;
    }
    if (!(f & DF_CODE) || (f & DF_RW)) {
        g->rlo = lo;
        g->rhi = hi;
    }
    if (!(f & DF_CODE) && (f & DF_RW)) {
        g->wlo = lo;
        g->whi = hi;
    }
    if ((g->base & 0xFFF) == 0)
        g->flat = (g->rlo == 0 && g->rhi == 0xFFFFFFFFu ? SEG_FLAT_R : 0) |
                  (g->wlo == 0 && g->whi == 0xFFFFFFFFu ? SEG_FLAT_W : 0);
    (void)s;
}

void seg_set_cache(struct cpu_seg *g, uint16_t sel, uint32_t base, uint32_t limit, uint32_t flags)
{
    g->sel = sel;
    g->base = base;
    g->limit = limit;
    g->flags = flags;
    seg_derive(g, 0);
}

static NORETURN void sel_fault(struct machine *m, unsigned vec, uint16_t sel)
{
    cpu_fault(m, vec, sel & 0xFFFC);
}

void seg_load(struct machine *m, unsigned s, uint16_t sel)
{
    struct cpu *c = &m->cpu;
    struct cpu_seg *g = &c->seg[s];
    uint32_t lo, hi;
    if ((sel & 0xFFFC) == 0) {
        if (s == S_SS)
            GP0(m);
        seg_set_cache(g, sel, 0, 0, 0);
        return;
    }
    if (!desc_read(m, sel, &lo, &hi))
        sel_fault(m, VEC_GP, sel);
    uint32_t f = desc_flags(hi);
    unsigned rpl = sel & 3, dpl = df_dpl(f);
    if (s == S_SS) {
        if (rpl != c->cpl || !(f & DF_S) || (f & DF_CODE) || !(f & DF_RW) || dpl != c->cpl)
            sel_fault(m, VEC_GP, sel);
        if (!(f & DF_P))
            sel_fault(m, VEC_SS, sel);
    } else {
        if (!(f & DF_S) || ((f & DF_CODE) && !(f & DF_RW)))
            sel_fault(m, VEC_GP, sel);
        if ((!(f & DF_CODE) || !(f & DF_CONF)) && (rpl > dpl || c->cpl > dpl))
            sel_fault(m, VEC_GP, sel);
        if (!(f & DF_P))
            sel_fault(m, VEC_NP, sel);
    }
    desc_set_accessed(m, sel, hi);
    seg_set_cache(g, sel, desc_base(lo, hi), desc_limit(lo, hi), f | DF_A);
}

void cpu_set_cpl(struct machine *m, unsigned cpl)
{
    m->cpu.cpl = cpl;
}
