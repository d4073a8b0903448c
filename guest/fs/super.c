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
    sb->s_dev = (3 << 8) | part;        /* hdaN: IDE major 3 */
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

/* ---- mount points: /proc and /dev ----
 * Without dentries a mount is a pair (directory of the parent file system,
 * super block): a walk that reaches the directory goes on at the mounted
 * root, and ".." from that root goes to the directory's parent. */

#define MAX_MOUNTS 4
static struct vfsmount {
    struct inode *mountpoint;       /* referenced while mounted */
    struct super_block *sb;
    const char *dev, *path, *type;  /* for /proc/mounts */
} mounts[MAX_MOUNTS];

struct inode *mounted_root(struct inode *dir)
{
    for (int i = 0; i < MAX_MOUNTS; i++)
        if (mounts[i].sb && mounts[i].mountpoint == dir)
            return mounts[i].sb->s_root;
    return NULL;
}

struct inode *mountpoint_of(struct inode *root)
{
    for (int i = 0; i < MAX_MOUNTS; i++)
        if (mounts[i].sb && mounts[i].sb->s_root == root)
            return mounts[i].mountpoint;
    return NULL;
}

int kernel_mount(const char *dev, const char *path, const char *type, struct super_block *sb)
{
    struct inode *dir;
    int err = path_lookup(path, 1, &dir);
    if (err)
        return err;
    if (!S_ISDIR(dir->i_mode)) {
        iput(dir);
        return -ENOTDIR;
    }
    for (int i = 0; i < MAX_MOUNTS; i++) {
        if (!mounts[i].sb) {
            mounts[i] = (struct vfsmount){ dir, sb, dev, path, type };
            return 0;
        }
    }
    iput(dir);
    return -EBUSY;
}

int show_mounts(char *buf, int size)
{
    int n = 0;
    if (root_sb)
        n += snprintf(buf + n, size - n, "%s / %s %s 0 0\n", root_sb->s_nodev ? "rootfs" : "/dev/root",
                      root_sb->s_nodev ? "rootfs" : "ext2", root_sb->s_rdonly ? "ro" : "rw");
    for (int i = 0; i < MAX_MOUNTS && n < size; i++)
        if (mounts[i].sb)
            n += snprintf(buf + n, size - n, "%s %s %s %s 0 0\n", mounts[i].dev, mounts[i].path, mounts[i].type,
                          mounts[i].sb->s_rdonly ? "ro" : "rw");
    return n < size ? n : size;
}
