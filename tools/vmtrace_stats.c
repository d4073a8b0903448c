/* vmtrace stats: the TLB hit rate over time, faults by kind and by address
 * space and pid, the hottest pages, the working set per interval and what
 * the guest kernel reported (per process, reclaim, kswapd, frames by use:
 * vmtrace_guest.c), in one pass over the records. */
#include "tools/vmtrace.h"
#include "trace/annot_desc.h"

#include <inttypes.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

struct hslot {
    uint64_t key;
    uint32_t id;
};

struct interval {
    uint64_t xlate, misses, faults, wset, annot_evict;
};

struct keycount {
    uint64_t key, n;
};

static int by_n_desc(const void *a, const void *b)
{
    const struct keycount *x = a, *y = b;
    return x->n < y->n ? 1 : x->n > y->n ? -1 : (x->key > y->key) - (x->key < y->key);
}

/* A small counting table: key -> count, printed sorted. */
struct counter {
    struct vt_map m;
    struct keycount *v;
    size_t n, cap;
};

static void counter_init(struct counter *c)
{
    vt_map_init(&c->m);
    c->v = NULL;
    c->n = c->cap = 0;
}

static void counter_add(struct counter *c, uint64_t key, uint64_t n)
{
    bool found;
    uint32_t *slot = vt_map_get(&c->m, key, (uint32_t)c->n, &found);
    if (!found) {
        if (c->n == c->cap) {
            c->cap = c->cap ? c->cap * 2 : 64;
            c->v = realloc(c->v, c->cap * sizeof *c->v);
            if (!c->v) {
                fprintf(stderr, "vmtrace: out of memory\n");
                exit(1);
            }
        }
        c->v[c->n++] = (struct keycount){ key, 0 };
    }
    c->v[*slot].n += n;
}

static void counter_sort(struct counter *c)
{
    if (c->n)       /* qsort(NULL, 0, ...) is undefined */
        qsort(c->v, c->n, sizeof *c->v, by_n_desc);
}

static void counter_free(struct counter *c)
{
    vt_map_free(&c->m);
    free(c->v);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);   /* one core's time: fair on a busy host */
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int vt_cmd_stats(int argc, char **argv)
{
    if (vt_want_help(argc, argv)) {
        printf("usage: vmtrace stats FILE [--interval CYCLES] [--top N] [--kernel-base ADDR] [--disk IMG] [--timing]\n\n"
               "One pass over the trace:\n"
               "  - translations per TLB and outcome;\n"
               "  - per interval of virtual time: translations, TLB hit rate, page faults, and the\n"
               "    working set (distinct pages touched in the interval);\n"
               "  - page faults by kind (error code), by address space (CR3) and by pid (from the\n"
               "    guest's context-switch annotations);\n"
               "  - the N hottest pages (by translations), per address space;\n"
               "  - the guest kernel's annotations (docs/trace-format.md): records per kind,\n"
               "    evictions by policy, then\n"
               "    per process (pid and name from proc-create, exec and comm; a pid created again\n"
               "    after its exit is a new row), counts of records: swap-out (evict), swap-in,\n"
               "    swap-hit (swap-cache-hit), major-swap and major-file (major-fault by source),\n"
               "    cow-copy, cow-reuse, zero-fill, oom-kill (processes with none are left out; a\n"
               "    line 'all' sums them);\n"
               "    page cache per process and per file (inode; its path when --disk names the\n"
               "    image the guest ran on): hits (pcache-hit: a read() found its page cached),\n"
               "    misses (pcache-insert: a page the cache did not hold was added, by a read,\n"
               "    read-ahead, a file fault or a write), faults (file-fault) and how many of\n"
               "    them read the disk (a major-fault of source file just before), evicts\n"
               "    (pcache-evict) and writebacks (writeback records);\n"
               "    reclaim passes per process (reclaim records by who: kswapd, direct) with the\n"
               "    pages they scanned and freed;\n"
               "    kswapd wakes and sleeps (kswapd records);\n"
               "    frames by use at the end (frame-alloc and frame-free records: a frame-alloc on\n"
               "    an allocated frame is a change of use; a frame-free of a frame never named is\n"
               "    one handed to the allocator at boot), with the peak of anonymous frames.\n"
               "    Records of a known kind with the wrong size, and reclaim, kswapd or major-fault\n"
               "    records whose who, state or source has no name, are counted apart.\n"
               "Pages at or above --kernel-base (default 0xC0000000) and global pages count in one\n"
               "shared kernel space. --interval defaults to a twentieth of the trace.\n"
               "--disk IMG reads the ext2 file system on IMG (its first Linux partition) to name\n"
               "the files by path. --timing prints the replay speed on stderr.\n");
        return 0;
    }
    const char *path = NULL, *disk = NULL;
    uint64_t interval = 0, top = 10, kbase = 0xC0000000u;
    bool timing = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--interval")) {
            if (!v || !vt_parse_u64(v, &interval) || !interval)
                return vt_usage("stats", "--interval takes a number of cycles > 0");
            i++;
        } else if (!strcmp(a, "--top")) {
            if (!v || !vt_parse_u64(v, &top))
                return vt_usage("stats", "--top takes a count");
            i++;
        } else if (!strcmp(a, "--kernel-base")) {
            if (!v || !vt_parse_u64(v, &kbase) || kbase > 0xFFFFFFFFu)
                return vt_usage("stats", "--kernel-base takes an address");
            i++;
        } else if (!strcmp(a, "--disk")) {
            if (!v)
                return vt_usage("stats", "--disk takes a disk image");
            disk = v;
            i++;
        } else if (!strcmp(a, "--timing")) {
            timing = true;
        } else if (a[0] == '-' && a[1]) {
            return vt_usage("stats", "unknown option %s", a);
        } else if (path) {
            return vt_usage("stats", "one FILE only");
        } else {
            path = a;
        }
    }
    if (!path)
        return vt_usage("stats", "no FILE");
    struct vt_ext2_names names;
    if (disk && !vt_ext2_names_load(&names, disk)) {
        vt_ext2_names_free(&names);
        return 2;
    }
    struct tr_reader *r = vt_open(path, 0);
    if (!r) {
        if (disk)
            vt_ext2_names_free(&names);
        return 2;
    }
    size_t nch = tr_reader_nchunks(r);
    size_t c0 = 0;      /* the symbol chunk (no events, cycle 0) does not start the time line */
    while (c0 + 1 < nch && tr_reader_chunk(r, c0)->nevents == 0)
        c0++;
    uint64_t first = nch ? tr_reader_chunk(r, c0)->first_cycle : 0;
    uint64_t lastc = nch ? tr_reader_chunk(r, nch - 1)->last_cycle : 0;
    if (!interval)
        interval = (lastc - first) / 20 + 1;
    size_t nint = (size_t)((lastc - first) / interval + 2);
    if (nint > 1000000) {
        tr_reader_close(r);
        return vt_usage("stats", "--interval too small for a trace of %" PRIu64 " cycles", lastc - first);
    }
    struct interval *iv = calloc(nint, sizeof *iv);
    struct vt_spaces sp;
    vt_spaces_init(&sp, (uint32_t)kbase);
    struct vt_map pages;            /* (space, page) -> dense id */
    vt_map_init(&pages);
    size_t pcap = 4096, pn = 0;
    uint64_t *prefs = calloc(pcap, sizeof *prefs);
    uint64_t *pkey = calloc(pcap, sizeof *pkey);
    uint32_t *plast = calloc(pcap, sizeof *plast);
    uint64_t per_tlb[8][5];
    memset(per_tlb, 0, sizeof per_tlb);
    uint64_t fault_kind[16] = { 0 }, annot[ANNOT_KIND_COUNT + 1] = { 0 }, flushes[3] = { 0 }, dropped[3] = { 0 };
    uint64_t disk_sectors[2] = { 0 }, disk_ops[2] = { 0 };
    struct counter f_cr3, f_pid;
    counter_init(&f_cr3);
    counter_init(&f_pid);
    struct vt_guest guest;
    vt_guest_init(&guest);
    struct counter f_fn, f_fn_space;    /* faults by function index; by (index, pid or cr3) */
    struct vt_map f_fn_ids;             /* symbol -> function index */
    const struct tr_symbol **fn_syms = NULL;
    counter_init(&f_fn);
    counter_init(&f_fn_space);
    vt_map_init(&f_fn_ids);
    tr_reader_nimages(r);               /* read the symbol chunk before the clock starts */
    uint64_t nev = 0, nrec = 0, last_key = UINT64_MAX;
    struct hslot hcache[256];
    uint64_t iv_lo = 1, iv_hi = 0;
    size_t ix = 0;
    memset(hcache, 0xFF, sizeof hcache);
    uint32_t last_id = 0;
    struct vt_progress pg;
    vt_progress_init(&pg, "stats");
    double t0 = now();
    struct tr_cursor *c = tr_cursor_new(r, 0);
    struct tr_event *evs = malloc(VT_BATCH * sizeof *evs);
    if (!evs) {
        fprintf(stderr, "vmtrace: out of memory\n");
        exit(1);
    }
    size_t nb;
    while ((nb = tr_cursor_batch(c, evs, VT_BATCH))) {
        for (struct tr_event *ev = evs; ev < evs + nb; ev++) {
            nrec++;
            nev += ev->count;
            if (ev->cycle < iv_lo || ev->cycle >= iv_hi) {   /* division only when the interval changes */
                uint64_t cyc = ev->cycle < first ? 0 : ev->cycle - first;
                ix = (size_t)(cyc / interval);
                if (ix >= nint)
                    ix = nint - 1;
                iv_lo = ev->cycle < first ? 0 : first + ix * interval;
                iv_hi = ix == nint - 1 ? UINT64_MAX : first + (ix + 1) * interval;
            }
            struct interval *it = &iv[ix];
            switch (ev->kind) {
            case TRK_XLATE: {
                const struct tr_xlate *x = &ev->u.xlate;
                per_tlb[x->tlb & 7][x->outcome < 5 ? x->outcome : 0] += ev->count;
                it->xlate += ev->count;
                if (x->outcome == TR_MISS || x->outcome == TR_MISS_FAULT)
                    it->misses += ev->count;
                uint32_t s = vt_space_of(&sp, ev->cr3, x->lin, x->global);
                uint64_t key = (uint64_t)s << 20 | x->lin >> 12;
                uint32_t id;
                struct hslot *hc = &hcache[(key ^ key >> 20) & 255];
                if (key == last_key) {
                    id = last_id;
                } else if (hc->key == key) {
                    id = hc->id;
                    last_key = key;
                    last_id = id;
                } else {
                    bool found;
                    id = *vt_map_get(&pages, key, (uint32_t)pn, &found);
                    if (!found) {
                        if (pn == pcap) {
                            pcap *= 2;
                            prefs = realloc(prefs, pcap * sizeof *prefs);
                            pkey = realloc(pkey, pcap * sizeof *pkey);
                            plast = realloc(plast, pcap * sizeof *plast);
                            if (!prefs || !pkey || !plast) {
                                fprintf(stderr, "vmtrace: out of memory\n");
                                exit(1);
                            }
                        }
                        prefs[pn] = 0;
                        pkey[pn] = key;
                        plast[pn] = UINT32_MAX;
                        pn++;
                    }
                    last_key = key;
                    last_id = id;
                    hc->key = key;
                    hc->id = id;
                }
                prefs[id] += ev->count;
                if (plast[id] != ix) {
                    plast[id] = (uint32_t)ix;
                    it->wset++;
                }
                break;
            }
            case TRK_FAULT: {
                it->faults++;
                fault_kind[ev->u.fault.err & 15]++;
                counter_add(&f_cr3, ev->cr3, 1);
                counter_add(&f_pid, ev->pid, 1);
                uint32_t off;
                const struct tr_symbol *sym = tr_reader_symbol(r, ev->pid, ev->u.fault.eip, &off);
                bool found;
                uint32_t fi = *vt_map_get(&f_fn_ids, (uint64_t)(uintptr_t)sym, (uint32_t)f_fn.n, &found);
                if (!found)
                    counter_add(&f_fn, fi, 0);
                counter_add(&f_fn, fi, 1);
                if (!found) {
                    fn_syms = realloc(fn_syms, f_fn.cap * sizeof *fn_syms);
                    if (!fn_syms) {
                        fprintf(stderr, "vmtrace: out of memory\n");
                        exit(1);
                    }
                    fn_syms[fi] = sym;
                }
                /* per address space: the pid when annotations name it, else the CR3 */
                uint64_t where = ev->pid != 0xFFFFFFFFu ? 1ull << 32 | ev->pid : ev->cr3;
                counter_add(&f_fn_space, (uint64_t)fi << 33 | where, 1);
                break;
            }
            case TRK_FLUSH:
                if (ev->u.flush.kind < 3) {
                    flushes[ev->u.flush.kind]++;
                    dropped[ev->u.flush.kind] += ev->u.flush.dropped;
                }
                break;
            case TRK_DISK:
                disk_ops[ev->u.disk.dir & 1]++;
                disk_sectors[ev->u.disk.dir & 1] += ev->u.disk.count;
                break;
            case TRK_ANNOT: {
                unsigned k = ev->u.annot.kind;
                annot[k < ANNOT_KIND_COUNT ? k : ANNOT_KIND_COUNT]++;
                if (k == ANNOT_EVICT)
                    it->annot_evict++;
                vt_guest_note(&guest, ev);
                break;
            }
            default:
                break;
            }
            if ((nrec & 0xFFFF) == 0)
                vt_progress(&pg, tr_cursor_chunk(c), nch);
        }
    }
    free(evs);
    vt_progress_done(&pg);
    double t1 = now();
    tr_cursor_free(c);

    const struct tr_header *h = tr_reader_header(r);
    printf("trace: %s: %" PRIu64 " events, cycles %" PRIu64 "-%" PRIu64 "\n\n", path, nev, first, lastc);
    printf("translations by TLB and outcome\n");
    printf("  %-6s %14s %14s %12s %12s %12s %9s\n", "tlb", "hit", "miss", "hit-fault", "miss-fault", "hit-dirty",
           "hit rate");
    for (int t = 0; t < 8; t++) {
        uint64_t *o = per_tlb[t], tot = o[0] + o[1] + o[2] + o[3] + o[4];
        if (!tot)
            continue;
        printf("  %-6s %14" PRIu64 " %14" PRIu64 " %12" PRIu64 " %12" PRIu64 " %12" PRIu64 " %8.3f%%\n",
               tr_tlb_name((unsigned)t), o[0], o[1], o[2], o[3], o[4],
               100.0 * (double)(o[0] + o[2] + o[4]) / (double)tot);
    }
    if (!(h->kinds & 1))
        printf("  (translations were not recorded: --trace-filter '%s')\n", h->filter);

    printf("\nover time (interval %" PRIu64 " cycles", interval);
    if (h->cpu_mhz)
        printf(" = %.3f ms virtual", (double)interval / (h->cpu_mhz * 1e3));
    printf(")\n  %-16s %14s %9s %10s %10s %8s\n", "from cycle", "translations", "hit rate", "faults",
           "working set", "evicts");
    for (size_t i = 0; i < nint; i++) {
        struct interval *it = &iv[i];
        if (!it->xlate && !it->faults && !it->annot_evict)
            continue;
        printf("  %-16" PRIu64 " %14" PRIu64 " %8.3f%% %10" PRIu64 " %10" PRIu64 "p %8" PRIu64 "\n",
               first + i * interval, it->xlate,
               it->xlate ? 100.0 * (double)(it->xlate - it->misses) / (double)it->xlate : 0.0, it->faults,
               it->wset, it->annot_evict);
    }

    uint64_t nf = 0;
    for (int i = 0; i < 16; i++)
        nf += fault_kind[i];
    printf("\npage faults: %" PRIu64 "\n", nf);
    for (int i = 0; i < 16; i++)
        if (fault_kind[i])
            printf("  %-10s %-5s %-10s%-5s %12" PRIu64 "\n", i & 1 ? "protection" : "not-present",
                   i & 2 ? "write" : "read", i & 4 ? "user" : "supervisor", i & 8 ? " rsvd" : "", fault_kind[i]);
    counter_sort(&f_cr3);
    counter_sort(&f_pid);
    if (f_cr3.n) {
        printf("  by address space:");
        for (size_t i = 0; i < f_cr3.n && i < top; i++)
            printf(" cr3=%08" PRIx64 ":%" PRIu64, f_cr3.v[i].key, f_cr3.v[i].n);
        printf("\n  by pid:");
        for (size_t i = 0; i < f_pid.n && i < top; i++) {
            if (f_pid.v[i].key == 0xFFFFFFFFu)
                printf(" (unknown):%" PRIu64, f_pid.v[i].n);
            else
                printf(" %" PRIu64 ":%" PRIu64, f_pid.v[i].key, f_pid.v[i].n);
        }
        printf("\n");
    }

    if (nf) {
        size_t nim = tr_reader_nimages(r);
        printf("\npage faults by function (EIP; %s)\n", nim ? "symbols from the trace" :
               "the trace has no symbol tables");
        counter_sort(&f_fn);
        counter_sort(&f_fn_space);
        for (size_t i = 0; i < f_fn.n && i < top; i++) {
            const struct tr_symbol *sym = fn_syms[f_fn.v[i].key];
            printf("  %-32s %10" PRIu64 "  %5.1f%% ", sym ? sym->name : "(no symbol)", f_fn.v[i].n,
                   100.0 * (double)f_fn.v[i].n / (double)nf);
            size_t shown = 0;
            for (size_t j = 0; j < f_fn_space.n; j++) {
                uint64_t k = f_fn_space.v[j].key;
                if (k >> 33 != f_fn.v[i].key)
                    continue;
                if (shown++ == 8) {
                    printf(" ...");
                    break;
                }
                if (k >> 32 & 1)
                    printf(" pid %u:%" PRIu64, (uint32_t)k, f_fn_space.v[j].n);
                else
                    printf(" cr3=%08x:%" PRIu64, (uint32_t)k, f_fn_space.v[j].n);
            }
            printf("\n");
        }
    }

    printf("\nhottest pages (of %zu distinct)\n", pn);
    struct keycount *hot = malloc((pn ? pn : 1) * sizeof *hot);
    for (size_t i = 0; i < pn; i++)
        hot[i] = (struct keycount){ pkey[i], prefs[i] };
    qsort(hot, pn, sizeof *hot, by_n_desc);
    uint64_t totref = 0;
    for (size_t i = 0; i < pn; i++)
        totref += hot[i].n;
    for (size_t i = 0; i < pn && i < top; i++) {
        uint32_t s = (uint32_t)(hot[i].key >> 20);
        char space[32];
        if (s == 0)
            snprintf(space, sizeof space, "kernel");
        else
            snprintf(space, sizeof space, "cr3=%08x", sp.cr3_of[s]);
        printf("  %-14s page %05" PRIx64 " (%08" PRIx64 ") %14" PRIu64 "  %6.2f%%\n", space, hot[i].key & 0xFFFFF,
               (hot[i].key & 0xFFFFF) << 12, hot[i].n, totref ? 100.0 * (double)hot[i].n / (double)totref : 0.0);
    }
    free(hot);

    printf("\nTLB flushes: cr3 %" PRIu64 " (%" PRIu64 " entries), all %" PRIu64 " (%" PRIu64 "), page %" PRIu64
           " (%" PRIu64 ")\n", flushes[0], dropped[0], flushes[1], dropped[1], flushes[2], dropped[2]);
    printf("disk: %" PRIu64 " reads (%" PRIu64 " sectors), %" PRIu64 " writes (%" PRIu64 " sectors)\n",
           disk_ops[0], disk_sectors[0], disk_ops[1], disk_sectors[1]);
    printf("\nguest memory-management decisions (annotations)\n");
    uint64_t na = 0;
    for (unsigned k = 1; k <= ANNOT_KIND_COUNT; k++)
        if (annot[k]) {
            const char *n = k < ANNOT_KIND_COUNT ? tr_annot_name(k) : "newer kinds";
            printf("  %-16s %12" PRIu64 "\n", n, annot[k]);
            na += annot[k];
        }
    if (!na)
        printf("  (none%s)\n", h->kinds & (1u << TRK_ANNOT) ? "" : ": annotations were not recorded");
    if (guest.records[ANNOT_EVICT]) {
        printf("  evictions by policy: ");
        vt_guest_print_policies(&guest, stdout);
        printf("\n");
    }
    vt_guest_print(&guest, disk ? &names : NULL, stdout);
    if (disk)
        vt_ext2_names_free(&names);
    if (timing)
        fprintf(stderr, "stats: %" PRIu64 " events (%" PRIu64 " records) in %.3f s: %.1f M events/s\n", nev, nrec,
                t1 - t0, (double)nev / (t1 - t0) / 1e6);
    counter_free(&f_cr3);
    counter_free(&f_pid);
    vt_guest_free(&guest);
    counter_free(&f_fn);
    counter_free(&f_fn_space);
    vt_map_free(&f_fn_ids);
    free(fn_syms);
    vt_map_free(&pages);
    vt_spaces_free(&sp);
    free(prefs);
    free(pkey);
    free(plast);
    free(iv);
    tr_reader_close(r);
    return 0;
}
