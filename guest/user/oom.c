/* oom: a process that asks for more than RAM and swap together is killed
 * by the OOM killer (SIGKILL, and a console line from the kernel naming
 * it); its parent, init and the kernel go on, and the memory and swap it
 * held come back. */
#include <string.h>
#include <sys/wait.h>
#include <swaptest.h>

static void grab_everything(void)
{
    /* 64 MiB chunks, every page written, until the kernel kills us */
    for (;;) {
        char *p = mmap(NULL, 64 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED)
            return;
        for (int i = 0; i < (64 << 20); i += PAGE)
            p[i] = 1;
    }
}

/* Run a child (grabbing everything, or doing nothing) and reap it; its
 * wait status, and whether it died the OOM killer's way. */
static int run_child(int grab, int *status)
{
    pid_t pid = fork();
    check(pid >= 0, "fork failed");
    if (pid == 0) {
        if (grab)
            grab_everything();
        _exit(0);
    }
    struct rusage ru;
    check(wait4(pid, status, 0, &ru) == pid, "wait4 failed");
    return WIFSIGNALED(*status) && WTERMSIG(*status) == SIGKILL &&
           !strncmp(ru.ru_reason, "SIGKILL: out of memory", 22);
}

int main(void)
{
    static struct meminfo m0, m1;
    int status;
    memset(&m0, 0, sizeof m0);          /* resident before the kernel counts */
    memset(&m1, 0, sizeof m1);
    /* a first child that does nothing: our own pages for fork and wait4
     * are then resident before the start values are taken */
    check(!run_child(0, &status) && status == 0, "the idle child failed (status %04x)", status);
    /* with every page of ours back in RAM, before and after */
    touch_image();
    check(quiet_point(&m0, QP_UNUSE | QP_DROP) == 0, "quiet_point failed");
    check(run_child(1, &status), "the child was not killed for lack of memory (status %04x)", status);
    touch_image();
    check(quiet_point(&m1, QP_UNUSE | QP_DROP) == 0, "quiet_point failed");
    check(m1.oom_kills == m0.oom_kills + 1, "%lu OOM kills", m1.oom_kills - m0.oom_kills);
    check(m1.swap_used == m0.swap_used, "%ld swap slots still used", (long)(m1.swap_used - m0.swap_used));
    /* Reclaim took file pages that other processes map (init's text, asleep
     * in wait4) and QP_DROP then dropped them: page cache pages count as
     * free here, and the page cache may only have shrunk. init's leak
     * check, with no other process left, counts them exactly. */
    unsigned long pc0 = m0.frames_by_use[MI_USE_PCACHE], pc1 = m1.frames_by_use[MI_USE_PCACHE];
    check(pc1 <= pc0, "the page cache grew by %lu pages", pc1 - pc0);
    check(m1.free_pages + pc1 == m0.free_pages + pc0, "%ld frames not given back",
          (long)(m0.free_pages + pc0 - m1.free_pages - pc1));
    printf("oom: the child holding RAM and swap was killed (SIGKILL: out of memory); the rest goes on\n");
    return 0;
}
