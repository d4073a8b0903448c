/* The buffer cache (see include/buffer.h; Linux 2.4's fs/buffer.c).
 *
 * Buffers are found by block number in bh_hash. A page of 4 buffers is
 * made on the first getblk of any of its blocks; it is in blkdev_mapping
 * (so reclaim finds and frees it like any cache page) and holds a page
 * reference for each buffer in use, so page_count is 1 exactly when no
 * buffer of it is. Dirty buffers are on dirty_buffers in the order they
 * became dirty, each with the jiffies after which the flusher writes it.
 * Transfers go through the request queue; a buffer is locked (BH_Lock)
 * while one is in flight and whoever waits for it sleeps on buffer_wait. */
#include <kernel.h>
#include <blkdev.h>
#include <buffer.h>
#include <fs.h>
#include <io.h>
#include <pagemap.h>
#include <sched.h>
#include <slab.h>
#include <swap.h>
#include <wait.h>

#define BH_HASH_SIZE 512
#define BUFS_PER_PAGE 4                 /* 1 KiB blocks */
#define DIRTY_AGE (5 * HZ)              /* kupdate's age: 5 seconds */

static struct buffer_head *bh_hash[BH_HASH_SIZE];
static LIST_HEAD(dirty_buffers);
unsigned long nr_dirty_buffers;
static DECLARE_WAIT_QUEUE_HEAD(buffer_wait);

static int blkdev_writepage(struct page *page);
static struct address_space_operations blkdev_aops = {
    .writepage = blkdev_writepage,
};
struct address_space blkdev_mapping = {
    .pages = LIST_HEAD_INIT(blkdev_mapping.pages),
    .a_ops = &blkdev_aops,
};

static struct buffer_head **bh_bucket(unsigned long block)
{
    return &bh_hash[(block * 0x9E3779B1u >> 16) % BH_HASH_SIZE];
}

/* The cached buffer of (sb, block), or NULL. */
static struct buffer_head *find_buffer(struct super_block *sb, unsigned long block)
{
    for (struct buffer_head *bh = *bh_bucket(block); bh; bh = bh->b_next)
        if (bh->b_blocknr == block && bh->b_sb == sb)
            return bh;
    return NULL;
}

/* Take a reference to a found buffer (and through it to its page). */
static struct buffer_head *hold(struct buffer_head *bh)
{
    if (bh->b_count++ == 0)
        get_page(bh->b_page);
    return bh;
}

/* Make the page of the 4 blocks around block, with its buffers hashed.
 * 0, or -ENOMEM. May sleep. */
static int grow_buffers(struct super_block *sb, unsigned long block)
{
    struct page *page = alloc_page(GFP_BUFFER);
    if (!page)
        return -ENOMEM;
    struct buffer_head *bhs = kmalloc(BUFS_PER_PAGE * sizeof *bhs, GFP_KERNEL);
    if (!bhs || find_buffer(sb, block)) {   /* made by someone else while we slept */
        kfree(bhs);
        __free_page(page);
        return bhs ? 0 : -ENOMEM;
    }
    unsigned long first = block & ~(unsigned long)(BUFS_PER_PAGE - 1);
    memset(bhs, 0, BUFS_PER_PAGE * sizeof *bhs);
    for (int i = 0; i < BUFS_PER_PAGE; i++) {
        struct buffer_head *bh = &bhs[i];
        bh->b_blocknr = first + i;
        bh->b_data = (char *)page_address(page) + i * 1024;
        bh->b_sb = sb;
        bh->b_page = page;
        INIT_LIST_HEAD(&bh->b_dirty);
        struct buffer_head **b = bh_bucket(bh->b_blocknr);
        bh->b_next = *b;
        *b = bh;
    }
    if (TryLockPage(page))
        panic("grow_buffers: a new frame was locked");
    page->buffers = bhs;
    add_to_page_cache_locked(page, &blkdev_mapping, first / BUFS_PER_PAGE);
    lru_cache_add(page);
    unlock_page(page);
    put_page(page);                     /* the cache's reference stays */
    return 0;
}

struct buffer_head *getblk(struct super_block *sb, unsigned long block)
{
    for (;;) {
        struct buffer_head *bh = find_buffer(sb, block);
        if (bh) {
            mark_page_accessed(bh->b_page);
            return hold(bh);
        }
        if (grow_buffers(sb, block))
            return NULL;
    }
}

void wait_on_buffer(struct buffer_head *bh)
{
    wait_event(buffer_wait, !buffer_locked(bh));
}

/* Take the buffer's lock, sleeping while someone else has it. */
static void lock_buffer(struct buffer_head *bh)
{
    while (test_and_set_bit(BH_Lock, &bh->b_state))
        wait_on_buffer(bh);
}

/* end_io of buffer transfers (interrupt context). */
static void end_buffer_io(struct request *rq, int uptodate)
{
    struct buffer_head *bh = rq->private;
    if (uptodate) {
        set_bit(BH_Uptodate, &bh->b_state);
        clear_bit(BH_Error, &bh->b_state);
    } else {
        set_bit(BH_Error, &bh->b_state);
        if (rq->cmd == READ)
            clear_bit(BH_Uptodate, &bh->b_state);
    }
    clear_bit(BH_Lock, &bh->b_state);
    wake_up(&buffer_wait);
}

/* Start the transfer of a locked buffer. */
static void submit_bh(int rw, struct buffer_head *bh)
{
    struct super_block *sb = bh->b_sb;
    unsigned long spb = sb->s_blocksize / SECTOR_SIZE;
    unsigned long sector = sb->s_dev_start + bh->b_blocknr * spb;
    if (bh->b_blocknr >= sb->s_dev_sectors / spb) {
        struct request rq = { .cmd = rw, .private = bh };
        end_buffer_io(&rq, 0);          /* past the volume's end */
        return;
    }
    submit_request(rw, sector, spb, bh->b_data, end_buffer_io, bh);
}

struct buffer_head *bread(struct super_block *sb, unsigned long block)
{
    struct buffer_head *bh = getblk(sb, block);
    if (!bh || buffer_uptodate(bh))
        return bh;
    lock_buffer(bh);
    if (buffer_uptodate(bh)) {          /* read by someone else meanwhile */
        clear_bit(BH_Lock, &bh->b_state);
        wake_up(&buffer_wait);
        return bh;
    }
    submit_bh(READ, bh);
    wait_on_buffer(bh);
    if (buffer_uptodate(bh))
        return bh;
    brelse(bh);
    return NULL;
}

void brelse(struct buffer_head *bh)
{
    if (!bh)
        return;
    if (bh->b_count <= 0)
        panic("brelse: block %lu has count %d", bh->b_blocknr, bh->b_count);
    if (--bh->b_count == 0)
        put_page(bh->b_page);
}

void mark_buffer_dirty(struct buffer_head *bh)
{
    if (test_and_set_bit(BH_Dirty, &bh->b_state))
        return;
    bh->b_flushtime = jiffies + DIRTY_AGE;
    list_add_tail(&bh->b_dirty, &dirty_buffers);
    nr_dirty_buffers++;
    SetPageDirty(bh->b_page);
}

/* The buffer goes clean (its write is being started). */
static void clear_buffer_dirty(struct buffer_head *bh)
{
    if (!test_and_clear_bit(BH_Dirty, &bh->b_state))
        return;
    list_del_init(&bh->b_dirty);
    nr_dirty_buffers--;
    struct buffer_head *bhs = bh->b_page->buffers;
    for (int i = 0; i < BUFS_PER_PAGE; i++)
        if (buffer_dirty(&bhs[i]))
            return;
    ClearPageDirty(bh->b_page);
}

void ll_rw_buffer_write(struct buffer_head *bh, int wait)
{
    hold(bh);
    lock_buffer(bh);
    if (!buffer_dirty(bh)) {
        clear_bit(BH_Lock, &bh->b_state);
        wake_up(&buffer_wait);
    } else {
        clear_buffer_dirty(bh);
        set_bit(BH_Uptodate, &bh->b_state);
        submit_bh(WRITE, bh);
        if (wait)
            wait_on_buffer(bh);
    }
    brelse(bh);
}

void sync_buffers(int wait, unsigned long older_than)
{
    /* writing may sleep (a full request queue) and others may dirty or
     * write buffers meanwhile: take the first due buffer each time */
    for (;;) {
        struct buffer_head *due = NULL;
        struct list_head *l;
        list_for_each(l, &dirty_buffers) {
            struct buffer_head *bh = list_entry(l, struct buffer_head, b_dirty);
            if (!older_than || (long)(older_than - bh->b_flushtime) >= 0) {
                due = bh;
                break;
            }
        }
        if (!due)
            break;
        ll_rw_buffer_write(due, 0);
    }
    if (wait)
        blk_wait_idle();
}

/* writepage of buffer-cache pages (reclaim): write the page's dirty
 * buffers, wait, and unlock it. */
static int blkdev_writepage(struct page *page)
{
    struct buffer_head *bhs = page->buffers;
    for (int i = 0; i < BUFS_PER_PAGE; i++)
        ll_rw_buffer_write(&bhs[i], 0);
    for (int i = 0; i < BUFS_PER_PAGE; i++)
        wait_on_buffer(&bhs[i]);
    unlock_page(page);
    return 0;
}

/* Reclaim is freeing the (locked, clean, unused) page: unhash its
 * buffers. 0 if one is busy after all (the page must stay). */
int try_to_release_buffers(struct page *page)
{
    struct buffer_head *bhs = page->buffers;
    for (int i = 0; i < BUFS_PER_PAGE; i++)
        if (bhs[i].b_count || buffer_dirty(&bhs[i]) || buffer_locked(&bhs[i]))
            return 0;
    for (int i = 0; i < BUFS_PER_PAGE; i++) {
        struct buffer_head **b = bh_bucket(bhs[i].b_blocknr);
        while (*b != &bhs[i])
            b = &(*b)->b_next;
        *b = bhs[i].b_next;
    }
    page->buffers = NULL;
    kfree(bhs);
    return 1;
}
