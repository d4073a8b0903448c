/* 8254 PIT driven through its ports: a 100 Hz system tick in modes 2 and 3,
 * latches and read-back, and channel 2 through port 0x61 the way Linux
 * calibrates its delay loop. */
#include "devtest.h"

#define LATCH_100HZ 11932   /* (1193182 + 50) / 100 */

static void pit_program(struct machine *m, unsigned ch, unsigned mode, unsigned count)
{
    dt_out(m, 0x43, (uint8_t)(ch << 6 | 0x30 | mode << 1));    /* LSB then MSB, binary */
    dt_out(m, (uint16_t)(0x40 + ch), (uint8_t)count);
    dt_out(m, (uint16_t)(0x40 + ch), (uint8_t)(count >> 8));
}

/* Run for NS of virtual time taking every interrupt at once; count timer ticks. */
static unsigned count_ticks(struct machine *m, uint64_t ns)
{
    uint64_t end = m->clock.cycles + clock_ns_to_cycles(&m->clock, ns);
    unsigned ticks = 0;
    while (m->clock.cycles < end) {
        uint64_t next = m->clock.next < end ? m->clock.next : end;
        dt_run_until(m, next);
        int v;
        while ((v = dt_take(m)) >= 0) {
            assert_int_equal(v, 0x20);
            ticks++;
            dt_eoi(m, v);
        }
    }
    return ticks;
}

static void tick_100hz(void **state, unsigned mode)
{
    struct machine *m = dt_machine(NULL);
    dt_pic_remap(m, 0x0001);
    pit_program(m, 0, mode, LATCH_100HZ);
    /* 1193182 ticks in a second; the first edge is one period after the load. */
    assert_int_equal(count_ticks(m, 1000000000), 99);
    assert_int_equal(count_ticks(m, 1000000000), 100);
    assert_int_equal(count_ticks(m, 5000000000ull), 500);
    machine_free(m);
}

static void tick_100hz_mode2(void **state) { tick_100hz(state, 2); }
static void tick_100hz_mode3(void **state) { tick_100hz(state, 3); }

static void tick_other_cpu_speed(void **state)
{
    struct vm_options opt = { .cpu_mhz = 33 };
    struct machine *m = dt_machine(&opt);
    dt_pic_remap(m, 0x0001);
    pit_program(m, 0, 2, LATCH_100HZ);
    assert_int_equal(count_ticks(m, 2000000000), 199);
    machine_free(m);
}

static uint16_t read_latched(struct machine *m, unsigned ch)
{
    dt_out(m, 0x43, (uint8_t)(ch << 6));          /* counter latch */
    uint8_t lo = dt_in(m, (uint16_t)(0x40 + ch));
    uint8_t hi = dt_in(m, (uint16_t)(0x40 + ch));
    return (uint16_t)(hi << 8 | lo);
}

static void latch_counts_down(void **state)
{
    struct machine *m = dt_machine(NULL);
    pit_program(m, 0, 2, 10000);
    uint16_t a = read_latched(m, 0);
    assert_int_equal(a, 10000);
    dt_run_ns(m, 1000000);                      /* 1 ms = 1193 ticks */
    uint16_t b = read_latched(m, 0);
    assert_int_equal(b, 10000 - 1193);
    /* The latch holds while time passes. */
    dt_out(m, 0x43, 0x00);
    dt_run_ns(m, 1000000);
    uint8_t lo = dt_in(m, 0x40);               /* two statements: the order of reads matters */
    uint8_t hi = dt_in(m, 0x40);
    assert_int_equal(hi << 8 | lo, 10000 - 1193);
    /* Mode 3 counts by two. */
    pit_program(m, 0, 3, 1000);
    dt_run_ns(m, 10000);                        /* 11.9 ticks: 11 or 12 by phase */
    uint16_t c3 = read_latched(m, 0);
    assert_true(c3 == 1000 - 22 || c3 == 1000 - 24);
    machine_free(m);
}

static void readback_status(void **state)
{
    struct machine *m = dt_machine(NULL);
    /* Reset state: channel 0 in mode 2, LSB/MSB, as the BIOS leaves it. */
    dt_out(m, 0x43, 0xE2);                      /* read-back: status of channel 0 */
    assert_int_equal(dt_in(m, 0x40) & 0x3F, 0x34);
    dt_out(m, 0x43, 0x34);
    dt_out(m, 0x43, 0xE2);
    assert_int_equal(dt_in(m, 0x40), 0x80 | 0x40 | 0x34);  /* out high, null count */
    dt_out(m, 0x40, 0x10);
    dt_out(m, 0x40, 0x00);
    dt_run_ns(m, 2000);
    /* Status and count together: status first, then the count. */
    dt_out(m, 0x43, 0xC2);
    assert_int_equal(dt_in(m, 0x40), 0x80 | 0x34);
    uint8_t vlo = dt_in(m, 0x40);
    uint8_t vhi = dt_in(m, 0x40);
    uint16_t v = (uint16_t)(vhi << 8 | vlo);
    assert_true(v < 0x10 && v > 0);
    machine_free(m);
}

static void lsb_only_and_bcd(void **state)
{
    struct machine *m = dt_machine(NULL);
    dt_out(m, 0x43, 0x90);                      /* channel 2, LSB only, mode 0 */
    dt_out(m, 0x42, 200);
    dt_out(m, 0x61, 0x01);                      /* gate high */
    assert_int_equal(dt_in(m, 0x42), 200);
    dt_run_ns(m, 83800);                        /* 99.99 ticks: 99 or 100 by phase */
    uint8_t c0 = dt_in(m, 0x42);
    assert_true(c0 == 100 || c0 == 101);
    dt_out(m, 0x43, 0xB7);                      /* channel 2, LSB/MSB, mode 3, BCD */
    dt_out(m, 0x42, 0x34);
    dt_out(m, 0x42, 0x12);                      /* 1234 */
    assert_int_equal(read_latched(m, 2), 0x1234);
    machine_free(m);
}

/* Linux's calibrate_tsc/mach_countup: gate channel 2, mode 0, wait for OUT. */
static void channel2_gate_and_out(void **state)
{
    struct machine *m = dt_machine(NULL);
    dt_out(m, 0x61, (uint8_t)((dt_in(m, 0x61) & ~0x02) | 0x01));
    dt_out(m, 0x43, 0xB0);                      /* channel 2, LSB/MSB, mode 0 */
    dt_out(m, 0x42, 0x9C);
    dt_out(m, 0x42, 0x2E);                      /* 11932: 10 ms */
    assert_int_equal(dt_in(m, 0x61) & 0x20, 0);
    dt_run_ns(m, 9990000);
    assert_int_equal(dt_in(m, 0x61) & 0x20, 0);
    dt_run_ns(m, 20000);
    assert_int_equal(dt_in(m, 0x61) & 0x20, 0x20);
    /* Gate low stops mode 0; gate high resumes. */
    dt_out(m, 0x43, 0xB0);
    dt_out(m, 0x42, 0x00);
    dt_out(m, 0x42, 0x10);                      /* 4096 */
    dt_run_ns(m, 838 * 96);                     /* ~96 ticks */
    dt_out(m, 0x61, 0x00);
    uint16_t held = read_latched(m, 2);
    dt_run_ns(m, 1000000);
    assert_int_equal(read_latched(m, 2), held);
    dt_out(m, 0x61, 0x01);
    dt_run_ns(m, 838 * 10);
    assert_true(read_latched(m, 2) < held);
    /* The refresh bit toggles with virtual time. */
    unsigned toggles = 0;
    uint8_t last = dt_in(m, 0x61) & 0x10;
    for (int i = 0; i < 100; i++) {
        dt_run_ns(m, 15085);
        uint8_t now = dt_in(m, 0x61) & 0x10;
        toggles += now != last;
        last = now;
    }
    assert_true(toggles >= 95);
    machine_free(m);
}

static void mode0_interrupt_once(void **state)
{
    struct machine *m = dt_machine(NULL);
    dt_pic_remap(m, 0x0001);
    dt_out(m, 0x43, 0x30);                      /* channel 0, mode 0 */
    dt_out(m, 0x40, 0xE8);
    dt_out(m, 0x40, 0x03);                      /* 1000 ticks */
    assert_int_equal(count_ticks(m, 800000), 0);
    assert_int_equal(count_ticks(m, 100000000), 1);
    machine_free(m);
}

static void deterministic(void **state)
{
    uint16_t seen[2][50];
    for (int k = 0; k < 2; k++) {
        struct machine *m = dt_machine(NULL);
        pit_program(m, 0, 3, 5000);
        for (int i = 0; i < 50; i++) {
            dt_run_until(m, m->clock.cycles + 12345 + (uint64_t)i * 77);
            seen[k][i] = read_latched(m, 0);
        }
        machine_free(m);
    }
    assert_memory_equal(seen[0], seen[1], sizeof seen[0]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(tick_100hz_mode2),
        cmocka_unit_test(tick_100hz_mode3),
        cmocka_unit_test(tick_other_cpu_speed),
        cmocka_unit_test(latch_counts_down),
        cmocka_unit_test(readback_status),
        cmocka_unit_test(lsb_only_and_bcd),
        cmocka_unit_test(channel2_gate_and_out),
        cmocka_unit_test(mode0_interrupt_once),
        cmocka_unit_test(deterministic),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
