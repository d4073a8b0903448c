/* exec-loop: fork + exec + exit + wait, many times. Each child execs this
 * program again with arguments ("child N a b c"), checks them, maps and
 * touches some memory (heap, mmap, a shared mapping) and exits with N; the
 * parent checks every status. After a warm-up (so slab caches have reached
 * their working size), free memory must return exactly to its start value:
 * nothing leaks through exec, exit or wait. exec of a missing file must fail
 * with ENOENT and leave the caller intact. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <vmscope.h>

#define ROUNDS 40

static int child(int argc, char **argv)
{
    if (argc != 6 || strcmp(argv[3], "a") || strcmp(argv[4], "bb") || strcmp(argv[5], "ccc"))
        return 255;
    int n = atoi(argv[2]);
    char *heap = malloc(20000);
    memset(heap, n, 20000);
    char *m = mmap(NULL, 8 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    char *s = mmap(NULL, 2 * 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED || s == MAP_FAILED)
        return 254;
    for (int i = 0; i < 8; i++)
        m[i * 4096] = (char)n;
    s[0] = 1;
    return n;
}

static void one_round(int i)
{
    char num[12];
    snprintf(num, sizeof num, "%d", i);
    pid_t pid = fork();
    check(pid >= 0, "fork failed in round %d", i);
    if (pid == 0) {
        /* grow the address space a little before exec throws it away */
        char *junk = malloc(50000);
        memset(junk, 1, 50000);
        char *argv[] = { "exec-loop", "child", num, "a", "bb", "ccc", NULL };
        exec_program("exec-loop", argv);
        _exit(253);
    }
    int status;
    struct rusage ru;
    check(wait4(pid, &status, 0, &ru) == pid, "wait4 failed in round %d", i);
    check(WIFEXITED(status) && WEXITSTATUS(status) == i,
          "round %d: child status %04x %s", i, status, ru.ru_reason);
}

int main(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "child"))
        return child(argc, argv);
    char *argv2[] = { "nothing", NULL };
    check(execv("/no-such-program", argv2) == -1 && errno == ENOENT, "exec of a missing file did not fail with ENOENT");
    check(exec_program("exec-loop", (char **)0xC0000000) == -1 && errno == EFAULT,
          "exec with a kernel argv did not fail");
    for (int i = 0; i < 3; i++)
        one_round(i);
    unsigned long f0 = free_pages_now();
    for (int i = 0; i < ROUNDS; i++)
        one_round(i);
    unsigned long f1 = free_pages_now();
    check(f1 == f0, "%ld pages leaked over %d rounds", (long)f0 - (long)f1, ROUNDS);
    printf("exec-loop: %d rounds of fork+exec+exit+wait; free memory back to its start value\n", ROUNDS);
    return 0;
}
