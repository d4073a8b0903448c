/* mprotect (Linux 2.4's mm/mprotect.c): change the access rights of whole
 * pages, splitting VMAs at the edges of the range, and rewrite the PTEs of
 * pages already present (then flush the TLB for the range). */
#include <kernel.h>
#include <mm.h>
#include <sched.h>
#include <slab.h>
#include <uapi/mman.h>

/* Split vma at addr (inside it): vma keeps [start, addr), a new VMA takes
 * [addr, end). Returns the new VMA or NULL when out of memory. */
static struct vm_area_struct *split_vma(struct mm_struct *mm, struct vm_area_struct *vma,
                                        unsigned long addr)
{
    struct vm_area_struct *n = kmem_cache_alloc(vm_area_cachep, GFP_KERNEL);
    if (!n)
        return NULL;
    *n = *vma;
    n->vm_start = addr;
    n->vm_pgoff = vma->vm_pgoff + ((addr - vma->vm_start) >> PAGE_SHIFT);
    if (n->vm_ops && n->vm_ops->open)
        n->vm_ops->open(n);
    vma->vm_end = addr;
    /* n goes right after vma in the list */
    n->vm_next = vma->vm_next;
    vma->vm_next = n;
    mm->map_count++;
    mm->mmap_cache = NULL;
    return n;
}

/* Give [start, end) of vma the flags newflags. */
static int mprotect_fixup(struct vm_area_struct *vma, unsigned long start, unsigned long end,
                          unsigned long newflags)
{
    if (newflags == vma->vm_flags)
        return 0;
    struct mm_struct *mm = vma->vm_mm;
    if (start > vma->vm_start) {
        vma = split_vma(mm, vma, start);
        if (!vma)
            return -ENOMEM;
    }
    if (end < vma->vm_end && !split_vma(mm, vma, end))
        return -ENOMEM;
    pgprot_t newprot = protection_map[newflags & 0x0f];
    vma->vm_flags = newflags;
    vma->vm_page_prot = newprot;
    change_protection(vma, start, end, newprot);
    return 0;
}

/* mprotect(start, len, prot): every page of the range must be mapped
 * (else -ENOMEM); rights beyond VM_MAY* give -EPERM. */
long sys_mprotect(unsigned long start, unsigned long len, unsigned long prot)
{
    struct mm_struct *mm = current->mm;
    if (start & ~PAGE_MASK)
        return -EINVAL;
    len = PAGE_ALIGN(len);
    unsigned long end = start + len;
    if (end < start || end > TASK_SIZE)
        return -EINVAL;
    if (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC))
        return -EINVAL;
    if (end == start)
        return 0;
    struct vm_area_struct *vma = find_vma(mm, start);
    if (!vma || vma->vm_start > start)
        return -ENOMEM;
    /* every page of the range must be mapped */
    for (struct vm_area_struct *v = vma; v->vm_end < end; v = v->vm_next)
        if (!v->vm_next || v->vm_next->vm_start != v->vm_end)
            return -ENOMEM;
    unsigned long nstart = start;
    while (vma && nstart < end) {
        unsigned long newflags = (vma->vm_flags & ~(VM_READ | VM_WRITE | VM_EXEC));
        if (prot & PROT_READ) newflags |= VM_READ;
        if (prot & PROT_WRITE) newflags |= VM_WRITE;
        if (prot & PROT_EXEC) newflags |= VM_EXEC;
        if ((newflags & ~(newflags >> 4)) & 0x7)
            return -EPERM;              /* beyond VM_MAY* */
        unsigned long tmp = vma->vm_end < end ? vma->vm_end : end;
        struct vm_area_struct *next = vma->vm_next;
        int err = mprotect_fixup(vma, nstart, tmp, newflags);
        if (err)
            return err;
        nstart = tmp;
        vma = next;
        if (nstart < end && vma && vma->vm_start < nstart)
            vma = find_vma(mm, nstart);
    }
    return 0;
}
