/* The TLB model's hot internals as inline functions: the set search, the
 * hit handle, the victim and the fill. For mmu/tlb.c and the MMU's miss path
 * (mmu/mmu.c, which saves the calls) only: everyone else calls tlb_lookup
 * and tlb_fill of mmu/tlb.h, which are these. */
#ifndef VMSCOPE_MMU_TLB_INLINE_H
#define VMSCOPE_MMU_TLB_INLINE_H

#include "mmu/tlb.h"
#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* The way a PLRU set's tree bits point at. */
static inline unsigned plru_victim(uint64_t bits, unsigned ways)
{
    unsigned node = 1;
    while (node < ways)
        node = 2 * node + (unsigned)((bits >> node) & 1);
    return node - ways;
}

/* tlb_hit_make for way W of SET (no division: the caller knows both). */
static inline __attribute__((always_inline)) void hit_make(struct tlb_cache *c, uint32_t set, unsigned w,
                                                           struct tlb_hit *h)
{
    struct tlb_entry *e = &c->e[set * c->ways + w];
    h->mru = &c->mru_fill[set];
    h->efill = &e->fill;
    h->fill = e->fill;
    h->n = &c->n;
    h->word = NULL;
    h->keep = ~0ull;
    h->set = 0;
    if (c->policy == TLB_LRU) {
        h->word = &e->stamp;
        h->keep = 0;
    } else if (c->policy == TLB_PLRU) {
        h->word = &c->plru[set];
        h->keep = c->plru_keep[w];
        h->set = c->plru_set[w];
    }
}

/* A hit on way W of SET, counted in the structure's statistics: recorded
 * through a handle as every hit is (the compiler folds the handle away). */
static inline void cache_hit(struct tlb_cache *c, uint32_t set, unsigned w)
{
    struct tlb_hit h;
    hit_make(c, set, w, &h);
    tlb_hit_record(&h, 1);
}

static inline int cache_find(const struct tlb_cache *c, uint32_t lin, uint32_t *set_out)
{
    uint32_t set = (lin >> c->shift) & c->set_mask;
    uint32_t key = (lin & c->page_mask) | 1u;
    const uint32_t *tg = c->tag + set * c->ways;
    *set_out = set;
#ifdef __SSE2__
    /* Four tags at a time (a set of 4k ways is 16-byte aligned: the tag
     * array is 64-byte aligned); a page sits in at most one way. */
    if ((c->ways & 3) == 0) {
        __m128i k = _mm_set1_epi32((int)key);
        for (unsigned w = 0; w < c->ways; w += 4) {
            __m128i t = _mm_load_si128((const __m128i *)(const void *)(tg + w));
            int hit = _mm_movemask_ps(_mm_castsi128_ps(_mm_cmpeq_epi32(t, k)));
            if (hit)
                return (int)w + __builtin_ctz((unsigned)hit);
        }
        return -1;
    }
#endif
    for (unsigned w = 0; w < c->ways; w++)
        if (tg[w] == key)
            return (int)w;
    return -1;
}

static inline __attribute__((always_inline)) unsigned cache_victim(struct tlb_cache *c, uint32_t set)
{
    uint32_t base = set * c->ways;
    if (c->policy == TLB_LRU || c->policy == TLB_FIFO) {
        const struct tlb_entry *e = c->e + base;
        if (c->ways == 4) {     /* the common geometry: a tournament, no loop */
            unsigned a = e[1].stamp < e[0].stamp, b = 2 + (e[3].stamp < e[2].stamp);
            return e[b].stamp < e[a].stamp ? b : a;
        }
        unsigned v = 0;
        uint64_t least = e[0].stamp;
        for (unsigned w = 1; w < c->ways; w++)
            if (e[w].stamp < least) {
                least = e[w].stamp;
                v = w;
            }
        return v;       /* invalid ways have the least stamps */
    }
    if (c->valid != c->ways * c->sets) {    /* an invalid way somewhere: maybe here */
        const uint32_t *tg = c->tag + base;
        for (unsigned w = 0; w < c->ways; w++)
            if (!tg[w])
                return w;
    }
    if (c->policy == TLB_PLRU)
        return plru_victim(c->plru[set], c->ways);
    uint32_t x = c->rng;    /* xorshift32 (Marsaglia 2003) */
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    c->rng = x;
    return (unsigned)(((uint64_t)x * c->ways) >> 32);
}

/* The counts an entry E of C moves when it leaves (dropped, or replaced in
 * place): a 4 MiB page's piece, the drop sequence, the fetch structures'
 * change count. */
static inline void entry_leaves(struct tlb_cache *c, const struct tlb_entry *e)
{
    c->fractured -= (e->flags & TLBE_LARGE) && c->shift == 12;
    c->drops++;
    if (c->fetch)
        (*c->fetch_changes)++;
}

/* Write LIN's translation into C (which must not hold it), counting the fill
 * and any eviction. Returns the slot index. One pass over the set: the
 * victim's search, then the write. A valid victim is replaced in place, with
 * the counts cache_drop (tlb.c) would have moved, not a drop and a refill. */
static inline __attribute__((always_inline)) uint32_t cache_insert(struct tlb_model *t, struct tlb_cache *c,
                                                                   uint32_t lin, uint32_t phys, uint32_t flags)
{
    uint32_t set = (lin >> c->shift) & c->set_mask;
    unsigned w = cache_victim(c, set);
    uint32_t i = set * c->ways + w;
    struct tlb_entry *e = &c->e[i];
    if (c->tag[i]) {
        if (c->valid == c->ways * c->sets)
            c->st.evict_capacity++;
        else
            c->st.evict_conflict++;
        entry_leaves(c, e);     /* as cache_drop: later invalid ways' stamps stay what they were */
    } else {
        c->valid++;
    }
    c->tag[i] = (lin & c->page_mask) | 1u;
    e->fill = ++t->fill_seq;
    e->stamp = ++c->n.clock;
    e->phys = phys;
    e->flags = flags;
    c->fractured += (flags & TLBE_LARGE) && c->shift == 12;
    c->st.fills++;
    if (c->policy == TLB_PLRU)
        c->plru[set] = (c->plru[set] & c->plru_keep[w]) | c->plru_set[w];
    c->mru_fill[set] = t->fill_seq;
    return i;
}

/* The frame and flags C should hold for a translation (PHYS, FLAGS) of LIN:
 * a 4 KiB structure holding a 4 MiB page holds the 4 KiB piece of LIN. */
static inline uint32_t phys_for(const struct tlb_cache *c, uint32_t lin, uint32_t phys, uint32_t flags)
{
    if ((flags & TLBE_LARGE) && c->shift == 12)
        return (phys & 0xFFC00000u) | (lin & 0x003FF000u);
    return phys;
}

/* The first-level structure that takes a page of SIDE (tlb_l1_for): the
 * large-page one for a 4 MiB page, else the 4 KiB one (which holds a 4 MiB
 * page as 4 KiB pieces when there is no large-page one). */
static inline struct tlb_cache *l1_for(const struct tlb_model *t, unsigned side, bool large)
{
    struct tlb_cache *c = t->l1[side][large];
    return c ? c : large ? t->l1[side][0] : NULL;
}

/* tlb_lookup (mmu/tlb.h) */
static inline __attribute__((always_inline)) enum tlb_result tlb_lookup_inline(struct tlb_model *t, unsigned side,
                                                                          uint32_t lin, struct tlb_ref *r)
{
    uint32_t set;
    int w;
    for (unsigned large = 0; large < 2; large++) {
        struct tlb_cache *c = t->l1[side][large];
        /* (an empty structure, often the large-page one, is not searched) */
        if (c && c->valid && (w = cache_find(c, lin, &set)) >= 0) {
            cache_hit(c, set, (unsigned)w);
            r->c = c;
            r->idx = set * c->ways + (unsigned)w;
            return TLB_HIT_L1;
        }
    }
    struct tlb_cache *s = t->c[TLB_STLB];
    if (s && s->valid && (w = cache_find(s, lin, &set)) >= 0) {
        cache_hit(s, set, (unsigned)w);
        uint32_t i = set * s->ways + (unsigned)w;
        struct tlb_entry e = s->e[i];
        bool large = e.flags & TLBE_LARGE;
        struct tlb_cache *l1 = l1_for(t, side, large);
        if (l1) {
            l1->st.misses++;
            uint32_t phys = e.phys;
            if (large && l1->shift == 22)
                phys &= 0xFFC00000u;
            r->c = l1;
            r->idx = cache_insert(t, l1, lin, phys, e.flags);
        } else {
            r->c = s;
            r->idx = i;
        }
        return TLB_HIT_L2;
    }
    r->c = NULL;
    return TLB_MISS;
}

/* tlb_fill, and when the first level took the page, a hit handle for its
 * entry in *H (tlb_hit_make's, without finding the slot again). */
static inline __attribute__((always_inline)) void tlb_fill_inline(struct tlb_model *t, unsigned side, uint32_t lin,
                                                                 uint32_t phys, uint32_t flags, struct tlb_ref *r,
                                                                 struct tlb_hit *h)
{
    bool large = flags & TLBE_LARGE;
    struct tlb_cache *c = l1_for(t, side, large);
    struct tlb_cache *s = t->c[TLB_STLB];
    r->c = NULL;
    if (__builtin_expect(s != NULL, 0)) {
        s->st.misses++;
        uint32_t idx = cache_insert(t, s, lin, phys_for(s, lin, phys, flags), flags);
        r->c = s;
        r->idx = idx;
    }
    if (c) {
        c->st.misses++;
        r->c = c;
        r->idx = cache_insert(t, c, lin, phys_for(c, lin, phys, flags), flags);
        if (h) {
            uint32_t set = (lin >> c->shift) & c->set_mask;
            hit_make(c, set, r->idx - set * c->ways, h);
        }
    }
}

#endif
