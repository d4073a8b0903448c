/* Shared by the benchmark guests: iteration count from the command line and
 * identity-mapped 4 KiB paging of the first 16 MiB. Interrupt-free and
 * deterministic: the same instructions run under every emulator. */
#ifndef VMSCOPE_BENCH_H
#define VMSCOPE_BENCH_H

#include "guest/rt/rt.h"

/* "iters=N" from the Multiboot command line, or DEF. */
static inline uint32_t bench_iters(struct mb_info *mbi, uint32_t def)
{
    const char *p = (mbi->flags & 4) ? (const char *)mbi->cmdline : "";
    for (; *p; p++) {
        if (strncmp(p, "iters=", 6) == 0) {
            uint32_t v = 0;
            for (p += 6; *p >= '0' && *p <= '9'; p++)
                v = v * 10 + (uint32_t)(*p - '0');
            return v;
        }
    }
    return def;
}

static uint32_t bench_pd[1024] __attribute__((aligned(4096)));
static uint32_t bench_pt[4][1024] __attribute__((aligned(4096)));

/* Identity-map 0-16 MiB with 4 KiB pages (supervisor, writable) and turn
 * paging on. Returns the page-table entry array for the first 16 MiB. */
static inline uint32_t *bench_paging_on(void)
{
    for (unsigned t = 0; t < 4; t++) {
        for (unsigned i = 0; i < 1024; i++)
            bench_pt[t][i] = ((t * 1024 + i) << 12) | 3;
        bench_pd[t] = (uint32_t)bench_pt[t] | 3;
    }
    __asm__ volatile("movl %0, %%cr3\n\t"
                     "movl %%cr0, %%eax\n\t"
                     "orl $0x80000000, %%eax\n\t"
                     "movl %%eax, %%cr0" :: "r"(bench_pd) : "eax", "memory");
    return &bench_pt[0][0];
}

#endif
