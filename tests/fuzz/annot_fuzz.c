/* libFuzzer target: the guest annotation records, from the port to the text.
 *
 * Input: u32 ADDRESS, u8 WIDTH, then the record's bytes. The bytes are put
 * in guest RAM (4 MiB) at ADDRESS when they fit there, and the address is
 * written to port 0x440 with a WIDTH-byte OUT, so the port's checks (not a
 * 32-bit OUT, header or record outside RAM, unknown kind, lying size) see
 * addresses anywhere, including the last bytes of RAM and past it. When
 * bits 3-5 of WIDTH are clear (one input in eight, and always in the
 * replay build), the record is traced through the real writer into a
 * file, read back through the reader, and formatted by the annotation table (annot_format,
 * annot_field_text, the reader's kind names) at every size from 8 to the
 * input's. Nothing may crash, read outside the buffers, or accept a record
 * the port must refuse. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "devices/annot.h"
#include "emu/machine.h"
#include "trace/annot_desc.h"
#include "trace/reader.h"
#include "trace/writer.h"

#define RAM (4u << 20)

static void format_all(const uint8_t *rec, size_t size)
{
    char line[512], small[7];
    annot_format(line, sizeof line, rec, size);
    annot_format(small, sizeof small, rec, size);   /* cut short */
    annot_format(NULL, 0, rec, size);
    const struct annot_desc *d = annot_desc_of(rec, size);
    for (unsigned i = 0; d && i < d->nfield; i++) {
        char v[32];
        annot_field_text(rec, &d->field[i], v, sizeof v);
        if (strlen(v) >= sizeof v)
            abort();
    }
    if (d) {
        annot_field_of(d, ANNOT_FMT_VPAGE);
        annot_field_of(d, ANNOT_FMT_NAME);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct machine *m;
    static char path[64];
    if (!m) {
        struct vm_options opt = { .mem = RAM };
        char err[256];
        m = machine_new(&opt, err, sizeof err);
        if (!m)
            abort();
        snprintf(path, sizeof path, "/dev/shm/annot-fuzz-%d.vmt", (int)getpid());
    }
    if (size < 5)
        return 0;
    uint32_t addr;
    memcpy(&addr, data, 4);
    unsigned width = 1u << (data[4] % 3);
    const uint8_t *rec = data + 5;
    size_t n = size - 5;
    if (n > 4096)
        n = 4096;
    /* mostly near the end of RAM or inside it; the raw address otherwise */
    if ((addr & 3) == 1)
        addr = RAM - (addr >> 2) % 64;
    else if ((addr & 3) == 2)
        addr = (addr >> 2) % RAM;
    if ((uint64_t)addr + n <= RAM)
        bus_copy_in(m, addr, rec, n);

    /* The port, with the trace on now and then (opening a writer starts a
     * thread: every input would make the target eight times slower). */
    bool traced = true;
#ifdef VMSCOPE_LIBFUZZER
    traced = (data[4] & 0x38) == 0;
#endif
    struct trace_config cfg = { .vmscope_version = "fuzz", .ram_bytes = RAM, .tlb_spec = "", .cycle_model = "",
                                .cpu_mhz = 100, .kernel = "k", .cmdline = "" };
    char err[256];
    if (traced && !(m->trace = trace_writer_open(path, &cfg, err, sizeof err)))
        abort();
    unsigned good = m->dev.annot.good, bad = m->dev.annot.bad;
    bus_out(m, ANNOT_PORT, width, addr);
    if (traced)
        trace_writer_close(m->trace, err, sizeof err);
    m->trace = NULL;
    if (m->dev.annot.good + m->dev.annot.bad != good + bad + 1)
        abort();                    /* every OUT is counted once */
    if (m->dev.annot.good != good) {    /* accepted: it must be a well-formed record */
        uint8_t hdr[8];
        bus_copy_out(m, addr, hdr, 8);
        unsigned kind = hdr[0] | hdr[1] << 8, len = hdr[2] | hdr[3] << 8;
        if (width != 4 || !annot_desc(kind) || len != annot_desc(kind)->size || (uint64_t)addr + len > RAM)
            abort();
    }

    /* Read the trace back, formatting each annotation as the tools do. */
    struct tr_reader *r = NULL;
    if (traced)
        r = tr_reader_open(path, 0, NULL, NULL, err, sizeof err);
    if (traced && !r)
        abort();                    /* the writer's own file must be readable */
    if (r) {
        struct tr_cursor *c = tr_cursor_new(r, 0);
        struct tr_event ev;
        while (tr_cursor_next(c, &ev))
            if (ev.kind == TRK_ANNOT) {
                format_all(ev.u.annot.rec, ev.u.annot.size);
                tr_annot_name(ev.u.annot.kind);
            }
        tr_cursor_free(c);
        tr_reader_close(r);
    }

    /* The table on the raw bytes, at every size the input allows. */
    uint8_t buf[ANNOT_MAX_SIZE + 64] = { 0 };
    size_t k = n < sizeof buf ? n : sizeof buf;
    memcpy(buf, rec, k);
    for (size_t sz = 8; sz <= sizeof buf; sz += sz < 40 ? 1 : 16)
        format_all(buf, sz);
    return 0;
}
