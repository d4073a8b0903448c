/* Helpers of the swap test programs (swap-linear, swap-random,
 * swap-parallel, swap-fork, swap-shared): the RAM size, page patterns that
 * tell every page and version apart, and a seeded random generator, so
 * every run (and both emulators) does the same accesses. */
#ifndef VMSCOPE_USER_SWAPTEST_H
#define VMSCOPE_USER_SWAPTEST_H

#include <stdio.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <vmscope.h>

#define PAGE 4096u
#define WORDS (PAGE / 4)

/* Frames the kernel manages: "RAM" in pages. */
static inline unsigned long ram_pages(void)
{
    static struct meminfo mi;
    check(meminfo(&mi, 0) == 0, "meminfo failed");
    return mi.total_pages;
}

/* n pages of private (or shared) anonymous memory, or fail. */
static inline unsigned *map_pages(unsigned long n, int shared)
{
    void *p = mmap(NULL, n * PAGE, PROT_READ | PROT_WRITE,
                   (shared ? MAP_SHARED : MAP_PRIVATE) | MAP_ANONYMOUS, -1, 0);
    check(p != MAP_FAILED, "mmap of %lu pages failed (errno %d)", n, errno);
    return p;
}

/* The first word of page idx's pattern in version seed: a hash, so pages
 * and versions differ in every word (word i holds base + i). */
static inline unsigned pattern_base(unsigned long idx, unsigned seed)
{
    unsigned x = (unsigned)idx * 0x9E3779B1u ^ seed * 0x85EBCA77u;
    x ^= x >> 15;
    x *= 0x2C1B3C6Du;
    return x ^ (x >> 12);
}

/* Write page idx (at p) in version seed; word 0 names the page. */
static inline void fill_page(unsigned *p, unsigned long idx, unsigned seed)
{
    unsigned base = pattern_base(idx, seed);
    p[0] = (unsigned)idx;
    for (unsigned i = 1; i < WORDS; i++)
        p[i] = base + i;
}

/* Does page idx (at p) hold version seed, every word of it? */
static inline int page_ok(const unsigned *p, unsigned long idx, unsigned seed)
{
    unsigned base = pattern_base(idx, seed), bad = p[0] ^ (unsigned)idx;
    for (unsigned i = 1; i < WORDS; i++)
        bad |= p[i] ^ (base + i);
    return !bad;
}

/* xorshift32: the same numbers on every run. */
static inline unsigned next_random(unsigned *state)
{
    unsigned x = *state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return *state = x;
}

#endif
