/* Shared anonymous memory: the object behind MAP_SHARED|MAP_ANONYMOUS
 * (Linux 2.4's mm/shmem.c, without the file system). Its resident pages
 * are in the page cache of the object's own address_space (mapping =
 * &obj->mapping, index = page number), allocated and zeroed on the first
 * touch by any process mapping it; every VMA that maps it (across fork and
 * splits) holds a reference, and the last close frees everything.
 *
 * The pages swap: they are on the LRU lists like anonymous pages, swap_out
 * simply drops their PTEs (the object still holds them), and when reclaim
 * finds one that only the object holds, shmem_writepage moves it into the
 * swap cache and writes it, keeping the slot in obj->swap[page]. A fault
 * looks in the object's cache, then in the slot (swap cache or disk), and
 * moves the page back, so every process maps the same copy again. Pages
 * held by the object are always dirty: the slot copy is dropped as soon as
 * the page is back in RAM. */
#include <kernel.h>
#include <annotate.h>
#include <mm.h>
#include <pagemap.h>
#include <sched.h>
#include <slab.h>
#include <swap.h>
#include <vmalloc.h>

struct shmem_object {
    struct address_space mapping;   /* resident pages (page cache) */
    int refcount;                   /* VMAs mapping it */
    unsigned long npages;
    swp_entry_t *swap;              /* the slot of each swapped-out page, or 0 */
};

static int shmem_writepage(struct page *page);

static struct address_space_operations shmem_aops = {
    .writepage = shmem_writepage,
};

void *shmem_create(unsigned long npages)
{
    struct shmem_object *obj = kmalloc(sizeof *obj, GFP_KERNEL);
    if (!obj)
        return NULL;
    unsigned long bytes = npages * sizeof(swp_entry_t);
    obj->swap = bytes > PAGE_SIZE ? vmalloc(bytes) : kmalloc(bytes, GFP_KERNEL);
    if (!obj->swap) {
        kfree(obj);
        return NULL;
    }
    memset(obj->swap, 0, bytes);
    INIT_LIST_HEAD(&obj->mapping.pages);
    obj->mapping.nrpages = 0;
    obj->mapping.a_ops = &shmem_aops;
    obj->mapping.host = obj;
    obj->mapping.inode = NULL;          /* not a file */
    obj->refcount = 1;
    obj->npages = npages;
    return obj;
}

int shmem_refs(void *o)
{
    return ((struct shmem_object *)o)->refcount;
}

void shmem_get(void *o)
{
    struct shmem_object *obj = o;
    obj->refcount++;
}

/* The last reference frees the pages, the slots and obj; no PTE maps the
 * object any more by then. */
void shmem_put(void *o)
{
    struct shmem_object *obj = o;
    if (--obj->refcount)
        return;
    while (!list_empty(&obj->mapping.pages)) {
        struct page *page = list_entry(obj->mapping.pages.next, struct page, list);
        __remove_inode_page(page);
        put_page(page);
    }
    for (unsigned long i = 0; i < obj->npages; i++)
        if (obj->swap[i].val)
            free_swap_and_cache(obj->swap[i]);
    if (obj->npages * sizeof(swp_entry_t) > PAGE_SIZE)
        vfree(obj->swap);
    else
        kfree(obj->swap);
    kfree(obj);
}

/* Put a locked page into the object at idx (the cache's reference). */
static void shmem_add(struct shmem_object *obj, struct page *page, unsigned long idx)
{
    add_to_page_cache_locked(page, &obj->mapping, idx);
    SetPageUptodate(page);
    SetPageDirty(page);
}

/* Bring page idx back from its slot: from the swap cache or the disk. The
 * page comes back in the object's cache, with a reference for the caller;
 * NULL when out of memory, NOPAGE_SIGBUS on a read error, or the page
 * itself when it turned up in the object meanwhile. */
static struct page *shmem_swapin(struct shmem_object *obj, unsigned long idx, unsigned long address,
                                 int *major)
{
    struct task_struct *tsk = current;
    swp_entry_t entry = obj->swap[idx];
    int read = 0;
    struct page *page = lookup_swap_cache(entry);
    if (!page) {
        swapin_readahead(entry);
        page = swapin_page(entry, address >> PAGE_SHIFT, tsk->pid, &read);
        if (!page)
            return obj->swap[idx].val == entry.val ? NULL : find_get_page(&obj->mapping, idx);
    }
    if (read) {
        *major = 1;
        vmstat.pgmajfault++;
        tsk->ru.ru_nswapin++;
        annot_major_fault(tsk->pid, address >> PAGE_SHIFT, 0);
    } else {
        tsk->ru.ru_nswapcache++;
        annot_swap_hit(tsk->pid, address >> PAGE_SHIFT, page_to_pfn(page));
    }
    lock_page(page);
    if (obj->swap[idx].val != entry.val || !PageSwapCache(page) || page->index != entry.val) {
        /* someone else brought it back while we waited */
        unlock_page(page);
        put_page(page);
        return find_get_page(&obj->mapping, idx);
    }
    if (!Page_Uptodate(page)) {
        unlock_page(page);
        put_page(page);
        return NOPAGE_SIGBUS;
    }
    delete_from_swap_cache(page);       /* the cache's slot reference */
    put_page(page);                     /* the cache's page reference */
    obj->swap[idx].val = 0;
    swap_free(entry);                   /* the object's slot reference */
    shmem_add(obj, page, idx);
    set_page_use(page, ANNOT_USE_ANON);
    unlock_page(page);
    return page;
}

/* The page at address: the object's page, from its cache, from swap, or
 * allocated and zeroed on the first touch by any process; a reference for
 * the new PTE. */
static struct page *shmem_nopage(struct vm_area_struct *vma, unsigned long address, int write_access,
                                 int *major)
{
    struct shmem_object *obj = vma->vm_private_data;
    struct task_struct *tsk = current;
    unsigned long idx = ((address - vma->vm_start) >> PAGE_SHIFT) + vma->vm_pgoff;
    if (idx >= obj->npages)
        panic("shmem_nopage: page %lu of a %lu-page object", idx, obj->npages);
    for (;;) {
        struct page *page = find_get_page(&obj->mapping, idx);
        if (page) {
            tsk->ru.ru_nfile++;
            mark_page_accessed(page);
            return page;
        }
        if (obj->swap[idx].val) {
            page = shmem_swapin(obj, idx, address, major);
            if (page)
                return page;
            if (obj->swap[idx].val)
                return NULL;            /* out of memory */
            continue;
        }
        page = alloc_page(GFP_HIGHUSER);
        if (!page)
            return NULL;
        /* the allocation may have slept: did the page turn up meanwhile? */
        struct page *other = find_get_page(&obj->mapping, idx);
        if (other || obj->swap[idx].val) {
            __free_page(page);
            if (other)
                put_page(other);
            continue;
        }
        memset(page_address(page), 0, PAGE_SIZE);
        if (TryLockPage(page))
            panic("shmem_nopage: a new frame was locked");
        shmem_add(obj, page, idx);
        lru_cache_add(page);
        mark_page_accessed(page);
        unlock_page(page);
        tsk->ru.ru_nzfod++;
        annot_zero_fill(tsk->pid, address, page_to_pfn(page));
        return page;                    /* the allocation's reference: the PTE's */
    }
}

/* Reclaim found a page only the object holds: give it a slot, move it to
 * the swap cache and write it. The page is locked; on failure (no swap)
 * it stays dirty in the object. */
static int shmem_writepage(struct page *page)
{
    struct shmem_object *obj = page->mapping->host;
    unsigned long idx = page->index;
    swp_entry_t entry = get_swap_page();
    if (!entry.val) {
        SetPageDirty(page);
        unlock_page(page);
        return -ENOSPC;
    }
    __remove_inode_page(page);
    obj->swap[idx] = entry;             /* get_swap_page's reference */
    swap_duplicate(entry);              /* the swap cache's */
    add_to_swap_cache(page, entry);
    put_page(page);                     /* the object's page reference became the cache's */
    SetPageUptodate(page);
    return swap_writepage(page);
}

/* A VMA mapping the object was copied (fork, split) / goes away. */
static void shmem_open(struct vm_area_struct *vma)
{
    shmem_get(vma->vm_private_data);
}

static void shmem_close(struct vm_area_struct *vma)
{
    shmem_put(vma->vm_private_data);
}

struct vm_operations_struct shmem_vm_ops = {
    .open = shmem_open,
    .close = shmem_close,
    .nopage = shmem_nopage,
};
