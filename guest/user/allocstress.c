/* allocstress: the kernel's allocator self-tests (kernel/selftest.c) with
 * three seeds each: the buddy allocator (random orders, merging back to the
 * same free lists, the pages_min watermark under exhaustion), the slab
 * allocator (a private cache and kmalloc of 1 byte to 9 KiB) and vmalloc.
 * After the first round, free memory stays what it was. */
#include <stdio.h>
#include <unistd.h>
#include <vmscope.h>

int main(void)
{
    static const char *const names[] = { "", "buddy", "slab", "vmalloc" };
    char msg[128];
    unsigned long f0 = 0;
    for (unsigned long seed = 1; seed <= 3; seed++) {
        if (seed == 2)
            f0 = free_pages_now();  /* after a first round faulted in our code */
        for (int t = ST_BUDDY; t <= ST_VMALLOC; t++) {
            msg[0] = 0;
            if (vm_selftest(t, seed * 7777, msg, sizeof msg))
                fail("%s (seed %lu): %s", names[t], seed, msg);
        }
    }
    unsigned long f1 = free_pages_now();
    check(f0 == f1, "%ld pages lost", (long)f0 - (long)f1);
    printf("allocstress: buddy, slab and vmalloc self-tests passed for 3 seeds\n");
    return 0;
}
