/* Copies between user and kernel memory with fault fixups (Linux's
 * arch/i386/lib/usercopy.c, as assembly). The faulting instructions are
 * listed in __ex_table; do_page_fault, finding a bad user address in kernel
 * mode, resumes at the fixup instead of oopsing. */

/* unsigned long __copy_user(void *to, const void *from, unsigned long n):
 * returns the bytes not copied (0 on success). */
    .text
    .globl __copy_user
__copy_user:
    pushl %esi
    pushl %edi
    movl 12(%esp), %edi
    movl 16(%esp), %esi
    movl 20(%esp), %ecx
    cld
1:  rep movsb
2:  movl %ecx, %eax
    popl %edi
    popl %esi
    ret

/* long __get_user_byte(const char *src): the byte, or -1 if it faults. */
    .globl __get_user_byte
__get_user_byte:
    movl 4(%esp), %edx
3:  movzbl (%edx), %eax
4:  ret
5:  movl $-1, %eax
    ret

    .section __ex_table, "a"
    .align 4
    .long 1b, 2b
    .long 3b, 5b
