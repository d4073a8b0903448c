/* Basic kernel definitions: types, printk, panic, small helpers. */
#ifndef VMSCOPE_GUEST_KERNEL_H
#define VMSCOPE_GUEST_KERNEL_H

#include <stddef.h>
#include <stdint.h>
#include <stdarg.h>
#include <lib/string.h>
#include <lib/vsprintf.h>
#include <uapi/errno.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int64_t s64;

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define min(a, b) ((a) < (b) ? (a) : (b))
#define max(a, b) ((a) > (b) ? (a) : (b))
#define ALIGN(x, a) (((x) + (a) - 1) & ~((a) - 1))
#define container_of(p, type, member) ((type *)((char *)(p) - offsetof(type, member)))
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#define __init
#define noreturn __attribute__((noreturn))

/* Machine end statuses written to isa-debug-exit (guest status V; QEMU and
 * vmscope exit with (V<<1)|1). */
#define EXIT_ALL_PASSED  0   /* init: every program passed */
#define EXIT_SOME_FAILED 1   /* init: at least one program failed */
#define EXIT_PANIC       2   /* panic(): a kernel invariant broke */
#define EXIT_OOPS        3   /* an unexpected exception in kernel mode */
#define EXIT_INIT_DIED   4   /* init exited or was killed */

/* Print to the console (COM1). Returns the number of bytes printed. */
int printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vprintk(const char *fmt, va_list ap);
/* Print "Kernel panic: <msg>" and end the machine with EXIT_PANIC. Any
 * context may call it. */
noreturn void panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* End the machine: write status to isa-debug-exit, then "Shutdown" to the
 * Bochs port, then halt forever with interrupts off. */
noreturn void machine_power_off(u32 status);
/* The kernel log (kernel/printk.c), for syslog. */
#define LOG_BUF_LEN 16384
unsigned long log_buf_unread(void);
void log_buf_clear(void);
/* Copy up to len bytes of the log into dst: from the last read on
 * (consume), else the newest len bytes; the bytes copied. */
unsigned long log_buf_copy(char *dst, unsigned long len, int consume);
/* init= mode: pid 1 is a user program, its end the machine's status. */
extern int init_is_user_program;
/* The model: line of system calls made, per number (at the machine's end). */
void print_syscall_counts(void);
/* End the machine without a status (reboot's POWER_OFF and HALT): "Shutdown"
 * on port 0x8900, then a triple fault for QEMU; both end with status 0. */
noreturn void machine_halt_nostatus(void);

#define BUG_ON(cond) do { if (unlikely(cond)) panic("BUG at %s:%d: %s", __FILE__, __LINE__, #cond); } while (0)

/* kernel/main.c: option words of the command line (key=value words only) */
extern char saved_command_line[];
/* The value of the first key=value word of the command line, copied into
 * buf (at most len-1 bytes); NULL when there is none. */
const char *cmdline_get(const char *key, char *buf, size_t len);
/* kernel/time.c: seconds since 1970 from the CMOS clock (0 if it is not sane). */
unsigned long get_cmos_time(void);

#endif
