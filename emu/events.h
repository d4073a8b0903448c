/* `vmscope run --events[=KINDS]`: memory-management events on stderr, one
 * line each, with names resolved, read from the run's trace through the
 * trace reader (the same decoder vmviz and vmtrace use):
 *
 *   fault  pid 7  cow        write 0804d000 in main+0x3c → cow-copy frame 0x17c (from 0x0a3)
 *   evict  pid 9  swap-linear vpage=40123 frame=0017c slot=12 policy=2q
 *
 * A page fault is printed with what the kernel did about it: the
 * annotations of the same pid that follow it (zero-fill, cow-copy,
 * cow-reuse, swap-in, swap-cache-hit, major-fault, file-fault,
 * stack-grow). Names: the process's from proc-create, exec and comm; the
 * kernel function from the trace's symbol tables; a user function from
 * DIR/NAME.elf (NAME the exec annotation's), read with emu/symbols.c. */
#ifndef VMSCOPE_EMU_EVENTS_H
#define VMSCOPE_EMU_EVENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "trace/reader.h"

struct ev_printer;

/* Parse KINDS ("" or NULL: the default set; "all"; or a comma list of
 * `fault` and annotation kind names) into *MASK (bit k: annotation kind k;
 * bit 0: faults). False with ERR naming the unknown word. */
bool ev_kinds_parse(const char *kinds, uint64_t *mask, char *err, size_t errlen);
/* A printer of the records of R whose kinds are in MASK, to OUT, with user
 * symbols from SYMDIR (may be NULL). */
struct ev_printer *ev_printer_new(struct tr_reader *r, uint64_t mask, const char *symdir, FILE *out);
void ev_printer_free(struct ev_printer *p);
/* Print what record EV says (faults wait for their resolution). */
void ev_printer_record(struct ev_printer *p, const struct tr_event *ev);
/* Print a fault still waiting for its resolution. */
void ev_printer_flush(struct ev_printer *p);

#endif
