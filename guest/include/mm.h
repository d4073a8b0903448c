/* Memory management: struct page, zones, the buddy allocator, VMAs and
 * mm_struct (Linux 2.4's include/linux/mm.h and mmzone.h). */
#ifndef VMSCOPE_GUEST_MM_H
#define VMSCOPE_GUEST_MM_H

#include <kernel.h>
#include <list.h>
#include <page.h>
#include <pgtable.h>
#include "trace/annot.h"

struct address_space;
struct file;

/* One per physical frame, in mem_map[] (index = page frame number). */
struct page {
    struct list_head list;      /* buddy free list; slab: next = cache, prev = slab;
                                   page cache and swap cache: mapping->pages */
    struct address_space *mapping;  /* page cache owner (swapper_space: the swap cache) */
    unsigned long index;        /* offset in mapping (swap cache: the swp_entry_t) */
    struct page *next_hash;     /* page cache hash chain (mm/filemap.c) */
    struct page **pprev_hash;
    int count;                  /* references: mappings, caches, kernel users; 0 = free */
    unsigned long flags;        /* PG_* bits: change them with the bitops below */
    struct list_head lru;       /* active or inactive list (mm/swap.c) */
    unsigned char order;        /* order of the buddy block this page heads (checks) */
    unsigned char use;          /* what the frame holds: ANNOT_USE_* (frame-alloc records) */
    unsigned short io_pending;  /* block transfers in flight for it (fs readpage/writepage) */
    int last_pid;               /* the last mapping swap_out removed: pid and */
    unsigned long last_vpage;   /*   virtual page, for the evict record */
    struct buffer_head *buffers;/* a buffer-cache page's buffers (fs/buffer.c) */
};

#define PG_reserved   0   /* never given to the buddy allocator */
#define PG_slab       1   /* owned by a slab cache */
#define PG_buddy      2   /* head of a free buddy block (checked on free) */
#define PG_pgtable    3   /* a page directory or page table */
#define PG_vmalloc    4   /* mapped in the vmalloc window */
#define PG_lru        5   /* on an LRU list */
#define PG_locked     6   /* I/O in progress or someone holds it: lock_page */
#define PG_uptodate   7   /* contents valid (read from disk, or made here) */
#define PG_dirty      8   /* contents newer than its copy on disk */
#define PG_referenced 9   /* used recently (mark_page_accessed) */
#define PG_active    10   /* on the active list (else the inactive one) */
#define PG_error     11   /* the last I/O on it failed */
#define PG_launder   12   /* written out by reclaim: reclaim may wait for it */

#include <bitops.h>
#define PageReserved(p)  test_bit(PG_reserved, &(p)->flags)
#define SetPageReserved(p) set_bit(PG_reserved, &(p)->flags)
#define ClearPageReserved(p) clear_bit(PG_reserved, &(p)->flags)
#define PageSlab(p)      test_bit(PG_slab, &(p)->flags)
#define PageBuddy(p)     test_bit(PG_buddy, &(p)->flags)
#define PageLRU(p)       test_bit(PG_lru, &(p)->flags)
#define PageLocked(p)    test_bit(PG_locked, &(p)->flags)
#define TryLockPage(p)   test_and_set_bit(PG_locked, &(p)->flags)
#define Page_Uptodate(p) test_bit(PG_uptodate, &(p)->flags)
#define SetPageUptodate(p) set_bit(PG_uptodate, &(p)->flags)
#define ClearPageUptodate(p) clear_bit(PG_uptodate, &(p)->flags)
#define PageDirty(p)     test_bit(PG_dirty, &(p)->flags)
#define SetPageDirty(p)  set_bit(PG_dirty, &(p)->flags)
#define ClearPageDirty(p) clear_bit(PG_dirty, &(p)->flags)
#define PageReferenced(p) test_bit(PG_referenced, &(p)->flags)
#define SetPageReferenced(p) set_bit(PG_referenced, &(p)->flags)
#define ClearPageReferenced(p) clear_bit(PG_referenced, &(p)->flags)
#define PageTestandClearReferenced(p) test_and_clear_bit(PG_referenced, &(p)->flags)
#define PageActive(p)    test_bit(PG_active, &(p)->flags)
#define PageError(p)     test_bit(PG_error, &(p)->flags)
#define SetPageError(p)  set_bit(PG_error, &(p)->flags)
#define ClearPageError(p) clear_bit(PG_error, &(p)->flags)
#define PageLaunder(p)   test_bit(PG_launder, &(p)->flags)
#define SetPageLaunder(p) set_bit(PG_launder, &(p)->flags)
#define ClearPageLaunder(p) clear_bit(PG_launder, &(p)->flags)

extern struct page *mem_map;
extern unsigned long max_mapnr;        /* frames described by mem_map */
extern unsigned long max_low_pfn;      /* end of the direct map, in frames */
extern void *high_memory;              /* first virtual address past the direct map */
extern unsigned long vmalloc_start;    /* VMALLOC_START */
extern struct page *empty_zero_page;   /* the shared zero page */
#define ZERO_PAGE(addr) (empty_zero_page)

#define virt_to_page(kaddr) (mem_map + (__pa(kaddr) >> PAGE_SHIFT))
#define page_to_pfn(page) ((unsigned long)((page) - mem_map))
#define page_address(page) __va(page_to_pfn(page) << PAGE_SHIFT)
#define pte_page(pte) (mem_map + pte_pfn(pte))
#define VALID_PAGE(page) ((unsigned long)((page) - mem_map) < max_mapnr)
#define mk_pte(page, prot) pfn_pte(page_to_pfn(page), prot)

static inline int page_count(struct page *p) { return p->count; }
static inline void get_page(struct page *p) { p->count++; }
static inline void set_page_count(struct page *p, int v) { p->count = v; }

/* ---- zones and the buddy allocator (mm/page_alloc.c) ---- */

#define MAX_ORDER 10

typedef struct free_area_struct {
    struct list_head free_list;   /* heads of free blocks of this order */
    unsigned long *map;           /* one bit per buddy pair: set = exactly one is free */
    unsigned long nr_free;        /* blocks on free_list (for meminfo) */
} free_area_t;

#define ZONE_DMA     0
#define ZONE_NORMAL  1
#define MAX_NR_ZONES 2

typedef struct zone_struct {
    unsigned long free_pages;     /* free frames in the zone */
    unsigned long pages_min, pages_low, pages_high;   /* watermarks */
    free_area_t free_area[MAX_ORDER];
    struct page *zone_mem_map;    /* first struct page of the zone */
    unsigned long zone_start_pfn; /* its frame number (MAX_ORDER-aligned) */
    unsigned long size;           /* frames spanned */
    unsigned long present_pages;  /* frames given to the allocator at boot */
    const char *name;
} zone_t;

extern zone_t zones[MAX_NR_ZONES];

/* gfp_mask: which zones, whether the caller may sleep (and so reclaim
 * memory) or dip below pages_min, and what the frame will hold (the use
 * of its frame-alloc record, trace/annot.h). */
#define __GFP_DMA     0x01   /* ZONE_DMA only */
#define __GFP_HIGH    0x02   /* may use the reserve below pages_min */
#define __GFP_WAIT    0x04   /* may sleep: reclaim, wait for I/O */
#define __GFP_USE(u)  ((u) << 8)
#define GFP_USE_MASK  __GFP_USE(0xF)
#define gfp_use(gfp)  (((gfp) >> 8) & 0xF)
#define GFP_NOWAIT    0x00                    /* no sleeping, no reserve */
#define GFP_ATOMIC    __GFP_HIGH              /* no sleeping, the reserve */
#define GFP_KERNEL    (__GFP_WAIT | __GFP_USE(ANNOT_USE_KERNEL))
#define GFP_PGTABLE   (__GFP_WAIT | __GFP_USE(ANNOT_USE_PGTABLE))
#define GFP_VMALLOC   (__GFP_WAIT | __GFP_USE(ANNOT_USE_VMALLOC))
#define GFP_USER      (__GFP_WAIT | __GFP_USE(ANNOT_USE_ANON))
#define GFP_HIGHUSER  GFP_USER
#define GFP_SWAPCACHE (__GFP_WAIT | __GFP_USE(ANNOT_USE_SWAPCACHE))
#define GFP_PCACHE    (__GFP_WAIT | __GFP_USE(ANNOT_USE_PCACHE))
#define GFP_BUFFER    (__GFP_WAIT | __GFP_USE(ANNOT_USE_BUFFER))
#define GFP_DMA       __GFP_DMA

/* Allocate 2^order contiguous frames. Returns the first struct page with
 * count 1. Below pages_low kswapd is woken; with __GFP_WAIT the caller
 * reclaims memory itself (try_to_free_pages) and, when RAM and swap are
 * both exhausted, the OOM killer picks a victim; NULL only when there is
 * still no frame (the caller was the victim, or cannot sleep). */
struct page *alloc_pages(unsigned gfp_mask, unsigned order);
#define alloc_page(gfp) alloc_pages(gfp, 0)
/* Return a block from alloc_pages when its count drops to 0. */
void __free_pages(struct page *page, unsigned order);
#define __free_page(p) __free_pages(p, 0)
/* Same with kernel virtual addresses (direct map). */
unsigned long __get_free_pages(unsigned gfp_mask, unsigned order);
#define __get_free_page(gfp) __get_free_pages(gfp, 0)
unsigned long get_zeroed_page(unsigned gfp_mask);
void free_pages(unsigned long addr, unsigned order);
#define free_page(a) free_pages(a, 0)
/* Drop one reference; free the frame when it was the last. */
void put_page(struct page *page);
#define page_cache_release put_page
unsigned long nr_free_pages(void);
unsigned long nr_total_pages(void);
/* Frames per use (ANNOT_USE_*), as the frame-alloc records say. */
extern unsigned long nr_frames_by_use[ANNOT_USE_COUNT];
/* A frame that keeps its contents changes what it holds (an anonymous page
 * entering or leaving the swap cache): a new frame-alloc record. */
void set_page_use(struct page *page, unsigned use);
/* Is some zone below its pages_low / pages_high watermark? */
int zones_below_low(void);
int zones_below_high(void);

/* ---- boot (mm/init.c) ---- */
struct boot_params;
/* Boot: map all low memory and lay out mem_map and the zones (after
 * setup_arch); then hand the free frames to the buddy allocator. */
void paging_init(void);
void mem_init(void);
/* Early allocator: page-aligned zeroed memory from above the kernel and
 * modules; valid only before mem_init(). Panics when it runs out. */
void *alloc_bootmem_pages(unsigned long size);
extern unsigned long pgtable_pages;  /* page directories + page tables in use */

/* ---- address spaces (mm/mmap.c, mm/memory.c, mm/mprotect.c) ---- */

struct vm_area_struct;
struct vm_operations_struct {
    void (*open)(struct vm_area_struct *vma);     /* a copy of vma was made (fork/split) */
    void (*close)(struct vm_area_struct *vma);    /* vma goes away */
    /* Return the page for address (page-aligned) with a reference for the
     * caller, NOPAGE_ANONYMOUS to zero-fill it, NOPAGE_SIGBUS when it
     * cannot be had (a disk error), or NULL when out of memory; *major is
     * set when the caller waited for a disk read. May sleep. */
    struct page *(*nopage)(struct vm_area_struct *vma, unsigned long address, int write_access,
                           int *major);
};
#define NOPAGE_ANONYMOUS ((struct page *)-1)
#define NOPAGE_SIGBUS ((struct page *)-2)

struct vm_area_struct {
    struct mm_struct *vm_mm;      /* the address space it belongs to */
    unsigned long vm_start;       /* first byte */
    unsigned long vm_end;         /* one past the last byte */
    struct vm_area_struct *vm_next;  /* next VMA by address */
    pgprot_t vm_page_prot;        /* PTE bits for its pages */
    unsigned long vm_flags;       /* VM_* */
    struct vm_operations_struct *vm_ops;
    unsigned long vm_pgoff;       /* offset in the backing object, pages */
    void *vm_private_data;        /* the backing object (shared anonymous memory) */
    struct file *vm_file;         /* the mapped file (referenced), or NULL */
    unsigned vm_type;             /* what it maps: ANNOT_VMA_* (vma-map records) */
};

#define VM_READ      0x0001
#define VM_WRITE     0x0002
#define VM_EXEC      0x0004
#define VM_SHARED    0x0008
#define VM_MAYREAD   0x0010
#define VM_MAYWRITE  0x0020
#define VM_MAYEXEC   0x0040
#define VM_MAYSHARE  0x0080
#define VM_GROWSDOWN 0x0100
#define VM_STACK_FLAGS (VM_GROWSDOWN | VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC)
#define STACK_LIMIT (8UL << 20)   /* RLIMIT_STACK */

struct mm_struct {
    struct vm_area_struct *mmap;      /* VMAs sorted by address */
    struct vm_area_struct *mmap_cache;/* last find_vma result */
    pgd_t *pgd;                       /* page directory (kernel part shared) */
    int mm_users;                     /* tasks using the address space */
    int mm_count;                     /* references to the struct (users count as one, plus lazy TLB users) */
    int map_count;                    /* VMAs */
    unsigned long start_code, end_code, start_data, end_data;
    unsigned long start_brk, brk, start_stack;
    unsigned long arg_start, arg_end, env_start, env_end;  /* exec's strings (/proc/PID/cmdline, environ) */
    char *exe_path;                   /* the program's absolute path (kmalloc; /proc/PID/exe) */
    unsigned long rss;                /* resident pages */
    unsigned long total_vm;           /* pages mapped by VMAs */
    int pid;                          /* the task using it (for records) */
    struct list_head mmlist;          /* on mmlist, where swap_out finds it */
    unsigned long swap_address;       /* where swap_out's next sweep starts */
};

extern struct mm_struct init_mm;

/* Range walks over mm's page tables: for (a = start; (pte =
 * pte_range_next(mm, &a, end)); a += PAGE_SIZE). The PTE of *a, with *a
 * moved past addresses whose page directory entry is empty; NULL once *a
 * reaches end (or the top of the address space). */
static inline pte_t *pte_range_next(struct mm_struct *mm, unsigned long *a, unsigned long end)
{
    while (*a < end) {
        pgd_t *pgd = pgd_offset(mm, *a);
        if (!pgd_none(*pgd))
            return pte_offset(pgd, *a);
        unsigned long next = (*a + PGDIR_SIZE) & PGDIR_MASK;
        *a = next ? next : end;
    }
    return NULL;
}
struct kmem_cache_s;
extern struct kmem_cache_s *vm_area_cachep;   /* struct vm_area_struct */
extern struct kmem_cache_s *mm_cachep;        /* struct mm_struct */

/* mm/vmscan.c: every user mm is on mmlist from when its task starts using
 * it until its last user lets go. */
extern struct list_head mmlist;
void mmlist_add(struct mm_struct *mm);
void mmlist_del(struct mm_struct *mm);

/* A new mm with one user, an empty user part and the shared kernel part;
 * NULL when out of memory. */
struct mm_struct *mm_alloc(void);
/* Drop a user; the last one tears the address space down (exit_mmap). */
void mmput(struct mm_struct *mm);
/* Drop a reference to the struct; the last frees the page directory. */
void mmdrop(struct mm_struct *mm);
/* Unmap every VMA of mm and free its page tables (not the pgd). */
void exit_mmap(struct mm_struct *mm);
/* fork: copy oldmm's VMAs and PTEs into the empty mm. 0 or -ENOMEM (mm is
 * then partly filled; the caller mmput()s it). */
int dup_mmap(struct mm_struct *mm, struct mm_struct *oldmm);
/* A page directory sharing swapper_pg_dir's kernel part; NULL when out of
 * memory. pgd_free gives it back. */
pgd_t *pgd_alloc(void);
void pgd_free(pgd_t *pgd);

/* First VMA with vm_end > addr, or NULL. */
struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long addr);
struct vm_area_struct *find_vma_prev(struct mm_struct *mm, unsigned long addr,
                                     struct vm_area_struct **pprev);
struct vm_area_struct *find_vma_intersection(struct mm_struct *mm, unsigned long start,
                                             unsigned long end);
/* Link vma into mm in address order; it must not overlap (panics). */
void insert_vm_struct(struct mm_struct *mm, struct vm_area_struct *vma);
/* A free range of len bytes in current's mm (at addr if free), or -ENOMEM. */
unsigned long get_unmapped_area(unsigned long addr, unsigned long len);
/* Map [addr, addr+len): file from page pgoff, or anonymous memory
 * (shared or private) when file is NULL. Returns the address or a negative
 * errno. */
unsigned long do_mmap(struct file *file, unsigned long addr, unsigned long len, unsigned long prot,
                      unsigned long flags, unsigned long pgoff);
/* Map a shared-memory object (SysV shm), taking a reference to it. */
unsigned long map_shmem_object(void *obj, unsigned long addr, unsigned long len, unsigned long prot,
                               unsigned long flags);
/* Map a VMA of type (ANNOT_VMA_*) backed by vm_ops/private data at a
 * fixed place (exec, mmap); a vma-map record says so. */
struct vm_area_struct *map_vma(struct mm_struct *mm, unsigned long start, unsigned long end,
                               unsigned long vm_flags, unsigned type,
                               struct vm_operations_struct *ops, void *priv, unsigned long pgoff);
/* Unmap a range (splitting VMAs); 0 or a negative errno. */
int do_munmap(struct mm_struct *mm, unsigned long addr, unsigned long len);
/* Map anonymous heap at addr; addr or a negative errno. */
unsigned long do_brk(unsigned long addr, unsigned long len);
/* Grow a VM_GROWSDOWN VMA down to address; 0 or -ENOMEM (8 MiB limit). */
int expand_stack(struct vm_area_struct *vma, unsigned long address);
/* The system calls (uapi/unistd.h); results as Linux's. */
long sys_brk(unsigned long brk);
long sys_mmap2(unsigned long addr, unsigned long len, unsigned long prot,
               unsigned long flags, unsigned long fd, unsigned long pgoff);
long sys_munmap(unsigned long addr, unsigned long len);
long sys_mprotect(unsigned long start, unsigned long len, unsigned long prot);

/* mm/memory.c */
/* Resolve a fault on address in vma. Returns 1 (minor), 2 (major), 0 (SIGBUS)
 * or -1 (out of memory). */
int handle_mm_fault(struct mm_struct *mm, struct vm_area_struct *vma,
                    unsigned long address, int write_access);
int copy_page_range(struct mm_struct *dst, struct mm_struct *src, struct vm_area_struct *vma);
void zap_page_range(struct mm_struct *mm, unsigned long address, unsigned long size);
/* Free the page tables that map only [start, end) (no VMA left there). */
void free_pgtables(struct mm_struct *mm, struct vm_area_struct *prev,
                   unsigned long start, unsigned long end);
/* Free the page tables of user PDEs [first, first+nr) (PTEs must be clear). */
void clear_page_tables(struct mm_struct *mm, unsigned first, unsigned nr);
/* The PTE of address, allocating its page table; NULL when out of memory. */
pte_t *pte_alloc(struct mm_struct *mm, pgd_t *pgd, unsigned long address);
/* Give the present PTEs of [start, end) the bits newprot; flush. */
void change_protection(struct vm_area_struct *vma, unsigned long start, unsigned long end,
                       pgprot_t newprot);

/* TLB flushes for an address space (only the loaded one is cached). */
void flush_tlb_mm(struct mm_struct *mm);
void flush_tlb_page(struct vm_area_struct *vma, unsigned long addr);
void flush_tlb_range(struct mm_struct *mm, unsigned long start, unsigned long end);
void flush_tlb_all(void);

/* Shared anonymous memory (mm/shmem.c): a page array shared by the VMAs
 * mapping it, like Linux's shmem object behind MAP_SHARED|MAP_ANONYMOUS. */
extern struct vm_operations_struct shmem_vm_ops;
/* A shared anonymous object of pages pages, one reference; NULL if no memory. */
void *shmem_create(unsigned long pages);
/* Take / drop a reference to the object (the last frees its pages and slots). */
void shmem_get(void *obj);
void shmem_put(void *obj);
int shmem_refs(void *obj);

/* mm/meminfo.c */
struct meminfo;
/* Snapshot the buddy allocator, zones and slab caches into mi. */
void fill_meminfo(struct meminfo *mi);
/* mm's pages out on swap (mm/oom_kill.c). */
unsigned long mm_swap_pages(struct mm_struct *mm);

#endif
