/* vmviz's position in a trace (see vmviz_play.h). */
#include "tools/vmviz_play.h"
#include "tools/vmviz_index.h"

#include <stdlib.h>

struct vv_play *vv_play_new(struct tr_reader *r)
{
    struct vv_play *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->r = r;
    p->c = tr_cursor_new(r, 0);
    p->m = vv_model_new(tr_reader_header(r));
    if (!p->c || !p->m) {
        vv_play_free(p);
        return NULL;
    }
    return p;
}

void vv_play_free(struct vv_play *p)
{
    if (!p)
        return;
    if (p->c)
        tr_cursor_free(p->c);
    vv_model_free(p->m);
    free(p);
}

const struct tr_event *vv_play_peek(struct vv_play *p)
{
    if (p->pos == p->n) {
        p->pos = 0;
        p->n = tr_cursor_batch(p->c, p->buf, VV_PLAY_BATCH);
        if (!p->n)
            return NULL;
    }
    return &p->buf[p->pos];
}

uint64_t vv_play_advance(struct vv_play *p, uint64_t event, uint64_t cycle, uint64_t max)
{
    uint64_t n = 0;
    const struct tr_event *ev;
    while (n < max && (ev = vv_play_peek(p)) && ev->event < event && ev->cycle <= cycle) {
        vv_model_apply(p->m, ev);
        p->pos++;
        n++;
    }
    return n;
}

bool vv_play_step_row(struct vv_play *p, int row)
{
    const struct tr_event *ev;
    while ((ev = vv_play_peek(p))) {
        int r = vv_event_row(ev);
        vv_model_apply(p->m, ev);
        p->pos++;
        if (r == row)
            return true;
    }
    return false;
}

bool vv_play_reset(struct vv_play *p, size_t chunk, const struct vv_model *from)
{
    p->pos = p->n = 0;
    tr_cursor_seek_chunk(p->c, chunk);
    return vv_model_copy(p->m, from);
}
