/* The check of a swap partition's header (swapon_partition, swapfile.c),
 * a pure function of the header page, so that tests/fuzz can run it on the
 * host against hostile disks. */
#include <kernel.h>
#include <swap.h>

int swap_header_check(const union swap_header *h, u32 part_pages, u32 *bad_index)
{
    if (memcmp(h->magic.magic, "SWAPSPACE2", 10))
        return SWAP_HDR_NO_MAGIC;
    if (h->info.version != 1)
        return SWAP_HDR_VERSION;
    if (h->info.last_page < 1 || h->info.last_page >= part_pages)
        return SWAP_HDR_LAST_PAGE;
    if (h->info.nr_badpages > MAX_SWAP_BADPAGES)
        return SWAP_HDR_NR_BADPAGES;
    unsigned max = h->info.last_page + 1;
    for (unsigned i = 0; i < h->info.nr_badpages; i++)
        if (h->info.badpages[i] == 0 || h->info.badpages[i] >= max) {
            *bad_index = i;
            return SWAP_HDR_BADPAGE;
        }
    return SWAP_HDR_OK;
}
