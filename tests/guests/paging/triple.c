/* Bad input for the MMU and the CPU together: with paging on, the stack is
 * moved to a page that is not present and a not-present page is touched.
 * The #PF cannot push its frame (#PF during delivery: #DF), the #DF cannot
 * either: triple fault. Hardware shuts down; vmscope ends with status 4,
 * QEMU with -no-reboot exits 0. Nothing after the first line is printed. */
#include "guest/rt/rt.h"

static uint32_t pd[1024] __attribute__((aligned(4096)));
static uint32_t pt[2][1024] __attribute__((aligned(4096)));

int main(struct mb_info *mbi)
{
    (void)mbi;
    for (unsigned t = 0; t < 2; t++)
        for (unsigned i = 0; i < 1024; i++)
            pt[t][i] = ((t * 1024 + i) << 12) | 3;
    pd[0] = (uint32_t)pt[0] | 3;
    pd[1] = (uint32_t)pt[1] | 3;
    /* A page directory entry pointing outside RAM and one pointing to the
     * directory itself, for good measure: walking them must be harmless. */
    pd[2] = 0xFFFFF000u | 3;
    pd[3] = (uint32_t)pd | 3;
    rt_printf("paging triple-fault guest: stack to a missing page, then a #PF\n");
    __asm__ volatile("mov %0, %%cr3" :: "r"(pd));
    __asm__ volatile("mov %%cr0, %%eax; orl $0x80000000, %%eax; mov %%eax, %%cr0" ::: "eax");
    (void)*(volatile uint32_t *)0x00C00010u;     /* through pd[3]: a PTE read from pd */
    __asm__ volatile("movl $0x40000000, %%esp; movl 0x50000000, %%eax" ::: "eax", "memory");
    rt_printf("not reached\n");
    return 1;
}
