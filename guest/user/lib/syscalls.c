/* System call stubs: int $0x80 with the Linux/i386 register convention
 * (include/uapi/unistd.h). Failures set errno and return -1, as in libc. */
#include <stdio.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <vmscope.h>

int errno;

/* A system call with the libc convention: -1 and errno on failure. */
static long sys(long nr, long a, long b, long c, long d)
{
    long ret = syscall6(nr, a, b, c, d, 0, 0);
    if (ret < 0 && ret > -4096) {
        errno = -ret;
        return -1;
    }
    return ret;
}

/* exit, _exit: end the process with status (no atexit, no buffers). */
void _exit(int status)
{
    for (;;)
        syscall6(__NR_exit, status, 0, 0, 0, 0, 0);
}

void exit(int status)
{
    _exit(status);
}

pid_t fork(void) { return sys(__NR_fork, 0, 0, 0, 0); }
ssize_t write(int fd, const void *buf, size_t n) { return sys(__NR_write, fd, (long)buf, n, 0); }
/* The wrappers below: the system calls of uapi/unistd.h, returning -1
 * with errno set on failure. */
int execve(const char *path, char *const argv[], char *const envp[])
{
    return sys(__NR_execve, (long)path, (long)argv, (long)envp, 0);
}
int execv(const char *path, char *const argv[]) { return execve(path, argv, NULL); }

int exec_program(const char *name, char *const argv[])
{
    char path[64];
    snprintf(path, sizeof path, "/bin/%s", name);
    if (execv(path, argv) < 0 && errno != ENOENT)
        return -1;
    snprintf(path, sizeof path, "/%s", name);
    return execv(path, argv);
}
pid_t getpid(void) { return sys(__NR_getpid, 0, 0, 0, 0); }
pid_t getppid(void) { return sys(__NR_getppid, 0, 0, 0, 0); }
int sched_yield(void) { return sys(__NR_sched_yield, 0, 0, 0, 0); }
pid_t waitpid(pid_t pid, int *status, int options) { return sys(__NR_waitpid, pid, (long)status, options, 0); }
pid_t wait(int *status) { return waitpid(-1, status, 0); }
pid_t wait4(pid_t pid, int *status, int options, struct rusage *ru)
{
    return sys(__NR_wait4, pid, (long)status, options, (long)ru);
}
int getrusage(int who, struct rusage *ru) { return sys(__NR_getrusage, who, (long)ru, 0, 0); }

/* mmap with a byte offset (mmap2 takes pages). */
void *mmap(void *addr, size_t len, int prot, int flags, int fd, long offset)
{
    long r = syscall6(__NR_mmap2, (long)addr, len, prot, flags, fd, offset >> 12);
    if (r < 0 && r > -4096) {
        errno = -r;
        return MAP_FAILED;
    }
    return (void *)r;
}
int munmap(void *addr, size_t len) { return sys(__NR_munmap, (long)addr, len, 0, 0); }
int mprotect(void *addr, size_t len, int prot) { return sys(__NR_mprotect, (long)addr, len, prot, 0); }

static unsigned long cur_brk;

/* Set the heap end to addr; 0 or -1 (ENOMEM). */
int brk(void *addr)
{
    unsigned long r = syscall6(__NR_brk, (long)addr, 0, 0, 0, 0, 0);
    cur_brk = r;
    if (r < (unsigned long)addr) {
        errno = ENOMEM;
        return -1;
    }
    return 0;
}

/* Move the heap end by increment; the old end, or (void *)-1. */
void *sbrk(long increment)
{
    if (!cur_brk)
        cur_brk = syscall6(__NR_brk, 0, 0, 0, 0, 0, 0);
    unsigned long old = cur_brk;
    if (increment && brk((void *)(old + increment)) < 0)
        return (void *)-1;
    return (void *)old;
}

struct timespec { long tv_sec, tv_nsec; };

/* Sleep for whole seconds / microseconds (nanosleep). */
unsigned sleep(unsigned seconds)
{
    struct timespec t = { seconds, 0 };
    sys(__NR_nanosleep, (long)&t, 0, 0, 0);
    return 0;
}

int usleep(unsigned long usec)
{
    struct timespec t = { usec / 1000000, (usec % 1000000) * 1000 };
    return sys(__NR_nanosleep, (long)&t, 0, 0, 0);
}

int meminfo(struct meminfo *mi, int flags) { return sys(__NR_meminfo, (long)mi, flags, 0, 0); }
int vm_selftest(int which, unsigned long seed, char *msg, unsigned long msglen)
{
    return syscall6(__NR_vm_selftest, which, seed, (long)msg, msglen, 0, 0);
}
int exit_reason(const char *reason) { return sys(__NR_exit_reason, (long)reason, 0, 0, 0); }
int quiet_point(struct meminfo *mi, int flags) { return sys(__NR_quiet_point, (long)mi, flags, 0, 0); }
int machine_exit(int status) { return sys(__NR_machine_exit, status, 0, 0, 0); }
