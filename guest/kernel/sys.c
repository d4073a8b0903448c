/* The system call table (Linux 2.4's arch/i386/kernel/entry.S table and
 * kernel/sys.c). int $0x80 with EAX = number (include/uapi/unistd.h),
 * arguments in EBX ECX EDX ESI EDI EBP; the result goes back in EAX. */
#include <kernel.h>
#include <annotate.h>
#include <blkdev.h>
#include <console.h>
#include <fs.h>
#include <mm.h>
#include <sched.h>
#include <slab.h>
#include <swap.h>
#include <uaccess.h>
#include <uapi/unistd.h>
#include <uapi/vmstat.h>
#include <uapi/wait.h>
#include <syscalls.h>

#define LINUX_REBOOT_MAGIC1 0xfee1dead
#define LINUX_REBOOT_CMD_RESTART   0x01234567
#define LINUX_REBOOT_CMD_HALT      0xCDEF0123
#define LINUX_REBOOT_CMD_CAD_ON    0x89ABCDEF
#define LINUX_REBOOT_CMD_CAD_OFF   0x00000000
#define LINUX_REBOOT_CMD_POWER_OFF 0x4321FEDC

int vm_selftest(int which, unsigned long seed, char *msg, unsigned long msglen);

/* reboot(magic1, magic2, cmd, arg) with Linux's meaning (every process is
 * root here). POWER_OFF, HALT and RESTART end the machine without a status
 * (there is no reset to go through: -no-reboot under QEMU ends it too);
 * Ctrl-Alt-Del settings are accepted and ignored; arg is ignored. */
static long sys_reboot(unsigned long magic1, unsigned long magic2, unsigned long cmd, unsigned long arg)
{
    if (magic1 != LINUX_REBOOT_MAGIC1 ||
        (magic2 != 672274793 && magic2 != 85072278 && magic2 != 369367448 && magic2 != 537993216))
        return -EINVAL;
    switch (cmd) {
    case LINUX_REBOOT_CMD_POWER_OFF:
    case LINUX_REBOOT_CMD_HALT:
    case LINUX_REBOOT_CMD_RESTART:
        sync_and_leave();
        print_syscall_counts();
        machine_halt_nostatus();
    case LINUX_REBOOT_CMD_CAD_ON:
    case LINUX_REBOOT_CMD_CAD_OFF:
        return 0;
    default:
        return -EINVAL;
    }
}

/* machine_exit(V): end the machine with V on isa-debug-exit (the test
 * runner's way out; init only). */
static long sys_machine_exit(unsigned long status)
{
    if (current != child_reaper)
        return -EPERM;
    sync_and_leave();                   /* every file system written, left clean */
    print_syscall_counts();
    machine_power_off(status);
}

/* meminfo(mi, flags): a struct meminfo snapshot; MI_SHRINK reaps free
 * slabs first so that free_pages is stable for leak checks. */
static long sys_meminfo(struct meminfo *umi, unsigned long flags)
{
    if (flags & MI_SHRINK)
        kmem_cache_reap(GFP_KERNEL);
    struct meminfo *mi = kmalloc(sizeof *mi, GFP_KERNEL);
    if (!mi)
        return -ENOMEM;
    fill_meminfo(mi);
    long err = copy_to_user(umi, mi, sizeof *mi) ? -EFAULT : 0;
    kfree(mi);
    return err;
}

struct selftest_job {
    int which;
    unsigned long seed;
    int result;
    char msg[128];
};

/* The body of the kselftest kernel thread: run one self-test. */
static int selftest_thread(void *arg)
{
    struct selftest_job *job = arg;
    job->result = vm_selftest(job->which, job->seed, job->msg, sizeof job->msg);
    return 0;
}

/* vm_selftest(which, seed, msg, msglen): run a self-test (kernel/selftest.c)
 * in a kernel thread, "kselftest", and wait for it: the thread has no mm of
 * its own and borrows ours (lazy TLB) while it runs. */
static long sys_vm_selftest(int which, unsigned long seed, char *umsg, unsigned long msglen)
{
    struct selftest_job job = { which, seed, -1, "" };
    int pid = kernel_thread(selftest_thread, &job, "kselftest");
    if (pid < 0)
        return pid;
    if (sys_wait4(pid, NULL, __WALL, NULL) != pid)     /* a kernel thread: a "clone" child */
        panic("sys_vm_selftest: kselftest (pid %d) was not reaped", pid);
    if (umsg && msglen) {
        unsigned long n = min(msglen, strlen(job.msg) + 1);
        if (copy_to_user(umsg, job.msg, n))
            return -EFAULT;
    }
    return job.result;
}

/* quiet_point(mi, flags): wait until kswapd has nothing to do and no disk
 * transfer is in flight, give back free slabs and the swap-cache pages
 * nothing can reach any more, mark the moment in the trace (mark, label
 * 1), and return a meminfo snapshot taken there. QP_UNUSE first brings
 * every swapped-out page back, as swapoff does; QP_DROP writes all that is
 * dirty and drops the unused clean caches (the leak checks: free memory
 * is then exact). */
static long sys_quiet_point(struct meminfo *umi, unsigned long flags)
{
    /* the buffer first: allocating it later could change what it reports */
    struct meminfo *mi = kmalloc(sizeof *mi, GFP_KERNEL);
    if (!mi)
        return -ENOMEM;
    long err = (flags & QP_UNUSE) ? try_to_unuse() : 0;
    if (!err) {
        for (;;) {
            blk_wait_idle();
            if (kswapd_idle() && flusher_idle() && !blk_pending())
                break;
            schedule_timeout(1);
        }
        if (flags & QP_DROP) {
            sync_all();
            drop_pagecache();
            prune_icache();
        }
        kmem_cache_reap(GFP_KERNEL);
        reap_swap_cache();
        annot_mark(current->pid, 1);
        fill_meminfo(mi);
        err = copy_to_user(umi, mi, sizeof *mi) ? -EFAULT : 0;
    }
    kfree(mi);
    return err;
}

/* exit_reason(text): what the parent's wait4 will report (truncated to
 * EXIT_REASON_LEN - 1 bytes). */
static long sys_exit_reason(const char *ureason)
{
    long n = strncpy_from_user(current->ru.ru_reason, ureason, EXIT_REASON_LEN);
    if (n == -ENAMETOOLONG) {
        current->ru.ru_reason[EXIT_REASON_LEN - 1] = 0;
        return 0;
    }
    return n < 0 ? n : 0;
}

/* The calls that take the caller's registers. */
static long sys_execve(const char *path, char *const *argv, char *const *envp)
{
    return do_execve(path, argv, envp, 0, task_pt_regs(current));
}
static long sys_getpid(void) { return current->pid; }
static long sys_getppid(void) { return current->p_pptr ? current->p_pptr->pid : 0; }
static long sys_sched_yield(void)
{
    current->need_resched = 1;
    return 0;
}

typedef long (*syscall_t)(unsigned long, unsigned long, unsigned long, unsigned long, unsigned long,
                          unsigned long);
#define S(fn) ((syscall_t)(void (*)(void))(fn))

/* Linux/i386's numbers (uapi/unistd.h); arguments in EBX ECX EDX ESI EDI
 * EBP. An empty slot is ENOSYS. */
static const syscall_t sys_call_table[NR_syscalls] = {
    [__NR_exit] = S(sys_exit),
    [__NR_fork] = S(sys_fork),
    [__NR_read] = S(sys_read),
    [__NR_write] = S(sys_write),
    [__NR_open] = S(sys_open),
    [__NR_close] = S(sys_close),
    [__NR_waitpid] = S(sys_waitpid),
    [__NR_creat] = S(sys_creat),
    [__NR_link] = S(sys_link),
    [__NR_unlink] = S(sys_unlink),
    [__NR_execve] = S(sys_execve),
    [__NR_chdir] = S(sys_chdir),
    [__NR_time] = S(sys_time),
    [__NR_chmod] = S(sys_chmod),
    [__NR_lchown] = S(sys_lchown32),
    [__NR_lseek] = S(sys_lseek),
    [__NR_getpid] = S(sys_getpid),
    [__NR_setuid] = S(sys_setuid),
    [__NR_getuid] = S(sys_getuid),
    [__NR_alarm] = S(sys_alarm),
    [__NR_pause] = S(sys_pause),
    [__NR_utime] = S(sys_utime),
    [__NR_access] = S(sys_access),
    [__NR_sync] = S(sys_sync),
    [__NR_kill] = S(sys_kill),
    [__NR_rename] = S(sys_rename),
    [__NR_mkdir] = S(sys_mkdir),
    [__NR_rmdir] = S(sys_rmdir),
    [__NR_dup] = S(sys_dup),
    [__NR_pipe] = S(sys_pipe),
    [__NR_times] = S(sys_times),
    [__NR_brk] = S(sys_brk),
    [__NR_setgid] = S(sys_setuid),
    [__NR_getgid] = S(sys_getuid),
    [__NR_geteuid] = S(sys_getuid),
    [__NR_getegid] = S(sys_getuid),
    [__NR_ioctl] = S(sys_ioctl),
    [__NR_fcntl] = S(sys_fcntl),
    [__NR_setpgid] = S(sys_setpgid),
    [__NR_umask] = S(sys_umask),
    [__NR_dup2] = S(sys_dup2),
    [__NR_getppid] = S(sys_getppid),
    [__NR_getpgrp] = S(sys_getpgrp),
    [__NR_setsid] = S(sys_setsid),
    [__NR_sigaction] = S(sys_sigaction),
    [__NR_sigsuspend] = S(sys_sigsuspend),
    [__NR_sigpending] = S(sys_sigpending),
    [__NR_sethostname] = S(sys_sethostname),
    [__NR_setrlimit] = S(sys_setrlimit),
    [__NR_getrlimit] = S(sys_ugetrlimit),
    [__NR_getrusage] = S(sys_getrusage),
    [__NR_gettimeofday] = S(sys_gettimeofday),
    [__NR_settimeofday] = S(sys_settimeofday),
    [__NR_getgroups] = S(sys_getgroups),
    [__NR_setgroups] = S(sys_setgroups),
    [__NR_symlink] = S(sys_symlink),
    [__NR_readlink] = S(sys_readlink),
    [__NR_reboot] = S(sys_reboot),
    [__NR_mmap] = S(sys_old_mmap),
    [__NR_munmap] = S(sys_munmap),
    [__NR_truncate] = S(sys_truncate),
    [__NR_ftruncate] = S(sys_ftruncate),
    [__NR_fchmod] = S(sys_fchmod),
    [__NR_fchown] = S(sys_fchown32),
    [__NR_getpriority] = S(sys_getpriority),
    [__NR_setpriority] = S(sys_setpriority),
    [__NR_syslog] = S(sys_syslog),
    [__NR_setitimer] = S(sys_setitimer),
    [__NR_getitimer] = S(sys_getitimer),
    [__NR_wait4] = S(sys_wait4),
    [__NR_sysinfo] = S(sys_sysinfo),
    [__NR_ipc] = S(sys_ipc),
    [__NR_fsync] = S(sys_fsync),
    [__NR_sigreturn] = S(sys_sigreturn),
    [__NR_clone] = S(sys_clone),
    [__NR_uname] = S(sys_uname),
    [__NR_mprotect] = S(sys_mprotect),
    [__NR_sigprocmask] = S(sys_sigprocmask),
    [__NR_getpgid] = S(sys_getpgid),
    [__NR_fchdir] = S(sys_fchdir),
    [__NR__llseek] = S(sys_llseek),
    [__NR__newselect] = S(sys_select),
    [__NR_msync] = S(sys_msync),
    [__NR_readv] = S(sys_readv),
    [__NR_writev] = S(sys_writev),
    [__NR_getsid] = S(sys_getsid),
    [__NR_fdatasync] = S(sys_fdatasync),
    [__NR_sched_yield] = S(sys_sched_yield),
    [__NR_nanosleep] = S(sys_nanosleep),
    [__NR_mremap] = S(sys_mremap),
    [__NR_setresuid] = S(sys_setresuid),
    [__NR_getresuid] = S(sys_getresuid),
    [__NR_poll] = S(sys_poll),
    [__NR_setresgid] = S(sys_setresuid),
    [__NR_getresgid] = S(sys_getresuid),
    [__NR_prctl] = S(sys_prctl),
    [__NR_rt_sigreturn] = S(sys_rt_sigreturn),
    [__NR_rt_sigaction] = S(sys_rt_sigaction),
    [__NR_rt_sigprocmask] = S(sys_rt_sigprocmask),
    [__NR_rt_sigpending] = S(sys_rt_sigpending),
    [__NR_rt_sigsuspend] = S(sys_rt_sigsuspend),
    [__NR_pread64] = S(sys_pread64),
    [__NR_pwrite64] = S(sys_pwrite64),
    [__NR_chown] = S(sys_chown32),
    [__NR_getcwd] = S(sys_getcwd),
    [__NR_sigaltstack] = S(sys_sigaltstack),
    [__NR_vfork] = S(sys_vfork),
    [__NR_ugetrlimit] = S(sys_ugetrlimit),
    [__NR_mmap2] = S(sys_mmap2),
    [__NR_truncate64] = S(sys_truncate64),
    [__NR_ftruncate64] = S(sys_ftruncate64),
    [__NR_stat64] = S(sys_stat64),
    [__NR_lstat64] = S(sys_lstat64),
    [__NR_fstat64] = S(sys_fstat64),
    [__NR_lchown32] = S(sys_lchown32),
    [__NR_getuid32] = S(sys_getuid),
    [__NR_getgid32] = S(sys_getuid),
    [__NR_geteuid32] = S(sys_getuid),
    [__NR_getegid32] = S(sys_getuid),
    [__NR_setreuid32] = S(sys_setreuid),
    [__NR_setregid32] = S(sys_setreuid),
    [__NR_getgroups32] = S(sys_getgroups),
    [__NR_setgroups32] = S(sys_setgroups),
    [__NR_fchown32] = S(sys_fchown32),
    [__NR_setresuid32] = S(sys_setresuid),
    [__NR_getresuid32] = S(sys_getresuid),
    [__NR_setresgid32] = S(sys_setresuid),
    [__NR_getresgid32] = S(sys_getresuid),
    [__NR_chown32] = S(sys_chown32),
    [__NR_setuid32] = S(sys_setuid),
    [__NR_setgid32] = S(sys_setuid),
    [__NR_setfsuid32] = S(sys_setfsuid),
    [__NR_setfsgid32] = S(sys_setfsuid),
    [__NR_madvise] = S(sys_madvise),
    [__NR_getdents64] = S(sys_getdents64),
    [__NR_fcntl64] = S(sys_fcntl64),
    [__NR_gettid] = S(sys_gettid),
    [__NR_tkill] = S(sys_tkill),
    [__NR_sendfile64] = S(sys_sendfile64),
    [__NR_futex] = S(sys_futex),
    [__NR_sched_setaffinity] = S(sys_sched_setaffinity),
    [__NR_sched_getaffinity] = S(sys_sched_getaffinity),
    [__NR_set_thread_area] = S(sys_set_thread_area),
    [__NR_get_thread_area] = S(sys_get_thread_area),
    [__NR_exit_group] = S(sys_exit_group),
    [__NR_set_tid_address] = S(sys_set_tid_address),
    [__NR_clock_gettime] = S(sys_clock_gettime),
    [__NR_clock_getres] = S(sys_clock_getres),
    [__NR_clock_nanosleep] = S(sys_clock_nanosleep),
    [__NR_statfs64] = S(sys_statfs64),
    [__NR_fstatfs64] = S(sys_fstatfs64),
    [__NR_tgkill] = S(sys_tgkill),
    [__NR_utimes] = S(sys_utimes),
    [__NR_openat] = S(sys_openat),
    [__NR_mkdirat] = S(sys_mkdirat),
    [__NR_fchownat] = S(sys_fchownat),
    [__NR_fstatat64] = S(sys_fstatat64),
    [__NR_unlinkat] = S(sys_unlinkat),
    [__NR_renameat] = S(sys_renameat),
    [__NR_linkat] = S(sys_linkat),
    [__NR_symlinkat] = S(sys_symlinkat),
    [__NR_readlinkat] = S(sys_readlinkat),
    [__NR_fchmodat] = S(sys_fchmodat),
    [__NR_faccessat] = S(sys_faccessat),
    [__NR_set_robust_list] = S(sys_set_robust_list),
    [__NR_utimensat] = S(sys_utimensat),
    [__NR_dup3] = S(sys_dup3),
    [__NR_pipe2] = S(sys_pipe2),
    [__NR_prlimit64] = S(sys_prlimit64),
    [__NR_getrandom] = S(sys_getrandom),
    [__NR_statx] = S(sys_statx),
    [__NR_clock_gettime64] = S(sys_clock_gettime64),
    [__NR_clock_nanosleep_time64] = S(sys_clock_nanosleep_time64),
    [__NR_faccessat2] = S(sys_faccessat2),
};

/* vmscope's own, from 1000 (DESIGN.md's table). */
static const syscall_t vmscope_call_table[] = {
    [__NR_meminfo - 1000] = S(sys_meminfo),
    [__NR_vm_selftest - 1000] = S(sys_vm_selftest),
    [__NR_exit_reason - 1000] = S(sys_exit_reason),
    [__NR_quiet_point - 1000] = S(sys_quiet_point),
    [__NR_machine_exit - 1000] = S(sys_machine_exit),
    [__NR_vm_getrusage - 1000] = S(sys_vm_getrusage),
    [__NR_vm_wait4 - 1000] = S(sys_vm_wait4),
};

/* Calls made, per number (Linux's 0..NR_syscalls-1, then vmscope's), for
 * the model: line at the machine's end: which calls a run exercised. */
static unsigned long call_counts[NR_syscalls + ARRAY_SIZE(vmscope_call_table)];

void print_syscall_counts(void)
{
    char line[512];
    int n = snprintf(line, sizeof line, "model: syscalls");
    for (unsigned i = 0; i < ARRAY_SIZE(call_counts); i++) {
        if (!call_counts[i])
            continue;
        if (n > (int)sizeof line - 24) {
            printk("%s\n", line);
            n = snprintf(line, sizeof line, "model: syscalls");
        }
        n += snprintf(line + n, sizeof line - n, " %u:%lu", i < NR_syscalls ? i : i - NR_syscalls + 1000,
                      call_counts[i]);
    }
    printk("%s\n", line);
}

/* An unimplemented call: -ENOSYS, and a nosys record once per process
 * and number (never on the console: consoles stay comparable). */
static long nosys(unsigned long nr)
{
    struct task_struct *t = current;
    unsigned long bit = nr < 512 ? nr : 511;
    if (!(t->syscalls_seen[bit / 32] & (1UL << (bit % 32)))) {
        t->syscalls_seen[bit / 32] |= 1UL << (bit % 32);
        annot_nosys(t->pid, nr);
    }
    return -ENOSYS;
}

/* Dispatch int 0x80 from handle_interrupt; the result goes to regs->eax. */
void do_syscall(struct pt_regs *regs)
{
    unsigned long nr = regs->eax;
    regs->error_code = nr;              /* kept for a restart after a signal (kernel/signal.c) */
    syscall_t fn = NULL;
    if (nr < NR_syscalls) {
        fn = sys_call_table[nr];
        if (fn)
            call_counts[nr]++;
    } else if (nr - 1000 < ARRAY_SIZE(vmscope_call_table)) {
        fn = vmscope_call_table[nr - 1000];
        if (fn)
            call_counts[NR_syscalls + nr - 1000]++;
    }
    regs->eax = fn ? fn(regs->ebx, regs->ecx, regs->edx, regs->esi, regs->edi, regs->ebp) : nosys(nr);
}
