/* cow: copy-on-write after fork, counted exactly.
 *
 * buf is four pages filled before fork. The kernel's counters (getrusage:
 * ru_ncow = copies, ru_nreuse = write faults that found one user and made
 * the page writable in place) must move exactly so:
 *   1. the child writes pages 0 and 1 while the parent still maps them:
 *      two copies; page 2 still reads the parent's data;
 *   2. the parent writes page 3 while the child (blocked on a flag in a
 *      MAP_SHARED page) still maps it: one copy; the child then still sees
 *      the old data, and its own write of page 3 is a reuse (one user left);
 *   3. with the child gone, the parent's writes to pages 0-2 are reuses;
 *      the child's writes never show in the parent.
 * Counter snapshots go to a page that is written first, so the snapshot
 * itself causes no fault in between. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <vmscope.h>

#define PG 4096
static char buf[4 * PG] __attribute__((aligned(PG)));
static int x = 1;
static struct { struct rusage r0, r1; } ctl __attribute__((aligned(PG)));

/* Touch a good depth of stack so that later calls fault nothing there. */
static void touch_stack(void)
{
    volatile char pad[2048];
    for (int i = 0; i < (int)sizeof pad; i += 256)
        pad[i] = 0;
}

static void snap(struct rusage *r)
{
    getrusage(RUSAGE_SELF, r);
}

int main(void)
{
    memset(buf, 'P', sizeof buf);
    volatile int *flag = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    check(flag != MAP_FAILED, "mmap of the flag page failed");
    *flag = 0;
    touch_stack();
    memset(&ctl, 0, sizeof ctl);

    pid_t pid = fork();
    check(pid >= 0, "fork failed");
    if (pid == 0) {
        touch_stack();
        memset(&ctl, 0, sizeof ctl);
        snap(&ctl.r0);
        buf[0 * PG] = 'C';
        buf[1 * PG] = 'C';
        snap(&ctl.r1);
        check(ctl.r1.ru_ncow - ctl.r0.ru_ncow == 2, "child: %lu COW copies for 2 writes",
              ctl.r1.ru_ncow - ctl.r0.ru_ncow);
        check(ctl.r1.ru_nreuse == ctl.r0.ru_nreuse, "child: a shared page was reused");
        check(buf[2 * PG] == 'P' && buf[0] == 'C' && x == 1, "child: wrong data after fork");
        while (*flag != 1)
            sched_yield();
        check(buf[3 * PG] == 'P', "child: saw the parent's write to page 3");
        snap(&ctl.r0);
        buf[3 * PG] = 'c';
        snap(&ctl.r1);
        check(ctl.r1.ru_nreuse - ctl.r0.ru_nreuse == 1 && ctl.r1.ru_ncow == ctl.r0.ru_ncow,
              "child: write to page 3 after the parent's copy: %lu reuses, %lu copies",
              ctl.r1.ru_nreuse - ctl.r0.ru_nreuse, ctl.r1.ru_ncow - ctl.r0.ru_ncow);
        x = 2;
        exit(0);
    }

    memset(&ctl, 0, sizeof ctl);
    snap(&ctl.r0);
    buf[3 * PG] = 'Q';
    snap(&ctl.r1);
    unsigned long pcopies = ctl.r1.ru_ncow - ctl.r0.ru_ncow;
    check(pcopies == 1 && ctl.r1.ru_nreuse == ctl.r0.ru_nreuse,
          "parent: write to a page the child maps: %lu copies", pcopies);
    *flag = 1;
    int status;
    struct rusage ru;
    check(wait4(pid, &status, 0, &ru) == pid, "wait4 failed");
    if (!WIFEXITED(status) || WEXITSTATUS(status))
        fail("%s", ru.ru_reason[0] ? ru.ru_reason : "child failed");
    check(ru.ru_ncow >= 2, "wait4 reported %lu child COW copies", ru.ru_ncow);
    check(buf[0] == 'P' && buf[PG] == 'P' && buf[3 * PG] == 'Q' && x == 1,
          "parent sees the child's writes");

    snap(&ctl.r0);
    buf[0 * PG] = 'R';
    buf[1 * PG] = 'R';
    buf[2 * PG] = 'R';
    snap(&ctl.r1);
    check(ctl.r1.ru_nreuse - ctl.r0.ru_nreuse == 3 && ctl.r1.ru_ncow == ctl.r0.ru_ncow,
          "parent alone: %lu reuses and %lu copies for 3 writes",
          ctl.r1.ru_nreuse - ctl.r0.ru_nreuse, ctl.r1.ru_ncow - ctl.r0.ru_ncow);
    printf("cow: child copied 2 pages, parent 1; the last user of a page reuses it (4 times)\n");
    return 0;
}
