/* init= exit statuses (DESIGN.md, "The guest kernel's command line"):
 *   exit N     exit(N): vmscope status (min(N, 63) << 1) | 1
 *   exit segv  a null write kills it with SIGSEGV: status ((64 + 11) << 1) | 1
 * exit_group is checked by the exit statuses (the segv case never makes it).
 * calls: write */
#include "abi.h"
#include <sys/resource.h>

int main(int argc, char **argv)
{
    ABI_BEGIN("exit");
    if (argc < 2) {
        say("usage: exit N | exit segv");
        return 2;
    }
    if (strcmp(argv[1], "segv") == 0) {
        struct rlimit none = { 0, 0 };
        setrlimit(RLIMIT_CORE, &none);                 /* no core file on the host */
        say("writing to address 0");
        ABI_END("exit");
        *(volatile int *)0 = 1;
        return 0;
    }
    int n = atoi(argv[1]);
    say("exit status %d", n);
    ABI_END("exit");
    exit(n);
}
