/* CMOS RTC (see rtc.h). Motorola MC146818A datasheet.
 *
 * The time registers are computed when read: base + guest adjustment +
 * virtual seconds since power-on, in BCD or binary (register B DM) and 12
 * or 24 hours (register B 24/12). A guest that sets the time (register B
 * SET, then the time registers) moves the adjustment. Register A's UIP bit
 * reads 1 during the 244 us before each second boundary (8 periods of the
 * 32.768 kHz time base, as QEMU); the update itself takes no time. The
 * divider bits of register A are kept but do not stop the clock.
 * Register C's flags are computed from virtual time too: PF when a periodic
 * boundary (register A rate) passed since C was last read, UF when a second
 * boundary passed, AF when the latest second boundary matched the alarm
 * (0xC0-0xFF in an alarm byte matches anything). While an interrupt is
 * enabled in register B, a clock event at the next boundary raises IRQ8,
 * which stays up until register C is read. */
#include "devices/rtc.h"
#include "devices/pic.h"
#include "emu/machine.h"

#include <string.h>

#define RTC_IRQ 8
#define REG_A 0x0A
#define REG_B 0x0B
#define REG_C 0x0C
#define REG_D 0x0D
#define REG_CENTURY 0x32
#define A_UIP 0x80
#define B_SET 0x80
#define B_PIE 0x40
#define B_AIE 0x20
#define B_UIE 0x10
#define B_DM 0x04
#define B_24H 0x02
#define C_IRQF 0x80
#define C_PF 0x40
#define C_AF 0x20
#define C_UF 0x10
#define RTC_BASE_HZ 32768u

static uint64_t rtc_hz(const struct machine *m)
{
    return (uint64_t)m->clock.mhz * 1000000u;
}

/* Unix seconds now, as the clock counts them. */
static int64_t rtc_now(const struct machine *m, const struct rtc *r)
{
    return (int64_t)r->base + r->offset + (int64_t)(m->clock.cycles / rtc_hz(m));
}

/* Days since 1970-01-01 <-> civil date (proleptic Gregorian). */
static int64_t rtc_days_from_civil(int64_t y, unsigned mo, unsigned d)
{
    y -= mo <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static void rtc_civil_from_days(int64_t z, int64_t *y, unsigned *mo, unsigned *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *mo = mp < 10 ? mp + 3 : mp - 9;
    *y = (int64_t)yoe + era * 400 + (*mo <= 2);
}

struct rtc_tm { unsigned sec, min, hour, wday, mday, mon, year, century; };

static struct rtc_tm rtc_split(int64_t t)
{
    struct rtc_tm tm;
    int64_t days = t >= 0 ? t / 86400 : (t - 86399) / 86400, y;
    unsigned secs = (unsigned)(t - days * 86400);
    rtc_civil_from_days(days, &y, &tm.mon, &tm.mday);
    tm.sec = secs % 60;
    tm.min = secs / 60 % 60;
    tm.hour = secs / 3600;
    tm.wday = (unsigned)(((days + 4) % 7 + 7) % 7) + 1;     /* 1 = Sunday; 1970-01-01 was a Thursday */
    tm.year = (unsigned)(y % 100);
    tm.century = (unsigned)(y / 100);
    return tm;
}

static uint8_t rtc_enc(const struct rtc *r, unsigned v)
{
    return (uint8_t)((r->ram[REG_B] & B_DM) ? v : (v / 10) << 4 | v % 10);
}

static unsigned rtc_dec(const struct rtc *r, uint8_t v)
{
    return (r->ram[REG_B] & B_DM) ? v : (v >> 4) * 10 + (v & 15);
}

static uint8_t rtc_enc_hour(const struct rtc *r, unsigned h)
{
    if (r->ram[REG_B] & B_24H)
        return rtc_enc(r, h);
    unsigned h12 = h % 12 ? h % 12 : 12;
    return (uint8_t)(rtc_enc(r, h12) | (h >= 12 ? 0x80 : 0));
}

static unsigned rtc_dec_hour(const struct rtc *r, uint8_t v)
{
    if (r->ram[REG_B] & B_24H)
        return rtc_dec(r, v);
    unsigned h = rtc_dec(r, v & 0x7F) % 12;
    return (v & 0x80) ? h + 12 : h;
}

/* Fill the time registers from the clock. */
static void rtc_load_time(const struct machine *m, struct rtc *r)
{
    struct rtc_tm tm = rtc_split(rtc_now(m, r));
    r->ram[0] = rtc_enc(r, tm.sec);
    r->ram[2] = rtc_enc(r, tm.min);
    r->ram[4] = rtc_enc_hour(r, tm.hour);
    r->ram[6] = rtc_enc(r, tm.wday);
    r->ram[7] = rtc_enc(r, tm.mday);
    r->ram[8] = rtc_enc(r, tm.mon);
    r->ram[9] = rtc_enc(r, tm.year);
    r->ram[REG_CENTURY] = rtc_enc(r, tm.century);
}

/* Make the clock agree with the time registers (after the guest set them). */
static void rtc_store_time(const struct machine *m, struct rtc *r)
{
    int64_t year = (int64_t)rtc_dec(r, r->ram[REG_CENTURY]) * 100 + rtc_dec(r, r->ram[9]);
    unsigned mon = rtc_dec(r, r->ram[8]), mday = rtc_dec(r, r->ram[7]);
    if (mon < 1 || mon > 12 || mday < 1 || mday > 31)
        return;     /* not a date: keep counting from the old one */
    int64_t t = rtc_days_from_civil(year, mon, mday) * 86400 +
                (int64_t)rtc_dec_hour(r, r->ram[4]) * 3600 +
                (int64_t)rtc_dec(r, r->ram[2]) * 60 + rtc_dec(r, r->ram[0]);
    r->offset += t - rtc_now(m, r);
}

/* Periodic interrupt period in 32.768 kHz ticks (register A rate), 0 = off. */
static uint64_t rtc_period(const struct rtc *r)
{
    unsigned rate = r->ram[REG_A] & 15;
    if (!rate)
        return 0;
    return rate <= 2 ? 64u << rate : 1u << (rate - 1);
}

static uint64_t rtc_ticks(const struct machine *m, uint64_t cycles)
{
    return (uint64_t)((unsigned __int128)cycles * RTC_BASE_HZ / rtc_hz(m));
}

static uint64_t rtc_tick_cycle(const struct machine *m, uint64_t tick)
{
    unsigned __int128 num = (unsigned __int128)tick * rtc_hz(m);
    return (uint64_t)((num + RTC_BASE_HZ - 1) / RTC_BASE_HZ);
}

static bool rtc_alarm_matches(const struct rtc *r, const struct rtc_tm *tm)
{
    uint8_t want[3] = { r->ram[1], r->ram[3], r->ram[5] };
    uint8_t have[3] = { rtc_enc(r, tm->sec), rtc_enc(r, tm->min), rtc_enc_hour(r, tm->hour) };
    for (int i = 0; i < 3; i++)
        if ((want[i] & 0xC0) != 0xC0 && want[i] != have[i])
            return false;
    return true;
}

/* Raise the flags for boundaries passed since register C was last read,
 * drive IRQ8, and schedule the next boundary that could interrupt. */
static void rtc_sync(struct machine *m, struct rtc *r)
{
    uint64_t now = m->clock.cycles, hz = rtc_hz(m);
    uint64_t period = rtc_period(r);
    if (period && rtc_ticks(m, now) / period > rtc_ticks(m, r->last_c_read) / period)
        r->flags |= C_PF;
    if (!(r->ram[REG_B] & B_SET) && now / hz > r->last_c_read / hz) {
        r->flags |= C_UF;
        struct rtc_tm tm = rtc_split(rtc_now(m, r));
        if (rtc_alarm_matches(r, &tm))
            r->flags |= C_AF;
    }
    uint8_t en = r->ram[REG_B] & (B_PIE | B_AIE | B_UIE);
    bool irq = r->flags & en;   /* PF/AF/UF line up with PIE/AIE/UIE */
    if (irq && !(r->flags & C_IRQF)) {
        r->flags |= C_IRQF;
        r->irqs++;
    }
    pic_set_irq(m, RTC_IRQ, r->flags & C_IRQF);
    uint64_t next = CLOCK_NEVER;
    if (!(r->flags & C_IRQF)) {
        if ((en & B_PIE) && period)
            next = rtc_tick_cycle(m, (rtc_ticks(m, now) / period + 1) * period);
        if (en & (B_AIE | B_UIE)) {
            uint64_t sec = (now / hz + 1) * hz;
            next = sec < next ? sec : next;
        }
    }
    clock_timer_set(&m->clock, r->timer, next);
}

static void rtc_timer_cb(struct machine *m, void *opaque)
{
    rtc_sync(m, opaque);
}

static bool rtc_is_time_reg(unsigned i)
{
    return i == 0 || i == 2 || i == 4 || (i >= 6 && i <= 9) || i == REG_CENTURY;
}

static uint32_t rtc_read(struct machine *m, void *dev, uint16_t port, unsigned size)
{
    struct rtc *r = dev;
    if (port == 0x70)
        return 0xFF;    /* the index port is write-only */
    unsigned i = r->index;
    if (rtc_is_time_reg(i)) {
        if (!(r->ram[REG_B] & B_SET))
            rtc_load_time(m, r);
        return r->ram[i];
    }
    switch (i) {
    case REG_A: {
        uint64_t hz = rtc_hz(m), frac = m->clock.cycles % hz;
        bool uip = !(r->ram[REG_B] & B_SET) && frac >= hz - 8 * hz / RTC_BASE_HZ;
        return (r->ram[REG_A] & 0x7F) | (uip ? A_UIP : 0);
    }
    case REG_C: {
        rtc_sync(m, r);
        uint8_t v = r->flags;
        r->flags = 0;
        r->last_c_read = m->clock.cycles;
        rtc_sync(m, r);
        return v;
    }
    case REG_D:
        return 0x80;    /* VRT: the battery is good */
    default:
        return r->ram[i];
    }
}

static void rtc_write(struct machine *m, void *dev, uint16_t port, unsigned size, uint32_t val)
{
    struct rtc *r = dev;
    uint8_t v = (uint8_t)val;
    if (port == 0x70) {
        r->index = v & 0x7F;
        r->nmi_disabled = v & 0x80;
        return;
    }
    unsigned i = r->index;
    if (rtc_is_time_reg(i)) {
        if (!(r->ram[REG_B] & B_SET)) {
            rtc_load_time(m, r);
            r->ram[i] = v;
            rtc_store_time(m, r);
        } else {
            r->ram[i] = v;
        }
        return;
    }
    switch (i) {
    case REG_A:
        r->ram[REG_A] = v & 0x7F;
        rtc_sync(m, r);
        break;
    case REG_B: {
        bool was_set = r->ram[REG_B] & B_SET;
        if (v & B_SET) {
            if (!was_set)
                rtc_load_time(m, r);    /* freeze the registers for the guest to edit */
            v &= (uint8_t)~B_UIE;       /* SET clears UIE */
        }
        r->ram[REG_B] = v;
        if (was_set && !(v & B_SET)) {
            rtc_store_time(m, r);       /* SET cleared: the clock runs from the new time */
            r->last_c_read = m->clock.cycles;
        }
        rtc_sync(m, r);
        break;
    }
    case REG_C:
    case REG_D:
        break;          /* read-only */
    default:
        r->ram[i] = v;
        break;
    }
}

void rtc_init(struct machine *m, struct rtc *r, const struct vm_options *opt, uint64_t disk_sectors)
{
    memset(r, 0, sizeof *r);
    r->base = opt->rtc_base ? opt->rtc_base : RTC_DEFAULT_BASE;
    r->ram[REG_A] = 0x26;       /* 32.768 kHz time base, 1024 Hz periodic rate */
    r->ram[REG_B] = B_24H;      /* BCD, 24 hours, as the BIOS leaves it */
    /* NVRAM as an AT BIOS describes the machine: 640 KiB base memory,
     * extended memory in KiB (0x17/0x18 and 0x30/0x31) and above 16 MiB in
     * 64 KiB units (0x34/0x35); no floppy, no FPU; the disk as type 47 with
     * its geometry at 0x1B-0x23. */
    uint32_t ram_kib = m->bus.ram_size / 1024;
    uint32_t ext = ram_kib > 1024 ? ram_kib - 1024 : 0;
    if (ext > 0xFFFF)
        ext = 0xFFFF;
    uint32_t above16 = m->bus.ram_size > (16u << 20) ? (m->bus.ram_size - (16u << 20)) >> 16 : 0;
    if (above16 > 0xFFFF)
        above16 = 0xFFFF;
    r->ram[0x15] = 0x80;
    r->ram[0x16] = 0x02;
    r->ram[0x17] = r->ram[0x30] = (uint8_t)ext;
    r->ram[0x18] = r->ram[0x31] = (uint8_t)(ext >> 8);
    r->ram[0x34] = (uint8_t)above16;
    r->ram[0x35] = (uint8_t)(above16 >> 8);
    if (disk_sectors) {
        uint64_t cyls = disk_sectors / (16 * 63);
        cyls = cyls > 16383 ? 16383 : cyls < 2 ? 2 : cyls;
        r->ram[0x12] = 0xF0;
        r->ram[0x19] = 47;
        r->ram[0x1B] = r->ram[0x21] = (uint8_t)cyls;
        r->ram[0x1C] = r->ram[0x22] = (uint8_t)(cyls >> 8);
        r->ram[0x1D] = 16;
        r->ram[0x1E] = r->ram[0x1F] = 0xFF;
        r->ram[0x20] = 0xC8;
        r->ram[0x23] = 63;
    }
    unsigned sum = 0;
    for (unsigned i = 0x10; i <= 0x2D; i++)
        sum += r->ram[i];
    r->ram[0x2E] = (uint8_t)(sum >> 8);
    r->ram[0x2F] = (uint8_t)sum;
    r->timer = clock_timer_new(&m->clock, "rtc", rtc_timer_cb, r);
    bus_register_pio(&m->bus, 0x70, 2, PIO_W8, r, rtc_read, rtc_write);
}
