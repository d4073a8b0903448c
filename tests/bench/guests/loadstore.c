/* Benchmark: loads and stores over 64 pages with paging on. */
#include "bench.h"

static uint8_t area[64 * 4096] __attribute__((aligned(4096)));

int main(struct mb_info *mbi)
{
    uint32_t iters = bench_iters(mbi, 200);
    bench_paging_on();
    uint32_t *w = (uint32_t *)area;
    uint32_t sum = 0;
    for (uint32_t it = 0; it < iters; it++)
        for (uint32_t i = 0; i < sizeof area / 4; i += 4) {
            w[i] += it ^ i;
            sum += w[i + 1] + w[i + 2];
            w[i + 3] = sum;
        }
    rt_printf("loadstore: %u iterations, checksum %08x\n", iters, sum);
    return 0;
}
