/* The smallest init=: no libc, one write(2) and exit(2) through int $0x80,
 * exit status 5 (vmscope status 11 in the guest). Built with -nostdlib.
 * calls: write exit */
static long abi_syscall3(long nr, long a, long b, long c)
{
    long r;
    __asm__ volatile("int $0x80" : "=a"(r) : "a"(nr), "b"(a), "c"(b), "d"(c) : "memory");
    return r;
}

void _start(void)
{
    static const char msg[] = "abi| begin rawexit\nabi| end rawexit\n";
    abi_syscall3(4, 1, (long)msg, sizeof msg - 1);     /* write */
    for (;;)
        abi_syscall3(1, 5, 0, 0);                      /* exit(5) */
}
