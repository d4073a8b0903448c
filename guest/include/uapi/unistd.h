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
#define __NR_write           4
#define __NR_waitpid         7
#define __NR_execve         11
#define __NR_getpid         20
#define __NR_brk            45
#define __NR_getppid        64
#define __NR_getrusage      77
#define __NR_reboot         88
#define __NR_munmap         91
#define __NR_wait4         114
#define __NR_mprotect      125
#define __NR_sched_yield   158
#define __NR_nanosleep     162
#define __NR_mmap2         192
#define __NR_meminfo      1000  /* vmscope: struct meminfo snapshot */
#define __NR_vm_selftest  1001  /* vmscope: kernel allocator self-tests */
#define __NR_exit_reason  1002  /* vmscope: text the parent's wait4 receives */
#define __NR_quiet_point  1003  /* vmscope: wait until kswapd and the flusher are idle */
#define __NR_machine_exit 1004  /* vmscope: end the machine with V on isa-debug-exit */

#endif
