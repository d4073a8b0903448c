/* swap-fork: fork when at least half of the parent's memory is swapped
 * out. The child inherits swap entries (one more reference per slot) and
 * present pages (copy-on-write); it checks the parent's data, rewrites all
 * of it and checks its own, while the parent checks that its data did not
 * change. Both sides go through COW and through swap. */
#include <sys/wait.h>
#include <swaptest.h>

int main(void)
{
    unsigned long ram = ram_pages(), n = 2 * ram;
    static struct meminfo mi;
    unsigned *mem = map_pages(n, 0);
    for (unsigned long i = 0; i < n; i++)
        fill_page(mem + i * WORDS, i, 7);
    check(quiet_point(&mi, 0) == 0, "quiet_point failed");
    check(mi.swap_used >= n / 2, "only %lu of %lu pages are swapped out", mi.swap_used, n);
    pid_t pid = fork();
    check(pid >= 0, "fork failed");
    if (pid == 0) {
        for (unsigned long i = 0; i < n; i++)
            if (!page_ok(mem + i * WORDS, i, 7))
                fail("child: inherited page %lu is wrong", i);
        for (unsigned long i = 0; i < n; i++)
            fill_page(mem + i * WORDS, i, 8);
        for (unsigned long i = 0; i < n; i++)
            if (!page_ok(mem + i * WORDS, i, 8))
                fail("child: its own page %lu is wrong", i);
        return 0;
    }
    for (unsigned long i = 0; i < n; i++)
        check(page_ok(mem + i * WORDS, i, 7), "parent: page %lu changed while the child ran", i);
    int status;
    struct rusage ru;
    check(wait4(pid, &status, 0, &ru) == pid, "wait4 failed");
    check(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child: status %04x %s", status, ru.ru_reason);
    for (unsigned long i = 0; i < n; i++)
        check(page_ok(mem + i * WORDS, i, 7), "parent: page %lu changed after the child", i);
    printf("swap-fork: parent and child kept their own %lu pages through COW and swap\n", n);
    return 0;
}
