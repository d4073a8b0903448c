/* The meminfo view for user programs (sys_meminfo): the buddy allocator's
 * free blocks per order and per zone, watermarks, and the slab caches. */
#include <kernel.h>
#include <mm.h>
#include <slab.h>
#include <buffer.h>
#include <fs.h>
#include <swap.h>
#include <vmalloc.h>
#include <uapi/vmstat.h>

void fill_meminfo(struct meminfo *mi)
{
    memset(mi, 0, sizeof *mi);
    mi->total_pages = nr_total_pages();
    mi->free_pages = nr_free_pages();
    mi->nr_zones = 0;
    for (int z = 0; z < MAX_NR_ZONES; z++) {
        zone_t *zone = &zones[z];
        for (int o = 0; o < MAX_ORDER && o < MI_MAX_ORDER; o++)
            mi->free_blocks[o] += zone->free_area[o].nr_free;
        strlcpy(mi->zone[z].name, zone->name, sizeof mi->zone[z].name);
        mi->zone[z].present = zone->present_pages;
        mi->zone[z].free = zone->free_pages;
        mi->zone[z].pages_min = zone->pages_min;
        mi->zone[z].pages_low = zone->pages_low;
        mi->zone[z].pages_high = zone->pages_high;
        mi->nr_zones++;
    }
    mi->vmalloc_pages = vmalloc_pages();
    mi->pgtable_pages = pgtable_pages;
    slab_fill_meminfo(mi);
    mi->pswpin = vmstat.pswpin;
    mi->pswpout = vmstat.pswpout;
    mi->pgmajfault = vmstat.pgmajfault;
    mi->pgscan = vmstat.pgscan;
    mi->pgsteal = vmstat.pgsteal;
    mi->kswapd_wakeups = vmstat.kswapd_wakeups;
    mi->reclaim_kswapd = vmstat.reclaim_passes[0];
    mi->reclaim_direct = vmstat.reclaim_passes[1];
    mi->oom_kills = vmstat.oom_kills;
    mi->swap_total = total_swap_pages;
    mi->swap_used = total_swap_pages - nr_swap_pages;
    mi->swapcache_pages = swapper_space.nrpages;
    mi->pagecache_pages = nr_frames_by_use[ANNOT_USE_PCACHE];
    mi->active_pages = nr_active_pages;
    mi->inactive_pages = nr_inactive_pages;
    _Static_assert(MI_NR_USES == ANNOT_USE_COUNT, "one meminfo count per frame use");
    for (int u = 0; u < MI_NR_USES; u++)
        mi->frames_by_use[u] = nr_frames_by_use[u];
    mi->frames_free = mi->free_pages;
    strlcpy(mi->reclaim_policy, reclaim_policy_name(), sizeof mi->reclaim_policy);
    mi->pgcache_insert = vmstat.pgcache_insert;
    mi->pgcache_evict = vmstat.pgcache_evict;
    mi->pgcache_hit = vmstat.pgcache_hit;
    mi->pgcache_miss = vmstat.pgcache_miss;
    mi->pgwriteback = vmstat.pgwriteback;
    mi->dirty_pages = nr_dirty_file_pages;
    mi->dirty_buffers = nr_dirty_buffers;
}
