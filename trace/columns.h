/* A record as the columns of one row of `vmtrace export --format csv`:
 * struct vmt_record (trace/libvmtrace.h) plus its text. The one place that
 * says which column holds what for each kind: libvmtrace fills its records
 * with it and vmtrace export prints its rows with it, so the Python reader's
 * arrays and the CSV cannot drift apart. Internal to trace/ and tools/. */
#ifndef VMSCOPE_TRACE_COLUMNS_H
#define VMSCOPE_TRACE_COLUMNS_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "trace/libvmtrace.h"
#include "trace/reader.h"

#define TR_TEXT_MAX 256     /* text column bound, NUL included */

/* The CSV header line's columns, comma-separated, without newline. */
extern const char tr_columns_header[];

/* A translation's columns (it has no text): what tr_columns does for
 * TRK_XLATE, inline for the readers' hot loop. Built as the record's eleven
 * 8-byte words (the layout is the ABI: libvmtrace.c checks the offsets
 * these shifts assume), eleven stores instead of a store per field. */
static inline void tr_columns_xlate(const struct tr_event *ev, struct vmt_record *o)
{
    const struct tr_xlate *x = &ev->u.xlate;
    uint64_t access = (x->kind & 3u) + 1, implicit = !!(x->kind & TR_IMPLICIT);
    uint64_t outcome = x->outcome < 5 ? x->outcome + 1u : 6u, tlb = (x->tlb & 7u) + 1;
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define TR_WORD(i, v) do { uint64_t w_ = (v); memcpy((char *)o + 8 * (i), &w_, 8); } while (0)
    TR_WORD(0, ev->event);
    TR_WORD(1, ev->count);
    TR_WORD(2, ev->cycle);
    TR_WORD(3, 0);                                  /* addr */
    TR_WORD(4, 0);                                  /* value */
    TR_WORD(5, ev->cr3 | (uint64_t)ev->pid << 32);
    TR_WORD(6, x->lin | (uint64_t)x->phys << 32);
    TR_WORD(7, x->cycles);                          /* cycles, addr2 0 */
    TR_WORD(8, 0);                                  /* value2, aux */
    TR_WORD(9, (uint64_t)TRK_XLATE << 32 | (uint64_t)ev->cycle_exact << 40 | access << 48 | implicit << 56);
    TR_WORD(10, outcome | tlb << 8 | (uint64_t)x->cpl << 16 | (uint64_t)x->global << 24 | (uint64_t)x->large << 32);
#undef TR_WORD
    _Static_assert(sizeof *o == 88, "eleven words");
#else
    *o = (struct vmt_record){
        .event = ev->event, .count = ev->count, .cycle = ev->cycle, .exact = ev->cycle_exact,
        .kind = TRK_XLATE, .cr3 = ev->cr3, .pid = (int32_t)ev->pid, .access = (uint8_t)access,
        .implicit = (uint8_t)implicit, .lin = x->lin, .phys = x->phys, .outcome = (uint8_t)outcome,
        .tlb = (uint8_t)tlb, .cycles = x->cycles, .cpl = x->cpl, .global = x->global, .large = x->large,
    };
#endif
}

/* EV's columns into OUT (text id 0) and its text column into TEXT
 * (unquoted; "" when none). R gives the symbols a fault's EIP is named by. */
void tr_columns(struct tr_reader *r, const struct tr_event *ev, struct vmt_record *out,
                char text[TR_TEXT_MAX]);
/* One CSV row (with newline) from REC and its TEXT, as export prints it:
 * columns that do not apply to REC's kind empty, an annotation's text
 * quoted. */
void tr_columns_csv(FILE *f, const struct vmt_record *rec, const char *text);

/* The linear page a record is about (--page), or 0xFFFFFFFF when none:
 * a translation's or walk's page, a fault's CR2, INVLPG's page, an
 * annotation's virtual-page field. */
uint32_t tr_event_page(const struct tr_event *ev);

/* The record selection of dump, export and libvmtrace's filters. */
struct tr_select {
    uint32_t kinds;                 /* bit per enum tr_kind; unknown kinds always pass */
    bool by_pid;                    /* pid: records while it runs, and annotations about it */
    uint32_t pid;
    bool by_page;                   /* page_lo..page_hi: tr_event_page in range */
    uint64_t page_lo, page_hi;
    bool by_cycle;                  /* cycle_lo..cycle_hi: the record's cycle in range */
    uint64_t cycle_lo, cycle_hi;
};
void tr_select_init(struct tr_select *s);      /* everything passes */
bool tr_select_match(const struct tr_select *s, const struct tr_event *ev);

#endif
