/* execve (Linux 2.4's fs/exec.c, fs/binfmt_elf.c and fs/binfmt_script.c),
 * reading programs through the page cache from the root file system.
 *
 * Programs: static ELF32 executables (ET_EXEC at their addresses, ET_DYN
 * without an interpreter at 2.4's ELF_ET_DYN_BASE, 0x80000000), and scripts
 * starting with "#!" (their interpreter is run with the script's path). A
 * program with a PT_INTERP (dynamically linked) is refused: ENOEXEC, with
 * a console line naming it.
 *
 * Everything that can fail cleanly (path, headers, arguments, a new mm)
 * happens before the point of no return; then the old address space is
 * dropped and the new one is built: one private file mapping per PT_LOAD
 * segment (filemap_nopage maps the page-cache pages themselves, so every
 * process running a program shares its text frames; a write to a data page
 * copies it), an anonymous mapping for the BSS past the file's last page,
 * the tail of the last file page zeroed as padzero does, the brk heap after
 * the last segment, and the stack VMA below STACK_TOP laid out as
 * Linux/i386's create_elf_tables lays it out:
 *
 *   STACK_TOP  +------------------------------+
 *              | path (AT_EXECFN)             |
 *              | environment strings          |
 *              | argument strings             |
 *              | "i686" (AT_PLATFORM)         |
 *              | 16 random bytes (AT_RANDOM)  |
 *              | auxv: (type, value)...  AT_NULL |
 *              | envp[], NULL                 |
 *              | argv[], NULL                 |
 *   esp ->     | argc                         |  (16-byte aligned)
 */
#include <kernel.h>
#include <annotate.h>
#include <elf.h>
#include <elf_check.h>
#include <fs.h>
#include <i387.h>
#include <io.h>
#include <mm.h>
#include <random.h>
#include <sched.h>
#include <segment.h>
#include <signal.h>
#include <slab.h>
#include <uaccess.h>
#include <uapi/mman.h>
#include <uapi/wait.h>

#define MAX_ARG_PAGES 32        /* argument and environment strings: 128 KiB */
#define MAX_ARG_STRINGS 4096
#define MAX_PHNUM ELF_MAX_PHNUM
#define BINPRM_BUF 128
#define MAX_SCRIPT_DEPTH 4

enum { AT_NULL = 0, AT_PHDR = 3, AT_PHENT = 4, AT_PHNUM = 5, AT_PAGESZ = 6, AT_BASE = 7, AT_FLAGS = 8,
       AT_ENTRY = 9, AT_UID = 11, AT_EUID = 12, AT_GID = 13, AT_EGID = 14, AT_PLATFORM = 15,
       AT_HWCAP = 16, AT_CLKTCK = 17, AT_SECURE = 23, AT_RANDOM = 25, AT_EXECFN = 31 };

/* The strings of argv and envp, gathered in kernel pages before the old
 * address space goes: each string NUL-terminated, argv's first. */
struct strbuf {
    char *page[MAX_ARG_PAGES];
    unsigned long len;          /* bytes used */
    int argc, envc;
};

static void strbuf_free(struct strbuf *b)
{
    for (int i = 0; i < MAX_ARG_PAGES; i++)
        if (b->page[i])
            free_page((unsigned long)b->page[i]);
}

/* Append n bytes (a string with its NUL). 0 or -E2BIG/-ENOMEM. */
static int strbuf_add(struct strbuf *b, const char *s, unsigned long n, int user)
{
    if (n > (unsigned long)MAX_ARG_PAGES * PAGE_SIZE - b->len)
        return -E2BIG;
    while (n) {
        unsigned long pg = b->len / PAGE_SIZE, off = b->len % PAGE_SIZE;
        if (!b->page[pg] && !(b->page[pg] = (char *)__get_free_page(GFP_KERNEL)))
            return -ENOMEM;
        unsigned long k = min(n, PAGE_SIZE - off);
        if (user ? copy_from_user(b->page[pg] + off, s, k) : (memcpy(b->page[pg] + off, s, k), 0))
            return -EFAULT;
        s += k;
        n -= k;
        b->len += k;
    }
    return 0;
}

/* A user string's length with its NUL, or -EFAULT / -E2BIG. */
static long user_strlen(const char *s, unsigned long max)
{
    for (unsigned long i = 0; i < max; i++) {
        if (!access_ok(s + i, 1))
            return -EFAULT;
        long c = __get_user_byte(s + i);
        if (c < 0)
            return -EFAULT;
        if (!c)
            return (long)i + 1;
    }
    return -E2BIG;
}

/* Append the strings of a NULL-terminated vector (user or kernel). */
static int strbuf_vec(struct strbuf *b, char *const *vec, int user, int *count)
{
    for (int i = 0; vec; i++) {
        const char *s;
        if (!user)
            s = vec[i];
        else if (copy_from_user(&s, vec + i, sizeof s))
            return -EFAULT;
        if (!s)
            break;
        if (*count + 1 > MAX_ARG_STRINGS)
            return -E2BIG;
        long n = user ? user_strlen(s, (unsigned long)MAX_ARG_PAGES * PAGE_SIZE) : (long)strlen(s) + 1;
        if (n < 0)
            return (int)n;
        int err = strbuf_add(b, s, (unsigned long)n, user);
        if (err)
            return err;
        (*count)++;
    }
    return 0;
}

/* Drop the first string (argv[0]) of b, for a script's interpreter. */
static void strbuf_shift(struct strbuf *b)
{
    unsigned long n = strnlen(b->page[0], PAGE_SIZE) + 1;
    for (unsigned long i = n; i < b->len; i++)
        b->page[(i - n) / PAGE_SIZE][(i - n) % PAGE_SIZE] = b->page[i / PAGE_SIZE][i % PAGE_SIZE];
    b->len -= n;
    b->argc--;
}

/* Put strings in front of b's (the interpreter's argv). */
static int strbuf_prepend(struct strbuf *b, const char *const *strs, int n)
{
    struct strbuf nb;
    memset(&nb, 0, sizeof nb);
    int err = 0;
    for (int i = 0; i < n && !err; i++)
        err = strbuf_add(&nb, strs[i], strlen(strs[i]) + 1, 0);
    for (unsigned long done = 0; !err && done < b->len;) {
        unsigned long pg = done / PAGE_SIZE, off = done % PAGE_SIZE, k = min(b->len - done, PAGE_SIZE - off);
        err = strbuf_add(&nb, b->page[pg] + off, k, 0);
        done += k;
    }
    if (err) {
        strbuf_free(&nb);
        return err;
    }
    nb.argc = b->argc + n;
    nb.envc = b->envc;
    strbuf_free(b);
    *b = nb;
    return 0;
}

/* The headers of an ELF file: read and checked. */
struct elf_headers {
    Elf32_Ehdr eh;
    Elf32_Phdr ph[MAX_PHNUM];
};

/* Read and check the ELF header and program headers of file. 0, -ENOEXEC,
 * or -EIO on a read error. The checks: elf_check.c. */
static int elf_read_check(struct file *file, struct elf_headers *h, const char *path)
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
    int err = elf_check_phdrs(eh, h->ph, size);
    if (err == ELF_CHECK_INTERP) {
        printk("execve: %s is dynamically linked: only static programs run here\n", path);
        return -ENOEXEC;
    }
    return err;
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
    mm_release();                       /* a vfork parent may go on */
    if (old_mm)
        mmput(old_mm);
    else
        mmdrop(active);                 /* a kernel thread's borrowed mm */
}

/* Map one PT_LOAD segment of file into mm at bias (see the top). */
static void map_segment(struct mm_struct *mm, struct file *file, const Elf32_Phdr *ph, unsigned long bias)
{
    unsigned long vaddr = ph->p_vaddr + bias;
    unsigned long start = vaddr & PAGE_MASK;
    unsigned long file_end = PAGE_ALIGN(vaddr + ph->p_filesz);
    unsigned long end = PAGE_ALIGN(vaddr + ph->p_memsz);
    unsigned long vm_flags = VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC;
    if (ph->p_flags & PF_R) vm_flags |= VM_READ;
    if (ph->p_flags & PF_W) vm_flags |= VM_WRITE;
    if (ph->p_flags & PF_X) vm_flags |= VM_EXEC;
    unsigned type = ph->p_flags & PF_X ? ANNOT_VMA_TEXT : ANNOT_VMA_DATA;
    if (end > start && find_vma_intersection(mm, start, end))
        do_munmap(mm, start, end - start);  /* a page shared with the previous segment: this one wins */
    if (ph->p_filesz && file_end > start) {
        struct vm_area_struct *vma = map_vma(mm, start, file_end, vm_flags, type, &file_private_vm_ops,
                                             NULL, (ph->p_offset - (vaddr - start)) >> PAGE_SHIFT);
        if (!vma)
            kill_current(SIGKILL, "exec: out of memory");
        vma->vm_file = file;
        file->f_count++;
    } else {
        file_end = start;
    }
    if (end > file_end && !map_vma(mm, file_end, end, vm_flags, ANNOT_VMA_DATA, NULL, NULL, 0))
        kill_current(SIGKILL, "exec: out of memory");
    /* the BSS's start in the file's last page reads as zero (padzero) */
    unsigned long bss = vaddr + ph->p_filesz;
    if (ph->p_memsz > ph->p_filesz && ph->p_filesz && (bss & ~PAGE_MASK) && (ph->p_flags & PF_W)) {
        static const char zeros[64];
        for (unsigned long a = bss; a < PAGE_ALIGN(bss); a += sizeof zeros)
            if (copy_to_user((void *)a, zeros, min(sizeof zeros, PAGE_ALIGN(bss) - a)))
                kill_current(SIGSEGV, "exec: cannot clear the BSS");
    }
}

/* Copy b's strings to the top of the new stack and lay out argc, argv,
 * envp and auxv under them; the new ESP. */
static unsigned long create_tables(struct mm_struct *mm, struct strbuf *b, const char *path,
                                   const struct elf_headers *h, unsigned long bias, unsigned long phdr)
{
    unsigned long sp = STACK_TOP;
    unsigned long plen = strlen(path) + 1;
    sp -= plen;
    unsigned long execfn = sp;
    if (copy_to_user((void *)sp, path, plen))
        kill_current(SIGSEGV, "exec: cannot write the arguments");
    sp -= b->len;
    unsigned long strings = sp;
    mm->arg_start = strings;
    for (unsigned long done = 0; done < b->len;) {
        unsigned long pg = done / PAGE_SIZE, k = min(b->len - done, PAGE_SIZE);
        if (copy_to_user((void *)(sp + done), b->page[pg], k))
            kill_current(SIGSEGV, "exec: cannot write the arguments");
        done += k;
    }
    sp -= 5;
    unsigned long platform = sp;
    if (copy_to_user((void *)sp, "i686", 5))
        kill_current(SIGSEGV, "exec: cannot write the arguments");
    sp = (sp - 16) & ~15UL;
    unsigned long random = sp;
    u8 rnd[16];
    get_random_bytes(rnd, sizeof rnd);
    if (copy_to_user((void *)sp, rnd, sizeof rnd))
        kill_current(SIGSEGV, "exec: cannot write the arguments");
    u32 a, bb, c, d;
    cpuid(1, &a, &bb, &c, &d);
    unsigned long auxv[] = {
        AT_HWCAP, d, AT_PAGESZ, PAGE_SIZE, AT_CLKTCK, HZ, AT_PHDR, phdr, AT_PHENT, sizeof(Elf32_Phdr),
        AT_PHNUM, h->eh.e_phnum, AT_BASE, 0, AT_FLAGS, 0, AT_ENTRY, h->eh.e_entry + bias,
        AT_UID, 0, AT_EUID, 0, AT_GID, 0, AT_EGID, 0, AT_SECURE, 0, AT_RANDOM, random,
        AT_EXECFN, execfn, AT_PLATFORM, platform, AT_NULL, 0,
    };
    unsigned long words = 1 + b->argc + 1 + b->envc + 1 + ARRAY_SIZE(auxv);
    sp = (sp - words * 4) & ~15UL;
    unsigned long *tab = kmalloc(words * 4, GFP_KERNEL);
    if (!tab)
        kill_current(SIGKILL, "exec: out of memory");
    unsigned long w = 0, p = strings;
    tab[w++] = b->argc;
    for (int i = 0; i < b->argc + b->envc; i++) {
        if (i == b->argc) {
            tab[w++] = 0;
            mm->arg_end = mm->env_start = p;
        }
        tab[w++] = p;
        unsigned long off = p - strings;
        p += strnlen(b->page[off / PAGE_SIZE] + off % PAGE_SIZE, PAGE_SIZE - off % PAGE_SIZE);
        /* a string may cross a page of b: finish it there */
        off = p - strings;
        while (off < b->len && b->page[off / PAGE_SIZE][off % PAGE_SIZE])
            p++, off++;
        p++;
    }
    if (!b->envc)
        mm->arg_end = mm->env_start = p;
    mm->env_end = p;
    tab[w++] = 0;
    memcpy(tab + w, auxv, sizeof auxv);
    int err = copy_to_user((void *)sp, tab, words * 4) ? -1 : 0;
    kfree(tab);
    if (err)
        kill_current(SIGSEGV, "exec: cannot write the arguments");
    return sp;
}

/* A script ("#!interp [arg]" in buf, n bytes read): make the interpreter
 * the program: argv becomes interp, [arg], path, argv[1..]. 0, or
 * -ENOEXEC when it is no script. */
static int prepare_script(struct strbuf *b, char *buf, long n, const char *path, char *interp)
{
    if (n < 3 || buf[0] != '#' || buf[1] != '!')
        return -ENOEXEC;
    buf[n < BINPRM_BUF ? n : BINPRM_BUF - 1] = 0;
    char *nl = strchr(buf, '\n');
    if (nl)
        *nl = 0;
    char *s = buf + 2;
    while (*s == ' ' || *s == '\t')
        s++;
    if (!*s)
        return -ENOEXEC;
    char *e = s;
    while (*e && *e != ' ' && *e != '\t')
        e++;
    char *arg = NULL;
    if (*e) {
        *e++ = 0;
        while (*e == ' ' || *e == '\t')
            e++;
        if (*e) {
            arg = e;
            char *t = arg + strlen(arg);
            while (t > arg && (t[-1] == ' ' || t[-1] == '\t'))
                *--t = 0;
        }
    }
    strlcpy(interp, s, PATH_MAX);
    const char *pre[3] = { interp, arg, path };
    if (b->argc)
        strbuf_shift(b);
    return arg ? strbuf_prepend(b, pre, 3) : strbuf_prepend(b, (const char *const[]){ interp, path }, 2);
}

long do_execve(const char *filename, char *const argv[], char *const envp[], int in_kernel, struct pt_regs *regs)
{
    struct task_struct *tsk = current;
    struct strbuf *b = kmalloc(sizeof *b, GFP_KERNEL);
    struct elf_headers *h = kmalloc(sizeof *h, GFP_KERNEL);
    char *path = (char *)__get_free_page(GFP_KERNEL), *interp = (char *)__get_free_page(GFP_KERNEL);
    char *real = (char *)__get_free_page(GFP_KERNEL);
    struct file *file = NULL;
    long err = -ENOMEM;
    if (!b || !h || !path || !interp || !real)
        goto out;
    memset(b, 0, sizeof *b);
    if (in_kernel)
        err = strlcpy(path, filename, PATH_MAX) >= PATH_MAX ? -ENAMETOOLONG : 0;
    else
        err = strncpy_from_user(path, filename, PATH_MAX);
    if (err < 0)
        goto out;
    err = -ENOENT;
    if (!path[0])
        goto out;
    err = strbuf_vec(b, argv, !in_kernel, &b->argc);
    if (!err)
        err = strbuf_vec(b, envp, !in_kernel, &b->envc);
    if (err)
        goto out;
    for (int depth = 0;; depth++) {
        file = filp_open(path, O_RDONLY, 0, &err);
        if (!file)
            goto out;
        err = -EACCES;
        if (!S_ISREG(file->f_inode->i_mode) || !(file->f_inode->i_mode & 0111))
            goto out;
        char buf[BINPRM_BUF];
        long n = kernel_read(file, 0, buf, sizeof buf);
        err = n < 0 ? n : -ENOEXEC;
        if (n >= 4 && !memcmp(buf, "\177ELF", 4)) {
            err = elf_read_check(file, h, path);
            break;
        }
        if (n < 0 || depth == MAX_SCRIPT_DEPTH)
            goto out;
        err = prepare_script(b, buf, n, path, interp);
        if (err)
            goto out;
        fput(file);
        file = NULL;
        strlcpy(path, interp, PATH_MAX);
    }
    if (err)
        goto out;
    err = kernel_realpath(path, real, PAGE_SIZE);
    if (err)
        goto out;
    char *exe = kmalloc(strlen(real) + 1, GFP_KERNEL);
    struct mm_struct *mm = exe ? mm_alloc() : NULL;
    err = -ENOMEM;
    if (!mm) {
        kfree(exe);
        goto out;
    }
    strcpy(exe, real);
    mm->exe_path = exe;
    char *fpath = kmalloc(strlen(real) + 1, GFP_KERNEL);
    if (fpath) {                        /* the mappings' name in /proc/PID/maps */
        strcpy(fpath, real);
        kfree(file->f_path);
        file->f_path = fpath;
    }

    /* Point of no return: failures now kill the process. */
    exec_mmap(mm);
    unsigned long bias = 0, brk = 0, phdr = 0, first = ~0UL;
    if (h->eh.e_type == ET_DYN) {
        for (int i = 0; i < h->eh.e_phnum; i++)
            if (h->ph[i].p_type == PT_LOAD)
                first = min(first, h->ph[i].p_vaddr & PAGE_MASK);
        bias = ELF_ET_DYN_BASE - first;
    }
    mm->start_code = ~0UL;
    for (int i = 0; i < h->eh.e_phnum; i++) {
        const Elf32_Phdr *ph = &h->ph[i];
        if (ph->p_type == PT_PHDR)
            phdr = ph->p_vaddr + bias;
        if (ph->p_type != PT_LOAD || !ph->p_memsz)
            continue;
        map_segment(mm, file, ph, bias);
        if (!phdr && h->eh.e_phoff >= ph->p_offset && h->eh.e_phoff - ph->p_offset < ph->p_filesz)
            phdr = ph->p_vaddr + bias + (h->eh.e_phoff - ph->p_offset);
        if (ph->p_flags & PF_X) {
            mm->start_code = min(mm->start_code, ph->p_vaddr + bias);
            mm->end_code = max(mm->end_code, ph->p_vaddr + bias + ph->p_filesz);
        } else {
            if (!mm->start_data)
                mm->start_data = ph->p_vaddr + bias;
            mm->end_data = max(mm->end_data, ph->p_vaddr + bias + ph->p_filesz);
        }
        brk = max(brk, PAGE_ALIGN(ph->p_vaddr + bias + ph->p_memsz));
    }
    if (mm->start_code == ~0UL)
        mm->start_code = mm->end_code = 0;
    mm->start_brk = mm->brk = brk;
    if (!map_vma(mm, STACK_TOP - PAGE_SIZE, STACK_TOP, VM_STACK_FLAGS, ANNOT_VMA_STACK, NULL, NULL, 0))
        kill_current(SIGKILL, "exec: out of memory");
    unsigned long sp = create_tables(mm, b, path, h, bias, phdr);
    mm->start_stack = sp;

    /* what survives an exec, and what does not (fs/exec.c's flush_old_exec) */
    const char *base = strrchr(path, '/');
    strlcpy(tsk->comm, base ? base + 1 : path, TASK_COMM_LEN);
    flush_signal_handlers(tsk);
    close_on_exec(tsk->files);
    clear_fpu(tsk);
    tsk->thread.used_math = 0;
    memset(tsk->thread.tls_array, 0, sizeof tsk->thread.tls_array);
    load_TLS(tsk);
    memset(regs, 0, sizeof *regs);
    regs->eip = h->eh.e_entry + bias;
    regs->esp = sp;
    regs->xcs = __USER_CS;
    regs->xss = regs->xds = regs->xes = __USER_DS;
    regs->xfs = regs->xgs = 0;
    regs->eflags = 0x202;
    regs->orig_eax = ~0UL;
    annot_exec(tsk->pid, tsk->comm);
    err = 0;
out:
    if (file)
        fput(file);                     /* the mappings hold their own references */
    if (b) {
        strbuf_free(b);
        kfree(b);
    }
    kfree(h);
    if (path)
        free_page((unsigned long)path);
    if (interp)
        free_page((unsigned long)interp);
    if (real)
        free_page((unsigned long)real);
    return err;
}
