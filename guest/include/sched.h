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
#define TASK_STOPPED         8

#define PF_KTHREAD  0x1        /* kernel thread: no user address space */
#define PF_EXITING  0x2
#define PF_MEMALLOC 0x4        /* reclaiming memory: may use the reserve, must not recurse */

#define GDT_ENTRY_TLS_ENTRIES 3

struct desc_struct { u32 a, b; };

/* FNSAVE's 108-byte image (32-bit protected-mode format). */
struct i387_fsave_struct {
    u32 cwd, swd, twd, fip, fcs, foo, fos;
    u8 st_space[80];
};

struct thread_struct {
    unsigned long esp;         /* saved kernel stack pointer (switch_to) */
    unsigned long esp0;        /* top of the kernel stack: TSS.esp0 */
    struct desc_struct tls_array[GDT_ENTRY_TLS_ENTRIES];   /* set_thread_area's GDT entries */
    struct i387_fsave_struct i387;  /* the FPU registers while not loaded */
    int used_math;             /* i387 holds this task's FPU state (it has used the FPU) */
    int fpu_loaded;            /* the FPU registers are this task's now (TS clear) */
};

struct sig_state;
struct tty_struct;

/* Linux's struct rusage (getrusage, wait4): times and the fault counts. */
struct linux_rusage {
    struct { long tv_sec, tv_usec; } ru_utime, ru_stime;
    long ru_maxrss, ru_ixrss, ru_idrss, ru_isrss, ru_minflt, ru_majflt, ru_nswap, ru_inblock, ru_oublock,
         ru_msgsnd, ru_msgrcv, ru_nsignals, ru_nvcsw, ru_nivcsw;
};

/* getrlimit/setrlimit/prlimit64's limits, kept per task and inherited at
 * fork; the kernel enforces RLIMIT_NOFILE (fds below rlim_cur). */
#define RLIM_NLIMITS 16
#define RLIMIT_NOFILE 7
struct rlimit64 { unsigned long long cur, max; };

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
    struct files_struct *files;        /* open files (NULL for kernel threads) */
    struct inode *pwd;                 /* working directory (NULL: the root) */
    /* Linux ABI state (issue: real programs) */
    int pgrp, session, leader;         /* process group, session, session leader */
    struct tty_struct *tty;            /* controlling terminal, or NULL */
    int exit_signal;                   /* sent to the parent at exit (SIGCHLD, or clone's) */
    struct sig_state *sig;             /* signal actions and pending signals' info */
    unsigned long long pending, blocked;    /* signals pending / blocked (bit n-1: signal n) */
    unsigned long long saved_blocked;  /* sigsuspend's mask to restore after the handler */
    int restore_blocked;               /* saved_blocked is set */
    unsigned long sas_ss_sp, sas_ss_size;   /* sigaltstack */
    unsigned long it_real_value, it_real_incr;  /* ITIMER_REAL: jiffies it fires at, interval */
    unsigned long utime, stime;        /* ticks in user and kernel mode */
    unsigned long cutime, cstime;      /* reaped children's */
    unsigned long start_time;          /* jiffies at fork */
    unsigned long clear_child_tid;     /* set_tid_address: zeroed at exit */
    unsigned long set_child_tid;       /* clone's CHILD_SETTID: the child writes its pid there first */
    struct task_struct *vfork_parent;  /* vfork: parent sleeping until our exec or exit */
    int vfork_done;                    /* (in the parent) the child let go of the mm */
    int stop_code;                     /* stopped: the signal, until wait4 reports it */
    int continued;                     /* SIGCONT woke it, until wait4 reports it */
    unsigned umask;
    struct rlimit64 rlim[RLIM_NLIMITS];
    int kernel_ds;                     /* set_fs(KERNEL_DS): user copies may reach kernel memory */
    unsigned long syscalls_seen[16];   /* nosys reported once per call number (0..511) */
    unsigned long magic;               /* STACK_MAGIC: overflow check */
};

#define STACK_MAGIC 0x57AC6E9Dul

/* SIGKILL is pending: the task is dying (the OOM killer chose it). */
static inline int fatal_signal_pending(struct task_struct *t)
{
    return (t->pending & (1ULL << 8)) != 0;
}

/* A signal t does not block is waiting (include/signal.h). */
static inline int signal_pending(struct task_struct *t)
{
    return (t->pending & ~t->blocked) != 0;
}

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
void rlimit_init(struct task_struct *t);     /* Linux's initial limits */
unsigned task_nofile(void);                 /* current's fd bound: min(NR_OPEN, RLIMIT_NOFILE) */
/* Pick the next runnable task and switch to it. Process context, never from
 * an interrupt handler. Returns when this task is picked again. */
void schedule(void);
/* Make p runnable if it sleeps (any context); a stopped task stays stopped. */
void wake_up_process(struct task_struct *p);
/* SIGCONT and SIGKILL: a stopped task runs again. */
void wake_up_stopped(struct task_struct *p);
/* Sleep for ticks (TASK_INTERRUPTIBLE), or until a signal is pending: the
 * ticks left (0 when the time ran out). */
long schedule_timeout(unsigned long ticks);
/* Called by the PIT tick. */
void do_timer(struct pt_regs *regs);
void cpu_idle(void) noreturn;

/* kernel/fork.c */
/* Create a task. clone_flags: SIGCHLD for fork (copy the address space),
 * CLONE_VM|CLONE_VFORK|SIGCHLD for vfork, CLONE_KTHREAD for a kernel
 * thread. Returns the child's pid or a negative errno. */
#define CSIGNAL              0x000000ff
#define CLONE_VM             0x00000100
#define CLONE_FS             0x00000200
#define CLONE_FILES          0x00000400
#define CLONE_SIGHAND        0x00000800
#define CLONE_VFORK          0x00004000
#define CLONE_PARENT         0x00008000
#define CLONE_THREAD         0x00010000
#define CLONE_SETTLS         0x00080000
#define CLONE_PARENT_SETTID  0x00100000
#define CLONE_CHILD_CLEARTID 0x00200000
#define CLONE_CHILD_SETTID   0x01000000
#define CLONE_KTHREAD        0x80000000u    /* vmscope-internal: a kernel thread */
long do_fork(unsigned long clone_flags, unsigned long newsp, struct pt_regs *regs,
             int *parent_tidptr, int *child_tidptr);
/* Start a kernel thread running fn(arg); pid or negative errno. */
int kernel_thread(int (*fn)(void *), void *arg, const char *name);
/* An 8 KiB (order-1) block: task_struct at the bottom, kernel stack above. */
struct task_struct *alloc_task_struct(void);
void free_task_struct(struct task_struct *p);

/* kernel/exit.c */
/* End the current task with wait status code. Never returns. */
void do_exit(long code) noreturn;
/* current's exit reason (rusage ru_reason): "SIGNAME: " and fmt. */
void exit_reason(int sig, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* Kill the current task with signal sig at once, whatever its handlers
 * (exec past its point of no return); reason goes to the parent's wait4. */
void kill_current(int sig, const char *fmt, ...) noreturn __attribute__((format(printf, 2, 3)));
/* The task's session leader exited or dropped its terminal. */
void disassociate_ctty(int on_exit);
/* A dead task nobody will reap is freed by the next task to run. */
void free_dead_task(void);
/* vfork: the task let go of its parent's mm (exec or exit). */
void mm_release(void);
/* Tasks by pid (NULL when none). */
struct task_struct *find_task_by_pid(int pid);
#define for_each_task(p) list_for_each_entry(p, &task_list, tasks)
/* Reap a zombie child (Linux's wait4: pid > 0 that one, 0 our group, -1
 * any, < -1 group -pid). Returns its pid, 0 (WNOHANG, none ready) or
 * -errno; fills status and the child's Linux rusage. */
long sys_wait4(int pid, int *stat_addr, int options, struct linux_rusage *ru);

/* kernel/exec.c */
/* Replace the current program by filename from the initrd. argv (and
 * filename) are user pointers unless argv_in_kernel. On success regs is set
 * to enter the new program and 0 is returned; errors before the point of no
 * return come back as negative errnos, later ones kill the task. */
long do_execve(const char *filename, char *const argv[], char *const envp[], int argv_in_kernel,
               struct pt_regs *regs);

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
