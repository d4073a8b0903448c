/* Signals as Linux/i386 numbers and lays them out (asm/signal.h,
 * asm/sigcontext.h, asm-generic/siginfo.h): shared by the kernel and the
 * user libc, and what glibc programs expect. */
#ifndef VMSCOPE_GUEST_UAPI_SIGNAL_H
#define VMSCOPE_GUEST_UAPI_SIGNAL_H

#define SIGHUP     1
#define SIGINT     2
#define SIGQUIT    3
#define SIGILL     4
#define SIGTRAP    5
#define SIGABRT    6
#define SIGBUS     7
#define SIGFPE     8
#define SIGKILL    9
#define SIGUSR1   10
#define SIGSEGV   11
#define SIGUSR2   12
#define SIGPIPE   13
#define SIGALRM   14
#define SIGTERM   15
#define SIGSTKFLT 16
#define SIGCHLD   17
#define SIGCONT   18
#define SIGSTOP   19
#define SIGTSTP   20
#define SIGTTIN   21
#define SIGTTOU   22
#define SIGURG    23
#define SIGXCPU   24
#define SIGXFSZ   25
#define SIGVTALRM 26
#define SIGPROF   27
#define SIGWINCH  28
#define SIGIO     29
#define SIGPWR    30
#define SIGSYS    31
#define SIGRTMIN  32
#define _NSIG     64            /* signals 1.._NSIG */

#define SA_NOCLDSTOP 0x00000001
#define SA_NOCLDWAIT 0x00000002
#define SA_SIGINFO   0x00000004
#define SA_RESTORER  0x04000000
#define SA_ONSTACK   0x08000000
#define SA_RESTART   0x10000000
#define SA_NODEFER   0x40000000
#define SA_RESETHAND 0x80000000

#define SIG_BLOCK   0
#define SIG_UNBLOCK 1
#define SIG_SETMASK 2

#define SIG_DFL ((unsigned long)0)
#define SIG_IGN ((unsigned long)1)

#define SS_ONSTACK 1
#define SS_DISABLE 2
#define MINSIGSTKSZ 2048

/* si_code values */
#define SI_USER     0
#define SI_KERNEL   0x80
#define SI_TKILL    (-6)
#define SEGV_MAPERR 1
#define SEGV_ACCERR 2
#define BUS_ADRERR  2
#define ILL_ILLOPN  2
#define FPE_INTDIV  1
#define FPE_INTOVF  2
#define FPE_FLTDIV  3
#define FPE_FLTOVF  4
#define FPE_FLTUND  5
#define FPE_FLTRES  6
#define FPE_FLTINV  7
#define FPE_FLTSUB  8
#define TRAP_BRKPT  1
#define CLD_EXITED  1
#define CLD_KILLED  2
#define CLD_DUMPED  3
#define CLD_STOPPED 5
#define CLD_CONTINUED 6

#ifndef __ASSEMBLER__
typedef unsigned long long sigset64_t;      /* bit n-1 = signal n */

/* rt_sigaction's struct (the kernel's struct sigaction on i386). */
struct k_sigaction_abi {
    unsigned long handler;
    unsigned long flags;
    unsigned long restorer;
    unsigned int mask[2];
};

/* sigaction's (67) struct old_sigaction. */
struct old_sigaction_abi {
    unsigned long handler;
    unsigned long mask;
    unsigned long flags;
    unsigned long restorer;
};

/* siginfo_t: 128 bytes. */
struct siginfo_abi {
    int si_signo, si_errno, si_code;
    union {
        int pad[29];
        struct { int pid; unsigned uid; } kill;
        struct { int pid; unsigned uid; int status; long utime, stime; } chld;
        struct { unsigned long addr; } fault;
    } u;
};

struct stack_abi {
    unsigned long ss_sp;
    int ss_flags;
    unsigned long ss_size;
};

struct sigcontext_abi {
    unsigned short gs, __gsh, fs, __fsh, es, __esh, ds, __dsh;
    unsigned long edi, esi, ebp, esp, ebx, edx, ecx, eax;
    unsigned long trapno, err, eip;
    unsigned short cs, __csh;
    unsigned long eflags, esp_at_signal;
    unsigned short ss, __ssh;
    unsigned long fpstate;          /* struct fpstate_abi *, or 0 */
    unsigned long oldmask, cr2;
};

/* struct _fpstate's first part: FNSAVE's 108 bytes in Linux's words, then
 * status and magic (0xffff: no FXSR data follows). */
struct fpstate_abi {
    unsigned long cw, sw, tag, ipoff, cssel, dataoff, datasel;
    unsigned short st[8][5];
    unsigned short status, magic;
};

struct ucontext_abi {
    unsigned long uc_flags;
    unsigned long uc_link;
    struct stack_abi uc_stack;
    struct sigcontext_abi uc_mcontext;
    unsigned int uc_sigmask[2];
};
#endif

#endif
