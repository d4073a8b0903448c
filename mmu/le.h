/* Little-endian loads and stores of 1, 2 or 4 bytes at a host address (the
 * host is little-endian, as the guest is), for the CPU's and the MMU's
 * accesses to guest RAM through host pointers. */
#ifndef VMSCOPE_MMU_LE_H
#define VMSCOPE_MMU_LE_H

#include <stdint.h>
#include <string.h>

static inline __attribute__((always_inline)) uint32_t load_le(const uint8_t *p, unsigned sz)
{
    if (sz == 4) { uint32_t v; memcpy(&v, p, 4); return v; }
    if (sz == 2) { uint16_t v; memcpy(&v, p, 2); return v; }
    return p[0];
}

static inline __attribute__((always_inline)) void store_le(uint8_t *p, unsigned sz, uint32_t v)
{
    if (sz == 4) memcpy(p, &v, 4);
    else if (sz == 2) { uint16_t h = (uint16_t)v; memcpy(p, &h, 2); }
    else p[0] = (uint8_t)v;
}

#endif
