/* The LRU lists and the replacement policy (Linux 2.4's mm/swap.c and the
 * list half of mm/vmscan.c), with the policy chosen by reclaim= on the
 * command line so traces can compare policies on one workload:
 *
 *   2q     2.4's two lists (the default). New pages enter the inactive
 *          list; a page used twice while inactive (mark_page_accessed:
 *          PG_referenced, then activate) moves to the active list;
 *          refill_inactive ages the active list's tail back to the inactive
 *          list unless it was referenced meanwhile. swap_out unmaps only
 *          inactive pages whose PTE was not accessed since its last look.
 *   clock  one list with a second chance: every page stays on the inactive
 *          list; swap_out's sweep over the address spaces is the clock hand
 *          and the PTE accessed bit the reference bit: a page used since the
 *          hand last passed is spared once (its bit cleared), else unmapped.
 *   fifo   first in, first out: new pages enter the active list (not yet
 *          due) and refill_inactive moves the oldest to the inactive list
 *          whatever their use; swap_out unmaps inactive pages without
 *          looking at accessed bits. Pages leave in the order they came.
 *
 * Every page a user can map is on one list (PG_lru): anonymous pages from
 * their first fault, swap-cache and shared-memory pages. Each move is an
 * lru-move record (trace/annot.h) naming the list the frame lands on;
 * rotating a page to the head of the list it is on (a second chance, or
 * reclaim's scan moving past it) changes no membership and is not one. */
#include <kernel.h>
#include <annotate.h>
#include <io.h>
#include <mm.h>
#include <sched.h>
#include <swap.h>

LIST_HEAD(active_list);
LIST_HEAD(inactive_list);
unsigned long nr_active_pages, nr_inactive_pages;
enum reclaim_policy reclaim_policy = POLICY_2Q;
struct vm_counters vmstat;

static const char *const policy_names[] = { "2q", "clock", "fifo" };

void reclaim_policy_init(void)
{
    char val[16];
    if (cmdline_get("reclaim", val, sizeof val)) {
        unsigned i;
        for (i = 0; i < ARRAY_SIZE(policy_names) && strcmp(val, policy_names[i]); i++)
            ;
        if (i < ARRAY_SIZE(policy_names))
            reclaim_policy = i;
        else
            printk("reclaim=%s: unknown policy (2q, clock or fifo), using 2q\n", val);
    }
    printk("Page reclaim: policy %s\n", reclaim_policy_name());
}

const char *reclaim_policy_name(void)
{
    return policy_names[reclaim_policy];
}

/* Put page at the head of the active or inactive list. Interrupts off. */
static void add_to_list(struct page *page, int active)
{
    if (active) {
        set_bit(PG_active, &page->flags);
        list_add(&page->lru, &active_list);
        nr_active_pages++;
    } else {
        clear_bit(PG_active, &page->flags);
        list_add(&page->lru, &inactive_list);
        nr_inactive_pages++;
    }
    annot_lru_move(page_to_pfn(page), active);
}

/* Unlink page from its list. Interrupts off. */
static void del_from_list(struct page *page)
{
    list_del(&page->lru);
    if (PageActive(page))
        nr_active_pages--;
    else
        nr_inactive_pages--;
}

void lru_cache_add(struct page *page)
{
    if (test_and_set_bit(PG_lru, &page->flags))
        panic("lru_cache_add: frame %lu is on a list already", page_to_pfn(page));
    u32 flags;
    local_irq_save(flags);
    add_to_list(page, reclaim_policy == POLICY_FIFO);
    local_irq_restore(flags);
}

void lru_cache_del(struct page *page)
{
    if (!test_and_clear_bit(PG_lru, &page->flags))
        return;
    u32 flags;
    local_irq_save(flags);
    del_from_list(page);
    clear_bit(PG_active, &page->flags);
    local_irq_restore(flags);
    INIT_LIST_HEAD(&page->lru);
}

void activate_page(struct page *page)
{
    if (!PageLRU(page) || PageActive(page))
        return;
    u32 flags;
    local_irq_save(flags);
    del_from_list(page);
    add_to_list(page, 1);
    local_irq_restore(flags);
}

void deactivate_page(struct page *page)
{
    if (!PageLRU(page) || !PageActive(page))
        return;
    u32 flags;
    local_irq_save(flags);
    del_from_list(page);
    add_to_list(page, 0);
    local_irq_restore(flags);
}

void lru_rotate(struct page *page)
{
    if (!PageLRU(page))
        return;
    u32 flags;
    local_irq_save(flags);
    list_del(&page->lru);
    list_add(&page->lru, PageActive(page) ? &active_list : &inactive_list);
    local_irq_restore(flags);
}

void mark_page_accessed(struct page *page)
{
    switch (reclaim_policy) {
    case POLICY_2Q:
        if (!PageActive(page) && PageReferenced(page)) {
            activate_page(page);
            ClearPageReferenced(page);
        } else {
            SetPageReferenced(page);
        }
        break;
    case POLICY_CLOCK:
        SetPageReferenced(page);
        break;
    case POLICY_FIFO:
        break;                          /* use does not matter */
    }
}

int lru_unmap_candidate(struct page *page)
{
    return reclaim_policy == POLICY_CLOCK || !PageActive(page);
}
