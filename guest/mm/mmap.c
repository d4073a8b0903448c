/* Address-space layout: VMAs, mmap, munmap, brk and stack growth (Linux
 * 2.4's mm/mmap.c).
 *
 * An mm_struct's VMAs form a singly linked list sorted by address
 * (mm->mmap), with mmap_cache remembering the last lookup. VMAs never
 * overlap. Anonymous private mappings next to each other with the same flags
 * are merged (brk and mmap extend the previous VMA). Unmapping can cut a VMA
 * in two; page tables left with no VMA over them are freed (free_pgtables). */
#include <kernel.h>
#include <annotate.h>
#include <fs.h>
#include <mm.h>
#include <sched.h>
#include <slab.h>
#include <uaccess.h>
#include <uapi/mman.h>

#define VM_DATA_DEFAULT_FLAGS (VM_READ | VM_WRITE | VM_EXEC | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC)

pgprot_t protection_map[16];

/* Fill protection_map (__P000..__S111 of Linux/i386). Call once at boot. */
void protection_map_init(void)
{
    pgprot_t p[8] = { PAGE_NONE, PAGE_READONLY, PAGE_COPY, PAGE_COPY,
                      PAGE_READONLY, PAGE_READONLY, PAGE_COPY, PAGE_COPY };
    pgprot_t s[8] = { PAGE_NONE, PAGE_READONLY, PAGE_SHARED, PAGE_SHARED,
                      PAGE_READONLY, PAGE_READONLY, PAGE_SHARED, PAGE_SHARED };
    for (int i = 0; i < 8; i++) {
        protection_map[i] = p[i];
        protection_map[8 + i] = s[i];
    }
}

struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long addr)
{
    struct vm_area_struct *vma = mm->mmap_cache;
    if (vma && vma->vm_end > addr && vma->vm_start <= addr)
        return vma;
    for (vma = mm->mmap; vma; vma = vma->vm_next) {
        if (vma->vm_end > addr) {
            mm->mmap_cache = vma;
            return vma;
        }
    }
    return NULL;
}

/* As find_vma, and *pprev = the VMA before it (or the last one, or NULL). */
struct vm_area_struct *find_vma_prev(struct mm_struct *mm, unsigned long addr,
                                     struct vm_area_struct **pprev)
{
    struct vm_area_struct *prev = NULL, *vma;
    for (vma = mm->mmap; vma; prev = vma, vma = vma->vm_next)
        if (vma->vm_end > addr)
            break;
    *pprev = prev;
    return vma;
}

/* The first VMA that overlaps [start, end), or NULL. */
struct vm_area_struct *find_vma_intersection(struct mm_struct *mm, unsigned long start,
                                             unsigned long end)
{
    struct vm_area_struct *vma = find_vma(mm, start);
    if (vma && end <= vma->vm_start)
        vma = NULL;
    return vma;
}

/* Link vma into mm's sorted list. Panics if it overlaps another. */
void insert_vm_struct(struct mm_struct *mm, struct vm_area_struct *vma)
{
    struct vm_area_struct **pp = &mm->mmap;
    while (*pp && (*pp)->vm_start < vma->vm_start)
        pp = &(*pp)->vm_next;
    struct vm_area_struct *prev = pp == &mm->mmap ? NULL : container_of(pp, struct vm_area_struct, vm_next);
    if ((*pp && (*pp)->vm_start < vma->vm_end) || (prev && prev->vm_end > vma->vm_start))
        panic("insert_vm_struct: %08lx-%08lx overlaps", vma->vm_start, vma->vm_end);
    vma->vm_next = *pp;
    *pp = vma;
    vma->vm_mm = mm;
    mm->map_count++;
    mm->mmap_cache = NULL;
}

/* A free range of len bytes: at addr if given and free, else the first
 * gap from TASK_UNMAPPED_BASE up. Returns the address or -ENOMEM. */
unsigned long get_unmapped_area(unsigned long addr, unsigned long len)
{
    struct mm_struct *mm = current->mm;
    if (len > TASK_SIZE)
        return -ENOMEM;
    if (addr) {
        addr = PAGE_ALIGN(addr);
        struct vm_area_struct *vma = find_vma(mm, addr);
        if (TASK_SIZE - len >= addr && (!vma || addr + len <= vma->vm_start))
            return addr;
    }
    addr = TASK_UNMAPPED_BASE;
    for (struct vm_area_struct *vma = find_vma(mm, addr);; vma = vma->vm_next) {
        if (TASK_SIZE - len < addr)
            return -ENOMEM;
        if (!vma || addr + len <= vma->vm_start)
            return addr;
        addr = vma->vm_end;
    }
}

/* A new anonymous VMA for [start, end) of mm, not yet linked. */
static struct vm_area_struct *vma_alloc(struct mm_struct *mm, unsigned long start, unsigned long end,
                                        unsigned long vm_flags)
{
    struct vm_area_struct *vma = kmem_cache_alloc(vm_area_cachep, GFP_KERNEL);
    if (!vma)
        return NULL;
    memset(vma, 0, sizeof *vma);
    vma->vm_mm = mm;
    vma->vm_start = start;
    vma->vm_end = end;
    vma->vm_flags = vm_flags;
    vma->vm_page_prot = protection_map[vm_flags & 0x0f];
    return vma;
}

/* Extend the VMA that ends at addr when it is plain anonymous memory of
 * the same type with the same flags; returns 1 if it did (a vma-map record
 * names the added range). */
static int vma_merge_prev(struct mm_struct *mm, unsigned long addr, unsigned long end,
                          unsigned long vm_flags, unsigned type)
{
    struct vm_area_struct *prev;
    find_vma_prev(mm, addr, &prev);
    if (prev && prev->vm_end == addr && !prev->vm_ops && !prev->vm_private_data && !prev->vm_file &&
        prev->vm_flags == vm_flags && prev->vm_type == type) {
        prev->vm_end = end;
        annot_vma_map(mm->pid, addr >> PAGE_SHIFT, (end - addr) >> PAGE_SHIFT, type);
        return 1;
    }
    return 0;
}

struct vm_area_struct *map_vma(struct mm_struct *mm, unsigned long start, unsigned long end,
                               unsigned long vm_flags, unsigned type,
                               struct vm_operations_struct *ops, void *priv, unsigned long pgoff)
{
    struct vm_area_struct *vma = vma_alloc(mm, start, end, vm_flags);
    if (!vma)
        return NULL;
    vma->vm_type = type;
    vma->vm_ops = ops;
    vma->vm_private_data = priv;
    vma->vm_pgoff = pgoff;
    insert_vm_struct(mm, vma);
    mm->total_vm += (end - start) >> PAGE_SHIFT;
    annot_vma_map(mm->pid, start >> PAGE_SHIFT, (end - start) >> PAGE_SHIFT, type);
    return vma;
}

/* Find where [addr, addr+len) goes (MAP_FIXED: exactly there, dropping
 * what was mapped) and the VMA flags; the address or a negative errno. */
static unsigned long mmap_region(struct mm_struct *mm, unsigned long addr, unsigned long len,
                                 unsigned long prot, unsigned long flags, unsigned long *vm_flags)
{
    int shared = (flags & MAP_TYPE) == MAP_SHARED;
    if (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC))
        return -EINVAL;
    if (!len || len > TASK_SIZE)
        return -EINVAL;
    if (!shared && (flags & MAP_TYPE) != MAP_PRIVATE)
        return -EINVAL;
    if (flags & MAP_FIXED) {
        if (addr & ~PAGE_MASK)
            return -EINVAL;
        if (addr + len > TASK_SIZE || addr + len < addr)
            return -EINVAL;
    } else {
        addr = get_unmapped_area(addr, len);
        if (addr & ~PAGE_MASK)
            return addr;
    }
    *vm_flags = VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC;
    if (prot & PROT_READ) *vm_flags |= VM_READ;
    if (prot & PROT_WRITE) *vm_flags |= VM_WRITE;
    if (prot & PROT_EXEC) *vm_flags |= VM_EXEC;
    if (shared)
        *vm_flags |= VM_SHARED | VM_MAYSHARE;
    if (find_vma_intersection(mm, addr, addr + len)) {
        int err = do_munmap(mm, addr, len);
        if (err)
            return err;
    }
    return addr;
}

unsigned long do_mmap(struct file *file, unsigned long addr, unsigned long len, unsigned long prot,
                      unsigned long flags, unsigned long pgoff)
{
    struct mm_struct *mm = current->mm;
    len = PAGE_ALIGN(len);
    int shared = (flags & MAP_TYPE) == MAP_SHARED;
    if (file) {
        if (!file->f_op || !file->f_op->mmap)
            return -ENODEV;
        unsigned acc = file->f_flags & O_ACCMODE;
        if (acc == O_WRONLY || (shared && (prot & PROT_WRITE) && acc != O_RDWR))
            return -EACCES;
        if (pgoff + (len >> PAGE_SHIFT) < pgoff)
            return -EOVERFLOW;
    }
    unsigned long vm_flags;
    addr = mmap_region(mm, addr, len, prot, flags, &vm_flags);
    if (addr & ~PAGE_MASK)
        return addr;
    if (file) {
        struct vm_area_struct *vma = map_vma(mm, addr, addr + len, vm_flags, ANNOT_VMA_FILE, NULL, NULL,
                                             pgoff);
        if (!vma)
            return -ENOMEM;
        vma->vm_file = file;
        file->f_count++;
        if (file->f_op->mmap(file, vma)) {
            do_munmap(mm, addr, len);
            return -ENODEV;
        }
        return addr;
    }
    if (!shared && vma_merge_prev(mm, addr, addr + len, vm_flags, ANNOT_VMA_ANON)) {
        mm->total_vm += len >> PAGE_SHIFT;
        return addr;
    }
    void *obj = NULL;
    if (shared && !(obj = shmem_create(len >> PAGE_SHIFT)))
        return -ENOMEM;
    if (!map_vma(mm, addr, addr + len, vm_flags, shared ? ANNOT_VMA_SHM : ANNOT_VMA_ANON,
                 shared ? &shmem_vm_ops : NULL, obj, 0)) {
        if (obj)
            shmem_put(obj);
        return -ENOMEM;
    }
    return addr;
}

unsigned long map_shmem_object(void *obj, unsigned long addr, unsigned long len, unsigned long prot,
                               unsigned long flags)
{
    struct mm_struct *mm = current->mm;
    unsigned long vm_flags;
    addr = mmap_region(mm, addr, PAGE_ALIGN(len), prot, MAP_SHARED | flags, &vm_flags);
    if (addr & ~PAGE_MASK)
        return addr;
    if (!map_vma(mm, addr, addr + PAGE_ALIGN(len), vm_flags, ANNOT_VMA_SHM, &shmem_vm_ops, obj, 0))
        return -ENOMEM;
    shmem_get(obj);
    return addr;
}

/* Cut [addr, addr+len) out of area, which has been unlinked from the list;
 * relink what is left. extra is a spare VMA for the hole case; returns it
 * if unused. */
static struct vm_area_struct *unmap_fixup(struct mm_struct *mm, struct vm_area_struct *area,
                                          unsigned long addr, unsigned long len,
                                          struct vm_area_struct *extra)
{
    unsigned long end = addr + len;
    mm->total_vm -= len >> PAGE_SHIFT;
    if (addr == area->vm_start && end == area->vm_end) {
        if (area->vm_ops && area->vm_ops->close)
            area->vm_ops->close(area);
        kmem_cache_free(vm_area_cachep, area);
        return extra;
    }
    if (end == area->vm_end) {
        area->vm_end = addr;
    } else if (addr == area->vm_start) {
        area->vm_pgoff += (end - area->vm_start) >> PAGE_SHIFT;
        area->vm_start = end;
    } else {
        /* a hole: area keeps the front, extra takes the back */
        struct vm_area_struct *mpnt = extra;
        extra = NULL;
        *mpnt = *area;
        mpnt->vm_start = end;
        mpnt->vm_pgoff = area->vm_pgoff + ((end - area->vm_start) >> PAGE_SHIFT);
        if (mpnt->vm_ops && mpnt->vm_ops->open)
            mpnt->vm_ops->open(mpnt);
        area->vm_end = addr;
        insert_vm_struct(mm, mpnt);
    }
    insert_vm_struct(mm, area);
    return extra;
}

/* Unmap [addr, addr+len) of mm: cut the VMAs (splitting one if the
 * range is inside it), zap the pages, free page tables left unused.
 * Returns 0 (also when nothing was mapped) or -EINVAL/-ENOMEM. */
int do_munmap(struct mm_struct *mm, unsigned long addr, unsigned long len)
{
    if ((addr & ~PAGE_MASK) || addr > TASK_SIZE || len > TASK_SIZE - addr)
        return -EINVAL;
    if ((len = PAGE_ALIGN(len)) == 0)
        return -EINVAL;
    struct vm_area_struct *prev, *mpnt = find_vma_prev(mm, addr, &prev);
    if (!mpnt || mpnt->vm_start >= addr + len)
        return 0;
    struct vm_area_struct *extra = kmem_cache_alloc(vm_area_cachep, GFP_KERNEL);
    if (!extra)
        return -ENOMEM;

    struct vm_area_struct **npp = prev ? &prev->vm_next : &mm->mmap, *free = NULL;
    for (; mpnt && mpnt->vm_start < addr + len; mpnt = *npp) {
        *npp = mpnt->vm_next;
        mpnt->vm_next = free;
        free = mpnt;
    }
    mm->mmap_cache = NULL;
    while ((mpnt = free) != NULL) {
        unsigned long st = addr < mpnt->vm_start ? mpnt->vm_start : addr;
        unsigned long end = addr + len;
        if (end > mpnt->vm_end)
            end = mpnt->vm_end;
        free = free->vm_next;
        mm->map_count--;
        zap_page_range(mm, st, end - st);
        annot_vma_unmap(mm->pid, st >> PAGE_SHIFT, (end - st) >> PAGE_SHIFT);
        extra = unmap_fixup(mm, mpnt, st, end - st, extra);
    }
    if (extra)
        kmem_cache_free(vm_area_cachep, extra);
    free_pgtables(mm, prev, addr, addr + len);
    return 0;
}

/* Free the page tables that only covered the unmapped [start, end). */
void free_pgtables(struct mm_struct *mm, struct vm_area_struct *prev,
                   unsigned long start, unsigned long end)
{
    unsigned long first = start & PGDIR_MASK;
    unsigned long last = (end + PGDIR_SIZE - 1) & PGDIR_MASK;
    if (!last)
        last = TASK_SIZE;               /* wrapped: up to the kernel */
    if (!prev) {
        prev = mm->mmap;
        if (!prev)
            goto no_mmaps;
        if (prev->vm_end > start) {
            if (last > prev->vm_start)
                last = prev->vm_start;
            goto no_mmaps;
        }
    }
    for (;;) {
        struct vm_area_struct *next = prev->vm_next;
        if (next) {
            if (next->vm_start < start) {
                prev = next;
                continue;
            }
            if (last > next->vm_start)
                last = next->vm_start;
        }
        if (prev->vm_end > first)
            first = prev->vm_end + PGDIR_SIZE - 1;
        break;
    }
no_mmaps:
    if (last < first)
        return;
    first >>= PGDIR_SHIFT;
    last >>= PGDIR_SHIFT;
    if (last > first)
        clear_page_tables(mm, first, last - first);
}

/* Map [addr, addr+len) as anonymous heap for current (merging with the
 * VMA before it). Returns addr or a negative errno. */
unsigned long do_brk(unsigned long addr, unsigned long len)
{
    struct mm_struct *mm = current->mm;
    len = PAGE_ALIGN(len);
    if (!len)
        return addr;
    if (addr + len > TASK_SIZE || addr + len < addr)
        return -EINVAL;
    if (find_vma_intersection(mm, addr, addr + len)) {
        int err = do_munmap(mm, addr, len);
        if (err)
            return err;
    }
    unsigned long flags = VM_DATA_DEFAULT_FLAGS;
    if (!vma_merge_prev(mm, addr, addr + len, flags, ANNOT_VMA_HEAP)) {
        if (!map_vma(mm, addr, addr + len, flags, ANNOT_VMA_HEAP, NULL, NULL, 0))
            return -ENOMEM;
        return addr;
    }
    mm->total_vm += len >> PAGE_SHIFT;
    return addr;
}

/* brk(brk): move the heap end; returns the new end, or the old one if
 * the move is refused (it would overlap another mapping). */
long sys_brk(unsigned long brk)
{
    struct mm_struct *mm = current->mm;
    if (brk < mm->start_brk)
        return mm->brk;
    unsigned long newbrk = PAGE_ALIGN(brk), oldbrk = PAGE_ALIGN(mm->brk);
    if (oldbrk == newbrk) {
        mm->brk = brk;
        return brk;
    }
    if (brk <= mm->brk) {               /* shrinking: always allowed */
        if (!do_munmap(mm, newbrk, oldbrk - newbrk))
            mm->brk = brk;
        return mm->brk;
    }
    if (find_vma_intersection(mm, oldbrk, newbrk + PAGE_SIZE))
        return mm->brk;                 /* would run into another mapping */
    if (do_brk(oldbrk, newbrk - oldbrk) != oldbrk)
        return mm->brk;
    mm->brk = brk;
    return brk;
}

/* Grow the VM_GROWSDOWN vma down to cover address. Returns 0, or
 * -ENOMEM past STACK_LIMIT or when it would reach the VMA below. */
int expand_stack(struct vm_area_struct *vma, unsigned long address)
{
    address &= PAGE_MASK;
    if (vma->vm_end - address > STACK_LIMIT)
        return -ENOMEM;
    struct vm_area_struct *prev;
    find_vma_prev(vma->vm_mm, vma->vm_start, &prev);
    if (prev && prev->vm_end > address)
        return -ENOMEM;
    unsigned long grow = (vma->vm_start - address) >> PAGE_SHIFT;
    vma->vm_start = address;
    vma->vm_pgoff -= grow;
    vma->vm_mm->total_vm += grow;
    current->ru.ru_nstack++;
    annot_stack_grow(current->pid, address >> PAGE_SHIFT);
    annot_vma_map(vma->vm_mm->pid, address >> PAGE_SHIFT, grow, ANNOT_VMA_STACK);
    return 0;
}

/* mmap2(addr, len, prot, flags, fd, pgoff): anonymous memory, or a file
 * (fd) from page pgoff. */
int file_is_dev_zero(struct file *file);

long sys_mmap2(unsigned long addr, unsigned long len, unsigned long prot,
               unsigned long flags, unsigned long fd, unsigned long pgoff)
{
    struct file *file = NULL;
    if (!(flags & MAP_ANONYMOUS) && !(file = fget(fd)))
        return -EBADF;
    if (file && file_is_dev_zero(file))
        file = NULL;                    /* /dev/zero maps as anonymous memory */
    return do_mmap(file, addr, len, prot, flags, pgoff);
}

/* old_mmap (90): the arguments in a struct, the offset in bytes. */
struct mmap_arg_struct { unsigned long addr, len, prot, flags, fd, offset; };

long sys_old_mmap(struct mmap_arg_struct *uarg)
{
    struct mmap_arg_struct a;
    if (copy_from_user(&a, uarg, sizeof a))
        return -EFAULT;
    if (a.offset & ~PAGE_MASK)
        return -EINVAL;
    return sys_mmap2(a.addr, a.len, a.prot, a.flags, a.fd, a.offset >> PAGE_SHIFT);
}

/* msync(start, len, flags): what was written through shared file mappings
 * of the range reaches the page cache as dirty pages, which are written
 * (and waited for with MS_SYNC). -ENOMEM if part of the range is not
 * mapped. */
long sys_msync(unsigned long start, unsigned long len, int flags)
{
    struct mm_struct *mm = current->mm;
    if ((start & ~PAGE_MASK) || (flags & ~(MS_ASYNC | MS_INVALIDATE | MS_SYNC)) ||
        ((flags & MS_ASYNC) && (flags & MS_SYNC)))
        return -EINVAL;
    unsigned long end = start + PAGE_ALIGN(len);
    if (end < start)
        return -ENOMEM;
    long err = 0;
    for (unsigned long a = start; a < end;) {
        struct vm_area_struct *vma = find_vma(mm, a);
        if (!vma || vma->vm_start > a)
            return -ENOMEM;
        unsigned long e = min(end, vma->vm_end);
        if (vma->vm_file && (vma->vm_flags & VM_SHARED)) {
            filemap_sync(vma, a, e);
            filemap_fdatasync(vma->vm_file->f_inode->i_mapping, flags & MS_SYNC);
        }
        a = e;
    }
    return err;
}

/* munmap(addr, len) of the current process. */
long sys_munmap(unsigned long addr, unsigned long len)
{
    return do_munmap(current->mm, addr, len);
}

void exit_mmap(struct mm_struct *mm)
{
    struct vm_area_struct *mpnt = mm->mmap;
    mm->mmap = mm->mmap_cache = NULL;
    mm->total_vm = 0;
    while (mpnt) {
        struct vm_area_struct *next = mpnt->vm_next;
        zap_page_range(mm, mpnt->vm_start, mpnt->vm_end - mpnt->vm_start);
        annot_vma_unmap(mm->pid, mpnt->vm_start >> PAGE_SHIFT,
                        (mpnt->vm_end - mpnt->vm_start) >> PAGE_SHIFT);
        if (mpnt->vm_ops && mpnt->vm_ops->close)
            mpnt->vm_ops->close(mpnt);
        mm->map_count--;
        kmem_cache_free(vm_area_cachep, mpnt);
        mpnt = next;
    }
    if (mm->map_count || mm->rss)
        panic("exit_mmap: map_count %d rss %lu left", mm->map_count, mm->rss);
    clear_page_tables(mm, 0, USER_PTRS_PER_PGD);
}
