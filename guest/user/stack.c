/* stack: the stack VMA grows down on demand (expand_stack in the fault
 * handler). A 2000-deep recursion with 512-byte frames grows the stack by
 * about 1 MiB and every frame keeps its values; doing it again grows
 * nothing. A 64 KiB local array is touched from its bottom. A child that
 * recurses without end is killed at the 8 MiB stack limit, and one that
 * touches memory 4 MiB below its stack pointer (outside the grown stack)
 * is killed too. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include <vmscope.h>

#define DEPTH 2000

static struct rusage r0, r1;

static int strstr_simple(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (; *hay; hay++)
        if (!strncmp(hay, needle, n))
            return 1;
    return 0;
}

static int recurse(int n)
{
    volatile char frame[500];
    frame[0] = (char)n;
    frame[499] = (char)(n * 3);
    int below = n ? recurse(n - 1) : 0;
    if (frame[0] != (char)n || frame[499] != (char)(n * 3))
        return -1000000;
    return below < 0 ? below : below + 1;
}

/* endless on purpose: the stack limit stops it */
#pragma GCC diagnostic ignored "-Winfinite-recursion"
__attribute__((noinline)) static int runaway(int n)
{
    volatile char frame[1000];
    frame[0] = (char)n;
    return runaway(n + 1) + frame[0];
}

static int big_array(void)
{
    volatile char a[65536];
    for (int i = 0; i < (int)sizeof a; i += 4096)
        a[i] = (char)i;
    int sum = 0;
    for (int i = 0; i < (int)sizeof a; i += 4096)
        sum += a[i] == (char)i;
    return sum;
}

int main(void)
{
    getrusage(RUSAGE_SELF, &r0);
    check(recurse(DEPTH) == DEPTH + 1, "a frame lost its values during the recursion");
    getrusage(RUSAGE_SELF, &r1);
    unsigned long grew = r1.ru_nstack - r0.ru_nstack;
    check(grew >= DEPTH * 512 / 4096 - 8, "the stack grew only %lu times for ~1 MiB", grew);
    check(grew <= r1.ru_nzfod - r0.ru_nzfod, "%lu expansions but only %lu zero-fills",
          grew, r1.ru_nzfod - r0.ru_nzfod);

    getrusage(RUSAGE_SELF, &r0);
    check(recurse(DEPTH) == DEPTH + 1, "the second recursion lost values");
    getrusage(RUSAGE_SELF, &r1);
    check(r1.ru_nstack == r0.ru_nstack && r1.ru_nzfod == r0.ru_nzfod,
          "the second recursion grew the stack again");
    check(big_array() == 16, "the 64 KiB local array lost data");

    pid_t pid = fork();
    if (pid == 0)
        _exit(runaway(0));
    int status;
    struct rusage ru;
    check(wait4(pid, &status, 0, &ru) == pid, "wait4 failed");
    check(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV && strstr_simple(ru.ru_reason, "stack limit"),
          "runaway recursion ended with status %d: %s", status, ru.ru_reason);
    check(ru.ru_nstack > 1500, "runaway child grew its stack only %lu times", ru.ru_nstack);

    pid = fork();
    if (pid == 0) {
        char *sp;
        __asm__ volatile("movl %%esp, %0" : "=r"(sp));
        _exit(*(volatile char *)(sp - 4 * 1024 * 1024));
    }
    check(wait4(pid, &status, 0, &ru) == pid, "wait4 failed");
    check(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV && strstr_simple(ru.ru_reason, "below the stack"),
          "access 4 MiB below esp ended with status %d: %s", status, ru.ru_reason);
    printf("stack: deep recursion grew the stack page by page; runaway recursion stopped at 8 MiB\n");
    return 0;
}
