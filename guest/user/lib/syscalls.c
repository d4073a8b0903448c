/* System call stubs: int $0x80 with the Linux/i386 register convention
 * (include/uapi/unistd.h). Failures set errno and return -1, as in libc. */
#include <stdio.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <sys/stat.h>
#include <sys/shm.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdarg.h>
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
    /* vmscope's form: its struct rusage holds the fault counters and the exit reason */
    return sys(__NR_vm_wait4, pid, (long)status, options, (long)ru);
}
int getrusage(int who, struct rusage *ru)
{
    return who == RUSAGE_SELF ? sys(__NR_vm_getrusage, (long)ru, 0, 0, 0) : -1;
}

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

/* ---- files ---- */
ssize_t read(int fd, void *buf, size_t n) { return sys(__NR_read, fd, (long)buf, n, 0); }
int open(const char *path, int flags, ...)
{
    va_list ap;
    va_start(ap, flags);
    int mode = (flags & O_CREAT) ? va_arg(ap, int) : 0;
    va_end(ap);
    return sys(__NR_open, (long)path, flags, mode, 0);
}
int creat(const char *path, int mode) { return sys(__NR_creat, (long)path, mode, 0, 0); }
int close(int fd) { return sys(__NR_close, fd, 0, 0, 0); }
off_t lseek(int fd, off_t offset, int whence) { return sys(__NR_lseek, fd, offset, whence, 0); }
off64_t lseek64(int fd, off64_t offset, int whence)
{
    off64_t result;
    if (sys(__NR__llseek, fd, (long)((unsigned long long)offset >> 32), (long)offset, (long)&result) < 0)
        return -1;
    return result;
}
int unlink(const char *path) { return sys(__NR_unlink, (long)path, 0, 0, 0); }
int rmdir(const char *path) { return sys(__NR_rmdir, (long)path, 0, 0, 0); }
int mkdir(const char *path, int mode) { return sys(__NR_mkdir, (long)path, mode, 0, 0); }
int link(const char *o, const char *n) { return sys(__NR_link, (long)o, (long)n, 0, 0); }
int symlink(const char *t, const char *p) { return sys(__NR_symlink, (long)t, (long)p, 0, 0); }
ssize_t readlink(const char *p, char *buf, size_t size) { return sys(__NR_readlink, (long)p, (long)buf, size, 0); }
int rename(const char *o, const char *n) { return sys(__NR_rename, (long)o, (long)n, 0, 0); }
int chdir(const char *path) { return sys(__NR_chdir, (long)path, 0, 0, 0); }
char *getcwd(char *buf, size_t size) { return sys(__NR_getcwd, (long)buf, size, 0, 0) < 0 ? NULL : buf; }
int ftruncate(int fd, off_t length) { return sys(__NR_ftruncate, fd, length, 0, 0); }
int fsync(int fd) { return sys(__NR_fsync, fd, 0, 0, 0); }
void sync(void) { sys(__NR_sync, 0, 0, 0, 0); }
int chmod(const char *path, int mode) { return sys(__NR_chmod, (long)path, mode, 0, 0); }
int fchmod(int fd, int mode) { return sys(__NR_fchmod, fd, mode, 0, 0); }
int chown(const char *path, int uid, int gid) { return sys(__NR_chown32, (long)path, uid, gid, 0); }
int fchown(int fd, int uid, int gid) { return sys(__NR_fchown32, fd, uid, gid, 0); }
int stat(const char *path, struct stat *st) { return sys(__NR_stat64, (long)path, (long)st, 0, 0); }
int lstat(const char *path, struct stat *st) { return sys(__NR_lstat64, (long)path, (long)st, 0, 0); }
int fstat(int fd, struct stat *st) { return sys(__NR_fstat64, fd, (long)st, 0, 0); }
int statfs(const char *path, struct statfs *buf) { return sys(__NR_statfs64, (long)path, sizeof *buf, (long)buf, 0); }
int getdents64(int fd, void *buf, unsigned count) { return sys(__NR_getdents64, fd, (long)buf, count, 0); }
int msync(void *addr, size_t len, int flags) { return sys(__NR_msync, (long)addr, len, flags, 0); }

/* ---- System V shared memory through ipc(2) ---- */
#define SHMAT 21
#define SHMDT 22
#define SHMGET 23
#define SHMCTL 24
#define IPC_64 0x100
static long ipc(unsigned call, long first, long second, long third, void *ptr)
{
    long ret = syscall6(__NR_ipc, call, first, second, third, (long)ptr, 0);
    if (ret < 0 && ret > -4096) {
        errno = -ret;
        return -1;
    }
    return ret;
}
int shmget(int key, size_t size, int flags) { return ipc(SHMGET, key, size, flags, NULL); }
void *shmat(int id, const void *addr, int flags)
{
    unsigned long raddr;
    if (ipc(SHMAT, id, flags, (long)&raddr, (void *)addr) < 0)
        return (void *)-1;
    return (void *)raddr;
}
int shmdt(const void *addr) { return ipc(SHMDT, 0, 0, 0, (void *)addr); }
int shmctl(int id, int cmd, struct shmid_ds *buf) { return ipc(SHMCTL, id, cmd | IPC_64, 0, buf); }
