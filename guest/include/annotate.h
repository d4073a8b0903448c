/* Guest annotations (DESIGN.md "Guest annotations"): the kernel reports its
 * memory-management decisions by writing a record's physical address to
 * port 0x440. Under QEMU the port is unclaimed and the write goes nowhere. */
#ifndef VMSCOPE_GUEST_ANNOTATE_H
#define VMSCOPE_GUEST_ANNOTATE_H

#include <kernel.h>

void annot_proc_create(int pid, int ppid, const char *name);
void annot_exec(int pid, const char *name);
void annot_comm(int pid, const char *name);
void annot_nosys(int pid, unsigned long nr);
void annot_exit(int pid, int status);
void annot_ctx_switch(int from, int to);
void annot_zero_fill(int pid, unsigned long vaddr, unsigned long pfn);
void annot_cow_copy(int pid, unsigned long vaddr, unsigned long old_pfn, unsigned long new_pfn);
void annot_oom_kill(int pid);
void annot_evict(int pid, unsigned long vpage, unsigned long pfn, unsigned long slot, unsigned policy);
void annot_swap_in(int pid, unsigned long vpage, unsigned long pfn, unsigned long slot);
void annot_swap_hit(int pid, unsigned long vpage, unsigned long pfn);
void annot_lru_move(unsigned long pfn, int active);
void annot_reclaim(int pid, int who, int priority, unsigned long scanned, unsigned long freed);
void annot_kswapd(int pid, int state, unsigned long free);
void annot_major_fault(int pid, unsigned long vpage, int source);
void annot_swap_free(int pid, unsigned long slot);
void annot_cow_reuse(int pid, unsigned long vaddr, unsigned long pfn);
void annot_stack_grow(int pid, unsigned long vpage);
void annot_frame_alloc(int pid, unsigned long pfn, unsigned order, unsigned use);
void annot_frame_free(int pid, unsigned long pfn, unsigned order);
void annot_mark(int pid, unsigned long label);
void annot_pcache_insert(int pid, unsigned long inode, unsigned long index, unsigned long pfn);
void annot_pcache_evict(int pid, unsigned long inode, unsigned long index, unsigned long pfn);
void annot_writeback(int pid, unsigned long inode, unsigned long index, unsigned long pfn);
void annot_pcache_hit(int pid, unsigned long inode, unsigned long index, unsigned long pfn);
void annot_file_fault(int pid, unsigned long vpage, unsigned long inode, unsigned long index,
                      unsigned long pfn);
void annot_vma_map(int pid, unsigned long vpage, unsigned long pages, unsigned type);
void annot_vma_unmap(int pid, unsigned long vpage, unsigned long pages);

#endif
