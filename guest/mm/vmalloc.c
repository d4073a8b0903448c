/* vmalloc (Linux 2.4's mm/vmalloc.c): virtually contiguous kernel memory
 * from scattered frames, in the window [VMALLOC_START, VMALLOC_END).
 *
 * Areas are kept in vmlist, sorted by address; each is followed by one
 * unmapped guard page so an overrun faults. Page tables for the window are
 * created in swapper_pg_dir only and never freed; a process whose page
 * directory lacks the PDE picks it up on its first fault there
 * (vmalloc_fault in mm/fault.c). vfree unmaps, frees the frames and flushes
 * the TLB, global entries included. */
#include <kernel.h>
#include <mm.h>
#include <slab.h>
#include <vmalloc.h>

static struct vm_struct *vmlist;
static unsigned long vmalloc_nr_pages;

/* Reserve an address range of size bytes (+ guard page) in the window. */
static struct vm_struct *get_vm_area(unsigned long size)
{
    struct vm_struct *area = kmalloc(sizeof *area, GFP_KERNEL);
    if (!area)
        return NULL;
    size += PAGE_SIZE;
    unsigned long addr = vmalloc_start;
    struct vm_struct **p, *tmp;
    for (p = &vmlist; (tmp = *p); p = &tmp->next) {
        if (size + addr < addr)
            goto fail;
        if (size + addr <= (unsigned long)tmp->addr)
            break;
        addr = tmp->size + (unsigned long)tmp->addr;
        if (addr > VMALLOC_END - size)
            goto fail;
    }
    if (addr + size > VMALLOC_END || addr + size < addr)
        goto fail;
    area->flags = 0;
    area->addr = (void *)addr;
    area->size = size;
    area->next = *p;
    *p = area;
    return area;
fail:
    kfree(area);
    return NULL;
}

/* The kernel PTE for a vmalloc address, creating its page table. */
static pte_t *vmalloc_pte_alloc(unsigned long address)
{
    pgd_t *pgd = pgd_offset_k(address);
    if (pgd_none(*pgd)) {
        unsigned long table = get_zeroed_page(GFP_PGTABLE);
        if (!table)
            return NULL;
        virt_to_page(table)->flags |= 1UL << PG_pgtable;
        pgtable_pages++;
        set_pgd(pgd, __pgd(__pa(table) | _KERNPG_TABLE));
    }
    return pte_offset(pgd, address);
}

/* Unmap [address, address+size) and free the frames. */
static void vmfree_area_pages(unsigned long address, unsigned long size)
{
    for (unsigned long a = address; a < address + size; a += PAGE_SIZE) {
        pgd_t *pgd = pgd_offset_k(a);
        if (pgd_none(*pgd))
            continue;
        pte_t *pte = pte_offset(pgd, a);
        pte_t page = *pte;
        pte_clear(pte);
        if (pte_none(page))
            continue;
        struct page *pg = pte_page(page);
        pg->flags &= ~(1UL << PG_vmalloc);
        __free_page(pg);
        vmalloc_nr_pages--;
    }
    __flush_tlb_all();
}

void *vmalloc(unsigned long size)
{
    size = PAGE_ALIGN(size);
    if (!size || (size >> PAGE_SHIFT) > nr_total_pages())
        return NULL;
    struct vm_struct *area = get_vm_area(size);
    if (!area)
        return NULL;
    unsigned long addr = (unsigned long)area->addr;
    for (unsigned long a = addr; a < addr + size; a += PAGE_SIZE) {
        pte_t *pte = vmalloc_pte_alloc(a);
        struct page *page = pte ? alloc_page(GFP_VMALLOC) : NULL;
        if (!page) {
            vfree(area->addr);
            return NULL;
        }
        if (!pte_none(*pte))
            panic("vmalloc: page already mapped at %08lx", a);
        page->flags |= 1UL << PG_vmalloc;
        set_pte(pte, mk_pte(page, PAGE_KERNEL));
        vmalloc_nr_pages++;
    }
    return area->addr;
}

void vfree(void *addr)
{
    if (!addr)
        return;
    if ((unsigned long)addr & (PAGE_SIZE - 1))
        panic("vfree: bad address %p", addr);
    for (struct vm_struct **p = &vmlist, *tmp; (tmp = *p); p = &tmp->next) {
        if (tmp->addr == addr) {
            *p = tmp->next;
            vmfree_area_pages((unsigned long)tmp->addr, tmp->size);
            kfree(tmp);
            return;
        }
    }
    panic("vfree: %p is not a vmalloc area", addr);
}

unsigned long vmalloc_pages(void)
{
    return vmalloc_nr_pages;
}
