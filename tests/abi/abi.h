/* Helpers of the host-against-guest programs (tests/abi/README.md).
 *
 * Each program is a static Linux/i386 binary (gcc -m32 -static, glibc) that
 * runs on the host's Linux and as init= in the guest; tests/abi/abi_test.py
 * compares what the two print. The lines it compares start with "abi| ";
 * "model: " lines (where Linux 2.4's behaviour differs from the host
 * kernel's on purpose) are shown, not compared; "abi? send HEX" asks the
 * harness to type the bytes HEX on the terminal; every other line (the
 * kernel's own console lines, terminal echo) is ignored.
 *
 * Lines are written with one write(2) each, never through stdio's buffer,
 * so a fork copies no pending output and a line is never split. Nothing
 * printed may differ legitimately between host and guest (pids, times,
 * addresses): such values are printed as a checked form ("pid > 0: yes"). */
#ifndef VMSCOPE_TESTS_ABI_ABI_H
#define VMSCOPE_TESTS_ABI_ABI_H

#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define ABI_LINE 1024

static void abi_vwrite(const char *prefix, const char *fmt, va_list ap)
{
    char buf[ABI_LINE];
    size_t n = (size_t)snprintf(buf, sizeof buf, "%s", prefix);
    int k = vsnprintf(buf + n, sizeof buf - n - 1, fmt, ap);
    n += k < 0 ? 0 : (size_t)k < sizeof buf - n - 1 ? (size_t)k : sizeof buf - n - 2;
    buf[n++] = '\n';
    for (size_t off = 0; off < n; ) {
        ssize_t w = write(1, buf + off, n - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            _exit(99);
        off += (size_t)w;
    }
}

/* One compared line. */
__attribute__((format(printf, 1, 2))) static void say(const char *fmt, ...)
{
    int e = errno;
    va_list ap;
    va_start(ap, fmt);
    abi_vwrite("abi| ", fmt, ap);
    va_end(ap);
    errno = e;
}

/* One line that may differ on purpose (Linux 2.4 against the host's kernel). */
__attribute__((format(printf, 1, 2))) static void model(const char *fmt, ...)
{
    int e = errno;
    va_list ap;
    va_start(ap, fmt);
    abi_vwrite("model: ", fmt, ap);
    va_end(ap);
    errno = e;
}

/* A system call's outcome as text: "N" for N >= 0, else "-1 ENAME" (errno
 * by name), for glibc's wrappers and its syscall() alike. Rotates over a few buffers, so several fit in one say(). */
static const char *rv(long r)
{
    static char bufs[8][48];
    static unsigned i;
    char *b = bufs[i++ % 8];
    if (r >= 0)
        snprintf(b, sizeof bufs[0], "%ld", r);
    else
        snprintf(b, sizeof bufs[0], "-1 %s", strerrorname_np(errno) ? strerrorname_np(errno) : "E?");
    return b;
}

static const char *yes(int c) { return c ? "yes" : "no"; }

/* How a child ended, as text: "exit N" or "signal NAME[ core]". */
static const char *how(int status)
{
    static char bufs[4][48];
    static unsigned i;
    char *b = bufs[i++ % 4];
    if (WIFEXITED(status))
        snprintf(b, sizeof bufs[0], "exit %d", WEXITSTATUS(status));
    else if (WIFSIGNALED(status))
        snprintf(b, sizeof bufs[0], "signal %s%s", sigabbrev_np(WTERMSIG(status)) ?
                 sigabbrev_np(WTERMSIG(status)) : "?", WCOREDUMP(status) ? " core" : "");
    else if (WIFSTOPPED(status))
        snprintf(b, sizeof bufs[0], "stopped %s", sigabbrev_np(WSTOPSIG(status)));
    else
        snprintf(b, sizeof bufs[0], "status %#x", status);
    return b;
}

/* Ask the harness to type BYTES (N of them) on the terminal. */
static void type_on_terminal(const void *bytes, size_t n)
{
    char hex[2 * 64 + 1];
    for (size_t i = 0; i < n && i < 64; i++)
        snprintf(hex + 2 * i, 3, "%02x", ((const unsigned char *)bytes)[i]);
    char line[200];
    int k = snprintf(line, sizeof line, "abi? send %s\n", hex);
    if (write(1, line, (size_t)k) != k)
        _exit(99);
}

/* Type the string literal S (its bytes without the NUL). */
#define TYPE(s) type_on_terminal(s, sizeof s - 1)

/* Wait for PID and say how it ended, under NAME. */
static int reap(pid_t pid, const char *name)
{
    int st = 0;
    pid_t r;
    while ((r = waitpid(pid, &st, 0)) < 0 && errno == EINTR)
        ;
    if (r != pid)
        say("%s: waitpid: %s", name, rv(r));
    else
        say("%s: %s", name, how(st));
    return st;
}

/* Every signal's action the default and none blocked, as the guest's init
 * starts (a host harness may leave SIGPIPE ignored, as Python does). */
static void abi_default_signals(void)
{
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    for (int sig = 1; sig < 32; sig++)
        if (sig != SIGKILL && sig != SIGSTOP)
            signal(sig, SIG_DFL);
}

/* The program's first and last lines. */
#define ABI_BEGIN(name) (abi_default_signals(), say("begin %s", name))
#define ABI_END(name) say("end %s", name)

#endif
