/* Building annotation records by hand for vmviz's tests (trace/annot.h's
 * layout: u16 kind, u16 size, u32 pid, then u32 fields). */
#ifndef VMSCOPE_TESTS_VIZ_RECS_H
#define VMSCOPE_TESTS_VIZ_RECS_H

#include <stdint.h>
#include <string.h>

#include "trace/annot.h"
#include "trace/format.h"

/* Zero R[ANNOT_MAX_SIZE] and write the header of KIND (its own size) for
 * PID. Returns the size. */
static inline uint16_t viz_rec_init(uint8_t *r, unsigned kind, uint32_t pid)
{
    static const uint16_t sizes[] = ANNOT_SIZES;
    memset(r, 0, ANNOT_MAX_SIZE);
    trf_put16(r, (uint16_t)kind);
    trf_put16(r + 2, sizes[kind]);
    trf_put32(r + 4, pid);
    return sizes[kind];
}

#endif
