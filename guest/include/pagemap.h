/* The page cache (Linux 2.4's include/linux/pagemap.h and fs.h's struct
 * address_space): pages that hold a piece of some object (a shared
 * anonymous object, the swap area through swapper_space, files later) are
 * found by (mapping, index) in one hash table, and listed on their
 * mapping. A page in the cache holds one reference for the cache. */
#ifndef VMSCOPE_GUEST_PAGEMAP_H
#define VMSCOPE_GUEST_PAGEMAP_H

#include <kernel.h>
#include <list.h>
#include <mm.h>
#include <wait.h>

struct address_space_operations {
    /* Start writing the locked, dirty page back; it is unlocked when the
     * write is done. 0, or a negative errno (the page was unlocked and is
     * dirty again). */
    int (*writepage)(struct page *page);
    /* Start reading the locked page (index in its mapping); it is unlocked
     * when the read is done, PG_uptodate set on success. 0 or -errno. */
    int (*readpage)(struct page *page);
    /* A write of bytes [from, to) of the locked page is coming: make the
     * blocks under it exist (allocating them) and read what the write
     * leaves partly covered. 0 or -errno (-ENOSPC). */
    int (*prepare_write)(struct page *page, unsigned from, unsigned to);
};

struct address_space {
    struct list_head pages;         /* its pages in the cache (page->list) */
    unsigned long nrpages;          /* how many */
    struct address_space_operations *a_ops;
    void *host;                     /* the object it belongs to (a shm object...) */
    struct inode *inode;            /* the file it caches, or NULL */
};

/* The (mapping, index) page in the cache with a reference for the caller,
 * or NULL. */
struct page *find_get_page(struct address_space *mapping, unsigned long index);
/* Add a locked page that is in no cache at (mapping, index), taking a
 * reference for the cache. The slot must be free. */
void add_to_page_cache_locked(struct page *page, struct address_space *mapping, unsigned long index);
/* Take a page out of its cache (its mapping becomes NULL); the caller
 * then drops the reference the cache held. */
void __remove_inode_page(struct page *page);

/* Page locks: PG_locked is held while I/O is in flight or while someone
 * changes what the page is. The waits sleep (process context). */
void lock_page(struct page *page);
void unlock_page(struct page *page);
/* Wait until the page is unlocked (do not take the lock). */
void wait_on_page(struct page *page);
#define UnlockPage(p) unlock_page(p)

#endif
