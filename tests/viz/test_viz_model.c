/* vmviz's frame-state model on small hand-made traces whose answer is
 * known. Each trace is written through the real writer (trace/writer.h)
 * into a temporary file and read back through the reader, as vmviz reads
 * a trace: frames by use and free/unknown, the count at a mark, changes of
 * use, the dirty overlay, owners, heat, VMA bands with resident and
 * swapped pages, the TLB contents, the mechanism arrows, hostile records,
 * and seeking through keyframes (which must give the same state as a
 * replay from the start). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tools/vmviz_index.h"
#include "tools/vmviz_layout.h"
#include "tools/vmviz_model.h"
#include "tools/vmviz_play.h"
#include "tests/viz/recs.h"
#include "trace/annot.h"
#include "trace/format.h"
#include "trace/writer.h"

static char tmpdir[256];

/* ---- writing a hand-made trace ---- */

struct gen {
    struct trace_writer *tw;
    uint64_t cycle;
    char path[512];
};

static void gen_open(struct gen *g, const char *name, uint32_t frames, uint64_t chunk_cycles)
{
    snprintf(g->path, sizeof g->path, "%s/%s", tmpdir, name);
    struct trace_config cfg = { .vmscope_version = "test", .ram_bytes = (uint64_t)frames << 12, .cpu_mhz = 100,
                                .kernel = "test", .cmdline = "test", .chunk_cycles = chunk_cycles };
    char err[256];
    g->tw = trace_writer_open(g->path, &cfg, err, sizeof err);
    assert_non_null(g->tw);
    g->cycle = 1000;
}

static void gen_close(struct gen *g)
{
    char err[256];
    assert_true(trace_writer_close(g->tw, err, sizeof err));
}

/* An annotation: KIND with PID and up to 4 u32 fields, at the next cycle. */
static void annot(struct gen *g, unsigned kind, uint32_t pid, uint32_t a, uint32_t b, uint32_t c, uint32_t d)
{
    uint8_t r[ANNOT_MAX_SIZE];
    uint16_t size = viz_rec_init(r, kind, pid);
    uint32_t f[4] = { a, b, c, d };
    for (unsigned i = 0; i < 4 && 8 + 4 * i + 4 <= size; i++)
        trf_put32(r + 8 + 4 * i, f[i]);
    g->cycle += 10;
    trace_emit_annot(g->tw, g->cycle, r, size);
}

static void named(struct gen *g, unsigned kind, uint32_t pid, uint32_t ppid, const char *name)
{
    uint8_t r[ANNOT_MAX_SIZE];
    uint16_t size = viz_rec_init(r, kind, pid);
    size_t off = 8;
    if (kind == ANNOT_PROC_CREATE) {
        trf_put32(r + 8, ppid);
        off = 12;
    }
    strncpy((char *)r + off, name, ANNOT_NAME_LEN);
    g->cycle += 10;
    trace_emit_annot(g->tw, g->cycle, r, size);
}

static void xlate(struct gen *g, uint32_t lin, uint32_t phys, unsigned kind, unsigned outcome)
{
    struct tr_xlate x = { .lin = lin & ~0xFFFu, .phys = phys & ~0xFFFu, .kind = (uint8_t)kind,
                          .outcome = (uint8_t)outcome, .tlb = (kind & 3) == TR_FETCH ? TR_ITLB : TR_DTLB,
                          .cpl = 3, .cycles = 1 };
    g->cycle += 5;
    trace_emit_xlate(g->tw, g->cycle, &x);
}

static void walk(struct gen *g, uint32_t lin, uint32_t pte, uint8_t ad)
{
    struct tr_walk w = { .lin = lin & ~0xFFFu, .pde_addr = 0x1000, .pde = 0x2007, .pte_addr = 0x2000 + 4 * ((lin >> 12) & 0x3FF),
                         .pte = pte, .ad_set = ad };
    g->cycle += 5;
    trace_emit_walk(g->tw, g->cycle, &w);
}

/* ---- reading it back ---- */

struct rd {
    struct tr_reader *r;
    struct vv_play *p;
};

static void rd_open(struct rd *d, const char *path)
{
    char err[256];
    d->r = tr_reader_open(path, 0, NULL, NULL, err, sizeof err);
    assert_non_null(d->r);
    d->p = vv_play_new(d->r);
    assert_non_null(d->p);
}

static void rd_close(struct rd *d)
{
    vv_play_free(d->p);
    tr_reader_close(d->r);
}

/* The model after every record of PATH. */
static void replay_all(struct rd *d, const char *path)
{
    rd_open(d, path);
    vv_play_advance(d->p, UINT64_MAX, UINT64_MAX, UINT64_MAX);
}

/* ---- tests ---- */

/* Boot: frames kept (frame-alloc kernel) and handed over (frame-free);
 * frames never named stay unknown; allocation, change of use, the mark. */
static void test_frames_by_use(void **state)
{
    struct gen g;
    gen_open(&g, "uses.vmt", 20, 0);
    annot(&g, ANNOT_FRAME_ALLOC, 0, 0, 2, ANNOT_USE_KERNEL, 0);    /* 0-3 kernel */
    annot(&g, ANNOT_FRAME_FREE, 0, 4, 2, 0, 0);                     /* 4-7 free */
    annot(&g, ANNOT_FRAME_FREE, 0, 8, 3, 0, 0);                     /* 8-15 free; 16-19 never named */
    annot(&g, ANNOT_FRAME_ALLOC, 5, 8, 0, ANNOT_USE_ANON, 0);
    annot(&g, ANNOT_FRAME_ALLOC, 5, 9, 0, ANNOT_USE_PGTABLE, 0);
    annot(&g, ANNOT_FRAME_ALLOC, 5, 10, 1, ANNOT_USE_SLAB, 0);     /* 10-11 */
    annot(&g, ANNOT_FRAME_ALLOC, 5, 8, 0, ANNOT_USE_SWAPCACHE, 0); /* change of use, not a new frame */
    annot(&g, ANNOT_MARK, 1, 1, 0, 0, 0);
    annot(&g, ANNOT_FRAME_FREE, 5, 10, 1, 0, 0);
    annot(&g, ANNOT_MARK, 1, 2, 0, 0, 0);                          /* label 2: not a quiet point */
    gen_close(&g);

    struct rd d;
    replay_all(&d, g.path);
    const struct vv_model *m = d.p->m;
    assert_int_equal(m->nframes, 20);
    assert_int_equal(m->count[ANNOT_USE_KERNEL], 4);
    assert_int_equal(m->count[ANNOT_USE_PGTABLE], 1);
    assert_int_equal(m->count[ANNOT_USE_SLAB], 0);
    assert_int_equal(m->count[ANNOT_USE_SWAPCACHE], 1);
    assert_int_equal(m->count[ANNOT_USE_ANON], 0);
    assert_int_equal(m->count[VV_FREE], 10);
    assert_int_equal(m->count[VV_UNKNOWN], 4);
    assert_int_equal(m->frame[19].state, VV_UNKNOWN);
    assert_int_equal(m->frame[8].state, ANNOT_USE_SWAPCACHE);
    /* at the mark (label 1): slab still held its two frames */
    assert_int_equal(m->nmarks, 1);
    assert_int_equal(m->mark_count[ANNOT_USE_SLAB], 2);
    assert_int_equal(m->mark_count[VV_FREE], 8);
    /* arrow 2 counts allocations of free frames (four), not boot's
     * reservation of unknown ones or the change of use */
    assert_int_equal(m->arrow[1], 4);
    assert_int_equal(m->arrow[5], 1);                              /* entering the swap cache */
    uint64_t total = 0;
    for (unsigned s = 0; s < VV_NSTATES; s++)
        total += m->count[s];
    assert_int_equal(total, 20);
    assert_int_equal(m->ignored, 0);
    rd_close(&d);
}

/* Dirty: a walk that sets a PTE's D bit marks the PTE's frame; writeback,
 * evict and free clear it. A walk setting only A marks nothing. */
static void test_dirty(void **state)
{
    struct gen g;
    gen_open(&g, "dirty.vmt", 16, 0);
    annot(&g, ANNOT_FRAME_FREE, 0, 0, 4, 0, 0);
    annot(&g, ANNOT_FRAME_ALLOC, 3, 9, 0, ANNOT_USE_PCACHE, 0);
    annot(&g, ANNOT_FRAME_ALLOC, 3, 10, 0, ANNOT_USE_ANON, 0);
    annot(&g, ANNOT_FRAME_ALLOC, 3, 11, 0, ANNOT_USE_ANON, 0);
    walk(&g, 0x08048000, 0x9067, 0x8 | 0x4);
    walk(&g, 0x08049000, 0xA067, 0x8);
    walk(&g, 0x0804a000, 0xB027, 0x4);                             /* A only */
    gen_close(&g);
    struct rd d;
    replay_all(&d, g.path);
    assert_true(d.p->m->frame[9].flags & VVF_DIRTY);
    assert_true(d.p->m->frame[10].flags & VVF_DIRTY);
    assert_false(d.p->m->frame[11].flags & VVF_DIRTY);
    assert_int_equal(d.p->m->dirty, 2);
    assert_int_equal(d.p->m->arrow[7], 3);                         /* walks */
    rd_close(&d);

    gen_open(&g, "dirty2.vmt", 16, 0);
    annot(&g, ANNOT_FRAME_FREE, 0, 0, 4, 0, 0);
    annot(&g, ANNOT_FRAME_ALLOC, 3, 9, 0, ANNOT_USE_PCACHE, 0);
    annot(&g, ANNOT_FRAME_ALLOC, 3, 10, 0, ANNOT_USE_ANON, 0);
    annot(&g, ANNOT_FRAME_ALLOC, 3, 11, 0, ANNOT_USE_ANON, 0);
    walk(&g, 0x08048000, 0x9067, 0x8);
    walk(&g, 0x08049000, 0xA067, 0x8);
    walk(&g, 0x0804a000, 0xB067, 0x8);
    annot(&g, ANNOT_WRITEBACK, 0, 1, 0, 9, 0);                     /* inode 1 page 0 frame 9 */
    annot(&g, ANNOT_EVICT, 3, 0x08049, 10, 5, 0);
    annot(&g, ANNOT_FRAME_FREE, 3, 11, 0, 0, 0);
    gen_close(&g);
    replay_all(&d, g.path);
    for (unsigned f = 9; f <= 11; f++)
        assert_false(d.p->m->frame[f].flags & VVF_DIRTY);
    assert_int_equal(d.p->m->dirty, 0);
    assert_int_equal(d.p->m->frame[11].state, VV_FREE);
    assert_int_equal(d.p->m->frame[10].heat, VV_HEAT_OUT);
    rd_close(&d);
}

/* A process: VMAs from vma-map and vma-unmap (split in the middle), pages
 * resident and swapped, frame owners, exit. */
static void test_process(void **state)
{
    struct gen g;
    gen_open(&g, "proc.vmt", 32, 0);
    annot(&g, ANNOT_FRAME_FREE, 0, 0, 5, 0, 0);
    named(&g, ANNOT_PROC_CREATE, 7, 1, "sh");
    named(&g, ANNOT_EXEC, 7, 0, "prog");
    annot(&g, ANNOT_VMA_MAP, 7, 0x08048, 4, ANNOT_VMA_TEXT, 0);
    annot(&g, ANNOT_VMA_MAP, 7, 0x08100, 16, ANNOT_VMA_HEAP, 0);
    annot(&g, ANNOT_VMA_MAP, 7, 0xbfff0, 16, ANNOT_VMA_STACK, 0);
    annot(&g, ANNOT_FRAME_ALLOC, 7, 20, 0, ANNOT_USE_ANON, 0);
    annot(&g, ANNOT_ZERO_FILL, 7, 0x08100, 20, 0, 0);
    annot(&g, ANNOT_FRAME_ALLOC, 7, 21, 0, ANNOT_USE_ANON, 0);
    annot(&g, ANNOT_ZERO_FILL, 7, 0x08101, 21, 0, 0);
    annot(&g, ANNOT_FRAME_ALLOC, 7, 22, 0, ANNOT_USE_ANON, 0);
    annot(&g, ANNOT_ZERO_FILL, 7, 0x08105, 22, 0, 0);
    annot(&g, ANNOT_EVICT, 7, 0x08101, 21, 3, 0);
    annot(&g, ANNOT_FRAME_FREE, 7, 21, 0, 0, 0);
    annot(&g, ANNOT_VMA_UNMAP, 7, 0x08104, 4, 0, 0);                /* a hole in the heap */
    gen_close(&g);

    struct rd d;
    replay_all(&d, g.path);
    const struct vv_model *m = d.p->m;
    const struct vv_proc *p = vv_model_proc(m, 7);
    assert_non_null(p);
    assert_string_equal(p->name, "prog");
    assert_int_equal(p->ppid, 1);
    assert_int_equal(p->nvma, 4);
    assert_int_equal(p->vma[0].start, 0x08048);
    assert_int_equal(p->vma[1].start, 0x08100);
    assert_int_equal(p->vma[1].pages, 4);
    assert_int_equal(p->vma[2].start, 0x08108);
    assert_int_equal(p->vma[2].pages, 8);
    assert_int_equal(p->vma[2].type, ANNOT_VMA_HEAP);
    assert_int_equal(p->vma[3].type, ANNOT_VMA_STACK);
    uint32_t fr = 0;
    assert_int_equal(vv_proc_page(p, 0x08100, &fr), VV_PAGE_RESIDENT);
    assert_int_equal(fr, 20);
    assert_int_equal(vv_proc_page(p, 0x08101, NULL), VV_PAGE_SWAPPED);
    assert_int_equal(vv_proc_page(p, 0x08105, NULL), VV_PAGE_NONE);  /* unmapped */
    assert_int_equal(vv_proc_page(p, 0x08102, NULL), VV_PAGE_NONE);  /* never touched */
    assert_int_equal(p->resident, 1);
    assert_int_equal(p->swapped, 1);
    assert_int_equal(m->frame[20].pid, 7);
    assert_int_equal(m->frame[20].vpage, 0x08100);
    assert_int_equal(m->frame[20].heat, VV_HEAT_IN);
    assert_int_equal(m->frame[20].ev[0].kind, ANNOT_ZERO_FILL);
    assert_int_equal(m->frame[21].pid, VV_NOPID);                   /* freed */
    assert_int_equal(m->arrow[3], 1);                              /* swap out */
    rd_close(&d);

    /* swap it back in, then exit */
    gen_open(&g, "proc2.vmt", 32, 0);
    annot(&g, ANNOT_FRAME_FREE, 0, 0, 5, 0, 0);
    named(&g, ANNOT_PROC_CREATE, 7, 1, "prog");
    annot(&g, ANNOT_VMA_MAP, 7, 0x08100, 16, ANNOT_VMA_HEAP, 0);
    annot(&g, ANNOT_FRAME_ALLOC, 7, 20, 0, ANNOT_USE_ANON, 0);
    annot(&g, ANNOT_ZERO_FILL, 7, 0x08100, 20, 0, 0);
    annot(&g, ANNOT_EVICT, 7, 0x08100, 20, 3, 0);
    annot(&g, ANNOT_FRAME_FREE, 7, 20, 0, 0, 0);
    annot(&g, ANNOT_FRAME_ALLOC, 7, 23, 0, ANNOT_USE_SWAPCACHE, 0);
    annot(&g, ANNOT_SWAP_IN, 7, 0x08100, 23, 3, 0);
    annot(&g, ANNOT_SWAP_IN, 7, ANNOT_NO_VPAGE, 24, 4, 0);         /* read-around: no page, no owner */
    annot(&g, ANNOT_MAJOR_FAULT, 7, 0x08100, 0, 0, 0);
    gen_close(&g);
    replay_all(&d, g.path);
    p = vv_model_proc(d.p->m, 7);
    assert_int_equal(vv_proc_page(p, 0x08100, &fr), VV_PAGE_RESIDENT);
    assert_int_equal(fr, 23);
    assert_int_equal(d.p->m->frame[23].pid, 7);
    assert_int_equal(d.p->m->frame[24].pid, VV_NOPID);
    assert_int_equal(d.p->m->arrow[4], 2);                         /* swap in: both */
    assert_int_equal(d.p->m->arrow[6], 1);                         /* PTE updated: the faulting one */
    rd_close(&d);

    gen_open(&g, "proc3.vmt", 32, 0);
    named(&g, ANNOT_PROC_CREATE, 7, 1, "prog");
    annot(&g, ANNOT_VMA_MAP, 7, 0x08100, 16, ANNOT_VMA_HEAP, 0);
    annot(&g, ANNOT_EXIT, 7, 0, 0, 0, 0);
    gen_close(&g);
    replay_all(&d, g.path);
    p = vv_model_proc(d.p->m, 7);
    assert_false(p->alive);
    assert_int_equal(p->nvma, 0);
    assert_true(p->died > p->born);
    rd_close(&d);
}

/* Translations: heat on their frame; a user page's miss marks it resident
 * and owns an ownerless frame; the TLB model holds the entry with its pid
 * until a CR3 flush drops it. A fault record counts arrow 1. */
static void test_xlate_tlb(void **state)
{
    struct gen g;
    gen_open(&g, "tlb.vmt", 64, 0);
    annot(&g, ANNOT_FRAME_FREE, 0, 0, 6, 0, 0);
    named(&g, ANNOT_PROC_CREATE, 9, 1, "t");
    annot(&g, ANNOT_CTX_SWITCH, 1, 9, 0, 0, 0);
    xlate(&g, 0x08048000, 0x2A000, TR_WRITE, TR_MISS);
    uint64_t when = g.cycle;
    xlate(&g, 0x08049000, 0x2B000, TR_READ, TR_MISS);
    g.cycle += 5;
    trace_emit_fault(g.tw, g.cycle, 0x0804c000, 6, 0x08048010, 3);
    gen_close(&g);
    struct rd d;
    replay_all(&d, g.path);
    const struct vv_model *m = d.p->m;
    assert_int_equal(m->frame[0x2A].heat, VV_HEAT_WRITE);
    assert_true(m->frame[0x2A].touch && m->frame[0x2A].touch <= when);   /* translations are timed by the record before */
    assert_int_equal(m->frame[0x2B].heat, VV_HEAT_READ);
    assert_int_equal(m->frame[0x2A].pid, 9);
    assert_int_equal(vv_proc_page(vv_model_proc(m, 9), 0x08048, NULL), VV_PAGE_RESIDENT);
    assert_non_null(m->tlb);
    const struct tlb_cache *c = m->tlb->c[TLB_DTLB];
    assert_int_equal(c->valid, 2);
    unsigned found = 0;
    for (uint32_t i = 0; i < c->sets * c->ways; i++)
        if (c->tag[i] && (c->tag[i] & c->page_mask) == 0x08048000u) {
            assert_int_equal(m->slot[TLB_DTLB][i].pid, 9);
            assert_int_equal(c->e[i].phys, 0x2A000);
            found++;
        }
    assert_int_equal(found, 1);
    assert_int_equal(m->arrow[0], 1);
    rd_close(&d);

    gen_open(&g, "tlb2.vmt", 64, 0);
    xlate(&g, 0x08048000, 0x2A000, TR_WRITE, TR_MISS);
    g.cycle += 5;
    trace_emit_flush(g.tw, g.cycle, TR_FLUSH_CR3, 0, 1);
    gen_close(&g);
    replay_all(&d, g.path);
    assert_int_equal(d.p->m->tlb->c[TLB_DTLB]->valid, 0);
    assert_int_equal(d.p->m->flush_kind, TR_FLUSH_CR3);
    rd_close(&d);
}

/* Hostile records change nothing but the `ignored` count. */
static void test_hostile(void **state)
{
    struct vv_model *m = vv_model_new(&(struct tr_header){ .ram_bytes = 8 << 12, .cpu_mhz = 100 });
    assert_non_null(m);
    uint8_t r[ANNOT_MAX_SIZE] = { 0 };
    /* frame-alloc far out of RAM, order 31, a use out of range */
    trf_put16(r, ANNOT_FRAME_ALLOC);
    trf_put16(r + 2, 20);
    trf_put32(r + 8, 0xFFFFFFF0u);
    trf_put32(r + 12, 31);
    vv_model_annot(m, 1, r, 20);
    trf_put32(r + 8, 2);
    trf_put32(r + 12, 30);
    vv_model_annot(m, 2, r, 20);
    trf_put32(r + 12, 0);
    trf_put32(r + 16, 99);
    vv_model_annot(m, 3, r, 20);
    /* wrong size, unknown kind, too short */
    vv_model_annot(m, 4, r, 12);
    trf_put16(r, 200);
    vv_model_annot(m, 5, r, 20);
    vv_model_annot(m, 6, r, 3);
    /* vma-map past 4 GiB and of 0 pages */
    trf_put16(r, ANNOT_VMA_MAP);
    trf_put32(r + 8, 0xFFFFF);
    trf_put32(r + 12, 0xFFFFFFFFu);
    vv_model_annot(m, 7, r, 20);
    trf_put32(r + 12, 0);
    vv_model_annot(m, 8, r, 20);
    assert_int_equal(m->count[VV_UNKNOWN], 8);
    assert_true(m->ignored >= 7);
    vv_model_free(m);
}

/* Seeking through keyframes gives exactly the state of a replay from the
 * start, forwards and backwards, with a keyframe budget small enough to
 * make the stride grow. */
static void test_seek(void **state)
{
    struct gen g;
    gen_open(&g, "seek.vmt", 256, 2000);                           /* a chunk every 2000 cycles */
    annot(&g, ANNOT_FRAME_ALLOC, 0, 0, 4, ANNOT_USE_KERNEL, 0);
    annot(&g, ANNOT_FRAME_FREE, 0, 16, 4, 0, 0);
    annot(&g, ANNOT_FRAME_FREE, 0, 32, 5, 0, 0);
    annot(&g, ANNOT_FRAME_FREE, 0, 64, 6, 0, 0);
    annot(&g, ANNOT_FRAME_FREE, 0, 128, 7, 0, 0);
    named(&g, ANNOT_PROC_CREATE, 3, 1, "w");
    annot(&g, ANNOT_VMA_MAP, 3, 0x10000, 4096, ANNOT_VMA_ANON, 0);
    uint32_t x = 12345;
    for (int i = 0; i < 4000; i++) {
        x ^= x << 13, x ^= x >> 17, x ^= x << 5;
        uint32_t fr = 16 + x % 240, vp = 0x10000 + (x >> 8) % 4096;
        switch (x % 5) {
        case 0: annot(&g, ANNOT_FRAME_ALLOC, 3, fr, 0, ANNOT_USE_ANON, 0); annot(&g, ANNOT_ZERO_FILL, 3, vp, fr, 0, 0); break;
        case 1: annot(&g, ANNOT_FRAME_FREE, 3, fr, 0, 0, 0); break;
        case 2: xlate(&g, vp << 12, fr << 12, TR_WRITE, TR_MISS); walk(&g, vp << 12, (fr << 12) | 0x67, 0xC); break;
        case 3: annot(&g, ANNOT_EVICT, 3, vp, fr, 7, 0); break;
        default: xlate(&g, vp << 12, fr << 12, TR_READ, TR_HIT); break;
        }
        trace_emit_sync(g.tw, g.cycle, (uint64_t)i * 3);           /* chunks close at syncs, as in vmscope */
    }
    gen_close(&g);

    char err[256];
    struct tr_reader *r = tr_reader_open(g.path, 0, NULL, NULL, err, sizeof err);
    struct tr_reader *r2 = tr_reader_open(g.path, 0, NULL, NULL, err, sizeof err);
    assert_non_null(r);
    assert_non_null(r2);
    assert_true(tr_reader_nchunks(r) > 20);
    struct vv_index *ix = vv_index_new(r2, 600000, false);           /* a few keyframes' worth */
    assert_non_null(ix);
    vv_index_run(ix);
    assert_true(ix->done);
    assert_true(ix->nkf > 2);
    assert_true(ix->stride > 1);
    struct vv_play *p = vv_play_new(r);
    uint64_t targets[] = { 50000, 20000, 90000, 1, 60000, UINT64_MAX - 1, 30000 };
    for (size_t t = 0; t < sizeof targets / sizeof targets[0]; t++) {
        vv_index_seek(ix, p, UINT64_MAX, targets[t]);
        struct rd d;
        rd_open(&d, g.path);
        vv_play_advance(d.p, UINT64_MAX, targets[t], UINT64_MAX);
        assert_int_equal(p->m->event, d.p->m->event);
        assert_int_equal(p->m->cycle, d.p->m->cycle);
        assert_memory_equal(p->m->count, d.p->m->count, sizeof p->m->count);
        assert_memory_equal(p->m->arrow, d.p->m->arrow, sizeof p->m->arrow);
        assert_memory_equal(p->m->frame, d.p->m->frame, p->m->nframes * sizeof *p->m->frame);
        const struct vv_proc *a = vv_model_proc(p->m, 3), *b = vv_model_proc(d.p->m, 3);
        assert_true(!a == !b);
        if (a) {
            assert_int_equal(a->resident, b->resident);
            assert_int_equal(a->swapped, b->swapped);
        }
        assert_int_equal(p->m->tlb->c[TLB_DTLB]->valid, d.p->m->tlb->c[TLB_DTLB]->valid);
        rd_close(&d);
    }
    /* the timeline counted every zero-fill */
    uint64_t zeros = 0;
    for (unsigned b = 0; b < VV_TL_BINS; b++)
        zeros += ix->tl[b][VV_ROW_ZERO];
    assert_int_equal(zeros, ix->model->annot[ANNOT_ZERO_FILL]);
    assert_true(zeros > 500);
    vv_play_free(p);
    vv_index_free(ix);
    tr_reader_close(r);
}

/* Layout: every frame has its own cell, and the cell maps back to it. */
static void test_layout(void **state)
{
    uint32_t counts[] = { 1, 100, 4096, 4097, 1536 };
    for (size_t k = 0; k < sizeof counts / sizeof counts[0]; k++)
        for (int kind = 0; kind < 2; kind++) {
            struct vv_map m;
            vv_map_fit(&m, (enum vv_layout_kind)kind, counts[k], (struct vv_rect){ 10, 20, 700, 500 }, 1, 0, 0);
            assert_true(m.cell >= 1);
            assert_true(m.rect.w <= 700 && m.rect.h <= 500);
            for (uint32_t f = 0; f < counts[k]; f++) {
                uint32_t gx, gy;
                vv_map_pos(&m, f, &gx, &gy);
                int px = m.rect.x + (int)gx * m.cell + m.cell / 2, py = m.rect.y + (int)gy * m.cell + m.cell / 2;
                assert_int_equal(vv_map_frame_at(&m, px, py), f);
            }
        }
    /* tiny and huge areas never give a cell below 1 or a rectangle outside */
    struct vv_panels p;
    int sizes[][2] = { { 1, 1 }, { 0, 0 }, { 20, 5 }, { 16384, 16384 }, { 5000, 3 } };
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        vv_panels_compute(&p, sizes[k][0], sizes[k][1], 15);
        struct vv_rect *all[] = { &p.status, &p.map, &p.aspace, &p.tlb, &p.mech, &p.timeline, &p.legend };
        for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
            assert_true(all[i]->w >= 0 && all[i]->h >= 0);
            assert_true(all[i]->x >= 0 && all[i]->y >= 0);
        }
        struct vv_map m;
        vv_map_fit(&m, VV_LAYOUT_HILBERT, 1u << 20, p.map, 1, 0, 0);
        assert_true(m.cell >= 1);
    }
}

static int setup(void **state)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/vmviz-test-XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_frames_by_use), cmocka_unit_test(test_dirty),  cmocka_unit_test(test_process),
        cmocka_unit_test(test_xlate_tlb),     cmocka_unit_test(test_hostile), cmocka_unit_test(test_seek),
        cmocka_unit_test(test_layout),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
