/* swap-linear: write a pattern over 3x RAM, then read it all back and check
 * every word. Only swapping can hold that much: at least 2x RAM must have
 * been written to swap and read back, which the kernel's counters and our
 * own major faults show. */
#include <swaptest.h>

int main(void)
{
    unsigned long ram = ram_pages(), n = 3 * ram;
    static struct meminfo m0, m1;
    struct rusage r0, r1;
    check(quiet_point(&m0, 0) == 0, "quiet_point failed");
    getrusage(RUSAGE_SELF, &r0);
    unsigned *mem = map_pages(n, 0);
    for (unsigned long i = 0; i < n; i++)
        fill_page(mem + i * WORDS, i, 1);
    for (unsigned long i = 0; i < n; i++)
        check(page_ok(mem + i * WORDS, i, 1), "page %lu of %lu came back wrong", i, n);
    getrusage(RUSAGE_SELF, &r1);
    check(quiet_point(&m1, 0) == 0, "quiet_point failed");
    /* at most RAM's worth is resident: the rest went out and came back */
    check(m1.pswpout - m0.pswpout >= n - ram, "only %lu pages written to swap for %lu pages over %lu of RAM",
          m1.pswpout - m0.pswpout, n, ram);
    /* pages came back from swap (the other major faults read our program's
     * text back from its file) */
    check(r1.ru_nswapin > r0.ru_nswapin && r1.ru_majflt - r0.ru_majflt >= r1.ru_nswapin - r0.ru_nswapin,
          "%lu major faults, %lu swap-ins", r1.ru_majflt - r0.ru_majflt, r1.ru_nswapin - r0.ru_nswapin);
    check(munmap(mem, n * PAGE) == 0, "munmap failed");
    printf("swap-linear: %lu pages (3x RAM) written and read back intact\n", n);
    return 0;
}
