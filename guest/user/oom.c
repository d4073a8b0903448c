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
    check(quiet_point(&m0, QP_UNUSE | QP_DROP) == 0, "quiet_point failed");
    check(run_child(1, &status), "the child was not killed for lack of memory (status %04x)", status);
    check(quiet_point(&m1, QP_UNUSE | QP_DROP) == 0, "quiet_point failed");
    check(m1.oom_kills == m0.oom_kills + 1, "%lu OOM kills", m1.oom_kills - m0.oom_kills);
    check(m1.swap_used == m0.swap_used, "%ld swap slots still used", (long)(m1.swap_used - m0.swap_used));
    check(m1.free_pages == m0.free_pages, "%ld frames not given back", (long)(m0.free_pages - m1.free_pages));
    printf("oom: the child holding RAM and swap was killed (SIGKILL: out of memory); the rest goes on\n");
    return 0;
}
