/* A deterministic memory-access workload for comparing the MMU with the fast
 * path on and off: reads, writes and fetches of 1, 2 and 4 bytes (some
 * crossing pages) at CPL 0 and 3, with locality, over 4 KiB pages of mixed
 * rights, a 4 MiB page, global kernel pages and two address spaces; mixed
 * with CR3 loads, INVLPG, page-table edits behind the TLB's back, A/D
 * clearing, WP and PGE toggles, and code frames that make writes go through
 * the SMC hook. Everything the run produces is folded into a summary that
 * must be identical both ways. */
#ifndef VMSCOPE_TESTS_MMU_WORKLOAD_H
#define VMSCOPE_TESTS_MMU_WORKLOAD_H

#include "tests/mmu/harness.h"

#define WL_PD_B   0x00012000u   /* second address space */
#define WL_PT_A   0x00013000u   /* user table of space A (0x00400000) */
#define WL_PT_B   0x00014000u   /* user table of space B */
#define WL_PT_K   0x00015000u   /* kernel table (0xC0000000), shared, global */
#define WL_FRAMES 0x00100000u   /* data frames from 1 MiB */
#define WL_NUSER  64u           /* 4 KiB user pages per space */
#define WL_NKERN  16u           /* kernel pages */
#define WL_KBASE  0xC0080000u   /* the first kernel page */

struct wl_result {
    struct mmu_stats stats;
    struct tlb_stats tlb[TLB_NSTRUCT];
    uint64_t cycles;
    uint64_t values;            /* hash of every value read and of every fault */
    uint64_t smc_calls;         /* SMC hook calls */
    uint64_t trace_hash, trace_records;
    uint64_t ram_hash;
    uint64_t fast_hits;         /* accesses answered by the fast path (differs by design) */
};

/* The SMC hook stands in for the CPU's: it drops the frame's code mark and
 * counts the call in the machine it belongs to (two machines run side by side). */
static struct machine *wl_hook_m[2];
static uint64_t wl_hook_calls[2];

static void wl_code_write(struct machine *m, uint32_t frame)
{
    for (int i = 0; i < 2; i++)
        if (wl_hook_m[i] == m)
            wl_hook_calls[i]++;
    m->bus.code_frames[frame] = 0;
}

static inline uint64_t wl_rand(uint64_t *s)
{
    uint64_t x = *s;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return *s = x;
}

static inline uint64_t wl_mix(uint64_t h, uint64_t v)
{
    return (h ^ v) * 0x100000001B3ull;
}

/* Realistic mode (benchmarks): every page usable, an event every ~16K
 * accesses, few page-crossing accesses; mostly TLB hits, as programs are.
 * Otherwise adversarial (unit tests): many faults, edits and flushes. */
static bool wl_realistic;

/* Rights of user page I as set up (the workload's edits return to them). */
static inline uint32_t wl_user_flags(uint32_t i)
{
    if (wl_realistic)
        return PG_P | PG_RW | PG_US;
    if (i % 29 == 28)
        return PG_RW | PG_US;                     /* not present */
    if (i % 17 == 0)
        return PG_P | PG_RW;                      /* supervisor only */
    if (i % 9 == 0)
        return PG_P | PG_US;                      /* read-only */
    return PG_P | PG_RW | PG_US;
}

static void wl_setup(struct tmach *t)
{
    /* Space A at PD, space B at WL_PD_B. User pages 0x00400000.., rights
     * varied per page; a 4 MiB page at 0x00800000 (user, writable) in A,
     * read-only and global in B; kernel pages at WL_KBASE global in both. */
    for (uint32_t i = 0; i < WL_NUSER; i++) {
        uint32_t lin = 0x00400000 + i * 4096;
        wr32(t, pte_addr(WL_PT_A, lin), (WL_FRAMES + i * 4096) | wl_user_flags(i));
        wr32(t, pte_addr(WL_PT_B, lin), (WL_FRAMES + (WL_NUSER + i) * 4096) | wl_user_flags(i + 5));
    }
    wr32(t, PD + (0x00400000 >> 22) * 4, WL_PT_A | PG_P | PG_RW | PG_US);
    wr32(t, WL_PD_B + (0x00400000 >> 22) * 4, WL_PT_B | PG_P | PG_RW | PG_US);
    wr32(t, PD + (0x00800000 >> 22) * 4, 0x00C00000 | PG_P | PG_RW | PG_US | PG_PS);
    wr32(t, WL_PD_B + (0x00800000 >> 22) * 4, 0x00C00000 | PG_P | PG_US | PG_PS | PG_G | (wl_realistic ? PG_RW : 0));
    for (uint32_t i = 0; i < WL_NKERN; i++)
        wr32(t, pte_addr(WL_PT_K, WL_KBASE + i * 4096),
             (WL_FRAMES + (2 * WL_NUSER + i) * 4096) | PG_P | PG_RW | PG_G);
    wr32(t, PD + 0x300 * 4, WL_PT_K | PG_P | PG_RW);
    wr32(t, WL_PD_B + 0x300 * 4, WL_PT_K | PG_P | PG_RW);
    t->m->bus.code_write = wl_code_write;
    paging_on(t, CR4_PSE | CR4_PGE, true);
}

/* A linear address from the working set: mostly a hot set of 8 pages that
 * drifts slowly, sometimes anywhere. */
static uint32_t wl_addr(uint64_t *s, uint64_t n)
{
    uint64_t r = wl_rand(s);
    unsigned region = (unsigned)(r >> 60);     /* 0..15 */
    unsigned page;
    if ((r & 0xFF) < 230)
        page = (unsigned)((n >> 12) + ((r >> 8) & 7)) % (WL_NUSER + WL_NKERN + 8);
    else
        page = (unsigned)((r >> 8) % (WL_NUSER + WL_NKERN + 8));
    uint32_t off = (uint32_t)(r >> 20) & 0xFFF;
    (void)region;
    if (page < WL_NUSER)
        return 0x00400000 + page * 4096 + off;
    if (page < WL_NUSER + WL_NKERN)
        return WL_KBASE + (page - WL_NUSER) * 4096 + off;
    return 0x00800000 + (page - WL_NUSER - WL_NKERN) * 0x81000 + off;   /* the 4 MiB page */
}

/* Run N accesses on T with SEED. */
static void wl_run(struct tmach *t, uint64_t n, uint64_t seed, struct wl_result *res)
{
    struct machine *m = t->m;
    uint64_t s = seed | 1;
    uint64_t h = 0;
    for (uint64_t i = 0; i < n; i++) {
        uint64_t r = wl_rand(&s);
        unsigned op = (unsigned)(r & (wl_realistic ? 0xFFFF : 0x3FF));
        if (op < 4) {           /* an event every ~256 (~16K) accesses */
            uint64_t e = wl_rand(&s);
            switch ((e >> 8) % 10) {
            case 0: mmu_set_cr3(m, e & 1 ? PD : WL_PD_B); break;
            case 1: mmu_invlpg(m, wl_addr(&s, i)); break;
            case 2: {           /* edit a user PTE behind the TLB's back, or restore it */
                uint32_t lin = wl_addr(&s, i);
                if (wl_realistic || lin < 0x00400000 || lin >= 0x00800000)
                    break;
                uint32_t pg = (lin >> 12) & 0x3FF;
                bool b = m->mmu.cr3 != PD;
                uint32_t a = pte_addr(b ? WL_PT_B : WL_PT_A, lin);
                uint32_t f = wl_user_flags(pg + (b ? 5 : 0));
                if ((e >> 16) & 1)
                    f ^= (e >> 17) & (PG_P | PG_RW | PG_US);
                wr32(t, a, (rd32(t, a) & ~(PG_P | PG_RW | PG_US)) | f);
                break;
            }
            case 3: {           /* clear A and D of a PTE (page aging) */
                uint32_t lin = wl_addr(&s, i);
                if (lin >= 0x00800000 && lin < 0x00C00000)
                    break;
                uint32_t pt = lin >= 0xC0000000 ? WL_PT_K : (m->mmu.cr3 == PD ? WL_PT_A : WL_PT_B);
                uint32_t a = pte_addr(pt, lin);
                wr32(t, a, rd32(t, a) & ~(PG_A | PG_D));
                break;
            }
            case 4: mmu_set_cr0(m, m->mmu.cr0 ^ CR0_WP); break;
            case 5: if ((e >> 20) % 8 == 0) mmu_set_cr4(m, m->mmu.cr4 ^ CR4_PGE); break;
            case 6: {           /* mark a data frame as holding code */
                uint32_t frame = (WL_FRAMES >> 12) + (uint32_t)((e >> 24) % (2 * WL_NUSER + WL_NKERN));
                m->bus.code_frames[frame] = 1;
                break;
            }
            default: break;
            }
            continue;
        }
        uint32_t lin = wl_addr(&s, i);
        unsigned cpl = lin < 0xC0000000 && ((r >> 12) & 1) ? 3 : 0;  /* user half the time */
        unsigned size = 1u << ((r >> 14) % 3);
        unsigned implicit = ((r >> 16) & 63) == 0 ? MMU_IMPLICIT : 0;
        if (((r >> 22) & (wl_realistic ? 1023 : 31)) == 0)
            lin = (lin | 0xFFF) - (uint32_t)((r >> 27) & 1);    /* straddle the page end */
        unsigned kind = (r >> 10) % 3;
        bool ok;
        uint32_t v = 0;
        switch (kind) {
        case MMU_READ: ok = mmu_read(m, lin, size, MMU_READ | implicit, cpl, &v); break;
        case MMU_WRITE: ok = mmu_write(m, lin, size, MMU_WRITE | implicit, cpl, (uint32_t)(r >> 32)); break;
        default: {
            uint32_t pa;
            ok = mmu_translate(m, lin, MMU_FETCH, cpl, &pa);
            v = pa;
            break;
        }
        }
        h = wl_mix(h, ok ? v : 0xDEAD0000u ^ m->mmu.fault_err ^ ((uint64_t)m->mmu.fault_addr << 32));
    }
    memset(res, 0, sizeof *res);
    mmu_sync_stats(m);
    res->stats = m->mmu.stats;
    for (unsigned id = 0; id < TLB_NSTRUCT; id++)
        if (m->mmu.tlb->c[id])
            res->tlb[id] = m->mmu.tlb->c[id]->st;
    res->cycles = m->clock.cycles;
    res->values = h;
    for (int k = 0; k < 2; k++)
        if (wl_hook_m[k] == m)
            res->smc_calls = wl_hook_calls[k];
    res->trace_hash = t->cap.hash;
    res->trace_records = t->cap.records;
    uint64_t rh = 0;
    for (uint32_t a = 0; a < m->bus.ram_size; a += 8) {
        uint64_t w;
        memcpy(&w, m->bus.ram + a, 8);
        if (w)
            rh = wl_mix(rh, w ^ a);
    }
    res->ram_hash = rh;
    res->fast_hits = m->mmu.stats.translations - m->mmu.slow_calls;
}

/* Equal in everything the model reports (fast_hits excluded). */
static bool wl_same(const struct wl_result *a, const struct wl_result *b)
{
    return !memcmp(&a->stats, &b->stats, sizeof a->stats) && !memcmp(a->tlb, b->tlb, sizeof a->tlb) &&
           a->cycles == b->cycles && a->values == b->values && a->smc_calls == b->smc_calls &&
           a->trace_hash == b->trace_hash && a->trace_records == b->trace_records &&
           a->ram_hash == b->ram_hash;
}

#endif
