/* Signals (Linux 2.4's kernel/signal.c and arch/i386/kernel/signal.c):
 * pending and blocked sets per task, one queued instance per signal
 * (real-time signals do not queue more), delivery on the way back to user
 * mode with Linux/i386's sigframe and rt_sigframe, and the default
 * actions: terminate, stop, continue, ignore.
 *
 * A task sleeping interruptibly is woken by a signal it does not block; the
 * call it was in returns -ERESTARTSYS (restarted when the handler has
 * SA_RESTART, or when no handler runs), -ERESTARTNOHAND (restarted only
 * when no handler runs) or -EINTR. */
#ifndef VMSCOPE_GUEST_SIGNAL_H
#define VMSCOPE_GUEST_SIGNAL_H

#include <kernel.h>
#include <uapi/signal.h>

struct task_struct;
struct pt_regs;

#define ERESTARTSYS     512
#define ERESTARTNOINTR  513
#define ERESTARTNOHAND  514

#define sigmask(sig) (1ULL << ((sig) - 1))
/* Signals a task cannot block or catch. */
#define SIG_UNCATCHABLE (sigmask(SIGKILL) | sigmask(SIGSTOP))
#define SIG_STOPS (sigmask(SIGSTOP) | sigmask(SIGTSTP) | sigmask(SIGTTIN) | sigmask(SIGTTOU))

struct k_sigaction {
    unsigned long handler;      /* SIG_DFL, SIG_IGN or a user address */
    unsigned long flags;        /* SA_* */
    unsigned long restorer;
    unsigned long long mask;    /* blocked while the handler runs */
};

/* What a pending signal carries (its siginfo, compactly). */
struct ksiginfo {
    int code;                   /* si_code */
    int pid;                    /* sender, or the child for SIGCHLD */
    int status;                 /* SIGCHLD: exit code or signal */
    unsigned long addr;         /* faults: si_addr */
    int forced;                 /* a fault's (force_sig_fault): reaches init too, and
                                   the task's exit reason is already written */
};

/* Per task: the actions, and the info of each pending signal. */
struct sig_state {
    struct k_sigaction action[_NSIG];
    struct ksiginfo info[_NSIG];
};

/* kernel/signal.c */
/* A new task's signal state: a copy of parent's (fork), or defaults
 * (parent NULL). 0 or -ENOMEM. */
int copy_sighand(struct task_struct *p, struct task_struct *parent);
void exit_sighand(struct task_struct *p);
/* exec: caught signals go back to their default action. */
void flush_signal_handlers(struct task_struct *t);
/* Send sig to t with info (NULL: from the kernel, SI_KERNEL). 0 or -errno. */
int send_sig_info(int sig, const struct ksiginfo *info, struct task_struct *t);
int send_sig(int sig, struct task_struct *t, int from_kernel);
/* Every process of process group pgrp: 0 when one was signalled, else -ESRCH. */
int kill_pg(int pgrp, int sig, int from_kernel);
/* A synchronous signal of the current task (a fault): unblocked and, if it
 * is ignored, reset to the default, so it is delivered. reason (printf
 * format) is what wait4 reports when it kills. */
void force_sig_fault(int sig, int code, unsigned long addr, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* The OOM killer's SIGKILL to t, with wait4's reason "SIGKILL: out of memory". */
void oom_kill_task(struct task_struct *t);
/* On the way to user mode: deliver what is pending and not blocked. */
void do_signal(struct pt_regs *regs);
/* A child changed state (exit, stop, continue): SIGCHLD to its parent. */
void do_notify_parent(struct task_struct *child, int why, int status);
/* Is sig ignored by t (SIG_IGN, or SIG_DFL with an ignoring default)? */
int sig_ignored(struct task_struct *t, int sig);
/* The name of a signal ("SIGSEGV"), or "signal N" in buf. */
const char *signal_name(int sig, char *buf);
/* ITIMER_REAL and alarm: called by the tick. */
void it_real_tick(void);

#endif
