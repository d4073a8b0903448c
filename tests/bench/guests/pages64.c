/* Benchmark (paging on): a different page on every access, cycling over 64
 * pages. Every access is a first-level TLB hit (64 pages fill the 64-entry
 * DTLB exactly), and nearly every one is on a way that is not its set's most
 * recent: each hit changes the replacement order. */
#include "bench.h"

#define PAGES 64u
static uint32_t area[PAGES * 1024] __attribute__((aligned(4096)));

int main(struct mb_info *mbi)
{
    uint32_t iters = bench_iters(mbi, 200);
    bench_paging_on();
    uint32_t sum = 0;
    for (uint32_t it = 0; it < iters; it++)
        for (uint32_t r = 0; r < 256; r++) {
            uint32_t off = (r * 17) & 1023;     /* a word within the page */
            for (uint32_t p = 0; p < PAGES; p++) {
                /* read page p, write page p+32: consecutive accesses never
                 * share a page */
                uint32_t v = area[p * 1024 + off];
                area[((p + 32) & (PAGES - 1)) * 1024 + off] = v + it;
                sum = (sum << 1 | sum >> 31) ^ v;
            }
        }
    rt_printf("pages64: %u iterations, checksum %08x\n", iters, sum);
    return 0;
}
