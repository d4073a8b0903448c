/* The annotation port: records validated against trace/annot.h, counted,
 * and never able to stop the run; the summary lines of the devices. */
#include "devtest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void put_record(struct machine *m, uint32_t addr, uint16_t kind, uint16_t size, uint32_t pid)
{
    uint8_t hdr[8] = { (uint8_t)kind, (uint8_t)(kind >> 8), (uint8_t)size, (uint8_t)(size >> 8),
                       (uint8_t)pid, (uint8_t)(pid >> 8), (uint8_t)(pid >> 16), (uint8_t)(pid >> 24) };
    bus_copy_in(m, addr, hdr, sizeof hdr);
}

/* The devices' end-of-run summary (free it). */
static char *summary_text(struct machine *m)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    devices_summary(m, f);
    fclose(f);
    return text;
}

static void good_and_bad_records(void **state)
{
    struct machine *m = dt_machine(NULL);
    struct annot_evict ev = { { ANNOT_EVICT, sizeof ev, 7 }, 0x8048, 0x123, 5, 1 };
    bus_copy_in(m, 0x10000, &ev, sizeof ev);
    dt_outl(m, ANNOT_PORT, 0x10000);
    put_record(m, 0x20000, ANNOT_MARK, 12, 1);
    dt_outl(m, ANNOT_PORT, 0x20000);
    assert_int_equal(m->dev.annot.good, 2);
    assert_int_equal(m->dev.annot.by_kind[ANNOT_EVICT], 1);
    assert_int_equal(m->dev.annot.by_kind[ANNOT_MARK], 1);
    assert_int_equal(m->dev.annot.bad, 0);

    put_record(m, 0x30000, ANNOT_EVICT, 20, 1);     /* wrong size for its kind */
    dt_outl(m, ANNOT_PORT, 0x30000);
    put_record(m, 0x30000, 0, 8, 1);                /* kind 0 */
    dt_outl(m, ANNOT_PORT, 0x30000);
    put_record(m, 0x30000, ANNOT_KIND_COUNT, 8, 1); /* not a kind yet */
    dt_outl(m, ANNOT_PORT, 0x30000);
    dt_outl(m, ANNOT_PORT, 0xFFFFFFF0);             /* not in RAM */
    put_record(m, (16u << 20) - 8, ANNOT_MARK, 12, 1);  /* runs out of RAM */
    dt_outl(m, ANNOT_PORT, (16u << 20) - 8);
    dt_out(m, ANNOT_PORT, 0x00);                    /* a byte OUT */
    bus_out(m, ANNOT_PORT, 2, 0x1000);              /* a word OUT */
    assert_int_equal(m->dev.annot.good, 2);
    assert_int_equal(m->dev.annot.bad, 7);
    assert_int_equal(m->stop, STOP_NONE);
    assert_int_equal(bus_in(m, ANNOT_PORT, 4), 0xFFFFFFFF);

    char *text = summary_text(m);
    assert_non_null(strstr(text, "annotations:  2 good (evict 1, mark 1), 7 bad (last: a 2-byte OUT"));
    assert_null(strstr(text, "disk:"));             /* devices that did nothing are quiet */
    assert_null(strstr(text, "serial:"));
    free(text);
    machine_free(m);
}

/* Kinds 15-29 (DESIGN.md's table): each accepted at its exact size and
 * rejected 4 bytes shorter or longer; the summary names them as the trace
 * tools do (trace/annot_desc.h). */
static void new_kinds_exact_sizes(void **state)
{
    static const struct { uint16_t kind, size; } k[] = {
        { ANNOT_LRU_MOVE, 16 }, { ANNOT_RECLAIM, 24 }, { ANNOT_KSWAPD, 16 }, { ANNOT_MAJOR_FAULT, 16 },
        { ANNOT_SWAP_FREE, 12 }, { ANNOT_COW_REUSE, 16 }, { ANNOT_STACK_GROW, 12 }, { ANNOT_FRAME_ALLOC, 20 },
        { ANNOT_FRAME_FREE, 16 }, { ANNOT_PCACHE_HIT, 20 }, { ANNOT_FILE_FAULT, 24 }, { ANNOT_COMM, 24 },
        { ANNOT_NOSYS, 12 }, { ANNOT_VMA_MAP, 20 }, { ANNOT_VMA_UNMAP, 16 },
    };
    struct machine *m = dt_machine(NULL);
    uint64_t bad = 0;
    for (size_t i = 0; i < sizeof k / sizeof k[0]; i++) {
        put_record(m, 0x10000, k[i].kind, k[i].size, 3);
        dt_outl(m, ANNOT_PORT, 0x10000);
        assert_int_equal(m->dev.annot.by_kind[k[i].kind], 1);
        put_record(m, 0x10000, k[i].kind, (uint16_t)(k[i].size - 4), 3);
        dt_outl(m, ANNOT_PORT, 0x10000);
        put_record(m, 0x10000, k[i].kind, (uint16_t)(k[i].size + 4), 3);
        dt_outl(m, ANNOT_PORT, 0x10000);
        bad += 2;
        assert_int_equal(m->dev.annot.bad, bad);
        assert_int_equal(m->dev.annot.by_kind[k[i].kind], 1);
        assert_non_null(strstr(m->dev.annot.last_bad, "size"));
    }
    assert_int_equal(m->dev.annot.good, 15);
    assert_int_equal(ANNOT_VMA_UNMAP + 1, ANNOT_KIND_COUNT);

    char *text = summary_text(m);
    assert_non_null(strstr(text, "annotations:  15 good (lru-move 1, reclaim 1, kswapd 1, major-fault 1, "
                                 "swap-free 1, cow-reuse 1, stack-grow 1, frame-alloc 1, frame-free 1, "
                                 "pcache-hit 1, file-fault 1, comm 1, nosys 1, vma-map 1, vma-unmap 1), 30 bad"));
    free(text);
    machine_free(m);
}

/* The summary's names are the trace tools' (one table): a proc-create, a
 * ctx-switch, a cow-copy and a swap-cache-hit. */
static void summary_names(void **state)
{
    struct machine *m = dt_machine(NULL);
    static const struct { uint16_t kind, size; } k[] = {
        { ANNOT_PROC_CREATE, 28 }, { ANNOT_CTX_SWITCH, 12 }, { ANNOT_COW_COPY, 20 }, { ANNOT_SWAP_CACHE_HIT, 16 },
    };
    for (size_t i = 0; i < sizeof k / sizeof k[0]; i++) {
        put_record(m, 0x10000, k[i].kind, k[i].size, 1);
        dt_outl(m, ANNOT_PORT, 0x10000);
    }
    char *text = summary_text(m);
    assert_non_null(strstr(text, "annotations:  4 good (proc-create 1, ctx-switch 1, cow-copy 1, swap-cache-hit 1), "
                                 "0 bad\n"));
    free(text);
    machine_free(m);
}

static void quiet_summary_when_idle(void **state)
{
    struct machine *m = dt_machine(NULL);
    char *text = summary_text(m);
    assert_string_equal(text, "");
    free(text);
    machine_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(good_and_bad_records),
        cmocka_unit_test(new_kinds_exact_sizes),
        cmocka_unit_test(summary_names),
        cmocka_unit_test(quiet_summary_when_idle),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
