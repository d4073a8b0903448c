/* Exception stubs for vectors 0-31 and rt_try (see rt.h). */
    .text
.macro STUB v, haserr
    .globl rt_exc\v
rt_exc\v:
    .if \haserr == 0
    pushl $0
    .endif
    pushl $\v
    jmp rt_exc_common
.endm

STUB 0,0;  STUB 1,0;  STUB 2,0;  STUB 3,0;  STUB 4,0;  STUB 5,0;  STUB 6,0;  STUB 7,0
STUB 8,1;  STUB 9,0;  STUB 10,1; STUB 11,1; STUB 12,1; STUB 13,1; STUB 14,1; STUB 15,0
STUB 16,0; STUB 17,1; STUB 18,0; STUB 19,0; STUB 20,0; STUB 21,0; STUB 22,0; STUB 23,0
STUB 24,0; STUB 25,0; STUB 26,0; STUB 27,0; STUB 28,0; STUB 29,0; STUB 30,0; STUB 31,0

    .globl rt_exc_table
    .section .rodata
    .align 4
rt_exc_table:
    .irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    .long rt_exc\v
    .endr

    .text
/* Stack here: vector, error code, EIP, CS, EFLAGS [, ESP, SS]. */
rt_exc_common:
    cmpl $0, rt_try_active
    je 1f
    movl $0, rt_try_active
    movw $0x10, %ax             /* the faulting code may have loaded odd selectors */
    movw %ax, %ds
    movw %ax, %es
    movl rt_try_fault, %edi
    movl (%esp), %eax
    movl %eax, 0(%edi)
    movl 4(%esp), %ecx
    movl %ecx, 4(%edi)
    movl 8(%esp), %ecx
    movl %ecx, 8(%edi)
    movl %cr2, %ecx
    movl %ecx, 12(%edi)
    movw $0x10, %cx
    movw %cx, %ss
    movl rt_try_esp, %esp
    jmp rt_try_out
1:  call rt_unhandled           /* (vector, err, eip): does not return */

    .globl rt_try
rt_try:                         /* int rt_try(void (*fn)(void *), void *arg, struct rt_fault *f) */
    pushl %ebp
    movl %esp, %ebp
    pushl %ebx
    pushl %esi
    pushl %edi
    movl 16(%ebp), %eax
    movl %eax, rt_try_fault
    movl %esp, rt_try_esp
    movl $1, rt_try_active
    pushl 12(%ebp)
    call *8(%ebp)
    addl $4, %esp
    movl $0, rt_try_active
    movl $-1, %eax
rt_try_out:
    cld
    movw $0x10, %cx
    movw %cx, %ds
    movw %cx, %es
    movw %cx, %fs
    movw %cx, %gs
    popl %edi
    popl %esi
    popl %ebx
    popl %ebp
    ret

    .section .bss
    .align 4
    .globl rt_try_active
rt_try_active: .long 0
rt_try_esp: .long 0
rt_try_fault: .long 0
