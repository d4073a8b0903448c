/* hello: exec and write. Checks that argv reached us, that write() to the
 * console works and reports its length, that a bad buffer gives EFAULT
 * rather than a crash, that we are a child of init, and that sleeping and
 * yielding come back. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <vmscope.h>

int main(int argc, char **argv)
{
    static const char msg[] = "hello: hello, world\n";
    check(argc == 1 && !strcmp(argv[0], "hello"), "argv is wrong (argc %d)", argc);
    check(argv[1] == NULL, "argv is not NULL-terminated");
    check(write(1, msg, sizeof msg - 1) == sizeof msg - 1, "write returned the wrong length");
    check(write(1, (void *)0x10, 4) == -1 && errno == EFAULT, "write from NULL+16 did not fail with EFAULT");
    check(write(1, (void *)0xC0100000, 4) == -1 && errno == EFAULT, "write from a kernel address did not fail");
    check(write(7, msg, 1) == -1, "write to fd 7 did not fail");
    check(getppid() == 1, "parent is pid %d, not init", getppid());
    check(getpid() > 1, "pid %d", getpid());
    check(usleep(20000) == 0, "usleep failed");
    check(sched_yield() == 0, "sched_yield failed");
    return 0;
}
