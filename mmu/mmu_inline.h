/* The translation fast path as inline functions, for the CPU's hot loop and
 * the MMU's own accessors. Include after emu/machine.h (it needs the whole
 * machine).
 *
 * Every hit the fast path answers is recorded through its TLB entry's hit
 * handle (mmu/tlb.h): mmu_fast_find makes the replacement update (inline
 * when the entry is its set's last used, which needs none), mmu_fast_count
 * (one, with its cycles and trace record) and mmu_fast_hits (n, whose cycles
 * and records the caller made) count. The same counts and the same
 * replacement state as the model's tlb_lookup. mmu_translate_fast and
 * mmu_access are mmu_translate: the same counts, cycles and trace; they only
 * save the call when the page's fast-path entry answers. */
#ifndef VMSCOPE_MMU_MMU_INLINE_H
#define VMSCOPE_MMU_MMU_INLINE_H

#include "emu/machine.h"
#include "mmu/le.h"
#include "trace/emit.h"

/* A first-level hit's outcome << 16 | cycles, as a translation record
 * stores it. */
static inline uint32_t mmu_hit_pc(const struct mmu *u)
{
    uint32_t hit = u->cost.hit;
    return (uint32_t)TR_HIT << 16 | (hit > 0xFFFF ? 0xFFFF : hit);
}

/* The trace record (m->trace set) of a first-level hit at CYCLE whose trace
 * key is KEY (mmu_fast_tkey), on linear LIN: for callers that count the hit
 * and charge its cycles themselves. */
static inline __attribute__((always_inline)) void mmu_emit_hit(struct machine *m, uint64_t cycle, uint64_t key,
                                                               uint32_t lin)
{
    uint32_t pc = mmu_hit_pc(&m->mmu);
#if !defined(VMSCOPE_TRACE_EMIT_OUT_OF_LINE) && !defined(VMSCOPE_MMU_TEST)
    trace_emit_xlate_by_key(m->trace, cycle, key, pc, lin);
#else   /* the MMU tests' capture writer takes whole records */
    struct tr_xlate x = trace_xlate_of_key(key, pc, lin);
    trace_emit_xlate(m->trace, cycle, &x);
#endif
}

/* The trace record of a hit through F (out of line: only with a trace). */
void mmu_fast_trace(struct machine *m, const struct mmu_fast *f, uint32_t lin, unsigned kind,
                    unsigned cpl) __attribute__((cold));

/* Record one translation of LIN for KIND at CPL answered by fast-path entry
 * F (from mmu_fast_find): a first-level hit, its cycles and its record. */
static inline __attribute__((always_inline)) void mmu_fast_count(struct machine *m, const struct mmu_fast *f, uint32_t lin,
                                  unsigned kind, unsigned cpl)
{
    /* translations, hits and MMU cycles: see mmu_sync_stats; the update is
     * made when F was found, but F may be used again after other hits (the
     * CPU's fetch entry in a structure that answers data too) */
    tlb_hit_record(&f->h, 1);
    if (__builtin_expect(m->mmu.hit_extra, 0)) {
        m->clock.cycles += m->mmu.cost.hit;
        if (m->trace)
            mmu_fast_trace(m, f, lin, kind, cpl);
    }
}

/* Record N translations answered by F (N >= 1) whose clock cycles the
 * caller charges and whose trace records it emits (mmu_trace_repeats), or
 * that need neither (mmu_fast_peek's entries). The replacement state ends
 * as N consecutive hits leave it. */
static inline __attribute__((always_inline)) void mmu_fast_hits(const struct mmu_fast *f, uint64_t n)
{
    tlb_hit_record(&f->h, n);   /* (the update is made already, unless something came between) */
}

/* Record the one hit of an entry mmu_fast_peek answered. */
static inline __attribute__((always_inline)) void mmu_fast_peeked(const struct mmu_fast *f)
{
    tlb_hit_count(&f->h, 1);    /* the update was made by the peek */
}

/* F's physical address and host address for LIN (host NULL when not RAM). */
static inline __attribute__((always_inline)) uint32_t mmu_fast_phys(const struct mmu_fast *f, uint32_t lin)
{
    return f->phys | (lin & 0xFFFu);
}
static inline __attribute__((always_inline)) uint8_t *mmu_fast_host(const struct mmu_fast *f, uint32_t lin)
{
    return f->host ? f->host + (lin & 0xFFFu) : NULL;
}
/* Hits through F to be counted later (the CPU's deferred fetches), after F
 * itself may be gone: their replacement update is made (the entry stays
 * its set's last used until then: nothing else looks its structure up in
 * between, see mmu_fast_private); the count needs only the structure. */
static inline struct mmu_later mmu_fast_later(const struct mmu_fast *f)
{
    return (struct mmu_later){ &f->h.n->hits };
}
static inline void mmu_later_count(struct mmu_later l, uint64_t n)
{
    *l.hits += n;       /* as tlb_hit_count */
}

/* The generation of the fast path's answers (struct mmu's gen): a fetch
 * entry found while it stays the same still answers. */
static inline __attribute__((always_inline)) uint64_t mmu_fast_gen(const struct mmu *u) { return u->gen; }

/* F is LIN's page's entry (it may have stopped holding: see mmu.gen). */
static inline __attribute__((always_inline)) bool mmu_fast_covers(const struct mmu_fast *f, uint32_t lin)
{
    return (((f->key[0] | f->key[1]) ^ lin) & 0xFFFFF000u) == 0 && (f->key[0] | f->key[1]);
}
/* Hits through F may be counted later in one mmu_fast_hits when nothing
 * else looks up F's structure in between: true when its structure answers
 * fetches only or data only. */
static inline bool mmu_fast_private(const struct mmu_fast *f) { return !f->shared; }

/* The entry that answers LIN for KIND at CPL when recording its hit needs
 * nothing but a count (no hit cycles, no trace), its page is RAM and, for a
 * write, holds no decoded code; *HOST then points at LIN. Finding makes the
 * hit's replacement update (inline: a hit on a way that is not its set's
 * last used costs a stamp or a tree update here, not the general path), so
 * it must be followed by this access, here (mmu_fast_peeked) or on the
 * general path. NULL otherwise (nothing recorded, nothing changed). No call
 * in it: for the CPU's frameless handlers. */
static inline __attribute__((always_inline)) const struct mmu_fast *mmu_fast_peek(struct machine *m, uint32_t lin, unsigned kind,
                                                                 unsigned cpl, uint8_t **host)
{
    unsigned user = (cpl == 3) & !(kind & MMU_IMPLICIT);
    const struct mmu_fast *f = &m->mmu.fast[kind & MMU_KIND_MASK][(lin >> 12) & (MMU_FAST_N - 1)];
    if (f->pkey[user] != ((lin & 0xFFFFF000u) | 1u))     /* also: RAM, and no hit cycles or trace */
        return NULL;
    if ((kind & MMU_KIND_MASK) == MMU_WRITE && __builtin_expect(m->bus.code_frames[f->phys >> 12] != 0, 0))
        return NULL;
    if (__builtin_expect(!tlb_hit_same(&f->h), 0)) {
        if (*f->h.efill != f->h.fill)
            return NULL;    /* the TLB entry is gone: the general path looks up */
        tlb_hit_touch(&f->h);
    }
    *host = f->host + (lin & 0xFFFu);
    return f;
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

/* mmu_access when the fast path does not answer (mmu/mmu.c). */
bool mmu_access_slow(struct machine *m, uint32_t lin, unsigned kind, unsigned cpl, uint32_t *phys,
                     uint8_t **host);

/* One translation of LIN, whose page holds the whole access (the CPU's
 * operand path and mmu_read/mmu_write): true with the physical address in
 * *PHYS and the host address in *HOST (NULL when not RAM); false on #PF
 * (see mmu_translate). A write through *HOST to a frame with decoded code
 * (bus.code_frames) must tell the CPU's hook first. */
static inline __attribute__((always_inline)) bool mmu_access(struct machine *m, uint32_t lin, unsigned kind, unsigned cpl,
                                                             uint32_t *phys, uint8_t **host)
{
    const struct mmu_fast *f = mmu_fast_find(&m->mmu, lin, kind, cpl);
    if (__builtin_expect(f != NULL, 1)) {
        mmu_fast_count(m, f, lin, kind, cpl);
        *phys = f->phys | (lin & 0xFFFu);
        *host = f->host ? f->host + (lin & 0xFFFu) : NULL;
        return true;
    }
    return mmu_access_slow(m, lin, kind, cpl, phys, host);
}

#endif
