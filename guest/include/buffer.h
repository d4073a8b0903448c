/* The buffer cache (Linux 2.4's fs/buffer.c and include/linux/fs.h's
 * buffer_head): file-system metadata blocks (super block, group
 * descriptors, bitmaps, inode tables, directories, indirect blocks) cached
 * by block number. A buffer-cache page holds the 4 consecutive 1 KiB blocks
 * of one page-aligned run (page->buffers), lives in blkdev_mapping (index =
 * block / 4), is on the LRU lists like any cache page, and is given back by
 * reclaim when none of its buffers is in use or dirty (frame use 7).
 *
 * A dirty buffer is written by sync, fsync, the flusher once it has been
 * dirty for 5 seconds (b_flushtime), or reclaim (the page's writepage). */
#ifndef VMSCOPE_GUEST_BUFFER_H
#define VMSCOPE_GUEST_BUFFER_H

#include <kernel.h>
#include <list.h>
#include <mm.h>

struct super_block;

struct buffer_head {
    unsigned long b_blocknr;        /* block number in the volume */
    char *b_data;                   /* its bytes (in b_page) */
    int b_count;                    /* users (getblk/bread ... brelse) */
    unsigned long b_state;          /* BH_* bits */
    unsigned long b_flushtime;      /* jiffies after which the flusher writes it */
    struct super_block *b_sb;       /* the volume */
    struct page *b_page;            /* the buffer-cache page it lives in */
    struct buffer_head *b_next;     /* hash chain */
    struct list_head b_dirty;       /* on dirty_buffers while BH_Dirty */
};

#define BH_Uptodate 0
#define BH_Dirty    1
#define BH_Lock     2
#define BH_Error    3

#define buffer_uptodate(bh) test_bit(BH_Uptodate, &(bh)->b_state)
#define buffer_dirty(bh)    test_bit(BH_Dirty, &(bh)->b_state)
#define buffer_locked(bh)   test_bit(BH_Lock, &(bh)->b_state)

extern struct address_space blkdev_mapping;
extern unsigned long nr_dirty_buffers;

/* The buffer of block (referenced), created if not cached (not read);
 * NULL only when out of memory. May sleep. */
struct buffer_head *getblk(struct super_block *sb, unsigned long block);
/* The same, read from the disk when not up to date; NULL on an I/O error. */
struct buffer_head *bread(struct super_block *sb, unsigned long block);
/* Drop a reference from getblk/bread (NULL is ignored). */
void brelse(struct buffer_head *bh);
/* The buffer changed: write it back later. */
void mark_buffer_dirty(struct buffer_head *bh);
/* Write the buffer now if dirty (and wait when wait). */
void ll_rw_buffer_write(struct buffer_head *bh, int wait);
/* Write the dirty buffers (all, or those dirty since before jiffies
 * older_than when older_than != 0); wait for them when wait. */
void sync_buffers(int wait, unsigned long older_than);
/* Wait until the buffer is unlocked. */
void wait_on_buffer(struct buffer_head *bh);
/* Reclaim frees a clean, unused buffer-cache page: unhash its buffers.
 * 0 when one is in use after all (the page stays). */
int try_to_release_buffers(struct page *page);

#endif
