/* Shared anonymous memory: the object behind MAP_SHARED|MAP_ANONYMOUS
 * (Linux's shmem, without files or swap). It holds one page pointer per
 * page of the original mapping, allocated on first touch by any process
 * mapping it; every VMA that maps it (across fork and splits) holds a
 * reference, and the last close frees the pages. The pointer array comes
 * from vmalloc when it is larger than a page. */
#include <kernel.h>
#include <annotate.h>
#include <mm.h>
#include <sched.h>
#include <slab.h>
#include <vmalloc.h>

struct shmem_object {
    int refcount;               /* VMAs mapping it */
    unsigned long npages;
    struct page **pages;        /* NULL until touched */
};

void *shmem_create(unsigned long npages)
{
    struct shmem_object *obj = kmalloc(sizeof *obj, GFP_KERNEL);
    if (!obj)
        return NULL;
    unsigned long bytes = npages * sizeof(struct page *);
    obj->pages = bytes > PAGE_SIZE ? vmalloc(bytes) : kmalloc(bytes, GFP_KERNEL);
    if (!obj->pages) {
        kfree(obj);
        return NULL;
    }
    memset(obj->pages, 0, bytes);
    obj->refcount = 1;
    obj->npages = npages;
    return obj;
}

/* A VMA mapping obj was copied (fork, split): one more reference. */
static void shmem_open(struct vm_area_struct *vma)
{
    struct shmem_object *obj = vma->vm_private_data;
    obj->refcount++;
}

/* A VMA mapping obj goes away; the last one frees the pages and obj. */
static void shmem_close(struct vm_area_struct *vma)
{
    struct shmem_object *obj = vma->vm_private_data;
    if (--obj->refcount)
        return;
    for (unsigned long i = 0; i < obj->npages; i++) {
        if (obj->pages[i]) {
            obj->pages[i]->mapping = NULL;
            put_page(obj->pages[i]);
        }
    }
    if (obj->npages * sizeof(struct page *) > PAGE_SIZE)
        vfree(obj->pages);
    else
        kfree(obj->pages);
    kfree(obj);
}

/* The page at address: the object's page, allocated and zeroed on the
 * first touch by any process; a reference for the new PTE. */
static struct page *shmem_nopage(struct vm_area_struct *vma, unsigned long address, int write_access)
{
    struct shmem_object *obj = vma->vm_private_data;
    unsigned long idx = ((address - vma->vm_start) >> PAGE_SHIFT) + vma->vm_pgoff;
    if (idx >= obj->npages)
        panic("shmem_nopage: page %lu of a %lu-page object", idx, obj->npages);
    struct page *page = obj->pages[idx];
    if (!page) {
        page = alloc_page(GFP_HIGHUSER);
        if (!page)
            return NULL;
        memset(page_address(page), 0, PAGE_SIZE);
        page->mapping = obj;
        page->index = idx;
        obj->pages[idx] = page;         /* the object's reference */
        current->ru.ru_nzfod++;
        annot_zero_fill(current->pid, address, page_to_pfn(page));
    } else {
        current->ru.ru_nfile++;
    }
    get_page(page);                     /* the mapping's reference */
    return page;
}

struct vm_operations_struct shmem_vm_ops = {
    .open = shmem_open,
    .close = shmem_close,
    .nopage = shmem_nopage,
};
