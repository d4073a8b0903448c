/* vmviz's first pass: keyframes, timeline, lifetimes, marks (see
 * vmviz_index.h). */
#include "tools/vmviz_index.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

const char *const vv_row_names[VV_NROWS] = {
    [VV_ROW_FAULT] = "page faults",
    [VV_ROW_ZERO] = "zero-fill",
    [VV_ROW_COW] = "copy-on-write",
    [VV_ROW_MAJOR] = "major faults",
    [VV_ROW_SWAPOUT] = "swap out",
    [VV_ROW_SWAPIN] = "swap in",
    [VV_ROW_DISK] = "disk",
    [VV_ROW_FLUSH] = "TLB flushes",
    [VV_ROW_RECLAIM] = "reclaim",
    [VV_ROW_PROC] = "processes",
    [VV_ROW_MARK] = "marks",
};

/* The row of each record kind, and of each annotation kind (-1: none). */
static const signed char kind_rows[TRK_NKINDS] = {
    [TRK_XLATE] = -1, [TRK_WALK] = -1, [TRK_FAULT] = VV_ROW_FAULT, [TRK_FLUSH] = VV_ROW_FLUSH,
    [TRK_CR3] = -1, [TRK_DISK] = VV_ROW_DISK, [TRK_ANNOT] = -1, [TRK_SYNC] = -1,
};
static const signed char annot_rows[ANNOT_KIND_COUNT] = {
    [0] = -1,
    [ANNOT_PROC_CREATE] = VV_ROW_PROC, [ANNOT_EXEC] = VV_ROW_PROC, [ANNOT_EXIT] = VV_ROW_PROC,
    [ANNOT_CTX_SWITCH] = -1, [ANNOT_ZERO_FILL] = VV_ROW_ZERO, [ANNOT_COW_COPY] = VV_ROW_COW,
    [ANNOT_EVICT] = VV_ROW_SWAPOUT, [ANNOT_SWAP_IN] = VV_ROW_SWAPIN, [ANNOT_SWAP_CACHE_HIT] = -1,
    [ANNOT_PCACHE_INSERT] = -1, [ANNOT_PCACHE_EVICT] = -1, [ANNOT_WRITEBACK] = -1,
    [ANNOT_OOM_KILL] = VV_ROW_PROC, [ANNOT_MARK] = VV_ROW_MARK, [ANNOT_LRU_MOVE] = -1,
    [ANNOT_RECLAIM] = VV_ROW_RECLAIM, [ANNOT_KSWAPD] = -1, [ANNOT_MAJOR_FAULT] = VV_ROW_MAJOR,
    [ANNOT_SWAP_FREE] = -1, [ANNOT_COW_REUSE] = VV_ROW_COW, [ANNOT_STACK_GROW] = -1,
    [ANNOT_FRAME_ALLOC] = -1, [ANNOT_FRAME_FREE] = -1, [ANNOT_PCACHE_HIT] = -1,
    [ANNOT_FILE_FAULT] = -1, [ANNOT_COMM] = -1, [ANNOT_NOSYS] = -1, [ANNOT_VMA_MAP] = -1,
    [ANNOT_VMA_UNMAP] = -1,
};

int vv_event_row(const struct tr_event *ev)
{
    if (ev->kind == TRK_ANNOT)
        return ev->u.annot.kind < ANNOT_KIND_COUNT ? annot_rows[ev->u.annot.kind] : -1;
    return ev->kind < TRK_NKINDS ? kind_rows[ev->kind] : -1;
}

double vv_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

struct vv_index *vv_index_new(struct tr_reader *r, size_t budget, bool follow)
{
    struct vv_index *ix = calloc(1, sizeof *ix);
    if (!ix)
        return NULL;
    pthread_mutex_init(&ix->lock, NULL);
    ix->r = r;
    ix->follow = follow;
    ix->budget = budget ? budget : (size_t)768 << 20;
    ix->stride = 1;
    /* bins as narrow as the trace's length allows (it doubles when a
     * growing trace passes the last bin) */
    ix->bin_cycles = 1u << 16;
    struct tr_totals t;
    if (tr_reader_totals(r, &t)) {
        ix->bin_cycles = 1;
        while (ix->bin_cycles * VV_TL_BINS <= t.last_cycle)
            ix->bin_cycles *= 2;
    }
    ix->model = vv_model_new(tr_reader_header(r));
    ix->kfcap = 64;
    ix->kf = calloc(ix->kfcap, sizeof *ix->kf);
    struct vv_model *blank = vv_model_new(tr_reader_header(r));
    if (!ix->model || !ix->kf || !blank) {
        vv_model_free(blank);
        vv_index_free(ix);
        return NULL;
    }
    ix->kf[ix->nkf++] = (struct vv_keyframe){ 0, 0, 0, blank };
    return ix;
}

void vv_index_free(struct vv_index *ix)
{
    if (!ix)
        return;
    if (ix->running) {
        ix->stop = 1;
        pthread_join(ix->thread, NULL);
    }
    for (size_t i = 0; i < ix->nkf; i++)
        vv_model_free(ix->kf[i].m);
    free(ix->kf);
    free(ix->life);
    vv_model_free(ix->model);
    if (ix->r)
        tr_reader_close(ix->r);
    pthread_mutex_destroy(&ix->lock);
    free(ix);
}

/* Timeline: count EV in its bin, doubling the bins' width when the cycle
 * is past the last one. Caller holds the lock. */
static void timeline_add(struct vv_index *ix, const struct tr_event *ev, int row)
{
    while (ev->cycle / ix->bin_cycles >= VV_TL_BINS && ix->bin_cycles < (1ull << 62)) {
        for (unsigned b = 0; b < VV_TL_BINS / 2; b++)
            for (unsigned k = 0; k < VV_NROWS; k++) {
                uint64_t v = (uint64_t)ix->tl[2 * b][k] + ix->tl[2 * b + 1][k];
                ix->tl[b][k] = v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
                if (ix->tl[b][k] > ix->tl_max[k])
                    ix->tl_max[k] = ix->tl[b][k];
            }
        memset(ix->tl[VV_TL_BINS / 2], 0, sizeof ix->tl[0] * (VV_TL_BINS / 2));
        ix->bin_cycles *= 2;
    }
    uint64_t b = ev->cycle / ix->bin_cycles;
    if (b >= VV_TL_BINS)
        return;
    if (ix->tl[b][row] < UINT32_MAX)
        ix->tl[b][row]++;
    if (ix->tl[b][row] > ix->tl_max[row])
        ix->tl_max[row] = ix->tl[b][row];
}

/* Lifetimes: copied from the pass model's processes. Caller holds the lock. */
static void lives_update(struct vv_index *ix)
{
    const struct vv_model *m = ix->model;
    if (m->nproc > ix->nlife) {
        struct vv_life *l = realloc(ix->life, m->nproc * sizeof *l);
        if (!l)
            return;
        ix->life = l;
    }
    for (uint32_t i = 0; i < m->nproc; i++) {
        ix->life[i] = (struct vv_life){ m->proc[i].pid, "", m->proc[i].born, m->proc[i].died };
        memcpy(ix->life[i].name, m->proc[i].name, sizeof ix->life[i].name);
    }
    ix->nlife = m->nproc;
}

/* A keyframe of the pass model before chunk CHUNK, when due. */
static void keyframe(struct vv_index *ix, size_t chunk)
{
    struct vv_keyframe *last = &ix->kf[ix->nkf - 1];
    if (chunk < last->chunk + ix->stride)
        return;
    struct vv_model *k = vv_model_new(tr_reader_header(ix->r));
    if (!k || !vv_model_copy(k, ix->model)) {
        vv_model_free(k);
        return;
    }
    pthread_mutex_lock(&ix->lock);
    if (ix->nkf == ix->kfcap) {
        struct vv_keyframe *n = realloc(ix->kf, 2 * ix->kfcap * sizeof *n);
        if (!n) {
            pthread_mutex_unlock(&ix->lock);
            vv_model_free(k);
            return;
        }
        ix->kf = n;
        ix->kfcap *= 2;
    }
    ix->kf[ix->nkf++] = (struct vv_keyframe){ chunk, ix->model->event, ix->model->cycle, k };
    /* over budget: keep keyframe 0 and every other one, double the stride */
    if (ix->nkf > 2 && ix->nkf * vv_model_bytes(k) > ix->budget) {
        size_t j = 1;
        for (size_t i = 1; i < ix->nkf; i++) {
            if (i % 2 == 0)
                ix->kf[j++] = ix->kf[i];
            else
                vv_model_free(ix->kf[i].m);
        }
        ix->nkf = j;
        ix->stride *= 2;
    }
    pthread_mutex_unlock(&ix->lock);
}

void vv_index_run(struct vv_index *ix)
{
    double t0 = vv_now();
    struct tr_cursor *c = tr_cursor_new(ix->r, 0);
    struct tr_event *evs = malloc(VV_PLAY_BATCH * sizeof *evs);
    size_t chunk = 0;
    if (!c || !evs)
        goto out;
    while (!ix->stop) {
        size_t n = tr_cursor_batch(c, evs, VV_PLAY_BATCH);
        if (!n) {
            if (!ix->follow)
                break;
            pthread_mutex_lock(&ix->lock);
            lives_update(ix);
            pthread_mutex_unlock(&ix->lock);
            if (!tr_reader_refresh(ix->r)) {
                if (tr_reader_complete(ix->r))
                    break;
                usleep(50000);
            }
            continue;
        }
        for (size_t i = 0; i < n; i++) {
            const struct tr_event *ev = &evs[i];
            if (ev->chunk != chunk) {
                chunk = ev->chunk;
                keyframe(ix, chunk);
            }
            vv_model_apply(ix->model, ev);
            int row = vv_event_row(ev);
            if (row >= 0 || ev->kind == TRK_SYNC) {
                pthread_mutex_lock(&ix->lock);
                if (row >= 0)
                    timeline_add(ix, ev, row);
                if (row == VV_ROW_MARK && ix->model->mark_event == ix->model->event) {
                    ix->last_mark_event = ix->model->event;
                    ix->last_mark_cycle = ev->cycle;
                }
                if (row == VV_ROW_PROC)
                    lives_update(ix);
                pthread_mutex_unlock(&ix->lock);
            }
        }
        pthread_mutex_lock(&ix->lock);
        ix->events = ix->model->event;
        ix->last_cycle = ix->model->cycle;
        ix->records = ix->model->records;
        pthread_mutex_unlock(&ix->lock);
    }
out:
    pthread_mutex_lock(&ix->lock);
    lives_update(ix);
    ix->events = ix->model->event;
    ix->last_cycle = ix->model->cycle;
    ix->records = ix->model->records;
    ix->seconds = vv_now() - t0;
    ix->done = !ix->stop;
    pthread_mutex_unlock(&ix->lock);
    free(evs);
    if (c)
        tr_cursor_free(c);
}

static void *pass_thread(void *arg)
{
    vv_index_run(arg);
    return NULL;
}

bool vv_index_start(struct vv_index *ix)
{
    ix->running = pthread_create(&ix->thread, NULL, pass_thread, ix) == 0;
    return ix->running;
}

double vv_index_seek(struct vv_index *ix, struct vv_play *p, uint64_t event, uint64_t cycle)
{
    double t0 = vv_now();
    const struct vv_model *m = p->m;
    bool forward = m->event < event && m->cycle <= cycle;
    pthread_mutex_lock(&ix->lock);
    size_t best = 0;
    for (size_t i = 1; i < ix->nkf; i++)
        if (ix->kf[i].event <= event && ix->kf[i].cycle <= cycle)
            best = i;
    /* going forward within reach of the current position: just play on */
    if (!(forward && ix->kf[best].event <= m->event))
        vv_play_reset(p, ix->kf[best].chunk, ix->kf[best].m);
    pthread_mutex_unlock(&ix->lock);
    vv_play_advance(p, event, cycle, UINT64_MAX);
    return vv_now() - t0;
}
