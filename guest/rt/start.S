/* Entry of single-image test programs: Multiboot v1 header, our own flat GDT
 * (the Multiboot spec leaves GDTR undefined), a stack, then rt_start(). */
#define MB_MAGIC 0x1BADB002
#define MB_FLAGS 0x00000003     /* page-align modules, want memory info */

    .section .multiboot, "a"
    .align 4
    .long MB_MAGIC
    .long MB_FLAGS
    .long -(MB_MAGIC + MB_FLAGS)

    .section .text.start, "ax"
    .globl _start
_start:
    cli
    lgdt gdt_desc
    ljmp $0x08, $1f
1:  movw $0x10, %cx
    movw %cx, %ds
    movw %cx, %es
    movw %cx, %fs
    movw %cx, %gs
    movw %cx, %ss
    movl $rt_stack_top, %esp
    xorl %ebp, %ebp
    pushl $0
    popfl
    pushl %ebx                  /* Multiboot information */
    pushl %eax                  /* boot magic */
    call rt_start
2:  hlt
    jmp 2b

    .section .data
    .align 16
    .globl rt_gdt
rt_gdt:
    .quad 0                     /* 0x00 null */
    .quad 0x00CF9A000000FFFF    /* 0x08 ring-0 code, flat */
    .quad 0x00CF92000000FFFF    /* 0x10 ring-0 data, flat */
    .quad 0x00CFFA000000FFFF    /* 0x18 ring-3 code, flat */
    .quad 0x00CFF2000000FFFF    /* 0x20 ring-3 data, flat */
    .quad 0                     /* 0x28 TSS, filled by programs that need it */
    .quad 0, 0                  /* 0x30, 0x38 spare for tests */
gdt_end:
gdt_desc:
    .word gdt_end - rt_gdt - 1
    .long rt_gdt

    .section .bss
    .align 16
    .space 65536
    .globl rt_stack_top
rt_stack_top:
