/* Virtual time: the CPU's cycle counter and a small event queue.
 *
 * Nothing here reads the host clock. Devices ask for a callback at a future
 * cycle; the run loop executes instructions up to the earliest deadline and
 * then fires what is due, so a run is the same every time. */
#ifndef VMSCOPE_EMU_CLOCK_H
#define VMSCOPE_EMU_CLOCK_H

#include <stdbool.h>
#include <stdint.h>

struct machine;

#define CLOCK_MAX_TIMERS 16
#define CLOCK_NEVER UINT64_MAX

typedef void (*clock_cb)(struct machine *m, void *opaque);

struct clock_timer {
    uint64_t when;      /* cycle at which to fire; CLOCK_NEVER when idle */
    clock_cb cb;        /* callback, run from the run loop between instructions */
    void *opaque;       /* the device */
    const char *name;   /* for debugging dumps */
};

struct clock {
    uint64_t cycles;                        /* virtual time in CPU cycles */
    uint64_t next;                          /* earliest pending deadline */
    uint32_t mhz;                           /* virtual CPU frequency */
    unsigned ntimers;                       /* timers allocated */
    struct clock_timer t[CLOCK_MAX_TIMERS]; /* fixed pool: devices own a slot each */
};

void clock_init(struct clock *c, uint32_t mhz);
/* Allocate a timer slot at machine build time. Returns its id (>= 0). */
int clock_timer_new(struct clock *c, const char *name, clock_cb cb, void *opaque);
/* Arm timer ID to fire at absolute cycle WHEN (CLOCK_NEVER disarms). */
void clock_timer_set(struct clock *c, int id, uint64_t when);
static inline void clock_timer_cancel(struct clock *c, int id) { clock_timer_set(c, id, CLOCK_NEVER); }
/* Fire every timer whose deadline is <= now, earliest first (ties by slot). */
void clock_run_due(struct machine *m, struct clock *c);
/* Convert between virtual nanoseconds and cycles at the clock's frequency. */
uint64_t clock_ns_to_cycles(const struct clock *c, uint64_t ns);
uint64_t clock_cycles_to_ns(const struct clock *c, uint64_t cycles);

#endif
