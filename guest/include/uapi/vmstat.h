/* vmscope's views of memory for user programs (shared by kernel and libc).
 *
 * struct rusage: a process's fault counters. getrusage(RUSAGE_SELF) gives the
 * caller's own; wait4() gives the reaped child's, plus why it ended. The
 * counters start at zero in each new process (fork and the first exec). Every
 * fault the kernel resolves counts once in ru_minflt and once in exactly one
 * of the kind counters below it:
 *
 *   ru_nzfod      a fresh zeroed frame was mapped (first write to anonymous
 *                 memory, or a write to a page that mapped the zero page)
 *   ru_nzeropage  a read of untouched anonymous memory mapped the shared
 *                 zero page read-only (no frame allocated)
 *   ru_nfile      a page of the program file was copied in (exec'd text/data),
 *                 or a shared-memory page was found resident
 *   ru_nswapin    a swapped-out page was read back from the disk (counts in
 *                 ru_majflt, not ru_minflt)
 *   ru_nswapcache a swapped-out page was found in the swap cache (being
 *                 written, read around, or brought in by another process)
 *   ru_ncow       a write to a copy-on-write page copied it (do_wp_page)
 *   ru_nreuse     a write to a copy-on-write page found it had one user and
 *                 made it writable in place (do_wp_page, no copy)
 *   ru_nspurious  the PTE already allowed the access (stale TLB entry)
 *
 * ru_nstack counts stack expansions (expand_stack), which also count as the
 * fault that caused them. */
#ifndef VMSCOPE_GUEST_UAPI_VMSTAT_H
#define VMSCOPE_GUEST_UAPI_VMSTAT_H

#define EXIT_REASON_LEN 64

struct rusage {
    unsigned long ru_minflt;        /* faults resolved without I/O */
    unsigned long ru_majflt;        /* faults that waited for a disk read */
    unsigned long ru_nzfod;         /* zero-fill into a fresh frame */
    unsigned long ru_nzeropage;     /* shared zero page mapped for a read */
    unsigned long ru_nfile;         /* a file's (or shared memory's) page mapped */
    unsigned long ru_ncow;          /* copy-on-write copies */
    unsigned long ru_nreuse;        /* copy-on-write pages reused in place */
    unsigned long ru_nspurious;     /* faults the PTE already allowed */
    unsigned long ru_nswapin;       /* pages read back from swap (major) */
    unsigned long ru_nswapcache;    /* swapped-out pages found in the swap cache */
    unsigned long ru_nstack;        /* stack VMA expansions */
    unsigned long ru_maxrss;        /* largest resident set, pages */
    char ru_reason[EXIT_REASON_LEN];/* wait4 only: why the child ended, or "" */
};

#define MI_MAX_ORDER   10   /* orders 0..MAX_ORDER-1 */
#define MI_NR_USES      8   /* frame uses: kernel, page table, slab, vmalloc,
                               anonymous, page cache, swap cache, buffer */
#define MI_USE_PCACHE   5   /* frames_by_use[] index of the page cache */
#define MI_MAX_CACHES  40
#define MI_NAME_LEN    20

struct meminfo_cache {
    char name[MI_NAME_LEN];         /* kmem_cache name */
    unsigned long objsize;          /* bytes per object */
    unsigned long active_objs;      /* objects allocated */
    unsigned long num_objs;         /* objects in all slabs */
    unsigned long num_slabs;        /* slabs (each 1<<gfporder pages) */
    unsigned long gfporder;         /* pages per slab, log2 */
};

struct meminfo {
    unsigned long total_pages;      /* frames managed by the buddy allocator */
    unsigned long free_pages;       /* of those, free now */
    unsigned long free_blocks[MI_MAX_ORDER];  /* free blocks per order, all zones */
    unsigned long nr_zones;
    struct {
        char name[8];
        unsigned long present, free, pages_min, pages_low, pages_high;
    } zone[2];
    unsigned long slab_pages;       /* pages held by slab caches */
    unsigned long vmalloc_pages;    /* pages mapped by vmalloc */
    unsigned long pgtable_pages;    /* page-table and page-directory pages */
    unsigned long nr_caches;
    struct meminfo_cache cache[MI_MAX_CACHES];

    /* Reclaim and swap (Linux's /proc/vmstat names). How far kswapd gets
     * depends on timing, so only counts a workload fixes are exact. */
    unsigned long pswpin, pswpout;  /* pages read from / written to swap */
    unsigned long pgmajfault;       /* faults that waited for a disk read */
    unsigned long pgscan, pgsteal;  /* inactive pages scanned / freed by reclaim */
    unsigned long kswapd_wakeups;
    unsigned long reclaim_kswapd, reclaim_direct;   /* reclaim passes */
    unsigned long oom_kills;
    unsigned long swap_total, swap_used;    /* swap slots (pages) */
    unsigned long swapcache_pages;  /* pages in the swap cache */
    unsigned long pagecache_pages;  /* pages in other caches (shared memory) */
    unsigned long active_pages, inactive_pages;     /* on the LRU lists */
    unsigned long frames_by_use[MI_NR_USES];        /* frames per frame-alloc use */
    unsigned long frames_free;      /* free frames (frames_by_use + this = every frame) */
    char reclaim_policy[8];         /* "2q", "clock" or "fifo" */
    /* The page cache (files) and writeback */
    unsigned long pgcache_insert;   /* file pages added to the page cache */
    unsigned long pgcache_evict;    /* file pages reclaim dropped from it */
    unsigned long pgcache_hit;      /* read() found its page cached */
    unsigned long pgcache_miss;     /* read() started reading its page */
    unsigned long pgwriteback;      /* file pages written back */
    unsigned long dirty_pages;      /* file pages dirty now */
    unsigned long dirty_buffers;    /* metadata buffers dirty now */
};

/* meminfo(struct meminfo *, flags) */
#define MI_SHRINK  1    /* first give the free slabs of every cache back */
/* quiet_point(struct meminfo *, flags) */
#define QP_UNUSE   1    /* first bring every swapped-out page back (swapoff) */
#define QP_DROP    2    /* write everything dirty, then drop the clean page and
                           buffer caches no one uses (exact free counts) */

/* vm_selftest(which, seed, msg, msglen): 0 = pass, else msg says why */
#define ST_BUDDY   1
#define ST_SLAB    2
#define ST_VMALLOC 3
#define ST_OOPS    4    /* dereference NULL in the kernel: tests the oops path
                           (registers and CR2 printed, machine ends, EXIT_OOPS) */
#define ST_BLOCK   5    /* the disk driver against the drive (drivers/blktest.c) */

#endif
