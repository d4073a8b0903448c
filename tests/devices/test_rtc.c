/* CMOS RTC: the date from --rtc-base plus virtual time, BCD and binary,
 * 12/24 hours, setting the clock, UIP, periodic and update interrupts on
 * IRQ8, and the NVRAM bytes a BIOS would leave. */
#include "devtest.h"

static uint8_t cmos(struct machine *m, uint8_t reg)
{
    dt_out(m, 0x70, reg);
    return dt_in(m, 0x71);
}

static void cmos_set(struct machine *m, uint8_t reg, uint8_t v)
{
    dt_out(m, 0x70, reg);
    dt_out(m, 0x71, v);
}

static void default_date(void **state)
{
    struct machine *m = dt_machine(NULL);
    /* 2000-01-01 00:00:00 UTC, a Saturday, in BCD with 24 hours. */
    assert_int_equal(cmos(m, 0x0B), 0x02);
    assert_int_equal(cmos(m, 0x00), 0x00);
    assert_int_equal(cmos(m, 0x04), 0x00);
    assert_int_equal(cmos(m, 0x06), 7);
    assert_int_equal(cmos(m, 0x07), 0x01);
    assert_int_equal(cmos(m, 0x08), 0x01);
    assert_int_equal(cmos(m, 0x09), 0x00);
    assert_int_equal(cmos(m, 0x32), 0x20);
    assert_int_equal(cmos(m, 0x0A), 0x26);
    assert_int_equal(cmos(m, 0x0D), 0x80);
    dt_run_ns(m, 3723ull * 1000000000);     /* 1 h 2 min 3 s later */
    assert_int_equal(cmos(m, 0x00), 0x03);
    assert_int_equal(cmos(m, 0x02), 0x02);
    assert_int_equal(cmos(m, 0x04), 0x01);
    machine_free(m);
}

static void base_binary_12h(void **state)
{
    /* 2024-02-29 23:59:58 UTC, a Thursday. */
    struct vm_options opt = { .rtc_base = 1709251198 };
    struct machine *m = dt_machine(&opt);
    assert_int_equal(cmos(m, 0x09), 0x24);
    assert_int_equal(cmos(m, 0x08), 0x02);
    assert_int_equal(cmos(m, 0x07), 0x29);
    assert_int_equal(cmos(m, 0x06), 5);
    assert_int_equal(cmos(m, 0x04), 0x23);
    cmos_set(m, 0x0B, 0x04);                /* binary, 12 hours */
    assert_int_equal(cmos(m, 0x04), 0x80 | 11); /* 11 PM */
    assert_int_equal(cmos(m, 0x02), 59);
    dt_run_ns(m, 2000000000);               /* into March */
    assert_int_equal(cmos(m, 0x08), 3);
    assert_int_equal(cmos(m, 0x07), 1);
    assert_int_equal(cmos(m, 0x06), 6);
    assert_int_equal(cmos(m, 0x04), 12);        /* 12 AM */
    machine_free(m);
}

static void set_the_clock(void **state)
{
    struct machine *m = dt_machine(NULL);
    cmos_set(m, 0x0B, 0x82);                /* SET, BCD, 24 h */
    cmos_set(m, 0x00, 0x30);
    cmos_set(m, 0x02, 0x45);
    cmos_set(m, 0x04, 0x23);
    cmos_set(m, 0x07, 0x31);
    cmos_set(m, 0x08, 0x12);
    cmos_set(m, 0x09, 0x99);
    cmos_set(m, 0x32, 0x19);
    dt_run_ns(m, 5000000000ull);            /* frozen while SET */
    assert_int_equal(cmos(m, 0x00), 0x30);
    cmos_set(m, 0x0B, 0x02);
    dt_run_ns(m, 31000000000ull);
    assert_int_equal(cmos(m, 0x00), 0x01);
    assert_int_equal(cmos(m, 0x02), 0x46);
    dt_run_ns(m, 15ull * 60 * 1000000000);  /* past midnight: 2000-01-01 */
    assert_int_equal(cmos(m, 0x09), 0x00);
    assert_int_equal(cmos(m, 0x32), 0x20);
    assert_int_equal(cmos(m, 0x08), 0x01);
    machine_free(m);
}

static void update_in_progress(void **state)
{
    struct machine *m = dt_machine(NULL);
    assert_int_equal(cmos(m, 0x0A) & 0x80, 0);
    dt_run_ns(m, 999800000);                /* 200 us before the second */
    assert_int_equal(cmos(m, 0x0A) & 0x80, 0x80);
    assert_int_equal(cmos(m, 0x00), 0x00);
    dt_run_ns(m, 300000);
    assert_int_equal(cmos(m, 0x0A) & 0x80, 0);
    assert_int_equal(cmos(m, 0x00), 0x01);
    machine_free(m);
}

static void periodic_interrupt(void **state)
{
    struct machine *m = dt_machine(NULL);
    dt_pic_remap(m, 1u << 8);
    cmos_set(m, 0x0A, 0x26);                /* 1024 Hz */
    cmos(m, 0x0C);
    cmos_set(m, 0x0B, 0x42);                /* PIE */
    unsigned irqs = 0;
    uint64_t end = m->clock.cycles + clock_ns_to_cycles(&m->clock, 1000000000);
    while (m->clock.cycles < end) {
        dt_run_until(m, m->clock.next < end ? m->clock.next : end);
        int v = dt_take(m);
        if (v < 0)
            continue;
        assert_int_equal(v, 0x28);
        assert_int_equal(cmos(m, 0x0C) & 0xC0, 0xC0);   /* IRQF, PF; the read ends it */
        dt_eoi(m, v);
        irqs++;
    }
    assert_true(irqs >= 1023 && irqs <= 1024);
    /* Update-ended interrupt: once a second. */
    cmos_set(m, 0x0B, 0x12);
    cmos(m, 0x0C);
    irqs = 0;
    end = m->clock.cycles + clock_ns_to_cycles(&m->clock, 3000000000ull);
    while (m->clock.cycles < end) {
        dt_run_until(m, m->clock.next < end ? m->clock.next : end);
        int v = dt_take(m);
        if (v < 0)
            continue;
        assert_int_equal(cmos(m, 0x0C) & 0x90, 0x90);
        dt_eoi(m, v);
        irqs++;
    }
    assert_int_equal(irqs, 3);
    /* Nothing enabled: no clock events are kept. */
    cmos_set(m, 0x0B, 0x02);
    cmos(m, 0x0C);
    assert_int_equal(m->clock.t[m->dev.rtc.timer].when, CLOCK_NEVER);
    machine_free(m);
}

static void nvram(void **state)
{
    struct vm_options opt = { .mem = 32u << 20 };
    struct machine *m = dt_machine(&opt);
    assert_int_equal(cmos(m, 0x15) | cmos(m, 0x16) << 8, 640);
    assert_int_equal(cmos(m, 0x17) | cmos(m, 0x18) << 8, 31744);
    assert_int_equal(cmos(m, 0x30) | cmos(m, 0x31) << 8, 31744);
    assert_int_equal(cmos(m, 0x34) | cmos(m, 0x35) << 8, 256);
    cmos_set(m, 0x50, 0xA5);
    assert_int_equal(cmos(m, 0x50), 0xA5);
    assert_int_equal(dt_in(m, 0x70), 0xFF);
    machine_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(default_date),
        cmocka_unit_test(base_binary_12h),
        cmocka_unit_test(set_the_clock),
        cmocka_unit_test(update_in_progress),
        cmocka_unit_test(periodic_interrupt),
        cmocka_unit_test(nvram),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
