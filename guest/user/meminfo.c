/* meminfo: print the kernel's allocators (free blocks per order, zones and
 * watermarks, slab caches), like /proc/buddyinfo and /proc/slabinfo. Not
 * part of run=all: its figures depend on what ran before. */
#include <stdio.h>
#include <vmscope.h>

static struct meminfo mi;

int main(void)
{
    check(meminfo(&mi, 0) == 0, "meminfo failed");
    printf("meminfo: %lu of %lu pages free; slab %lu, vmalloc %lu, page tables %lu\n",
           mi.free_pages, mi.total_pages, mi.slab_pages, mi.vmalloc_pages, mi.pgtable_pages);
    printf("meminfo: free blocks by order:");
    for (int o = 0; o < MI_MAX_ORDER; o++)
        printf(" %lu", mi.free_blocks[o]);
    printf("\n");
    for (unsigned long z = 0; z < mi.nr_zones; z++)
        printf("meminfo: zone %-6s present %5lu free %5lu min %3lu low %3lu high %3lu\n",
               mi.zone[z].name, mi.zone[z].present, mi.zone[z].free, mi.zone[z].pages_min,
               mi.zone[z].pages_low, mi.zone[z].pages_high);
    printf("meminfo: %-16s %7s %7s %7s %5s %5s\n", "cache", "objsize", "active", "total", "slabs", "order");
    for (unsigned long i = 0; i < mi.nr_caches; i++)
        printf("meminfo: %-16s %7lu %7lu %7lu %5lu %5lu\n", mi.cache[i].name, mi.cache[i].objsize,
               mi.cache[i].active_objs, mi.cache[i].num_objs, mi.cache[i].num_slabs, mi.cache[i].gfporder);
    return 0;
}
