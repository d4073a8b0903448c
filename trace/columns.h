/* A record as the columns of one row of `vmtrace export --format csv`:
 * struct vmt_record (trace/libvmtrace.h) plus its text. The one place that
 * says which column holds what for each kind: libvmtrace fills its records
 * with it and vmtrace export prints its rows with it, so the Python reader's
 * arrays and the CSV cannot drift apart. Internal to trace/ and tools/. */
#ifndef VMSCOPE_TRACE_COLUMNS_H
#define VMSCOPE_TRACE_COLUMNS_H

#include <stdbool.h>
#include <stdio.h>

#include "trace/libvmtrace.h"
#include "trace/reader.h"

#define TR_TEXT_MAX 256     /* text column bound, NUL included */

/* The CSV header line's columns, comma-separated, without newline. */
extern const char tr_columns_header[];

/* A translation's columns (it has no text): what tr_columns does for
 * TRK_XLATE, inline for the readers' hot loop. */
static inline void tr_columns_xlate(const struct tr_event *ev, struct vmt_record *o)
{
    const struct tr_xlate *x = &ev->u.xlate;
    *o = (struct vmt_record){
        .event = ev->event, .count = ev->count, .cycle = ev->cycle, .exact = ev->cycle_exact,
        .kind = TRK_XLATE, .cr3 = ev->cr3, .pid = (int32_t)ev->pid,
        .access = (uint8_t)((x->kind & 3u) + 1), .implicit = !!(x->kind & TR_IMPLICIT),
        .lin = x->lin, .phys = x->phys, .outcome = (uint8_t)(x->outcome < 5 ? x->outcome + 1 : 6),
        .tlb = (uint8_t)((x->tlb & 7u) + 1), .cycles = x->cycles, .cpl = x->cpl, .global = x->global,
        .large = x->large,
    };
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
