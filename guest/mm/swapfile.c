/* Swap areas and their slots (Linux 2.4's mm/swapfile.c).
 *
 * At boot the kernel uses the first partition of type 0x82 if its first
 * page is a valid SWAPSPACE2 header (version 1); it honours the header's
 * last_page and bad-page list, and refuses the partition, with a console
 * line, when the header is missing, of another version, claims more pages
 * than the partition has, or lists a bad page out of range. Slot 0 (the
 * header) and bad slots are marked SWAP_MAP_BAD and never handed out.
 *
 * swap_map[slot] counts references: swap PTEs, shared-memory objects, and
 * the swap cache while it holds the slot's page. get_swap_page hands out
 * slots from runs of SWAPFILE_CLUSTER consecutive ones, so pages evicted
 * together lie together on the disk and read-around finds its neighbours. */
#include <kernel.h>
#include <annotate.h>
#include <blkdev.h>
#include <io.h>
#include <mm.h>
#include <sched.h>
#include <swap.h>
#include <vmalloc.h>

struct swap_info_struct swap_info[MAX_SWAPFILES];
long nr_swap_pages;
long total_swap_pages;

int swapon_partition(int part, unsigned long start_sect, unsigned long nr_sects)
{
    struct swap_info_struct *p = &swap_info[0];
    union swap_header *h = (union swap_header *)__get_free_page(GFP_KERNEL);
    if (!h)
        panic("swapon: no memory for the swap header");
    int ok = 0;
    unsigned long part_pages = nr_sects / SECTORS_PER_PAGE;
    if (part_pages < 2 || block_rw_sync(READ, start_sect, SECTORS_PER_PAGE, h)) {
        printk("swapon: unable to read the swap header of hda%d\n", part);
        goto out;
    }
    u32 bi = 0;
    switch (swap_header_check(h, part_pages, &bi)) {
    case SWAP_HDR_OK:
        break;
    case SWAP_HDR_NO_MAGIC:
        printk("Unable to find swap-space signature on hda%d\n", part);
        goto out;
    case SWAP_HDR_VERSION:
        printk("Unable to handle swap header version %u on hda%d\n", h->info.version, part);
        goto out;
    case SWAP_HDR_LAST_PAGE:
        printk("Swap area shorter than signature indicates on hda%d (last page %u, %lu pages)\n",
               part, h->info.last_page, part_pages);
        goto out;
    case SWAP_HDR_NR_BADPAGES:
        printk("Swap header of hda%d lists %u bad pages (at most %u)\n", part,
               h->info.nr_badpages, (unsigned)MAX_SWAP_BADPAGES);
        goto out;
    default:
        printk("Swap header of hda%d lists bad page %u out of range\n", part, h->info.badpages[bi]);
        goto out;
    }
    unsigned max = h->info.last_page + 1;
    p->swap_map = vmalloc(max * sizeof(unsigned short));
    if (!p->swap_map) {
        printk("swapon: no memory for the swap map of hda%d\n", part);
        goto out;
    }
    memset(p->swap_map, 0, max * sizeof(unsigned short));
    p->swap_map[0] = SWAP_MAP_BAD;
    unsigned bad = 0;
    for (unsigned i = 0; i < h->info.nr_badpages; i++)
        if (p->swap_map[h->info.badpages[i]] != SWAP_MAP_BAD) {
            p->swap_map[h->info.badpages[i]] = SWAP_MAP_BAD;
            bad++;
        }
    p->max = max;
    p->pages = max - 1 - bad;
    p->inuse_pages = 0;
    p->lowest_bit = 1;
    p->highest_bit = max - 1;
    p->cluster_next = 1;
    p->cluster_nr = 0;
    p->start_sect = start_sect;
    p->prio = -1;
    p->flags = SWP_WRITEOK;
    nr_swap_pages = total_swap_pages = p->pages;
    printk("Adding Swap: %luk swap-space (priority %d)\n",
           (unsigned long)p->pages << (PAGE_SHIFT - 10), p->prio);
    ok = 1;
out:
    free_page((unsigned long)h);
    return ok;
}

unsigned long swap_sector(swp_entry_t entry)
{
    return swap_info[SWP_TYPE(entry)].start_sect + SWP_OFFSET(entry) * SECTORS_PER_PAGE;
}

/* A free slot of p (scan_swap_map), or 0. */
static unsigned long scan_swap_map(struct swap_info_struct *p)
{
    /* continue the current run while it lasts */
    if (p->cluster_nr) {
        while (p->cluster_next <= p->highest_bit) {
            unsigned long offset = p->cluster_next++;
            if (p->swap_map[offset])
                continue;
            p->cluster_nr--;
            return offset;
        }
    }
    p->cluster_nr = SWAPFILE_CLUSTER;
    /* a new run: SWAPFILE_CLUSTER free slots in a row, if there are */
    unsigned long offset, run = 0;
    for (offset = p->lowest_bit; offset <= p->highest_bit; offset++) {
        if (p->swap_map[offset]) {
            run = 0;
            continue;
        }
        if (++run == SWAPFILE_CLUSTER) {
            offset -= SWAPFILE_CLUSTER - 1;
            p->cluster_next = offset + 1;
            p->cluster_nr--;
            return offset;
        }
    }
    /* no whole run left: the first free slot */
    for (offset = p->lowest_bit; offset <= p->highest_bit; offset++)
        if (!p->swap_map[offset]) {
            p->cluster_next = offset + 1;
            p->cluster_nr = 0;
            return offset;
        }
    return 0;
}

swp_entry_t get_swap_page(void)
{
    struct swap_info_struct *p = &swap_info[0];
    if ((p->flags & SWP_WRITEOK) != SWP_WRITEOK || nr_swap_pages <= 0)
        return (swp_entry_t){ 0 };
    unsigned long offset = scan_swap_map(p);
    if (!offset)
        return (swp_entry_t){ 0 };
    if (offset == p->lowest_bit)
        p->lowest_bit++;
    if (offset == p->highest_bit)
        p->highest_bit--;
    if (p->lowest_bit > p->highest_bit) {
        p->lowest_bit = p->max;
        p->highest_bit = 0;
    }
    p->swap_map[offset] = 1;
    p->inuse_pages++;
    nr_swap_pages--;
    return SWP_ENTRY(0, offset);
}

/* The swap_map entry of entry; panics on a bad entry (a corrupt PTE). */
static unsigned short *swap_map_of(swp_entry_t entry, const char *who)
{
    struct swap_info_struct *p = &swap_info[0];
    unsigned long offset = SWP_OFFSET(entry);
    if (SWP_TYPE(entry) != 0 || !p->swap_map || !offset || offset >= p->max)
        panic("%s: bad swap entry %08lx", who, entry.val);
    unsigned short *m = &p->swap_map[offset];
    if (!*m || *m == SWAP_MAP_BAD)
        panic("%s: swap entry %08lx is %s", who, entry.val, *m ? "a bad slot" : "free");
    return m;
}

void swap_duplicate(swp_entry_t entry)
{
    unsigned short *m = swap_map_of(entry, "swap_duplicate");
    if (*m >= SWAP_MAP_MAX)
        panic("swap_duplicate: slot %lu has %u references", SWP_OFFSET(entry), *m);
    (*m)++;
}

void swap_free(swp_entry_t entry)
{
    struct swap_info_struct *p = &swap_info[0];
    unsigned short *m = swap_map_of(entry, "swap_free");
    if (--*m)
        return;
    unsigned long offset = SWP_OFFSET(entry);
    if (offset < p->lowest_bit)
        p->lowest_bit = offset;
    if (offset > p->highest_bit)
        p->highest_bit = offset;
    p->inuse_pages--;
    nr_swap_pages++;
    annot_swap_free(current->pid, offset);
}

int swap_count(swp_entry_t entry)
{
    return *swap_map_of(entry, "swap_count");
}

int exclusive_swap_page(struct page *page)
{
    if (!PageSwapCache(page))
        return 0;
    swp_entry_t entry = { page->index };
    /* the cache's reference to the slot and to the page, plus one mapping */
    return swap_count(entry) == 1 && page_count(page) == 2;
}

void free_swap_and_cache(swp_entry_t entry)
{
    swap_free(entry);
    struct page *page = lookup_swap_cache(entry);
    if (!page)
        return;
    /* only the cache (and our lookup) hold it, and no I/O is in flight */
    if (swap_count(entry) == 1 && page_count(page) == 2 && !TryLockPage(page)) {
        delete_from_swap_cache(page);
        unlock_page(page);
        put_page(page);                 /* the cache's reference */
    }
    put_page(page);                     /* ours */
}

/* try_to_unuse for one mm: fault in its swap PTEs, then free the slots of
 * mapped swap-cache pages that no PTE names any more. */
static int unuse_mm(struct mm_struct *mm)
{
    for (struct vm_area_struct *vma = mm->mmap; vma; vma = vma->vm_next) {
        pte_t *pte;
        for (unsigned long a = vma->vm_start; (pte = pte_range_next(mm, &a, vma->vm_end)); a += PAGE_SIZE) {
            if (!pte_none(*pte) && !pte_present(*pte) && handle_mm_fault(mm, vma, a, 0) < 0)
                return -ENOMEM;
            /* the fault may have slept: look at the PTE as it is now */
            if (pte_present(*pte) && !(pte_val(*pte) & _PAGE_PROTNONE)) {
                struct page *page = pte_page(*pte);
                if (VALID_PAGE(page) && PageSwapCache(page) && !TryLockPage(page)) {
                    swp_entry_t entry = { page->index };
                    if (swap_count(entry) == 1) {
                        delete_from_swap_cache(page);
                        put_page(page);     /* the cache's reference */
                        set_page_use(page, ANNOT_USE_ANON);
                    }
                    unlock_page(page);
                }
            }
        }
    }
    return 0;
}

int try_to_unuse(void)
{
    for (struct list_head *l = mmlist.next; l != &mmlist;) {
        struct mm_struct *mm = list_entry(l, struct mm_struct, mmlist);
        mm->mm_users++;                 /* keep it (and its place) while faults sleep */
        int err = unuse_mm(mm);
        l = l->next;                    /* before mmput, which may unlink mm */
        mmput(mm);
        if (err)
            return err;
    }
    return 0;
}
