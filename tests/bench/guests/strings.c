/* Benchmark: string instructions (REP MOVSD/STOSB/CMPSB, LODS) and byte
 * copies over 64 KiB buffers with paging on. */
#include "bench.h"

static uint8_t a[65536] __attribute__((aligned(4096))), b[65536] __attribute__((aligned(4096)));

int main(struct mb_info *mbi)
{
    uint32_t iters = bench_iters(mbi, 100), sum = 0;
    bench_paging_on();
    for (uint32_t it = 0; it < iters; it++) {
        uint32_t n = sizeof a / 4;
        void *f = a;
        uint32_t fn = sizeof a;
        __asm__ volatile("cld; rep stosb" : "+D"(f), "+c"(fn) : "a"(it) : "memory");
        void *d = b, *s = a;
        __asm__ volatile("cld; rep movsl" : "+D"(d), "+S"(s), "+c"(n) :: "memory");
        b[it & 0xFFFF] ^= 1;
        void *x = a, *y = b;
        uint32_t c = sizeof a;
        __asm__ volatile("cld; repe cmpsb" : "+D"(x), "+S"(y), "+c"(c) :: "memory", "cc");
        sum += c;
        for (unsigned i = 0; i < 4096; i++) a[i] = b[4095 - i];
        sum += a[it & 4095];
    }
    rt_printf("strings: %u iterations, checksum %08x\n", iters, sum);
    return 0;
}
