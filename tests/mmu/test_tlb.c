/* TLB model unit tests: each replacement policy on an eviction sequence with
 * a known answer, capacity vs conflict evictions, fractured large pages,
 * spec parsing and its errors. Drives mmu/tlb.c directly (no machine). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "mmu/tlb.h"

static char err[256];

/* A model with only a data-side 4 KiB TLB of GEOM and POLICY. */
static struct tlb_model *only_dtlb(const char *geom, const char *policy)
{
    struct tlb_config cfg;
    tlb_config_default(&cfg);
    char spec[128];
    snprintf(spec, sizeof spec, "itlb=0,iltlb=0,dltlb=0,dtlb=%s,policy=%s", geom, policy);
    if (!tlb_config_parse(&cfg, spec, err, sizeof err))
        fail_msg("%s", err);
    struct tlb_model *t = tlb_model_new(&cfg);
    assert_non_null(t);
    return t;
}

/* Access page number P (4 KiB pages): true on a hit; a miss fills. */
static bool touch(struct tlb_model *t, uint32_t page)
{
    struct tlb_ref r;
    uint32_t lin = page << 12;
    if (tlb_lookup(t, TLB_SIDE_DATA, lin, &r) != TLB_MISS)
        return true;
    tlb_fill(t, TLB_SIDE_DATA, lin, lin, TLBE_RW, &r);
    return false;
}

/* Run SEQ (page letters 'A'..): returns the hit/miss string, 'h' or 'm' per access. */
static void run(struct tlb_model *t, const char *seq, char *out)
{
    for (; *seq; seq++)
        *out++ = touch(t, (uint32_t)(*seq - 'A') * 4) ? 'h' : 'm';   /* *4: same set in any 4-set TLB */
    *out = 0;
}

static void expect_seq(const char *policy, const char *geom, const char *seq, const char *want)
{
    struct tlb_model *t = only_dtlb(geom, policy);
    char got[64];
    run(t, seq, got);
    if (strcmp(got, want))
        fail_msg("%s %s on %s: got %s, want %s", policy, geom, seq, got, want);
    tlb_model_free(t);
}

/* One 4-way set: fill A B C D, re-use A, bring E, then probe. */
static void test_lru(void **state)
{
    (void)state;
    /* E evicts B (least recently used); then B misses and evicts C. */
    expect_seq("lru", "4:4", "ABCDAEB" "C", "mmmmhmm" "m");
    expect_seq("lru", "4:4", "ABCDAEA" "D", "mmmmhmh" "h");
}

static void test_fifo(void **state)
{
    (void)state;
    /* The hit on A does not save it: E evicts A (first in), A then evicts B. */
    expect_seq("fifo", "4:4", "ABCDAEA" "B", "mmmmhmm" "m");
    expect_seq("fifo", "4:4", "ABCDAEC" "D", "mmmmhmh" "h");
}

static void test_plru(void **state)
{
    (void)state;
    /* Tree PLRU, ways filled 0..3 by A..D. After the hit on A (way 0) the
     * root points right and node 3 points at way 2 (C was touched before D):
     * E evicts C, where LRU would evict B. */
    expect_seq("plru", "4:4", "ABCDAEB" "C", "mmmmhmh" "m");
    /* Two ways: PLRU is exact LRU. */
    expect_seq("plru", "2:2", "ABACB", "mmhmm");
}

static void test_random(void **state)
{
    (void)state;
    /* Fixed seed: the same victims every run. Known answer recorded from
     * the model (xorshift32 from the default seed). */
    struct tlb_model *t = only_dtlb("4:4", "random");
    char got[64];
    run(t, "ABCDEFGHABCDEFGH", got);
    struct tlb_model *t2 = only_dtlb("4:4", "random");
    char got2[64];
    run(t2, "ABCDEFGHABCDEFGH", got2);
    assert_string_equal(got, got2);
    assert_string_equal(got, "mmmmmmmmhmmmmmhm");
    tlb_model_free(t);
    tlb_model_free(t2);
    /* Another seed, another answer. */
    struct tlb_config cfg;
    tlb_config_default(&cfg);
    assert_true(tlb_config_parse(&cfg, "itlb=0,iltlb=0,dltlb=0,dtlb=4:4,policy=random,seed=7", err, sizeof err));
    t = tlb_model_new(&cfg);
    run(t, "ABCDEFGHABCDEFGH", got2);
    assert_string_equal(got2, "mmmmmmmmmmmmmmmm");
    tlb_model_free(t);
}

/* Direct-mapped and fully associative, and the capacity/conflict split. */
static void test_geometry_and_evictions(void **state)
{
    (void)state;
    struct tlb_model *t = only_dtlb("4:1", "lru");
    /* Pages 0 and 4 share set 0 of a direct-mapped 4-entry TLB. */
    assert_false(touch(t, 0));
    assert_false(touch(t, 4));
    assert_false(touch(t, 0));
    const struct tlb_stats *s = &t->c[TLB_DTLB]->st;
    assert_int_equal(s->evict_conflict, 2);     /* 3 sets were empty */
    assert_int_equal(s->evict_capacity, 0);
    assert_false(touch(t, 1));
    assert_false(touch(t, 2));
    assert_false(touch(t, 3));                  /* now full */
    assert_false(touch(t, 7));                  /* evicts page 3: capacity */
    assert_int_equal(s->evict_capacity, 1);
    assert_int_equal(s->misses, 7);
    assert_int_equal(s->fills, 7);
    tlb_model_free(t);
    /* Fully associative: no conflict evictions ever. */
    t = only_dtlb("4:4", "lru");
    for (uint32_t p = 0; p < 40; p++)
        touch(t, p * 3);
    assert_int_equal(t->c[TLB_DTLB]->st.evict_conflict, 0);
    assert_int_equal(t->c[TLB_DTLB]->st.evict_capacity, 36);
    tlb_model_free(t);
}

/* A hit handle holds while its entry holds the page, and stops holding
 * when the entry is replaced or dropped. */
static void test_hit_handle(void **state)
{
    (void)state;
    struct tlb_model *t = only_dtlb("8:4", "lru");
    struct tlb_ref r, r2;
    struct tlb_hit h;
    tlb_fill(t, TLB_SIDE_DATA, 0x1000, 0x5000, TLBE_RW, &r);
    tlb_hit_make(&r, &h);
    tlb_fill(t, TLB_SIDE_DATA, 0x3000, 0x6000, TLBE_RW, &r2);    /* same set (set = page & 1) */
    assert_true(tlb_hit_valid(&h));         /* no longer the most recent way, still held */
    tlb_hit_record(&h, 3);
    assert_int_equal(tlb_hits(t->c[TLB_DTLB]), 3);
    tlb_invalidate_page(t, 0x1000, TLB_CAUSE_PAGE);
    assert_false(tlb_hit_valid(&h));
    tlb_model_free(t);
}

/* Hits recorded through handles leave every policy where tlb_lookup leaves
 * it: two models fed the same random stream, one looking every access up,
 * the other recording hits on pages it holds a valid handle for, agree on
 * every outcome and every counter. */
static void test_hit_handles_equal_lookups(void **state)
{
    (void)state;
    static const char *const geoms[] = { "8:4", "16:4", "4:1", "8:8", "64:4", "32:2" };
    static const char *const pols[] = { "lru", "plru", "fifo", "random" };
    for (unsigned g = 0; g < sizeof geoms / sizeof geoms[0]; g++)
        for (unsigned p = 0; p < 4; p++) {
            struct tlb_model *a = only_dtlb(geoms[g], pols[p]), *b = only_dtlb(geoms[g], pols[p]);
            struct tlb_hit h[64];
            memset(h, 0, sizeof h);
            static uint64_t zero = 0;
            for (unsigned k = 0; k < 64; k++) {
                h[k].mru = &zero;
                h[k].efill = &zero;
                h[k].fill = 1;      /* never valid until made */
            }
            uint32_t x = 12345;
            for (unsigned i = 0; i < 200000; i++) {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                uint32_t page = (x >> 8) % (i & 0x4000 ? 64 : 24);   /* phases of more and fewer pages */
                uint32_t lin = page << 12;
                struct tlb_ref r;
                bool ha = tlb_lookup(a, TLB_SIDE_DATA, lin, &r) != TLB_MISS;
                if (!ha)
                    tlb_fill(a, TLB_SIDE_DATA, lin, lin, TLBE_RW, &r);
                bool hb;
                if (tlb_hit_valid(&h[page])) {
                    tlb_hit_record(&h[page], 1);
                    hb = true;
                } else {
                    hb = tlb_lookup(b, TLB_SIDE_DATA, lin, &r) != TLB_MISS;
                    if (!hb)
                        tlb_fill(b, TLB_SIDE_DATA, lin, lin, TLBE_RW, &r);
                    tlb_hit_make(&r, &h[page]);
                }
                if (ha != hb)
                    fail_msg("%s %s: access %u (page %u): lookup %s, handles %s", pols[p], geoms[g], i, page,
                             ha ? "hit" : "miss", hb ? "hit" : "miss");
                if (x % 997 == 0) {     /* an INVLPG now and then */
                    tlb_invalidate_page(a, lin, TLB_CAUSE_PAGE);
                    tlb_invalidate_page(b, lin, TLB_CAUSE_PAGE);
                }
            }
            const struct tlb_stats *sa = &a->c[TLB_DTLB]->st, *sb = &b->c[TLB_DTLB]->st;
            assert_int_equal(tlb_hits(a->c[TLB_DTLB]), tlb_hits(b->c[TLB_DTLB]));
            assert_int_equal(sa->misses, sb->misses);
            assert_int_equal(sa->evict_capacity, sb->evict_capacity);
            assert_int_equal(sa->evict_conflict, sb->evict_conflict);
            tlb_model_free(a);
            tlb_model_free(b);
        }
}

/* Without a large-page TLB a 4 MiB page is cached as 4 KiB pieces; INVLPG
 * anywhere in the page drops them all. */
static void test_fractured(void **state)
{
    (void)state;
    struct tlb_model *t = only_dtlb("16:4", "lru");
    struct tlb_ref r;
    tlb_fill(t, TLB_SIDE_DATA, 0x00801000, 0x00C00000, TLBE_RW | TLBE_LARGE, &r);
    assert_int_equal(tlb_ref_entry(&r)->phys, 0x00C01000);
    tlb_fill(t, TLB_SIDE_DATA, 0x00BFF000, 0x00C00000, TLBE_RW | TLBE_LARGE, &r);
    assert_int_equal(tlb_ref_entry(&r)->phys, 0x00FFF000);
    tlb_fill(t, TLB_SIDE_DATA, 0x00402000, 0x00100000, TLBE_RW, &r);
    assert_int_equal(t->c[TLB_DTLB]->fractured, 2);
    assert_int_equal(tlb_invalidate_page(t, 0x00A00000, TLB_CAUSE_PAGE), 2);
    assert_int_equal(t->c[TLB_DTLB]->valid, 1);
    tlb_model_free(t);
}

static void test_flush_nonglobal(void **state)
{
    (void)state;
    struct tlb_model *t = only_dtlb("16:4", "lru");
    struct tlb_ref r;
    tlb_fill(t, TLB_SIDE_DATA, 0x1000, 0x1000, TLBE_RW | TLBE_G, &r);
    tlb_fill(t, TLB_SIDE_DATA, 0x2000, 0x2000, TLBE_RW, &r);
    assert_int_equal(tlb_flush_nonglobal(t), 1);
    assert_int_equal(tlb_lookup(t, TLB_SIDE_DATA, 0x1000, &r), TLB_HIT_L1);
    assert_int_equal(tlb_flush_all(t), 1);
    assert_int_equal(tlb_lookup(t, TLB_SIDE_DATA, 0x1000, &r), TLB_MISS);
    assert_int_equal(t->c[TLB_DTLB]->st.flushes[TLB_CAUSE_CR3], 1);
    assert_int_equal(t->c[TLB_DTLB]->st.dropped[TLB_CAUSE_ALL], 1);
    tlb_model_free(t);
}

/* ---- specs ---- */

static void spec_ok(const char *spec, const char *canonical)
{
    struct tlb_config cfg, again;
    tlb_config_default(&cfg);
    if (!tlb_config_parse(&cfg, spec, err, sizeof err))
        fail_msg("'%s' rejected: %s", spec, err);
    char buf[256], buf2[256];
    tlb_config_format(&cfg, buf, sizeof buf);
    if (canonical)
        assert_string_equal(buf, canonical);
    tlb_config_default(&again);
    assert_true(tlb_config_parse(&again, buf, err, sizeof err));
    tlb_config_format(&again, buf2, sizeof buf2);
    assert_string_equal(buf, buf2);
}

static void spec_bad(const char *spec, const char *names)
{
    struct tlb_config cfg;
    tlb_config_default(&cfg);
    err[0] = 0;
    if (tlb_config_parse(&cfg, spec, err, sizeof err))
        fail_msg("'%s' accepted", spec);
    if (!strstr(err, names))
        fail_msg("'%s': message '%s' does not name '%s'", spec, err, names);
    assert_null(strchr(err, '\n'));
    assert_int_equal(strncmp(err, "--tlb: ", 7), 0);
}

static void test_specs(void **state)
{
    (void)state;
    spec_ok("", "itlb=32:4,iltlb=2:2,dtlb=64:4,dltlb=8:4,policy=lru");
    spec_ok("itlb=32:4,dtlb=64:4,ltlb=8:8,policy=lru", "itlb=32:4,dtlb=64:4,ltlb=8:8,policy=lru");
    spec_ok("utlb=128:8,stlb=512:4,pwc=8,policy=plru", "iltlb=2:2,dltlb=8:4,utlb=128:8,stlb=512:4,pwc=8:8,policy=plru");
    spec_ok("dtlb=64:64", NULL);                          /* fully associative */
    spec_ok("dtlb=64:1,itlb=32:1", NULL);                 /* direct-mapped */
    spec_ok("dtlb=64:4:fifo,policy=random,seed=99", "itlb=32:4,iltlb=2:2,dtlb=64:4:fifo,dltlb=8:4,policy=random,seed=99");
    spec_ok("dltlb=0,iltlb=off", "itlb=32:4,iltlb=0,dtlb=64:4,dltlb=0,policy=lru");
    spec_ok("dtlb=6:6,policy=fifo", NULL);                /* 6 ways, one set: fine without plru */
    spec_bad("dtlb=64:3", "dtlb=64:3");
    spec_bad("dtlb=64", "dtlb=64");
    spec_bad("dtlb=x:4", "dtlb=x:4");
    spec_bad("dtlb=64:0", "dtlb=64:0");
    spec_bad("dtlb=96:32", "dtlb=96:32");                 /* 3 sets */
    spec_bad("dtlb=512:512", "dtlb=512:512");             /* too many ways */
    spec_bad("dtlb=64:4:mru", "dtlb=64:4:mru");
    spec_bad("xtlb=4:4", "xtlb");
    spec_bad("policy=lfu", "policy=lfu");
    spec_bad("seed=0", "seed=0");
    spec_bad("dtlb", "dtlb");
    spec_bad("itlb=4:4,itlb=8:8", "itlb");
    spec_bad("utlb=64:4,dtlb=64:4", "utlb");
    spec_bad("ltlb=8:8,dltlb=8:4", "ltlb");
    spec_bad("dtlb=6:6,policy=plru", "dtlb=6:6");
    spec_bad("dtlb=64:4,,itlb=4:4", "''");
}

static void test_costs(void **state)
{
    (void)state;
    struct tlb_costs c;
    tlb_costs_default(&c);
    assert_true(tlb_costs_parse(&c, "memlat=20,hit=1", err, sizeof err));
    assert_int_equal(c.memlat, 20);
    assert_int_equal(c.hit, 1);
    char buf[256];
    tlb_costs_format(&c, buf, sizeof buf);
    assert_non_null(strstr(buf, "memlat=20"));
    assert_false(tlb_costs_parse(&c, "memlat=20,speed=3", err, sizeof err));
    assert_non_null(strstr(err, "speed=3"));
    assert_false(tlb_costs_parse(&c, "hit=99999", err, sizeof err));
    assert_non_null(strstr(err, "hit=99999"));
    assert_false(tlb_costs_parse(&c, "hit", err, sizeof err));
    assert_int_equal(strncmp(err, "--cycles: ", 10), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lru),
        cmocka_unit_test(test_fifo),
        cmocka_unit_test(test_plru),
        cmocka_unit_test(test_random),
        cmocka_unit_test(test_geometry_and_evictions),
        cmocka_unit_test(test_hit_handle),
        cmocka_unit_test(test_hit_handles_equal_lookups),
        cmocka_unit_test(test_fractured),
        cmocka_unit_test(test_flush_nonglobal),
        cmocka_unit_test(test_specs),
        cmocka_unit_test(test_costs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
