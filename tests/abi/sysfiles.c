/* Devices and /proc: /dev/null, /dev/zero, /dev/urandom; /proc/meminfo,
 * vmstat, swaps, mounts, stat, uptime, loadavg; /proc/self and /proc/PID
 * (stat, status, maps, cmdline, exe); syslog (what dmesg reads). Contents
 * that differ between machines are checked for their form.
 * calls: openat read write close readlink syslog */
#include "abi.h"
#include <ctype.h>
#include <fcntl.h>
#include <regex.h>
#include <sys/klog.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

static char text[1 << 16];

/* All of PATH into text; its length, or -1. */
static long slurp(const char *path)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return -1;
    long n = 0;
    for (ssize_t r; n < (long)sizeof text - 1 && (r = read(fd, text + n, sizeof text - 1 - n)) > 0; )
        n += r;
    close(fd);
    text[n] = 0;
    return n;
}

/* Does every line of text match RE? And how many lines are there? */
static int lines_match(const char *re, int *nlines)
{
    regex_t rx;
    if (regcomp(&rx, re, REG_EXTENDED | REG_NOSUB) != 0)
        return 0;
    int ok = 1, n = 0;
    char *save, *copy = strdup(text);
    for (char *l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
        n++;
        if (regexec(&rx, l, 0, NULL, 0) != 0) {
            if (ok)
                model("first line not of the form: %s", l);
            ok = 0;
        }
    }
    free(copy);
    regfree(&rx);
    if (nlines)
        *nlines = n;
    return ok && n > 0;
}

static int has_line(const char *re)
{
    regex_t rx;
    if (regcomp(&rx, re, REG_EXTENDED | REG_NOSUB | REG_NEWLINE) != 0)
        return 0;
    int ok = regexec(&rx, text, 0, NULL, 0) == 0;
    regfree(&rx);
    return ok;
}

static void devices(void)
{
    static const struct { const char *path; unsigned major, minor; } dev[] = {
        { "/dev/null", 1, 3 }, { "/dev/zero", 1, 5 }, { "/dev/urandom", 1, 9 }, { "/dev/tty", 5, 0 },
        { "/dev/console", 5, 1 },
    };
    for (unsigned i = 0; i < sizeof dev / sizeof dev[0]; i++) {
        struct stat s;
        int r = stat(dev[i].path, &s);
        say("%s: %s, character device %s, %u:%u", dev[i].path, r == 0 ? "there" : rv(r),
            yes(S_ISCHR(s.st_mode)), major(s.st_rdev), minor(s.st_rdev));
    }
    char buf[256];
    int fd = open("/dev/null", O_RDWR);
    const char *w = rv(write(fd, "gone", 4));
    say("/dev/null: write %s, read %s", w, rv(read(fd, buf, sizeof buf)));
    close(fd);
    fd = open("/dev/zero", O_RDWR);
    memset(buf, 1, sizeof buf);
    w = rv(read(fd, buf, sizeof buf));
    int zero = 1;
    for (unsigned i = 0; i < sizeof buf; i++)
        zero &= buf[i] == 0;
    say("/dev/zero: read %s, all zero: %s, write %s", w, yes(zero), rv(write(fd, buf, 10)));
    close(fd);
    fd = open("/dev/urandom", O_RDONLY);
    unsigned char r1[32], r2[32];
    w = rv(read(fd, r1, sizeof r1));
    read(fd, r2, sizeof r2);
    say("/dev/urandom: read %s, two reads differ: %s", w, yes(memcmp(r1, r2, sizeof r1) != 0));
    close(fd);
}

static void system_files(void)
{
    int n;
    long got;
    got = slurp("/proc/meminfo");
    say("/proc/meminfo: %s", yes(got > 0));
    static const char *keys[] = { "MemTotal", "MemFree", "Buffers", "Cached", "SwapCached", "Active",
                                  "Inactive", "SwapTotal", "SwapFree", "Dirty" };
    for (unsigned i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        char re[64];
        snprintf(re, sizeof re, "^%s: +[0-9]+ kB$", keys[i]);
        say("meminfo %s: %s", keys[i], yes(has_line(re)));
    }
    got = slurp("/proc/vmstat");
    say("/proc/vmstat: %s, every line NAME NUMBER: %s", yes(got > 0),
        yes(lines_match("^[a-z_0-9]+ [0-9]+$", &n)));
    static const char *counters[] = { "pgfault", "pgmajfault", "pswpin", "pswpout", "pgpgin", "pgpgout" };
    for (unsigned i = 0; i < sizeof counters / sizeof counters[0]; i++) {
        char re[64];
        snprintf(re, sizeof re, "^%s [0-9]+$", counters[i]);
        say("vmstat %s: %s", counters[i], yes(has_line(re)));
    }
    model("/proc/vmstat has %d lines", n);
    got = slurp("/proc/swaps");
    say("/proc/swaps: %s, header: %s", yes(got > 0), yes(strncmp(text, "Filename", 8) == 0));
    model("/proc/swaps: %s", strchr(text, '\n') ? strchr(text, '\n') + 1 : "");
    got = slurp("/proc/mounts");
    say("/proc/mounts: %s, six fields a line: %s, / is mounted: %s", yes(got > 0),
        yes(lines_match("^[^ ]+ [^ ]+ [^ ]+ [^ ]+ [0-9]+ [0-9]+$", NULL)), yes(has_line("^[^ ]+ / ")));
    got = slurp("/proc/stat");
    say("/proc/stat: %s, cpu line: %s, processes line: %s", yes(got > 0),
        yes(has_line("^cpu( +[0-9]+){4,}$")), yes(has_line("^processes [0-9]+$")));
    got = slurp("/proc/uptime");
    say("/proc/uptime: %s, form: %s", yes(got > 0),
        yes(lines_match("^[0-9]+\\.[0-9]{2} [0-9]+\\.[0-9]{2}$", NULL)));
    got = slurp("/proc/loadavg");
    say("/proc/loadavg: %s, form: %s", yes(got > 0),
        yes(lines_match("^[0-9]+\\.[0-9]{2} [0-9]+\\.[0-9]{2} [0-9]+\\.[0-9]{2} [0-9]+/[0-9]+ [0-9]+$", NULL)));
}

static void process_files(int argc, char **argv)
{
    char path[64], self[64] = "";
    pid_t me = getpid();
    ssize_t n = readlink("/proc/self", self, sizeof self - 1);
    say("/proc/self links to our pid: %s", yes(n > 0 && atoi(self) == me));

    slurp("/proc/self/stat");
    int pid = 0, ppid = 0;
    char comm[64] = "", state = 0;
    sscanf(text, "%d (%63[^)]) %c %d", &pid, comm, &state, &ppid);
    say("/proc/self/stat: pid ours: %s, comm %s, state %c, ppid ours: %s", yes(pid == me), comm, state,
        yes(ppid == getppid()));
    int fields = 0;
    for (char *p = strrchr(text, ')'); p && *p; p++)
        fields += *p == ' ';
    say("/proc/self/stat has at least 44 fields: %s", yes(fields + 1 >= 44));

    snprintf(path, sizeof path, "/proc/%d/status", me);
    say("%s: %s", "/proc/PID/status", yes(slurp(path) > 0));
    say("status Name: %s, Pid: %s, PPid: %s", yes(has_line("^Name:\tsysfiles$")),
        yes(({ char re[32]; snprintf(re, sizeof re, "^Pid:\t%d$", me); has_line(re); })),
        yes(has_line("^PPid:\t[0-9]+$")));
    static const char *vm[] = { "VmSize", "VmRSS", "VmSwap", "VmData", "VmStk", "VmExe" };
    for (unsigned i = 0; i < sizeof vm / sizeof vm[0]; i++) {
        char re[64];
        snprintf(re, sizeof re, "^%s:\t? *[0-9]+ kB$", vm[i]);
        say("status %s: %s", vm[i], yes(has_line(re)));
    }

    void *heap = malloc(200000);
    snprintf(path, sizeof path, "/proc/%d/maps", me);
    long got = slurp(path);
    say("/proc/PID/maps: %s", yes(got > 0));
    say("maps lines of Linux's form: %s", yes(lines_match(
        "^[0-9a-f]{8}-[0-9a-f]{8} [r-][w-][x-][ps] [0-9a-f]{8} [0-9a-f]{2}:[0-9a-f]{2} [0-9]+ *( [^ ].*)?$", NULL)));
    say("maps: our text r-xp with our path: %s, [stack]: %s, [heap]: %s",
        yes(has_line("^[0-9a-f-]+ r-xp [0-9a-f]+ [0-9a-f:]+ [0-9]+ +/(.*/)?sysfiles$")),
        yes(has_line(" \\[stack\\]$")), yes(has_line(" \\[heap\\]$")));
    free(heap);

    long len = slurp("/proc/self/cmdline");
    long want = 0;
    int same = 1;
    for (int i = 0; i < argc; i++) {
        size_t l = strlen(argv[i]) + 1;
        same &= want + (long)l <= len && memcmp(text + want, argv[i], l) == 0;
        want += (long)l;
    }
    say("/proc/self/cmdline is argv with NULs: %s", yes(same && len == want));
    char exe[256];
    n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    exe[n > 0 ? n : 0] = 0;
    say("/proc/self/exe is argv[0]: %s", yes(strcmp(exe, argv[0]) == 0));
    say("/proc/999999/stat: %s", rv(open("/proc/999999/stat", O_RDONLY)));
}

static void kernel_log(void)
{
    int size = klogctl(10, NULL, 0);                /* SYSLOG_ACTION_SIZE_BUFFER */
    say("syslog(SIZE_BUFFER) > 0: %s", yes(size > 0));
    char *buf = malloc(size > 0 ? size : 1);
    int n = klogctl(3, buf, size);                  /* SYSLOG_ACTION_READ_ALL */
    say("syslog(READ_ALL) returns text: %s", yes(n > 0 && n <= size));
    say("syslog(READ_ALL) lines start with <N>: %s", yes(n > 3 && buf[0] == '<' && isdigit((unsigned char)buf[1])));
    say("syslog(action 99): %s", rv(klogctl(99, buf, size)));
    free(buf);
}

int main(int argc, char **argv)
{
    ABI_BEGIN("sysfiles");
    devices();
    system_files();
    process_files(argc, argv);
    kernel_log();
    ABI_END("sysfiles");
    return 0;
}
