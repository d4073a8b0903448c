/* The slab allocator (Linux 2.4's mm/slab.c): caches of equal-size objects
 * carved out of page blocks, and kmalloc size classes on top. */
#ifndef VMSCOPE_GUEST_SLAB_H
#define VMSCOPE_GUEST_SLAB_H

#include <kernel.h>

typedef struct kmem_cache_s kmem_cache_t;

#define SLAB_HWCACHE_ALIGN 0x2000   /* align objects to 32 bytes */

/* Create a cache of size-byte objects. ctor (may be NULL) runs on each
 * object when its slab is created. Returns NULL on bad arguments or no
 * memory. Process context only. */
kmem_cache_t *kmem_cache_create(const char *name, size_t size, size_t offset,
                                unsigned long flags, void (*ctor)(void *, kmem_cache_t *, unsigned long),
                                void (*dtor)(void *, kmem_cache_t *, unsigned long));
/* Destroy an empty cache. Returns 1 (and keeps it) if objects are still allocated. */
int kmem_cache_destroy(kmem_cache_t *cachep);
/* Give the pages of completely free slabs back. Returns pages freed. */
int kmem_cache_shrink(kmem_cache_t *cachep);
void *kmem_cache_alloc(kmem_cache_t *cachep, unsigned gfp);
void kmem_cache_free(kmem_cache_t *cachep, void *objp);
/* Shrink every cache (called when the buddy allocator runs low). Returns pages freed. */
int kmem_cache_reap(unsigned gfp);

/* Objects up to 128 KiB from the size-N caches. NULL when size is too big
 * or memory is out. */
void *kmalloc(size_t size, unsigned gfp);
void kfree(const void *objp);

void kmem_cache_init(void);
void kmem_cache_sizes_init(void);
unsigned long slab_pages_total(void);

struct meminfo;
void slab_fill_meminfo(struct meminfo *mi);

#endif
