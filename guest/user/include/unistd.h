/* The vmscope guest's user libc: system calls (guest/user/lib/syscalls.c). */
#ifndef VMSCOPE_USER_UNISTD_H
#define VMSCOPE_USER_UNISTD_H

#include <stddef.h>
#include <uapi/unistd.h>
#include <uapi/errno.h>

typedef int pid_t;
typedef long ssize_t;

extern int errno;

void exit(int status) __attribute__((noreturn));
void _exit(int status) __attribute__((noreturn));
pid_t fork(void);
typedef long off_t;
typedef long long off64_t;
ssize_t write(int fd, const void *buf, size_t n);
ssize_t read(int fd, void *buf, size_t n);
int close(int fd);
off_t lseek(int fd, off_t offset, int whence);
off64_t lseek64(int fd, off64_t offset, int whence);
int unlink(const char *path);
int rmdir(const char *path);
int link(const char *oldpath, const char *newpath);
int symlink(const char *target, const char *path);
ssize_t readlink(const char *path, char *buf, size_t size);
int chdir(const char *path);
char *getcwd(char *buf, size_t size);
int ftruncate(int fd, off_t length);
int fsync(int fd);
void sync(void);
int chown(const char *path, int uid, int gid);
int fchown(int fd, int uid, int gid);
#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2
int execve(const char *path, char *const argv[], char *const envp[]);
int execv(const char *path, char *const argv[]);
/* Run the guest program name: /bin/name on the disk's root, else /name (the
 * initrd). Returns only on failure (-1, errno). */
int exec_program(const char *name, char *const argv[]);
pid_t getpid(void);
pid_t getppid(void);
int brk(void *addr);
void *sbrk(long increment);
int sched_yield(void);
unsigned sleep(unsigned seconds);
int usleep(unsigned long usec);
/* Raw system call: returns the kernel's result (negative errno on failure). */
long syscall6(long nr, long a, long b, long c, long d, long e, long f);

#endif
