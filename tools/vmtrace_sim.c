/* vmtrace sim and mrc: re-simulation of a recorded trace.
 *
 * sim --tlb SPEC replays the translation stream (and the flushes and faults
 * that change TLB contents) through the emulator's own TLB model, mmu/tlb.c,
 * compiled into vmtrace: with the recorded geometry it must reproduce the
 * recorded outcome of every translation, which --check asserts.
 *
 * sim --frames N --policy P replays the page-reference string (one reference
 * per translation, pages named by address space and linear page) against N
 * page frames under OPT (Belady), LRU, FIFO, CLOCK, LFU and 2Q, and sets the
 * guest kernel's own replacement (its evict, swap-in and major-fault
 * annotations) beside them on the user pages' references (sim_kernel).
 *
 * mrc prints the miss-ratio curve for every memory size up to --max frames,
 * from one pass of Mattson's stack algorithm for LRU (stack distances
 * counted with a Fenwick tree) and for OPT (the priority stack ordered by
 * next reference). */
#include "tools/vmtrace.h"
#include "mmu/tlb.h"
#include "trace/annot_desc.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);   /* one core's time: fair on a busy host */
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ------------------------------------------------------------ sim --tlb */

struct tlb_sim {
    struct tlb_model *m;
    uint64_t xlate, agree;          /* translations, ones with the recorded outcome and TLB */
    uint64_t hits, misses;          /* simulated */
    uint64_t rec_hits, rec_misses;  /* recorded */
    uint64_t first_disagree;        /* event number, UINT64_MAX none */
};

/* One translation; returns true when the simulated outcome class and
 * structure equal the recorded ones. *MRU: the entry it used is its set's
 * most recent way (a repeat would be a hit that changes nothing). */
static bool tlb_sim_one(struct tlb_sim *s, const struct tr_xlate *x, bool *mru, struct tlb_ref *r)
{
    unsigned side = (x->kind & 3) == TR_FETCH ? TLB_SIDE_FETCH : TLB_SIDE_DATA;
    bool faulted = x->outcome == TR_HIT_FAULT || x->outcome == TR_MISS_FAULT;
    bool rec_hit = x->outcome == TR_HIT || x->outcome == TR_HIT_FAULT || x->outcome == TR_HIT_DIRTY;
    enum tlb_result res = tlb_lookup(s->m, side, x->lin, r);
    unsigned tid;
    bool hit = res != TLB_MISS;
    uint32_t flags = TLBE_RW | TLBE_US | TLBE_D | (x->global ? TLBE_G : 0) | (x->large ? TLBE_LARGE : 0);
    uint32_t base = x->large ? x->phys & 0xFFC00000u : x->phys & 0xFFFFF000u;
    *mru = false;
    if (hit) {
        tid = res == TLB_HIT_L1 ? r->c->id : TLB_STLB;
        if (faulted) {
            tlb_invalidate_page(s->m, x->lin, TLB_CAUSE_FAULT);
        } else if (x->outcome == TR_HIT_DIRTY) {
            s->m->c[tid]->st.assists++;
            tlb_refresh(s->m, side, x->lin, base, flags, r);
        }
    } else if (faulted) {
        tlb_count_miss(s->m, side, x->lin, x->large);
        struct tlb_cache *c = tlb_l1_for(s->m, side, x->large);
        tid = c ? c->id : s->m->c[TLB_STLB] ? TLB_STLB : TLB_NONE;
        tlb_invalidate_page(s->m, x->lin, TLB_CAUSE_FAULT);
    } else {
        tlb_fill(s->m, side, x->lin, base, flags, r);
        tid = r->c ? r->c->id : TLB_NONE;
    }
    if (!faulted && r->c && r->c->id != TLB_STLB)
        *mru = *tlb_ref_mru_fill(r) == tlb_ref_entry(r)->fill;
    if (hit)
        s->hits++;
    else
        s->misses++;
    if (rec_hit)
        s->rec_hits++;
    else
        s->rec_misses++;
    return hit == rec_hit && (tid == x->tlb || (tid == TLB_NONE && x->tlb == TR_NOTLB));
}

/* Fast-path entries of the replay (per side, by linear page). */
#define SIM_FAST 256
struct sim_fast {
    uint32_t page;                  /* linear page + 1, 0 empty */
    struct tlb_cache *c;            /* the first-level structure holding it */
    const uint64_t *mru_fill;       /* its set's most-recent fill */
    uint64_t fill;                  /* the entry's fill number */
};

static int sim_tlb(struct tr_reader *r, const char *spec, bool check, bool timing)
{
    const struct tr_header *h = tr_reader_header(r);
    struct tlb_config cfg;
    char err[256];
    tlb_config_default(&cfg);
    if (!tlb_config_parse(&cfg, h->tlb_spec, err, sizeof err)) {
        fprintf(stderr, "vmtrace: %s: recorded TLB spec '%s' does not parse: %s\n", tr_reader_name(r),
                h->tlb_spec, err);
        return 2;
    }
    bool recorded = !spec || !strcmp(spec, "recorded");
    if (!recorded) {
        tlb_config_default(&cfg);
        if (!tlb_config_parse(&cfg, spec, err, sizeof err)) {
            fprintf(stderr, "vmtrace sim: --tlb: %s\n", err);
            return 2;
        }
    }
    if (!(h->kinds & 1)) {
        fprintf(stderr, "vmtrace sim: %s: translations were not recorded (filter '%s')\n", tr_reader_name(r),
                h->filter);
        return 2;
    }
    char canon[512];
    tlb_config_format(&cfg, canon, sizeof canon);
    struct tlb_sim s = { .m = tlb_model_new(&cfg), .first_disagree = UINT64_MAX };
    if (!s.m) {
        fprintf(stderr, "vmtrace: out of memory\n");
        return 1;
    }
    struct tr_cursor *c = tr_cursor_new(r, 0);
    struct tr_event *evs = malloc(VT_BATCH * sizeof *evs);
    if (!evs) {
        fprintf(stderr, "vmtrace: out of memory\n");
        exit(1);
    }
    struct vt_progress pg;
    struct sim_fast (*fast)[SIM_FAST] = vt_xcalloc(2, sizeof *fast);
    vt_progress_init(&pg, "sim");
    uint64_t nrec = 0;
    double t0 = now();
    size_t nb;
    while ((nb = tr_cursor_batch(c, evs, VT_BATCH))) {
        for (struct tr_event *ev = evs; ev < evs + nb; ev++) {
            if ((++nrec & 0xFFFF) == 0)
                vt_progress(&pg, tr_cursor_chunk(c), tr_reader_nchunks(r));
            if (ev->kind == TRK_XLATE) {
                bool mru;
                struct tlb_ref ref;
                uint64_t n = ev->count;
                s.xlate += n;
                /* As the MMU's fast path: a hit on its set's most recent way
                 * changes no replacement state, so it is only counted. */
                const struct tr_xlate *x = &ev->u.xlate;
                unsigned side = (x->kind & 3) == TR_FETCH ? TLB_SIDE_FETCH : TLB_SIDE_DATA;
                struct sim_fast *f = &fast[side][(x->lin >> 12) & (SIM_FAST - 1)];
                if (x->outcome == TR_HIT && f->page == (x->lin >> 12) + 1 && *f->mru_fill == f->fill) {
                    f->c->st.hits += n;
                    s.hits += n;
                    s.rec_hits += n;
                    if (x->tlb == f->c->id)
                        s.agree += n;
                    else if (s.first_disagree == UINT64_MAX)
                        s.first_disagree = ev->event;
                    continue;
                }
                if (tlb_sim_one(&s, &ev->u.xlate, &mru, &ref))
                    s.agree++;
                else if (s.first_disagree == UINT64_MAX)
                    s.first_disagree = ev->event;
                if (mru && x->outcome != TR_HIT_FAULT && x->outcome != TR_MISS_FAULT) {
                    f->page = (x->lin >> 12) + 1;
                    f->c = ref.c;
                    f->mru_fill = tlb_ref_mru_fill(&ref);
                    f->fill = tlb_ref_entry(&ref)->fill;
                }
                if (n > 1 && mru) {
                    /* the rest of the run: first-level hits on the most recent way */
                    ref.c->st.hits += n - 1;
                    s.hits += n - 1;
                    bool rec_hit = ev->u.xlate.outcome == TR_HIT || ev->u.xlate.outcome == TR_HIT_DIRTY;
                    if (rec_hit && ev->u.xlate.tlb == ref.c->id) {
                        s.agree += n - 1;
                        s.rec_hits += n - 1;
                    } else {
                        if (rec_hit)
                            s.rec_hits += n - 1;
                        else
                            s.rec_misses += n - 1;
                        if (s.first_disagree == UINT64_MAX)
                            s.first_disagree = ev->event + 1;
                    }
                } else {
                    for (uint64_t k = 1; k < n; k++) {
                        if (tlb_sim_one(&s, &ev->u.xlate, &mru, &ref))
                            s.agree++;
                        else if (s.first_disagree == UINT64_MAX)
                            s.first_disagree = ev->event + k;
                    }
                }
            } else if (ev->kind == TRK_FLUSH) {
                if (ev->u.flush.kind == TR_FLUSH_CR3)
                    tlb_flush_nonglobal(s.m);
                else if (ev->u.flush.kind == TR_FLUSH_ALL)
                    tlb_flush_all(s.m);
                else
                    tlb_invalidate_page(s.m, ev->u.flush.addr, TLB_CAUSE_PAGE);
            }
        }
    }
    free(evs);
    double t1 = now();
    vt_progress_done(&pg);
    tr_cursor_free(c);
    printf("TLB:         %s%s\n", canon, recorded ? " (as recorded)" : "");
    printf("recorded:    %s\n", h->tlb_spec[0] ? h->tlb_spec : "(model default)");
    printf("translations %" PRIu64 ": simulated %" PRIu64 " hits, %" PRIu64 " misses (hit rate %.4f%%); "
           "recorded %" PRIu64 " hits, %" PRIu64 " misses (%.4f%%)\n", s.xlate, s.hits, s.misses,
           s.xlate ? 100.0 * (double)s.hits / (double)s.xlate : 0.0, s.rec_hits, s.rec_misses,
           s.xlate ? 100.0 * (double)s.rec_hits / (double)s.xlate : 0.0);
    tlb_print_stats(s.m, stdout, "  ");
    printf("agreement:   %" PRIu64 " of %" PRIu64 " translations have the recorded outcome and TLB", s.agree, s.xlate);
    if (s.first_disagree != UINT64_MAX)
        printf(" (first difference at event #%" PRIu64 ")", s.first_disagree);
    printf("\n");
    if (recorded)
        printf("%s\n", s.agree == s.xlate ? "reproduces the recorded counts exactly"
                                           : "DOES NOT reproduce the recorded counts");
    if (timing)
        fprintf(stderr, "sim --tlb: %" PRIu64 " events (%" PRIu64 " records) in %.3f s: %.1f M events/s\n",
                s.xlate, nrec, t1 - t0, (double)s.xlate / (t1 - t0) / 1e6);
    tlb_model_free(s.m);
    free(fast);
    return check && s.agree != s.xlate ? 1 : 0;
}

/* ------------------------------------------------------------ reference strings */

/* The page-reference string: dense page ids, consecutive repeats merged
 * (their number in cnt), and each id's address space. */
struct refs {
    uint32_t *ref;                  /* [n] page id */
    uint32_t *cnt;                  /* [n] references merged into it */
    size_t n, cap;
    uint64_t total;                 /* references (translations) */
    uint32_t npages;                /* distinct pages */
    uint32_t *space;                /* [npages] address-space id */
    uint64_t *key;                  /* [npages] space << 20 | page */
    struct vt_spaces sp;
};

/* Read the page-reference string of R's translations (WANT_SPACE >= 0:
 * that address space's only). G, when not NULL, takes the annotations. */
static void refs_load(struct refs *R, struct tr_reader *r, uint32_t kbase, int want_space, struct vt_guest *g)
{
    memset(R, 0, sizeof *R);
    vt_spaces_init(&R->sp, kbase);
    struct vt_map pages;
    vt_map_init(&pages);
    size_t pcap = 4096;
    R->space = vt_xmalloc(pcap * sizeof *R->space);
    R->key = vt_xmalloc(pcap * sizeof *R->key);
    R->cap = 1 << 16;
    R->ref = vt_xmalloc(R->cap * sizeof *R->ref);
    R->cnt = vt_xmalloc(R->cap * sizeof *R->cnt);
    struct tr_cursor *c = tr_cursor_new(r, 0);
    struct tr_event ev;
    uint64_t last_key = UINT64_MAX;
    uint32_t last_id = UINT32_MAX, prev = UINT32_MAX;
    struct vt_progress pg;
    vt_progress_init(&pg, "read");
    uint64_t nrec = 0;
    while (tr_cursor_next(c, &ev)) {
        if ((++nrec & 0xFFFF) == 0)
            vt_progress(&pg, tr_cursor_chunk(c), tr_reader_nchunks(r));
        if (ev.kind != TRK_XLATE) {
            if (ev.kind == TRK_ANNOT && g)
                vt_guest_note(g, &ev);
            continue;
        }
        uint32_t s = vt_space_of(&R->sp, ev.cr3, ev.u.xlate.lin, ev.u.xlate.global);
        if (want_space >= 0 && s != (uint32_t)want_space)
            continue;
        uint64_t key = (uint64_t)s << 20 | ev.u.xlate.lin >> 12;
        uint32_t id;
        if (key == last_key) {
            id = last_id;
        } else {
            bool found;
            id = *vt_map_get(&pages, key, R->npages, &found);
            if (!found) {
                if (R->npages == pcap) {
                    pcap *= 2;
                    R->space = realloc(R->space, pcap * sizeof *R->space);
                    R->key = realloc(R->key, pcap * sizeof *R->key);
                    if (!R->space || !R->key) {
                        fprintf(stderr, "vmtrace: out of memory\n");
                        exit(1);
                    }
                }
                R->space[R->npages] = s;
                R->key[R->npages] = key;
                R->npages++;
            }
            last_key = key;
            last_id = id;
        }
        R->total += ev.count;
        if (id == prev) {
            uint64_t v = (uint64_t)R->cnt[R->n - 1] + ev.count;
            R->cnt[R->n - 1] = v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
            continue;
        }
        if (R->n == R->cap) {
            R->cap *= 2;
            R->ref = realloc(R->ref, R->cap * sizeof *R->ref);
            R->cnt = realloc(R->cnt, R->cap * sizeof *R->cnt);
            if (!R->ref || !R->cnt) {
                fprintf(stderr, "vmtrace: out of memory (%zu references)\n", R->n);
                exit(1);
            }
        }
        R->ref[R->n] = id;
        R->cnt[R->n] = ev.count > UINT32_MAX ? UINT32_MAX : (uint32_t)ev.count;
        R->n++;
        prev = id;
    }
    vt_progress_done(&pg);
    tr_cursor_free(c);
    vt_map_free(&pages);
}

static void refs_free(struct refs *R)
{
    free(R->ref);
    free(R->cnt);
    free(R->space);
    free(R->key);
    vt_spaces_free(&R->sp);
}

/* next[i]: index of the next reference to ref[i]'s page, or n + page (never). */
static uint64_t *next_use(const uint32_t *ref, size_t n, uint32_t npages)
{
    uint64_t *next = vt_xmalloc(n * sizeof *next);
    uint64_t *seen = vt_xmalloc((size_t)npages * sizeof *seen);
    for (uint32_t p = 0; p < npages; p++)
        seen[p] = (uint64_t)n + p;
    for (size_t i = n; i-- > 0;) {
        next[i] = seen[ref[i]];
        seen[ref[i]] = i;
    }
    free(seen);
    return next;
}

/* ------------------------------------------------------------ policies */

/* Doubly linked lists over page ids, several lists sharing the arrays. */
struct dl {
    uint32_t *prev, *next;
};
struct dlist {
    uint32_t head, tail, len;       /* head: most recent */
};
#define NIL UINT32_MAX

static void dl_init(struct dl *d, uint32_t n)
{
    d->prev = vt_xmalloc(n * sizeof *d->prev);
    d->next = vt_xmalloc(n * sizeof *d->next);
}

static void dl_free(struct dl *d)
{
    free(d->prev);
    free(d->next);
}

static void dl_push(struct dl *d, struct dlist *l, uint32_t x)
{
    d->prev[x] = NIL;
    d->next[x] = l->head;
    if (l->head != NIL)
        d->prev[l->head] = x;
    else
        l->tail = x;
    l->head = x;
    l->len++;
}

static void dl_del(struct dl *d, struct dlist *l, uint32_t x)
{
    if (d->prev[x] != NIL)
        d->next[d->prev[x]] = d->next[x];
    else
        l->head = d->next[x];
    if (d->next[x] != NIL)
        d->prev[d->next[x]] = d->prev[x];
    else
        l->tail = d->prev[x];
    l->len--;
}

/* An indexed binary heap of page ids by a 64-bit key; MAXHEAP picks the order. */
struct heap {
    uint32_t *a;                    /* heap of ids */
    uint32_t *pos;                  /* id -> index, NIL absent */
    uint64_t *key;                  /* id -> key */
    uint32_t n;
    int max;
};

static void heap_init(struct heap *h, uint32_t npages, uint32_t cap, int max)
{
    h->a = vt_xmalloc((size_t)cap * sizeof *h->a);
    h->pos = vt_xmalloc((size_t)npages * sizeof *h->pos);
    h->key = vt_xcalloc(npages, sizeof *h->key);
    memset(h->pos, 0xFF, (size_t)npages * sizeof *h->pos);
    h->n = 0;
    h->max = max;
}

static void heap_free(struct heap *h)
{
    free(h->a);
    free(h->pos);
    free(h->key);
}

static inline bool heap_before(const struct heap *h, uint32_t x, uint32_t y)
{
    return h->max ? h->key[x] > h->key[y] : h->key[x] < h->key[y];
}

static void heap_swap(struct heap *h, uint32_t i, uint32_t j)
{
    uint32_t t = h->a[i];
    h->a[i] = h->a[j];
    h->a[j] = t;
    h->pos[h->a[i]] = i;
    h->pos[h->a[j]] = j;
}

static void heap_fix(struct heap *h, uint32_t i)
{
    while (i && heap_before(h, h->a[i], h->a[(i - 1) / 2])) {
        heap_swap(h, i, (i - 1) / 2);
        i = (i - 1) / 2;
    }
    for (;;) {
        uint32_t l = 2 * i + 1, r = l + 1, b = i;
        if (l < h->n && heap_before(h, h->a[l], h->a[b]))
            b = l;
        if (r < h->n && heap_before(h, h->a[r], h->a[b]))
            b = r;
        if (b == i)
            break;
        heap_swap(h, i, b);
        i = b;
    }
}

static void heap_push(struct heap *h, uint32_t x, uint64_t key)
{
    h->key[x] = key;
    h->a[h->n] = x;
    h->pos[x] = h->n;
    h->n++;
    heap_fix(h, h->n - 1);
}

static uint32_t heap_pop(struct heap *h)
{
    uint32_t x = h->a[0];
    h->n--;
    if (h->n) {
        h->a[0] = h->a[h->n];
        h->pos[h->a[0]] = 0;
        heap_fix(h, 0);
    }
    h->pos[x] = NIL;
    return x;
}

static void heap_update(struct heap *h, uint32_t x, uint64_t key)
{
    h->key[x] = key;
    heap_fix(h, h->pos[x]);
}

enum policy { P_OPT, P_LRU, P_FIFO, P_CLOCK, P_LFU, P_2Q, P_COUNT };
static const char *const policy_names[P_COUNT] = { "opt", "lru", "fifo", "clock", "lfu", "2q" };

/* Faults (misses) of REF[0..n) with N frames under POLICY. Merged repeats
 * are hits (and, for LFU, add their counts to the page's frequency). */
static uint64_t run_policy(enum policy pol, const uint32_t *ref, const uint32_t *cnt, size_t n,
                           uint32_t npages, uint32_t N, const uint64_t *next)
{
    uint64_t faults = 0;
    uint8_t *where = vt_xcalloc(npages, 1);        /* 0 absent; policy-specific states */
    switch (pol) {
    case P_OPT: {
        struct heap h;
        heap_init(&h, npages, N + 1, 1);
        for (size_t i = 0; i < n; i++) {
            uint32_t x = ref[i];
            if (h.pos[x] != NIL) {
                heap_update(&h, x, next[i]);
                continue;
            }
            faults++;
            if (h.n == N)
                heap_pop(&h);
            heap_push(&h, x, next[i]);
        }
        heap_free(&h);
        break;
    }
    case P_LRU: {
        struct dl d;
        struct dlist l = { NIL, NIL, 0 };
        dl_init(&d, npages);
        for (size_t i = 0; i < n; i++) {
            uint32_t x = ref[i];
            if (where[x]) {
                dl_del(&d, &l, x);
            } else {
                faults++;
                if (l.len == N) {
                    uint32_t v = l.tail;
                    dl_del(&d, &l, v);
                    where[v] = 0;
                }
                where[x] = 1;
            }
            dl_push(&d, &l, x);
        }
        dl_free(&d);
        break;
    }
    case P_FIFO: {
        uint32_t *q = vt_xmalloc((size_t)N * sizeof *q);
        uint32_t head = 0, len = 0;
        for (size_t i = 0; i < n; i++) {
            uint32_t x = ref[i];
            if (where[x])
                continue;
            faults++;
            if (len == N) {
                where[q[head]] = 0;
                q[head] = x;
                head = (head + 1) % N;
            } else {
                q[(head + len++) % N] = x;
            }
            where[x] = 1;
        }
        free(q);
        break;
    }
    case P_CLOCK: {
        uint32_t *fr = vt_xmalloc((size_t)N * sizeof *fr);
        uint8_t *refb = vt_xcalloc(N, 1);
        uint32_t *slot = vt_xmalloc((size_t)npages * sizeof *slot);
        uint32_t hand = 0, used = 0;
        for (size_t i = 0; i < n; i++) {
            uint32_t x = ref[i];
            if (where[x]) {
                refb[slot[x]] = 1;
                continue;
            }
            faults++;
            uint32_t f;
            if (used < N) {
                f = used++;
            } else {
                while (refb[hand]) {
                    refb[hand] = 0;
                    hand = (hand + 1) % N;
                }
                f = hand;
                where[fr[f]] = 0;
                hand = (hand + 1) % N;
            }
            fr[f] = x;
            refb[f] = 1;
            slot[x] = f;
            where[x] = 1;
        }
        free(fr);
        free(refb);
        free(slot);
        break;
    }
    case P_LFU: {
        /* least frequently used among resident pages, ties to the least recent */
        struct heap h;
        heap_init(&h, npages, N + 1, 0);
        uint64_t *freq = vt_xcalloc(npages, sizeof *freq);
        for (size_t i = 0; i < n; i++) {
            uint32_t x = ref[i];
            if (h.pos[x] != NIL) {
                freq[x] += cnt[i];
                heap_update(&h, x, freq[x] << 40 | (uint64_t)i);
                continue;
            }
            faults++;
            if (h.n == N)
                heap_pop(&h);
            freq[x] = cnt[i];
            heap_push(&h, x, freq[x] << 40 | (uint64_t)i);
        }
        free(freq);
        heap_free(&h);
        break;
    }
    case P_2Q: {
        /* Johnson & Shasha's full 2Q: A1in FIFO (Kin = N/4), A1out ghosts
         * (Kout = N/2), Am LRU. where: 1 A1in, 2 Am, 3 A1out. */
        uint32_t kin = N / 4 ? N / 4 : 1, kout = N / 2 ? N / 2 : 1;
        struct dl d;
        struct dlist a1in = { NIL, NIL, 0 }, a1out = { NIL, NIL, 0 }, am = { NIL, NIL, 0 };
        dl_init(&d, npages);
        for (size_t i = 0; i < n; i++) {
            uint32_t x = ref[i];
            if (where[x] == 2) {
                dl_del(&d, &am, x);
                dl_push(&d, &am, x);
                continue;
            }
            if (where[x] == 1)
                continue;
            faults++;
            if (a1in.len + am.len >= N) {
                if (a1in.len > kin || !am.len) {
                    uint32_t v = a1in.tail;
                    dl_del(&d, &a1in, v);
                    if (a1out.len >= kout) {
                        uint32_t g = a1out.tail;
                        dl_del(&d, &a1out, g);
                        where[g] = 0;
                    }
                    dl_push(&d, &a1out, v);
                    where[v] = 3;
                } else {
                    uint32_t v = am.tail;
                    dl_del(&d, &am, v);
                    where[v] = 0;
                }
            }
            if (where[x] == 3) {
                dl_del(&d, &a1out, x);
                dl_push(&d, &am, x);
                where[x] = 2;
            } else {
                dl_push(&d, &a1in, x);
                where[x] = 1;
            }
        }
        dl_free(&d);
        break;
    }
    default:
        break;
    }
    free(where);
    return faults;
}

/* Part of a reference string: the references to pages of one address
 * space, or of every user space, with repeats merged again. */
struct subset {
    uint32_t *ref, *cnt;            /* [n] page ids (those of struct refs) and merged counts */
    size_t n;
    uint64_t total;                 /* references */
    uint32_t pages, spaces;         /* distinct pages and address spaces in it */
};

#define SUBSET_USER (-1)            /* every address space but the kernel's (0) */

static void refs_subset(const struct refs *R, int space, struct subset *S)
{
    memset(S, 0, sizeof *S);
    S->ref = vt_xmalloc(R->n * sizeof *S->ref);
    S->cnt = vt_xmalloc(R->n * sizeof *S->cnt);
    uint8_t *seen = vt_xcalloc(R->npages, 1), *sseen = vt_xcalloc(R->sp.n, 1);
    for (size_t i = 0; i < R->n; i++) {
        uint32_t x = R->ref[i], sp = R->space[x];
        if (space == SUBSET_USER ? sp == 0 : sp != (uint32_t)space)
            continue;
        if (S->n && S->ref[S->n - 1] == x) {
            uint64_t v = (uint64_t)S->cnt[S->n - 1] + R->cnt[i];
            S->cnt[S->n - 1] = v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
        } else {
            S->ref[S->n] = x;
            S->cnt[S->n++] = R->cnt[i];
        }
        S->total += R->cnt[i];
        S->pages += !seen[x];
        seen[x] = 1;
        S->spaces += !sseen[sp];
        sseen[sp] = 1;
    }
    free(seen);
    free(sseen);
}

static void subset_free(struct subset *S)
{
    free(S->ref);
    free(S->cnt);
}

/* "2.50x", or "-" when the base is 0. */
static const char *ratio(char *buf, size_t len, uint64_t x, uint64_t base)
{
    if (base)
        snprintf(buf, len, "%.2fx", (double)x / (double)base);
    else
        snprintf(buf, len, "-");
    return buf;
}

/* The guest kernel's replacement beside the simulated policies (sim
 * --frames with --kernel, --frames auto, or a trace with evict or swap-in
 * records). The stream is the user pages' references; every policy runs on
 * it with N frames. Faults split into first touches (one per distinct page,
 * the same under every policy) and re-faults; a policy that fills its N
 * frames before it evicts (all six do) evicts max(0, faults - N) pages. The
 * kernel's counterparts are its evict records and its major faults (or its
 * swap-ins when the trace has no major-fault records). */
static void sim_kernel(const struct refs *R, uint64_t N, bool automatic, const bool *want,
                       const struct vt_guest *g, uint32_t kbase)
{
    struct subset S;
    refs_subset(R, SUBSET_USER, &S);
    uint64_t evicts = g->records[ANNOT_EVICT], swapins = g->records[ANNOT_SWAP_IN];
    uint64_t major_swap = 0, major_file = 0;
    for (size_t i = 0; i < g->nproc; i++) {
        major_swap += g->proc[i].major[ANNOT_SOURCE_SWAP];
        major_file += g->proc[i].major[ANNOT_SOURCE_FILE];
    }
    bool have_major = g->records[ANNOT_MAJOR_FAULT] != 0;
    uint64_t kernel_refaults = have_major ? major_swap + major_file : swapins;

    printf("\nguest kernel beside the policies: user pages (below 0x%08x, not global), one memory\n", kbase);
    printf("  references: %" PRIu64 " (%zu after merging repeats) to %u pages in %u address spaces\n", S.total, S.n,
           S.pages, S.spaces);
    if (automatic)
        printf("  frames: %" PRIu64 " (auto: the peak of the kernel's anonymous frames)\n", N);
    else
        printf("  frames: %" PRIu64 "\n", N);
    printf("  kernel: %" PRIu64 " evictions, %" PRIu64 " swap-ins, %" PRIu64 " major faults (%" PRIu64 " swap, %" PRIu64
           " file), %" PRIu64 " page-cache evictions (not counted); re-faults = %s\n", evicts, swapins,
           major_swap + major_file, major_swap, major_file, g->records[ANNOT_PCACHE_EVICT],
           have_major ? "major faults" : "swap-ins (no major-fault records)");
    printf("  kernel policy: ");
    unsigned kinds = 0, which = 0;
    for (unsigned i = 0; i <= ANNOT_POLICY_COUNT; i++)
        if (g->evict_policy[i])
            kinds++, which = i;
    if (!evicts)
        printf("- (no evict records)\n");
    else if (kinds == 1 && which < ANNOT_POLICY_COUNT)
        printf("%s (id %u, on all %" PRIu64 " evict records)\n", annot_enum_name(&annot_policies, which), which,
               evicts);
    else {
        printf("mixed (");
        vt_guest_print_policies(g, stdout);
        printf(")\n");
    }
    const struct vt_frames *fr = &g->frames;
    if (fr->records)
        printf("  kernel's anonymous frames: peak %" PRIu64 " (cycle %" PRIu64 "), %" PRIu64 " at the end; with the "
               "swap cache: peak %" PRIu64 "\n", fr->anon_peak, fr->anon_peak_cycle, fr->use[ANNOT_USE_ANON],
               fr->anon_swap_peak);
    uint64_t *next = next_use(S.ref, S.n, R->npages);
    uint64_t opt = S.n ? run_policy(P_OPT, S.ref, S.cnt, S.n, R->npages, (uint32_t)N, next) : 0;
    uint64_t opt_re = opt - S.pages, opt_ev = opt > N ? opt - N : 0;
    char r1[32], r2[32];
    printf("  %-8s %10s %10s %10s %14s %14s\n", "policy", "faults", "re-faults", "evictions", "re-faults/OPT",
           "evictions/OPT");
    printf("  %-8s %10s %10" PRIu64 " %10" PRIu64 " %14s %14s\n", "kernel", "-", kernel_refaults, evicts,
           ratio(r1, sizeof r1, kernel_refaults, opt_re), ratio(r2, sizeof r2, evicts, opt_ev));
    for (int p = 0; p < P_COUNT; p++) {
        if (!want[p] && p != P_OPT)
            continue;
        uint64_t f = p == P_OPT ? opt : S.n ? run_policy((enum policy)p, S.ref, S.cnt, S.n, R->npages, (uint32_t)N, next) : 0;
        uint64_t re = f - S.pages, ev = f > N ? f - N : 0;
        printf("  %-8s %10" PRIu64 " %10" PRIu64 " %10" PRIu64 " %14s %14s\n", policy_names[p], f, re, ev,
               ratio(r1, sizeof r1, re, opt_re), ratio(r2, sizeof r2, ev, opt_ev));
    }
    free(next);
    subset_free(&S);
}

/* sim --frames: N frames (0: auto, the kernel's peak of anonymous frames). */
static int sim_frames(struct tr_reader *r, uint64_t N, const char *policies, bool per_space, bool kernel,
                      uint32_t kbase, bool timing)
{
    bool want[P_COUNT] = { 0 };
    if (!policies || !strcmp(policies, "all")) {
        for (int p = 0; p < P_COUNT; p++)
            want[p] = true;
    } else {
        char buf[128];
        snprintf(buf, sizeof buf, "%s", policies);
        for (char *t = strtok(buf, ","); t; t = strtok(NULL, ",")) {
            int p;
            for (p = 0; p < P_COUNT; p++)
                if (!strcmp(t, policy_names[p]))
                    break;
            if (p == P_COUNT)
                return vt_usage("sim", "unknown policy '%s' (opt, lru, fifo, clock, lfu, 2q, all)", t);
            want[p] = true;
        }
    }
    bool automatic = N == 0;
    if (N > 100000000)
        return vt_usage("sim", "--frames takes a count between 1 and 10^8, or auto");
    struct refs R;
    struct vt_guest g;
    vt_guest_init(&g);
    double t0 = now();
    refs_load(&R, r, kbase, -1, &g);
    double t1 = now();
    if (automatic) {
        N = g.frames.anon_peak;
        if (!N) {
            fprintf(stderr, "vmtrace sim: --frames auto: %s has no frame-alloc records of anonymous frames "
                    "(use anon)\n", tr_reader_name(r));
            vt_guest_free(&g);
            refs_free(&R);
            return 2;
        }
        kernel = true;
    }
    if (!kernel) {
        printf("page references: %" PRIu64 " (%zu after merging repeats), %u distinct pages in %u address spaces\n",
               R.total, R.n, R.npages, R.sp.n);
        printf("frames: %" PRIu64 ", %s\n", N, per_space ? "each address space on its own" : "one memory for all spaces");
    }
    uint32_t nspace = kernel ? 0 : per_space ? R.sp.n : 1;
    for (uint32_t s = 0; s < nspace; s++) {
        const uint32_t *ref = R.ref, *cnt = R.cnt;
        size_t n = R.n;
        uint64_t total = R.total;
        struct subset S = { 0 };
        if (per_space) {
            refs_subset(&R, (int)s, &S);
            if (!S.n) {
                subset_free(&S);
                continue;
            }
            ref = S.ref;
            cnt = S.cnt;
            n = S.n;
            total = S.total;
            if (s == 0)
                printf("\nspace kernel:\n");
            else
                printf("\nspace cr3=%08x:\n", R.sp.cr3_of[s]);
        }
        uint64_t *next = want[P_OPT] ? next_use(ref, n, R.npages) : NULL;
        uint64_t opt = 0;
        printf("  %-6s %14s %12s %10s\n", "policy", "faults", "fault rate", "vs OPT");
        for (int p = 0; p < P_COUNT; p++) {
            if (!want[p])
                continue;
            uint64_t f = run_policy((enum policy)p, ref, cnt, n, R.npages, (uint32_t)N, next);
            if (p == P_OPT)
                opt = f;
            printf("  %-6s %14" PRIu64 " %11.5f%%", policy_names[p], f, total ? 100.0 * (double)f / (double)total : 0.0);
            if (want[P_OPT] && opt)
                printf(" %9.3fx", (double)f / (double)opt);
            printf("\n");
        }
        free(next);
        subset_free(&S);
    }
    if (kernel || g.records[ANNOT_EVICT] || g.records[ANNOT_SWAP_IN])
        sim_kernel(&R, N, automatic, want, &g, kbase);
    double t2 = now();
    if (timing)
        fprintf(stderr, "sim --frames: read %" PRIu64 " references in %.3f s (%.1f M/s), policies %.3f s\n", R.total,
                t1 - t0, (double)R.total / (t1 - t0) / 1e6, t2 - t1);
    vt_guest_free(&g);
    refs_free(&R);
    return 0;
}

int vt_cmd_sim(int argc, char **argv)
{
    if (vt_want_help(argc, argv)) {
        printf("usage: vmtrace sim FILE --tlb SPEC|recorded [--check] [--timing]\n"
               "       vmtrace sim FILE --frames N|auto [--policy P,...|all] [--per-space] [--kernel]\n"
               "                        [--kernel-base A]\n\n"
               "--tlb: re-run the recorded translations, flushes and faults through the emulator's TLB\n"
               "  model with geometry/policy SPEC (vmscope run --tlb syntax, e.g.\n"
               "  itlb=64:4,dtlb=128:8,policy=plru; 'recorded' = the file's own). Prints hits and misses\n"
               "  per structure, and how many translations got the recorded outcome. With the recorded\n"
               "  geometry that must be all of them; --check makes any difference exit status 1.\n"
               "--frames: replay the page-reference string (one reference per translation; a page is\n"
               "  an address space and a linear page; pages at or above --kernel-base, default\n"
               "  0xC0000000, and global pages are one shared kernel space) against N frames under\n"
               "  opt, lru, fifo, clock, lfu, 2q (default: all) and print the faults of each.\n"
               "  --per-space gives each address space its own N frames.\n"
               "The guest kernel beside the policies (printed after that table when the trace holds\n"
               "  evict or swap-in records; alone with --kernel or --frames auto): the stream is the\n"
               "  user pages' references only (below --kernel-base, not global; one memory for every\n"
               "  user address space), run through every policy with N frames. A line per policy and\n"
               "  one for the kernel: faults; re-faults, the faults on pages referenced before (each\n"
               "  page's first reference is a fault under every policy; the kernel's re-faults are its\n"
               "  major-fault records, or its swap-in records when the trace has no major-fault\n"
               "  records); evictions (a policy evicts max(0, faults - N) pages; the kernel's are its\n"
               "  evict records); and both as ratios to OPT (Belady's). The kernel's line also gives\n"
               "  the policy id on its evict records and its anonymous frames over time.\n"
               "  --frames auto takes N from the trace: the peak number of frames holding anonymous\n"
               "  pages at once (frame-alloc records of use anon, less frame-free records and changes\n"
               "  of use, e.g. into the swap cache).\n"
               "  Caveats: the kernel evicts only anonymous pages (a file page it drops is a page-cache\n"
               "  eviction, counted apart), while the stream holds every user page; and the kernel had\n"
               "  fewer frames for user pages when its own memory use grew, not a fixed N, so its\n"
               "  figures are those of a memory that varied (the anonymous-frame peak and end values\n"
               "  show by how much).\n");
        return 0;
    }
    const char *path = NULL, *tlb = NULL, *pol = NULL;
    uint64_t frames = 0, kbase = 0xC0000000u;
    bool check = false, timing = false, per_space = false, have_tlb = false, have_frames = false, kernel = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--tlb")) {
            if (!v)
                return vt_usage("sim", "--tlb takes a SPEC or 'recorded'");
            tlb = v;
            have_tlb = true;
            i++;
        } else if (!strcmp(a, "--frames")) {
            if (!v || (strcmp(v, "auto") && (!vt_parse_u64(v, &frames) || !frames)))
                return vt_usage("sim", "--frames takes a count or auto");
            if (!strcmp(v, "auto"))
                frames = 0;
            have_frames = true;
            i++;
        } else if (!strcmp(a, "--policy")) {
            if (!v)
                return vt_usage("sim", "--policy takes opt|lru|fifo|clock|lfu|2q or a comma list");
            pol = v;
            i++;
        } else if (!strcmp(a, "--kernel-base")) {
            if (!v || !vt_parse_u64(v, &kbase) || kbase > 0xFFFFFFFFu)
                return vt_usage("sim", "--kernel-base takes an address");
            i++;
        } else if (!strcmp(a, "--check")) {
            check = true;
        } else if (!strcmp(a, "--timing")) {
            timing = true;
        } else if (!strcmp(a, "--per-space")) {
            per_space = true;
        } else if (!strcmp(a, "--kernel")) {
            kernel = true;
        } else if (a[0] == '-' && a[1]) {
            return vt_usage("sim", "unknown option %s", a);
        } else if (path) {
            return vt_usage("sim", "one FILE only");
        } else {
            path = a;
        }
    }
    if (!path)
        return vt_usage("sim", "no FILE");
    if (have_tlb == have_frames)
        return vt_usage("sim", "give either --tlb SPEC or --frames N");
    if (have_frames && !frames && per_space)
        return vt_usage("sim", "--frames auto compares one memory for all user pages: not with --per-space");
    if (kernel && per_space)
        return vt_usage("sim", "--kernel compares one memory for all user pages: not with --per-space");
    struct tr_reader *r = vt_open(path, 0);
    if (!r)
        return 2;
    int rc = have_tlb ? sim_tlb(r, tlb, check, timing) : sim_frames(r, frames, pol, per_space, kernel, (uint32_t)kbase, timing);
    tr_reader_close(r);
    return rc;
}

/* ------------------------------------------------------------ mrc */

/* LRU stack distances with a Fenwick tree over reference positions: a page's
 * distance is 1 + the number of distinct pages referenced since its previous
 * reference (Mattson et al. 1970; Bennett & Kruskal 1975). hist[d] counts
 * distances d <= max; cold and deeper references are misses at every size. */
static void mrc_lru(const struct refs *R, uint32_t max, uint64_t *hist)
{
    size_t n = R->n;
    uint32_t *bit = vt_xcalloc(n + 1, sizeof *bit);
    uint64_t *last = vt_xmalloc((size_t)R->npages * sizeof *last);
    memset(last, 0xFF, (size_t)R->npages * sizeof *last);
    for (size_t i = 0; i < n; i++) {
        uint32_t x = R->ref[i];
        uint64_t p = last[x];
        if (p != UINT64_MAX) {
            /* marks in (p, i): prefix(i-1) - prefix(p) */
            uint64_t s = 0;
            for (size_t k = i; k > 0; k -= k & -k)
                s += bit[k];
            for (size_t k = p + 1; k > 0; k -= k & -k)
                s -= bit[k];
            uint64_t d = s + 1;
            if (d <= max)
                hist[d]++;
            for (size_t k = p + 1; k <= n; k += k & -k)
                bit[k]--;
        }
        for (size_t k = i + 1; k <= n; k += k & -k)
            bit[k]++;
        last[x] = i;
    }
    free(bit);
    free(last);
}

/* OPT stack distances (Mattson et al. 1970, the OPT priority stack): on each
 * reference the page goes to the top and, level by level down to where it
 * was, the page referenced sooner stays and the other moves down. The stack
 * is cut at MAX levels, which is exact for every size up to MAX. */
static void mrc_opt(const struct refs *R, uint32_t max, uint64_t *hist, struct vt_progress *pg)
{
    size_t n = R->n;
    uint64_t *next = next_use(R->ref, n, R->npages);
    uint64_t *nu = vt_xmalloc((size_t)R->npages * sizeof *nu);   /* page -> its next reference */
    uint32_t *st = vt_xmalloc((size_t)max * sizeof *st);
    uint32_t depth = 0;
    for (size_t i = 0; i < n; i++) {
        if ((i & 0xFFFF) == 0)
            vt_progress(pg, i, n);
        uint32_t x = R->ref[i];
        uint32_t k;
        for (k = 0; k < depth && st[k] != x; k++)
            ;
        if (k < depth)
            hist[k + 1]++;
        nu[x] = next[i];
        if (k == 0 && depth) {
            continue;
        }
        uint32_t carry = depth ? st[0] : NIL;
        st[0] = x;
        uint32_t end = k < depth ? k : depth;
        for (uint32_t j = 1; j < end; j++) {
            if (nu[st[j]] > nu[carry]) {    /* st[j] is needed later: it moves down */
                uint32_t t = st[j];
                st[j] = carry;
                carry = t;
            }
        }
        if (k < depth) {
            st[k] = carry;
        } else if (carry != NIL) {
            if (depth < max)
                st[depth++] = carry;
            else if (depth == 0)
                st[depth++] = x;
        } else if (!depth) {
            depth = 1;
        }
    }
    free(next);
    free(nu);
    free(st);
}

static double svg_x(double v, double maxv) { return 60 + 560 * v / maxv; }
static double svg_y(double v, double maxv) { return 340 - 300 * v / maxv; }

static int write_svg(const char *path, const char *title, uint32_t max, const double *lru, const double *opt)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        fprintf(stderr, "vmtrace: %s: cannot create: %s\n", path, strerror(errno));
        return 2;
    }
    double ymax = 0;
    for (uint32_t i = 1; i <= max; i++) {
        if (lru[i] > ymax) ymax = lru[i];
        if (opt && opt[i] > ymax) ymax = opt[i];
    }
    if (ymax <= 0)
        ymax = 1;
    fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"640\" height=\"400\" font-family=\"sans-serif\" "
               "font-size=\"12\">\n<rect width=\"640\" height=\"400\" fill=\"white\"/>\n");
    fprintf(f, "<text x=\"320\" y=\"20\" text-anchor=\"middle\" font-size=\"14\">miss-ratio curve: ");
    for (const char *s = title; *s; s++)
        if (*s == '<') fputs("&lt;", f); else if (*s == '&') fputs("&amp;", f); else fputc(*s, f);
    fprintf(f, "</text>\n<line x1=\"60\" y1=\"340\" x2=\"620\" y2=\"340\" stroke=\"black\"/>\n"
               "<line x1=\"60\" y1=\"40\" x2=\"60\" y2=\"340\" stroke=\"black\"/>\n");
    for (int t = 0; t <= 4; t++) {
        double v = ymax * t / 4, y = svg_y(v, ymax);
        fprintf(f, "<line x1=\"56\" y1=\"%.1f\" x2=\"620\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                   "<text x=\"52\" y=\"%.1f\" text-anchor=\"end\">%.3g</text>\n", y, y, y + 4, v);
        double xv = (double)max * t / 4, x = svg_x(xv, max);
        fprintf(f, "<text x=\"%.1f\" y=\"356\" text-anchor=\"middle\">%.0f</text>\n", x, xv);
    }
    fprintf(f, "<text x=\"340\" y=\"384\" text-anchor=\"middle\">frames</text>\n"
               "<text x=\"16\" y=\"190\" transform=\"rotate(-90 16 190)\" text-anchor=\"middle\">miss ratio</text>\n");
    for (int c = 0; c < 2; c++) {
        const double *v = c ? opt : lru;
        if (!v)
            continue;
        fprintf(f, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\" points=\"", c ? "#c0392b" : "#2c7fb8");
        uint32_t step = max > 2000 ? max / 1000 : 1;
        for (uint32_t i = 1; i <= max; i += step)
            fprintf(f, "%.1f,%.1f ", svg_x(i, max), svg_y(v[i], ymax));
        fprintf(f, "\"/>\n<text x=\"560\" y=\"%d\" fill=\"%s\">%s</text>\n", 60 + 16 * c, c ? "#c0392b" : "#2c7fb8",
                c ? "OPT" : "LRU");
    }
    fprintf(f, "</svg>\n");
    int rc = ferror(f) | fclose(f);
    if (rc)
        fprintf(stderr, "vmtrace: %s: write error\n", path);
    return rc ? 1 : 0;
}

int vt_cmd_mrc(int argc, char **argv)
{
    if (vt_want_help(argc, argv)) {
        printf("usage: vmtrace mrc FILE [--max N] [--no-opt] [--csv OUT] [--svg OUT] [--kernel-base A]\n"
               "                        [--space ID]\n\n"
               "Miss ratio for every memory size from 1 to N frames (default: the number of distinct\n"
               "pages, at most 4096) under LRU (Mattson's stack algorithm) and OPT (the OPT priority\n"
               "stack), in one pass each over the page-reference string (one reference per\n"
               "translation). CSV on standard output (or --csv OUT): frames,lru_misses,lru_ratio,\n"
               "opt_misses,opt_ratio. --svg OUT draws both curves. --space ID restricts the string\n"
               "to one address space (0 = kernel, then CR3s in order of appearance).\n");
        return 0;
    }
    const char *path = NULL, *csv = NULL, *svg = NULL;
    uint64_t max = 0, kbase = 0xC0000000u, space = UINT64_MAX;
    bool opt = true;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--max")) {
            if (!v || !vt_parse_u64(v, &max) || !max || max > 10000000)
                return vt_usage("mrc", "--max takes a count between 1 and 10^7");
            i++;
        } else if (!strcmp(a, "--csv")) {
            if (!v) return vt_usage("mrc", "--csv takes a file");
            csv = v;
            i++;
        } else if (!strcmp(a, "--svg")) {
            if (!v) return vt_usage("mrc", "--svg takes a file");
            svg = v;
            i++;
        } else if (!strcmp(a, "--kernel-base")) {
            if (!v || !vt_parse_u64(v, &kbase) || kbase > 0xFFFFFFFFu)
                return vt_usage("mrc", "--kernel-base takes an address");
            i++;
        } else if (!strcmp(a, "--space")) {
            if (!v || !vt_parse_u64(v, &space))
                return vt_usage("mrc", "--space takes an id");
            i++;
        } else if (!strcmp(a, "--no-opt")) {
            opt = false;
        } else if (a[0] == '-' && a[1]) {
            return vt_usage("mrc", "unknown option %s", a);
        } else if (path) {
            return vt_usage("mrc", "one FILE only");
        } else {
            path = a;
        }
    }
    if (!path)
        return vt_usage("mrc", "no FILE");
    struct tr_reader *r = vt_open(path, 0);
    if (!r)
        return 2;
    struct refs R;
    refs_load(&R, r, (uint32_t)kbase, space == UINT64_MAX ? -1 : (int)space, NULL);
    if (!max)
        max = R.npages < 4096 ? R.npages : 4096;
    if (!max)
        max = 1;
    uint32_t M = (uint32_t)max;
    uint64_t *hl = vt_xcalloc(M + 1, sizeof *hl), *ho = vt_xcalloc(M + 1, sizeof *ho);
    struct vt_progress pg;
    vt_progress_init(&pg, "mrc");
    mrc_lru(&R, M, hl);
    if (opt)
        mrc_opt(&R, M, ho, &pg);
    vt_progress_done(&pg);
    /* merged repeats are hits at every size: only R.n references can miss */
    double *lr = vt_xcalloc(M + 1, sizeof *lr), *orr = vt_xcalloc(M + 1, sizeof *orr);
    uint64_t *lm = vt_xcalloc(M + 1, sizeof *lm), *om = vt_xcalloc(M + 1, sizeof *om);
    uint64_t hitl = 0, hito = 0;
    for (uint32_t s = 1; s <= M; s++) {
        hitl += hl[s];
        hito += ho[s];
        lm[s] = R.n - hitl;
        om[s] = R.n - hito;
        lr[s] = R.total ? (double)lm[s] / (double)R.total : 0;
        orr[s] = R.total ? (double)om[s] / (double)R.total : 0;
    }
    FILE *f = stdout;
    if (csv && !(f = fopen(csv, "w"))) {
        fprintf(stderr, "vmtrace: %s: cannot create: %s\n", csv, strerror(errno));
        return 2;
    }
    fprintf(f, "frames,lru_misses,lru_ratio,opt_misses,opt_ratio\n");
    for (uint32_t s = 1; s <= M; s++) {
        if (opt)
            fprintf(f, "%u,%" PRIu64 ",%.6g,%" PRIu64 ",%.6g\n", s, lm[s], lr[s], om[s], orr[s]);
        else
            fprintf(f, "%u,%" PRIu64 ",%.6g,,\n", s, lm[s], lr[s]);
    }
    int rc = 0;
    if (f != stdout && fclose(f))
        rc = 1;
    if (svg && !rc) {
        char title[300];
        snprintf(title, sizeof title, "%s (%" PRIu64 " refs, %u pages)", path, R.total, R.npages);
        rc = write_svg(svg, title, M, lr, opt ? orr : NULL);
    }
    fprintf(stderr, "mrc: %" PRIu64 " references, %zu after merging repeats, %u distinct pages; cold misses %" PRIu64 "\n",
            R.total, R.n, R.npages, (uint64_t)R.npages);
    free(hl); free(ho); free(lr); free(orr); free(lm); free(om);
    refs_free(&R);
    tr_reader_close(r);
    return rc;
}
