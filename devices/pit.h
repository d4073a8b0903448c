/* 8254 programmable interval timer (0x40-0x43) and the PC's system control
 * port B (0x61: channel 2 gate, speaker enable, channel 2 output, refresh
 * toggle). Intel 8254 datasheet (order 231164): "Control word format",
 * "Read-back command", "Counter latch command", "Modes of operation".
 *
 * The counters run at 1.193182 MHz of virtual time: every value is computed
 * from the CPU's cycle counter, never from the host clock. Channel 0's
 * output drives IRQ0; its edges are clock events. */
#ifndef VMSCOPE_DEVICES_PIT_H
#define VMSCOPE_DEVICES_PIT_H

#include <stdbool.h>
#include <stdint.h>

struct machine;

#define PIT_HZ 1193182u

struct pit_channel {
    /* Programming */
    uint8_t mode;           /* 0-5 */
    uint8_t rw;             /* 1 LSB, 2 MSB, 3 LSB then MSB */
    bool bcd;               /* count in BCD */
    uint32_t count;         /* reload value, 1..65536 (10000 in BCD) */
    uint8_t wlatch;         /* low byte held while the MSB of an LSB/MSB write is awaited */
    bool wmsb;              /* next write is the MSB */
    bool rmsb;              /* next unlatched read is the MSB */

    /* Counting: the counter was loaded (or triggered) at PIT tick `start`. */
    bool loaded;            /* a count has been written since the control word */
    bool armed;             /* counting: loaded and, in modes 1 and 5, triggered */
    uint64_t start;         /* PIT tick of the load or trigger */
    bool gate;              /* GATE input (always high on channels 0 and 1) */
    bool frozen;            /* gate low in a mode that stops counting */
    uint64_t frozen_at;     /* elapsed ticks when it stopped */
    bool null_count;        /* a count was written but not yet loaded */

    /* Latches */
    uint16_t olatch;        /* latched count */
    uint8_t olatched;       /* bytes of olatch still to read (0-2) */
    bool olatch_msb;        /* next latched byte is the MSB */
    uint8_t status;         /* latched read-back status */
    bool status_latched;
};

struct pit {
    struct pit_channel ch[3];
    int timer;              /* clock timer for channel 0 output edges */
    bool out0;              /* channel 0 output as last driven on IRQ0 */
    uint64_t last0;         /* PIT tick up to which channel 0's edges reached IRQ0 */
    bool speaker;           /* port 0x61 bit 1 */
    uint8_t port61_hi;      /* port 0x61 bits 2-3 as written */
    uint64_t irq0_edges;    /* rising edges of channel 0 seen by IRQ0 */
};

void pit_init(struct machine *m, struct pit *p);

#endif
