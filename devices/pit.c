/* 8254 PIT and port 0x61 (see pit.h). Intel 8254 datasheet, order 231164.
 *
 * A channel does not tick: when it is loaded (or triggered) we remember the
 * PIT tick, and its count and output at any later tick follow from the
 * mode's waveform. PIT ticks are the CPU's cycles scaled by 1193182 / (CPU
 * Hz), rounded down, so the same cycle always reads the same count.
 *
 * Waveforms, with N the count and d the ticks since the load:
 *   mode 0  out low until d = N, then high; count N - d (wrapping)
 *   mode 1  as mode 0, started by a rising GATE (channel 2 only)
 *   mode 2  rate generator: out low for one tick when d % N = N - 1; count N - d % N
 *   mode 3  square wave: out high while d % N < (N + 1) / 2; count falls by 2
 *   mode 4  out low for the one tick d = N; count N - d (wrapping)
 *   mode 5  as mode 4, started by a rising GATE
 * A new count takes effect at once in every mode (the 8254 waits for the
 * end of the current period in modes 2 and 3; QEMU does not, and neither
 * do we). GATE low stops modes 0, 2, 3 and 4 (modes 2 and 3 then hold out
 * high and restart when GATE rises).
 *
 * IRQ0 sees channel 0's rising edges, which are clock events; the PIC
 * latches edges, so the low part of the waveform needs no event of its own. */
#include "devices/pit.h"
#include "devices/pic.h"
#include "emu/machine.h"

#define PIT_NEVER UINT64_MAX

static uint64_t pit_cpu_hz(const struct machine *m)
{
    return (uint64_t)m->clock.mhz * 1000000u;
}

/* The PIT tick at the current cycle. */
static uint64_t pit_now(const struct machine *m)
{
    return (uint64_t)((unsigned __int128)m->clock.cycles * PIT_HZ / pit_cpu_hz(m));
}

/* The first cycle at which pit_now reaches TICK. */
static uint64_t pit_tick_cycle(const struct machine *m, uint64_t tick)
{
    unsigned __int128 num = (unsigned __int128)tick * pit_cpu_hz(m);
    return (uint64_t)((num + PIT_HZ - 1) / PIT_HZ);
}

/* Effective N: modes 2 and 3 need at least 2. */
static uint64_t pit_period(const struct pit_channel *c)
{
    if ((c->mode == 2 || c->mode == 3) && c->count < 2)
        return 2;
    return c->count;
}

static uint64_t pit_elapsed(const struct pit_channel *c, uint64_t now)
{
    if (c->frozen)
        return c->frozen_at;
    return now >= c->start ? now - c->start : 0;
}

static bool pit_out(const struct pit_channel *c, uint64_t now)
{
    if (!c->armed)
        return c->mode != 0;
    uint64_t n = pit_period(c), d = pit_elapsed(c, now);
    switch (c->mode) {
    case 0:
    case 1: return d >= n;
    case 2: return c->frozen || d % n != n - 1;
    case 3: return c->frozen || d % n < (n + 1) / 2;
    default: return d != n;     /* 4, 5 */
    }
}

/* Count of the channel at tick NOW, as the counting element holds it. */
static uint32_t pit_value(const struct pit_channel *c, uint64_t now)
{
    uint32_t mod = c->bcd ? 10000 : 65536;
    if (!c->armed)
        return c->count % mod;
    uint64_t n = pit_period(c), d = pit_elapsed(c, now);
    switch (c->mode) {
    case 2: return (uint32_t)((n - d % n) % mod);
    case 3: return (uint32_t)(((n - (2 * d) % n) % mod) & ~1u);
    default: return (uint32_t)((n + mod - d % mod) % mod);
    }
}

/* Rising edges of the output at elapsed ticks 1..D. */
static uint64_t pit_rises(const struct pit_channel *c, uint64_t d)
{
    uint64_t n = pit_period(c);
    switch (c->mode) {
    case 2:
    case 3: return d / n;
    case 0:
    case 1: return d >= n;
    default: return d >= n + 1;
    }
}

/* Tick of the first rising edge after tick NOW, or PIT_NEVER. */
static uint64_t pit_next_rise(const struct pit_channel *c, uint64_t now)
{
    if (!c->armed || c->frozen)
        return PIT_NEVER;
    uint64_t n = pit_period(c), d = pit_elapsed(c, now);
    switch (c->mode) {
    case 2:
    case 3: return c->start + (d / n + 1) * n;
    case 0:
    case 1: return d < n ? c->start + n : PIT_NEVER;
    default: return d < n + 1 ? c->start + n + 1 : PIT_NEVER;
    }
}

static uint16_t pit_to_bcd(uint32_t v)
{
    return (uint16_t)((v % 10) | (v / 10 % 10) << 4 | (v / 100 % 10) << 8 | (v / 1000 % 10) << 12);
}

static uint32_t pit_from_bcd(uint32_t v)
{
    return (v & 15) + (v >> 4 & 15) * 10 + (v >> 8 & 15) * 100 + (v >> 12 & 15) * 1000;
}

/* Bring IRQ0 up to date with channel 0: pulse it once if the output rose
 * since the last look (the PIC latches the edge; a late look at several
 * edges is still one request, as the PIC would see it), leave it at the
 * current output, and schedule the next rising edge. */
static void pit_sync0(struct machine *m, struct pit *p)
{
    struct pit_channel *c = &p->ch[0];
    uint64_t now = pit_now(m);
    uint64_t edges = 0;
    if (c->armed && now > p->last0) {
        uint64_t d0 = p->last0 > c->start ? p->last0 - c->start : 0;
        edges = pit_rises(c, pit_elapsed(c, now)) - pit_rises(c, d0);
    }
    p->last0 = now;
    bool out = pit_out(c, now);
    if (edges) {
        p->irq0_edges += edges;
        pic_set_irq(m, 0, false);
        pic_set_irq(m, 0, true);
    }
    pic_set_irq(m, 0, out);
    p->out0 = out;
    uint64_t next = pit_next_rise(c, now);
    clock_timer_set(&m->clock, p->timer, next == PIT_NEVER ? CLOCK_NEVER : pit_tick_cycle(m, next));
}

static void pit_timer_cb(struct machine *m, void *opaque)
{
    pit_sync0(m, opaque);
}

/* The 8254's status byte (read-back command). */
static uint8_t pit_status(const struct pit_channel *c, uint64_t now)
{
    bool null = !c->armed ? c->null_count : now == c->start;
    return (uint8_t)(pit_out(c, now) << 7 | null << 6 | c->rw << 4 | c->mode << 1 | c->bcd);
}

static void pit_latch_count(struct pit_channel *c, uint64_t now)
{
    if (c->olatched)
        return;     /* a second latch before the first is read is ignored */
    uint32_t v = pit_value(c, now);
    c->olatch = (uint16_t)(c->bcd ? pit_to_bcd(v) : v);
    c->olatched = c->rw == 3 ? 2 : 1;
    c->olatch_msb = c->rw == 2;
}

/* GATE of channel CH changes to LEVEL (only channel 2's can). */
static void pit_set_gate(struct machine *m, struct pit *p, unsigned ch, bool level)
{
    struct pit_channel *c = &p->ch[ch];
    uint64_t now = pit_now(m);
    if (level == c->gate)
        return;
    c->gate = level;
    switch (c->mode) {
    case 1:
    case 5:
        if (level && c->loaded) {  /* trigger */
            c->armed = true;
            c->null_count = false;
            c->start = now;
        }
        break;
    case 2:
    case 3:
        if (level) {            /* restart the period */
            c->frozen = false;
            c->start = now;
        } else if (c->armed) {
            c->frozen_at = pit_elapsed(c, now);
            c->frozen = true;
        }
        break;
    default:                    /* 0, 4: suspend and resume */
        if (level && c->frozen) {
            c->start = now - c->frozen_at;
            c->frozen = false;
        } else if (!level && c->armed) {
            c->frozen_at = pit_elapsed(c, now);
            c->frozen = true;
        }
        break;
    }
}

/* A complete count was written to channel CH. */
static void pit_load(struct machine *m, struct pit *p, unsigned ch, uint32_t raw)
{
    struct pit_channel *c = &p->ch[ch];
    if (ch == 0)
        pit_sync0(m, p);
    uint32_t v = c->bcd ? pit_from_bcd(raw) : raw;
    c->count = v ? v : (c->bcd ? 10000 : 65536);
    c->loaded = true;
    if (c->mode == 1 || c->mode == 5) {
        c->null_count = !c->armed;  /* counting waits for a GATE trigger */
    } else {
        c->armed = true;
        c->null_count = false;
        c->start = pit_now(m);
        c->frozen = !c->gate;
        c->frozen_at = 0;
    }
    if (ch == 0) {
        p->last0 = pit_now(m);
        pit_sync0(m, p);
    }
}

static void pit_control(struct machine *m, struct pit *p, uint8_t v)
{
    uint64_t now = pit_now(m);
    unsigned sc = v >> 6;
    if (sc == 3) {                                  /* read-back */
        for (unsigned ch = 0; ch < 3; ch++) {
            if (!(v & (2u << ch)))
                continue;
            struct pit_channel *c = &p->ch[ch];
            if (!(v & 0x20))
                pit_latch_count(c, now);
            if (!(v & 0x10) && !c->status_latched) {
                c->status = pit_status(c, now);
                c->status_latched = true;
            }
        }
        return;
    }
    struct pit_channel *c = &p->ch[sc];
    unsigned rw = (v >> 4) & 3;
    if (rw == 0) {                                  /* counter latch */
        pit_latch_count(c, now);
        return;
    }
    if (sc == 0)
        pit_sync0(m, p);
    unsigned mode = (v >> 1) & 7;
    c->mode = (uint8_t)(mode > 5 ? mode - 4 : mode);   /* 6, 7 are 2, 3 */
    c->rw = (uint8_t)rw;
    c->bcd = v & 1;
    c->wmsb = c->rmsb = false;
    c->olatched = 0;
    c->status_latched = false;
    c->loaded = false;
    c->armed = false;
    c->frozen = false;
    c->null_count = true;
    if (sc == 0)
        pit_sync0(m, p);
}

static uint32_t pit_read(struct machine *m, void *dev, uint16_t port, unsigned size)
{
    struct pit *p = dev;
    unsigned ch = port - 0x40;
    if (ch == 3)
        return 0xFF;                                /* the control word is write-only */
    struct pit_channel *c = &p->ch[ch];
    if (c->status_latched) {
        c->status_latched = false;
        return c->status;
    }
    uint16_t v;
    bool msb;
    if (c->olatched) {
        v = c->olatch;
        msb = c->olatch_msb;
        c->olatch_msb = !c->olatch_msb;
        c->olatched--;
    } else {
        uint32_t x = pit_value(c, pit_now(m));
        v = (uint16_t)(c->bcd ? pit_to_bcd(x) : x);
        msb = c->rw == 2 || (c->rw == 3 && c->rmsb);
        if (c->rw == 3)
            c->rmsb = !c->rmsb;
    }
    return msb ? v >> 8 : v & 0xFF;
}

static void pit_write(struct machine *m, void *dev, uint16_t port, unsigned size, uint32_t val)
{
    struct pit *p = dev;
    unsigned ch = port - 0x40;
    uint8_t v = (uint8_t)val;
    if (ch == 3) {
        pit_control(m, p, v);
        return;
    }
    struct pit_channel *c = &p->ch[ch];
    switch (c->rw) {
    case 1: pit_load(m, p, ch, v); break;
    case 2: pit_load(m, p, ch, (uint32_t)v << 8); break;
    default:
        if (!c->wmsb) {
            c->wlatch = v;
            c->wmsb = true;
        } else {
            c->wmsb = false;
            pit_load(m, p, ch, c->wlatch | (uint32_t)v << 8);
        }
        break;
    }
}

/* Port 0x61, system control port B: bit 0 channel 2 GATE, bit 1 speaker
 * data enable, bits 2-3 parity/channel-check enables (kept), bit 4 the
 * DRAM refresh toggle (every 15.09 us = 18 PIT ticks of virtual time),
 * bit 5 channel 2's output. */
static uint32_t port61_read(struct machine *m, void *dev, uint16_t port, unsigned size)
{
    struct pit *p = dev;
    uint64_t now = pit_now(m);
    return (uint32_t)(p->ch[2].gate | p->speaker << 1 | p->port61_hi |
                      ((now / 18) & 1) << 4 | pit_out(&p->ch[2], now) << 5);
}

static void port61_write(struct machine *m, void *dev, uint16_t port, unsigned size, uint32_t val)
{
    struct pit *p = dev;
    p->speaker = val & 2;
    p->port61_hi = (uint8_t)(val & 0x0C);
    pit_set_gate(m, p, 2, val & 1);
}

void pit_init(struct machine *m, struct pit *p)
{
    *p = (struct pit){0};
    /* As a PC BIOS leaves it (SeaBIOS, read back under QEMU 7.2): channel 0
     * in mode 2 with count 65536 (18.2 Hz) running since power-on, channel
     * 1 in mode 3 (DRAM refresh), channel 2 in mode 3 with GATE low. */
    p->ch[0] = (struct pit_channel){ .mode = 2, .rw = 3, .count = 65536, .loaded = true, .armed = true, .gate = true };
    p->ch[1] = (struct pit_channel){ .mode = 3, .rw = 3, .count = 18, .loaded = true, .armed = true, .gate = true };
    p->ch[2] = (struct pit_channel){ .mode = 3, .rw = 3, .count = 65536, .loaded = true,
                                     .armed = true, .frozen = true };
    p->timer = clock_timer_new(&m->clock, "pit", pit_timer_cb, p);
    bus_register_pio(&m->bus, 0x40, 4, PIO_W8, p, pit_read, pit_write);
    bus_register_pio(&m->bus, 0x61, 1, PIO_W8, p, port61_read, port61_write);
    pit_sync0(m, p);
}
