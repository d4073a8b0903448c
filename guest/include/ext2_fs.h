/* The second extended file system on disk (Linux 2.4's
 * include/linux/ext2_fs.h; the layout: Dave Poirier, "The Second Extended
 * File System", and e2fsprogs' ext2_fs.h). All fields little-endian.
 *
 * A volume is blocks of s_blocksize bytes (1 KiB here) in groups of
 * s_blocks_per_group. The super block sits 1024 bytes into the partition
 * (block 1 with 1 KiB blocks); the group descriptors follow it; each group
 * has a block bitmap, an inode bitmap and an inode table (s_inodes_per_group
 * inodes of s_inode_size bytes). With sparse_super, only groups 0, 1 and
 * powers of 3, 5 and 7 hold backups of the super block and descriptors. */
#ifndef VMSCOPE_GUEST_EXT2_FS_H
#define VMSCOPE_GUEST_EXT2_FS_H

#include <kernel.h>

#define EXT2_SUPER_MAGIC 0xEF53
#define EXT2_ROOT_INO 2
#define EXT2_GOOD_OLD_FIRST_INO 11
#define EXT2_NDIR_BLOCKS 12
#define EXT2_IND_BLOCK 12
#define EXT2_DIND_BLOCK 13
#define EXT2_TIND_BLOCK 14
#define EXT2_N_BLOCKS 15
#define EXT2_LINK_MAX 32000

struct ext2_super_block {
    u32 s_inodes_count;
    u32 s_blocks_count;
    u32 s_r_blocks_count;
    u32 s_free_blocks_count;
    u32 s_free_inodes_count;
    u32 s_first_data_block;
    u32 s_log_block_size;
    u32 s_log_frag_size;
    u32 s_blocks_per_group;
    u32 s_frags_per_group;
    u32 s_inodes_per_group;
    u32 s_mtime;
    u32 s_wtime;
    u16 s_mnt_count;
    u16 s_max_mnt_count;
    u16 s_magic;
    u16 s_state;                /* EXT2_VALID_FS when cleanly unmounted */
    u16 s_errors;
    u16 s_minor_rev_level;
    u32 s_lastcheck;
    u32 s_checkinterval;
    u32 s_creator_os;
    u32 s_rev_level;
    u16 s_def_resuid;
    u16 s_def_resgid;
    /* EXT2_DYNAMIC_REV (1) */
    u32 s_first_ino;
    u16 s_inode_size;
    u16 s_block_group_nr;
    u32 s_feature_compat;
    u32 s_feature_incompat;
    u32 s_feature_ro_compat;
    u8 s_uuid[16];
    char s_volume_name[16];
    char s_last_mounted[64];
    u32 s_algorithm_usage_bitmap;
    u8 s_prealloc_blocks;
    u8 s_prealloc_dir_blocks;
    u16 s_padding1;
    u32 s_reserved[204];
} __attribute__((packed));

#define EXT2_VALID_FS 1
#define EXT2_ERROR_FS 2

#define EXT2_FEATURE_COMPAT_DIR_PREALLOC  0x0001
#define EXT2_FEATURE_COMPAT_IMAGIC_INODES 0x0002
#define EXT3_FEATURE_COMPAT_HAS_JOURNAL   0x0004
#define EXT2_FEATURE_COMPAT_EXT_ATTR      0x0008
#define EXT2_FEATURE_COMPAT_RESIZE_INODE  0x0010
#define EXT2_FEATURE_COMPAT_DIR_INDEX     0x0020
#define EXT2_FEATURE_INCOMPAT_FILETYPE    0x0002
#define EXT2_FEATURE_RO_COMPAT_SPARSE_SUPER 0x0001
#define EXT2_FEATURE_RO_COMPAT_LARGE_FILE   0x0002
/* What this kernel handles, as Linux 2.4 did (and no more: a feature that
 * changes how blocks, inodes or directories are laid out or kept
 * consistent, compatible or not, is refused at mount). */
#define EXT2_FEATURE_COMPAT_SUPP    EXT2_FEATURE_COMPAT_DIR_PREALLOC
#define EXT2_FEATURE_INCOMPAT_SUPP  EXT2_FEATURE_INCOMPAT_FILETYPE
#define EXT2_FEATURE_RO_COMPAT_SUPP (EXT2_FEATURE_RO_COMPAT_SPARSE_SUPER | EXT2_FEATURE_RO_COMPAT_LARGE_FILE)

struct ext2_group_desc {
    u32 bg_block_bitmap;
    u32 bg_inode_bitmap;
    u32 bg_inode_table;
    u16 bg_free_blocks_count;
    u16 bg_free_inodes_count;
    u16 bg_used_dirs_count;
    u16 bg_pad;
    u32 bg_reserved[3];
} __attribute__((packed));

struct ext2_inode {
    u16 i_mode;
    u16 i_uid;
    u32 i_size;
    u32 i_atime;
    u32 i_ctime;
    u32 i_mtime;
    u32 i_dtime;
    u16 i_gid;
    u16 i_links_count;
    u32 i_blocks;               /* 512-byte sectors */
    u32 i_flags;
    u32 i_osd1;
    u32 i_block[EXT2_N_BLOCKS];
    u32 i_generation;
    u32 i_file_acl;
    u32 i_size_high;            /* i_dir_acl: the size's high half (large_file) */
    u32 i_faddr;
    u8 i_frag;
    u8 i_fsize;
    u16 i_pad1;
    u16 i_uid_high;
    u16 i_gid_high;
    u32 i_reserved2;
} __attribute__((packed));

/* A directory entry: rec_len bytes in all (to the next entry), 4-aligned. */
struct ext2_dir_entry_2 {
    u32 inode;                  /* 0: an unused entry */
    u16 rec_len;
    u8 name_len;
    u8 file_type;               /* EXT2_FT_* (the filetype feature) */
    char name[];
} __attribute__((packed));

#define EXT2_DIR_REC_LEN(name_len) (((name_len) + 8 + 3) & ~3)

enum {
    EXT2_FT_UNKNOWN, EXT2_FT_REG_FILE, EXT2_FT_DIR, EXT2_FT_CHRDEV, EXT2_FT_BLKDEV,
    EXT2_FT_FIFO, EXT2_FT_SOCK, EXT2_FT_SYMLINK, EXT2_FT_MAX
};

/* The mounted volume (super_block->s_fs_info). */
struct buffer_head;
struct ext2_sb_info {
    unsigned long s_inodes_per_group;
    unsigned long s_blocks_per_group;
    unsigned long s_inodes_per_block;
    unsigned long s_desc_per_block;
    unsigned long s_groups_count;
    unsigned long s_first_data_block;
    unsigned long s_first_ino;
    unsigned long s_inode_size;
    unsigned long s_addr_per_block;     /* block numbers per indirect block */
    struct buffer_head *s_sbh;          /* the super block's buffer */
    struct ext2_super_block *s_es;      /* ... and the super block in it */
    struct buffer_head **s_group_desc;  /* the descriptor blocks' buffers */
};

#endif
