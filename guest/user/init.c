/* init (pid 1): run the programs named by the run= option, one at a time,
 * and report each as "PASS name" or "FAIL name: reason"; then print a
 * summary and power off with status 0 (all passed) or 1.
 *
 *   run=all           the test programs, in the build's order (RUN_ALL)
 *   run=hello,cow     those programs, in that order
 *   (no run= option)  as run=all
 *
 * Only one program runs at a time and only init prints its verdict, after
 * the program and its children are gone, so the console does not depend on
 * timing. The reason comes from the program's exit_reason() (see fail() in
 * the libc) or, for a killed program, from the kernel (signal and fault). */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include <vmscope.h>

#ifndef RUN_ALL
#define RUN_ALL "hello"
#endif

static char list[512];
static int passed, failed;

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

static void run(const char *name)
{
    char path[40];
    snprintf(path, sizeof path, "/%s", name);
    pid_t pid = fork();
    if (pid < 0) {
        printf("FAIL %s: fork failed (errno %d)\n", name, errno);
        failed++;
        return;
    }
    if (pid == 0) {
        char *argv[] = { (char *)name, NULL };
        execv(path, argv);
        char why[48];
        snprintf(why, sizeof why, "cannot exec %s (errno %d)", path, errno);
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

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (!strncmp(argv[i], "run=", 4))
            add_list(argv[i] + 4);
    if (!list[0])
        add_list("all");
    printf("init: running %s\n", list);
    for (char *p = list; *p;) {
        char *name = p;
        while (*p && *p != ',')
            p++;
        if (*p)
            *p++ = 0;
        if (*name)
            run(name);
    }
    printf("summary: %d passed, %d failed\n", passed, failed);
    machine_exit(failed ? 1 : 0);
    return 1;
}
