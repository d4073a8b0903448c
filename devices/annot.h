/* The guest annotation port (0x440): the guest writes, with one 32-bit OUT,
 * the physical address of a record it built in RAM; the device reads the
 * record through the bus at that moment, validates it against the ABI of
 * trace/annot.h and hands good records to the trace writer. A bad record is
 * counted and never stops the run. */
#ifndef VMSCOPE_DEVICES_ANNOT_H
#define VMSCOPE_DEVICES_ANNOT_H

#include <stdint.h>

#include "trace/annot.h"

struct machine;

struct annot_port {
    uint64_t good;                      /* valid records */
    uint64_t bad;                       /* rejected writes */
    uint64_t by_kind[ANNOT_KIND_COUNT]; /* valid records per kind */
    char last_bad[96];                  /* why the last bad one was rejected */
};

void annot_init(struct machine *m, struct annot_port *a);

#endif
