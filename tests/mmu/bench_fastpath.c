/* mmu_bench N [TLBSPEC] [FLAGS]: run the workload of workload.h for N
 * accesses with the fast path on and then off; print both timings and the
 * model's figures; exit 0 when every figure is identical, 1 otherwise.
 * FLAGS: 't' also hashes the trace records, 'a' runs the adversarial
 * workload of the unit tests instead of the realistic one. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tests/mmu/workload.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
    uint64_t n = argc > 1 ? strtoull(argv[1], NULL, 0) : 100000000ull;
    const char *spec = argc > 2 && argv[2][0] ? argv[2] : NULL;
    int trace = argc > 3 && strchr(argv[3], 't');
    wl_realistic = !(argc > 3 && strchr(argv[3], 'a'));
    char err[256];
    struct tmach t[2];
    struct wl_result r[2];
    double secs[2];
    for (int k = 0; k < 2; k++) {
        if (!tm_init(&t[k], spec, NULL, k == 0, err, sizeof err)) {
            fprintf(stderr, "mmu_bench: %s\n", err);
            return 2;
        }
        if (!trace)
            t[k].m->trace = NULL;
        wl_hook_m[k] = t[k].m;
        wl_setup(&t[k]);
        double t0 = now();
        wl_run(&t[k], n, 42, &r[k]);
        secs[k] = now() - t0;
    }
    for (int k = 0; k < 2; k++) {
        const struct mmu_stats *s = &r[k].stats;
        printf("%-12s %.3f s (%.1f M accesses/s): %llu translations, %llu walks, %llu assists, "
               "%llu faults, %llu cycles, fast-path hits %llu\n",
               k == 0 ? "fast path:" : "model only:", secs[k], (double)n / secs[k] / 1e6,
               (unsigned long long)s->translations, (unsigned long long)s->walks,
               (unsigned long long)s->assists, (unsigned long long)s->faults,
               (unsigned long long)r[k].cycles, (unsigned long long)r[k].fast_hits);
    }
    mmu_summary(t[0].m, stdout);
    bool same = wl_same(&r[0], &r[1]);
    printf("%s: %llu accesses (%s workload), statistics, cycles, values%s and memory %s\n",
           same ? "PASS" : "FAIL", (unsigned long long)n, wl_realistic ? "realistic" : "adversarial", trace ? ", trace" : "",
           same ? "identical with the fast path on and off" : "DIFFER");
    for (int k = 0; k < 2; k++)
        tm_free(&t[k]);
    return same ? 0 : 1;
}
