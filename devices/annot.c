/* Guest annotation port (see annot.h; the ABI is trace/annot.h and
 * DESIGN.md "Guest annotations"). A write is rejected when it is not a
 * 32-bit OUT, when the header does not lie in RAM, when the kind is not a
 * known one, when the size is not that kind's exact size, or when the
 * record does not lie wholly in RAM. */
#include "devices/annot.h"
#include "emu/machine.h"
#include "trace/emit.h"

#include <string.h>

static const uint16_t annot_sizes[] = ANNOT_SIZES;
_Static_assert(sizeof annot_sizes / sizeof annot_sizes[0] == ANNOT_KIND_COUNT,
               "trace/annot.h: ANNOT_SIZES needs one size per kind");

static void annot_reject(struct annot_port *a, const char *fmt, unsigned x, uint32_t addr)
{
    a->bad++;
    snprintf(a->last_bad, sizeof a->last_bad, fmt, x, addr);
}

static void annot_write(struct machine *m, void *dev, uint16_t port, unsigned size, uint32_t val)
{
    struct annot_port *a = dev;
    if (port != ANNOT_PORT || size != 4) {
        annot_reject(a, "a %u-byte OUT instead of a 32-bit one (port 0x%x)", size, port);
        return;
    }
    const uint8_t *hdr = bus_ram_ptr(&m->bus, val, sizeof(struct annot_hdr));
    if (!hdr) {
        annot_reject(a, "header of %u bytes at 0x%08x is not in RAM",
                     (unsigned)sizeof(struct annot_hdr), val);
        return;
    }
    uint8_t rec[ANNOT_MAX_SIZE];
    uint16_t kind = (uint16_t)(hdr[0] | hdr[1] << 8), len = (uint16_t)(hdr[2] | hdr[3] << 8);
    if (kind == 0 || kind >= ANNOT_KIND_COUNT) {
        annot_reject(a, "unknown kind %u at 0x%08x", kind, val);
        return;
    }
    if (len != annot_sizes[kind] || len > ANNOT_MAX_SIZE) {
        annot_reject(a, "size %u is wrong for its kind, at 0x%08x", len, val);
        return;
    }
    const uint8_t *p = bus_ram_ptr(&m->bus, val, len);
    if (!p) {
        annot_reject(a, "record of %u bytes at 0x%08x runs out of RAM", len, val);
        return;
    }
    memcpy(rec, p, len);
    a->good++;
    a->by_kind[kind]++;
    if (m->trace)
        trace_emit_annot(m->trace, m->clock.cycles, rec, len);
}

void annot_init(struct machine *m, struct annot_port *a)
{
    memset(a, 0, sizeof *a);
    /* All four bytes, every width: a narrower OUT is seen (and counted bad)
     * rather than split. Reads are unclaimed (all ones), as under QEMU. */
    bus_register_pio(&m->bus, ANNOT_PORT, 4, PIO_W8 | PIO_W16 | PIO_W32, a, NULL, annot_write);
}
