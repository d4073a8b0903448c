/* Time and system: nanosleep, clock_nanosleep, clock_gettime, gettimeofday,
 * time, their time64 forms (403, 407), times, getrusage, sysinfo,
 * getrandom, sched_yield, prlimit64, ugetrlimit. Raw calls throughout: on
 * the host glibc would answer the clock from the vDSO, which the guest has
 * not. Values that differ between machines are checked for their form.
 * calls: nanosleep clock_nanosleep clock_gettime gettimeofday time clock_gettime64
 * calls: clock_nanosleep_time64 times getrusage sysinfo getrandom sched_yield prlimit64
 * calls: ugetrlimit */
#include "abi.h"
#include <stdint.h>
#include <sys/resource.h>
#include <sys/sysinfo.h>
#include <sys/time.h>
#include <sys/times.h>
#include <time.h>

struct ts32 { int32_t sec, nsec; };
struct ts64 { int64_t sec, nsec; };
struct rl64 { uint64_t cur, max; };

static double mono(void)
{
    struct ts32 t;
    syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &t);
    return t.sec + t.nsec / 1e9;
}

int main(void)
{
    ABI_BEGIN("timecalls");
    struct ts32 a, b;
    const char *r = rv(syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &a));
    syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &b);
    say("clock_gettime(MONOTONIC): %s, never goes back: %s, nsec in range: %s", r,
        yes(b.sec > a.sec || (b.sec == a.sec && b.nsec >= a.nsec)), yes(a.nsec >= 0 && a.nsec < 1000000000));
    struct ts32 rt;
    r = rv(syscall(SYS_clock_gettime, CLOCK_REALTIME, &rt));
    say("clock_gettime(REALTIME): %s, from 2000-01-01 on: %s", r, yes(rt.sec >= 946684800));
    say("clock_gettime(clock 99): %s", rv(syscall(SYS_clock_gettime, 99, &a)));
    struct ts64 t64;
    r = rv(syscall(403, CLOCK_REALTIME, &t64));
    say("clock_gettime64(REALTIME): %s, agrees with the 32-bit call: %s", r,
        yes(t64.sec - rt.sec >= 0 && t64.sec - rt.sec <= 2));
    struct timeval tv;
    r = rv(syscall(SYS_gettimeofday, &tv, NULL));
    say("gettimeofday: %s, agrees: %s, usec in range: %s", r, yes(tv.tv_sec - rt.sec >= 0 && tv.tv_sec - rt.sec <= 2),
        yes(tv.tv_usec >= 0 && tv.tv_usec < 1000000));
    long tt = 0;
    long t = syscall(SYS_time, &tt);
    say("time: agrees: %s, stored too: %s", yes(t - rt.sec >= 0 && t - rt.sec <= 2), yes(tt == t));

    double t0 = mono();
    struct ts32 d = { 0, 50000000 };
    r = rv(syscall(SYS_nanosleep, &d, NULL));
    say("nanosleep 50 ms: %s, slept at least that: %s", r, yes(mono() - t0 >= 0.049));
    d.nsec = 2000000000;
    say("nanosleep with nsec 2e9: %s", rv(syscall(SYS_nanosleep, &d, NULL)));
    t0 = mono();
    d.sec = 0;
    d.nsec = 30000000;
    r = rv(syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, &d, NULL));
    say("clock_nanosleep 30 ms: %s, slept at least that: %s", r, yes(mono() - t0 >= 0.029));
    struct ts32 until;
    syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &until);
    until.nsec += 20000000;
    if (until.nsec >= 1000000000) {
        until.nsec -= 1000000000;
        until.sec++;
    }
    r = rv(syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, TIMER_ABSTIME, &until, NULL));
    syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &a);
    say("clock_nanosleep TIMER_ABSTIME: %s, woke after the time: %s", r,
        yes(a.sec > until.sec || (a.sec == until.sec && a.nsec >= until.nsec)));
    struct ts64 d64 = { 0, 10000000 };
    t0 = mono();
    r = rv(syscall(407, CLOCK_MONOTONIC, 0, &d64, NULL));
    say("clock_nanosleep_time64 10 ms: %s, slept at least that: %s", r, yes(mono() - t0 >= 0.0099));

    struct tms tm;
    errno = 0;
    long ticks = syscall(SYS_times, &tm);
    say("times: not an error: %s, user and system times >= 0: %s", yes(ticks != -1 || errno == 0),
        yes((long)tm.tms_utime >= 0 && (long)tm.tms_stime >= 0));
    struct rusage ru;
    r = rv(syscall(SYS_getrusage, RUSAGE_SELF, &ru));
    say("getrusage: %s, times in range: %s", r, yes(ru.ru_utime.tv_usec >= 0 && ru.ru_utime.tv_usec < 1000000));
    model("getrusage: maxrss %ld KiB, minflt %ld", ru.ru_maxrss, ru.ru_minflt);
    struct sysinfo si;
    r = rv(syscall(SYS_sysinfo, &si));
    say("sysinfo: %s, RAM > 1 MiB: %s, free <= total: %s, procs >= 1: %s, mem_unit >= 1: %s", r,
        yes((unsigned long long)si.totalram * si.mem_unit > (1u << 20)), yes(si.freeram <= si.totalram),
        yes(si.procs >= 1), yes(si.mem_unit >= 1));
    model("sysinfo: uptime %ld s, %lu procs, swap %llu KiB", si.uptime, (unsigned long)si.procs,
          (unsigned long long)si.totalswap * si.mem_unit / 1024);

    unsigned char buf[64], buf2[64];
    memset(buf, 0, sizeof buf);
    r = rv(syscall(SYS_getrandom, buf, sizeof buf, 0));
    say("getrandom 64: %s, not all zero: %s", r, yes(memcmp(buf, (char[64]){ 0 }, 64) != 0));
    syscall(SYS_getrandom, buf2, sizeof buf2, 1 /* GRND_NONBLOCK */);
    say("getrandom again differs: %s", yes(memcmp(buf, buf2, sizeof buf) != 0));
    say("getrandom(flags 0x100): %s", rv(syscall(SYS_getrandom, buf, 8, 0x100)));
    say("sched_yield: %s", rv(syscall(SYS_sched_yield)));

    struct rl64 old, nw;
    r = rv(syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, NULL, &old));
    say("prlimit64(NOFILE) read: %s, soft <= hard: %s, soft >= 20: %s", r, yes(old.cur <= old.max), yes(old.cur >= 20));
    nw.cur = 64;
    nw.max = old.max;
    r = rv(syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, &nw, &old));
    struct rl64 back;
    syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, NULL, &back);
    say("prlimit64(NOFILE) set 64: %s, reads back %llu", r, (unsigned long long)back.cur);
    nw.cur = nw.max + 1;
    if (nw.max != UINT64_MAX)
        say("prlimit64 soft above hard: %s", rv(syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, &nw, NULL)));
    else
        say("prlimit64 soft above hard: -1 EINVAL");
    say("prlimit64(resource 99): %s", rv(syscall(SYS_prlimit64, 0, 99, NULL, &old)));
    struct rlimit rl;
    r = rv(syscall(SYS_ugetrlimit, RLIMIT_NOFILE, &rl));
    say("ugetrlimit(NOFILE): %s, soft %lu", r, (unsigned long)rl.rlim_cur);
    syscall(SYS_ugetrlimit, RLIMIT_STACK, &rl);
    model("ugetrlimit(STACK): soft %#lx, hard %#lx", (unsigned long)rl.rlim_cur, (unsigned long)rl.rlim_max);
    ABI_END("timecalls");
    return 0;
}
