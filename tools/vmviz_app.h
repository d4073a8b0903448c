/* vmviz's command-line program: what its parts share (vmviz.c parses and
 * runs snapshots and counts, vmviz_window.c runs the window). */
#ifndef VMSCOPE_TOOLS_VMVIZ_APP_H
#define VMSCOPE_TOOLS_VMVIZ_APP_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "tools/vmviz_index.h"
#include "tools/vmviz_layout.h"
#include "tools/vmviz_play.h"

struct vv_options {
    const char *path;
    const char *snapshot;       /* --snapshot OUT.png */
    const char *at;             /* --at WHEN */
    const char *keys;           /* --keys: keys pressed once the window is up (tests) */
    const char *ready;          /* --ready FILE: geometry JSON once the position is shown */
    int w, h;                   /* --size */
    bool counts, follow, states_only;
    enum vv_layout_kind layout;
    double exit_after;          /* --exit-after SECONDS (tests); 0 never */
    const char *resize;         /* --resize WxH,...: resize the window to each, a frame apart (tests) */
    int mouse_x, mouse_y;       /* --mouse X,Y: the pointer's place, fixed (tests); -1 none */
    unsigned seek_bench;        /* --seek-bench N: time N seeks after the first pass */
};

/* Problems the reader reported (damaged chunks); the latest one goes to
 * the status line. */
struct vv_diag {
    pthread_mutex_t lock;       /* both readers report here, the index's from its thread */
    char last[256];
    unsigned n;
};
/* The count and latest message into LAST[256] (under the lock). */
unsigned vv_diag_get(struct vv_diag *d, char *last);

/* Resolve WHEN (a cycle, "end" or "mark") to bounds for vv_index_seek
 * (UINT64_MAX: none). False, with a message on stderr, when it is not one. */
bool vv_parse_when(const char *when, struct vv_index *ix, uint64_t *event, uint64_t *cycle);
/* OUT.json beside PNG (or the file JSON itself when PNG is NULL): the
 * frame map's rectangle, cell, layout, frames per state of M. */
bool vv_write_geometry(const char *png, const char *json, const struct vv_map *map, const struct vv_model *m,
                       int w, int h, const char *trace);
/* The window. Returns the exit status. */
int vv_window(const struct vv_options *o, struct vv_index *ix, struct vv_play *p, struct vv_diag *dg);

#endif
