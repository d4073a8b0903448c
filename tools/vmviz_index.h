/* vmviz's first pass over a trace: keyframes for seeking, the timeline,
 * process lifetimes and the quiet points (marks), built by one replay of
 * the whole file through the frame-state model, in a background thread
 * (the window) or in the caller's (snapshots, tests). No SDL.
 *
 * A keyframe is a copy of the model just before the first record of a
 * chunk; seeking copies the nearest keyframe at or before the target and
 * replays from its chunk (tr_cursor_seek_chunk), so no seek replays more
 * than `stride` chunks. The keyframes' memory is bounded: when they pass
 * the budget, every other one is dropped and the stride doubles. */
#ifndef VMSCOPE_TOOLS_VMVIZ_INDEX_H
#define VMSCOPE_TOOLS_VMVIZ_INDEX_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "tools/vmviz_model.h"
#include "tools/vmviz_play.h"
#include "trace/reader.h"

/* Timeline rows: the kinds of event drawn over time (and the kinds the
 * window's "step to next" can look for). */
enum vv_row {
    VV_ROW_FAULT,       /* page-fault records */
    VV_ROW_ZERO,        /* zero-fill */
    VV_ROW_COW,         /* cow-copy, cow-reuse */
    VV_ROW_MAJOR,       /* major-fault */
    VV_ROW_SWAPOUT,     /* evict */
    VV_ROW_SWAPIN,      /* swap-in */
    VV_ROW_DISK,        /* disk transfers */
    VV_ROW_FLUSH,       /* TLB flushes */
    VV_ROW_RECLAIM,     /* reclaim passes */
    VV_ROW_PROC,        /* proc-create, exec, exit, oom-kill */
    VV_ROW_MARK,        /* mark */
    VV_NROWS
};
extern const char *const vv_row_names[VV_NROWS];
/* The row of record EV, or -1 when it has none. */
int vv_event_row(const struct tr_event *ev);

#define VV_TL_BINS 512

struct vv_life {
    uint32_t pid;
    char name[ANNOT_NAME_LEN + 1];
    uint64_t born, died;            /* died 0: alive at the end of what was read */
};

struct vv_keyframe {
    size_t chunk;                   /* replay from this chunk */
    uint64_t event, cycle;          /* the model's position (before the chunk) */
    struct vv_model *m;
};

struct vv_index {
    pthread_mutex_t lock;           /* guards everything below while the pass runs */
    struct vv_keyframe *kf;
    size_t nkf, kfcap, stride;
    size_t budget;                  /* keyframe bytes allowed */
    uint64_t bin_cycles;            /* timeline: cycles per bin (a power of two) */
    uint32_t tl[VV_TL_BINS][VV_NROWS];
    uint32_t tl_max[VV_NROWS];      /* the largest bin of each row */
    struct vv_life *life;
    size_t nlife;
    uint64_t last_mark_event;       /* event number just after the last mark label 1; 0 none */
    uint64_t last_mark_cycle;
    uint64_t events, last_cycle;    /* read so far */
    uint64_t records;
    double seconds;                 /* host time of the pass */
    bool done;                      /* the pass reached the end */
    bool running;
    volatile int stop;
    pthread_t thread;
    struct tr_reader *r;            /* the pass's own reader */
    struct vv_model *model;         /* the pass's model */
    bool follow;                    /* live: wait for more instead of ending */
};

/* Prepare an index of the trace R (used by this index only; it is
 * closed by vv_index_free). BUDGET: keyframe bytes (0: 768 MiB). */
struct vv_index *vv_index_new(struct tr_reader *r, size_t budget, bool follow);
void vv_index_free(struct vv_index *ix);
/* The pass, in the caller's thread, to the end. */
void vv_index_run(struct vv_index *ix);
/* The pass in a background thread. */
bool vv_index_start(struct vv_index *ix);
/* Move P to just before the first record with event number >= EVENT or
 * with cycle > CYCLE (UINT64_MAX: no bound), from the nearest keyframe
 * (P reads its own reader on the same file). Returns the host seconds it
 * took. */
double vv_index_seek(struct vv_index *ix, struct vv_play *p, uint64_t event, uint64_t cycle);
/* Host monotonic seconds (reported, never used to decide a state). */
double vv_now(void);

#endif
