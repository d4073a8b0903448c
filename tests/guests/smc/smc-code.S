/* smc: code that modifies code. Everything here lives in .text.smc, three
 * pages aligned on a page boundary, so that "same page as the writer",
 * "another page" and "an instruction that spans two pages" are what the
 * comments say. Each function is cdecl and returns its result in EAX.
 * SDM vol. 3A §8.1.3 / §11.6: a write to code that is about to run, even
 * the next instruction, is seen by the next fetch on P6 and later. */
    .section .text.smc, "ax"
    .balign 4096
    .globl smc_page0
smc_page0:

/* uint32_t smc_next(uint32_t v): store v into the immediate of the very
 * next instruction, then run it. Returns v. */
    .globl smc_next
smc_next:
    movl 4(%esp), %ecx
    movl %ecx, 1f+1
1:  movl $0, %eax
    ret

/* uint32_t smc_loop(uint32_t n): a loop whose body patches its own
 * immediate each time round (n > 0): returns the sum of n..1, plus the
 * effect of patching the ADD's immediate with a read-modify-write. */
    .globl smc_loop
smc_loop:
    pushl %ebx
    movl 8(%esp), %ecx
    xorl %ebx, %ebx
2:  movl %ecx, 3f+1
3:  movl $0, %eax
    addl %eax, %ebx
    addl $3, 4f+2               /* the ADD below adds 3 more every time */
4:  addl $0x11223344, %ebx      /* 81 c3 imm32 */
    decl %ecx
    jnz 2b
    movl %ebx, %eax
    popl %ebx
    ret

/* uint32_t smc_jump(uint32_t sel): point a JMP rel8 at one of two targets
 * (sel & 1), then take it. Returns 1 or 2. */
    .globl smc_jump
smc_jump:
    movl 4(%esp), %ecx
    andl $1, %ecx
    movb smc_jump_disp(%ecx), %al
    movb %al, 5f+1
5:  jmp 6f
6:  movl $1, %eax
    ret
7:  movl $2, %eax
    ret
smc_jump_disp:
    .byte 6b - (5b + 2), 7b - (5b + 2)

/* uint32_t smc_opcode(uint32_t pattern): rewrite a two-byte slot 32 times
 * (INC EAX, DEC EAX, NOP or SHL EAX,1 by the next two bits of pattern) and
 * run it after each rewrite; returns the accumulated EAX. */
    .globl smc_opcode
smc_opcode:
    pushl %ebx
    pushl %esi
    movl 12(%esp), %esi
    movl $32, %ecx
    movl $0x1000, %eax
8:  movl %esi, %ebx
    andl $3, %ebx
    rorl $2, %esi
    movw smc_opcode_tab(,%ebx,2), %dx
    movw %dx, 9f
9:  nop
    nop
    decl %ecx
    jnz 8b
    popl %esi
    popl %ebx
    ret
smc_opcode_tab:
    .byte 0x40, 0x90, 0x48, 0x90, 0x90, 0x90, 0xD1, 0xE0  /* INC, DEC, NOP, SHL EAX,1 */

/* uint32_t smc_far_call(uint32_t v): patch a function on page 2, call it. */
    .globl smc_far_call
smc_far_call:
    movl 4(%esp), %ecx
    movl %ecx, smc_far_fn+1
    call smc_far_fn
    ret

/* uint32_t smc_span(uint32_t v, uint32_t which): patch the immediate of a
 * MOV whose bytes span the boundary of pages 1 and 2: which=0 writes only
 * the bytes on page 2, which=1 only the byte on page 1, 2 all of them. */
    .globl smc_span
smc_span:
    movl 4(%esp), %eax
    movl 8(%esp), %ecx
    cmpl $1, %ecx
    je 10f
    jb 11f
    movl %eax, smc_span_fn+1
    jmp 12f
10: movb %al, smc_span_fn+1
    jmp 12f
11: shrl $8, %eax
    movw %ax, smc_span_fn+2
    shrl $16, %eax
    movb %al, smc_span_fn+4
12: call smc_span_fn
    ret

    .balign 4096
smc_page1:
    .fill 4096 - 2, 1, 0x90
smc_span_fn:                    /* B8 at page1+4094, imm32 over the boundary */
    movl $0x01020304, %eax
    ret

    .balign 16
    .globl smc_far_fn
smc_far_fn:
    movl $0, %eax
    ret

    .balign 4096
    .globl smc_buf
smc_buf:                        /* page 3: code generated at run time */
    .fill 4096, 1, 0xCC
    .balign 4096
