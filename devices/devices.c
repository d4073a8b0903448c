/* Builds the devices of one machine (see devices.h). */
#include "devices/devices.h"
#include "emu/machine.h"

bool devices_init(struct machine *m, const struct vm_options *opt, char *err, unsigned errlen)
{
    struct devices *d = &m->dev;
    if (!debugport_init(m, &d->dbg, opt->debugcon, err, errlen))
        return false;
    if (!uart_init(m, &d->uart, opt, err, errlen))
        return false;
    return true;
}

void devices_flush(struct machine *m)
{
    uart_flush(&m->dev.uart);
    if (m->dev.dbg.con)
        fflush(m->dev.dbg.con);
}

void devices_free(struct machine *m)
{
    uart_free(&m->dev.uart);
    debugport_free(&m->dev.dbg);
}

void devices_summary(struct machine *m, FILE *f)
{
    (void)m; (void)f;
}

uint8_t devices_intr_ack(struct machine *m)
{
    m->intr = false;    /* no PIC yet: the line is never raised */
    return 0x0F;
}
