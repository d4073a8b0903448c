/* The PC devices of one machine. Devices raise IRQ lines and schedule clock
 * events; they never call the CPU.
 *
 *   ports          device                      IRQ
 *   0x20-0x21      8259A master PIC            (INTR to the CPU)
 *   0xA0-0xA1      8259A slave PIC             2 (cascade)
 *   0x4D0-0x4D1    PIIX ELCR (edge/level)
 *   0x40-0x43      8254 PIT                    0 (channel 0)
 *   0x61           system control port B (PIT channel 2 gate, speaker)
 *   0x70-0x71      MC146818 CMOS RTC + NVRAM   8
 *   0x3F8-0x3FF    16550A UART (COM1)          4
 *   0x1F0-0x1F7    ATA primary (master disk)   14
 *   0x3F6          ATA device control / alternate status
 *   0xE9           debug console
 *   0xF0           coprocessor-error latch (FERR#)  13
 *   0xF4-0xF7      isa-debug-exit
 *   0x440-0x443    guest annotation port
 *   0x8900         Bochs shutdown port */
#ifndef VMSCOPE_DEVICES_DEVICES_H
#define VMSCOPE_DEVICES_DEVICES_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "devices/annot.h"
#include "devices/ata.h"
#include "devices/debugport.h"
#include "devices/ferr.h"
#include "devices/pic.h"
#include "devices/pit.h"
#include "devices/rtc.h"
#include "devices/uart.h"

struct machine;
struct vm_options;

struct devices {
    struct pic pic;         /* 8259A pair: IRQ lines to the CPU's INTR */
    struct pit pit;         /* 8254 and port 0x61 */
    struct rtc rtc;         /* CMOS clock and NVRAM */
    struct uart uart;       /* COM1 at 0x3F8 */
    struct ata ata;         /* primary master disk */
    struct debugport dbg;   /* 0xE9 debugcon, 0xF4 isa-debug-exit, 0x8900 Shutdown */
    struct annot_port annot;/* 0x440 guest annotations */
    struct ferr ferr;       /* 0xF0 FERR# latch: IRQ 13 */
};

/* Create every device and register its ports and timers. Returns false and
 * writes one line to ERR on bad input (a disk image that cannot be opened). */
bool devices_init(struct machine *m, const struct vm_options *opt, char *err, unsigned errlen);
/* Flush what must reach the host (console, disk image). Called at every end
 * of a run; the devices stay usable. */
void devices_flush(struct machine *m);
/* Release host resources (files). Safe after a failed devices_init. */
void devices_free(struct machine *m);
/* Interrupt acknowledge: the vector the PIC supplies for the INTR line. */
uint8_t devices_intr_ack(struct machine *m);
/* False when no device interrupt can reach the CPU any more (all masked). */
bool devices_can_interrupt(struct machine *m);
/* Summary lines of devices that have something to say. */
void devices_summary(struct machine *m, FILE *f);

#endif
