/* CMOS real-time clock and NVRAM (0x70 index, 0x71 data, IRQ8). Motorola
 * MC146818A datasheet: "Address map" (figure 4), registers A-D, "Update
 * cycle", "Interrupts"; the PC's use of the NVRAM bytes follows the IBM AT
 * BIOS (and what SeaBIOS writes under QEMU).
 *
 * The time is --rtc-base (Unix seconds; default 2000-01-01 00:00:00 UTC)
 * plus the virtual time elapsed, so runs are reproducible. */
#ifndef VMSCOPE_DEVICES_RTC_H
#define VMSCOPE_DEVICES_RTC_H

#include <stdbool.h>
#include <stdint.h>

struct machine;
struct vm_options;

#define RTC_DEFAULT_BASE 946684800u     /* 2000-01-01 00:00:00 UTC */

struct rtc {
    uint8_t index;          /* selected register (port 0x70 bits 0-6) */
    bool nmi_disabled;      /* port 0x70 bit 7 (there is no NMI source) */
    uint8_t ram[128];       /* registers 0x00-0x7F; time registers are computed */
    int64_t offset;         /* seconds added to base + virtual time by guest writes */
    uint64_t base;          /* --rtc-base */
    uint64_t last_c_read;   /* cycle of the last register C read (flags since then) */
    uint8_t flags;          /* register C flags raised by clock events (IRQF, PF, AF, UF) */
    int timer;              /* next periodic / update event while an interrupt is enabled */
    uint64_t irqs;          /* IRQ8 requests, for the summary */
};

void rtc_init(struct machine *m, struct rtc *r, const struct vm_options *opt, uint64_t disk_sectors);

#endif
