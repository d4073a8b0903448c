/* The small system calls of the Linux ABI (Linux's kernel/sys.c,
 * kernel/timer.c, kernel/time.c, kernel/printk.c, drivers/char/random.c):
 * identity (every process is root), process groups and sessions, uname,
 * prctl, sched_getaffinity, resource limits, times, sysinfo, getrandom,
 * syslog, the clocks, and the thread-library calls glibc makes at start
 * (set_tid_address, set_robust_list). */
#include <kernel.h>
#include <annotate.h>
#include <fs.h>
#include <mm.h>
#include <random.h>
#include <slab.h>
#include <sched.h>
#include <signal.h>
#include <swap.h>
#include <tty.h>
#include <uaccess.h>

/* ---- identity: root, and nothing can change it but to root ---- */

long sys_getuid(void) { return 0; }
long sys_setuid(unsigned long uid) { return uid == 0 ? 0 : -EPERM; }
long sys_setresuid(unsigned long r, unsigned long e, unsigned long s)
{
    return (r == 0 || r == ~0UL) && (e == 0 || e == ~0UL) && (s == 0 || s == ~0UL) ? 0 : -EPERM;
}
long sys_setreuid(unsigned long r, unsigned long e) { return sys_setresuid(r, e, ~0UL); }
long sys_getresuid(unsigned long *r, unsigned long *e, unsigned long *s)
{
    return put_user_u32(0, r) || put_user_u32(0, e) || put_user_u32(0, s) ? -EFAULT : 0;
}
long sys_getgroups(int size, unsigned *list)
{
    if (size < 0)
        return -EINVAL;
    if (size == 0)
        return 1;
    return put_user_u32(0, list) ? -EFAULT : 1;     /* one group: 0 */
}
long sys_setgroups(int size, const unsigned *list) { return size >= 0 ? 0 : -EINVAL; }
long sys_setfsuid(unsigned long uid) { return 0; }

long sys_gettid(void) { return current->pid; }

/* ---- process groups and sessions (Linux's kernel/sys.c) ---- */

long sys_setpgid(int pid, int pgid)
{
    struct task_struct *me = current, *p = pid ? find_task_by_pid(pid) : me;
    if (pgid < 0)
        return -EINVAL;
    if (!p || (p != me && p->p_pptr != me))
        return -ESRCH;
    if (!pgid)
        pgid = p->pid;
    if (p->leader)
        return -EPERM;
    if (p->session != me->session)
        return -EPERM;
    if (pgid != p->pid) {               /* joining a group: it must exist in our session */
        int ok = 0;
        struct task_struct *q;
        for_each_task(q)
            if (q->pgrp == pgid && q->session == me->session && q->state != TASK_ZOMBIE)
                ok = 1;
        if (!ok)
            return -EPERM;
    }
    p->pgrp = pgid;
    return 0;
}

long sys_getpgid(int pid)
{
    struct task_struct *p = pid ? find_task_by_pid(pid) : current;
    return p ? p->pgrp : -ESRCH;
}

long sys_getpgrp(void) { return current->pgrp; }

long sys_getsid(int pid)
{
    struct task_struct *p = pid ? find_task_by_pid(pid) : current;
    return p ? p->session : -ESRCH;
}

long sys_setsid(void)
{
    struct task_struct *me = current, *p;
    for_each_task(p)
        if (p->pgrp == me->pid)
            return -EPERM;              /* a group leader already */
    me->leader = 1;
    me->session = me->pgrp = me->pid;
    me->tty = NULL;
    return me->pid;
}

/* ---- uname ---- */

struct new_utsname { char sysname[65], nodename[65], release[65], version[65], machine[65], domainname[65]; };

static char hostname[65] = "vmscope";

long sys_uname(struct new_utsname *uts)
{
    struct new_utsname u;
    memset(&u, 0, sizeof u);
    strcpy(u.sysname, "Linux");
    strcpy(u.nodename, hostname);
    strcpy(u.release, "2.4.37-vmscope");
    strcpy(u.version, "#1 vmscope guest kernel");
    strcpy(u.machine, "i686");
    strcpy(u.domainname, "(none)");
    return copy_to_user(uts, &u, sizeof u) ? -EFAULT : 0;
}

long sys_sethostname(const char *name, int len)
{
    if (len < 0 || len > 64)
        return -EINVAL;
    char buf[65];
    if (copy_from_user(buf, name, len))
        return -EFAULT;
    buf[len] = 0;
    strcpy(hostname, buf);
    return 0;
}

/* ---- prctl ---- */

#define PR_SET_PDEATHSIG 1
#define PR_GET_PDEATHSIG 2
#define PR_GET_DUMPABLE 3
#define PR_SET_DUMPABLE 4
#define PR_SET_NAME 15
#define PR_GET_NAME 16

long sys_prctl(int option, unsigned long a2, unsigned long a3, unsigned long a4, unsigned long a5)
{
    struct task_struct *t = current;
    switch (option) {
    case PR_SET_NAME: {
        char name[TASK_COMM_LEN];
        long n = strncpy_from_user(name, (const char *)a2, TASK_COMM_LEN);
        if (n == -EFAULT)
            return -EFAULT;
        name[TASK_COMM_LEN - 1] = 0;
        strlcpy(t->comm, name, TASK_COMM_LEN);
        annot_comm(t->pid, t->comm);
        return 0;
    }
    case PR_GET_NAME:
        return copy_to_user((void *)a2, t->comm, TASK_COMM_LEN) ? -EFAULT : 0;
    case PR_SET_PDEATHSIG:
        return a2 <= _NSIG ? 0 : -EINVAL;
    case PR_GET_PDEATHSIG:
        return put_user_u32(0, (void *)a2);
    case PR_GET_DUMPABLE:
        return 1;
    case PR_SET_DUMPABLE:
        return a2 <= 1 ? 0 : -EINVAL;
    default:
        return -EINVAL;
    }
}

/* ---- the CPU and scheduling ---- */

long sys_sched_getaffinity(int pid, unsigned len, unsigned long *mask)
{
    if (pid && !find_task_by_pid(pid))
        return -ESRCH;
    if (len < 4 || (len & 3))
        return -EINVAL;
    /* one CPU: bit 0; the kernel writes its mask's size (one long) */
    return put_user_u32(1, mask) ? -EFAULT : 4;
}

long sys_sched_setaffinity(int pid, unsigned len, const unsigned long *mask) { return 0; }

/* ---- resource limits ---- */

struct rlimit32 { unsigned long cur, max; };

#define RLIM64_INFINITY (~0ULL)
#define RLIMIT_STACK 3

static struct rlimit64 default_rlimit(int r)
{
    switch (r) {
    case RLIMIT_STACK: return (struct rlimit64){ 8 << 20, RLIM64_INFINITY };
    case RLIMIT_NOFILE: return (struct rlimit64){ NR_OPEN, NR_OPEN };
    case 4: return (struct rlimit64){ 0, RLIM64_INFINITY };        /* RLIMIT_CORE */
    case 6: return (struct rlimit64){ 32768, 32768 };              /* RLIMIT_NPROC */
    case 8: return (struct rlimit64){ 65536, 65536 };              /* RLIMIT_MEMLOCK */
    case 14: return (struct rlimit64){ 0, 0 };                     /* RLIMIT_RTPRIO */
    case 13: return (struct rlimit64){ 0, 0 };                     /* RLIMIT_NICE */
    case 11: return (struct rlimit64){ 32768, 32768 };             /* RLIMIT_SIGPENDING */
    case 12: return (struct rlimit64){ 819200, 819200 };           /* RLIMIT_MSGQUEUE */
    default: return (struct rlimit64){ RLIM64_INFINITY, RLIM64_INFINITY };
    }
}

void rlimit_init(struct task_struct *t)
{
    for (int r = 0; r < RLIM_NLIMITS; r++)
        t->rlim[r] = default_rlimit(r);
}

unsigned task_nofile(void)
{
    unsigned long long n = current->rlim[RLIMIT_NOFILE].cur;
    return n < NR_OPEN ? (unsigned)n : NR_OPEN;
}

/* Every task runs as root, so a limit may rise up to the kernel's own
 * bound: RLIMIT_NOFILE's is NR_OPEN (Linux's nr_open), past it EPERM. */
static long set_rlimit(struct task_struct *t, unsigned resource, struct rlimit64 r)
{
    if (r.cur > r.max)
        return -EINVAL;
    if (resource == RLIMIT_NOFILE && r.max > NR_OPEN)
        return -EPERM;
    t->rlim[resource] = r;
    return 0;
}

long sys_prlimit64(int pid, unsigned resource, const struct rlimit64 *unew, struct rlimit64 *uold)
{
    if (resource >= RLIM_NLIMITS)
        return -EINVAL;
    struct task_struct *t = pid ? find_task_by_pid(pid) : current;
    if (!t)
        return -ESRCH;
    struct rlimit64 r;
    if (unew && copy_from_user(&r, unew, sizeof r))
        return -EFAULT;
    struct rlimit64 old = t->rlim[resource];
    if (unew) {
        long err = set_rlimit(t, resource, r);
        if (err)
            return err;
    }
    if (uold && copy_to_user(uold, &old, sizeof old))
        return -EFAULT;
    return 0;
}

long sys_ugetrlimit(unsigned resource, struct rlimit32 *ur)
{
    if (resource >= RLIM_NLIMITS)
        return -EINVAL;
    struct rlimit64 r = current->rlim[resource];
    struct rlimit32 o = { r.cur > 0xffffffffULL ? ~0UL : (unsigned long)r.cur,
                          r.max > 0xffffffffULL ? ~0UL : (unsigned long)r.max };
    return copy_to_user(ur, &o, sizeof o) ? -EFAULT : 0;
}

/* The old call's ~0UL is infinity. */
long sys_setrlimit(unsigned resource, const struct rlimit32 *ur)
{
    if (resource >= RLIM_NLIMITS)
        return -EINVAL;
    struct rlimit32 r;
    if (copy_from_user(&r, ur, sizeof r))
        return -EFAULT;
    struct rlimit64 n = { r.cur == ~0UL ? RLIM64_INFINITY : r.cur, r.max == ~0UL ? RLIM64_INFINITY : r.max };
    return set_rlimit(current, resource, n);
}

long sys_getpriority(int which, int who) { return which >= 0 && which <= 2 ? 20 : -EINVAL; }
long sys_setpriority(int which, int who, int prio) { return which >= 0 && which <= 2 ? 0 : -EINVAL; }

/* ---- times, sysinfo ---- */

struct tms_abi { long tms_utime, tms_stime, tms_cutime, tms_cstime; };

long sys_times(struct tms_abi *ubuf)
{
    struct task_struct *t = current;
    if (ubuf) {
        struct tms_abi b = { (long)t->utime, (long)t->stime, (long)t->cutime, (long)t->cstime };
        if (copy_to_user(ubuf, &b, sizeof b))
            return -EFAULT;
    }
    return (long)(jiffies + 0);         /* clock ticks since boot (HZ = USER_HZ = 100) */
}

struct sysinfo_abi {
    long uptime;
    unsigned long loads[3];
    unsigned long totalram, freeram, sharedram, bufferram, totalswap, freeswap;
    unsigned short procs, pad;
    unsigned long totalhigh, freehigh;
    unsigned mem_unit;
    char _f[8];
};

long sys_sysinfo(struct sysinfo_abi *uinfo)
{
    struct sysinfo_abi s;
    memset(&s, 0, sizeof s);
    s.uptime = (long)(jiffies / HZ);
    struct meminfo *mi = kmalloc(sizeof *mi, GFP_KERNEL);
    if (!mi)
        return -ENOMEM;
    fill_meminfo(mi);
    s.totalram = mi->total_pages;
    s.freeram = mi->free_pages;
    s.bufferram = mi->frames_by_use[7];
    s.sharedram = mi->pagecache_pages;
    s.totalswap = mi->swap_total;
    s.freeswap = mi->swap_total - mi->swap_used;
    kfree(mi);
    struct task_struct *p;
    for_each_task(p)
        if (p->pid)
            s.procs++;
    s.mem_unit = PAGE_SIZE;
    return copy_to_user(uinfo, &s, sizeof s) ? -EFAULT : 0;
}

/* ---- random ---- */

#define GRND_NONBLOCK 1
#define GRND_RANDOM 2

long sys_getrandom(char *ubuf, unsigned long count, unsigned flags)
{
    if (flags & ~(GRND_NONBLOCK | GRND_RANDOM | 4))
        return -EINVAL;
    if (count > 0x1ffffff)
        count = 0x1ffffff;
    return fill_user(ubuf, count, get_random_bytes);
}

/* ---- the kernel log (dmesg) ---- */

#define SYSLOG_ACTION_CLOSE 0
#define SYSLOG_ACTION_READ 2
#define SYSLOG_ACTION_READ_ALL 3
#define SYSLOG_ACTION_READ_CLEAR 4
#define SYSLOG_ACTION_CLEAR 5
#define SYSLOG_ACTION_SIZE_UNREAD 9
#define SYSLOG_ACTION_SIZE_BUFFER 10

long sys_syslog(int type, char *ubuf, int len)
{
    switch (type) {
    case SYSLOG_ACTION_CLOSE:
    case 1:                             /* open */
    case 6: case 7: case 8:             /* console on/off, level */
        return 0;
    case SYSLOG_ACTION_SIZE_BUFFER:
        return LOG_BUF_LEN;
    case SYSLOG_ACTION_SIZE_UNREAD:
        return (long)log_buf_unread();
    case SYSLOG_ACTION_CLEAR:
        log_buf_clear();
        return 0;
    case SYSLOG_ACTION_READ:
    case SYSLOG_ACTION_READ_ALL:
    case SYSLOG_ACTION_READ_CLEAR: {
        if (len < 0)
            return -EINVAL;
        char *page = (char *)__get_free_pages(GFP_KERNEL, 2);
        if (!page)
            return -ENOMEM;
        unsigned long n = log_buf_copy(page, min((unsigned long)len, 4 * PAGE_SIZE), type == SYSLOG_ACTION_READ);
        long err = copy_to_user(ubuf, page, n) ? -EFAULT : (long)n;
        free_pages((unsigned long)page, 2);
        if (type == SYSLOG_ACTION_READ_CLEAR && err >= 0)
            log_buf_clear();
        return err;
    }
    default:
        return -EINVAL;
    }
}

/* ---- threads: glibc's start-up asks, and a process is its only thread ---- */

long sys_set_tid_address(int *tidptr)
{
    current->clear_child_tid = (unsigned long)tidptr;
    return current->pid;
}

long sys_set_robust_list(void *head, unsigned long len)
{
    return len == 12 ? 0 : -EINVAL;     /* sizeof(struct robust_list_head) on i386 */
}

long sys_futex(unsigned long *uaddr, int op, unsigned long val)
{
    /* one thread per process: nothing to wait for or wake */
    int cmd = op & 0x7f;
    if (cmd == 1)                       /* FUTEX_WAKE */
        return 0;
    if (cmd == 0) {                     /* FUTEX_WAIT: returns at once unless it would block forever */
        unsigned long cur;
        if (get_user_u32(&cur, uaddr))
            return -EFAULT;
        return cur != val ? -EAGAIN : -EINTR;
    }
    return -ENOSYS;
}

/* ---- clocks ---- */

struct timespec_abi { long tv_sec, tv_nsec; };
struct timespec64_abi { long long tv_sec; long tv_nsec, pad; };
struct timeval_abi { long tv_sec, tv_usec; };

#define CLOCK_REALTIME 0
#define CLOCK_MONOTONIC 1
#define CLOCK_PROCESS_CPUTIME_ID 2
#define CLOCK_THREAD_CPUTIME_ID 3
#define CLOCK_MONOTONIC_RAW 4
#define CLOCK_REALTIME_COARSE 5
#define CLOCK_MONOTONIC_COARSE 6
#define CLOCK_BOOTTIME 7

/* A clock's time in ticks since its origin, and the origin in seconds. */
static int clock_read(int which, unsigned long long *ticks, unsigned long *base)
{
    struct task_struct *t = current;
    *base = 0;
    switch (which) {
    case CLOCK_REALTIME:
    case CLOCK_REALTIME_COARSE:
        *base = boot_time();
        /* fall through */
    case CLOCK_MONOTONIC:
    case CLOCK_MONOTONIC_RAW:
    case CLOCK_MONOTONIC_COARSE:
    case CLOCK_BOOTTIME:
        *ticks = jiffies;
        return 0;
    case CLOCK_PROCESS_CPUTIME_ID:
    case CLOCK_THREAD_CPUTIME_ID:
        *ticks = t->utime + t->stime;
        return 0;
    default:
        return -EINVAL;
    }
}

long sys_clock_gettime(int which, struct timespec_abi *uts)
{
    unsigned long long ticks;
    unsigned long base;
    int err = clock_read(which, &ticks, &base);
    if (err)
        return err;
    struct timespec_abi ts = { (long)(base + ticks / HZ), (long)(ticks % HZ) * (1000000000L / HZ) };
    return copy_to_user(uts, &ts, sizeof ts) ? -EFAULT : 0;
}

long sys_clock_gettime64(int which, struct timespec64_abi *uts)
{
    unsigned long long ticks;
    unsigned long base;
    int err = clock_read(which, &ticks, &base);
    if (err)
        return err;
    struct { long long sec; long nsec; long pad; } ts = { (long long)(base + ticks / HZ),
                                                          (long)(ticks % HZ) * (1000000000L / HZ), 0 };
    return copy_to_user(uts, &ts, 12) ? -EFAULT : 0;
}

long sys_clock_getres(int which, struct timespec_abi *uts)
{
    unsigned long long ticks;
    unsigned long base;
    int err = clock_read(which, &ticks, &base);
    if (err)
        return err;
    struct timespec_abi ts = { 0, 1000000000L / HZ };
    return uts && copy_to_user(uts, &ts, sizeof ts) ? -EFAULT : 0;
}

long sys_gettimeofday(struct timeval_abi *utv, void *utz)
{
    if (utv) {
        struct timeval_abi tv = { (long)(boot_time() + jiffies / HZ), (long)(jiffies % HZ) * (1000000 / HZ) };
        if (copy_to_user(utv, &tv, sizeof tv))
            return -EFAULT;
    }
    if (utz) {
        int tz[2] = { 0, 0 };
        if (copy_to_user(utz, tz, sizeof tz))
            return -EFAULT;
    }
    return 0;
}

long sys_time(long *ut)
{
    long t = (long)current_time();
    if (ut && put_user_u32((unsigned long)t, ut))
        return -EFAULT;
    return t;
}

long sys_settimeofday(const struct timeval_abi *tv, void *tz) { return -EPERM; }

/* Sleep until ticks have passed or a signal: 0, or the ticks left. */
static long sleep_ticks(unsigned long ticks)
{
    return schedule_timeout(ticks);
}

static unsigned long ts_ticks(long sec, long nsec)
{
    return (unsigned long)sec * HZ + (unsigned long)(nsec + (1000000000L / HZ) - 1) / (1000000000L / HZ);
}

long sys_nanosleep(const struct timespec_abi *ureq, struct timespec_abi *urem)
{
    struct timespec_abi t;
    if (copy_from_user(&t, ureq, sizeof t))
        return -EFAULT;
    if (t.tv_sec < 0 || t.tv_nsec < 0 || t.tv_nsec >= 1000000000L)
        return -EINVAL;
    long left = sleep_ticks(ts_ticks(t.tv_sec, t.tv_nsec));
    if (!left)
        return 0;
    if (urem) {
        struct timespec_abi r = { left / HZ, (left % HZ) * (1000000000L / HZ) };
        if (copy_to_user(urem, &r, sizeof r))
            return -EFAULT;
    }
    return -ERESTARTNOHAND;             /* EINTR when a handler runs, else sleep again */
}

#define TIMER_ABSTIME 1

long sys_clock_nanosleep(int which, int flags, const struct timespec_abi *ureq, struct timespec_abi *urem)
{
    struct timespec_abi t;
    if (copy_from_user(&t, ureq, sizeof t))
        return -EFAULT;
    if (t.tv_sec < 0 || t.tv_nsec < 0 || t.tv_nsec >= 1000000000L)
        return -EINVAL;
    unsigned long long now;
    unsigned long base;
    int err = clock_read(which, &now, &base);
    if (err)
        return err;
    unsigned long ticks = ts_ticks(t.tv_sec, t.tv_nsec);
    if (flags & TIMER_ABSTIME) {
        unsigned long long target = ((unsigned long long)t.tv_sec - base) * HZ +
                                    (unsigned long)t.tv_nsec / (1000000000L / HZ);
        ticks = target > now ? (unsigned long)(target - now) : 0;
    }
    long left = ticks ? sleep_ticks(ticks) : 0;
    if (!left)
        return 0;
    if (urem && !(flags & TIMER_ABSTIME)) {
        struct timespec_abi r = { left / HZ, (left % HZ) * (1000000000L / HZ) };
        if (copy_to_user(urem, &r, sizeof r))
            return -EFAULT;
    }
    return -ERESTARTNOHAND;
}

long sys_clock_nanosleep_time64(int which, int flags, const struct timespec64_abi *ureq,
                                struct timespec64_abi *urem)
{
    struct { long long sec; long nsec; } t;
    if (copy_from_user(&t, ureq, 12))
        return -EFAULT;
    if (t.sec < 0 || t.sec > 0x7fffffffLL || t.nsec < 0 || t.nsec >= 1000000000L)
        return -EINVAL;
    struct timespec_abi k = { (long)t.sec, t.nsec }, r;
    int old = current->kernel_ds;
    current->kernel_ds = 1;             /* the 32-bit call on kernel copies */
    long ret = sys_clock_nanosleep(which, flags, &k, urem ? &r : NULL);
    current->kernel_ds = old;
    if (ret == -ERESTARTNOHAND && urem) {
        struct { long long sec; long nsec; } o = { r.tv_sec, r.tv_nsec };
        if (copy_to_user(urem, &o, 12))
            return -EFAULT;
    }
    return ret;
}
