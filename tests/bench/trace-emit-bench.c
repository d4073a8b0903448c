/* trace-emit-bench: the writer's cost on the emulator's thread, per
 * translation, for typical access patterns (CPU time of the emitting thread;
 * compression runs on the writer's own thread and is reported apart). */
#include "trace/writer.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>

static double thread_cpu(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static double proc_cpu(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    const char *out = argc > 1 ? argv[1] : "/tmp/trace-emit-bench.vmt";
    uint64_t n = argc > 2 ? strtoull(argv[2], NULL, 0) : 50000000;
    static const struct { const char *name; int period; uint32_t page[4]; uint8_t kind[4]; } pats[] = {
        { "same page (straight-line fetches)", 1, { 0x8048 }, { TR_FETCH } },
        { "fetch/data alternating", 2, { 0x8048, 0x9000 }, { TR_FETCH, TR_READ } },
        { "fetch/read/fetch/write", 4, { 0x8048, 0x9000, 0x8048, 0x9000 }, { TR_FETCH, TR_READ, TR_FETCH, TR_WRITE } },
        { "fetch, stack, fetch, array", 4, { 0x8048, 0xBFFFF, 0x8048, 0x10000 }, { TR_FETCH, TR_WRITE, TR_FETCH, TR_READ } },
    };
    printf("%-36s %10s %12s %12s\n", "pattern", "ns/xlate", "compress ns", "bytes/xlate");
    for (size_t p = 0; p < sizeof pats / sizeof pats[0]; p++) {
        struct trace_config cfg = { .vmscope_version = "bench", .cpu_mhz = 100 };
        char err[256];
        struct trace_writer *tw = trace_writer_open(out, &cfg, err, sizeof err);
        if (!tw) {
            fprintf(stderr, "%s\n", err);
            return 2;
        }
        struct tr_xlate x = { .tlb = TR_DTLB, .cpl = 3 };
        double p0 = proc_cpu(), t0 = thread_cpu();
        uint64_t cyc = 0;
        for (uint64_t i = 0; i < n; i++) {
            int k = (int)(i % (uint64_t)pats[p].period);
            x.lin = pats[p].page[k] << 12 | (uint32_t)(i & 0xFFC);
            x.phys = x.lin + 0x100000;
            x.kind = pats[p].kind[k];
            cyc += 2;
            trace_emit_xlate(tw, cyc, &x);
            if ((i & 0xFFFFF) == 0)
                trace_emit_sync(tw, cyc, i);
        }
        double t1 = thread_cpu();
        trace_writer_close(tw, err, sizeof err);
        double p1 = proc_cpu();
        struct stat st;
        stat(out, &st);
        printf("%-36s %10.2f %12.2f %12.5f\n", pats[p].name, (t1 - t0) / (double)n * 1e9,
               ((p1 - p0) - (t1 - t0)) / (double)n * 1e9, (double)st.st_size / (double)n);
    }
    return 0;
}
