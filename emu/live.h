/* Watching a run as it happens: `vmscope run --events[=KINDS]` (lines on
 * stderr, emu/events.h) and `vmscope run --viz` (the vmviz window).
 *
 * Both read the run's trace file while the writer appends to it, through
 * the trace reader (TR_OPEN_FOLLOW), the same decoder as a replay. Without
 * --trace the run writes one to an unlinked temporary file in $TMPDIR
 * (--events alone records only faults and annotations, which costs little;
 * --viz records everything). The emulator never waits on a viewer: it
 * writes to a file, the viewer follows; a slow window draws fewer frames,
 * it never skips records. With neither option nothing here runs, and the
 * run loop has no extra test at all. */
#ifndef VMSCOPE_EMU_LIVE_H
#define VMSCOPE_EMU_LIVE_H

#include <stdbool.h>
#include <stddef.h>

#include "emu/options.h"

struct machine;
struct live;

/* Before machine_new: choose the trace file (a temporary one when there
 * is no --trace) and its filter. False with ERR (bad --events kinds, no
 * temporary file). *LV is NULL when neither option is given. */
bool live_prepare(struct vm_options *opt, struct live **lv, char *err, size_t errlen);
/* After machine_new: open the readers, start the printer thread and the
 * window. False with ERR. */
bool live_start(struct live *lv, struct machine *m, char *err, size_t errlen);
/* After the run: print what is left (the printer reads up to the last
 * record written), stop the thread; the window keeps running on its own.
 * Frees LV (NULL is fine). */
void live_finish(struct live *lv, struct machine *m);

#endif
