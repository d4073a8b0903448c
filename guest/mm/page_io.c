/* Page I/O to the swap area (Linux 2.4's mm/page_io.c): one request of
 * SECTORS_PER_PAGE sectors per page, at the slot's place in the swap
 * partition. The page is locked for the whole transfer; the completion,
 * in interrupt context, records the outcome and unlocks it, waking whoever
 * waits (a faulting process in do_swap_page, reclaim throttling on pages
 * it wrote). */
#include <kernel.h>
#include <annotate.h>
#include <blkdev.h>
#include <mm.h>
#include <sched.h>
#include <swap.h>

/* end_io of swap transfers (interrupt context). */
static void end_swap_io(struct request *rq, int uptodate)
{
    struct page *page = rq->private;
    if (rq->cmd == READ) {
        if (uptodate)
            SetPageUptodate(page);
        else
            SetPageError(page);
    } else if (!uptodate) {
        SetPageError(page);
        SetPageDirty(page);             /* still only in RAM: keep it */
    }
    unlock_page(page);
}

void rw_swap_page(int rw, struct page *page)
{
    if (!PageLocked(page) || !PageSwapCache(page))
        panic("rw_swap_page: frame %lu is %s", page_to_pfn(page),
              PageLocked(page) ? "not in the swap cache" : "not locked");
    swp_entry_t entry = { page->index };
    if (rw == READ)
        ClearPageUptodate(page);
    ClearPageError(page);
    submit_request(rw, swap_sector(entry), SECTORS_PER_PAGE, page_address(page), end_swap_io, page);
}

int swap_writepage(struct page *page)
{
    swp_entry_t entry = { page->index };
    vmstat.pswpout++;
    annot_evict(page->last_pid, page->last_vpage, page_to_pfn(page), SWP_OFFSET(entry),
                reclaim_policy);
    rw_swap_page(WRITE, page);
    return 0;
}
