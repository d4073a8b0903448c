/* The time of day at boot from the CMOS real-time clock (Linux 2.4's
 * arch/i386/kernel/time.c get_cmos_time; MC146818 datasheet: registers 0,
 * 2, 4, 7, 8, 9 and the century in 0x32, BCD unless register B bit 2 is
 * set). File times are this plus jiffies. Under vmscope the clock starts
 * at --rtc-base; under QEMU at the host's time: only the disk image's
 * timestamps differ between them, never the console. */
#include <kernel.h>
#include <io.h>

#define RTC_PORT 0x70

static unsigned cmos_read(unsigned reg)
{
    outb(RTC_PORT, reg);
    return inb(RTC_PORT + 1);
}

static unsigned bcd(unsigned v, int binary)
{
    return binary ? v : (v & 15) + (v >> 4) * 10;
}

/* Days from 1970-01-01 to y-m-d (Gregorian). */
static unsigned long days_since_epoch(unsigned y, unsigned m, unsigned d)
{
    if (m <= 2) {
        y--;
        m += 12;
    }
    return 365UL * y + y / 4 - y / 100 + y / 400 + (153 * (m - 3) + 2) / 5 + d - 719469;
}

unsigned long get_cmos_time(void)
{
    unsigned sec, min, hour, day, mon, year, cent;
    /* wait for an update to end, then read twice until both agree */
    for (int i = 0; i < 1000000 && (cmos_read(0x0A) & 0x80); i++)
        ;
    do {
        sec = cmos_read(0x00);
        min = cmos_read(0x02);
        hour = cmos_read(0x04);
        day = cmos_read(0x07);
        mon = cmos_read(0x08);
        year = cmos_read(0x09);
        cent = cmos_read(0x32);
    } while (sec != cmos_read(0x00));
    int binary = cmos_read(0x0B) & 0x04;
    sec = bcd(sec, binary);
    min = bcd(min, binary);
    hour = bcd(hour & 0x7F, binary);
    day = bcd(day, binary);
    mon = bcd(mon, binary);
    year = bcd(year, binary) + (cent && cent != 0xFF ? bcd(cent, binary) * 100 : 1900 + (bcd(year, binary) < 70) * 100);
    if (mon < 1 || mon > 12 || day < 1 || day > 31 || year < 1970)
        return 0;
    return ((days_since_epoch(year, mon, day) * 24 + hour) * 60 + min) * 60 + sec;
}
