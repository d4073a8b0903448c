/* Processes: fork, vfork, clone with the flags glibc uses (fork:
 * CHILD_SETTID|CHILD_CLEARTID|SIGCHLD; posix_spawn and system:
 * VM|VFORK|SIGCHLD) and flags it refuses, execve with argv and envp,
 * wait4 and waitpid, exit statuses, getrusage of children.
 * Run as "proc"; "proc child ARGS..." is the exec'd child.
 * calls: fork vfork clone execve wait4 waitpid exit_group getrusage */
#include "abi.h"
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>

extern char **environ;

static int child_main(int argc, char **argv)
{
    say("child: argc %d", argc);
    for (int i = 2; i < argc; i++)
        say("child: argv[%d] \"%s\"", i, argv[i]);
    const char *a = getenv("ABI_A"), *b = getenv("ABI_B");
    say("child: ABI_A=%s ABI_B=%s", a ? a : "(unset)", b ? b : "(unset)");
    int n = 0;
    for (char **e = environ; *e; e++)
        n++;
    say("child: %d environment strings", n);
    return argc;
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "child") == 0)
        return child_main(argc, argv);
    ABI_BEGIN("proc");

    /* fork: the child's own memory; it speaks after the parent (a pipe
     * orders them: the host's scheduler may run either first) */
    int shared = 1, turn[2];
    if (pipe(turn) != 0)
        return 1;
    pid_t pid = fork();
    if (pid == 0) {
        char c;
        close(turn[1]);
        shared = 2;
        if (read(turn[0], &c, 1) != 1)
            _exit(1);
        say("fork child: shared %d, getppid is the parent: yes", shared);
        _exit(3);
    }
    close(turn[0]);
    say("fork returned a pid > 0: %s", yes(pid > 0));
    if (write(turn[1], "!", 1) != 1)
        return 1;
    close(turn[1]);
    reap(pid, "fork child");
    say("after fork: shared %d", shared);

    /* vfork: the child borrows the parent's memory until it exits */
    volatile int borrowed = 1;
    pid = vfork();
    if (pid == 0) {
        borrowed = 5;
        _exit(4);
    }
    reap(pid, "vfork child");
    say("after vfork: borrowed %d", borrowed);

    /* execve with argv and envp */
    pid = fork();
    if (pid == 0) {
        char *cargv[] = { argv[0], "child", "with space", "", "last", NULL };
        char *cenv[] = { "ABI_A=one", "ABI_B=two=2", NULL };
        execve(argv[0], cargv, cenv);
        say("execve: %s", rv(-1));
        _exit(127);
    }
    reap(pid, "execve child");
    pid = fork();
    if (pid == 0) {
        char *cargv[] = { "nothing", NULL };
        say("execve of a missing file: %s", rv(execve("/no/such/file", cargv, environ)));
        say("execve of a directory: %s", rv(execve("/", cargv, environ)));
        _exit(0);
    }
    reap(pid, "execve failures");

    /* posix_spawn and system: clone(CLONE_VM|CLONE_VFORK|SIGCHLD) */
    char *sargv[] = { argv[0], "child", "spawned", NULL };
    char *senv[] = { "ABI_A=spawn", NULL };
    /* The parent runs again once the child has exec'd: wait for the child
     * before printing, so that the lines' order does not depend on which
     * of the two the scheduler picks (nor, on the host, on the cores). */
    int spawned = posix_spawn(&pid, argv[0], NULL, NULL, sargv, senv);
    pid_t r;
    int st;
    while ((r = waitpid(pid, &st, 0)) < 0 && errno == EINTR)
        ;
    say("posix_spawn: %d", spawned);
    say("spawned child: %s", r == pid ? how(st) : rv(r));
    st = system("echo 'abi| system: a line from sh'; exit 7");
    say("system: %s", how(st));

    /* clone flags glibc does not use are refused (and these, Linux too) */
    say("clone(CLONE_SIGHAND): %s", rv(syscall(SYS_clone, CLONE_SIGHAND | SIGCHLD, 0, 0, 0, 0)));
    say("clone(CLONE_THREAD): %s", rv(syscall(SYS_clone, CLONE_THREAD | SIGCHLD, 0, 0, 0, 0)));
    /* clone with fork's flags, raw */
    pid = (pid_t)syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0);
    if (pid == 0)
        _exit(6);
    reap(pid, "clone(SIGCHLD) child");
    /* the old calls, raw: fork (2) and waitpid (7) */
    pid = (pid_t)syscall(SYS_fork);
    if (pid == 0)
        _exit(8);
    r = (pid_t)syscall(SYS_waitpid, pid, &st, 0);
    say("raw fork and waitpid: the child: %s, %s", yes(r == pid), how(st));

    /* wait4 and waitpid */
    pid = fork();
    if (pid == 0) {
        for (volatile int i = 0; i < 1000000; i++)
            ;
        _exit(9);
    }
    struct rusage ru;
    memset(&ru, 0xff, sizeof ru);
    r = wait4(pid, &st, 0, &ru);
    say("wait4: the child: %s, %s, rusage filled: %s", yes(r == pid), how(st),
        yes(ru.ru_utime.tv_usec >= 0 && ru.ru_utime.tv_usec < 1000000));
    say("waitpid with no children: %s", rv(waitpid(-1, &st, 0)));
    int p[2];
    if (pipe(p) != 0)
        return 1;
    pid = fork();
    if (pid == 0) {
        char c;
        close(p[1]);
        _exit(read(p[0], &c, 1) == 0 ? 11 : 12);    /* until the parent closes its end */
    }
    close(p[0]);
    say("waitpid WNOHANG while it runs: %s", rv(waitpid(pid, &st, WNOHANG)));
    say("waitpid for another pid: %s", rv(waitpid(pid + 100000, &st, 0)));
    close(p[1]);
    reap(pid, "waited child");
    pid = fork();
    if (pid == 0) {
        pause();
        _exit(0);
    }
    kill(pid, SIGKILL);
    reap(pid, "killed child");
    pid = fork();
    if (pid == 0)
        _exit(300);
    reap(pid, "exit(300) child");

    memset(&ru, 0, sizeof ru);
    say("getrusage(RUSAGE_CHILDREN): %s", rv(getrusage(RUSAGE_CHILDREN, &ru)));
    say("getrusage(RUSAGE_SELF): %s", rv(getrusage(RUSAGE_SELF, &ru)));
    say("getrusage(7): %s", rv(getrusage(7, &ru)));
    ABI_END("proc");
    return 0;
}
