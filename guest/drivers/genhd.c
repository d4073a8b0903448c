/* The disk's partition table (Linux 2.4's fs/partitions/msdos.c, primary
 * entries only): the MBR in sector 0 ends with 0x55 0xAA and holds four
 * 16-byte entries from offset 446: boot flag, CHS start, type, CHS end,
 * LBA start and sector count (little-endian u32). */
#include <kernel.h>
#include <blkdev.h>
#include <mm.h>

struct hd_struct hd_part[MAX_PARTITIONS + 1];

static u32 get_le32(const u8 *p)
{
    return p[0] | p[1] << 8 | p[2] << 16 | (u32)p[3] << 24;
}

int check_partition(void)
{
    hd_part[0].start_sect = 0;
    hd_part[0].nr_sects = disk_capacity;
    u8 *mbr = (u8 *)__get_free_page(GFP_KERNEL);
    if (!mbr)
        panic("check_partition: no memory for the MBR");
    int n = 0;
    printk("Partition check:\n hda:");
    if (block_rw_sync(READ, 0, 1, mbr)) {
        printk(" unable to read partition table\n");
    } else if (mbr[510] != 0x55 || mbr[511] != 0xAA) {
        printk(" unknown partition table\n");
    } else {
        for (int i = 0; i < MAX_PARTITIONS; i++) {
            const u8 *e = mbr + 446 + 16 * i;
            unsigned long start = get_le32(e + 8), len = get_le32(e + 12);
            if (!e[4] || !len)
                continue;
            if (start >= disk_capacity || len > disk_capacity - start) {
                printk(" hda%d beyond the end of the disk", i + 1);
                continue;
            }
            hd_part[i + 1].start_sect = start;
            hd_part[i + 1].nr_sects = len;
            hd_part[i + 1].sys_ind = e[4];
            printk(" hda%d", i + 1);
            n++;
        }
        printk("\n");
    }
    free_page((unsigned long)mbr);
    return n;
}

int find_partition(unsigned char sys_ind)
{
    for (int i = 1; i <= MAX_PARTITIONS; i++)
        if (hd_part[i].nr_sects && hd_part[i].sys_ind == sys_ind)
            return i;
    return 0;
}
