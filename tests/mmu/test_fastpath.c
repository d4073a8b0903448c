/* The fast path never lies: the same workload with the fast path on and off
 * gives identical statistics, cycles, trace records, values and memory,
 * under every policy and several geometries (tests/bench/mmu_fastpath.sh
 * runs the same comparison at 10^8 accesses). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <cmocka.h>

#include "tests/mmu/workload.h"

static void compare(const char *spec, uint64_t n, uint64_t seed, bool has_l1)
{
    char err[256];
    struct tmach a, b;
    struct wl_result ra, rb;
    assert_true(tm_init(&a, spec, NULL, true, err, sizeof err));
    assert_true(tm_init(&b, spec, NULL, false, err, sizeof err));
    wl_hook_m[0] = a.m;
    wl_hook_m[1] = b.m;
    wl_hook_calls[0] = wl_hook_calls[1] = 0;
    wl_setup(&a);
    wl_setup(&b);
    wl_run(&a, n, seed, &ra);
    wl_run(&b, n, seed, &rb);
    if (!wl_same(&ra, &rb))
        fail_msg("%s: fast path and model differ (translations %llu/%llu, cycles %llu/%llu, "
                 "trace %llu/%llu)", spec, (unsigned long long)ra.stats.translations,
                 (unsigned long long)rb.stats.translations, (unsigned long long)ra.cycles,
                 (unsigned long long)rb.cycles, (unsigned long long)ra.trace_records,
                 (unsigned long long)rb.trace_records);
    /* The workload must exercise what it claims to. */
    if (has_l1)
        assert_true(ra.fast_hits > n / 4);
    else
        assert_int_equal(ra.fast_hits, 0);     /* the fast path mirrors first-level entries only */
    assert_int_equal(rb.fast_hits, 0);
    assert_true(ra.stats.faults > 0);
    assert_true(ra.stats.assists > 0);
    assert_true(ra.smc_calls > 0);
    assert_true(ra.stats.unpaged == 0);
    tm_free(&a);
    tm_free(&b);
}

static void test_default(void **state) { (void)state; compare(NULL, 400000, 1, true); }
static void test_plru(void **state) { (void)state; compare("policy=plru,stlb=64:4,pwc=4", 300000, 2, true); }
static void test_fifo(void **state) { (void)state; compare("policy=fifo,utlb=16:2,ltlb=2:2", 300000, 3, true); }
static void test_random(void **state) { (void)state; compare("policy=random,seed=5,dtlb=8:1,itlb=4:4", 300000, 4, true); }
static void test_fractured(void **state) { (void)state; compare("dltlb=0,iltlb=0,stlb=32:32", 300000, 5, true); }
static void test_no_l1(void **state) { (void)state; compare("itlb=0,dtlb=0,iltlb=0,dltlb=0,stlb=16:4", 100000, 6, false); }

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default),
        cmocka_unit_test(test_plru),
        cmocka_unit_test(test_fifo),
        cmocka_unit_test(test_random),
        cmocka_unit_test(test_fractured),
        cmocka_unit_test(test_no_l1),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
