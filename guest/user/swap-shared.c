/* swap-shared: a MAP_SHARED|MAP_ANONYMOUS region, half of RAM, is pushed
 * out to swap (by a private region of 1.5x RAM touched and dropped), then
 * faulted back in by two processes in turn, each writing half the pages
 * and seeing the other's writes: sharing survives swapping both ways. */
#include <sys/wait.h>
#include <swaptest.h>

static unsigned long ram;

/* Touch 1.5x RAM of private memory and drop it: the shared pages must go. */
static void push_out(void)
{
    unsigned long n = ram + ram / 2;
    unsigned *p = map_pages(n, 0);
    for (unsigned long i = 0; i < n; i++)
        p[i * WORDS] = (unsigned)i;
    check(munmap(p, n * PAGE) == 0, "munmap failed");
}

/* Page i of the region holds version want(i)? Fail the caller if not. */
static void expect(const unsigned *mem, unsigned long n, unsigned even, unsigned odd, const char *who)
{
    for (unsigned long i = 0; i < n; i++)
        if (!page_ok(mem + i * WORDS, i, i & 1 ? odd : even))
            fail("%s: shared page %lu is not version %u", who, i, i & 1 ? odd : even);
}

/* Run fn in a child and require it to exit 0. */
static void in_child(void (*fn)(unsigned *, unsigned long), unsigned *mem, unsigned long n)
{
    pid_t pid = fork();
    check(pid >= 0, "fork failed");
    if (pid == 0) {
        fn(mem, n);
        _exit(0);
    }
    int status;
    struct rusage ru;
    check(wait4(pid, &status, 0, &ru) == pid, "wait4 failed");
    check(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child: status %04x %s", status, ru.ru_reason);
}

static void first_child(unsigned *mem, unsigned long n)
{
    expect(mem, n, 1, 1, "first child");
    for (unsigned long i = 0; i < n; i += 2)
        fill_page(mem + i * WORDS, i, 2);
}

static void second_child(unsigned *mem, unsigned long n)
{
    expect(mem, n, 2, 1, "second child");
    for (unsigned long i = 1; i < n; i += 2)
        fill_page(mem + i * WORDS, i, 3);
}

int main(void)
{
    ram = ram_pages();
    unsigned long n = ram / 2;
    static struct meminfo m0, m1;
    unsigned *mem = map_pages(n, 1);
    for (unsigned long i = 0; i < n; i++)
        fill_page(mem + i * WORDS, i, 1);
    check(quiet_point(&m0, 0) == 0, "quiet_point failed");
    push_out();
    check(quiet_point(&m1, 0) == 0, "quiet_point failed");
    check(m1.pswpout - m0.pswpout >= n / 2, "only %lu pages went to swap", m1.pswpout - m0.pswpout);
    in_child(first_child, mem, n);      /* faults the region back in, writes even pages */
    expect(mem, n, 2, 1, "parent");
    push_out();
    in_child(second_child, mem, n);     /* and again, writing odd pages */
    push_out();
    expect(mem, n, 2, 3, "parent");
    printf("swap-shared: %lu shared pages swapped out and back, seen alike by both processes\n", n);
    return 0;
}
