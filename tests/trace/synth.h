/* A synthetic, program-like record stream for the trace tests and the trace
 * benchmark, until real guests run: processes with code loops, a stack,
 * sequential scans and random table lookups, demand-zero faults, context
 * switches, disk transfers and annotations. Translations go through the real
 * TLB model (mmu/tlb.c), so their outcomes are what the emulator would record
 * and `vmtrace sim` must reproduce them. Deterministic for a given seed. */
#ifndef VMSCOPE_TESTS_TRACE_SYNTH_H
#define VMSCOPE_TESTS_TRACE_SYNTH_H

#include <stdint.h>

#include "trace/writer.h"

struct synth_counts {
    uint64_t xlate, hits, misses, faults, walks, flushes, cr3, disk, annot, sync;
};

/* Emit about NXLATE translations (and everything around them) to TW, with
 * TLB spec TLB_SPEC (NULL: the model's default). FOREVER: ignore NXLATE. */
void synth_run(struct trace_writer *tw, uint64_t nxlate, uint32_t seed, const char *tlb_spec,
               int forever, struct synth_counts *out);

#endif
