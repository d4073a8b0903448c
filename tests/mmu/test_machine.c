/* The MMU inside whole machines (emu/machine.c): --tlb and --cycles errors
 * reach machine_new's caller as one line, --no-fastpath reaches the MMU, and
 * two machines in one process keep separate TLBs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "emu/machine.h"

static void wr32(struct machine *m, uint32_t pa, uint32_t v) { memcpy(m->bus.ram + pa, &v, 4); }

static void test_bad_spec(void **state)
{
    (void)state;
    char err[256] = "";
    struct vm_options opt = { .mem = 16u << 20, .tlb = "itlb=32:4,dtlb=64:3" };
    assert_null(machine_new(&opt, err, sizeof err));
    assert_non_null(strstr(err, "dtlb=64:3"));
    assert_null(strchr(err, '\n'));
    struct vm_options opt2 = { .mem = 16u << 20, .cycles = "memlat=-1" };
    err[0] = 0;
    assert_null(machine_new(&opt2, err, sizeof err));
    assert_non_null(strstr(err, "memlat=-1"));
}

static void map(struct machine *m)
{
    wr32(m, 0x10000 + 4, 0x11000 | 3);              /* 0x00400000: table at 0x11000 */
    for (uint32_t i = 0; i < 16; i++)
        wr32(m, 0x11000 + i * 4, (0x200000 + i * 4096) | 3);
    mmu_set_cr3(m, 0x10000);
    mmu_set_cr0(m, CR0_PE | CR0_PG);
}

static void test_two_machines(void **state)
{
    (void)state;
    char err[256];
    struct vm_options a = { .mem = 16u << 20 };
    struct vm_options b = { .mem = 16u << 20, .tlb = "dtlb=2:2", .no_fastpath = true };
    struct machine *ma = machine_new(&a, err, sizeof err);
    struct machine *mb = machine_new(&b, err, sizeof err);
    assert_non_null(ma);
    assert_non_null(mb);
    assert_true(ma->mmu.fastpath);
    assert_false(mb->mmu.fastpath);
    map(ma);
    map(mb);
    for (int round = 0; round < 3; round++)
        for (uint32_t i = 0; i < 4; i++) {
            uint32_t v;
            assert_true(mmu_read(ma, 0x00400000 + i * 4096, 4, MMU_READ, 0, &v));
            assert_true(mmu_read(mb, 0x00400000 + i * 4096, 4, MMU_READ, 0, &v));
        }
    mmu_sync_stats(ma);
    mmu_sync_stats(mb);
    const struct tlb_stats *sa = &ma->mmu.tlb->c[TLB_DTLB]->st, *sb = &mb->mmu.tlb->c[TLB_DTLB]->st;
    assert_int_equal(sa->misses, 4);
    assert_int_equal(tlb_hits(ma->mmu.tlb->c[TLB_DTLB]), 8);
    assert_int_equal(sb->misses, 12);               /* 4 pages cycling through 2 entries */
    assert_int_equal(tlb_hits(mb->mmu.tlb->c[TLB_DTLB]), 0);
    machine_free(ma);
    machine_free(mb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bad_spec),
        cmocka_unit_test(test_two_machines),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
