/* Guest annotations (DESIGN.md "Guest annotations"): the kernel reports its
 * memory-management decisions by writing a record's physical address to
 * port 0x440. Under QEMU the port is unclaimed and the write goes nowhere. */
#ifndef VMSCOPE_GUEST_ANNOTATE_H
#define VMSCOPE_GUEST_ANNOTATE_H

#include <kernel.h>

void annot_proc_create(int pid, int ppid, const char *name);
void annot_exec(int pid, const char *name);
void annot_exit(int pid, int status);
void annot_ctx_switch(int from, int to);
void annot_zero_fill(int pid, unsigned long vaddr, unsigned long pfn);
void annot_cow_copy(int pid, unsigned long vaddr, unsigned long old_pfn, unsigned long new_pfn);
void annot_oom_kill(int pid);

#endif
