/* Page size and the kernel's virtual layout (Linux's asm-i386/page.h).
 *
 * Kernel address map (every process shares everything above PAGE_OFFSET;
 * built by head.S, paging_init() and vmalloc):
 *
 *   0xFFFFFFFF +---------------------------------+
 *              | unused (FIXADDR area in Linux)  |
 *   VMALLOC_END  0xFF800000 ----------------------+
 *              | vmalloc window: vm_struct areas |  scattered frames,
 *              | each followed by a guard page   |  page tables shared
 * VMALLOC_START = high_memory + 8 MiB, 4 MiB-aligned   lazily (vmalloc_fault)
 *              +---------------------------------+
 *              | 8 MiB gap: catches overruns     |
 *  high_memory +---------------------------------+  = PAGE_OFFSET + end of
 *              | direct map of low memory:       |    low memory (<= 896 MiB)
 *              |  frames, mem_map, page tables,  |
 *              |  slab pages, kernel stacks,     |
 *              |  the initrd module              |
 *   0xC0100000 | kernel image: text data bss     |  physical 1 MiB
 *   0xC0000000 | first MiB (BIOS, Multiboot info)|  PAGE_OFFSET
 *              +=================================+
 *   0xBFFFFFFF | user stack (grows down)         |  STACK_TOP = TASK_SIZE
 *              |   ...                           |
 *   0x40000000 | mmap area (TASK_UNMAPPED_BASE)  |  grows up
 *              |   ...                           |
 *              | brk heap (grows up)             |
 *   0x08048000 | program text, data, bss         |
 *   0x00000000 | unmapped: NULL dereferences     |
 *              +---------------------------------+
 */
#ifndef VMSCOPE_GUEST_PAGE_H
#define VMSCOPE_GUEST_PAGE_H

#define PAGE_SHIFT 12
#define PAGE_SIZE (1UL << PAGE_SHIFT)
#define PAGE_MASK (~(PAGE_SIZE - 1))
#define PAGE_ALIGN(a) (((a) + PAGE_SIZE - 1) & PAGE_MASK)

#define PAGE_OFFSET 0xC0000000UL
#define TASK_SIZE PAGE_OFFSET
#define TASK_UNMAPPED_BASE (TASK_SIZE / 3)
#define STACK_TOP TASK_SIZE
#define MAXMEM (896UL << 20)         /* most low memory the direct map covers */
#define VMALLOC_OFFSET (8UL << 20)
#define VMALLOC_END 0xFF800000UL

#ifndef __ASSEMBLER__
#define __pa(x) ((unsigned long)(x) - PAGE_OFFSET)
#define __va(x) ((void *)((unsigned long)(x) + PAGE_OFFSET))
#endif

#endif
