/* oops: make the kernel fault on purpose (vm_selftest ST_OOPS reads
 * address 0x10 in kernel mode). The kernel prints "Unable to handle kernel
 * NULL pointer dereference", the registers and CR2, and ends the machine
 * with status 3 (exit status 7). Not in run=all: it tests the crash path. */
#include <stdio.h>
#include <vmscope.h>

int main(void)
{
    printf("oops: asking the kernel to dereference 0x00000010\n");
    vm_selftest(ST_OOPS, 0x10, 0, 0);
    fail("the kernel survived a NULL dereference");
}
