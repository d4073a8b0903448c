/* System call numbers of the vmscope guest kernel (shared by the kernel and
 * the user libc). Where Linux/i386 has the call, the number is Linux's, so a
 * reader of arch/i386/kernel/entry.S recognises the table. Calls 1000 and
 * up are vmscope's own (DESIGN.md's table), clear of Linux's range.
 *
 * ABI: int $0x80, EAX = number, arguments in EBX ECX EDX ESI EDI EBP, result
 * in EAX (a negative errno on failure). */
#ifndef VMSCOPE_GUEST_UAPI_UNISTD_H
#define VMSCOPE_GUEST_UAPI_UNISTD_H

#define __NR_exit                     1
#define __NR_fork                     2
#define __NR_read                     3
#define __NR_write                    4
#define __NR_open                     5
#define __NR_close                    6
#define __NR_waitpid                  7
#define __NR_creat                    8
#define __NR_link                     9
#define __NR_unlink                  10
#define __NR_execve                  11
#define __NR_chdir                   12
#define __NR_time                    13
#define __NR_chmod                   15
#define __NR_lchown                  16
#define __NR_lseek                   19
#define __NR_getpid                  20
#define __NR_setuid                  23
#define __NR_getuid                  24
#define __NR_alarm                   27
#define __NR_pause                   29
#define __NR_utime                   30
#define __NR_access                  33
#define __NR_sync                    36
#define __NR_kill                    37
#define __NR_rename                  38
#define __NR_mkdir                   39
#define __NR_rmdir                   40
#define __NR_dup                     41
#define __NR_pipe                    42
#define __NR_times                   43
#define __NR_brk                     45
#define __NR_setgid                  46
#define __NR_getgid                  47
#define __NR_geteuid                 49
#define __NR_getegid                 50
#define __NR_ioctl                   54
#define __NR_fcntl                   55
#define __NR_setpgid                 57
#define __NR_umask                   60
#define __NR_dup2                    63
#define __NR_getppid                 64
#define __NR_getpgrp                 65
#define __NR_setsid                  66
#define __NR_sigaction               67
#define __NR_sigsuspend              72
#define __NR_sigpending              73
#define __NR_sethostname             74
#define __NR_setrlimit               75
#define __NR_getrlimit               76
#define __NR_getrusage               77
#define __NR_gettimeofday            78
#define __NR_settimeofday            79
#define __NR_getgroups               80
#define __NR_setgroups               81
#define __NR_symlink                 83
#define __NR_readlink                85
#define __NR_reboot                  88
#define __NR_mmap                    90
#define __NR_munmap                  91
#define __NR_truncate                92
#define __NR_ftruncate               93
#define __NR_fchmod                  94
#define __NR_fchown                  95
#define __NR_getpriority             96
#define __NR_setpriority             97
#define __NR_syslog                 103
#define __NR_setitimer              104
#define __NR_getitimer              105
#define __NR_wait4                  114
#define __NR_sysinfo                116
#define __NR_ipc                    117
#define __NR_fsync                  118
#define __NR_sigreturn              119
#define __NR_clone                  120
#define __NR_uname                  122
#define __NR_mprotect               125
#define __NR_sigprocmask            126
#define __NR_getpgid                132
#define __NR_fchdir                 133
#define __NR__llseek                140
#define __NR__newselect             142
#define __NR_msync                  144
#define __NR_readv                  145
#define __NR_writev                 146
#define __NR_getsid                 147
#define __NR_fdatasync              148
#define __NR_sched_yield            158
#define __NR_nanosleep              162
#define __NR_mremap                 163
#define __NR_setresuid              164
#define __NR_getresuid              165
#define __NR_poll                   168
#define __NR_setresgid              170
#define __NR_getresgid              171
#define __NR_prctl                  172
#define __NR_rt_sigreturn           173
#define __NR_rt_sigaction           174
#define __NR_rt_sigprocmask         175
#define __NR_rt_sigpending          176
#define __NR_rt_sigsuspend          179
#define __NR_pread64                180
#define __NR_pwrite64               181
#define __NR_chown                  182
#define __NR_getcwd                 183
#define __NR_sigaltstack            186
#define __NR_vfork                  190
#define __NR_ugetrlimit             191
#define __NR_mmap2                  192
#define __NR_truncate64             193
#define __NR_ftruncate64            194
#define __NR_stat64                 195
#define __NR_lstat64                196
#define __NR_fstat64                197
#define __NR_lchown32               198
#define __NR_getuid32               199
#define __NR_getgid32               200
#define __NR_geteuid32              201
#define __NR_getegid32              202
#define __NR_setreuid32             203
#define __NR_setregid32             204
#define __NR_getgroups32            205
#define __NR_setgroups32            206
#define __NR_fchown32               207
#define __NR_setresuid32            208
#define __NR_getresuid32            209
#define __NR_setresgid32            210
#define __NR_getresgid32            211
#define __NR_chown32                212
#define __NR_setuid32               213
#define __NR_setgid32               214
#define __NR_setfsuid32             215
#define __NR_setfsgid32             216
#define __NR_madvise                219
#define __NR_getdents64             220
#define __NR_fcntl64                221
#define __NR_gettid                 224
#define __NR_tkill                  238
#define __NR_sendfile64             239
#define __NR_futex                  240
#define __NR_sched_setaffinity      241
#define __NR_sched_getaffinity      242
#define __NR_set_thread_area        243
#define __NR_get_thread_area        244
#define __NR_exit_group             252
#define __NR_set_tid_address        258
#define __NR_clock_gettime          265
#define __NR_clock_getres           266
#define __NR_clock_nanosleep        267
#define __NR_statfs64               268
#define __NR_fstatfs64              269
#define __NR_tgkill                 270
#define __NR_utimes                 271
#define __NR_openat                 295
#define __NR_mkdirat                296
#define __NR_fchownat               298
#define __NR_fstatat64              300
#define __NR_unlinkat               301
#define __NR_renameat               302
#define __NR_linkat                 303
#define __NR_symlinkat              304
#define __NR_readlinkat             305
#define __NR_fchmodat               306
#define __NR_faccessat              307
#define __NR_set_robust_list        311
#define __NR_utimensat              320
#define __NR_dup3                   330
#define __NR_pipe2                  331
#define __NR_prlimit64              340
#define __NR_getrandom              355
#define __NR_statx                  383
#define __NR_clock_gettime64        403
#define __NR_clock_nanosleep_time64 407
#define __NR_faccessat2             439
#define NR_syscalls              440  /* one past the highest Linux number in the table */
#define __NR_meminfo      1000  /* vmscope: struct meminfo snapshot */
#define __NR_vm_selftest  1001  /* vmscope: kernel allocator self-tests */
#define __NR_exit_reason  1002  /* vmscope: text the parent's wait4 receives */
#define __NR_quiet_point  1003  /* vmscope: wait until kswapd and the flusher are idle */
#define __NR_machine_exit 1004  /* vmscope: end the machine with V on isa-debug-exit */
#define __NR_vm_getrusage 1005  /* vmscope: the caller's fault counters (struct rusage of uapi/vmstat.h) */
#define __NR_vm_wait4     1006  /* vmscope: wait4 with those counters and the exit reason */

#endif
