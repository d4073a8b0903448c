/* User program entry: the kernel leaves argc, argv[], NULL on the stack
 * (kernel/exec.c). Call main(argc, argv) and exit with its result. */
    .section .text.start, "ax"
    .globl _start
_start:
    xorl %ebp, %ebp
    movl (%esp), %eax           /* argc */
    leal 4(%esp), %edx          /* argv */
    andl $-16, %esp
    subl $8, %esp
    pushl %edx
    pushl %eax
    call main
    pushl %eax
    call exit
1:  jmp 1b

/* long syscall6(nr, a, b, c, d, e, f): int $0x80 with EAX = nr and the
 * arguments in EBX ECX EDX ESI EDI EBP; returns EAX. */
    .text
    .globl syscall6
syscall6:
    pushl %ebp
    pushl %edi
    pushl %esi
    pushl %ebx
    movl 20(%esp), %eax
    movl 24(%esp), %ebx
    movl 28(%esp), %ecx
    movl 32(%esp), %edx
    movl 36(%esp), %esi
    movl 40(%esp), %edi
    movl 44(%esp), %ebp
    int $0x80
    popl %ebx
    popl %esi
    popl %edi
    popl %ebp
    ret
