/* The scheduler (Linux 2.4's kernel/sched.c, reduced to round robin).
 *
 * Every task is on task_list in creation order. schedule() takes the next
 * TASK_RUNNING task after the current one in that order (the idle task,
 * pid 0, only when nothing else can run) and switches to it: address space
 * first (CR3, or lazily keeping the old one for a kernel thread, as Linux's
 * active_mm does), then TSS.esp0, then the stacks (switch_to_asm). Each task
 * runs for DEF_COUNTER ticks of the PIT before do_timer asks for a switch;
 * the switch itself happens on the way back to user mode. */
#include <kernel.h>
#include <annotate.h>
#include <i387.h>
#include <io.h>
#include <sched.h>
#include <segment.h>
#include <signal.h>
#include <uaccess.h>

LIST_HEAD(task_list);
volatile unsigned long jiffies;
struct task_struct *child_reaper = &init_task;

/* Set up pid 0, the task running since head.S. Call once at boot. */
void sched_init(void)
{
    struct task_struct *t = &init_task;
    t->state = TASK_RUNNING;
    t->flags = PF_KTHREAD;
    t->pid = 0;
    strlcpy(t->comm, "swapper", TASK_COMM_LEN);
    t->mm = NULL;
    t->active_mm = &init_mm;
    t->p_pptr = t;
    t->counter = DEF_COUNTER;
    t->thread.esp0 = (unsigned long)t + THREAD_SIZE;
    t->magic = STACK_MAGIC;
    t->umask = 022;                     /* Linux's INIT_FS: every task inherits it */
    rlimit_init(t);
    INIT_LIST_HEAD(&t->children);
    INIT_LIST_HEAD(&t->p_sibling);
    list_add_tail(&t->tasks, &task_list);
}

void switch_mm(struct mm_struct *prev, struct mm_struct *next)
{
    if (prev != next)
        write_cr3(__pa(next->pgd));
}

/* The next runnable task after prev in task_list order, or idle. */
static struct task_struct *pick_next(struct task_struct *prev)
{
    struct list_head *p = prev->tasks.next;
    for (;;) {
        if (p != &task_list) {
            struct task_struct *t = list_entry(p, struct task_struct, tasks);
            if (t != &init_task && t->state == TASK_RUNNING)
                return t;
            if (t == prev)
                break;
        }
        p = p->next;
    }
    return &init_task;
}

void schedule(void)
{
    u32 flags;
    local_irq_save(flags);
    struct task_struct *prev = current;
    if (prev->magic != STACK_MAGIC)
        panic("schedule: kernel stack of pid %d overflowed", prev->pid);
    prev->need_resched = 0;
    struct task_struct *next = pick_next(prev);
    if (next->counter <= 0)
        next->counter = DEF_COUNTER;
    if (next == prev) {
        local_irq_restore(flags);
        return;
    }

    struct mm_struct *mm = next->mm, *oldmm = prev->active_mm;
    if (!mm) {
        next->active_mm = oldmm;        /* lazy TLB: keep the loaded pgd */
        oldmm->mm_count++;
    } else {
        if (next->active_mm != mm)
            panic("schedule: pid %d active_mm is not its mm", next->pid);
        switch_mm(oldmm, mm);
    }
    if (!prev->mm) {
        prev->active_mm = NULL;
        mmdrop(oldmm);
    }
    unlazy_fpu(prev);
    set_tss_esp0(next->thread.esp0);
    unlazy_fpu(prev);                   /* eager save; next restores on its first FPU use (#NM) */
    load_TLS(next);
    annot_ctx_switch(prev->pid, next->pid);
    switch_to_asm(&prev->thread, &next->thread);
    free_dead_task();
    local_irq_restore(flags);
}

void finish_task_switch(void)
{
    struct task_struct *t = current;
    if (t->magic != STACK_MAGIC)
        panic("finish_task_switch: pid %d has a corrupt task_struct", t->pid);
    free_dead_task();
    if (t->set_child_tid) {
        sti();                          /* the write may fault (copy-on-write) and sleep */
        put_user_u32(t->pid, (void *)t->set_child_tid);
        t->set_child_tid = 0;
    }
}

void wake_up_process(struct task_struct *p)
{
    u32 flags;
    local_irq_save(flags);
    if (p->state == TASK_INTERRUPTIBLE || p->state == TASK_UNINTERRUPTIBLE) {
        p->state = TASK_RUNNING;
        current->need_resched = 1;
    }
    local_irq_restore(flags);
}

void wake_up_stopped(struct task_struct *p)
{
    u32 flags;
    local_irq_save(flags);
    if (p->state == TASK_STOPPED) {
        p->state = TASK_RUNNING;
        current->need_resched = 1;
    }
    local_irq_restore(flags);
}

long schedule_timeout(unsigned long ticks)
{
    struct task_struct *tsk = current;
    unsigned long until = jiffies + (ticks ? ticks : 1);
    u32 flags;
    /* other wake-ups (a child exiting) do not cut the sleep short; a
     * signal does */
    while ((long)(jiffies - until) < 0) {
        local_irq_save(flags);
        if (signal_pending(tsk)) {
            local_irq_restore(flags);
            break;
        }
        tsk->timeout = until;
        tsk->state = TASK_INTERRUPTIBLE;
        schedule();
        local_irq_restore(flags);
    }
    tsk->timeout = 0;
    long left = (long)(until - jiffies);
    return left > 0 ? left : 0;
}

void do_timer(struct pt_regs *regs)
{
    jiffies++;
    struct task_struct *me = current;
    if (user_mode(regs))
        me->utime++;
    else if (me != &init_task)
        me->stime++;
    it_real_tick();
    struct list_head *p;
    list_for_each(p, &task_list) {
        struct task_struct *t = list_entry(p, struct task_struct, tasks);
        if (t->timeout && t->state == TASK_INTERRUPTIBLE && (long)(jiffies - t->timeout) >= 0) {
            t->timeout = 0;
            wake_up_process(t);
        }
    }
    struct task_struct *cur = current;
    if (cur == &init_task)
        cur->need_resched = 1;
    else if (--cur->counter <= 0) {
        cur->counter = 0;
        cur->need_resched = 1;
    }
}

/* Is any task but idle runnable? Interrupts off. */
static int nr_running(void)
{
    struct list_head *p;
    list_for_each(p, &task_list) {
        struct task_struct *t = list_entry(p, struct task_struct, tasks);
        if (t != &init_task && t->state == TASK_RUNNING)
            return 1;
    }
    return 0;
}

/* pid 0 after boot: run whatever is runnable, else HLT until an interrupt. */
void cpu_idle(void)
{
    for (;;) {
        cli();
        if (nr_running()) {
            schedule();
            continue;
        }
        __asm__ volatile("sti; hlt" ::: "memory");
    }
}
