/* trace-gen: write a synthetic trace (tests/trace/synth.h) to a file.
 *
 *   trace-gen OUT [--xlate N] [--seed S] [--filter F] [--level L] [--tlb SPEC]
 *             [--chunk-bytes B] [--forever]
 *
 * Prints translations, bytes, bytes per translation and the writer's
 * throughput. --forever writes until killed (the crash-recovery test). */
#include "tests/trace/synth.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    const char *out = NULL, *filter = NULL, *tlb = NULL;
    uint64_t n = 10000000;
    uint32_t seed = 1;
    int forever = 0;
    struct trace_config cfg = { .vmscope_version = "synthetic", .ram_bytes = 16u << 20,
                                .cpu_mhz = 100, .kernel = "synth", .cmdline = "synth" };
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--xlate") && v) { n = strtoull(v, NULL, 0); i++; }
        else if (!strcmp(a, "--seed") && v) { seed = (uint32_t)strtoul(v, NULL, 0); i++; }
        else if (!strcmp(a, "--filter") && v) { filter = v; i++; }
        else if (!strcmp(a, "--tlb") && v) { tlb = v; i++; }
        else if (!strcmp(a, "--level") && v) { cfg.level = atoi(v); i++; }
        else if (!strcmp(a, "--chunk-bytes") && v) { cfg.chunk_bytes = (uint32_t)strtoul(v, NULL, 0); i++; }
        else if (!strcmp(a, "--forever")) forever = 1;
        else if (a[0] != '-' && !out) out = a;
        else {
            fprintf(stderr, "usage: trace-gen OUT [--xlate N] [--seed S] [--filter F] [--level L] "
                    "[--tlb SPEC] [--chunk-bytes B] [--forever]\n");
            return 2;
        }
    }
    if (!out) {
        fprintf(stderr, "trace-gen: no output file\n");
        return 2;
    }
    cfg.filter = filter;
    cfg.tlb_spec = tlb;
    char err[300];
    struct trace_writer *tw = trace_writer_open(out, &cfg, err, sizeof err);
    if (!tw) {
        fprintf(stderr, "trace-gen: %s\n", err);
        return 2;
    }
    struct synth_counts c;
    double t0 = now();
    synth_run(tw, n, seed, tlb, forever, &c);
    if (!trace_writer_close(tw, err, sizeof err)) {
        fprintf(stderr, "trace-gen: %s\n", err);
        return 1;
    }
    double t1 = now();
    struct stat st;
    stat(out, &st);
    printf("translations %llu (hits %llu, misses %llu), faults %llu, walks %llu, other %llu\n",
           (unsigned long long)c.xlate, (unsigned long long)c.hits, (unsigned long long)c.misses,
           (unsigned long long)c.faults, (unsigned long long)c.walks,
           (unsigned long long)(c.flushes + c.cr3 + c.disk + c.annot + c.sync));
    printf("bytes %lld, %.4f bytes/translation, %.1f M translations/s written (generator included)\n",
           (long long)st.st_size, (double)st.st_size / (double)c.xlate, c.xlate / (t1 - t0) / 1e6);
    return 0;
}
