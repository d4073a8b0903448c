/* trace/emit.h emitters for the MMU unit tests (see capture.h). */
#include "tests/mmu/capture.h"

#include <string.h>

static void mix(struct capture *c, unsigned kind, uint64_t cycle, const void *p, size_t n)
{
    uint64_t h = c->hash ? c->hash : 1469598103934665603ull;
    const uint8_t *b = p;
    h = (h ^ kind) * 1099511628211ull;
    for (unsigned i = 0; i < 8; i++)
        h = (h ^ ((cycle >> (8 * i)) & 0xFF)) * 1099511628211ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 1099511628211ull;
    c->hash = h;
    c->records++;
    c->per_kind[kind]++;
}

void trace_emit_xlate(struct trace_writer *tw, uint64_t cycle, const struct tr_xlate *x)
{
    struct capture *c = (struct capture *)(void *)tw;
    struct tr_xlate v;
    memset(&v, 0, sizeof v);    /* no padding bytes in the hash */
    v.lin = x->lin; v.phys = x->phys; v.kind = x->kind; v.outcome = x->outcome; v.tlb = x->tlb;
    v.cpl = x->cpl; v.large = x->large; v.global = x->global; v.cycles = x->cycles;
    mix(c, 0, cycle, &v, sizeof v);
    c->last_xlate = v;
}

void trace_emit_walk(struct trace_writer *tw, uint64_t cycle, const struct tr_walk *w)
{
    struct capture *c = (struct capture *)(void *)tw;
    struct tr_walk v;
    memset(&v, 0, sizeof v);
    v.lin = w->lin; v.pde_addr = w->pde_addr; v.pde = w->pde; v.pte_addr = w->pte_addr;
    v.pte = w->pte; v.ad_set = w->ad_set;
    mix(c, 1, cycle, &v, sizeof v);
    c->last_walk = v;
}

void trace_emit_fault(struct trace_writer *tw, uint64_t cycle, uint32_t cr2, uint32_t err,
                      uint32_t eip, unsigned cpl)
{
    struct capture *c = (struct capture *)(void *)tw;
    uint32_t v[4] = { cr2, err, eip, cpl };
    mix(c, 2, cycle, v, sizeof v);
    c->last_fault_cr2 = cr2;
    c->last_fault_err = err;
}

void trace_emit_flush(struct trace_writer *tw, uint64_t cycle, enum tr_flush_kind kind,
                      uint32_t addr, uint32_t entries_dropped)
{
    struct capture *c = (struct capture *)(void *)tw;
    uint32_t v[3] = { (uint32_t)kind, addr, entries_dropped };
    mix(c, 3, cycle, v, sizeof v);
    c->last_flush_kind = (int)kind;
    c->last_flush_addr = addr;
    c->last_flush_dropped = entries_dropped;
}

void trace_emit_cr3(struct trace_writer *tw, uint64_t cycle, uint32_t old_cr3, uint32_t new_cr3)
{
    struct capture *c = (struct capture *)(void *)tw;
    uint32_t v[2] = { old_cr3, new_cr3 };
    mix(c, 4, cycle, v, sizeof v);
}
