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
ssize_t write(int fd, const void *buf, size_t n);
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
