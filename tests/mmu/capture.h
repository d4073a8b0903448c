/* Test double for trace/emit.h: records what the MMU emits so tests can
 * compare the trace of two runs. Point m->trace at a struct capture. */
#ifndef VMSCOPE_TESTS_MMU_CAPTURE_H
#define VMSCOPE_TESTS_MMU_CAPTURE_H

#include <stdint.h>
#include <stddef.h>
#include "trace/emit.h"

struct capture {
    uint64_t records;       /* records seen */
    uint64_t hash;          /* FNV-1a of every record's kind, cycle and fields */
    uint64_t per_kind[8];   /* 0 xlate, 1 walk, 2 fault, 3 flush, 4 cr3 */
    struct tr_xlate last_xlate;
    struct tr_walk last_walk;
    uint32_t last_fault_cr2, last_fault_err;
    int last_flush_kind;
    uint32_t last_flush_addr, last_flush_dropped;
};

#define CAPTURE_WRITER(c) ((struct trace_writer *)(void *)(c))

#endif
