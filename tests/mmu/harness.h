/* A machine with RAM and an MMU only (no CPU, no devices) for MMU tests:
 * page tables are written straight into RAM and mmu_* is called directly. */
#ifndef VMSCOPE_TESTS_MMU_HARNESS_H
#define VMSCOPE_TESTS_MMU_HARNESS_H

#include <stdlib.h>
#include <string.h>

#include "emu/machine.h"
#include "mmu/pte.h"
#include "tests/mmu/capture.h"

#define PD      0x00010000u     /* page directory of the tests */
#define PT0     0x00011000u     /* page tables follow */

struct tmach {
    struct machine *m;
    struct capture cap;
};

/* Build a 16 MiB machine with SPEC/CYCLES (NULL: defaults), fast path on or
 * off, tracing into t->cap. Returns false and fills ERR on a bad spec. */
static inline bool tm_init(struct tmach *t, const char *spec, const char *cycles, bool fast,
                           char *err, unsigned errlen)
{
    memset(t, 0, sizeof *t);
    t->m = calloc(1, sizeof *t->m);
    if (!t->m || !bus_init(&t->m->bus, 16u << 20))
        abort();
    err[0] = 0;
    if (!mmu_init(t->m, spec, cycles, err, errlen)) {
        bus_free(&t->m->bus);
        free(t->m);
        t->m = NULL;
        return false;
    }
    mmu_set_fastpath(t->m, fast);
    t->m->trace = CAPTURE_WRITER(&t->cap);
    return true;
}

static inline void tm_free(struct tmach *t)
{
    if (!t->m)
        return;
    mmu_free(t->m);
    bus_free(&t->m->bus);
    free(t->m);
    t->m = NULL;
}

static inline uint32_t rd32(struct tmach *t, uint32_t pa)
{
    uint32_t v;
    memcpy(&v, t->m->bus.ram + pa, 4);
    return v;
}

static inline void wr32(struct tmach *t, uint32_t pa, uint32_t v)
{
    memcpy(t->m->bus.ram + pa, &v, 4);
}

/* PDE for directory slot of LIN. */
static inline uint32_t pde_addr(uint32_t lin) { return PD + (lin >> 22) * 4; }
/* PTE address of LIN when its table is at PT. */
static inline uint32_t pte_addr(uint32_t pt, uint32_t lin) { return pt + ((lin >> 12) & 0x3FF) * 4; }

/* Map 4 KiB page LIN -> PHYS through page table PT (PDE flags PDEF, PTE flags PTEF). */
static inline void map4k(struct tmach *t, uint32_t pt, uint32_t lin, uint32_t phys, uint32_t pdef,
                         uint32_t ptef)
{
    wr32(t, pde_addr(lin), pt | pdef);
    wr32(t, pte_addr(pt, lin), phys | ptef);
}

static inline void map4m(struct tmach *t, uint32_t lin, uint32_t phys, uint32_t pdef)
{
    wr32(t, pde_addr(lin), phys | pdef | PG_PS);
}

/* Paging on: CR4 = CR4F, CR3 = PD, CR0 = PE|PG (|WP when WP). */
static inline void paging_on(struct tmach *t, uint32_t cr4f, bool wp)
{
    mmu_set_cr4(t->m, cr4f);
    mmu_set_cr3(t->m, PD);
    mmu_set_cr0(t->m, CR0_PE | CR0_PG | (wp ? CR0_WP : 0));
}

static inline const struct tlb_stats *tst(struct tmach *t, unsigned id)
{
    return &t->m->mmu.tlb->c[id]->st;
}

#endif
