/* vmtrace: read, check, dump, export and compare vmscope trace files.
 *
 * Subcommands live here (info, verify, dump, export, diff) and in
 * vmtrace_stats.c (stats) and vmtrace_sim.c (sim, mrc). The trace library
 * (trace/reader.h) does all the parsing; docs/trace-format.md is the format. */
#include "tools/vmtrace.h"
#include "trace/annot_desc.h"
#include "trace/columns.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

uint64_t vt_problems;

/* ------------------------------------------------------------ helpers */

static void print_diag(void *ctx, const char *msg)
{
    (void)ctx;
    vt_problems++;
    fprintf(stderr, "vmtrace: %s\n", msg);
}

struct tr_reader *vt_open(const char *path, unsigned flags)
{
    char err[512];
    struct tr_reader *r = tr_reader_open(path, flags, print_diag, NULL, err, sizeof err);
    if (!r)
        fprintf(stderr, "vmtrace: %s\n", err);
    return r;
}

static double mono_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

void vt_progress_init(struct vt_progress *p, const char *what)
{
    p->on = isatty(2);
    p->what = what;
    p->last = -1;
    p->t0 = p->tlast = p->on ? mono_now() : 0;
}

void vt_progress_rate(struct vt_progress *p, uint64_t done, uint64_t total, uint64_t events)
{
    if (!p->on || !total)
        return;
    double t = mono_now();
    if (t - p->tlast < 0.1)
        return;
    p->tlast = t;
    double el = t - p->t0, frac = done > total ? 1.0 : (double)done / (double)total;
    int bar = (int)(frac * 30);
    char eta[32] = "?";
    if (frac > 0.001) {
        unsigned left = (unsigned)(el / frac - el + 0.5);
        snprintf(eta, sizeof eta, "%u:%02u", left / 60, left % 60);
    }
    p->last = 0;
    fprintf(stderr, "\r%-6s [%.*s%*s] %3d%% %.1f/%.1f MB %.1f M events/s ETA %s  ", p->what, bar,
            "##############################", 30 - bar, "", (int)(frac * 100), done / 1e6, total / 1e6,
            el > 0 ? (double)events / el / 1e6 : 0.0, eta);
    fflush(stderr);
}

void vt_progress(struct vt_progress *p, uint64_t done, uint64_t total)
{
    if (!p->on || !total)
        return;
    int pct = (int)(done * 100 / total);
    if (pct == p->last)
        return;
    p->last = pct;
    int bar = pct * 30 / 100;
    fprintf(stderr, "\r%-8s [%.*s%*s] %3d%%", p->what, bar, "##############################", 30 - bar, "", pct);
    fflush(stderr);
}

void vt_progress_done(struct vt_progress *p)
{
    if (p->on && p->last >= 0)
        fprintf(stderr, "\r%*s\r", 100, "");
    p->last = -1;
}

void vt_progress_cb(void *ctx, size_t done, size_t total)
{
    vt_progress(ctx, done, total);
}

bool vt_parse_u64(const char *s, uint64_t *v)
{
    if (!s || !*s)
        return false;
    char *end;
    errno = 0;
    unsigned long long x = strtoull(s, &end, 0);
    if (errno || end == s || *s == '-')
        return false;
    uint64_t mul = 1;
    if (*end == 'k' || *end == 'K') mul = 1000, end++;
    else if (*end == 'M') mul = 1000000, end++;
    else if (*end == 'G') mul = 1000000000, end++;
    if (*end)
        return false;
    *v = (uint64_t)x * mul;
    return true;
}

bool vt_parse_range(const char *s, uint64_t *lo, uint64_t *hi)
{
    const char *dash = strchr(s, '-');
    char a[64];
    if (!dash) {
        if (!vt_parse_u64(s, lo))
            return false;
        *hi = *lo;
        return true;
    }
    size_t n = (size_t)(dash - s);
    if (n >= sizeof a)
        return false;
    memcpy(a, s, n);
    a[n] = 0;
    *lo = 0;
    *hi = UINT64_MAX;
    if (n && !vt_parse_u64(a, lo))
        return false;
    if (dash[1] && !vt_parse_u64(dash + 1, hi))
        return false;
    return *lo <= *hi;
}

int vt_usage(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "vmtrace %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, " (see vmtrace %s --help)\n", cmd);
    return 2;
}

bool vt_want_help(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
            return true;
    return false;
}

void *vt_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) {
        fprintf(stderr, "vmtrace: out of memory\n");
        exit(1);
    }
    return p;
}

void *vt_xcalloc(size_t n, size_t s)
{
    void *p = calloc(n ? n : 1, s ? s : 1);
    if (!p) {
        fprintf(stderr, "vmtrace: out of memory\n");
        exit(1);
    }
    return p;
}

void *vt_xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p) {
        fprintf(stderr, "vmtrace: out of memory\n");
        exit(1);
    }
    return p;
}

void vt_map_init(struct vt_map *m)
{
    m->cap = 1024;
    m->n = 0;
    m->keys = calloc(m->cap, sizeof *m->keys);
    m->vals = calloc(m->cap, sizeof *m->vals);
    if (!m->keys || !m->vals) {
        fprintf(stderr, "vmtrace: out of memory\n");
        exit(1);
    }
}

void vt_map_free(struct vt_map *m)
{
    free(m->keys);
    free(m->vals);
}

static inline size_t map_hash(uint64_t k)
{
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdull;
    k ^= k >> 33;
    return (size_t)k;
}

uint32_t *vt_map_get(struct vt_map *m, uint64_t key, uint32_t newval, bool *found)
{
    size_t mask = m->cap - 1, i = map_hash(key) & mask;
    while (m->keys[i]) {
        if (m->keys[i] == key + 1) {
            *found = true;
            return &m->vals[i];
        }
        i = (i + 1) & mask;
    }
    *found = false;
    if ((m->n + 1) * 2 > m->cap) {
        struct vt_map big = { calloc(m->cap * 2, sizeof *m->keys), calloc(m->cap * 2, sizeof *m->vals),
                              m->cap * 2, 0 };
        if (!big.keys || !big.vals) {
            fprintf(stderr, "vmtrace: out of memory\n");
            exit(1);
        }
        for (size_t j = 0; j < m->cap; j++)
            if (m->keys[j]) {
                size_t k = map_hash(m->keys[j] - 1) & (big.cap - 1);
                while (big.keys[k])
                    k = (k + 1) & (big.cap - 1);
                big.keys[k] = m->keys[j];
                big.vals[k] = m->vals[j];
            }
        big.n = m->n;
        vt_map_free(m);
        *m = big;
        mask = m->cap - 1;
        i = map_hash(key) & mask;
        while (m->keys[i])
            i = (i + 1) & mask;
    }
    m->keys[i] = key + 1;
    m->vals[i] = newval;
    m->n++;
    return &m->vals[i];
}

uint32_t *vt_map_find(const struct vt_map *m, uint64_t key)
{
    if (!m->cap)
        return NULL;
    size_t mask = m->cap - 1, i = map_hash(key) & mask;
    while (m->keys[i]) {
        if (m->keys[i] == key + 1)
            return &m->vals[i];
        i = (i + 1) & mask;
    }
    return NULL;
}

void vt_spaces_init(struct vt_spaces *s, uint32_t kernel_base)
{
    memset(s, 0, sizeof *s);
    vt_map_init(&s->cr3s);
    s->cap = 64;
    s->cr3_of = calloc(s->cap, sizeof *s->cr3_of);
    s->n = 1;       /* 0: the kernel's shared space */
    s->kernel_base = kernel_base;
    s->last_cr3 = 0xFFFFFFFFu;
}

void vt_spaces_free(struct vt_spaces *s)
{
    vt_map_free(&s->cr3s);
    free(s->cr3_of);
}

uint32_t vt_space_find(const struct vt_spaces *s, uint32_t cr3)
{
    const uint32_t *v = vt_map_find(&s->cr3s, cr3 & 0xFFFFF000u);
    return v ? *v : VT_SPACE_RENEW;
}

void vt_space_renew(struct vt_spaces *s, uint32_t cr3)
{
    bool found;
    uint32_t *v = vt_map_get(&s->cr3s, cr3 & 0xFFFFF000u, VT_SPACE_RENEW, &found);
    *v = VT_SPACE_RENEW;
    s->last_cr3 = 0xFFFFFFFFu;
}

uint32_t vt_space_lookup(struct vt_spaces *s, uint32_t cr3)
{
    bool found;
    uint32_t *v = vt_map_get(&s->cr3s, cr3 & 0xFFFFF000u, s->n, &found);
    if (!found || *v == VT_SPACE_RENEW) {
        *v = s->n;
        if (s->n == s->cap) {
            s->cap *= 2;
            s->cr3_of = realloc(s->cr3_of, s->cap * sizeof *s->cr3_of);
            if (!s->cr3_of) {
                fprintf(stderr, "vmtrace: out of memory\n");
                exit(1);
            }
        }
        s->cr3_of[s->n++] = cr3 & 0xFFFFF000u;
    }
    s->last_cr3 = cr3;
    s->last_id = *v;
    return *v;
}

/* ------------------------------------------------------------ printing */

/* An annotation as dump prints it, each field named (trace/annot_desc.h). */
static void annot_text(char *buf, size_t len, const struct tr_event *ev)
{
    annot_format(buf, len, ev->u.annot.rec, ev->u.annot.size);
}

/* An annotation's fields as JSON members ("\"pid\":7,\"vpage\":32845,..."),
 * each preceded by SEP then by commas: numbers as numbers, enumerated
 * values and names as strings. Nothing for a record of an unknown kind or
 * of the wrong size. */
static void annot_json_fields(FILE *f, const struct tr_event *ev, const char *sep)
{
    const struct annot_desc *d = annot_desc_of(ev->u.annot.rec, ev->u.annot.size);
    for (unsigned i = 0; d && i < d->nfield; i++, sep = ",") {
        const struct annot_field *fl = &d->field[i];
        uint32_t v = annot_u32(ev->u.annot.rec, fl->off);
        char t[32];
        if (fl->fmt == ANNOT_FMT_NAME || (fl->fmt == ANNOT_FMT_ENUM && annot_enum_name(fl->values, v)))
            fprintf(f, "%s\"%s\":\"%s\"", sep, fl->name, annot_field_text(ev->u.annot.rec, fl, t, sizeof t));
        else
            fprintf(f, "%s\"%s\":%u", sep, fl->name, v);
    }
}

/* The function of ADDR as "name+0x1c" for export, "" when none; quotes,
 * backslashes and commas (from a hostile file) become '?'. */
static const char *vt_func(struct tr_reader *r, const struct tr_event *ev, uint32_t addr, char *buf, size_t len)
{
    tr_reader_symbolize(r, ev->pid, addr, buf, len);
    for (char *p = buf; *p; p++)
        if (*p == '"' || *p == '\\' || *p == ',')
            *p = '?';
    return buf;
}

void vt_print_event(FILE *f, struct tr_reader *r, const struct tr_event *ev)
{
    fprintf(f, "#%" PRIu64 " %s%" PRIu64 " cr3=%08x", ev->event, ev->cycle_exact ? "@" : "~", ev->cycle, ev->cr3);
    if (ev->pid != 0xFFFFFFFFu)
        fprintf(f, " pid=%u", ev->pid);
    switch (ev->kind) {
    case TRK_XLATE: {
        const struct tr_xlate *x = &ev->u.xlate;
        fprintf(f, " xlate %s%s lin=%08x phys=%08x %s %s cyc=%u cpl=%u%s%s", tr_access_name(x->kind),
                x->kind & TR_IMPLICIT ? "+imp" : "", x->lin, x->phys, tr_outcome_name(x->outcome),
                tr_tlb_name(x->tlb), x->cycles, x->cpl, x->global ? " G" : "", x->large ? " 4M" : "");
        if (ev->count > 1)
            fprintf(f, " x%" PRIu64, ev->count);
        break;
    }
    case TRK_WALK: {
        const struct tr_walk *w = &ev->u.walk;
        fprintf(f, " walk lin=%08x pde@%08x=%08x", w->lin, w->pde_addr, w->pde);
        if (w->pte_addr || w->pte)
            fprintf(f, " pte@%08x=%08x", w->pte_addr, w->pte);
        if (w->ad_set)
            fprintf(f, " set=%s%s%s%s", w->ad_set & 1 ? "PDE.A," : "", w->ad_set & 2 ? "PDE.D," : "",
                    w->ad_set & 4 ? "PTE.A," : "", w->ad_set & 8 ? "PTE.D," : "");
        break;
    }
    case TRK_FAULT: {
        uint32_t e = ev->u.fault.err;
        fprintf(f, " fault cr2=%08x err=%x (%s %s %s%s) eip=%08x cpl=%u", ev->u.fault.cr2, e,
                e & 1 ? "protection" : "not-present", e & 2 ? "write" : "read", e & 4 ? "user" : "supervisor",
                e & 8 ? " rsvd" : "", ev->u.fault.eip, ev->u.fault.cpl);
        char fn[300];
        if (r && *tr_reader_symbolize(r, ev->pid, ev->u.fault.eip, fn, sizeof fn))
            fprintf(f, " (%s)", fn);
        break;
    }
    case TRK_FLUSH:
        fprintf(f, " flush %s addr=%08x dropped=%u", tr_flush_name(ev->u.flush.kind), ev->u.flush.addr,
                ev->u.flush.dropped);
        break;
    case TRK_CR3:
        fprintf(f, " cr3 %08x -> %08x", ev->u.cr3.old_cr3, ev->u.cr3.new_cr3);
        break;
    case TRK_DISK:
        fprintf(f, " disk %s lba=%" PRIu64 " count=%u", ev->u.disk.dir ? "write" : "read", ev->u.disk.lba,
                ev->u.disk.count);
        break;
    case TRK_ANNOT: {
        char buf[256];
        annot_text(buf, sizeof buf, ev);
        fprintf(f, " annot %s", buf);
        break;
    }
    case TRK_SYNC:
        fprintf(f, " sync insns=%" PRIu64, ev->u.sync.insns);
        break;
    default:
        fprintf(f, " unknown-kind-%u len=%u", ev->u.unknown.kind, ev->u.unknown.len);
    }
    fputc('\n', f);
}

/* ------------------------------------------------------------ info */

static void print_header(const struct tr_reader *r)
{
    const struct tr_header *h = tr_reader_header(r);
    printf("file:          %s (%" PRIu64 " bytes)\n", tr_reader_name(r), tr_reader_size(r));
    printf("format:        %u.%u, written by vmscope %s\n", h->major, h->minor,
           h->vmscope_version[0] ? h->vmscope_version : "?");
    printf("machine:       %" PRIu64 " KiB RAM, %u MHz\n", h->ram_bytes / 1024, h->cpu_mhz);
    printf("tlb:           %s\n", h->tlb_spec[0] ? h->tlb_spec : "(model default)");
    printf("cycle model:   %s\n", h->cycle_model[0] ? h->cycle_model : "(default)");
    printf("kernel:        %s\n", h->kernel[0] ? h->kernel : "?");
    if (h->have_sha256) {
        printf("kernel sha256: ");
        for (int i = 0; i < 32; i++)
            printf("%02x", h->kernel_sha256[i]);
        printf("\n");
    }
    printf("cmdline:       %s\n", h->cmdline);
    printf("kept:          ");
    for (unsigned k = 0; k < TRK_NKINDS; k++)
        if (h->kinds & (1u << k))
            printf("%s ", trace_kind_name(k));
    if (h->detail & TR_DETAIL_OFFSETS)
        printf("+offsets ");
    if (h->detail & TR_DETAIL_XTIME)
        printf("+xtime ");
    printf("(filter '%s')\n", h->filter);
    printf("writer:        zlib level %u, chunks of %u-byte streams or %" PRIu64 " cycles, sync every %"
           PRIu64 " cycles\n", h->level, h->chunk_bytes, h->chunk_cycles, h->sync_cycles);
}

static void print_totals(const struct tr_reader *r, const struct tr_totals *t)
{
    const struct tr_header *h = tr_reader_header(r);
    printf("events:        %" PRIu64 "\n", t->events);
    for (unsigned k = 0; k < TRK_NKINDS; k++) {
        printf("  %-12s %14" PRIu64, trace_kind_name(k), t->kind[k]);
        if (k == TRK_XLATE && t->kind[k]) {
            printf("   (");
            for (unsigned o = 0; o < 5; o++)
                printf("%s%s %" PRIu64, o ? ", " : "", tr_outcome_name(o), t->outcome[o]);
            uint64_t hits = t->outcome[TR_HIT] + t->outcome[TR_HIT_FAULT] + t->outcome[TR_HIT_DIRTY];
            printf("; hit rate %.3f%%)", 100.0 * (double)hits / (double)t->kind[k]);
        }
        if (!(h->kinds & (1u << k)))
            printf("   (not recorded)");
        printf("\n");
    }
    if (t->unknown)
        printf("  %-12s %14" PRIu64 "   (kinds newer than this reader)\n", "unknown", t->unknown);
    double vsec = h->cpu_mhz ? (double)t->last_cycle / (h->cpu_mhz * 1e6) : 0;
    printf("time:          %" PRIu64 " cycles (%.6f virtual s), %" PRIu64 " instructions\n", t->last_cycle,
           vsec, t->last_insns);
}

static int info_or_verify(int argc, char **argv, bool verify)
{
    const char *cmd = verify ? "verify" : "info";
    if (vt_want_help(argc, argv)) {
        if (verify)
            printf("usage: vmtrace verify FILE\n\n"
                   "Read every chunk and check it (CRC-32, deflate, lengths, record streams). Prints how\n"
                   "many chunks and events are readable and what was lost. Exit status 0 when the file\n"
                   "is complete and intact, 1 when something was damaged or missing (the readable part\n"
                   "is still readable), 2 when it cannot be read at all.\n");
        else
            printf("usage: vmtrace info FILE [--scan] [--chunks]\n\n"
                   "The header (machine configuration, kernel, what was recorded), counts per record\n"
                   "kind, chunks, bytes per event, compression ratio and health.\n"
                   "  --scan     ignore the footer index; find chunks by scanning (as after a crash)\n"
                   "  --chunks   list every chunk (offset, events, cycles, sizes)\n");
        return 0;
    }
    const char *path = NULL;
    unsigned flags = 0;
    bool list = false;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--scan"))
            flags |= TR_OPEN_SCAN;
        else if (!strcmp(argv[i], "--chunks") && !verify)
            list = true;
        else if (argv[i][0] == '-' && argv[i][1])
            return vt_usage(cmd, "unknown option %s", argv[i]);
        else if (!path)
            path = argv[i];
        else
            return vt_usage(cmd, "one FILE only");
    }
    if (!path)
        return vt_usage(cmd, "no FILE");
    struct tr_reader *r = vt_open(path, flags);
    if (!r)
        return 2;
    if (!verify)
        print_header(r);
    struct tr_totals t;
    struct vt_progress pg;
    vt_progress_init(&pg, verify ? "verify" : "info");
    /* Health needs every chunk read and checked: decode everything (fast:
     * no per-event work beyond counting). */
    struct tr_totals ft;
    bool footer = tr_reader_totals(r, &ft);
    size_t good = tr_reader_count(r, &t, vt_progress_cb, &pg);
    vt_progress_done(&pg);
    if (footer && good == tr_reader_nchunks(r) && (ft.events != t.events || ft.kind[TRK_XLATE] != t.kind[TRK_XLATE])) {
        fprintf(stderr, "vmtrace: %s: footer totals (%" PRIu64 " events) differ from the chunks (%" PRIu64 ")\n",
                path, ft.events, t.events);
        vt_problems++;
    }
    size_t n = tr_reader_nchunks(r);
    uint64_t raw = 0, comp = 0, ev_good = 0, ev_bad = 0;
    for (size_t i = 0; i < n; i++) {
        const struct tr_chunk *c = tr_reader_chunk(r, i);
        raw += c->raw_len;
        comp += c->comp_len;
        if (c->bad)
            ev_bad += c->nevents;
        else
            ev_good += c->nevents;
    }
    if (!verify) {
        print_totals(r, &t);
        printf("chunks:        %zu, %" PRIu64 " bytes raw, %" PRIu64 " compressed (ratio %.1f)\n", n, raw, comp,
               comp ? (double)raw / (double)comp : 0);
        size_t nim = tr_reader_nimages(r);
        if (nim) {
            printf("symbols:      ");
            for (size_t i = 0; i < nim; i++) {
                const struct tr_image *im = tr_reader_image(r, i);
                printf(" %s (image %u, %zu symbols, bias 0x%x, ", im->name, im->id, im->nsym, im->bias);
                if (im->pid == TR_PID_ANY)
                    printf("every address space)");
                else
                    printf("pid %u)", im->pid);
            }
            printf("\n");
        }
        if (t.events)
            printf("size:          %.4f bytes/event, %.4f bytes/translation (whole file)\n",
                   (double)tr_reader_size(r) / (double)t.events,
                   t.kind[TRK_XLATE] ? (double)tr_reader_size(r) / (double)t.kind[TRK_XLATE] : 0.0);
        if (list)
            for (size_t i = 0; i < n; i++) {
                const struct tr_chunk *c = tr_reader_chunk(r, i);
                printf("  chunk %-6" PRIu64 " @%-10" PRIu64 " events %" PRIu64 "+%" PRIu64 " cycles %" PRIu64
                       "-%" PRIu64 " raw %u comp %u%s\n", c->seq, c->offset, c->first_event, c->nevents,
                       c->first_cycle, c->last_cycle, c->raw_len, c->comp_len, c->bad ? " BAD" : "");
            }
    }
    bool healthy = tr_reader_complete(r) && !tr_reader_problems(r) && !vt_problems && good == n;
    printf("health:        %s: %zu of %zu chunks readable, %" PRIu64 " events readable",
           healthy ? "ok" : tr_reader_complete(r) ? "DAMAGED" : "INCOMPLETE", good, n, ev_good);
    if (ev_bad)
        printf(", %" PRIu64 " events in bad chunks", ev_bad);
    if (tr_reader_lost_bytes(r))
        printf(", %" PRIu64 " bytes unreadable", tr_reader_lost_bytes(r));
    if (!tr_reader_complete(r))
        printf(", no footer (recovered by scanning)");
    printf("\n");
    tr_reader_close(r);
    return healthy ? 0 : 1;
}

int vt_cmd_info(int argc, char **argv) { return info_or_verify(argc, argv, false); }
int vt_cmd_verify(int argc, char **argv) { return info_or_verify(argc, argv, true); }

/* ------------------------------------------------------------ dump */

static bool parse_kinds(const char *s, uint32_t *mask)
{
    uint32_t k, d;
    char err[200];
    if (!trace_filter_parse(s, &k, &d, err, sizeof err))
        return false;
    /* the filter grammar always keeps sync; a dump filter should not */
    *mask = strstr(s, "sync") || strstr(s, "all") ? k : k & ~(1u << TRK_SYNC);
    return true;
}

/* Common record selection of dump and export. */
struct vt_select {
    struct tr_select m;             /* kinds, pid, pages, cycles (trace/columns.h) */
    uint64_t event;                 /* start event */
    uint64_t limit;
    bool expand;
};

static int select_opt(struct vt_select *s, const char *cmd, int argc, char **argv, int *i, bool *used)
{
    const char *a = argv[*i];
    const char *v = *i + 1 < argc ? argv[*i + 1] : NULL;
    *used = true;
    uint64_t x;
    if (!strcmp(a, "--kind")) {
        if (!v || !parse_kinds(v, &s->m.kinds))
            return vt_usage(cmd, "--kind takes a comma list of xlate,walk,fault,flush,cr3,disk,annot,sync");
    } else if (!strcmp(a, "--pid")) {
        if (!v || !vt_parse_u64(v, &x))
            return vt_usage(cmd, "--pid takes a number");
        s->m.pid = (uint32_t)x;
        s->m.by_pid = true;
    } else if (!strcmp(a, "--page")) {
        if (!v || !vt_parse_range(v, &s->m.page_lo, &s->m.page_hi))
            return vt_usage(cmd, "--page takes LO-HI page numbers (linear address >> 12), e.g. 0x8048-0x8050");
        s->m.by_page = true;
    } else if (!strcmp(a, "--from")) {
        if (!v || !vt_parse_u64(v, &s->m.cycle_lo))
            return vt_usage(cmd, "--from takes a cycle");
        s->m.by_cycle = true;
    } else if (!strcmp(a, "--to")) {
        if (!v || !vt_parse_u64(v, &s->m.cycle_hi))
            return vt_usage(cmd, "--to takes a cycle");
        s->m.by_cycle = true;
    } else if (!strcmp(a, "--event")) {
        if (!v || !vt_parse_u64(v, &s->event))
            return vt_usage(cmd, "--event takes an event number");
    } else if (!strcmp(a, "--limit")) {
        if (!v || !vt_parse_u64(v, &s->limit))
            return vt_usage(cmd, "--limit takes a count");
    } else if (!strcmp(a, "--expand")) {
        s->expand = true;
        return 0;
    } else {
        *used = false;
        return 0;
    }
    (*i)++;
    return 0;
}

static void select_init(struct vt_select *s)
{
    memset(s, 0, sizeof *s);
    tr_select_init(&s->m);
}

/* A record's cycle is --from/--to's key, as in libvmtrace's filter: a
 * translation timed by the record before it carries that record's cycle (a
 * lower bound of its own), and is left out when that cycle is past --to.
 * Timed records come in cycle order, so the first one past --to ends the
 * selection. */
static bool select_match(const struct vt_select *s, const struct tr_event *ev)
{
    return tr_select_match(&s->m, ev);
}

static bool select_past_end(const struct vt_select *s, const struct tr_event *ev)
{
    return ev->cycle > s->m.cycle_hi && ev->cycle_exact;
}

static struct tr_cursor *select_cursor(struct tr_reader *r, const struct vt_select *s)
{
    struct tr_cursor *c = tr_cursor_new(r, s->expand ? TR_CURSOR_EXPAND : 0);
    if (s->event)
        tr_cursor_seek_event(c, s->event);
    else if (s->m.cycle_lo)
        tr_cursor_seek_cycle(c, s->m.cycle_lo);
    return c;
}

#define SELECT_HELP \
    "  --kind K,...     only these kinds (xlate walk fault flush cr3 disk annot sync)\n" \
    "  --pid P          only records while pid P runs (and annotations about P)\n" \
    "  --page LO-HI     only records about linear pages LO..HI (address >> 12)\n" \
    "  --from C --to C  only records between these cycles (seeks with the index)\n" \
    "  --event N        start at event number N (seeks with the index)\n" \
    "  --limit N        stop after N records\n" \
    "  --expand         one line per translation (runs of identical ones otherwise show xN)\n"

int vt_cmd_dump(int argc, char **argv)
{
    if (vt_want_help(argc, argv)) {
        printf("usage: vmtrace dump FILE [options]\n\n"
               "One record a line: #event, @cycle (~ when the cycle is that of the record before,\n"
               "for TLB hits), the address space (CR3) and pid in force, then the record. An\n"
               "annotation names its kind and each field: 'evict pid=7 vpage=0804d frame=0017c\n"
               "slot=12 policy=2q' (page and frame numbers in hex; docs/trace-format.md lists them);\n"
               "one of an unknown kind or of the wrong size shows its bytes: 'annot-30 pid=3 size=12\n"
               "bytes=2a000000'.\n"
               SELECT_HELP);
        return 0;
    }
    struct vt_select s;
    select_init(&s);
    const char *path = NULL;
    for (int i = 1; i < argc; i++) {
        bool used;
        int rc = select_opt(&s, "dump", argc, argv, &i, &used);
        if (rc)
            return rc;
        if (used)
            continue;
        if (argv[i][0] == '-' && argv[i][1])
            return vt_usage("dump", "unknown option %s", argv[i]);
        if (path)
            return vt_usage("dump", "one FILE only");
        path = argv[i];
    }
    if (!path)
        return vt_usage("dump", "no FILE");
    struct tr_reader *r = vt_open(path, 0);
    if (!r)
        return 2;
    struct tr_cursor *c = select_cursor(r, &s);
    struct tr_event ev;
    uint64_t n = 0;
    while ((!s.limit || n < s.limit) && tr_cursor_next(c, &ev)) {
        if (select_past_end(&s, &ev))
            break;
        if (!select_match(&s, &ev))
            continue;
        vt_print_event(stdout, r, &ev);
        n++;
    }
    tr_cursor_free(c);
    tr_reader_close(r);
    return fflush(stdout) ? 1 : 0;
}

/* ------------------------------------------------------------ export */

static void json_str(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\\')
            fprintf(f, "\\%c", ch);
        else if (ch < 0x20)
            fprintf(f, "\\u%04x", ch);
        else
            fputc(ch, f);
    }
    fputc('"', f);
}

/* The process name an annotation carries (proc-create, exec, comm), or "". */
static void annot_name_of(const struct tr_event *ev, char out[ANNOT_NAME_LEN + 1])
{
    const struct annot_field *f =
        annot_field_of(annot_desc_of(ev->u.annot.rec, ev->u.annot.size), ANNOT_FMT_NAME);
    out[0] = 0;
    if (f)
        annot_name_text(ev->u.annot.rec + f->off, out);
}

static void export_fields_json(FILE *f, struct tr_reader *r, const struct tr_event *ev)
{
    switch (ev->kind) {
    case TRK_XLATE: {
        const struct tr_xlate *x = &ev->u.xlate;
        fprintf(f, "\"access\":\"%s\",\"implicit\":%d,\"lin\":%u,\"phys\":%u,\"outcome\":\"%s\",\"tlb\":\"%s\","
                "\"cycles\":%u,\"cpl\":%u,\"global\":%u,\"large\":%u", tr_access_name(x->kind),
                !!(x->kind & TR_IMPLICIT), x->lin, x->phys, tr_outcome_name(x->outcome), tr_tlb_name(x->tlb),
                x->cycles, x->cpl, x->global, x->large);
        break;
    }
    case TRK_WALK:
        fprintf(f, "\"lin\":%u,\"pde_addr\":%u,\"pde\":%u,\"pte_addr\":%u,\"pte\":%u,\"ad_set\":%u",
                ev->u.walk.lin, ev->u.walk.pde_addr, ev->u.walk.pde, ev->u.walk.pte_addr, ev->u.walk.pte,
                ev->u.walk.ad_set);
        break;
    case TRK_FAULT:
        fprintf(f, "\"cr2\":%u,\"err\":%u,\"eip\":%u,\"cpl\":%u", ev->u.fault.cr2, ev->u.fault.err,
                ev->u.fault.eip, ev->u.fault.cpl);
        char fn[300];
        if (*vt_func(r, ev, ev->u.fault.eip, fn, sizeof fn)) {
            fputs(",\"func\":", f);
            json_str(f, fn);
        }
        break;
    case TRK_FLUSH:
        fprintf(f, "\"flush\":\"%s\",\"addr\":%u,\"dropped\":%u", tr_flush_name(ev->u.flush.kind),
                ev->u.flush.addr, ev->u.flush.dropped);
        break;
    case TRK_CR3:
        fprintf(f, "\"old\":%u,\"new\":%u", ev->u.cr3.old_cr3, ev->u.cr3.new_cr3);
        break;
    case TRK_DISK:
        fprintf(f, "\"dir\":\"%s\",\"lba\":%" PRIu64 ",\"count\":%u", ev->u.disk.dir ? "write" : "read",
                ev->u.disk.lba, ev->u.disk.count);
        break;
    case TRK_ANNOT: {
        const char *n = tr_annot_name(ev->u.annot.kind);
        char buf[256];
        annot_text(buf, sizeof buf, ev);
        fprintf(f, "\"annot\":\"%s\",\"annot_kind\":%u,\"annot_pid\":%u,\"fields\":{",
                n ? n : "unknown", ev->u.annot.kind, ev->u.annot.pid);
        annot_json_fields(f, ev, "");
        fputs("},\"text\":", f);
        json_str(f, buf);
        break;
    }
    case TRK_SYNC:
        fprintf(f, "\"insns\":%" PRIu64, ev->u.sync.insns);
        break;
    default:
        fprintf(f, "\"unknown_kind\":%u", ev->u.unknown.kind);
    }
}

static const char *kind_str(const struct tr_event *ev)
{
    const char *k = trace_kind_name(ev->kind);
    return k ? k : "unknown";
}

struct chrome {
    FILE *f;
    struct tr_reader *r;            /* for symbols */
    double mhz;
    bool first;
    uint64_t space_start;
    uint32_t space_cr3;
    bool have_space;
    uint64_t last_sync_cycle, xl, miss, flt;
    struct { uint32_t pid; uint64_t start; char name[ANNOT_NAME_LEN + 1]; bool live; } procs[1024];
    unsigned nprocs;
};

static void ch_sep(struct chrome *c)
{
    fputs(c->first ? "\n" : ",\n", c->f);
    c->first = false;
}

static double ch_us(const struct chrome *c, uint64_t cyc) { return (double)cyc / c->mhz; }

static void ch_space_end(struct chrome *c, uint64_t now)
{
    if (!c->have_space)
        return;
    ch_sep(c);
    fprintf(c->f, "{\"name\":\"cr3=%08x\",\"cat\":\"address-space\",\"ph\":\"X\",\"pid\":1,\"tid\":4,"
            "\"ts\":%.3f,\"dur\":%.3f}", c->space_cr3, ch_us(c, c->space_start),
            ch_us(c, now - c->space_start));
}

static void ch_proc_end(struct chrome *c, unsigned i, uint64_t now)
{
    ch_sep(c);
    fprintf(c->f, "{\"name\":\"pid %u %s\",\"cat\":\"process\",\"ph\":\"X\",\"pid\":1,\"tid\":%u,"
            "\"ts\":%.3f,\"dur\":%.3f}", c->procs[i].pid, c->procs[i].name, 100 + c->procs[i].pid,
            ch_us(c, c->procs[i].start), ch_us(c, now - c->procs[i].start));
    c->procs[i].live = false;
}

static int ch_proc(struct chrome *c, uint32_t pid)
{
    for (unsigned i = 0; i < c->nprocs; i++)
        if (c->procs[i].pid == pid && c->procs[i].live)
            return (int)i;
    return -1;
}

static void chrome_event(struct chrome *c, const struct tr_event *ev)
{
    static const char *tids = NULL;
    (void)tids;
    double ts = ch_us(c, ev->cycle);
    switch (ev->kind) {
    case TRK_XLATE:
        c->xl += ev->count;
        if (ev->u.xlate.outcome == TR_MISS || ev->u.xlate.outcome == TR_MISS_FAULT)
            c->miss += ev->count;
        return;
    case TRK_FAULT:
        c->flt++;
        ch_sep(c);
        char fn[300];
        vt_func(c->r, ev, ev->u.fault.eip, fn, sizeof fn);
        fprintf(c->f, "{\"name\":\"#PF %s %s%s%s\",\"cat\":\"fault\",\"ph\":\"i\",\"s\":\"t\",\"pid\":1,"
                "\"tid\":1,\"ts\":%.3f,\"args\":{\"cr2\":\"0x%08x\",\"err\":%u,\"eip\":\"0x%08x\",\"cr3\":\"0x%08x\","
                "\"pid\":%d,\"func\":\"%s\"}}", ev->u.fault.err & 1 ? "protection" : "not-present",
                ev->u.fault.err & 2 ? "write" : "read", fn[0] ? " in " : "", fn, ts, ev->u.fault.cr2,
                ev->u.fault.err, ev->u.fault.eip, ev->cr3, (int)ev->pid, fn);
        return;
    case TRK_FLUSH:
        ch_sep(c);
        fprintf(c->f, "{\"name\":\"TLB flush (%s)\",\"cat\":\"flush\",\"ph\":\"i\",\"s\":\"t\",\"pid\":1,\"tid\":2,"
                "\"ts\":%.3f,\"args\":{\"addr\":\"0x%08x\",\"dropped\":%u}}", tr_flush_name(ev->u.flush.kind), ts,
                ev->u.flush.addr, ev->u.flush.dropped);
        return;
    case TRK_DISK:
        ch_sep(c);
        fprintf(c->f, "{\"name\":\"disk %s\",\"cat\":\"disk\",\"ph\":\"i\",\"s\":\"t\",\"pid\":1,\"tid\":3,"
                "\"ts\":%.3f,\"args\":{\"lba\":%" PRIu64 ",\"count\":%u}}", ev->u.disk.dir ? "write" : "read", ts,
                ev->u.disk.lba, ev->u.disk.count);
        return;
    case TRK_CR3:
        ch_space_end(c, ev->cycle);
        c->have_space = true;
        c->space_start = ev->cycle;
        c->space_cr3 = ev->u.cr3.new_cr3;
        return;
    case TRK_SYNC:
        if (c->xl) {
            ch_sep(c);
            fprintf(c->f, "{\"name\":\"TLB\",\"ph\":\"C\",\"pid\":1,\"ts\":%.3f,\"args\":{\"hit %%\":%.3f,"
                    "\"misses\":%" PRIu64 ",\"translations\":%" PRIu64 "}}", ts,
                    100.0 * (double)(c->xl - c->miss) / (double)c->xl, c->miss, c->xl);
        }
        c->xl = c->miss = 0;
        return;
    case TRK_ANNOT: {
        char buf[256];
        annot_text(buf, sizeof buf, ev);
        unsigned k = ev->u.annot.kind;
        uint32_t pid = ev->u.annot.pid;
        if (k == ANNOT_PROC_CREATE && c->nprocs < sizeof c->procs / sizeof c->procs[0]) {
            unsigned i = c->nprocs++;
            c->procs[i].pid = pid;
            c->procs[i].start = ev->cycle;
            c->procs[i].live = true;
            annot_name_of(ev, c->procs[i].name);
            ch_sep(c);
            fprintf(c->f, "{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":1,\"tid\":%u,\"args\":{\"name\":"
                    "\"pid %u %s\"}}", 100 + pid, pid, c->procs[i].name);
        } else if (k == ANNOT_EXEC || k == ANNOT_COMM) {
            int i = ch_proc(c, pid);
            if (i >= 0)
                annot_name_of(ev, c->procs[i].name);
        } else if (k == ANNOT_EXIT || k == ANNOT_OOM_KILL) {
            int i = ch_proc(c, pid);
            if (i >= 0)
                ch_proc_end(c, (unsigned)i, ev->cycle);
        }
        ch_sep(c);
        fprintf(c->f, "{\"name\":\"%s\",\"cat\":\"annotation\",\"ph\":\"i\",\"s\":\"t\",\"pid\":1,\"tid\":%u,"
                "\"ts\":%.3f,\"args\":{\"what\":", tr_annot_name(k) ? tr_annot_name(k) : "annotation",
                ch_proc(c, pid) >= 0 ? 100 + pid : 5, ts);
        json_str(c->f, buf);
        annot_json_fields(c->f, ev, ",");
        fprintf(c->f, "}}");
        return;
    }
    default:
        return;
    }
}

int vt_cmd_export(int argc, char **argv)
{
    if (vt_want_help(argc, argv)) {
        printf("usage: vmtrace export FILE --format csv|jsonl|chrome [-o OUT] [options]\n\n"
               "  csv      one row per record: event,count,cycle,exact,kind,cr3,pid, then kind fields\n"
               "           (an annotation: aux = its kind number, text = its fields named, as in dump)\n"
               "  jsonl    one JSON object per record (an annotation: annot = its kind's name, fields =\n"
               "           its fields by name, numbers as numbers, enumerated values and names as text)\n"
               "  chrome   Chrome/Perfetto trace-event JSON (open in ui.perfetto.dev or chrome://tracing):\n"
               "           page faults, TLB flushes, disk transfers and annotations as instants, address\n"
               "           spaces (CR3) and process lifetimes as spans, the TLB hit rate as a counter;\n"
               "           an annotation's args are its text and its fields.\n"
               "           Translations appear only in the counter. Time unit: microseconds of virtual\n"
               "           time (cycles / MHz).\n"
               "  -o OUT   write to OUT (default: standard output)\n"
               SELECT_HELP);
        return 0;
    }
    struct vt_select s;
    select_init(&s);
    const char *path = NULL, *fmt = NULL, *out = NULL;
    for (int i = 1; i < argc; i++) {
        bool used;
        int rc = select_opt(&s, "export", argc, argv, &i, &used);
        if (rc)
            return rc;
        if (used)
            continue;
        if (!strcmp(argv[i], "--format") && i + 1 < argc)
            fmt = argv[++i];
        else if (!strncmp(argv[i], "--format=", 9))
            fmt = argv[i] + 9;
        else if ((!strcmp(argv[i], "-o") || !strcmp(argv[i], "--output")) && i + 1 < argc)
            out = argv[++i];
        else if (argv[i][0] == '-' && argv[i][1])
            return vt_usage("export", "unknown option %s", argv[i]);
        else if (path)
            return vt_usage("export", "one FILE only");
        else
            path = argv[i];
    }
    if (!path)
        return vt_usage("export", "no FILE");
    if (!fmt || (strcmp(fmt, "csv") && strcmp(fmt, "jsonl") && strcmp(fmt, "chrome")))
        return vt_usage("export", "--format must be csv, jsonl or chrome");
    struct tr_reader *r = vt_open(path, 0);
    if (!r)
        return 2;
    FILE *f = stdout;
    if (out && !(f = fopen(out, "w"))) {
        fprintf(stderr, "vmtrace: %s: cannot create: %s\n", out, strerror(errno));
        tr_reader_close(r);
        return 2;
    }
    struct tr_cursor *c = select_cursor(r, &s);
    struct tr_event ev;
    uint64_t n = 0, last = 0;
    struct vt_progress pg;
    vt_progress_init(&pg, "export");
    if (out == NULL)
        pg.on = false;
    struct chrome *ch = NULL;
    if (!strcmp(fmt, "csv"))
        fprintf(f, "%s\n", tr_columns_header);
    if (!strcmp(fmt, "chrome")) {
        ch = calloc(1, sizeof *ch);
        ch->f = f;
        ch->r = r;
        ch->first = true;
        ch->mhz = tr_reader_header(r)->cpu_mhz ? tr_reader_header(r)->cpu_mhz : 100;
        fprintf(f, "{\"displayTimeUnit\":\"ns\",\"otherData\":{\"source\":");
        json_str(f, path);
        fprintf(f, "},\"traceEvents\":[");
        const char *names[] = { "", "page faults", "TLB flushes", "disk", "address space (CR3)", "annotations" };
        ch_sep(ch);
        fprintf(f, "{\"name\":\"process_name\",\"ph\":\"M\",\"pid\":1,\"args\":{\"name\":\"vmscope machine\"}}");
        for (int t = 1; t <= 5; t++) {
            ch_sep(ch);
            fprintf(f, "{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":1,\"tid\":%d,\"args\":{\"name\":\"%s\"}}",
                    t, names[t]);
        }
    }
    while ((!s.limit || n < s.limit) && tr_cursor_next(c, &ev)) {
        if (select_past_end(&s, &ev))
            break;
        vt_progress(&pg, tr_cursor_chunk(c), tr_reader_nchunks(r));
        last = ev.cycle;
        if (!select_match(&s, &ev))
            continue;
        n++;
        if (ch) {
            chrome_event(ch, &ev);
        } else if (!strcmp(fmt, "jsonl")) {
            fprintf(f, "{\"event\":%" PRIu64 ",\"count\":%" PRIu64 ",\"cycle\":%" PRIu64 ",\"exact\":%d,"
                    "\"kind\":\"%s\",\"cr3\":%u,\"pid\":%d,", ev.event, ev.count, ev.cycle, ev.cycle_exact,
                    kind_str(&ev), ev.cr3, (int)ev.pid);
            export_fields_json(f, r, &ev);
            fprintf(f, "}\n");
        } else {
            struct vmt_record rec;
            char text[TR_TEXT_MAX];
            tr_columns(r, &ev, &rec, text);
            tr_columns_csv(f, &rec, text);
        }
    }
    vt_progress_done(&pg);
    if (ch) {
        ch_space_end(ch, last);
        for (unsigned i = 0; i < ch->nprocs; i++)
            if (ch->procs[i].live)
                ch_proc_end(ch, i, last);
        fprintf(f, "\n]}\n");
        free(ch);
    }
    tr_cursor_free(c);
    tr_reader_close(r);
    int rc = ferror(f) ? 1 : 0;
    if (f != stdout && fclose(f))
        rc = 1;
    else if (f == stdout && fflush(f))
        rc = 1;
    if (rc)
        fprintf(stderr, "vmtrace: export: write error\n");
    return rc;
}

/* ------------------------------------------------------------ diff */

/* Compare two events' content (not numbering or run length). */
static bool same_event(const struct tr_event *a, const struct tr_event *b)
{
    if (a->kind != b->kind || a->cr3 != b->cr3)
        return false;
    switch (a->kind) {
    case TRK_XLATE: return !memcmp(&a->u.xlate, &b->u.xlate, sizeof a->u.xlate);
    case TRK_WALK:
        return a->u.walk.lin == b->u.walk.lin && a->u.walk.pde_addr == b->u.walk.pde_addr &&
               a->u.walk.pde == b->u.walk.pde && a->u.walk.pte_addr == b->u.walk.pte_addr &&
               a->u.walk.pte == b->u.walk.pte && a->u.walk.ad_set == b->u.walk.ad_set;
    case TRK_FAULT:
        return a->u.fault.cr2 == b->u.fault.cr2 && a->u.fault.err == b->u.fault.err &&
               a->u.fault.eip == b->u.fault.eip;
    case TRK_FLUSH: return a->u.flush.kind == b->u.flush.kind && a->u.flush.addr == b->u.flush.addr;
    case TRK_CR3: return a->u.cr3.new_cr3 == b->u.cr3.new_cr3;
    case TRK_DISK:
        return a->u.disk.lba == b->u.disk.lba && a->u.disk.count == b->u.disk.count &&
               a->u.disk.dir == b->u.disk.dir;
    case TRK_ANNOT:
        return a->u.annot.size == b->u.annot.size && !memcmp(a->u.annot.rec, b->u.annot.rec, a->u.annot.size);
    case TRK_SYNC: return true;   /* times differ between configurations: not a divergence */
    default: return true;
    }
}

int vt_cmd_diff(int argc, char **argv)
{
    if (vt_want_help(argc, argv)) {
        printf("usage: vmtrace diff A B [--strict]\n\n"
               "Two traces of the same workload (say, under two TLB geometries): the header fields that\n"
               "differ, counts per record kind side by side, and the first record where the two\n"
               "streams diverge. Cycles, TLB outcomes and cycles charged are expected to differ between\n"
               "TLB geometries, so by default translations are compared by address, access and\n"
               "address space only, and walks, flushes and sync records are skipped;\n"
               "--strict compares every field of every record.\n"
               "Exit status 0 when no divergence, 1 when they diverge, 2 on bad input.\n");
        return 0;
    }
    const char *pa = NULL, *pb = NULL;
    bool strict = false;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--strict"))
            strict = true;
        else if (argv[i][0] == '-' && argv[i][1])
            return vt_usage("diff", "unknown option %s", argv[i]);
        else if (!pa)
            pa = argv[i];
        else if (!pb)
            pb = argv[i];
        else
            return vt_usage("diff", "two files only");
    }
    if (!pa || !pb)
        return vt_usage("diff", "needs two files");
    struct tr_reader *a = vt_open(pa, 0), *b = a ? vt_open(pb, 0) : NULL;
    if (!a || !b) {
        tr_reader_close(a);
        return 2;
    }
    const struct tr_header *ha = tr_reader_header(a), *hb = tr_reader_header(b);
#define HDIFF_S(f, name) if (strcmp(ha->f, hb->f)) printf("header %-14s %s | %s\n", name, ha->f, hb->f)
    HDIFF_S(vmscope_version, "vmscope");
    HDIFF_S(tlb_spec, "tlb");
    HDIFF_S(cycle_model, "cycles");
    HDIFF_S(cmdline, "cmdline");
    HDIFF_S(filter, "filter");
    if (ha->ram_bytes != hb->ram_bytes)
        printf("header %-14s %" PRIu64 " | %" PRIu64 "\n", "ram", ha->ram_bytes, hb->ram_bytes);
    if (ha->have_sha256 != hb->have_sha256 || memcmp(ha->kernel_sha256, hb->kernel_sha256, 32))
        printf("header %-14s differ: different kernels\n", "kernel sha256");

    struct tr_cursor *ca = tr_cursor_new(a, 0), *cb = tr_cursor_new(b, 0);
    struct tr_totals ta, tb;
    memset(&ta, 0, sizeof ta);
    memset(&tb, 0, sizeof tb);
    struct tr_event ea, eb;
    uint64_t ra = 0, rb = 0;        /* remaining count of the current events */
    bool diverged = false;
    uint64_t na = 0, nb = 0;        /* compared translations/records */
    struct tr_event da, db;
    uint64_t div_a = 0, div_b = 0;
    struct vt_progress pg;
    vt_progress_init(&pg, "diff");
    for (;;) {
        if (!ra) {
            for (;;) {
                if (!tr_cursor_next(ca, &ea)) {
                    ea.kind = 0xFE;
                    break;
                }
                if (ea.kind == TRK_XLATE) {
                    ta.kind[TRK_XLATE] += ea.count;
                    ta.outcome[ea.u.xlate.outcome & 7] += ea.count;
                } else if (ea.kind < TRK_NKINDS) {
                    ta.kind[ea.kind]++;
                }
                if (!strict && (ea.kind == TRK_WALK || ea.kind == TRK_SYNC || ea.kind == TRK_FLUSH))
                    continue;
                break;
            }
            ra = ea.kind == 0xFE ? 0 : ea.count;
        }
        if (!rb) {
            for (;;) {
                if (!tr_cursor_next(cb, &eb)) {
                    eb.kind = 0xFE;
                    break;
                }
                if (eb.kind == TRK_XLATE) {
                    tb.kind[TRK_XLATE] += eb.count;
                    tb.outcome[eb.u.xlate.outcome & 7] += eb.count;
                } else if (eb.kind < TRK_NKINDS) {
                    tb.kind[eb.kind]++;
                }
                if (!strict && (eb.kind == TRK_WALK || eb.kind == TRK_SYNC || eb.kind == TRK_FLUSH))
                    continue;
                break;
            }
            rb = eb.kind == 0xFE ? 0 : eb.count;
        }
        vt_progress(&pg, tr_cursor_chunk(ca), tr_reader_nchunks(a));
        if (ea.kind == 0xFE && eb.kind == 0xFE)
            break;
        if (diverged) {     /* keep counting */
            ra = rb = 0;
            continue;
        }
        bool same;
        if (ea.kind == 0xFE || eb.kind == 0xFE) {
            same = false;
        } else if (strict) {
            same = same_event(&ea, &eb);
        } else {
            struct tr_event x = ea, y = eb;
            if (x.kind == TRK_XLATE && y.kind == TRK_XLATE) {
                x.u.xlate.outcome = y.u.xlate.outcome = 0;
                x.u.xlate.tlb = y.u.xlate.tlb = 0;
                x.u.xlate.cycles = y.u.xlate.cycles = 0;
            }
            same = same_event(&x, &y);
        }
        if (!same) {
            diverged = true;
            da = ea;
            db = eb;
            div_a = ea.event + (ea.count - ra);
            div_b = eb.event + (eb.count - rb);
            ra = rb = 0;
            continue;
        }
        uint64_t k = ra < rb ? ra : rb;
        ra -= k;
        rb -= k;
        na += k;
        nb += k;
    }
    vt_progress_done(&pg);
    printf("%-12s %16s %16s\n", "kind", pa, pb);
    for (unsigned k = 0; k < TRK_NKINDS; k++)
        printf("%-12s %16" PRIu64 " %16" PRIu64 "%s\n", trace_kind_name(k), ta.kind[k], tb.kind[k],
               ta.kind[k] != tb.kind[k] ? "   *" : "");
    for (unsigned o = 0; o < 5; o++)
        printf("  %-10s %16" PRIu64 " %16" PRIu64 "%s\n", tr_outcome_name(o), ta.outcome[o], tb.outcome[o],
               ta.outcome[o] != tb.outcome[o] ? "   *" : "");
    if (diverged) {
        printf("first divergence after %" PRIu64 " matching %s: event #%" PRIu64 " in %s, #%" PRIu64 " in %s\n",
               na, strict ? "records" : "references", div_a, pa, div_b, pb);
        printf("  A: ");
        if (da.kind == 0xFE)
            printf("(end of trace)\n");
        else {
            da.event = div_a;
            da.count = 1;
            vt_print_event(stdout, a, &da);
        }
        printf("  B: ");
        if (db.kind == 0xFE)
            printf("(end of trace)\n");
        else {
            db.event = div_b;
            db.count = 1;
            vt_print_event(stdout, b, &db);
        }
    } else {
        printf("no divergence: %" PRIu64 " %s match\n", na, strict ? "records" : "references");
    }
    tr_cursor_free(ca);
    tr_cursor_free(cb);
    tr_reader_close(a);
    tr_reader_close(b);
    return diverged ? 1 : 0;
}

/* ------------------------------------------------------------ main */

static const struct {
    const char *name;
    int (*fn)(int, char **);
    const char *what;
} cmds[] = {
    { "info", vt_cmd_info, "header, counts per kind, chunks, compression, health" },
    { "verify", vt_cmd_verify, "check every chunk; say how much is readable" },
    { "dump", vt_cmd_dump, "records as text, one a line (filters, seeking by cycle or event)" },
    { "stats", vt_cmd_stats, "TLB hit rate over time, faults, hot pages, working set, swapping per process" },
    { "sim", vt_cmd_sim, "re-run translations through another TLB, or pages through policies beside the kernel's" },
    { "mrc", vt_cmd_mrc, "miss-ratio curve over memory sizes (LRU and OPT), CSV and SVG" },
    { "export", vt_cmd_export, "csv, jsonl, or Chrome/Perfetto trace-event JSON" },
    { "diff", vt_cmd_diff, "compare two traces: counts side by side and the first divergence" },
    { "sweep", vt_cmd_sweep, "a grid of workloads x configurations: locally, GNU parallel or Slurm; merge and plot" },
};

static void usage(FILE *f)
{
    fprintf(f, "usage: vmtrace COMMAND FILE [options]   (vmtrace COMMAND --help for each)\n\n");
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
        fprintf(f, "  %-8s %s\n", cmds[i].name, cmds[i].what);
    fprintf(f, "\nExit status: 0 ok, 1 damaged input or a difference found, 2 usage error or unreadable "
               "file.\nThe format: docs/trace-format.md.\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return 0;
    }
    if (!strcmp(argv[1], "--version")) {
        printf("vmtrace %s (trace format %s)\n", VMSCOPE_VERSION, tr_format_version());
        return 0;
    }
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
        if (!strcmp(argv[1], cmds[i].name)) {
            int rc = cmds[i].fn(argc - 1, argv + 1);
            if (rc == 0 && vt_problems && strcmp(argv[1], "diff"))
                rc = 1;     /* damaged input: the output is what could be read */
            return rc;
        }
    fprintf(stderr, "vmtrace: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return 2;
}
