/* The root file system (Linux 2.4's fs/super.c, one volume): mounting the
 * disk's ext2 partition as "/" at boot, syncing it, and leaving it clean
 * when the machine ends. Without a usable disk the initrd is the root
 * (fs/initrd.c). */
#include <kernel.h>
#include <blkdev.h>
#include <buffer.h>
#include <fs.h>
#include <slab.h>

struct super_block *root_sb;
static struct super_block ext2_root;

int ext2_fill_super(struct super_block *sb, const char *name);

int mount_root(unsigned long start_sect, unsigned long nr_sects)
{
    struct super_block *sb = &ext2_root;
    sb->s_dev_start = start_sect;
    sb->s_dev_sectors = nr_sects;
    int part = find_partition(0x83);
    char name[8];
    snprintf(name, sizeof name, "hda%d", part);
    if (ext2_fill_super(sb, name))
        return 0;
    root_sb = sb;
    printk("VFS: Mounted root (ext2 filesystem) on %s.\n", name);
    return 1;
}

void sync_all(void)
{
    struct super_block *sb = root_sb;
    if (!sb || !sb->s_op->write_super)
        return;                         /* the initrd: nothing to write */
    sync_inodes(sb);
    if (sb->s_dirt)
        sb->s_op->write_super(sb);
    sync_buffers(1, 0);
    prune_icache();
}

/* The machine ends: write everything and mark the volume clean. */
void sync_and_leave(void)
{
    struct super_block *sb = root_sb;
    if (!sb || !sb->s_op->write_super)
        return;
    sync_inodes(sb);
    sb->s_op->put_super(sb);
    sync_buffers(1, 0);
}
