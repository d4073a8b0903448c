/* ext2's checks of on-disk structures (see check.h). Arithmetic is in u32,
 * the width of the guest's unsigned long, so the checks decide the same
 * when tests/fuzz compiles this file for a 64-bit host. */
#include <kernel.h>
#include "check.h"

int ext2_check_super(const struct ext2_super_block *es, u32 dev_sectors, struct ext2_sb_info *sbi)
{
    if (es->s_magic != EXT2_SUPER_MAGIC)
        return EXT2_SB_MAGIC;
    if (es->s_rev_level > 1)
        return EXT2_SB_REVISION;
    unsigned incompat = es->s_rev_level ? es->s_feature_incompat : 0;
    unsigned ro_compat = es->s_rev_level ? es->s_feature_ro_compat : 0;
    unsigned compat = es->s_rev_level ? es->s_feature_compat : 0;
    if ((incompat & ~EXT2_FEATURE_INCOMPAT_SUPP) || (ro_compat & ~EXT2_FEATURE_RO_COMPAT_SUPP) ||
        (compat & ~EXT2_FEATURE_COMPAT_SUPP))
        return EXT2_SB_FEATURES;
    if (es->s_log_block_size != 0 || es->s_first_data_block != 1)
        return EXT2_SB_BLOCKSIZE;
    u32 inode_size = es->s_rev_level ? es->s_inode_size : 128;
    u32 first_ino = es->s_rev_level ? es->s_first_ino : EXT2_GOOD_OLD_FIRST_INO;
    sbi->s_inode_size = inode_size;
    sbi->s_first_ino = first_ino;
    if (inode_size != 128 || first_ino < EXT2_GOOD_OLD_FIRST_INO)
        return EXT2_SB_INODE_SIZE;
    u32 bpg = es->s_blocks_per_group, ipg = es->s_inodes_per_group;
    sbi->s_blocks_per_group = bpg;
    sbi->s_inodes_per_group = ipg;
    sbi->s_first_data_block = es->s_first_data_block;
    sbi->s_inodes_per_block = EXT2_CHECK_BSIZE / inode_size;
    sbi->s_desc_per_block = EXT2_CHECK_BSIZE / sizeof(struct ext2_group_desc);
    sbi->s_addr_per_block = EXT2_CHECK_BSIZE / 4;
    if (!bpg || bpg > 8 * 1024 || !ipg || ipg > 8 * 1024 ||
        es->s_blocks_count <= es->s_first_data_block ||
        es->s_blocks_count > dev_sectors / 2 || es->s_free_blocks_count > es->s_blocks_count ||
        es->s_free_inodes_count > es->s_inodes_count)
        return EXT2_SB_COUNTS;
    u32 groups = (es->s_blocks_count - es->s_first_data_block + bpg - 1) / bpg;
    sbi->s_groups_count = groups;
    if ((unsigned long long)groups * ipg != es->s_inodes_count)
        return EXT2_SB_INODES_COUNT;
    return EXT2_SB_OK;
}

int ext2_check_group_desc(const struct ext2_sb_info *sbi, u32 blocks_count, u32 g,
                          const struct ext2_group_desc *gd)
{
    u32 first = (u32)sbi->s_first_data_block + g * (u32)sbi->s_blocks_per_group;
    u32 last = min(first + (u32)sbi->s_blocks_per_group, blocks_count);
    u32 itb = ((u32)sbi->s_inodes_per_group + (u32)sbi->s_inodes_per_block - 1) / (u32)sbi->s_inodes_per_block;
    return !(gd->bg_block_bitmap < first || gd->bg_block_bitmap >= last ||
             gd->bg_inode_bitmap < first || gd->bg_inode_bitmap >= last ||
             gd->bg_inode_table < first || gd->bg_inode_table >= last ||
             itb > last - gd->bg_inode_table);  /* not bg_inode_table + itb: it wraps */
}

int ext2_inode_index(const struct ext2_sb_info *sbi, u32 inodes_count, u32 ino, u32 *group, u32 *block,
                     u32 *offset)
{
    if ((ino != EXT2_ROOT_INO && ino < (u32)sbi->s_first_ino) || ino < 1 || ino > inodes_count)
        return -EINVAL;                 /* the root too: past s_inodes_count is past the groups */
    u32 idx = (ino - 1) % (u32)sbi->s_inodes_per_group;
    *group = (ino - 1) / (u32)sbi->s_inodes_per_group;
    *block = idx / (u32)sbi->s_inodes_per_block;
    *offset = (idx % (u32)sbi->s_inodes_per_block) * (u32)sbi->s_inode_size;
    return 0;
}

int ext2_dir_entry_ok(const struct ext2_dir_entry_2 *de, unsigned off)
{
    if (off > EXT2_CHECK_BSIZE - 12)    /* no room for an entry: read nothing of it (its */
        return 0;                       /* header would run past the block) */
    return de->rec_len >= 12 && !(de->rec_len & 3) && de->rec_len <= EXT2_CHECK_BSIZE - off &&
           (unsigned)de->name_len + 8 <= de->rec_len;
}
