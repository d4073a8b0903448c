/* mmap-anon: anonymous mappings.
 *  - A 64 MiB private mapping costs nothing until touched; writing one byte
 *    in each of 256 pages, 256 KiB apart, takes exactly 256 zero-fill
 *    faults, 256 frames and 16 page tables; reading 256 other pages maps
 *    the zero page 256 times and takes no frame; munmap gives every frame
 *    and page table back.
 *  - munmap of the middle of a mapping splits it: the hole faults (a child
 *    reading it is killed), both sides keep their data.
 *  - MAP_FIXED replaces what was there; MAP_SHARED pages are seen by a
 *    child and its parent alike; mprotect(PROT_READ) makes writes fault
 *    and mprotect back restores them with the data intact. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <vmscope.h>

#define PG 4096
#define MB (1024 * 1024)
#define SPAN (64 * MB)
#define STRIDE (256 * 1024)
#define TOUCHES (SPAN / STRIDE)

static struct rusage r0, r1;
static struct meminfo m0, m1;

/* Run fn in a child; return its wait status. */
static int in_child(void (*fn)(void *), void *arg)
{
    pid_t pid = fork();
    if (pid == 0) {
        fn(arg);
        _exit(0);
    }
    int status = -1;
    waitpid(pid, &status, 0);
    return status;
}

static void read_byte(void *p) { (void)*(volatile char *)p; }
static void write_byte(void *p) { *(volatile char *)p = 1; }

static void sparse(void)
{
    unsigned long f0 = free_pages_now();
    char *p = mmap(NULL, SPAN, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    check(p != MAP_FAILED, "mmap of 64 MiB failed");
    check(((unsigned long)p & (PG - 1)) == 0 && (unsigned long)p >= 0x40000000ul,
          "mmap returned %p", p);
    meminfo(&m0, MI_SHRINK);
    getrusage(RUSAGE_SELF, &r0);
    for (int i = 0; i < TOUCHES; i++)
        p[i * STRIDE] = (char)i;
    getrusage(RUSAGE_SELF, &r1);
    meminfo(&m1, MI_SHRINK);
    unsigned long zf = r1.ru_nzfod - r0.ru_nzfod;
    unsigned long faults = (r1.ru_minflt - r0.ru_minflt) - (r1.ru_nfile - r0.ru_nfile);
    check(zf == TOUCHES && faults == TOUCHES, "%lu faults, %lu zero-fills for %d touched pages",
          faults, zf, TOUCHES);
    unsigned long tables = m1.pgtable_pages - m0.pgtable_pages;
    check(tables == SPAN / (4 * MB), "%lu page tables for 64 MiB", tables);
    long frames = (long)(m0.free_pages - m1.free_pages) - (long)(m1.slab_pages - m0.slab_pages);
    check(frames == TOUCHES + (long)tables, "%ld frames used for %d pages and %lu tables",
          frames, TOUCHES, tables);

    getrusage(RUSAGE_SELF, &r0);
    unsigned long sum = 0;
    for (int i = 0; i < TOUCHES; i++)
        sum += p[i * STRIDE + STRIDE / 2];
    getrusage(RUSAGE_SELF, &r1);
    check(sum == 0, "untouched anonymous memory is not zero");
    check(r1.ru_nzeropage - r0.ru_nzeropage == TOUCHES && r1.ru_nzfod == r0.ru_nzfod,
          "%lu zero-page maps for %d reads", r1.ru_nzeropage - r0.ru_nzeropage, TOUCHES);
    for (int i = 0; i < TOUCHES; i++)
        check(p[i * STRIDE] == (char)i, "page %d lost its byte", i);
    check(munmap(p, SPAN) == 0, "munmap failed");
    unsigned long f1 = free_pages_now();
    check(f1 == f0, "munmap left %ld pages allocated", (long)(f0 - f1));
    check(WTERMSIG(in_child(read_byte, p + STRIDE)) == SIGSEGV, "unmapped memory is still readable");
}

static void split(void)
{
    unsigned long f0 = free_pages_now();
    char *p = mmap(NULL, 16 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    check(p != MAP_FAILED, "mmap of 16 pages failed");
    for (int i = 0; i < 16; i++)
        p[i * PG] = 'A' + i;
    check(munmap(p + 6 * PG, 4 * PG) == 0, "munmap of the middle failed");
    check(WTERMSIG(in_child(read_byte, p + 7 * PG)) == SIGSEGV, "the hole is still mapped");
    check(p[5 * PG] == 'F' && p[10 * PG] == 'K', "the sides of the hole lost data");
    check(in_child(write_byte, p + 15 * PG) == 0, "the upper side is not writable");
    check(munmap(p, 16 * PG) == 0, "munmap of the rest failed");
    check(free_pages_now() == f0, "split mapping leaked %ld pages", (long)(f0 - free_pages_now()));
}

static void fixed_shared_protect(void)
{
    char *want = (char *)0x50000000;
    char *p = mmap(want, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    check(p == want, "MAP_FIXED gave %p", p);
    p[0] = 'x';
    char *q = mmap(want, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    check(q == want && q[0] == 0, "MAP_FIXED did not replace the old page");
    check(mmap((void *)0x50000001, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED,
          "MAP_FIXED at an unaligned address succeeded");
    munmap(want, 2 * PG);

    volatile int *s = mmap(NULL, 3 * PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    check(s != MAP_FAILED, "MAP_SHARED failed");
    s[0] = 1;                               /* page 0 touched before fork, page 2 after */
    pid_t pid = fork();
    if (pid == 0) {
        s[0] = 42;
        s[2 * PG / sizeof(int)] = 43;
        _exit(0);
    }
    int status;
    waitpid(pid, &status, 0);
    check(s[0] == 42 && s[2 * PG / sizeof(int)] == 43, "the parent does not see the child's shared writes");
    munmap((void *)s, 3 * PG);

    char *r = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    r[0] = 'r';
    r[PG] = 's';
    check(mprotect(r, PG, PROT_READ) == 0, "mprotect failed");
    check(WTERMSIG(in_child(write_byte, r)) == SIGSEGV, "write to a read-only page did not fault");
    check(in_child(write_byte, r + PG) == 0, "the page after the mprotect range is read-only");
    check(mprotect(r, PG, PROT_READ | PROT_WRITE) == 0, "mprotect back failed");
    r[1] = 't';
    check(r[0] == 'r' && r[1] == 't' && r[PG] == 's', "data lost across mprotect");
    check(mprotect(r, PG, PROT_NONE) == 0 && WTERMSIG(in_child(read_byte, r)) == SIGSEGV,
          "PROT_NONE page is readable");
    check(mprotect(r, PG, PROT_READ) == 0 && r[0] == 'r', "PROT_NONE lost the data");
    check(mprotect((char *)0x60000000, PG, PROT_READ) < 0 && errno == ENOMEM, "mprotect of nothing succeeded");
    munmap(r, 2 * PG);
}

int main(void)
{
    getrusage(RUSAGE_SELF, &r0);
    meminfo(&m0, 0);
    sparse();
    split();
    fixed_shared_protect();
    printf("mmap-anon: 256 sparse pages of 64 MiB faulted one by one; munmap, MAP_FIXED, "
           "MAP_SHARED, mprotect ok\n");
    return 0;
}
