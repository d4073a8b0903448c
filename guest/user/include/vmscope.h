/* vmscope's own calls and the test-program helpers (guest/user/lib/). */
#ifndef VMSCOPE_USER_VMSCOPE_H
#define VMSCOPE_USER_VMSCOPE_H

#include <uapi/vmstat.h>

/* Snapshot of the kernel's allocators (flags: MI_SHRINK). */
int meminfo(struct meminfo *mi, int flags);
/* Wait until kswapd and the disk are idle, give back free slabs and
 * unreachable swap-cache pages, and take a meminfo snapshot there (a
 * "mark" record in the trace). flags: QP_UNUSE. */
int quiet_point(struct meminfo *mi, int flags);
/* Run a kernel allocator self-test (ST_*); 0 or -1 with a reason in msg. */
int vm_selftest(int which, unsigned long seed, char *msg, unsigned long msglen);
/* Set the text the parent's wait4 will see as this process's exit reason. */
int exit_reason(const char *reason);
/* End the machine with status V on isa-debug-exit (init only): vmscope
 * and QEMU exit with (V<<1)|1. */
int machine_exit(int status);

/* Test helpers: fail() records "reason" (printf-style) as the exit reason
 * and exits with status 1; init prints it in the FAIL line. check(cond,
 * ...) fails when cond is false. */
void fail(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
#define check(cond, ...) do { if (!(cond)) fail(__VA_ARGS__); } while (0)
/* Our text and data are mapped from the page cache on first touch, and
 * reclaim may unmap them again: touch every page of the image so that none
 * is in the droppable pool (QP_DROP) when free pages are counted, or a code
 * path first taken (or a page reclaimed) between two counts looks like a
 * leak (or a gain). */
void touch_image(void);
/* Free pages at a quiet point with the unused caches dropped (a stable
 * figure for leak checks). */
unsigned long free_pages_now(void);

#endif
