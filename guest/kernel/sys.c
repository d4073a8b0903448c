/* The system call table (Linux 2.4's arch/i386/kernel/entry.S table and
 * kernel/sys.c). int $0x80 with EAX = number (include/uapi/unistd.h),
 * arguments in EBX ECX EDX ESI EDI EBP; the result goes back in EAX. */
#include <kernel.h>
#include <annotate.h>
#include <blkdev.h>
#include <console.h>
#include <mm.h>
#include <sched.h>
#include <slab.h>
#include <swap.h>
#include <uaccess.h>
#include <uapi/unistd.h>
#include <uapi/vmstat.h>
#include <uapi/wait.h>

#define EBADF 9
#define LINUX_REBOOT_MAGIC1 0xfee1dead
#define LINUX_REBOOT_CMD_RESTART   0x01234567
#define LINUX_REBOOT_CMD_HALT      0xCDEF0123
#define LINUX_REBOOT_CMD_CAD_ON    0x89ABCDEF
#define LINUX_REBOOT_CMD_CAD_OFF   0x00000000
#define LINUX_REBOOT_CMD_POWER_OFF 0x4321FEDC

int vm_selftest(int which, unsigned long seed, char *msg, unsigned long msglen);

/* write(fd, buf, count): fd 1 and 2 are the console. Returns count,
 * -EBADF or -EFAULT (or the bytes written before a bad page). */
static long sys_write(unsigned fd, const char *buf, unsigned long count)
{
    char kbuf[256];
    if (fd != 1 && fd != 2)
        return -EBADF;
    for (unsigned long done = 0; done < count;) {
        unsigned long n = min(count - done, sizeof kbuf);
        if (copy_from_user(kbuf, buf + done, n))
            return done ? (long)done : -EFAULT;
        serial_write(kbuf, n);
        done += n;
    }
    return count;
}

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
 * every swapped-out page back, as swapoff does (the leak check). */
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
            if (kswapd_idle() && !blk_pending())
                break;
            schedule_timeout(1);
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

/* Dispatch int 0x80 from handle_interrupt; the result goes to regs->eax. */
void do_syscall(struct pt_regs *regs)
{
    unsigned long a = regs->ebx, b = regs->ecx, c = regs->edx, d = regs->esi;
    long ret;
    switch (regs->eax) {
    case __NR_exit:        do_exit((a & 0xff) << 8);
    case __NR_fork:        ret = do_fork(0, regs); break;
    case __NR_write:       ret = sys_write(a, (const char *)b, c); break;
    case __NR_waitpid:     ret = sys_wait4(a, (int *)b, c, NULL); break;
    case __NR_execve:      ret = do_execve((const char *)a, (char *const *)b, 0, regs); break;
    case __NR_getpid:      ret = current->pid; break;
    case __NR_brk:         ret = sys_brk(a); break;
    case __NR_getppid:     ret = current->p_pptr->pid; break;
    case __NR_getrusage:   ret = sys_getrusage(a, (struct rusage *)b); break;
    case __NR_reboot:      ret = sys_reboot(a, b, c, d); break;
    case __NR_munmap:      ret = sys_munmap(a, b); break;
    case __NR_wait4:       ret = sys_wait4(a, (int *)b, c, (struct rusage *)d); break;
    case __NR_mprotect:    ret = sys_mprotect(a, b, c); break;
    case __NR_sched_yield: current->need_resched = 1; ret = 0; break;
    case __NR_nanosleep:   ret = sys_nanosleep((const struct timespec *)a, (struct timespec *)b); break;
    case __NR_mmap2:       ret = sys_mmap2(a, b, c, d, regs->edi, regs->ebp); break;
    case __NR_meminfo:     ret = sys_meminfo((struct meminfo *)a, b); break;
    case __NR_vm_selftest: ret = sys_vm_selftest(a, b, (char *)c, d); break;
    case __NR_exit_reason: ret = sys_exit_reason((const char *)a); break;
    case __NR_machine_exit: ret = sys_machine_exit(a); break;
    case __NR_quiet_point: ret = sys_quiet_point((struct meminfo *)a, b); break;
    default:               ret = -ENOSYS; break;
    }
    regs->eax = ret;
}
