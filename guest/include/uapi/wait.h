/* Wait status encoding (Linux's): low 7 bits = the signal that killed the
 * process (0 if it exited), bits 8-15 = the exit code; a stopped child is
 * (signal << 8) | 0x7f, a continued one 0xffff. */
#ifndef VMSCOPE_GUEST_UAPI_WAIT_H
#define VMSCOPE_GUEST_UAPI_WAIT_H

#include <uapi/signal.h>

#define WNOHANG    0x00000001
#define WUNTRACED  0x00000002
#define WEXITED    0x00000004
#define WCONTINUED 0x00000008
#define WNOWAIT    0x01000000
#define __WNOTHREAD 0x20000000
#define __WALL     0x40000000
#define __WCLONE   0x80000000

#define WIFEXITED(s)   (((s) & 0x7f) == 0)
#define WEXITSTATUS(s) (((s) >> 8) & 0xff)
#define WIFSIGNALED(s) (((s) & 0x7f) != 0 && ((s) & 0x7f) != 0x7f)
#define WTERMSIG(s)    ((s) & 0x7f)
#define WIFSTOPPED(s)  (((s) & 0xff) == 0x7f)
#define WSTOPSIG(s)    WEXITSTATUS(s)
#define WIFCONTINUED(s) ((s) == 0xffff)

#define RUSAGE_SELF      0
#define RUSAGE_CHILDREN (-1)

#endif
