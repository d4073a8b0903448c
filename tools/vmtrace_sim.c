/* vmtrace sim and mrc: re-simulation of a recorded trace.
 *
 * sim --tlb SPEC replays the translation stream (and the flushes and faults
 * that change TLB contents) through the emulator's own TLB model, mmu/tlb.c,
 * compiled into vmtrace: with the recorded geometry it must reproduce the
 * recorded outcome of every translation, which --check asserts.
 *
 * sim --frames N --policy P replays the page-reference string (one reference
 * per translation, pages named by address space and linear page) against N
 * page frames under OPT (Belady), LRU, FIFO, CLOCK, LFU and 2Q, and sets the
 * guest kernel's own replacement (its evict, swap-in and major-fault
 * annotations) beside them on the user pages' references (sim_kernel).
 *
 * mrc prints the miss-ratio curve for every memory size up to --max frames,
 * from one pass of Mattson's stack algorithm for LRU (stack distances
 * counted with a Fenwick tree) and for OPT (the priority stack ordered by
 * next reference). */
#include "tools/vmtrace_sim.h"
#include "tools/vmtrace_multi.h"
#include "trace/annot_desc.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);   /* one core's time: fair on a busy host */
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ------------------------------------------------------------ sim --tlb */

static int sim_tlb(struct tr_reader *r, const char *spec, bool check, bool timing)
{
    const struct tr_header *h = tr_reader_header(r);
    struct tlb_config cfg;
    char err[512];
    bool recorded;
    if (!vt_tlb_config(h, spec, &cfg, &recorded, err, sizeof err)) {
        if (!strncmp(err, "--tlb", 5))
            fprintf(stderr, "vmtrace sim: %s\n", err);
        else
            fprintf(stderr, "vmtrace: %s: %s\n", tr_reader_name(r), err);
        return 2;
    }
    if (!(h->kinds & 1)) {
        fprintf(stderr, "vmtrace sim: %s: translations were not recorded (filter '%s')\n", tr_reader_name(r),
                h->filter);
        return 2;
    }
    char canon[512];
    tlb_config_format(&cfg, canon, sizeof canon);
    struct vt_tlb_replay s;
    if (!vt_tlb_replay_init(&s, &cfg)) {
        fprintf(stderr, "vmtrace: out of memory\n");
        return 1;
    }
    struct tr_cursor *c = tr_cursor_new(r, 0);
    struct tr_event *evs = vt_xmalloc(VT_BATCH * sizeof *evs);
    struct vt_progress pg;
    vt_progress_init(&pg, "sim");
    uint64_t nrec = 0;
    double t0 = now();
    size_t nb;
    while ((nb = tr_cursor_batch(c, evs, VT_BATCH))) {
        if (((nrec + nb) ^ nrec) & ~(uint64_t)0xFFFF)
            vt_progress(&pg, tr_cursor_chunk(c), tr_reader_nchunks(r));
        nrec += nb;
        vt_tlb_replay_batch(&s, evs, nb);
    }
    free(evs);
    double t1 = now();
    vt_progress_done(&pg);
    tr_cursor_free(c);
    printf("TLB:         %s%s\n", canon, recorded ? " (as recorded)" : "");
    printf("recorded:    %s\n", h->tlb_spec[0] ? h->tlb_spec : "(model default)");
    printf("translations %" PRIu64 ": simulated %" PRIu64 " hits, %" PRIu64 " misses (hit rate %.4f%%); "
           "recorded %" PRIu64 " hits, %" PRIu64 " misses (%.4f%%)\n", s.xlate, s.hits, s.misses,
           s.xlate ? 100.0 * (double)s.hits / (double)s.xlate : 0.0, s.rec_hits, s.rec_misses,
           s.xlate ? 100.0 * (double)s.rec_hits / (double)s.xlate : 0.0);
    tlb_print_stats(s.m, stdout, "  ");
    printf("agreement:   %" PRIu64 " of %" PRIu64 " translations have the recorded outcome and TLB", s.agree, s.xlate);
    if (s.first_disagree != UINT64_MAX)
        printf(" (first difference at event #%" PRIu64 ")", s.first_disagree);
    printf("\n");
    if (recorded)
        printf("%s\n", s.agree == s.xlate ? "reproduces the recorded counts exactly"
                                           : "DOES NOT reproduce the recorded counts");
    if (timing)
        fprintf(stderr, "sim --tlb: %" PRIu64 " events (%" PRIu64 " records) in %.3f s: %.1f M events/s\n",
                s.xlate, nrec, t1 - t0, (double)s.xlate / (t1 - t0) / 1e6);
    int rc = check && s.agree != s.xlate ? 1 : 0;
    vt_tlb_replay_free(&s);
    return rc;
}

/* Part of a reference string: the references to pages of one address
 * space, or of every user space, with repeats merged again. */
struct subset {
    uint32_t *ref, *cnt;            /* [n] page ids (those of struct vt_refs) and merged counts, 0 a death */
    size_t n;
    size_t deaths;                  /* entries of count 0 */
    uint64_t total;                 /* references */
    uint32_t pages, spaces;         /* distinct pages and address spaces in it */
};

#define SUBSET_USER (-1)            /* every address space but the kernel's (0) */

static void refs_subset(const struct vt_refs *R, int space, struct subset *S)
{
    memset(S, 0, sizeof *S);
    S->ref = vt_xmalloc(R->n * sizeof *S->ref);
    S->cnt = vt_xmalloc(R->n * sizeof *S->cnt);
    uint8_t *seen = vt_xcalloc(R->npages, 1), *sseen = vt_xcalloc(R->sp.n, 1);
    for (size_t i = 0; i < R->n; i++) {
        uint32_t x = R->ref[i], sp = R->space[x];
        if (space == SUBSET_USER ? sp == 0 : sp != (uint32_t)space)
            continue;
        if (S->n && S->ref[S->n - 1] == x && R->cnt[i] && S->cnt[S->n - 1]) {
            uint64_t v = (uint64_t)S->cnt[S->n - 1] + R->cnt[i];
            S->cnt[S->n - 1] = v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
        } else {
            S->ref[S->n] = x;
            S->cnt[S->n++] = R->cnt[i];
            S->deaths += !R->cnt[i];
        }
        S->total += R->cnt[i];
        S->pages += !seen[x];
        seen[x] = 1;
        S->spaces += !sseen[sp];
        sseen[sp] = 1;
    }
    free(seen);
    free(sseen);
}

static void subset_free(struct subset *S)
{
    free(S->ref);
    free(S->cnt);
}

/* "2.50x", or "-" when the base is 0. */
static const char *ratio(char *buf, size_t len, uint64_t x, uint64_t base)
{
    if (base)
        snprintf(buf, len, "%.2fx", (double)x / (double)base);
    else
        snprintf(buf, len, "-");
    return buf;
}

/* The guest kernel's replacement beside the simulated policies (sim
 * --frames with --kernel, --frames auto, or a trace with evict or swap-in
 * records). The stream is the user pages' references; every policy runs on
 * it with N frames. Faults split into first touches (one per page life,
 * the same under every policy) and re-faults; evictions are the live pages
 * a policy pushed out to make room (vt_run_policy): a dead page's frame is
 * freed, as the kernel frees it, without an eviction, as the kernel's evict
 * records are of live pages only. Those records are its swap writes: a
 * clean swap-cache page that reclaim drops (shrink_cache) leaves without
 * one, so the kernel's evictions undercount its pages' departures. The
 * kernel's counterparts are its evict records and every page it read back
 * from the disk after it had been in memory: its swap-ins (read-around
 * included, which its major faults leave out) and its page-cache re-reads.
 * Those include file pages read through read(), which the reference string
 * (mapped pages only) does not have, so the kernel's figure is an upper
 * bound and never flatters it. */
static void sim_kernel(const struct vt_refs *R, uint64_t N, bool automatic, const bool *want,
                       const struct vt_guest *g, uint32_t kbase)
{
    struct subset S;
    refs_subset(R, SUBSET_USER, &S);
    uint64_t evicts = g->records[ANNOT_EVICT], swapins = g->records[ANNOT_SWAP_IN];
    uint64_t major_swap = 0, major_file = 0;
    for (size_t i = 0; i < g->nproc; i++) {
        major_swap += g->proc[i].major[ANNOT_SOURCE_SWAP];
        major_file += g->proc[i].major[ANNOT_SOURCE_FILE];
    }
    uint64_t kernel_refaults = swapins + g->reread;

    printf("\nguest kernel beside the policies: user pages (below 0x%08x, not global), one memory\n", kbase);
    printf("  references: %" PRIu64 " (%zu after merging repeats) to %u pages in %u address spaces\n", S.total,
           S.n - S.deaths, S.pages, S.spaces);
    if (automatic)
        printf("  frames: %" PRIu64 " (auto: the peak of the kernel's anonymous frames)\n", N);
    else
        printf("  frames: %" PRIu64 "\n", N);
    printf("  kernel: %" PRIu64 " evictions, %" PRIu64 " swap-ins, %" PRIu64 " major faults (%" PRIu64 " swap, %" PRIu64
           " file), %" PRIu64 " page-cache evictions, %" PRIu64 " page-cache re-reads\n", evicts, swapins,
           major_swap + major_file, major_swap, major_file, g->records[ANNOT_PCACHE_EVICT], g->reread);
    printf("  kernel re-faults: swap-ins (read-around included) + page-cache re-reads (read() included: an upper "
           "bound)\n");
    printf("  kernel evictions: evict records, which are swap writes (a clean swap-cache page dropped has none; each "
           "swap-in is of a page that left: %" PRIu64 ")\n", swapins);
    printf("  page deaths: %zu (%" PRIu32 " unmapped, %" PRIu32 " with their address space, %" PRIu32 " named anew by a "
           "zero-fill): frames freed, not evictions\n", S.deaths, R->died_unmap, R->died_space, R->reborn);
    printf("  kernel policy: ");
    unsigned kinds = 0, which = 0;
    for (unsigned i = 0; i <= ANNOT_POLICY_COUNT; i++)
        if (g->evict_policy[i])
            kinds++, which = i;
    if (!evicts)
        printf("- (no evict records)\n");
    else if (kinds == 1 && which < ANNOT_POLICY_COUNT)
        printf("%s (id %u, on all %" PRIu64 " evict records)\n", annot_enum_name(&annot_policies, which), which,
               evicts);
    else {
        printf("mixed (");
        vt_guest_print_policies(g, stdout);
        printf(")\n");
    }
    const struct vt_frames *fr = &g->frames;
    if (fr->records)
        printf("  kernel's anonymous frames: peak %" PRIu64 " (cycle %" PRIu64 "), %" PRIu64 " at the end; with the "
               "swap cache: peak %" PRIu64 "\n", fr->anon_peak, fr->anon_peak_cycle, fr->use[ANNOT_USE_ANON],
               fr->anon_swap_peak);
    uint64_t *next = vt_next_use(S.ref, S.cnt, S.n, R->npages);
    struct vt_policy_count none = { 0, 0 };
    struct vt_policy_count opt = S.n ? vt_run_policy(VT_P_OPT, S.ref, S.cnt, S.n, R->npages, (uint32_t)N, next) : none;
    uint64_t opt_re = opt.faults - S.pages, opt_ev = opt.evictions;
    char r1[32], r2[32];
    printf("  %-8s %10s %10s %10s %14s %14s\n", "policy", "faults", "re-faults", "evictions", "re-faults/OPT",
           "evictions/OPT");
    printf("  %-8s %10s %10" PRIu64 " %10" PRIu64 " %14s %14s\n", "kernel", "-", kernel_refaults, evicts,
           ratio(r1, sizeof r1, kernel_refaults, opt_re), ratio(r2, sizeof r2, evicts, opt_ev));
    for (int p = 0; p < VT_P_COUNT; p++) {
        if (!want[p] && p != VT_P_OPT)
            continue;
        struct vt_policy_count k = p == VT_P_OPT ? opt
                                   : S.n ? vt_run_policy((enum vt_policy)p, S.ref, S.cnt, S.n, R->npages, (uint32_t)N, next)
                                         : none;
        uint64_t re = k.faults - S.pages, ev = k.evictions;
        printf("  %-8s %10" PRIu64 " %10" PRIu64 " %10" PRIu64 " %14s %14s\n", vt_policy_names[p], k.faults, re, ev,
               ratio(r1, sizeof r1, re, opt_re), ratio(r2, sizeof r2, ev, opt_ev));
    }
    free(next);
    subset_free(&S);
}

/* sim --frames: N frames (0: auto, the kernel's peak of anonymous frames). */
static int sim_frames(struct tr_reader *r, uint64_t N, const char *policies, bool per_space, bool kernel,
                      uint32_t kbase, bool timing)
{
    bool want[VT_P_COUNT];
    char err[256];
    if (!vt_policy_parse(policies, want, err, sizeof err))
        return vt_usage("sim", "%s", err);
    bool automatic = N == 0;
    if (N > 100000000)
        return vt_usage("sim", "--frames takes a count between 1 and 10^8, or auto");
    struct vt_refs R;
    struct vt_guest g;
    vt_guest_init(&g);
    double t0 = now();
    vt_refs_load(&R, r, kbase, -1, false, &g);
    double t1 = now();
    if (automatic) {
        N = g.frames.anon_peak;
        if (!N) {
            fprintf(stderr, "vmtrace sim: --frames auto: %s has no frame-alloc records of anonymous frames "
                    "(use anon)\n", tr_reader_name(r));
            vt_guest_free(&g);
            vt_refs_free(&R);
            return 2;
        }
        kernel = true;
    }
    if (!kernel) {
        printf("page references: %" PRIu64 " (%zu after merging repeats), %u distinct pages in %u address spaces\n",
               R.total, R.n - R.deaths, R.npages, R.sp.n);
        printf("page deaths: %zu (%" PRIu32 " unmapped, %" PRIu32 " with their address space, %" PRIu32 " named anew by "
               "a zero-fill): frames freed, not evictions\n", R.deaths, R.died_unmap, R.died_space, R.reborn);
        printf("frames: %" PRIu64 ", %s\n", N, per_space ? "each address space on its own" : "one memory for all spaces");
    }
    uint32_t nspace = kernel ? 0 : per_space ? R.sp.n : 1;
    for (uint32_t s = 0; s < nspace; s++) {
        const uint32_t *ref = R.ref, *cnt = R.cnt;
        size_t n = R.n;
        uint64_t total = R.total;
        struct subset S = { 0 };
        if (per_space) {
            refs_subset(&R, (int)s, &S);
            if (!S.n) {
                subset_free(&S);
                continue;
            }
            ref = S.ref;
            cnt = S.cnt;
            n = S.n;
            total = S.total;
            if (s == 0)
                printf("\nspace kernel:\n");
            else
                printf("\nspace cr3=%08x:\n", R.sp.cr3_of[s]);
        }
        uint64_t *next = want[VT_P_OPT] ? vt_next_use(ref, cnt, n, R.npages) : NULL;
        uint64_t opt = 0;
        printf("  %-6s %14s %12s %12s %10s\n", "policy", "faults", "evictions", "fault rate", "vs OPT");
        for (int p = 0; p < VT_P_COUNT; p++) {
            if (!want[p])
                continue;
            struct vt_policy_count k = vt_run_policy((enum vt_policy)p, ref, cnt, n, R.npages, (uint32_t)N, next);
            uint64_t f = k.faults;
            if (p == VT_P_OPT)
                opt = f;
            printf("  %-6s %14" PRIu64 " %12" PRIu64 " %11.5f%%", vt_policy_names[p], f, k.evictions,
                   total ? 100.0 * (double)f / (double)total : 0.0);
            if (want[VT_P_OPT] && opt)
                printf(" %9.3fx", (double)f / (double)opt);
            printf("\n");
        }
        free(next);
        subset_free(&S);
    }
    if (kernel || g.records[ANNOT_EVICT] || g.records[ANNOT_SWAP_IN])
        sim_kernel(&R, N, automatic, want, &g, kbase);
    double t2 = now();
    if (timing)
        fprintf(stderr, "sim --frames: read %" PRIu64 " references in %.3f s (%.1f M/s), policies %.3f s\n", R.total,
                t1 - t0, (double)R.total / (t1 - t0) / 1e6, t2 - t1);
    vt_guest_free(&g);
    vt_refs_free(&R);
    return 0;
}

/* sim with many configurations (tools/vmtrace_multi.h). SINGLE_ONLY: an
 * option of the one-configuration forms was given. */
static int sim_multi(const char *path, struct vt_cfgs *cfgs, const char *frames, const char *pol, unsigned jobs,
                     uint32_t kbase, const char *csv, const char *json, bool single_only, bool timing)
{
    char err[512];
    if (single_only)
        return vt_usage("sim", "--check, --per-space and --kernel take one configuration");
    if (csv && json)
        return vt_usage("sim", "--csv or --json, not both");
    if (frames && !strcmp(frames, "auto"))
        return vt_usage("sim", "--frames auto takes one configuration");
    if (frames && !vt_cfgs_add_frames(cfgs, frames, pol, err, sizeof err))
        return vt_usage("sim", "%s", err);
    if (!cfgs->n)
        return vt_usage("sim", "give --tlb SPEC, --grid or --frames N");
    if (!vt_cfgs_check(cfgs, err, sizeof err))
        return vt_usage("sim", "%s", err);
    const char *out = csv ? csv : json;
    FILE *f = stdout;
    if (out && strcmp(out, "-") && !(f = fopen(out, "w"))) {
        fprintf(stderr, "vmtrace: %s: cannot create: %s\n", out, strerror(errno));
        return 2;
    }
    struct tr_reader *r = vt_open(path, 0);
    if (!r) {
        if (f != stdout)
            fclose(f);
        return 2;
    }
    struct vt_row *rows = vt_xcalloc(cfgs->n, sizeof *rows);
    struct timespec w0, w1;
    clock_gettime(CLOCK_MONOTONIC, &w0);
    int rc = vt_multi_run(r, cfgs->v, cfgs->n, jobs, kbase, rows);
    clock_gettime(CLOCK_MONOTONIC, &w1);
    if (!rc)
        vt_rows_write(f, csv ? VT_ROWS_CSV : json ? VT_ROWS_JSON : VT_ROWS_TABLE, rows, cfgs->n);
    if (timing)
        fprintf(stderr, "sim: %zu configurations in one pass: %.3f s\n", cfgs->n,
                (double)(w1.tv_sec - w0.tv_sec) + (w1.tv_nsec - w0.tv_nsec) / 1e9);
    if (ferror(f) || (f != stdout ? fclose(f) : fflush(f))) {
        fprintf(stderr, "vmtrace: %s: write error\n", out ? out : "stdout");
        rc = rc ? rc : 1;
    }
    free(rows);
    tr_reader_close(r);
    return rc;
}

int vt_cmd_sim(int argc, char **argv)
{
    if (vt_want_help(argc, argv)) {
        printf("usage: vmtrace sim FILE --tlb SPEC|recorded [--check] [--timing]\n"
               "       vmtrace sim FILE --frames N|auto [--policy P,...|all] [--per-space] [--kernel]\n"
               "                        [--kernel-base A]\n"
               "       vmtrace sim FILE [--tlb SPEC]... [--grid GRID] [--frames N,N,... [--policy P,...]]\n"
               "                        [--jobs N] [--csv OUT|--json OUT] [--kernel-base A] [--timing]\n\n"
               "--tlb: re-run the recorded translations, flushes and faults through the emulator's TLB\n"
               "  model with geometry/policy SPEC (vmscope run --tlb syntax, e.g.\n"
               "  itlb=64:4,dtlb=128:8,policy=plru; 'recorded' = the file's own). Prints hits and misses\n"
               "  per structure, and how many translations got the recorded outcome. With the recorded\n"
               "  geometry that must be all of them; --check makes any difference exit status 1.\n"
               "--frames: replay the page-reference string (one reference per translation; a page is\n"
               "  an address space and a linear page, for one life; pages at or above --kernel-base,\n"
               "  default 0xC0000000, and global pages are one shared kernel space) against N frames\n"
               "  under opt, lru, fifo, clock, lfu, 2q (default: all) and print the faults and evictions\n"
               "  of each. --per-space gives each address space its own N frames.\n"
               "Page deaths: a user page dies, as the guest kernel's annotations say, in the range of a\n"
               "  vma-unmap (munmap, brk, mremap, exit) of the address space in force when that space is\n"
               "  the record's pid's (exec's unmapping of the old mm runs with the new one's CR3: skipped),\n"
               "  with its whole address space when the page directory's frame is freed or allocated\n"
               "  again (exit, exec), and when a zero-fill names a page already used. A policy frees a\n"
               "  dead page's frame (no fault, no eviction); the next reference to that address is a new\n"
               "  page. An eviction is a live page a policy held and pushed out to make room.\n"
               "The guest kernel beside the policies (printed after that table when the trace holds\n"
               "  evict or swap-in records; alone with --kernel or --frames auto): the stream is the\n"
               "  user pages' references only (below --kernel-base, not global; one memory for every\n"
               "  user address space), run through every policy with N frames. A line per policy and\n"
               "  one for the kernel: faults; re-faults, the faults on a page referenced before in its\n"
               "  life (each page's first reference is a fault under every policy; the kernel's\n"
               "  re-faults are its swap-in records, read-around included, and its page-cache re-reads,\n"
               "  read() included: an upper bound); evictions (the kernel's are its evict records: swap\n"
               "  writes, so a clean swap-cache page it drops is not one); and both as ratios to OPT\n"
               "  (Belady's; it minimises faults, not evictions: it pushes out a page never used again,\n"
               "  dying or not, first). The kernel's line also gives the policy id on its evict records\n"
               "  and its anonymous frames over time.\n"
               "  --frames auto takes N from the trace: the peak number of frames holding anonymous\n"
               "  pages at once (frame-alloc records of use anon, less frame-free records and changes\n"
               "  of use, e.g. into the swap cache).\n"
               "  Caveats: the kernel evicts only anonymous pages (a file page it drops is a page-cache\n"
               "  eviction, counted apart), while the stream holds every user page; and the kernel had\n"
               "  fewer frames for user pages when its own memory use grew, not a fixed N, so its\n"
               "  figures are those of a memory that varied (the anonymous-frame peak and end values\n"
               "  show by how much).\n"
               "Many configurations in one read of the trace: --tlb given more than once, --grid, a list\n"
               "  of --frames counts, --tlb with --frames, --jobs, --csv or --json. --grid\n"
               "  'dtlb=32:4,64:4,128:8;policy=lru,plru,fifo' adds the cross product of its dimensions\n"
               "  (';' between dimensions, --tlb keys, the first varying slowest); --frames N,N,... with\n"
               "  --policy P,... (default all) adds every count under every policy. One thread decodes,\n"
               "  the simulators run on --jobs N threads (default: the machine's cores); the figures are\n"
               "  those of separate runs, bit for bit. One row per configuration: a table, or --csv OUT\n"
               "  / --json OUT ('-' = standard output) with the columns trace, kind (tlb|frames), config,\n"
               "  structure, policy, lookups, hits, misses, hit_rate, evictions, faults. A TLB row counts\n"
               "  the structure its spec names first (dtlb=64:4,... counts the DTLB: lookups, hits, misses,\n"
               "  capacity and conflict evictions), or every translation when it names none (structure\n"
               "  'all'); its policy is that structure's. A frames row: lookups are references, misses\n"
               "  and faults the policy's faults, evictions the live pages it pushed out; structure empty.\n"
               "  A progress bar (bytes read, events/s, time left) on stderr when it is a terminal.\n");
        return 0;
    }
    struct vt_cfgs cfgs = { 0 };
    char cerr[512];
    const char *frames_list = NULL, *csv = NULL, *json = NULL;
    uint64_t jobs = 0;
    unsigned ntlb = 0;
    bool grid = false, multi_opt = false;
    const char *path = NULL, *tlb = NULL, *pol = NULL;
    uint64_t frames = 0, kbase = 0xC0000000u;
    bool check = false, timing = false, per_space = false, have_tlb = false, have_frames = false, kernel = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--tlb")) {
            if (!v)
                return vt_usage("sim", "--tlb takes a SPEC or 'recorded'");
            tlb = v;
            have_tlb = true;
            if (!vt_cfgs_add_tlb(&cfgs, v))
                return vt_usage("sim", "--tlb: spec too long");
            ntlb++;
            i++;
        } else if (!strcmp(a, "--grid")) {
            if (!v)
                return vt_usage("sim", "--grid takes key=v,v;key=v,...");
            if (!vt_cfgs_add_grid(&cfgs, v, cerr, sizeof cerr))
                return vt_usage("sim", "%s", cerr);
            grid = true;
            i++;
        } else if (!strcmp(a, "--jobs")) {
            if (!v || !vt_parse_u64(v, &jobs) || !jobs || jobs > 1024)
                return vt_usage("sim", "--jobs takes a count between 1 and 1024");
            multi_opt = true;
            i++;
        } else if (!strcmp(a, "--csv") || !strcmp(a, "--json")) {
            if (!v)
                return vt_usage("sim", "%s takes a file or -", a);
            *(a[2] == 'c' ? &csv : &json) = v;
            multi_opt = true;
            i++;
        } else if (!strcmp(a, "--frames")) {
            if (!v)
                return vt_usage("sim", "--frames takes a count or auto");
            frames_list = v;
            if (!strchr(v, ',') && strcmp(v, "auto") && (!vt_parse_u64(v, &frames) || !frames))
                return vt_usage("sim", "--frames takes a count or auto");
            if (!strcmp(v, "auto"))
                frames = 0;
            have_frames = true;
            i++;
        } else if (!strcmp(a, "--policy")) {
            if (!v)
                return vt_usage("sim", "--policy takes opt|lru|fifo|clock|lfu|2q or a comma list");
            pol = v;
            i++;
        } else if (!strcmp(a, "--kernel-base")) {
            if (!v || !vt_parse_u64(v, &kbase) || kbase > 0xFFFFFFFFu)
                return vt_usage("sim", "--kernel-base takes an address");
            i++;
        } else if (!strcmp(a, "--check")) {
            check = true;
        } else if (!strcmp(a, "--timing")) {
            timing = true;
        } else if (!strcmp(a, "--per-space")) {
            per_space = true;
        } else if (!strcmp(a, "--kernel")) {
            kernel = true;
        } else if (a[0] == '-' && a[1]) {
            return vt_usage("sim", "unknown option %s", a);
        } else if (path) {
            return vt_usage("sim", "one FILE only");
        } else {
            path = a;
        }
    }
    if (!path)
        return vt_usage("sim", "no FILE");
    if (ntlb > 1 || grid || (have_tlb && have_frames) || (frames_list && strchr(frames_list, ',')) || multi_opt) {
        int rc = sim_multi(path, &cfgs, frames_list, pol, (unsigned)jobs, (uint32_t)kbase, csv, json, check || per_space || kernel,
                           timing);
        vt_cfgs_free(&cfgs);
        return rc;
    }
    vt_cfgs_free(&cfgs);
    if (have_tlb == have_frames)
        return vt_usage("sim", "give either --tlb SPEC or --frames N");
    if (have_frames && !frames && per_space)
        return vt_usage("sim", "--frames auto compares one memory for all user pages: not with --per-space");
    if (kernel && per_space)
        return vt_usage("sim", "--kernel compares one memory for all user pages: not with --per-space");
    struct tr_reader *r = vt_open(path, 0);
    if (!r)
        return 2;
    int rc = have_tlb ? sim_tlb(r, tlb, check, timing) : sim_frames(r, frames, pol, per_space, kernel, (uint32_t)kbase, timing);
    tr_reader_close(r);
    return rc;
}

/* ------------------------------------------------------------ mrc */

/* LRU stack distances with a Fenwick tree over reference positions: a page's
 * distance is 1 + the number of distinct pages referenced since its previous
 * reference (Mattson et al. 1970; Bennett & Kruskal 1975). hist[d] counts
 * distances d <= max; cold and deeper references are misses at every size.
 *
 * A page's death (an entry of count 0) frees its frame at every size that
 * held it, which a stack without the page would not show: with N frames,
 * LRU holds the live pages among the top N places of the stack in which a
 * dead page leaves a hole where it was. A reference takes the page to the
 * top and moves the places above it down by one, down to the first hole,
 * which it fills (a size with a free frame evicts nothing); when that hole
 * was above the page, the page's old place becomes the hole. A hole is a
 * mark left at the dead page's position; the topmost is the latest of them
 * (a max-heap of positions). */
struct holes {
    size_t *a;
    size_t n;
};

static void holes_push(struct holes *h, size_t pos)
{
    size_t i = h->n++;
    while (i && h->a[(i - 1) / 2] < pos) {
        h->a[i] = h->a[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    h->a[i] = pos;
}

static void holes_pop(struct holes *h)
{
    size_t x = h->a[--h->n], i = 0;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= h->n)
            break;
        if (c + 1 < h->n && h->a[c + 1] > h->a[c])
            c++;
        if (h->a[c] <= x)
            break;
        h->a[i] = h->a[c];
        i = c;
    }
    if (h->n)
        h->a[i] = x;
}

static void mrc_lru(const struct vt_refs *R, uint32_t max, uint64_t *hist)
{
    size_t n = R->n;
    uint32_t *bit = vt_xcalloc(n + 1, sizeof *bit);
    uint64_t *last = vt_xmalloc((size_t)R->npages * sizeof *last);
    memset(last, 0xFF, (size_t)R->npages * sizeof *last);
    struct holes h = { vt_xmalloc((R->deaths ? R->deaths : 1) * sizeof *h.a), 0 };
    for (size_t i = 0; i < n; i++) {
        uint32_t x = R->ref[i];
        uint64_t p = last[x];
        if (!R->cnt[i]) {                   /* its mark stays, as a hole */
            if (p != UINT64_MAX)
                holes_push(&h, (size_t)p);
            last[x] = UINT64_MAX;
            continue;
        }
        uint64_t gone = p;                  /* the mark that leaves: the page's own, or the hole it fills */
        if (p != UINT64_MAX) {
            /* marks in (p, i): prefix(i-1) - prefix(p) */
            uint64_t s = 0;
            for (size_t k = i; k > 0; k -= k & -k)
                s += bit[k];
            for (size_t k = p + 1; k > 0; k -= k & -k)
                s -= bit[k];
            uint64_t d = s + 1;
            if (d <= max)
                hist[d]++;
            if (h.n && h.a[0] > p) {        /* a hole above: filled, and the page's place is one */
                gone = h.a[0];
                holes_pop(&h);
                holes_push(&h, (size_t)p);
            }
        } else if (h.n) {                   /* a cold page fills the topmost hole */
            gone = h.a[0];
            holes_pop(&h);
        }
        if (gone != UINT64_MAX)
            for (size_t k = gone + 1; k <= n; k += k & -k)
                bit[k]--;
        for (size_t k = i + 1; k <= n; k += k & -k)
            bit[k]++;
        last[x] = i;
    }
    free(bit);
    free(last);
    free(h.a);
}

/* OPT stack distances (Mattson et al. 1970, the OPT priority stack): on each
 * reference the page goes to the top and, level by level down to where it
 * was, the page referenced sooner stays and the other moves down. The stack
 * is cut at MAX levels, which is exact for every size up to MAX. A page
 * that dies is never referenced again (vt_next_use), so it moves down at
 * every level it is compared at, like a hole: at every size, the misses are
 * those of OPT freeing its frame at the death (an OPT that holds a page
 * never used again evicts such a page first, and which one does not change
 * a later miss). */
static void mrc_opt(const struct vt_refs *R, uint32_t max, uint64_t *hist, struct vt_progress *pg)
{
    size_t n = R->n;
    uint64_t *next = vt_next_use(R->ref, R->cnt, n, R->npages);
    uint64_t *nu = vt_xmalloc((size_t)R->npages * sizeof *nu);   /* page -> its next reference */
    uint32_t *st = vt_xmalloc((size_t)max * sizeof *st);
    uint32_t depth = 0;
    for (size_t i = 0; i < n; i++) {
        if ((i & 0xFFFF) == 0)
            vt_progress(pg, i, n);
        if (!R->cnt[i])
            continue;
        uint32_t x = R->ref[i];
        uint32_t k;
        for (k = 0; k < depth && st[k] != x; k++)
            ;
        if (k < depth)
            hist[k + 1]++;
        nu[x] = next[i];
        if (k == 0 && depth) {
            continue;
        }
        uint32_t carry = depth ? st[0] : VT_NIL;
        st[0] = x;
        uint32_t end = k < depth ? k : depth;
        for (uint32_t j = 1; j < end; j++) {
            if (nu[st[j]] > nu[carry]) {    /* st[j] is needed later: it moves down */
                uint32_t t = st[j];
                st[j] = carry;
                carry = t;
            }
        }
        if (k < depth) {
            st[k] = carry;
        } else if (carry != VT_NIL) {
            if (depth < max)
                st[depth++] = carry;
            else if (depth == 0)
                st[depth++] = x;
        } else if (!depth) {
            depth = 1;
        }
    }
    free(next);
    free(nu);
    free(st);
}

static double svg_x(double v, double maxv) { return 60 + 560 * v / maxv; }
static double svg_y(double v, double maxv) { return 340 - 300 * v / maxv; }

static int write_svg(const char *path, const char *title, uint32_t max, const double *lru, const double *opt)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        fprintf(stderr, "vmtrace: %s: cannot create: %s\n", path, strerror(errno));
        return 2;
    }
    double ymax = 0;
    for (uint32_t i = 1; i <= max; i++) {
        if (lru[i] > ymax) ymax = lru[i];
        if (opt && opt[i] > ymax) ymax = opt[i];
    }
    if (ymax <= 0)
        ymax = 1;
    fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"640\" height=\"400\" font-family=\"sans-serif\" "
               "font-size=\"12\">\n<rect width=\"640\" height=\"400\" fill=\"white\"/>\n");
    fprintf(f, "<text x=\"320\" y=\"20\" text-anchor=\"middle\" font-size=\"14\">miss-ratio curve: ");
    for (const char *s = title; *s; s++)
        if (*s == '<') fputs("&lt;", f); else if (*s == '&') fputs("&amp;", f); else fputc(*s, f);
    fprintf(f, "</text>\n<line x1=\"60\" y1=\"340\" x2=\"620\" y2=\"340\" stroke=\"black\"/>\n"
               "<line x1=\"60\" y1=\"40\" x2=\"60\" y2=\"340\" stroke=\"black\"/>\n");
    for (int t = 0; t <= 4; t++) {
        double v = ymax * t / 4, y = svg_y(v, ymax);
        fprintf(f, "<line x1=\"56\" y1=\"%.1f\" x2=\"620\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                   "<text x=\"52\" y=\"%.1f\" text-anchor=\"end\">%.3g</text>\n", y, y, y + 4, v);
        double xv = (double)max * t / 4, x = svg_x(xv, max);
        fprintf(f, "<text x=\"%.1f\" y=\"356\" text-anchor=\"middle\">%.0f</text>\n", x, xv);
    }
    fprintf(f, "<text x=\"340\" y=\"384\" text-anchor=\"middle\">frames</text>\n"
               "<text x=\"16\" y=\"190\" transform=\"rotate(-90 16 190)\" text-anchor=\"middle\">miss ratio</text>\n");
    for (int c = 0; c < 2; c++) {
        const double *v = c ? opt : lru;
        if (!v)
            continue;
        fprintf(f, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\" points=\"", c ? "#c0392b" : "#2c7fb8");
        uint32_t step = max > 2000 ? max / 1000 : 1;
        for (uint32_t i = 1; i <= max; i += step)
            fprintf(f, "%.1f,%.1f ", svg_x(i, max), svg_y(v[i], ymax));
        fprintf(f, "\"/>\n<text x=\"560\" y=\"%d\" fill=\"%s\">%s</text>\n", 60 + 16 * c, c ? "#c0392b" : "#2c7fb8",
                c ? "OPT" : "LRU");
    }
    fprintf(f, "</svg>\n");
    int rc = ferror(f) | fclose(f);
    if (rc)
        fprintf(stderr, "vmtrace: %s: write error\n", path);
    return rc ? 1 : 0;
}

int vt_cmd_mrc(int argc, char **argv)
{
    if (vt_want_help(argc, argv)) {
        printf("usage: vmtrace mrc FILE [--max N] [--no-opt] [--csv OUT] [--svg OUT] [--kernel-base A]\n"
               "                        [--space ID] [--no-lives]\n\n"
               "Miss ratio for every memory size from 1 to N frames (default: the number of distinct\n"
               "pages, at most 4096) under LRU (Mattson's stack algorithm) and OPT (the OPT priority\n"
               "stack), in one pass each over the page-reference string (one reference per\n"
               "translation). CSV on standard output (or --csv OUT): frames,lru_misses,lru_ratio,\n"
               "opt_misses,opt_ratio. --svg OUT draws both curves. --space ID restricts the string\n"
               "to one address space (0 = kernel, then CR3s in order of appearance). The string is\n"
               "sim --frames' (vmtrace sim --help), page deaths included: each size's misses are the\n"
               "faults of sim --frames N --policy lru or opt. --no-lives takes the textbook string\n"
               "instead: a page is its address space (CR3) and virtual page for the whole trace, and\n"
               "no page dies.\n");
        return 0;
    }
    const char *path = NULL, *csv = NULL, *svg = NULL;
    uint64_t max = 0, kbase = 0xC0000000u, space = UINT64_MAX;
    bool opt = true, whole = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--max")) {
            if (!v || !vt_parse_u64(v, &max) || !max || max > 10000000)
                return vt_usage("mrc", "--max takes a count between 1 and 10^7");
            i++;
        } else if (!strcmp(a, "--csv")) {
            if (!v) return vt_usage("mrc", "--csv takes a file");
            csv = v;
            i++;
        } else if (!strcmp(a, "--svg")) {
            if (!v) return vt_usage("mrc", "--svg takes a file");
            svg = v;
            i++;
        } else if (!strcmp(a, "--kernel-base")) {
            if (!v || !vt_parse_u64(v, &kbase) || kbase > 0xFFFFFFFFu)
                return vt_usage("mrc", "--kernel-base takes an address");
            i++;
        } else if (!strcmp(a, "--space")) {
            if (!v || !vt_parse_u64(v, &space))
                return vt_usage("mrc", "--space takes an id");
            i++;
        } else if (!strcmp(a, "--no-opt")) {
            opt = false;
        } else if (!strcmp(a, "--no-lives")) {
            whole = true;
        } else if (a[0] == '-' && a[1]) {
            return vt_usage("mrc", "unknown option %s", a);
        } else if (path) {
            return vt_usage("mrc", "one FILE only");
        } else {
            path = a;
        }
    }
    if (!path)
        return vt_usage("mrc", "no FILE");
    struct tr_reader *r = vt_open(path, 0);
    if (!r)
        return 2;
    struct vt_refs R;
    vt_refs_load(&R, r, (uint32_t)kbase, space == UINT64_MAX ? -1 : (int)space, whole, NULL);
    if (!max)
        max = R.npages < 4096 ? R.npages : 4096;
    if (!max)
        max = 1;
    uint32_t M = (uint32_t)max;
    uint64_t *hl = vt_xcalloc(M + 1, sizeof *hl), *ho = vt_xcalloc(M + 1, sizeof *ho);
    struct vt_progress pg;
    vt_progress_init(&pg, "mrc");
    mrc_lru(&R, M, hl);
    if (opt)
        mrc_opt(&R, M, ho, &pg);
    vt_progress_done(&pg);
    /* merged repeats are hits at every size: only the R.n - R.deaths references can miss */
    double *lr = vt_xcalloc(M + 1, sizeof *lr), *orr = vt_xcalloc(M + 1, sizeof *orr);
    uint64_t *lm = vt_xcalloc(M + 1, sizeof *lm), *om = vt_xcalloc(M + 1, sizeof *om);
    uint64_t hitl = 0, hito = 0;
    for (uint32_t s = 1; s <= M; s++) {
        hitl += hl[s];
        hito += ho[s];
        lm[s] = R.n - R.deaths - hitl;
        om[s] = R.n - R.deaths - hito;
        lr[s] = R.total ? (double)lm[s] / (double)R.total : 0;
        orr[s] = R.total ? (double)om[s] / (double)R.total : 0;
    }
    FILE *f = stdout;
    if (csv && !(f = fopen(csv, "w"))) {
        fprintf(stderr, "vmtrace: %s: cannot create: %s\n", csv, strerror(errno));
        return 2;
    }
    fprintf(f, "frames,lru_misses,lru_ratio,opt_misses,opt_ratio\n");
    for (uint32_t s = 1; s <= M; s++) {
        if (opt)
            fprintf(f, "%u,%" PRIu64 ",%.6g,%" PRIu64 ",%.6g\n", s, lm[s], lr[s], om[s], orr[s]);
        else
            fprintf(f, "%u,%" PRIu64 ",%.6g,,\n", s, lm[s], lr[s]);
    }
    int rc = 0;
    if (f != stdout && fclose(f))
        rc = 1;
    if (svg && !rc) {
        char title[300];
        snprintf(title, sizeof title, "%s (%" PRIu64 " refs, %u pages)", path, R.total, R.npages);
        rc = write_svg(svg, title, M, lr, opt ? orr : NULL);
    }
    fprintf(stderr, "mrc: %" PRIu64 " references, %zu after merging repeats, %u distinct pages, %zu page deaths; cold "
            "misses %" PRIu64 "\n", R.total, R.n - R.deaths, R.npages, R.deaths, (uint64_t)R.npages);
    free(hl); free(ho); free(lr); free(orr); free(lm); free(om);
    vt_refs_free(&R);
    tr_reader_close(r);
    return rc;
}
