/* Trace module tests: writer -> reader round trips on synthetic record
 * streams, determinism, damage (truncation at and inside every chunk, CRC,
 * deflate, chunk header, footer), bad headers, seeking, the push stream, and
 * recovery after the writer is killed with SIGKILL. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "trace/annot.h"
#include "trace/annot_desc.h"
#include "trace/format.h"
#include "trace/reader.h"
#include "trace/writer.h"
#include "tests/trace/synth.h"

static char tmpdir[256];

static void path_of(char *buf, size_t len, const char *name)
{
    snprintf(buf, len, "%s/%s", tmpdir, name);
}

/* ---- a random record stream with its expected reading ---- */

struct exp {
    struct tr_event *ev;
    size_t n, cap;
    uint64_t event;
};

static uint64_t rng;
static uint32_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng >> 16);
}

static struct tr_event *exp_add(struct exp *e)
{
    if (e->n == e->cap) {
        e->cap = e->cap ? e->cap * 2 : 4096;
        e->ev = realloc(e->ev, e->cap * sizeof *e->ev);
        assert_non_null(e->ev);
    }
    struct tr_event *v = &e->ev[e->n++];
    memset(v, 0, sizeof *v);
    v->event = e->event++;
    v->count = 1;
    return v;
}

/* Emit about N records of every kind to TW (kinds in KINDS are expected
 * back; DETAIL as in the header), recording what a reader should see. */
static void random_stream(struct trace_writer *tw, struct exp *e, size_t n, uint32_t seed, uint32_t kinds,
                          uint32_t detail)
{
    rng = 0x1234567ull * (seed + 1) ^ 0xABCDEFull;
    uint64_t cycle = 1000;
    uint32_t pages[24], frames[24], cr3 = 0;
    for (int i = 0; i < 24; i++) {
        pages[i] = 0x8048 + (rnd() % 4096);
        frames[i] = rnd() % 0x4000;
    }
    for (size_t i = 0; i < n; i++) {
        uint32_t r = rnd();
        unsigned what = r % 100;
        cycle += rnd() % 7;
        if (what < 80) {
            /* translations: mostly a few pages, in runs and alternations */
            int reps = (r >> 8) % 4 == 0 ? 1 + rnd() % 50 : 1;
            int pi = (r >> 12) % 100 < 80 ? (int)((r >> 20) % 3) : (int)((r >> 20) % 24);
            struct tr_xlate x = { 0 };
            x.lin = pages[pi] << 12 | (rnd() & 0xFFF);
            x.phys = frames[pi] << 12 | (x.lin & 0xFFF);
            x.kind = (uint8_t)(pi % 3 | ((r >> 28) == 0 ? TR_IMPLICIT : 0));
            x.outcome = (r >> 24) % 16 == 0 ? (uint8_t)(rnd() % 5) : TR_HIT;
            x.tlb = (uint8_t)(pi % 3 == 0 ? TR_ITLB : TR_DTLB);
            x.cpl = (uint8_t)(pi % 2 ? 3 : 0);
            x.large = pi == 23;
            x.global = pi == 22;
            x.cycles = x.outcome == TR_HIT ? ((r >> 30) ? 0 : 1) : (uint16_t)(rnd() % 300);
            for (int k = 0; k < reps; k++) {
                if (detail & TR_DETAIL_OFFSETS)
                    x.lin = (x.lin & ~0xFFFu) | (rnd() & 0xFFF), x.phys = (x.phys & ~0xFFFu) | (x.lin & 0xFFF);
                cycle += rnd() % 3;
                trace_emit_xlate(tw, cycle, &x);
                if (kinds & 1) {
                    struct tr_event *v = exp_add(e);
                    v->kind = TRK_XLATE;
                    v->u.xlate = x;
                    if (!(detail & TR_DETAIL_OFFSETS)) {
                        v->u.xlate.lin &= ~0xFFFu;
                        v->u.xlate.phys &= ~0xFFFu;
                    }
                    v->cycle = cycle;
                    v->cycle_exact = (detail & TR_DETAIL_XTIME) != 0;
                    v->cr3 = cr3;
                }
            }
        } else if (what < 88) {
            uint32_t lin = (pages[r % 24] << 12) | (rnd() & 0xFFF);
            struct tr_walk w = { lin, (cr3 & ~0xFFFu) | (lin >> 22) << 2, 0x5007 + (rnd() % 4) * 0x1000, 0, 0,
                                 (uint8_t)(rnd() & 15) };
            if (rnd() % 4)
                w.pte_addr = (w.pde & ~0xFFFu) | ((lin >> 12) & 0x3FF) << 2, w.pte = frames[r % 24] << 12 | 0x67;
            else if (rnd() % 2)
                w.pde_addr = rnd() & ~3u;
            trace_emit_walk(tw, cycle, &w);
            if (kinds & (1u << TRK_WALK)) {
                struct tr_event *v = exp_add(e);
                v->kind = TRK_WALK;
                v->u.walk = w;
                if (!(detail & TR_DETAIL_OFFSETS))
                    v->u.walk.lin &= ~0xFFFu;
                v->cycle = cycle;
                v->cycle_exact = (detail & TR_DETAIL_XTIME) != 0;
                v->cr3 = cr3;
            }
            if (rnd() % 2) {  /* the translation the walk was for */
                struct tr_xlate x = { .lin = lin, .phys = w.pte & ~0xFFFu, .kind = TR_READ, .outcome = TR_MISS,
                                      .tlb = TR_DTLB, .cpl = 3, .cycles = 23 };
                if (!w.pte_addr)
                    x.phys = 0;
                trace_emit_xlate(tw, cycle, &x);
                if (kinds & 1) {
                    struct tr_event *v = exp_add(e);
                    v->kind = TRK_XLATE;
                    v->u.xlate = x;
                    if (!(detail & TR_DETAIL_OFFSETS))
                        v->u.xlate.lin &= ~0xFFFu;
                    else
                        v->u.xlate.phys |= lin & 0xFFF;
                    v->cycle = cycle;
                    v->cycle_exact = (detail & TR_DETAIL_XTIME) != 0;
                    v->cr3 = cr3;
                }
            }
        } else {
            struct tr_event tmp;
            memset(&tmp, 0, sizeof tmp);
            unsigned k = 2 + r % 6;   /* fault flush cr3 disk annot sync */
            tmp.kind = (uint8_t)k;
            tmp.cycle = cycle;
            tmp.cycle_exact = 1;
            tmp.cr3 = cr3;
            switch (k) {
            case TRK_FAULT:
                tmp.u.fault.cr2 = rnd();
                tmp.u.fault.err = rnd() % 16;
                tmp.u.fault.eip = rnd();
                tmp.u.fault.cpl = (uint8_t)(rnd() % 4);
                trace_emit_fault(tw, cycle, tmp.u.fault.cr2, tmp.u.fault.err, tmp.u.fault.eip, tmp.u.fault.cpl);
                break;
            case TRK_FLUSH:
                tmp.u.flush.kind = (uint8_t)(rnd() % 3);
                tmp.u.flush.addr = rnd();
                tmp.u.flush.dropped = rnd() % 100;
                trace_emit_flush(tw, cycle, tmp.u.flush.kind, tmp.u.flush.addr, tmp.u.flush.dropped);
                break;
            case TRK_CR3:
                tmp.u.cr3.old_cr3 = cr3;
                tmp.u.cr3.new_cr3 = (rnd() % 64) << 12;
                trace_emit_cr3(tw, cycle, cr3, tmp.u.cr3.new_cr3);
                cr3 = tmp.u.cr3.new_cr3;
                break;
            case TRK_DISK:
                tmp.u.disk.lba = (uint64_t)rnd() << 8;
                tmp.u.disk.count = rnd() % 256;
                tmp.u.disk.dir = (uint8_t)(rnd() % 2);
                trace_emit_disk(tw, cycle, tmp.u.disk.lba, tmp.u.disk.count, tmp.u.disk.dir);
                break;
            case TRK_ANNOT: {
                uint8_t rec[ANNOT_MAX_SIZE];
                static const uint8_t sizes[] = ANNOT_SIZES;
                unsigned ak = 1 + rnd() % (ANNOT_KIND_COUNT - 1);
                for (size_t b = 0; b < sizeof rec; b++)
                    rec[b] = (uint8_t)rnd();
                trf_put16(rec, (uint16_t)ak);
                trf_put16(rec + 2, sizes[ak]);
                trace_emit_annot(tw, cycle, rec, sizes[ak]);
                tmp.u.annot.kind = (uint16_t)ak;
                tmp.u.annot.size = sizes[ak];
                tmp.u.annot.pid = trf_get32(rec + 4);
                memcpy(tmp.u.annot.rec, rec, sizes[ak]);
                break;
            }
            case TRK_SYNC:
                /* the writer decides when a sync is recorded: not compared */
                trace_emit_sync(tw, cycle, i);
                continue;
            }
            if (kinds & (1u << k)) {
                struct tr_event *v = exp_add(e);
                uint64_t ev = v->event;
                *v = tmp;
                v->event = ev;
                v->count = 1;
                if (k == TRK_CR3)
                    v->cr3 = tmp.u.cr3.old_cr3;
            }
        }
    }
}

static struct trace_writer *open_writer(const char *path, const char *filter, uint32_t chunk_bytes)
{
    struct trace_config cfg = { .vmscope_version = "test", .ram_bytes = 1 << 24, .tlb_spec = "",
                                .cpu_mhz = 100, .cmdline = "k test", .filter = filter, .chunk_bytes = chunk_bytes };
    char err[256];
    struct trace_writer *tw = trace_writer_open(path, &cfg, err, sizeof err);
    if (!tw)
        fail_msg("%s", err);
    return tw;
}

static void compare(const struct tr_event *got, const struct tr_event *want, size_t i)
{
    if (got->kind != want->kind || got->event != want->event)
        fail_msg("record %zu: kind %u event %llu, expected kind %u event %llu", i, got->kind,
                 (unsigned long long)got->event, want->kind, (unsigned long long)want->event);
    if (got->cr3 != want->cr3)
        fail_msg("record %zu: cr3 %x, expected %x", i, got->cr3, want->cr3);
    if (want->cycle_exact && got->cycle != want->cycle)
        fail_msg("record %zu (kind %u): cycle %llu, expected %llu", i, want->kind, (unsigned long long)got->cycle,
                 (unsigned long long)want->cycle);
    switch (want->kind) {
    case TRK_XLATE:
        if (memcmp(&got->u.xlate, &want->u.xlate, sizeof got->u.xlate))
            fail_msg("record %zu: xlate lin %08x phys %08x k%u o%u t%u c%u cyc%u, expected lin %08x phys %08x k%u "
                     "o%u t%u c%u cyc%u", i, got->u.xlate.lin, got->u.xlate.phys, got->u.xlate.kind,
                     got->u.xlate.outcome, got->u.xlate.tlb, got->u.xlate.cpl, got->u.xlate.cycles, want->u.xlate.lin,
                     want->u.xlate.phys, want->u.xlate.kind, want->u.xlate.outcome, want->u.xlate.tlb,
                     want->u.xlate.cpl, want->u.xlate.cycles);
        break;
    case TRK_WALK:
        assert_int_equal(got->u.walk.lin, want->u.walk.lin);
        assert_int_equal(got->u.walk.pde_addr, want->u.walk.pde_addr);
        assert_int_equal(got->u.walk.pde, want->u.walk.pde);
        assert_int_equal(got->u.walk.pte_addr, want->u.walk.pte_addr);
        assert_int_equal(got->u.walk.pte, want->u.walk.pte);
        assert_int_equal(got->u.walk.ad_set, want->u.walk.ad_set);
        break;
    case TRK_FAULT:
        assert_int_equal(got->u.fault.cr2, want->u.fault.cr2);
        assert_int_equal(got->u.fault.err, want->u.fault.err);
        assert_int_equal(got->u.fault.eip, want->u.fault.eip);
        assert_int_equal(got->u.fault.cpl, want->u.fault.cpl);
        break;
    case TRK_FLUSH:
        assert_int_equal(got->u.flush.kind, want->u.flush.kind);
        assert_int_equal(got->u.flush.addr, want->u.flush.addr);
        assert_int_equal(got->u.flush.dropped, want->u.flush.dropped);
        break;
    case TRK_CR3:
        assert_int_equal(got->u.cr3.old_cr3, want->u.cr3.old_cr3);
        assert_int_equal(got->u.cr3.new_cr3, want->u.cr3.new_cr3);
        break;
    case TRK_DISK:
        assert_int_equal(got->u.disk.lba, want->u.disk.lba);
        assert_int_equal(got->u.disk.count, want->u.disk.count);
        assert_int_equal(got->u.disk.dir, want->u.disk.dir);
        break;
    case TRK_ANNOT:
        assert_int_equal(got->u.annot.size, want->u.annot.size);
        assert_memory_equal(got->u.annot.rec, want->u.annot.rec, want->u.annot.size);
        break;
    }
}

static uint64_t problems;
static void count_diag(void *ctx, const char *msg)
{
    (void)ctx;
    (void)msg;
    problems++;
}

/* Read PATH back (expanding runs, skipping sync records) against E. */
static void check_file(const char *path, const struct exp *e)
{
    char err[256];
    problems = 0;
    struct tr_reader *r = tr_reader_open(path, 0, count_diag, NULL, err, sizeof err);
    if (!r)
        fail_msg("%s", err);
    assert_true(tr_reader_complete(r));
    struct tr_cursor *c = tr_cursor_new(r, TR_CURSOR_EXPAND);
    struct tr_event ev;
    size_t i = 0;
    uint64_t sync = 0;
    while (tr_cursor_next(c, &ev)) {
        if (ev.kind == TRK_SYNC) {
            sync++;
            continue;
        }
        if (i >= e->n)
            fail_msg("more records than written");
        struct tr_event want = e->ev[i];
        want.event += sync;     /* sync records take event numbers too */
        compare(&ev, &want, i);
        i++;
    }
    assert_int_equal(i, e->n);
    assert_int_equal(problems, 0);
    struct tr_totals t;
    assert_true(tr_reader_totals(r, &t));
    assert_int_equal(t.events, e->n + sync);
    /* counting, which takes a run of repeats at once, gives the same
     * totals as the records one by one */
    uint64_t xl = 0, oc[8] = { 0 };
    for (size_t j = 0; j < e->n; j++)
        if (e->ev[j].kind == TRK_XLATE) {
            xl++;
            oc[e->ev[j].u.xlate.outcome & 7]++;
        }
    assert_int_equal(tr_reader_count(r, &t, NULL, NULL), tr_reader_nchunks(r));
    assert_int_equal(t.events, e->n + sync);
    assert_int_equal(t.kind[TRK_XLATE], xl);
    for (int o = 0; o < 8; o++)
        assert_int_equal(t.outcome[o], oc[o]);
    tr_cursor_free(c);
    tr_reader_close(r);
}

static void roundtrip(const char *filter, uint32_t chunk_bytes, uint32_t seed)
{
    char path[300];
    path_of(path, sizeof path, "rt.vmt");
    uint32_t kinds, detail;
    char err[200];
    assert_true(trace_filter_parse(filter, &kinds, &detail, err, sizeof err));
    struct trace_writer *tw = open_writer(path, filter, chunk_bytes);
    struct exp e = { 0 };
    random_stream(tw, &e, 200000, seed, kinds, detail);
    assert_true(trace_writer_close(tw, err, sizeof err));
    check_file(path, &e);
    free(e.ev);
}

/* Loops: a body of 2..40 translations over a few pages (fetch, read, write
 * of different pages, so the opcodes differ) repeated many times, now and
 * then broken by another page, an outcome that is not a plain hit, or
 * another record, with chunks small enough to end inside a loop: the
 * writer's period replay and its way back to the table. */
static void loop_stream(struct trace_writer *tw, struct exp *e, size_t n, uint32_t seed)
{
    rng = 0x7654321ull * (seed + 1) ^ 0x13579Bull;
    uint64_t cycle = 1000;
    size_t i = 0;
    while (i < n) {
        unsigned len = 2 + rnd() % 39, turns = 1 + rnd() % 200;
        struct tr_xlate body[40];
        for (unsigned j = 0; j < len; j++) {
            unsigned pg = rnd() % 5, kind = j % 3 == 0 ? TR_FETCH : pg % 2 ? TR_READ : TR_WRITE;
            body[j] = (struct tr_xlate){ .lin = (0x400 + pg) << 12, .phys = (0x900 + pg) << 12, .kind = (uint8_t)kind,
                                         .outcome = TR_HIT, .tlb = kind == TR_FETCH ? TR_ITLB : TR_DTLB };
        }
        for (unsigned t = 0; t < turns && i < n; t++) {
            for (unsigned j = 0; j < len && i < n; j++, i++) {
                struct tr_xlate x = body[j];
                uint32_t r = rnd() % 1000;
                if (r == 0)
                    x.lin = (0x800 + rnd() % 8) << 12;              /* another page */
                else if (r == 1)
                    x.outcome = TR_MISS, x.cycles = 40;             /* not the predicted hit */
                cycle += 1 + rnd() % 3;
                if (r == 2) {
                    trace_emit_flush(tw, cycle, TR_FLUSH_PAGE, x.lin, 1);
                    struct tr_event *v = exp_add(e);
                    v->kind = TRK_FLUSH;
                    v->u.flush.kind = TR_FLUSH_PAGE;
                    v->u.flush.addr = x.lin;
                    v->u.flush.dropped = 1;
                    v->cycle = cycle;
                    v->cycle_exact = 1;
                }
                trace_emit_xlate(tw, cycle, &x);
                struct tr_event *v = exp_add(e);
                v->kind = TRK_XLATE;
                v->u.xlate = x;
                v->cycle = cycle;
            }
        }
    }
}

static void test_loops(void **state)
{
    (void)state;
    char path[300], err[200];
    path_of(path, sizeof path, "loops.vmt");
    for (uint32_t seed = 1; seed <= 3; seed++) {
        struct trace_writer *tw = open_writer(path, NULL, seed == 1 ? 0 : 512 * seed);
        struct exp e = { 0 };
        loop_stream(tw, &e, 300000, seed);
        assert_true(trace_writer_close(tw, err, sizeof err));
        check_file(path, &e);
        free(e.ev);
    }
}

static void test_roundtrip_default(void **state) { (void)state; roundtrip(NULL, 0, 1); }
static void test_roundtrip_small_chunks(void **state) { (void)state; roundtrip("", 1024, 2); }
static void test_roundtrip_detail(void **state) { (void)state; roundtrip("all,offsets,xtime", 4096, 3); }
static void test_roundtrip_filter(void **state) { (void)state; roundtrip("fault,annot,cr3", 2048, 4); }
static void test_roundtrip_nowalk(void **state) { (void)state; roundtrip("all,-walk,offsets", 0, 5); }

static void test_filter_parse(void **state)
{
    (void)state;
    uint32_t k, d;
    char err[200];
    assert_true(trace_filter_parse("fault,annot", &k, &d, err, sizeof err));
    assert_int_equal(k, (1u << TRK_FAULT) | (1u << TRK_ANNOT) | (1u << TRK_SYNC));
    assert_true(trace_filter_parse("all,-xlate,offsets", &k, &d, err, sizeof err));
    assert_int_equal(k, 0xFEu);
    assert_int_equal(d, TR_DETAIL_OFFSETS);
    assert_false(trace_filter_parse("faults", &k, &d, err, sizeof err));
    assert_non_null(strstr(err, "faults"));
}

/* ---- files in memory ---- */

static uint8_t *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    *len = (size_t)ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *b = malloc(*len + 1);
    assert_int_equal(fread(b, 1, *len, f), *len);
    fclose(f);
    return b;
}

/* A synthetic trace with many chunks; returns its bytes. */
static uint8_t *make_trace(const char *name, size_t *len, uint32_t chunk_bytes, uint64_t nx)
{
    char path[300];
    path_of(path, sizeof path, name);
    struct trace_writer *tw = open_writer(path, NULL, chunk_bytes);
    synth_run(tw, nx, 7, NULL, 0, NULL);
    char err[200];
    assert_true(trace_writer_close(tw, err, sizeof err));
    return slurp(path, len);
}

struct mem_result {
    bool opened;
    size_t nchunks, good;
    uint64_t events, problems;
    bool recovered;
};

static struct mem_result read_mem(const uint8_t *b, size_t len)
{
    struct mem_result m = { 0 };
    char err[256];
    problems = 0;
    struct tr_reader *r = tr_reader_open_mem(b, len, "mem.vmt", 0, count_diag, NULL, err, sizeof err);
    if (!r) {
        m.problems = problems;
        return m;
    }
    m.opened = true;
    struct tr_totals t;
    m.good = tr_reader_count(r, &t, NULL, NULL);
    m.nchunks = tr_reader_nchunks(r);
    m.events = t.events;
    m.recovered = tr_reader_recovered(r);
    /* the cursor must also get through without crashing */
    struct tr_cursor *c = tr_cursor_new(r, 0);
    struct tr_event ev;
    while (tr_cursor_next(c, &ev))
        ;
    tr_cursor_free(c);
    tr_reader_close(r);
    m.problems = problems;
    return m;
}

static void test_determinism(void **state)
{
    (void)state;
    size_t a, b;
    uint8_t *x = make_trace("d1.vmt", &a, 8192, 300000);
    uint8_t *y = make_trace("d2.vmt", &b, 8192, 300000);
    assert_int_equal(a, b);
    assert_memory_equal(x, y, a);
    free(x);
    free(y);
}

static void test_truncation(void **state)
{
    (void)state;
    size_t len;
    uint8_t *b = make_trace("tr.vmt", &len, 4096, 200000);
    char err[200];
    struct tr_reader *r = tr_reader_open_mem(b, len, "full", 0, NULL, NULL, err, sizeof err);
    assert_non_null(r);
    size_t n = tr_reader_nchunks(r);
    assert_true(n > 10);
    uint64_t *off = calloc(n + 1, sizeof *off), *cum = calloc(n + 1, sizeof *cum);
    for (size_t i = 0; i < n; i++) {
        off[i] = tr_reader_chunk(r, i)->offset;
        cum[i + 1] = cum[i] + tr_reader_chunk(r, i)->nevents;
    }
    off[n] = off[n - 1] + TRF_CHUNK_HDR + tr_reader_chunk(r, n - 1)->comp_len;
    tr_reader_close(r);
    for (size_t i = 0; i <= n; i++) {
        /* at the boundary: i complete chunks, nothing to report */
        struct mem_result m = read_mem(b, off[i]);
        assert_true(m.opened);
        assert_true(m.recovered);
        assert_int_equal(m.nchunks, i);
        assert_int_equal(m.good, i);
        assert_int_equal(m.events, cum[i]);
        assert_int_equal(m.problems, 0);
        if (i == n)
            break;
        /* inside the header, and inside the payload: i chunks and a report */
        uint64_t cuts[2] = { off[i] + 1 + (i % 70), off[i] + TRF_CHUNK_HDR + (off[i + 1] - off[i] - TRF_CHUNK_HDR) / 2 };
        for (int k = 0; k < 2; k++) {
            m = read_mem(b, cuts[k]);
            assert_true(m.opened);
            assert_int_equal(m.nchunks, i);
            assert_int_equal(m.events, cum[i]);
            assert_true(m.problems >= 1);
        }
    }
    /* cuts in the footer and trailer: every chunk still there */
    for (uint64_t cut = off[n] + 1; cut < len; cut += 7) {
        struct mem_result m = read_mem(b, cut);
        assert_int_equal(m.nchunks, n);
        assert_int_equal(m.events, cum[n]);
    }
    free(off);
    free(cum);
    free(b);
}

/* Damage chunk K of a copy in some way, check that exactly it is lost. */
static void damage(const uint8_t *b, size_t len, int how, size_t k, bool drop_footer)
{
    char err[200];
    struct tr_reader *r = tr_reader_open_mem(b, len, "orig", 0, NULL, NULL, err, sizeof err);
    size_t n = tr_reader_nchunks(r);
    const struct tr_chunk *c = tr_reader_chunk(r, k);
    uint64_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += tr_reader_chunk(r, i)->nevents;
    uint64_t lost = c->nevents, off = c->offset;
    uint32_t comp = c->comp_len;
    uint64_t foot = n ? tr_reader_chunk(r, n - 1)->offset + TRF_CHUNK_HDR + tr_reader_chunk(r, n - 1)->comp_len : 0;
    tr_reader_close(r);
    size_t l2 = drop_footer ? foot : len;
    uint8_t *d = malloc(len);
    memcpy(d, b, len);
    switch (how) {
    case 0: d[off + TRF_CHUNK_HDR + comp / 2] ^= 0x55; break;    /* payload byte: CRC or deflate */
    case 1: d[off + TRF_CHUNK_HDR] = 0x00; break;                  /* zlib header: bad deflate */
    case 2: d[off + 20] ^= 1; break;                               /* chunk header: its CRC */
    case 3: d[off + 72] ^= 1; break;                               /* the payload CRC field */
    case 4: trf_put32(d + off + 68, comp + 1000);                  /* lying compressed length */
            trf_put32(d + off + 76, (uint32_t)0); break;
    case 5: {   /* a raw length deflate cannot reach, under a valid header CRC */
            trf_put32(d + off + 64, comp * 1032u + 1);
            trf_put32(d + off + 76, (uint32_t)crc32(0, d + off, 76));
            struct trf_chunk_hdr h;
            const char *why = trf_chunk_hdr_decode(d + off, TRF_CHUNK_HDR, &h);
            if (!why || !strstr(why, "raw length"))
                fail_msg("a raw length of %u from %u compressed bytes: '%s'", comp * 1032u + 1, comp, why ? why : "accepted");
            break;
        }
    }
    struct mem_result m = read_mem(d, l2);
    assert_true(m.opened);
    assert_true(m.problems >= 1);
    assert_int_equal(m.events, total - lost);
    free(d);
}

static void test_corruption(void **state)
{
    (void)state;
    size_t len;
    uint8_t *b = make_trace("co.vmt", &len, 4096, 200000);
    for (int how = 0; how < 6; how++)
        for (size_t k = 0; k < 12; k += 3) {
            damage(b, len, how, k, false);
            damage(b, len, how, k, true);
        }
    free(b);
}

static void expect_open_error(const uint8_t *b, size_t len, const char *what)
{
    char err[300] = "";
    struct tr_reader *r = tr_reader_open_mem(b, len, "bad.vmt", 0, NULL, NULL, err, sizeof err);
    assert_null(r);
    if (!strstr(err, "bad.vmt") || !strstr(err, what))
        fail_msg("message '%s' lacks '%s'", err, what);
}

static void test_bad_headers(void **state)
{
    (void)state;
    size_t len;
    uint8_t *b = make_trace("bh.vmt", &len, 0, 10000);
    uint8_t *d = malloc(len);
    expect_open_error(b, 0, "empty");
    expect_open_error(b, 5, "header");
    memcpy(d, b, len);
    memcpy(d, "GIF89a..", 8);
    expect_open_error(d, len, "wrong magic");
    memcpy(d, b, len);
    trf_put16(d + 8, TRF_MAJOR + 1);
    expect_open_error(d, len, "newer");
    memcpy(d, b, len);
    trf_put32(d + 12, (uint32_t)len + 10);
    expect_open_error(d, len, "past the end");
    memcpy(d, b, len);
    trf_put32(d + 12, 3);
    expect_open_error(d, len, "out of range");
    memcpy(d, b, len);
    d[20] ^= 0xFF;
    expect_open_error(d, len, "CRC");
    /* a detail bit this reader does not know, under a valid CRC */
    memcpy(d, b, len);
    uint32_t hl = trf_get32(d + 12);
    for (uint32_t o = 16; o + 4 <= hl - 4; o += 4 + trf_get16(d + o + 2))
        if (trf_get16(d + o) == TRF_T_DETAIL)
            trf_put32(d + o + 4, trf_get32(d + o + 4) | 4u);
    trf_put32(d + hl - 4, (uint32_t)crc32(0, d, hl - 4));
    expect_open_error(d, len, "unknown detail bits");
    /* every prefix and every single-byte change of the header: no crash */
    uint32_t hs = trf_get32(b + 12);
    for (uint32_t i = 0; i < hs; i++) {
        memcpy(d, b, len);
        d[i] ^= 0xA5;
        struct mem_result m = read_mem(d, len);
        (void)m;
        m = read_mem(b, i);
        assert_false(m.opened);
    }
    free(d);
    free(b);
}

static void test_seek(void **state)
{
    (void)state;
    size_t len;
    uint8_t *b = make_trace("sk.vmt", &len, 4096, 300000);
    char err[200];
    struct tr_reader *r = tr_reader_open_mem(b, len, "sk", 0, NULL, NULL, err, sizeof err);
    assert_non_null(r);
    struct tr_totals t;
    assert_true(tr_reader_totals(r, &t));
    struct tr_cursor *c = tr_cursor_new(r, 0), *x = tr_cursor_new(r, TR_CURSOR_EXPAND);
    struct tr_event ev, ex;
    rng = 99;
    for (int i = 0; i < 200; i++) {
        uint64_t target = rnd() % t.events;
        tr_cursor_seek_event(c, target);
        assert_int_equal(tr_cursor_next(c, &ev), 1);
        assert_int_equal(ev.event, target);
        /* the same record as reading from the start would give */
        tr_cursor_seek_chunk(x, tr_reader_find_event(r, target));
        do
            assert_int_equal(tr_cursor_next(x, &ex), 1);
        while (ex.event < target);
        assert_int_equal(ex.kind, ev.kind);
        assert_int_equal(ex.cr3, ev.cr3);
        if (ev.kind == TRK_XLATE)
            assert_memory_equal(&ex.u.xlate, &ev.u.xlate, sizeof ev.u.xlate);
        uint64_t cyc = rnd() % t.last_cycle;
        tr_cursor_seek_cycle(c, cyc);
        if (tr_cursor_next(c, &ev))
            assert_true(ev.cycle >= cyc);
    }
    tr_cursor_free(c);
    tr_cursor_free(x);
    tr_reader_close(r);
    free(b);
}

/* Seeking into and past runs of repeats that a few bytes stand for: the
 * cursor passes a run at once (reader.c dec_skip_repeats) and must land
 * where reading one by one lands, with or without run expansion. */
static void test_seek_runs(void **state)
{
    (void)state;
    char path[300];
    path_of(path, sizeof path, "sr.vmt");
    struct trace_writer *tw = open_writer(path, NULL, 1 << 20);
    uint64_t cycle = 100;
    trace_emit_sync(tw, cycle, 0);
    /* runs at table positions 0, 1 and 2 (one page; two pages in turn;
     * three), each timed by the sync before it */
    for (unsigned pass = 0; pass < 6; pass++) {
        unsigned keys = pass % 3 + 1;
        for (unsigned k = 0; k < 200000; k++) {
            struct tr_xlate x = { .lin = 0x08048000u + (k % keys) * 0x1000u + pass * 0x10000u,
                                  .phys = 0x00300000u + (k % keys) * 0x1000u + pass * 0x10000u,
                                  .kind = TR_READ, .cpl = 3, .tlb = TR_DTLB };
            trace_emit_xlate(tw, cycle + k, &x);
        }
        cycle += 1000000;
        trace_emit_sync(tw, cycle, pass + 1);
    }
    trace_emit_fault(tw, cycle + 5, 0x1234000, 6, 0x08048010, 3);
    char err[200];
    assert_true(trace_writer_close(tw, err, sizeof err));
    size_t len;
    uint8_t *b = slurp(path, &len);
    struct tr_reader *r = tr_reader_open_mem(b, len, "sr", 0, NULL, NULL, err, sizeof err);
    assert_non_null(r);
    /* the reference: every event one by one */
    struct tr_totals t;
    assert_true(tr_reader_totals(r, &t));
    struct tr_event *all = malloc(t.events * sizeof *all);
    assert_non_null(all);
    struct tr_cursor *x = tr_cursor_new(r, TR_CURSOR_EXPAND);
    uint64_t n = 0;
    while (n < t.events && tr_cursor_next(x, &all[n]))
        n++;
    assert_int_equal(n, t.events);
    tr_cursor_free(x);
    rng = 17;
    for (unsigned flags = 0; flags <= TR_CURSOR_EXPAND; flags += TR_CURSOR_EXPAND) {
        struct tr_cursor *c = tr_cursor_new(r, flags);
        struct tr_event ev;
        for (int i = 0; i < 300; i++) {
            uint64_t target = rnd() % n;
            tr_cursor_seek_event(c, target);
            assert_int_equal(tr_cursor_next(c, &ev), 1);
            assert_int_equal(ev.event, target);
            assert_int_equal(ev.kind, all[target].kind);
            if (ev.kind == TRK_XLATE)
                assert_memory_equal(&ev.u.xlate, &all[target].u.xlate, sizeof ev.u.xlate);
            uint64_t cyc = rnd() % (cycle + 10);
            uint64_t first = 0;
            while (first < n && all[first].cycle < cyc)
                first++;
            tr_cursor_seek_cycle(c, cyc);
            if (first == n) {
                assert_int_equal(tr_cursor_next(c, &ev), 0);
                continue;
            }
            assert_int_equal(tr_cursor_next(c, &ev), 1);
            assert_int_equal(ev.event, first);
            assert_int_equal(ev.kind, all[first].kind);
            if (ev.kind == TRK_XLATE)
                assert_memory_equal(&ev.u.xlate, &all[first].u.xlate, sizeof ev.u.xlate);
        }
        tr_cursor_free(c);
    }
    free(all);
    tr_reader_close(r);
    free(b);
}

static void test_stream(void **state)
{
    (void)state;
    size_t len;
    uint8_t *b = make_trace("st.vmt", &len, 4096, 200000);
    char err[200];
    struct tr_reader *r = tr_reader_open_mem(b, len, "st", 0, NULL, NULL, err, sizeof err);
    struct tr_cursor *c = tr_cursor_new(r, 0);
    struct tr_stream *s = tr_stream_new("pipe", NULL, NULL, 0);
    struct tr_event a, e;
    size_t pos = 0;
    uint64_t n = 0;
    rng = 5;
    while (tr_cursor_next(c, &a)) {
        while (!tr_stream_next(s, &e)) {
            assert_true(pos < len);
            size_t k = 1 + rnd() % 5000;
            if (k > len - pos)
                k = len - pos;
            assert_true(tr_stream_feed(s, b + pos, k));
            pos += k;
        }
        assert_int_equal(a.event, e.event);
        assert_int_equal(a.kind, e.kind);
        assert_int_equal(a.count, e.count);
        n++;
    }
    if (pos < len)
        assert_true(tr_stream_feed(s, b + pos, len - pos));
    assert_int_equal(tr_stream_next(s, &e), 0);
    assert_true(tr_stream_done(s));
    assert_non_null(tr_stream_header(s));
    assert_true(n > 1000);
    tr_stream_free(s);
    tr_cursor_free(c);
    tr_reader_close(r);
    free(b);
}

/* The writer is killed (SIGKILL) while it runs: every complete chunk reads. */
static void test_kill(void **state)
{
    (void)state;
    char path[300];
    path_of(path, sizeof path, "kill.vmt");
    for (int round = 0; round < 3; round++) {
        unlink(path);       /* the last round's file must not satisfy this round's wait */
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            struct trace_writer *tw = open_writer(path, NULL, 8192);
            synth_run(tw, 0, 11, NULL, 1, NULL);
            _exit(0);
        }
        /* let it write some chunks (however busy the host), then kill it
         * at a point unrelated to chunk boundaries */
        struct stat sb;
        for (int w = 0; w < 6000; w++) {      /* up to a minute on a loaded host */
            if (stat(path, &sb) == 0 && sb.st_size > 60000 + round * 40000)
                break;
            usleep(10000);
        }
        usleep(1000 + round * 7000);
        kill(pid, SIGKILL);
        int st;
        waitpid(pid, &st, 0);
        assert_true(WIFSIGNALED(st));
        char err[300];
        problems = 0;
        struct tr_reader *r = tr_reader_open(path, 0, count_diag, NULL, err, sizeof err);
        if (!r)
            fail_msg("%s", err);
        assert_false(tr_reader_complete(r));
        assert_true(tr_reader_recovered(r));
        struct tr_totals t;
        size_t good = tr_reader_count(r, &t, NULL, NULL);
        assert_true(tr_reader_nchunks(r) > 0);
        assert_int_equal(good, tr_reader_nchunks(r));
        assert_true(t.kind[TRK_XLATE] > 0);
        assert_true(problems <= 1);     /* at most the chunk being written when killed */
        tr_reader_close(r);
    }
}

/* A reader following a file while a writer appends to it. */
static void test_follow(void **state)
{
    (void)state;
    char path[300];
    path_of(path, sizeof path, "follow.vmt");
    struct trace_writer *tw = open_writer(path, NULL, 4096);
    synth_run(tw, 50000, 3, NULL, 0, NULL);
    trace_writer_flush(tw);
    usleep(100000);
    char err[300];
    problems = 0;
    struct tr_reader *r = tr_reader_open(path, TR_OPEN_FOLLOW, count_diag, NULL, err, sizeof err);
    assert_non_null(r);
    size_t n1 = tr_reader_nchunks(r);
    struct tr_cursor *c = tr_cursor_new(r, 0);
    struct tr_event ev;
    uint64_t seen = 0;
    while (tr_cursor_next(c, &ev))
        seen = ev.event + ev.count;
    synth_run(tw, 50000, 4, NULL, 0, NULL);
    assert_true(trace_writer_close(tw, err, sizeof err));
    tr_reader_refresh(r);
    assert_true(tr_reader_nchunks(r) > n1);
    assert_true(tr_reader_complete(r));
    while (tr_cursor_next(c, &ev)) {
        assert_int_equal(ev.event, seen);
        seen = ev.event + ev.count;
    }
    struct tr_totals t;
    assert_true(tr_reader_totals(r, &t));
    assert_int_equal(seen, t.events);
    assert_int_equal(problems, 0);
    tr_cursor_free(c);
    tr_reader_close(r);
}

/* The description table of annotation kinds (trace/annot_desc.h): a row
 * per kind with ANNOT_SIZES's size, fields that describe every byte after
 * the header's kind and size exactly once, one name per kind and per field,
 * and the text dump prints. */
static void test_annot_desc(void **state)
{
    (void)state;
    static const uint16_t sizes[] = ANNOT_SIZES;
    assert_null(annot_desc(0));
    assert_null(annot_desc(ANNOT_KIND_COUNT));
    for (unsigned k = 1; k < ANNOT_KIND_COUNT; k++) {
        const struct annot_desc *d = annot_desc(k);
        assert_non_null(d);
        assert_string_equal(tr_annot_name(k), d->name);
        assert_int_equal(d->size, sizes[k]);
        assert_true(d->nfield >= 1 && d->nfield <= ANNOT_MAX_FIELDS);
        for (unsigned j = 1; j < k; j++)
            if (!strcmp(annot_desc(j)->name, d->name))
                fail_msg("kinds %u and %u are both named %s", j, k, d->name);
        unsigned covered = 0, next = 4;     /* the pid (or from) is the first field */
        for (unsigned i = 0; i < d->nfield; i++) {
            const struct annot_field *f = &d->field[i];
            unsigned width = f->fmt == ANNOT_FMT_NAME ? ANNOT_NAME_LEN : 4;
            if (f->off != next)
                fail_msg("%s: field %s at byte %u, expected %u", d->name, f->name, f->off, next);
            next = f->off + width;
            covered += width;
            assert_true(f->fmt != ANNOT_FMT_ENUM || (f->values && f->values->count));
            for (unsigned v = 0; f->fmt == ANNOT_FMT_ENUM && v < f->values->count; v++)
                assert_non_null(f->values->name[v]);
            for (unsigned j = 0; j < i; j++)
                assert_string_not_equal(d->field[j].name, f->name);
        }
        if (covered + 4 != d->size)
            fail_msg("%s: fields cover %u of the %u bytes after kind and size", d->name, covered, d->size - 4u);
        /* a record of the wrong size is not read by the table */
        uint8_t rec[ANNOT_MAX_SIZE] = { 0 };
        trf_put16(rec, (uint16_t)k);
        assert_ptr_equal(annot_desc_of(rec, d->size), d);
        assert_null(annot_desc_of(rec, d->size + 4u));
        assert_null(annot_desc_of(rec, d->size - 4u));
    }
    assert_int_equal(annot_frame_uses.count, ANNOT_USE_COUNT);
    assert_string_equal(annot_enum_name(&annot_frame_uses, ANNOT_USE_SWAPCACHE), "swapcache");
    assert_null(annot_enum_name(&annot_policies, ANNOT_POLICY_COUNT));

    struct annot_evict ev = { { ANNOT_EVICT, sizeof ev, 7 }, 0x804d, 0x17c, 12, ANNOT_POLICY_2Q };
    char buf[128];
    const char *want = "evict pid=7 vpage=0804d frame=0017c slot=12 policy=2q";
    assert_int_equal(annot_format(buf, sizeof buf, (const uint8_t *)&ev, sizeof ev), (int)strlen(want));
    assert_string_equal(buf, want);
    assert_int_equal(annot_format(buf, 10, (const uint8_t *)&ev, sizeof ev), (int)strlen(want));
    assert_string_equal(buf, "evict pid");          /* cut short, still a string */
    ev.policy = 9;
    annot_format(buf, sizeof buf, (const uint8_t *)&ev, sizeof ev);
    assert_string_equal(buf, "evict pid=7 vpage=0804d frame=0017c slot=12 policy=9");
    annot_format(buf, sizeof buf, (const uint8_t *)&ev, 20);
    assert_string_equal(buf, "evict pid=7 size=20 bytes=4d8000007c0100000c000000");
    struct annot_comm cm = { { ANNOT_COMM, sizeof cm, 3 }, "a b\"c,\x01" };
    annot_format(buf, sizeof buf, (const uint8_t *)&cm, sizeof cm);
    assert_string_equal(buf, "comm pid=3 name=a?b?c??");
}

static void test_sha256(void **state)
{
    (void)state;
    uint8_t d[32];
    trace_sha256("abc", 3, d);
    static const uint8_t want[32] = { 0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40, 0xde, 0x5d,
                                      0xae, 0x22, 0x23, 0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17, 0x7a, 0x9c, 0xb4, 0x10,
                                      0xff, 0x61, 0xf2, 0x00, 0x15, 0xad };
    assert_memory_equal(d, want, 32);
}

int main(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/vmscope-trace-test-%d", (int)getpid());
    char cmd[300];
    snprintf(cmd, sizeof cmd, "mkdir -p %s", tmpdir);
    if (system(cmd))
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_filter_parse),
        cmocka_unit_test(test_sha256),
        cmocka_unit_test(test_annot_desc),
        cmocka_unit_test(test_roundtrip_default),
        cmocka_unit_test(test_roundtrip_small_chunks),
        cmocka_unit_test(test_roundtrip_detail),
        cmocka_unit_test(test_roundtrip_filter),
        cmocka_unit_test(test_roundtrip_nowalk),
        cmocka_unit_test(test_loops),
        cmocka_unit_test(test_determinism),
        cmocka_unit_test(test_truncation),
        cmocka_unit_test(test_corruption),
        cmocka_unit_test(test_bad_headers),
        cmocka_unit_test(test_seek),
        cmocka_unit_test(test_seek_runs),
        cmocka_unit_test(test_stream),
        cmocka_unit_test(test_follow),
        cmocka_unit_test(test_kill),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
    if (system(cmd))
        rc = rc ? rc : 1;
    return rc;
}
