/* trace-refgen: a trace holding a hand-made reference string, for the
 * known-answer tests of `vmtrace sim` and `vmtrace mrc` (tests/trace/known.py).
 *
 *   trace-refgen OUT [--tlb SPEC] [--fetch] REF...
 *
 * Each REF is one translation, in order: a virtual page number (hex with
 * 0x, or decimal) read by user code (CPL 3) in one address space, at
 * linear address PAGE << 12, through the DTLB (the ITLB with --fetch).
 * PAGE may be written PAGE:w for a write. The recorded outcome is a miss
 * (the tests never ask `--check`); the header carries --tlb SPEC as the
 * recorded geometry. One CR3 load comes first, so the pages belong to one
 * user address space; frame numbers are 0x100 + the page's first index. */
#include "trace/writer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    const char *out = NULL, *tlb = "dtlb=4:4,itlb=4:4,policy=lru";
    int fetch = 0, first = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--tlb") && i + 1 < argc) {
            tlb = argv[++i];
        } else if (!strcmp(argv[i], "--fetch")) {
            fetch = 1;
        } else if (!out) {
            out = argv[i];
        } else {
            first = i;
            break;
        }
    }
    if (!out || !first) {
        fprintf(stderr, "usage: trace-refgen OUT [--tlb SPEC] [--fetch] REF...\n");
        return 2;
    }
    struct trace_config cfg = { .vmscope_version = "refgen", .ram_bytes = 16u << 20, .cpu_mhz = 100,
                                .kernel = "refgen", .cmdline = "refgen", .tlb_spec = tlb };
    char err[300];
    struct trace_writer *tw = trace_writer_open(out, &cfg, err, sizeof err);
    if (!tw) {
        fprintf(stderr, "trace-refgen: %s\n", err);
        return 2;
    }
    uint64_t cycle = 100;
    trace_emit_cr3(tw, cycle, 0, 0x1000);
    for (int i = first; i < argc; i++) {
        char *end;
        unsigned long page = strtoul(argv[i], &end, 0);
        int write = !strcmp(end, ":w");
        if (end == argv[i] || (*end && !write) || page >= 0xC0000) {
            fprintf(stderr, "trace-refgen: bad reference '%s' (a user page number, PAGE or PAGE:w)\n", argv[i]);
            trace_writer_close(tw, err, sizeof err);
            return 2;
        }
        struct tr_xlate x = { .lin = (uint32_t)page << 12, .phys = (uint32_t)(0x100 + (page & 0xFFF)) << 12,
                              .kind = fetch ? TR_FETCH : write ? TR_WRITE : TR_READ, .outcome = TR_MISS,
                              .tlb = fetch ? TR_ITLB : TR_DTLB, .cpl = 3, .cycles = 20 };
        cycle += 10;
        trace_emit_xlate(tw, cycle, &x);
    }
    if (!trace_writer_close(tw, err, sizeof err)) {
        fprintf(stderr, "trace-refgen: %s\n", err);
        return 1;
    }
    return 0;
}
