/* The PC devices of one machine. Devices raise IRQ lines and schedule clock
 * events; they never call the CPU. */
#ifndef VMSCOPE_DEVICES_DEVICES_H
#define VMSCOPE_DEVICES_DEVICES_H

#include <stdbool.h>
#include <stdio.h>

#include "devices/debugport.h"
#include "devices/uart.h"

struct machine;
struct vm_options;

struct devices {
    struct debugport dbg;   /* 0xE9 debugcon, 0xF4 isa-debug-exit, 0x8900 Shutdown */
    struct uart uart;       /* COM1 at 0x3F8 */
};

/* Create every device and register its ports and timers. Returns false and
 * writes one line to ERR on bad input (a disk image that cannot be opened). */
bool devices_init(struct machine *m, const struct vm_options *opt, char *err, unsigned errlen);
/* Flush what must reach the host (console, disk image) and release it. */
void devices_flush(struct machine *m);
void devices_free(struct machine *m);
/* Interrupt acknowledge: the vector the PIC supplies for the INTR line. */
uint8_t devices_intr_ack(struct machine *m);
/* Summary lines of devices that have something to say. */
void devices_summary(struct machine *m, FILE *f);

#endif
