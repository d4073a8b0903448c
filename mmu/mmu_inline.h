/* The translation fast path as an inline function, for the CPU's hot loop.
 * Include after emu/machine.h (it needs the whole machine).
 *
 * mmu_translate_fast is mmu_translate: the same counts, cycles and trace; it
 * only saves the call when the page's fast-path entry answers. */
#ifndef VMSCOPE_MMU_MMU_INLINE_H
#define VMSCOPE_MMU_MMU_INLINE_H

#include "emu/machine.h"

/* Count a translation answered by fast-path entry F (a first-level TLB hit on
 * the set's most recent way) and emit its trace record. */
void mmu_fast_trace(struct machine *m, const struct mmu_fast *f, uint32_t lin, unsigned kind,
                    unsigned cpl) __attribute__((cold));

static inline __attribute__((always_inline)) void mmu_fast_count(struct machine *m, const struct mmu_fast *f, uint32_t lin,
                                  unsigned kind, unsigned cpl)
{
    ++*f->hits;     /* translations, hits and MMU cycles: see mmu_sync_stats */
    if (__builtin_expect(m->mmu.hit_extra, 0)) {
        m->clock.cycles += m->mmu.cost.hit;
        if (m->trace)
            mmu_fast_trace(m, f, lin, kind, cpl);
    }
}

static inline bool mmu_translate_fast(struct machine *m, uint32_t lin, unsigned kind, unsigned cpl,
                                      uint32_t *phys)
{
    if (__builtin_expect(!m->mmu.direct, 0)) {     /* paging off, or watchpoints set */
        struct mmu *u = &m->mmu;
        if (u->paging || u->nwatch)
            return mmu_translate_slow(m, lin, kind, cpl, phys);
        u->stats.unpaged++;     /* mmu_translate_slow's paging-off case */
        u->stats.cycles += u->cost.unpaged;
        m->clock.cycles += u->cost.unpaged;
        *phys = lin;
        return true;
    }
    const struct mmu_fast *f = mmu_fast_find(&m->mmu, lin, kind, cpl);
    if (__builtin_expect(f != NULL, 1)) {
        mmu_fast_count(m, f, lin, kind, cpl);
        *phys = f->phys | (lin & 0xFFFu);
        return true;
    }
    return mmu_translate_slow(m, lin, kind, cpl, phys);
}

#endif
