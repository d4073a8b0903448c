/* Building annotation records (trace/annot.h) and handing them to the
 * emulator: one 32-bit OUT of the record's physical address to ANNOT_PORT.
 * The record lives on the kernel stack, which the direct map makes
 * physically contiguous within the page; the emulator reads it during the
 * OUT, so it need not outlive the call. */
#include <kernel.h>
#include <annotate.h>
#include <io.h>
#include <page.h>
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
