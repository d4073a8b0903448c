/* libvmtrace's stable API (trace/libvmtrace.h) over the reader
 * (trace/reader.h): records as struct vmt_record through trace/columns.h,
 * and the text column interned per handle. */
#include "trace/libvmtrace.h"
#include "trace/columns.h"
#include "trace/format.h"
#include "trace/reader.h"
#include "trace/stage.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

_Static_assert(sizeof(struct vmt_record) == 88, "struct vmt_record is part of the ABI");
#define AT(f, o) _Static_assert(offsetof(struct vmt_record, f) == (o), "tr_columns_xlate's words")
AT(cr3, 40); AT(pid, 44); AT(lin, 48); AT(phys, 52); AT(cycles, 56); AT(addr2, 60); AT(value2, 64);
AT(aux, 68); AT(text, 72); AT(kind, 76); AT(exact, 77); AT(access, 78); AT(implicit, 79);
AT(outcome, 80); AT(tlb, 81); AT(cpl, 82); AT(global, 83); AT(large, 84);
#undef AT
_Static_assert(sizeof(struct vmt_chunk) == 56, "struct vmt_chunk is part of the ABI");
_Static_assert(VMT_KIND_UNKNOWN > TRK_NKINDS, "kind codes are enum tr_kind");
_Static_assert(TRK_XLATE == 0 && TRK_SYNC == 7, "kind codes are enum tr_kind");

#define VMT_BATCH 512              /* records decoded per reader call (their tr_events stay in L2) */
#define VMT_HDR_MAX 20

/* The text column's ids: one table per handle, or one shared by handles
 * (vmt_share_text), hence the lock and the count of handles using it. */
struct vmt_text_table {
    pthread_mutex_t lock;           /* guards everything below */
    unsigned users;                 /* handles numbering in it */
    char **s;                       /* id -> text; s[0] = "" */
    uint32_t n, cap;
    uint32_t *slot;                 /* open addressing: id + 1, 0 = empty */
    uint32_t nslot;                 /* power of two */
};

struct vmt_trace {
    struct tr_reader *r;
    struct tr_cursor *c;
    struct tr_select sel;
    bool filtering;                 /* any filter set: sel is checked */
    struct tr_event ev[VMT_BATCH];  /* decoded, not yet handed out: ev[pos..n) */
    size_t pos, n;
    struct vmt_text_table *text;
    struct stage stage;             /* vmt_read_chunk's way out */
    size_t nhdr;                    /* header fields */
    const char *hdr_name[VMT_HDR_MAX];
    char *hdr_value[VMT_HDR_MAX];
    int hdr_numeric[VMT_HDR_MAX];
};

/* ------------------------------------------------------------ versions */

const char *vmt_version(void) { return VMSCOPE_VERSION; }
const char *vmt_format_version(void) { return tr_format_version(); }

/* ------------------------------------------------------------ text */

static uint32_t text_hash(const char *s)
{
    uint32_t h = 2166136261u;               /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (uint8_t)*s) * 16777619u;
    return h;
}

static bool text_grow(struct vmt_text_table *tt)
{
    uint32_t nslot = tt->nslot ? tt->nslot * 2 : 256;
    uint32_t *slot = calloc(nslot, sizeof *slot);
    if (!slot)
        return false;
    for (uint32_t id = 1; id < tt->n; id++) {
        uint32_t h = text_hash(tt->s[id]) & (nslot - 1);
        while (slot[h])
            h = (h + 1) & (nslot - 1);
        slot[h] = id + 1;
    }
    free(tt->slot);
    tt->slot = slot;
    tt->nslot = nslot;
    return true;
}

/* The id of S, adding it when new; 0 for "" (and when out of memory).
 * The caller holds tt->lock. */
static uint32_t text_id_locked(struct vmt_text_table *tt, const char *s)
{
    if (!*s)
        return 0;
    if ((tt->n + 1) * 2 > tt->nslot && !text_grow(tt))
        return 0;
    uint32_t h = text_hash(s) & (tt->nslot - 1);
    for (; tt->slot[h]; h = (h + 1) & (tt->nslot - 1))
        if (!strcmp(tt->s[tt->slot[h] - 1], s))
            return tt->slot[h] - 1;
    if (tt->n == tt->cap) {
        uint32_t cap = tt->cap * 2;
        char **ns = realloc(tt->s, cap * sizeof *ns);
        if (!ns)
            return 0;
        tt->s = ns;
        tt->cap = cap;
    }
    char *copy = strdup(s);
    if (!copy)
        return 0;
    tt->s[tt->n] = copy;
    tt->slot[h] = tt->n + 1;
    return tt->n++;
}

static uint32_t text_id(struct vmt_text_table *tt, const char *s)
{
    if (!*s)
        return 0;
    pthread_mutex_lock(&tt->lock);
    uint32_t id = text_id_locked(tt, s);
    pthread_mutex_unlock(&tt->lock);
    return id;
}

/* A table holding "" as id 0, used by one handle; NULL when out of memory. */
static struct vmt_text_table *text_new(void)
{
    struct vmt_text_table *tt = calloc(1, sizeof *tt);
    if (!tt)
        return NULL;
    pthread_mutex_init(&tt->lock, NULL);
    tt->users = 1;
    tt->cap = 64;
    tt->s = calloc(tt->cap, sizeof *tt->s);
    if (tt->s)
        tt->s[tt->n++] = strdup("");
    if (!tt->s || !tt->s[0]) {
        free(tt->s);
        free(tt);
        return NULL;
    }
    return tt;
}

/* One handle less uses TT: the last frees it. */
static void text_drop(struct vmt_text_table *tt)
{
    if (!tt)
        return;
    pthread_mutex_lock(&tt->lock);
    unsigned users = --tt->users;
    pthread_mutex_unlock(&tt->lock);
    if (users)
        return;
    for (uint32_t i = 0; i < tt->n; i++)
        free(tt->s[i]);
    free(tt->s);
    free(tt->slot);
    pthread_mutex_destroy(&tt->lock);
    free(tt);
}

const char *vmt_text(const vmt_trace *t, uint32_t id)
{
    struct vmt_text_table *tt = t->text;
    pthread_mutex_lock(&tt->lock);
    const char *s = id < tt->n ? tt->s[id] : "";    /* texts never move once added */
    pthread_mutex_unlock(&tt->lock);
    return s;
}

uint32_t vmt_text_count(const vmt_trace *t)
{
    struct vmt_text_table *tt = t->text;
    pthread_mutex_lock(&tt->lock);
    uint32_t n = tt->n;
    pthread_mutex_unlock(&tt->lock);
    return n;
}

void vmt_share_text(vmt_trace *t, vmt_trace *with)
{
    if (t->text == with->text)
        return;
    struct vmt_text_table *tt = with->text;
    pthread_mutex_lock(&tt->lock);
    tt->users++;
    pthread_mutex_unlock(&tt->lock);
    text_drop(t->text);
    t->text = tt;
}

/* ------------------------------------------------------------ open, header */

static void hdr_add(vmt_trace *t, const char *name, int numeric, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void hdr_add(vmt_trace *t, const char *name, int numeric, const char *fmt, ...)
{
    if (t->nhdr == VMT_HDR_MAX)
        return;
    char buf[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    char *v = strdup(buf);
    if (!v)
        return;
    t->hdr_name[t->nhdr] = name;
    t->hdr_value[t->nhdr] = v;
    t->hdr_numeric[t->nhdr] = numeric;
    t->nhdr++;
}

static void hdr_fill(vmt_trace *t)
{
    const struct tr_header *h = tr_reader_header(t->r);
    char sha[65] = "";
    for (int i = 0; h->have_sha256 && i < 32; i++)
        snprintf(sha + 2 * i, 3, "%02x", h->kernel_sha256[i]);
    hdr_add(t, "format", 0, "%u.%u", h->major, h->minor);
    hdr_add(t, "vmscope_version", 0, "%s", h->vmscope_version);
    hdr_add(t, "ram_bytes", 1, "%" PRIu64, h->ram_bytes);
    hdr_add(t, "tlb_spec", 0, "%s", h->tlb_spec);
    hdr_add(t, "cycle_model", 0, "%s", h->cycle_model);
    hdr_add(t, "cpu_mhz", 1, "%u", h->cpu_mhz);
    hdr_add(t, "kernel", 0, "%s", h->kernel);
    hdr_add(t, "kernel_sha256", 0, "%s", sha);
    hdr_add(t, "cmdline", 0, "%s", h->cmdline);
    hdr_add(t, "kinds", 1, "%u", h->kinds);
    hdr_add(t, "filter", 0, "%s", h->filter);
    hdr_add(t, "detail", 1, "%u", h->detail);
    hdr_add(t, "chunk_bytes", 1, "%u", h->chunk_bytes);
    hdr_add(t, "chunk_cycles", 1, "%" PRIu64, h->chunk_cycles);
    hdr_add(t, "sync_cycles", 1, "%" PRIu64, h->sync_cycles);
    hdr_add(t, "level", 1, "%u", h->level);
}

vmt_trace *vmt_open(const char *path, char *err, size_t errlen)
{
    char e[512] = "";
    vmt_trace *t = calloc(1, sizeof *t);
    if (!t) {
        if (errlen)
            snprintf(err, errlen, "%s: out of memory", path);
        return NULL;
    }
    t->r = tr_reader_open(path, 0, NULL, NULL, e, sizeof e);
    t->c = t->r ? tr_cursor_new(t->r, 0) : NULL;
    t->text = text_new();
    if (!t->c || !t->text) {
        if (errlen)
            snprintf(err, errlen, "%s", t->r ? "out of memory" : e);
        vmt_close(t);
        return NULL;
    }
    tr_select_init(&t->sel);
    hdr_fill(t);
    return t;
}

void vmt_close(vmt_trace *t)
{
    if (!t)
        return;
    tr_cursor_free(t->c);
    tr_reader_close(t->r);
    text_drop(t->text);
    for (size_t i = 0; i < t->nhdr; i++)
        free(t->hdr_value[i]);
    free(t);
}

size_t vmt_header_count(const vmt_trace *t) { return t->nhdr; }

int vmt_header_field(const vmt_trace *t, size_t i, const char **name, const char **value, int *numeric)
{
    if (i >= t->nhdr)
        return 0;
    *name = t->hdr_name[i];
    *value = t->hdr_value[i];
    if (numeric)
        *numeric = t->hdr_numeric[i];
    return 1;
}

uint64_t vmt_problems(const vmt_trace *t) { return tr_reader_problems(t->r); }

/* ------------------------------------------------------------ chunks */

size_t vmt_nchunks(const vmt_trace *t) { return tr_reader_nchunks(t->r); }

int vmt_chunk_info(const vmt_trace *t, size_t i, struct vmt_chunk *out)
{
    if (i >= tr_reader_nchunks(t->r))
        return 0;
    const struct tr_chunk *c = tr_reader_chunk(t->r, i);
    memset(out, 0, sizeof *out);
    out->first_event = c->first_event;
    out->events = c->nevents;
    out->first_cycle = c->first_cycle;
    out->last_cycle = c->last_cycle;
    out->cr3 = c->cr3;
    out->pid = (int32_t)c->pid;
    return 1;
}

/* ------------------------------------------------------------ filters */

void vmt_filter_kinds(vmt_trace *t, uint32_t mask) { t->sel.kinds = mask; t->filtering = true; }

void vmt_filter_pid(vmt_trace *t, int64_t pid)
{
    t->sel.by_pid = pid >= 0;
    t->sel.pid = (uint32_t)pid;
    t->filtering = true;
}

void vmt_filter_pages(vmt_trace *t, uint32_t lo, uint32_t hi)
{
    t->sel.by_page = true;
    t->filtering = true;
    t->sel.page_lo = lo;
    t->sel.page_hi = hi;
}

void vmt_filter_cycles(vmt_trace *t, uint64_t lo, uint64_t hi)
{
    t->sel.by_cycle = true;
    t->filtering = true;
    t->sel.cycle_lo = lo;
    t->sel.cycle_hi = hi;
}

void vmt_filter_clear(vmt_trace *t)
{
    tr_select_init(&t->sel);
    t->filtering = false;
}

/* True when no record of chunk I can pass the cycle filter. A chunk's
 * records' cycles lie in [first_cycle, last_cycle]: a record timed by the
 * one before it repeats an earlier cycle of the same chunk. */
static bool chunk_out_of_range(const vmt_trace *t, size_t i)
{
    if (!t->sel.by_cycle)
        return false;
    const struct tr_chunk *c = tr_reader_chunk(t->r, i);
    return c->last_cycle < t->sel.cycle_lo || c->first_cycle > t->sel.cycle_hi;
}

/* ------------------------------------------------------------ reading */

static void drop_buffered(vmt_trace *t) { t->pos = t->n = 0; }

void vmt_seek_chunk(vmt_trace *t, size_t i) { drop_buffered(t); tr_cursor_seek_chunk(t->c, i); }
void vmt_seek_event(vmt_trace *t, uint64_t e) { drop_buffered(t); tr_cursor_seek_event(t->c, e); }
void vmt_seek_cycle(vmt_trace *t, uint64_t cy) { drop_buffered(t); tr_cursor_seek_cycle(t->c, cy); }

size_t vmt_tell(const vmt_trace *t)
{
    return t->pos < t->n ? t->ev[t->pos].chunk : tr_cursor_chunk(t->c);
}

/* Refill the buffer when empty, skipping chunks the cycle filter rules
 * out. Returns false at the end. */
static bool fill(vmt_trace *t)
{
    if (t->pos < t->n)
        return true;
    for (;;) {
        size_t ci = tr_cursor_chunk(t->c);
        if (ci < tr_reader_nchunks(t->r) && chunk_out_of_range(t, ci)) {
            tr_cursor_seek_chunk(t->c, ci + 1);
            continue;
        }
        t->pos = 0;
        t->n = tr_cursor_batch(t->c, t->ev, VMT_BATCH);
        return t->n > 0;
    }
}

static inline void convert(vmt_trace *t, const struct tr_event *ev, struct vmt_record *out)
{
    if (ev->kind == TRK_XLATE) {        /* nearly every record: no text */
        tr_columns_xlate(ev, out);
        return;
    }
    char text[TR_TEXT_MAX];
    tr_columns(t->r, ev, out, text);
    out->text = text_id(t->text, text);
}

/* Does EV pass the filters? */
static inline bool selected(const vmt_trace *t, const struct tr_event *ev)
{
    return !t->filtering || tr_select_match(&t->sel, ev);
}

size_t vmt_read(vmt_trace *t, struct vmt_record *out, size_t max)
{
    size_t k = 0;
    uint32_t chunk = 0;
    bool started = false;
    while (k < max && fill(t)) {
        const struct tr_event *ev = &t->ev[t->pos];
        if (started && ev->chunk != chunk)
            break;                      /* a batch never spans two chunks */
        t->pos++;
        if (!selected(t, ev))
            continue;
        if (!started) {
            started = true;
            chunk = ev->chunk;
        }
        convert(t, ev, &out[k++]);
    }
    return k;
}

/* The records go out through a stage (trace/stage.h): whole cache lines
 * with non-temporal stores. Measured on the first 400 chunks of the default
 * run's trace (115 million records, docs/python.md): 23 ns a record when
 * each record was written by 8-byte non-temporal stores, 18 ns through the
 * stage with tr_columns_xlate's whole words. */
size_t vmt_read_chunk(vmt_trace *t, size_t i, struct vmt_record *out, size_t max)
{
    size_t k = 0;
    if (i >= tr_reader_nchunks(t->r))
        return 0;
    vmt_seek_chunk(t, i);
    if (chunk_out_of_range(t, i)) {
        vmt_seek_chunk(t, i + 1);
        return 0;
    }
    struct stage *s = &t->stage;
    stage_begin(s, out);
    while (k < max && fill(t) && t->ev[t->pos].chunk == i) {
        /* a batch holds one chunk's records (tr_cursor_batch) */
        size_t end = t->n - t->pos < max - k ? t->n : t->pos + (max - k);
        for (; t->pos < end; t->pos++) {
            const struct tr_event *ev = &t->ev[t->pos];
            if (!selected(t, ev))
                continue;
            convert(t, ev, stage_slot(s));
            stage_commit(s, sizeof *out);
            k++;
        }
    }
    stage_end(s);
    vmt_seek_chunk(t, i + 1);
    return k;
}

uint64_t vmt_count(vmt_trace *t)
{
    uint64_t n = 0;
    vmt_seek_chunk(t, 0);
    while (fill(t)) {
        for (; t->pos < t->n; t->pos++)
            n += selected(t, &t->ev[t->pos]);
    }
    return n;
}

/* ------------------------------------------------------------ names, layout */

const char *vmt_code_name(int column, unsigned code)
{
    static const char *const access[] = { "", "fetch", "read", "write", "kind3" };
    static const char *const outcome[] = { "", "hit", "miss", "hit-fault", "miss-fault", "hit-dirty", "?" };
    static const char *const tlb[] = { "", "itlb", "dtlb", "ltlb", "stlb", "utlb", "tlb5", "tlb6", "none" };
    switch (column) {
    case VMT_COL_KIND:
        return code == VMT_KIND_UNKNOWN ? "unknown" : code < TRK_NKINDS ? trace_kind_name(code) : NULL;
    case VMT_COL_ACCESS: return code < 5 ? access[code] : NULL;
    case VMT_COL_OUTCOME: return code < 7 ? outcome[code] : NULL;
    case VMT_COL_TLB: return code < 9 ? tlb[code] : NULL;
    default: return NULL;
    }
}

#define FIELD(f, t) { #f, offsetof(struct vmt_record, f), sizeof(((struct vmt_record *)0)->f), t }
static const struct {
    const char *name;
    size_t off, size;
    char type;
} record_fields[] = {
    /* in the CSV export's column order */
    FIELD(event, 'u'), FIELD(count, 'u'), FIELD(cycle, 'u'), FIELD(exact, 'u'), FIELD(kind, 'u'),
    FIELD(cr3, 'u'), FIELD(pid, 'i'), FIELD(access, 'u'), FIELD(implicit, 'u'), FIELD(lin, 'u'),
    FIELD(phys, 'u'), FIELD(outcome, 'u'), FIELD(tlb, 'u'), FIELD(cycles, 'u'), FIELD(cpl, 'u'),
    FIELD(global, 'u'), FIELD(large, 'u'), FIELD(addr, 'u'), FIELD(value, 'u'), FIELD(addr2, 'u'),
    FIELD(value2, 'u'), FIELD(aux, 'u'), FIELD(text, 'u'),
};

size_t vmt_record_size(void) { return sizeof(struct vmt_record); }

int vmt_record_field(size_t i, const char **name, size_t *offset, size_t *size, char *type)
{
    if (i >= sizeof record_fields / sizeof record_fields[0])
        return 0;
    *name = record_fields[i].name;
    *offset = record_fields[i].off;
    *size = record_fields[i].size;
    *type = record_fields[i].type;
    return 1;
}
