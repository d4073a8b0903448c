/* Swapping and page reclaim (Linux 2.4's include/linux/swap.h and
 * include/asm-i386/pgtable.h's swap entries).
 *
 * A page that was swapped out is named by a swap entry: which swap area
 * (type) and which page-sized slot in it (offset). A not-present PTE holds
 * the entry in the i386 layout: bit 0 (present) and bit 7 (PROT_NONE) are
 * clear, the type sits in bits 1-6 and the offset in bits 8-31, so a swap
 * PTE is never mistaken for an empty one (offset 0, the header, is never
 * handed out) nor for a present one. */
#ifndef VMSCOPE_GUEST_SWAP_H
#define VMSCOPE_GUEST_SWAP_H

#include <kernel.h>
#include <list.h>
#include <mm.h>
#include <pagemap.h>

typedef struct { unsigned long val; } swp_entry_t;

#define SWP_TYPE(x)   (((x).val >> 1) & 0x3f)
#define SWP_OFFSET(x) ((x).val >> 8)
#define SWP_ENTRY(type, offset) ((swp_entry_t){ ((type) << 1) | ((offset) << 8) })
#define pte_to_swp_entry(pte) ((swp_entry_t){ pte_val(pte) })
#define swp_entry_to_pte(x) __pte((x).val)

#define SWAP_MAP_MAX 0x7fff     /* most references a slot counts */
#define SWAP_MAP_BAD 0x8000     /* the header, or a bad page */
#define SWAPFILE_CLUSTER 256    /* slots handed out in runs for locality */
#define SWAP_CLUSTER_MAX 32     /* pages reclaim tries to free per pass */
#define DEF_PRIORITY 6          /* reclaim scans 1/priority of a list */

/* The swap header in the first page of a swap area (mkswap's SWAPSPACE2
 * layout, version 1). */
union swap_header {
    struct {
        char reserved[PAGE_SIZE - 10];
        char magic[10];             /* "SWAPSPACE2" */
    } magic;
    struct {
        char bootbits[1024];        /* disk label etc. */
        unsigned int version;       /* 1 */
        unsigned int last_page;     /* last usable slot */
        unsigned int nr_badpages;
        unsigned char sws_uuid[16];
        unsigned char sws_volume[16];
        unsigned int padding[117];
        unsigned int badpages[1];   /* nr_badpages bad slots */
    } info;
};
#define MAX_SWAP_BADPAGES ((PAGE_SIZE - 1024 - 512 - 10) / sizeof(int))

/* What swap_header_check (mm/swap_header.c) finds in the first page H of a
 * partition of PART_PAGES pages: the header is usable (SWAP_HDR_OK), or why
 * not; for SWAP_HDR_BADPAGE, *BAD_INDEX is the entry of the bad-page list
 * that lies out of range. A pure function: tests/fuzz runs it on the host. */
enum swap_header_verdict {
    SWAP_HDR_OK, SWAP_HDR_NO_MAGIC, SWAP_HDR_VERSION, SWAP_HDR_LAST_PAGE, SWAP_HDR_NR_BADPAGES,
    SWAP_HDR_BADPAGE,
};
int swap_header_check(const union swap_header *h, u32 part_pages, u32 *bad_index);

/* One swap area: a disk partition. swap_map counts the references to each
 * slot: each swap PTE, each shared-memory object that keeps it, and the
 * swap cache when it holds the slot's page. */
struct swap_info_struct {
    unsigned int flags;             /* SWP_USED | SWP_WRITEOK */
    unsigned long start_sect;       /* the partition's first sector */
    unsigned short *swap_map;       /* references per slot (vmalloc'ed) */
    unsigned int lowest_bit, highest_bit;   /* free slots lie within */
    unsigned int cluster_next, cluster_nr;  /* the run being handed out */
    unsigned int max;               /* slots (last_page + 1) */
    unsigned int pages;             /* usable slots (not header, not bad) */
    unsigned int inuse_pages;       /* slots in use */
    int prio;
};
#define SWP_USED    1
#define SWP_WRITEOK 3
#define MAX_SWAPFILES 1

extern struct swap_info_struct swap_info[MAX_SWAPFILES];
extern long nr_swap_pages;              /* free slots */
extern long total_swap_pages;           /* usable slots */
extern struct address_space swapper_space;
#define PageSwapCache(page) ((page)->mapping == &swapper_space)

/* mm/swapfile.c */
/* Use the partition at [start_sect, start_sect + nr_sects) as swap if its
 * header is valid (prints the outcome either way). Process context. */
int swapon_partition(int part, unsigned long start_sect, unsigned long nr_sects);
/* A free slot with one reference, or entry 0 when swap is full or absent. */
swp_entry_t get_swap_page(void);
/* One more reference to entry (fork copying a swap PTE, swap_out mapping
 * another PTE to a slot the swap cache already holds). */
void swap_duplicate(swp_entry_t entry);
/* Drop a reference; the slot is free when none is left (swap-free record). */
void swap_free(swp_entry_t entry);
/* References to the slot. */
int swap_count(swp_entry_t entry);
/* Unmapping a swap PTE (munmap, exit): drop its reference, and if only
 * the swap cache still holds the slot, free the cached page too. */
void free_swap_and_cache(swp_entry_t entry);
/* Bring every swapped-out page of every address space back into RAM and
 * take mapped pages out of the swap cache, as swapoff does (shared-memory
 * objects keep theirs). Process context. Returns 0, or -ENOMEM. */
int try_to_unuse(void);
/* Is the swap cache page held only by the cache and one mapping (so the
 * mapping may have it to itself)? */
int exclusive_swap_page(struct page *page);
/* The page of the slot's sector in the disk. */
unsigned long swap_sector(swp_entry_t entry);

/* mm/swap_state.c */
/* Put an anonymous page (locked) in the swap cache at entry: the cache
 * takes the reference get_swap_page gave. */
void add_to_swap_cache(struct page *page, swp_entry_t entry);
/* Take a page out of the swap cache and drop the cache's reference to its
 * slot; the caller drops the page reference the cache held. */
void delete_from_swap_cache(struct page *page);
/* The cached page of entry with a reference, or NULL. */
struct page *lookup_swap_cache(swp_entry_t entry);
/* The page of entry: from the cache, or a new page being read (locked
 * until the read completes); with a reference. *read is set when this
 * call started the read. NULL when out of memory or the slot is free. */
struct page *read_swap_cache_async(swp_entry_t entry, int *read);
/* The same for a fault at virtual page vpage of process pid (its swap-in
 * record names the page). */
struct page *swapin_page(swp_entry_t entry, unsigned long vpage, int pid, int *read);
/* Start reading the slots around entry that are in use and not cached
 * (read-around), each counted as a swap-in by pid for no virtual page. */
void swapin_readahead(swp_entry_t entry);
/* Free swap-cache pages that nothing can reach any more (the slot's only
 * reference is the cache's; not locked). Returns how many. */
unsigned long reap_swap_cache(void);
extern unsigned long swapper_pages;

/* mm/page_io.c */
/* Start reading or writing the locked page from or to its slot; the page
 * is unlocked when the transfer ends (PG_uptodate or PG_error set). */
void rw_swap_page(int rw, struct page *page);
/* writepage of swapper_space: write the page to its slot (evict record). */
int swap_writepage(struct page *page);

/* mm/swap.c: the LRU lists and the replacement policy */
enum reclaim_policy { POLICY_2Q = ANNOT_POLICY_2Q, POLICY_CLOCK = ANNOT_POLICY_CLOCK,
                      POLICY_FIFO = ANNOT_POLICY_FIFO };
extern enum reclaim_policy reclaim_policy;
extern struct list_head active_list, inactive_list;
extern unsigned long nr_active_pages, nr_inactive_pages;
/* Choose the policy from the command line's reclaim= word. */
void reclaim_policy_init(void);
const char *reclaim_policy_name(void);
/* A new user page joins the lists (where the policy puts new pages). */
void lru_cache_add(struct page *page);
/* Take the page off its list (it is being freed). */
void lru_cache_del(struct page *page);
/* The page was used: the policy's reference bookkeeping. */
void mark_page_accessed(struct page *page);
/* Move a page to the active list / back to the inactive one. */
void activate_page(struct page *page);
void deactivate_page(struct page *page);
/* Rotate a page to the head of its list (a second chance). */
void lru_rotate(struct page *page);
/* May swap_out unmap this page, as far as the lists say? */
int lru_unmap_candidate(struct page *page);

/* mm/vmscan.c */
/* Free at least SWAP_CLUSTER_MAX frames for a caller that may sleep.
 * 1 when some were freed, else 0. who: 0 kswapd, 1 direct reclaim. */
int try_to_free_pages(unsigned gfp_mask, int who);
/* Pages unmapped, written or freed by reclaim so far: an allocation that
 * sees no change after a whole try_to_free_pages has nothing left to try. */
extern unsigned long reclaim_progress;
/* Free every clean file and buffer-cache page no one maps or uses (the
 * quiet point's QP_DROP). Returns how many. */
unsigned long drop_pagecache(void);
/* Wake kswapd (free memory went below pages_low). Any context. */
void wakeup_kswapd(void);
/* Start the kswapd kernel thread. */
void kswapd_init(void);
/* Is kswapd sleeping with nothing to do? */
int kswapd_idle(void);

/* mm/oom_kill.c */
/* RAM and swap are exhausted: choose the process holding the most memory,
 * name it on the console and kill it. Returns the victim, or NULL. */
struct task_struct *out_of_memory(void);

/* Counters (vmstat, struct meminfo): mm/swap.c */
struct vm_counters {
    unsigned long pswpin, pswpout;  /* pages read from / written to swap */
    unsigned long pgmajfault;       /* faults that waited for a disk read */
    unsigned long pgscan, pgsteal;  /* inactive pages scanned / freed by reclaim */
    unsigned long kswapd_wakeups;
    unsigned long reclaim_passes[2];/* shrink passes by kswapd, by direct reclaim */
    unsigned long oom_kills;
    unsigned long pgcache_insert;   /* file pages added to the page cache */
    unsigned long pgcache_evict;    /* file pages reclaim dropped from it */
    unsigned long pgcache_hit;      /* read() found its page cached */
    unsigned long pgcache_miss;     /* read() had to read it */
    unsigned long pgwriteback;      /* file pages written back */
    unsigned long pgfault;          /* user page faults resolved */
    unsigned long pgpgin, pgpgout;  /* KiB read from / written to the disk */
};
extern struct vm_counters vmstat;

#endif
