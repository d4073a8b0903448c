/* Tasks and the scheduler (Linux 2.4's include/linux/sched.h, simplified).
 *
 * Each task's task_struct sits at the bottom of its 8 KiB kernel stack (an
 * order-1 block), so `current` is the stack pointer rounded down. The kernel
 * is not preemptive: a task switches only in schedule(), which the return
 * path to user mode calls when need_resched is set (by the PIT tick when the
 * time slice is used up, or by a wake-up). */
#ifndef VMSCOPE_GUEST_SCHED_H
#define VMSCOPE_GUEST_SCHED_H

#include <kernel.h>
#include <i387.h>
#include <list.h>
#include <mm.h>
#include <ptrace.h>
#include <uapi/vmstat.h>

#define THREAD_SIZE 8192
#define TASK_COMM_LEN 16
#define HZ 100
#define DEF_COUNTER 5          /* ticks per time slice (50 ms) */

#define TASK_RUNNING         0
#define TASK_INTERRUPTIBLE   1
#define TASK_UNINTERRUPTIBLE 2
#define TASK_ZOMBIE          4

#define PF_KTHREAD  0x1        /* kernel thread: no user address space */
#define PF_EXITING  0x2
#define PF_MEMALLOC 0x4        /* reclaiming memory: may use the reserve, must not recurse */

struct thread_struct {
    unsigned long esp;         /* saved kernel stack pointer (switch_to) */
    unsigned long esp0;        /* top of the kernel stack: TSS.esp0 */
    struct i387_state i387;    /* the FPU state (kernel/i387.c) */
};

struct task_struct {
    volatile long state;               /* TASK_* */
    unsigned long flags;               /* PF_* */
    int need_resched;                  /* reschedule before returning to user */
    long counter;                      /* ticks left in the time slice */
    int pid;
    char comm[TASK_COMM_LEN];          /* program name */
    struct mm_struct *mm;              /* address space; NULL for kernel threads */
    struct mm_struct *active_mm;       /* the one loaded in CR3 (lazy TLB for kthreads) */
    struct thread_struct thread;
    struct task_struct *p_pptr;        /* parent */
    struct list_head children;         /* our children (p_sibling links) */
    struct list_head p_sibling;        /* in the parent's children */
    struct list_head tasks;            /* all tasks, in creation order */
    int exit_code;                     /* wait status once a zombie */
    unsigned long timeout;             /* jiffies to wake at (0 = none) */
    struct rusage ru;                  /* fault counters (ru_reason: exit reason) */
    int sigkill;                       /* chosen by the OOM killer: dies on its way to user mode */
    struct files_struct *files;        /* open files (NULL for kernel threads) */
    struct inode *pwd;                 /* working directory (NULL: the root) */
    unsigned long magic;               /* STACK_MAGIC: overflow check */
};

#define STACK_MAGIC 0x57AC6E9Dul

union task_union {
    struct task_struct task;
    unsigned long stack[THREAD_SIZE / sizeof(long)];
};

extern union task_union init_task_union;   /* pid 0: the boot and idle task */
#define init_task (init_task_union.task)
extern struct list_head task_list;          /* all tasks */
extern struct task_struct *child_reaper;    /* init: adopts orphans */
extern volatile unsigned long jiffies;

static inline struct task_struct *get_current(void)
{
    unsigned long esp;
    __asm__("movl %%esp, %0" : "=r"(esp));
    return (struct task_struct *)(esp & ~(THREAD_SIZE - 1));
}
#define current get_current()

/* Registers saved at the top of a task's kernel stack on entry from user mode. */
#define task_pt_regs(t) ((struct pt_regs *)((char *)(t) + THREAD_SIZE) - 1)

void sched_init(void);
/* Pick the next runnable task and switch to it. Process context, never from
 * an interrupt handler. Returns when this task is picked again. */
void schedule(void);
/* Make p runnable (any context). */
void wake_up_process(struct task_struct *p);
/* Sleep for ticks (TASK_INTERRUPTIBLE). */
void schedule_timeout(unsigned long ticks);
/* Called by the PIT tick. */
void do_timer(struct pt_regs *regs);
void cpu_idle(void) noreturn;

/* kernel/fork.c */
/* Create a task. clone_flags: 0 for fork (copy the address space), CLONE_VM
 * for a kernel thread. Returns the child's pid or a negative errno. */
#define CLONE_VM 0x100
long do_fork(unsigned long clone_flags, struct pt_regs *regs);
/* Start a kernel thread running fn(arg); pid or negative errno. */
int kernel_thread(int (*fn)(void *), void *arg, const char *name);
/* An 8 KiB (order-1) block: task_struct at the bottom, kernel stack above. */
struct task_struct *alloc_task_struct(void);
void free_task_struct(struct task_struct *p);

/* kernel/exit.c */
/* End the current task with wait status code. Never returns. */
void do_exit(long code) noreturn;
/* Kill the current task with signal sig; reason goes to the parent's wait4. */
void force_sig(int sig, const char *fmt, ...) noreturn __attribute__((format(printf, 2, 3)));
/* Reap a zombie child (pid > 0: that one; -1: any). Returns its pid, 0
 * (WNOHANG, none ready) or -ECHILD; fills status and the child's counters. */
long sys_wait4(int pid, int *stat_addr, int options, struct rusage *ru);

/* kernel/exec.c */
/* Replace the current program by filename from the initrd. argv (and
 * filename) are user pointers unless argv_in_kernel. On success regs is set
 * to enter the new program and 0 is returned; errors before the point of no
 * return come back as negative errnos, later ones kill the task. */
long do_execve(const char *filename, char *const argv[], int argv_in_kernel, struct pt_regs *regs);

/* boot/entry.S */
/* First return of a forked task / kernel thread; leaving the kernel via
 * regs; the stack switch (callee-saved registers, ESP; returns on next). */
void ret_from_fork(void);
void kernel_thread_start(void);
void ret_to_user(struct pt_regs *regs) noreturn;
void switch_to_asm(struct thread_struct *prev, struct thread_struct *next);

/* kernel/traps.c */
/* IDT and TSS setup; the ring-0 stack for the next entry from ring 3;
 * print registers; oops: print and end the machine with EXIT_OOPS. */
void trap_init(void);
void set_tss_esp0(unsigned long esp0);
void show_regs(struct pt_regs *regs);
void die(const char *str, struct pt_regs *regs, long err) noreturn;

/* mm/fault.c */
/* #PF: see the top of mm/fault.c. */
void do_page_fault(struct pt_regs *regs, unsigned long error_code);

/* switch CR3 to next's page directory */
void switch_mm(struct mm_struct *prev, struct mm_struct *next);
/* Called first by a task that was switched to (ret_from_fork). */
void finish_task_switch(void);

#endif
