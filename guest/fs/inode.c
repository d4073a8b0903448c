/* The inode cache (Linux 2.4's fs/inode.c, reduced): in-memory inodes by
 * number, read from the disk on the first iget and kept while referenced;
 * dirty ones on their super block's s_dirty list (in the order they became
 * dirty) until written. An inode whose last reference goes but that still
 * has links stays cached while it is dirty or has pages in the page cache,
 * and is dropped once it is clean with no page left (after a sync, or when
 * reclaim takes its last page). An inode with no links left is deleted
 * (its pages, blocks and number freed) when its last reference goes. */
#include <kernel.h>
#include <fs.h>
#include <io.h>
#include <sched.h>
#include <slab.h>

#define INODE_HASH_SIZE 64

static struct list_head inode_hash[INODE_HASH_SIZE];
static kmem_cache_t *inode_cachep;
static unsigned long boot_seconds;         /* seconds since 1970 at jiffies 0 */

void inode_init(unsigned long rtc_seconds)
{
    for (int i = 0; i < INODE_HASH_SIZE; i++)
        INIT_LIST_HEAD(&inode_hash[i]);
    inode_cachep = kmem_cache_create("inode_cache", sizeof(struct inode), 0, SLAB_HWCACHE_ALIGN,
                                     NULL, NULL);
    if (!inode_cachep)
        panic("inode_init: no inode cache");
    boot_seconds = rtc_seconds;
}

unsigned long current_time(void)
{
    return boot_seconds + jiffies / HZ;
}

unsigned long boot_time(void)
{
    return boot_seconds;
}

void sema_init(struct semaphore *sem)
{
    sem->locked = 0;
    init_waitqueue_head(&sem->wait);
}

void down(struct semaphore *sem)
{
    wait_event(sem->wait, !sem->locked);
    sem->locked = 1;
}

void up(struct semaphore *sem)
{
    sem->locked = 0;
    wake_up(&sem->wait);
}

static struct list_head *inode_bucket(unsigned long ino)
{
    return &inode_hash[ino % INODE_HASH_SIZE];
}

/* A zeroed in-memory inode of sb, not hashed, one reference. */
static struct inode *alloc_inode(struct super_block *sb)
{
    struct inode *inode = kmem_cache_alloc(inode_cachep, GFP_KERNEL);
    if (!inode)
        return NULL;
    memset(inode, 0, sizeof *inode);
    inode->i_sb = sb;
    inode->i_count = 1;
    INIT_LIST_HEAD(&inode->i_hash);
    INIT_LIST_HEAD(&inode->i_dirty);
    INIT_LIST_HEAD(&inode->i_data.pages);
    inode->i_data.inode = inode;
    inode->i_data.host = inode;
    inode->i_mapping = &inode->i_data;
    sema_init(&inode->i_sem);
    return inode;
}

struct inode *new_inode(struct super_block *sb)
{
    struct inode *inode = alloc_inode(sb);
    if (inode)
        list_add(&inode->i_hash, inode_bucket(0));   /* hashed again when numbered */
    return inode;
}

/* Move a new inode to its number's bucket (the file system numbered it). */
void insert_inode_hash(struct inode *inode)
{
    list_del(&inode->i_hash);
    list_add(&inode->i_hash, inode_bucket(inode->i_ino));
}

struct inode *iget(struct super_block *sb, unsigned long ino)
{
    struct list_head *l;
    list_for_each(l, inode_bucket(ino)) {
        struct inode *inode = list_entry(l, struct inode, i_hash);
        if (inode->i_ino == ino && inode->i_sb == sb && !(inode->i_state & I_FREEING))
            return igrab(inode);
    }
    struct inode *inode = alloc_inode(sb);
    if (!inode)
        return NULL;
    inode->i_ino = ino;
    if (sb->s_op->read_inode(inode)) {
        kmem_cache_free(inode_cachep, inode);
        return NULL;
    }
    /* the read may have slept: someone else may have cached it meanwhile */
    list_for_each(l, inode_bucket(ino)) {
        struct inode *other = list_entry(l, struct inode, i_hash);
        if (other->i_ino == ino && other->i_sb == sb && !(other->i_state & I_FREEING)) {
            kmem_cache_free(inode_cachep, inode);
            return igrab(other);
        }
    }
    list_add(&inode->i_hash, inode_bucket(ino));
    return inode;
}

void mark_inode_dirty(struct inode *inode)
{
    if (inode->i_state & (I_DIRTY | I_FREEING))
        return;             /* already listed, or being deleted (written by delete_inode) */
    if (!(inode->i_state & I_DIRTY_PAGES)) {
        inode->dirtied_when = jiffies;
        list_add_tail(&inode->i_dirty, &inode->i_sb->s_dirty);
    }
    inode->i_state |= I_DIRTY;
}

void mark_inode_dirty_pages(struct inode *inode)
{
    if (inode->i_state & (I_DIRTY_PAGES | I_FREEING))
        return;
    if (!(inode->i_state & I_DIRTY)) {
        inode->dirtied_when = jiffies;
        list_add_tail(&inode->i_dirty, &inode->i_sb->s_dirty);
    }
    inode->i_state |= I_DIRTY_PAGES;
}

/* Write inode's pages and the inode itself; it leaves the dirty list when
 * both are clean. Takes a reference while it may sleep. */
static void write_inode_now(struct inode *inode, int wait)
{
    igrab(inode);
    if (inode->i_state & I_DIRTY_PAGES) {
        inode->i_state &= ~I_DIRTY_PAGES;
        filemap_fdatasync(inode->i_mapping, wait);
    }
    if (inode->i_state & I_DIRTY) {
        inode->i_state &= ~I_DIRTY;
        inode->i_sb->s_op->write_inode(inode, wait);
    }
    if (!(inode->i_state & (I_DIRTY | I_DIRTY_PAGES)))
        list_del_init(&inode->i_dirty);
    iput(inode);
}

/* Write the dirty inodes of sb (those dirty since before older_than when it
 * is not 0). */
void sync_inodes_older(struct super_block *sb, unsigned long older_than, int wait)
{
    /* each write may sleep: take the first due inode each time */
    for (int guard = 0; guard < 100000; guard++) {
        struct inode *due = NULL;
        struct list_head *l;
        list_for_each(l, &sb->s_dirty) {
            struct inode *inode = list_entry(l, struct inode, i_dirty);
            if (!older_than || (long)(older_than - inode->dirtied_when) >= 0) {
                due = inode;
                break;
            }
        }
        if (!due)
            return;
        list_del(&due->i_dirty);
        list_add_tail(&due->i_dirty, &sb->s_dirty);     /* later ones get their turn */
        write_inode_now(due, wait);
    }
}

void sync_inodes(struct super_block *sb)
{
    sync_inodes_older(sb, 0, 1);
}

void iput(struct inode *inode)
{
    if (!inode)
        return;
    if (inode->i_count <= 0)
        panic("iput: inode %lu has count %d", inode->i_ino, inode->i_count);
    if (--inode->i_count || (inode->i_state & I_STATIC))
        return;
    if (inode->i_nlink == 0 && inode->i_ino) {
        /* no name and no user left: the file goes */
        inode->i_state |= I_FREEING;
        igrab(inode);                   /* delete_inode may sleep; keep it */
        truncate_inode_pages(inode->i_mapping, 0);
        if (!list_empty(&inode->i_dirty))
            list_del_init(&inode->i_dirty);
        inode->i_state &= ~(I_DIRTY | I_DIRTY_PAGES);
        inode->i_sb->s_op->delete_inode(inode);
        inode->i_count--;
    } else if (inode->i_state & (I_DIRTY | I_DIRTY_PAGES) || inode->i_mapping->nrpages) {
        return;                         /* kept: dirty, or its pages are cached */
    }
    list_del(&inode->i_hash);
    kmem_cache_free(inode_cachep, inode);
}

/* An inode nobody uses lost its last cached page (reclaim): drop it too if
 * it is clean. */
void inode_pages_gone(struct inode *inode)
{
    if (inode->i_count || inode->i_mapping->nrpages || (inode->i_state & (I_DIRTY | I_DIRTY_PAGES)))
        return;
    list_del(&inode->i_hash);
    kmem_cache_free(inode_cachep, inode);
}

/* After a sync: drop unused clean inodes with no cached pages. */
void prune_icache(void)
{
    for (int i = 0; i < INODE_HASH_SIZE; i++) {
        struct list_head *l, *n;
        list_for_each_safe(l, n, &inode_hash[i]) {
            struct inode *inode = list_entry(l, struct inode, i_hash);
            if (!(inode->i_state & I_FREEING))
                inode_pages_gone(inode);
        }
    }
}
