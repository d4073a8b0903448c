/* Virtual clock and event queue (see clock.h). */
#include "emu/clock.h"

static void clock_recompute(struct clock *c)
{
    uint64_t next = CLOCK_NEVER;
    for (unsigned i = 0; i < c->ntimers; i++)
        if (c->t[i].when < next)
            next = c->t[i].when;
    c->next = next;
}

void clock_init(struct clock *c, uint32_t mhz)
{
    c->cycles = 0;
    c->mhz = mhz;
    c->ntimers = 0;
    c->next = CLOCK_NEVER;
    for (unsigned i = 0; i < CLOCK_MAX_TIMERS; i++)
        c->t[i].when = CLOCK_NEVER;
}

int clock_timer_new(struct clock *c, const char *name, clock_cb cb, void *opaque)
{
    if (c->ntimers >= CLOCK_MAX_TIMERS)
        return -1;
    struct clock_timer *t = &c->t[c->ntimers];
    t->when = CLOCK_NEVER;
    t->cb = cb;
    t->opaque = opaque;
    t->name = name;
    return (int)c->ntimers++;
}

void clock_timer_set(struct clock *c, int id, uint64_t when)
{
    if (id < 0 || (unsigned)id >= c->ntimers)
        return;
    c->t[id].when = when;
    if (when < c->next)
        c->next = when;
    else
        clock_recompute(c);
}

void clock_run_due(struct machine *m, struct clock *c)
{
    for (;;) {
        int best = -1;
        for (unsigned i = 0; i < c->ntimers; i++)
            if (c->t[i].when <= c->cycles && (best < 0 || c->t[i].when < c->t[best].when))
                best = (int)i;
        if (best < 0)
            break;
        c->t[best].when = CLOCK_NEVER;  /* one-shot: the callback re-arms */
        c->t[best].cb(m, c->t[best].opaque);
    }
    clock_recompute(c);
}

uint64_t clock_ns_to_cycles(const struct clock *c, uint64_t ns)
{
    return ns * c->mhz / 1000;
}

uint64_t clock_cycles_to_ns(const struct clock *c, uint64_t cycles)
{
    return cycles * 1000 / c->mhz;
}
