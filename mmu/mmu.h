/* Paging and the TLB model: every guest access goes cpu -> mmu -> bus.
 *
 * Intel SDM vol. 3A ch. 4 (32-bit paging, PSE, PGE, WP). One call of
 * mmu_translate is one translation as DESIGN.md defines it: one lookup of
 * one linear page for one access. It charges its cycles to the clock, counts
 * itself in the TLB statistics and emits its trace record. The TLB model is
 * mmu/tlb.h; the counters and cycle figures are defined in
 * docs/cycle-model.md; mmu/mmu_inline.h has the fast path as an inline
 * function for the CPU's hot loop. */
#ifndef VMSCOPE_MMU_MMU_H
#define VMSCOPE_MMU_MMU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct machine;

/* Access kinds (low bits) and flags. A fetch is looked up in the
 * instruction-side TLBs, reads and writes in the data side. */
enum mmu_kind { MMU_FETCH = 0, MMU_READ = 1, MMU_WRITE = 2 };
#define MMU_KIND_MASK 3u
/* Implicit access (descriptor tables, TSS, interrupt-delivery pushes): marked
 * so in the trace, and a supervisor-mode access whatever the CPL (SDM vol. 3A
 * §4.6: "implicit supervisor-mode accesses"). */
#define MMU_IMPLICIT  4u

/* #PF error code bits (SDM vol. 3A §4.7). */
#define PF_P    1u
#define PF_W    2u
#define PF_U    4u
#define PF_RSVD 8u

/* CR bits the MMU cares about. */
#define CR0_PE (1u << 0)
#define CR0_WP (1u << 16)
#define CR0_PG (1u << 31)
#define CR4_PSE (1u << 4)
#define CR4_PGE (1u << 7)

struct mmu_stats {
    uint64_t unpaged;       /* accesses with CR0.PG=0: not translations */
    uint64_t translations;  /* lookups (paged) */
    uint64_t walks;         /* page walks started (misses and D-bit assists) */
    uint64_t faults;        /* #PF raised */
    uint64_t assists;       /* write hits on an entry with D clear (each also a walk) */
    uint64_t walk_reads;    /* PDE and PTE reads of walks (PWC hits excluded) */
    uint64_t ad_writes;     /* page-structure writes setting A/D (one locked RMW per entry) */
    uint64_t cycles;        /* cycles the MMU charged to the clock */
};

#include "mmu/tlb.h"

/* Host fast path: one entry per linear page and access kind, mirroring the
 * first-level TLB entry that answered the last translation of that page. It
 * is valid while that TLB entry still holds the translation (its hit handle
 * holds, tlb_hit_valid), wherever the entry stands in its set's replacement
 * order: a hit through it is recorded with tlb_hit_record, which counts the
 * hit and updates the order as tlb_lookup would. Only mmu/ reads these
 * fields; the CPU holds pointers to entries as handles and asks the
 * functions of mmu/mmu_inline.h. */
#define MMU_FAST_BITS 8
#define MMU_FAST_N    (1u << MMU_FAST_BITS)

struct mmu_fast {
    /* the first cache line: what a hit reads */
    uint32_t key[2];            /* (lin & ~0xFFF) | 1 when the access is allowed at CPL 0-2
                                 * or implicit [0], at CPL 3 [1] (this kind, this WP); else 0 */
    uint32_t phys;              /* physical page base */
    uint8_t *host;              /* host address of the page when in RAM, else NULL */
    uint32_t pkey[2];           /* key[] when a hit needs nothing but its count and the page
                                 * is RAM (host set, hit_extra clear), else 0: mmu_fast_peek's */
    struct tlb_hit h;           /* the mirrored TLB entry: validity, count, replacement update */
    /* the second: the trace and the CPU's run loop */
    uint64_t tkey;              /* its trace key (trace_xlate_key) with CPL 0 and no implicit bit;
                                 * set only when a trace is written (its one use) */
    uint8_t tlb;                /* its structure (enum tlb_id), for the trace */
    bool shared;                /* the structure answers fetches and data (utlb, a shared ltlb) */
} __attribute__((aligned(64)));

/* Hits through a fast-path entry counted later (mmu_fast_later in
 * mmu/mmu_inline.h). */
struct mmu_later {
    uint64_t *hits;             /* the structure's count; NULL: none pending */
};

#define MMU_MAX_WATCH 8
#define MMU_WATCH_READ 1u
#define MMU_WATCH_WRITE 2u

struct mmu {
    uint32_t cr0, cr3, cr4;         /* the control registers (their one copy), set through mmu_set_cr* */
    bool paging;                    /* CR0.PG && CR0.PE */
    uint32_t fault_addr;            /* CR2 of the last #PF this MMU decided */
    uint32_t fault_err;             /* its error code */
    struct mmu_stats stats;
    struct tlb_model *tlb;          /* NULL until mmu_init */
    bool fastpath;                  /* host-pointer fast path allowed */
    struct tlb_costs cost;          /* the cycle model (--cycles) */
    uint64_t slow_calls;            /* translations that missed the fast path (host
                                     * diagnostics, not a model figure) */
    struct mmu_fast fast[4][MMU_FAST_N];    /* by access kind (index 3 stays empty) */
    uint64_t pause_at_fault;        /* pause the run when stats.faults reaches it (0: never) */
    /* Bumped by everything that may change what mmu_fast_find answers for a
     * fetch, or where a fetch's TLB entry stands in its set (flushes, CR
     * writes, watchpoints, any change to a structure that answers fetches,
     * fetch translations on the slow path): a caller that found a fetch
     * entry may keep using it while gen stays the same (the CPU's fetch of
     * the next instruction on the same page). Data entries are checked on
     * every use (mmu_fast_find). */
    uint64_t gen;
    /* Every move of gen also sets NOTIFY_BITS in *notify (the CPU's slow
     * word: its run loop then needs no test of gen after each instruction).
     * Points to notify_dummy until the CPU says otherwise. */
    unsigned *notify;
    unsigned notify_bits;
    unsigned notify_dummy;
    /* ... and sets *notify_stop to 0 (the CPU's bound on its block loop). */
    uint64_t *notify_stop;
    uint64_t notify_stop_dummy;
    /* Hits recorded through fast entries are counted by their structures
     * alone (tlb_hits); mmu_sync_stats adds the translations and MMU cycles
     * they stand for: the first-level hits since its last call (hits_seen)
     * less those the slow path counted itself (slow_l1_hits). */
    uint64_t hits_seen[TLB_NSTRUCT];
    uint64_t slow_l1_hits;
    /* The current instruction's address, for page-fault trace records
     * (told by the machine: mmu_set_eip_source). */
    const uint32_t *insn_eip;
    uint32_t no_eip;
    /* A fast hit does more than count: the hit costs cycles or the trace
     * records it. Set where fast entries are made (the trace and the costs
     * are fixed for a run, so every entry sees it current). */
    bool hit_extra;

    /* Debugger watchpoints (GDB Z2-Z4): data accesses that touch a watched
     * range pause the run after the instruction. While any is set, every
     * translation takes the out-of-line path (direct is false), which counts
     * exactly what the inline path would. */
    bool direct;                    /* paging on and no watchpoint: the inline path may answer */
    unsigned nwatch;
    struct mmu_watch {
        uint32_t lo, len;           /* linear range */
        unsigned kinds;             /* MMU_WATCH_READ | MMU_WATCH_WRITE */
    } watch[MMU_MAX_WATCH];
    bool watch_hit;                 /* set by an access; the debugger clears it */
    uint32_t watch_addr;            /* lo of the range that triggered */
    unsigned watch_kind;            /* MMU_WATCH_READ or MMU_WATCH_WRITE */
};

/* Build the MMU with a TLB SPEC and cycle SPEC (NULL: defaults). Returns false
 * and writes one line to ERR when a spec is malformed. */
bool mmu_init(struct machine *m, const char *tlb_spec, const char *cycles_spec,
              char *err, unsigned errlen);
void mmu_free(struct machine *m);

/* Control-register changes with their architectural flush effects. */
void mmu_set_cr0(struct machine *m, uint32_t cr0);
void mmu_set_cr3(struct machine *m, uint32_t cr3);
void mmu_set_cr4(struct machine *m, uint32_t cr4);
void mmu_invlpg(struct machine *m, uint32_t lin);

/* Watch data accesses (KINDS: MMU_WATCH_READ|WRITE) to [LO, LO+LEN). Returns
 * false when all MMU_MAX_WATCH slots are taken. */
bool mmu_watch_add(struct machine *m, uint32_t lo, uint32_t len, unsigned kinds);
bool mmu_watch_remove(struct machine *m, uint32_t lo, unsigned kinds);

/* One translation of LIN for KIND (| MMU_IMPLICIT) at privilege CPL. On success
 * stores the physical address and returns true. On a page fault stores CR2
 * and the error code in m->mmu.fault_addr/fault_err and returns false: the
 * caller raises #PF. With paging off, counts an unpaged access. */
bool mmu_translate(struct machine *m, uint32_t lin, unsigned kind, unsigned cpl, uint32_t *phys);

/* Debugger view: the same walk with no statistics, no A/D writes, no cycles,
 * no trace and no TLB change. */
bool mmu_probe(struct machine *m, uint32_t lin, unsigned kind, unsigned cpl, uint32_t *phys);

/* Every linear page the current page tables map, as the walker reads them
 * (reserved bits, CR4.PSE), with no statistics and no TLB change: FN(CTX,
 * LIN, PHYS, PAGES, ATTR, PT_FRAME) once per 4 KiB PTE (PAGES 1, PT_FRAME its
 * table's frame) and once per 4 MiB PDE (PAGES 1024, PT_FRAME 0); ATTR has
 * the PG_* bits of mmu/pte.h: RW and US of both levels, A, D and G of the
 * leaf, PS for a 4 MiB page. */
typedef void (*mmu_mapping_fn)(void *ctx, uint32_t lin, uint32_t phys, uint32_t pages, uint32_t attr,
                               uint32_t pt_frame);
void mmu_for_each_mapping(struct machine *m, mmu_mapping_fn fn, void *ctx);

/* Linear accesses of 1, 2 or 4 bytes, through mmu_access (the CPU's
 * operand path); an access that spans two pages translates both before
 * touching memory, so a fault changes nothing. Return false on #PF (see
 * mmu_translate). */
bool mmu_read(struct machine *m, uint32_t lin, unsigned size, unsigned kind, unsigned cpl, uint32_t *val);
bool mmu_write(struct machine *m, uint32_t lin, unsigned size, unsigned kind, unsigned cpl, uint32_t val);

/* The out-of-line part of mmu_translate (and of mmu_translate_fast in
 * mmu/mmu_inline.h): the model without the fast path. */
bool mmu_translate_slow(struct machine *m, uint32_t lin, unsigned kind, unsigned cpl, uint32_t *phys);

/* Allow the host fast path (on by default) or not (--no-fastpath: every
 * translation takes the model's path). */
void mmu_set_fastpath(struct machine *m, bool on);
/* Where the current instruction's address is kept (the CPU's), for the
 * page-fault records of the trace. */
void mmu_set_eip_source(struct machine *m, const uint32_t *eip);

/* mmu_fast_find's second case: F's entry is not its set's last used.
 * Makes it that (tlb_hit_touch) and returns F if it still holds the page,
 * else returns NULL. */
const struct mmu_fast *mmu_fast_hold(const struct mmu_fast *f);

/* Tell the CPU that fast-path answers may have changed, or that a device
 * was accessed (see mmu.notify). */
static inline void mmu_notify(struct mmu *u)
{
    *u->notify |= u->notify_bits;
    *u->notify_stop = 0;
}

/* The fast-path entry that answers LIN for KIND at CPL, or NULL. Finding
 * makes the replacement update of the hit (so it must be followed by this
 * translation, on this path or another); the caller counts the hit
 * (mmu/mmu_inline.h). */
static inline __attribute__((always_inline)) const struct mmu_fast *mmu_fast_find(const struct mmu *u, uint32_t lin, unsigned kind,
                                                   unsigned cpl)
{
    unsigned user = (cpl == 3) & !(kind & MMU_IMPLICIT);
    const struct mmu_fast *f = &u->fast[kind & MMU_KIND_MASK][(lin >> 12) & (MMU_FAST_N - 1)];
    if (f->key[user] != ((lin & 0xFFFFF000u) | 1u))
        return NULL;
    if (__builtin_expect(tlb_hit_same(&f->h), 1))
        return f;
    return mmu_fast_hold(f);
}

/* Fold the fast path's pending hits into stats and the TLB statistics. Call
 * before reading either (the summary, inspection and dumps do). */
void mmu_sync_stats(struct machine *m);

/* The trace key of a hit through fast-path entry F for KIND at CPL. */
static inline uint64_t mmu_fast_tkey(const struct mmu_fast *f, unsigned kind, unsigned cpl)
{
    return f->tkey | (uint64_t)((kind & MMU_IMPLICIT) | (cpl & 3u) << 3) << 40;
}
/* Record ITERS rounds of first-level hits of NKEYS translations (trace keys
 * KEYS, linear addresses LINS advancing by STEP a round), round j starting
 * at CYCLE0 + j * EACH, each translation cost.hit after the one before: the
 * records a run of repeated string iterations would have made one by one. */
void mmu_trace_repeats(struct machine *m, const uint64_t *keys, const uint32_t *lins, unsigned nkeys, int32_t step,
                       uint32_t iters, uint64_t cycle0, uint64_t each);

/* Drop every fast-path entry (tests; the MMU does it itself when needed). */
void mmu_fast_flush(struct mmu *u);

/* The configuration as canonical specs, for the summary and the trace header. */
void mmu_config_string(const struct machine *m, char *tlb_spec, size_t tlb_len,
                       char *cycles_spec, size_t cycles_len);

/* One line per subsystem fact for the end-of-run summary. */
#include <stdio.h>
void mmu_summary(struct machine *m, FILE *f);
/* Every TLB set and way with its entry and replacement state (inspection). */
void mmu_dump_tlb(struct machine *m, FILE *f);

#endif
