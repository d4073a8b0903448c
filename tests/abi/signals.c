/* Signals: handlers through both frames (sigframe and sigreturn without
 * SA_SIGINFO, rt_sigframe and rt_sigreturn with it), siginfo (si_addr of
 * SIGSEGV and SIGBUS), SA_RESTART, SA_NODEFER, sa_mask and the process
 * mask, pending order, the FPU state across a handler, rt_sigsuspend,
 * pause, alarm, kill and tgkill, SIGCHLD, SIGPIPE, and the default
 * actions that end a child. Works in its current directory (a file for
 * SIGBUS).
 * calls: rt_sigaction rt_sigprocmask rt_sigreturn sigreturn rt_sigsuspend kill tgkill
 * calls: pause alarm prlimit64 */
#include "abi.h"
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/resource.h>

static volatile sig_atomic_t hits, depth, max_depth;
static volatile int order[8], norder;
static sigjmp_buf jb;
static siginfo_t last_info;
static int pipefd[2];

static void on_plain(int sig)
{
    hits++;
    if (norder < 8)
        order[norder++] = sig;
}

static void on_info(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    hits++;
    last_info = *si;
}

static void on_nested(int sig)
{
    depth++;
    if (depth > max_depth)
        max_depth = depth;
    if (hits++ == 0)
        raise(sig);         /* delivered inside (SA_NODEFER) or after this returns */
    depth--;
}

static volatile int usr2_inside;
static void on_masked(int sig)
{
    raise(SIGUSR2);
    usr2_inside = hits > 0;
}

static void on_fault(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    last_info = *si;
    siglongjmp(jb, sig);
}

static void on_alarm_write(int sig)
{
    hits++;
    if (write(pipefd[1], "x", 1) != 1)
        _exit(98);
}

static void on_fpu(int sig)
{
    unsigned short cw = 0x0c7f;     /* round toward zero, all masked */
    volatile double x = 2.0;
    __asm__ volatile("fldcw %0" : : "m"(cw));
    x = x / 3.0;
    hits++;
}

static void set(int sig, void (*h)(int), int flags, const sigset_t *mask)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = h;
    sa.sa_flags = flags;
    if (mask)
        sa.sa_mask = *mask;
    if (sigaction(sig, &sa, NULL) != 0)
        say("sigaction(%d): %s", sig, rv(-1));
}

static void set_info(int sig, void (*h)(int, siginfo_t *, void *), int flags)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = h;
    sa.sa_flags = SA_SIGINFO | flags;
    if (sigaction(sig, &sa, NULL) != 0)
        say("sigaction(%d): %s", sig, rv(-1));
}

static sigset_t one(int sig)
{
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, sig);
    return s;
}

static void handlers(void)
{
    set(SIGUSR1, on_plain, 0, NULL);
    hits = 0;
    const char *r = rv(raise(SIGUSR1));
    say("raise(SIGUSR1): %s, handler ran %d time(s)", r, hits);
    r = rv(syscall(SYS_tgkill, getpid(), getpid(), SIGUSR1));
    say("tgkill(SIGUSR1): %s, handler ran %d time(s)", r, hits);
    r = rv(kill(getpid(), SIGUSR1));
    say("kill(self, SIGUSR1): %s, handler ran %d time(s)", r, hits);
    say("kill(self, 0): %s", rv(kill(getpid(), 0)));
    say("kill(self, 65): %s", rv(kill(getpid(), 65)));
    say("sigaction(SIGKILL): %s", rv(sigaction(SIGKILL, &(struct sigaction){ .sa_handler = on_plain }, NULL)));

    struct sigaction old;
    sigaction(SIGUSR1, NULL, &old);
    say("sigaction reads back the handler: %s, flags have SA_SIGINFO: %s", yes(old.sa_handler == on_plain),
        yes(old.sa_flags & SA_SIGINFO));

    set_info(SIGUSR2, on_info, 0);
    memset(&last_info, 0, sizeof last_info);
    kill(getpid(), SIGUSR2);
    say("SA_SIGINFO from kill: si_signo %d, si_code %d (SI_USER), si_pid is us: %s, si_uid %d",
        last_info.si_signo, last_info.si_code, yes(last_info.si_pid == getpid()), last_info.si_uid);
    memset(&last_info, 0, sizeof last_info);
    syscall(SYS_tgkill, getpid(), getpid(), SIGUSR2);
    say("SA_SIGINFO from tgkill: si_signo %d, si_code %d (SI_TKILL)", last_info.si_signo, last_info.si_code);

    /* SA_NODEFER: the handler interrupts itself */
    set(SIGUSR1, on_nested, 0, NULL);
    hits = depth = max_depth = 0;
    raise(SIGUSR1);
    say("without SA_NODEFER: %d deliveries, deepest nesting %d", hits, max_depth);
    set(SIGUSR1, on_nested, SA_NODEFER, NULL);
    hits = depth = max_depth = 0;
    raise(SIGUSR1);
    say("with SA_NODEFER: %d deliveries, deepest nesting %d", hits, max_depth);
    set(SIGUSR1, on_plain, SA_RESETHAND, NULL);
    raise(SIGUSR1);
    sigaction(SIGUSR1, NULL, &old);
    say("SA_RESETHAND: the handler is SIG_DFL after one delivery: %s", yes(old.sa_handler == SIG_DFL));
}

static void masks(void)
{
    sigset_t s = one(SIGUSR1), cur, pend;
    set(SIGUSR1, on_plain, 0, NULL);
    set(SIGUSR2, on_plain, 0, NULL);
    sigaddset(&s, SIGUSR2);
    say("block USR1 and USR2: %s", rv(sigprocmask(SIG_BLOCK, &s, NULL)));
    hits = norder = 0;
    raise(SIGUSR2);
    raise(SIGUSR1);
    raise(SIGUSR1);     /* a standard signal is pending once */
    sigpending(&pend);
    say("while blocked: %d deliveries; pending USR1 %s, USR2 %s", hits, yes(sigismember(&pend, SIGUSR1)),
        yes(sigismember(&pend, SIGUSR2)));
    sigprocmask(SIG_UNBLOCK, &s, NULL);
    say("unblocked: %d deliveries", hits);
    /* Linux 2.4 builds one frame per return to user mode (USR1, the lower
     * number, runs first); today's Linux stacks both frames at once, so
     * USR2's handler runs first. */
    model("handlers ran in the order %d %d", order[0], order[1]);
    sigset_t kill_stop;
    sigemptyset(&kill_stop);
    sigaddset(&kill_stop, SIGKILL);
    sigaddset(&kill_stop, SIGSTOP);
    sigprocmask(SIG_BLOCK, &kill_stop, NULL);
    sigprocmask(SIG_BLOCK, NULL, &cur);
    say("SIGKILL and SIGSTOP cannot be blocked: %s", yes(!sigismember(&cur, SIGKILL) && !sigismember(&cur, SIGSTOP)));
    say("sigprocmask(how 7): %s", rv(syscall(SYS_rt_sigprocmask, 7, &s, NULL, 8)));

    /* sa_mask: USR2 raised inside the USR1 handler waits for its return */
    sigset_t m2 = one(SIGUSR2);
    set(SIGUSR1, on_masked, 0, &m2);
    set(SIGUSR2, on_plain, 0, NULL);
    hits = norder = 0;
    raise(SIGUSR1);
    say("sa_mask: USR2 ran inside the USR1 handler: %s; after it: %s", yes(usr2_inside), yes(hits == 1));
}

static void waiting(void)
{
    set(SIGUSR1, on_plain, 0, NULL);
    sigset_t s = one(SIGUSR1), empty, cur;
    sigemptyset(&empty);
    sigprocmask(SIG_BLOCK, &s, NULL);
    hits = 0;
    kill(getpid(), SIGUSR1);
    int r = sigsuspend(&empty);
    sigprocmask(SIG_BLOCK, NULL, &cur);
    say("rt_sigsuspend: %s, handler ran %d, USR1 blocked again after: %s", rv(r), hits,
        yes(sigismember(&cur, SIGUSR1)));
    sigprocmask(SIG_UNBLOCK, &s, NULL);

    set(SIGALRM, on_plain, 0, NULL);
    say("alarm(5) returns %u", alarm(5));
    unsigned left = alarm(0);
    say("alarm(0) returns the time left: %s", yes(left == 5 || left == 4));
    hits = 0;
    alarm(1);
    r = pause();
    say("pause: %s after the alarm, handler ran %d", rv(r), hits);

    /* SA_RESTART: a read interrupted by a handler that feeds the pipe */
    if (pipe(pipefd) != 0)
        return;
    char buf[4];
    set(SIGALRM, on_alarm_write, SA_RESTART, NULL);
    alarm(1);
    ssize_t n = read(pipefd[0], buf, sizeof buf);
    say("read with SA_RESTART: %s (restarted, got the handler's byte)", rv(n));
    set(SIGALRM, on_alarm_write, 0, NULL);
    alarm(1);
    n = read(pipefd[0], buf, sizeof buf);
    say("read without SA_RESTART: %s", rv(n));
    n = read(pipefd[0], buf, sizeof buf);
    say("the byte is still in the pipe: %s", rv(n));
    close(pipefd[0]);
    close(pipefd[1]);
}

static void faults(void)
{
    set_info(SIGSEGV, on_fault, SA_NODEFER);
    set_info(SIGBUS, on_fault, SA_NODEFER);
    if (sigsetjmp(jb, 1) == 0)
        *(volatile int *)0x10 = 1;
    say("SIGSEGV at 0x10: si_signo %d, si_code %d (SEGV_MAPERR), si_addr %p", last_info.si_signo,
        last_info.si_code, last_info.si_addr);
    char *page = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (sigsetjmp(jb, 1) == 0)
        page[100] = 1;
    say("SIGSEGV writing a read-only page: si_code %d (SEGV_ACCERR), si_addr is the byte: %s",
        last_info.si_code, yes(last_info.si_addr == page + 100));
    munmap(page, 4096);

    int fd = open("sigbus.dat", O_RDWR | O_CREAT | O_TRUNC, 0644);
    if (fd < 0 || write(fd, "0123456789", 10) != 10) {
        say("sigbus.dat: %s", rv(-1));
        return;
    }
    char *m = mmap(NULL, 8192, PROT_READ, MAP_SHARED, fd, 0);
    volatile char c = 0;
    if (sigsetjmp(jb, 1) == 0)
        c = m[4096 + 8];
    say("SIGBUS past the file's end: si_signo %d, si_code %d (BUS_ADRERR), si_addr is the byte: %s, read %d",
        last_info.si_signo, last_info.si_code, yes(last_info.si_addr == m + 4096 + 8), c);
    say("the file's page reads: %c", m[3]);
    munmap(m, 8192);
    close(fd);
    unlink("sigbus.dat");
    signal(SIGSEGV, SIG_DFL);
    signal(SIGBUS, SIG_DFL);

    /* the FPU state is the interrupted code's again after the handler */
    unsigned short before, after;
    set(SIGUSR1, on_fpu, 0, NULL);
    __asm__ volatile("fnstcw %0" : "=m"(before));
    hits = 0;
    volatile double third = 1.0;
    raise(SIGUSR1);
    third = third / 3.0;
    __asm__ volatile("fnstcw %0" : "=m"(after));
    union { double d; unsigned long long u; } v = { .d = third };
    say("FPU control word %#x before, %#x after a handler that changed it; 1/3 = %#llx", before, after, v.u);
}

static volatile int chld_status, chld_code, chld_from;
static void on_chld(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    chld_code = si->si_code;
    chld_status = si->si_status;
    chld_from = si->si_pid;
    hits++;
}

static void children(void)
{
    struct rlimit none = { 0, 0 };
    say("no core files (prlimit64): %s", rv(syscall(SYS_prlimit64, 0, RLIMIT_CORE, &none, NULL)));
    set_info(SIGCHLD, on_chld, 0);
    sigset_t s = one(SIGCHLD), empty;
    sigemptyset(&empty);
    sigprocmask(SIG_BLOCK, &s, NULL);
    hits = 0;
    pid_t pid = fork();
    if (pid == 0)
        _exit(5);
    while (!hits)
        sigsuspend(&empty);
    sigprocmask(SIG_UNBLOCK, &s, NULL);
    say("SIGCHLD: si_code %d (CLD_EXITED), si_status %d, si_pid is the child: %s", chld_code, chld_status,
        yes(chld_from == pid));
    reap(pid, "SIGCHLD child");
    signal(SIGCHLD, SIG_DFL);

    /* default actions */
    static const struct { const char *what; int sig; } fatal[] = {
        { "null write", 0 }, { "abort", SIGABRT }, { "SIGTERM", SIGTERM }, { "SIGKILL", SIGKILL },
        { "SIGUSR1", SIGUSR1 }, { "SIGHUP", SIGHUP }, { "SIGALRM", SIGALRM }, { "SIGQUIT", SIGQUIT },
        { "SIGCHLD (ignored)", SIGCHLD }, { "SIGURG (ignored)", SIGURG }, { "SIGWINCH (ignored)", SIGWINCH },
    };
    for (unsigned i = 0; i < sizeof fatal / sizeof fatal[0]; i++) {
        pid = fork();
        if (pid == 0) {
            if (fatal[i].sig)
                signal(fatal[i].sig, SIG_DFL);
            if (fatal[i].sig == 0)
                *(volatile int *)0 = 1;
            else if (fatal[i].sig == SIGABRT)
                abort();
            else
                kill(getpid(), fatal[i].sig);
            _exit(0);
        }
        char name[64];
        snprintf(name, sizeof name, "default action of %s", fatal[i].what);
        reap(pid, name);
    }

    /* SIGPIPE */
    int p[2];
    if (pipe(p) != 0)
        return;
    close(p[0]);
    pid = fork();
    if (pid == 0) {
        ssize_t r = write(p[1], "x", 1);
        _exit(r < 0 ? 20 : 21);
    }
    reap(pid, "write to a pipe without readers");
    signal(SIGPIPE, SIG_IGN);
    say("the same with SIGPIPE ignored: %s", rv(write(p[1], "x", 1)));
    signal(SIGPIPE, SIG_DFL);
    close(p[1]);
}

int main(void)
{
    ABI_BEGIN("signals");
    handlers();
    masks();
    waiting();
    faults();
    children();
    ABI_END("signals");
    return 0;
}
