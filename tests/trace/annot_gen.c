/* trace-annot-gen: hand-made traces of guest annotations, written through
 * the real writer, for tests/trace/vmtrace_annot.py (which knows what each
 * one holds and what vmtrace must print for it).
 *
 *   trace-annot-gen kinds OUT     one record of every kind, then records a
 *                                 reader must show raw (wrong size, unknown
 *                                 kind) or with a value without a name
 *   trace-annot-gen procs OUT     processes with counted records, reclaim,
 *                                 kswapd and frame records (vmtrace stats)
 *   trace-annot-gen belady OUT    the reference string 1,2,3,4,1,2,5,1,2,3,4,5
 *                                 on five user pages, one kernel reference,
 *                                 and the kernel's evict, swap-in, major-fault
 *                                 and frame records (vmtrace sim --frames)
 *   trace-annot-gen deaths OUT    pages dying in three address spaces: a
 *                                 zero-fill of a used page, vma-unmaps (one
 *                                 of the space in force, two not), page
 *                                 directories freed at exec and exit and
 *                                 one allocated again (vmtrace_annot.py
 *                                 works out every policy's faults and
 *                                 evictions on it by hand) */
#include "trace/annot.h"
#include "trace/format.h"
#include "trace/writer.h"

#include <stdio.h>
#include <string.h>

static struct trace_writer *tw;
static uint64_t cycle = 1000;

/* Emit record R of its own size (the struct's), at the next cycle. */
#define EMIT(r) (cycle += 10, trace_emit_annot(tw, cycle, &(r), sizeof(r)))
#define HDR(kind, T, pid) { kind, sizeof(struct T), pid }

/* A record the annotation port would reject (the writer stores it): KIND,
 * SIZE bytes, PID, a first field F1 and zeros. */
static void raw(uint16_t kind, uint16_t size, uint32_t pid, uint32_t f1)
{
    uint8_t r[ANNOT_MAX_SIZE] = { 0 };
    trf_put16(r, kind);
    trf_put16(r + 2, size);
    trf_put32(r + 4, pid);
    trf_put32(r + 8, f1);
    cycle += 10;
    trace_emit_annot(tw, cycle, r, size);
}

static void put_name(char *dst, const char *name)
{
    memset(dst, 0, ANNOT_NAME_LEN);
    strncpy(dst, name, ANNOT_NAME_LEN);
}

static void proc_create(uint32_t pid, uint32_t ppid, const char *name)
{
    struct annot_proc_create r = { HDR(ANNOT_PROC_CREATE, annot_proc_create, pid), ppid, "" };
    put_name(r.name, name);
    EMIT(r);
}

static void exec_(uint32_t pid, const char *name)
{
    struct annot_exec r = { HDR(ANNOT_EXEC, annot_exec, pid), "" };
    put_name(r.name, name);
    EMIT(r);
}

static void comm(uint32_t pid, const char *name)
{
    struct annot_comm r = { HDR(ANNOT_COMM, annot_comm, pid), "" };
    put_name(r.name, name);
    EMIT(r);
}

static void evict(uint32_t pid, uint32_t vpage, uint32_t frame, uint32_t slot, uint32_t policy)
{
    struct annot_evict r = { HDR(ANNOT_EVICT, annot_evict, pid), vpage, frame, slot, policy };
    EMIT(r);
}

static void swap_in(uint32_t pid, uint32_t vpage, uint32_t frame, uint32_t slot)
{
    struct annot_swap_in r = { HDR(ANNOT_SWAP_IN, annot_swap_in, pid), vpage, frame, slot };
    EMIT(r);
}

static void major(uint32_t pid, uint32_t vpage, uint32_t source)
{
    struct annot_major_fault r = { HDR(ANNOT_MAJOR_FAULT, annot_major_fault, pid), vpage, source };
    EMIT(r);
}

static void zero_fill(uint32_t pid, uint32_t vpage, uint32_t frame)
{
    struct annot_zero_fill r = { HDR(ANNOT_ZERO_FILL, annot_zero_fill, pid), vpage, frame };
    EMIT(r);
}

static void cow_copy(uint32_t pid, uint32_t vpage)
{
    struct annot_cow_copy r = { HDR(ANNOT_COW_COPY, annot_cow_copy, pid), vpage, 0x100, 0x101 };
    EMIT(r);
}

static void reclaim(uint32_t pid, uint32_t who, uint32_t scanned, uint32_t freed)
{
    struct annot_reclaim r = { HDR(ANNOT_RECLAIM, annot_reclaim, pid), who, 6, scanned, freed };
    EMIT(r);
}

static void kswapd(uint32_t state)
{
    struct annot_kswapd r = { HDR(ANNOT_KSWAPD, annot_kswapd, 2), state, 100 };
    EMIT(r);
}

static void frame_alloc(uint32_t frame, uint32_t order, uint32_t use)
{
    struct annot_frame_alloc r = { HDR(ANNOT_FRAME_ALLOC, annot_frame_alloc, 0), frame, order, use };
    EMIT(r);
}

static void frame_free(uint32_t frame, uint32_t order)
{
    struct annot_frame_free r = { HDR(ANNOT_FRAME_FREE, annot_frame_free, 0), frame, order };
    EMIT(r);
}

static void ctx_switch(uint32_t from, uint32_t to)
{
    struct annot_ctx_switch r = { HDR(ANNOT_CTX_SWITCH, annot_ctx_switch, from), to };
    EMIT(r);
}

static void vma_unmap(uint32_t pid, uint32_t vpage, uint32_t pages)
{
    struct annot_vma_unmap r = { HDR(ANNOT_VMA_UNMAP, annot_vma_unmap, pid), vpage, pages };
    EMIT(r);
}

static uint32_t cr3_now;

static void load_cr3(uint32_t cr3)
{
    cycle += 10;
    trace_emit_cr3(tw, cycle, cr3_now, cr3);
    cr3_now = cr3;
}

static void xlate(uint32_t vpage)
{
    struct tr_xlate x = { .lin = vpage << 12, .phys = (0x400 + (vpage & 0xFF)) << 12, .kind = TR_READ,
                          .outcome = TR_HIT, .tlb = TR_DTLB, .cpl = vpage >= 0xC0000 ? 0 : 3, .cycles = 1 };
    cycle += 10;
    trace_emit_xlate(tw, cycle, &x);
}

/* One record of every kind: the values vmtrace_annot.py expects in dump. */
static void gen_kinds(void)
{
    proc_create(5, 1, "init");
    exec_(5, "swap-linear");
    struct annot_exit ex = { HDR(ANNOT_EXIT, annot_exit, 5), 0 };
    EMIT(ex);
    struct annot_ctx_switch cs = { HDR(ANNOT_CTX_SWITCH, annot_ctx_switch, 1), 5 };
    EMIT(cs);
    zero_fill(5, 0x08048, 0x17c);
    cow_copy(5, 0x08049);
    evict(7, 0x0804d, 0x17c, 12, ANNOT_POLICY_2Q);
    swap_in(7, 0x0804d, 0x180, 12);
    struct annot_swap_hit sh = { HDR(ANNOT_SWAP_CACHE_HIT, annot_swap_hit, 7), 0x0804e, 0x181 };
    EMIT(sh);
    struct annot_pcache pi = { HDR(ANNOT_PCACHE_INSERT, annot_pcache, 5), 12, 3, 0x200 };
    EMIT(pi);
    struct annot_pcache pe = { HDR(ANNOT_PCACHE_EVICT, annot_pcache, 5), 12, 3, 0x200 };
    EMIT(pe);
    struct annot_pcache wb = { HDR(ANNOT_WRITEBACK, annot_pcache, 5), 12, 4, 0x201 };
    EMIT(wb);
    struct annot_oom_kill oom = { HDR(ANNOT_OOM_KILL, annot_oom_kill, 9) };
    EMIT(oom);
    struct annot_mark mk = { HDR(ANNOT_MARK, annot_mark, 1), 1 };
    EMIT(mk);
    struct annot_lru_move lm = { HDR(ANNOT_LRU_MOVE, annot_lru_move, 2), 0x17c, ANNOT_LIST_ACTIVE };
    EMIT(lm);
    reclaim(2, ANNOT_WHO_KSWAPD, 32, 8);
    struct annot_kswapd ks = { HDR(ANNOT_KSWAPD, annot_kswapd, 2), ANNOT_KSWAPD_WAKE, 120 };
    EMIT(ks);
    major(7, 0x0804d, ANNOT_SOURCE_SWAP);
    struct annot_swap_free sf = { HDR(ANNOT_SWAP_FREE, annot_swap_free, 7), 12 };
    EMIT(sf);
    struct annot_cow_reuse cr = { HDR(ANNOT_COW_REUSE, annot_cow_reuse, 5), 0x0804a, 0x102 };
    EMIT(cr);
    struct annot_stack_grow sg = { HDR(ANNOT_STACK_GROW, annot_stack_grow, 5), 0xbfffe };
    EMIT(sg);
    struct annot_frame_alloc fa = { HDR(ANNOT_FRAME_ALLOC, annot_frame_alloc, 5), 0x300, 1, ANNOT_USE_SWAPCACHE };
    EMIT(fa);
    struct annot_frame_free ff = { HDR(ANNOT_FRAME_FREE, annot_frame_free, 5), 0x300, 1 };
    EMIT(ff);
    struct annot_pcache_hit ph = { HDR(ANNOT_PCACHE_HIT, annot_pcache_hit, 5), 12, 3, 0x200 };
    EMIT(ph);
    struct annot_file_fault fl = { HDR(ANNOT_FILE_FAULT, annot_file_fault, 5), 0x08050, 12, 8, 0x202 };
    EMIT(fl);
    comm(5, "renamed");
    struct annot_nosys ns = { HDR(ANNOT_NOSYS, annot_nosys, 5), 999 };
    EMIT(ns);
    struct annot_vma_map vm = { HDR(ANNOT_VMA_MAP, annot_vma_map, 5), 0x40000, 16, ANNOT_VMA_SHM };
    EMIT(vm);
    struct annot_vma_unmap vu = { HDR(ANNOT_VMA_UNMAP, annot_vma_unmap, 5), 0x40000, 16 };
    EMIT(vu);
    /* a policy id without a name */
    evict(7, 0x0804f, 0x17d, 13, 7);
    /* a known kind of the wrong size, and a kind this reader does not know */
    raw(ANNOT_RECLAIM, 20, 2, 1);
    raw(ANNOT_KIND_COUNT, 12, 3, 42);
}

/* Processes for vmtrace stats (the counts vmtrace_annot.py expects). */
static void gen_procs(void)
{
    /* boot: a block of 8 frames handed to the buddy allocator, 4 kept */
    frame_free(0x100, 3);
    frame_alloc(0x000, 2, ANNOT_USE_KERNEL);
    proc_create(1, 0, "init");
    proc_create(2, 1, "kswapd");
    proc_create(3, 1, "sh");
    exec_(3, "swap-random");
    comm(3, "swap-rnd");
    for (int i = 0; i < 3; i++)
        zero_fill(1, 0x08050 + (uint32_t)i, 0x100);
    cow_copy(1, 0x08060);
    for (int i = 0; i < 7; i++)
        zero_fill(3, 0x10000 + (uint32_t)i, 0x100);
    frame_alloc(0x100, 0, ANNOT_USE_ANON);
    frame_alloc(0x101, 0, ANNOT_USE_ANON);
    frame_alloc(0x102, 0, ANNOT_USE_PGTABLE);
    frame_alloc(0x104, 1, ANNOT_USE_PCACHE);
    frame_alloc(0x101, 0, ANNOT_USE_SWAPCACHE);     /* change of use: into the swap cache */
    frame_free(0x100, 0);
    frame_free(0x103, 0);                           /* free already */
    frame_alloc(0x200, 11, ANNOT_USE_ANON);         /* an order the kernel has not */
    kswapd(ANNOT_KSWAPD_WAKE);
    reclaim(2, ANNOT_WHO_KSWAPD, 64, 10);
    reclaim(2, ANNOT_WHO_KSWAPD, 64, 20);
    reclaim(2, ANNOT_WHO_KSWAPD, 64, 30);
    kswapd(ANNOT_KSWAPD_SLEEP);
    kswapd(ANNOT_KSWAPD_WAKE);
    reclaim(3, ANNOT_WHO_DIRECT, 32, 8);
    reclaim(3, ANNOT_WHO_DIRECT, 16, 4);
    reclaim(3, 5, 16, 4);                           /* who without a name: not counted */
    for (int i = 0; i < 5; i++)
        evict(3, 0x10000 + (uint32_t)i, 0x120 + (uint32_t)i, 40 + (uint32_t)i, ANNOT_POLICY_CLOCK);
    for (int i = 0; i < 4; i++)
        swap_in(3, 0x10000 + (uint32_t)i, 0x130 + (uint32_t)i, 40 + (uint32_t)i);
    for (int i = 0; i < 2; i++) {
        struct annot_swap_hit sh = { HDR(ANNOT_SWAP_CACHE_HIT, annot_swap_hit, 3), 0x10004, 0x124 };
        EMIT(sh);
    }
    for (int i = 0; i < 3; i++)
        major(3, 0x10000 + (uint32_t)i, ANNOT_SOURCE_SWAP);
    major(3, 0x08048, ANNOT_SOURCE_FILE);
    cow_copy(3, 0x10010);
    cow_copy(3, 0x10011);
    struct annot_cow_reuse cr = { HDR(ANNOT_COW_REUSE, annot_cow_reuse, 3), 0x10012, 0x140 };
    EMIT(cr);
    struct annot_exit ex = { HDR(ANNOT_EXIT, annot_exit, 3), 0 };
    EMIT(ex);
    /* pid 4 is killed, then reused by a new process */
    proc_create(4, 1, "oomer");
    zero_fill(4, 0x20000, 0x150);
    struct annot_oom_kill oom = { HDR(ANNOT_OOM_KILL, annot_oom_kill, 4) };
    EMIT(oom);
    proc_create(4, 1, "again");
    zero_fill(4, 0x20000, 0x151);
    zero_fill(4, 0x20001, 0x152);
    raw(ANNOT_EVICT, 20, 3, 0);     /* an evict record of the wrong size: not counted */
}

/* The classic reference string (Belady, Nelson and Shedler 1969) on user
 * pages 0x08001..0x08005 of one address space, a kernel page before it, and
 * what the kernel reported: 5 evictions (2q), 4 swap-ins, 3 major faults
 * from swap and 1 from a file, and anonymous frames peaking at 3. */
static void gen_belady(void)
{
    static const uint32_t string[] = { 1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5 };
    trace_emit_cr3(tw, cycle, 0, 0x00200000);
    xlate(0xC0100);
    frame_free(0x100, 3);
    frame_alloc(0x100, 0, ANNOT_USE_ANON);
    frame_alloc(0x101, 0, ANNOT_USE_ANON);
    frame_alloc(0x102, 0, ANNOT_USE_ANON);          /* the peak: 3 */
    frame_alloc(0x102, 0, ANNOT_USE_SWAPCACHE);     /* change of use: 2 */
    frame_free(0x101, 0);                           /* 1 */
    frame_alloc(0x103, 0, ANNOT_USE_ANON);          /* 2 */
    for (size_t i = 0; i < sizeof string / sizeof string[0]; i++)
        xlate(0x08000 + string[i]);
    for (uint32_t i = 0; i < 5; i++)
        evict(1, 0x08001 + i, 0x100 + i, i, ANNOT_POLICY_2Q);
    for (uint32_t i = 0; i < 4; i++)
        swap_in(1, 0x08001 + i, 0x100 + i, i);
    for (uint32_t i = 0; i < 3; i++)
        major(1, 0x08001 + i, ANNOT_SOURCE_SWAP);
    major(1, 0x08005, ANNOT_SOURCE_FILE);
    struct annot_pcache pe = { HDR(ANNOT_PCACHE_EVICT, annot_pcache, 1), 12, 3, 0x200 };
    EMIT(pe);
}

/* Three processes' pages, named in comments as in vmtrace_annot.py: a1 is
 * pid 1's page 0x08001, a2' the second life of its page 0x08002, and so
 * on. The comments on the right give the reference string's entries, a
 * death as D(page). */
static void gen_deaths(void)
{
    enum { A = 0x00300000, B = 0x00400000, C = 0x00500000 };
    ctx_switch(0, 1);
    load_cr3(A);                                    /* pid 1's space: its pages are a1, a2, ... */
    xlate(0x08001);                                 /* a1 */
    xlate(0x08002);                                 /* a2 */
    xlate(0x08003);                                 /* a3 */
    xlate(0x08001);                                 /* a1 */
    zero_fill(1, 0x08002, 0x150);                   /* D(a2): a used page filled anew */
    xlate(0x08002);                                 /* a2' */
    vma_unmap(9, 0x08001, 3);                       /* a failed fork's child: not the space in force */
    vma_unmap(1, 0x08003, 1);                       /* D(a3) */
    xlate(0x08001);                                 /* a1 */
    xlate(0x08003);                                 /* a3' */
    ctx_switch(1, 2);
    load_cr3(B);                                    /* pid 2's space: b1, b2 */
    xlate(0x08001);                                 /* b1 */
    xlate(0x08002);                                 /* b2 */
    xlate(0x08001);                                 /* b1 */
    frame_alloc(C >> 12, 0, ANNOT_USE_PGTABLE);     /* pid 2 execs: a new page directory */
    load_cr3(C);                                    /* ... loaded before the old mm goes */
    vma_unmap(2, 0x08001, 2);                       /* the old mm's pages, with the new CR3: no kill */
    frame_free(B >> 12, 0);                         /* D(b2) D(b1): the old directory freed */
    exec_(2, "child");
    xlate(0x08001);                                 /* c1 */
    xlate(0x08002);                                 /* c2 */
    ctx_switch(2, 1);
    load_cr3(A);
    xlate(0x08001);                                 /* a1 */
    vma_unmap(1, 0x08001, 3);                       /* D(a1) D(a2') D(a3'): pid 1 exits */
    ctx_switch(1, 2);
    load_cr3(C);
    frame_free(A >> 12, 0);                         /* A's space ends: no page of it was left */
    frame_alloc(A >> 12, 0, ANNOT_USE_PGTABLE);     /* the frame is pid 3's directory */
    ctx_switch(2, 3);
    load_cr3(A);
    xlate(0x08001);                                 /* d1: not a1 */
    ctx_switch(3, 2);
    load_cr3(C);
    xlate(0x08001);                                 /* c1 */
    xlate(0x08002);                                 /* c2 */
    xlate(0x08003);                                 /* c3 */
    ctx_switch(2, 3);
    load_cr3(A);
    xlate(0x08001);                                 /* d1 */
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: trace-annot-gen kinds|procs|belady|deaths OUT\n");
        return 2;
    }
    struct trace_config cfg = { .vmscope_version = "annot-gen", .ram_bytes = 16u << 20, .cpu_mhz = 100,
                                .kernel = "annot-gen", .cmdline = argv[1] };
    char err[300];
    tw = trace_writer_open(argv[2], &cfg, err, sizeof err);
    if (!tw) {
        fprintf(stderr, "trace-annot-gen: %s\n", err);
        return 2;
    }
    if (!strcmp(argv[1], "kinds"))
        gen_kinds();
    else if (!strcmp(argv[1], "procs"))
        gen_procs();
    else if (!strcmp(argv[1], "belady"))
        gen_belady();
    else if (!strcmp(argv[1], "deaths"))
        gen_deaths();
    else {
        fprintf(stderr, "trace-annot-gen: unknown trace '%s'\n", argv[1]);
        trace_writer_close(tw, err, sizeof err);
        return 2;
    }
    if (!trace_writer_close(tw, err, sizeof err)) {
        fprintf(stderr, "trace-annot-gen: %s\n", err);
        return 1;
    }
    return 0;
}
