/* Mounting an ext2 volume (Linux 2.4's fs/ext2/super.c). The super block
 * and the group descriptors stay in buffers held for as long as the volume
 * is mounted; allocation changes their counts in place and marks them dirty.
 * Mounting refuses, with one console line, what this kernel cannot keep
 * consistent: another magic or revision, a block size other than 1 KiB, an
 * inode size other than 128 bytes, and any feature outside
 * EXT2_FEATURE_*_SUPP (filetype, sparse_super, large_file); a volume that
 * was not cleanly unmounted is mounted with a warning, as 2.4 did. While
 * mounted, s_state lacks EXT2_VALID_FS; the final sync before the machine
 * ends sets it again (an unmount). */
#include <kernel.h>
#include "ext2.h"
#include "check.h"
#include <slab.h>

static void ext2_write_super(struct super_block *sb);
static void ext2_put_super(struct super_block *sb);
static int ext2_statfs(struct super_block *sb, struct kstatfs *buf);

static struct super_operations ext2_sops = {
    .read_inode = ext2_read_inode,
    .write_inode = ext2_write_inode,
    .delete_inode = ext2_delete_inode,
    .write_super = ext2_write_super,
    .put_super = ext2_put_super,
    .statfs = ext2_statfs,
};

/* Does group g hold a backup of the super block and descriptors? */
static int ext2_group_sparse(unsigned long g)
{
    if (g <= 1)
        return 1;
    for (unsigned long p = 3; p <= 7; p += 2) {
        unsigned long x = p;
        while (x < g)
            x *= p;
        if (x == g)
            return 1;
    }
    return 0;
}

/* Release what a failed mount holds. */
static void ext2_drop(struct super_block *sb, struct ext2_sb_info *sbi, unsigned long db)
{
    for (unsigned long i = 0; i < db; i++)
        brelse(sbi->s_group_desc[i]);
    kfree(sbi->s_group_desc);
    brelse(sbi->s_sbh);
    kfree(sbi);
    sb->s_fs_info = NULL;
}

int ext2_fill_super(struct super_block *sb, const char *name)
{
    struct ext2_sb_info *sbi = kmalloc(sizeof *sbi, GFP_KERNEL);
    if (!sbi)
        return -ENOMEM;
    memset(sbi, 0, sizeof *sbi);
    sb->s_fs_info = sbi;
    sb->s_blocksize = 1024;
    sb->s_blocksize_bits = 10;
    sb->s_op = &ext2_sops;
    INIT_LIST_HEAD(&sb->s_dirty);
    sbi->s_sbh = bread(sb, 1);
    if (!sbi->s_sbh) {
        printk("EXT2-fs: %s: unable to read the super block\n", name);
        goto fail0;
    }
    struct ext2_super_block *es = (struct ext2_super_block *)sbi->s_sbh->b_data;
    sbi->s_es = es;
    switch (ext2_check_super(es, sb->s_dev_sectors, sbi)) {     /* check.c */
    case EXT2_SB_OK:
        break;
    case EXT2_SB_MAGIC:
        printk("VFS: Can't find an ext2 filesystem on %s (magic %04x).\n", name, es->s_magic);
        goto fail0;
    case EXT2_SB_REVISION:
        printk("EXT2-fs: %s: revision level too high (%u)\n", name, es->s_rev_level);
        goto fail0;
    case EXT2_SB_FEATURES: {
        unsigned incompat = es->s_rev_level ? es->s_feature_incompat : 0;
        unsigned ro_compat = es->s_rev_level ? es->s_feature_ro_compat : 0;
        unsigned compat = es->s_rev_level ? es->s_feature_compat : 0;
        printk("EXT2-fs: %s: couldn't mount because of unsupported optional features "
               "(compat %x, incompat %x, ro_compat %x).\n", name, compat & ~EXT2_FEATURE_COMPAT_SUPP,
               incompat & ~EXT2_FEATURE_INCOMPAT_SUPP, ro_compat & ~EXT2_FEATURE_RO_COMPAT_SUPP);
        goto fail0;
    }
    case EXT2_SB_BLOCKSIZE:
        printk("EXT2-fs: %s: unsupported blocksize %u (only 1024)\n", name, 1024u << es->s_log_block_size);
        goto fail0;
    case EXT2_SB_INODE_SIZE:
        printk("EXT2-fs: %s: unsupported inode size %lu (only 128)\n", name, sbi->s_inode_size);
        goto fail0;
    case EXT2_SB_COUNTS:
        printk("EXT2-fs: %s: corrupt super block (%u blocks in %lu sectors, %lu per group)\n", name,
               es->s_blocks_count, sb->s_dev_sectors, sbi->s_blocks_per_group);
        goto fail0;
    default:
        printk("EXT2-fs: %s: corrupt super block (%u inodes in %lu groups)\n", name, es->s_inodes_count,
               sbi->s_groups_count);
        goto fail0;
    }
    unsigned long db = (sbi->s_groups_count + sbi->s_desc_per_block - 1) / sbi->s_desc_per_block;
    sbi->s_group_desc = kmalloc(db * sizeof(struct buffer_head *), GFP_KERNEL);
    if (!sbi->s_group_desc)
        goto fail0;
    for (unsigned long i = 0; i < db; i++) {
        sbi->s_group_desc[i] = bread(sb, sbi->s_first_data_block + 1 + i);
        if (!sbi->s_group_desc[i]) {
            printk("EXT2-fs: %s: unable to read group descriptors\n", name);
            ext2_drop(sb, sbi, i);
            return -EIO;
        }
    }
    for (unsigned long g = 0; g < sbi->s_groups_count; g++) {
        struct buffer_head *bh;
        struct ext2_group_desc *gd = ext2_get_group_desc(sb, g, &bh);
        if (!ext2_check_group_desc(sbi, es->s_blocks_count, g, gd)) {
            printk("EXT2-fs: %s: group descriptor %lu is corrupt\n", name, g);
            ext2_drop(sb, sbi, db);
            return -EIO;
        }
    }
    struct inode *root = iget(sb, EXT2_ROOT_INO);
    if (!root || !S_ISDIR(root->i_mode)) {
        printk("EXT2-fs: %s: corrupt root inode\n", name);
        iput(root);
        ext2_drop(sb, sbi, db);
        return -EIO;
    }
    sb->s_root = root;
    sb->s_magic = EXT2_SUPER_MAGIC;
    if (!(es->s_state & EXT2_VALID_FS))
        printk("EXT2-fs warning: mounting unchecked fs, running e2fsck is recommended\n");
    es->s_state &= ~EXT2_VALID_FS;      /* mounted: not clean until the last sync */
    es->s_mnt_count++;
    es->s_mtime = current_time();
    sb->s_dirt = 1;
    return 0;
fail0:
    ext2_drop(sb, sbi, 0);
    return -EINVAL;
}

/* Write the super block and every group descriptor block (their buffers
 * are written with the rest by sync). */
static void ext2_write_super(struct super_block *sb)
{
    struct ext2_sb_info *sbi = EXT2_SB(sb);
    sbi->s_es->s_wtime = current_time();
    mark_buffer_dirty(sbi->s_sbh);
    unsigned long db = (sbi->s_groups_count + sbi->s_desc_per_block - 1) / sbi->s_desc_per_block;
    for (unsigned long i = 0; i < db; i++)
        mark_buffer_dirty(sbi->s_group_desc[i]);
    sb->s_dirt = 0;
}

/* The volume is being left (the machine ends): clean again. */
static void ext2_put_super(struct super_block *sb)
{
    EXT2_SB(sb)->s_es->s_state |= EXT2_VALID_FS;
    ext2_write_super(sb);
}

static int ext2_statfs(struct super_block *sb, struct kstatfs *buf)
{
    struct ext2_sb_info *sbi = EXT2_SB(sb);
    struct ext2_super_block *es = sbi->s_es;
    unsigned long itb = (sbi->s_inodes_per_group + sbi->s_inodes_per_block - 1) / sbi->s_inodes_per_block;
    unsigned long db = (sbi->s_groups_count + sbi->s_desc_per_block - 1) / sbi->s_desc_per_block;
    /* the blocks metadata takes: backups of the super block and
     * descriptors, two bitmaps and the inode table per group */
    int sparse = es->s_rev_level && (es->s_feature_ro_compat & EXT2_FEATURE_RO_COMPAT_SPARSE_SUPER);
    unsigned long overhead = es->s_first_data_block;
    for (unsigned long g = 0; g < sbi->s_groups_count; g++)
        overhead += (!sparse || ext2_group_sparse(g) ? 1 + db : 0) + 2 + itb;
    buf->f_type = EXT2_SUPER_MAGIC;
    buf->f_bsize = sb->s_blocksize;
    buf->f_blocks = es->s_blocks_count - overhead;
    buf->f_bfree = es->s_free_blocks_count;
    buf->f_bavail = es->s_free_blocks_count > es->s_r_blocks_count ?
                    es->s_free_blocks_count - es->s_r_blocks_count : 0;
    buf->f_files = es->s_inodes_count;
    buf->f_ffree = es->s_free_inodes_count;
    buf->f_namelen = NAME_MAX;
    return 0;
}
