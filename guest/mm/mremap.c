/* mremap and madvise (Linux 2.4's mm/mremap.c and mm/filemap.c's
 * madvise). mremap shrinks a mapping, grows it in place when the address
 * space after it is free, or (MREMAP_MAYMOVE) moves it: the new VMA is a
 * copy of the old one at another address, and each PTE (a present page or
 * a swap entry) moves to its new place, so no page is copied. */
#include <kernel.h>
#include <annotate.h>
#include <fs.h>
#include <mm.h>
#include <sched.h>
#include <slab.h>
#include <swap.h>

#define MREMAP_MAYMOVE 1
#define MREMAP_FIXED   2

/* Move the PTEs of [old, old+len) to [new, new+len) in mm. 0 or -ENOMEM
 * (a page table could not be allocated: nothing past that point moved). */
static int move_page_tables(struct mm_struct *mm, unsigned long old, unsigned long new, unsigned long len)
{
    for (unsigned long off = 0; off < len; off += PAGE_SIZE) {
        pgd_t *spgd = pgd_offset(mm, old + off);
        if (pgd_none(*spgd))
            continue;
        pte_t *src = pte_offset(spgd, old + off);
        if (pte_none(*src))
            continue;
        pte_t *dst = pte_alloc(mm, pgd_offset(mm, new + off), new + off);
        if (!dst)
            return -ENOMEM;
        src = pte_offset(pgd_offset(mm, old + off), old + off);     /* pte_alloc may have slept */
        pte_t entry = *src;
        pte_clear(src);
        set_pte(dst, entry);
    }
    flush_tlb_range(mm, old, old + len);
    flush_tlb_range(mm, new, new + len);
    return 0;
}

long sys_mremap(unsigned long addr, unsigned long old_len, unsigned long new_len, unsigned long flags,
                unsigned long new_addr)
{
    struct mm_struct *mm = current->mm;
    if ((addr & ~PAGE_MASK) || (flags & ~(MREMAP_MAYMOVE | MREMAP_FIXED)))
        return -EINVAL;
    if ((flags & MREMAP_FIXED) && !(flags & MREMAP_MAYMOVE))
        return -EINVAL;
    old_len = PAGE_ALIGN(old_len);
    new_len = PAGE_ALIGN(new_len);
    if (!new_len || !old_len || old_len > TASK_SIZE - addr || new_len > TASK_SIZE)
        return -EINVAL;
    struct vm_area_struct *vma = find_vma(mm, addr);
    if (!vma || vma->vm_start > addr || addr + old_len > vma->vm_end)
        return -EFAULT;
    if (flags & MREMAP_FIXED)
        return -EINVAL;                 /* not modelled: glibc does not use it */
    if (new_len <= old_len) {
        if (new_len < old_len)
            do_munmap(mm, addr + new_len, old_len - new_len);
        return addr;
    }
    /* grow in place: the VMA ends here and nothing follows it closely */
    if (addr + old_len == vma->vm_end &&
        (!vma->vm_next || vma->vm_next->vm_start >= addr + new_len) && addr + new_len <= TASK_SIZE &&
        !(vma->vm_flags & VM_GROWSDOWN)) {
        unsigned long grow = new_len - old_len;
        vma->vm_end = addr + new_len;
        mm->total_vm += grow >> PAGE_SHIFT;
        annot_vma_map(mm->pid, (addr + old_len) >> PAGE_SHIFT, grow >> PAGE_SHIFT, vma->vm_type);
        return addr;
    }
    if (!(flags & MREMAP_MAYMOVE))
        return -ENOMEM;
    /* move: a new VMA like the old one's part, its pages moved over */
    unsigned long to = get_unmapped_area(0, new_len);
    if (to & ~PAGE_MASK)
        return to;
    struct vm_area_struct *nv = map_vma(mm, to, to + new_len, vma->vm_flags, vma->vm_type, vma->vm_ops,
                                        vma->vm_private_data,
                                        vma->vm_pgoff + ((addr - vma->vm_start) >> PAGE_SHIFT));
    if (!nv)
        return -ENOMEM;
    nv->vm_file = vma->vm_file;
    if (nv->vm_ops && nv->vm_ops->open)
        nv->vm_ops->open(nv);           /* its reference to the file or shared object */
    if (move_page_tables(mm, addr, to, old_len)) {
        move_page_tables(mm, to, addr, old_len);
        do_munmap(mm, to, new_len);
        return -ENOMEM;
    }
    do_munmap(mm, addr, old_len);       /* its PTEs are empty now: only the VMA goes */
    return to;
}

#define MADV_NORMAL     0
#define MADV_RANDOM     1
#define MADV_SEQUENTIAL 2
#define MADV_WILLNEED   3
#define MADV_DONTNEED   4
#define MADV_FREE       8

long sys_madvise(unsigned long start, unsigned long len, int advice)
{
    struct mm_struct *mm = current->mm;
    if (start & ~PAGE_MASK)
        return -EINVAL;
    unsigned long end = start + PAGE_ALIGN(len);
    if (end < start)
        return -EINVAL;
    if (advice != MADV_NORMAL && advice != MADV_RANDOM && advice != MADV_SEQUENTIAL &&
        advice != MADV_WILLNEED && advice != MADV_DONTNEED && advice != MADV_FREE)
        return -EINVAL;
    long err = 0;
    for (unsigned long a = start; a < end;) {
        struct vm_area_struct *vma = find_vma(mm, a);
        if (!vma || vma->vm_start >= end) {
            err = -ENOMEM;
            break;
        }
        if (vma->vm_start > a) {
            err = -ENOMEM;              /* a hole: the rest is still advised, as Linux does */
            a = vma->vm_start;
        }
        unsigned long e = min(end, vma->vm_end);
        if (advice == MADV_DONTNEED || advice == MADV_FREE) {
            /* private pages go (they read back as zeros or the file's);
             * shared mappings keep their data in the object */
            zap_page_range(mm, a, e - a);
        }
        a = e;
    }
    return err;
}
