/* MMU unit tests: the walk, the permission matrix, A/D bits, #PF error codes
 * and CR2, flush semantics, page-crossing accesses, bad page tables, the
 * cycle model. Intel SDM vol. 3A ch. 4 is the reference for every answer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <cmocka.h>

#include "tests/mmu/harness.h"

static char err[256];

static bool xl(struct tmach *t, uint32_t lin, unsigned kind, unsigned cpl, uint32_t *pa)
{
    return mmu_translate(t->m, lin, kind, cpl, pa);
}

/* ---- the walk ---- */

static void test_walk_4k(void **state)
{
    (void)state;
    struct tmach t;
    assert_true(tm_init(&t, NULL, NULL, true, err, sizeof err));
    map4k(&t, PT0, 0x00400000, 0x00200000, PG_P | PG_RW | PG_US, PG_P | PG_RW | PG_US);
    paging_on(&t, 0, true);
    uint32_t pa;
    assert_true(xl(&t, 0x00400123, MMU_READ, 0, &pa));
    assert_int_equal(pa, 0x00200123);
    assert_int_equal(t.cap.last_xlate.outcome, TR_MISS);
    assert_int_equal(t.cap.last_xlate.tlb, TR_DTLB);
    assert_int_equal(t.cap.last_walk.pde_addr, pde_addr(0x00400000));
    assert_int_equal(t.cap.last_walk.pte_addr, pte_addr(PT0, 0x00400000));
    assert_int_equal(t.cap.last_walk.ad_set, 1 | 4);
    /* A set in both levels, D nowhere. */
    assert_int_equal(rd32(&t, pde_addr(0x00400000)), PT0 | PG_P | PG_RW | PG_US | PG_A);
    assert_int_equal(rd32(&t, pte_addr(PT0, 0x00400000)), 0x00200000 | PG_P | PG_RW | PG_US | PG_A);
    assert_true(xl(&t, 0x00400FFF, MMU_READ, 0, &pa));
    assert_int_equal(pa, 0x00200FFF);
    assert_int_equal(t.cap.last_xlate.outcome, TR_HIT);
    /* A fetch looks in the instruction side: a miss there. */
    assert_true(xl(&t, 0x00400000, MMU_FETCH, 0, &pa));
    assert_int_equal(t.cap.last_xlate.outcome, TR_MISS);
    assert_int_equal(t.cap.last_xlate.tlb, TR_ITLB);
    mmu_sync_stats(t.m);
    const struct mmu_stats *s = &t.m->mmu.stats;
    assert_int_equal(s->translations, 3);
    assert_int_equal(s->walks, 2);
    assert_int_equal(s->walk_reads, 4);
    assert_int_equal(s->ad_writes, 2);     /* the second walk found A set */
    assert_int_equal(tlb_hits(t.m->mmu.tlb->c[TLB_DTLB]), 1);
    assert_int_equal(tst(&t, TLB_DTLB)->misses, 1);
    assert_int_equal(tst(&t, TLB_ITLB)->misses, 1);
    tm_free(&t);
}

static void test_walk_4m(void **state)
{
    (void)state;
    struct tmach t;
    assert_true(tm_init(&t, NULL, NULL, true, err, sizeof err));
    map4m(&t, 0x00800000, 0x00C00000, PG_P | PG_RW);
    paging_on(&t, CR4_PSE, true);
    uint32_t pa;
    assert_true(xl(&t, 0x009ABCDE, MMU_WRITE, 0, &pa));
    assert_int_equal(pa, 0x00DABCDE);
    assert_int_equal(t.cap.last_xlate.large, 1);
    assert_int_equal(t.cap.last_xlate.tlb, TR_LTLB);
    assert_int_equal(t.cap.last_walk.ad_set, 1 | 2);
    assert_int_equal(rd32(&t, pde_addr(0x00800000)), 0x00C00000 | PG_P | PG_RW | PG_PS | PG_A | PG_D);
    assert_int_equal(t.m->mmu.stats.walk_reads, 1);
    /* Another address in the same 4 MiB page hits the large-page TLB. */
    assert_true(xl(&t, 0x00800000, MMU_READ, 0, &pa));
    assert_int_equal(pa, 0x00C00000);
    assert_int_equal(t.cap.last_xlate.outcome, TR_HIT);
    /* Fetch side: its own large-page TLB (iltlb). */
    assert_true(xl(&t, 0x00900000, MMU_FETCH, 0, &pa));
    assert_int_equal(t.cap.last_xlate.tlb, TLB_ILTLB);
    /* Without CR4.PSE, PS is ignored: the PDE points to a page table. */
    mmu_set_cr4(t.m, 0);
    wr32(&t, 0x00C00000 + 0x100 * 4, 0x00300000 | PG_P);
    assert_true(xl(&t, 0x00900000, MMU_READ, 0, &pa));
    assert_int_equal(pa, 0x00300000);
    tm_free(&t);
}

static void test_rsvd(void **state)
{
    (void)state;
    struct tmach t;
    assert_true(tm_init(&t, NULL, NULL, true, err, sizeof err));
    uint32_t pa;
    /* Each of bits 21:12 of a 4 MiB PDE is reserved (no PAT, no PSE-36). */
    for (unsigned bit = 12; bit <= 21; bit++) {
        map4m(&t, 0x00800000, 0x00C00000 | (1u << bit), PG_P | PG_RW | PG_US);
        paging_on(&t, CR4_PSE, true);
        assert_false(xl(&t, 0x00812345, MMU_WRITE, 3, &pa));
        assert_int_equal(t.m->mmu.fault_err, PF_P | PF_W | PF_U | PF_RSVD);
        assert_int_equal(t.m->mmu.fault_addr, 0x00812345);
        /* A reserved-bit fault sets no A bit. */
        assert_int_equal(rd32(&t, pde_addr(0x00800000)) & PG_A, 0);
        mmu_set_cr0(t.m, CR0_PE);
    }
    /* Bit 22 is an address bit: fine. */
    map4m(&t, 0x00800000, 0x00400000, PG_P | PG_RW | PG_US);
    paging_on(&t, CR4_PSE, true);
    assert_true(xl(&t, 0x00812345, MMU_READ, 0, &pa));
    assert_int_equal(pa, 0x00412345);
    /* Bit 7 of a PTE (PAT) is reserved. */
    map4k(&t, PT0, 0x00400000, 0x00200000, PG_P | PG_RW, PG_P | PG_RW | PG_PS);
    assert_false(xl(&t, 0x00400010, MMU_READ, 0, &pa));
    assert_int_equal(t.m->mmu.fault_err, PF_P | PF_RSVD);
    /* A not-present entry is never checked for reserved bits. */
    map4k(&t, PT0, 0x00400000, 0x00200000, PG_P | PG_RW, PG_PS);
    assert_false(xl(&t, 0x00400010, MMU_READ, 0, &pa));
    assert_int_equal(t.m->mmu.fault_err, 0);
    tm_free(&t);
}

/* ---- permissions: every CPL class x U/S x R/W at both levels x WP x kind ---- */

static bool expect_ok(bool user, bool write, bool wp, uint32_t pdef, uint32_t ptef)
{
    bool us = (pdef & PG_US) && (ptef & PG_US), rw = (pdef & PG_RW) && (ptef & PG_RW);
    if (user)
        return us && (!write || rw);
    return !write || rw || !wp;
}

static void check_matrix(bool large)
{
    struct tmach t;
    assert_true(tm_init(&t, NULL, NULL, true, err, sizeof err));
    for (unsigned cpl = 0; cpl <= 3; cpl++)
    for (unsigned implicit = 0; implicit < 2; implicit++)
    for (unsigned pdef = 0; pdef < 4; pdef++)
    for (unsigned ptef = 0; ptef < (large ? 1u : 4u); ptef++)
    for (unsigned wp = 0; wp < 2; wp++)
    for (unsigned kind = 0; kind < 3; kind++)
    for (unsigned via_hit = 0; via_hit < 2; via_hit++) {
        mmu_set_cr0(t.m, CR0_PE);           /* paging off: every TLB entry goes */
        uint32_t de = PG_P | (pdef & 1 ? PG_RW : 0) | (pdef & 2 ? PG_US : 0);
        uint32_t te = PG_P | (ptef & 1 ? PG_RW : 0) | (ptef & 2 ? PG_US : 0);
        uint32_t lin = 0x00800000 + 0x5000;
        if (large)
            map4m(&t, lin, 0x00C00000, de);
        else
            map4k(&t, PT0, lin, 0x00300000, de, te);
        paging_on(&t, CR4_PSE, wp);
        bool user = cpl == 3 && !implicit;
        bool write = kind == MMU_WRITE;
        bool ok = expect_ok(user, write, wp, de, large ? (PG_RW | PG_US) : te);
        uint32_t pa;
        if (via_hit) {
            /* Fill the TLB with a supervisor read (always allowed; D stays
             * clear), then check the access against the cached rights. */
            assert_true(xl(&t, lin, kind == MMU_FETCH ? MMU_FETCH : MMU_READ, 0, &pa));
        }
        bool got = xl(&t, lin + 4, kind | (implicit ? MMU_IMPLICIT : 0), cpl, &pa);
        if (got != ok)
            fail_msg("%s cpl %u%s pde %x pte %x wp %u kind %u via %s: got %d want %d",
                     large ? "4M" : "4K", cpl, implicit ? " implicit" : "", de, te, wp, kind,
                     via_hit ? "hit" : "walk", got, ok);
        if (!ok) {
            assert_int_equal(t.m->mmu.fault_err, PF_P | (write ? PF_W : 0) | (user ? PF_U : 0));
            assert_int_equal(t.m->mmu.fault_addr, lin + 4);
            assert_int_equal(t.cap.last_xlate.outcome, via_hit ? TR_HIT_FAULT : TR_MISS_FAULT);
        } else {
            assert_int_equal(pa, (large ? 0x00C00000 + 0x5000 : 0x00300000) + 4);
            if (write) {
                uint32_t leaf = large ? rd32(&t, pde_addr(lin)) : rd32(&t, pte_addr(PT0, lin));
                assert_true(leaf & PG_D);
            }
        }
    }
    tm_free(&t);
}

static void test_perm_matrix_4k(void **state) { (void)state; check_matrix(false); }
static void test_perm_matrix_4m(void **state) { (void)state; check_matrix(true); }

/* ---- not present, error codes, CR2 ---- */

static void test_not_present(void **state)
{
    (void)state;
    struct tmach t;
    assert_true(tm_init(&t, NULL, NULL, true, err, sizeof err));
    paging_on(&t, 0, true);
    uint32_t pa;
    assert_false(xl(&t, 0x12345678, MMU_READ, 0, &pa));
    assert_int_equal(t.m->mmu.fault_err, 0);
    assert_int_equal(t.m->mmu.fault_addr, 0x12345678);
    assert_false(xl(&t, 0x12345678, MMU_WRITE, 3, &pa));
    assert_int_equal(t.m->mmu.fault_err, PF_W | PF_U);
    assert_int_equal(t.cap.last_fault_cr2, 0x12345678);
    assert_int_equal(t.cap.last_fault_err, PF_W | PF_U);
    assert_false(xl(&t, 0x12345678, MMU_FETCH, 3, &pa));
    assert_int_equal(t.m->mmu.fault_err, PF_U);
    /* PDE present, PTE not: no A bit on the PDE (A is set only by walks
     * that succeed). */
    wr32(&t, pde_addr(0x12345678), PT0 | PG_P | PG_RW | PG_US);
    assert_false(xl(&t, 0x12345678, MMU_READ, 3, &pa));
    assert_int_equal(t.m->mmu.fault_err, PF_U);
    assert_int_equal(rd32(&t, pde_addr(0x12345678)) & PG_A, 0);
    assert_int_equal(t.m->mmu.stats.faults, 4);
    assert_int_equal(t.m->mmu.stats.ad_writes, 0);
    tm_free(&t);
}

/* ---- A/D bits ---- */

static void test_dirty_assist(void **state)
{
    (void)state;
    struct tmach t;
    assert_true(tm_init(&t, NULL, NULL, true, err, sizeof err));
    map4k(&t, PT0, 0x00400000, 0x00200000, PG_P | PG_RW, PG_P | PG_RW);
    paging_on(&t, 0, true);
    uint32_t pa;
    assert_true(xl(&t, 0x00400000, MMU_READ, 0, &pa));
    assert_int_equal(rd32(&t, pte_addr(PT0, 0x00400000)) & (PG_A | PG_D), PG_A);
    /* A write hitting the entry cached from the read: hit + walk that sets D. */
    uint64_t walks = t.m->mmu.stats.walks;
    assert_true(xl(&t, 0x00400004, MMU_WRITE, 0, &pa));
    assert_int_equal(t.cap.last_xlate.outcome, TR_HIT_DIRTY);
    assert_int_equal(t.m->mmu.stats.walks, walks + 1);
    assert_int_equal(t.m->mmu.stats.assists, 1);
    assert_int_equal(tst(&t, TLB_DTLB)->assists, 1);
    assert_int_equal(t.cap.last_walk.ad_set, 8);
    assert_int_equal(rd32(&t, pte_addr(PT0, 0x00400000)) & (PG_A | PG_D), PG_A | PG_D);
    /* The entry now knows D: the next write is a plain hit, even after the
     * guest clears D in memory (the TLB keeps it until a flush). */
    wr32(&t, pte_addr(PT0, 0x00400000), 0x00200000 | PG_P | PG_RW | PG_A);
    assert_true(xl(&t, 0x00400008, MMU_WRITE, 0, &pa));
    assert_int_equal(t.cap.last_xlate.outcome, TR_HIT);
    assert_int_equal(rd32(&t, pte_addr(PT0, 0x00400000)) & PG_D, 0);
    mmu_invlpg(t.m, 0x00400000);
    assert_true(xl(&t, 0x00400008, MMU_WRITE, 0, &pa));
    assert_int_equal(t.cap.last_xlate.outcome, TR_MISS);
    assert_int_equal(rd32(&t, pte_addr(PT0, 0x00400000)) & PG_D, PG_D);
    /* A write miss sets A and D in one read-modify-write of the PTE and A in the PDE. */
    map4k(&t, PT0, 0x00401000, 0x00201000, PG_P | PG_RW, PG_P | PG_RW);
    uint64_t adw = t.m->mmu.stats.ad_writes;
    assert_true(xl(&t, 0x00401000, MMU_WRITE, 0, &pa));
    assert_int_equal(t.cap.last_walk.ad_set, 1 | 4 | 8);    /* map4k rewrote the PDE without A */
    assert_int_equal(t.m->mmu.stats.ad_writes, adw + 2);
    /* An assist whose walk now finds the page read-only faults, and the
     * stale entry is gone. */
    map4k(&t, PT0, 0x00402000, 0x00202000, PG_P | PG_RW, PG_P | PG_RW);
    assert_true(xl(&t, 0x00402000, MMU_READ, 0, &pa));
    wr32(&t, pte_addr(PT0, 0x00402000), 0x00202000 | PG_P | PG_A);
    assert_false(xl(&t, 0x00402000, MMU_WRITE, 0, &pa));
    assert_int_equal(t.cap.last_xlate.outcome, TR_HIT_FAULT);
    assert_int_equal(t.m->mmu.fault_err, PF_P | PF_W);
    assert_true(xl(&t, 0x00402000, MMU_READ, 0, &pa));
    assert_int_equal(t.cap.last_xlate.outcome, TR_MISS);
    tm_free(&t);
}

/* ---- flushes ---- */

static void test_global_and_flushes(void **state)
{
    (void)state;
    struct tmach t;
    assert_true(tm_init(&t, NULL, NULL, true, err, sizeof err));
    map4k(&t, PT0, 0x00400000, 0x00200000, PG_P | PG_RW, PG_P | PG_RW | PG_G);   /* global */
    map4k(&t, PT0, 0x00401000, 0x00201000, PG_P | PG_RW, PG_P | PG_RW);       /* not */
    paging_on(&t, CR4_PGE, true);
    uint32_t pa;
    assert_true(xl(&t, 0x00400000, MMU_READ, 0, &pa));
    assert_int_equal(t.cap.last_xlate.global, 1);
    assert_true(xl(&t, 0x00401000, MMU_READ, 0, &pa));
    /* Remap both in memory without telling the TLB. */
    wr32(&t, pte_addr(PT0, 0x00400000), 0x00500000 | PG_P | PG_RW | PG_G);
    wr32(&t, pte_addr(PT0, 0x00401000), 0x00501000 | PG_P | PG_RW);
    assert_true(xl(&t, 0x00400000, MMU_READ, 0, &pa));
    assert_int_equal(pa, 0x00200000);       /* stale, as on hardware */
    /* MOV CR3: the global entry survives, the other is dropped. */
    mmu_set_cr3(t.m, PD);
    assert_int_equal(t.cap.last_flush_kind, TR_FLUSH_CR3);
    assert_int_equal(t.cap.last_flush_dropped, 1);
    assert_true(xl(&t, 0x00400000, MMU_READ, 0, &pa));
    assert_int_equal(pa, 0x00200000);
    assert_true(xl(&t, 0x00401000, MMU_READ, 0, &pa));
    assert_int_equal(pa, 0x00501000);
    /* INVLPG drops a global entry too. */
    mmu_invlpg(t.m, 0x00400FFF);
    assert_int_equal(t.cap.last_flush_kind, TR_FLUSH_PAGE);
    assert_int_equal(t.cap.last_flush_dropped, 1);
    assert_true(xl(&t, 0x00400000, MMU_READ, 0, &pa));
    assert_int_equal(pa, 0x00500000);
    /* Toggling CR4.PGE drops everything. */
    wr32(&t, pte_addr(PT0, 0x00400000), 0x00600000 | PG_P | PG_RW | PG_G);
    mmu_set_cr4(t.m, 0);
    assert_int_equal(t.cap.last_flush_kind, TR_FLUSH_ALL);
    assert_true(xl(&t, 0x00400000, MMU_READ, 0, &pa));
    assert_int_equal(pa, 0x00600000);
    /* With CR4.PGE clear, G means nothing: MOV CR3 drops the entry. */
    wr32(&t, pte_addr(PT0, 0x00400000), 0x00700000 | PG_P | PG_RW | PG_G);
    mmu_set_cr3(t.m, PD);
    assert_true(xl(&t, 0x00400000, MMU_READ, 0, &pa));
    assert_int_equal(pa, 0x00700000);
    /* CR4.PSE toggle and CR0.PG changes flush all; a WP change flushes nothing. */
    wr32(&t, pte_addr(PT0, 0x00400000), 0x00710000 | PG_P | PG_RW);
    mmu_set_cr0(t.m, CR0_PE | CR0_PG);
    assert_true(xl(&t, 0x00400000, MMU_READ, 0, &pa));
    assert_int_equal(pa, 0x00700000);
    mmu_set_cr4(t.m, CR4_PSE);
    assert_true(xl(&t, 0x00400000, MMU_READ, 0, &pa));
    assert_int_equal(pa, 0x00710000);
    wr32(&t, pte_addr(PT0, 0x00400000), 0x00720000 | PG_P | PG_RW);
    mmu_set_cr0(t.m, CR0_PE);
    assert_true(xl(&t, 0x00400000, MMU_READ, 0, &pa));
    assert_int_equal(pa, 0x00400000);       /* paging off: unpaged */
    mmu_set_cr0(t.m, CR0_PE | CR0_PG);
    assert_true(xl(&t, 0x00400000, MMU_READ, 0, &pa));
    assert_int_equal(pa, 0x00720000);
    assert_int_equal(t.m->mmu.stats.unpaged, 1);
    assert_true(tst(&t, TLB_DTLB)->dropped[TLB_CAUSE_CR3] >= 1);
    assert_true(tst(&t, TLB_DTLB)->dropped[TLB_CAUSE_PAGE] == 1);
    tm_free(&t);
}

/* A permission fault on a hit drops the stale entry (SDM §4.10.4.1), so the
 * retry after the handler fixed the PTE sees memory. */
static void test_fault_drops_entry(void **state)
{
    (void)state;
    struct tmach t;
    assert_true(tm_init(&t, NULL, NULL, true, err, sizeof err));
    map4k(&t, PT0, 0x00400000, 0x00200000, PG_P | PG_RW | PG_US, PG_P | PG_US);
    paging_on(&t, 0, true);
    uint32_t pa;
    assert_true(xl(&t, 0x00400000, MMU_READ, 3, &pa));
    wr32(&t, pte_addr(PT0, 0x00400000), 0x00200000 | PG_P | PG_RW | PG_US | PG_A);
    assert_false(xl(&t, 0x00400000, MMU_WRITE, 3, &pa));   /* stale read-only entry */
    assert_int_equal(t.m->mmu.fault_err, PF_P | PF_W | PF_U);
    assert_int_equal(tst(&t, TLB_DTLB)->dropped[TLB_CAUSE_FAULT], 1);
    assert_true(xl(&t, 0x00400000, MMU_WRITE, 3, &pa));
    assert_int_equal(t.cap.last_xlate.outcome, TR_MISS);
    tm_free(&t);
}

/* ---- linear accesses ---- */

static void test_cross_page(void **state)
{
    (void)state;
    struct tmach t;
    assert_true(tm_init(&t, NULL, NULL, true, err, sizeof err));
    map4k(&t, PT0, 0x00400000, 0x00200000, PG_P | PG_RW, PG_P | PG_RW);
    map4k(&t, PT0, 0x00401000, 0x00300000, PG_P | PG_RW, PG_P | PG_RW);
    paging_on(&t, 0, true);
    assert_true(mmu_write(t.m, 0x00400FFE, 4, MMU_WRITE, 0, 0x44332211));
    assert_int_equal(rd32(&t, 0x00200FFC) >> 16, 0x2211);
    assert_int_equal(rd32(&t, 0x00300000) & 0xFFFF, 0x4433);
    uint32_t v;
    assert_true(mmu_read(t.m, 0x00400FFD, 4, MMU_READ, 0, &v));
    assert_int_equal(v, 0x33221100);
    /* Second page read-only for ring 3... not present: nothing is written. */
    wr32(&t, pte_addr(PT0, 0x00401000), 0);
    mmu_invlpg(t.m, 0x00401000);
    wr32(&t, 0x00200FFC, 0xAABBCCDD);
    assert_false(mmu_write(t.m, 0x00400FFE, 4, MMU_WRITE, 0, 0x01020304));
    assert_int_equal(t.m->mmu.fault_addr, 0x00401000);
    assert_int_equal(t.m->mmu.fault_err, PF_W);
    assert_int_equal(rd32(&t, 0x00200FFC), 0xAABBCCDD);
    /* A fetch that crosses into a missing page: CR2 is that page's first byte. */
    uint32_t pa;
    assert_true(xl(&t, 0x00400FFF, MMU_FETCH, 0, &pa));
    assert_false(xl(&t, 0x00401000, MMU_FETCH, 0, &pa));
    assert_int_equal(t.m->mmu.fault_addr, 0x00401000);
    tm_free(&t);
}

/* ---- bad page tables ---- */

static void test_outside_ram(void **state)
{
    (void)state;
    struct tmach t;
    assert_true(tm_init(&t, NULL, NULL, true, err, sizeof err));
    uint32_t pa, v;
    /* A page table outside RAM reads as all ones: PTE bit 7 set -> RSVD. */
    wr32(&t, pde_addr(0x00400000), 0xF0000000 | PG_P | PG_RW);
    /* A page outside RAM: reads all ones, writes vanish. */
    map4k(&t, PT0, 0x00800000, 0x80000000, PG_P | PG_RW, PG_P | PG_RW);
    /* CR3 outside RAM. */
    paging_on(&t, 0, true);
    assert_false(xl(&t, 0x00400000, MMU_READ, 0, &pa));
    assert_int_equal(t.m->mmu.fault_err, PF_P | PF_RSVD);
    assert_true(mmu_read(t.m, 0x00800010, 4, MMU_READ, 0, &v));
    assert_int_equal(v, 0xFFFFFFFF);
    assert_true(mmu_write(t.m, 0x00800010, 4, MMU_WRITE, 0, 0x12345678));
    assert_true(mmu_read(t.m, 0x00800010, 2, MMU_READ, 0, &v));
    assert_int_equal(v, 0xFFFF);
    mmu_set_cr3(t.m, 0xFFFFF000);
    assert_false(xl(&t, 0x00400000, MMU_READ, 0, &pa));     /* PDE all ones, PSE off: PT at 0xFFFFF000 */
    assert_int_equal(t.m->mmu.fault_err, PF_P | PF_RSVD);
    mmu_set_cr4(t.m, CR4_PSE);
    assert_false(xl(&t, 0x00400000, MMU_READ, 0, &pa));     /* 4 MiB PDE with reserved bits */
    assert_int_equal(t.m->mmu.fault_err, PF_P | PF_RSVD);
    tm_free(&t);
}

static void test_self_map(void **state)
{
    (void)state;
    struct tmach t;
    assert_true(tm_init(&t, NULL, NULL, true, err, sizeof err));
    /* PD[0x300] points to the directory itself: 0xC0300000 is the directory. */
    wr32(&t, PD + 0x300 * 4, PD | PG_P | PG_RW);
    map4k(&t, PT0, 0x00400000, 0x00200000, PG_P | PG_RW, PG_P | PG_RW);
    paging_on(&t, 0, true);
    uint32_t v, pa;
    assert_true(mmu_read(t.m, 0xC0300000 + 0x300 * 4, 4, MMU_READ, 0, &v));
    /* The walk set A in PD[0x300] twice over (as PDE and as PTE): one RMW each. */
    assert_int_equal(v, PD | PG_P | PG_RW | PG_A);
    assert_true(mmu_read(t.m, 0xC0300000 + 1 * 4, 4, MMU_READ, 0, &v));
    assert_int_equal(v, PT0 | PG_P | PG_RW);
    /* Page tables through the self-map: 0xC0000000 + dir*4K is the table of dir. */
    assert_true(xl(&t, 0xC0000000 + 1 * 4096, MMU_WRITE, 0, &pa));
    assert_int_equal(pa, PT0);
    assert_true(mmu_write(t.m, 0xC0000000 + 4096 + 0, 4, MMU_WRITE, 0, 0x00250000 | PG_P | PG_RW));
    assert_int_equal(rd32(&t, PT0), 0x00250000 | PG_P | PG_RW);
    tm_free(&t);
}

/* ---- cycles ---- */

static void test_cycles(void **state)
{
    (void)state;
    struct tmach t;
    assert_true(tm_init(&t, NULL, "hit=1,walk=5,memlat=100,ad=1000,fault=10000,assist=7,unpaged=2",
                        true, err, sizeof err));
    map4k(&t, PT0, 0x00400000, 0x00200000, PG_P | PG_RW, PG_P | PG_RW);
    uint32_t pa;
    assert_true(xl(&t, 0x1000, MMU_READ, 0, &pa));
    assert_int_equal(t.m->clock.cycles, 2);
    paging_on(&t, 0, true);
    uint64_t c0 = t.m->clock.cycles;
    assert_true(xl(&t, 0x00400000, MMU_READ, 0, &pa));            /* miss: walk + 2 reads + 2 A */
    assert_int_equal(t.m->clock.cycles - c0, 5 + 200 + 2000);
    assert_int_equal(t.cap.last_xlate.cycles, 2205);
    c0 = t.m->clock.cycles;
    assert_true(xl(&t, 0x00400000, MMU_READ, 0, &pa));            /* hit */
    assert_int_equal(t.m->clock.cycles - c0, 1);
    c0 = t.m->clock.cycles;
    assert_true(xl(&t, 0x00400000, MMU_WRITE, 0, &pa));           /* hit + assist walk setting D */
    assert_int_equal(t.m->clock.cycles - c0, 1 + 7 + 5 + 200 + 1000);
    c0 = t.m->clock.cycles;
    assert_false(xl(&t, 0x00800000, MMU_READ, 0, &pa));           /* miss, fault at the PDE */
    assert_int_equal(t.m->clock.cycles - c0, 5 + 100 + 10000);
    mmu_sync_stats(t.m);
    assert_int_equal(t.m->mmu.stats.cycles, t.m->clock.cycles);
    tm_free(&t);
}

/* ---- paging-structure caches ---- */

static void test_pwc_and_stlb(void **state)
{
    (void)state;
    struct tmach t;
    assert_true(tm_init(&t, "dtlb=2:2,stlb=16:4,pwc=4", "pwc=2", true, err, sizeof err));
    for (uint32_t i = 0; i < 4; i++)
        map4k(&t, PT0, 0x00400000 + i * 4096, 0x00200000 + i * 4096, PG_P | PG_RW, PG_P | PG_RW | PG_A);
    paging_on(&t, 0, true);
    uint32_t pa;
    assert_true(xl(&t, 0x00400000, MMU_READ, 0, &pa));
    assert_int_equal(t.m->mmu.stats.walk_reads, 2);
    assert_true(xl(&t, 0x00401000, MMU_READ, 0, &pa));            /* PDE from the PWC */
    assert_int_equal(t.m->mmu.stats.walk_reads, 3);
    assert_int_equal(tlb_hits(t.m->mmu.tlb->c[TLB_PWC]), 1);
    assert_true(xl(&t, 0x00402000, MMU_READ, 0, &pa));            /* evicts page 0 from the DTLB */
    assert_true(xl(&t, 0x00400000, MMU_READ, 0, &pa));            /* STLB hit */
    assert_int_equal(t.cap.last_xlate.outcome, TR_HIT);
    assert_int_equal(t.cap.last_xlate.tlb, TR_STLB);
    assert_int_equal(tlb_hits(t.m->mmu.tlb->c[TLB_STLB]), 1);
    assert_int_equal(tst(&t, TLB_DTLB)->misses, 4);
    assert_int_equal(t.m->mmu.stats.walks, 3);
    /* INVLPG drops every PWC entry (SDM §4.10.4.1). */
    mmu_invlpg(t.m, 0x00403000);
    assert_int_equal(t.m->mmu.tlb->c[TLB_PWC]->valid, 0);
    tm_free(&t);
}

/* ---- bad specs through mmu_init ---- */

static void test_bad_specs(void **state)
{
    (void)state;
    struct tmach t;
    assert_false(tm_init(&t, "dtlb=64:3", NULL, true, err, sizeof err));
    assert_non_null(strstr(err, "dtlb=64:3"));
    assert_false(tm_init(&t, NULL, "memlat=x", true, err, sizeof err));
    assert_non_null(strstr(err, "memlat=x"));
    assert_null(strchr(err, '\n'));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_walk_4k),
        cmocka_unit_test(test_walk_4m),
        cmocka_unit_test(test_rsvd),
        cmocka_unit_test(test_perm_matrix_4k),
        cmocka_unit_test(test_perm_matrix_4m),
        cmocka_unit_test(test_not_present),
        cmocka_unit_test(test_dirty_assist),
        cmocka_unit_test(test_global_and_flushes),
        cmocka_unit_test(test_fault_drops_entry),
        cmocka_unit_test(test_cross_page),
        cmocka_unit_test(test_outside_ram),
        cmocka_unit_test(test_self_map),
        cmocka_unit_test(test_cycles),
        cmocka_unit_test(test_pwc_and_stlb),
        cmocka_unit_test(test_bad_specs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
