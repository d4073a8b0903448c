/* Zeroed memory at an alignment calloc does not promise: the TLB model's
 * cache-line-aligned arrays and the machine (whose MMU fast entries are
 * 64-byte aligned). Free with free(). */
#ifndef VMSCOPE_MMU_ZALLOC_H
#define VMSCOPE_MMU_ZALLOC_H

#include <stdlib.h>
#include <string.h>

/* N bytes (at least one ALIGN's worth) zeroed at ALIGN, a power of two;
 * NULL when out of memory. */
static inline void *zalloc_aligned(size_t align, size_t n)
{
    size_t sz = (n + align - 1) & ~(align - 1);
    if (!sz)
        sz = align;
    void *p = aligned_alloc(align, sz);
    if (p)
        memset(p, 0, sz);
    return p;
}

#endif
