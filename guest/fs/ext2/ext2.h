/* ext2's internal interfaces (the prototypes of Linux 2.4's fs/ext2 files). */
#ifndef VMSCOPE_GUEST_FS_EXT2_H
#define VMSCOPE_GUEST_FS_EXT2_H

#include <kernel.h>
#include <buffer.h>
#include <ext2_fs.h>
#include <fs.h>

static inline struct ext2_sb_info *EXT2_SB(struct super_block *sb) { return sb->s_fs_info; }

/* balloc.c */
/* A free block near goal, marked used: its number, or 0 with *err set
 * (-ENOSPC, -EIO). The block's contents are not touched. */
unsigned long ext2_new_block(struct super_block *sb, unsigned long goal, int *err);
/* Give count blocks from block back. */
void ext2_free_blocks(struct super_block *sb, unsigned long block, unsigned long count);
/* The descriptor of group g, and its buffer in *bh (not referenced). */
struct ext2_group_desc *ext2_get_group_desc(struct super_block *sb, unsigned long g,
                                            struct buffer_head **bh);

/* ialloc.c */
/* A new inode in the group of dir (directories: the emptiest group),
 * numbered, cached and referenced, with mode and times set; or NULL with
 * *err set (-ENOSPC, -ENOMEM, -EIO). */
struct inode *ext2_new_inode(struct inode *dir, int mode, int *err);
/* Give an inode's number back (delete_inode). */
void ext2_free_inode(struct inode *inode);

/* inode.c */
int ext2_read_inode(struct inode *inode);
void ext2_write_inode(struct inode *inode, int sync);
void ext2_delete_inode(struct inode *inode);
void ext2_truncate(struct inode *inode);
/* The volume block holding the inode's block iblock: allocated (zeroed when
 * zero_new) when create and missing; 0 for a hole; -errno. */
long ext2_get_block(struct inode *inode, unsigned long iblock, int create, int zero_new);
/* Give an inode its operations by its type. */
void ext2_set_ops(struct inode *inode);
extern struct address_space_operations ext2_aops;

/* dir.c */
/* The inode number of name in dir, 0 if absent, or -errno. */
long ext2_inode_by_name(struct inode *dir, const char *name, int len);
/* Add the entry name -> inode (of type mode) to dir. 0 or -errno. */
int ext2_add_link(struct inode *dir, const char *name, int len, struct inode *inode);
/* Remove name from dir; its inode number in *ino. 0 or -errno (-ENOENT). */
int ext2_delete_entry(struct inode *dir, const char *name, int len, unsigned long *ino);
/* Point name in dir (which exists) at inode instead. 0 or -errno. */
int ext2_set_link(struct inode *dir, const char *name, int len, struct inode *inode);
/* Fill a new directory's first block with "." and "..". 0 or -errno. */
int ext2_make_empty(struct inode *inode, struct inode *parent);
/* 1 when the directory holds only "." and "..". */
int ext2_empty_dir(struct inode *inode);
long ext2_readdir(struct file *file, void *buf, unsigned long count);
int ext2_name_of(struct inode *dir, unsigned long ino, char *name);
extern struct file_operations ext2_dir_operations;

/* namei.c */
extern struct inode_operations ext2_dir_inode_operations;
extern struct inode_operations ext2_file_inode_operations;
extern struct inode_operations ext2_symlink_inode_operations;
extern struct file_operations ext2_file_operations;

/* super.c */
int ext2_fill_super(struct super_block *sb, const char *name);

#endif
