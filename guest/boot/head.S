/* Kernel entry (Linux 2.4's arch/i386/kernel/head.S, for Multiboot).
 *
 * The loader jumps to the physical address of _start with paging off, EAX =
 * the Multiboot magic and EBX = the physical address of the information.
 * Code here runs at physical addresses (PA() of each symbol) until paging is
 * on. It builds the early page tables: pg0/pg1 map physical 0-8 MiB both at
 * 0 (identity, so the next instruction after CR0.PG still runs) and at
 * PAGE_OFFSET; then it jumps to the kernel's virtual addresses, switches to
 * the idle task's stack and calls start_kernel(magic, mbi). paging_init()
 * later maps all low memory and removes the identity mapping. */
#include <segment.h>

#define __PAGE_OFFSET 0xC0000000
#define PA(x) ((x) - __PAGE_OFFSET)
#define MB_MAGIC 0x1BADB002
#define MB_FLAGS 0x00000003             /* page-align modules, memory info */
#define EARLY_PTES 2048                 /* 8 MiB */

    .section .multiboot, "a"
    .align 4
    .long MB_MAGIC
    .long MB_FLAGS
    .long -(MB_MAGIC + MB_FLAGS)

    .section .text.head, "ax"
    .globl _start
_start:
    cli
    cld
    lgdt PA(boot_gdt_desc)
    ljmp $__KERNEL_CS, $PA(1f)
1:  movl $__KERNEL_DS, %ecx
    movw %cx, %ds
    movw %cx, %es
    movw %cx, %fs
    movw %cx, %gs
    movw %cx, %ss
    movl %eax, %esi                     /* boot magic */
    movl %ebx, %edi                     /* Multiboot information (physical) */

    /* pg0, pg1: 2048 PTEs for physical 0 .. 8 MiB, present + writable */
    movl $PA(pg0), %ebx
    movl $0x003, %eax
    movl $EARLY_PTES, %ecx
2:  movl %eax, (%ebx)
    addl $4, %ebx
    addl $0x1000, %eax
    loop 2b
    movl $(PA(pg0) + 0x003), PA(swapper_pg_dir)
    movl $(PA(pg0) + 0x1003), PA(swapper_pg_dir) + 4
    movl $(PA(pg0) + 0x003), PA(swapper_pg_dir) + 768 * 4
    movl $(PA(pg0) + 0x1003), PA(swapper_pg_dir) + 769 * 4

    movl $PA(swapper_pg_dir), %eax
    movl %eax, %cr3
    movl %cr0, %eax
    orl $0x80010000, %eax               /* PG | WP: kernel writes honour R/O (COW) */
    movl %eax, %cr0
    movl $3f, %eax
    jmp *%eax                           /* to the virtual addresses */

3:  lgdt gdt_desc                       /* same table, virtual base */
    movl $(init_task_union + 8192), %esp
    xorl %ebp, %ebp
    pushl $0
    popfl
    pushl %edi
    pushl %esi
    call start_kernel
4:  cli
    hlt
    jmp 4b

    .section .data
    .align 8
    /* The GDT (Linux 2.4 selectors); the TSS descriptor is filled in by trap_init(). */
    .globl gdt_table
gdt_table:
    .quad 0x0000000000000000            /* 0x00 null */
    .quad 0x0000000000000000            /* 0x08 unused */
    .quad 0x00CF9A000000FFFF            /* 0x10 __KERNEL_CS: ring 0 code, 4 GiB */
    .quad 0x00CF92000000FFFF            /* 0x18 __KERNEL_DS: ring 0 data */
    .quad 0x00CFFA000000FFFF            /* 0x23 __USER_CS: ring 3 code */
    .quad 0x00CFF2000000FFFF            /* 0x2B __USER_DS: ring 3 data */
    .quad 0x0000000000000000            /* 0x30 __TSS */
    .quad 0, 0, 0                       /* 0x38-0x48: the running task's TLS (set_thread_area) */
gdt_end:
    .align 4
    .word 0
boot_gdt_desc:
    .word gdt_end - gdt_table - 1
    .long PA(gdt_table)
    .word 0
    .globl gdt_desc
gdt_desc:
    .word gdt_end - gdt_table - 1
    .long gdt_table

    .section .bss.page_aligned, "aw", @nobits
    .align 8192
    .globl init_task_union
init_task_union:                        /* pid 0's task_struct and boot stack */
    .space 8192
    .globl swapper_pg_dir
swapper_pg_dir:                         /* the kernel's page directory (init_mm) */
    .space 4096
    .globl pg0
pg0:                                    /* early page tables: 0-8 MiB */
    .space 8192
    .globl empty_zero_page_data
empty_zero_page_data:                   /* the shared zero page */
    .space 4096
