/* Ending tasks and reaping them (Linux 2.4's kernel/exit.c). do_exit drops
 * the address space (the last user unmaps everything and frees the page
 * tables; the page directory goes when the CPU has switched away), gives
 * the children to init, becomes a zombie and wakes the parent, whose wait4
 * collects the status and the fault counters and frees the kernel stack. */
#include <kernel.h>
#include <annotate.h>
#include <fs.h>
#include <io.h>
#include <sched.h>
#include <uaccess.h>
#include <uapi/wait.h>

/* The name of a signal the kernel kills with. */
static const char *signame(int sig)
{
    switch (sig) {
    case SIGILL: return "SIGILL";
    case SIGTRAP: return "SIGTRAP";
    case SIGBUS: return "SIGBUS";
    case SIGFPE: return "SIGFPE";
    case SIGKILL: return "SIGKILL";
    case SIGSEGV: return "SIGSEGV";
    default: return "signal";
    }
}

/* Drop tsk's address space; tsk keeps it as active_mm (lazy TLB) until
 * schedule() switches away and drops that reference. */
static void exit_mm(struct task_struct *tsk)
{
    struct mm_struct *mm = tsk->mm;
    if (!mm)
        return;
    mm->mm_count++;             /* active_mm keeps it until we switch away */
    tsk->mm = NULL;
    mmput(mm);
}

/* Give tsk's children to init; wake init if one is already a zombie. */
static void forget_original_parent(struct task_struct *tsk)
{
    int zombie = 0;
    while (!list_empty(&tsk->children)) {
        struct task_struct *c = list_entry(tsk->children.next, struct task_struct, p_sibling);
        list_del(&c->p_sibling);
        c->p_pptr = child_reaper;
        list_add_tail(&c->p_sibling, &child_reaper->children);
        zombie |= c->state == TASK_ZOMBIE;
    }
    if (zombie)
        wake_up_process(child_reaper);
}

void do_exit(long code)
{
    struct task_struct *tsk = current;
    if (tsk == child_reaper) {
        printk("Kernel panic: Attempted to kill init (status %04lx: %s)\n", code, tsk->ru.ru_reason);
        machine_power_off(EXIT_INIT_DIED);
    }
    if (tsk->pid == 0)
        panic("do_exit: the idle task");
    tsk->flags |= PF_EXITING;
    exit_mm(tsk);
    put_files(tsk->files);
    tsk->files = NULL;
    iput(tsk->pwd);
    tsk->pwd = NULL;
    forget_original_parent(tsk);
    cli();
    tsk->exit_code = code;
    tsk->state = TASK_ZOMBIE;
    annot_exit(tsk->pid, code);
    wake_up_process(tsk->p_pptr);
    schedule();
    panic("do_exit: zombie pid %d was scheduled", tsk->pid);
}

/* kernel_thread_start: fn returned */
void kthread_exit(int ret)
{
    do_exit((ret & 0xff) << 8);
}

void force_sig(int sig, const char *fmt, ...)
{
    struct task_struct *tsk = current;
    int n = snprintf(tsk->ru.ru_reason, EXIT_REASON_LEN, "%s: ", signame(sig));
    va_list ap;
    va_start(ap, fmt);
    if (n < EXIT_REASON_LEN)
        vsnprintf(tsk->ru.ru_reason + n, EXIT_REASON_LEN - n, fmt, ap);
    va_end(ap);
    do_exit(sig);
}

/* Unlink a reaped zombie and free its task_struct and kernel stack. The
 * zombie must have switched away already (it has: we are running). */
static void release_task(struct task_struct *p)
{
    list_del(&p->p_sibling);
    list_del(&p->tasks);
    free_task_struct(p);
}

long sys_wait4(int pid, int *stat_addr, int options, struct rusage *ru)
{
    struct task_struct *tsk = current;
    for (;;) {
        int flag = 0;
        tsk->state = TASK_INTERRUPTIBLE;
        struct list_head *l;
        list_for_each(l, &tsk->children) {
            struct task_struct *p = list_entry(l, struct task_struct, p_sibling);
            if (pid > 0 && p->pid != pid)
                continue;
            flag = 1;
            if (p->state != TASK_ZOMBIE)
                continue;
            tsk->state = TASK_RUNNING;
            long retval = p->pid;
            int status = p->exit_code;
            if (ru && copy_to_user(ru, &p->ru, sizeof p->ru))
                retval = -EFAULT;
            if (stat_addr && copy_to_user(stat_addr, &status, sizeof status))
                retval = -EFAULT;
            release_task(p);
            return retval;
        }
        if (!flag || (options & WNOHANG)) {
            tsk->state = TASK_RUNNING;
            return flag ? 0 : -ECHILD;
        }
        if (tsk->sigkill) {
            tsk->state = TASK_RUNNING;
            return -EINTR;              /* killed: leave, and die on the way out */
        }
        schedule();
    }
}
