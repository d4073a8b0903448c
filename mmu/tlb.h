/* The TLB model: geometry, replacement policy, state and statistics of every
 * translation cache vmscope models, and the cycle model's figures.
 *
 * Sources: Intel SDM vol. 3A §4.10 (caching translation information: TLBs,
 * paging-structure caches, invalidation, global pages, fracturing of large
 * pages); the Pentium II TLB geometry from the CPUID leaf 2 descriptors
 * 01h-04h (SDM vol. 2A, CPUID, table "Encoding of CPUID Leaf 2 Descriptors").
 * The definitions behind every counter are in docs/cycle-model.md.
 *
 * This module knows nothing about the machine: it is linked by the emulator
 * (mmu/mmu.c drives it with the results of page walks) and can be linked by
 * tools that re-simulate a recorded translation stream (vmtrace sim). One
 * model is one `struct tlb_model`; there is no global state. */
#ifndef VMSCOPE_MMU_TLB_H
#define VMSCOPE_MMU_TLB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Structure ids. The values of the TLBs are the `tlb` field of a trace
 * translation record (trace/emit.h enum tr_tlb; TLB_ILTLB is 5 there too). */
enum tlb_id {
    TLB_ITLB = 0,       /* fetches, 4 KiB pages */
    TLB_DTLB = 1,       /* data, 4 KiB pages */
    TLB_LTLB = 2,       /* 4 MiB pages: data side (dltlb) or both sides (ltlb) */
    TLB_STLB = 3,       /* second level, shared by fetches and data, 4 KiB granular */
    TLB_UTLB = 4,       /* unified first level (fetches and data), 4 KiB pages */
    TLB_ILTLB = 5,      /* 4 MiB pages, fetch side */
    TLB_PWC = 6,        /* page-walk cache of PDEs (not a TLB: never answers a translation) */
    TLB_NSTRUCT = 7,
    TLB_NONE = 7,       /* no structure (trace: TR_NOTLB) */
};

enum tlb_policy { TLB_LRU = 0, TLB_PLRU = 1, TLB_FIFO = 2, TLB_RANDOM = 3 };

/* Why entries were dropped (statistics per structure). */
enum tlb_cause {
    TLB_CAUSE_CR3 = 0,      /* MOV to CR3: non-global entries (all PWC entries) */
    TLB_CAUSE_ALL = 1,      /* CR0.PG, CR4.PGE or CR4.PSE change: everything */
    TLB_CAUSE_PAGE = 2,     /* INVLPG */
    TLB_CAUSE_FAULT = 3,    /* a #PF drops the entries for its page (SDM §4.10.4.1) */
    TLB_NCAUSE = 4,
};

/* Access sides: which first-level structures a translation consults. */
enum tlb_side { TLB_SIDE_FETCH = 0, TLB_SIDE_DATA = 1 };

/* ---- configuration ---- */

struct tlb_geom {
    unsigned entries;       /* 0: the structure is absent */
    unsigned ways;          /* entries/ways sets, a power of two */
    int policy;             /* enum tlb_policy, or -1 for the model's policy */
};

struct tlb_config {
    struct tlb_geom g[TLB_NSTRUCT]; /* by enum tlb_id (TLB_LTLB: dltlb, or ltlb when shared) */
    bool ltlb_shared;               /* TLB_LTLB serves fetches too (spec `ltlb=`) */
    int policy;                     /* enum tlb_policy for structures without their own */
    uint32_t seed;                  /* seed of the random policy (nonzero) */
};

/* The cycle model (docs/cycle-model.md gives the reasons for each default). */
struct tlb_costs {
    uint32_t hit;           /* first-level TLB hit */
    uint32_t stlb;          /* first-level miss answered by the STLB */
    uint32_t walk;          /* fixed cost of a page walk (miss handler start and refill) */
    uint32_t memlat;        /* each page-structure read of a walk */
    uint32_t pwc;           /* a PDE read answered by the page-walk cache instead */
    uint32_t ad;            /* each A/D-bit write (a locked read-modify-write) */
    uint32_t assist;        /* write hit on an entry with D clear, before its walk */
    uint32_t fault;         /* a translation that ends in #PF (detection, pipeline drain) */
    uint32_t unpaged;       /* an access with CR0.PG=0 */
};

/* The P6 (Pentium II) default: itlb=32:4,iltlb=2:2,dtlb=64:4,dltlb=8:4,policy=lru. */
void tlb_config_default(struct tlb_config *cfg);
/* Apply SPEC (comma-separated key=value, see docs/cycle-model.md) on top of
 * *CFG. NULL or "" changes nothing. Returns false with one line in ERR naming
 * the wrong part; *CFG is then unspecified. */
bool tlb_config_parse(struct tlb_config *cfg, const char *spec, char *err, unsigned errlen);
/* Canonical spec of CFG (parses back to the same configuration). */
void tlb_config_format(const struct tlb_config *cfg, char *buf, size_t len);

void tlb_costs_default(struct tlb_costs *c);
bool tlb_costs_parse(struct tlb_costs *c, const char *spec, char *err, unsigned errlen);
void tlb_costs_format(const struct tlb_costs *c, char *buf, size_t len);

/* Text for `vmscope run --help` and error messages: the --tlb and --cycles syntax. */
void tlb_help(FILE *f);

/* ---- state ---- */

/* Entry flags. */
#define TLBE_RW    0x01u    /* writes allowed (R/W of PDE and PTE combined) */
#define TLBE_US    0x02u    /* user accesses allowed (U/S combined) */
#define TLBE_D     0x04u    /* dirty: the leaf entry's D bit is known set */
#define TLBE_G     0x08u    /* global (leaf G with CR4.PGE=1): survives MOV CR3 */
#define TLBE_LARGE 0x10u    /* the translation comes from a 4 MiB page */

struct tlb_entry {
    uint64_t fill;          /* fill sequence number, unique per model, never 0 */
    uint64_t stamp;         /* LRU: last use, FIFO: fill (the structure's clock
                             * then); below TLB_STAMP_BASE when invalid (see
                             * cache_drop); unused by PLRU and random */
    uint32_t phys;          /* page frame base; a 4 MiB entry: the 4 MiB base;
                             * a PWC entry: the PDE value */
    uint32_t flags;         /* TLBE_* */
};

/* Stamps of valid entries are above this; the victim of an LRU or FIFO set
 * is its way with the least stamp, so invalid ways go first. */
#define TLB_STAMP_BASE (1ull << 62)

/* What hits move in a structure, side by side so one pointer reaches both. */
struct tlb_count {
    uint64_t hits;          /* hits so far (tlb_hits) */
    uint64_t clock;         /* the last stamp given (from TLB_STAMP_BASE): LRU
                             * stamps an entry with the next on a use that
                             * changes the order, FIFO on a fill; each stamp
                             * is given once, so no two valid entries tie */
};

struct tlb_stats {
    /* hits: lookups that found the page here, tlb_hits(c) (counted in the
     * structure's struct tlb_count) */
    uint64_t misses;        /* lookups that did not (lookups = hits + misses) */
    uint64_t fills;         /* entries written */
    uint64_t evict_capacity;/* a fill replaced a valid entry while every entry was valid */
    uint64_t evict_conflict;/* a fill replaced a valid entry while other sets had room */
    uint64_t assists;       /* write hits on an entry with D clear (hit + walk) */
    uint64_t flushes[TLB_NCAUSE];   /* invalidation operations that reached this structure */
    uint64_t dropped[TLB_NCAUSE];   /* valid entries they dropped */
};

/* One set-associative structure. Sets are contiguous: the tags of a set sit
 * in one run of `ways` words (one cache line for up to 16 ways). */
struct tlb_cache {
    uint8_t id;             /* enum tlb_id */
    uint8_t policy;         /* enum tlb_policy */
    uint8_t shift;          /* 12: 4 KiB tags; 22: 4 MiB tags (large TLBs, PWC) */
    unsigned ways, sets;    /* sets is a power of two */
    uint32_t set_mask;      /* sets - 1 */
    uint32_t page_mask;     /* linear bits of a tag */
    bool fetch;             /* answers fetches (itlb, iltlb, utlb, a shared ltlb) */
    uint64_t *fetch_changes;/* the model's (struct tlb_model) */
    uint32_t *tag;          /* [sets*ways]: (lin & page_mask) | 1, 0 = invalid */
    struct tlb_entry *e;    /* [sets*ways] */
    uint64_t *plru;         /* PLRU [sets]: tree bits 1..ways-1 */
    uint64_t *plru_keep, *plru_set; /* PLRU [ways]: a use of way w makes a set's bits
                             * (bits & plru_keep[w]) | plru_set[w] */
    uint64_t *mru_fill;     /* [sets]: fill of the way whose next hit changes nothing
                             * (the set's last used or filled), 0 none */
    struct tlb_count n;     /* its hits and its stamp clock */
    uint64_t drops;         /* LRU/FIFO: invalidations so far (the stamps of invalid ways) */
    unsigned valid;         /* valid entries */
    unsigned fractured;     /* valid 4 KiB entries that are pieces of 4 MiB pages */
    uint32_t rng;           /* random policy state (xorshift32) */
    struct tlb_stats st;
};

struct tlb_model {
    struct tlb_config cfg;
    struct tlb_cache *c[TLB_NSTRUCT];   /* by id, NULL when absent */
    struct tlb_cache *l1[2][2];         /* [side][large]: first-level structure, or NULL */
    struct tlb_cache *present[TLB_NSTRUCT]; /* the structures there are, by id (invalidation's loop) */
    unsigned npresent;
    uint64_t fill_seq;                  /* last fill number handed out (never wraps) */
    /* Bumped whenever an entry of a structure that answers fetches is
     * dropped, replaced or rewritten: a caller that keeps a fetch hit's
     * handle across instructions (the CPU's run loop) knows it still holds. */
    uint64_t fetch_changes;
};

/* Where a translation sits: structure and slot. c == NULL: nowhere. */
struct tlb_ref {
    struct tlb_cache *c;
    uint32_t idx;           /* set * ways + way */
};

struct tlb_model *tlb_model_new(const struct tlb_config *cfg);
void tlb_model_free(struct tlb_model *t);
/* Make DST's state (entries, replacement state, statistics) SRC's. Both were
 * made by tlb_model_new from the same configuration. Handles made on DST's
 * entries stop holding. */
void tlb_model_copy(struct tlb_model *dst, const struct tlb_model *src);

/* Outcomes of tlb_lookup. */
enum tlb_result { TLB_MISS = 0, TLB_HIT_L1 = 1, TLB_HIT_L2 = 2 };

/* Look the page of LIN up for SIDE: the side's first-level structures (4 KiB
 * first, then 4 MiB), then the STLB. A first-level hit counts a hit and
 * updates the replacement state. An STLB hit counts a miss in the first-level
 * structure it refills and a hit in the STLB; *R then names the refilled
 * first-level entry (or the STLB entry when the side has no first level for
 * that page size). A miss counts nothing yet: the caller walks and then calls
 * tlb_fill or tlb_fault, which know the page size. */
enum tlb_result tlb_lookup(struct tlb_model *t, unsigned side, uint32_t lin, struct tlb_ref *r);
/* Where tlb_lookup would find LIN in SIDE's first level, with no statistics
 * and no replacement change. False when it would not hit there. */
bool tlb_peek_l1(const struct tlb_model *t, unsigned side, uint32_t lin, struct tlb_ref *r);

/* A walk for SIDE found LIN's translation: frame base PHYS (4 KiB frame, or
 * 4 MiB base with TLBE_LARGE) and FLAGS. Counts the miss in the first-level
 * structure that takes the page (and in the STLB), fills both, returns where
 * the first-level copy went (r->c NULL: no structure caches it). */
void tlb_fill(struct tlb_model *t, unsigned side, uint32_t lin, uint32_t phys, uint32_t flags,
              struct tlb_ref *r);
/* A walk for SIDE after a miss faulted; LARGE: at a 4 MiB PDE. Counts the
 * miss like tlb_fill would, fills nothing. */
void tlb_count_miss(struct tlb_model *t, unsigned side, uint32_t lin, bool large);
/* The first-level structure that takes (and counts the misses of) SIDE's
 * pages of that size: the large-page TLB, else the 4 KiB one (fractured). */
struct tlb_cache *tlb_l1_for(struct tlb_model *t, unsigned side, bool large);
/* Replace the translation at *R (found by a hit) with a new walk's result
 * (a D-bit assist). Keeps the slot when the page size still fits it, else
 * drops it and fills as tlb_fill does without counting a miss; updates the
 * STLB copy in place. *R names the new place. */
void tlb_refresh(struct tlb_model *t, unsigned side, uint32_t lin, uint32_t phys, uint32_t flags,
                 struct tlb_ref *r);

/* Invalidation. Each returns the number of TLB entries dropped (PWC entries
 * are not counted in the result). */
unsigned tlb_invalidate_page(struct tlb_model *t, uint32_t lin, enum tlb_cause why);
unsigned tlb_flush_nonglobal(struct tlb_model *t);     /* MOV CR3 */
unsigned tlb_flush_all(struct tlb_model *t);           /* PG/PGE/PSE change */

/* The page-walk cache: the PDE for LIN, when cached (counts a hit or a miss). */
bool tlb_pwc_lookup(struct tlb_model *t, uint32_t lin, uint32_t *pde);
void tlb_pwc_fill(struct tlb_model *t, uint32_t lin, uint32_t pde);

static inline struct tlb_entry *tlb_ref_entry(const struct tlb_ref *r) { return &r->c->e[r->idx]; }

/* ---- recording hits: the one primitive ----
 *
 * A hit on a first-level entry does two things: it counts, and it updates
 * the replacement state. Everything that records hits without a lookup (the
 * MMU's fast path, the CPU's run loop and REP runs through it, the replay
 * simulator) holds a struct tlb_hit made by tlb_hit_make and calls
 * tlb_hit_record; tlb_lookup's own first-level hits go through it too.
 *
 * What a hit does to the policy costs a few host instructions whichever it
 * is: LRU stamps the entry with the structure's next clock, PLRU sets the tree
 * bits on the way's path (one AND and one OR of the set's word), FIFO and
 * random change nothing. N repeats of one hit leave the state one hit leaves
 * (the order of the ways is the same), so n hits cost what one costs. */
struct tlb_hit {
    uint64_t *mru;          /* its set's mru_fill: a hit changes nothing while *mru == fill */
    uint64_t fill;          /* the entry's fill number when the handle was made */
    struct tlb_count *n;    /* the structure's hit count and stamp clock */
    const uint64_t *efill;  /* the entry's fill number: the handle holds while *efill == fill */
    uint64_t *word;         /* LRU: the entry's stamp; PLRU: the set's tree bits; NULL: nothing more */
    uint64_t keep, set;     /* PLRU: bits = (bits & keep) | set; LRU: keep 0 */
};

/* A handle for hits on the entry at *R (a first-level entry just found or
 * filled; any entry of the model for tlb_lookup's own use). */
void tlb_hit_make(const struct tlb_ref *r, struct tlb_hit *h);

/* Hits of structure C so far: lookups that found the page there, and hits
 * recorded through handles. */
static inline uint64_t tlb_hits(const struct tlb_cache *c)
{
    return c->n.hits;
}

/* H's entry is its set's last used: a hit on it changes nothing but the
 * count (the common case, tested first). */
static inline __attribute__((always_inline)) bool tlb_hit_same(const struct tlb_hit *h)
{
    return *h->mru == h->fill;
}

/* True while H's entry still holds the translation it was made for. */
static inline __attribute__((always_inline)) bool tlb_hit_valid(const struct tlb_hit *h)
{
    return tlb_hit_same(h) || *h->efill == h->fill;
}

/* The replacement update of a hit on H's valid entry when it is not its
 * set's last used: it becomes that (LRU: the structure's next stamp; PLRU:
 * its path's tree bits). Made at most once per hit, in the order of the
 * hits, before or after the count. */
static inline void tlb_hit_touch(const struct tlb_hit *h)
{
    *h->mru = h->fill;
    if (!h->keep)
        *h->word = ++h->n->clock;
    else if (h->word)
        *h->word = (*h->word & h->keep) | h->set;
}

/* Count N hits on H's entry whose replacement update is done (the entry is
 * its set's last used, or tlb_hit_touch just ran). */
static inline __attribute__((always_inline)) void tlb_hit_count(const struct tlb_hit *h, uint64_t n)
{
    h->n->hits += n;
}

/* Record N hits (N >= 1) on H's entry, which must be valid: the update and
 * the count. */
static inline __attribute__((always_inline)) void tlb_hit_record(const struct tlb_hit *h, uint64_t n)
{
    if (__builtin_expect(!tlb_hit_same(h), 0))
        tlb_hit_touch(h);
    h->n->hits += n;
}

/* Replaying a recorded translation stream (vmtrace sim) with the recorded
 * geometry reproduces the recorded counts when each record drives the model
 * as mmu.c does: side = fetch ? TLB_SIDE_FETCH : TLB_SIDE_DATA; then
 *   hit        tlb_lookup (or, on an entry a handle was made for and that
 *              still holds, tlb_hit_record: the same counts and state)
 *   miss       tlb_lookup (misses), tlb_fill(frame, flags from large/global,
 *              TLBE_D when the walk set or found D)
 *   hit fault  tlb_lookup, tlb_invalidate_page(TLB_CAUSE_FAULT)
 *   miss fault tlb_lookup, tlb_count_miss(large), tlb_invalidate_page(TLB_CAUSE_FAULT)
 *   hit dirty  tlb_lookup, assists++ on the answering structure, tlb_refresh
 *              (a hit whose assist walk faults is recorded as hit fault)
 * and flush records call tlb_flush_nonglobal (CR3), tlb_flush_all (all) or
 * tlb_invalidate_page(TLB_CAUSE_PAGE) (INVLPG). */

/* Structure names by enum tlb_id: trace/emit.h's tr_tlb_names. */
extern const char *const *const tlb_names;
extern const char *const tlb_policy_names[4];

/* Human-readable statistics, one line per structure, each prefixed by INDENT. */
void tlb_print_stats(const struct tlb_model *t, FILE *f, const char *indent);
/* Every valid entry (debugging, --inspect tlb). */
void tlb_dump(const struct tlb_model *t, FILE *f);

#endif
