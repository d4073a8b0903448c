/* Wait status encoding (Linux's): low 7 bits = the signal that killed the
 * process (0 if it exited), bits 8-15 = the exit code. */
#ifndef VMSCOPE_GUEST_UAPI_WAIT_H
#define VMSCOPE_GUEST_UAPI_WAIT_H

#define WNOHANG 1

#define WIFEXITED(s)   (((s) & 0x7f) == 0)
#define WEXITSTATUS(s) (((s) >> 8) & 0xff)
#define WIFSIGNALED(s) (((s) & 0x7f) != 0)
#define WTERMSIG(s)    ((s) & 0x7f)

/* The signals the kernel kills with (Linux numbers). */
#define SIGILL   4
#define SIGTRAP  5
#define SIGBUS   7
#define SIGFPE   8
#define SIGKILL  9
#define SIGSEGV 11

#define RUSAGE_SELF 0

#endif
