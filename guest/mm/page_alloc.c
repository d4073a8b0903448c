/* The buddy allocator (Linux 2.4's mm/page_alloc.c).
 *
 * Each zone keeps, per order k (blocks of 2^k frames), a list of free blocks
 * and a bitmap with one bit per pair of buddies: the bit is 1 when exactly
 * one of the two is free. Freeing a block toggles its pair's bit; if the bit
 * was already 1 the buddy is free too, so the two merge and the walk goes
 * one order up. Allocating takes the first block of the smallest order that
 * has one and splits it down (expand), putting the halves it does not use
 * on the lower lists. Zones start on MAX_ORDER boundaries, so buddy indices
 * are relative to the zone's first frame.
 *
 * Watermarks (__alloc_pages): an allocation first takes from a zone only
 * while it stays above pages_low; below that it wakes kswapd and may go
 * down to pages_min; only __GFP_HIGH (atomic) callers and tasks that are
 * reclaiming (PF_MEMALLOC) may go below pages_min. A caller that may sleep
 * and still finds nothing reclaims itself (try_to_free_pages) until a frame
 * is free; when reclaim can make no progress at all, the OOM killer picks a
 * victim and the caller waits for it to die.
 *
 * Every allocation and free is a frame-alloc or frame-free record
 * (trace/annot.h) with the frame's use, taken from the gfp mask, and
 * nr_frames_by_use counts frames per use: at boot every frame is the
 * kernel's, and mem_init's frees hand the usable ones over. */
#include <kernel.h>
#include <annotate.h>
#include <blkdev.h>
#include <io.h>
#include <mm.h>
#include <sched.h>
#include <slab.h>
#include <swap.h>

unsigned long nr_frames_by_use[ANNOT_USE_COUNT];

#define MARK_USED(index, order, area) \
    __change_bit((index) >> (1 + (order)), (area)->map)

/* Flip bit nr of map; return its old value. */
static inline int __test_and_change_bit(unsigned long nr, unsigned long *map)
{
    unsigned long mask = 1UL << (nr & 31);
    unsigned long *p = map + (nr >> 5);
    int old = (*p & mask) != 0;
    *p ^= mask;
    return old;
}

/* Flip bit nr of map. */
static inline void __change_bit(unsigned long nr, unsigned long *map)
{
    map[nr >> 5] ^= 1UL << (nr & 31);
}

/* The zone a frame belongs to. */
static zone_t *page_zone(struct page *page)
{
    unsigned long pfn = page_to_pfn(page);
    return pfn < zones[ZONE_NORMAL].zone_start_pfn ? &zones[ZONE_DMA] : &zones[ZONE_NORMAL];
}

/* Put a block back and merge it with free buddies (interrupts off). */
static void __free_pages_ok(struct page *page, unsigned order)
{
    if (PageReserved(page))
        panic("__free_pages_ok: freeing reserved frame %lu", page_to_pfn(page));
    if (PageSlab(page) || PageBuddy(page))
        panic("__free_pages_ok: frame %lu is %s", page_to_pfn(page),
              PageSlab(page) ? "a slab page" : "already free");
    if (page->list.next && page->list.next != &page->list)
        panic("__free_pages_ok: frame %lu is still on a list", page_to_pfn(page));
    if (page->mapping)
        panic("__free_pages_ok: frame %lu is still in a cache", page_to_pfn(page));
    if (PageLocked(page))
        panic("__free_pages_ok: frame %lu is locked", page_to_pfn(page));
    lru_cache_del(page);
    page->flags &= (1UL << PG_reserved);
    nr_frames_by_use[page->use] -= 1UL << order;
    annot_frame_free(current->pid, page_to_pfn(page), order);

    zone_t *zone = page_zone(page);
    unsigned long mask = (~0UL) << order;
    struct page *base = zone->zone_mem_map;
    unsigned long page_idx = page - base;
    if (page_idx & ~mask)
        panic("__free_pages_ok: frame %lu not aligned to order %u", page_to_pfn(page), order);
    unsigned long index = page_idx >> (1 + order);
    free_area_t *area = zone->free_area + order;

    u32 flags;
    local_irq_save(flags);
    zone->free_pages -= mask;       /* += 1 << order */
    while (mask + (1UL << (MAX_ORDER - 1))) {
        if (!__test_and_change_bit(index, area->map))
            break;                  /* the buddy is in use: stop merging */
        struct page *buddy = base + (page_idx ^ -mask);
        if (!PageBuddy(buddy) || buddy->order != (unsigned long)__builtin_ctzl(-mask))
            panic("__free_pages_ok: buddy bitmap says frame %lu is free, it is not",
                  page_to_pfn(buddy));
        list_del(&buddy->list);
        buddy->flags &= ~(1UL << PG_buddy);
        area->nr_free--;
        mask <<= 1;
        area++;
        index >>= 1;
        page_idx &= mask;
    }
    struct page *head = base + page_idx;
    head->flags |= 1UL << PG_buddy;
    head->order = area - zone->free_area;
    list_add(&head->list, &area->free_list);
    area->nr_free++;
    local_irq_restore(flags);
}

/* Split a block of order high down to order low; returns the part kept. */
static struct page *expand(zone_t *zone, struct page *page, unsigned long index,
                           int low, int high, free_area_t *area)
{
    unsigned long size = 1UL << high;
    while (high > low) {
        area--;
        high--;
        size >>= 1;
        page->flags |= 1UL << PG_buddy;
        page->order = high;
        list_add(&page->list, &area->free_list);
        area->nr_free++;
        MARK_USED(index, high, area);
        index += size;
        page += size;
    }
    return page;
}

/* Take a block of 2^order from zone, or NULL. Interrupts off. */
static struct page *rmqueue(zone_t *zone, unsigned order)
{
    free_area_t *area = zone->free_area + order;
    unsigned curr_order = order;
    do {
        struct list_head *head = &area->free_list, *curr = head->next;
        if (curr != head) {
            struct page *page = list_entry(curr, struct page, list);
            list_del(curr);
            INIT_LIST_HEAD(&page->list);
            page->flags &= ~(1UL << PG_buddy);
            area->nr_free--;
            unsigned long index = page - zone->zone_mem_map;
            if (curr_order != MAX_ORDER - 1)
                MARK_USED(index, curr_order, area);
            zone->free_pages -= 1UL << order;
            page = expand(zone, page, index, order, curr_order, area);
            INIT_LIST_HEAD(&page->list);
            page->flags &= ~(1UL << PG_buddy);
            set_page_count(page, 1);
            page->order = order;
            return page;
        }
        curr_order++;
        area++;
    } while (curr_order < MAX_ORDER);
    return NULL;
}

/* One pass over the zonelist: Normal then DMA (or DMA only), taking from a
 * zone only while it keeps more than its watermark. */
static struct page *try_zones(unsigned gfp_mask, unsigned order, int pass)
{
    int first = (gfp_mask & __GFP_DMA) ? ZONE_DMA : ZONE_NORMAL;
    for (int z = first; z >= 0; z--) {
        zone_t *zone = &zones[z];
        if (!zone->size)
            continue;
        unsigned long mark = pass == 0 ? zone->pages_low : pass == 1 ? zone->pages_min : 0;
        if (zone->free_pages < (1UL << order) || zone->free_pages - (1UL << order) < mark)
            continue;
        u32 flags;
        local_irq_save(flags);
        struct page *page = rmqueue(zone, order);
        local_irq_restore(flags);
        if (page)
            return page;
    }
    return NULL;
}

int zones_below_low(void)
{
    for (int z = 0; z < MAX_NR_ZONES; z++)
        if (zones[z].present_pages && zones[z].free_pages < zones[z].pages_low)
            return 1;
    return 0;
}

int zones_below_high(void)
{
    for (int z = 0; z < MAX_NR_ZONES; z++)
        if (zones[z].present_pages && zones[z].free_pages < zones[z].pages_high)
            return 1;
    return 0;
}

/* Is the task with this pid still holding its address space? */
static int task_holds_mm(int pid)
{
    struct list_head *l;
    list_for_each(l, &task_list) {
        struct task_struct *t = list_entry(l, struct task_struct, tasks);
        if (t->pid == pid)
            return t->mm != NULL;
    }
    return 0;
}

/* The caller may sleep and nothing is above pages_min: reclaim until a
 * frame is free (see the top of the file). */
static struct page *alloc_pages_slow(unsigned gfp_mask, unsigned order)
{
    struct task_struct *tsk = current;
    for (int round = 0;; round++) {
        if (fatal_signal_pending(tsk))
            return NULL;                /* dying: let it exit and free memory */
        unsigned long progress = reclaim_progress;
        tsk->flags |= PF_MEMALLOC;
        int freed = try_to_free_pages(gfp_mask, 1);
        tsk->flags &= ~PF_MEMALLOC;
        struct page *page = try_zones(gfp_mask, order, 1);
        if (page)
            return page;
        if (order > 0 && round >= 8)
            return NULL;                /* fragmentation: larger blocks may fail */
        if (freed || reclaim_progress != progress)
            continue;
        if (blk_pending()) {
            blk_wait_idle();            /* frames come free as writes finish */
            continue;
        }
        struct task_struct *victim = out_of_memory();
        if (!victim || victim == tsk)
            return NULL;
        int pid = victim->pid;
        while (task_holds_mm(pid))
            schedule_timeout(1);        /* until the victim has let go of its memory */
    }
}

/* Account a fresh block of 2^order frames to the gfp mask's use. */
static struct page *frames_allocated(struct page *page, unsigned gfp_mask, unsigned order)
{
    unsigned use = gfp_use(gfp_mask);
    page->use = use;
    page->last_pid = current->pid;
    page->last_vpage = ANNOT_NO_VPAGE;
    nr_frames_by_use[use] += 1UL << order;
    annot_frame_alloc(current->pid, page_to_pfn(page), order, use);
    return page;
}

struct page *alloc_pages(unsigned gfp_mask, unsigned order)
{
    if (order >= MAX_ORDER || gfp_use(gfp_mask) >= ANNOT_USE_COUNT)
        return NULL;
    struct page *page = try_zones(gfp_mask, order, 0);
    if (!page) {
        wakeup_kswapd();
        page = try_zones(gfp_mask, order, 1);
    }
    if (!page && ((gfp_mask & __GFP_HIGH) || (current->flags & PF_MEMALLOC)))
        page = try_zones(gfp_mask, order, 2);
    if (!page && (gfp_mask & __GFP_WAIT) && !(current->flags & PF_MEMALLOC))
        page = alloc_pages_slow(gfp_mask, order);
    return page ? frames_allocated(page, gfp_mask, order) : NULL;
}

void set_page_use(struct page *page, unsigned use)
{
    if (page->use == use)
        return;
    nr_frames_by_use[page->use]--;
    nr_frames_by_use[use]++;
    page->use = use;
    annot_frame_alloc(current->pid, page_to_pfn(page), 0, use);
}

void __free_pages(struct page *page, unsigned order)
{
    if (PageReserved(page))
        return;
    if (page->count <= 0)
        panic("__free_pages: frame %lu has count %d", page_to_pfn(page), page->count);
    if (--page->count == 0)
        __free_pages_ok(page, order);
}

void put_page(struct page *page)
{
    __free_pages(page, 0);
}

unsigned long __get_free_pages(unsigned gfp_mask, unsigned order)
{
    struct page *page = alloc_pages(gfp_mask, order);
    return page ? (unsigned long)page_address(page) : 0;
}

unsigned long get_zeroed_page(unsigned gfp_mask)
{
    unsigned long addr = __get_free_pages(gfp_mask, 0);
    if (addr)
        memset((void *)addr, 0, PAGE_SIZE);
    return addr;
}

void free_pages(unsigned long addr, unsigned order)
{
    if (addr)
        __free_pages(virt_to_page(addr), order);
}

unsigned long nr_free_pages(void)
{
    unsigned long n = 0;
    for (int z = 0; z < MAX_NR_ZONES; z++)
        n += zones[z].free_pages;
    return n;
}

unsigned long nr_total_pages(void)
{
    unsigned long n = 0;
    for (int z = 0; z < MAX_NR_ZONES; z++)
        n += zones[z].present_pages;
    return n;
}
