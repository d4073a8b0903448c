/* The trace writer: encode on the emulator's thread, compress and write on
 * another (docs/trace-format.md is the format; trace/writer.h the API).
 *
 * The encoder keeps a chunk's streams in one slot of a small ring. When a
 * stream reaches chunk_bytes, or a sync finds the chunk spanning
 * chunk_cycles, the slot goes to the writer thread, which deflates it and
 * appends it to the file; the emulator carries on in the next slot and waits
 * only when every slot is in flight. trace_emit_xlate is the hot path: a
 * translation on the same page as the previous one (or alternating between the
 * two most recent keys) costs a key compare and a counter increment. */
#include "trace/writer.h"
#include "trace/format.h"
#include "trace/annot.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <stddef.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#define likely(x)   __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

#define TW_DEF_LEVEL        6
#define TW_ENTROPY_LEVEL    4       /* the most for the near-random streams (stream_level) */
#define TW_DEF_CHUNK_BYTES  (256u << 10)
#define TW_DEF_CHUNK_CYCLES 50000000ull
#define TW_DEF_SYNC_CYCLES  1000000ull
#define TW_SLACK            256     /* a record adds at most this to a stream */

struct tw_slot {
    struct trace_bytes s[TRS_ALL];   /* the chunk's streams (sym: only when it has tables) */
    struct trf_chunk_hdr h;     /* its header (lengths filled by the thread) */
    int ready;                  /* 1: waiting for the writer thread */
};

struct tw_walk {
    uint32_t lin, pde_addr, pde, pte_addr, pte;     /* lin 1: empty */
};

struct tw_index {
    uint64_t offset, first_event, first_cycle, last_cycle;
};

#define TW_HIST 64      /* predicted hits remembered for period detection */
#define TW_PMAX 32      /* longest period replayed */

struct trace_writer {
    /* Hot encoder state (emitting thread only). First: trace/emit.h's inline
     * trace_emit_xlate reads and updates it (ring, hit_pred, rep, events,
     * cur_cycle). */
    struct trace_hot hot;
    uint32_t kinds;             /* kept kinds (bit per enum tr_kind) */
    uint32_t detail;            /* TR_DETAIL_* */
    struct tw_slot *cur;        /* chunk being filled, NULL between chunks */
    uint64_t cache[TRX_CACHE];  /* recent keys by hash slot (xnew) */
    struct tw_walk wcache[TRX_CACHE];   /* the last walk of each page slot */
    int mtf_n;                  /* entries in it */
    uint8_t mtf_has[256];       /* its keys by mtf_hash, counted: a new key is seen without a search */

    /* Period replay (see "period replay" below): the predicted hits of a loop
     * whose keys repeat with period plen, coded without the table. */
    uint64_t hkey[TW_HIST];     /* the latest predicted hits: keys and opcodes */
    uint8_t hop[TW_HIST];
    uint32_t ht;                /* pushes so far */
    uint64_t hn;                /* how many of the latest are contiguous (may exceed TW_HIST) */
    uint32_t pcand, prun;       /* candidate period; records that matched it in a row */
    uint32_t pwait;             /* records before the next search for a candidate */
    uint32_t pfail;             /* searches and candidates that failed since the last replay */
    bool no_period;             /* trace_config.no_period: never replay a period */
    /* replaying a period of hot.plen records (0: not), at hot.ppos */
    uint64_t pkey[TW_PMAX];     /* its keys, opcodes, and whether each repeats the one before */
    uint8_t pop[TW_PMAX], prep[TW_PMAX];
    uint64_t ptab[TRF_MTF];     /* the table (hot.tab) when the replay began */

    /* Per-chunk predictors (reset at chunk start) */
    uint64_t prev_time;         /* cycle of the previous timed record */
    uint64_t prev_xcycle;       /* cycle of the previous translation (xtime) */
    uint32_t prev_lpage;        /* xnew: previous new entry's linear page */
    int32_t prev_map;           /* xnew: previous new entry's frame - page */
    uint32_t prev_walk_lin, prev_pde;
    struct trf_walkpred wpred;  /* 3.0: the walk predictors */
    uint32_t prev_cr2, prev_eip, prev_flush;    /* fault and flush predictors */
    uint64_t prev_lba;                          /* disk: where the previous transfer ended */
    int walk_valid;             /* the previous record is a walk with a PTE */
    uint32_t walk_lpage, walk_frame;    /* its linear page and PTE frame */
    int post_walk;              /* the previous record is a walk: 1 + its final entry is present */
    uint32_t walk_pred[2];      /* a translation's predicted outcome<<16 | cycles after such a walk */
    uint16_t amtf[TRF_AMTF];    /* attributes of translations coded from their walk, most recent first */
    int amtf_n;
    size_t limit;               /* chunk_bytes */

    /* Machine state carried across chunks */
    uint32_t cr3;               /* CR3 in force */
    uint32_t pred_cr3;          /* CR3 as a reader of this chunk knows it (walk predictor) */
    uint32_t pid;               /* pid in force (0xFFFFFFFF unknown) */
    uint64_t insns;             /* latest instruction count reported by sync */
    uint64_t last_sync;         /* cycle of the latest sync record */
    int chunk_synced;           /* the current chunk holds a sync record */
    uint64_t seq;               /* next chunk sequence number */

    /* Totals for the footer */
    uint64_t kcount[TRK_NKINDS];
    struct trace_bytes no_op;   /* hot.op between chunks: never room */
    uint64_t ocount[8];         /* translations per outcome but hits (the footer derives those) */

    /* Configuration */
    uint64_t chunk_cycles, sync_cycles;
    int level;

    /* The ring and the writer thread */
    pthread_mutex_t mu;
    pthread_cond_t cv_work;     /* a slot became ready, or quit */
    pthread_cond_t cv_free;     /* a slot became free */
    pthread_t thread;
    struct tw_slot *slots;
    unsigned nslots, head, tail;    /* head: next to fill; tail: next to write */
    int quit;
    char err[256];              /* first write error, "" none */
    volatile int failed;        /* err is set */

    /* Writer-thread state */
    int fd;
    char *path;
    uint64_t offset;            /* file offset of the next write */
    uint8_t *comp;
    size_t comp_cap;
    z_stream zs;
    int zlevel;                 /* zs's level now (stream_level changes it) */
    struct tw_index *index;
    size_t nindex, index_cap;
};
/* trace/emit.h's inline emitters read the writer through a cast to its
 * first member. */
_Static_assert(offsetof(struct trace_writer, hot) == 0, "struct trace_hot must be the first member of struct trace_writer");
_Static_assert(TR_OP_REPEAT == TRO_REPEAT, "trace/emit.h's repeat digit is the format's");
_Static_assert(TR_MTF == TRF_MTF, "trace/emit.h's table is the format's");

/* Position I of the move-to-front table (hot.tab: front last). */
#define MTF(tw, i) ((tw)->hot.tab[TRF_MTF - 1 - (i)])

/* Move the table's entries at positions 0..I-1 one on and put KEY in front
 * (the entry at I leaves: the caller's key, or the last one). */
static inline void mtf_push_front(struct trace_writer *tw, int i, uint64_t key)
{
    uint64_t *t = &MTF(tw, i);
    if (i == 1) {           /* short moves without a memmove call */
        t[0] = t[1];
    } else if (i == 2) {
        t[0] = t[1];
        t[1] = t[2];
    } else {
        for (int k = 0; k < i; k++)
            t[k] = t[k + 1];
    }
    MTF(tw, 0) = key;
}

/* ---- byte buffers ---- */

static void tw_fail(struct trace_writer *tw, const char *fmt, const char *what)
{
    if (!tw->failed) {
        snprintf(tw->err, sizeof tw->err, fmt, tw->path, what);
        tw->failed = 1;
    }
}

static __attribute__((noinline)) void buf_grow(struct trace_bytes *b, size_t n)
{
    {
        size_t cap = b->cap ? b->cap * 2 : 4096;
        while (cap < b->len + n)
            cap *= 2;
        uint8_t *p = realloc(b->p, cap);
        if (!p) {
            fprintf(stderr, "trace: out of memory\n");
            abort();    /* host resource failure, not guest behaviour */
        }
        b->p = p;
        b->cap = cap;
    }
}

static inline uint8_t *buf_room(struct trace_bytes *b, size_t n)
{
    if (unlikely(b->len + n > b->cap))
        buf_grow(b, n);
    return b->p + b->len;
}

static inline void put8(struct trace_bytes *b, uint8_t v)
{
    *buf_room(b, 1) = v;
    b->len++;
}

static inline size_t varint_enc(uint8_t *p, uint64_t v)
{
    size_t n = 0;
    while (v >= 0x80) {
        p[n++] = (uint8_t)(v | 0x80);
        v >>= 7;
    }
    p[n++] = (uint8_t)v;
    return n;
}

static inline void putv(struct trace_bytes *b, uint64_t v)
{
    uint8_t *p = buf_room(b, 10);
    b->len += varint_enc(p, v);
}

/* Period replay. In a loop the predicted hits often cycle through a few
 * keys whose opcodes differ (fetch, read, fetch, write: positions 0 2 1 2...),
 * which the repeat ring below does not cover. When the latest P records
 * (2 <= P <= TW_PMAX) repeat the P before them, key for key and opcode for
 * opcode, the table is back where it was P records ago (its order is that of
 * the latest uses), so the next records repeat the same opcodes as long as
 * their keys repeat: they are coded from the remembered period without
 * searching or moving the table. period_sync puts the table and last_sym
 * where the moves would have left them before anything else reads them. */
static inline void hist_reset(struct trace_writer *tw)
{
    tw->hn = 0;         /* (a search waits as long as it did) */
    tw->pcand = 0;
}

static __attribute__((noinline)) void period_sync_slow(struct trace_writer *tw)
{
    uint32_t p = tw->hot.plen, pos = tw->hot.ppos;
    int n = tw->mtf_n;
    memcpy(tw->hot.tab, tw->ptab, sizeof tw->ptab);
    for (uint32_t j = 0; j < pos; j++) {
        int i = 0;
        while (i < n - 1 && MTF(tw, i) != tw->pkey[j])
            i++;
        mtf_push_front(tw, i, tw->pkey[j]);
    }
    tw->hot.last_sym = tw->pop[(pos + p - 1) % p];
    tw->hot.plen = 0;
    tw->hot.ppos = 0;
    hist_reset(tw);
}

static inline void period_sync(struct trace_writer *tw)
{
    if (tw->hot.plen)
        period_sync_slow(tw);
}

static inline void ring_none(struct trace_writer *tw);

/* The latest P records repeat the P before them: replay them (unless all
 * have one opcode: the repeat ring's case). */
static __attribute__((noinline)) void period_arm(struct trace_writer *tw, uint32_t t, uint32_t p)
{
    uint8_t op = tw->hop[t];
    int varied = 0;
    for (uint32_t j = 0; j < p; j++) {
        uint32_t src = (t - p + 1 + j) & (TW_HIST - 1);
        tw->pkey[j] = tw->hkey[src];
        tw->pop[j] = tw->hop[src];
        varied |= tw->pop[j] != op;
    }
    tw->pcand = 0;
    if (!varied)
        return;
    for (uint32_t j = 0; j < p; j++)
        tw->prep[j] = tw->pop[j] == tw->pop[(j + p - 1) % p];
    memcpy(tw->ptab, tw->hot.tab, sizeof tw->ptab);
    tw->hot.plen = p;
    tw->hot.ppos = 0;
    tw->pfail = 0;
    ring_none(tw);
}

/* A search found nothing or a candidate failed: the next search waits
 * longer, up to 511 records (with 127, code without loops spent 2-3% of
 * its traced time searching: docs/performance.md, 2026-12-07). */
static inline void period_backoff(struct trace_writer *tw)
{
    tw->pwait = (4u << (tw->pfail < 7 ? tw->pfail : 7)) - 1;
    tw->pfail++;
}

/* A new candidate period for record T: the nearest earlier place where the
 * latest three records occurred in the same order (a loop's period, not a
 * repeat inside it). Searches that find nothing, and candidates that fail,
 * back off (period_backoff), so code without loops pays little. */
static __attribute__((noinline)) void period_search(struct trace_writer *tw, uint32_t t)
{
    const uint32_t M = TW_HIST - 1;
    if (tw->no_period) {
        tw->pwait = UINT32_MAX;     /* (the history is kept, never searched) */
        return;
    }
    uint64_t key = tw->hkey[t];
    uint8_t op = tw->hop[t];
    for (uint32_t d = 2; d <= TW_PMAX && d + 3 <= tw->hn; d++) {
        uint32_t k = (t - d) & M;
        if (tw->hkey[k] == key && tw->hop[k] == op && tw->hkey[(k - 1) & M] == tw->hkey[(t - 1) & M] &&
            tw->hkey[(k - 2) & M] == tw->hkey[(t - 2) & M] && tw->hop[(k - 1) & M] == tw->hop[(t - 1) & M] &&
            tw->hop[(k - 2) & M] == tw->hop[(t - 2) & M]) {
            tw->pcand = d;
            tw->prun = 3;
            return;
        }
    }
    period_backoff(tw);
}

/* Entries pushed while more than TW_SKIP records remain before the next
 * search, with no candidate being checked, are never read: that search
 * looks back at most TW_PMAX + 2 records, and a candidate and its arming
 * only at records pushed since it. They are counted, not stored. */
#define TW_SKIP (TW_PMAX + 3)

/* The next N pushes all fall in that stretch. */
static inline bool hist_skips(const struct trace_writer *tw, uint64_t n)
{
    return !tw->pcand && tw->pwait >= n + TW_SKIP;
}

/* N pushes counted, not stored (hist_skips(tw, N) holds). */
static inline void hist_count(struct trace_writer *tw, uint32_t n)
{
    tw->ht += n;
    tw->hn += n;
    tw->pwait -= n;
}

/* A predicted hit on KEY coded as opcode OP. ARM: the table is in the state
 * after it (a replay may begin). */
static inline void hist_push(struct trace_writer *tw, uint64_t key, uint8_t op, bool arm)
{
    if (hist_skips(tw, 1)) {
        hist_count(tw, 1);
        return;
    }
    uint32_t t = tw->ht++ & (TW_HIST - 1);
    tw->hkey[t] = key;
    tw->hop[t] = op;
    tw->hn++;
    uint32_t p = tw->pcand;
    if (p) {
        if (tw->hkey[(t - p) & (TW_HIST - 1)] == key && tw->hop[(t - p) & (TW_HIST - 1)] == op) {
            if (++tw->prun >= p && arm)
                period_arm(tw, t, p);
            return;
        }
        tw->pcand = 0;      /* the candidate failed */
        period_backoff(tw);
        return;
    }
    if (tw->pwait)
        tw->pwait--;
    else if (tw->hn >= 6)
        period_search(tw, t);
}

/* The repeat ring (trace/emit.h): after a predicted hit coded as table
 * position s, the next translations that repeat that opcode are the keys at
 * positions s, s-1, ..., 0, s, ... in turn, and each moves entry s to the
 * front. With the table kept front last those keys lie in order from
 * MTF(s) up, so the ring is that part of the table, which nothing moves
 * while the ring is in use: the inline path only advances ring_at, and
 * ring_sync puts the table in the order those moves leave it (a rotation of
 * the ring's part) before anything else reads it. */
static inline void ring_none(struct trace_writer *tw)
{
    tw->hot.front = TRK_NONE;
    tw->hot.ring_lead = 0;
    tw->hot.ring_start = TRF_MTF - 1;
    tw->hot.ring_at = TRF_MTF;      /* tab[TRF_MTF]: no key */
}

/* ring_set for a predicted hit at table position S (< mtf_n, no detail). */
static inline void ring_set_hit(struct trace_writer *tw, int s)
{
    tw->hot.ring_start = tw->hot.ring_at = (uint32_t)(TRF_MTF - 1 - s);
    tw->hot.ring_events = tw->hot.events;
}

static inline void ring_set(struct trace_writer *tw, int s)
{
    tw->hot.front = TRK_NONE;
    if (s < 0 || s >= tw->mtf_n || tw->detail) {
        ring_none(tw);
        return;
    }
    ring_set_hit(tw, s);
}

static __attribute__((noinline)) void ring_sync_slow(struct trace_writer *tw)
{
    uint64_t *ring = &tw->hot.tab[tw->hot.ring_start];
    uint32_t n = TRF_MTF - tw->hot.ring_start, pos = tw->hot.ring_at - tw->hot.ring_start;
    /* the records the inline path took, ring[0], ring[1], ..., as opcode n-1,
     * go to the period history; a run longer than any period replayed
     * cannot be part of one, so it only clears the history */
    uint64_t took = tw->hot.events - tw->hot.ring_events;
    if (tw->hot.ring_lead) {   /* the inline opcode-0 record (trace/emit.h), in the history as ever */
        hist_push(tw, ring[0], 0, false);
        tw->hot.ring_lead = 0;
        took--;
    }
    if (took > TW_PMAX) {
        hist_reset(tw);
    } else if (hist_skips(tw, took)) {
        hist_count(tw, (uint32_t)took);
    } else {
        for (uint32_t j = 0, k = 0; j < (uint32_t)took; j++, k = k + 1 == n ? 0 : k + 1)
            hist_push(tw, ring[k], (uint8_t)(n - 1), false);
    }
    if (pos) {  /* (pos 0: a whole number of turns, the table is as it was) */
        /* most recent first, ring[pos-1] in front, then ring[pos-2], ...:
         * the ring's part of the table turned by pos */
        if (n == 2) {   /* the common ring (of two keys, turned one place) */
            uint64_t x = ring[0];
            ring[0] = ring[1];
            ring[1] = x;
        } else {
            uint64_t old[TRF_MTF];
            for (uint32_t q = 0; q < n; q++)
                old[q] = ring[q];
            for (uint32_t q = 0, k = pos; q < n; q++, k = k + 1 == n ? 0 : k + 1)
                ring[q] = old[k];
        }
    }
    ring_none(tw);
}

static inline void ring_sync(struct trace_writer *tw)
{
    period_sync(tw);
    if (tw->hot.ring_at == TRF_MTF)
        return;
    if (tw->hot.events == tw->hot.ring_events)
        ring_none(tw);      /* nothing taken: the table is as ring_set left it */
    else
        ring_sync_slow(tw);
}

/* ---- filter ---- */

static const char *const kind_names[TRK_NKINDS] = {
    "xlate", "walk", "fault", "flush", "cr3", "disk", "annot", "sync"
};

const char *trace_kind_name(unsigned k)
{
    return k < TRK_NKINDS ? kind_names[k] : NULL;
}

bool trace_filter_parse(const char *text, uint32_t *kinds, uint32_t *detail, char *err, size_t errlen)
{
    uint32_t all = (1u << TRK_NKINDS) - 1;
    *kinds = all;
    *detail = 0;
    if (!text || !*text)
        return true;
    int any_positive = 0;
    uint32_t k = 0;
    char word[32];
    const char *s = text;
    while (*s) {
        size_t n = strcspn(s, ",");
        if (n == 0 || n >= sizeof word) {
            snprintf(err, errlen, "--trace-filter: empty or overlong word in '%s'", text);
            return false;
        }
        memcpy(word, s, n);
        word[n] = 0;
        s += n + (s[n] == ',');
        int neg = word[0] == '-';
        const char *w = word + neg;
        uint32_t bits = 0;
        if (!strcmp(w, "all"))
            bits = all;
        else if (!strcmp(w, "offsets") && !neg) {
            *detail |= TR_DETAIL_OFFSETS;
            continue;
        } else if (!strcmp(w, "xtime") && !neg) {
            *detail |= TR_DETAIL_XTIME;
            continue;
        } else {
            for (unsigned i = 0; i < TRK_NKINDS; i++)
                if (!strcmp(w, kind_names[i]))
                    bits = 1u << i;
        }
        if (!bits) {
            snprintf(err, errlen, "--trace-filter: unknown word '%s' (kinds: xlate walk fault flush "
                     "cr3 disk annot sync, all, -KIND, offsets, xtime)", word);
            return false;
        }
        if (neg) {
            if (!any_positive)
                k = all;
            any_positive = 1;
            k &= ~bits;
        } else {
            k |= bits;
            any_positive = 1;
        }
    }
    if (!any_positive)
        k = all;    /* only detail words: every kind */
    *kinds = k | 1u << TRK_SYNC;    /* sync is always kept */
    return true;
}

/* ---- chunk lifecycle ---- */

static void chunk_begin(struct trace_writer *tw, uint64_t cycle)
{
    pthread_mutex_lock(&tw->mu);
    struct tw_slot *s = &tw->slots[tw->head];
    while (s->ready)
        pthread_cond_wait(&tw->cv_free, &tw->mu);   /* back-pressure */
    pthread_mutex_unlock(&tw->mu);
    for (int i = 0; i < TRS_ALL; i++)
        s->s[i].len = 0;
    memset(&s->h, 0, sizeof s->h);
    s->h.hdr_size = TRF_CHUNK_HDR;
    s->h.seq = tw->seq++;
    s->h.first_event = tw->hot.events;
    s->h.first_cycle = cycle;
    s->h.insns = tw->insns;
    s->h.cr3 = tw->cr3;
    s->h.pid = tw->pid;
    tw->cur = s;
    /* the op stream never grows in a chunk (it ends within TW_SLACK of
     * limit), so the inline path can write to it while it stays below */
    buf_room(&s->s[TRS_OP], tw->limit + TW_SLACK);
    tw->hot.op = &s->s[TRS_OP];
    tw->hot.op_lim = tw->limit - 2;
    tw->mtf_n = 0;
    memset(tw->mtf_has, 0, sizeof tw->mtf_has);
    tw->hot.plen = 0;
    hist_reset(tw);
    memset(tw->cache, 0xFF, sizeof tw->cache);
    for (int i = 0; i < TRX_CACHE; i++)
        tw->wcache[i].lin = 1;
    tw->hot.last_sym = -1;
    tw->hot.rep = 0;
    ring_none(tw);
    tw->hot.hit_pred = 0;
    tw->prev_time = cycle;
    tw->prev_xcycle = cycle;
    tw->prev_lpage = 0;
    tw->prev_map = 0;
    tw->prev_walk_lin = tw->prev_pde = 0;
    trf_walkpred_reset(&tw->wpred);
    tw->prev_cr2 = tw->prev_eip = tw->prev_flush = 0;
    tw->prev_lba = 0;
    tw->walk_valid = 0;
    tw->post_walk = 0;
    tw->walk_pred[0] = (uint32_t)TR_MISS_FAULT << 16;
    tw->walk_pred[1] = (uint32_t)TR_MISS << 16;
    tw->amtf_n = 0;
    tw->pred_cr3 = tw->cr3;
    tw->chunk_synced = 0;
}

/* Write out the pending repeat count of last_sym. */
static __attribute__((noinline)) void flush_rep_slow(struct trace_writer *tw)
{
    uint64_t n = tw->hot.rep - 1;
    struct trace_bytes *op = &tw->cur->s[TRS_OP];
    uint8_t *p = buf_room(op, 10);
    size_t k = 0;
    do {
        p[k++] = (uint8_t)(TRO_REPEAT | (n & 0x7F));
        n >>= 7;
    } while (n);
    op->len += k;
    tw->hot.rep = 0;
}

static inline void flush_rep(struct trace_writer *tw)
{
    if (tw->hot.rep)
        flush_rep_slow(tw);
}

static void chunk_end(struct trace_writer *tw)
{
    struct tw_slot *s = tw->cur;
    if (!s)
        return;
    period_sync(tw);
    flush_rep(tw);
    s->h.nevents = tw->hot.events - s->h.first_event;
    s->h.last_cycle = tw->hot.cur_cycle;
    tw->cur = NULL;
    tw->hot.op = &tw->no_op;
    ring_none(tw);
    pthread_mutex_lock(&tw->mu);
    s->ready = 1;
    tw->head = (tw->head + 1) % tw->nslots;
    pthread_cond_signal(&tw->cv_work);
    pthread_mutex_unlock(&tw->mu);
}

static inline void chunk_check(struct trace_writer *tw)
{
    struct tw_slot *s = tw->cur;
    size_t lim = tw->limit;
    for (int i = 0; i < TRS_ALL; i++)
        if (unlikely(s->s[i].len >= lim) && i != TRS_SYM) {
            chunk_end(tw);
            return;
        }
}

/* ---- translations ---- */

static inline unsigned mtf_hash(uint64_t key)
{
    return (unsigned)((key * 0x9E3779B97F4A7C15ull) >> 56);
}

/* KEY's position in the move-to-front table, mtf_n when it is not there. */
static inline int mtf_find(const struct trace_writer *tw, uint64_t key)
{
    int i, n = tw->mtf_n;
    if (!tw->mtf_has[mtf_hash(key)])
        return n;
    for (i = 0; i < n; i++)
        if (MTF(tw, i) == key)
            break;
    return i;
}

static void xlate_other(struct trace_writer *tw, uint64_t cycle, uint64_t key, uint32_t pc, uint32_t lin_off,
                        int i, uint32_t *pred);

/* KEY and PC hold the whole record (trace_xlate_key; outcome << 16 | cycles)
 * but the page offset, LIN_OFF. The predicted hit on a key in the table is
 * here; the rest in xlate_other (apart, so this path saves few registers). */
static inline void xlate_slow(struct trace_writer *tw, uint64_t cycle, uint64_t key, uint32_t pc,
                              uint32_t lin_off)
{
    if (!tw->cur) {
        chunk_begin(tw, cycle);
        tw->cur->h.first_event--;   /* this translation is already counted */
    }
    struct tw_slot *s = tw->cur;
    int i = mtf_find(tw, key), n = tw->mtf_n;
    /* right after a walk the prediction is the last such translation's */
    uint32_t *pred = tw->post_walk ? &tw->walk_pred[tw->post_walk - 1] : &tw->hot.hit_pred;
    if (likely(i < n && pc == *pred && !tw->detail)) {
        /* The common case: a predicted hit on a key in the table. */
        mtf_push_front(tw, i, key);
        tw->walk_valid = 0;
        tw->post_walk = 0;
        if (i == tw->hot.last_sym) {
            tw->hot.rep++;
        } else {
            flush_rep(tw);
            put8(&s->s[TRS_OP], (uint8_t)i);
            tw->hot.last_sym = i;
        }
        ring_set_hit(tw, i);
        hist_push(tw, key, (uint8_t)i, true);
        /* the next record may be opcode 0 on this key, inline, when its
         * history entry can wait for ring_sync_slow (no candidate to arm) */
        tw->hot.front = i && !tw->pcand && !tw->hot.plen ? key : TRK_NONE;
        if (unlikely(s->s[TRS_OP].len >= tw->limit))
            chunk_end(tw);
        return;
    }
    xlate_other(tw, cycle, key, pc, lin_off, i, pred);
}

/* The rest of xlate_slow: KEY at table position I (mtf_n: not in it), PRED
 * the prediction it was compared with. */
static __attribute__((noinline)) void xlate_other(struct trace_writer *tw, uint64_t cycle, uint64_t key,
                                                  uint32_t pc, uint32_t lin_off, int i, uint32_t *pred)
{
    struct tw_slot *s = tw->cur;
    int n = tw->mtf_n;
    hist_reset(tw);
    unsigned sym;
    if (i < n) {
        sym = (unsigned)i;
        mtf_push_front(tw, i, key);
    } else {
        sym = TRO_NEW;
        /* a key of the table with the same page and frame (before the push) */
        int same_page = 0, old_n = n;
        while (same_page < n && (MTF(tw, same_page) ^ key) & (((uint64_t)1 << TRK_ATTR_SHIFT) - 1))
            same_page++;
        if (n < TRF_MTF)
            tw->mtf_n = ++n;
        else
            tw->mtf_has[mtf_hash(MTF(tw, n - 1))]--;    /* it falls off the end */
        tw->mtf_has[mtf_hash(key)]++;
        mtf_push_front(tw, n - 1, key);
        uint32_t lpage = (uint32_t)(key & 0xFFFFF), ppage = (uint32_t)(key >> 20) & 0xFFFFF;
        int32_t map = (int32_t)(ppage - lpage);
        struct trace_bytes *b = &s->s[TRS_XNEW];
        uint8_t *p = buf_room(b, 24);
        uint16_t attrs = (uint16_t)(key >> TRK_ATTR_SHIFT);
        unsigned slot = trx_slot(key);
        size_t k = 0;
        int from_walk = tw->walk_valid && tw->walk_lpage == lpage && tw->walk_frame == ppage;
        if (from_walk || same_page < old_n) {
            /* page and frame: the walk's, or those of a key in the table;
             * attributes: from the walk-attribute table */
            int j = 0;
            while (j < tw->amtf_n && tw->amtf[j] != attrs)
                j++;
            if (from_walk) {
                p[k++] = j < tw->amtf_n ? (uint8_t)j : TRX_WALK;
            } else {
                if (tw->walk_valid)
                    p[k++] = TRX_ESC;
                p[k++] = TRX_PAGE;
                p[k++] = (uint8_t)(same_page | (j < tw->amtf_n ? j : TRF_AMTF) << 4);
            }
            if (j == tw->amtf_n) {
                trf_put16(p + k, attrs);
                k += 2;
            }
            trf_amtf_front(tw->amtf, &tw->amtf_n, j, attrs);
            tw->cache[slot] = key;
        } else {
            if (tw->walk_valid)
                p[k++] = TRX_ESC;       /* not the walk's page: a tag as after any record */
            if (tw->cache[slot] == key) {
                p[k++] = (uint8_t)slot; /* seen lately: its cache slot */
            } else {
                p[k++] = TRX_FULL;
                trf_put16(p + k, attrs);
                k += 2;
                k += varint_enc(p + k, trf_zigzag((int64_t)lpage - (int64_t)tw->prev_lpage));
                k += varint_enc(p + k, trf_zigzag((int64_t)map - (int64_t)tw->prev_map));
                tw->cache[slot] = key;
                tw->prev_lpage = lpage;
                tw->prev_map = map;
            }
        }
        b->len += k;
    }
    tw->walk_valid = 0;
    int post_walk = tw->post_walk;
    tw->post_walk = 0;
    int extra = pc != *pred;
    if (extra)
        sym |= TRO_EXTRA;
    if ((int)sym == tw->hot.last_sym && sym < TRO_NEW) {
        tw->hot.rep++;
    } else {
        flush_rep(tw);
        put8(&s->s[TRS_OP], (uint8_t)sym);
        tw->hot.last_sym = (int)sym;
        if (extra) {
            struct trace_bytes *b = &s->s[TRS_XEXTRA];
            unsigned outcome = pc >> 16;
            put8(b, (uint8_t)outcome);
            putv(b, pc & 0xFFFF);
            if (post_walk || outcome == TR_HIT)
                *pred = pc;
            tw->ocount[outcome & 7]++;
        }
    }
    if (tw->detail) {
        if (tw->detail & TR_DETAIL_OFFSETS) {
            struct trace_bytes *b = &s->s[TRS_XOFF];
            trf_put16(buf_room(b, 2), (uint16_t)lin_off);
            b->len += 2;
        }
        if (tw->detail & TR_DETAIL_XTIME) {
            putv(&s->s[TRS_XTIME], trf_zigzag((int64_t)(cycle - tw->prev_xcycle)));
            tw->prev_xcycle = cycle;
        }
        ring_none(tw);
    } else if (sym < TRO_NEW) {
        ring_set(tw, (int)sym);     /* a predicted hit: its repeats take the inline path */
    } else {
        ring_none(tw);
    }
    chunk_check(tw);
}

void trace_emit_period_op(struct trace_writer *tw, uint32_t pos)
{
    /* the period goes on: the same opcode as a period ago */
    flush_rep(tw);
    struct tw_slot *s = tw->cur;
    put8(&s->s[TRS_OP], tw->pop[pos]);
    if (unlikely(s->s[TRS_OP].len >= tw->limit))
        chunk_end(tw);
}

void trace_emit_xlate_keyed(struct trace_writer *tw, uint64_t cycle, uint64_t key, uint32_t pc, uint32_t lin)
{
    if (unlikely(!(tw->kinds & 1u)))
        return;

    ring_sync(tw);
    tw->hot.cur_cycle = cycle;
    tw->hot.events++;
    xlate_slow(tw, cycle, key, pc, lin & 0xFFF);
}

/* ---- other records ---- */

/* Append a record of KIND with payload P[0..N). Walks are timed only with
 * the xtime detail (in the xtime stream); every other kind in `time`. */
static void emit_rec(struct trace_writer *tw, uint64_t cycle, unsigned kind, const uint8_t *p, size_t n)
{
    if (!tw->cur)
        chunk_begin(tw, cycle);
    struct tw_slot *s = tw->cur;
    flush_rep(tw);
    ring_sync(tw);     /* the table stays valid across records */
    tw->hot.last_sym = -1;
    hist_reset(tw);
    tw->hot.cur_cycle = cycle;
    tw->hot.events++;
    tw->kcount[kind]++;
    put8(&s->s[TRS_OP], (uint8_t)(TRO_REC + kind));
    if (kind != TRK_WALK) {
        putv(&s->s[TRS_TIME], trf_zigzag((int64_t)(cycle - tw->prev_time)));
        tw->prev_time = cycle;
        tw->walk_valid = 0;
        tw->post_walk = 0;
    } else if (tw->detail & TR_DETAIL_XTIME) {
        putv(&s->s[TRS_XTIME], trf_zigzag((int64_t)(cycle - tw->prev_xcycle)));
        tw->prev_xcycle = cycle;
    }
    struct trace_bytes *b = &s->s[TRS_REC];
    uint8_t *q = buf_room(b, n + 10);
    size_t k = trf_rec_sized(TRF_MAJOR, kind) ? varint_enc(q, n) : 0;
    memcpy(q + k, p, n);
    b->len += k + n;
    chunk_check(tw);
}

#define KEEP(tw, k) ((tw)->kinds & (1u << (k)))

void trace_emit_walk(struct trace_writer *tw, uint64_t cycle, const struct tr_walk *w)
{
    if (!KEEP(tw, TRK_WALK))
        return;
    if (!tw->cur)
        chunk_begin(tw, cycle);
    uint8_t p[64];
    size_t n = 0;
    int offsets = tw->detail & TR_DETAIL_OFFSETS;
    uint32_t lin = offsets ? w->lin : w->lin & 0xFFFFF000u;
    uint32_t pde_pred = (tw->pred_cr3 & 0xFFFFF000u) | (w->lin >> 22) << 2;
    uint32_t pte_pred = (w->pde & 0xFFFFF000u) | ((w->lin >> 12) & 0x3FFu) << 2;
    int nopte = w->pte_addr == 0 && w->pte == 0;
    uint8_t flags = (uint8_t)((w->pde_addr == pde_pred) | (w->pte_addr == pte_pred) << 1 |
                              (w->pte == 0) << 2 | (w->ad_set & 0xF) << 4);
    struct tw_walk *wc = offsets ? NULL : &tw->wcache[trx_slot(lin >> 12)];
    if (wc && wc->lin == lin && wc->pde_addr == w->pde_addr && wc->pde == w->pde &&
        wc->pte_addr == w->pte_addr && wc->pte == w->pte && (flags & 3) != 3) {
        /* the same walk as the last one of this page: its cache slot (3.0:
         * only when its addresses are not predicted; when they are, the
         * full form below is three predictable bytes and the page delta) */
        p[n++] = (uint8_t)(TRW_CACHED | (w->ad_set & 0xF) << 4);
        p[n++] = (uint8_t)trx_slot(lin >> 12);
    } else {
        /* values as differences from this page's last walk when there is one
         * (a fill after a fault, a D-bit assist), else from the predictions:
         * the PDE last read at that address, the PTE at the previous one's
         * page-to-frame offset; the page apart (TRS_WPG, TRS_WPGH) */
        int same = wc && wc->lin == lin;
        uint32_t base_pde = same ? wc->pde : trf_walkpred_pde(&tw->wpred, w->pde_addr, tw->prev_pde);
        uint32_t base_pte = same ? wc->pte : trf_walkpred_pte(&tw->wpred, w->lin);
        p[n++] = flags;
        uint64_t zz = trf_zigzag(((int64_t)lin - (int64_t)tw->prev_walk_lin) >> (offsets ? 0 : 12));
        put8(&tw->cur->s[TRS_WPG], (uint8_t)zz);
        putv(&tw->cur->s[TRS_WPGH], zz >> 8);
        if (!(flags & 1))
            n += varint_enc(p + n, w->pde_addr);
        n += varint_enc(p + n, trf_zigzag((int64_t)w->pde - (int64_t)base_pde));
        if (!(flags & 2))
            n += varint_enc(p + n, w->pte_addr);
        if (!(flags & 4))
            n += varint_enc(p + n, trf_zigzag((int64_t)w->pte - (int64_t)base_pte));
        if (wc)
            *wc = (struct tw_walk){ lin, w->pde_addr, w->pde, w->pte_addr, w->pte };
    }
    tw->prev_walk_lin = lin;
    tw->prev_pde = w->pde;
    trf_walkpred_note(&tw->wpred, w->lin, w->pde_addr, w->pde, w->pte);
    emit_rec(tw, cycle, TRK_WALK, p, n);
    tw->walk_valid = !nopte;    /* (a chunk that emit_rec ended resets it when the next begins) */
    tw->post_walk = trf_post_walk(!nopte, w->pde, w->pte);
    tw->walk_lpage = w->lin >> 12;
    tw->walk_frame = w->pte >> 12;
}

void trace_emit_fault(struct trace_writer *tw, uint64_t cycle, uint32_t cr2, uint32_t err,
                      uint32_t eip, unsigned cpl)
{
    if (!KEEP(tw, TRK_FAULT))
        return;
    uint8_t p[40];
    if (!tw->cur)
        chunk_begin(tw, cycle);
    size_t n = varint_enc(p, trf_zigzag((int64_t)cr2 - (int64_t)tw->prev_cr2));
    n += varint_enc(p + n, err);
    n += varint_enc(p + n, trf_zigzag((int64_t)eip - (int64_t)tw->prev_eip));
    p[n++] = (uint8_t)cpl;
    tw->prev_cr2 = cr2;
    tw->prev_eip = eip;
    emit_rec(tw, cycle, TRK_FAULT, p, n);
}

void trace_emit_flush(struct trace_writer *tw, uint64_t cycle, enum tr_flush_kind kind,
                      uint32_t addr, uint32_t entries_dropped)
{
    if (!KEEP(tw, TRK_FLUSH))
        return;
    uint8_t p[32];
    if (!tw->cur)
        chunk_begin(tw, cycle);
    size_t n = 0;
    p[n++] = (uint8_t)kind;
    n += varint_enc(p + n, trf_zigzag((int64_t)addr - (int64_t)tw->prev_flush));
    n += varint_enc(p + n, entries_dropped);
    tw->prev_flush = addr;
    emit_rec(tw, cycle, TRK_FLUSH, p, n);
}

void trace_emit_cr3(struct trace_writer *tw, uint64_t cycle, uint32_t old_cr3, uint32_t new_cr3)
{
    if (KEEP(tw, TRK_CR3)) {
        uint8_t p[32];
        size_t n = varint_enc(p, old_cr3);
        n += varint_enc(p + n, new_cr3);
        emit_rec(tw, cycle, TRK_CR3, p, n);
        tw->pred_cr3 = new_cr3;
    }
    tw->cr3 = new_cr3;     /* after the record: the walk predictor of the chunk follows it */
}

void trace_emit_disk(struct trace_writer *tw, uint64_t cycle, uint64_t lba, uint32_t count,
                     enum tr_disk_dir dir)
{
    if (!KEEP(tw, TRK_DISK))
        return;
    uint8_t p[32];
    if (!tw->cur)
        chunk_begin(tw, cycle);
    size_t n = varint_enc(p, trf_zigzag((int64_t)(lba - tw->prev_lba)));
    n += varint_enc(p + n, count);
    p[n++] = (uint8_t)dir;
    tw->prev_lba = lba + count;
    emit_rec(tw, cycle, TRK_DISK, p, n);
}

void trace_emit_annot(struct trace_writer *tw, uint64_t cycle, const void *rec, size_t len)
{
    const uint8_t *r = rec;
    if (len < 8 || len > ANNOT_MAX_SIZE)
        return;     /* the annotation port validates; never store garbage */
    if (trf_get16(r) == ANNOT_CTX_SWITCH && len >= 12)
        tw->pid = trf_get32(r + 8);
    if (!KEEP(tw, TRK_ANNOT))
        return;
    emit_rec(tw, cycle, TRK_ANNOT, r, len);
}

void trace_emit_sync(struct trace_writer *tw, uint64_t cycle, uint64_t insns)
{
    tw->insns = insns;
    if (tw->cur && cycle - tw->cur->h.first_cycle >= tw->chunk_cycles)
        chunk_end(tw);
    if (cycle - tw->last_sync >= tw->sync_cycles || (tw->cur && !tw->chunk_synced)) {
        uint8_t p[16];
        size_t n = varint_enc(p, insns);
        emit_rec(tw, cycle, TRK_SYNC, p, n);
        tw->last_sync = cycle;
        if (tw->cur)
            tw->chunk_synced = 1;
    }
}

/* ---- symbol tables ---- */

static int sym_cmp(const void *a, const void *b)
{
    const struct trace_symbol *x = *(const struct trace_symbol *const *)a;
    const struct trace_symbol *y = *(const struct trace_symbol *const *)b;
    if (x->addr != y->addr)
        return x->addr < y->addr ? -1 : 1;
    if (!x->size != !y->size)
        return x->size ? -1 : 1;    /* sized symbols first, as the lookup prefers them */
    int c = strcmp(x->name ? x->name : "", y->name ? y->name : "");
    if (c)
        return c;
    return (x->size > y->size) - (x->size < y->size);
}

static void put_name(struct trace_bytes *b, const char *name)
{
    size_t n = name ? strlen(name) : 0;
    if (n > TRF_SYM_NAME)
        n = TRF_SYM_NAME;
    putv(b, n);
    memcpy(buf_room(b, n), name, n);
    b->len += n;
}

/* Encode IMG as one table (docs/trace-format.md "Symbol tables") at the end of B. */
static void sym_encode(struct trace_bytes *b, const struct trace_image *img)
{
    const struct trace_symbol **v = malloc((img->nsym ? img->nsym : 1) * sizeof *v);
    if (!v) {
        fprintf(stderr, "trace: out of memory\n");
        abort();
    }
    size_t n = 0;
    for (size_t i = 0; i < img->nsym; i++)
        if (img->sym[i].name && img->sym[i].name[0])
            v[n++] = &img->sym[i];
    qsort(v, n, sizeof *v, sym_cmp);
    struct trace_bytes t = { 0 };
    putv(&t, img->id);
    putv(&t, img->bias);
    putv(&t, img->pid);
    put_name(&t, img->name);
    putv(&t, n);
    uint32_t prev = 0;
    for (size_t i = 0; i < n; i++) {
        putv(&t, v[i]->addr - prev);
        putv(&t, v[i]->size);
        put_name(&t, v[i]->name);
        prev = v[i]->addr;
    }
    put8(b, TRF_SYM_VERSION);
    putv(b, t.len);
    memcpy(buf_room(b, t.len), t.p, t.len);
    b->len += t.len;
    free(t.p);
    free(v);
}

void trace_writer_add_image(struct trace_writer *tw, uint64_t cycle, const struct trace_image *img)
{
    if (!tw->cur)
        chunk_begin(tw, cycle);
    sym_encode(&tw->cur->s[TRS_SYM], img);
}

/* ---- the writer thread ---- */

static int write_all(struct trace_writer *tw, const void *p, size_t n)
{
    const uint8_t *b = p;
    while (n) {
        ssize_t k = write(tw->fd, b, n);
        if (k < 0) {
            if (errno == EINTR)
                continue;
            tw_fail(tw, "%s: write failed: %s", strerror(errno));
            return -1;
        }
        b += k;
        n -= (size_t)k;
        tw->offset += (uint64_t)k;
    }
    return 0;
}

static void grow(uint8_t **p, size_t *cap, size_t need)
{
    if (need <= *cap)
        return;
    size_t c = *cap ? *cap : 65536;
    while (c < need)
        c *= 2;
    uint8_t *q = realloc(*p, c);
    if (!q) {
        fprintf(stderr, "trace: out of memory\n");
        abort();
    }
    *p = q;
    *cap = c;
}

/* The deflate level of stream I, and its strategy (<< 4). The new-entry,
 * record and walk-page streams of a trace that misses a lot are near
 * random (pages, frames, PTEs): deflate's longer match searches of levels
 * 5-9 find little there and cost the writer thread most of its time (bench-random8m, level 6 against 4: 5.5x
 * the time for 3% fewer bytes on xnew, 2.5x for 1.5% on rec), and the
 * emulator waited for it; so they stop at TW_ENTROPY_LEVEL. The opcode
 * stream, long runs that level 6 codes in a fifth fewer bytes than 5,
 * keeps the configured level. */
static int stream_level(const struct trace_writer *tw, int i)
{
    int level = tw->level;
    if ((i == TRS_XNEW || i == TRS_REC || i == TRS_WPG || i == TRS_WPGH) && level > TW_ENTROPY_LEVEL)
        level = TW_ENTROPY_LEVEL;
    if (i == TRS_WPGH && level)
        level |= Z_FILTERED << 4;   /* near-random symbols: short matches cost more than they save */
    return level;
}

/* Deflate at LEVEL (stream_level's strategy << 4 | level) from here on.
 * Called with no input pending (before a chunk, and between streams, each
 * of which ends its own block), so no byte already given is coded at the
 * new level. */
static bool zs_level(struct trace_writer *tw, int level)
{
    if (level == tw->zlevel)
        return true;
    tw->zlevel = level;
    return deflateParams(&tw->zs, level & 15, level >> 4) == Z_OK;
}

/* Deflate and write one chunk (writer thread). */
static void write_chunk(struct trace_writer *tw, struct tw_slot *s)
{
    int ns = TRS_ALL;     /* 3.0: all of them, the symbol tables' empty but in the first chunk */
    uint8_t head[1 + TRS_ALL * 10];
    size_t n = 0;
    head[n++] = (uint8_t)ns;
    for (int i = 0; i < ns; i++)
        n += varint_enc(head + n, s->s[i].len);
    size_t hn = n;
    for (int i = 0; i < ns; i++)
        n += s->s[i].len;
    if (n > TRF_RAW_MAX) {
        tw_fail(tw, "%s: chunk too large (%s)", "raw payload over 64 MiB");
        return;
    }
    /* Deflated straight from the streams, each ending its own deflate block
     * (Z_BLOCK): a stream gets Huffman codes of its own instead of sharing
     * them with the others (5 % smaller on the synthetic stream), and the
     * payload is never copied. The raw payload is the same bytes as ever. */
    uLong bound = deflateBound(&tw->zs, (uLong)n) + 16 * (uLong)ns;
    grow(&tw->comp, &tw->comp_cap, bound + TRF_CHUNK_HDR);
    deflateReset(&tw->zs);
    /* the header of stream lengths goes into the opcode stream's block */
    int ok = zs_level(tw, stream_level(tw, TRS_OP));
    tw->zs.next_out = tw->comp + TRF_CHUNK_HDR;
    tw->zs.avail_out = (uInt)bound;
    uLong crc = crc32(0, head, (uInt)hn);
    tw->zs.next_in = head;
    tw->zs.avail_in = (uInt)hn;
    ok = ok && deflate(&tw->zs, Z_NO_FLUSH) == Z_OK;
    for (int i = 0; i < ns && ok; i++) {
        const struct trace_bytes *b = &s->s[i];
        if (!b->len)
            continue;
        crc = crc32(crc, b->p, (uInt)b->len);
        if (!(ok = zs_level(tw, stream_level(tw, i))))    /* before its input: none pending */
            break;
        tw->zs.next_in = b->p;
        tw->zs.avail_in = (uInt)b->len;
        ok = deflate(&tw->zs, Z_BLOCK) == Z_OK && !tw->zs.avail_in;
    }
    if (!ok || deflate(&tw->zs, Z_FINISH) != Z_STREAM_END) {
        tw_fail(tw, "%s: deflate failed (%s)", tw->zs.msg ? tw->zs.msg : "?");
        return;
    }
    s->h.raw_len = (uint32_t)n;
    s->h.comp_len = (uint32_t)tw->zs.total_out;
    s->h.crc = (uint32_t)crc;
    trf_chunk_hdr_encode(tw->comp, &s->h);
    if (tw->nindex == tw->index_cap) {
        size_t c = tw->index_cap ? tw->index_cap * 2 : 256;
        struct tw_index *q = realloc(tw->index, c * sizeof *q);
        if (!q) {
            fprintf(stderr, "trace: out of memory\n");
            abort();
        }
        tw->index = q;
        tw->index_cap = c;
    }
    tw->index[tw->nindex++] = (struct tw_index){ tw->offset, s->h.first_event, s->h.first_cycle,
                                                 s->h.last_cycle };
    write_all(tw, tw->comp, TRF_CHUNK_HDR + s->h.comp_len);
}

static void *writer_thread(void *arg)
{
    struct trace_writer *tw = arg;
    pthread_mutex_lock(&tw->mu);
    for (;;) {
        struct tw_slot *s = &tw->slots[tw->tail];
        if (!s->ready) {
            if (tw->quit)
                break;
            pthread_cond_wait(&tw->cv_work, &tw->mu);
            continue;
        }
        pthread_mutex_unlock(&tw->mu);
        if (!tw->failed)
            write_chunk(tw, s);
        pthread_mutex_lock(&tw->mu);
        s->ready = 0;
        tw->tail = (tw->tail + 1) % tw->nslots;
        pthread_cond_signal(&tw->cv_free);
    }
    pthread_mutex_unlock(&tw->mu);
    return NULL;
}

/* ---- open and close ---- */

static void tlv(uint8_t *h, size_t *n, unsigned tag, const void *v, size_t len)
{
    if (len > 4096)
        len = 4096;
    trf_put16(h + *n, (uint16_t)tag);
    trf_put16(h + *n + 2, (uint16_t)len);
    if (len)
        memcpy(h + *n + 4, v, len);
    *n += 4 + len;
}

static void tlv_str(uint8_t *h, size_t *n, unsigned tag, const char *s)
{
    tlv(h, n, tag, s ? s : "", s ? strlen(s) : 0);
}

static void tlv_u32(uint8_t *h, size_t *n, unsigned tag, uint32_t v)
{
    uint8_t b[4];
    trf_put32(b, v);
    tlv(h, n, tag, b, 4);
}

static void tlv_u64(uint8_t *h, size_t *n, unsigned tag, uint64_t v)
{
    uint8_t b[8];
    trf_put64(b, v);
    tlv(h, n, tag, b, 8);
}

struct trace_writer *trace_writer_open(const char *path, const struct trace_config *cfg,
                                       char *err, size_t errlen)
{
    uint32_t kinds, detail;
    if (!trace_filter_parse(cfg->filter, &kinds, &detail, err, errlen))
        return NULL;
    struct trace_writer *tw = calloc(1, sizeof *tw);
    if (!tw) {
        snprintf(err, errlen, "%s: out of memory", path);
        return NULL;
    }
    tw->kinds = kinds;
    tw->detail = detail;
    tw->level = cfg->level > 0 && cfg->level <= 9 ? cfg->level : TW_DEF_LEVEL;
    tw->no_period = cfg->no_period;
    tw->limit = cfg->chunk_bytes ? cfg->chunk_bytes : TW_DEF_CHUNK_BYTES;
    if (tw->limit < 1024)
        tw->limit = 1024;
    if (tw->limit > (8u << 20))
        tw->limit = 8u << 20;
    tw->chunk_cycles = cfg->chunk_cycles ? cfg->chunk_cycles : TW_DEF_CHUNK_CYCLES;
    tw->sync_cycles = cfg->sync_cycles ? cfg->sync_cycles : TW_DEF_SYNC_CYCLES;
    tw->hot.pkey = tw->pkey;
    tw->hot.prep = tw->prep;
    tw->hot.pop = tw->pop;
    tw->no_op.len = SIZE_MAX;
    tw->hot.op = &tw->no_op;
    tw->nslots = cfg->ring >= 2 ? cfg->ring : 4;
    tw->pid = 0xFFFFFFFFu;
    tw->hot.tab[TRF_MTF] = TRK_NONE;    /* what no ring points at */
    ring_none(tw);
    tw->hot.last_sym = -1;
    tw->fd = -1;
    tw->path = strdup(path);
    tw->slots = calloc(tw->nslots, sizeof *tw->slots);
    if (!tw->path || !tw->slots) {
        snprintf(err, errlen, "%s: out of memory", path);
        goto fail;
    }
    tw->zlevel = tw->level;
    if (deflateInit(&tw->zs, tw->level) != Z_OK) {
        snprintf(err, errlen, "%s: deflateInit failed", path);
        goto fail;
    }
    tw->fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (tw->fd < 0) {
        snprintf(err, errlen, "%s: cannot create: %s", path, strerror(errno));
        deflateEnd(&tw->zs);
        goto fail;
    }

    uint8_t *h = malloc(TRF_HDR_MAX);
    if (!h) {
        snprintf(err, errlen, "%s: out of memory", path);
        goto fail_fd;
    }
    size_t n = 16;
    memcpy(h, TRF_MAGIC, TRF_MAGIC_LEN);
    trf_put16(h + 8, TRF_MAJOR);
    trf_put16(h + 10, TRF_MINOR);
    tlv_str(h, &n, TRF_T_VERSION, cfg->vmscope_version);
    tlv_u64(h, &n, TRF_T_RAM, cfg->ram_bytes);
    tlv_str(h, &n, TRF_T_TLB, cfg->tlb_spec);
    tlv_str(h, &n, TRF_T_CYCLES, cfg->cycle_model);
    tlv_u32(h, &n, TRF_T_MHZ, cfg->cpu_mhz);
    if (cfg->have_sha256)
        tlv(h, &n, TRF_T_SHA256, cfg->kernel_sha256, 32);
    tlv_str(h, &n, TRF_T_KERNEL, cfg->kernel);
    tlv_str(h, &n, TRF_T_CMDLINE, cfg->cmdline);
    tlv_u32(h, &n, TRF_T_KINDS, kinds);
    tlv_str(h, &n, TRF_T_FILTER, cfg->filter);
    tlv_u32(h, &n, TRF_T_CHUNK_BYTES, (uint32_t)tw->limit);
    tlv_u64(h, &n, TRF_T_CHUNK_CYCLES, tw->chunk_cycles);
    tlv_u64(h, &n, TRF_T_SYNC_CYCLES, tw->sync_cycles);
    tlv_u32(h, &n, TRF_T_DETAIL, detail);
    tlv_u32(h, &n, TRF_T_LEVEL, (uint32_t)tw->level);
    trf_put32(h + 12, (uint32_t)(n + 4));
    trf_put32(h + n, (uint32_t)crc32(0, h, (uInt)n));
    n += 4;
    int rc = write_all(tw, h, n);
    free(h);
    if (rc) {
        snprintf(err, errlen, "%s", tw->err);
        goto fail_fd;
    }
    pthread_mutex_init(&tw->mu, NULL);
    pthread_cond_init(&tw->cv_work, NULL);
    pthread_cond_init(&tw->cv_free, NULL);
    if (pthread_create(&tw->thread, NULL, writer_thread, tw)) {
        snprintf(err, errlen, "%s: cannot start the writer thread", path);
        goto fail_fd;
    }
    if (cfg->nimages) {
        /* the symbol chunk: sequence 0, no events, cycle 0 */
        for (size_t i = 0; i < cfg->nimages; i++)
            trace_writer_add_image(tw, 0, &cfg->images[i]);
        chunk_end(tw);
    }
    return tw;
fail_fd:
    close(tw->fd);
    deflateEnd(&tw->zs);
fail:
    free(tw->slots);
    free(tw->path);
    free(tw);
    return NULL;
}

void trace_writer_flush(struct trace_writer *tw)
{
    chunk_end(tw);
}

const char *trace_writer_error(struct trace_writer *tw)
{
    return tw->failed ? tw->err : NULL;
}

uint64_t trace_writer_events(const struct trace_writer *tw)
{
    return tw->hot.events;
}

bool trace_writer_close(struct trace_writer *tw, char *err, size_t errlen)
{
    chunk_end(tw);
    pthread_mutex_lock(&tw->mu);
    tw->quit = 1;
    pthread_cond_signal(&tw->cv_work);
    pthread_mutex_unlock(&tw->mu);
    pthread_join(tw->thread, NULL);

    if (!tw->failed) {
        size_t n = TRF_FOOT_FIXED + tw->nindex * TRF_FOOT_ENTRY + 4 + TRF_TRAILER;
        uint8_t *f = calloc(1, n);
        if (!f) {
            tw_fail(tw, "%s: %s", "out of memory writing the footer");
        } else {
            uint64_t foot = tw->offset;
            memcpy(f, TRF_FOOT_MAGIC, 4);
            trf_put32(f + 4, (uint32_t)tw->nindex);
            trf_put64(f + 8, tw->hot.events);
            trf_put64(f + 16, tw->hot.cur_cycle);
            trf_put64(f + 24, tw->insns);
            /* the predicted hits are the translations not counted elsewhere */
            uint64_t other = 0;
            for (int k = 1; k < TRK_NKINDS; k++)
                other += tw->kcount[k];
            for (int o = 1; o < 8; o++)
                other += tw->ocount[o];
            tw->ocount[0] = tw->hot.events - other;
            uint64_t xl = 0;
            for (int i = 0; i < 8; i++)
                xl += tw->ocount[i];
            trf_put64(f + 32, xl);
            for (int k = 1; k < TRK_NKINDS; k++)
                trf_put64(f + 32 + 8 * k, tw->kcount[k]);
            for (int o = 0; o < 5; o++)
                trf_put64(f + 32 + 8 * (8 + o), tw->ocount[o]);
            size_t p = TRF_FOOT_FIXED;
            for (size_t i = 0; i < tw->nindex; i++, p += TRF_FOOT_ENTRY) {
                trf_put64(f + p, tw->index[i].offset);
                trf_put64(f + p + 8, tw->index[i].first_event);
                trf_put64(f + p + 16, tw->index[i].first_cycle);
                trf_put64(f + p + 24, tw->index[i].last_cycle);
            }
            trf_put32(f + p, (uint32_t)crc32(0, f, (uInt)p));
            p += 4;
            trf_put64(f + p, foot);
            memcpy(f + p + 8, TRF_TRAILER_MAGIC, 8);
            write_all(tw, f, n);
            free(f);
        }
    }
    if (close(tw->fd) && !tw->failed)
        tw_fail(tw, "%s: close failed: %s", strerror(errno));
    bool ok = !tw->failed;
    if (!ok)
        snprintf(err, errlen, "%s", tw->err);
    deflateEnd(&tw->zs);
    for (unsigned i = 0; i < tw->nslots; i++)
        for (int k = 0; k < TRS_ALL; k++)
            free(tw->slots[i].s[k].p);
    pthread_mutex_destroy(&tw->mu);
    pthread_cond_destroy(&tw->cv_work);
    pthread_cond_destroy(&tw->cv_free);
    free(tw->slots);
    free(tw->comp);
    free(tw->index);
    free(tw->path);
    free(tw);
    return ok;
}
