/* Memory initialization (Linux 2.4's arch/i386/mm/init.c, mm/bootmem.c and
 * free_area_init in mm/page_alloc.c).
 *
 * Boot order: head.S maps physical 0-8 MiB; setup_arch() copies the memory
 * map and the module list out of the Multiboot information; paging_init()
 * sizes low memory, builds the direct map of all of it in swapper_pg_dir
 * (global pages when the CPU has PGE), drops the identity mapping and lays
 * out mem_map and the zones; mem_init() hands every usable frame that is not
 * the kernel, a module, the first page or a boot allocation to the buddy
 * allocator, one frame at a time, so the buddies merge as they arrive.
 *
 * Physical memory after boot (16 MiB guest):
 *
 *   0x00000000 page 0: BIOS data, never freed (NULL stays unmapped-ish)
 *   0x00001000 free frames (ZONE_DMA) ... 0x0009F000
 *   0x0009FC00 EBDA, VGA, BIOS ROM: reserved (not in the usable map)
 *   0x00100000 kernel image: text, data, bss (page tables pg0/pg1, idle stack)
 *   _end       Multiboot modules (the initrd), page-aligned, kept forever
 *              boot allocations: direct-map page tables, mem_map, buddy bitmaps
 *              free frames ... up to the end of usable RAM (RAM - 128 KiB)
 */
#include <kernel.h>
#include <annotate.h>
#include <io.h>
#include <mm.h>
#include <multiboot.h>
#include <sched.h>

extern char _text[], _etext[], _edata[], _end[];
extern pte_t pg0[2 * PTRS_PER_PTE];
extern char empty_zero_page_data[];

struct page *mem_map;
unsigned long max_mapnr, max_low_pfn;
void *high_memory;
unsigned long vmalloc_start;
struct page *empty_zero_page;
unsigned long __supported_pte_mask;
unsigned long pgtable_pages;
zone_t zones[MAX_NR_ZONES];
struct mm_struct init_mm = {
    .pgd = swapper_pg_dir, .mm_users = 2, .mm_count = 1,
};

static unsigned long bootmem_start, bootmem_next;   /* physical */
static int bootmem_done;

void *alloc_bootmem_pages(unsigned long size)
{
    if (bootmem_done)
        panic("alloc_bootmem_pages: called after mem_init");
    unsigned long at = bootmem_next;
    bootmem_next += PAGE_ALIGN(size);
    /* head.S maps 0-8 MiB; paging_init maps the rest */
    if (bootmem_next > (max_low_pfn << PAGE_SHIFT) || (!high_memory && bootmem_next > (8UL << 20)))
        panic("alloc_bootmem_pages: out of boot memory (%lu bytes)", size);
    void *p = __va(at);
    memset(p, 0, PAGE_ALIGN(size));
    return p;
}

void __flush_tlb_all(void)
{
    if (__supported_pte_mask & _PAGE_GLOBAL) {
        u32 cr4 = read_cr4();
        write_cr4(cr4 & ~0x80u);        /* CR4.PGE off: flushes global entries too */
        write_cr4(cr4);
    } else {
        __flush_tlb();
    }
}

/* Is the whole frame pfn inside a usable (type 1) region of the map? */
static int page_is_ram(unsigned long pfn)
{
    u64 lo = (u64)pfn << PAGE_SHIFT, hi = lo + PAGE_SIZE;
    for (int i = 0; i < boot_params.nr_map; i++)
        if (boot_params.map[i].type == 1 && boot_params.map[i].addr <= lo &&
            boot_params.map[i].addr + boot_params.map[i].size >= hi)
            return 1;
    return 0;
}

/* The zone of the pfn-th frame. */
static zone_t *page_zone_of(unsigned long pfn)
{
    return pfn < zones[ZONE_NORMAL].zone_start_pfn ? &zones[ZONE_DMA] : &zones[ZONE_NORMAL];
}

/* Lay out a zone's free_area bitmaps and watermarks (free_area_init_core). */
static void zone_init(zone_t *z, const char *name, unsigned long start_pfn, unsigned long end_pfn)
{
    z->name = name;
    z->zone_start_pfn = start_pfn;
    z->size = end_pfn > start_pfn ? end_pfn - start_pfn : 0;
    z->zone_mem_map = mem_map + start_pfn;
    for (int order = 0; order < MAX_ORDER; order++) {
        INIT_LIST_HEAD(&z->free_area[order].free_list);
        unsigned long bits = (z->size >> (order + 1)) + 1;
        z->free_area[order].map = alloc_bootmem_pages(ALIGN((bits + 7) / 8, 4));
    }
}

/* Watermarks from the frames actually given to the zone (Linux 2.4:
 * pages_min = present/128 clamped to [20, 255], low = 2 min, high = 3 min). */
static void zone_set_watermarks(zone_t *z)
{
    unsigned long mask = z->present_pages / 128;
    if (mask < 20)
        mask = 20;
    if (mask > 255)
        mask = 255;
    if (!z->present_pages)
        mask = 0;
    z->pages_min = mask;
    z->pages_low = mask * 2;
    z->pages_high = mask * 3;
}

void paging_init(void)
{
    u32 a, b, c, d;
    cpuid(1, &a, &b, &c, &d);
    if (d & (1u << 13)) {                       /* PGE */
        __supported_pte_mask |= _PAGE_GLOBAL;
        write_cr4(read_cr4() | 0x80u);
    }

    /* Low memory ends where usable RAM ends, at most MAXMEM. */
    u64 top = 0;
    for (int i = 0; i < boot_params.nr_map; i++)
        if (boot_params.map[i].type == 1 && boot_params.map[i].addr + boot_params.map[i].size > top)
            top = boot_params.map[i].addr + boot_params.map[i].size;
    if (top > MAXMEM) {
        printk("Warning: only %luMB of %luMB RAM is used (no HIGHMEM)\n",
               MAXMEM >> 20, (unsigned long)(top >> 20));
        top = MAXMEM;
    }
    max_low_pfn = (unsigned long)(top >> PAGE_SHIFT);
    printk("%luMB LOWMEM available.\n", (max_low_pfn + 255) >> 8);

    unsigned long start = PAGE_ALIGN(boot_params.kernel_end);
    for (int i = 0; i < boot_params.nr_mods; i++)
        if (boot_params.mods[i].end > start)
            start = PAGE_ALIGN(boot_params.mods[i].end);
    bootmem_start = bootmem_next = start;

    /* The direct map: PAGE_OFFSET + x -> x for all low memory. The first two
     * page tables are head.S's pg0/pg1 (re-filled with the final bits). */
    unsigned long ntables = (max_low_pfn + PTRS_PER_PTE - 1) / PTRS_PER_PTE;
    for (unsigned long t = 0; t < ntables; t++) {
        pte_t *table = t < 2 ? pg0 + t * PTRS_PER_PTE : alloc_bootmem_pages(PAGE_SIZE);
        for (unsigned long i = 0; i < PTRS_PER_PTE; i++) {
            unsigned long pfn = t * PTRS_PER_PTE + i;
            table[i] = pfn < max_low_pfn ? pfn_pte(pfn, PAGE_KERNEL) : __pte(0);
        }
        set_pgd(&swapper_pg_dir[USER_PTRS_PER_PGD + t], __pgd(__pa(table) | _KERNPG_TABLE));
        pgtable_pages++;
    }
    high_memory = __va(max_low_pfn << PAGE_SHIFT);
    vmalloc_start = ((unsigned long)high_memory + VMALLOC_OFFSET + PGDIR_SIZE - 1) & PGDIR_MASK;
    /* No more identity mapping: user space starts empty in every pgd. */
    set_pgd(&swapper_pg_dir[0], __pgd(0));
    set_pgd(&swapper_pg_dir[1], __pgd(0));
    pgtable_pages++;                            /* swapper_pg_dir itself */
    __flush_tlb_all();

    /* mem_map and the zones */
    max_mapnr = max_low_pfn;
    mem_map = alloc_bootmem_pages(max_mapnr * sizeof(struct page));
    for (unsigned long i = 0; i < max_mapnr; i++) {
        INIT_LIST_HEAD(&mem_map[i].list);
        INIT_LIST_HEAD(&mem_map[i].lru);
        SetPageReserved(&mem_map[i]);
    }
    unsigned long dma_end = min(max_low_pfn, (16UL << 20) >> PAGE_SHIFT);
    zone_init(&zones[ZONE_DMA], "DMA", 0, dma_end);
    zone_init(&zones[ZONE_NORMAL], "Normal", dma_end, max_low_pfn);
    empty_zero_page = virt_to_page(empty_zero_page_data);
    printk("On node 0 totalpages: %lu\n", max_low_pfn);
    printk("zone(0): %lu pages.\n", zones[ZONE_DMA].size);
    printk("zone(1): %lu pages.\n", zones[ZONE_NORMAL].size);
}

void mem_init(void)
{
    unsigned long kernel_lo = __pa(_text) >> PAGE_SHIFT;
    unsigned long reserved_hi = bootmem_next >> PAGE_SHIFT;
    unsigned long reservedpages = 0;
    bootmem_done = 1;
    /* Every frame is the kernel's until it is handed to the buddy
     * allocator: a frame-alloc record for each one kept, a frame-free
     * record (from __free_pages_ok) for each one given away. */
    nr_frames_by_use[ANNOT_USE_KERNEL] = max_mapnr;
    for (unsigned long pfn = 0; pfn < max_low_pfn; pfn++) {
        struct page *page = mem_map + pfn;
        if (!page_is_ram(pfn) || pfn == 0 || (pfn >= kernel_lo && pfn < reserved_hi)) {
            if (page_is_ram(pfn))
                reservedpages++;
            set_page_count(page, 1);   /* reserved pages are never freed */
            annot_frame_alloc(0, pfn, 0, ANNOT_USE_KERNEL);
            continue;
        }
        ClearPageReserved(page);
        set_page_count(page, 1);
        page_zone_of(pfn)->present_pages++;
        __free_page(page);
    }
    for (int z = 0; z < MAX_NR_ZONES; z++)
        zone_set_watermarks(&zones[z]);
    set_page_count(empty_zero_page, 1);
    unsigned long codesize = (unsigned long)_etext - (unsigned long)_text;
    unsigned long datasize = (unsigned long)_edata - (unsigned long)_etext;
    unsigned long bsssize = (unsigned long)_end - (unsigned long)_edata;
    printk("Memory: %luk/%luk available (%luk kernel code, %luk reserved, %luk data, %luk bss)\n",
           nr_free_pages() << (PAGE_SHIFT - 10), max_low_pfn << (PAGE_SHIFT - 10),
           codesize >> 10, reservedpages << (PAGE_SHIFT - 10), datasize >> 10, bsssize >> 10);
}
