/* The block self-test (vm_selftest ST_BLOCK, run by the blockio program):
 * the driver and the request queue against the drive, which is vmscope's
 * ATA model under vmscope and QEMU's under the reference command, so the
 * same lines on both consoles mean the driver works with both.
 *
 *   1. a multi-sector read of the swap partition's first page: its last
 *      ten bytes are "SWAPSPACE2" (mkswap's signature);
 *   2. 40 sectors in the gap between the MBR and the first partition
 *      (sectors 8..47, which no partition uses): saved, overwritten with a
 *      pattern in one request (three DRQ blocks: 16, 16 and 8 sectors),
 *      read back in another and compared, then restored, so a disk the run
 *      writes through is unchanged;
 *   3. a read that starts at the disk's last sector and runs past its end,
 *      given to the drive as it is: the drive aborts it (ERR, and ABRT in
 *      the error register) and the caller gets -EIO; the same request
 *      through the block layer is refused before it reaches the drive.
 * Process context; the pages come from the buddy allocator. */
#include <kernel.h>
#include <blkdev.h>
#include <mm.h>

#define GAP_SECTOR 8
#define GAP_SECTORS 40                  /* 20 KiB: five pages */
#define ATA_ABRT 0x04

static int fail(char *msg, unsigned long len, const char *what, int err)
{
    snprintf(msg, len, "%s (error %d)", what, err);
    return -1;
}

int block_selftest(char *msg, unsigned long len)
{
    if (!disk_capacity)
        return fail(msg, len, "no disk", 0);
    int swap = find_partition(0x82);
    if (!swap)
        return fail(msg, len, "no swap partition", 0);
    /* 32 KiB each: the pattern, what was there, what reads back */
    unsigned long buf = __get_free_pages(GFP_KERNEL, 3);
    unsigned long save = __get_free_pages(GFP_KERNEL, 3);
    unsigned long readback = __get_free_pages(GFP_KERNEL, 3);
    int ret = -1, err, errors;
    if (!buf || !save || !readback) {
        ret = fail(msg, len, "no memory", 0);
        goto out;
    }
    char *b = (char *)buf;
    if ((err = block_rw_sync(READ, hd_part[swap].start_sect, SECTORS_PER_PAGE, b)) ||
        memcmp(b + PAGE_SIZE - 10, "SWAPSPACE2", 10)) {
        ret = fail(msg, len, "the swap header did not read back", err);
        goto out;
    }
    if ((err = block_rw_sync(READ, GAP_SECTOR, GAP_SECTORS, (void *)save))) {
        ret = fail(msg, len, "reading the gap failed", err);
        goto out;
    }
    u32 *w = (u32 *)b;
    for (unsigned i = 0; i < GAP_SECTORS * SECTOR_SIZE / 4; i++)
        w[i] = 0x76A3C000u + i * 0x9E3779B1u;
    if ((err = block_rw_sync(WRITE, GAP_SECTOR, GAP_SECTORS, b))) {
        ret = fail(msg, len, "writing 40 sectors failed", err);
        goto out;
    }
    char *back = (char *)readback;
    memset(back, 0, GAP_SECTORS * SECTOR_SIZE);
    if ((err = block_rw_sync(READ, GAP_SECTOR, GAP_SECTORS, back)) ||
        memcmp(back, b, GAP_SECTORS * SECTOR_SIZE)) {
        block_rw_sync(WRITE, GAP_SECTOR, GAP_SECTORS, (void *)save);
        ret = fail(msg, len, "40 sectors did not read back as written", err);
        goto out;
    }
    if ((err = block_rw_sync(WRITE, GAP_SECTOR, GAP_SECTORS, (void *)save))) {
        ret = fail(msg, len, "restoring the gap failed", err);
        goto out;
    }
    err = __block_rw_sync(READ, disk_capacity - 1, 2, b, 0, &errors);
    if (err != -EIO || !(errors & 0x100) || !(errors & ATA_ABRT)) {
        snprintf(msg, len, "a read past the end gave %d, errors %03x (want -EIO with ABRT)", err, errors);
        goto out;
    }
    err = __block_rw_sync(READ, disk_capacity - 1, 2, b, 1, &errors);
    if (err != -EIO) {
        ret = fail(msg, len, "the block layer let a read past the end through", err);
        goto out;
    }
    ret = 0;
out:
    free_pages(buf, 3);
    free_pages(save, 3);
    free_pages(readback, 3);
    return ret;
}
