/* Builds the devices of one machine (see devices.h). */
#include "devices/devices.h"
#include "emu/machine.h"
#include "trace/annot_desc.h"

#include <inttypes.h>

bool devices_init(struct machine *m, const struct vm_options *opt, char *err, unsigned errlen)
{
    struct devices *d = &m->dev;
    /* The PIC first: the others drive its lines as they start. */
    pic_init(m, &d->pic);
    pit_init(m, &d->pit);
    annot_init(m, &d->annot);
    ferr_init(m, &d->ferr);
    if (!debugport_init(m, &d->dbg, opt->debugcon, err, errlen))
        return false;
    if (!uart_init(m, &d->uart, opt, err, errlen))
        return false;
    if (!ata_init(m, &d->ata, opt, err, errlen))
        return false;
    rtc_init(m, &d->rtc, opt, d->ata.present ? d->ata.sectors : 0);
    if (d->pit.timer < 0 || d->rtc.timer < 0) {
        snprintf(err, errlen, "devices: no clock timer left");
        return false;
    }
    return true;
}

void devices_flush(struct machine *m)
{
    uart_flush(&m->dev.uart);
    if (m->dev.dbg.con)
        fflush(m->dev.dbg.con);
    ata_flush(&m->dev.ata);
}

void devices_free(struct machine *m)
{
    ata_free(&m->dev.ata);
    uart_free(&m->dev.uart);
    debugport_free(&m->dev.dbg);
}

uint8_t devices_intr_ack(struct machine *m)
{
    return pic_intr_ack(m);
}

void devices_summary(struct machine *m, FILE *f)
{
    struct devices *d = &m->dev;
    uint64_t total = 0;
    for (unsigned i = 0; i < 16; i++)
        total += d->pic.delivered[i];
    if (total || d->pic.spurious) {
        fprintf(f, "interrupts:   %" PRIu64 " (", total);
        const char *sep = "";
        for (unsigned i = 0; i < 16; i++) {
            if (d->pic.delivered[i]) {
                fprintf(f, "%sIRQ%u %" PRIu64, sep, i, d->pic.delivered[i]);
                sep = ", ";
            }
        }
        fprintf(f, "), %" PRIu64 " spurious\n", d->pic.spurious);
    }
    if (d->uart.tx_bytes || d->uart.rx_bytes)
        fprintf(f, "serial:       %" PRIu64 " bytes out, %" PRIu64 " bytes in\n",
                d->uart.tx_bytes, d->uart.rx_bytes);
    struct ata *a = &d->ata;
    if (a->read_cmds || a->write_cmds || a->flushes || a->errors)
        fprintf(f, "disk:         %" PRIu64 " sectors read (%" PRIu64 " commands), %" PRIu64
                " written (%" PRIu64 " commands%s), %" PRIu64 " flushes, %" PRIu64 " errors\n",
                a->read_sectors, a->read_cmds, a->write_sectors, a->write_cmds,
                a->img.overlay_fd >= 0 ? ", to the --disk-snapshot overlay" : "", a->flushes, a->errors);
    struct annot_port *an = &d->annot;
    if (an->good || an->bad) {
        fprintf(f, "annotations:  %" PRIu64 " good", an->good);
        const char *sep = " (";
        for (unsigned k = 1; k < ANNOT_KIND_COUNT; k++) {
            if (an->by_kind[k]) {
                fprintf(f, "%s%s %" PRIu64, sep, annot_descs[k].name, an->by_kind[k]);
                sep = ", ";
            }
        }
        fprintf(f, "%s, %" PRIu64 " bad", an->good ? ")" : "", an->bad);
        if (an->bad)
            fprintf(f, " (last: %s)", an->last_bad);
        fputc('\n', f);
    }
}

bool devices_can_interrupt(struct machine *m)
{
    return pic_can_interrupt(&m->dev.pic);
}
