/* init (pid 1): run the programs named by the run= option, one at a time,
 * and report each as "PASS name" or "FAIL name: reason"; then print the
 * kernel's reclaim counters on model: lines (they depend on timing), a
 * summary, and end the machine with status 0 (all passed) or 1.
 *
 *   run=all           the test programs, in the build's order (RUN_ALL)
 *   run=hello,cow     those programs, in that order
 *   (no run= option)  as run=all
 *   loop=N            run the list N times (0: until the machine is
 *                     stopped; scripts/soak), a "round N" line before each
 *
 * leakcheck is init's own test, not a program: at a quiet point with every
 * swapped-out page brought back (QP_UNUSE) and the unused caches dropped
 * (QP_DROP), free memory and swap use must
 * equal what they were when init started (after a warm-up that ran one
 * child, so init's own pages are all there already): no frame and no swap
 * slot leaked.
 *
 * Only one program runs at a time and only init prints its verdict, after
 * the program and its children are gone, so the console does not depend on
 * timing. The reason comes from the program's exit_reason() (see fail() in
 * the libc) or, for a killed program, from the kernel (signal and fault). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include <vmscope.h>

#ifndef RUN_ALL
#define RUN_ALL "hello"
#endif

static char list[512];
static int passed, failed;
static struct meminfo start, now;    /* quiet points: after the warm-up, at leakcheck */

static void add_list(const char *v)
{
    if (!strcmp(v, "all"))
        v = RUN_ALL;
    size_t len = strlen(list);
    if (len + strlen(v) + 2 > sizeof list)
        return;
    if (len)
        list[len++] = ',';
    strcpy(list + len, v);
}

/* Reap children that became ours when a program's parent exited first. */
static void reap_orphans(void)
{
    int status;
    while (wait4(-1, &status, WNOHANG, NULL) > 0)
        ;
}

/* leakcheck (see the top). */
static void leakcheck(void)
{
    touch_image();
    if (quiet_point(&now, QP_UNUSE | QP_DROP) < 0) {
        printf("FAIL leakcheck: quiet_point failed (errno %d)\n", errno);
        failed++;
        return;
    }
    long frames = (long)start.free_pages - (long)now.free_pages;
    long slots = (long)now.swap_used - (long)start.swap_used;
    if (frames || slots || now.swapcache_pages) {
        printf("FAIL leakcheck: %ld frames and %ld swap slots not given back, %lu pages in the swap cache\n",
               frames, slots, now.swapcache_pages);
        failed++;
        return;
    }
    printf("leakcheck: free memory and swap use are back to their start values\n");
    printf("PASS leakcheck\n");
    passed++;
}

static void run(const char *name)
{
    if (!strcmp(name, "leakcheck")) {
        leakcheck();
        return;
    }
    pid_t pid = fork();
    if (pid < 0) {
        printf("FAIL %s: fork failed (errno %d)\n", name, errno);
        failed++;
        return;
    }
    if (pid == 0) {
        char *argv[] = { (char *)name, NULL };
        exec_program(name, argv);
        char why[48];
        snprintf(why, sizeof why, "cannot exec %s (errno %d)", name, errno);
        exit_reason(why);
        _exit(127);
    }
    int status = 0;
    struct rusage ru;
    memset(&ru, 0, sizeof ru);
    if (wait4(pid, &status, 0, &ru) != pid) {
        printf("FAIL %s: wait4 failed (errno %d)\n", name, errno);
        failed++;
        return;
    }
    reap_orphans();
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
        printf("PASS %s\n", name);
        passed++;
        return;
    }
    failed++;
    if (ru.ru_reason[0])
        printf("FAIL %s: %s\n", name, ru.ru_reason);
    else if (WIFSIGNALED(status))
        printf("FAIL %s: killed by signal %d\n", name, WTERMSIG(status));
    else
        printf("FAIL %s: exit status %d\n", name, WEXITSTATUS(status));
}

/* Run one child through fork, exec and wait4 without a verdict, so the
 * code and data those paths touch in init are resident before the start
 * values are taken. */
static void warm_up(void)
{
    pid_t pid = fork();
    if (pid == 0) {
        char *argv[] = { "init", "--warm-up", NULL };
        execv("/sbin/init", argv);
        execv("/init", argv);
        _exit(127);
    }
    int status;
    if (pid > 0)
        wait4(pid, &status, 0, NULL);
    reap_orphans();
}

/* The kernel's reclaim counters (timing decides most of them). */
static void print_counters(void)
{
    if (quiet_point(&now, 0) < 0)
        return;
    printf("model: vmstat policy=%s pswpin=%lu pswpout=%lu pgmajfault=%lu pgscan=%lu pgsteal=%lu"
           " kswapd_wakeups=%lu reclaim=%lu/%lu oom_kills=%lu\n",
           now.reclaim_policy, now.pswpin, now.pswpout, now.pgmajfault, now.pgscan, now.pgsteal,
           now.kswapd_wakeups, now.reclaim_kswapd, now.reclaim_direct, now.oom_kills);
    printf("model: swap total=%lu used=%lu swapcache=%lu active=%lu inactive=%lu free=%lu\n",
           now.swap_total, now.swap_used, now.swapcache_pages, now.active_pages, now.inactive_pages,
           now.frames_free);
    static const char *const uses[MI_NR_USES] = { "kernel", "pgtable", "slab", "vmalloc", "anon",
                                                  "pcache", "swapcache", "buffer" };
    printf("model: pagecache insert=%lu evict=%lu writeback=%lu hit=%lu miss=%lu dirty=%lu\n",
           now.pgcache_insert, now.pgcache_evict, now.pgwriteback, now.pgcache_hit, now.pgcache_miss,
           now.dirty_pages);
    printf("model: frames");
    for (int u = 0; u < MI_NR_USES; u++)
        printf(" %s=%lu", uses[u], now.frames_by_use[u]);
    printf(" free=%lu\n", now.frames_free);
}

int main(int argc, char **argv)
{
    int rounds = 1;
    if (argc > 1 && !strcmp(argv[1], "--warm-up"))
        return 0;
    for (int i = 1; i < argc; i++) {
        if (!strncmp(argv[i], "run=", 4))
            add_list(argv[i] + 4);
        if (!strncmp(argv[i], "loop=", 5))
            rounds = atoi(argv[i] + 5);
    }
    if (!list[0])
        add_list("all");
    printf("init: running %s\n", list);
    memset(&start, 0, sizeof start);    /* resident before the kernel counts */
    memset(&now, 0, sizeof now);
    warm_up();
    touch_image();
    if (quiet_point(&start, QP_UNUSE | QP_DROP) < 0)
        printf("init: quiet_point failed (errno %d)\n", errno);
    for (int round = 1; rounds <= 0 || round <= rounds; round++) {
        if (rounds != 1)
            printf("round %d\n", round);
        for (const char *p = list; *p;) {
            char name[64];
            size_t n = 0;
            while (*p && *p != ',') {
                if (n < sizeof name - 1)
                    name[n++] = *p;
                p++;
            }
            if (*p)
                p++;
            name[n] = 0;
            if (n)
                run(name);
        }
    }
    print_counters();
    printf("summary: %d passed, %d failed\n", passed, failed);
    machine_exit(failed ? 1 : 0);
    return 1;
}
