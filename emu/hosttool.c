/* Host programs run by vmscope (see hosttool.h). fork/execv/waitpid, as
 * POSIX.1-2017 describes them; the child's dispositions of caught signals
 * return to the default at exec, so a Ctrl-C that vmscope only notes still
 * ends the tool. */
#include "emu/hosttool.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

bool hosttool_find(const char *name, char *out, size_t outlen)
{
    const char *path = getenv("PATH");
    if (!path)
        return false;
    for (const char *p = path;; ) {
        const char *end = strchr(p, ':');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        struct stat st;
        /* An empty entry is the current directory, as execvp takes it. */
        if ((size_t)snprintf(out, outlen, "%.*s/%s", (int)len, len ? p : ".", name) < outlen &&
            stat(out, &st) == 0 && S_ISREG(st.st_mode) && access(out, X_OK) == 0)
            return true;
        if (!end)
            return false;
        p = end + 1;
    }
}

void hosttool_last_line(const char *path, char *out, size_t outlen)
{
    out[0] = 0;
    FILE *f = fopen(path, "r");
    if (!f)
        return;
    char line[512];
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = 0;
        if (line[strspn(line, " \t")])
            snprintf(out, outlen, "%s", line + strspn(line, " \t"));
    }
    fclose(f);
}

/* In the child: set up stdin, stdout, stderr and the environment, then
 * exec. Never returns. */
static void hosttool_child(const char *const *argv, const char *const *env, const char *in,
                           const char *log)
{
    int fd0 = open(in ? in : "/dev/null", O_RDONLY);
    int fd1 = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd0 < 0 || fd1 < 0 || dup2(fd0, 0) < 0 || dup2(fd1, 1) < 0 || dup2(fd1, 2) < 0)
        _exit(126);
    setenv("LC_ALL", "C", 1);
    for (unsigned i = 0; env && env[i]; i++)
        putenv((char *)env[i]);
    execv(argv[0], (char *const *)argv);
    _exit(127);
}

bool hosttool_run(const char *const *argv, const char *const *env, const char *in,
                  const char *log, char *err, size_t errlen)
{
    const char *name = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
    pid_t pid = fork();
    if (pid < 0) {
        snprintf(err, errlen, "cannot start %s: %s", name, strerror(errno));
        return false;
    }
    if (pid == 0)
        hosttool_child(argv, env, in, log);
    int status;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            snprintf(err, errlen, "%s: %s", name, strerror(errno));
            return false;
        }
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return true;
    char last[256];
    hosttool_last_line(log, last, sizeof last);
    if (WIFSIGNALED(status))
        snprintf(err, errlen, "%s was killed by signal %d%s%s", name, WTERMSIG(status),
                 last[0] ? ": " : "", last);
    else
        snprintf(err, errlen, "%s failed (exit status %d)%s%s", name, WEXITSTATUS(status),
                 last[0] ? ": " : "", last);
    return false;
}
