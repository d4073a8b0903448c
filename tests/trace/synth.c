/* Synthetic program-like trace streams (see synth.h). */
#include "tests/trace/synth.h"
#include "trace/annot.h"
#include "mmu/tlb.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NPROC 3
#define MAXPAGES (1u << 20)

struct proc {
    uint32_t pid, cr3;
    uint32_t eip, loop_start, loop_end;     /* current loop over code */
    uint32_t esp;
    uint32_t scan;                          /* sequential scan pointer */
    uint8_t *mapped;                        /* [1M pages]: frame+1 low bits used as flag */
    uint32_t *frame;                        /* lin page -> frame */
};

struct synth {
    uint64_t rng;
    uint64_t cycle, insns;
    uint32_t next_frame;
    struct tlb_model *t;
    struct trace_writer *tw;
    struct synth_counts n;
    struct proc p[NPROC];
    int cur;
};

static uint32_t rnd(struct synth *s)
{
    s->rng ^= s->rng << 13;
    s->rng ^= s->rng >> 7;
    s->rng ^= s->rng << 17;
    return (uint32_t)(s->rng >> 11);
}

/* One translation of LIN for KIND in the current process. */
static void xlate(struct synth *s, uint32_t lin, unsigned kind)
{
    struct proc *p = &s->p[s->cur];
    unsigned side = kind == TR_FETCH ? TLB_SIDE_FETCH : TLB_SIDE_DATA;
    uint32_t page = lin >> 12;
    struct tlb_ref r;
    struct tr_xlate x = { .lin = lin, .kind = (uint8_t)kind, .cpl = lin >= 0xC0000000u ? 0 : 3 };
    enum tlb_result res = tlb_lookup(s->t, side, lin, &r);
    s->n.xlate++;
    if (res != TLB_MISS) {
        x.tlb = res == TLB_HIT_L1 ? r.c->id : TLB_STLB;
        x.cycles = res == TLB_HIT_L1 ? 0 : 6;
        x.outcome = TR_HIT;
        x.phys = tlb_ref_entry(&r)->phys | (lin & 0xFFF);
        x.global = !!(tlb_ref_entry(&r)->flags & TLBE_G);
        s->n.hits++;
        trace_emit_xlate(s->tw, s->cycle, &x);
        s->cycle += 1;
        return;
    }
    s->n.misses++;
    int kernel = lin >= 0xC0000000u;
    uint32_t pde_addr = p->cr3 + (lin >> 22) * 4;
    if (!kernel && !p->mapped[page]) {
        /* demand-zero fault: walk fails, #PF, the kernel maps a frame, retry */
        struct tr_walk w = { lin, pde_addr, 0x00001007u | (p->cr3 + 0x1000), 0, 0, 1 };
        trace_emit_walk(s->tw, s->cycle, &w);
        s->n.walks++;
        tlb_count_miss(s->t, side, lin, false);
        struct tlb_cache *c = tlb_l1_for(s->t, side, false);
        x.tlb = c ? c->id : TR_NOTLB;
        x.outcome = TR_MISS_FAULT;
        x.cycles = 43;
        trace_emit_xlate(s->tw, s->cycle, &x);
        trace_emit_fault(s->tw, s->cycle, lin, 4 | (kind == TR_WRITE ? 2 : 0), p->eip, 3);
        tlb_invalidate_page(s->t, lin, TLB_CAUSE_FAULT);
        s->n.faults++;
        s->cycle += 400;
        p->mapped[page] = 1;
        p->frame[page] = s->next_frame++ & 0xFFFFF;
        struct annot_zero_fill z = { { ANNOT_ZERO_FILL, sizeof z, p->pid }, page, p->frame[page] };
        trace_emit_annot(s->tw, s->cycle, &z, sizeof z);
        s->n.annot++;
        s->n.misses++;
        s->n.xlate++;
        if (p->frame[page] % 97 == 0) {   /* now and then the kernel swaps something in */
            trace_emit_disk(s->tw, s->cycle, p->frame[page] * 8ull, 8, TR_DISK_READ);
            s->n.disk++;
        }
    }
    uint32_t frame = kernel ? page - 0xC0000 : p->frame[page];
    uint32_t pte_addr = (p->cr3 + 0x1000 + ((lin >> 22) & 0xF) * 0x1000) + ((lin >> 12) & 0x3FF) * 4;
    struct tr_walk w = { lin, pde_addr, (pte_addr & ~0xFFFu) | 0x27, pte_addr, frame << 12 | 0x67, 0 };
    trace_emit_walk(s->tw, s->cycle, &w);
    s->n.walks++;
    uint32_t flags = TLBE_RW | TLBE_US | TLBE_D | (kernel ? TLBE_G : 0);
    tlb_fill(s->t, side, lin, frame << 12, flags, &r);
    x.tlb = r.c ? r.c->id : TR_NOTLB;
    x.outcome = TR_MISS;
    x.cycles = 23;
    x.phys = frame << 12 | (lin & 0xFFF);
    x.global = (uint8_t)kernel;
    trace_emit_xlate(s->tw, s->cycle, &x);
    s->cycle += 23;
}

static void ctx_switch(struct synth *s, int to)
{
    struct proc *a = &s->p[s->cur], *b = &s->p[to];
    struct annot_ctx_switch cs = { { ANNOT_CTX_SWITCH, sizeof cs, a->pid }, b->pid };
    trace_emit_annot(s->tw, s->cycle, &cs, sizeof cs);
    trace_emit_cr3(s->tw, s->cycle, a->cr3, b->cr3);
    unsigned n = tlb_flush_nonglobal(s->t);
    trace_emit_flush(s->tw, s->cycle, TR_FLUSH_CR3, b->cr3, n);
    s->n.annot++;
    s->n.cr3++;
    s->n.flushes++;
    s->cur = to;
}

void synth_run(struct trace_writer *tw, uint64_t nxlate, uint32_t seed, const char *tlb_spec,
               int forever, struct synth_counts *out)
{
    struct synth *s = calloc(1, sizeof *s);
    struct tlb_config cfg;
    char err[200];
    tlb_config_default(&cfg);
    if (!tlb_config_parse(&cfg, tlb_spec, err, sizeof err)) {
        fprintf(stderr, "synth: %s\n", err);
        exit(2);
    }
    s->t = tlb_model_new(&cfg);
    s->tw = tw;
    s->rng = 0x9E3779B97F4A7C15ull ^ seed;
    s->next_frame = 0x400;
    for (int i = 0; i < NPROC; i++) {
        struct proc *p = &s->p[i];
        p->pid = (uint32_t)i + 1;
        p->cr3 = 0x00100000u + (uint32_t)i * 0x20000u;
        p->eip = p->loop_start = 0x08048000u;
        p->loop_end = p->loop_start + 200;
        p->esp = 0xBFFFF000u;
        p->scan = 0x10000000u;
        p->mapped = calloc(MAXPAGES, 1);
        p->frame = calloc(MAXPAGES, sizeof *p->frame);
        struct annot_proc_create pc = { { ANNOT_PROC_CREATE, sizeof pc, p->pid }, 0, "synth" };
        pc.name[5] = (char)('0' + i);
        trace_emit_annot(tw, s->cycle, &pc, sizeof pc);
        s->n.annot++;
    }
    trace_emit_cr3(tw, 0, 0, s->p[0].cr3);
    s->n.cr3++;
    uint64_t next_switch = 300000, next_sync = 0;
    /* A program is a set of loops; a loop is a fixed body of instructions
     * (length, and which data access each makes), run for a number of
     * iterations. Data: stack slots, a sequential scan, random lookups in a
     * 96-page table, kernel data. Like real code, the body repeats exactly;
     * only the scan pointer and the table lookups change between iterations. */
    struct insn { uint8_t len, data, slot; };
    struct insn body[NPROC][64];
    uint32_t blen[NPROC] = { 0 }, bpos[NPROC] = { 0 }, iters[NPROC] = { 0 };
    while (forever || s->n.xlate < nxlate) {
        struct proc *p = &s->p[s->cur];
        int pi = s->cur;
        if (bpos[pi] >= blen[pi]) {
            bpos[pi] = 0;
            if (!iters[pi]) {
                /* a new loop: somewhere in the program's 24 code pages */
                uint32_t q = rnd(s);
                p->loop_start = 0x08048000u + (q >> 8) % 24 * 0x1000 + (q >> 16) % 3600;
                blen[pi] = 4 + rnd(s) % 40;
                iters[pi] = 10 + rnd(s) % 2000;
                for (uint32_t i = 0; i < blen[pi]; i++) {
                    uint32_t r = rnd(s);
                    unsigned d = r % 16;
                    body[pi][i].len = (uint8_t)(1 + (r >> 4) % 6);
                    body[pi][i].data = d < 5 ? 1 : d < 8 ? 2 : d == 8 ? 3 : d == 9 && (r >> 12) % 8 == 0 ? 4 : 0;
                    body[pi][i].slot = (uint8_t)((r >> 16) % 32 | ((r >> 24) & 1) << 7);
                }
            }
            iters[pi]--;
            p->eip = p->loop_start;
        }
        struct insn *in = &body[pi][bpos[pi]++];
        xlate(s, p->eip, TR_FETCH);
        s->insns++;
        s->cycle += 2;
        p->eip += in->len;
        switch (in->data) {
        case 1:
            xlate(s, p->esp - 4 * (in->slot & 31), in->slot & 0x80 ? TR_WRITE : TR_READ);
            break;
        case 2:
            xlate(s, p->scan, in->slot & 0x80 ? TR_WRITE : TR_READ);
            p->scan += 4;
            if (p->scan >= 0x10000000u + (4u << 20))
                p->scan = 0x10000000u;
            break;
        case 3:
            xlate(s, 0x20000000u + (rnd(s) % (96u << 12)), TR_READ);
            break;
        case 4:
            xlate(s, 0xC0100000u + (rnd(s) % (64u << 12)), TR_READ | TR_IMPLICIT);
            break;
        default:
            break;
        }
        if (s->n.xlate >= next_switch) {
            next_switch += 200000 + rnd(s) % 200000;
            ctx_switch(s, (s->cur + 1 + (int)(rnd(s) % (NPROC - 1))) % NPROC);
        }
        if (s->cycle >= next_sync) {
            trace_emit_sync(tw, s->cycle, s->insns);
            s->n.sync++;
            next_sync = s->cycle + 50000;
        }
    }
    trace_emit_sync(tw, s->cycle, s->insns);
    if (out)
        *out = s->n;
    for (int i = 0; i < NPROC; i++) {
        free(s->p[i].mapped);
        free(s->p[i].frame);
    }
    tlb_model_free(s->t);
    free(s);
}
