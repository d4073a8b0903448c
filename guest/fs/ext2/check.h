/* ext2's checks of what it reads from the disk (the super block, group
 * descriptors, inode numbers, directory entries) as pure functions of the
 * bytes (check.c), so that tests/fuzz can run them on the host against
 * hostile volumes. Each caller prints its own console line. */
#ifndef VMSCOPE_GUEST_FS_EXT2_CHECK_H
#define VMSCOPE_GUEST_FS_EXT2_CHECK_H

#include <ext2_fs.h>

#define EXT2_CHECK_BSIZE 1024   /* the only block size this kernel mounts */

/* What ext2_check_super finds, in the order it looks. */
enum ext2_super_verdict {
    EXT2_SB_OK,
    EXT2_SB_MAGIC,              /* not an ext2 magic number */
    EXT2_SB_REVISION,           /* revision level above 1 */
    EXT2_SB_FEATURES,           /* a feature outside EXT2_FEATURE_*_SUPP */
    EXT2_SB_BLOCKSIZE,          /* blocks other than 1 KiB */
    EXT2_SB_INODE_SIZE,         /* inodes other than 128 bytes, or first_ino too small */
    EXT2_SB_COUNTS,             /* group sizes, block or free counts out of range */
    EXT2_SB_INODES_COUNT,       /* the inode count is not groups x inodes per group */
};

/* Check the super block ES of a device of DEV_SECTORS sectors and fill
 * SBI's geometry (s_inode_size, s_first_ino, s_blocks_per_group,
 * s_inodes_per_group, s_first_data_block, s_inodes_per_block,
 * s_desc_per_block, s_addr_per_block, s_groups_count) as far as the checks
 * got. Returns an enum ext2_super_verdict. */
int ext2_check_super(const struct ext2_super_block *es, u32 dev_sectors, struct ext2_sb_info *sbi);
/* Does descriptor GD of group G place the group's bitmaps and inode table
 * inside the group (of a volume of BLOCKS_COUNT blocks)? 1 or 0. */
int ext2_check_group_desc(const struct ext2_sb_info *sbi, u32 blocks_count, u32 g,
                          const struct ext2_group_desc *gd);
/* Where inode INO lies, for a volume of INODES_COUNT inodes: its group, the
 * block within the group's inode table, and the byte offset in that block.
 * 0, or -EINVAL for a number no inode has. */
int ext2_inode_index(const struct ext2_sb_info *sbi, u32 inodes_count, u32 ino, u32 *group, u32 *block,
                     u32 *offset);
/* Is the directory entry DE at byte OFF of a block sane: at least 12 bytes
 * left in the block (else nothing of DE is read), rec_len at least 12, a
 * multiple of 4, within the block, and room for the name? 1 or 0. */
int ext2_dir_entry_ok(const struct ext2_dir_entry_2 *de, unsigned off);

#endif
