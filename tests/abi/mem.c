/* Memory calls: mmap2 (anonymous, file-backed private and shared, at a page
 * offset), munmap, mprotect, mremap (grow in place, move, refuse), madvise,
 * and the faults they make. Works in its current directory (a file).
 * calls: mmap2 munmap mprotect mremap madvise brk */
#include "abi.h"
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <sys/mman.h>

#define PG 4096
static sigjmp_buf jb;
static void *fault_addr;

static void on_segv(int sig, siginfo_t *si, void *uc)
{
    fault_addr = si->si_addr;
    siglongjmp(jb, 1);
}

/* Does writing (or reading) P fault? */
static int faults(volatile char *p, int write)
{
    if (sigsetjmp(jb, 1))
        return 1;
    if (write)
        *p = 1;
    else
        (void)*p;
    return 0;
}

static int all(const char *p, size_t n, char v)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != v)
            return 0;
    return 1;
}

int main(void)
{
    ABI_BEGIN("mem");
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigaction(SIGSEGV, &sa, NULL);

    char *a = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    say("mmap anonymous 4 pages: %s, page aligned: %s", yes(a != MAP_FAILED), yes(((unsigned long)a & (PG - 1)) == 0));
    say("starts zero: %s", yes(all(a, 4 * PG, 0)));
    memset(a, 'x', 4 * PG);
    say("mprotect page 1 read-only: %s", rv(mprotect(a + PG, PG, PROT_READ)));
    int fl = faults(a + PG + 5, 1);
    say("write to it faults: %s, at the byte: %s", yes(fl), yes(fault_addr == a + PG + 5));
    say("read from it: %s", yes(!faults(a + PG + 5, 0)));
    const char *r = rv(mprotect(a + PG, PG, PROT_NONE));
    say("mprotect PROT_NONE: %s, read faults: %s", r, yes(faults(a + PG, 0)));
    r = rv(mprotect(a + PG, PG, PROT_READ | PROT_WRITE));
    say("mprotect back: %s, contents kept: %s", r, yes(all(a + PG, PG, 'x')));
    say("mprotect unaligned: %s", rv(mprotect(a + 1, PG, PROT_READ)));
    r = rv(madvise(a + 2 * PG, PG, MADV_DONTNEED));
    say("madvise(DONTNEED) page 2: %s, reads zero after: %s", r, yes(all(a + 2 * PG, PG, 0)));
    r = rv(madvise(a, PG, MADV_NORMAL));
    const char *r2 = rv(madvise(a, PG, MADV_WILLNEED));
    say("madvise(NORMAL): %s, (WILLNEED): %s, (SEQUENTIAL): %s", r, r2, rv(madvise(a, PG, MADV_SEQUENTIAL)));
    say("madvise(advice 999): %s", rv(madvise(a, PG, 999)));

    munmap(a, 4 * PG);

    /* mremap, on a fresh mapping of one piece */
    a = mmap(NULL, 5 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    memset(a, 'x', 2 * PG);
    munmap(a + 2 * PG, 2 * PG);
    char *block = a + 4 * PG;       /* the last page stays, read-only: a wall */
    mprotect(block, PG, PROT_READ);
    char *g = mremap(a, 2 * PG, 4 * PG, 0);
    say("mremap grow in place into a hole: same address: %s", yes(g == a));
    say("contents kept: %s, new part zero: %s", yes(all(a, PG, 'x')), yes(all(a + 2 * PG, 2 * PG, 0)));
    say("mremap grow without MAYMOVE: %s", rv((long)mremap(a, 4 * PG, 8 * PG, 0)));
    char *m = mremap(a, 4 * PG, 8 * PG, MREMAP_MAYMOVE);
    say("mremap with MAYMOVE: moved: %s, contents kept: %s, old place unmapped: %s", yes(m != a && m != MAP_FAILED),
        yes(all(m, PG, 'x')), yes(faults(a, 0)));
    char *s = mremap(m, 8 * PG, 2 * PG, 0);
    say("mremap shrink: same address: %s, the rest unmapped: %s", yes(s == m), yes(faults(m + 3 * PG, 0)));
    r = rv(munmap(m, 2 * PG));
    say("munmap: %s, then faults: %s", r, yes(faults(m, 0)));
    say("munmap unaligned: %s", rv(munmap(m + 1, PG)));
    munmap(block, PG);
    say("mmap length 0: %s", rv((long)mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)));
    say("mmap without SHARED or PRIVATE: %s", rv((long)mmap(NULL, PG, PROT_READ, MAP_ANONYMOUS, -1, 0)));

    /* files: private and shared, at a page offset (mmap2 counts pages) */
    int fd = open("mem.dat", O_RDWR | O_CREAT | O_TRUNC, 0644);
    char buf[PG];
    for (int i = 0; i < 4; i++) {
        memset(buf, 'A' + i, PG);
        write(fd, buf, PG);
    }
    char *f = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 2 * PG);
    say("mmap file private at page 2: %s, reads %c%c", yes(f != MAP_FAILED), f[0], f[PG]);
    f[0] = 'p';
    pread(fd, buf, 1, 2 * PG);
    say("a private write stays private: the file has %c", buf[0]);
    munmap(f, 2 * PG);
    f = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, PG);
    f[10] = 's';
    munmap(f, PG);
    pread(fd, buf, 11, PG);
    say("a shared write reaches the file: %c", buf[10]);
    say("mmap at an unaligned offset: %s", rv((long)mmap(NULL, PG, PROT_READ, MAP_SHARED, fd, 100)));
    f = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, open("mem.dat", O_RDONLY), 0);
    say("mmap shared writable of a read-only fd: %s", rv((long)f));
    close(fd);
    unlink("mem.dat");

    /* a large anonymous mapping, touched sparsely */
    char *big = mmap(NULL, 32 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    say("mmap 32 MiB: %s", yes(big != MAP_FAILED));
    for (int i = 0; i < 32; i++)
        big[i << 20] = (char)i;
    int ok = 1;
    for (int i = 0; i < 32; i++)
        ok &= big[i << 20] == (char)i;
    say("one byte a MiB reads back: %s", yes(ok));
    say("munmap 32 MiB: %s", rv(munmap(big, 32 << 20)));
    ABI_END("mem");
    return 0;
}
