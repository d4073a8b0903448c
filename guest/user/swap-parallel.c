/* swap-parallel: four processes, each using 1x RAM, fill their memory and
 * check it twice at the same time: 4x RAM in use at once, every process
 * evicting the others' pages. Each child exits 0 when all its pages were
 * intact; the parent prints one line once all four are reaped. */
#include <sys/wait.h>
#include <swaptest.h>

#define NPROC 4

static int child(int k, unsigned long n)
{
    unsigned *mem = map_pages(n, 0);
    for (unsigned long i = 0; i < n; i++)
        fill_page(mem + i * WORDS, i, 100 + k);
    for (int pass = 0; pass < 2; pass++) {
        for (unsigned long i = 0; i < n; i++)
            if (!page_ok(mem + i * WORDS, i, 100 + k))
                fail("process %d: page %lu wrong in pass %d", k, i, pass);
        sched_yield();
    }
    return 0;
}

int main(void)
{
    unsigned long n = ram_pages();
    pid_t pids[NPROC];
    for (int k = 0; k < NPROC; k++) {
        pids[k] = fork();
        check(pids[k] >= 0, "fork failed");
        if (pids[k] == 0)
            return child(k, n);
    }
    for (int k = 0; k < NPROC; k++) {
        int status;
        struct rusage ru;
        check(wait4(pids[k], &status, 0, &ru) == pids[k], "wait4 failed");
        check(WIFEXITED(status) && WEXITSTATUS(status) == 0, "process %d: status %04x %s", k, status,
              ru.ru_reason);
    }
    printf("swap-parallel: %d processes of %lu pages (1x RAM each) intact\n", NPROC, n);
    return 0;
}
