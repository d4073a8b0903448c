/* execve of static ELF32 programs from the initrd (Linux 2.4's fs/exec.c
 * and fs/binfmt_elf.c).
 *
 * Everything that can fail cleanly (path, ELF checks, arguments, a new mm)
 * happens before the point of no return; then the old address space is
 * dropped and the new one is built: one VMA per PT_LOAD segment, backed by
 * the file (file_nopage copies a page of the program in on first touch;
 * pages wholly past p_filesz are plain zero-fill), the brk heap after the
 * last segment, and a one-page stack VMA at STACK_TOP that grows down, on
 * which the arguments are laid out for crt0:
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
#include <initrd.h>
#include <mm.h>
#include <sched.h>
#include <segment.h>
#include <slab.h>
#include <uaccess.h>
#include <uapi/wait.h>

#define MAX_ARG_STRINGS 32
#define MAX_PATH 128

/* nopage of exec'd segments: a private copy of the program file's page
 * at address (zero past p_filesz), or NOPAGE_ANONYMOUS for pure BSS pages,
 * or NULL when out of memory. The initrd is in RAM, so there is no I/O. */
static struct page *file_nopage(struct vm_area_struct *vma, unsigned long address, int write_access)
{
    const struct initrd_file *f = vma->vm_private_data;
    if (address >= vma->vm_file_end)
        return NOPAGE_ANONYMOUS;        /* all BSS: zero-fill */
    struct page *page = alloc_page(GFP_HIGHUSER);
    if (!page)
        return NULL;
    char *kaddr = page_address(page);
    unsigned long off = (address - vma->vm_start) + (vma->vm_pgoff << PAGE_SHIFT);
    unsigned long n = min(PAGE_SIZE, vma->vm_file_end - address);
    if (off >= f->size)
        n = 0;
    else if (n > f->size - off)
        n = f->size - off;
    memcpy(kaddr, f->data + off, n);
    memset(kaddr + n, 0, PAGE_SIZE - n);
    current->ru.ru_nfile++;
    return page;
}

static struct vm_operations_struct file_vm_ops = {
    .nopage = file_nopage,
};

/* Check the ELF header and program headers of f. 0 or -ENOEXEC. */
static int elf_check(const struct initrd_file *f)
{
    const Elf32_Ehdr *eh = (const Elf32_Ehdr *)f->data;
    if (f->size < sizeof *eh || memcmp(eh->e_ident, "\177ELF", 4) || eh->e_ident[4] != 1 ||
        eh->e_ident[5] != 1 || eh->e_type != ET_EXEC || eh->e_machine != EM_386 ||
        eh->e_phentsize != sizeof(Elf32_Phdr) || eh->e_phnum == 0 || eh->e_phnum > 16 ||
        eh->e_phoff > f->size || eh->e_phnum * sizeof(Elf32_Phdr) > f->size - eh->e_phoff)
        return -ENOEXEC;
    const Elf32_Phdr *ph = (const Elf32_Phdr *)(f->data + eh->e_phoff);
    unsigned long prev_end = 0;
    for (int i = 0; i < eh->e_phnum; i++, ph++) {
        if (ph->p_type != PT_LOAD)
            continue;
        if (ph->p_filesz > ph->p_memsz || ph->p_offset > f->size ||
            ph->p_filesz > f->size - ph->p_offset || ph->p_vaddr >= TASK_SIZE ||
            ph->p_memsz > TASK_SIZE - ph->p_vaddr ||
            (ph->p_offset & ~PAGE_MASK) != (ph->p_vaddr & ~PAGE_MASK) ||
            (ph->p_vaddr & PAGE_MASK) < prev_end)
            return -ENOEXEC;            /* also: segments sorted, no shared pages */
        prev_end = PAGE_ALIGN(ph->p_vaddr + ph->p_memsz);
    }
    return 0;
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

long do_execve(const char *filename, char *const argv[], int argv_in_kernel, struct pt_regs *regs)
{
    struct task_struct *tsk = current;
    char *page = (char *)__get_free_page(GFP_KERNEL);
    if (!page)
        return -ENOMEM;
    /* page: path (MAX_PATH bytes), then the argument strings */
    char *path = page, *strs = page + MAX_PATH;
    char *args[MAX_ARG_STRINGS];
    unsigned long used = 0;
    int argc = 0;
    long err;

    if (argv_in_kernel) {
        err = strlcpy(path, filename, MAX_PATH) >= MAX_PATH ? -ENAMETOOLONG : 0;
    } else {
        err = strncpy_from_user(path, filename, MAX_PATH);
    }
    if (err < 0)
        goto out;
    const struct initrd_file *f = initrd_lookup(path);
    err = -ENOENT;
    if (!f)
        goto out;
    err = elf_check(f);
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
    const Elf32_Ehdr *eh = (const Elf32_Ehdr *)f->data;
    const Elf32_Phdr *ph = (const Elf32_Phdr *)(f->data + eh->e_phoff);
    unsigned long brk = 0;
    mm->start_code = ~0UL;
    for (int i = 0; i < eh->e_phnum; i++, ph++) {
        if (ph->p_type != PT_LOAD || !ph->p_memsz)
            continue;
        unsigned long start = ph->p_vaddr & PAGE_MASK, end = PAGE_ALIGN(ph->p_vaddr + ph->p_memsz);
        unsigned long vm_flags = VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC;
        if (ph->p_flags & PF_R) vm_flags |= VM_READ;
        if (ph->p_flags & PF_W) vm_flags |= VM_WRITE;
        if (ph->p_flags & PF_X) vm_flags |= VM_EXEC;
        struct vm_area_struct *vma = map_vma(mm, start, end, vm_flags, &file_vm_ops, (void *)f,
                                             (ph->p_offset - (ph->p_vaddr - start)) >> PAGE_SHIFT);
        if (!vma)
            force_sig(SIGKILL, "exec: out of memory");
        vma->vm_file_end = ph->p_vaddr + ph->p_filesz;
        if (ph->p_flags & PF_X) {
            mm->start_code = min(mm->start_code, ph->p_vaddr);
            mm->end_code = max(mm->end_code, ph->p_vaddr + ph->p_filesz);
        } else {
            if (!mm->start_data)
                mm->start_data = ph->p_vaddr;
            mm->end_data = max(mm->end_data, ph->p_vaddr + ph->p_filesz);
        }
        brk = max(brk, end);
    }
    mm->start_brk = mm->brk = brk;
    if (!map_vma(mm, STACK_TOP - PAGE_SIZE, STACK_TOP, VM_STACK_FLAGS, NULL, NULL, 0))
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
    regs->eip = eh->e_entry;
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
    free_page((unsigned long)page);
    return err;
}
