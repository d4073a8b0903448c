/* Paging: Intel SDM vol. 3A §4.3 (32-bit paging), §4.6 (access rights),
 * §4.7 (page-fault exceptions), §4.8 (accessed and dirty flags), §4.10
 * (TLBs, invalidation). The modelled CPU has PSE and PGE, and neither PAT
 * nor PSE-36: bits 21:12 of a 4 MiB PDE and bit 7 of a PTE are reserved
 * (DESIGN.md, "The CPU vmscope models").
 *
 * One call of mmu_translate is one translation (DESIGN.md "What one
 * translation is"). Order of events in a translation:
 *   1. look the page up (mmu/tlb.c): first level, then STLB;
 *   2. on a hit, check the access against the cached rights; a write to an
 *      entry with D clear walks again to set D (the P6 microcode assist);
 *   3. on a miss, walk (PWC, PDE, PTE), check, set A/D, fill the TLBs;
 *   4. a #PF drops the page's entries (SDM §4.10.4.1), records CR2 and the
 *      error code;
 *   5. charge the cycles (docs/cycle-model.md), emit the trace records.
 * A/D bits are set only by walks that succeed, with a locked read-modify-
 * write of the entry (each counted as a memory write and charged). */
#include "mmu/mmu.h"
#include "mmu/mmu_inline.h"
#include "mmu/pte.h"
#include "mmu/tlb_inline.h"
#include "emu/machine.h"
#include "trace/emit.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>


/* What mmu_fast_find answers may have changed. */
static inline void gen_bump(struct mmu *u)
{
    u->gen++;
    mmu_notify(u);
}

bool mmu_init(struct machine *m, const char *tlb_spec, const char *cycles_spec,
              char *err, unsigned errlen)
{
    struct mmu *u = &m->mmu;
    memset(u, 0, sizeof *u);
    u->notify = &u->notify_dummy;
    u->notify_stop = &u->notify_stop_dummy;
    struct tlb_config cfg;
    tlb_config_default(&cfg);
    if (!tlb_config_parse(&cfg, tlb_spec, err, errlen))
        return false;
    tlb_costs_default(&u->cost);
    if (!tlb_costs_parse(&u->cost, cycles_spec, err, errlen))
        return false;
    u->tlb = tlb_model_new(&cfg);
    if (!u->tlb) {
        snprintf(err, errlen, "out of memory for the TLB model");
        return false;
    }
    u->fastpath = true;
    u->insn_eip = &u->no_eip;
    return true;
}

void mmu_set_fastpath(struct machine *m, bool on)
{
    m->mmu.fastpath = on;
    mmu_fast_flush(&m->mmu);
}

void mmu_set_eip_source(struct machine *m, const uint32_t *eip)
{
    m->mmu.insn_eip = eip ? eip : &m->mmu.no_eip;
}

void mmu_free(struct machine *m)
{
    tlb_model_free(m->mmu.tlb);
    m->mmu.tlb = NULL;
}

void mmu_fast_flush(struct mmu *u)
{
    gen_bump(u);
    memset(u->fast, 0, sizeof u->fast);
}

void mmu_config_string(const struct machine *m, char *tlb_spec, size_t tlb_len,
                       char *cycles_spec, size_t cycles_len)
{
    if (tlb_spec && tlb_len)
        tlb_config_format(&m->mmu.tlb->cfg, tlb_spec, tlb_len);
    if (cycles_spec && cycles_len)
        tlb_costs_format(&m->mmu.cost, cycles_spec, cycles_len);
}

/* ------------------------------------------------------------------ */
/* Control registers and flushes                                       */
/* ------------------------------------------------------------------ */

static void flush_all(struct machine *m)
{
    unsigned n = tlb_flush_all(m->mmu.tlb);
    mmu_fast_flush(&m->mmu);
    if (m->trace)
        trace_emit_flush(m->trace, m->clock.cycles, TR_FLUSH_ALL, 0, n);
}

static void update_direct(struct mmu *u)
{
    gen_bump(u);
    u->direct = u->paging && u->nwatch == 0;
}

void mmu_set_cr0(struct machine *m, uint32_t cr0)
{
    struct mmu *u = &m->mmu;
    uint32_t old = u->cr0;
    bool was = u->paging;
    u->cr0 = cr0;
    u->paging = (cr0 & CR0_PG) && (cr0 & CR0_PE);
    update_direct(u);
    if (((old ^ cr0) & CR0_PG) || was != u->paging)
        flush_all(m);
    else if ((old ^ cr0) & CR0_WP)
        mmu_fast_flush(u);      /* fast entries hold verdicts that depend on WP */
}

void mmu_set_cr3(struct machine *m, uint32_t cr3)
{
    struct mmu *u = &m->mmu;
    uint32_t old = u->cr3;
    u->cr3 = cr3;
    gen_bump(u);
    /* Dropped entries stop being their set's no-op way, so the fast entries
     * that mirror them die with them; global ones live on. */
    unsigned n = tlb_flush_nonglobal(u->tlb);
    if (m->trace) {
        trace_emit_cr3(m->trace, m->clock.cycles, old, cr3);
        trace_emit_flush(m->trace, m->clock.cycles, TR_FLUSH_CR3, cr3, n);
    }
}

void mmu_set_cr4(struct machine *m, uint32_t cr4)
{
    uint32_t old = m->mmu.cr4;
    m->mmu.cr4 = cr4;
    gen_bump(&m->mmu);
    if ((old ^ cr4) & (CR4_PGE | CR4_PSE))
        flush_all(m);
}

void mmu_invlpg(struct machine *m, uint32_t lin)
{
    /* Data entries are checked on every use; a fetch entry only changes
     * when a structure that answers fetches loses an entry. */
    uint64_t fetch_changes = m->mmu.tlb->fetch_changes;
    unsigned n = tlb_invalidate_page(m->mmu.tlb, lin, TLB_CAUSE_PAGE);
    if (m->mmu.tlb->fetch_changes != fetch_changes)
        gen_bump(&m->mmu);
    if (m->trace)
        trace_emit_flush(m->trace, m->clock.cycles, TR_FLUSH_PAGE, lin, n);
}

/* ------------------------------------------------------------------ */
/* The walk                                                            */
/* ------------------------------------------------------------------ */

struct walk {
    uint32_t phys;          /* frame base (4 KiB) or 4 MiB base */
    uint32_t flags;         /* TLBE_* of the translation */
    uint32_t err;           /* #PF error code when the walk faults */
    bool large;             /* reached a 4 MiB PDE */
    uint32_t cycles;        /* charged for the walk */
};

/* Set BITS in the page-structure entry at PADDR: a locked read-modify-write,
 * so an entry that aliases another (self-referencing directories) keeps
 * what the first write set. */
static void set_bits(struct machine *m, uint32_t paddr, uint32_t bits)
{
    uint8_t *p = bus_ram_ptr(&m->bus, paddr, 4);
    if (p && !m->bus.code_frames[paddr >> 12]) {     /* bus_write's RAM case, no hook to call */
        store_le(p, 4, load_le(p, 4) | bits);
        return;
    }
    uint32_t v = bus_read(m, paddr, 4);
    bus_write(m, paddr, 4, v | bits);
}

/* A page-structure entry at PADDR: from RAM through its host pointer. */
static inline uint32_t pt_read(struct machine *m, uint32_t paddr)
{
    const uint8_t *p = bus_ram_ptr(&m->bus, paddr, 4);
    return p ? load_le(p, 4) : bus_read(m, paddr, 4);
}

static inline bool allowed(uint32_t flags, bool user, bool write, bool wp)
{
    if (user && !(flags & TLBE_US))
        return false;
    if (write && !(flags & TLBE_RW) && (user || wp))
        return false;
    return true;
}

/* The walker's reading of entries (mmu_for_each_mapping reads them so too). */
static inline bool pde_large(const struct mmu *u, uint32_t pde)
{
    return (pde & PG_PS) && (u->cr4 & CR4_PSE);
}
static inline bool pde_reserved(uint32_t pde) { return (pde & PDE4M_RSVD) != 0; }     /* of a 4 MiB PDE */
static inline bool pte_reserved(uint32_t pte) { return (pte & PTE_RSVD) != 0; }

/* Walk the page structures for LIN. COMMIT: a real walk (statistics, PWC,
 * A/D writes, cycles, trace); otherwise a side-effect-free look (mmu_probe).
 * Returns false with w->err on a #PF. */
static inline __attribute__((always_inline)) bool walk(struct machine *m, uint32_t lin, bool write, bool user,
                                                        bool commit, struct walk *w)
{
    struct mmu *u = &m->mmu;
    const struct tlb_costs *c = &u->cost;
    uint32_t err = (write ? PF_W : 0) | (user ? PF_U : 0);
    uint32_t pde_addr = (u->cr3 & 0xFFFFF000u) | ((lin >> 20) & 0xFFCu);
    uint32_t pde, pte = 0, pte_addr = 0;
    uint32_t cyc = commit ? c->walk : 0;
    bool pwc_hit = false;
    uint8_t ad = 0;
    bool ok = false;
    w->large = false;
    w->flags = 0;       /* (set on success; read by no one else) */
    if (commit) {
        u->stats.walks++;
        pwc_hit = u->tlb->c[TLB_PWC] && tlb_pwc_lookup(u->tlb, lin, &pde);
        if (pwc_hit) {
            cyc += c->pwc;
        } else {
            pde = pt_read(m, pde_addr);
            u->stats.walk_reads++;
            cyc += c->memlat;
        }
    } else {
        pde = pt_read(m, pde_addr);
    }
    if (!(pde & PG_P))
        goto out;
    bool big = pde_large(u, pde);
    w->large = big;
    uint32_t leaf = pde, rights = pde;
    if (big) {
        if (pde_reserved(pde)) {
            err |= PF_P | PF_RSVD;
            goto out;
        }
    } else {
        pte_addr = (pde & 0xFFFFF000u) | ((lin >> 10) & 0xFFCu);
        pte = pt_read(m, pte_addr);
        /* the access that follows a miss often misses the host's caches
         * too: its line loads while the walk ends and the TLB fills */
        const uint8_t *hp = bus_ram_ptr(&m->bus, (pte & PG_FRAME) | (lin & 0xFFFu), 1);
        if (hp)
            __builtin_prefetch(hp);
        if (commit) {
            u->stats.walk_reads++;
            cyc += c->memlat;
        }
        if (!(pte & PG_P))
            goto out;
        if (pte_reserved(pte)) {
            err |= PF_P | PF_RSVD;
            goto out;
        }
        leaf = pte;
        rights = pde & pte;
    }
    uint32_t flags = (rights & PG_RW ? TLBE_RW : 0) | (rights & PG_US ? TLBE_US : 0) |
                     (big ? TLBE_LARGE : 0) |
                     ((leaf & PG_G) && (u->cr4 & CR4_PGE) ? TLBE_G : 0) |
                     ((leaf & PG_D) || write ? TLBE_D : 0);
    if (!allowed(flags, user, write, u->cr0 & CR0_WP)) {
        err |= PF_P;
        goto out;
    }
    if (commit) {
        /* One locked read-modify-write per entry that needs a bit. */
        uint32_t pde_bits = (pde & PG_A) || pwc_hit ? 0 : PG_A;
        uint32_t pte_bits = 0;
        if (big)
            pde_bits |= write && !(pde & PG_D) ? PG_D : 0;
        else
            pte_bits = (pte & PG_A ? 0 : PG_A) | (write && !(pte & PG_D) ? PG_D : 0);
        unsigned nwrites = 0;
        if (pde_bits) {
            set_bits(m, pde_addr, pde_bits);
            ad |= (pde_bits & PG_A ? 1 : 0) | (pde_bits & PG_D ? 2 : 0);
            nwrites++;
        }
        if (pte_bits) {
            set_bits(m, pte_addr, pte_bits);
            ad |= (pte_bits & PG_A ? 4 : 0) | (pte_bits & PG_D ? 8 : 0);
            nwrites++;
        }
        if (!big && !pwc_hit && u->tlb->c[TLB_PWC])
            tlb_pwc_fill(u->tlb, lin, pde | PG_A);
        u->stats.ad_writes += nwrites;
        cyc += nwrites * c->ad;
    }
    w->phys = big ? pde & 0xFFC00000u : pte & 0xFFFFF000u;
    w->flags = flags;
    ok = true;
out:
    w->err = err;
    w->cycles = cyc;
    if (commit && m->trace) {
        struct tr_walk tw = { lin, pde_addr, pde, pte_addr, pte, ad };
        trace_emit_walk(m->trace, m->clock.cycles, &tw);
    }
    return ok;
}

/* A real walk out of line (a D-bit assist's: rarer than a miss's). */
static bool walk_commit(struct machine *m, uint32_t lin, bool write, bool user, struct walk *w)
{
    return walk(m, lin, write, user, true, w);
}

void mmu_for_each_mapping(struct machine *m, mmu_mapping_fn fn, void *ctx)
{
    const struct mmu *u = &m->mmu;
    uint32_t pd = u->cr3 & PG_FRAME;
    for (uint32_t i = 0; i < 1024; i++) {
        uint32_t pde = bus_read(m, pd + i * 4, 4);
        if (!(pde & PG_P))
            continue;
        uint32_t lin = i << 22;
        if (pde_large(u, pde)) {
            if (!pde_reserved(pde))
                fn(ctx, lin, pde & PG_FRAME4M, 1024, (pde & (PG_RW | PG_US | PG_A | PG_D | PG_G)) | PG_PS, 0);
            continue;
        }
        uint32_t pt = pde & PG_FRAME;
        for (uint32_t j = 0; j < 1024; j++) {
            uint32_t pte = bus_read(m, pt + j * 4, 4);
            if (!(pte & PG_P) || pte_reserved(pte))
                continue;
            fn(ctx, lin | (j << 12), pte & PG_FRAME, 1, (pde & pte & (PG_RW | PG_US)) | (pte & (PG_A | PG_D | PG_G)),
               pt >> 12);
        }
    }
}

/* ------------------------------------------------------------------ */
/* Translation                                                         */
/* ------------------------------------------------------------------ */

/* Physical address of LIN in a page whose base is FRAME (a 4 MiB base when
 * IN_4M: a 4 MiB walk result or a 4 MiB TLB slot). */
static inline uint32_t page_phys(uint32_t frame, uint32_t lin, bool in_4m)
{
    return frame | (lin & (in_4m ? 0x003FFFFFu : 0xFFFu));
}

static void emit_xlate(struct machine *m, uint64_t cycle, uint32_t lin, uint32_t phys, unsigned kind,
                       unsigned outcome, unsigned tlb, unsigned cpl, uint32_t flags, uint32_t cyc)
{
    struct tr_xlate x = {
        .lin = lin, .phys = phys, .kind = (uint8_t)(kind & 7), .outcome = (uint8_t)outcome,
        .tlb = (uint8_t)tlb, .cpl = (uint8_t)cpl, .large = !!(flags & TLBE_LARGE),
        .global = !!(flags & TLBE_G), .cycles = (uint16_t)(cyc > 0xFFFF ? 0xFFFF : cyc),
    };
    trace_emit_xlate(m->trace, cycle, &x);
}

/* The record of a first-level hit through F: its key carries the kind,
 * CPL, structure and page attributes, LIN the page offset. */
void mmu_fast_trace(struct machine *m, const struct mmu_fast *f, uint32_t lin, unsigned kind,
                    unsigned cpl)
{
    mmu_emit_hit(m, m->clock.cycles - m->mmu.cost.hit, mmu_fast_tkey(f, kind, cpl), lin);
}

/* The trace key of a hit on a TLB entry with FLAGS in structure TLB, for
 * KIND at CPL (trace_xlate_key of its record). */
static uint64_t entry_tkey(uint32_t lin, uint32_t page, unsigned kind, unsigned tlb, uint32_t flags, unsigned cpl)
{
    struct tr_xlate x = { .lin = lin, .phys = page, .kind = (uint8_t)(kind & 7), .tlb = (uint8_t)tlb,
                          .cpl = (uint8_t)cpl, .large = !!(flags & TLBE_LARGE), .global = !!(flags & TLBE_G) };
    return trace_xlate_key(&x);
}

static inline void charge(struct machine *m, uint32_t cyc)
{
    m->mmu.stats.cycles += cyc;
    m->clock.cycles += cyc;
}

bool mmu_watch_add(struct machine *m, uint32_t lo, uint32_t len, unsigned kinds)
{
    struct mmu *u = &m->mmu;
    if (u->nwatch >= MMU_MAX_WATCH || len == 0)
        return false;
    u->watch[u->nwatch++] = (struct mmu_watch){ lo, len, kinds };
    mmu_fast_flush(u);      /* every access must now reach watch_check */
    update_direct(u);
    return true;
}

bool mmu_watch_remove(struct machine *m, uint32_t lo, unsigned kinds)
{
    struct mmu *u = &m->mmu;
    for (unsigned i = 0; i < u->nwatch; i++)
        if (u->watch[i].lo == lo && u->watch[i].kinds == kinds) {
            u->watch[i] = u->watch[--u->nwatch];
            update_direct(u);
            return true;
        }
    return false;
}

/* A data access starting at LIN: does it start in a watched range? The
 * access's size is not known at translation, so a multi-byte access that
 * starts below the range and reaches into it is not seen (no false stops
 * on neighbouring bytes instead). */
static void watch_check(struct machine *m, uint32_t lin, unsigned kind)
{
    struct mmu *u = &m->mmu;
    unsigned k = kind & MMU_KIND_MASK;
    if (k == MMU_FETCH)
        return;
    unsigned want = k == MMU_WRITE ? MMU_WATCH_WRITE : MMU_WATCH_READ;
    for (unsigned i = 0; i < u->nwatch; i++) {
        const struct mmu_watch *w = &u->watch[i];
        if ((w->kinds & want) && lin - w->lo < w->len) {
            u->watch_hit = true;
            u->watch_addr = w->lo;
            u->watch_kind = want;
            machine_pause(m);
            return;
        }
    }
}

/* The keys of fast-path entry F for LIN's page, kind K, from its TLB entry's
 * FLAGS: what each privilege may do through it (a write needs D set). PEEK:
 * a hit through F needs nothing but its count and the page is RAM. */
static inline __attribute__((always_inline)) void fast_keys(struct mmu_fast *f, uint32_t flags, unsigned k,
                                                            uint32_t lin, bool wp, bool peek)
{
    bool write = k == MMU_WRITE;
    uint32_t key = write && !(flags & TLBE_D) ? 0 : (lin & 0xFFFFF000u) | 1u;
    uint32_t k0 = allowed(flags, false, write, wp) ? key : 0;
    uint32_t k1 = allowed(flags, true, write, wp) ? key : 0;
    f->key[0] = k0;
    f->key[1] = k1;
    f->pkey[0] = peek ? k0 : 0;
    f->pkey[1] = peek ? k1 : 0;
}

/* Fast-path entry F of kind K for PAGE from the TLB entry with FLAGS, whose
 * hit handle is H. */
static inline __attribute__((always_inline)) void fast_set(struct machine *m, struct mmu_fast *f, unsigned k,
                                                           uint32_t lin, uint32_t page, uint8_t *host,
                                                           const struct tlb_hit *h, unsigned tlb, bool shared,
                                                           uint32_t flags, bool wp, bool peek)
{
    f->phys = page;
    f->h = *h;
    f->host = host;
    f->tlb = (uint8_t)tlb;
    f->shared = shared;
    if (m->trace)       /* read for the trace alone (mmu_fast_tkey's callers) */
        f->tkey = entry_tkey(lin, page, k, tlb, flags, 0);
    fast_keys(f, flags, k, lin, wp, peek);
}

/* Make the fast-path entries of LIN's page from the first-level TLB entry
 * at *R, which answers PAGE: for kind K and, for a data access, the other
 * data kind too (a write after a read of a fresh page is then a fast hit,
 * not a second trip through the model). MADE: the entry's hit handle, when
 * the fill made it. */
static void fast_make(struct machine *m, const struct tlb_ref *r, const struct tlb_hit *made, unsigned k,
                      uint32_t lin, uint32_t page)
{
    struct mmu *u = &m->mmu;
    const struct tlb_cache *c = r->c;
    uint32_t flags = tlb_ref_entry(r)->flags;
    u->hit_extra = u->cost.hit != 0 || m->trace != NULL;
    struct tlb_hit own;
    const struct tlb_hit *h = made;
    if (!h) {
        tlb_hit_make(r, &own);
        h = &own;
    }
    uint8_t *host = bus_ram_ptr(&m->bus, page, 4096);
    bool shared = c->fetch && (c == u->tlb->l1[TLB_SIDE_DATA][0] || c == u->tlb->l1[TLB_SIDE_DATA][1]);
    bool wp = u->cr0 & CR0_WP, peek = host && !u->hit_extra;
    unsigned slot = (lin >> 12) & (MMU_FAST_N - 1);
    if (k == MMU_FETCH) {
        fast_set(m, &u->fast[MMU_FETCH][slot], MMU_FETCH, lin, page, host, h, c->id, shared, flags, wp, peek);
        return;
    }
    /* both data kinds, each with its kind known here (the rights fold) */
    fast_set(m, &u->fast[MMU_READ][slot], MMU_READ, lin, page, host, h, c->id, shared, flags, wp, peek);
    fast_set(m, &u->fast[MMU_WRITE][slot], MMU_WRITE, lin, page, host, h, c->id, shared, flags, wp, peek);
}

bool mmu_translate_slow(struct machine *m, uint32_t lin, unsigned kind, unsigned cpl, uint32_t *phys)
{
    struct mmu *u = &m->mmu;
    if (__builtin_expect(u->nwatch != 0, 0))
        watch_check(m, lin, kind);
    if (!u->paging) {
        u->stats.unpaged++;
        charge(m, u->cost.unpaged);
        *phys = lin;
        return true;
    }
    u->slow_calls++;
    struct tlb_model *t = u->tlb;
    uint64_t cycle0 = m->clock.cycles;
    uint64_t fetch_changes = t->fetch_changes;
    unsigned k = kind & MMU_KIND_MASK;
    unsigned side = k == MMU_FETCH ? TLB_SIDE_FETCH : TLB_SIDE_DATA;
    bool write = k == MMU_WRITE;
    bool user = cpl == 3 && !(kind & MMU_IMPLICIT);
    bool wp = u->cr0 & CR0_WP;
    struct tlb_ref r;
    struct tlb_hit h, *made = NULL;
    struct walk w;
    uint32_t cyc, err, pa, flags = 0;
    unsigned outcome, tid;
    u->stats.translations++;

    enum tlb_result res = tlb_lookup_inline(t, side, lin, &r);
    u->slow_l1_hits += res == TLB_HIT_L1;
    if (res != TLB_MISS) {
        tid = res == TLB_HIT_L1 ? r.c->id : TLB_STLB;
        cyc = res == TLB_HIT_L1 ? u->cost.hit : u->cost.stlb;
        const struct tlb_entry *e = tlb_ref_entry(&r);
        flags = e->flags;
        if (!allowed(e->flags, user, write, wp)) {
            err = PF_P | (write ? PF_W : 0) | (user ? PF_U : 0);
            outcome = TR_HIT_FAULT;
            goto fault;
        }
        if (write && !(e->flags & TLBE_D)) {
            /* The P6 sets D with a microcode assist that walks again. */
            t->c[tid]->st.assists++;
            u->stats.assists++;
            cyc += u->cost.assist;
            bool ok = walk_commit(m, lin, true, user, &w);
            cyc += w.cycles;
            if (!ok) {
                err = w.err;
                outcome = TR_HIT_FAULT;
                goto fault;
            }
            tlb_refresh(t, side, lin, w.phys, w.flags, &r);
            flags = w.flags;
            pa = page_phys(w.phys, lin, w.flags & TLBE_LARGE);
            outcome = TR_HIT_DIRTY;
        } else {
            pa = page_phys(e->phys, lin, r.c->shift == 22);
            outcome = TR_HIT;
        }
    } else {
        bool ok = walk(m, lin, write, user, true, &w);     /* inline: the miss path */
        cyc = w.cycles;
        if (!ok) {
            tlb_count_miss(t, side, lin, w.large);
            struct tlb_cache *c = tlb_l1_for(t, side, w.large);
            tid = c ? c->id : t->c[TLB_STLB] ? TLB_STLB : TLB_NONE;
            flags = w.large ? TLBE_LARGE : 0;
            err = w.err;
            outcome = TR_MISS_FAULT;
            goto fault;
        }
        pa = page_phys(w.phys, lin, w.flags & TLBE_LARGE);
        tlb_fill_inline(t, side, lin, w.phys, w.flags, &r, &h);
        made = r.c && r.c->id != TLB_STLB ? &h : NULL;
        tid = r.c ? r.c->id : TLB_NONE;
        flags = w.flags;
        outcome = TR_MISS;
    }

    charge(m, cyc);
    if (m->trace)
        emit_xlate(m, cycle0, lin, pa, kind, outcome, tid, cpl, flags, cyc);
    *phys = pa;
    /* Mirror the entry in the fast path: a repeat of this access is a
     * first-level hit on it for as long as it holds the translation. */
    if (u->fastpath && u->nwatch == 0 && r.c && r.c->id != TLB_STLB)
        fast_make(m, &r, made, k, lin, pa & 0xFFFFF000u);
    if (k == MMU_FETCH || t->fetch_changes != fetch_changes)
        gen_bump(u);
    return true;

fault:
    gen_bump(u);
    cyc += u->cost.fault;
    tlb_invalidate_page(t, lin, TLB_CAUSE_FAULT);
    u->fault_addr = lin;
    u->fault_err = err;
    if (++u->stats.faults == u->pause_at_fault)
        machine_pause(m);       /* --inspect-at fault:N, the debugger */
    charge(m, cyc);
    if (m->trace) {
        emit_xlate(m, cycle0, lin, 0, kind, outcome, tid, cpl, flags, cyc);
        trace_emit_fault(m->trace, cycle0, lin, err, *u->insn_eip, cpl);
    }
    return false;
}

const struct mmu_fast *mmu_fast_hold(const struct mmu_fast *f)
{
    if (!tlb_hit_valid(&f->h))
        return NULL;
    tlb_hit_touch(&f->h);
    return f;
}

bool mmu_translate(struct machine *m, uint32_t lin, unsigned kind, unsigned cpl, uint32_t *phys)
{
    return mmu_translate_fast(m, lin, kind, cpl, phys);
}

void mmu_trace_repeats(struct machine *m, const uint64_t *keys, const uint32_t *lins, unsigned nkeys, int32_t step,
                       uint32_t iters, uint64_t cycle0, uint64_t each)
{
    for (uint32_t j = 0; j < iters; j++) {
        uint64_t cycle = cycle0 + j * each;
        for (unsigned o = 0; o < nkeys; o++, cycle += m->mmu.cost.hit)
            mmu_emit_hit(m, cycle, keys[o], lins[o] + (uint32_t)((int64_t)j * step));
#if !defined(VMSCOPE_TRACE_EMIT_OUT_OF_LINE) && !defined(VMSCOPE_MMU_TEST)
        /* once the writer's repeat ring takes whole rounds, the rest at once
         * (tried after rounds 1, 2, 4, 8, ...: a run it never takes pays
         * little); the same bytes as one by one */
        if (j + 1 < iters && !(j & (j + 1))) {
            uint64_t last = cycle0 + (uint64_t)(iters - 1) * each + (uint64_t)(nkeys - 1) * m->mmu.cost.hit;
            j += (uint32_t)trace_emit_xlate_turns(m->trace, keys, nkeys, mmu_hit_pc(&m->mmu), iters - 1 - j, last);
        }
#endif
    }
}

bool mmu_probe(struct machine *m, uint32_t lin, unsigned kind, unsigned cpl, uint32_t *phys)
{
    if (!m->mmu.paging) {
        *phys = lin;
        return true;
    }
    struct walk w;
    bool write = (kind & MMU_KIND_MASK) == MMU_WRITE;
    bool user = cpl == 3 && !(kind & MMU_IMPLICIT);
    if (!walk(m, lin, write, user, false, &w))
        return false;
    *phys = page_phys(w.phys, lin, w.flags & TLBE_LARGE);
    return true;
}

/* ------------------------------------------------------------------ */
/* Linear accesses                                                     */
/* ------------------------------------------------------------------ */

bool mmu_access_slow(struct machine *m, uint32_t lin, unsigned kind, unsigned cpl, uint32_t *phys,
                     uint8_t **host)
{
    /* mmu_access found no fast entry: with paging on and no watchpoint
     * (direct), the model's path is all that is left */
    if (!(m->mmu.direct ? mmu_translate_slow(m, lin, kind, cpl, phys) : mmu_translate_fast(m, lin, kind, cpl, phys)))
        return false;
    *host = bus_ram_ptr(&m->bus, *phys, 1);
    return true;
}

bool mmu_read(struct machine *m, uint32_t lin, unsigned size, unsigned kind, unsigned cpl, uint32_t *val)
{
    unsigned first = 4096 - (lin & 0xFFF);
    if (size <= first) {
        uint32_t p;
        uint8_t *host;
        if (!mmu_access(m, lin, kind, cpl, &p, &host))
            return false;
        *val = host ? load_le(host, size) : bus_read(m, p, size);
        return true;
    }
    uint32_t p0, p1;
    if (!mmu_translate(m, lin, kind, cpl, &p0) || !mmu_translate(m, lin + first, kind, cpl, &p1))
        return false;
    uint32_t v = 0;
    for (unsigned i = 0; i < size; i++)
        v |= bus_read(m, i < first ? p0 + i : p1 + (i - first), 1) << (8 * i);
    *val = v;
    return true;
}

bool mmu_write(struct machine *m, uint32_t lin, unsigned size, unsigned kind, unsigned cpl, uint32_t val)
{
    unsigned first = 4096 - (lin & 0xFFF);
    if (size <= first) {
        uint32_t p;
        uint8_t *host;
        if (!mmu_access(m, lin, kind, cpl, &p, &host))
            return false;
        if (host && !m->bus.code_frames[p >> 12])
            store_le(host, size, val);
        else
            bus_write(m, p, size, val);     /* SMC: the CPU's hook runs */
        return true;
    }
    uint32_t p0, p1;
    if (!mmu_translate(m, lin, kind, cpl, &p0) || !mmu_translate(m, lin + first, kind, cpl, &p1))
        return false;
    for (unsigned i = 0; i < size; i++)
        bus_write(m, i < first ? p0 + i : p1 + (i - first), 1, (val >> (8 * i)) & 0xFF);
    return true;
}

/* ------------------------------------------------------------------ */
/* Summary                                                             */
/* ------------------------------------------------------------------ */

void mmu_sync_stats(struct machine *m)
{
    struct mmu *u = &m->mmu;
    if (!u->tlb)
        return;
    uint64_t l1 = 0;
    for (unsigned id = 0; id < TLB_NSTRUCT; id++) {
        const struct tlb_cache *c = u->tlb->c[id];
        if (!c || id == TLB_STLB || id == TLB_PWC)
            continue;
        uint64_t h = tlb_hits(c);
        l1 += h - u->hits_seen[id];
        u->hits_seen[id] = h;
    }
    uint64_t n = l1 - u->slow_l1_hits;     /* the fast path's */
    u->slow_l1_hits = 0;
    u->stats.translations += n;
    u->stats.cycles += n * u->cost.hit;
}

void mmu_summary(struct machine *m, FILE *f)
{
    mmu_sync_stats(m);
    const struct mmu *u = &m->mmu;
    const struct mmu_stats *s = &u->stats;
    if (s->unpaged)
        fprintf(f, "unpaged:      %" PRIu64 " accesses with paging off\n", s->unpaged);
    if (!s->translations)
        return;
    char spec[256], cyc[256];
    mmu_config_string(m, spec, sizeof spec, cyc, sizeof cyc);
    fprintf(f, "paging:       %" PRIu64 " translations, %" PRIu64 " walks (%" PRIu64 " D-bit assists), "
            "%" PRIu64 " page faults, %" PRIu64 " page-structure reads, %" PRIu64 " A/D writes, "
            "%" PRIu64 " MMU cycles\n", s->translations, s->walks, s->assists, s->faults,
            s->walk_reads, s->ad_writes, s->cycles);
    fprintf(f, "tlb:          %s\n", spec);
    fprintf(f, "mmu cycles:   %s\n", cyc);
    tlb_print_stats(u->tlb, f, "  ");
}

void mmu_dump_tlb(struct machine *m, FILE *f)
{
    char spec[256];
    mmu_sync_stats(m);
    mmu_config_string(m, spec, sizeof spec, NULL, 0);
    fprintf(f, "tlb: %s (paging %s, CR3=%08x, CR4.PGE=%d)\n", spec, m->mmu.paging ? "on" : "off",
            m->mmu.cr3, !!(m->mmu.cr4 & CR4_PGE));
    tlb_dump(m->mmu.tlb, f);
}
