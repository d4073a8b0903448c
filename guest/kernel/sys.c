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

struct timespec { long tv_sec, tv_nsec; };

/* nanosleep(req, rem): sleep at least req, rounded up to ticks; rem is
 * not written (no signals interrupt a sleep). */
static long sys_nanosleep(const struct timespec *req, struct timespec *rem)
{
    struct timespec t;
    if (copy_from_user(&t, req, sizeof t))
        return -EFAULT;
    if (t.tv_sec < 0 || t.tv_nsec < 0 || t.tv_nsec >= 1000000000L)
        return -EINVAL;
    unsigned long ticks = t.tv_sec * HZ + (t.tv_nsec + (1000000000L / HZ) - 1) / (1000000000L / HZ);
    schedule_timeout(ticks);
    return 0;
}

/* getrusage(RUSAGE_SELF, ru): the caller's fault counters. */
static long sys_getrusage(int who, struct rusage *ru)
{
    if (who != RUSAGE_SELF)
        return -EINVAL;
    struct rusage r = current->ru;
    r.ru_reason[0] = 0;
    return copy_to_user(ru, &r, sizeof r) ? -EFAULT : 0;
}

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
    if (sys_wait4(pid, NULL, 0, NULL) != pid)
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
static long sys_exit(unsigned long status) { do_exit((status & 0xff) << 8); }
static long sys_fork(void) { return do_fork(0, task_pt_regs(current)); }
static long sys_execve(const char *path, char *const *argv)
{
    return do_execve(path, argv, 0, task_pt_regs(current));
}
static long sys_waitpid(int pid, int *status, int options) { return sys_wait4(pid, status, options, NULL); }
static long sys_getpid(void) { return current->pid; }
static long sys_getppid(void) { return current->p_pptr->pid; }
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
    [__NR_chmod] = S(sys_chmod),
    [__NR_lseek] = S(sys_lseek),
    [__NR_getpid] = S(sys_getpid),
    [__NR_sync] = S(sys_sync),
    [__NR_rename] = S(sys_rename),
    [__NR_mkdir] = S(sys_mkdir),
    [__NR_rmdir] = S(sys_rmdir),
    [__NR_brk] = S(sys_brk),
    [__NR_getppid] = S(sys_getppid),
    [__NR_getrusage] = S(sys_getrusage),
    [__NR_symlink] = S(sys_symlink),
    [__NR_readlink] = S(sys_readlink),
    [__NR_reboot] = S(sys_reboot),
    [__NR_munmap] = S(sys_munmap),
    [__NR_ftruncate] = S(sys_ftruncate),
    [__NR_fchmod] = S(sys_fchmod),
    [__NR_wait4] = S(sys_wait4),
    [__NR_ipc] = S(sys_ipc),
    [__NR_fsync] = S(sys_fsync),
    [__NR_mprotect] = S(sys_mprotect),
    [__NR__llseek] = S(sys_llseek),
    [__NR_msync] = S(sys_msync),
    [__NR_sched_yield] = S(sys_sched_yield),
    [__NR_nanosleep] = S(sys_nanosleep),
    [__NR_getcwd] = S(sys_getcwd),
    [__NR_mmap2] = S(sys_mmap2),
    [__NR_stat64] = S(sys_stat64),
    [__NR_lstat64] = S(sys_lstat64),
    [__NR_fstat64] = S(sys_fstat64),
    [__NR_fchown32] = S(sys_fchown32),
    [__NR_chown32] = S(sys_chown32),
    [__NR_getdents64] = S(sys_getdents64),
    [__NR_statfs64] = S(sys_statfs64),
};

/* vmscope's own, from 1000 (DESIGN.md's table). */
static const syscall_t vmscope_call_table[] = {
    [__NR_meminfo - 1000] = S(sys_meminfo),
    [__NR_vm_selftest - 1000] = S(sys_vm_selftest),
    [__NR_exit_reason - 1000] = S(sys_exit_reason),
    [__NR_quiet_point - 1000] = S(sys_quiet_point),
    [__NR_machine_exit - 1000] = S(sys_machine_exit),
};

/* Dispatch int 0x80 from handle_interrupt; the result goes to regs->eax. */
void do_syscall(struct pt_regs *regs)
{
    unsigned long nr = regs->eax;
    syscall_t fn = NULL;
    if (nr < NR_syscalls)
        fn = sys_call_table[nr];
    else if (nr - 1000 < ARRAY_SIZE(vmscope_call_table))
        fn = vmscope_call_table[nr - 1000];
    regs->eax = fn ? fn(regs->ebx, regs->ecx, regs->edx, regs->esi, regs->edi, regs->ebp) : -ENOSYS;
}
