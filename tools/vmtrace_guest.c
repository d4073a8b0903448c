/* What the guest kernel reported about itself: its annotation records
 * (trace/annot.h, named and described by trace/annot_desc.h), accumulated
 * per process, for kswapd, and per physical frame. `vmtrace stats` prints
 * it; `vmtrace sim --frames` sets it beside the simulated policies.
 *
 * Annotations are rare beside translations: the replay loops hand each one
 * to vt_guest_note, out of their way. */
#include "tools/vmtrace.h"
#include "trace/annot_desc.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ frames */

#define FRAME_NONE 0            /* state: never named by a record */
#define FRAME_FREE 1            /* freed (or handed to the buddy allocator) */
#define FRAME_USE0 2            /* allocated with use (state - FRAME_USE0) */

/* Frame-alloc and frame-free of FRAME and its order-ORDER block. */
static void frames_note(struct vt_frames *f, const uint8_t *rec, bool alloc, uint64_t cycle)
{
    uint32_t frame = annot_u32(rec, offsetof(struct annot_frame_alloc, frame));
    uint32_t order = annot_u32(rec, offsetof(struct annot_frame_alloc, order));
    uint32_t use = alloc ? annot_u32(rec, offsetof(struct annot_frame_alloc, use)) : 0;
    f->records++;
    if (order >= VT_FRAMES_ORDER_MAX || frame >= VT_FRAMES || (1u << order) > VT_FRAMES - frame) {
        f->bad++;
        return;
    }
    if (use > ANNOT_USE_COUNT)
        use = ANNOT_USE_COUNT;      /* a use without a name: counted apart */
    if (!f->state)
        f->state = vt_xcalloc(VT_FRAMES, 1);
    for (uint32_t i = frame; i < frame + (1u << order); i++) {
        uint8_t *s = &f->state[i];
        if (*s >= FRAME_USE0) {
            f->use[*s - FRAME_USE0]--;
            if (alloc)
                f->changes++;
        } else if (*s == FRAME_FREE) {
            f->free--;
            if (!alloc)
                f->refree++;
        }
        if (alloc) {
            *s = (uint8_t)(FRAME_USE0 + use);
            f->use[use]++;
        } else {
            *s = FRAME_FREE;
            f->free++;
        }
    }
    uint64_t anon = f->use[ANNOT_USE_ANON], both = anon + f->use[ANNOT_USE_SWAPCACHE];
    if (anon > f->anon_peak) {
        f->anon_peak = anon;
        f->anon_peak_cycle = cycle;
    }
    if (both > f->anon_swap_peak)
        f->anon_swap_peak = both;
}

/* ------------------------------------------------------------ processes */

/* A new row for PID; its index. */
static uint32_t proc_add(struct vt_guest *g, uint32_t pid)
{
    if (g->nproc == g->cap) {
        g->cap = g->cap ? 2 * g->cap : 64;
        g->proc = vt_xrealloc(g->proc, g->cap * sizeof *g->proc);
    }
    struct vt_proc *p = &g->proc[g->nproc];
    memset(p, 0, sizeof *p);
    p->pid = pid;
    strcpy(p->name, "?");
    return (uint32_t)g->nproc++;
}

/* The row of PID's current process, made when there is none. A
 * proc-create (NEW) for a pid whose process has ended starts a new row:
 * the pid was reused. */
static struct vt_proc *proc_of(struct vt_guest *g, uint32_t pid, bool new)
{
    bool found;
    uint32_t *slot = vt_map_get(&g->by_pid, pid, 0, &found);
    if (!found || (new && g->proc[*slot].ended))
        *slot = proc_add(g, pid);
    return &g->proc[*slot];
}

/* The row of file INODE, made when there is none. */
static struct vt_file *file_of(struct vt_guest *g, uint32_t inode)
{
    bool found;
    uint32_t *slot = vt_map_get(&g->by_inode, inode, (uint32_t)g->nfile, &found);
    if (!found) {
        if (g->nfile == g->fcap) {
            g->fcap = g->fcap ? 2 * g->fcap : 64;
            g->file = vt_xrealloc(g->file, g->fcap * sizeof *g->file);
        }
        memset(&g->file[g->nfile], 0, sizeof *g->file);
        g->file[g->nfile++].inode = inode;
    }
    return &g->file[*slot];
}

/* A page-cache record (kinds 10, 11, 12, 24, 25) of process P: its counts
 * and its file's. */
static void pcache_note(struct vt_guest *g, struct vt_proc *p, unsigned kind, const uint8_t *rec)
{
    bool fault = kind == ANNOT_FILE_FAULT;
    uint32_t inode = annot_u32(rec, fault ? offsetof(struct annot_file_fault, inode)
                                          : offsetof(struct annot_pcache, inode));
    struct vt_pcache *f = &file_of(g, inode)->pc, *q = &p->pc;
    uint64_t page = (uint64_t)inode << 32 | annot_u32(rec, offsetof(struct annot_pcache, index));
    bool known;
    switch (kind) {
    case ANNOT_PCACHE_HIT: f->hit++, q->hit++; break;
    case ANNOT_PCACHE_INSERT: {
        f->insert++, q->insert++;
        uint32_t *v = vt_map_get(&g->evicted, page, 0, &known);
        if (known && *v)
            g->reread++, *v = 0;
        break;
    }
    case ANNOT_PCACHE_EVICT:
        f->evict++, q->evict++;
        *vt_map_get(&g->evicted, page, 1, &known) = 1;
        break;
    case ANNOT_WRITEBACK: f->writeback++, q->writeback++; break;
    default:
        f->fault++, q->fault++;
        if (p->major_pending && annot_u32(rec, offsetof(struct annot_file_fault, vpage)) == p->major_vpage)
            f->major++, q->major++;
        p->major_pending = false;
        break;
    }
}

void vt_guest_init(struct vt_guest *g)
{
    memset(g, 0, sizeof *g);
    vt_map_init(&g->by_pid);
    vt_map_init(&g->by_inode);
    vt_map_init(&g->evicted);
}

void vt_guest_free(struct vt_guest *g)
{
    vt_map_free(&g->by_pid);
    vt_map_free(&g->by_inode);
    vt_map_free(&g->evicted);
    free(g->file);
    free(g->proc);
    free(g->frames.state);
}

void vt_guest_note(struct vt_guest *g, const struct tr_event *ev)
{
    const uint8_t *rec = ev->u.annot.rec;
    unsigned kind = ev->u.annot.kind;
    const struct annot_desc *d = annot_desc_of(rec, ev->u.annot.size);
    if (!d) {
        if (annot_desc(kind))
            g->malformed++;     /* a known kind of the wrong size: its fields mean nothing */
        return;
    }
    g->records[kind]++;
    uint32_t pid = ev->u.annot.pid;
    const struct annot_field *name = annot_field_of(d, ANNOT_FMT_NAME);
    struct vt_proc *p;
    switch (kind) {
    case ANNOT_PROC_CREATE:
    case ANNOT_EXEC:
    case ANNOT_COMM:
        p = proc_of(g, pid, kind == ANNOT_PROC_CREATE);
        annot_name_text(rec + name->off, p->name);
        if (!p->name[0])
            strcpy(p->name, "?");
        break;
    case ANNOT_EXIT:
        proc_of(g, pid, false)->ended = true;
        break;
    case ANNOT_OOM_KILL:
        p = proc_of(g, pid, false);
        p->oom_kill++;
        p->ended = true;
        break;
    case ANNOT_EVICT: {
        uint32_t pol = annot_u32(rec, offsetof(struct annot_evict, policy));
        g->evict_policy[pol < ANNOT_POLICY_COUNT ? pol : ANNOT_POLICY_COUNT]++;
        proc_of(g, pid, false)->swap_out++;
        break;
    }
    case ANNOT_SWAP_IN:
        proc_of(g, pid, false)->swap_in++;
        break;
    case ANNOT_SWAP_CACHE_HIT:
        proc_of(g, pid, false)->swap_hit++;
        break;
    case ANNOT_ZERO_FILL:
        proc_of(g, pid, false)->zero_fill++;
        break;
    case ANNOT_COW_COPY:
        proc_of(g, pid, false)->cow_copy++;
        break;
    case ANNOT_COW_REUSE:
        proc_of(g, pid, false)->cow_reuse++;
        break;
    case ANNOT_MAJOR_FAULT: {
        uint32_t src = annot_u32(rec, offsetof(struct annot_major_fault, source));
        if (src < ANNOT_SOURCE_COUNT) {
            p = proc_of(g, pid, false);
            p->major[src]++;
            p->major_pending = src == ANNOT_SOURCE_FILE;
            p->major_vpage = annot_u32(rec, offsetof(struct annot_major_fault, vpage));
        } else {
            g->unnamed++;
        }
        break;
    }
    case ANNOT_PCACHE_HIT:
    case ANNOT_PCACHE_INSERT:
    case ANNOT_PCACHE_EVICT:
    case ANNOT_WRITEBACK:
    case ANNOT_FILE_FAULT:
        pcache_note(g, proc_of(g, pid, false), kind, rec);
        break;
    case ANNOT_RECLAIM: {
        uint32_t who = annot_u32(rec, offsetof(struct annot_reclaim, who));
        if (who >= ANNOT_WHO_COUNT) {
            g->unnamed++;
            break;
        }
        p = proc_of(g, pid, false);
        p->reclaim[who]++;
        p->scanned[who] += annot_u32(rec, offsetof(struct annot_reclaim, scanned));
        p->freed[who] += annot_u32(rec, offsetof(struct annot_reclaim, freed));
        break;
    }
    case ANNOT_KSWAPD: {
        uint32_t st = annot_u32(rec, offsetof(struct annot_kswapd, state));
        if (st < ANNOT_KSWAPD_STATE_COUNT)
            g->kswapd[st]++;
        else
            g->unnamed++;
        break;
    }
    case ANNOT_FRAME_ALLOC:
    case ANNOT_FRAME_FREE:
        frames_note(&g->frames, rec, kind == ANNOT_FRAME_ALLOC, ev->cycle);
        break;
    default:
        break;
    }
}

/* ------------------------------------------------------------ printing */

/* "2q 12, clock 3" (policy ids without a name as "id 7"). */
void vt_guest_print_policies(const struct vt_guest *g, FILE *f)
{
    const char *sep = "";
    for (unsigned i = 0; i <= ANNOT_POLICY_COUNT; i++)
        if (g->evict_policy[i]) {
            if (i < ANNOT_POLICY_COUNT)
                fprintf(f, "%s%s %" PRIu64, sep, annot_enum_name(&annot_policies, i), g->evict_policy[i]);
            else
                fprintf(f, "%sother ids %" PRIu64, sep, g->evict_policy[i]);
            sep = ", ";
        }
}

static bool proc_counted(const struct vt_proc *p)
{
    return p->swap_out || p->swap_in || p->swap_hit || p->major[0] || p->major[1] ||
           p->cow_copy || p->cow_reuse || p->zero_fill || p->oom_kill;
}

static bool proc_reclaimed(const struct vt_proc *p)
{
    return p->reclaim[0] || p->reclaim[1];
}

static void proc_counts_row(FILE *f, const struct vt_proc *p)
{
    fprintf(f, " %9" PRIu64 " %9" PRIu64 " %9" PRIu64 " %10" PRIu64 " %10" PRIu64 " %9" PRIu64 " %9" PRIu64 " %10" PRIu64
            " %8" PRIu64 "\n", p->swap_out, p->swap_in, p->swap_hit, p->major[ANNOT_SOURCE_SWAP],
            p->major[ANNOT_SOURCE_FILE], p->cow_copy, p->cow_reuse, p->zero_fill, p->oom_kill);
}

static void proc_reclaim_row(FILE *f, const struct vt_proc *p)
{
    fprintf(f, " %13" PRIu64 " %9" PRIu64 " %9" PRIu64 " %13" PRIu64 " %9" PRIu64 " %9" PRIu64 "\n",
            p->reclaim[ANNOT_WHO_KSWAPD], p->scanned[ANNOT_WHO_KSWAPD], p->freed[ANNOT_WHO_KSWAPD],
            p->reclaim[ANNOT_WHO_DIRECT], p->scanned[ANNOT_WHO_DIRECT], p->freed[ANNOT_WHO_DIRECT]);
}

/* The rows that SHOW, each as "pid name" then ROW, and the line "all" (ALL,
 * the sum of every row). Nothing when no row shows. */
static void proc_table(FILE *f, const struct vt_guest *g, const struct vt_proc *all, const char *title,
                       const char *columns, bool (*show)(const struct vt_proc *),
                       void (*row)(FILE *, const struct vt_proc *))
{
    if (!show(all))
        return;
    fprintf(f, "\n%s\n  %-6s %-16s%s\n", title, "pid", "name", columns);
    for (size_t i = 0; i < g->nproc; i++)
        if (show(&g->proc[i])) {
            fprintf(f, "  %-6u %-16s", g->proc[i].pid, g->proc[i].name);
            row(f, &g->proc[i]);
        }
    fprintf(f, "  %-23s", "all");
    row(f, all);
}

static bool pcache_any(const struct vt_pcache *c)
{
    return c->hit || c->insert || c->fault || c->evict || c->writeback;
}

static void pcache_add(struct vt_pcache *sum, const struct vt_pcache *c)
{
    sum->hit += c->hit;
    sum->insert += c->insert;
    sum->fault += c->fault;
    sum->major += c->major;
    sum->evict += c->evict;
    sum->writeback += c->writeback;
}

static bool proc_pcache(const struct vt_proc *p)
{
    return pcache_any(&p->pc);
}

static void pcache_row(FILE *f, const struct vt_pcache *c)
{
    fprintf(f, " %9" PRIu64 " %9" PRIu64 " %8.1f%% %9" PRIu64 " %9" PRIu64 " %9" PRIu64 " %10" PRIu64 "\n", c->hit,
            c->insert, c->hit + c->insert ? 100.0 * (double)c->hit / (double)(c->hit + c->insert) : 0.0, c->fault,
            c->major, c->evict, c->writeback);
}

static void proc_pcache_row(FILE *f, const struct vt_proc *p)
{
    pcache_row(f, &p->pc);
}

/* Headings of pcache_row's columns. */
static const char pcache_columns[] = "      hits    misses      hit%    faults     major    evicts writebacks";

/* Page cache per file: inode, path (from NAMES, or "?"), counts. */
static void file_table(FILE *f, const struct vt_guest *g, struct vt_ext2_names *names)
{
    if (!g->nfile)
        return;
    struct vt_pcache all;
    memset(&all, 0, sizeof all);
    fprintf(f, "\npage cache per file (inode from the records%s)\n  %-7s %-24s", names ? ", path from --disk" : "",
            "inode", "path");
    fprintf(f, "%s\n", pcache_columns);
    for (size_t i = 0; i < g->nfile; i++) {
        const struct vt_file *r = &g->file[i];
        const char *path = names ? vt_ext2_name(names, r->inode) : NULL;
        fprintf(f, "  %-7u %-24s", r->inode, path ? path : "?");
        pcache_row(f, &r->pc);
        pcache_add(&all, &r->pc);
    }
    fprintf(f, "  %-32s", "all");
    pcache_row(f, &all);
}

void vt_guest_print(const struct vt_guest *g, struct vt_ext2_names *names, FILE *f)
{
    struct vt_proc all;
    memset(&all, 0, sizeof all);
    for (size_t i = 0; i < g->nproc; i++) {
        const struct vt_proc *p = &g->proc[i];
        all.swap_out += p->swap_out;
        all.swap_in += p->swap_in;
        all.swap_hit += p->swap_hit;
        all.cow_copy += p->cow_copy;
        all.cow_reuse += p->cow_reuse;
        all.zero_fill += p->zero_fill;
        all.oom_kill += p->oom_kill;
        pcache_add(&all.pc, &p->pc);
        for (int s = 0; s < ANNOT_SOURCE_COUNT; s++)
            all.major[s] += p->major[s];
        for (int w = 0; w < ANNOT_WHO_COUNT; w++) {
            all.reclaim[w] += p->reclaim[w];
            all.scanned[w] += p->scanned[w];
            all.freed[w] += p->freed[w];
        }
    }
    char cols[160];
    snprintf(cols, sizeof cols, " %9s %9s %9s %10s %10s %9s %9s %10s %8s", "swap-out", "swap-in", "swap-hit",
             "major-swap", "major-file", "cow-copy", "cow-reuse", "zero-fill", "oom-kill");
    proc_table(f, g, &all, "per process (pid and name from proc-create, exec and comm; counts of annotation records)",
               cols, proc_counted, proc_counts_row);
    proc_table(f, g, &all, "page cache per process (hits: pcache-hit, a read() found its page; misses: pcache-insert, "
               "a page added; faults: file-fault, of which major read the disk; evicts and writebacks it ran)",
               pcache_columns, proc_pcache, proc_pcache_row);
    file_table(f, g, names);
    snprintf(cols, sizeof cols, " %13s %9s %9s %13s %9s %9s", "kswapd-passes", "scanned", "freed", "direct-passes",
             "scanned", "freed");
    proc_table(f, g, &all, "reclaim passes per process (reclaim records: passes, pages scanned, pages freed)", cols,
               proc_reclaimed, proc_reclaim_row);
    if (g->records[ANNOT_KSWAPD])
        fprintf(f, "\nkswapd: %" PRIu64 " wakes, %" PRIu64 " sleeps\n", g->kswapd[ANNOT_KSWAPD_WAKE],
                g->kswapd[ANNOT_KSWAPD_SLEEP]);
    const struct vt_frames *fr = &g->frames;
    if (fr->records) {
        uint64_t named = fr->free;
        for (int u = 0; u <= ANNOT_USE_COUNT; u++)
            named += fr->use[u];
        fprintf(f, "\nframes by use at the end (frame-alloc and frame-free records; a frame-alloc on an allocated "
                "frame changes its use)\n");
        for (unsigned u = 0; u < ANNOT_USE_COUNT; u++)
            fprintf(f, "  %-10s %10" PRIu64 "\n", annot_enum_name(&annot_frame_uses, u), fr->use[u]);
        if (fr->use[ANNOT_USE_COUNT])
            fprintf(f, "  %-10s %10" PRIu64 "\n", "other-use", fr->use[ANNOT_USE_COUNT]);
        fprintf(f, "  %-10s %10" PRIu64 "\n", "free", fr->free);
        fprintf(f, "  %" PRIu64 " frames named by %" PRIu64 " records; %" PRIu64 " changes of use; anonymous frames "
                "peak %" PRIu64 " (cycle %" PRIu64 ")\n", named, fr->records, fr->changes, fr->anon_peak,
                fr->anon_peak_cycle);
        if (fr->refree || fr->bad)
            fprintf(f, "  not counted: %" PRIu64 " frames freed while free, %" PRIu64 " records past 4 GiB or of "
                    "order %d or more\n", fr->refree, fr->bad, VT_FRAMES_ORDER_MAX);
    }
    if (g->malformed || g->unnamed)
        fprintf(f, "\nnot counted: %" PRIu64 " annotations of the wrong size for their kind, %" PRIu64
                " with a who, state or source value without a name\n", g->malformed, g->unnamed);
}
