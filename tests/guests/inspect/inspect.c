/* A guest with known page tables, for the inspection views: the expected
 * views are in inspect.expected. Page tables sit at fixed physical frames so
 * the answer does not depend on how the program is laid out.
 *
 *   linear                 physical            pages   attributes
 *   00000000-003fffff  ->  00000000-003fffff   4 KiB   supervisor rw, A+D preset
 *   00400000           ->  00300000            4 KiB   user ro      (read: A)
 *   00401000           ->  00301000            4 KiB   user rw      (written: A+D)
 *   00402000           ->  00302000            4 KiB   user rw      (untouched)
 *   80000000-803fffff  ->  00800000-00bfffff   4 MiB   user rw      (written: A+D)
 */
#include "guest/rt/rt.h"

#define PD  ((uint32_t *)0x200000)
#define PT0 ((uint32_t *)0x201000)
#define PT1 ((uint32_t *)0x202000)

int main(struct mb_info *mbi)
{
    memset(PD, 0, 3 * 4096);
    for (uint32_t i = 0; i < 1024; i++)
        PT0[i] = (i << 12) | 0x63;          /* P RW A D */
    PT1[0] = 0x300000 | 0x05;               /* P U, read-only */
    PT1[1] = 0x301000 | 0x07;               /* P RW U */
    PT1[2] = 0x302000 | 0x07;
    PD[0] = 0x201000 | 0x27;                /* P RW U A: the leaf decides */
    PD[1] = 0x202000 | 0x07;
    PD[0x200] = 0x800000 | 0x87;            /* 4 MiB page, P RW U */
    __asm__ volatile("movl %%cr4, %%eax; orl $0x10, %%eax; movl %%eax, %%cr4\n\t"
                     "movl %0, %%cr3\n\t"
                     "movl %%cr0, %%eax; orl $0x80000000, %%eax; movl %%eax, %%cr0"
                     :: "r"(PD) : "eax", "memory");
    volatile uint32_t *ro = (volatile uint32_t *)0x400000;
    volatile uint32_t *rw = (volatile uint32_t *)0x401000;
    volatile uint32_t *big = (volatile uint32_t *)0x80000010;
    uint32_t v = *ro;
    *rw = 0x12345678;
    big[0] = 0x64636261;                    /* "abcd" */
    big[1] = 0x68676665;                    /* "efgh" */
    rt_printf("inspect guest: read %08x, wrote %08x %08x\n", v, *rw, big[0]);
    return 0;
}
