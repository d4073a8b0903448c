/* vmtrace: page-reference strings and the replacement policies run over
 * them (tools/vmtrace_sim.h), for `sim --frames`, `mrc` and sweeps.
 *
 * A reference is one translation; a page is an address space and a linear
 * page (vt_spaces), for one life. The guest kernel's annotations end lives,
 * and the string says so: a page's death is an entry of count 0, after
 * which its id never appears again, and a policy that holds the page frees
 * its frame there, as the kernel does, without counting an eviction. A
 * page dies
 *   - in the range of a vma-unmap (munmap, brk shrinking, mremap, exit_mmap)
 *     of the address space in force, when that space is the record's mm:
 *     it belongs to the record's pid (the pid in force, from ctx-switch
 *     records, when the space got its id). exec's exit_mmap of the old mm
 *     runs with the new mm's CR3 loaded (exec_mmap switches first; the new
 *     space has no id yet), a failed fork's with the parent's, swapoff's
 *     (try_to_unuse) with its own: those ranges are not the space in
 *     force's, and the old space's pages die with it instead;
 *   - with its address space, when the page directory's frame is freed
 *     (pgd_free, at the last mmdrop: exit and exec) or allocated again as
 *     a page table (the free was not recorded); CR3 then names a new space;
 *   - when a zero-fill names a page already used (its death went
 *     unrecorded, or a read of the zero page ended it): the next reference
 *     is a new page.
 * The policies: OPT (Belady 1966), LRU, FIFO, CLOCK, LFU (ties to the least
 * recent) and Johnson & Shasha's full 2Q (1994). */
#include "tools/vmtrace_sim.h"

#include <stdlib.h>
#include <string.h>

void vt_refs_init(struct vt_refs *R, uint32_t kbase, int want_space)
{
    memset(R, 0, sizeof *R);
    vt_spaces_init(&R->sp, kbase);
    vt_map_init(&R->pages);
    R->want_space = want_space;
    R->pcap = 4096;
    R->space = vt_xmalloc(R->pcap * sizeof *R->space);
    R->key = vt_xmalloc(R->pcap * sizeof *R->key);
    R->used = vt_xcalloc(R->pcap, 1);
    R->dead = vt_xcalloc(R->pcap, 1);
    R->older = vt_xmalloc(R->pcap * sizeof *R->older);
    R->scap = 64;
    R->newest = vt_xmalloc(R->scap * sizeof *R->newest);
    R->owner = vt_xmalloc(R->scap * sizeof *R->owner);
    R->spages = vt_xmalloc(R->scap * sizeof *R->spages);
    R->cap = 1 << 16;
    R->ref = vt_xmalloc(R->cap * sizeof *R->ref);
    R->cnt = vt_xmalloc(R->cap * sizeof *R->cnt);
    R->last_key = UINT64_MAX;
    R->last_id = R->prev = UINT32_MAX;
}

/* Append entry (ID, CNT) to the string. */
static void refs_push(struct vt_refs *R, uint32_t id, uint32_t cnt)
{
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
    R->cnt[R->n] = cnt;
    R->n++;
}

/* Space ids up to S get their page list, page count and owner: PID, the
 * pid in force (the reader's, from ctx-switch records) at the translation
 * that gave S its id (ids are given in order, in vt_refs_batch). */
static void spaces_cover(struct vt_refs *R, uint32_t s, uint32_t pid)
{
    if (s >= R->scap) {
        while (s >= R->scap)
            R->scap *= 2;
        R->newest = vt_xrealloc(R->newest, R->scap * sizeof *R->newest);
        R->owner = vt_xrealloc(R->owner, R->scap * sizeof *R->owner);
        R->spages = vt_xrealloc(R->spages, R->scap * sizeof *R->spages);
    }
    for (uint32_t i = R->nspaces; i <= s; i++) {
        R->newest[i] = VT_NIL;
        R->owner[i] = pid;
        R->spages[i] = 0;
    }
    R->nspaces = s + 1;
}

/* A new page id for KEY in space S. */
static uint32_t page_new(struct vt_refs *R, uint32_t s, uint64_t key)
{
    if (R->npages == R->pcap) {
        R->pcap *= 2;
        R->space = vt_xrealloc(R->space, R->pcap * sizeof *R->space);
        R->key = vt_xrealloc(R->key, R->pcap * sizeof *R->key);
        R->used = vt_xrealloc(R->used, R->pcap);
        R->dead = vt_xrealloc(R->dead, R->pcap);
        R->older = vt_xrealloc(R->older, R->pcap * sizeof *R->older);
    }
    uint32_t id = R->npages++;
    R->used[id] = 0;
    R->dead[id] = 0;
    R->space[id] = s;
    R->key[id] = key;
    R->older[id] = R->newest[s];
    R->newest[s] = id;
    R->spages[s]++;
    return id;
}

/* Page ID dies here: an entry of count 0, and the next reference to its
 * key is a new page. Returns 1, or 0 when it was dead already. */
static uint32_t page_dies(struct vt_refs *R, uint32_t id)
{
    if (R->dead[id])
        return 0;
    R->dead[id] = 1;
    uint32_t *v = vt_map_find(&R->pages, R->key[id]);
    if (v && *v == id)
        *v = VT_NIL;
    refs_push(R, id, 0);
    R->deaths++;
    R->prev = VT_NIL;
    R->last_key = UINT64_MAX;
    return 1;
}

/* The address space at CR3 dies, if it holds one: every page of it, and
 * the next use of CR3 is a new space. */
static void space_dies(struct vt_refs *R, uint32_t cr3)
{
    uint32_t s = vt_space_find(&R->sp, cr3);
    if (s == VT_SPACE_RENEW)
        return;
    vt_space_renew(&R->sp, cr3);
    if (s == 0 || s >= R->nspaces)
        return;
    for (uint32_t id = R->newest[s]; id != VT_NIL; id = R->older[id])
        R->died_space += page_dies(R, id);
}

/* vma-unmap of PID's [VPAGE, VPAGE + PAGES), with CR3 in force: the pages
 * die when the space there is PID's (the file's comment). */
static void unmap_dies(struct vt_refs *R, uint32_t cr3, uint32_t pid, uint32_t vpage, uint32_t pages)
{
    uint32_t s = vt_space_find(&R->sp, cr3);
    if (s == VT_SPACE_RENEW || s == 0 || s >= R->nspaces || R->owner[s] == VT_NIL || R->owner[s] != pid)
        return;
    uint64_t lo = vpage, hi = (uint64_t)vpage + pages, top = R->sp.kernel_base >> 12;
    if (hi > top)
        hi = top;
    if (lo >= hi)
        return;
    if (hi - lo <= R->spages[s]) {
        for (uint64_t p = lo; p < hi; p++) {
            uint32_t *v = vt_map_find(&R->pages, (uint64_t)s << 20 | p);
            if (v && *v != VT_NIL)
                R->died_unmap += page_dies(R, *v);
        }
    } else {
        for (uint32_t id = R->newest[s]; id != VT_NIL; id = R->older[id]) {
            uint32_t p = (uint32_t)(R->key[id] & 0xFFFFF);
            if (p >= lo && p < hi)
                R->died_unmap += page_dies(R, id);
        }
    }
}

/* The lives of pages and address spaces (the file's comment), from one
 * annotation. */
static void page_lives(struct vt_refs *R, const struct tr_event *ev)
{
    const unsigned char *rec = ev->u.annot.rec;
    unsigned kind = ev->u.annot.kind, size = ev->u.annot.size;
    if (!R->pages.keys)
        return;
    switch (kind) {
    case ANNOT_FRAME_ALLOC:
        if (size >= sizeof(struct annot_frame_alloc)) {
            struct annot_frame_alloc a;
            memcpy(&a, rec, sizeof a);
            if (a.use == ANNOT_USE_PGTABLE && a.frame < (1u << 20))
                space_dies(R, a.frame << 12);
        }
        break;
    case ANNOT_FRAME_FREE:
        if (size >= sizeof(struct annot_frame_free)) {
            struct annot_frame_free f;
            memcpy(&f, rec, sizeof f);
            if (f.order >= VT_FRAMES_ORDER_MAX)
                break;
            for (uint64_t fr = f.frame; fr < (uint64_t)f.frame + (1u << f.order) && fr < (1u << 20); fr++)
                space_dies(R, (uint32_t)fr << 12);
        }
        break;
    case ANNOT_VMA_UNMAP:
        if (size >= sizeof(struct annot_vma_unmap)) {
            struct annot_vma_unmap u;
            memcpy(&u, rec, sizeof u);
            unmap_dies(R, ev->cr3, u.h.pid, u.vpage, u.pages);
        }
        break;
    case ANNOT_ZERO_FILL:
        if (size >= sizeof(struct annot_zero_fill)) {
            struct annot_zero_fill z;
            memcpy(&z, rec, sizeof z);
            if (z.vpage >= (1u << 20) || z.vpage << 12 >= R->sp.kernel_base)
                break;
            uint32_t s = vt_space_find(&R->sp, ev->cr3);
            if (s == VT_SPACE_RENEW || s == 0 || (R->want_space >= 0 && s != (uint32_t)R->want_space))
                break;
            uint32_t *v = vt_map_find(&R->pages, (uint64_t)s << 20 | z.vpage);
            if (v && *v != VT_NIL && R->used[*v])
                R->reborn += page_dies(R, *v);
        }
        break;
    default:
        break;
    }
}

void vt_refs_batch(struct vt_refs *R, const struct tr_event *evs, size_t nb, struct vt_guest *g)
{
    for (const struct tr_event *ev = evs; ev < evs + nb; ev++) {
        if (ev->kind != TRK_XLATE) {
            if (ev->kind == TRK_ANNOT) {
                if (!R->whole)
                    page_lives(R, ev);
                if (g)
                    vt_guest_note(g, ev);
            }
            continue;
        }
        uint32_t s = vt_space_of(&R->sp, ev->cr3, ev->u.xlate.lin, ev->u.xlate.global);
        if (s >= R->nspaces)
            spaces_cover(R, s, ev->pid);
        if (R->want_space >= 0 && s != (uint32_t)R->want_space)
            continue;
        uint64_t key = (uint64_t)s << 20 | ev->u.xlate.lin >> 12;
        uint32_t id;
        if (key == R->last_key) {
            id = R->last_id;
        } else {
            bool found;
            uint32_t *v = vt_map_get(&R->pages, key, VT_NIL, &found);
            if (*v == VT_NIL)               /* never seen, or dead: a new page */
                *v = page_new(R, s, key);
            id = *v;
            R->last_key = key;
            R->last_id = id;
        }
        R->total += ev->count;
        if (ev->u.xlate.outcome != TR_HIT_FAULT && ev->u.xlate.outcome != TR_MISS_FAULT)
            R->used[id] = 1;
        if (id == R->prev) {
            uint64_t v = (uint64_t)R->cnt[R->n - 1] + ev->count;
            R->cnt[R->n - 1] = v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
            continue;
        }
        /* a count of 0 would read as a death: a reference counts at least 1 */
        refs_push(R, id, ev->count > UINT32_MAX ? UINT32_MAX : ev->count ? (uint32_t)ev->count : 1);
        R->prev = id;
    }
}

void vt_refs_done(struct vt_refs *R)
{
    vt_map_free(&R->pages);
    memset(&R->pages, 0, sizeof R->pages);
    free(R->older);
    free(R->newest);
    free(R->owner);
    free(R->spages);
    R->older = R->newest = R->owner = R->spages = NULL;
}

void vt_refs_load(struct vt_refs *R, struct tr_reader *r, uint32_t kbase, int want_space, bool whole,
                  struct vt_guest *g)
{
    vt_refs_init(R, kbase, want_space);
    R->whole = whole;
    struct tr_cursor *c = tr_cursor_new(r, 0);
    struct tr_event *evs = vt_xmalloc(VT_BATCH * sizeof *evs);
    struct vt_progress pg;
    vt_progress_init(&pg, "read");
    uint64_t nrec = 0;
    size_t nb;
    while ((nb = tr_cursor_batch(c, evs, VT_BATCH))) {
        if (((nrec + nb) ^ nrec) & ~(uint64_t)0xFFFF)
            vt_progress(&pg, tr_cursor_chunk(c), tr_reader_nchunks(r));
        nrec += nb;
        vt_refs_batch(R, evs, nb, g);
    }
    vt_progress_done(&pg);
    free(evs);
    tr_cursor_free(c);
    vt_refs_done(R);
}

void vt_refs_free(struct vt_refs *R)
{
    free(R->ref);
    free(R->cnt);
    free(R->space);
    free(R->key);
    free(R->used);
    free(R->dead);
    free(R->older);
    free(R->newest);
    free(R->owner);
    free(R->spages);
    vt_spaces_free(&R->sp);
    vt_map_free(&R->pages);
}

uint64_t *vt_next_use(const uint32_t *ref, const uint32_t *cnt, size_t n, uint32_t npages)
{
    uint64_t *next = vt_xmalloc(n * sizeof *next);
    uint64_t *seen = vt_xmalloc((size_t)npages * sizeof *seen);
    for (uint32_t p = 0; p < npages; p++)
        seen[p] = (uint64_t)n + p;
    for (size_t i = n; i-- > 0;) {
        next[i] = seen[ref[i]];
        if (cnt[i])                 /* a death is no use: before it, the page is never used again */
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
#define NIL VT_NIL

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

/* Take X out of the heap, if it is in. */
static void heap_remove(struct heap *h, uint32_t x)
{
    uint32_t i = h->pos[x];
    if (i == NIL)
        return;
    h->n--;
    if (i != h->n) {
        h->a[i] = h->a[h->n];
        h->pos[h->a[i]] = i;
        heap_fix(h, i);
    }
    h->pos[x] = NIL;
}

const char *const vt_policy_names[VT_P_COUNT] = { "opt", "lru", "fifo", "clock", "lfu", "2q" };

int vt_policy_lookup(const char *name)
{
    for (int p = 0; p < VT_P_COUNT; p++)
        if (!strcmp(name, vt_policy_names[p]))
            return p;
    return -1;
}

bool vt_policy_parse(const char *list, bool want[VT_P_COUNT], char *err, size_t errlen)
{
    for (int p = 0; p < VT_P_COUNT; p++)
        want[p] = !list || !strcmp(list, "all");
    if (!list || !strcmp(list, "all"))
        return true;
    char buf[256];
    snprintf(buf, sizeof buf, "%s", list);
    char *save = NULL;
    for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        int p = vt_policy_lookup(t);
        if (p < 0) {
            snprintf(err, errlen, "unknown policy '%s' (opt, lru, fifo, clock, lfu, 2q, all)", t);
            return false;
        }
        want[p] = true;
    }
    return true;
}

struct vt_policy_count vt_run_policy(enum vt_policy pol, const uint32_t *ref, const uint32_t *cnt, size_t n,
                                     uint32_t npages, uint32_t N, const uint64_t *next)
{
    uint64_t faults = 0, evictions = 0;
    uint8_t *where = vt_xcalloc(npages, 1);        /* 0 absent; policy-specific states */
    switch (pol) {
    case VT_P_OPT: {
        struct heap h;
        heap_init(&h, npages, N + 1, 1);
        for (size_t i = 0; i < n; i++) {
            uint32_t x = ref[i];
            if (!cnt[i]) {
                heap_remove(&h, x);
                continue;
            }
            if (h.pos[x] != NIL) {
                heap_update(&h, x, next[i]);
                continue;
            }
            faults++;
            if (h.n == N)
                heap_pop(&h), evictions++;
            heap_push(&h, x, next[i]);
        }
        heap_free(&h);
        break;
    }
    case VT_P_LRU:
    case VT_P_FIFO: {
        /* one list, most recent first: LRU moves a page to the front on
         * every reference, FIFO on its fault only */
        struct dl d;
        struct dlist l = { NIL, NIL, 0 };
        dl_init(&d, npages);
        for (size_t i = 0; i < n; i++) {
            uint32_t x = ref[i];
            if (!cnt[i]) {
                if (where[x])
                    dl_del(&d, &l, x), where[x] = 0;
                continue;
            }
            if (where[x]) {
                if (pol == VT_P_FIFO)
                    continue;
                dl_del(&d, &l, x);
            } else {
                faults++;
                if (l.len == N) {
                    uint32_t v = l.tail;
                    dl_del(&d, &l, v);
                    where[v] = 0;
                    evictions++;
                }
                where[x] = 1;
            }
            dl_push(&d, &l, x);
        }
        dl_free(&d);
        break;
    }
    case VT_P_CLOCK: {
        /* frames in a ring swept by the hand; a dead page's frame goes on
         * a free list, taken before the hand moves */
        uint32_t *fr = vt_xmalloc((size_t)N * sizeof *fr);
        uint8_t *refb = vt_xcalloc(N, 1);
        uint32_t *slot = vt_xmalloc((size_t)npages * sizeof *slot);
        uint32_t *freed = vt_xmalloc((size_t)N * sizeof *freed);
        uint32_t hand = 0, used = 0, nfreed = 0;
        for (size_t i = 0; i < n; i++) {
            uint32_t x = ref[i];
            if (!cnt[i]) {
                if (where[x]) {
                    where[x] = 0;
                    refb[slot[x]] = 0;
                    freed[nfreed++] = slot[x];
                }
                continue;
            }
            if (where[x]) {
                refb[slot[x]] = 1;
                continue;
            }
            faults++;
            uint32_t f;
            if (nfreed) {
                f = freed[--nfreed];
            } else if (used < N) {
                f = used++;
            } else {
                while (refb[hand]) {
                    refb[hand] = 0;
                    hand = (hand + 1) % N;
                }
                f = hand;
                where[fr[f]] = 0;
                evictions++;
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
        free(freed);
        break;
    }
    case VT_P_LFU: {
        /* least frequently used among resident pages, ties to the least recent */
        struct heap h;
        heap_init(&h, npages, N + 1, 0);
        uint64_t *freq = vt_xcalloc(npages, sizeof *freq);
        for (size_t i = 0; i < n; i++) {
            uint32_t x = ref[i];
            if (!cnt[i]) {
                heap_remove(&h, x);
                continue;
            }
            if (h.pos[x] != NIL) {
                freq[x] += cnt[i];
                heap_update(&h, x, freq[x] << 40 | (uint64_t)i);
                continue;
            }
            faults++;
            if (h.n == N)
                heap_pop(&h), evictions++;
            freq[x] = cnt[i];
            heap_push(&h, x, freq[x] << 40 | (uint64_t)i);
        }
        free(freq);
        heap_free(&h);
        break;
    }
    case VT_P_2Q: {
        /* Johnson & Shasha's full 2Q: A1in FIFO (Kin = N/4), A1out ghosts
         * (Kout = N/2), Am LRU. where: 1 A1in, 2 Am, 3 A1out. A page
         * leaving A1in for A1out is evicted (its frame is reused); a dead
         * page leaves whichever it is on, ghosts included. */
        uint32_t kin = N / 4 ? N / 4 : 1, kout = N / 2 ? N / 2 : 1;
        struct dl d;
        struct dlist a1in = { NIL, NIL, 0 }, a1out = { NIL, NIL, 0 }, am = { NIL, NIL, 0 };
        struct dlist *list_of[4] = { NULL, &a1in, &am, &a1out };
        dl_init(&d, npages);
        for (size_t i = 0; i < n; i++) {
            uint32_t x = ref[i];
            if (!cnt[i]) {
                if (where[x])
                    dl_del(&d, list_of[where[x]], x), where[x] = 0;
                continue;
            }
            if (where[x] == 2) {
                dl_del(&d, &am, x);
                dl_push(&d, &am, x);
                continue;
            }
            if (where[x] == 1)
                continue;
            faults++;
            if (a1in.len + am.len >= N) {
                evictions++;
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
    return (struct vt_policy_count){ faults, evictions };
}
