/* The PC's coprocessor-error latch: the CPU's FERR# output drives IRQ 13
 * (when CR0.NE=0 an x87 exception is reported this way instead of #MF), and
 * a write of any value to port 0xF0 clears the latch, lowering the line
 * (IBM PC/AT Technical Reference, "Math coprocessor" ports 0xF0/0xF1; Intel
 * SDM vol. 1 appendix D.2.1, MS-DOS compatibility mode). QEMU's `pc`
 * machine has the same port (ioportF0). */
#ifndef VMSCOPE_DEVICES_FERR_H
#define VMSCOPE_DEVICES_FERR_H

#include <stdbool.h>
#include <stdint.h>

struct machine;

struct ferr {
    bool line;              /* IRQ 13 as the latch drives it */
    uint64_t asserts;       /* FERR# assertions, for the summary */
};

void ferr_init(struct machine *m, struct ferr *f);
/* FERR#: the CPU met a pending unmasked x87 exception with CR0.NE=0. */
void ferr_assert(struct machine *m, struct ferr *f);

#endif
