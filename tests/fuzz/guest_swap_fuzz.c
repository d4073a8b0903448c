/* libFuzzer target: the guest kernel's swap header check
 * (guest/mm/swap_header.c, compiled for the host) on hostile header pages.
 *
 * Input: u32 partition pages, u8 flags, then bytes laid over the page from
 * offset 1024 (the version, last_page, nr_badpages fields and the bad-page
 * list). Flag bit 0 stamps "SWAPSPACE2" at the end of the page (else the
 * input's bytes reach it too). When the check passes, what swapon then
 * does must be safe: the map of last_page + 1 slots fits the partition,
 * every bad page is a slot of that map, and the bad-page list ends before
 * the signature. A violation aborts. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tests/fuzz/guest_host.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 5)
        return 0;
    uint32_t part_pages;
    memcpy(&part_pages, data, 4);
    uint8_t flags = data[4];
    uint8_t *page = calloc(1, GUEST_PAGE_SIZE);
    size_t n = size - 5 < GUEST_PAGE_SIZE - 1024 ? size - 5 : GUEST_PAGE_SIZE - 1024;
    memcpy(page + 1024, data + 5, n);
    if (flags & 1)
        memcpy(page + GUEST_PAGE_SIZE - 10, "SWAPSPACE2", 10);
    uint32_t bi = 0;
    int v = guest_swap_header_check(page, part_pages, &bi);
    if (v == 0) {
        uint32_t last = guest_swap_last_page(page), nbad = guest_swap_nr_badpages(page);
        if (last < 1 || last >= part_pages || nbad > guest_swap_max_badpages ||
            guest_swap_badpages_offset + (uint64_t)nbad * 4 > GUEST_PAGE_SIZE - 10)
            abort();
        for (uint32_t i = 0; i < nbad; i++) {
            uint32_t b;
            memcpy(&b, page + guest_swap_badpages_offset + i * 4, 4);
            if (b == 0 || b > last)
                abort();
        }
    } else if (v == 5 && bi >= guest_swap_nr_badpages(page)) {
        abort();                        /* the entry it names must be in the list */
    }
    free(page);
    return 0;
}
