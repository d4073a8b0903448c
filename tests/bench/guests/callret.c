/* Benchmark (paging on): calls and returns with stack frames. A binary tree
 * of recursive calls, each frame with locals in memory, and a small leaf
 * function called from every node: CALL, RET, PUSH, POP and stack-relative
 * loads and stores dominate. */
#include "bench.h"

static __attribute__((noinline)) uint32_t leaf(uint32_t a, uint32_t b)
{
    volatile uint32_t t[4];     /* locals that live in the frame */
    t[0] = a;
    t[1] = b;
    t[2] = a ^ b;
    t[3] = a + b;
    return t[0] + t[1] * 3 + (t[2] ^ t[3]);
}

static __attribute__((noinline)) uint32_t node(uint32_t depth, uint32_t x)
{
    volatile uint32_t local = x * 7;
    if (depth == 0)
        return leaf(x, local);
    uint32_t l = node(depth - 1, x * 3 + 1);
    uint32_t r = node(depth - 1, x ^ 0x5555u);
    return (l + leaf(l, r)) ^ (r + local);
}

int main(struct mb_info *mbi)
{
    uint32_t iters = bench_iters(mbi, 200);
    bench_paging_on();
    uint32_t sum = 0;
    for (uint32_t it = 0; it < iters; it++)
        sum = (sum << 3 | sum >> 29) ^ node(10, it);
    rt_printf("callret: %u iterations, checksum %08x\n", iters, sum);
    return 0;
}
