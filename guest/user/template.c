/* template: copy me to start a new guest program.
 *
 *   1. cp guest/user/template.c guest/user/myprog.c
 *   2. add 'myprog' to user_tests (run by run=all) or user_extras (run by
 *      name only) in guest/meson.build
 *   3. ninja -C build guest/initrd.cpio, then boot with run=myprog
 *
 * A program passes by returning 0 from main. To fail, call fail("reason")
 * (or check(cond, "reason")): init prints "FAIL myprog: reason". Print only
 * what does not depend on timing (no pids of children, no tick counts) and
 * only from one process, or the console differs between emulators. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <vmscope.h>

int main(int argc, char **argv)
{
    struct rusage before, after;
    getrusage(RUSAGE_SELF, &before);
    char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    check(p != MAP_FAILED, "mmap failed");
    strcpy(p, "touched");                   /* first write: one zero-fill fault */
    getrusage(RUSAGE_SELF, &after);
    check(after.ru_nzfod - before.ru_nzfod == 1, "expected one zero-fill, got %lu",
          after.ru_nzfod - before.ru_nzfod);
    printf("%s: one page %s\n", argv[0], p);
    return 0;
}
