/* Helpers for device unit tests: build a machine without a kernel and play
 * the CPU's part (advance virtual time, take interrupts, do port I/O). */
#ifndef VMSCOPE_TESTS_DEVICES_DEVTEST_H
#define VMSCOPE_TESTS_DEVICES_DEVTEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "emu/machine.h"

/* A machine with 16 MiB and no kernel; OPT may set devices' options. The
 * UART reads no stdin unless the test asks for it. */
static inline struct machine *dt_machine(struct vm_options *opt)
{
    struct vm_options def = {0};
    if (!opt)
        opt = &def;
    if (!opt->mem)
        opt->mem = 16u << 20;
    if (!opt->input_string && !opt->input_file)
        opt->input_string = "";
    char err[256] = "";
    struct machine *m = machine_new(opt, err, sizeof err);
    if (!m)
        fail_msg("machine_new: %s", err);
    return m;
}

static inline uint8_t dt_in(struct machine *m, uint16_t port) { return (uint8_t)bus_in(m, port, 1); }
static inline uint16_t dt_inw(struct machine *m, uint16_t port) { return (uint16_t)bus_in(m, port, 2); }
static inline void dt_out(struct machine *m, uint16_t port, uint8_t v) { bus_out(m, port, 1, v); }
static inline void dt_outw(struct machine *m, uint16_t port, uint16_t v) { bus_out(m, port, 2, v); }
static inline void dt_outl(struct machine *m, uint16_t port, uint32_t v) { bus_out(m, port, 4, v); }

/* Advance virtual time to cycle TARGET, firing every clock event on its
 * own cycle, as the run loop does. */
static inline void dt_run_until(struct machine *m, uint64_t target)
{
    while (m->clock.next <= target) {
        if (m->clock.next > m->clock.cycles)
            m->clock.cycles = m->clock.next;
        clock_run_due(m, &m->clock);
    }
    if (target > m->clock.cycles)
        m->clock.cycles = target;
}

static inline void dt_run_ns(struct machine *m, uint64_t ns)
{
    dt_run_until(m, m->clock.cycles + clock_ns_to_cycles(&m->clock, ns));
}

/* The interrupt acknowledge the CPU would do now: the vector, or -1 when
 * INTR is low. */
static inline int dt_take(struct machine *m)
{
    if (!m->intr)
        return -1;
    return machine_intr_ack(m);
}

/* A Linux-style PIC setup: master at 0x20, slave at 0x28, cascade on IRQ2,
 * everything masked but the IRQs in UNMASK (bit per IRQ; IRQ2 kept open). */
static inline void dt_pic_remap(struct machine *m, uint16_t unmask)
{
    dt_out(m, 0x20, 0x11); dt_out(m, 0xA0, 0x11);  /* ICW1: edge, cascade, ICW4 */
    dt_out(m, 0x21, 0x20); dt_out(m, 0xA1, 0x28);  /* ICW2: vector bases */
    dt_out(m, 0x21, 0x04); dt_out(m, 0xA1, 0x02);  /* ICW3: slave on IR2 */
    dt_out(m, 0x21, 0x01); dt_out(m, 0xA1, 0x01);  /* ICW4: 8086 mode */
    uint16_t mask = (uint16_t)~(unmask | 0x0004);
    dt_out(m, 0x21, (uint8_t)mask);
    dt_out(m, 0xA1, (uint8_t)(mask >> 8));
}

/* Non-specific EOI for VECTOR (to the slave too when it came from there). */
static inline void dt_eoi(struct machine *m, int vector)
{
    if (vector >= 0x28 && vector < 0x30)
        dt_out(m, 0xA0, 0x20);
    dt_out(m, 0x20, 0x20);
}

#endif
