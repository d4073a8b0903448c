/* Building annotation records (trace/annot.h) and handing them to the
 * emulator: one 32-bit OUT of the record's physical address to ANNOT_PORT.
 * The record lives on the kernel stack, which the direct map makes
 * physically contiguous within the page; the emulator reads it during the
 * OUT, so it need not outlive the call. */
#include <kernel.h>
#include <annotate.h>
#include <io.h>
#include <page.h>
#include <sched.h>
#include "trace/annot.h"

/* Fill the header of rec and hand its physical address to the emulator.
 * rec must be in the direct map (stack or kmalloc), size its exact size. */
static void annot_emit(void *rec, unsigned kind, unsigned size, int pid)
{
    struct annot_hdr *h = rec;
    h->kind = kind;
    h->size = size;
    h->pid = pid;
    /* "memory": the record must be in RAM before the OUT, not in registers */
    __asm__ volatile("outl %0, %1" :: "a"((u32)__pa(rec)), "Nd"((u16)ANNOT_PORT) : "memory");
}

/* A 16-byte, NUL-padded process name. */
static void copy_name(char *dst, const char *name)
{
    memset(dst, 0, ANNOT_NAME_LEN);
    strlcpy(dst, name, ANNOT_NAME_LEN);
}

/* pid was created by ppid (fork or kernel_thread) with name. */
void annot_proc_create(int pid, int ppid, const char *name)
{
    struct annot_proc_create r;
    r.ppid = ppid;
    copy_name(r.name, name);
    annot_emit(&r, ANNOT_PROC_CREATE, sizeof r, pid);
}

/* pid now runs the program name. */
void annot_exec(int pid, const char *name)
{
    struct annot_exec r;
    copy_name(r.name, name);
    annot_emit(&r, ANNOT_EXEC, sizeof r, pid);
}

/* pid renamed itself (prctl PR_SET_NAME). */
void annot_comm(int pid, const char *name)
{
    struct annot_comm r;
    copy_name(r.name, name);
    annot_emit(&r, ANNOT_COMM, sizeof r, pid);
}

/* pid made system call nr, which the kernel does not implement. */
void annot_nosys(int pid, unsigned long nr)
{
    struct annot_nosys r;
    r.nr = nr;
    annot_emit(&r, ANNOT_NOSYS, sizeof r, pid);
}

/* pid ended with wait status status. */
void annot_exit(int pid, int status)
{
    struct annot_exit r;
    r.status = status;
    annot_emit(&r, ANNOT_EXIT, sizeof r, pid);
}

/* The CPU switches from pid from to pid to. */
void annot_ctx_switch(int from, int to)
{
    struct annot_ctx_switch r;
    r.to = to;
    annot_emit(&r, ANNOT_CTX_SWITCH, sizeof r, from);
}

/* pid got frame pfn at vaddr: a fresh zeroed frame, or the shared zero
 * page mapped read-only for a read (then pfn is the zero page). */
void annot_zero_fill(int pid, unsigned long vaddr, unsigned long pfn)
{
    struct annot_zero_fill r;
    r.vpage = vaddr >> 12;
    r.frame = pfn;
    annot_emit(&r, ANNOT_ZERO_FILL, sizeof r, pid);
}

/* pid broke copy-on-write at vaddr: old_pfn was copied into new_pfn. */
void annot_cow_copy(int pid, unsigned long vaddr, unsigned long old_pfn, unsigned long new_pfn)
{
    struct annot_cow_copy r;
    r.vpage = vaddr >> 12;
    r.old_frame = old_pfn;
    r.new_frame = new_pfn;
    annot_emit(&r, ANNOT_COW_COPY, sizeof r, pid);
}

/* pid is killed because memory ran out. */
void annot_oom_kill(int pid)
{
    struct annot_oom_kill r;
    annot_emit(&r, ANNOT_OOM_KILL, sizeof r, pid);
}

/* pid evicted frame pfn (its page vpage) to swap slot slot under policy. */
void annot_evict(int pid, unsigned long vpage, unsigned long pfn, unsigned long slot, unsigned policy)
{
    struct annot_evict r;
    r.vpage = vpage;
    r.frame = pfn;
    r.slot = slot;
    r.policy = policy;
    annot_emit(&r, ANNOT_EVICT, sizeof r, pid);
}

/* A read of swap slot slot into frame pfn started, for pid's page vpage
 * (ANNOT_NO_VPAGE: read around another fault). */
void annot_swap_in(int pid, unsigned long vpage, unsigned long pfn, unsigned long slot)
{
    struct annot_swap_in r;
    r.vpage = vpage;
    r.frame = pfn;
    r.slot = slot;
    annot_emit(&r, ANNOT_SWAP_IN, sizeof r, pid);
}

/* pid's fault at vpage found its page in the swap cache, in frame pfn. */
void annot_swap_hit(int pid, unsigned long vpage, unsigned long pfn)
{
    struct annot_swap_hit r;
    r.vpage = vpage;
    r.frame = pfn;
    annot_emit(&r, ANNOT_SWAP_CACHE_HIT, sizeof r, pid);
}

/* Frame pfn moved to the head of a list (0 inactive, 1 active). */
void annot_lru_move(unsigned long pfn, int active)
{
    struct annot_lru_move r;
    r.frame = pfn;
    r.list = active;
    annot_emit(&r, ANNOT_LRU_MOVE, sizeof r, current->pid);
}

/* A reclaim pass by pid: who (0 kswapd, 1 direct), priority, pages
 * scanned on the inactive list, frames freed. */
void annot_reclaim(int pid, int who, int priority, unsigned long scanned, unsigned long freed)
{
    struct annot_reclaim r;
    r.who = who;
    r.priority = priority;
    r.scanned = scanned;
    r.freed = freed;
    annot_emit(&r, ANNOT_RECLAIM, sizeof r, pid);
}

/* kswapd (pid) goes to sleep (state 0) or wakes (1) with free frames free. */
void annot_kswapd(int pid, int state, unsigned long free)
{
    struct annot_kswapd r;
    r.state = state;
    r.free_pages = free;
    annot_emit(&r, ANNOT_KSWAPD, sizeof r, pid);
}

/* pid's fault at vpage waited for a disk read (source 0 swap, 1 file). */
void annot_major_fault(int pid, unsigned long vpage, int source)
{
    struct annot_major_fault r;
    r.vpage = vpage;
    r.source = source;
    annot_emit(&r, ANNOT_MAJOR_FAULT, sizeof r, pid);
}

/* Swap slot slot has no reference left. */
void annot_swap_free(int pid, unsigned long slot)
{
    struct annot_swap_free r;
    r.slot = slot;
    annot_emit(&r, ANNOT_SWAP_FREE, sizeof r, pid);
}

/* pid's write to its copy-on-write page vaddr found it its own: frame pfn
 * made writable in place. */
void annot_cow_reuse(int pid, unsigned long vaddr, unsigned long pfn)
{
    struct annot_cow_reuse r;
    r.vpage = vaddr >> 12;
    r.frame = pfn;
    annot_emit(&r, ANNOT_COW_REUSE, sizeof r, pid);
}

/* pid's stack VMA now starts at virtual page vpage. */
void annot_stack_grow(int pid, unsigned long vpage)
{
    struct annot_stack_grow r;
    r.vpage = vpage;
    annot_emit(&r, ANNOT_STACK_GROW, sizeof r, pid);
}

/* 2^order frames from pfn now hold use (ANNOT_USE_*); allocated by pid. */
void annot_frame_alloc(int pid, unsigned long pfn, unsigned order, unsigned use)
{
    struct annot_frame_alloc r;
    r.frame = pfn;
    r.order = order;
    r.use = use;
    annot_emit(&r, ANNOT_FRAME_ALLOC, sizeof r, pid);
}

/* 2^order frames from pfn went back to the buddy allocator. */
void annot_frame_free(int pid, unsigned long pfn, unsigned order)
{
    struct annot_frame_free r;
    r.frame = pfn;
    r.order = order;
    annot_emit(&r, ANNOT_FRAME_FREE, sizeof r, pid);
}

/* pid now maps pages pages from vpage, of type (ANNOT_VMA_*). */
void annot_vma_map(int pid, unsigned long vpage, unsigned long pages, unsigned type)
{
    struct annot_vma_map r;
    r.vpage = vpage;
    r.pages = pages;
    r.type = type;
    annot_emit(&r, ANNOT_VMA_MAP, sizeof r, pid);
}

/* pid no longer maps pages pages from vpage. */
void annot_vma_unmap(int pid, unsigned long vpage, unsigned long pages)
{
    struct annot_vma_unmap r;
    r.vpage = vpage;
    r.pages = pages;
    annot_emit(&r, ANNOT_VMA_UNMAP, sizeof r, pid);
}

/* The page-cache records (struct annot_pcache) of kind KIND. */
static void pcache_event(unsigned kind, int pid, unsigned long inode, unsigned long index, unsigned long pfn)
{
    struct annot_pcache r;
    r.inode = inode;
    r.index = index;
    r.frame = pfn;
    annot_emit(&r, kind, sizeof r, pid);
}

/* Page index of file inode entered the page cache in frame pfn. */
void annot_pcache_insert(int pid, unsigned long inode, unsigned long index, unsigned long pfn)
{
    pcache_event(ANNOT_PCACHE_INSERT, pid, inode, index, pfn);
}

/* Reclaim dropped page index of inode (frame pfn) from the page cache. */
void annot_pcache_evict(int pid, unsigned long inode, unsigned long index, unsigned long pfn)
{
    pcache_event(ANNOT_PCACHE_EVICT, pid, inode, index, pfn);
}

/* A write of page index of inode (frame pfn) to the disk started. */
void annot_writeback(int pid, unsigned long inode, unsigned long index, unsigned long pfn)
{
    pcache_event(ANNOT_WRITEBACK, pid, inode, index, pfn);
}

/* read() found page index of inode cached in frame pfn. */
void annot_pcache_hit(int pid, unsigned long inode, unsigned long index, unsigned long pfn)
{
    struct annot_pcache_hit r;
    r.inode = inode;
    r.index = index;
    r.frame = pfn;
    annot_emit(&r, ANNOT_PCACHE_HIT, sizeof r, pid);
}

/* pid's fault at vpage was resolved with page index of inode (frame pfn). */
void annot_file_fault(int pid, unsigned long vpage, unsigned long inode, unsigned long index,
                      unsigned long pfn)
{
    struct annot_file_fault r;
    r.vpage = vpage;
    r.inode = inode;
    r.index = index;
    r.frame = pfn;
    annot_emit(&r, ANNOT_FILE_FAULT, sizeof r, pid);
}

/* A quiet point: viewers compare their counts with the kernel's here. */
void annot_mark(int pid, unsigned long label)
{
    struct annot_mark r;
    r.label = label;
    annot_emit(&r, ANNOT_MARK, sizeof r, pid);
}
