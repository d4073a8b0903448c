/* sbrk: heap growth through brk. Fresh heap pages must read as zero (each
 * first read maps the shared zero page, each first write then gets a zeroed
 * frame of its own); shrinking the heap gives its frames back, and pages
 * grown again read as zero, not as their old contents. Then malloc, which
 * sits on sbrk, is exercised with blocks of many sizes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include <vmscope.h>

#define PG 4096
#define NPAGES 16

static struct rusage r0, r1;

int main(void)
{
    getrusage(RUSAGE_SELF, &r0);            /* fault in the counters' page */
    char *start = sbrk(0);
    check(((unsigned long)start & (PG - 1)) == 0, "initial break %p is not page-aligned", start);
    char *p = sbrk(NPAGES * PG);
    check(p == start, "sbrk returned %p, expected %p", p, start);
    check(sbrk(0) == start + NPAGES * PG, "break did not move");

    getrusage(RUSAGE_SELF, &r0);
    unsigned long sum = 0;
    for (int i = 0; i < NPAGES * PG; i += 64)
        sum += ((volatile char *)p)[i];
    getrusage(RUSAGE_SELF, &r1);
    check(sum == 0, "fresh heap is not zero");
    check(r1.ru_nzeropage - r0.ru_nzeropage == NPAGES, "%lu zero-page faults reading %d pages",
          r1.ru_nzeropage - r0.ru_nzeropage, NPAGES);

    getrusage(RUSAGE_SELF, &r0);
    for (int i = 0; i < NPAGES; i++)
        memset(p + i * PG, 'a' + i, PG);
    getrusage(RUSAGE_SELF, &r1);
    check(r1.ru_nzfod - r0.ru_nzfod == NPAGES && r1.ru_ncow == r0.ru_ncow,
          "%lu zero-fills writing %d zero-page pages", r1.ru_nzfod - r0.ru_nzfod, NPAGES);

    unsigned long f0 = free_pages_now();
    check(sbrk(-(NPAGES / 2) * PG) == start + NPAGES * PG, "shrinking sbrk failed");
    unsigned long f1 = free_pages_now();
    check(f1 - f0 == NPAGES / 2, "shrinking by %d pages freed %ld", NPAGES / 2, (long)(f1 - f0));
    check(sbrk((NPAGES / 2) * PG) == start + (NPAGES / 2) * PG, "regrowing sbrk failed");
    for (int i = 0; i < NPAGES / 2; i++)
        check(p[i * PG] == 'a' + i && p[i * PG + PG - 1] == 'a' + i, "kept heap page %d changed", i);
    for (int i = NPAGES / 2; i < NPAGES; i++)
        for (int j = 0; j < PG; j += 512)
            check(p[i * PG + j] == 0, "regrown heap page %d kept old data", i);

    /* a child inherits the heap copy-on-write */
    pid_t pid = fork();
    if (pid == 0) {
        if (p[3 * PG] != 'd')
            _exit(2);
        memset(p, 'z', PG);
        _exit(0);
    }
    int status;
    check(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0,
          "child did not see the heap");
    check(p[0] == 'a', "the child's heap write reached the parent");

    /* malloc on top of brk */
    static char *blk[200];
    static int len[200];
    for (int round = 0; round < 3; round++) {
        for (int i = 0; i < 200; i++) {
            len[i] = 1 + (i * 37 + round * 101) % 3000;
            blk[i] = malloc(len[i]);
            check(blk[i] != NULL, "malloc(%d) failed", len[i]);
            memset(blk[i], i & 0xff, len[i]);
        }
        for (int i = 0; i < 200; i += 2)
            free(blk[i]);
        for (int i = 1; i < 200; i += 2)
            for (int j = 0; j < len[i]; j += 97)
                check((unsigned char)blk[i][j] == (i & 0xff), "malloc block %d overwritten", i);
        for (int i = 1; i < 200; i += 2)
            free(blk[i]);
    }
    check(brk((void *)0xC0001000) < 0, "brk into the kernel succeeded");
    printf("sbrk: heap pages read as zero, grew and shrank; malloc blocks stayed intact\n");
    return 0;
}
