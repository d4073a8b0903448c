/* Interrupt, exception and system call entry; context switch (Linux 2.4's
 * arch/i386/kernel/entry.S).
 *
 * Every vector has a stub that pushes an error code (0 when the CPU gives
 * none) and the vector number, then common_interrupt saves the registers
 * as a struct pt_regs (include/ptrace.h) and calls handle_interrupt(regs).
 * Entries from ring 3 arrive on the task's kernel stack (TSS.esp0), so their
 * pt_regs sit at its top: task_pt_regs(). */
#include <segment.h>
#include <ptrace.h>

    .macro STUB vec
    .globl vector_\vec
vector_\vec:
    pushl $0
    pushl $\vec
    jmp common_interrupt
    .endm

    .macro STUB_ERR vec
    .globl vector_\vec
vector_\vec:
    pushl $\vec
    jmp common_interrupt
    .endm

    .text
    STUB 0
    STUB 1
    STUB 2
    STUB 3
    STUB 4
    STUB 5
    STUB 6
    STUB 7
    STUB_ERR 8
    STUB 9
    STUB_ERR 10
    STUB_ERR 11
    STUB_ERR 12
    STUB_ERR 13
    STUB_ERR 14
    STUB 15
    STUB 16
    STUB_ERR 17
    STUB 18
    STUB 19
    .irp v, 20,21,22,23,24,25,26,27,28,29,30,31
    STUB \v
    .endr
    .irp v, 32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47
    STUB \v
    .endr
    STUB 128

common_interrupt:
    pushl %gs
    pushl %fs
    pushl %es
    pushl %ds
    pushl %eax
    pushl %ebp
    pushl %edi
    pushl %esi
    pushl %edx
    pushl %ecx
    pushl %ebx
    movl $__KERNEL_DS, %edx
    movw %dx, %ds
    movw %dx, %es
    /* FS and GS may hold a user TLS selector that a switch makes stale; the
     * kernel uses neither, so a nested entry saves null ones and its own
     * exit cannot fault on them */
    xorl %edx, %edx
    movw %dx, %fs
    movw %dx, %gs
    cld
    pushl %esp
    call handle_interrupt
    addl $4, %esp
    .globl restore_all
restore_all:
    popl %ebx
    popl %ecx
    popl %edx
    popl %esi
    popl %edi
    popl %ebp
    popl %eax
1:  popl %ds
2:  popl %es
3:  popl %fs
4:  popl %gs
    addl $8, %esp                       /* vector, error code */
    iret

/* A selector that no longer names a usable descriptor (a TLS entry the
 * task cleared, a hostile sigreturn): the pop faults (#GP, #NP) in the
 * kernel; its fixup makes the slot null and pops again, as Linux does. */
5:  movl $0, (%esp)
    jmp 1b
6:  movl $0, (%esp)
    jmp 2b
7:  movl $0, (%esp)
    jmp 3b
8:  movl $0, (%esp)
    jmp 4b
    .section __ex_table, "a"
    .align 4
    .long 1b, 5b
    .long 2b, 6b
    .long 3b, 7b
    .long 4b, 8b
    .previous

/* ret_to_user(regs): leave the kernel through the saved registers at regs
 * (kernel_execve of init). */
    .globl ret_to_user
ret_to_user:
    movl 4(%esp), %esp
    jmp restore_all

/* A forked task's first switch lands here, with its pt_regs (a copy of the
 * parent's, EAX = 0) just above. */
    .globl ret_from_fork
ret_from_fork:
    call finish_task_switch
    pushl %esp
    call ret_from_sys_call
    addl $4, %esp
    jmp restore_all

/* A kernel thread's first switch lands here: EBX = fn, ESI = arg. */
    .globl kernel_thread_start
kernel_thread_start:
    call finish_task_switch
    sti
    pushl %esi
    call *%ebx
    pushl %eax
    call kthread_exit

/* switch_to_asm(prev, next): save the callee-saved registers and the stack
 * pointer in prev->esp, load next's, and return on next's stack. */
    .globl switch_to_asm
switch_to_asm:
    movl 4(%esp), %eax
    movl 8(%esp), %edx
    pushl %ebp
    pushl %ebx
    pushl %esi
    pushl %edi
    movl %esp, (%eax)
    movl (%edx), %esp
    popl %edi
    popl %esi
    popl %ebx
    popl %ebp
    ret

    .section .rodata
    .align 4
    .globl interrupt_vectors
interrupt_vectors:                      /* vectors 0..47 */
    .irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23
    .long vector_\v
    .endr
    .irp v, 24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47
    .long vector_\v
    .endr
