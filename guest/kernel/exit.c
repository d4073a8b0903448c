/* Ending tasks and reaping them (Linux 2.4's kernel/exit.c). do_exit drops
 * the address space (the last user unmaps everything and frees the page
 * tables; the page directory goes when the CPU has switched away), closes
 * the files, gives the children to init, becomes a zombie and tells the
 * parent (its exit signal, normally SIGCHLD), whose wait4 collects the
 * status and the counters and frees the kernel stack. A parent that
 * ignores SIGCHLD (SIG_IGN or SA_NOCLDWAIT) leaves no zombies.
 *
 * pid 1 never ends: when it tries, the machine ends. For the test runner
 * that is a kernel panic; for an init= program, the exit status S becomes
 * guest status min(S, 63), or 64 + min(N, 63) when signal N killed it
 * (DESIGN.md "The guest kernel's command line"). */
#include <kernel.h>
#include <annotate.h>
#include <fs.h>
#include <i387.h>
#include <io.h>
#include <sched.h>
#include <signal.h>
#include <tty.h>
#include <uaccess.h>
#include <uapi/wait.h>

int init_is_user_program;       /* init= was given: pid 1's end is the machine's status */

struct task_struct *find_task_by_pid(int pid)
{
    struct task_struct *p;
    for_each_task(p)
        if (p->pid == pid && p->pid > 0)
            return p;
    return NULL;
}

/* Drop tsk's address space; tsk keeps it as active_mm (lazy TLB) until
 * schedule() switches away and drops that reference. */
static void exit_mm(struct task_struct *tsk)
{
    struct mm_struct *mm = tsk->mm;
    if (!mm)
        return;
    mm_release();
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

/* pid 1 ends: the machine ends with it. */
static noreturn void init_exit(struct task_struct *tsk, long code)
{
    if (!init_is_user_program) {
        printk("Kernel panic: Attempted to kill init (status %04lx: %s)\n", code, tsk->ru.ru_reason);
        machine_power_off(EXIT_INIT_DIED);
    }
    u32 v;
    char name[16];
    if (code & 0x7f) {
        int sig = code & 0x7f;
        printk("init: killed by %s\n", signal_name(sig, name));
        v = 64 + min(sig, 63);
    } else {
        int s = (code >> 8) & 0xff;
        if (s >= 63)
            printk("init: exit status %d\n", s);
        v = min(s, 63);
    }
    sync_and_leave();
    print_syscall_counts();
    machine_power_off(v);
}

/* Does tsk's parent want no zombie of it (SIGCHLD ignored or SA_NOCLDWAIT)? */
static int parent_ignores_exit(struct task_struct *tsk)
{
    struct task_struct *parent = tsk->p_pptr;
    if (!parent || !parent->sig || parent == child_reaper || tsk->exit_signal != SIGCHLD)
        return 0;
    struct k_sigaction *ka = &parent->sig->action[SIGCHLD - 1];
    return ka->handler == SIG_IGN || (ka->flags & SA_NOCLDWAIT);
}

/* A task that died with no one to reap it is freed by the next task to
 * run, once the CPU has left its stack (schedule, finish_task_switch). */
static struct task_struct *dead_task;

void free_dead_task(void)
{
    struct task_struct *p = dead_task;
    if (p && p != current) {
        dead_task = NULL;
        list_del(&p->tasks);
        exit_sighand(p);
        free_task_struct(p);
    }
}

void do_exit(long code)
{
    struct task_struct *tsk = current;
    if (tsk == child_reaper)
        init_exit(tsk, code);
    if (tsk->pid == 0)
        panic("do_exit: the idle task");
    tsk->flags |= PF_EXITING;
    tsk->it_real_value = 0;
    if (tsk->clear_child_tid && tsk->mm) {
        put_user_u32(0, (void *)tsk->clear_child_tid);     /* futex wake: no threads to wake */
        tsk->clear_child_tid = 0;
    }
    clear_fpu(tsk);
    exit_mm(tsk);
    put_files(tsk->files);
    tsk->files = NULL;
    iput(tsk->pwd);
    tsk->pwd = NULL;
    if (tsk->leader)
        disassociate_ctty(1);
    forget_original_parent(tsk);
    cli();
    tsk->exit_code = code;
    tsk->state = TASK_ZOMBIE;
    annot_exit(tsk->pid, code);
    int why = (code & 0x7f) ? ((code & 0x80) ? CLD_DUMPED : CLD_KILLED) : CLD_EXITED;
    if (parent_ignores_exit(tsk)) {
        list_del(&tsk->p_sibling);
        INIT_LIST_HEAD(&tsk->p_sibling);
        wake_up_process(tsk->p_pptr);   /* a wait4 may now find no children */
        free_dead_task();
        dead_task = tsk;
    } else {
        do_notify_parent(tsk, why, (code & 0x7f) ? (code & 0x7f) : (code >> 8) & 0xff);
    }
    schedule();
    panic("do_exit: zombie pid %d was scheduled", tsk->pid);
}

/* kernel_thread_start: fn returned */
void kthread_exit(int ret)
{
    do_exit((ret & 0xff) << 8);
}

void exit_reason(int sig, const char *fmt, va_list ap)
{
    struct task_struct *tsk = current;
    char name[16];
    int n = snprintf(tsk->ru.ru_reason, EXIT_REASON_LEN, "%s: ", signal_name(sig, name));
    if (n < EXIT_REASON_LEN)
        vsnprintf(tsk->ru.ru_reason + n, EXIT_REASON_LEN - n, fmt, ap);
}

void kill_current(int sig, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    exit_reason(sig, fmt, ap);
    va_end(ap);
    do_exit(sig);
}

long sys_exit(int status)
{
    do_exit((status & 0xff) << 8);
}

long sys_exit_group(int status)
{
    do_exit((status & 0xff) << 8);
}

/* Unlink a reaped zombie and free its task_struct and kernel stack. The
 * zombie must have switched away already (it has: we are running). */
static void release_task(struct task_struct *p)
{
    list_del(&p->p_sibling);
    list_del(&p->tasks);
    exit_sighand(p);
    free_task_struct(p);
}

/* Does child p match wait4's pid argument? */
static int wait_match(struct task_struct *p, int pid)
{
    if (pid > 0)
        return p->pid == pid;
    if (pid == 0)
        return p->pgrp == current->pgrp;
    if (pid < -1)
        return p->pgrp == -pid;
    return 1;
}

enum { RU_SELF, RU_CHILDREN, RU_REAPED };

/* The Linux struct rusage of p itself, of its reaped children, or of a
 * reaped child (itself and its own reaped children): times and faults. */
static void fill_linux_rusage(struct linux_rusage *r, const struct task_struct *p, int what)
{
    memset(r, 0, sizeof *r);
    unsigned long ut = what == RU_SELF ? p->utime : what == RU_CHILDREN ? p->cutime : p->utime + p->cutime;
    unsigned long st = what == RU_SELF ? p->stime : what == RU_CHILDREN ? p->cstime : p->stime + p->cstime;
    r->ru_utime.tv_sec = ut / HZ;
    r->ru_utime.tv_usec = (ut % HZ) * (1000000 / HZ);
    r->ru_stime.tv_sec = st / HZ;
    r->ru_stime.tv_usec = (st % HZ) * (1000000 / HZ);
    r->ru_maxrss = p->ru.ru_maxrss * (PAGE_SIZE / 1024);
    r->ru_minflt = p->ru.ru_minflt;
    r->ru_majflt = p->ru.ru_majflt;
}

/* wait4 and the vmscope form (vm != 0: ru is a struct rusage of
 * uapi/vmstat.h with the exit reason). */
static long do_wait(int pid, int *stat_addr, int options, void *ru, int vm)
{
    struct task_struct *tsk = current;
    if (options & ~(WNOHANG | WUNTRACED | WCONTINUED | __WNOTHREAD | __WALL | __WCLONE))
        return -EINVAL;
    for (;;) {
        int flag = 0;
        cli();
        tsk->state = TASK_INTERRUPTIBLE;
        struct task_struct *p;
        list_for_each_entry(p, &tsk->children, p_sibling) {
            if (!wait_match(p, pid))
                continue;
            /* Linux 2.4: a child that signals other than SIGCHLD at exit
             * (kernel threads signal nothing) is a "clone" child, waited
             * for only with __WCLONE or __WALL. */
            if (((p->exit_signal != SIGCHLD) ^ ((options & __WCLONE) != 0)) && !(options & __WALL))
                continue;
            flag = 1;
            int status;
            if (p->state == TASK_STOPPED && p->stop_code && (options & WUNTRACED)) {
                status = (p->stop_code << 8) | 0x7f;
                p->stop_code = 0;
            } else if (p->continued && (options & WCONTINUED)) {
                status = 0xffff;
                p->continued = 0;
            } else if (p->state == TASK_ZOMBIE) {
                status = p->exit_code;
            } else {
                continue;
            }
            tsk->state = TASK_RUNNING;
            sti();
            long retval = p->pid;
            if (ru) {
                int bad;
                if (vm) {
                    bad = copy_to_user(ru, &p->ru, sizeof p->ru) != 0;
                } else {
                    struct linux_rusage r;
                    fill_linux_rusage(&r, p, RU_REAPED);
                    bad = copy_to_user(ru, &r, sizeof r) != 0;
                }
                if (bad)
                    retval = -EFAULT;
            }
            if (stat_addr && copy_to_user(stat_addr, &status, sizeof status))
                retval = -EFAULT;
            if (p->state == TASK_ZOMBIE && retval > 0) {
                tsk->cutime += p->utime + p->cutime;
                tsk->cstime += p->stime + p->cstime;
                release_task(p);
            }
            return retval;
        }
        if (!flag || (options & WNOHANG)) {
            tsk->state = TASK_RUNNING;
            sti();
            return flag ? 0 : -ECHILD;
        }
        if (signal_pending(tsk)) {
            tsk->state = TASK_RUNNING;
            sti();
            return -ERESTARTSYS;
        }
        schedule();
        sti();
    }
}

long sys_wait4(int pid, int *stat_addr, int options, struct linux_rusage *ru)
{
    return do_wait(pid, stat_addr, options, ru, 0);
}

long sys_waitpid(int pid, int *stat_addr, int options)
{
    return do_wait(pid, stat_addr, options, NULL, 0);
}

long sys_vm_wait4(int pid, int *stat_addr, int options, struct rusage *ru)
{
    return do_wait(pid, stat_addr, options, ru, 1);
}

long sys_getrusage(int who, struct linux_rusage *ru)
{
    if (who != RUSAGE_SELF && who != RUSAGE_CHILDREN && who != 1)
        return -EINVAL;
    struct linux_rusage r;
    fill_linux_rusage(&r, current, who == RUSAGE_CHILDREN ? RU_CHILDREN : RU_SELF);
    if (who == RUSAGE_CHILDREN)
        r.ru_minflt = r.ru_majflt = r.ru_maxrss = 0;
    return copy_to_user(ru, &r, sizeof r) ? -EFAULT : 0;
}

/* getrusage's vmscope form: the caller's fault counters (uapi/vmstat.h). */
long sys_vm_getrusage(struct rusage *ru)
{
    struct rusage r = current->ru;
    r.ru_reason[0] = 0;
    return copy_to_user(ru, &r, sizeof r) ? -EFAULT : 0;
}
