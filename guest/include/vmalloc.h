/* vmalloc: virtually contiguous kernel memory made of scattered frames,
 * mapped in the window above the direct map (Linux 2.4's mm/vmalloc.c). */
#ifndef VMSCOPE_GUEST_VMALLOC_H
#define VMSCOPE_GUEST_VMALLOC_H

#include <kernel.h>

struct vm_struct {
    unsigned long flags;
    void *addr;               /* first byte of the area */
    unsigned long size;       /* bytes, including the trailing guard page */
    struct vm_struct *next;   /* areas sorted by address */
};

/* Allocate size bytes (rounded up to pages), each page a separate frame.
 * Returns NULL when out of address space or memory. Process context. */
void *vmalloc(unsigned long size);
/* Unmap and free an area from vmalloc; flushes the TLB. NULL is ignored. */
void vfree(void *addr);
unsigned long vmalloc_pages(void);

#endif
