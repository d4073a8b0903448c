/* The host terminal in raw mode for `vmscope run --tty` (see console.h).
 * POSIX termios(3): cfmakeraw's flags, less OPOST, as QEMU's char-stdio.c
 * (qemu_chr_set_echo_stdio) keeps output processing on. */
#define _GNU_SOURCE
#include "emu/console.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

/* Host process state: the terminal's settings before raw mode. */
static struct termios console_saved;
static volatile sig_atomic_t console_fd = -1;   /* >= 0 while raw */

/* Signals that end the process without passing through main's end (the
 * ones main handles, SIGINT, SIGTERM and SIGHUP, do pass through it). */
static const int console_fatal[] = { SIGQUIT, SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP, SIGSYS };
#define CONSOLE_NFATAL (sizeof console_fatal / sizeof console_fatal[0])
static struct sigaction console_prev[CONSOLE_NFATAL];

void console_restore(void)
{
    int fd = console_fd;
    if (fd < 0)
        return;
    tcsetattr(fd, TCSANOW, &console_saved);     /* async-signal-safe */
    console_fd = -1;
}

/* A fatal signal: restore the terminal, put the previous action back and
 * deliver the signal to it (a fault re-executes and faults again; a sent
 * signal is pending until this handler returns). */
static void console_on_fatal(int sig)
{
    console_restore();
    for (unsigned i = 0; i < CONSOLE_NFATAL; i++)
        if (console_fatal[i] == sig)
            sigaction(sig, &console_prev[i], NULL);
    raise(sig);
}

static void console_at_exit(void)
{
    console_restore();
}

bool console_raw_enter(int fd, char *err, size_t errlen)
{
    static bool hooked;
    struct termios raw;
    if (!isatty(fd)) {
        snprintf(err, errlen, "--tty: standard input is not a terminal");
        return false;
    }
    if (tcgetattr(fd, &console_saved) != 0) {
        snprintf(err, errlen, "--tty: cannot read the terminal's settings: %s", strerror(errno));
        return false;
    }
    if (!hooked) {
        hooked = true;
        atexit(console_at_exit);
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = console_on_fatal;
        sa.sa_flags = SA_NODEFER | SA_RESETHAND;
        for (unsigned i = 0; i < CONSOLE_NFATAL; i++)
            sigaction(console_fatal[i], &sa, &console_prev[i]);
    }
    raw = console_saved;
    raw.c_iflag &= ~(tcflag_t)(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON);
    raw.c_lflag &= ~(tcflag_t)(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
    raw.c_cflag &= ~(tcflag_t)(CSIZE | PARENB);
    raw.c_cflag |= CS8;
    raw.c_cc[VMIN] = 1;
    raw.c_cc[VTIME] = 0;
    console_fd = fd;
    if (tcsetattr(fd, TCSANOW, &raw) != 0) {
        int e = errno;
        console_restore();
        snprintf(err, errlen, "--tty: cannot put the terminal in raw mode: %s", strerror(e));
        return false;
    }
    return true;
}
