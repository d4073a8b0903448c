/* Kernel-side allocator self-tests, run by the allocstress program through
 * sys_vm_selftest. Each test drives one allocator with pseudo-random sizes
 * and orders from a seed, checks every block it gets (alignment, no overlap:
 * each block is stamped and the stamps are verified when it is freed), frees
 * everything and checks that the allocator is back where it started:
 *
 *   ST_BUDDY    alloc_pages/__free_pages of orders 0-5, then allocation until
 *               the watermark stops it; afterwards free pages and the free
 *               block count of every order must equal the start (buddies
 *               merged back), and exhaustion must have stopped at pages_min.
 *   ST_SLAB     a private cache (odd object size, constructor) and kmalloc of
 *               1 byte to 9 KiB; afterwards the cache must be destroyable and
 *               every page must be back in the buddy allocator.
 *   ST_VMALLOC  vmalloc areas of 1-64 KiB written through and freed in random
 *               order; every frame must come back.
 *   ST_OOPS     read a NULL-page address in kernel mode: the oops path ends
 *               the machine (see die()); for testing the crash report.
 *   ST_BLOCK    the disk driver against the drive (drivers/blktest.c).
 *
 * Returns 0, or -1 with a reason in msg. Process context; nothing else runs
 * allocations meanwhile (the kernel is not preemptive). */
#include <kernel.h>
#include <blkdev.h>
#include <mm.h>
#include <slab.h>
#include <vmalloc.h>
#include <uapi/vmstat.h>

#define MAX_LIVE 256

static unsigned long rnd_state;
/* A small deterministic LCG (seeded per test). */
static unsigned rnd(void)
{
    rnd_state = rnd_state * 1103515245 + 12345;
    return (rnd_state >> 16) & 0x7FFF;
}

static struct { struct page *page; unsigned order; void *ptr; size_t size; } live[MAX_LIVE];

static int fail(char *msg, unsigned long len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, len, fmt, ap);
    va_end(ap);
    return -1;
}

/* Stamp a block: one word every 256 bytes and the last word, each with a
 * value derived from tag (enough to catch two live blocks overlapping
 * without writing every byte, which an interpreter would pay for). */
static void stamp(void *p, size_t n, unsigned long tag)
{
    unsigned long *w = p;
    size_t words = n / sizeof *w;
    for (size_t i = 0; i < words; i += 64)
        w[i] = tag + i;
    if (words > 1 && (words - 1) % 64)
        w[words - 1] = ~tag;
}

/* Are the stamps of stamp(p, n, tag) intact? */
static int stamp_ok(const void *p, size_t n, unsigned long tag)
{
    const unsigned long *w = p;
    size_t words = n / sizeof *w;
    for (size_t i = 0; i < words; i += 64)
        if (w[i] != tag + i)
            return 0;
    return words <= 1 || (words - 1) % 64 == 0 || w[words - 1] == ~tag;
}

/* Free blocks per order, summed over the zones. */
static void free_blocks(unsigned long *out)
{
    for (int o = 0; o < MAX_ORDER; o++) {
        out[o] = 0;
        for (int z = 0; z < MAX_NR_ZONES; z++)
            out[o] += zones[z].free_area[o].nr_free;
    }
}

/* ST_BUDDY (see the top of the file). */
static int test_buddy(char *msg, unsigned long len)
{
    unsigned long before[MAX_ORDER], after[MAX_ORDER];
    kmem_cache_reap(GFP_KERNEL);
    unsigned long free0 = nr_free_pages();
    free_blocks(before);
    int n = 0;
    for (int iter = 0; iter < 2000; iter++) {
        if (n < MAX_LIVE && (n == 0 || rnd() % 3)) {
            unsigned order = rnd() % 6;
            struct page *page = alloc_pages(GFP_NOWAIT, order);
            if (!page)
                continue;
            if (page_to_pfn(page) & ((1UL << order) - 1))
                return fail(msg, len, "order-%u block at frame %lu is misaligned", order, page_to_pfn(page));
            if (page->count != 1)
                return fail(msg, len, "frame %lu handed out with count %d", page_to_pfn(page), page->count);
            for (unsigned i = 0; i < (1u << order); i++)
                if (PageBuddy(&page[i]) || PageReserved(&page[i]))
                    return fail(msg, len, "frame %lu handed out while free or reserved", page_to_pfn(page) + i);
            stamp(page_address(page), PAGE_SIZE << order, page_to_pfn(page) * 0x9E3779B9ul);
            live[n].page = page;
            live[n].order = order;
            n++;
        } else {
            int i = rnd() % n;
            struct page *page = live[i].page;
            if (!stamp_ok(page_address(page), PAGE_SIZE << live[i].order, page_to_pfn(page) * 0x9E3779B9ul))
                return fail(msg, len, "order-%u block at frame %lu was overwritten (overlap)",
                            live[i].order, page_to_pfn(page));
            __free_pages(page, live[i].order);
            live[i] = live[--n];
        }
    }
    while (n) {
        n--;
        if (!stamp_ok(page_address(live[n].page), PAGE_SIZE << live[n].order,
                      page_to_pfn(live[n].page) * 0x9E3779B9ul))
            return fail(msg, len, "block at frame %lu was overwritten", page_to_pfn(live[n].page));
        __free_pages(live[n].page, live[n].order);
    }
    /* exhaustion: order-0 pages chained through their first word */
    unsigned long *chain = NULL, got = 0;
    for (;;) {
        unsigned long *p = (unsigned long *)__get_free_page(GFP_NOWAIT);
        if (!p)
            break;
        *p = (unsigned long)chain;
        chain = p;
        got++;
    }
    for (int z = 0; z < MAX_NR_ZONES; z++)
        if (zones[z].present_pages && zones[z].free_pages < zones[z].pages_min)
            return fail(msg, len, "zone %s went below pages_min (%lu < %lu)", zones[z].name,
                        zones[z].free_pages, zones[z].pages_min);
    struct page *atomic = alloc_page(GFP_ATOMIC);
    if (!atomic)
        return fail(msg, len, "GFP_ATOMIC found no reserve below pages_min");
    __free_page(atomic);
    while (chain) {
        unsigned long *next = (unsigned long *)*chain;
        free_page((unsigned long)chain);
        chain = next;
    }
    unsigned long reserve = 0;
    for (int z = 0; z < MAX_NR_ZONES; z++)
        reserve += zones[z].pages_low;
    if (got + reserve < free0)
        return fail(msg, len, "exhaustion stopped early: %lu of %lu pages", got, free0);
    free_blocks(after);
    if (nr_free_pages() != free0)
        return fail(msg, len, "%lu free pages after the test, %lu before", nr_free_pages(), free0);
    for (int o = 0; o < MAX_ORDER; o++)
        if (after[o] != before[o])
            return fail(msg, len, "order %d: %lu free blocks after, %lu before (buddies not merged)",
                        o, after[o], before[o]);
    return 0;
}

/* Constructor of the selftest-72 cache: objects start as 0x5A bytes. */
static void ctor72(void *obj, kmem_cache_t *c, unsigned long flags)
{
    memset(obj, 0x5A, 72);
}

/* ST_SLAB (see the top of the file). */
static int test_slab(char *msg, unsigned long len)
{
    kmem_cache_reap(GFP_KERNEL);
    unsigned long free0 = nr_free_pages();
    kmem_cache_t *c = kmem_cache_create("selftest-72", 72, 0, 0, ctor72, NULL);
    if (!c)
        return fail(msg, len, "kmem_cache_create failed");
    int n = 0;
    for (int iter = 0; iter < 3000; iter++) {
        if (n < MAX_LIVE && (n == 0 || rnd() % 3)) {
            int use_cache = rnd() & 1;
            size_t size = use_cache ? 72 : 1 + rnd() % (rnd() % 8 ? 600 : 9000);
            void *p = use_cache ? kmem_cache_alloc(c, GFP_KERNEL) : kmalloc(size, GFP_KERNEL);
            if (!p)
                return fail(msg, len, "allocation of %lu bytes failed", (unsigned long)size);
            if (use_cache && ((unsigned char *)p)[71] != 0x5A)
                return fail(msg, len, "object %p is not in its constructed state", p);
            if ((unsigned long)p & 3)
                return fail(msg, len, "object %p is not word-aligned", p);
            live[n].ptr = p;
            live[n].size = size;
            live[n].order = use_cache;
            stamp(p, size & ~3UL, (unsigned long)p);
            n++;
        } else {
            int i = rnd() % n;
            if (!stamp_ok(live[i].ptr, live[i].size & ~3UL, (unsigned long)live[i].ptr))
                return fail(msg, len, "object %p (%lu bytes) was overwritten (overlap)", live[i].ptr,
                            (unsigned long)live[i].size);
            if (live[i].order) {
                memset(live[i].ptr, 0x5A, 72);  /* back in constructed state */
                kmem_cache_free(c, live[i].ptr);
            } else {
                kfree(live[i].ptr);
            }
            live[i] = live[--n];
        }
    }
    while (n--) {
        if (live[n].order) {
            memset(live[n].ptr, 0x5A, 72);
            kmem_cache_free(c, live[n].ptr);
        } else {
            kfree(live[n].ptr);
        }
    }
    if (kmem_cache_destroy(c))
        return fail(msg, len, "kmem_cache_destroy: objects still allocated");
    kmem_cache_reap(GFP_KERNEL);
    if (nr_free_pages() != free0)
        return fail(msg, len, "%lu free pages after the test, %lu before", nr_free_pages(), free0);
    return 0;
}

/* ST_VMALLOC (see the top of the file). */
static int test_vmalloc(char *msg, unsigned long len)
{
    kmem_cache_reap(GFP_KERNEL);
    unsigned long free0 = nr_free_pages(), pt0 = pgtable_pages, vm0 = vmalloc_pages();
    int n = 0;
    for (int iter = 0; iter < 200; iter++) {
        if (n < 32 && (n == 0 || rnd() % 3)) {
            size_t size = 1 + rnd() % 65536;
            void *p = vmalloc(size);
            if (!p)
                return fail(msg, len, "vmalloc(%lu) failed", (unsigned long)size);
            stamp(p, size & ~3UL, (unsigned long)p);
            live[n].ptr = p;
            live[n].size = size;
            n++;
        } else {
            int i = rnd() % n;
            if (!stamp_ok(live[i].ptr, live[i].size & ~3UL, (unsigned long)live[i].ptr))
                return fail(msg, len, "vmalloc area %p was overwritten", live[i].ptr);
            vfree(live[i].ptr);
            live[i] = live[--n];
        }
    }
    while (n--)
        vfree(live[n].ptr);
    kmem_cache_reap(GFP_KERNEL);
    if (vmalloc_pages() != vm0)
        return fail(msg, len, "%lu vmalloc pages left mapped", vmalloc_pages() - vm0);
    /* page tables of the vmalloc window stay, as in Linux */
    if (nr_free_pages() + (pgtable_pages - pt0) != free0)
        return fail(msg, len, "%lu free pages after the test, %lu before", nr_free_pages(), free0);
    return 0;
}

int vm_selftest(int which, unsigned long seed, char *msg, unsigned long msglen)
{
    rnd_state = seed;
    switch (which) {
    case ST_BUDDY: return test_buddy(msg, msglen);
    case ST_SLAB: return test_slab(msg, msglen);
    case ST_VMALLOC: return test_vmalloc(msg, msglen);
    case ST_OOPS: return *(volatile int *)(seed & 0xFFF);  /* never returns */
    case ST_BLOCK: return block_selftest(msg, msglen);
    default: return fail(msg, msglen, "no such test %d", which);
    }
}
