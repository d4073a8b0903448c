/* vmviz's position in a trace: a model and the cursor that feeds it, with
 * one batch of records read ahead, so the position can stop exactly
 * before any record (a seek target, a cycle reached by playback, the next
 * event of a kind). No SDL. */
#ifndef VMSCOPE_TOOLS_VMVIZ_PLAY_H
#define VMSCOPE_TOOLS_VMVIZ_PLAY_H

#include <stdbool.h>
#include <stdint.h>

#include "tools/vmviz_model.h"
#include "trace/reader.h"

#define VV_PLAY_BATCH 256

struct vv_play {
    struct tr_reader *r;            /* not owned */
    struct tr_cursor *c;            /* owned */
    struct vv_model *m;             /* owned: the state at the position */
    struct tr_event buf[VV_PLAY_BATCH];
    size_t pos, n;                  /* read-ahead: buf[pos..n) not applied yet */
};

/* A player at the start of R (every frame unknown). NULL when out of memory. */
struct vv_play *vv_play_new(struct tr_reader *r);
void vv_play_free(struct vv_play *p);
/* The next record, not applied yet, or NULL at the end of what is there. */
const struct tr_event *vv_play_peek(struct vv_play *p);
/* Apply records while the next one has event number < EVENT and cycle <=
 * CYCLE (UINT64_MAX: no bound), at most MAX records. Returns how many. */
uint64_t vv_play_advance(struct vv_play *p, uint64_t event, uint64_t cycle, uint64_t max);
/* Apply records up to and including the next one whose timeline row is
 * ROW (vmviz_index.h enum vv_row). False when there is none. */
bool vv_play_step_row(struct vv_play *p, int row);
/* Restart reading at chunk I with the model replaced by a copy of FROM
 * (from vv_model_new with the same header). */
bool vv_play_reset(struct vv_play *p, size_t chunk, const struct vv_model *from);

#endif
