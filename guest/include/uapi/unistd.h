/* System call numbers of the vmscope guest kernel (shared by the kernel and
 * the user libc). Where Linux/i386 has the call, the number is Linux's, so a
 * reader of arch/i386/kernel/entry.S recognises the table. Calls 1000 and
 * up are vmscope's own (DESIGN.md's table), clear of Linux's range.
 *
 * ABI: int $0x80, EAX = number, arguments in EBX ECX EDX ESI EDI EBP, result
 * in EAX (a negative errno on failure). */
#ifndef VMSCOPE_GUEST_UAPI_UNISTD_H
#define VMSCOPE_GUEST_UAPI_UNISTD_H

#define __NR_exit            1
#define __NR_fork            2
#define __NR_read            3
#define __NR_write           4
#define __NR_open            5
#define __NR_close           6
#define __NR_waitpid         7
#define __NR_creat           8
#define __NR_link            9
#define __NR_unlink         10
#define __NR_execve         11
#define __NR_chdir          12
#define __NR_chmod          15
#define __NR_lseek          19
#define __NR_getpid         20
#define __NR_sync           36
#define __NR_rename         38
#define __NR_mkdir          39
#define __NR_rmdir          40
#define __NR_brk            45
#define __NR_getppid        64
#define __NR_getrusage      77
#define __NR_symlink        83
#define __NR_readlink       85
#define __NR_reboot         88
#define __NR_munmap         91
#define __NR_ftruncate      93
#define __NR_fchmod         94
#define __NR_wait4         114
#define __NR_ipc           117
#define __NR_fsync         118
#define __NR_mprotect      125
#define __NR__llseek       140
#define __NR_msync         144
#define __NR_sched_yield   158
#define __NR_nanosleep     162
#define __NR_getcwd        183
#define __NR_mmap2         192
#define __NR_stat64        195
#define __NR_lstat64       196
#define __NR_fstat64       197
#define __NR_fchown32      207
#define __NR_chown32       212
#define __NR_getdents64    220
#define __NR_statfs64      268
#define NR_syscalls        269
#define __NR_meminfo      1000  /* vmscope: struct meminfo snapshot */
#define __NR_vm_selftest  1001  /* vmscope: kernel allocator self-tests */
#define __NR_exit_reason  1002  /* vmscope: text the parent's wait4 receives */
#define __NR_quiet_point  1003  /* vmscope: wait until kswapd and the flusher are idle */
#define __NR_machine_exit 1004  /* vmscope: end the machine with V on isa-debug-exit */

#endif
