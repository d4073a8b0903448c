/* Benchmark (paging on): random pages over 8 MiB. A read and a write of a
 * pseudo-randomly chosen page of 2048 on every iteration: almost every
 * access misses the TLB and walks the page tables. */
#include "bench.h"

#define BYTES (8u << 20)
static uint32_t area[BYTES / 4] __attribute__((aligned(4096)));

int main(struct mb_info *mbi)
{
    uint32_t iters = bench_iters(mbi, 200);
    bench_paging_on();
    uint32_t sum = 0, s = 12345;
    for (uint32_t it = 0; it < iters; it++)
        for (uint32_t r = 0; r < 4096; r++) {
            s = s * 1103515245u + 12345u;
            uint32_t i = (s >> 8) & (BYTES / 4 - 1);
            uint32_t v = area[i];
            area[i] = v + it;
            sum = (sum << 1 | sum >> 31) ^ v;
        }
    rt_printf("random8m: %u iterations, checksum %08x\n", iters, sum);
    return 0;
}
