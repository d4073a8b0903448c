/* Creating tasks and address spaces (Linux 2.4's kernel/fork.c): fork copies
 * the parent's mm (dup_mmap: every VMA, and its PTEs through copy_page_range,
 * which write-protects private pages for copy-on-write); kernel threads get
 * no mm and borrow whichever is loaded. The child's kernel stack starts with
 * a copy of the parent's saved user registers (EAX = 0) and a switch frame
 * that returns into ret_from_fork. */
#include <kernel.h>
#include <annotate.h>
#include <fs.h>
#include <i387.h>
#include <mm.h>
#include <sched.h>
#include <segment.h>
#include <signal.h>
#include <slab.h>
#include <uaccess.h>

kmem_cache_t *vm_area_cachep, *mm_cachep;
static int last_pid;

/* The slab caches of fork and mmap. Call once at boot, after kmem_cache_init. */
void fork_init(void)
{
    vm_area_cachep = kmem_cache_create("vm_area_struct", sizeof(struct vm_area_struct), 0,
                                       SLAB_HWCACHE_ALIGN, NULL, NULL);
    mm_cachep = kmem_cache_create("mm_struct", sizeof(struct mm_struct), 0,
                                  SLAB_HWCACHE_ALIGN, NULL, NULL);
    if (!vm_area_cachep || !mm_cachep)
        panic("fork_init: cannot create the vma and mm caches");
}

struct task_struct *alloc_task_struct(void)
{
    return (struct task_struct *)__get_free_pages(GFP_KERNEL, 1);
}

void free_task_struct(struct task_struct *p)
{
    free_pages((unsigned long)p, 1);
}

/* A page directory: user part empty, kernel part shared with swapper_pg_dir. */
pgd_t *pgd_alloc(void)
{
    pgd_t *pgd = (pgd_t *)__get_free_page(GFP_PGTABLE);
    if (!pgd)
        return NULL;
    memset(pgd, 0, USER_PTRS_PER_PGD * sizeof(pgd_t));
    memcpy(pgd + USER_PTRS_PER_PGD, swapper_pg_dir + USER_PTRS_PER_PGD,
           (PTRS_PER_PGD - USER_PTRS_PER_PGD) * sizeof(pgd_t));
    virt_to_page(pgd)->flags |= 1UL << PG_pgtable;
    pgtable_pages++;
    return pgd;
}

/* Free a page directory from pgd_alloc (its user part must be empty). */
void pgd_free(pgd_t *pgd)
{
    virt_to_page(pgd)->flags &= ~(1UL << PG_pgtable);
    pgtable_pages--;
    free_page((unsigned long)pgd);
}

struct mm_struct *mm_alloc(void)
{
    struct mm_struct *mm = kmem_cache_alloc(mm_cachep, GFP_KERNEL);
    if (!mm)
        return NULL;
    memset(mm, 0, sizeof *mm);
    mm->mm_users = 1;
    mm->mm_count = 1;
    mm->pgd = pgd_alloc();
    if (!mm->pgd) {
        kmem_cache_free(mm_cachep, mm);
        return NULL;
    }
    mm->pid = current->pid;
    mmlist_add(mm);
    return mm;
}

void mmdrop(struct mm_struct *mm)
{
    if (mm == &init_mm)
        return;
    if (mm->mm_count <= 0)
        panic("mmdrop: mm_count %d", mm->mm_count);
    if (--mm->mm_count == 0) {
        kfree(mm->exe_path);
        pgd_free(mm->pgd);
        kmem_cache_free(mm_cachep, mm);
    }
}

void mmput(struct mm_struct *mm)
{
    if (mm->mm_users <= 0)
        panic("mmput: mm_users %d", mm->mm_users);
    if (--mm->mm_users == 0) {
        mmlist_del(mm);
        exit_mmap(mm);
        mmdrop(mm);
    }
}

int dup_mmap(struct mm_struct *mm, struct mm_struct *oldmm)
{
    struct vm_area_struct **pprev = &mm->mmap;
    int retval = 0;
    for (struct vm_area_struct *mpnt = oldmm->mmap; mpnt; mpnt = mpnt->vm_next) {
        struct vm_area_struct *tmp = kmem_cache_alloc(vm_area_cachep, GFP_KERNEL);
        if (!tmp) {
            retval = -ENOMEM;
            break;
        }
        *tmp = *mpnt;
        tmp->vm_mm = mm;
        tmp->vm_next = NULL;
        if (tmp->vm_ops && tmp->vm_ops->open)
            tmp->vm_ops->open(tmp);
        annot_vma_map(mm->pid, tmp->vm_start >> PAGE_SHIFT,
                      (tmp->vm_end - tmp->vm_start) >> PAGE_SHIFT, tmp->vm_type);
        *pprev = tmp;
        pprev = &tmp->vm_next;
        mm->map_count++;
        retval = copy_page_range(mm, oldmm, mpnt);
        if (retval)
            break;
    }
    flush_tlb_mm(oldmm);                /* the parent's PTEs lost their RW bits */
    return retval;
}

/* The pid a new task gets: the next one not in use by a task, a process
 * group or a session (pids wrap at PID_MAX, as Linux's get_pid). */
#define PID_MAX 32768
static int get_pid(void)
{
    for (;;) {
        if (++last_pid >= PID_MAX)
            last_pid = 2;
        int used = 0;
        struct task_struct *p;
        for_each_task(p) {
            if (p->pid == last_pid || p->pgrp == last_pid || p->session == last_pid) {
                used = 1;
                break;
            }
        }
        if (!used)
            return last_pid;
    }
}

int last_pid_used(void)
{
    return last_pid;
}

/* The task lets go of its mm (exec or exit): a vfork parent goes on. */
void mm_release(void)
{
    struct task_struct *tsk = current, *parent = tsk->vfork_parent;
    if (parent) {
        tsk->vfork_parent = NULL;
        parent->vfork_done = 1;
        wake_up_process(parent);
    }
}

/* Copy the current task into a new one, not yet runnable nor listed. */
static struct task_struct *copy_process(unsigned long clone_flags, struct pt_regs *regs)
{
    struct task_struct *p = alloc_task_struct();
    if (!p)
        return NULL;
    unlazy_fpu(current);                /* the child starts with the parent's FPU registers */
    *p = *current;
    p->state = TASK_RUNNING;
    p->need_resched = 0;
    p->flags &= ~PF_EXITING;
    p->pid = get_pid();
    p->counter = DEF_COUNTER;
    p->exit_code = 0;
    p->timeout = 0;
    p->magic = STACK_MAGIC;
    memset(&p->ru, 0, sizeof p->ru);
    INIT_LIST_HEAD(&p->children);
    p->p_pptr = current;
    p->leader = 0;                      /* a session leader's children are not leaders */
    p->exit_signal = clone_flags & CSIGNAL;
    p->pending = 0;
    p->restore_blocked = 0;
    p->it_real_value = p->it_real_incr = 0;
    p->utime = p->stime = p->cutime = p->cstime = 0;
    p->start_time = jiffies;
    p->clear_child_tid = p->set_child_tid = 0;
    p->vfork_parent = NULL;
    p->vfork_done = 0;
    p->stop_code = p->continued = 0;
    p->thread.fpu_loaded = 0;
    memset(p->syscalls_seen, 0, sizeof p->syscalls_seen);
    p->sig = NULL;

    p->files = NULL;
    p->pwd = NULL;
    if (clone_flags & CLONE_KTHREAD) {
        p->flags |= PF_KTHREAD;
        p->mm = p->active_mm = NULL;
        p->thread.used_math = 0;
    } else if (clone_flags & CLONE_VM) {   /* vfork: the parent's mm, until exec or exit */
        if (copy_sighand(p, current))
            goto fail;
        if (current->files && !(p->files = dup_files(current->files)))
            goto fail;
        if (current->pwd)
            p->pwd = igrab(current->pwd);
        p->mm = p->active_mm = current->mm;
        p->mm->mm_users++;
    } else {
        if (copy_sighand(p, current))
            goto fail;
        if (current->files && !(p->files = dup_files(current->files)))
            goto fail;
        if (current->pwd)
            p->pwd = igrab(current->pwd);
        struct mm_struct *oldmm = current->mm, *mm = mm_alloc();
        if (!mm)
            goto fail;
        mm->pid = p->pid;
        mm->start_code = oldmm->start_code;
        mm->end_code = oldmm->end_code;
        mm->start_data = oldmm->start_data;
        mm->end_data = oldmm->end_data;
        mm->start_brk = oldmm->start_brk;
        mm->brk = oldmm->brk;
        mm->start_stack = oldmm->start_stack;
        mm->arg_start = oldmm->arg_start;
        mm->arg_end = oldmm->arg_end;
        mm->env_start = oldmm->env_start;
        mm->env_end = oldmm->env_end;
        if (oldmm->exe_path && (mm->exe_path = kmalloc(strlen(oldmm->exe_path) + 1, GFP_KERNEL)))
            strcpy(mm->exe_path, oldmm->exe_path);
        mm->total_vm = oldmm->total_vm;
        if (dup_mmap(mm, oldmm)) {
            mmput(mm);
            goto fail;
        }
        p->ru.ru_maxrss = mm->rss;
        p->mm = p->active_mm = mm;
    }
    struct pt_regs *childregs = task_pt_regs(p);
    *childregs = *regs;
    childregs->eax = 0;
    p->thread.esp0 = (unsigned long)p + THREAD_SIZE;
    return p;
fail:
    put_files(p->files);
    iput(p->pwd);
    exit_sighand(p);
    free_task_struct(p);
    return NULL;
}

/* Push the switch frame switch_to_asm will pop: EDI ESI EBX EBP, return. */
static void setup_switch_frame(struct task_struct *p, void (*ret)(void),
                               unsigned long ebx, unsigned long esi)
{
    unsigned long *sp = (unsigned long *)task_pt_regs(p);
    *--sp = (unsigned long)ret;
    *--sp = 0;          /* ebp */
    *--sp = ebx;
    *--sp = esi;
    *--sp = 0;          /* edi */
    p->thread.esp = (unsigned long)sp;
}

/* Make a new task visible: in its parent's children and in task_list
 * (so schedule() can pick it), and announce it. */
static void wake_up_new(struct task_struct *p)
{
    list_add_tail(&p->p_sibling, &current->children);
    list_add_tail(&p->tasks, &task_list);
    annot_proc_create(p->pid, current->pid, p->comm);
}

/* clone flags glibc uses: fork (CHILD_SETTID|CHILD_CLEARTID|SIGCHLD) and
 * posix_spawn/system (VM|VFORK|SIGCHLD); threads are not modelled. */
#define CLONE_SUPPORTED (CSIGNAL | CLONE_VM | CLONE_VFORK | CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID | \
                         CLONE_PARENT_SETTID)

long do_fork(unsigned long clone_flags, unsigned long newsp, struct pt_regs *regs, int *parent_tidptr,
             int *child_tidptr)
{
    if ((clone_flags & ~CLONE_SUPPORTED) || ((clone_flags & CLONE_VM) && !(clone_flags & CLONE_VFORK)))
        return -EINVAL;
    struct task_struct *p = copy_process(clone_flags, regs);
    if (!p)
        return -ENOMEM;
    if (newsp)
        task_pt_regs(p)->esp = newsp;
    if ((clone_flags & CLONE_PARENT_SETTID) && put_user_u32(p->pid, parent_tidptr)) {
        /* as Linux: the child exists; the parent's copy of its tid failed */
    }
    if (clone_flags & CLONE_CHILD_CLEARTID)
        p->clear_child_tid = (unsigned long)child_tidptr;
    setup_switch_frame(p, ret_from_fork, 0, 0);
    if (clone_flags & CLONE_CHILD_SETTID)
        p->set_child_tid = (unsigned long)child_tidptr;    /* the child writes it (finish_task_switch) */
    int pid = p->pid;
    if (clone_flags & CLONE_VFORK) {
        p->vfork_parent = current;
        current->vfork_done = 0;
    }
    wake_up_new(p);
    if (clone_flags & CLONE_VFORK) {    /* sleep until the child execs or exits */
        for (;;) {
            cli();
            current->state = TASK_UNINTERRUPTIBLE;
            if (current->vfork_done)
                break;
            schedule();
        }
        current->state = TASK_RUNNING;
        sti();
    }
    return pid;
}

long sys_fork(void)
{
    return do_fork(SIGCHLD, 0, task_pt_regs(current), NULL, NULL);
}

long sys_vfork(void)
{
    return do_fork(CLONE_VM | CLONE_VFORK | SIGCHLD, 0, task_pt_regs(current), NULL, NULL);
}

/* clone(flags, newsp, parent_tidptr, tls, child_tidptr): i386's order. */
long sys_clone(unsigned long flags, unsigned long newsp, int *parent_tidptr, unsigned long tls, int *child_tidptr)
{
    (void)tls;
    return do_fork(flags, newsp, task_pt_regs(current), parent_tidptr, child_tidptr);
}

int kernel_thread(int (*fn)(void *), void *arg, const char *name)
{
    struct pt_regs regs;
    memset(&regs, 0, sizeof regs);
    struct task_struct *p = copy_process(CLONE_KTHREAD, &regs);
    if (!p)
        return -ENOMEM;
    strlcpy(p->comm, name, TASK_COMM_LEN);
    setup_switch_frame(p, kernel_thread_start, (unsigned long)fn, (unsigned long)arg);
    wake_up_new(p);
    return p->pid;
}
