/* blockio: the kernel's disk driver against the drive (kernel self-test
 * ST_BLOCK, drivers/blktest.c): a multi-sector read of the swap header, 40
 * sectors written and read back across three DRQ blocks (and restored), a
 * read past the disk's end that the drive aborts (-EIO) and the block layer
 * refuses. Under QEMU the drive is QEMU's disk model, so both consoles
 * saying the same is the check against QEMU's disk. */
#include <stdio.h>
#include <unistd.h>
#include <vmscope.h>

int main(void)
{
    char msg[128] = "";
    if (vm_selftest(ST_BLOCK, 0, msg, sizeof msg))
        fail("%s", msg);
    printf("blockio: swap header read, 40 sectors written and read back, reads past the end refused (EIO)\n");
    return 0;
}
