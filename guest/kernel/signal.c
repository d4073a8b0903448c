/* Signals (see include/signal.h): sending, delivery with Linux/i386's
 * signal frames, sigreturn, the default actions, job-control stops, and
 * the signal system calls. */
#include <kernel.h>
#include <annotate.h>
#include <i387.h>
#include <irq.h>
#include <sched.h>
#include <segment.h>
#include <signal.h>
#include <slab.h>
#include <uaccess.h>
#include <uapi/unistd.h>
#include <uapi/wait.h>

enum { ACT_TERM, ACT_CORE, ACT_IGN, ACT_STOP, ACT_CONT };

/* Default actions (signal(7)); real-time signals terminate. */
static const unsigned char default_action[_NSIG + 1] = {
    [SIGHUP] = ACT_TERM, [SIGINT] = ACT_TERM, [SIGQUIT] = ACT_CORE, [SIGILL] = ACT_CORE,
    [SIGTRAP] = ACT_CORE, [SIGABRT] = ACT_CORE, [SIGBUS] = ACT_CORE, [SIGFPE] = ACT_CORE,
    [SIGKILL] = ACT_TERM, [SIGUSR1] = ACT_TERM, [SIGSEGV] = ACT_CORE, [SIGUSR2] = ACT_TERM,
    [SIGPIPE] = ACT_TERM, [SIGALRM] = ACT_TERM, [SIGTERM] = ACT_TERM, [SIGSTKFLT] = ACT_TERM,
    [SIGCHLD] = ACT_IGN, [SIGCONT] = ACT_CONT, [SIGSTOP] = ACT_STOP, [SIGTSTP] = ACT_STOP,
    [SIGTTIN] = ACT_STOP, [SIGTTOU] = ACT_STOP, [SIGURG] = ACT_IGN, [SIGXCPU] = ACT_CORE,
    [SIGXFSZ] = ACT_CORE, [SIGVTALRM] = ACT_TERM, [SIGPROF] = ACT_TERM, [SIGWINCH] = ACT_IGN,
    [SIGIO] = ACT_TERM, [SIGPWR] = ACT_TERM, [SIGSYS] = ACT_CORE,
};

static const char *const signal_names[32] = {
    NULL, "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE",
    "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT",
    "SIGCHLD", "SIGCONT", "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU",
    "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS",
};

const char *signal_name(int sig, char *buf)
{
    if (sig > 0 && sig < 32)
        return signal_names[sig];
    snprintf(buf, 16, "signal %d", sig);
    return buf;
}

static kmem_cache_t *sig_cachep;

int copy_sighand(struct task_struct *p, struct task_struct *parent)
{
    if (!sig_cachep) {
        sig_cachep = kmem_cache_create("signal_state", sizeof(struct sig_state), 0, 0, NULL, NULL);
        if (!sig_cachep)
            return -ENOMEM;
    }
    p->sig = kmem_cache_alloc(sig_cachep, GFP_KERNEL);
    if (!p->sig)
        return -ENOMEM;
    if (parent && parent->sig)
        memcpy(p->sig->action, parent->sig->action, sizeof p->sig->action);
    else
        memset(p->sig->action, 0, sizeof p->sig->action);
    memset(p->sig->info, 0, sizeof p->sig->info);
    return 0;
}

void exit_sighand(struct task_struct *p)
{
    if (p->sig)
        kmem_cache_free(sig_cachep, p->sig);
    p->sig = NULL;
}

void flush_signal_handlers(struct task_struct *t)
{
    for (int i = 0; i < _NSIG; i++) {
        struct k_sigaction *ka = &t->sig->action[i];
        if (ka->handler != SIG_IGN)
            ka->handler = SIG_DFL;
        ka->flags = 0;
        ka->restorer = 0;
        ka->mask = 0;
    }
    t->sas_ss_sp = t->sas_ss_size = 0;
}

int sig_ignored(struct task_struct *t, int sig)
{
    if (!t->sig)
        return 1;                       /* kernel threads */
    unsigned long h = t->sig->action[sig - 1].handler;
    if (h == SIG_IGN)
        return 1;
    return h == SIG_DFL && (sig > 31 ? 0 : default_action[sig] == ACT_IGN);
}

/* Wake t if the signal may interrupt what it sleeps in. */
static void signal_wake_up(struct task_struct *t, int sig)
{
    if (t->state == TASK_INTERRUPTIBLE)
        wake_up_process(t);
    else if (sig == SIGKILL && t->state == TASK_STOPPED)
        wake_up_stopped(t);
}

int send_sig_info(int sig, const struct ksiginfo *info, struct task_struct *t)
{
    if (sig < 0 || sig > _NSIG)
        return -EINVAL;
    if (!sig || t->state == TASK_ZOMBIE || !t->sig)
        return 0;
    u32 flags;
    local_irq_save(flags);
    if (sig == SIGCONT || sig == SIGKILL) {
        t->pending &= ~SIG_STOPS;
        if (t->state == TASK_STOPPED) {
            t->stop_code = 0;
            t->continued = sig == SIGCONT;
            wake_up_stopped(t);
            if (sig == SIGCONT)
                do_notify_parent(t, CLD_CONTINUED, SIGCONT);
        }
    } else if (sigmask(sig) & SIG_STOPS) {
        t->pending &= ~sigmask(SIGCONT);
    }
    /* an ignored signal is dropped unless blocked (it may be unignored) */
    if (!(t->blocked & sigmask(sig)) && sig_ignored(t, sig) && sig != SIGKILL) {
        local_irq_restore(flags);
        return 0;
    }
    if (!(t->pending & sigmask(sig))) {
        t->pending |= sigmask(sig);
        struct ksiginfo *ki = &t->sig->info[sig - 1];
        if (info)
            *ki = *info;
        else
            *ki = (struct ksiginfo){ .code = SI_KERNEL };
    }
    if (!(t->blocked & sigmask(sig)) || sig == SIGKILL)
        signal_wake_up(t, sig);
    local_irq_restore(flags);
    return 0;
}

int send_sig(int sig, struct task_struct *t, int from_kernel)
{
    struct ksiginfo info = { .code = from_kernel ? SI_KERNEL : SI_USER,
                             .pid = from_kernel ? 0 : current->pid };
    return send_sig_info(sig, &info, t);
}

int kill_pg(int pgrp, int sig, int from_kernel)
{
    int found = 0;
    struct task_struct *p;
    for_each_task(p) {
        if (p->pgrp == pgrp && p->pid > 0 && p->sig && p->state != TASK_ZOMBIE) {
            send_sig(sig, p, from_kernel);
            found = 1;
        }
    }
    return found ? 0 : -ESRCH;
}

void force_sig_fault(int sig, int code, unsigned long addr, const char *fmt, ...)
{
    struct task_struct *t = current;
    va_list ap;
    va_start(ap, fmt);
    exit_reason(sig, fmt, ap);
    va_end(ap);
    struct k_sigaction *ka = &t->sig->action[sig - 1];
    if (ka->handler == SIG_IGN || (t->blocked & sigmask(sig)))
        ka->handler = SIG_DFL;          /* as Linux's force_sig_info */
    t->blocked &= ~sigmask(sig);
    struct ksiginfo info = { .code = code, .addr = addr, .forced = 1 };
    t->pending &= ~sigmask(sig);        /* this instance's info wins */
    send_sig_info(sig, &info, t);
}

void oom_kill_task(struct task_struct *t)
{
    snprintf(t->ru.ru_reason, EXIT_REASON_LEN, "SIGKILL: out of memory");
    struct ksiginfo info = { .code = SI_KERNEL, .forced = 1 };
    t->pending &= ~sigmask(SIGKILL);
    send_sig_info(SIGKILL, &info, t);
}

void do_notify_parent(struct task_struct *child, int why, int status)
{
    struct task_struct *parent = child->p_pptr;
    if (!parent || !parent->sig)
        return;
    int sig = why == CLD_EXITED || why == CLD_KILLED || why == CLD_DUMPED ? child->exit_signal : SIGCHLD;
    if (why == CLD_STOPPED || why == CLD_CONTINUED) {
        if (parent->sig->action[SIGCHLD - 1].flags & SA_NOCLDSTOP)
            sig = 0;
    }
    if (sig > 0 && sig <= _NSIG) {
        struct ksiginfo info = { .code = why, .pid = child->pid, .status = status };
        send_sig_info(sig, &info, parent);
    }
    wake_up_process(parent);            /* a wait4 may be waiting for this */
}

/* ------------------------------------------------------------ frames */

#define FIX_EFLAGS 0x40DD5  /* CF PF AF ZF SF TF DF OF RF AC: what sigreturn may change */

struct sigframe {
    unsigned long pretcode;
    int sig;
    struct sigcontext_abi sc;
    struct fpstate_abi fpstate;
    unsigned long extramask;
    char retcode[8];
};

struct rt_sigframe {
    unsigned long pretcode;
    int sig;
    unsigned long pinfo, puc;
    struct siginfo_abi info;
    struct ucontext_abi uc;
    struct fpstate_abi fpstate;
    char retcode[8];
};

/* The FPU state for a frame: 1 and *fp filled when the task has one (it
 * then starts the handler with a fresh FPU, as 2.4's save_i387 leaves it). */
static int save_fpstate(struct fpstate_abi *fp)
{
    struct task_struct *t = current;
    if (!t->thread.used_math)
        return 0;
    unlazy_fpu(t);
    const struct i387_fsave_struct *s = &t->thread.i387;
    fp->cw = s->cwd;
    fp->sw = s->swd;
    fp->tag = s->twd;
    fp->ipoff = s->fip;
    fp->cssel = s->fcs;
    fp->dataoff = s->foo;
    fp->datasel = s->fos;
    memcpy(fp->st, s->st_space, sizeof fp->st);
    fp->status = (unsigned short)s->swd;
    fp->magic = 0xffff;
    t->thread.used_math = 0;
    return 1;
}

static void restore_fpstate(const struct fpstate_abi *fp)
{
    struct task_struct *t = current;
    clear_fpu(t);
    struct i387_fsave_struct *s = &t->thread.i387;
    s->cwd = fp->cw | 0xffff0000u;
    s->swd = fp->sw | 0xffff0000u;
    s->twd = fp->tag | 0xffff0000u;
    s->fip = fp->ipoff;
    s->fcs = fp->cssel;
    s->foo = fp->dataoff;
    s->fos = fp->datasel | 0xffff0000u;
    memcpy(s->st_space, fp->st, sizeof fp->st);
    t->thread.used_math = 1;
}

static void fill_sigcontext(struct sigcontext_abi *sc, struct pt_regs *regs, unsigned long mask,
                            unsigned long fpstate)
{
    memset(sc, 0, sizeof *sc);
    sc->gs = (unsigned short)regs->xgs;
    sc->fs = (unsigned short)regs->xfs;
    sc->es = (unsigned short)regs->xes;
    sc->ds = (unsigned short)regs->xds;
    sc->edi = regs->edi;
    sc->esi = regs->esi;
    sc->ebp = regs->ebp;
    sc->esp = regs->esp;
    sc->ebx = regs->ebx;
    sc->edx = regs->edx;
    sc->ecx = regs->ecx;
    sc->eax = regs->eax;
    sc->trapno = regs->orig_eax < 32 ? regs->orig_eax : 0;
    sc->err = regs->orig_eax < 32 ? regs->error_code : 0;
    sc->eip = regs->eip;
    sc->cs = (unsigned short)regs->xcs;
    sc->eflags = regs->eflags;
    sc->esp_at_signal = regs->esp;
    sc->ss = (unsigned short)regs->xss;
    sc->fpstate = fpstate;
    sc->oldmask = mask;
    sc->cr2 = regs->orig_eax == 14 ? read_cr2() : 0;
}

/* A selector user code may have in DS/ES/FS/GS: null, user data, or one
 * of its TLS entries, always RPL 3. */
static int user_data_selector(unsigned sel)
{
    if ((sel & ~3u) == 0)
        return 1;
    if ((sel & 3) != 3 || (sel & 4))
        return 0;
    return sel == __USER_DS || tls_selector_ok(sel);
}

/* Registers from a frame's sigcontext; 0, or -1 when it is unusable. */
static int restore_sigcontext(struct pt_regs *regs, const struct sigcontext_abi *sc)
{
    if (!user_data_selector(sc->gs) || !user_data_selector(sc->fs) || sc->cs != __USER_CS ||
        sc->ss != __USER_DS || !user_data_selector(sc->ds) || !user_data_selector(sc->es))
        return -1;
    regs->xgs = sc->gs;
    regs->xfs = sc->fs;
    regs->xes = sc->es;
    regs->xds = sc->ds;
    regs->edi = sc->edi;
    regs->esi = sc->esi;
    regs->ebp = sc->ebp;
    regs->esp = sc->esp;
    regs->ebx = sc->ebx;
    regs->edx = sc->edx;
    regs->ecx = sc->ecx;
    regs->eax = sc->eax;
    regs->eip = sc->eip;
    regs->xcs = __USER_CS;
    regs->xss = __USER_DS;
    regs->eflags = (regs->eflags & ~FIX_EFLAGS) | (sc->eflags & FIX_EFLAGS);
    regs->orig_eax = ~0UL;              /* no system call to restart */
    return 0;
}

/* Where a frame of size bytes goes: below ESP (or on the alternate stack),
 * aligned so that ESP + 4 is a multiple of 16 at the handler's entry. */
static unsigned long frame_address(const struct k_sigaction *ka, struct pt_regs *regs, unsigned long size)
{
    struct task_struct *t = current;
    unsigned long sp = regs->esp;
    if ((ka->flags & SA_ONSTACK) && t->sas_ss_size &&
        !(sp - t->sas_ss_sp < t->sas_ss_size))
        sp = t->sas_ss_sp + t->sas_ss_size;
    sp -= size;
    return ((sp + 4) & ~15UL) - 4;
}

static void fill_siginfo(struct siginfo_abi *si, int sig, const struct ksiginfo *ki)
{
    memset(si, 0, sizeof *si);
    si->si_signo = sig;
    si->si_code = ki->code;
    switch (sig) {
    case SIGSEGV: case SIGBUS: case SIGILL: case SIGFPE: case SIGTRAP:
        if (ki->code != SI_USER && ki->code != SI_TKILL && ki->code != SI_KERNEL) {
            si->u.fault.addr = ki->addr;
            break;
        }
        __attribute__((fallthrough));   /* sent by kill: as below */
    default:
        si->u.kill.pid = ki->pid;
        si->u.kill.uid = 0;
        break;
    case SIGCHLD:
        si->u.chld.pid = ki->pid;
        si->u.chld.uid = 0;
        si->u.chld.status = ki->status;
        break;
    }
}

/* The frame K (SIZE bytes, kmalloc'd) goes to the user stack at UF, and the
 * task resumes in the handler with EAX = SIG and EDX, ECX as given (the
 * siginfo and ucontext pointers of an SA_SIGINFO handler). Frees K. */
static int enter_handler(void *k, size_t size, unsigned long uf, const struct k_sigaction *ka,
                         struct pt_regs *regs, int sig, unsigned long edx, unsigned long ecx)
{
    int err = copy_to_user((void *)uf, k, size) ? -1 : 0;
    kfree(k);
    if (err)
        return -1;
    regs->esp = uf;
    regs->eip = ka->handler;
    regs->eax = sig;
    regs->edx = edx;
    regs->ecx = ecx;
    return 0;
}

static int setup_frame(int sig, const struct k_sigaction *ka, unsigned long long oldmask, struct pt_regs *regs)
{
    struct sigframe *k = kmalloc(sizeof *k, GFP_KERNEL);
    if (!k)
        return -1;
    unsigned long uf = frame_address(ka, regs, sizeof *k);
    memset(k, 0, sizeof *k);
    int fp = save_fpstate(&k->fpstate);
    k->sig = sig;
    fill_sigcontext(&k->sc, regs, (unsigned long)oldmask, fp ? uf + offsetof(struct sigframe, fpstate) : 0);
    k->extramask = (unsigned long)(oldmask >> 32);
    /* popl %eax; movl $__NR_sigreturn, %eax; int $0x80 */
    static const char code[8] = { 0x58, (char)0xb8, __NR_sigreturn, 0, 0, 0, (char)0xcd, (char)0x80 };
    memcpy(k->retcode, code, sizeof code);
    k->pretcode = (ka->flags & SA_RESTORER) ? ka->restorer : uf + offsetof(struct sigframe, retcode);
    return enter_handler(k, sizeof *k, uf, ka, regs, sig, 0, 0);
}

static int setup_rt_frame(int sig, const struct k_sigaction *ka, const struct ksiginfo *ki,
                          unsigned long long oldmask, struct pt_regs *regs)
{
    struct task_struct *t = current;
    struct rt_sigframe *k = kmalloc(sizeof *k, GFP_KERNEL);
    if (!k)
        return -1;
    unsigned long uf = frame_address(ka, regs, sizeof *k);
    memset(k, 0, sizeof *k);
    int fp = save_fpstate(&k->fpstate);
    k->sig = sig;
    k->pinfo = uf + offsetof(struct rt_sigframe, info);
    k->puc = uf + offsetof(struct rt_sigframe, uc);
    fill_siginfo(&k->info, sig, ki);
    k->uc.uc_stack.ss_sp = t->sas_ss_sp;
    k->uc.uc_stack.ss_size = t->sas_ss_size;
    k->uc.uc_stack.ss_flags = !t->sas_ss_size ? SS_DISABLE
                              : regs->esp - t->sas_ss_sp < t->sas_ss_size ? SS_ONSTACK : 0;
    fill_sigcontext(&k->uc.uc_mcontext, regs, (unsigned long)oldmask,
                    fp ? uf + offsetof(struct rt_sigframe, fpstate) : 0);
    k->uc.uc_sigmask[0] = (unsigned)oldmask;
    k->uc.uc_sigmask[1] = (unsigned)(oldmask >> 32);
    /* movl $__NR_rt_sigreturn, %eax; int $0x80 */
    static const char code[8] = { (char)0xb8, (char)__NR_rt_sigreturn, 0, 0, 0, (char)0xcd, (char)0x80, 0 };
    memcpy(k->retcode, code, sizeof code);
    k->pretcode = (ka->flags & SA_RESTORER) ? ka->restorer : uf + offsetof(struct rt_sigframe, retcode);
    return enter_handler(k, sizeof *k, uf, ka, regs, sig, uf + offsetof(struct rt_sigframe, info),
                         uf + offsetof(struct rt_sigframe, uc));
}

long sys_sigreturn(void)
{
    struct pt_regs *regs = task_pt_regs(current);
    struct sigframe *k = kmalloc(sizeof *k, GFP_KERNEL);
    if (!k)
        kill_current(SIGSEGV, "sigreturn: out of memory");
    unsigned long uf = regs->esp - 8;
    if (copy_from_user(k, (void *)uf, sizeof *k) || restore_sigcontext(regs, &k->sc)) {
        kfree(k);
        kill_current(SIGSEGV, "sigreturn: bad frame at %08lx", uf);
    }
    current->blocked = (((unsigned long long)k->extramask << 32) | k->sc.oldmask) & ~SIG_UNCATCHABLE;
    if (k->sc.fpstate)
        restore_fpstate(&k->fpstate);
    long eax = (long)regs->eax;
    kfree(k);
    return eax;
}

long sys_rt_sigreturn(void)
{
    struct pt_regs *regs = task_pt_regs(current);
    struct rt_sigframe *k = kmalloc(sizeof *k, GFP_KERNEL);
    if (!k)
        kill_current(SIGSEGV, "rt_sigreturn: out of memory");
    unsigned long uf = regs->esp - 4;
    if (copy_from_user(k, (void *)uf, sizeof *k) || restore_sigcontext(regs, &k->uc.uc_mcontext)) {
        kfree(k);
        kill_current(SIGSEGV, "rt_sigreturn: bad frame at %08lx", uf);
    }
    current->blocked = (((unsigned long long)k->uc.uc_sigmask[1] << 32) | k->uc.uc_sigmask[0]) &
                       ~SIG_UNCATCHABLE;
    if (k->uc.uc_mcontext.fpstate)
        restore_fpstate(&k->fpstate);
    long eax = (long)regs->eax;
    kfree(k);
    return eax;
}

/* ------------------------------------------------------------ delivery */

/* The lowest pending unblocked signal, the synchronous ones (faults) first. */
static int next_signal(struct task_struct *t)
{
    unsigned long long ready = t->pending & ~t->blocked;
    if (!ready)
        return 0;
    static const unsigned long long sync = sigmask(SIGSEGV) | sigmask(SIGBUS) | sigmask(SIGILL) |
                                           sigmask(SIGTRAP) | sigmask(SIGFPE);
    if (ready & sync)
        ready &= sync;
    for (int i = 0; i < _NSIG; i++)
        if (ready & (1ULL << i))
            return i + 1;
    return 0;
}

/* A system call interrupted by a handler: -EINTR, or restarted. */
static void handle_restart(struct pt_regs *regs, const struct k_sigaction *ka)
{
    if (regs->orig_eax != SYSCALL_VECTOR)
        return;
    switch ((long)regs->eax) {
    case -ERESTARTNOHAND:
        regs->eax = -EINTR;
        break;
    case -ERESTARTSYS:
        if (!ka || !(ka->flags & SA_RESTART)) {
            regs->eax = -EINTR;
            break;
        }
        /* fall through */
    case -ERESTARTNOINTR:
        regs->eax = regs->error_code;   /* the call's number (do_syscall keeps it there) */
        regs->eip -= 2;
        break;
    }
    regs->orig_eax = ~0UL;
}

/* No handler ran: every restartable call starts again. */
static void restart_no_handler(struct pt_regs *regs)
{
    if (regs->orig_eax != SYSCALL_VECTOR)
        return;
    long r = (long)regs->eax;
    if (r == -ERESTARTNOHAND || r == -ERESTARTSYS || r == -ERESTARTNOINTR) {
        regs->eax = regs->error_code;
        regs->eip -= 2;
    }
    regs->orig_eax = ~0UL;
}

static void do_stop(int sig)
{
    struct task_struct *t = current;
    u32 flags;
    local_irq_save(flags);
    t->state = TASK_STOPPED;
    t->stop_code = sig;
    t->continued = 0;
    do_notify_parent(t, CLD_STOPPED, sig);
    schedule();
    local_irq_restore(flags);
}

void do_signal(struct pt_regs *regs)
{
    struct task_struct *t = current;
    if (!t->sig)
        return;
    for (;;) {
        u32 flags;
        local_irq_save(flags);
        int sig = next_signal(t);
        if (!sig) {
            local_irq_restore(flags);
            break;
        }
        t->pending &= ~sigmask(sig);
        struct ksiginfo info = t->sig->info[sig - 1];
        local_irq_restore(flags);
        struct k_sigaction *ka = &t->sig->action[sig - 1];
        if (ka->handler == SIG_IGN && sig != SIGKILL)
            continue;
        if (ka->handler == SIG_DFL || sig == SIGKILL || sig == SIGSTOP) {
            int act = sig > 31 ? ACT_TERM : default_action[sig];
            if (act == ACT_IGN || act == ACT_CONT)
                continue;
            if (t->pid == 1 && !info.forced)
                continue;               /* init gets only the signals it asks for */
            if (act == ACT_STOP) {
                do_stop(sig);
                continue;
            }
            if (!info.forced) {
                char name[16];
                snprintf(t->ru.ru_reason, EXIT_REASON_LEN, "%s", signal_name(sig, name));
            }
            if (act == ACT_CORE)        /* a crash: said on the console, as print-fatal-signals does */
                printk("%s/%d: potentially unexpected fatal signal %d.\n", t->comm, t->pid, sig);
            do_exit(sig);
        }
        /* a handler */
        handle_restart(regs, ka);
        unsigned long long oldmask = t->restore_blocked ? t->saved_blocked : t->blocked;
        t->restore_blocked = 0;
        int bad = (ka->flags & SA_SIGINFO) ? setup_rt_frame(sig, ka, &info, oldmask, regs)
                                           : setup_frame(sig, ka, oldmask, regs);
        if (bad)
            kill_current(SIGSEGV, "cannot write the frame of %d's handler", sig);
        t->ru.ru_reason[0] = 0;         /* a handled fault is no exit reason */
        if (!(ka->flags & SA_NODEFER))
            t->blocked |= sigmask(sig);
        t->blocked = (t->blocked | ka->mask) & ~SIG_UNCATCHABLE;
        if (ka->flags & SA_RESETHAND)
            ka->handler = SIG_DFL;
        regs->eflags &= ~0x100UL;       /* TF: the handler is not single-stepped */
        return;
    }
    restart_no_handler(regs);
    if (t->restore_blocked) {           /* sigsuspend woken by a signal no handler took */
        t->blocked = t->saved_blocked;
        t->restore_blocked = 0;
    }
}

/* ------------------------------------------------------------ system calls */

static int valid_sig(int sig) { return sig >= 1 && sig <= _NSIG; }

static long do_sigaction(int sig, const struct k_sigaction *act, struct k_sigaction *oact)
{
    struct task_struct *t = current;
    if (!valid_sig(sig) || (act && (sig == SIGKILL || sig == SIGSTOP)))
        return -EINVAL;
    struct k_sigaction *ka = &t->sig->action[sig - 1];
    if (oact)
        *oact = *ka;
    if (act) {
        *ka = *act;
        ka->mask &= ~SIG_UNCATCHABLE;
        /* POSIX: setting SIG_IGN (or a default ignore) discards pending ones */
        if (sig_ignored(t, sig))
            t->pending &= ~sigmask(sig);
    }
    return 0;
}

long sys_rt_sigaction(int sig, const struct k_sigaction_abi *uact, struct k_sigaction_abi *uoact,
                      unsigned long sigsetsize)
{
    if (sigsetsize != 8)
        return -EINVAL;
    struct k_sigaction act, oact;
    if (uact) {
        struct k_sigaction_abi a;
        if (copy_from_user(&a, uact, sizeof a))
            return -EFAULT;
        act = (struct k_sigaction){ a.handler, a.flags, a.restorer,
                                    ((unsigned long long)a.mask[1] << 32) | a.mask[0] };
    }
    long err = do_sigaction(sig, uact ? &act : NULL, uoact ? &oact : NULL);
    if (!err && uoact) {
        struct k_sigaction_abi o = { oact.handler, oact.flags, oact.restorer,
                                     { (unsigned)oact.mask, (unsigned)(oact.mask >> 32) } };
        if (copy_to_user(uoact, &o, sizeof o))
            return -EFAULT;
    }
    return err;
}

long sys_sigaction(int sig, const struct old_sigaction_abi *uact, struct old_sigaction_abi *uoact)
{
    struct k_sigaction act, oact;
    if (uact) {
        struct old_sigaction_abi a;
        if (copy_from_user(&a, uact, sizeof a))
            return -EFAULT;
        act = (struct k_sigaction){ a.handler, a.flags, a.restorer, a.mask };
    }
    long err = do_sigaction(sig, uact ? &act : NULL, uoact ? &oact : NULL);
    if (!err && uoact) {
        struct old_sigaction_abi o = { oact.handler, (unsigned long)oact.mask, oact.flags, oact.restorer };
        if (copy_to_user(uoact, &o, sizeof o))
            return -EFAULT;
    }
    return err;
}

static long do_sigprocmask(int how, unsigned long long *set, unsigned long long *old)
{
    struct task_struct *t = current;
    if (old)
        *old = t->blocked;
    if (!set)
        return 0;
    switch (how) {
    case SIG_BLOCK: t->blocked |= *set; break;
    case SIG_UNBLOCK: t->blocked &= ~*set; break;
    case SIG_SETMASK: t->blocked = *set; break;
    default: return -EINVAL;
    }
    t->blocked &= ~SIG_UNCATCHABLE;
    return 0;
}

long sys_rt_sigprocmask(int how, const unsigned int *uset, unsigned int *uoset, unsigned long sigsetsize)
{
    if (sigsetsize != 8)
        return -EINVAL;
    unsigned int w[2];
    unsigned long long set, old;
    if (uset) {
        if (copy_from_user(w, uset, sizeof w))
            return -EFAULT;
        set = ((unsigned long long)w[1] << 32) | w[0];
    }
    long err = do_sigprocmask(how, uset ? &set : NULL, &old);
    if (!err && uoset) {
        w[0] = (unsigned)old;
        w[1] = (unsigned)(old >> 32);
        if (copy_to_user(uoset, w, sizeof w))
            return -EFAULT;
    }
    return err;
}

long sys_sigprocmask(int how, const unsigned long *uset, unsigned long *uoset)
{
    unsigned long w;
    unsigned long long set, old;
    if (uset) {
        if (copy_from_user(&w, uset, sizeof w))
            return -EFAULT;
        set = w | (current->blocked & 0xffffffff00000000ULL);
        if (how != SIG_SETMASK)
            set = w;
    }
    long err = do_sigprocmask(how, uset ? &set : NULL, &old);
    if (!err && uoset) {
        w = (unsigned long)old;
        if (copy_to_user(uoset, &w, sizeof w))
            return -EFAULT;
    }
    return err;
}

long sys_rt_sigpending(unsigned int *uset, unsigned long sigsetsize)
{
    if (sigsetsize > 8)
        return -EINVAL;
    unsigned long long p = current->pending & current->blocked;
    unsigned int w[2] = { (unsigned)p, (unsigned)(p >> 32) };
    return copy_to_user(uset, w, sigsetsize) ? -EFAULT : 0;
}

long sys_sigpending(unsigned long *uset)
{
    unsigned long w = (unsigned long)(current->pending & current->blocked);
    return copy_to_user(uset, &w, sizeof w) ? -EFAULT : 0;
}

/* Sleep until a signal is pending: -ERESTARTNOHAND, which becomes -EINTR
 * once a handler runs. */
static long sleep_until_signal(void)
{
    struct task_struct *t = current;
    for (;;) {
        cli();
        t->state = TASK_INTERRUPTIBLE;
        if (signal_pending(t)) {
            t->state = TASK_RUNNING;
            sti();
            return -ERESTARTNOHAND;
        }
        schedule();
        sti();
    }
}

/* Sleep with mask blocked until a signal is delivered (then -EINTR, with
 * the old mask back after the handler). */
static long suspend_with(unsigned long long mask)
{
    struct task_struct *t = current;
    t->saved_blocked = t->blocked;
    t->restore_blocked = 1;
    t->blocked = mask & ~SIG_UNCATCHABLE;
    return sleep_until_signal();
}

long sys_rt_sigsuspend(const unsigned int *uset, unsigned long sigsetsize)
{
    if (sigsetsize != 8)
        return -EINVAL;
    unsigned int w[2];
    if (copy_from_user(w, uset, sizeof w))
        return -EFAULT;
    return suspend_with(((unsigned long long)w[1] << 32) | w[0]);
}

long sys_sigsuspend(int unused1, int unused2, unsigned long mask)
{
    return suspend_with((current->blocked & 0xffffffff00000000ULL) | mask);
}

long sys_pause(void)
{
    return sleep_until_signal();
}

long sys_kill(int pid, int sig)
{
    if (sig < 0 || sig > _NSIG)
        return -EINVAL;
    struct task_struct *p;
    if (pid > 0) {
        p = find_task_by_pid(pid);
        return p && p->sig ? send_sig(sig, p, 0) : -ESRCH;
    }
    if (pid == 0)
        return kill_pg(current->pgrp, sig, 0);
    if (pid < -1)
        return kill_pg(-pid, sig, 0);
    int found = 0;                      /* -1: everyone but init and us */
    for_each_task(p) {
        if (p->pid > 1 && p != current && p->sig && p->state != TASK_ZOMBIE) {
            send_sig(sig, p, 0);
            found = 1;
        }
    }
    return found ? 0 : -ESRCH;
}

long sys_tkill(int pid, int sig)
{
    if (pid <= 0 || sig < 0 || sig > _NSIG)
        return -EINVAL;
    struct task_struct *p = find_task_by_pid(pid);
    if (!p || !p->sig)
        return -ESRCH;
    struct ksiginfo info = { .code = SI_TKILL, .pid = current->pid };
    return send_sig_info(sig, &info, p);
}

long sys_tgkill(int tgid, int pid, int sig)
{
    if (tgid <= 0 || tgid != pid)
        return tgid <= 0 ? -EINVAL : -ESRCH;
    return sys_tkill(pid, sig);
}

long sys_sigaltstack(const struct stack_abi *uss, struct stack_abi *uoss)
{
    struct task_struct *t = current;
    struct pt_regs *regs = task_pt_regs(t);
    int on = t->sas_ss_size && regs->esp - t->sas_ss_sp < t->sas_ss_size;
    if (uoss) {
        struct stack_abi o = { t->sas_ss_sp, !t->sas_ss_size ? SS_DISABLE : on ? SS_ONSTACK : 0, t->sas_ss_size };
        if (copy_to_user(uoss, &o, sizeof o))
            return -EFAULT;
    }
    if (uss) {
        struct stack_abi s;
        if (copy_from_user(&s, uss, sizeof s))
            return -EFAULT;
        if (on)
            return -EPERM;
        if (s.ss_flags == SS_DISABLE) {
            t->sas_ss_sp = t->sas_ss_size = 0;
        } else if (s.ss_flags == 0 || s.ss_flags == SS_ONSTACK) {
            if (s.ss_size < MINSIGSTKSZ)
                return -ENOMEM;
            t->sas_ss_sp = s.ss_sp;
            t->sas_ss_size = s.ss_size;
        } else {
            return -EINVAL;
        }
    }
    return 0;
}

/* ------------------------------------------------------------ timers */

struct itimerval_abi { long it_interval_sec, it_interval_usec, it_value_sec, it_value_usec; };

static unsigned long tv_to_jiffies(long sec, long usec)
{
    unsigned long j = (unsigned long)sec * HZ + ((unsigned long)usec + 1000000 / HZ - 1) / (1000000 / HZ);
    return j;
}

long sys_setitimer(int which, const struct itimerval_abi *uval, struct itimerval_abi *uold)
{
    struct task_struct *t = current;
    if (which != 0)
        return -EINVAL;                 /* ITIMER_REAL only */
    if (uold) {
        unsigned long left = t->it_real_value ? t->it_real_value - jiffies : 0;
        struct itimerval_abi o = { (long)(t->it_real_incr / HZ), (long)(t->it_real_incr % HZ) * (1000000 / HZ),
                                   (long)(left / HZ), (long)(left % HZ) * (1000000 / HZ) };
        if (copy_to_user(uold, &o, sizeof o))
            return -EFAULT;
    }
    if (uval) {
        struct itimerval_abi v;
        if (copy_from_user(&v, uval, sizeof v))
            return -EFAULT;
        if (v.it_value_usec < 0 || v.it_value_usec >= 1000000 || v.it_interval_usec < 0 ||
            v.it_interval_usec >= 1000000 || v.it_value_sec < 0 || v.it_interval_sec < 0)
            return -EINVAL;
        unsigned long j = tv_to_jiffies(v.it_value_sec, v.it_value_usec);
        t->it_real_incr = tv_to_jiffies(v.it_interval_sec, v.it_interval_usec);
        t->it_real_value = j ? jiffies + j : 0;
    }
    return 0;
}

long sys_getitimer(int which, struct itimerval_abi *uval)
{
    return sys_setitimer(which, NULL, uval);
}

long sys_alarm(unsigned int seconds)
{
    struct task_struct *t = current;
    unsigned long left = t->it_real_value ? t->it_real_value - jiffies : 0;
    t->it_real_value = seconds ? jiffies + (unsigned long)seconds * HZ : 0;
    t->it_real_incr = 0;
    return (long)((left + HZ - 1) / HZ);
}

void it_real_tick(void)
{
    struct task_struct *p;
    for_each_task(p) {
        if (p->it_real_value && (long)(jiffies - p->it_real_value) >= 0 && p->state != TASK_ZOMBIE) {
            p->it_real_value = p->it_real_incr ? jiffies + p->it_real_incr : 0;
            send_sig(SIGALRM, p, 1);
        }
    }
}
