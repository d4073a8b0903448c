/* The terminal: TCGETS and TCSETS/TCSETSW/TCSETSF, canonical input with
 * erase, kill and end of file, raw input, TIOCGWINSZ, /dev/tty, sessions
 * and process groups (setsid, setpgid, getpgid, getpgrp, getsid,
 * TIOCGPGRP/TIOCSPGRP, TIOCSCTTY, TIOCNOTTY), Ctrl-C as SIGINT to the
 * foreground process group, and SIGTTIN for a background reader. It starts
 * as a session leader on its controlling terminal (the harness's pty on the
 * host, /dev/ttyS0 as pid 1 in the guest) and asks the harness to type
 * ("abi? send").
 * calls: ioctl setsid setpgid getpgid getpgrp getsid read write */
#include "abi.h"
#include <fcntl.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <termios.h>

static void show_termios(const char *when)
{
    struct termios t;
    if (ioctl(0, TCGETS, &t) != 0) {
        say("%s: TCGETS: %s", when, rv(-1));
        return;
    }
    say("%s: ICANON %s ECHO %s ISIG %s ICRNL %s OPOST %s ONLCR %s", when, yes(t.c_lflag & ICANON),
        yes(t.c_lflag & ECHO), yes(t.c_lflag & ISIG), yes(t.c_iflag & ICRNL), yes(t.c_oflag & OPOST),
        yes(t.c_oflag & ONLCR));
}

/* Read until N bytes or a read returns 0 or an error; say what came. */
static void read_and_show(const char *what, size_t n)
{
    char buf[128];
    ssize_t r = read(0, buf, n < sizeof buf ? n : sizeof buf);
    char hex[3 * 128 + 1] = "";
    for (ssize_t i = 0; i < r; i++)
        snprintf(hex + 3 * i, 4, " %02x", (unsigned char)buf[i]);
    say("%s: read %s:%s", what, rv(r), hex);
}

static void line_discipline(void)
{
    struct termios t0, t;
    tcgetattr(0, &t0);
    show_termios("at start");
    say("VINTR %#x VQUIT %#x VERASE %#x VKILL %#x VEOF %#x VSUSP %#x", t0.c_cc[VINTR], t0.c_cc[VQUIT],
        t0.c_cc[VERASE], t0.c_cc[VKILL], t0.c_cc[VEOF], t0.c_cc[VSUSP]);
    struct winsize ws;
    memset(&ws, 0, sizeof ws);
    say("TIOCGWINSZ: %s", rv(ioctl(0, TIOCGWINSZ, &ws)));
    model("window %u rows, %u columns", ws.ws_row, ws.ws_col);
    say("TCGETS on a pipe: %s", ({ int p[2]; pipe(p); struct termios x; rv(ioctl(p[0], TCGETS, &x)); }));

    /* canonical: erase (DEL) and kill (Ctrl-U) edit the line */
    TYPE("hel\x7flo wor\x15" "bye\r");
    read_and_show("canonical line", 100);
    TYPE("two\rlines\r");
    read_and_show("first of two lines", 100);
    read_and_show("second", 100);
    TYPE("\x04");
    read_and_show("Ctrl-D at the start of a line", 100);

    /* no echo, set with TCSETS (tcsetattr TCSANOW) */
    t = t0;
    t.c_lflag &= ~(tcflag_t)ECHO;
    say("TCSETS without ECHO: %s", rv(ioctl(0, TCSETS, &t)));
    show_termios("no echo");
    TYPE("secret\r");
    read_and_show("no echo", 100);

    /* raw: no ICANON, no ISIG, VMIN 1, set with TCSETSF (flushes input) */
    t = t0;
    t.c_lflag &= ~(tcflag_t)(ICANON | ISIG | ECHO);
    t.c_iflag &= ~(tcflag_t)ICRNL;
    t.c_cc[VMIN] = 1;
    t.c_cc[VTIME] = 0;
    say("TCSETSF raw: %s", rv(ioctl(0, TCSETSF, &t)));
    show_termios("raw");
    TYPE("a\x03\r");
    size_t got = 0;
    while (got < 3) {
        char c;
        if (read(0, &c, 1) != 1)
            break;
        say("raw byte %02x", (unsigned char)c);
        got++;
    }
    /* back, with TCSETSW (waits for output to drain) */
    say("TCSETSW back: %s", rv(ioctl(0, TCSETSW, &t0)));
    show_termios("restored");

    int fd = open("/dev/tty", O_RDWR);
    say("open /dev/tty: %s, a terminal: %s", yes(fd >= 0), yes(isatty(fd)));
    if (fd >= 0) {
        const char *l = "abi| written through /dev/tty\n";
        say("write to /dev/tty: %s", rv(write(fd, l, strlen(l))));
        close(fd);
    }
}

static void sessions(void)
{
    pid_t me = getpid();
    say("session leader: %s, process group leader: %s", yes(getsid(0) == me), yes(getpgrp() == me));
    say("getpgid(0) is getpgrp: %s", yes(getpgid(0) == getpgrp()));
    pid_t fg = -1;
    const char *r = rv(ioctl(0, TIOCGPGRP, &fg));
    say("TIOCGPGRP: %s, foreground is ours: %s", r, yes(fg == getpgrp()));
    say("setsid as a session leader: %s", rv(setsid()));
    say("setpgid of a session leader: %s", rv(setpgid(0, 0)));
    say("getsid of a missing pid: %s", rv(getsid(999999)));

    /* a child in a new session: no controlling terminal */
    int p[2];
    pipe(p);
    pid_t pid = fork();
    if (pid == 0) {
        close(p[0]);
        pid_t s = setsid();
        say("child setsid: is its pid: %s, getsid is it: %s", yes(s == getpid()), yes(getsid(0) == getpid()));
        say("child open /dev/tty: %s", rv(open("/dev/tty", O_RDWR)));
        say("child TIOCSCTTY on the parent's terminal: %s", rv(ioctl(0, TIOCSCTTY, 0)));
        say("child TIOCNOTTY (not its terminal): %s", rv(ioctl(0, TIOCNOTTY)));
        say("child TIOCGPGRP (not its terminal): %s", rv(ioctl(0, TIOCGPGRP, &fg)));
        _exit(0);
    }
    close(p[1]);
    reap(pid, "new-session child");
    close(p[0]);

    /* Ctrl-C: SIGINT to the foreground group, which is a child's */
    signal(SIGTTOU, SIG_IGN);
    pipe(p);
    pid = fork();
    if (pid == 0) {
        setpgid(0, 0);
        char c;
        read(p[0], &c, 1);          /* until the parent has made us the foreground */
        say("child in the foreground: %s", yes(tcgetpgrp(0) == getpgrp()));
        TYPE("\x03");
        pause();
        _exit(0);
    }
    setpgid(pid, pid);
    say("getpgid(child) is the child: %s", yes(getpgid(pid) == pid));
    say("TIOCSPGRP to the child's group: %s", rv(ioctl(0, TIOCSPGRP, &pid)));
    say("TIOCSPGRP to a missing group: %s", ({ pid_t x = 999999; rv(ioctl(0, TIOCSPGRP, &x)); }));
    write(p[1], "g", 1);
    reap(pid, "Ctrl-C child");
    pid_t mine = getpgrp();
    say("TIOCSPGRP back: %s", rv(ioctl(0, TIOCSPGRP, &mine)));
    close(p[0]);
    close(p[1]);

    /* a background reader is stopped by SIGTTIN */
    pid = fork();
    if (pid == 0) {
        setpgid(0, 0);
        char c;
        read(0, &c, 1);
        _exit(0);
    }
    setpgid(pid, pid);
    int st;
    waitpid(pid, &st, WUNTRACED);
    say("background reader: %s", how(st));
    kill(pid, SIGKILL);
    reap(pid, "background reader");
    signal(SIGTTOU, SIG_DFL);
}

int main(void)
{
    ABI_BEGIN("tty");
    say("fds 0, 1, 2 are terminals: %s %s %s", yes(isatty(0)), yes(isatty(1)), yes(isatty(2)));
    line_discipline();
    sessions();
    ABI_END("tty");
    return 0;
}
