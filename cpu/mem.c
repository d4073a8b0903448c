/* The slow halves of the memory path: accesses that cross a page, RAM-less
 * physical addresses, segment-limit faults, and the stack.
 *
 * An access that spans two pages translates both pages before touching
 * memory, so a fault on the second page changes nothing (SDM vol. 3A §4.7:
 * CR2 is the faulting linear address, here the start of the second page). */
#include "cpu/cpu_impl.h"

NORETURN void seg_fault(struct machine *m, unsigned s)
{
    /* Null selector, unusable access or limit violation: #SS(0) for the
     * stack segment, #GP(0) otherwise (SDM vol. 3A §6.15, vectors 12/13). */
    cpu_fault(m, s == S_SS ? VEC_SS : VEC_GP, 0);
}

static void translate2(struct machine *m, uint32_t lin, unsigned sz, unsigned kind, unsigned cpl,
                       uint32_t *p0, uint32_t *p1, unsigned *first)
{
    *first = 0x1000 - (lin & 0xFFF);
    if (*first > sz)
        *first = sz;
    if (!mmu_translate(m, lin, kind, cpl, p0))
        cpu_page_fault(m);
    *p1 = 0;
    if (*first < sz && !mmu_translate(m, lin + *first, kind, cpl, p1))
        cpu_page_fault(m);
}

static uint32_t phys_gather(struct machine *m, uint32_t p0, uint32_t p1, unsigned first, unsigned sz)
{
    uint32_t v = 0;
    for (unsigned k = 0; k < sz; k++)
        v |= bus_read(m, k < first ? p0 + k : p1 + (k - first), 1) << (8 * k);
    return v;
}

static void phys_scatter(struct machine *m, uint32_t p0, uint32_t p1, unsigned first, unsigned sz, uint32_t v)
{
    for (unsigned k = 0; k < sz; k++)
        bus_write(m, k < first ? p0 + k : p1 + (k - first), 1, (v >> (8 * k)) & 0xFF);
}

uint32_t lin_read_slow(struct machine *m, uint32_t lin, unsigned sz, unsigned kind, unsigned cpl)
{
    uint32_t p0, p1;
    unsigned first;
    translate2(m, lin, sz, kind, cpl, &p0, &p1, &first);
    return phys_gather(m, p0, p1, first, sz);
}

void lin_write_slow(struct machine *m, uint32_t lin, unsigned sz, unsigned kind, unsigned cpl, uint32_t v)
{
    uint32_t p0, p1;
    unsigned first;
    translate2(m, lin, sz, kind, cpl, &p0, &p1, &first);
    phys_scatter(m, p0, p1, first, sz, v);
}

void rmw_begin_slow(struct machine *m, uint32_t lin, unsigned sz, struct rmw *w)
{
    translate2(m, lin, sz, MMU_WRITE, m->cpu.cpl, &w->phys0, &w->phys1, &w->first);
    w->p = NULL;
    w->sz = sz;
}

uint32_t rmw_read_slow(struct machine *m, const struct rmw *w)
{
    return phys_gather(m, w->phys0, w->phys1, w->first, w->sz);
}

void rmw_write_slow(struct machine *m, const struct rmw *w, uint32_t v)
{
    if (w->first >= w->sz)
        bus_write(m, w->phys0, w->sz, v);
    else
        phys_scatter(m, w->phys0, w->phys1, w->first, w->sz, v);
}

/* ---- the stack: SS with ESP (SS.B=1) or SP ---- */

void push(struct machine *m, unsigned sz, uint32_t v)
{
    uint32_t sp = (m->cpu.r[R_ESP] - sz) & sp_mask(m);
    mem_write(m, S_SS, sp, sz, v);
    set_sp(m, sp);
}

uint32_t pop(struct machine *m, unsigned sz)
{
    uint32_t sp = m->cpu.r[R_ESP] & sp_mask(m);
    uint32_t v = mem_read(m, S_SS, sp, sz);
    set_sp(m, sp + sz);
    return v;
}

uint32_t stack_peek(struct machine *m, unsigned sz, uint32_t delta)
{
    uint32_t sp = (m->cpu.r[R_ESP] + delta) & sp_mask(m);
    return mem_read(m, S_SS, sp, sz);
}

bool stack_peek_run(struct machine *m, unsigned sz, uint32_t delta, unsigned n, uint32_t *v)
{
    uint32_t sp = (m->cpu.r[R_ESP] + delta) & sp_mask(m);
    const struct cpu_seg *g = &m->cpu.seg[S_SS];
    if ((uint64_t)sp + n * sz - 1 > sp_mask(m) || !seg_fits(g, false, sp, n * sz))
        return false;   /* the offsets wrap, or a slot is outside SS */
    const uint8_t *p = lin_fast_run(m, g->base + sp, n * sz, MMU_READ, m->cpu.cpl, n);
    if (!p)
        return false;
    for (unsigned k = 0; k < n; k++)
        v[k] = load_le(p + k * sz, sz);
    return true;
}
