/* vmtrace: many configurations in one read of a trace (tools/vmtrace_multi.h).
 *
 * Threads: the caller decodes into a ring of RING batches of BATCH records
 * (and converts each once into the TLB replay's compact records).
 * Stream worker w owns the simulators i with i % workers == w (the TLB
 * replays, then the page-reference builder) and feeds each batch to all of
 * them in turn. The ring's state (how many batches are filled, how many each
 * worker is done with) is under one mutex, taken once per batch by each
 * thread; a batch's records are written only before it is published and read
 * only until its consumers say they are done, so the mutex orders every
 * access to them. Each simulator is touched by one worker only. Policy tasks
 * (after the read) take the next configuration index under the same kind of
 * lock and write only their own row. */
#include "tools/vmtrace_multi.h"
#include "tools/vmtrace_sim.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define RING 8
#define BATCH 4096                  /* records a batch */
#define SLICE 256                   /* records each simulator takes at a time */

/* ------------------------------------------------------------ configuration lists */

void vt_cfgs_free(struct vt_cfgs *c)
{
    free(c->v);
    memset(c, 0, sizeof *c);
}

static struct vt_cfg *cfgs_push(struct vt_cfgs *c)
{
    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 16;
        c->v = vt_xrealloc(c->v, c->cap * sizeof *c->v);
    }
    struct vt_cfg *x = &c->v[c->n++];
    memset(x, 0, sizeof *x);
    return x;
}

bool vt_cfgs_add_tlb(struct vt_cfgs *c, const char *spec)
{
    if (strlen(spec) >= sizeof c->v->spec)
        return false;
    struct vt_cfg *x = cfgs_push(c);
    x->kind = VT_CFG_TLB;
    snprintf(x->spec, sizeof x->spec, "%s", spec);
    return true;
}

#define GRID_DIMS 8
#define GRID_VALUES 64

/* One dimension of a grid: KEY and its values, pointers into a copy. */
struct grid_dim {
    const char *key;
    const char *val[GRID_VALUES];
    unsigned n;
};

bool vt_cfgs_add_grid(struct vt_cfgs *c, const char *grid, char *err, size_t errlen)
{
    char buf[1024];
    if (strlen(grid) >= sizeof buf) {
        snprintf(err, errlen, "--grid: longer than %zu characters", sizeof buf - 1);
        return false;
    }
    snprintf(buf, sizeof buf, "%s", grid);
    struct grid_dim dim[GRID_DIMS];
    unsigned nd = 0;
    char *save = NULL;
    for (char *d = strtok_r(buf, ";", &save); d; d = strtok_r(NULL, ";", &save)) {
        while (*d == ' ')
            d++;
        if (!*d)
            continue;
        char *eq = strchr(d, '=');
        if (!eq || eq == d || !eq[1]) {
            snprintf(err, errlen, "--grid: '%s' is not key=value,value,...", d);
            return false;
        }
        if (nd == GRID_DIMS) {
            snprintf(err, errlen, "--grid: more than %d dimensions", GRID_DIMS);
            return false;
        }
        *eq = 0;
        struct grid_dim *g = &dim[nd++];
        g->key = d;
        g->n = 0;
        char *s2 = NULL;
        for (char *v = strtok_r(eq + 1, ",", &s2); v; v = strtok_r(NULL, ",", &s2)) {
            while (*v == ' ')
                v++;
            for (char *e = v + strlen(v); e > v && e[-1] == ' ';)
                *--e = 0;
            if (!*v)
                continue;
            if (g->n == GRID_VALUES) {
                snprintf(err, errlen, "--grid: more than %d values for %s", GRID_VALUES, g->key);
                return false;
            }
            g->val[g->n++] = v;
        }
        if (!g->n) {
            snprintf(err, errlen, "--grid: no values for %s", g->key);
            return false;
        }
    }
    if (!nd) {
        snprintf(err, errlen, "--grid: empty");
        return false;
    }
    unsigned idx[GRID_DIMS] = { 0 };
    for (;;) {
        char spec[sizeof c->v->spec];
        size_t len = 0;
        for (unsigned k = 0; k < nd; k++)
            len += (size_t)snprintf(spec + len, len < sizeof spec ? sizeof spec - len : 0, "%s%s=%s", k ? "," : "",
                                    dim[k].key, dim[k].val[idx[k]]);
        if (len >= sizeof spec || !vt_cfgs_add_tlb(c, spec)) {
            snprintf(err, errlen, "--grid: a configuration is too long");
            return false;
        }
        unsigned k = nd;
        while (k > 0 && ++idx[k - 1] == dim[k - 1].n)
            idx[--k] = 0;
        if (k == 0)
            break;
    }
    return true;
}

bool vt_cfgs_add_frames(struct vt_cfgs *c, const char *frames, const char *policies, char *err, size_t errlen)
{
    bool want[VT_P_COUNT];
    char buf[256];
    if (!vt_policy_parse(policies, want, err, errlen))
        return false;
    snprintf(buf, sizeof buf, "%s", frames);
    char *save = NULL;
    bool any = false;
    for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        uint64_t n;
        if (!vt_parse_u64(t, &n) || !n || n > 100000000) {
            snprintf(err, errlen, "--frames takes counts between 1 and 10^8 ('%s')", t);
            return false;
        }
        for (int p = 0; p < VT_P_COUNT; p++)
            if (want[p]) {
                struct vt_cfg *x = cfgs_push(c);
                x->kind = VT_CFG_FRAMES;
                x->frames = (uint32_t)n;
                x->policy = p;
            }
        any = true;
    }
    if (!any) {
        snprintf(err, errlen, "--frames takes a count or a comma list of counts");
        return false;
    }
    return true;
}

bool vt_cfgs_check(const struct vt_cfgs *c, char *err, size_t errlen)
{
    for (size_t i = 0; i < c->n; i++) {
        if (c->v[i].kind != VT_CFG_TLB || !strcmp(c->v[i].spec, "recorded"))
            continue;
        struct tlb_config cfg;
        char why[256];
        tlb_config_default(&cfg);
        if (!tlb_config_parse(&cfg, c->v[i].spec, why, sizeof why)) {
            snprintf(err, errlen, "--tlb %s: %s", c->v[i].spec, why);
            return false;
        }
    }
    return true;
}

/* ------------------------------------------------------------ the ring */

struct ring {
    pthread_mutex_t mu;
    pthread_cond_t filled;          /* a batch was published, or the end */
    pthread_cond_t freed;           /* a worker finished a batch */
    struct tr_event *ev[RING];      /* [RING][BATCH] */
    size_t len[RING];               /* records in each slot */
    struct vt_tlb_rec *rec[RING];   /* [RING][BATCH]: the slot's translations and flushes */
    size_t nrec[RING];
    uint64_t produced;              /* batches published */
    bool end;                       /* no more batches */
    uint64_t *consumed;             /* [workers] batches each is done with */
    unsigned workers;
};

/* A simulator fed by the stream: a TLB replay or the reference builder. */
struct consumer {
    struct vt_tlb_replay *tlb;      /* or NULL */
    struct vt_refs *refs;           /* or NULL */
};

struct stream_worker {
    struct ring *ring;
    unsigned id;
    struct consumer *cons;          /* every consumer; this worker runs id, id + workers, ... */
    size_t ncons;
    pthread_t thread;
};

static void *stream_main(void *arg)
{
    struct stream_worker *w = arg;
    struct ring *g = w->ring;
    for (uint64_t next = 0;; next++) {
        pthread_mutex_lock(&g->mu);
        while (g->produced <= next && !g->end)
            pthread_cond_wait(&g->filled, &g->mu);
        bool have = g->produced > next;
        pthread_mutex_unlock(&g->mu);
        if (!have)
            break;
        const struct tr_event *ev = g->ev[next % RING];
        const struct vt_tlb_rec *rec = g->rec[next % RING];
        size_t n = g->len[next % RING], nr = g->nrec[next % RING];
        for (size_t i = w->id; i < w->ncons; i += g->workers)
            if (w->cons[i].refs)
                vt_refs_batch(w->cons[i].refs, ev, n, NULL);
        /* the TLB replays take the compact records a slice at a time in
         * turn, so that they read them from the nearest cache */
        for (size_t o = 0; o < nr; o += SLICE) {
            size_t m = nr - o < SLICE ? nr - o : SLICE;
            for (size_t i = w->id; i < w->ncons; i += g->workers)
                if (w->cons[i].tlb)
                    vt_tlb_replay_recs(w->cons[i].tlb, rec + o, m);
        }
        pthread_mutex_lock(&g->mu);
        g->consumed[w->id] = next + 1;
        pthread_cond_signal(&g->freed);
        pthread_mutex_unlock(&g->mu);
    }
    return NULL;
}

/* Wait until slot SEQ % RING is free: every worker is done with batch SEQ - RING. */
static void ring_wait_free(struct ring *g, uint64_t seq)
{
    if (seq < RING)
        return;
    pthread_mutex_lock(&g->mu);
    for (;;) {
        unsigned w;
        for (w = 0; w < g->workers && g->consumed[w] > seq - RING; w++)
            ;
        if (w == g->workers)
            break;
        pthread_cond_wait(&g->freed, &g->mu);
    }
    pthread_mutex_unlock(&g->mu);
}

static void ring_publish(struct ring *g, bool end)
{
    pthread_mutex_lock(&g->mu);
    if (end)
        g->end = true;
    else
        g->produced++;
    pthread_cond_broadcast(&g->filled);
    pthread_mutex_unlock(&g->mu);
}

/* ------------------------------------------------------------ policy tasks */

struct policy_pool {
    pthread_mutex_t mu;
    size_t next;                    /* next configuration index to take */
    const struct vt_cfg *cfg;
    size_t n;
    const struct vt_refs *R;
    const uint64_t *next_use;       /* vt_next_use of R, when OPT is wanted */
    struct vt_row *rows;
};

static void *policy_main(void *arg)
{
    struct policy_pool *p = arg;
    for (;;) {
        pthread_mutex_lock(&p->mu);
        while (p->next < p->n && p->cfg[p->next].kind != VT_CFG_FRAMES)
            p->next++;
        size_t i = p->next < p->n ? p->next++ : SIZE_MAX;
        pthread_mutex_unlock(&p->mu);
        if (i == SIZE_MAX)
            return NULL;
        const struct vt_cfg *c = &p->cfg[i];
        const struct vt_refs *R = p->R;
        struct vt_policy_count k = vt_run_policy((enum vt_policy)c->policy, R->ref, R->cnt, R->n, R->npages,
                                                 c->frames, p->next_use);
        struct vt_row *row = &p->rows[i];
        row->lookups = R->total;
        row->faults = row->misses = k.faults;
        row->hits = R->total - k.faults;
        row->evictions = k.evictions;
    }
}

/* ------------------------------------------------------------ one pass */

void vt_trace_label(const char *path, char *buf, size_t len)
{
    const char *s = strrchr(path, '/');
    s = s ? s + 1 : path;
    size_t n = strlen(s);
    if (n > 4 && !strcmp(s + n - 4, ".vmt"))
        n -= 4;
    snprintf(buf, len, "%.*s", (int)n, s);
}

/* The row's structure and policy for a TLB configuration: the first key of
 * SPEC that names a structure of the model, else "all". */
static void tlb_row_names(const struct vt_cfg *c, const struct tlb_model *m, struct vt_row *row,
                          const struct tlb_cache **which)
{
    *which = NULL;
    char key[32];
    size_t k = strcspn(c->spec, "=,");
    snprintf(key, sizeof key, "%.*s", (int)(k < sizeof key ? k : sizeof key - 1), c->spec);
    for (unsigned id = 0; id < TLB_NSTRUCT; id++) {
        const struct tlb_cache *t = m->c[id];
        if (!t)
            continue;
        const char *name = id == TLB_LTLB && m->cfg.ltlb_shared ? "ltlb" : tlb_names[id];
        if (!strcmp(name, key))
            *which = t;
    }
    snprintf(row->structure, sizeof row->structure, "%.15s", *which ? key : "all");
    unsigned pol = *which ? (*which)->policy : (unsigned)m->cfg.policy;
    snprintf(row->policy, sizeof row->policy, "%s", pol < 4 ? tlb_policy_names[pol] : "?");
}

int vt_multi_run(struct tr_reader *r, const struct vt_cfg *cfg, size_t n, unsigned jobs, uint32_t kbase,
                 struct vt_row *rows)
{
    const struct tr_header *h = tr_reader_header(r);
    if (!(h->kinds & 1)) {
        fprintf(stderr, "vmtrace sim: %s: translations were not recorded (filter '%s')\n", tr_reader_name(r),
                h->filter);
        return 2;
    }
    if (!jobs) {
        long nc = sysconf(_SC_NPROCESSORS_ONLN);
        jobs = nc > 0 ? (unsigned)nc : 1;
    }
    char label[128];
    vt_trace_label(tr_reader_name(r), label, sizeof label);
    size_t ntlb = 0, nframes = 0;
    bool want_opt = false;
    for (size_t i = 0; i < n; i++) {
        if (cfg[i].kind == VT_CFG_TLB)
            ntlb++;
        else
            nframes++, want_opt |= cfg[i].policy == VT_P_OPT;
    }
    struct vt_tlb_replay *tlb = vt_xcalloc(ntlb ? ntlb : 1, sizeof *tlb);
    struct consumer *cons = vt_xcalloc(ntlb + 1, sizeof *cons);
    size_t ncons = 0;
    int rc = 0;
    for (size_t i = 0, t = 0; i < n; i++) {
        struct vt_row *row = &rows[i];
        memset(row, 0, sizeof *row);
        snprintf(row->trace, sizeof row->trace, "%s", label);
        row->kind = cfg[i].kind;
        if (cfg[i].kind == VT_CFG_FRAMES) {
            snprintf(row->config, sizeof row->config, "frames=%u", cfg[i].frames);
            snprintf(row->policy, sizeof row->policy, "%s", vt_policy_names[cfg[i].policy]);
            continue;
        }
        snprintf(row->config, sizeof row->config, "%s", cfg[i].spec);
        struct tlb_config tc;
        char err[512];
        bool recorded;
        if (!vt_tlb_config(h, cfg[i].spec, &tc, &recorded, err, sizeof err)) {
            fprintf(stderr, "vmtrace sim: %s: %s\n", tr_reader_name(r), err);
            rc = 2;
            break;
        }
        if (!vt_tlb_replay_init(&tlb[t], &tc)) {
            fprintf(stderr, "vmtrace: out of memory\n");
            rc = 1;
            break;
        }
        cons[ncons++].tlb = &tlb[t++];
    }
    struct vt_refs R;
    memset(&R, 0, sizeof R);
    if (nframes && !rc) {
        vt_refs_init(&R, kbase, -1);
        cons[ncons++].refs = &R;
    }

    struct ring g;
    memset(&g, 0, sizeof g);
    pthread_mutex_init(&g.mu, NULL);
    pthread_cond_init(&g.filled, NULL);
    pthread_cond_init(&g.freed, NULL);
    g.workers = rc ? 0 : (unsigned)(ncons < jobs ? ncons : jobs);
    g.consumed = vt_xcalloc(g.workers ? g.workers : 1, sizeof *g.consumed);
    for (unsigned i = 0; i < RING; i++) {
        g.ev[i] = vt_xmalloc(BATCH * sizeof *g.ev[i]);
        g.rec[i] = vt_xmalloc(BATCH * sizeof *g.rec[i]);
    }
    struct stream_worker *sw = vt_xcalloc(g.workers ? g.workers : 1, sizeof *sw);
    unsigned started = 0;
    for (unsigned w = 0; w < g.workers; w++) {
        sw[w] = (struct stream_worker){ .ring = &g, .id = w, .cons = cons, .ncons = ncons };
        if (pthread_create(&sw[w].thread, NULL, stream_main, &sw[w])) {
            fprintf(stderr, "vmtrace: cannot start a thread\n");
            exit(1);
        }
        started++;
    }

    /* The decoder: this thread. */
    struct tr_cursor *c = g.workers ? tr_cursor_new(r, 0) : NULL;
    struct vt_progress pg;
    vt_progress_init(&pg, "sim");
    uint64_t events = 0, total_bytes = tr_reader_size(r);
    size_t nchunks = tr_reader_nchunks(r);
    for (uint64_t seq = 0; c; seq++) {
        ring_wait_free(&g, seq);
        struct tr_event *ev = g.ev[seq % RING];
        size_t len = 0, got;
        while (len < BATCH && (got = tr_cursor_batch(c, ev + len, BATCH - len)))
            len += got;
        if (!len)
            break;
        for (size_t i = 0; i < len; i++)
            events += ev[i].count;
        g.len[seq % RING] = len;
        g.nrec[seq % RING] = ntlb ? vt_tlb_recs(ev, len, g.rec[seq % RING]) : 0;
        ring_publish(&g, false);
        size_t ch = tr_cursor_chunk(c);
        vt_progress_rate(&pg, ch < nchunks ? tr_reader_chunk(r, ch)->offset : total_bytes, total_bytes, events);
    }
    ring_publish(&g, true);
    for (unsigned w = 0; w < started; w++)
        pthread_join(sw[w].thread, NULL);
    if (c)
        tr_cursor_free(c);
    vt_progress_done(&pg);

    if (!rc && nframes) {
        vt_refs_done(&R);
        struct policy_pool pool = { .cfg = cfg, .n = n, .R = &R, .rows = rows };
        pthread_mutex_init(&pool.mu, NULL);
        uint64_t *next = want_opt ? vt_next_use(R.ref, R.cnt, R.n, R.npages) : NULL;
        pool.next_use = next;
        unsigned np = (unsigned)(nframes < jobs ? nframes : jobs);
        pthread_t *pt = vt_xcalloc(np, sizeof *pt);
        unsigned run = 0;
        for (unsigned k = 1; k < np; k++, run++)
            if (pthread_create(&pt[k], NULL, policy_main, &pool))
                break;
        policy_main(&pool);
        for (unsigned k = 1; k <= run; k++)
            pthread_join(pt[k], NULL);
        free(pt);
        free(next);
        pthread_mutex_destroy(&pool.mu);
    }
    for (size_t i = 0, t = 0; i < n && !rc; i++) {
        if (cfg[i].kind != VT_CFG_TLB)
            continue;
        struct vt_tlb_replay *s = &tlb[t++];
        struct vt_row *row = &rows[i];
        const struct tlb_cache *which;
        tlb_row_names(&cfg[i], s->m, row, &which);
        if (which) {
            row->hits = which->st.hits;
            row->misses = which->st.misses;
            row->evictions = which->st.evict_capacity + which->st.evict_conflict;
        } else {
            row->hits = s->hits;
            row->misses = s->misses;
            for (unsigned id = 0; id < TLB_NSTRUCT; id++)
                if (s->m->c[id] && id != TLB_PWC)
                    row->evictions += s->m->c[id]->st.evict_capacity + s->m->c[id]->st.evict_conflict;
        }
        row->lookups = row->hits + row->misses;
    }
    for (size_t t = 0; t < ntlb; t++)
        if (tlb[t].m)
            vt_tlb_replay_free(&tlb[t]);
    if (nframes)
        vt_refs_free(&R);
    for (unsigned i = 0; i < RING; i++) {
        free(g.ev[i]);
        free(g.rec[i]);
    }
    free(g.consumed);
    free(sw);
    free(cons);
    free(tlb);
    pthread_mutex_destroy(&g.mu);
    pthread_cond_destroy(&g.filled);
    pthread_cond_destroy(&g.freed);
    return rc;
}

/* ------------------------------------------------------------ output */

const char vt_rows_csv_header[] = "trace,kind,config,structure,policy,lookups,hits,misses,hit_rate,evictions,faults";

static const char *const kind_names[] = { "tlb", "frames" };

/* A CSV field: quoted when it holds a comma, a quote or a line break. */
static void csv_field(FILE *f, const char *s)
{
    if (!strpbrk(s, ",\"\n\r")) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

static void json_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            fprintf(f, "\\%c", *s);
        else if ((unsigned char)*s < 0x20)
            fprintf(f, "\\u%04x", *s);
        else
            fputc(*s, f);
    }
    fputc('"', f);
}

int vt_csv_split(char *line, char **field, int max)
{
    int n = 0;
    char *p = line;
    for (;;) {
        if (n == max)
            return n;
        char *o = p;
        field[n++] = o;
        if (*p == '"') {
            p++;
            for (;;) {
                if (!*p)
                    break;
                if (*p == '"' && p[1] == '"') {
                    *o++ = '"';
                    p += 2;
                } else if (*p == '"') {
                    p++;
                    break;
                } else {
                    *o++ = *p++;
                }
            }
            while (*p && *p != ',')
                p++;
        } else {
            while (*p && *p != ',' && *p != '\n' && *p != '\r')
                *o++ = *p++;
        }
        char c = *p;
        *o = 0;
        if (c != ',')
            return n;
        p++;
    }
}

static double hit_rate(const struct vt_row *x)
{
    return x->lookups ? (double)x->hits / (double)x->lookups : 0.0;
}

void vt_rows_write(FILE *f, enum vt_rows_format fmt, const struct vt_row *rows, size_t n)
{
    if (fmt == VT_ROWS_CSV) {
        fprintf(f, "%s\n", vt_rows_csv_header);
        for (size_t i = 0; i < n; i++) {
            const struct vt_row *x = &rows[i];
            csv_field(f, x->trace);
            fprintf(f, ",%s,", kind_names[x->kind]);
            csv_field(f, x->config);
            fputc(',', f);
            csv_field(f, x->structure);
            fprintf(f, ",%s,%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%.6f,%" PRIu64 ",", x->policy, x->lookups, x->hits,
                    x->misses, hit_rate(x), x->evictions);
            if (x->kind == VT_CFG_FRAMES)
                fprintf(f, "%" PRIu64, x->faults);
            fputc('\n', f);
        }
    } else if (fmt == VT_ROWS_JSON) {
        fprintf(f, "[");
        for (size_t i = 0; i < n; i++) {
            const struct vt_row *x = &rows[i];
            fprintf(f, "%s\n  {\"trace\":", i ? "," : "");
            json_string(f, x->trace);
            fprintf(f, ",\"kind\":\"%s\",\"config\":", kind_names[x->kind]);
            json_string(f, x->config);
            fprintf(f, ",\"structure\":");
            if (x->kind == VT_CFG_TLB)
                json_string(f, x->structure);
            else
                fprintf(f, "null");
            fprintf(f, ",\"policy\":\"%s\",\"lookups\":%" PRIu64 ",\"hits\":%" PRIu64 ",\"misses\":%" PRIu64
                       ",\"hit_rate\":%.6f,\"evictions\":%" PRIu64 ",\"faults\":", x->policy, x->lookups, x->hits,
                    x->misses, hit_rate(x), x->evictions);
            if (x->kind == VT_CFG_FRAMES)
                fprintf(f, "%" PRIu64 "}", x->faults);
            else
                fprintf(f, "null}");
        }
        fprintf(f, "\n]\n");
    } else {
        int w = 6;
        for (size_t i = 0; i < n; i++) {
            int l = (int)strlen(rows[i].config);
            if (l > w)
                w = l;
        }
        fprintf(f, "%-6s %-*s %-9s %-6s %14s %14s %14s %9s %12s %12s\n", "kind", w, "config", "structure", "policy",
                "lookups", "hits", "misses", "hit_rate", "evictions", "faults");
        for (size_t i = 0; i < n; i++) {
            const struct vt_row *x = &rows[i];
            char faults[24] = "-";
            if (x->kind == VT_CFG_FRAMES)
                snprintf(faults, sizeof faults, "%" PRIu64, x->faults);
            fprintf(f, "%-6s %-*s %-9s %-6s %14" PRIu64 " %14" PRIu64 " %14" PRIu64 " %9.6f %12" PRIu64 " %12s\n",
                    kind_names[x->kind], w, x->config, x->kind == VT_CFG_TLB ? x->structure : "-", x->policy,
                    x->lookups, x->hits, x->misses, hit_rate(x), x->evictions, faults);
        }
    }
}
