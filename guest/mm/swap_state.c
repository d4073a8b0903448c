/* The swap cache (Linux 2.4's mm/swap_state.c): swapper_space is the
 * page-cache mapping of the swap area, a page's index its swap entry. A
 * page on its way out (written by reclaim) or in (being read) is found
 * there, so every process whose PTE holds the entry gets the one copy; a
 * page read back stays cached (and so clean with respect to its slot)
 * until it is written to (mm/memory.c takes it out) or reclaimed. */
#include <kernel.h>
#include <annotate.h>
#include <blkdev.h>
#include <mm.h>
#include <sched.h>
#include <swap.h>

static struct address_space_operations swap_aops = {
    .writepage = swap_writepage,
};

struct address_space swapper_space = {
    .pages = LIST_HEAD_INIT(swapper_space.pages),
    .a_ops = &swap_aops,
};

void add_to_swap_cache(struct page *page, swp_entry_t entry)
{
    add_to_page_cache_locked(page, &swapper_space, entry.val);
    set_page_use(page, ANNOT_USE_SWAPCACHE);
}

void delete_from_swap_cache(struct page *page)
{
    if (!PageSwapCache(page))
        panic("delete_from_swap_cache: frame %lu is not in the swap cache", page_to_pfn(page));
    swp_entry_t entry = { page->index };
    __remove_inode_page(page);
    swap_free(entry);
}

struct page *lookup_swap_cache(swp_entry_t entry)
{
    return find_get_page(&swapper_space, entry.val);
}

/* Is the slot in use (not free, not bad)? */
static int swap_slot_used(unsigned long offset)
{
    struct swap_info_struct *p = &swap_info[0];
    return p->swap_map && offset && offset < p->max && p->swap_map[offset] &&
           p->swap_map[offset] != SWAP_MAP_BAD;
}

/* read_swap_cache_async for pid's vpage (ANNOT_NO_VPAGE for read-around). */
static struct page *read_swap_cache(swp_entry_t entry, unsigned long vpage, int pid, int *read)
{
    *read = 0;
    struct page *page = lookup_swap_cache(entry);
    if (page)
        return page;
    struct page *new_page = alloc_page(GFP_SWAPCACHE);
    if (!new_page)
        return NULL;
    /* the allocation may have slept: look again */
    page = lookup_swap_cache(entry);
    if (page || !swap_slot_used(SWP_OFFSET(entry))) {
        __free_page(new_page);
        return page;
    }
    if (TryLockPage(new_page))
        panic("read_swap_cache: a new frame was locked");
    swap_duplicate(entry);              /* the cache's reference */
    add_to_page_cache_locked(new_page, &swapper_space, entry.val);
    lru_cache_add(new_page);
    vmstat.pswpin++;
    annot_swap_in(pid, vpage, page_to_pfn(new_page), SWP_OFFSET(entry));
    rw_swap_page(READ, new_page);
    *read = 1;
    return new_page;                    /* the caller's reference; the cache has its own */
}

struct page *read_swap_cache_async(swp_entry_t entry, int *read)
{
    return read_swap_cache(entry, ANNOT_NO_VPAGE, current->pid, read);
}

struct page *swapin_page(swp_entry_t entry, unsigned long vpage, int pid, int *read)
{
    return read_swap_cache(entry, vpage, pid, read);
}

/* Read-around covers 2^page_cluster slots: 4 below 16 MiB of RAM, else 8
 * (2.4's swap_setup). */
static unsigned page_cluster(void)
{
    return nr_total_pages() < (16UL << (20 - PAGE_SHIFT)) ? 2 : 3;
}

void swapin_readahead(swp_entry_t entry)
{
    unsigned cluster = page_cluster();
    unsigned long first = SWP_OFFSET(entry) & ~((1UL << cluster) - 1);
    for (unsigned long off = first; off < first + (1UL << cluster); off++) {
        if (off == SWP_OFFSET(entry) || !swap_slot_used(off))
            continue;
        int read;
        struct page *page = read_swap_cache_async(SWP_ENTRY(0, off), &read);
        if (!page)
            break;                      /* out of memory: read-around is optional */
        put_page(page);
    }
}

unsigned long reap_swap_cache(void)
{
    unsigned long freed = 0;
    struct list_head *l, *n;
    list_for_each_safe(l, n, &swapper_space.pages) {
        struct page *page = list_entry(l, struct page, list);
        swp_entry_t entry = { page->index };
        if (page_count(page) != 1 || swap_count(entry) != 1 || TryLockPage(page))
            continue;
        delete_from_swap_cache(page);
        unlock_page(page);
        put_page(page);
        freed++;
    }
    return freed;
}
