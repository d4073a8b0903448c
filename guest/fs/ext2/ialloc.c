/* Inode allocation (Linux 2.4's fs/ext2/ialloc.c): each group's inode
 * bitmap, its descriptor's free and directory counts and the super block's
 * free count change together. A directory goes to the group with the most
 * free inodes (spreading the tree); a file to its directory's group, else
 * the next one with a free inode. */
#include <kernel.h>
#include "ext2.h"
#include <sched.h>

/* The group for a new inode of dir, or -1 when no group has a free inode. */
static long find_group(struct super_block *sb, struct inode *dir, int is_dir)
{
    struct ext2_sb_info *sbi = EXT2_SB(sb);
    struct buffer_head *bh;
    long best = -1;
    unsigned long best_free = 0;
    if (is_dir) {
        for (unsigned long g = 0; g < sbi->s_groups_count; g++) {
            struct ext2_group_desc *gd = ext2_get_group_desc(sb, g, &bh);
            if (gd->bg_free_inodes_count > best_free) {
                best_free = gd->bg_free_inodes_count;
                best = g;
            }
        }
        return best;
    }
    unsigned long g0 = dir->u.ext2_i.i_block_group;
    for (unsigned long k = 0; k < sbi->s_groups_count; k++) {
        unsigned long g = (g0 + k) % sbi->s_groups_count;
        if (ext2_get_group_desc(sb, g, &bh)->bg_free_inodes_count)
            return g;
    }
    return -1;
}

struct inode *ext2_new_inode(struct inode *dir, int mode, int *err)
{
    struct super_block *sb = dir->i_sb;
    struct ext2_sb_info *sbi = EXT2_SB(sb);
    struct ext2_super_block *es = sbi->s_es;
    struct inode *inode = new_inode(sb);
    if (!inode) {
        *err = -ENOMEM;
        return NULL;
    }
    for (int tries = 0; tries < 2; tries++) {
        long g = find_group(sb, dir, S_ISDIR(mode));
        if (g < 0)
            break;
        struct buffer_head *gbh;
        struct ext2_group_desc *gd = ext2_get_group_desc(sb, g, &gbh);
        struct buffer_head *ibh = bread(sb, gd->bg_inode_bitmap);
        if (!ibh) {
            *err = -EIO;
            goto fail;
        }
        u8 *map = (u8 *)ibh->b_data;
        unsigned long bit;
        unsigned long start = g == 0 ? sbi->s_first_ino - 1 : 0;  /* reserved inodes */
        for (bit = start; bit < sbi->s_inodes_per_group; bit++)
            if (!(map[bit >> 3] & (1u << (bit & 7))))
                break;
        if (bit == sbi->s_inodes_per_group) {
            brelse(ibh);
            gd->bg_free_inodes_count = 0;   /* the map disagrees: trust it, try again */
            continue;
        }
        map[bit >> 3] |= 1u << (bit & 7);
        mark_buffer_dirty(ibh);
        brelse(ibh);
        gd->bg_free_inodes_count--;
        if (S_ISDIR(mode))
            gd->bg_used_dirs_count++;
        mark_buffer_dirty(gbh);
        es->s_free_inodes_count--;
        sb->s_dirt = 1;

        unsigned long now = current_time();
        inode->i_ino = g * sbi->s_inodes_per_group + bit + 1;
        inode->i_mode = mode;
        inode->i_nlink = 1;
        inode->i_uid = inode->i_gid = 0;
        inode->i_size = 0;
        inode->i_blocks = 0;
        inode->i_atime = inode->i_mtime = inode->i_ctime = now;
        inode->u.ext2_i.i_block_group = g;
        insert_inode_hash(inode);
        ext2_set_ops(inode);
        mark_inode_dirty(inode);
        return inode;
    }
    *err = -ENOSPC;
fail:
    inode->i_nlink = 1;                 /* not a file: iput must not delete it */
    iput(inode);
    return NULL;
}

void ext2_free_inode(struct inode *inode)
{
    struct super_block *sb = inode->i_sb;
    struct ext2_sb_info *sbi = EXT2_SB(sb);
    unsigned long ino = inode->i_ino;
    if (ino < sbi->s_first_ino || ino > sbi->s_es->s_inodes_count) {
        printk("EXT2-fs error: freeing reserved or nonexistent inode %lu\n", ino);
        return;
    }
    unsigned long g = (ino - 1) / sbi->s_inodes_per_group;
    unsigned long bit = (ino - 1) % sbi->s_inodes_per_group;
    struct buffer_head *gbh;
    struct ext2_group_desc *gd = ext2_get_group_desc(sb, g, &gbh);
    struct buffer_head *ibh = bread(sb, gd->bg_inode_bitmap);
    if (!ibh)
        return;
    u8 *map = (u8 *)ibh->b_data;
    if (!(map[bit >> 3] & (1u << (bit & 7)))) {
        printk("EXT2-fs error: freeing inode %lu, which is already free\n", ino);
    } else {
        map[bit >> 3] &= ~(1u << (bit & 7));
        mark_buffer_dirty(ibh);
        gd->bg_free_inodes_count++;
        if (S_ISDIR(inode->i_mode))
            gd->bg_used_dirs_count--;
        mark_buffer_dirty(gbh);
        sbi->s_es->s_free_inodes_count++;
        sb->s_dirt = 1;
    }
    brelse(ibh);
}
