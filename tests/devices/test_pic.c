/* 8259A pair driven through its ports, as a Linux-style kernel does. */
#include "devtest.h"

static void remap_and_deliver(void **state)
{
    struct machine *m = dt_machine(NULL);
    dt_pic_remap(m, 0x0002);        /* IRQ1 only */
    assert_int_equal(dt_in(m, 0x21), 0xF9);
    assert_int_equal(dt_in(m, 0xA1), 0xFF);
    assert_false(m->intr);
    pic_set_irq(m, 1, true);
    assert_true(m->intr);
    assert_int_equal(dt_take(m), 0x21);
    assert_false(m->intr);
    dt_out(m, 0x20, 0x0B);          /* OCW3: read ISR */
    assert_int_equal(dt_in(m, 0x20), 0x02);
    dt_out(m, 0x20, 0x20);          /* EOI */
    assert_int_equal(dt_in(m, 0x20), 0x00);
    /* The line is still high: no new edge, no new request. */
    assert_false(m->intr);
    pic_set_irq(m, 1, false);
    pic_set_irq(m, 1, true);
    assert_int_equal(dt_take(m), 0x21);
    machine_free(m);
}

static void masked_request_waits(void **state)
{
    struct machine *m = dt_machine(NULL);
    dt_pic_remap(m, 0);
    pic_set_irq(m, 3, true);
    assert_false(m->intr);
    dt_out(m, 0x20, 0x0A);          /* OCW3: read IRR */
    assert_int_equal(dt_in(m, 0x20), 0x08);
    dt_out(m, 0x21, 0xF3);          /* unmask IRQ3: the latched edge is delivered */
    assert_int_equal(dt_take(m), 0x23);
    machine_free(m);
}

static void priority_and_nesting(void **state)
{
    struct machine *m = dt_machine(NULL);
    dt_pic_remap(m, 0x00EA);       /* IRQ1, 3, 5, 6, 7 (IRQ0 and IRQ4 are driven by the PIT and UART) */
    pic_set_irq(m, 5, true);
    pic_set_irq(m, 3, true);
    assert_int_equal(dt_take(m), 0x23);     /* IRQ3 beats IRQ5 */
    assert_false(m->intr);                  /* IRQ5 waits: lower than IRQ3 in service */
    pic_set_irq(m, 1, true);
    assert_int_equal(dt_take(m), 0x21);     /* IRQ1 nests above IRQ3 */
    dt_out(m, 0x20, 0x20);                  /* EOI ends IRQ1 */
    assert_false(m->intr);
    dt_out(m, 0x20, 0x63);                  /* specific EOI for IRQ3 */
    assert_int_equal(dt_take(m), 0x25);
    dt_out(m, 0x20, 0x20);
    dt_out(m, 0x20, 0x0B);
    assert_int_equal(dt_in(m, 0x20), 0);
    machine_free(m);
}

static void cascade_through_slave(void **state)
{
    struct machine *m = dt_machine(NULL);
    dt_pic_remap(m, 1u << 14);
    pic_set_irq(m, 14, true);
    assert_true(m->intr);
    assert_int_equal(dt_take(m), 0x2E);
    dt_out(m, 0x20, 0x0B);
    dt_out(m, 0xA0, 0x0B);
    assert_int_equal(dt_in(m, 0x20), 0x04); /* IR2 in service on the master */
    assert_int_equal(dt_in(m, 0xA0), 0x40); /* IR6 on the slave */
    dt_eoi(m, 0x2E);
    assert_int_equal(dt_in(m, 0x20), 0);
    assert_int_equal(dt_in(m, 0xA0), 0);
    /* Masking the slave input (IMR of the slave) holds it back. */
    pic_set_irq(m, 14, false);
    dt_out(m, 0xA1, 0xFF);
    pic_set_irq(m, 14, true);
    assert_false(m->intr);
    dt_out(m, 0xA1, 0xBF);
    assert_int_equal(dt_take(m), 0x2E);
    machine_free(m);
}

static void spurious_when_request_vanishes(void **state)
{
    struct machine *m = dt_machine(NULL);
    dt_pic_remap(m, 0x0020 | 0x0800);
    /* IRQ5 and IRQ11 level-triggered through the ELCR. */
    dt_out(m, 0x4D0, 0x20);
    dt_out(m, 0x4D1, 0x08);
    assert_int_equal(dt_in(m, 0x4D0), 0x20);
    pic_set_irq(m, 5, true);
    assert_true(m->intr);
    pic_set_irq(m, 5, false);               /* gone before the acknowledge */
    assert_int_equal(machine_intr_ack(m), 0x27);    /* spurious IRQ7 */
    dt_out(m, 0x20, 0x0B);
    assert_int_equal(dt_in(m, 0x20), 0);    /* and nothing in service */
    pic_set_irq(m, 11, true);
    assert_true(m->intr);
    pic_set_irq(m, 11, false);
    /* The master latched IR2's edge; the slave has nothing: IRQ15. */
    assert_int_equal(machine_intr_ack(m), 0x2F);
    dt_out(m, 0x20, 0x0B);
    dt_out(m, 0xA0, 0x0B);
    assert_int_equal(dt_in(m, 0x20), 0x04);
    assert_int_equal(dt_in(m, 0xA0), 0x00);
    dt_out(m, 0x20, 0x20);
    assert_int_equal(m->dev.pic.spurious, 2);
    /* A level request that stays high is delivered again after EOI. */
    pic_set_irq(m, 5, true);
    assert_int_equal(dt_take(m), 0x25);
    dt_out(m, 0x20, 0x20);
    assert_int_equal(dt_take(m), 0x25);
    machine_free(m);
}

static void auto_eoi_and_rotation(void **state)
{
    struct machine *m = dt_machine(NULL);
    dt_out(m, 0x20, 0x13);          /* ICW1: single, ICW4 */
    dt_out(m, 0x21, 0x40);
    dt_out(m, 0x21, 0x03);          /* ICW4: AEOI, 8086 */
    dt_out(m, 0x21, 0x00);
    pic_set_irq(m, 4, true);
    assert_int_equal(dt_take(m), 0x44);
    dt_out(m, 0x20, 0x0B);
    assert_int_equal(dt_in(m, 0x20), 0);    /* auto-EOI: never in service */
    /* Rotation: set priority so IRQ4 is lowest, then IRQ5 beats IRQ3. */
    dt_out(m, 0x20, 0xC4);
    pic_set_irq(m, 3, true);
    pic_set_irq(m, 5, true);
    assert_int_equal(dt_take(m), 0x45);
    assert_int_equal(dt_take(m), 0x43);
    machine_free(m);
}

static void poll_mode(void **state)
{
    struct machine *m = dt_machine(NULL);
    dt_pic_remap(m, 0x00FF);
    dt_out(m, 0x20, 0x0C);          /* OCW3: poll */
    assert_int_equal(dt_in(m, 0x20), 0x00);
    pic_set_irq(m, 6, true);
    dt_out(m, 0x20, 0x0C);
    assert_int_equal(dt_in(m, 0x20), 0x86);
    dt_out(m, 0x20, 0x0B);
    assert_int_equal(dt_in(m, 0x20), 0x40);  /* the poll acknowledged it */
    machine_free(m);
}

static void special_mask_mode(void **state)
{
    struct machine *m = dt_machine(NULL);
    dt_pic_remap(m, 0x00FF);
    pic_set_irq(m, 1, true);
    assert_int_equal(dt_take(m), 0x21);
    pic_set_irq(m, 4, true);
    assert_false(m->intr);          /* blocked by IRQ1 in service */
    dt_out(m, 0x21, 0x02);          /* mask IRQ1 ... */
    dt_out(m, 0x20, 0x68);          /* ... and enter special mask mode */
    assert_int_equal(dt_take(m), 0x24);
    machine_free(m);
}

static void reinit_resets_edge_sense(void **state)
{
    struct machine *m = dt_machine(NULL);
    dt_pic_remap(m, 0x0008);
    pic_set_irq(m, 3, true);
    dt_pic_remap(m, 0x0008);        /* ICW1 clears IRR; the input is still high */
    assert_false(m->intr);
    pic_set_irq(m, 3, false);
    pic_set_irq(m, 3, true);
    assert_int_equal(dt_take(m), 0x23);
    machine_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(remap_and_deliver),
        cmocka_unit_test(masked_request_waits),
        cmocka_unit_test(priority_and_nesting),
        cmocka_unit_test(cascade_through_slave),
        cmocka_unit_test(spurious_when_request_vanishes),
        cmocka_unit_test(auto_eoi_and_rotation),
        cmocka_unit_test(poll_mode),
        cmocka_unit_test(special_mask_mode),
        cmocka_unit_test(reinit_resets_edge_sense),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
