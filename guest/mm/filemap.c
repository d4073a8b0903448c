/* The page cache's hash table and page locks (Linux 2.4's mm/filemap.c).
 *
 * Every cached page is in page_hash_table under hash(mapping, index), on a
 * chain threaded through next_hash/pprev_hash, and on its mapping's list.
 * Sleepers waiting for a page lock wait on one of PAGE_WAIT_TABLE_SIZE
 * queues chosen by the page's address (as later 2.4 kernels hash them, so
 * struct page carries no queue); a wake-up wakes the whole queue and every
 * sleeper re-checks its own page. */
#include <kernel.h>
#include <annotate.h>
#include <fs.h>
#include <io.h>
#include <mm.h>
#include <pagemap.h>
#include <sched.h>
#include <swap.h>
#include <uaccess.h>
#include <wait.h>

#define PAGE_HASH_BITS 10
#define PAGE_HASH_SIZE (1u << PAGE_HASH_BITS)
#define PAGE_WAIT_TABLE_SIZE 64

static struct page *page_hash_table[PAGE_HASH_SIZE];
static wait_queue_head_t page_wait_table[PAGE_WAIT_TABLE_SIZE];
static int page_wait_ready;

static struct page **page_hash(struct address_space *mapping, unsigned long index)
{
    unsigned long h = ((unsigned long)mapping >> 4) + index * 0x9E3779B1ul;
    return &page_hash_table[(h >> (32 - PAGE_HASH_BITS)) & (PAGE_HASH_SIZE - 1)];
}

static wait_queue_head_t *page_waitqueue(struct page *page)
{
    if (!page_wait_ready) {
        for (int i = 0; i < PAGE_WAIT_TABLE_SIZE; i++)
            init_waitqueue_head(&page_wait_table[i]);
        page_wait_ready = 1;
    }
    return &page_wait_table[page_to_pfn(page) % PAGE_WAIT_TABLE_SIZE];
}

struct page *find_get_page(struct address_space *mapping, unsigned long index)
{
    for (struct page *p = *page_hash(mapping, index); p; p = p->next_hash)
        if (p->mapping == mapping && p->index == index) {
            get_page(p);
            return p;
        }
    return NULL;
}

void add_to_page_cache_locked(struct page *page, struct address_space *mapping, unsigned long index)
{
    if (!PageLocked(page) || page->mapping)
        panic("add_to_page_cache_locked: frame %lu is %s", page_to_pfn(page),
              page->mapping ? "in a cache already" : "not locked");
    struct page **p = page_hash(mapping, index);
    get_page(page);
    page->mapping = mapping;
    page->index = index;
    page->next_hash = *p;
    if (*p)
        (*p)->pprev_hash = &page->next_hash;
    *p = page;
    page->pprev_hash = p;
    list_add(&page->list, &mapping->pages);
    mapping->nrpages++;
}

void __remove_inode_page(struct page *page)
{
    struct address_space *mapping = page->mapping;
    if (!mapping)
        panic("__remove_inode_page: frame %lu is in no cache", page_to_pfn(page));
    if (page->next_hash)
        page->next_hash->pprev_hash = page->pprev_hash;
    *page->pprev_hash = page->next_hash;
    page->next_hash = NULL;
    page->pprev_hash = NULL;
    list_del_init(&page->list);
    mapping->nrpages--;
    page->mapping = NULL;
}

void lock_page(struct page *page)
{
    while (TryLockPage(page))
        wait_event(*page_waitqueue(page), !PageLocked(page));
}

void unlock_page(struct page *page)
{
    ClearPageLaunder(page);
    if (!test_and_clear_bit(PG_locked, &page->flags))
        panic("unlock_page: frame %lu was not locked", page_to_pfn(page));
    wake_up(page_waitqueue(page));
}

void wait_on_page(struct page *page)
{
    wait_event(*page_waitqueue(page), !PageLocked(page));
}

/* ---- the page cache for files (generic_file_read/write, mmap) ---- */

#define READAHEAD_PAGES 4               /* kept in flight ahead of a reader */

unsigned long nr_dirty_file_pages;

void set_page_dirty(struct page *page)
{
    if (test_and_set_bit(PG_dirty, &page->flags))
        return;
    struct address_space *mapping = page->mapping;
    if (mapping && mapping->inode) {
        nr_dirty_file_pages++;
        mark_inode_dirty_pages(mapping->inode);
    }
}

int test_clear_page_dirty(struct page *page)
{
    if (!test_and_clear_bit(PG_dirty, &page->flags))
        return 0;
    if (page->mapping && page->mapping->inode)
        nr_dirty_file_pages--;
    return 1;
}

/* The page of (mapping, index): the cached one (*created = 0), or a new
 * one added locked (*created = 1; frame use 5, on the LRU): the pages of a
 * file enter the cache here. Referenced; NULL when out of memory. */
static struct page *new_cache_page(struct address_space *mapping, unsigned long index, int *created)
{
    *created = 0;
    struct page *page = alloc_page(GFP_PCACHE);
    if (!page)
        return NULL;
    struct page *other = find_get_page(mapping, index);
    if (other) {                        /* added while the allocation slept */
        __free_page(page);
        return other;
    }
    *created = 1;
    if (TryLockPage(page))
        panic("new_cache_page: a new frame was locked");
    add_to_page_cache_locked(page, mapping, index);
    lru_cache_add(page);
    vmstat.pgcache_insert++;
    annot_pcache_insert(current->pid, mapping->inode->i_ino, index, page_to_pfn(page));
    return page;
}

/* The page of (mapping, index), read (or being read) from the file;
 * referenced. *read is set when this call started the read. NULL when out
 * of memory. */
static struct page *read_cache_page_async(struct address_space *mapping, unsigned long index, int *read)
{
    *read = 0;
    struct page *page = find_get_page(mapping, index);
    if (page)
        return page;
    int created;
    page = new_cache_page(mapping, index, &created);
    if (!page || !created)
        return page;                    /* someone else's, already on its way */
    *read = 1;
    mapping->a_ops->readpage(page);     /* unlocks it when read */
    return page;
}

/* Start reading the next pages of a file reader (read-ahead). */
static void readahead(struct inode *inode, unsigned long index)
{
    unsigned long end = (unsigned long)((inode->i_size + PAGE_SIZE - 1) >> PAGE_SHIFT);
    for (unsigned long i = index + 1; i <= index + READAHEAD_PAGES && i < end; i++) {
        struct page *page = find_get_page(inode->i_mapping, i);
        if (!page) {
            int read;
            page = read_cache_page_async(inode->i_mapping, i, &read);
            if (!page)
                return;
        }
        put_page(page);
    }
}

/* Wait for a page being read; 0 when it is valid, -EIO when the read failed. */
static int wait_uptodate(struct page *page)
{
    if (!Page_Uptodate(page))
        wait_on_page(page);
    return Page_Uptodate(page) ? 0 : -EIO;
}

long generic_file_read(struct file *file, char *buf, unsigned long count, long long *ppos)
{
    struct inode *inode = file->f_inode;
    struct address_space *mapping = inode->i_mapping;
    unsigned long done = 0;
    long long pos = *ppos;
    while (done < count && (unsigned long long)pos < inode->i_size) {
        unsigned long index = pos >> PAGE_SHIFT, offset = pos & ~PAGE_MASK;
        unsigned long n = min(PAGE_SIZE - offset, count - done);
        if ((unsigned long long)pos + n > inode->i_size)
            n = inode->i_size - pos;
        int read;
        struct page *page = read_cache_page_async(mapping, index, &read);
        if (!page)
            return done ? (long)done : -ENOMEM;
        if (read) {
            vmstat.pgcache_miss++;
        } else {
            vmstat.pgcache_hit++;
            annot_pcache_hit(current->pid, inode->i_ino, index, page_to_pfn(page));
        }
        readahead(inode, index);
        mark_page_accessed(page);
        int err = wait_uptodate(page);
        if (!err && copy_to_user(buf + done, (char *)page_address(page) + offset, n))
            err = -EFAULT;
        put_page(page);
        if (err)
            return done ? (long)done : err;
        done += n;
        pos += n;
    }
    *ppos = pos;
    return done;
}

/* The page of (mapping, index) locked, created if absent; referenced. */
static struct page *grab_cache_page(struct address_space *mapping, unsigned long index)
{
    for (;;) {
        struct page *page = find_get_page(mapping, index);
        if (!page) {
            int created;
            page = new_cache_page(mapping, index, &created);
            if (!page)
                return NULL;
            if (created)
                return page;            /* new and locked */
        }
        lock_page(page);
        if (page->mapping == mapping)
            return page;
        unlock_page(page);              /* truncated while we waited */
        put_page(page);
    }
}

long generic_file_write(struct file *file, const char *buf, unsigned long count, long long *ppos)
{
    struct inode *inode = file->f_inode;
    struct address_space *mapping = inode->i_mapping;
    down(&inode->i_sem);
    long long pos = (file->f_flags & O_APPEND) ? (long long)inode->i_size : *ppos;
    unsigned long done = 0;
    long err = 0;
    while (done < count) {
        unsigned long index = pos >> PAGE_SHIFT, offset = pos & ~PAGE_MASK;
        unsigned long n = min(PAGE_SIZE - offset, count - done);
        struct page *page = grab_cache_page(mapping, index);
        if (!page) {
            err = -ENOMEM;
            break;
        }
        err = mapping->a_ops->prepare_write(page, offset, offset + n);
        if (!err && copy_from_user((char *)page_address(page) + offset, buf + done, n))
            err = -EFAULT;
        if (!err) {
            set_page_dirty(page);
            mark_page_accessed(page);
        }
        unlock_page(page);
        put_page(page);
        if (err)
            break;
        done += n;
        pos += n;
        if ((unsigned long long)pos > inode->i_size)
            inode->i_size = pos;
    }
    if (done) {
        inode->i_mtime = inode->i_ctime = current_time();
        mark_inode_dirty(inode);
        *ppos = pos;
    }
    up(&inode->i_sem);
    balance_dirty();
    return done ? (long)done : err;
}

/* The first page of mapping with page flag bit set, or NULL. */
static struct page *first_flagged(struct address_space *mapping, int bit)
{
    struct list_head *l;
    list_for_each(l, &mapping->pages) {
        struct page *p = list_entry(l, struct page, list);
        if (test_bit(bit, &p->flags))
            return p;
    }
    return NULL;
}

void filemap_fdatasync(struct address_space *mapping, int wait)
{
    /* writing may sleep and the list may change: take the first dirty page
     * each time (written pages are clean, so each round gets further) */
    struct page *page;
    while ((page = first_flagged(mapping, PG_dirty))) {
        get_page(page);
        lock_page(page);
        if (page->mapping == mapping && test_clear_page_dirty(page))
            mapping->a_ops->writepage(page);    /* unlocks it when written */
        else
            unlock_page(page);
        put_page(page);
    }
    if (!wait)
        return;
    while ((page = first_flagged(mapping, PG_locked))) {
        get_page(page);
        wait_on_page(page);
        put_page(page);
    }
}

void truncate_inode_pages(struct address_space *mapping, unsigned long long lstart)
{
    unsigned long first = (unsigned long)((lstart + PAGE_SIZE - 1) >> PAGE_SHIFT);
    unsigned partial = lstart & ~PAGE_MASK;
    for (;;) {
        struct page *page = NULL;
        struct list_head *l;
        list_for_each(l, &mapping->pages) {
            struct page *p = list_entry(l, struct page, list);
            if (p->index >= first || (partial && p->index == first - 1)) {
                page = p;
                break;
            }
        }
        if (!page)
            break;
        get_page(page);
        lock_page(page);
        if (page->mapping == mapping) {
            if (page->index >= first) {
                test_clear_page_dirty(page);
                __remove_inode_page(page);
                put_page(page);         /* the cache's reference */
            } else {
                /* the last page keeps its head; the rest reads as zero */
                memset((char *)page_address(page) + partial, 0, PAGE_SIZE - partial);
                partial = 0;
            }
        }
        unlock_page(page);
        put_page(page);
    }
}

long kernel_read(struct file *file, unsigned long offset, char *addr, unsigned long count)
{
    struct inode *inode = file->f_inode;
    unsigned long done = 0;
    while (done < count && offset + done < inode->i_size) {
        unsigned long pos = offset + done, off = pos & ~PAGE_MASK;
        unsigned long n = min(PAGE_SIZE - off, count - done);
        if (pos + n > inode->i_size)
            n = inode->i_size - pos;
        int read;
        struct page *page = read_cache_page_async(inode->i_mapping, pos >> PAGE_SHIFT, &read);
        if (!page)
            return -ENOMEM;
        int err = wait_uptodate(page);
        if (!err)
            memcpy(addr + done, (char *)page_address(page) + off, n);
        put_page(page);
        if (err)
            return err;
        done += n;
    }
    return done;
}

/* ---- file mappings ---- */

/* nopage of file mappings: the page-cache page (read from the file if it
 * is not cached, with read-around); SIGBUS past the end of the file. A
 * private mapping's write gets a copy (mm/memory.c), so the cache page
 * itself is never written through a private mapping. */
static struct page *filemap_nopage(struct vm_area_struct *vma, unsigned long address, int write_access,
                                   int *major)
{
    struct file *file = vma->vm_file;
    struct inode *inode = file->f_inode;
    unsigned long index = ((address - vma->vm_start) >> PAGE_SHIFT) + vma->vm_pgoff;
    unsigned long size = (unsigned long)((inode->i_size + PAGE_SIZE - 1) >> PAGE_SHIFT);
    if (index >= size)
        return NOPAGE_SIGBUS;
    int read;
    struct page *page = read_cache_page_async(inode->i_mapping, index, &read);
    if (!page)
        return NULL;
    readahead(inode, index);
    if (wait_uptodate(page)) {
        put_page(page);
        return NOPAGE_SIGBUS;
    }
    struct task_struct *tsk = current;
    if (read && !inode->i_sb->s_nodev) {    /* read from the disk */
        *major = 1;
        vmstat.pgmajfault++;
        annot_major_fault(tsk->pid, address >> PAGE_SHIFT, ANNOT_SOURCE_FILE);
    }
    tsk->ru.ru_nfile++;
    mark_page_accessed(page);
    annot_file_fault(tsk->pid, address >> PAGE_SHIFT, inode->i_ino, index, page_to_pfn(page));
    return page;
}

/* A VMA with a file was copied or goes away: its reference to the file. */
static void file_vm_open(struct vm_area_struct *vma)
{
    vma->vm_file->f_count++;
}

static void file_vm_close(struct vm_area_struct *vma)
{
    fput(vma->vm_file);
}

struct vm_operations_struct file_shared_vm_ops = {
    .open = file_vm_open,
    .close = file_vm_close,
    .nopage = filemap_nopage,
};

struct vm_operations_struct file_private_vm_ops = {
    .open = file_vm_open,
    .close = file_vm_close,
    .nopage = filemap_nopage,
};

int generic_file_mmap(struct file *file, struct vm_area_struct *vma)
{
    if (!S_ISREG(file->f_inode->i_mode))
        return -ENODEV;
    vma->vm_ops = (vma->vm_flags & VM_SHARED) ? &file_shared_vm_ops : &file_private_vm_ops;
    return 0;
}

/* msync's and munmap's part: move the dirty bits of present PTEs in
 * [start, end) of a shared file mapping to their pages (clearing them and
 * flushing each TLB entry), so writeback sees what was written. */
void filemap_sync(struct vm_area_struct *vma, unsigned long start, unsigned long end)
{
    struct mm_struct *mm = vma->vm_mm;
    pte_t *pte;
    for (unsigned long a = start; (pte = pte_range_next(mm, &a, end)); a += PAGE_SIZE) {
        if (pte_present(*pte) && pte_dirty(*pte)) {
            struct page *page = pte_page(*pte);
            set_pte(pte, __pte(pte_val(*pte) & ~_PAGE_DIRTY));
            flush_tlb_page(vma, a);
            if (VALID_PAGE(page) && !PageReserved(page))
                set_page_dirty(page);
        }
    }
}
