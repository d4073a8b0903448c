/* execve of static ELF32 programs (Linux 2.4's fs/exec.c and
 * fs/binfmt_elf.c), read through the page cache from the root file system.
 *
 * Everything that can fail cleanly (path, ELF checks, arguments, a new mm)
 * happens before the point of no return; then the old address space is
 * dropped and the new one is built: one private file mapping per PT_LOAD
 * segment (filemap_nopage maps the page-cache pages themselves, so every
 * process running a program shares its text frames; a write to a data page
 * copies it), an anonymous mapping for the part of the BSS past the file's
 * last page, the tail of the last file page zeroed as 2.4's padzero does
 * (which copies that page), the brk heap after the last segment, and a
 * one-page stack VMA at STACK_TOP that grows down, on which the arguments
 * are laid out for crt0:
 *
 *   STACK_TOP  +--------------------+
 *              | argument strings   |
 *              | argv[argc] = NULL  |
 *              | argv[0..argc-1]    |
 *   esp ->     | argc               |
 */
#include <kernel.h>
#include <i387.h>
#include <annotate.h>
#include <elf.h>
#include <elf_check.h>
#include <fs.h>
#include <mm.h>
#include <sched.h>
#include <segment.h>
#include <slab.h>
#include <uaccess.h>
#include <uapi/mman.h>
#include <uapi/wait.h>

#define MAX_ARG_STRINGS 32
#define MAX_PATH 128
#define MAX_PHNUM ELF_MAX_PHNUM

/* The headers of an ELF file: read and checked. */
struct elf_headers {
    Elf32_Ehdr eh;
    Elf32_Phdr ph[MAX_PHNUM];
};

/* Read and check the ELF header and program headers of file. 0 or
 * -ENOEXEC (-EIO on a read error). The checks: elf_check.c. */
static int elf_read_check(struct file *file, struct elf_headers *h)
{
    unsigned long size = (unsigned long)file->f_inode->i_size;
    long n = kernel_read(file, 0, (char *)&h->eh, sizeof h->eh);
    if (n < 0)
        return (int)n;
    const Elf32_Ehdr *eh = &h->eh;
    if (elf_check_ehdr(eh, n, size))
        return -ENOEXEC;
    unsigned long bytes = eh->e_phnum * sizeof(Elf32_Phdr);
    n = kernel_read(file, eh->e_phoff, (char *)h->ph, bytes);
    if (n < 0)
        return (int)n;
    if ((unsigned long)n != bytes)
        return -ENOEXEC;
    return elf_check_phdrs(eh, h->ph, size);
}

/* Replace current's address space by mm and load it in CR3. */
static void exec_mmap(struct mm_struct *mm)
{
    struct task_struct *tsk = current;
    struct mm_struct *old_mm = tsk->mm, *active = tsk->active_mm;
    u32 flags;
    local_irq_save(flags);
    tsk->mm = mm;
    tsk->active_mm = mm;
    tsk->flags &= ~PF_KTHREAD;
    switch_mm(active, mm);
    local_irq_restore(flags);
    if (old_mm)
        mmput(old_mm);
    else
        mmdrop(active);                 /* a kernel thread's borrowed mm */
}

/* Map one PT_LOAD segment of file into mm (see the top of the file). */
static void map_segment(struct mm_struct *mm, struct file *file, const Elf32_Phdr *ph)
{
    unsigned long start = ph->p_vaddr & PAGE_MASK;
    unsigned long file_end = PAGE_ALIGN(ph->p_vaddr + ph->p_filesz);
    unsigned long end = PAGE_ALIGN(ph->p_vaddr + ph->p_memsz);
    unsigned long vm_flags = VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC;
    if (ph->p_flags & PF_R) vm_flags |= VM_READ;
    if (ph->p_flags & PF_W) vm_flags |= VM_WRITE;
    if (ph->p_flags & PF_X) vm_flags |= VM_EXEC;
    unsigned type = ph->p_flags & PF_X ? ANNOT_VMA_TEXT : ANNOT_VMA_DATA;
    if (file_end > start) {
        struct vm_area_struct *vma = map_vma(mm, start, file_end, vm_flags, type, &file_private_vm_ops,
                                             NULL, (ph->p_offset - (ph->p_vaddr - start)) >> PAGE_SHIFT);
        if (!vma)
            force_sig(SIGKILL, "exec: out of memory");
        vma->vm_file = file;
        file->f_count++;
    }
    if (end > file_end && !map_vma(mm, file_end, end, vm_flags, ANNOT_VMA_DATA, NULL, NULL, 0))
        force_sig(SIGKILL, "exec: out of memory");
    /* the BSS's start in the file's last page reads as zero (padzero) */
    unsigned long bss = ph->p_vaddr + ph->p_filesz;
    if (ph->p_memsz > ph->p_filesz && (bss & ~PAGE_MASK) && (ph->p_flags & PF_W)) {
        static const char zeros[64];
        for (unsigned long a = bss; a < PAGE_ALIGN(bss); a += sizeof zeros)
            if (copy_to_user((void *)a, zeros, min(sizeof zeros, PAGE_ALIGN(bss) - a)))
                force_sig(SIGSEGV, "exec: cannot clear the BSS");
    }
}

long do_execve(const char *filename, char *const argv[], int argv_in_kernel, struct pt_regs *regs)
{
    struct task_struct *tsk = current;
    char *page = (char *)__get_free_page(GFP_KERNEL);
    struct elf_headers *h = kmalloc(sizeof *h, GFP_KERNEL);
    struct file *file = NULL;
    long err = -ENOMEM;
    if (!page || !h)
        goto out;
    /* page: path (MAX_PATH bytes), then the argument strings */
    char *path = page, *strs = page + MAX_PATH;
    char *args[MAX_ARG_STRINGS];
    unsigned long used = 0;
    int argc = 0;

    if (argv_in_kernel)
        err = strlcpy(path, filename, MAX_PATH) >= MAX_PATH ? -ENAMETOOLONG : 0;
    else
        err = strncpy_from_user(path, filename, MAX_PATH);
    if (err < 0)
        goto out;
    file = filp_open(path, O_RDONLY, 0, &err);
    if (!file)
        goto out;
    err = -EACCES;
    if (!S_ISREG(file->f_inode->i_mode))
        goto out;
    err = elf_read_check(file, h);
    if (err)
        goto out;
    for (;; argc++) {
        const char *ap;
        if (argv_in_kernel) {
            ap = argv ? argv[argc] : NULL;
        } else if (!argv) {
            ap = NULL;
        } else if (copy_from_user(&ap, argv + argc, sizeof ap)) {
            err = -EFAULT;
            goto out;
        }
        if (!ap)
            break;
        err = -E2BIG;
        if (argc == MAX_ARG_STRINGS)
            goto out;
        long room = PAGE_SIZE - MAX_PATH - used;
        long len;
        if (argv_in_kernel) {
            len = strlen(ap);
            if (len >= room)
                goto out;
            strcpy(strs + used, ap);
        } else {
            len = strncpy_from_user(strs + used, ap, room);
            if (len < 0) {
                err = len == -ENAMETOOLONG ? -E2BIG : len;
                goto out;
            }
        }
        args[argc] = strs + used;
        used += len + 1;
    }
    struct mm_struct *mm = mm_alloc();
    err = -ENOMEM;
    if (!mm)
        goto out;

    /* Point of no return: failures now kill the process. */
    exec_mmap(mm);
    unsigned long brk = 0;
    mm->start_code = ~0UL;
    for (int i = 0; i < h->eh.e_phnum; i++) {
        const Elf32_Phdr *ph = &h->ph[i];
        if (ph->p_type != PT_LOAD || !ph->p_memsz)
            continue;
        map_segment(mm, file, ph);
        if (ph->p_flags & PF_X) {
            mm->start_code = min(mm->start_code, ph->p_vaddr);
            mm->end_code = max(mm->end_code, ph->p_vaddr + ph->p_filesz);
        } else {
            if (!mm->start_data)
                mm->start_data = ph->p_vaddr;
            mm->end_data = max(mm->end_data, ph->p_vaddr + ph->p_filesz);
        }
        brk = max(brk, PAGE_ALIGN(ph->p_vaddr + ph->p_memsz));
    }
    mm->start_brk = mm->brk = brk;
    if (!map_vma(mm, STACK_TOP - PAGE_SIZE, STACK_TOP, VM_STACK_FLAGS, ANNOT_VMA_STACK, NULL, NULL, 0))
        force_sig(SIGKILL, "exec: out of memory");

    unsigned long sp = STACK_TOP, uargv[MAX_ARG_STRINGS + 1];
    for (int i = argc - 1; i >= 0; i--) {
        unsigned long len = strlen(args[i]) + 1;
        sp -= len;
        if (copy_to_user((void *)sp, args[i], len))
            force_sig(SIGSEGV, "exec: cannot write the arguments");
        uargv[i] = sp;
    }
    uargv[argc] = 0;
    sp &= ~3UL;
    sp -= (argc + 1) * sizeof(unsigned long);
    unsigned long uargc = argc;
    if (copy_to_user((void *)sp, uargv, (argc + 1) * sizeof(unsigned long)) ||
        copy_to_user((void *)(sp - 4), &uargc, 4))
        force_sig(SIGSEGV, "exec: cannot write the arguments");
    sp -= 4;
    mm->start_stack = sp;

    memset(regs, 0, sizeof *regs);
    regs->eip = h->eh.e_entry;
    regs->esp = sp;
    regs->xcs = __USER_CS;
    regs->xss = regs->xds = regs->xes = regs->xfs = regs->xgs = __USER_DS;
    regs->eflags = 0x202;
    const char *base = strrchr(path, '/');
    strlcpy(tsk->comm, base ? base + 1 : path, TASK_COMM_LEN);
    clear_fpu(tsk);
    annot_exec(tsk->pid, tsk->comm);
    err = 0;
out:
    if (file)
        fput(file);                     /* the mappings hold their own references */
    kfree(h);
    if (page)
        free_page((unsigned long)page);
    return err;
}
