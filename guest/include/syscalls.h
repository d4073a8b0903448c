/* The system calls' kernel entry points (kernel/sys.c's table calls them
 * with the registers EBX ECX EDX ESI EDI EBP as arguments). */
#ifndef VMSCOPE_GUEST_SYSCALLS_H
#define VMSCOPE_GUEST_SYSCALLS_H

struct stat64;
struct statfs64;
struct meminfo;
struct rusage;
struct linux_rusage;
struct k_sigaction_abi;
struct old_sigaction_abi;
struct stack_abi;
struct itimerval_abi;
struct user_desc;
struct pollfd_abi;
struct timeval_abi;
struct iovec_abi;
struct statx_abi;
struct timespec32;
struct utimbuf_abi;
struct timeval32;
struct new_utsname;
struct rlimit32;
struct rlimit64;
struct tms_abi;
struct sysinfo_abi;
struct timespec_abi;
struct timespec64_abi;
struct mmap_arg_struct;

/* fs/at.c */
long sys_access(const char *path, int mode);
long sys_faccessat(int dirfd, const char *path, int mode);
long sys_faccessat2(int dirfd, const char *path, int mode, int flags);
long sys_fchdir(unsigned fd);
long sys_fchmodat(int dirfd, const char *path, unsigned mode);
long sys_fchownat(int dirfd, const char *path, long uid, long gid, int flags);
long sys_fdatasync(unsigned fd);
long sys_fstatat64(int dirfd, const char *path, struct stat64 *st, int flags);
long sys_ftruncate64(unsigned fd, unsigned long lo, unsigned long hi);
long sys_lchown32(const char *path, long uid, long gid);
long sys_linkat(int olddir, const char *old, int newdir, const char *new, int flags);
long sys_mkdirat(int dirfd, const char *path, int mode);
long sys_openat(int dirfd, const char *path, unsigned flags, int mode);
long sys_readlinkat(int dirfd, const char *path, char *buf, int size);
long sys_renameat(int olddir, const char *old, int newdir, const char *new);
long sys_statx(int dirfd, const char *path, int flags, unsigned mask, struct statx_abi *ust);
long sys_symlinkat(const char *target, int dirfd, const char *path);
long sys_truncate(const char *path, unsigned long len);
long sys_truncate64(const char *path, unsigned long lo, unsigned long hi);
long sys_umask(unsigned mask);
long sys_unlinkat(int dirfd, const char *path, int flags);
long sys_utime(const char *path, const struct utimbuf_abi *ubuf);
long sys_utimensat(int dirfd, const char *path, const struct timespec32 *utimes, int flags);
long sys_utimes(const char *path, const struct timeval32 *utv);

/* fs/fcntl.c */
long sys_dup(unsigned fd);
long sys_dup2(unsigned oldfd, unsigned newfd);
long sys_dup3(unsigned oldfd, unsigned newfd, unsigned flags);
long sys_fcntl(unsigned fd, unsigned cmd, unsigned long arg);
long sys_fcntl64(unsigned fd, unsigned cmd, unsigned long arg);
long sys_ioctl(unsigned fd, unsigned cmd, unsigned long arg);
long sys_pread64(unsigned fd, char *buf, unsigned long count, unsigned long lo, unsigned long hi);
long sys_pwrite64(unsigned fd, const char *buf, unsigned long count, unsigned long lo, unsigned long hi);
long sys_readv(unsigned fd, const struct iovec_abi *vec, unsigned long n);
long sys_sendfile64(unsigned out_fd, unsigned in_fd, long long *uoff, unsigned long count);
long sys_writev(unsigned fd, const struct iovec_abi *vec, unsigned long n);

/* fs/namei.c */
long sys_link(const char *uold, const char *unew);
long sys_mkdir(const char *path, int mode);
long sys_readlink(const char *upath, char *ubuf, int size);
long sys_rename(const char *uold, const char *unew);
long sys_rmdir(const char *path);
long sys_symlink(const char *utarget, const char *path);
long sys_unlink(const char *path);

/* fs/open.c */
long sys_chdir(const char *upath);
long sys_chmod(const char *path, unsigned mode);
long sys_chown32(const char *path, long uid, long gid);
long sys_close(unsigned fd);
long sys_creat(const char *path, int mode);
long sys_fchmod(unsigned fd, unsigned mode);
long sys_fchown32(unsigned fd, long uid, long gid);
long sys_fstat64(unsigned fd, struct stat64 *st);
long sys_fstatfs64(unsigned fd, unsigned long size, struct statfs64 *ubuf);
long sys_fsync(unsigned fd);
long sys_ftruncate(unsigned fd, unsigned long length);
long sys_getcwd(char *ubuf, unsigned long size);
long sys_getdents64(unsigned fd, void *buf, unsigned long count);
long sys_llseek(unsigned fd, unsigned long hi, unsigned long lo, long long *result, unsigned whence);
long sys_lseek(unsigned fd, long offset, unsigned whence);
long sys_lstat64(const char *path, struct stat64 *st);
long sys_open(const char *upath, unsigned flags, int mode);
long sys_read(unsigned fd, char *buf, unsigned long count);
long sys_stat64(const char *path, struct stat64 *st);
long sys_statfs64(const char *upath, unsigned long size, struct statfs64 *ubuf);
long sys_sync(void);
long sys_write(unsigned fd, const char *buf, unsigned long count);

/* fs/pipe.c */
long sys_pipe(int *ufds);
long sys_pipe2(int *ufds, unsigned flags);

/* fs/select.c */
long sys_poll(struct pollfd_abi *ufds, unsigned nfds, int timeout_ms);
long sys_select(int n, unsigned long *uin, unsigned long *uout, unsigned long *uex, struct timeval_abi *utv);

/* ipc/shm.c */
long sys_ipc(unsigned call, int first, int second, int third, void *ptr, long fifth);

/* kernel/exit.c */
long sys_exit(int status);
long sys_exit_group(int status);
long sys_getrusage(int who, struct linux_rusage *ru);
long sys_vm_getrusage(struct rusage *ru);
long sys_vm_wait4(int pid, int *stat_addr, int options, struct rusage *ru);
long sys_wait4(int pid, int *stat_addr, int options, struct linux_rusage *ru);
long sys_waitpid(int pid, int *stat_addr, int options);

/* kernel/fork.c */
long sys_clone(unsigned long flags, unsigned long newsp, int *parent_tidptr, unsigned long tls, int *child_tidptr);
long sys_fork(void);
long sys_vfork(void);

/* kernel/signal.c */
long sys_alarm(unsigned int seconds);
long sys_getitimer(int which, struct itimerval_abi *uval);
long sys_kill(int pid, int sig);
long sys_pause(void);
long sys_rt_sigaction(int sig, const struct k_sigaction_abi *uact, struct k_sigaction_abi *uoact, unsigned long sigsetsize);
long sys_rt_sigpending(unsigned int *uset, unsigned long sigsetsize);
long sys_rt_sigprocmask(int how, const unsigned int *uset, unsigned int *uoset, unsigned long sigsetsize);
long sys_rt_sigreturn(void);
long sys_rt_sigsuspend(const unsigned int *uset, unsigned long sigsetsize);
long sys_setitimer(int which, const struct itimerval_abi *uval, struct itimerval_abi *uold);
long sys_sigaction(int sig, const struct old_sigaction_abi *uact, struct old_sigaction_abi *uoact);
long sys_sigaltstack(const struct stack_abi *uss, struct stack_abi *uoss);
long sys_sigpending(unsigned long *uset);
long sys_sigprocmask(int how, const unsigned long *uset, unsigned long *uoset);
long sys_sigreturn(void);
long sys_sigsuspend(int unused1, int unused2, unsigned long mask);
long sys_tgkill(int tgid, int pid, int sig);
long sys_tkill(int pid, int sig);

/* kernel/sys_info.c */
long sys_clock_getres(int which, struct timespec_abi *uts);
long sys_clock_gettime(int which, struct timespec_abi *uts);
long sys_clock_gettime64(int which, struct timespec64_abi *uts);
long sys_clock_nanosleep(int which, int flags, const struct timespec_abi *ureq, struct timespec_abi *urem);
long sys_clock_nanosleep_time64(int which, int flags, const struct timespec64_abi *ureq, struct timespec64_abi *urem);
long sys_futex(unsigned long *uaddr, int op, unsigned long val);
long sys_getgroups(int size, unsigned *list);
long sys_getpgid(int pid);
long sys_getpgrp(void);
long sys_getpriority(int which, int who);
long sys_getrandom(char *ubuf, unsigned long count, unsigned flags);
long sys_getresuid(unsigned long *r, unsigned long *e, unsigned long *s);
long sys_getsid(int pid);
long sys_gettid(void);
long sys_gettimeofday(struct timeval_abi *utv, void *utz);
long sys_getuid(void);
long sys_nanosleep(const struct timespec_abi *ureq, struct timespec_abi *urem);
long sys_prctl(int option, unsigned long a2, unsigned long a3, unsigned long a4, unsigned long a5);
long sys_prlimit64(int pid, unsigned resource, const struct rlimit64 *unew, struct rlimit64 *uold);
long sys_sched_getaffinity(int pid, unsigned len, unsigned long *mask);
long sys_sched_setaffinity(int pid, unsigned len, const unsigned long *mask);
long sys_set_robust_list(void *head, unsigned long len);
long sys_set_tid_address(int *tidptr);
long sys_setfsuid(unsigned long uid);
long sys_setgroups(int size, const unsigned *list);
long sys_sethostname(const char *name, int len);
long sys_setpgid(int pid, int pgid);
long sys_setpriority(int which, int who, int prio);
long sys_setresuid(unsigned long r, unsigned long e, unsigned long s);
long sys_setreuid(unsigned long r, unsigned long e);
long sys_setrlimit(unsigned resource, const struct rlimit32 *ur);
long sys_setsid(void);
long sys_settimeofday(const struct timeval_abi *tv, void *tz);
long sys_setuid(unsigned long uid);
long sys_sysinfo(struct sysinfo_abi *uinfo);
long sys_syslog(int type, char *ubuf, int len);
long sys_time(long *ut);
long sys_times(struct tms_abi *ubuf);
long sys_ugetrlimit(unsigned resource, struct rlimit32 *ur);
long sys_uname(struct new_utsname *uts);

/* kernel/tls.c */
long sys_get_thread_area(struct user_desc *uinfo);
long sys_set_thread_area(struct user_desc *uinfo);

/* mm/mmap.c */
long sys_brk(unsigned long brk);
long sys_mmap2(unsigned long addr, unsigned long len, unsigned long prot, unsigned long flags, unsigned long fd, unsigned long pgoff);
long sys_msync(unsigned long start, unsigned long len, int flags);
long sys_munmap(unsigned long addr, unsigned long len);
long sys_old_mmap(struct mmap_arg_struct *uarg);

/* mm/mprotect.c */
long sys_mprotect(unsigned long start, unsigned long len, unsigned long prot);

/* mm/mremap.c */
long sys_madvise(unsigned long start, unsigned long len, int advice);
long sys_mremap(unsigned long addr, unsigned long old_len, unsigned long new_len, unsigned long flags, unsigned long new_addr);

#endif
