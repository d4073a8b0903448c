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

    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    devices_summary(m, f);
    fclose(f);
    assert_non_null(strstr(text, "annotations:  2 good (evict 1, mark 1), 7 bad (last: a 2-byte OUT"));
    assert_null(strstr(text, "disk:"));             /* devices that did nothing are quiet */
    assert_null(strstr(text, "serial:"));
    free(text);
    machine_free(m);
}

static void quiet_summary_when_idle(void **state)
{
    struct machine *m = dt_machine(NULL);
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    devices_summary(m, f);
    fclose(f);
    assert_int_equal(len, 0);
    free(text);
    machine_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(good_and_bad_records),
        cmocka_unit_test(quiet_summary_when_idle),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
