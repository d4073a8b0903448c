/* Page reclaim (Linux 2.4's mm/vmscan.c, 2.4.10 and later: the active and
 * inactive lists).
 *
 * try_to_free_pages works down from DEF_PRIORITY to 1, each pass
 * (shrink_caches) scanning a larger share of the lists:
 *   1. kmem_cache_reap gives back free slabs;
 *   2. refill_inactive ages the active list into the inactive one (2q and
 *      fifo; mm/swap.c says how each policy ages);
 *   3. shrink_cache scans the inactive list from its tail: a page that
 *      only a cache holds (swap, file, buffer or shared-memory cache) is
 *      written back when dirty (writepage, asynchronously) and freed when
 *      clean, so clean cache pages go before any page is unmapped; a page
 *      still mapped is counted, and when the pass freed too little and too
 *      many were mapped, swap_out unmaps some for the next pass. Pages reclaim wrote (PG_launder)
 *      and finds still locked are waited for, which throttles reclaim to
 *      the disk's speed.
 * swap_out sweeps the address spaces on mmlist round robin, each from where
 * the last sweep stopped (mm->swap_address): try_to_swap_out tests and
 * clears each PTE's accessed bit (flushing that TLB entry); a page used
 * since the last sweep is marked accessed and spared, otherwise, if the
 * lists let it go (lru_unmap_candidate), its PTE becomes a swap entry (an
 * anonymous page first gets a slot and joins the swap cache, dirty). The
 * page is freed once its last mapping is gone and it was written.
 *
 * kswapd is woken when an allocation finds a zone below pages_low and
 * reclaims until every zone is above pages_high; an allocation that finds
 * nothing above pages_min reclaims directly before it could fail. Each pass
 * is a reclaim record, each kswapd wake and sleep a kswapd record. */
#include <kernel.h>
#include <annotate.h>
#include <blkdev.h>
#include <buffer.h>
#include <io.h>
#include <mm.h>
#include <sched.h>
#include <fs.h>
#include <slab.h>
#include <swap.h>
#include <wait.h>

LIST_HEAD(mmlist);                          /* every user address space */
static struct mm_struct *swap_mm;           /* where swap_out resumes */
unsigned long reclaim_progress;             /* pages unmapped, written or freed */

void mmlist_add(struct mm_struct *mm)
{
    mm->swap_address = 0;
    list_add_tail(&mm->mmlist, &mmlist);
}

void mmlist_del(struct mm_struct *mm)
{
    if (swap_mm == mm)
        swap_mm = mm->mmlist.next == &mmlist ? NULL
                  : list_entry(mm->mmlist.next, struct mm_struct, mmlist);
    list_del(&mm->mmlist);
}

/* Unmap one present PTE of mm at address if the policy lets its page go.
 * Returns 1 when the page was unmapped and nothing but a cache holds it
 * any more (it can be written and freed), else 0. */
static int try_to_swap_out(struct mm_struct *mm, struct vm_area_struct *vma,
                           unsigned long address, pte_t *page_table)
{
    pte_t pte = *page_table;
    struct page *page = pte_page(pte);
    if (!VALID_PAGE(page) || PageReserved(page) || !PageLRU(page))
        return 0;
    if (reclaim_policy != POLICY_FIFO && pte_young(pte)) {
        set_pte(page_table, __pte(pte_val(pte) & ~_PAGE_ACCESSED));
        flush_tlb_page(vma, address);
        mark_page_accessed(page);
        return 0;
    }
    if (!lru_unmap_candidate(page) || TryLockPage(page))
        return 0;
    swp_entry_t entry;
    if (PageSwapCache(page)) {
        /* never mapped writable while cached (mm/memory.c), so its slot
         * copy (or the copy being written) is current: a D bit here is a
         * stale one copied by fork */
        entry.val = page->index;
        swap_duplicate(entry);
        set_pte(page_table, swp_entry_to_pte(entry));
    } else if (page->mapping) {
        /* a file's or a shared-memory object's page: the cache keeps it,
         * the PTE just goes, and what was written through it makes the
         * page dirty */
        pte_clear(page_table);
        if (pte_dirty(pte) && page->mapping->inode)
            set_page_dirty(page);
    } else {
        entry = get_swap_page();
        if (!entry.val) {
            unlock_page(page);
            return 0;                   /* swap is full or absent */
        }
        add_to_swap_cache(page, entry); /* takes get_swap_page's reference */
        SetPageUptodate(page);
        SetPageDirty(page);
        swap_duplicate(entry);          /* the PTE's */
        set_pte(page_table, swp_entry_to_pte(entry));
    }
    flush_tlb_page(vma, address);
    page->last_pid = mm->pid;
    page->last_vpage = address >> PAGE_SHIFT;
    mm->rss--;
    reclaim_progress++;
    unlock_page(page);
    int freeable = page_count(page) == 2;   /* the cache's and the PTE's */
    put_page(page);
    return freeable;
}

/* Sweep mm from mm->swap_address: unmap until *nr_pages freeable pages were
 * found or *budget present PTEs were looked at. Returns 1 when it reached
 * the end of mm. */
static int swap_out_mm(struct mm_struct *mm, int *nr_pages, long *budget)
{
    unsigned long address = mm->swap_address;
    struct vm_area_struct *vma = find_vma(mm, address);
    for (; vma; vma = vma->vm_next) {
        if (address < vma->vm_start)
            address = vma->vm_start;
        pte_t *pte;
        for (; (pte = pte_range_next(mm, &address, vma->vm_end)); address += PAGE_SIZE) {
            if (pte_present(*pte) && !(pte_val(*pte) & _PAGE_PROTNONE)) {
                *nr_pages -= try_to_swap_out(mm, vma, address, pte);
                if (--*budget <= 0 || *nr_pages <= 0) {
                    mm->swap_address = address + PAGE_SIZE;
                    return 0;
                }
            }
        }
    }
    mm->swap_address = TASK_SIZE;
    return 1;
}

/* Unmap up to SWAP_CLUSTER_MAX pages that can be freed, looking at about
 * 1/priority of all resident user pages. */
static void swap_out(int priority)
{
    long total_rss = 0;
    struct list_head *l;
    list_for_each(l, &mmlist)
        total_rss += list_entry(l, struct mm_struct, mmlist)->rss;
    long budget = total_rss / priority + SWAP_CLUSTER_MAX;
    int nr_pages = SWAP_CLUSTER_MAX;
    int mms = 0;
    list_for_each(l, &mmlist)
        mms++;
    /* each address space at most twice: a sweep may only clear accessed bits */
    for (int visits = 0; visits < 2 * mms && budget > 0 && nr_pages > 0; visits++) {
        if (!swap_mm)
            swap_mm = list_entry(mmlist.next, struct mm_struct, mmlist);
        struct mm_struct *mm = swap_mm;
        if (mm->swap_address >= TASK_SIZE)
            mm->swap_address = 0;
        if (swap_out_mm(mm, &nr_pages, &budget)) {
            mm->swap_address = 0;
            swap_mm = mm->mmlist.next == &mmlist ? NULL
                      : list_entry(mm->mmlist.next, struct mm_struct, mmlist);
        }
    }
}

/* Move up to nr_pages from the active list's tail to the inactive list
 * (2q: a referenced page goes back to the active head instead). */
static void refill_inactive(unsigned long nr_pages)
{
    struct list_head *entry = active_list.prev;
    while (nr_pages && entry != &active_list) {
        struct page *page = list_entry(entry, struct page, lru);
        entry = entry->prev;
        if (reclaim_policy == POLICY_2Q && PageTestandClearReferenced(page)) {
            lru_rotate(page);
            continue;
        }
        nr_pages--;
        deactivate_page(page);
        if (reclaim_policy == POLICY_2Q)
            SetPageReferenced(page);
    }
}

/* Scan the inactive list's tail for pages to write or free (see the top),
 * counting pages scanned and freed in *scanned and *freed (this pass's own:
 * other passes run while this one waits for a page). Returns how many of
 * nr_pages are still to be freed. */
static int shrink_cache(int nr_pages, int priority, unsigned gfp_mask, unsigned long *scanned,
                        unsigned long *freed)
{
    long max_scan = nr_inactive_pages / priority + 1;
    long max_mapped = min((long)nr_pages << (10 - priority), max_scan / 10);
    long mapped = 0;
    while (max_scan-- > 0 && !list_empty(&inactive_list)) {
        struct page *page = list_entry(inactive_list.prev, struct page, lru);
        vmstat.pgscan++;
        (*scanned)++;
        if (reclaim_policy == POLICY_CLOCK && PageTestandClearReferenced(page)) {
            lru_rotate(page);           /* second chance */
            continue;
        }
        lru_rotate(page);
        if (!page->mapping || page_count(page) > 1) {
            mapped++;                   /* still mapped: swap_out must unmap it first */
            continue;
        }
        if (TryLockPage(page)) {
            if (PageLaunder(page) && (gfp_mask & __GFP_WAIT)) {
                get_page(page);
                wait_on_page(page);
                put_page(page);
            }
            continue;
        }
        if (PageDirty(page) && page->mapping->a_ops && page->mapping->a_ops->writepage) {
            test_clear_page_dirty(page);
            SetPageLaunder(page);
            reclaim_progress++;
            page->mapping->a_ops->writepage(page);   /* unlocks it when written */
            continue;
        }
        if (PageDirty(page) || (page->buffers && !try_to_release_buffers(page))) {
            unlock_page(page);          /* nowhere to write it, or a buffer is busy */
            continue;
        }
        /* clean: its copy is on disk, or it is a page whose read failed */
        struct inode *inode = page->mapping->inode;
        if (PageSwapCache(page)) {
            delete_from_swap_cache(page);
        } else {
            if (inode) {
                vmstat.pgcache_evict++;
                annot_pcache_evict(current->pid, inode->i_ino, page->index, page_to_pfn(page));
            }
            __remove_inode_page(page);
        }
        unlock_page(page);
        vmstat.pgsteal++;
        (*freed)++;
        reclaim_progress++;
        put_page(page);                 /* the cache's reference: frees it */
        if (inode)
            inode_pages_gone(inode);    /* an unused inode goes with its last page */
        if (--nr_pages <= 0)
            break;
    }
    /* pages no one maps went first; when too many were still mapped and
     * that was not enough, unmap some for the next pass */
    if (nr_pages > 0 && mapped > max_mapped)
        swap_out(priority);
    return nr_pages;
}

/* One pass at priority: slabs, aging, the inactive list. Returns how many
 * of nr_pages are still to be freed. */
static int shrink_caches(int priority, unsigned gfp_mask, int nr_pages, int who)
{
    unsigned long scanned = 0, freed = 0;
    nr_pages -= kmem_cache_reap(gfp_mask);
    if (nr_pages > 0) {
        if (reclaim_policy != POLICY_CLOCK)
            refill_inactive((unsigned long)nr_pages * nr_active_pages / ((nr_inactive_pages + 1) * 2));
        nr_pages = shrink_cache(nr_pages, priority, gfp_mask, &scanned, &freed);
    }
    vmstat.reclaim_passes[who]++;
    annot_reclaim(current->pid, who, priority, scanned, freed);
    return nr_pages;
}

int try_to_free_pages(unsigned gfp_mask, int who)
{
    int nr_pages = SWAP_CLUSTER_MAX;
    for (int priority = DEF_PRIORITY; priority > 0; priority--) {
        nr_pages = shrink_caches(priority, gfp_mask, nr_pages, who);
        if (nr_pages <= 0)
            return 1;
    }
    return nr_pages < SWAP_CLUSTER_MAX;
}

unsigned long drop_pagecache(void)
{
    unsigned long dropped = 0;
    struct list_head *lists[] = { &inactive_list, &active_list };
    for (int k = 0; k < 2; k++) {
        struct list_head *l, *n;
        list_for_each_safe(l, n, lists[k]) {
            struct page *page = list_entry(l, struct page, lru);
            struct address_space *mapping = page->mapping;
            if (!mapping || (!mapping->inode && mapping != &blkdev_mapping) || page_count(page) != 1 ||
                PageDirty(page) || TryLockPage(page))
                continue;
            if (page->buffers && !try_to_release_buffers(page)) {
                unlock_page(page);
                continue;
            }
            struct inode *inode = mapping->inode;
            __remove_inode_page(page);
            unlock_page(page);
            put_page(page);
            if (inode)
                inode_pages_gone(inode);
            dropped++;
        }
    }
    return dropped;
}

/* ---- kswapd ---- */

static DECLARE_WAIT_QUEUE_HEAD(kswapd_wait);
static volatile int kswapd_wanted;          /* woken and not yet running */
static volatile int kswapd_sleeping;

void wakeup_kswapd(void)
{
    if (kswapd_wanted || !kswapd_sleeping)
        return;
    kswapd_wanted = 1;
    wake_up(&kswapd_wait);
}

int kswapd_idle(void)
{
    return kswapd_sleeping && !kswapd_wanted;
}

/* The kswapd thread: sleep until woken below pages_low, then reclaim until
 * every zone is above pages_high or nothing more can be freed. */
static int kswapd(void *unused)
{
    current->flags |= PF_MEMALLOC;
    for (;;) {
        kswapd_sleeping = 1;
        annot_kswapd(current->pid, 0, nr_free_pages());
        wait_event(kswapd_wait, kswapd_wanted);
        kswapd_sleeping = 0;
        kswapd_wanted = 0;
        vmstat.kswapd_wakeups++;
        annot_kswapd(current->pid, 1, nr_free_pages());
        while (zones_below_high()) {
            unsigned long progress = reclaim_progress;
            if (try_to_free_pages(GFP_KERNEL, 0))
                continue;
            if (blk_pending()) {
                blk_wait_idle();        /* writes in flight will free frames */
                continue;
            }
            if (reclaim_progress == progress)
                break;                  /* nothing left to do: sleep */
        }
    }
    return 0;
}

void kswapd_init(void)
{
    if (kernel_thread(kswapd, NULL, "kswapd") < 0)
        panic("kswapd_init: cannot start kswapd");
}
