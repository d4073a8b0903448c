/* segv: faults and traps in user mode kill only the offending process.
 * Each case runs in a child; the parent checks the signal and the reason
 * the kernel gave (wait4's ru_reason) and prints it. The kernel survives
 * them all, and the parent goes on. (Running out of memory is the oom
 * program's case.) */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <vmscope.h>

static char *ro_page;

static void null_read(void) { (void)*(volatile int *)0; }
static void null_write(void) { *(volatile int *)0 = 1; }
static void kernel_read(void) { (void)*(volatile int *)0xC0100000; }
static void kernel_write(void) { *(volatile int *)0xC0100000 = 1; }
static void text_write(void) { *(volatile char *)(void *)null_read = 0; }
static void ro_write(void) { ro_page[100] = 1; }
static void null_call(void) { ((void (*)(void))0)(); }
static void privileged(void) { __asm__ volatile("cli"); }
static void port_io(void) { __asm__ volatile("outb %%al, $0x80" :: "a"(0)); }
static void divide(void) { volatile int z = 0; volatile int r = 10 / z; (void)r; }
static void undefined(void) { __asm__ volatile("ud2"); }
static void breakpoint(void) { __asm__ volatile("int3"); }
static void bad_stack(void) { __asm__ volatile("movl $0xC0001000, %%esp; pushl $0" ::: "memory"); }

static const struct {
    const char *name;
    void (*fn)(void);
    int sig;
    const char *reason;     /* expected start of ru_reason */
} cases[] = {
    { "null read", null_read, SIGSEGV, "SIGSEGV: read of 00000000 (no mapping)" },
    { "null write", null_write, SIGSEGV, "SIGSEGV: write to 00000000 (no mapping)" },
    { "kernel read", kernel_read, SIGSEGV, "SIGSEGV: read of c0100000 (kernel address)" },
    { "kernel write", kernel_write, SIGSEGV, "SIGSEGV: write to c0100000 (kernel address)" },
    { "text write", text_write, SIGSEGV, "SIGSEGV: write to 0804" },
    { "read-only write", ro_write, SIGSEGV, "SIGSEGV: write to " },
    { "call NULL", null_call, SIGSEGV, "SIGSEGV: read of 00000000 (no mapping)" },
    { "cli", privileged, SIGSEGV, "SIGSEGV: general protection" },
    { "port I/O", port_io, SIGSEGV, "SIGSEGV: general protection" },
    { "divide by 0", divide, SIGFPE, "SIGFPE: divide error" },
    { "ud2", undefined, SIGILL, "SIGILL: invalid opcode" },
    { "int3", breakpoint, SIGTRAP, "SIGTRAP: int3" },
    { "esp in kernel", bad_stack, SIGSEGV, "SIGSEGV: write to c0000ffc (kernel address)" },
};

int main(void)
{
    ro_page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    check(ro_page != MAP_FAILED, "mmap failed");
    ro_page[0] = 1;
    check(mprotect(ro_page, 4096, PROT_READ) == 0, "mprotect failed");
    unsigned long f0 = 0;
    for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        if (i == 1)
            f0 = free_pages_now();  /* after the first case has faulted in our code */
        pid_t pid = fork();
        check(pid >= 0, "fork failed");
        if (pid == 0) {
            cases[i].fn();
            _exit(0);
        }
        int status;
        struct rusage ru;
        check(wait4(pid, &status, 0, &ru) == pid, "wait4 failed");
        check(WIFSIGNALED(status) && WTERMSIG(status) == cases[i].sig,
              "%s: status %04x (%s)", cases[i].name, status, ru.ru_reason);
        check(!strncmp(ru.ru_reason, cases[i].reason, strlen(cases[i].reason)),
              "%s: reason \"%s\"", cases[i].name, ru.ru_reason);
        printf("segv: %-15s -> %s\n", cases[i].name, ru.ru_reason);
    }
    check(syscall6(9999, 0, 0, 0, 0, 0, 0) == -ENOSYS, "an unknown system call did not give ENOSYS");
    check(free_pages_now() == f0, "killed children leaked %ld pages", (long)(f0 - free_pages_now()));
    return 0;
}
