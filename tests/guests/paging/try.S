/* pg_try: rt_try for the paging guests, with its own stubs for #UD, #GP and
 * #PF (guest/rt/idt.S's rt_exc_common loads SS from a clobbered EAX; until
 * that is fixed these stubs stand in). Same contract as rt_try:
 * int pg_try(void (*fn)(void *), void *arg, struct rt_fault *f) returns -1
 * when fn returns, else the vector, with *f filled. */
    .text
    .globl pg_exc6, pg_exc13, pg_exc14
pg_exc6:
    pushl $0
    pushl $6
    jmp pg_exc_common
pg_exc13:
    pushl $13
    jmp pg_exc_common
pg_exc14:
    pushl $14
    jmp pg_exc_common

/* Stack: vector, error code, EIP, CS, EFLAGS [, ESP, SS]. */
pg_exc_common:
    cmpl $0, pg_try_active
    jne 1f
    call rt_unhandled           /* (vector, err, eip): does not return */
1:  movl $0, pg_try_active
    movw $0x10, %ax
    movw %ax, %ds
    movw %ax, %es
    movl pg_try_fault, %edi
    movl 0(%esp), %ecx
    movl %ecx, 0(%edi)
    movl 4(%esp), %ecx
    movl %ecx, 4(%edi)
    movl 8(%esp), %ecx
    movl %ecx, 8(%edi)
    movl %cr2, %ecx
    movl %ecx, 12(%edi)
    movl 0(%esp), %eax          /* the return value: the vector */
    movw $0x10, %cx
    movw %cx, %ss
    movl pg_try_esp, %esp
    jmp pg_try_out

    .globl pg_try
pg_try:
    pushl %ebp
    movl %esp, %ebp
    pushl %ebx
    pushl %esi
    pushl %edi
    movl 16(%ebp), %eax
    movl %eax, pg_try_fault
    movl %esp, pg_try_esp
    movl $1, pg_try_active
    pushl 12(%ebp)
    call *8(%ebp)
    addl $4, %esp
    movl $0, pg_try_active
    movl $-1, %eax
pg_try_out:
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
pg_try_active: .long 0
pg_try_esp: .long 0
pg_try_fault: .long 0
