/* Benchmark: page-fault heavy. Pages of a 4 MiB window are unmapped, then
 * touched; the #PF handler maps each one (as demand paging does) and the
 * access restarts. Every page is touched once per round. */
#include "bench.h"

#define WIN 0x800000u       /* window at 8 MiB: 1024 pages */
#define PAGES 1024u

static uint32_t *pte;
static volatile uint32_t faults;

/* #PF handler: map the faulting page, drop the error code, return. */
void pf_handler(void);
__asm__(".globl pf_handler\n"
        "pf_handler:\n"
        "  pushl %eax\n"
        "  pushl %edx\n"
        "  movl %cr2, %eax\n"
        "  shrl $12, %eax\n"
        "  movl %eax, %edx\n"
        "  shll $12, %edx\n"
        "  orl $3, %edx\n"
        "  pushl %ecx\n"
        "  movl pte, %ecx\n"
        "  movl %edx, (%ecx,%eax,4)\n"
        "  popl %ecx\n"
        "  incl faults\n"
        "  popl %edx\n"
        "  popl %eax\n"
        "  addl $4, %esp\n"
        "  iret\n");

int main(struct mb_info *mbi)
{
    uint32_t iters = bench_iters(mbi, 20), sum = 0;
    pte = bench_paging_on();
    rt_set_gate(14, pf_handler, 0, 0);
    for (uint32_t it = 0; it < iters; it++) {
        for (uint32_t p = 0; p < PAGES; p++) {
            uint32_t lin = WIN + p * 4096;
            pte[lin >> 12] = 0;
            __asm__ volatile("invlpg (%0)" :: "r"(lin) : "memory");
        }
        for (uint32_t p = 0; p < PAGES; p++) {
            volatile uint32_t *q = (volatile uint32_t *)(WIN + p * 4096 + (it & 0xFFC));
            *q += it;
            sum += *q;
        }
    }
    rt_printf("pagefault: %u iterations, %u faults, checksum %08x\n", iters, faults, sum);
    return 0;
}
