/* The slab allocator (Linux 2.4's mm/slab.c, without the per-CPU arrays).
 *
 * A cache hands out objects of one size. It owns slabs: blocks of
 * 2^gfporder frames cut into `num` objects, kept on three lists: full,
 * partial, free. A slab's bookkeeping (slab_t, then one kmem_bufctl_t per
 * object forming the free-object chain) lives at the start of the slab for
 * small objects, or in a kmalloc'd block (off-slab) for objects of 512 bytes
 * and more. Slabs are coloured: the first object starts at a varying offset
 * (colour_next * colour_off) so that objects of successive slabs fall in
 * different cache lines. Each frame of a slab points back at its cache and
 * slab through page->list (SET_PAGE_CACHE/SET_PAGE_SLAB), which is how
 * kfree finds the cache. Free slabs stay until kmem_cache_shrink() or
 * kmem_cache_reap() (called when the buddy allocator runs low).
 *
 *   slab (on-slab management, order 0):
 *   +--------+--------+---------------+------+------+-----+------+---------+
 *   | colour | slab_t | bufctl[num]   | obj0 | obj1 | ... | objN | unused  |
 *   +--------+--------+---------------+------+------+-----+------+---------+
 *   ^ page_address                     ^ s_mem
 */
#include <kernel.h>
#include <mm.h>
#include <slab.h>
#include <uapi/vmstat.h>

typedef unsigned int kmem_bufctl_t;
#define BUFCTL_END 0xFFFFFFFFu
#define SLAB_LIMIT 0xFFFFFFFEu
#define BYTES_PER_WORD sizeof(void *)
#define L1_CACHE_BYTES 32
#define L1_CACHE_ALIGN(x) ALIGN(x, L1_CACHE_BYTES)
#define MAX_GFP_ORDER 5
#define CFLGS_OFF_SLAB 0x010000UL
#define CACHE_NAMELEN 20

typedef struct slab_s {
    struct list_head list;      /* on the cache's full/partial/free list */
    unsigned long colouroff;    /* offset of s_mem from the slab's first byte */
    void *s_mem;                /* first object */
    unsigned int inuse;         /* objects allocated */
    kmem_bufctl_t free;         /* first free object, BUFCTL_END if none */
} slab_t;

#define slab_bufctl(slabp) ((kmem_bufctl_t *)(((slab_t *)(slabp)) + 1))

struct kmem_cache_s {
    struct list_head slabs_full, slabs_partial, slabs_free;
    unsigned int objsize;       /* bytes per object, aligned */
    unsigned long flags;
    unsigned int num;           /* objects per slab */
    unsigned int gfporder;      /* 2^gfporder frames per slab */
    unsigned int colour;        /* colours available */
    unsigned int colour_off;    /* bytes per colour step */
    unsigned int colour_next;   /* colour of the next slab */
    kmem_cache_t *slabp_cache;  /* where off-slab slab_t's come from */
    void (*ctor)(void *, kmem_cache_t *, unsigned long);
    void (*dtor)(void *, kmem_cache_t *, unsigned long);
    char name[CACHE_NAMELEN];
    struct list_head next;      /* cache_chain */
    unsigned long num_active;   /* objects allocated */
    unsigned long num_slabs;    /* slabs on all three lists */
    unsigned long grown, reaped;
};

#define SET_PAGE_CACHE(pg, x) ((pg)->list.next = (struct list_head *)(x))
#define GET_PAGE_CACHE(pg) ((kmem_cache_t *)(pg)->list.next)
#define SET_PAGE_SLAB(pg, x) ((pg)->list.prev = (struct list_head *)(x))
#define GET_PAGE_SLAB(pg) ((slab_t *)(pg)->list.prev)

/* The cache of caches: kmem_cache_create takes its kmem_cache_t from here. */
static kmem_cache_t cache_cache = {
    .slabs_full = LIST_HEAD_INIT(cache_cache.slabs_full),
    .slabs_partial = LIST_HEAD_INIT(cache_cache.slabs_partial),
    .slabs_free = LIST_HEAD_INIT(cache_cache.slabs_free),
    .objsize = ALIGN(sizeof(kmem_cache_t), L1_CACHE_BYTES),
    .flags = 0,
    .colour_off = L1_CACHE_BYTES,
    .name = "kmem_cache",
};
static LIST_HEAD(cache_chain);
static unsigned long offslab_limit;
static unsigned long slab_pages;        /* frames held by all caches */

/* kmalloc's size classes: 32 bytes to 128 KiB */
static struct cache_sizes {
    size_t cs_size;
    kmem_cache_t *cs_cachep;
} cache_sizes[] = {
    { 32, NULL }, { 64, NULL }, { 128, NULL }, { 256, NULL }, { 512, NULL },
    { 1024, NULL }, { 2048, NULL }, { 4096, NULL }, { 8192, NULL }, { 16384, NULL },
    { 32768, NULL }, { 65536, NULL }, { 131072, NULL }, { 0, NULL }
};

/* How many objects of size fit a slab of 2^gfporder frames, and what is left. */
static void kmem_cache_estimate(unsigned long gfporder, size_t size, unsigned long flags,
                                size_t *left_over, unsigned int *num)
{
    size_t wastage = PAGE_SIZE << gfporder, extra = 0, base = 0;
    if (!(flags & CFLGS_OFF_SLAB)) {
        base = sizeof(slab_t);
        extra = sizeof(kmem_bufctl_t);
    }
    unsigned long i = 0;
    while (i * size + L1_CACHE_ALIGN(base + i * extra) <= wastage)
        i++;
    if (i > 0)
        i--;
    if (i > SLAB_LIMIT)
        i = SLAB_LIMIT;
    *num = i;
    wastage -= i * size;
    wastage -= L1_CACHE_ALIGN(base + i * extra);
    *left_over = wastage;
}

/* Choose gfporder, num and colouring for cachep (size already aligned). */
static int kmem_cache_layout(kmem_cache_t *cachep, size_t size, size_t align, unsigned long flags)
{
    size_t left_over = 0;
    int break_flag = 0;
    cachep->gfporder = 0;
cal_wastage:
    for (;;) {
        kmem_cache_estimate(cachep->gfporder, size, flags, &left_over, &cachep->num);
        if (break_flag)
            break;
        if (cachep->gfporder >= MAX_GFP_ORDER)
            break;
        if (!cachep->num)
            goto next;
        if ((flags & CFLGS_OFF_SLAB) && cachep->num > offslab_limit) {
            cachep->gfporder--;
            break_flag++;
            goto cal_wastage;
        }
        if (cachep->gfporder >= 1)      /* slab_break_gfp_order for small machines */
            break;
        if (left_over * 8 <= (PAGE_SIZE << cachep->gfporder))
            break;                      /* acceptable internal fragmentation */
next:
        cachep->gfporder++;
    }
    if (!cachep->num)
        return -1;
    size_t slab_size = L1_CACHE_ALIGN(cachep->num * sizeof(kmem_bufctl_t) + sizeof(slab_t));
    if ((flags & CFLGS_OFF_SLAB) && left_over >= slab_size) {
        flags &= ~CFLGS_OFF_SLAB;       /* the management fits in the leftover */
        left_over -= slab_size;
    }
    size_t offset = align < L1_CACHE_BYTES ? L1_CACHE_BYTES : align;
    cachep->colour_off = offset;
    cachep->colour = left_over / offset;
    cachep->colour_next = 0;
    cachep->flags = flags;
    cachep->objsize = size;
    return 0;
}

/* The smallest kmalloc cache for size bytes, or NULL. */
static kmem_cache_t *kmem_find_general_cachep(size_t size)
{
    for (struct cache_sizes *cs = cache_sizes; cs->cs_size; cs++)
        if (size <= cs->cs_size)
            return cs->cs_cachep;
    return NULL;
}

/* Lay out the cache of caches. Call once, before any kmem_cache_create. */
void kmem_cache_init(void)
{
    if (kmem_cache_layout(&cache_cache, cache_cache.objsize, L1_CACHE_BYTES, 0))
        panic("kmem_cache_init: cache_cache has no room for an object");
    list_add(&cache_cache.next, &cache_chain);
}

/* Create the kmalloc caches (size-32 .. size-131072) and compute
 * offslab_limit. Call once, after kmem_cache_init. */
void kmem_cache_sizes_init(void)
{
    static char names[ARRAY_SIZE(cache_sizes)][CACHE_NAMELEN];
    for (struct cache_sizes *cs = cache_sizes; cs->cs_size; cs++) {
        char *name = names[cs - cache_sizes];
        snprintf(name, CACHE_NAMELEN, "size-%lu", (unsigned long)cs->cs_size);
        cs->cs_cachep = kmem_cache_create(name, cs->cs_size, 0, SLAB_HWCACHE_ALIGN, NULL, NULL);
        if (!cs->cs_cachep)
            panic("kmem_cache_sizes_init: cannot create %s", name);
        if (!(cs->cs_cachep->flags & CFLGS_OFF_SLAB)) {
            offslab_limit = cs->cs_size - sizeof(slab_t);
            offslab_limit /= sizeof(kmem_bufctl_t);
        }
    }
}

kmem_cache_t *kmem_cache_create(const char *name, size_t size, size_t offset, unsigned long flags,
                                void (*ctor)(void *, kmem_cache_t *, unsigned long),
                                void (*dtor)(void *, kmem_cache_t *, unsigned long))
{
    if (!name || strlen(name) >= CACHE_NAMELEN || size < BYTES_PER_WORD ||
        size > (1UL << MAX_GFP_ORDER) * PAGE_SIZE || offset > size)
        return NULL;
    kmem_cache_t *cachep = kmem_cache_alloc(&cache_cache, GFP_KERNEL);
    if (!cachep)
        return NULL;
    memset(cachep, 0, sizeof *cachep);

    size = ALIGN(size, BYTES_PER_WORD);
    size_t align = BYTES_PER_WORD;
    if (flags & SLAB_HWCACHE_ALIGN)
        align = L1_CACHE_BYTES;
    if (size >= (PAGE_SIZE >> 3))
        flags |= CFLGS_OFF_SLAB;        /* big objects: management off the slab */
    if (flags & SLAB_HWCACHE_ALIGN) {
        while (size < align / 2)
            align /= 2;                 /* small objects share a cache line */
        size = ALIGN(size, align);
    }
    if (kmem_cache_layout(cachep, size, align, flags)) {
        kmem_cache_free(&cache_cache, cachep);
        return NULL;
    }
    if (cachep->flags & CFLGS_OFF_SLAB) {
        size_t slab_size = L1_CACHE_ALIGN(cachep->num * sizeof(kmem_bufctl_t) + sizeof(slab_t));
        cachep->slabp_cache = kmem_find_general_cachep(slab_size);
        if (!cachep->slabp_cache)
            panic("kmem_cache_create: %s: no cache for its %lu-byte slab_t", name,
                  (unsigned long)slab_size);
    }
    INIT_LIST_HEAD(&cachep->slabs_full);
    INIT_LIST_HEAD(&cachep->slabs_partial);
    INIT_LIST_HEAD(&cachep->slabs_free);
    cachep->ctor = ctor;
    cachep->dtor = dtor;
    strlcpy(cachep->name, name, CACHE_NAMELEN);
    list_add(&cachep->next, &cache_chain);
    return cachep;
}

/* Allocate and set up a new slab; returns 0 when out of memory. */
static int kmem_cache_grow(kmem_cache_t *cachep, unsigned gfp)
{
    unsigned long offset = cachep->colour_next;
    if (++cachep->colour_next >= cachep->colour)
        cachep->colour_next = 0;
    offset *= cachep->colour_off;

    struct page *page = alloc_pages((gfp & ~GFP_USE_MASK) | __GFP_USE(ANNOT_USE_SLAB),
                                    cachep->gfporder);
    if (!page)
        return 0;
    char *objp = page_address(page);
    slab_t *slabp;
    if (cachep->flags & CFLGS_OFF_SLAB) {
        slabp = kmem_cache_alloc(cachep->slabp_cache, gfp);
        if (!slabp) {
            __free_pages(page, cachep->gfporder);
            return 0;
        }
    } else {
        slabp = (slab_t *)(objp + offset);
        offset += L1_CACHE_ALIGN(cachep->num * sizeof(kmem_bufctl_t) + sizeof(slab_t));
    }
    slabp->inuse = 0;
    slabp->colouroff = offset;
    slabp->s_mem = objp + offset;

    for (unsigned long i = 0; i < (1UL << cachep->gfporder); i++) {
        SET_PAGE_CACHE(page + i, cachep);
        SET_PAGE_SLAB(page + i, slabp);
        page[i].flags |= 1UL << PG_slab;
    }
    for (unsigned i = 0; i < cachep->num; i++) {
        if (cachep->ctor)
            cachep->ctor((char *)slabp->s_mem + cachep->objsize * i, cachep, 0);
        slab_bufctl(slabp)[i] = i + 1;
    }
    slab_bufctl(slabp)[cachep->num - 1] = BUFCTL_END;
    slabp->free = 0;
    list_add_tail(&slabp->list, &cachep->slabs_free);
    cachep->num_slabs++;
    cachep->grown++;
    slab_pages += 1UL << cachep->gfporder;
    return 1;
}

/* Give a slab's frames (and off-slab management) back. It must be empty. */
static void kmem_slab_destroy(kmem_cache_t *cachep, slab_t *slabp)
{
    if (cachep->dtor)
        for (unsigned i = 0; i < cachep->num; i++)
            cachep->dtor((char *)slabp->s_mem + cachep->objsize * i, cachep, 0);
    char *addr = (char *)slabp->s_mem - slabp->colouroff;
    struct page *page = virt_to_page(addr);
    for (unsigned long i = 0; i < (1UL << cachep->gfporder); i++) {
        page[i].flags &= ~(1UL << PG_slab);
        INIT_LIST_HEAD(&page[i].list);
    }
    __free_pages(page, cachep->gfporder);
    if (cachep->flags & CFLGS_OFF_SLAB)
        kmem_cache_free(cachep->slabp_cache, slabp);
    cachep->num_slabs--;
    slab_pages -= 1UL << cachep->gfporder;
}

void *kmem_cache_alloc(kmem_cache_t *cachep, unsigned gfp)
{
    for (;;) {
        struct list_head *entry = cachep->slabs_partial.next;
        if (entry == &cachep->slabs_partial) {
            entry = cachep->slabs_free.next;
            if (entry == &cachep->slabs_free) {
                if (!kmem_cache_grow(cachep, gfp))
                    return NULL;
                continue;
            }
            list_del(entry);
            list_add(entry, &cachep->slabs_partial);
        }
        slab_t *slabp = list_entry(entry, slab_t, list);
        slabp->inuse++;
        void *objp = (char *)slabp->s_mem + slabp->free * cachep->objsize;
        slabp->free = slab_bufctl(slabp)[slabp->free];
        if (slabp->free == BUFCTL_END) {
            list_del(&slabp->list);
            list_add(&slabp->list, &cachep->slabs_full);
        }
        cachep->num_active++;
        return objp;
    }
}

void kmem_cache_free(kmem_cache_t *cachep, void *objp)
{
    struct page *page = virt_to_page(objp);
    if (!VALID_PAGE(page) || !PageSlab(page) || GET_PAGE_CACHE(page) != cachep)
        panic("kmem_cache_free: %p does not belong to cache %s", objp, cachep->name);
    slab_t *slabp = GET_PAGE_SLAB(page);
    unsigned long off = (char *)objp - (char *)slabp->s_mem;
    unsigned int objnr = off / cachep->objsize;
    if (objnr >= cachep->num || objnr * cachep->objsize != off)
        panic("kmem_cache_free: %p is not an object of %s", objp, cachep->name);
    for (kmem_bufctl_t i = slabp->free; i != BUFCTL_END; i = slab_bufctl(slabp)[i])
        if (i == objnr)
            panic("kmem_cache_free: double free of %p in %s", objp, cachep->name);
    slab_bufctl(slabp)[objnr] = slabp->free;
    slabp->free = objnr;
    unsigned int inuse = slabp->inuse;
    if (!--slabp->inuse) {
        list_del(&slabp->list);             /* was partial or full, now empty */
        list_add(&slabp->list, &cachep->slabs_free);
    } else if (inuse == cachep->num) {
        list_del(&slabp->list);             /* was full */
        list_add(&slabp->list, &cachep->slabs_partial);
    }
    cachep->num_active--;
}

int kmem_cache_shrink(kmem_cache_t *cachep)
{
    int freed = 0;
    while (!list_empty(&cachep->slabs_free)) {
        slab_t *slabp = list_entry(cachep->slabs_free.prev, slab_t, list);
        list_del(&slabp->list);
        kmem_slab_destroy(cachep, slabp);
        freed += 1 << cachep->gfporder;
        cachep->reaped++;
    }
    return freed;
}

int kmem_cache_destroy(kmem_cache_t *cachep)
{
    if (cachep == &cache_cache)
        panic("kmem_cache_destroy: the cache of caches");
    kmem_cache_shrink(cachep);
    if (!list_empty(&cachep->slabs_full) || !list_empty(&cachep->slabs_partial))
        return 1;
    list_del(&cachep->next);
    kmem_cache_free(&cache_cache, cachep);
    return 0;
}

int kmem_cache_reap(unsigned gfp)
{
    static int reaping;
    if (reaping)
        return 0;               /* a shrink that allocates must not recurse */
    reaping = 1;
    int freed = 0;
    struct list_head *p;
    list_for_each(p, &cache_chain)
        freed += kmem_cache_shrink(list_entry(p, kmem_cache_t, next));
    reaping = 0;
    return freed;
}

void *kmalloc(size_t size, unsigned gfp)
{
    kmem_cache_t *c = kmem_find_general_cachep(size);
    return c ? kmem_cache_alloc(c, gfp) : NULL;
}

void kfree(const void *objp)
{
    if (!objp)
        return;
    struct page *page = virt_to_page(objp);
    if (!VALID_PAGE(page) || !PageSlab(page))
        panic("kfree: %p was not allocated by kmalloc", objp);
    kmem_cache_free(GET_PAGE_CACHE(page), (void *)objp);
}

/* Frames held by all slab caches. */
unsigned long slab_pages_total(void)
{
    return slab_pages;
}

/* The caches, oldest first, into mi (at most MI_MAX_CACHES). */
void slab_fill_meminfo(struct meminfo *mi)
{
    struct list_head *p;
    mi->nr_caches = 0;
    /* cache_chain is newest first; report oldest first */
    for (p = cache_chain.prev; p != &cache_chain && mi->nr_caches < MI_MAX_CACHES; p = p->prev) {
        kmem_cache_t *c = list_entry(p, kmem_cache_t, next);
        struct meminfo_cache *mc = &mi->cache[mi->nr_caches++];
        strlcpy(mc->name, c->name, MI_NAME_LEN);
        mc->objsize = c->objsize;
        mc->active_objs = c->num_active;
        mc->num_objs = c->num_slabs * c->num;
        mc->num_slabs = c->num_slabs;
        mc->gfporder = c->gfporder;
    }
    mi->slab_pages = slab_pages;
}
