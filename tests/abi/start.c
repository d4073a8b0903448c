/* Start-up and identity: what glibc's static start-up needs (TLS through a
 * GDT entry, the auxiliary vector, brk), the initial stack (argc, argv),
 * uname, ids, umask, prctl names, sched_getaffinity. Run with the
 * arguments "one two".
 * calls: set_thread_area set_tid_address set_robust_list uname brk getpid getppid
 * calls: getuid32 geteuid32 getgid32 getegid32 getgroups32 umask prctl sched_getaffinity
 * calls: exit_group */
#include "abi.h"
#include <asm/ldt.h>
#include <elf.h>
#include <sched.h>
#include <sys/auxv.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/utsname.h>

extern const Elf32_Ehdr __ehdr_start;
extern void _start(void);

static __thread int tls_counter = 42;
static __thread char tls_name[16] = "main";

static void show_tls(const char *who)
{
    void *self, *gs_self;
    __asm__ volatile("movl %%gs:0, %0" : "=r"(gs_self));
    self = __builtin_thread_pointer();
    say("%s: tls_counter %d, tls_name %s, %%gs:0 is the thread pointer: %s", who, tls_counter,
        tls_name, yes(self == gs_self));
}

/* A second TLS entry of our own, read through %fs. */
static void own_tls_entry(void)
{
    static int data[4] = { 0x1234, 0x5678 };
    struct user_desc d = {
        .entry_number = (unsigned)-1, .base_addr = (unsigned)data, .limit = 0xfffff,
        .seg_32bit = 1, .limit_in_pages = 1, .useable = 1,
    };
    long r = syscall(SYS_set_thread_area, &d);
    say("set_thread_area(-1): %s", r == 0 ? "0" : rv(r));
    if (r != 0)
        return;
    model("set_thread_area chose GDT entry %u", d.entry_number);
    unsigned short sel = (unsigned short)(d.entry_number * 8 + 3), old;
    int v0, v1;
    __asm__ volatile("movw %%fs, %0" : "=r"(old));
    __asm__ volatile("movw %2, %%fs\n\tmovl %%fs:0, %0\n\tmovl %%fs:4, %1\n\tmovw %3, %%fs"
                     : "=&r"(v0), "=&r"(v1) : "r"(sel), "r"(old));
    say("read through the new entry: %#x %#x", v0, v1);
    d.base_addr = (unsigned)(data + 1);         /* the same entry, moved */
    r = syscall(SYS_set_thread_area, &d);
    __asm__ volatile("movw %1, %%fs\n\tmovl %%fs:0, %0\n\tmovw %2, %%fs" : "=&r"(v0) : "r"(sel), "r"(old));
    say("set_thread_area(same entry, new base): %s, reads %#x", rv(r), v0);
    struct user_desc bad = { .entry_number = 3 };   /* not a TLS entry */
    say("set_thread_area(entry 3): %s", rv(syscall(SYS_set_thread_area, &bad)));
}

static void auxv(int argc, char **argv)
{
    const Elf32_Phdr *ph = (const Elf32_Phdr *)((const char *)&__ehdr_start + __ehdr_start.e_phoff);
    say("AT_PAGESZ %lu", getauxval(AT_PAGESZ));
    say("AT_PHDR is the program headers: %s", yes(getauxval(AT_PHDR) == (unsigned long)ph));
    say("AT_PHENT %lu, AT_PHNUM is e_phnum: %s", getauxval(AT_PHENT),
        yes(getauxval(AT_PHNUM) == __ehdr_start.e_phnum));
    say("AT_ENTRY is _start: %s", yes(getauxval(AT_ENTRY) == (unsigned long)_start));
    say("AT_BASE %lu, AT_FLAGS %lu", getauxval(AT_BASE), getauxval(AT_FLAGS));
    say("AT_UID %lu AT_EUID %lu AT_GID %lu AT_EGID %lu AT_SECURE %lu", getauxval(AT_UID),
        getauxval(AT_EUID), getauxval(AT_GID), getauxval(AT_EGID), getauxval(AT_SECURE));
    say("AT_CLKTCK %lu", getauxval(AT_CLKTCK));
    const char *plat = (const char *)getauxval(AT_PLATFORM);
    say("AT_PLATFORM %s", plat ? plat : "(none)");
    say("AT_RANDOM given: %s", yes(getauxval(AT_RANDOM) != 0));
    const char *fn = (const char *)getauxval(AT_EXECFN);
    say("AT_EXECFN is argv[0]: %s", yes(fn && strcmp(fn, argv[0]) == 0));
    model("AT_HWCAP %#lx", getauxval(AT_HWCAP));
    model("AT_SYSINFO %s, AT_SYSINFO_EHDR %s", getauxval(32) ? "given" : "absent",
          getauxval(AT_SYSINFO_EHDR) ? "given" : "absent");
    say("argc %d", argc);
    for (int i = 1; i < argc; i++)
        say("argv[%d] %s", i, argv[i]);
    say("argv[argc] is NULL: %s", yes(argv[argc] == NULL));
    int nenv = 0;
    for (char **e = environ; *e; e++)
        nenv++;
    model("%d environment strings", nenv);
}

static void identity(void)
{
    struct utsname u;
    say("uname: %s, sysname %s", rv(uname(&u)), u.sysname);
    model("uname release %s, machine %s, nodename %s", u.release, u.machine, u.nodename);
    say("getpid > 0: %s", yes(getpid() > 0));
    model("getppid %d", getppid());
    say("uid %ld euid %ld gid %ld egid %ld", syscall(SYS_getuid32), syscall(SYS_geteuid32),
        syscall(SYS_getgid32), syscall(SYS_getegid32));
    gid_t groups[64];
    long ng = syscall(SYS_getgroups32, 64, groups);
    model("getgroups32: %s", rv(ng));
    say("getgroups32(0, NULL) agrees: %s", yes(syscall(SYS_getgroups32, 0, NULL) == ng));
    mode_t first = umask(027);
    model("umask was %03o", first);
    say("umask(022) returns %03o", umask(022));
    say("umask(old) returns %03o", umask(first));

    char name[17] = "";
    prctl(PR_GET_NAME, name);
    say("PR_GET_NAME %s", name);
    say("PR_SET_NAME: %s", rv(prctl(PR_SET_NAME, "renamed-by-a-long-name")));
    memset(name, 0, sizeof name);
    prctl(PR_GET_NAME, name);
    say("PR_GET_NAME %s (16 bytes with the NUL)", name);
    say("prctl(12345): %s", rv(prctl(12345, 0, 0, 0, 0)));

    unsigned long mask[32];
    memset(mask, 0, sizeof mask);
    long n = syscall(SYS_sched_getaffinity, 0, sizeof mask, mask);
    say("sched_getaffinity returns a size > 0: %s, CPU 0 in the mask: %s", yes(n > 0), yes(mask[0] & 1));
    model("sched_getaffinity %ld bytes, mask %#lx", n, mask[0]);
    say("sched_getaffinity(size 1): %s", rv(syscall(SYS_sched_getaffinity, 0, 1, mask)));
}

static void heap(void)
{
    char *b0 = sbrk(0);
    say("sbrk(0) > the program's end: %s", yes(b0 != (char *)-1 && b0 != NULL));
    char *p = sbrk(65536);
    say("sbrk(64 KiB) returns the old break: %s", yes(p == b0));
    memset(p, 0x5a, 65536);
    say("new heap holds what is written: %s", yes(p[0] == 0x5a && p[65535] == 0x5a));
    say("brk back down: %s", rv(brk(b0)));
    say("sbrk(0) after: %s", yes(sbrk(0) == b0));
    long r = syscall(SYS_brk, 0);
    say("brk(0) is the break: %s", yes((char *)r == b0));
}

int main(int argc, char **argv)
{
    ABI_BEGIN("start");
    show_tls("main");
    long tid = syscall(SYS_set_tid_address, &tls_counter);
    say("set_tid_address returns the pid: %s", yes(tid == getpid()));
    struct { void *next; long offset; void *pending; } head = { &head, 0, NULL };
    say("set_robust_list: %s", rv(syscall(SYS_set_robust_list, &head, sizeof head)));
    say("set_robust_list(bad size): %s", rv(syscall(SYS_set_robust_list, &head, 4)));
    pid_t pid = fork();
    if (pid == 0) {
        tls_counter = 7;
        strcpy(tls_name, "child");
        show_tls("child");
        _exit(0);
    }
    reap(pid, "child");
    show_tls("main after the child");
    own_tls_entry();
    auxv(argc, argv);
    identity();
    heap();
    ABI_END("start");
    return 0;
}
